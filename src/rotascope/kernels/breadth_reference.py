"""Naive reference of the breadth scan: the definitions written out, O(n^2), for the tests.

No stacks, no running sums: every count is recomputed from the series' valid closes with plain
slices, so that :func:`rotascope.kernels.breadth.breadth_scan_2d` can be checked against it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rotascope.kernels.breadth import count_layout

__all__ = ["breadth_counts_naive"]


def breadth_counts_naive(
    x: NDArray[np.floating],
    ma_windows: tuple[int, ...] = (20, 50, 200),
    ret_windows: tuple[int, ...] = (1, 5, 21),
    hl_window: int = 252,
    record_rows: int = 504,
    record_min: int = 252,
) -> NDArray[np.int64]:
    """Per-date counts (dates x K, the layout of :func:`count_layout`) by brute force."""
    a = np.asarray(x, dtype=np.float64)
    n, m = a.shape
    lay = count_layout(ma_windows, ret_windows)
    out = np.zeros((n, lay.width), dtype=np.int64)
    for j in range(m):
        col = a[:, j]
        rows = [t for t in range(n) if np.isfinite(col[t]) and col[t] > 0]
        p = col[rows]
        for k, t in enumerate(rows):  # k: 0-based valid-row number
            have = k + 1
            out[t, lay.with_close] += 1
            for i, w in enumerate(ma_windows):
                if have >= w:
                    out[t, lay.ma_eligible[i]] += 1
                    total = 0.0
                    for v in p[k - w + 1 : k + 1]:  # left to right, as the kernel on ties
                        total += float(v)
                    if p[k] * w > total:
                        out[t, lay.ma[i]] += 1
            if have >= 2:
                col_ad = (lay.advancers if p[k] > p[k - 1] else
                          lay.decliners if p[k] < p[k - 1] else lay.unchanged)  # fmt: skip
                out[t, col_ad] += 1
            if have >= hl_window:
                window = p[k - hl_window + 1 : k + 1]
                out[t, lay.hl_eligible] += 1
                out[t, lay.new_high] += int(p[k] >= window.max())
                out[t, lay.new_low] += int(p[k] <= window.min())
            if have >= record_rows:
                out[t, lay.record_eligible] += 1
                for i, w in enumerate(ret_windows):
                    r = p[w : k + 1] / p[: k + 1 - w] - 1.0  # returns of valid rows w..k
                    last = r[-1]
                    earlier = r[:-1]
                    for d, hits in ((0, np.flatnonzero(earlier >= last)),
                                    (1, np.flatnonzero(earlier <= last))):  # fmt: skip
                        horizon = len(earlier) - hits[-1] if len(hits) else None
                        if horizon is None or horizon >= record_min:
                            out[t, (lay.record_gain if d == 0 else lay.record_drop)[i]] += 1
    return out
