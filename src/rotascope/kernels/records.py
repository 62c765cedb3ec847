"""Record kernels: record horizon ("biggest since"), rank so far, extreme of the calendar year.

Contract: numpy arrays in and out, no pandas. ``*_1d`` kernels take one series; the 2-D kernels
take a ``(dates x series)`` array and loop over its columns (in parallel with numba), calling the
``_1d`` kernel (the record horizon takes four columns at a time through a lockstep variant of it,
for speed). Each jitted kernel ``k`` is compiled from the plain-Python function ``k_py`` kept
next to it (see :mod:`rotascope.kernels._jit`); naive O(n^2) references live in
:mod:`rotascope.kernels.reference`.

``largest=True`` asks about gains (the largest values), ``largest=False`` about drops (the
smallest values); a drop kernel equals the gain kernel applied to ``-x``.

NaN handling, everywhere: a NaN row is not an observation. It is never the answer for another row,
is not counted in ranks, and gets "no answer" itself (-1 for indices, 0 for ranks and counts, NaN
for values, False for flags).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rotascope.errors import InputError
from rotascope.kernels._jit import jit, prange
from rotascope.kernels._sort import dense_ids

__all__ = [
    "record_horizon_1d",
    "record_horizon_1d_py",
    "record_horizon_2d",
    "record_rank_1d",
    "record_rank_1d_py",
    "record_rank_2d",
    "year_extreme_1d",
    "year_extreme_1d_py",
]


# --------------------------------------------------------------------------------------------
# record horizon: one O(n) pass with a monotonic stack


def record_horizon_1d_py(x: NDArray[np.float64], largest: bool) -> NDArray[np.int64]:
    """Index of the most recent earlier row at least as extreme as each row (plain Python).

    Parameters
    ----------
    x : ndarray of float64, 1-D
        The statistic (e.g. 5-day returns); NaN rows are skipped.
    largest : bool
        True for gains: the most recent ``s < t`` with ``x[s] >= x[t]``. False for drops:
        ``x[s] <= x[t]``.

    Returns
    -------
    ndarray of int64
        ``s`` for every row, -1 when no earlier row qualifies ("on record") and for NaN rows.

    Notes
    -----
    Ties count: an earlier equal value ends the record horizon. The stack holds the rows that can
    still be an answer, their values non-increasing from bottom to top (for gains; values are
    negated for drops), above a sentinel (value +inf, row -1) at the bottom. For row t, pop every row with a value
    strictly below ``x[t]`` (``x[t]`` hides them from every later row: t is more recent and at
    least as large); the top left is the answer; then push t. Each row is pushed and popped at
    most once: O(n) time, O(n) scratch.
    """
    n = x.shape[0]
    out = np.empty(n, dtype=np.int64)
    stack_idx = np.empty(n + 1, dtype=np.int64)
    stack_val = np.empty(n + 1, dtype=np.float64)
    stack_idx[0] = -1
    stack_val[0] = np.inf
    top = 0
    for t in range(n):
        v = x[t]
        if v != v:  # NaN: not an observation
            out[t] = -1
            continue
        if not largest:
            v = -v
        while stack_val[top] < v:
            top -= 1
        out[t] = stack_idx[top]
        top += 1
        stack_idx[top] = t
        stack_val[top] = v
    return out


_record_horizon = jit(record_horizon_1d_py)


def _record_horizon_4_py(
    x0: NDArray[np.float64],
    x1: NDArray[np.float64],
    x2: NDArray[np.float64],
    x3: NDArray[np.float64],
    sign: float,
    out: NDArray[np.int64],
    stack_val: NDArray[np.float64],
    stack_idx: NDArray[np.int64],
) -> None:
    """:func:`record_horizon_1d_py` on four columns in lockstep (plain Python), into ``out``.

    ``x_k`` are the columns (``sign`` = 1.0 for gains, -1.0 for drops multiplies every value),
    ``out`` is (4, n), the scratch stacks are (4, n + 3).

    Same algorithm as the one-column kernel, arranged for speed: on random data the exit of the
    pop loop is a coin flip, so the one-column kernel stalls on a mispredicted branch at almost
    every row. Here the first three pops are decided without branches and without waiting for
    each other: the stack is non-increasing from bottom to top, so ``stack[top - k] < v`` for
    k = 0, 1, 2 are nested conditions, and ``top -= (s[top] < v) + (s[top-1] < v) +
    (s[top-2] < v)`` pops the same rows as three pops one after the other, with three loads
    that run at once instead of in a chain. Three +inf sentinels at the bottom (rows -1) keep
    every index valid. The four stacks are independent, so their latencies overlap too; only
    the rare fourth pop and beyond take the loop. A NaN row does not pop (comparisons with NaN
    are false), writes its value above the top and does not move the top
    (``top += v == v``), and outputs -1. About twice as fast as one column at a time; same
    results (tested against the one-column kernel and the naive reference).
    """
    n = x0.shape[0]
    s0 = stack_val[0]
    s1 = stack_val[1]
    s2 = stack_val[2]
    s3 = stack_val[3]
    i0 = stack_idx[0]
    i1 = stack_idx[1]
    i2 = stack_idx[2]
    i3 = stack_idx[3]
    o0 = out[0]
    o1 = out[1]
    o2 = out[2]
    o3 = out[3]
    for k in range(3):  # sentinels: +inf, row -1
        s0[k] = np.inf
        s1[k] = np.inf
        s2[k] = np.inf
        s3[k] = np.inf
        i0[k] = -1
        i1[k] = -1
        i2[k] = -1
        i3[k] = -1
    # stack tops: start as int, become np.int64 after the branch-free pops below
    t0: int | np.int64 = 2
    t1: int | np.int64 = 2
    t2: int | np.int64 = 2
    t3: int | np.int64 = 2
    for t in range(n):
        v0 = sign * x0[t]
        v1 = sign * x1[t]
        v2 = sign * x2[t]
        v3 = sign * x3[t]
        t0 -= np.int64(s0[t0] < v0) + np.int64(s0[t0 - 1] < v0) + np.int64(s0[t0 - 2] < v0)
        t1 -= np.int64(s1[t1] < v1) + np.int64(s1[t1 - 1] < v1) + np.int64(s1[t1 - 2] < v1)
        t2 -= np.int64(s2[t2] < v2) + np.int64(s2[t2 - 1] < v2) + np.int64(s2[t2 - 2] < v2)
        t3 -= np.int64(s3[t3] < v3) + np.int64(s3[t3 - 1] < v3) + np.int64(s3[t3 - 2] < v3)
        while s0[t0] < v0:
            t0 -= 1
        while s1[t1] < v1:
            t1 -= 1
        while s2[t2] < v2:
            t2 -= 1
        while s3[t3] < v3:
            t3 -= 1
        o0[t] = i0[t0] if v0 == v0 else -1
        o1[t] = i1[t1] if v1 == v1 else -1
        o2[t] = i2[t2] if v2 == v2 else -1
        o3[t] = i3[t3] if v3 == v3 else -1
        s0[t0 + 1] = v0
        s1[t1 + 1] = v1
        s2[t2 + 1] = v2
        s3[t3 + 1] = v3
        i0[t0 + 1] = t
        i1[t1 + 1] = t
        i2[t2 + 1] = t
        i3[t3 + 1] = t
        t0 += np.int64(v0 == v0)
        t1 += np.int64(v1 == v1)
        t2 += np.int64(v2 == v2)
        t3 += np.int64(v3 == v3)


_record_horizon_4 = jit(_record_horizon_4_py)


def _record_horizon_rows_py(
    xt: NDArray[np.float64], largest: bool, out: NDArray[np.int64]
) -> None:
    """Record horizon of every row of a (series x dates) array into ``out`` (same shape): groups
    of four series run through the lockstep kernel, in parallel; the last ``m % 4`` through the
    one-series kernel."""
    m, n = xt.shape
    sign = 1.0 if largest else -1.0
    groups = m // 4
    chunks = min(groups, 64)  # scratch stacks are allocated once per chunk, not per group
    for c in prange(chunks):
        stack_val = np.empty((4, n + 3), dtype=np.float64)
        stack_idx = np.empty((4, n + 3), dtype=np.int64)
        for g in range(c, groups, chunks):
            j = 4 * g
            _record_horizon_4(
                xt[j], xt[j + 1], xt[j + 2], xt[j + 3], sign, out[j : j + 4], stack_val,
                stack_idx,
            )
    for j in range(4 * groups, m):
        out[j] = _record_horizon(xt[j], largest)


_record_horizon_rows = jit(_record_horizon_rows_py, parallel=True)


# --------------------------------------------------------------------------------------------
# rank among all earlier values plus itself: a Fenwick (binary indexed) tree over value ranks


def record_rank_1d_py(
    x: NDArray[np.float64], largest: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rank of each value among all earlier values plus itself, and how many values that is.

    Parameters
    ----------
    x : ndarray of float64, 1-D
        The statistic; NaN rows are skipped.
    largest : bool
        True: rank 1 = the largest so far (gains). False: rank 1 = the smallest (drops).

    Returns
    -------
    rank : ndarray of int64
        Competition rank ("1224"): ``1 + #{s < t : x[s] > x[t]}`` for gains (``<`` for drops).
        A value tied with an earlier one shares its rank: rank 1 means "at least equals the record".
        0 for NaN rows.
    of : ndarray of int64
        Number of valid values in rows ``0..t`` (t included); 0 for NaN rows.

    Notes
    -----
    Values are mapped to dense ids (1 = most extreme) with one radix sort
    (:func:`rotascope.kernels._sort.dense_ids_py`); a Fenwick tree counts the ids seen so far, so "earlier strictly more extreme" is a prefix sum: O(n log n) overall. The sort
    uses every value, later ones included, but only to name the values: no result depends on a
    later value.
    """
    n = x.shape[0]
    rank = np.zeros(n, dtype=np.int64)
    of = np.zeros(n, dtype=np.int64)
    ids, m = dense_ids(x, largest)
    tree = np.zeros(m + 1, dtype=np.int64)
    count = 0
    for t in range(n):
        i = ids[t]
        if i == 0:
            continue
        # prefix sum over ids 1..i-1 = earlier values strictly more extreme
        better = 0
        j = i - 1
        while j > 0:
            better += tree[j]
            j -= j & (-j)
        count += 1
        rank[t] = better + 1
        of[t] = count
        j = i
        while j <= m:
            tree[j] += 1
            j += j & (-j)
    return rank, of


