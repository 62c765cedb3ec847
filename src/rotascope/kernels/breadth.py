"""Breadth scan kernel: one pass over a block of price columns gives every per-date breadth count.

Contract: numpy arrays in and out, no pandas. :func:`breadth_scan_2d` takes a ``(dates x series)``
block of closes (float32 accepted, kept as float32: no float64 copy of the block) and returns
int32 counts per date that add up over blocks (so blocks, threads and Dask workers can each scan
a part of the securities and the counts are summed), plus per-series values on the last row
(for leaders and laggards) and per-series counts of excluded rows. Columns run in parallel under
numba (``prange`` over chunks of columns; each chunk writes its own count array, summed at the
end, so there is no race). Memory beyond the input: the counts (``chunks x K x dates`` int32)
and per-chunk scratch of ``O(dates)``; independent of the number of series.

Speed: every measure is a branch-free pass over a series' packed closes: running sums for the
means, and for highs, lows and record moves the sliding max/min of the previous rows by the van
Herk / Gil-Werman block method (three comparisons per row, no data-dependent branch), instead of
a monotonic stack whose pop loop mispredicts on noisy data. Record horizons of the last row (for
leaders) come from one backward scan per series.

The plain-Python original :func:`breadth_scan_py` is compiled with numba (see
:mod:`rotascope.kernels._jit`); a naive reference, written without stacks or running sums, is
:func:`rotascope.kernels.reference.breadth_counts_naive`.

Definitions (each series on its own rows: a row is *valid* when its close is finite and > 0;
zero, negative, infinite and NaN closes are *excluded rows*, never observations; ``k`` counts the
valid rows of a series up to and including date t):

- ``with_close[t]``: series with a valid close on t.
- ``above_ma[N][t]``: series with a valid close on t and ``k >= N`` whose close is above the
  simple mean of their last N valid closes (today included):
  ``N * P[t] > sum(P[k-N+1..k])`` (the sum taken left to right where it is a near tie, see
  :func:`_ma_py`); ``ma_eligible[N][t]`` counts those with ``k >= N``.
- ``new_high[t]`` (``new_low``): series with ``k >= H`` (H = 252) whose close is the highest
  (lowest) of their last H valid closes, today included, ties counting as highest (lowest).
  ``hl_eligible[t]``: series with ``k >= H``.
- ``advancers``, ``decliners``, ``unchanged``: valid close on t above, below, equal to the
  series' previous valid close.
- ``record_gain[W][t]`` (``record_drop``): series with ``k >= R`` (R = 504) whose W-row return
  ``r = P[k] / P[k-W] - 1`` has a record horizon of at least ``M`` rows (M = 252): the most
  recent earlier row j of the same series with ``r[j] >= r`` (gains; ``<=`` for drops) is at
  least M rows back (``k - j >= M``), or there is none. ``record_eligible[t]``: series with
  ``k >= R``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rotascope.errors import InputError
from rotascope.kernels._jit import HAVE_NUMBA, jit, prange

__all__ = [
    "BreadthScan",
    "CountLayout",
    "breadth_scan_2d",
    "breadth_scan_py",
    "count_layout",
]


@dataclass(frozen=True)
class CountLayout:
    """Column positions of the per-date count array for given windows.

    Attributes hold the column index of each count (``ma`` and ``ma_eligible`` one per MA
    window, ``record_gain`` and ``record_drop`` one per return window).
    """

    ma_windows: tuple[int, ...]
    ret_windows: tuple[int, ...]
    with_close: int
    ma: tuple[int, ...]
    ma_eligible: tuple[int, ...]
    new_high: int
    new_low: int
    hl_eligible: int
    advancers: int
    decliners: int
    unchanged: int
    record_gain: tuple[int, ...]
    record_drop: tuple[int, ...]
    record_eligible: int
    width: int


def count_layout(ma_windows: tuple[int, ...], ret_windows: tuple[int, ...]) -> CountLayout:
    """The :class:`CountLayout` the kernel writes for these windows (same order as the kernel)."""
    nm, nw = len(ma_windows), len(ret_windows)
    base = 1 + 2 * nm
    rec = base + 6
    return CountLayout(
        ma_windows=tuple(ma_windows), ret_windows=tuple(ret_windows), with_close=0,
        ma=tuple(range(1, 1 + nm)), ma_eligible=tuple(range(1 + nm, 1 + 2 * nm)),
        new_high=base, new_low=base + 1, hl_eligible=base + 2,
        advancers=base + 3, decliners=base + 4, unchanged=base + 5,
        record_gain=tuple(range(rec, rec + nw)), record_drop=tuple(range(rec + nw, rec + 2 * nw)),
        record_eligible=rec + 2 * nw, width=rec + 2 * nw + 1,
    )  # fmt: skip


@dataclass(frozen=True)
class BreadthScan:
    """What one scan of a block gives.

    Attributes
    ----------
    counts : ndarray of int32, (dates x K)
        Per-date counts, columns as in ``layout``; add up over blocks of series.
    last_return : ndarray of float64, (series x windows)
        W-row return on the last row (NaN without a valid close there or fewer than W + 1 rows).
    last_gain_since, last_drop_since : ndarray of int32, (series x windows)
        Row (of the block's dates) of the most recent earlier return at least as large (gains)
        or at least as small (drops) as the last one; -1 when there is none (a record), -2 when
        the last return is NaN.
    last_rows : ndarray of int32, (series,)
        Valid rows of each series up to the last date (``k``).
    bad_count, bad_first, bad_last : ndarray of int32, (series,)
        Excluded rows with a zero, negative or infinite close: how many, first and last row
        (-1 when none).
    hole_count : ndarray of int32, (series,)
        NaN rows between a series' first and last valid close (gaps in its history).
    layout : CountLayout
    """

    counts: NDArray[np.int32]
    last_return: NDArray[np.float64]
    last_gain_since: NDArray[np.int32]
    last_drop_since: NDArray[np.int32]
    last_rows: NDArray[np.int32]
    bad_count: NDArray[np.int32]
    bad_first: NDArray[np.int32]
    bad_last: NDArray[np.int32]
    hole_count: NDArray[np.int32]
    layout: CountLayout


def _ma_py(
    vals: NDArray[np.float64], vrow: NDArray[np.int32], k: int, w: int,
    counts: NDArray[np.int32], col: int, col_eligible: int,
) -> None:
    """Count closes above the mean of their last ``w`` closes (``w * P > sum``).

    The sum is a running sum; when ``w * P`` is within a relative 1e-9 of it (a tie or near
    tie, where the running sum's rounding could decide), the window is summed again from left
    to right, so the comparison is the one :func:`~rotascope.kernels.breadth_reference.
    breadth_counts_naive` makes.
    """
    acc = 0.0
    for q in range(min(w - 1, k)):
        acc += vals[q]
    for q in range(w - 1, k):
        acc += vals[q]
        t = vrow[q]
        counts[col_eligible, t] += 1
        lhs = vals[q] * w
        if abs(lhs - acc) <= 1e-9 * abs(acc):
            exact = 0.0
            for i in range(q - w + 1, q + 1):
                exact += vals[i]
            counts[col, t] += np.int32(lhs > exact)
        else:
            counts[col, t] += np.int32(lhs > acc)
        acc -= vals[q - w + 1]


_ma = jit(_ma_py)


def _advance_py(
    vals: NDArray[np.float64], vrow: NDArray[np.int32], k: int, counts: NDArray[np.int32],
    col: int,
) -> None:
    """Count advancers, decliners and unchanged (columns col, col + 1, col + 2)."""
    for q in range(1, k):
        t = vrow[q]
        counts[col, t] += np.int32(vals[q] > vals[q - 1])
        counts[col + 1, t] += np.int32(vals[q] < vals[q - 1])
        counts[col + 2, t] += np.int32(vals[q] == vals[q - 1])


_advance = jit(_advance_py)


def _block_extremes_py(
    a: NDArray[np.float64], m: int, size: int, gmax: NDArray[np.float64],
    hmax: NDArray[np.float64], gmin: NDArray[np.float64], hmin: NDArray[np.float64],
) -> None:
    """Running max/min of ``a[:m]`` within blocks of ``size`` rows, forwards (``g``) and
    backwards (``h``): the max of any window of ``size`` rows ``a[s..s+size-1]`` is then
    ``max(hmax[s], gmax[s+size-1])`` (van Herk / Gil-Werman), with no branch on the data."""
    for start in range(0, m, size):  # block by block: no modulo per row
        stop = min(start + size, m)
        gx = a[start]
        gn = gx
        for i in range(start, stop):
            v = a[i]
            gx = max(gx, v)
            gn = min(gn, v)
            gmax[i] = gx
            gmin[i] = gn
        hx = a[stop - 1]
        hn = hx
        for i in range(stop - 1, start - 1, -1):
            v = a[i]
            hx = max(hx, v)
            hn = min(hn, v)
            hmax[i] = hx
            hmin[i] = hn


_block_extremes = jit(_block_extremes_py)


def _highs_lows_py(
    vals: NDArray[np.float64], vrow: NDArray[np.int32], k: int, h: int,
    work: NDArray[np.float64], counts: NDArray[np.int32], col: int,
) -> None:
    """Count new highs (column ``col``) and lows (``col + 1``): the close is at least the max
    (at most the min) of the previous ``h - 1`` closes; ties count as highest (lowest)."""
    size = h - 1
    if size == 0:
        for q in range(k):
            counts[col, vrow[q]] += 1
            counts[col + 1, vrow[q]] += 1
        return
    gmax, hmax, gmin, hmin = work[1], work[2], work[3], work[4]
    _block_extremes(vals, k, size, gmax, hmax, gmin, hmin)
    for q in range(h - 1, k):
        s = q - size
        v = vals[q]
        t = vrow[q]
        counts[col, t] += np.int32(v >= max(hmax[s], gmax[q - 1]))
        counts[col + 1, t] += np.int32(v <= min(hmin[s], gmin[q - 1]))


_highs_lows = jit(_highs_lows_py)


def _record_moves_py(
    vals: NDArray[np.float64], vrow: NDArray[np.int32], k: int, w: int, rows: int, horizon: int,
    work: NDArray[np.float64], counts: NDArray[np.int32], col_gain: int, col_drop: int,
) -> tuple[float, int, int]:
    """Count record ``w``-row gains and drops with a record horizon of at least ``horizon`` rows
    among series with at least ``rows`` rows.

    A gain at valid row q is a record move when no return of the previous ``horizon - 1`` rows
    is at least as large: ``r[q] > max(r[q-horizon+1..q-1])`` (``<`` the min for drops); rows
    before the first return do not exist. Returns the last return and the valid-row numbers of
    its record horizons (gains, drops; -1 when none earlier), found by a backward scan.
    """
    m = k - w  # returns r[i] = P[i + w] / P[i] - 1, i = 0..m-1, at valid row q = i + w
    if m <= 0:
        return np.nan, -1, -1
    r = work[0]
    for i in range(m):
        r[i] = vals[i + w] / vals[i] - 1.0
    size = horizon - 1
    first = max(rows - 1 - w, 0)
    if size == 0:
        for i in range(first, m):
            counts[col_gain, vrow[i + w]] += 1
            counts[col_drop, vrow[i + w]] += 1
    else:
        gmax, hmax, gmin, hmin = work[1], work[2], work[3], work[4]
        _block_extremes(r, m, size, gmax, hmax, gmin, hmin)
        for i in range(first, m):
            t = vrow[i + w]
            v = r[i]
            if i == 0:
                counts[col_gain, t] += 1
                counts[col_drop, t] += 1
                continue
            s = i - size
            if s < 0:  # fewer earlier returns than the window: all of them (first block)
                mx = gmax[i - 1]
                mn = gmin[i - 1]
            else:
                mx = max(hmax[s], gmax[i - 1])
                mn = min(hmin[s], gmin[i - 1])
            counts[col_gain, t] += np.int32(v > mx)
            counts[col_drop, t] += np.int32(v < mn)
    last = r[m - 1]
    jg = -1
    jd = -1
    for i in range(m - 2, -1, -1):
        if jg < 0 and r[i] >= last:
            jg = i + w
        if jd < 0 and r[i] <= last:
            jd = i + w
        if jg >= 0 and jd >= 0:
            break
    return last, jg, jd


_record_moves = jit(_record_moves_py)


def _column_py(
    x: NDArray[np.float32],
    ma_windows: NDArray[np.int64],
    ret_windows: NDArray[np.int64],
    hl_window: int,
    record_rows: int,
    record_min: int,
    counts: NDArray[np.int32],
    last_return: NDArray[np.float64],
    last_gain: NDArray[np.int32],
    last_drop: NDArray[np.int32],
    info: NDArray[np.int32],
    vals: NDArray[np.float64],
    vrow: NDArray[np.int32],
    work: NDArray[np.float64],
) -> None:
    """Scan one series ``x`` (dates,) and add its counts into ``counts`` (K x dates).

    First the valid closes are packed into ``vals`` (their rows in ``vrow``), counting excluded
    rows; then each measure is one simple loop over the packed closes (no modulo, comparisons
    added as integers, so the loops are nearly branch-free). ``work`` (5, dates) is scratch for
    the returns and the sliding extremes. ``info`` receives (rows, bad_count, bad_first, bad_last, hole_count).
    """
    n = x.shape[0]
    nm = ma_windows.shape[0]
    nw = ret_windows.shape[0]
    base = 1 + 2 * nm
    rec = base + 6
    k = 0
    bad = 0
    bad_first = -1
    bad_last = -1
    holes = 0
    pending = 0
    for t in range(n):
        v = np.float64(x[t])
        if v > 0.0 and v < np.inf:
            vals[k] = v
            vrow[k] = t
            k += 1
            holes += pending
            pending = 0
        elif v == v:  # a number, but not a usable close (zero, negative, infinite)
            bad += 1
            if bad_first < 0:
                bad_first = t
            bad_last = t
        elif k > 0:
            pending += 1
    info[0] = k
    info[1] = bad
    info[2] = bad_first
    info[3] = bad_last
    info[4] = holes
    if k == 0:
        return
    for q in range(k):
        counts[0, vrow[q]] += 1
    for i in range(nm):
        _ma(vals, vrow, k, ma_windows[i], counts, 1 + i, 1 + nm + i)
    _advance(vals, vrow, k, counts, base + 3)
    for q in range(hl_window - 1, k):
        counts[base + 2, vrow[q]] += 1
    for q in range(record_rows - 1, k):
        counts[rec + 2 * nw, vrow[q]] += 1
    _highs_lows(vals, vrow, k, hl_window, work, counts, base)
    last = n - 1
    for i in range(nw):
        w = ret_windows[i]
        r, jg, jd = _record_moves(vals, vrow, k, w, record_rows, record_min, work, counts,
                                  rec + i, rec + nw + i)
        if k > w and vrow[k - 1] == last:
            last_return[i] = r
            last_gain[i] = -1 if jg < 0 else vrow[jg]
            last_drop[i] = -1 if jd < 0 else vrow[jd]


_column = jit(_column_py)


def breadth_scan_py(
    xt: NDArray[np.float32],
    ma_windows: NDArray[np.int64],
    ret_windows: NDArray[np.int64],
    hl_window: int,
    record_rows: int,
    record_min: int,
    counts: NDArray[np.int32],
    last_return: NDArray[np.float64],
    last_gain: NDArray[np.int32],
    last_drop: NDArray[np.int32],
    info: NDArray[np.int32],
) -> None:
    """Scan every series (rows of ``xt``, a (series x dates) array) into the outputs.

    ``counts`` is (chunks x K x dates): chunk c scans series c, c + chunks, ... into
    ``counts[c]`` (sum over chunks afterwards). ``last_return``/``last_gain``/``last_drop`` are
    (series x windows), ``info`` (series x 5), all prefilled with "no answer".
    """
    m, n = xt.shape
    chunks = counts.shape[0]
    for c in prange(chunks):
        vals = np.empty(n, dtype=np.float64)
        vrow = np.empty(n, dtype=np.int32)
        work = np.empty((5, n + 1), dtype=np.float64)
        for j in range(c, m, chunks):
            _column(xt[j], ma_windows, ret_windows, hl_window, record_rows, record_min,
                    counts[c], last_return[j], last_gain[j], last_drop[j], info[j], vals, vrow,
                    work)


_breadth_scan = jit(breadth_scan_py, parallel=True)


def _threads() -> int:
    if HAVE_NUMBA:
        import numba

        return int(numba.get_num_threads())
    return 1


def breadth_scan_2d(
    x: ArrayLike,
    ma_windows: tuple[int, ...] = (20, 50, 200),
    ret_windows: tuple[int, ...] = (1, 5, 21),
    hl_window: int = 252,
    record_rows: int = 504,
    record_min: int = 252,
) -> BreadthScan:
    """Per-date breadth counts of a ``(dates x series)`` block of closes, in one pass.

    Parameters
    ----------
    x : array_like, 2-D (dates x series)
        Closes; float32 is scanned as is (Fortran order, i.e. one contiguous column per series,
        avoids a copy). Zero, negative, infinite and NaN closes are excluded rows.
    ma_windows : tuple of int
        N of ``above_ma[N]``.
    ret_windows : tuple of int
        W of the W-row returns.
    hl_window : int
        H of the new highs and lows (252).
    record_rows : int
        R: valid rows a series needs for ``record_moves`` (504).
    record_min : int
        M: record horizon, in rows, that counts as a record move (252).

    Returns
    -------
    BreadthScan
        Counts per date (int32) and per-series values on the last row.

    Notes
    -----
    See the module docstring for the exact definitions. One O(dates) pass per series: running
    sums for the means, block-wise sliding extremes for the highs, lows and record moves.
    """
    a = np.asarray(x)
    if a.ndim != 2:
        raise InputError(f"x must be 2-D (dates x series) (got {a.ndim} dimensions)")
    if a.dtype != np.float32:
        a = a.astype(np.float64, copy=False)
    xt = np.ascontiguousarray(a.T)
    m, n = xt.shape
    for name, ws in (("ma_windows", ma_windows), ("ret_windows", ret_windows)):
        if not ws or any(int(w) < 1 for w in ws):
            raise InputError(f"{name} must be positive integers (got {ws})")
    for name, val in (("hl_window", hl_window), ("record_rows", record_rows),
                      ("record_min", record_min)):  # fmt: skip
        if int(val) < 1:
            raise InputError(f"{name} must be a positive integer (got {val})")
    layout = count_layout(tuple(int(w) for w in ma_windows), tuple(int(w) for w in ret_windows))
    nw = len(ret_windows)
    chunks = max(1, min(m, 4 * _threads()))
    # (K x dates) per chunk: each measure's counts contiguous, written in date order
    counts = np.zeros((chunks, layout.width, n), dtype=np.int32)
    last_return = np.full((m, nw), np.nan)
    last_gain = np.full((m, nw), -2, dtype=np.int32)
    last_drop = np.full((m, nw), -2, dtype=np.int32)
    info = np.zeros((m, 5), dtype=np.int32)
    if m and n:
        _breadth_scan(xt, np.asarray(ma_windows, dtype=np.int64),
                      np.asarray(ret_windows, dtype=np.int64), int(hl_window), int(record_rows),
                      int(record_min), counts, last_return, last_gain, last_drop, info)
    total = np.ascontiguousarray(counts.sum(axis=0, dtype=np.int32).T)
    return BreadthScan(
        counts=total, last_return=last_return, last_gain_since=last_gain,
        last_drop_since=last_drop, last_rows=info[:, 0].copy(), bad_count=info[:, 1].copy(),
        bad_first=info[:, 2].copy(), bad_last=info[:, 3].copy(), hole_count=info[:, 4].copy(),
        layout=layout,
    )  # fmt: skip
