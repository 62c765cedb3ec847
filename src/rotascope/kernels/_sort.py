"""Sorting helpers shared by the rank and percentile kernels.

``dense_ids_py`` names every valid value of a series by its dense rank (ties share an id), with
an LSD radix sort of the float64 bit patterns: no comparisons, so no branch mispredictions, about
5x faster than ``np.argsort`` inside numba for the series lengths we see (10^4 rows).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rotascope.kernels._jit import jit

__all__ = ["dense_ids", "dense_ids_py", "radix_argsort", "radix_argsort_py"]

_BITS = 11  # digit width: 6 passes cover 64 bits
_NBUCKETS = 1 << _BITS


def radix_argsort_py(vals: NDArray[np.float64]) -> NDArray[np.int64]:
    """Stable ascending argsort of a float64 array without NaN (plain Python).

    Notes
    -----
    A float64 maps to a uint64 key with the same order: flip every bit of a negative number, flip
    only the sign bit of a non-negative one. Then six stable counting-sort passes of 11 bits each,
    least significant first, moving keys with their positions; a pass whose digit is the same for
    every key is skipped. -0.0 sorts just before +0.0 (they compare equal, and no key lies
    between them).
    """
    n = vals.shape[0]
    bits = vals.view(np.uint64)
    keys = np.empty(n, dtype=np.uint64)
    sign = np.uint64(1) << np.uint64(63)
    for i in range(n):
        b = bits[i]
        keys[i] = ~b if (b & sign) else (b | sign)
    order = np.arange(n)
    tmp_keys = np.empty(n, dtype=np.uint64)
    tmp_order = np.empty(n, dtype=np.int64)
    cnt = np.empty(_NBUCKETS, dtype=np.int64)
    mask = np.uint64(_NBUCKETS - 1)
    if n == 0:
        return order
    for p in range(6):
        shift = np.uint64(_BITS * p)
        cnt[:] = 0
        for i in range(n):
            cnt[(keys[i] >> shift) & mask] += 1
        if cnt[(keys[0] >> shift) & mask] == n:
            continue
        s = 0
        for d in range(_NBUCKETS):
            c = cnt[d]
            cnt[d] = s
            s += c
        for k in range(n):
            key = keys[k]
            d = (key >> shift) & mask
            j = cnt[d]
            tmp_keys[j] = key
            tmp_order[j] = order[k]
            cnt[d] = j + 1
        keys, tmp_keys = tmp_keys, keys
        order, tmp_order = tmp_order, order
    return order


radix_argsort = jit(radix_argsort_py)


def dense_ids_py(x: NDArray[np.float64], descending: bool) -> tuple[NDArray[np.int64], int]:
    """Dense rank ids ``1..m`` of the valid values of ``x`` (ties share an id), 0 for NaN rows.

    ``descending=True``: id 1 is the largest value; else id 1 is the smallest. Returns the ids and
    ``m``, the number of distinct valid values.
    """
    n = x.shape[0]
    ids = np.zeros(n, dtype=np.int64)
    nvalid = 0
    for t in range(n):
        if x[t] == x[t]:
            nvalid += 1
    valid = np.empty(nvalid, dtype=np.int64)
    vals = np.empty(nvalid, dtype=np.float64)
    k = 0
    for t in range(n):
        if x[t] == x[t]:
            valid[k] = t
            vals[k] = -x[t] if descending else x[t]
            k += 1
    order = radix_argsort(vals)
    m = 0
    prev = 0.0
    for k in range(nvalid):
        v = vals[order[k]]
        if m == 0 or v != prev:
            m += 1
            prev = v
        ids[valid[order[k]]] = m
    return ids, m


dense_ids = jit(dense_ids_py)