_record_rank = jit(record_rank_1d_py)


def _record_rank_rows_py(
    xt: NDArray[np.float64], largest: bool, rank: NDArray[np.int64], of: NDArray[np.int64]
) -> None:
    """Rank and count of every row of a (series x dates) array into ``rank`` and ``of``."""
    m = xt.shape[0]
    for j in prange(m):
        r, c = _record_rank(xt[j], largest)
        rank[j] = r
        of[j] = c


_record_rank_rows = jit(_record_rank_rows_py, parallel=True)


# --------------------------------------------------------------------------------------------
# extreme of the calendar year so far


def year_extreme_1d_py(
    x: NDArray[np.float64], year: NDArray[np.int64], largest: bool
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Running extreme within each calendar year, and whether row t is it.

    Parameters
    ----------
    x : ndarray of float64, 1-D
        The statistic; NaN rows are skipped.
    year : ndarray of int64, 1-D
        Year id of every row. Rows of one year must be contiguous (sorted dates): a new year
        starts wherever ``year[t] != year[t-1]``.
    largest : bool
        True: running maximum (gains). False: running minimum (drops).

    Returns
    -------
    extreme : ndarray of float64
        The max (min) of the valid values of the same year in rows up to t; NaN until the year has
        a valid value.
    is_extreme : ndarray of bool
        ``x[t] == extreme[t]``: row t is the largest (smallest) of its year so far; ties count.
        False for NaN rows.
    """
    n = x.shape[0]
    extreme = np.full(n, np.nan)
    is_extreme = np.zeros(n, dtype=np.bool_)
    have = False
    best = 0.0
    for t in range(n):
        if t > 0 and year[t] != year[t - 1]:
            have = False
        v = x[t]
        if v == v:
            if not have or (v >= best if largest else v <= best):
                best = v
                have = True
                is_extreme[t] = True
        if have:
            extreme[t] = best
    return extreme, is_extreme


_year_extreme = jit(year_extreme_1d_py)


# --------------------------------------------------------------------------------------------
# 2-D entry points


def _as_series_major(x: ArrayLike) -> NDArray[np.float64]:
    """``(dates x series)`` input -> C-contiguous ``(series x dates)`` (a view for Fortran input)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise InputError(f"x must be 2-D (dates x series) (got {a.ndim} dimensions)")
    return np.ascontiguousarray(a.T)


def _as_1d(x: ArrayLike, name: str = "x") -> NDArray[np.float64]:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise InputError(f"{name} must be 1-D (got {a.ndim} dimensions)")
    return a


def record_horizon_1d(x: ArrayLike, largest: bool = True) -> NDArray[np.int64]:
    """Record horizon of every row: the most recent earlier row at least as extreme.

    Parameters
    ----------
    x : array_like, 1-D
        The statistic, e.g. N-day returns; NaN rows are skipped.
    largest : bool, default True
        True for gains (``x[s] >= x[t]``), False for drops (``x[s] <= x[t]``).

    Returns
    -------
    ndarray of int64
        Row index s, or -1 when x[t] is the most extreme so far (or NaN).

    Notes
    -----
    ``s(t) = max{s < t : x[s] >= x[t]}`` (gains); ties count. One O(n) monotonic-stack pass,
    see :func:`record_horizon_1d_py`.

    Examples
    --------
    >>> record_horizon_1d([3.0, 1.0, 2.0, 5.0, 2.0]).tolist()
    [-1, 0, 0, -1, 3]
    """
    return _record_horizon(_as_1d(x), bool(largest))


def record_rank_1d(
    x: ArrayLike, largest: bool = True
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Competition rank of each value among the values so far, and their number: ``(rank, of)``.

    ``rank[t] = 1 + #{s < t : x[s] > x[t]}`` for gains (``<`` for drops); ``of[t]`` = valid values
    in rows ``0..t``. NaN rows get 0 and 0. See :func:`record_rank_1d_py`.

    Parameters
    ----------
    x : array_like, 1-D
        The statistic, e.g. N-day returns, converted to float64; NaN rows are skipped.
    largest : bool, default True
        True for gains (rank 1 = the largest so far), False for drops (rank 1 = the smallest).

    Returns
    -------
    rank : ndarray of int64
        Competition rank ("1224") of ``x[t]`` among the valid values of rows ``0..t``; 0 for
        NaN rows.
    of : ndarray of int64
        Number of valid values in rows ``0..t`` (t included); 0 for NaN rows.

    Notes
    -----
    ``rank[t] = 1 + #{s < t : x[s] > x[t]}`` (gains) or ``1 + #{s < t : x[s] < x[t]}``
    (drops), over valid rows only. Ties count for the value: an earlier equal value does not
    push it down, so rank 1 means "at least equals the record so far". Later rows are never
    counted. In pandas: ``s.expanding().rank(method="min", ascending=not largest)`` (NaN
    there where this gives 0) and ``s.expanding().count()``. One radix sort and a Fenwick
    tree, O(n log n) (:func:`record_rank_1d_py`); empty input gives empty arrays.

    Examples
    --------
    >>> rank, of = record_rank_1d([3.0, 1.0, 3.0, 5.0])
    >>> rank.tolist(), of.tolist()
    ([1, 2, 1, 1], [1, 2, 3, 4])
    """
    return _record_rank(_as_1d(x), bool(largest))


def year_extreme_1d(
    x: ArrayLike, year: ArrayLike, largest: bool = True
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Running extreme of the calendar year and whether row t is it: ``(extreme, is_extreme)``.

    ``year`` holds one id per row (e.g. the calendar year), contiguous per year. See
    :func:`year_extreme_1d_py`.

    Parameters
    ----------
    x : array_like, 1-D
        The statistic, converted to float64; NaN rows are skipped.
    year : array_like of int, 1-D
        One year id per row of ``x`` (else InputError), converted to int64. Rows of one year
        must be contiguous (sorted dates): a new year starts wherever ``year[t] != year[t-1]``.
    largest : bool, default True
        True: running maximum (gains). False: running minimum (drops).

    Returns
    -------
    extreme : ndarray of float64
        The max (min) of the valid values of the same year in rows up to t; on a NaN row the
        extreme so far; NaN until the year has a valid value.
    is_extreme : ndarray of bool
        ``x[t] == extreme[t]``: row t is the largest (smallest) of its year so far; ties
        count. False for NaN rows.

    Notes
    -----
    With ``Y(t)`` the rows ``s <= t`` of the same run of equal ``year`` ids:
    ``extreme[t] = max{x[s] : s in Y(t), x[s] valid}`` (``min`` for drops). In pandas:
    ``s.groupby(year).transform(lambda v: v.expanding().max())`` and ``s == extreme`` (for
    contiguous years). One O(n) pass; later rows are never read. A year id that comes back
    after another starts afresh.
    """
    a = _as_1d(x)
    y = np.asarray(year, dtype=np.int64)
    if y.shape != a.shape:
        raise InputError(f"year must have one id per row of x ({a.shape[0]}), got shape {y.shape}")
    return _year_extreme(a, y, bool(largest))


def _out_t(out: NDArray[np.int64] | None, shape: tuple[int, int], name: str) -> NDArray[np.int64]:
    """``out.T`` as a C-contiguous (series x dates) int64 view, or a new one."""
    if out is None:
        return np.empty((shape[1], shape[0]), dtype=np.int64)
    if (
        not isinstance(out, np.ndarray)
        or out.dtype != np.int64
        or out.shape != shape
        or not out.flags.f_contiguous
    ):
        raise InputError(
            f"{name} must be a Fortran-ordered int64 array of shape {shape} "
            "(np.empty(shape, dtype=np.int64, order='F'))"
        )
    return out.T


def record_horizon_2d(
    x: ArrayLike, largest: bool = True, out: NDArray[np.int64] | None = None
) -> NDArray[np.int64]:
    """:func:`record_horizon_1d` for every column of a ``(dates x series)`` array.

    Parameters
    ----------
    x : array_like, 2-D (dates x series)
        Fortran-ordered input (what ``DataFrame.to_numpy()`` gives for a float frame) is used
        without a copy; other layouts are copied once.
    largest : bool, default True
        Gains (True) or drops (False).
    out : ndarray of int64, optional
        Fortran-ordered ``(dates x series)`` array to write into; reusing one across calls saves
        the cost of fresh memory (page faults), which is a large part of the run time.

    Returns
    -------
    ndarray of int64, (dates x series), Fortran order
        ``out`` when given.

    Notes
    -----
    Columns run in parallel under numba, four at a time through a branch-light lockstep variant
    of the same monotonic-stack algorithm (:func:`_record_horizon_4_py`).
    """
    xt = _as_series_major(x)
    out_t = _out_t(out, (xt.shape[1], xt.shape[0]), "out")
    _record_horizon_rows(xt, bool(largest), out_t)
    return out_t.T


def record_rank_2d(
    x: ArrayLike,
    largest: bool = True,
    out: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """:func:`record_rank_1d` for every column of a ``(dates x series)`` array: ``(rank, of)``.

    ``out``, if given, is a pair of Fortran-ordered int64 ``(dates x series)`` arrays to write
    into (see :func:`record_horizon_2d`). Columns run in parallel under numba.

    Parameters
    ----------
    x : array_like, 2-D (dates x series)
        Converted to float64 (else InputError when not 2-D); Fortran-ordered input (what
        ``DataFrame.to_numpy()`` gives for a float frame) is used without a copy, other
        layouts are copied once. NaN rows are skipped.
    largest : bool, default True
        Gains (True) or drops (False).
    out : (ndarray of int64, ndarray of int64), optional
        Fortran-ordered ``(dates x series)`` arrays to write ``rank`` and ``of`` into
        (InputError for any other dtype, shape or order).

    Returns
    -------
    rank : ndarray of int64, (dates x series), Fortran order
    of : ndarray of int64, (dates x series), Fortran order
        ``out`` when given. Column j equals ``record_rank_1d(x[:, j], largest)`` exactly (same
        kernel); 0 and 0 for NaN rows.

    Notes
    -----
    Per column: ``rank[t, j] = 1 + #{s < t : x[s, j] > x[t, j]}`` (``<`` for drops) and
    ``of[t, j] = #{s <= t : x[s, j] valid}``, as :func:`record_rank_1d`; ties count for the
    value. Only rows up to t of the same column are counted.
    """
    xt = _as_series_major(x)
    shape = (xt.shape[1], xt.shape[0])
    rank_t = _out_t(None if out is None else out[0], shape, "out[0]")
    of_t = _out_t(None if out is None else out[1], shape, "out[1]")
    _record_rank_rows(xt, bool(largest), rank_t, of_t)
    return rank_t.T, of_t.T
