"""Breadth scan kernel: one pass over a block of price columns gives every per-date breadth count.

Contract: numpy arrays in and out, no pandas. :func:`breadth_scan_2d` takes a ``(dates x series)``
block of closes (float32 accepted, kept as float32: no float64 copy of the block) and returns
int32 counts per date that add up over blocks (so blocks, threads and Dask workers can each scan
a part of the securities and the counts are summed), plus per-series values on the last row
(for leaders and laggards) and per-series counts of excluded rows. Columns run in parallel under
numba (``prange`` over chunks of columns; each chunk writes its own count arrays, summed at the
end, so there is no race). Memory beyond the input: the counts and a difference array per chunk
(``2 x chunks x K x dates`` int32), a packed scratch of ``K x dates`` int32 and ``O(dates)``
float64 scratch per chunk; independent of the number of series.

Speed (about 2.3x the previous version of this kernel, same counts):

- a series whose valid rows are contiguous (no hole or bad row inside its history: the usual
  case) is packed with one copy, and its counts are added at ``date = first + q`` directly;
  counts that hold on a whole range of rows (a close, the eligibilities, "has a previous
  close") are two entries of a difference array instead of one per row; others go through a
  packed scratch added at their dates once;
- means: three running sums in one loop (one addition on each loop-carried chain), then a
  vectorised comparison loop per window; near ties are decided on the window summed left to
  right, so the counts are exactly the naive reference's;
- highs, lows and record moves: the sliding max/min of the previous rows by the van Herk /
  Gil-Werman block method, fused block by block (the backward pass of one block, then the
  forward running max of the next with the counts), so the scratch stays in the L1 cache;
  new highs, lows and records are rare, so they are counted with branches rather than a
  store per row; decliners are those with a previous close less advancers and unchanged;
- loops walk slices from 0 so that numba can vectorise them (an index it cannot prove
  non-negative gets a wrap-around check that stops the vectoriser).

Record horizons of the last row (for leaders) come from one backward scan per series.

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
from rotascope.kernels._jit import jit, num_threads, prange

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


def _range_py(
    tgt: NDArray[np.int32], diff: NDArray[np.int32], contiguous: bool, row: int, base: int,
    lo: int, hi: int,
) -> None:
    """Add 1 to count ``row`` at packed rows ``lo .. hi-1``: two entries of the difference
    array ``diff`` (summed up over the dates at the end) for a series whose valid rows are
    contiguous (date ``base + q``), else one per row into the packed scratch ``tgt``."""
    if lo >= hi:
        return
    if contiguous:
        diff[row, base + lo] += 1
        diff[row, base + hi] -= 1
    else:
        for q in range(lo, hi):
            tgt[row, q] += 1


_range = jit(_range_py)


#: The running sums of the means are summed again from scratch every this many rows, so that
#: their rounding error stays far below the 1e-9 near-tie band of :func:`_ma_py`.
_MA_RESUM = 1024


def _ma_sums_py(
    vals: NDArray[np.float64], k: int, w0: int, w1: int, w2: int, s0: NDArray[np.float64],
    s1: NDArray[np.float64], s2: NDArray[np.float64],
) -> None:
    """Running sums of the last ``w0``, ``w1``, ``w2`` closes at every packed row (``sj[q]``
    for ``q >= wj - 1``): ``sum += P[q] - P[q - w]``, one addition on each loop-carried chain,
    the three chains in one loop so that their additions overlap; each is summed again from
    left to right every ``_MA_RESUM`` rows, so that its error stays below about
    ``2 * _MA_RESUM * eps`` times the largest sum of those rows."""
    for j in range(3):
        w = w0 if j == 0 else (w1 if j == 1 else w2)
        out = s0 if j == 0 else (s1 if j == 1 else s2)
        first = max(w0, w1, w2) - 1
        for start in range(w - 1, min(first, k), _MA_RESUM):  # rows before all three start
            acc = 0.0
            for i in range(start - w + 1, start + 1):
                acc += vals[i]
            out[start] = acc
            for q in range(start + 1, min(start + _MA_RESUM, first, k)):
                acc = acc + (vals[q] - vals[q - w])
                out[q] = acc
    first = max(w0, w1, w2) - 1
    for start in range(first, k, _MA_RESUM):
        a0 = 0.0
        for i in range(start - w0 + 1, start + 1):
            a0 += vals[i]
        a1 = 0.0
        for i in range(start - w1 + 1, start + 1):
            a1 += vals[i]
        a2 = 0.0
        for i in range(start - w2 + 1, start + 1):
            a2 += vals[i]
        s0[start] = a0
        s1[start] = a1
        s2[start] = a2
        lo = start + 1
        hi = min(start + _MA_RESUM, k)
        # slices walked from 0 (numba then knows no index is negative): row lo + i
        now = vals[lo:hi]
        l0 = vals[lo - w0 : hi - w0]
        l1 = vals[lo - w1 : hi - w1]
        l2 = vals[lo - w2 : hi - w2]
        o0 = s0[lo:hi]
        o1 = s1[lo:hi]
        o2 = s2[lo:hi]
        for i in range(now.shape[0]):
            v = now[i]
            a0 = a0 + (v - l0[i])
            a1 = a1 + (v - l1[i])
            a2 = a2 + (v - l2[i])
            o0[i] = a0
            o1[i] = a1
            o2[i] = a2


_ma_sums = jit(_ma_sums_py)


def _ma_count_py(
    vals: NDArray[np.float64], k: int, w: int, sums: NDArray[np.float64],
    tgt: NDArray[np.int32], base: int, col: int,
) -> None:
    """Count closes above the mean of their last ``w`` closes, ``w * P > sum``, into
    ``tgt[col, base + q]`` for the packed rows ``q >= w - 1``, from the running sums ``sums``
    (:func:`_ma_sums_py`): one branch-free loop (vectorised) that also counts near ties, where
    ``w * P`` is within a relative 1e-9 of the running sum and its rounding could decide. Only
    when there are any, a second loop decides those rows on the window summed from left to
    right, so the comparison is always the one
    :func:`~rotascope.kernels.breadth_reference.breadth_counts_naive` makes."""
    if k < w:
        return
    # slices walked from 0: numba then knows the indices are not negative and vectorises
    row = tgt[col, base + w - 1 : base + k]
    p = vals[w - 1 : k]
    a = sums[w - 1 : k]
    near = 0
    for q in range(row.shape[0]):
        lhs = p[q] * w
        row[q] += np.int32(lhs > a[q])
        near += int(abs(lhs - a[q]) <= 1e-9 * abs(a[q]))
    if near == 0:
        return
    for q in range(row.shape[0]):
        lhs = p[q] * w
        acc = a[q]
        if abs(lhs - acc) <= 1e-9 * abs(acc):
            exact = 0.0
            for i in range(q, q + w):  # packed rows q + w - 1 - (w - 1) .. q + w - 1
                exact += vals[i]
            row[q] += np.int32(lhs > exact) - np.int32(lhs > acc)


_ma_count = jit(_ma_count_py)


def _advance_py(
    vals: NDArray[np.float64], k: int, tgt: NDArray[np.int32], base: int, col: int,
) -> None:
    """Count advancers (column ``col``) and unchanged (``col + 2``); decliners (``col + 1``)
    are the rest of the series with a previous close, counted as a range by the caller and
    found by subtraction at the end (:func:`breadth_scan_2d`)."""
    if k < 2:
        return
    adv = tgt[col, base + 1 : base + k]  # slices from 0: vectorised (see _ma_count_py)
    now = vals[1:k]
    before = vals[: k - 1]
    for q in range(adv.shape[0]):
        adv[q] += np.int32(now[q] > before[q])
    same = tgt[col + 2]
    for q in range(1, k):
        if vals[q] == vals[q - 1]:  # rare: a branch costs less than a store per row
            same[base + q] += 1


_advance = jit(_advance_py)


def _returns_py(vals: NDArray[np.float64], m: int, w: int, r: NDArray[np.float64]) -> None:
    """``r[i] = vals[i + w] / vals[i] - 1`` for ``i < m`` (closes are > 0: no zero division,
    so numba's numpy error model, which vectorises the loop, gives the same values)."""
    for i in range(m):
        r[i] = vals[i + w] / vals[i] - 1.0


_returns = jit(_returns_py, error_model="numpy")


def _block_counts_py(
    cur: NDArray[np.float64], length: int, first_block: bool, skip: int, prev_max: NDArray[np.float64],
    prev_min: NDArray[np.float64], up: NDArray[np.int32], down: NDArray[np.int32], at: int,
    ties: bool,
) -> None:
    """Counts of one block of ``length`` values ``cur`` (the block size is the window: the
    previous block and this one hold every window that ends in this block).

    Row ``i`` of the block (from ``skip``) counts in ``up[at + i]`` when its value is above the
    max of the values in the window before it (at least the max when ``ties``), and in
    ``down[at + i]`` when below the min: the window is the suffix of the previous block from
    offset ``i``, whose max ``prev_max[i]`` (min ``prev_min[i]``) the backward pass of
    :func:`_block_suffix_py` left, and this block's rows before ``i``, a running max (min)
    carried along (van Herk / Gil-Werman, fused). In the first block (``first_block``), the
    rows before ``i`` are all there is; its row 0 has nothing before it and counts in both.
    Records, new highs and new lows are rare, so the counts are branches, not stores."""
    gx = -np.inf
    gn = np.inf
    for i in range(length):
        v = cur[i]
        if i >= skip:
            if first_block:
                mx = gx
                mn = gn
            else:
                mx = max(prev_max[i], gx)
                mn = min(prev_min[i], gn)
            if ties:
                if v >= mx:
                    up[at + i] += 1
                if v <= mn:
                    down[at + i] += 1
            else:
                if v > mx:
                    up[at + i] += 1
                if v < mn:
                    down[at + i] += 1
        gx = max(gx, v)
        gn = min(gn, v)


_block_counts = jit(_block_counts_py)


def _block_suffix_py(
    cur: NDArray[np.float64], length: int, suf_max: NDArray[np.float64],
    suf_min: NDArray[np.float64],
) -> None:
    """Max and min of ``cur[i:length]`` for every ``i`` (the backward pass of a block)."""
    hx = cur[length - 1]
    hn = hx
    for i in range(length - 1, -1, -1):
        v = cur[i]
        hx = max(hx, v)
        hn = min(hn, v)
        suf_max[i] = hx
        suf_min[i] = hn


_block_suffix = jit(_block_suffix_py)


def _highs_lows_py(
    vals: NDArray[np.float64], k: int, h: int, work: NDArray[np.float64],
    tgt: NDArray[np.int32], base: int, col: int,
) -> None:
    """Count new highs (column ``col``) and lows (``col + 1``): the close is at least the max
    (at most the min) of the previous ``h - 1`` closes; ties count as highest (lowest).

    Block by block of ``h - 1`` closes (:func:`_block_counts_py`, :func:`_block_suffix_py`):
    the scratch is two blocks of ``work``, so it stays in the L1 cache."""
    size = h - 1
    hi_row = tgt[col]
    lo_row = tgt[col + 1]
    if size == 0:
        for q in range(k):
            hi_row[base + q] += 1
            lo_row[base + q] += 1
        return
    suf_max, suf_min = work[1], work[2]
    for start in range(0, k, size):
        length = min(size, k - start)
        cur = vals[start : start + length]
        if start > 0:  # rows before h - 1 (the first block) are not eligible
            _block_counts(cur, length, False, 0, suf_max, suf_min, hi_row, lo_row,
                          base + start, True)
        if start + length < k:
            _block_suffix(cur, length, suf_max, suf_min)


_highs_lows = jit(_highs_lows_py)


def _record_moves_py(
    vals: NDArray[np.float64], k: int, w: int, rows: int, horizon: int,
    work: NDArray[np.float64], tgt: NDArray[np.int32], base: int, col_gain: int, col_drop: int,
) -> tuple[float, int, int]:
    """Count record ``w``-row gains and drops with a record horizon of at least ``horizon`` rows
    among series with at least ``rows`` rows.

    A gain at valid row q is a record move when no return of the previous ``horizon - 1`` rows
    is at least as large: ``r[q] > max(r[q-horizon+1..q-1])`` (``<`` the min for drops); rows
    before the first return do not exist. Block by block of ``horizon - 1`` returns
    (:func:`_block_counts_py`, :func:`_block_suffix_py`), each block's returns computed into
    ``work[0]``, so the scratch stays in the L1 cache. Returns the last return and the
    valid-row numbers of its record horizons (gains, drops; -1 when none earlier), found by a
    backward scan (the returns recomputed: the same division gives the same values).
    """
    m = k - w  # returns r[i] = P[i + w] / P[i] - 1, i = 0..m-1, at valid row q = i + w
    if m <= 0:
        return np.nan, -1, -1
    size = horizon - 1
    first = max(rows - 1 - w, 0)
    gain_row = tgt[col_gain]
    drop_row = tgt[col_drop]
    bw = base + w
    if size == 0:
        for i in range(first, m):
            gain_row[bw + i] += 1
            drop_row[bw + i] += 1
    else:
        cur, suf_max, suf_min = work[0], work[1], work[2]
        for start in range(0, m, size):
            length = min(size, m - start)
            _returns(vals[start:], length, w, cur)
            if start + length > first:
                _block_counts(cur, length, start == 0, max(first - start, 0), suf_max,
                              suf_min, gain_row, drop_row, bw + start, False)
            if start + length < m:
                _block_suffix(cur, length, suf_max, suf_min)
    last = vals[m - 1 + w] / vals[m - 1] - 1.0
    jg = -1
    jd = -1
    for i in range(m - 2, -1, -1):
        r = vals[i + w] / vals[i] - 1.0
        if jg < 0 and r >= last:
            jg = i + w
        if jd < 0 and r <= last:
            jd = i + w
        if jg >= 0 and jd >= 0:
            break
    return last, jg, jd


_record_moves = jit(_record_moves_py)


def _pack_py(
    x: NDArray[np.floating], vals: NDArray[np.float64], vrow: NDArray[np.int32],
) -> tuple[int, int, int, int, int]:
    """Pack the valid closes of ``x`` (finite and > 0) into ``vals`` and their rows into
    ``vrow``; return ``(k, bad_count, bad_first, bad_last, hole_count)``: valid rows, rows
    with a zero, negative or infinite close (how many, first, last; -1 when none), NaN rows
    between the first and the last valid close.

    Usual case first, in branch-free (vectorised) loops: no bad row, and every row between the
    first and the last valid close valid; then the closes are one contiguous copy. Otherwise
    one loop with branches over the rows."""
    n = x.shape[0]
    bad = 0
    for t in range(n):
        v = np.float64(x[t])
        bad += int(v == v) - int((v > 0.0) & (v < np.inf))  # a number, not valid
    if bad == 0:
        t0 = 0
        while t0 < n and not x[t0] == x[t0]:  # no bad row: NaN or valid
            t0 += 1
        if t0 == n:
            return 0, 0, -1, -1, 0
        t1 = n - 1
        while not x[t1] == x[t1]:
            t1 -= 1
        span = x[t0 : t1 + 1]
        nan = 0
        for t in range(span.shape[0]):
            nan += int(not span[t] == span[t])
        if nan == 0:
            out = vals[: span.shape[0]]
            rows = vrow[: span.shape[0]]
            for q in range(span.shape[0]):
                out[q] = np.float64(span[q])
                rows[q] = t0 + q
            return span.shape[0], 0, -1, -1, 0
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
    return k, bad, bad_first, bad_last, holes


_pack = jit(_pack_py)


def _column_py(
    x: NDArray[np.float32],
    ma_windows: NDArray[np.int64],
    ret_windows: NDArray[np.int64],
    hl_window: int,
    record_rows: int,
    record_min: int,
    counts: NDArray[np.int32],
    diff: NDArray[np.int32],
    packed: NDArray[np.int32],
    last_return: NDArray[np.float64],
    last_gain: NDArray[np.int32],
    last_drop: NDArray[np.int32],
    info: NDArray[np.int32],
    vals: NDArray[np.float64],
    vrow: NDArray[np.int32],
    work: NDArray[np.float64],
) -> None:
    """Scan one series ``x`` (dates,) and add its counts into ``counts`` and ``diff``.

    First the valid closes are packed into ``vals`` (their rows in ``vrow``), counting excluded
    rows; then each measure is one simple loop over the packed closes. When the valid rows are
    contiguous (valid row q on date ``base + q``: every series without holes or bad rows inside
    its history), the loops add into ``counts[K, base + q]`` directly, and counts that hold on
    a whole range of rows (a close, the eligibilities) are two entries of the difference array
    ``diff`` (K x dates + 1). Otherwise they add into ``packed`` (K x dates, all zero on entry
    and on return), which is then added into ``counts`` through ``vrow``. ``work`` (5, dates)
    is scratch for the returns and the sliding extremes. ``info`` receives (rows, bad_count,
    bad_first, bad_last, hole_count).
    """
    n = x.shape[0]
    nm = ma_windows.shape[0]
    nw = ret_windows.shape[0]
    base = 1 + 2 * nm
    rec = base + 6
    k, bad, bad_first, bad_last, holes = _pack(x, vals, vrow)
    info[0] = k
    info[1] = bad
    info[2] = bad_first
    info[3] = bad_last
    info[4] = holes
    if k == 0:
        return
    contiguous = vrow[k - 1] - vrow[0] == k - 1
    tgt = counts if contiguous else packed
    off = vrow[0] if contiguous else 0
    _range(tgt, diff, contiguous, 0, off, 0, k)
    for i in range(nm):
        _range(tgt, diff, contiguous, 1 + nm + i, off, ma_windows[i] - 1, k)
    for i in range(0, nm, 3):  # running sums of up to three windows at once, then the counts
        i1 = min(i + 1, nm - 1)
        i2 = min(i + 2, nm - 1)
        _ma_sums(vals, k, ma_windows[i], ma_windows[i1], ma_windows[i2], work[1], work[2],
                 work[3])
        for j in range(i, min(i + 3, nm)):
            _ma_count(vals, k, ma_windows[j], work[1 + j - i], tgt, off, 1 + j)
    _range(tgt, diff, contiguous, base + 4, off, 1, k)  # with a previous close (decliners)
    _advance(vals, k, tgt, off, base + 3)
    _range(tgt, diff, contiguous, base + 2, off, hl_window - 1, k)
    _range(tgt, diff, contiguous, rec + 2 * nw, off, record_rows - 1, k)
    _highs_lows(vals, k, hl_window, work, tgt, off, base)
    last = n - 1
    for i in range(nw):
        w = ret_windows[i]
        r, jg, jd = _record_moves(vals, k, w, record_rows, record_min, work, tgt, off,
                                  rec + i, rec + nw + i)
        if k > w and vrow[k - 1] == last:
            last_return[i] = r
            last_gain[i] = -1 if jg < 0 else vrow[jg]
            last_drop[i] = -1 if jd < 0 else vrow[jd]
    if not contiguous:  # add the packed counts at their dates, and clear the scratch
        for c in range(packed.shape[0]):
            src = packed[c]
            dst = counts[c]
            for q in range(k):
                dst[vrow[q]] += src[q]
                src[q] = 0


_column = jit(_column_py)


def breadth_scan_py(
    xt: NDArray[np.float32],
    ma_windows: NDArray[np.int64],
    ret_windows: NDArray[np.int64],
    hl_window: int,
    record_rows: int,
    record_min: int,
    counts: NDArray[np.int32],
    diff: NDArray[np.int32],
    last_return: NDArray[np.float64],
    last_gain: NDArray[np.int32],
    last_drop: NDArray[np.int32],
    info: NDArray[np.int32],
) -> None:
    """Scan every series (rows of ``xt``, a (series x dates) array) into the outputs.

    ``counts`` is (chunks x K x dates) and ``diff`` (chunks x K x dates + 1): chunk c scans
    series c, c + chunks, ... into ``counts[c]`` and ``diff[c]`` (the caller sums over chunks
    and adds the running sum of ``diff``). ``last_return``/``last_gain``/``last_drop`` are
    (series x windows), ``info`` (series x 5), all prefilled with "no answer".
    """
    m, n = xt.shape
    chunks = counts.shape[0]
    width = counts.shape[1]
    for c in prange(chunks):
        vals = np.empty(n, dtype=np.float64)
        vrow = np.empty(n, dtype=np.int32)
        work = np.empty((5, n + 1), dtype=np.float64)
        packed = np.zeros((width, n), dtype=np.int32)
        for j in range(c, m, chunks):
            _column(xt[j], ma_windows, ret_windows, hl_window, record_rows, record_min,
                    counts[c], diff[c], packed, last_return[j], last_gain[j], last_drop[j],
                    info[j], vals, vrow, work)


_breadth_scan = jit(breadth_scan_py, parallel=True)


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
    chunks = max(1, min(m, 4 * num_threads()))
    # (K x dates) per chunk: each measure's counts contiguous, written in date order; and the
    # difference array of the counts that hold on ranges of rows
    counts = np.zeros((chunks, layout.width, n), dtype=np.int32)
    diff = np.zeros((chunks, layout.width, n + 1), dtype=np.int32)
    last_return = np.full((m, nw), np.nan)
    last_gain = np.full((m, nw), -2, dtype=np.int32)
    last_drop = np.full((m, nw), -2, dtype=np.int32)
    info = np.zeros((m, 5), dtype=np.int32)
    if m and n:
        _breadth_scan(xt, np.asarray(ma_windows, dtype=np.int64),
                      np.asarray(ret_windows, dtype=np.int64), int(hl_window), int(record_rows),
                      int(record_min), counts, diff, last_return, last_gain, last_drop, info)
    summed = counts.sum(axis=0, dtype=np.int32)
    del counts
    summed += np.cumsum(diff.sum(axis=0, dtype=np.int32), axis=1, dtype=np.int32)[:, :n]
    del diff
    # the decliners' row holds the series with a previous close: take the others away
    summed[layout.decliners] -= summed[layout.advancers] + summed[layout.unchanged]
    total = np.ascontiguousarray(summed.T)
    return BreadthScan(
        counts=total, last_return=last_return, last_gain_since=last_gain,
        last_drop_since=last_drop, last_rows=info[:, 0].copy(), bad_count=info[:, 1].copy(),
        bad_first=info[:, 2].copy(), bad_last=info[:, 3].copy(), hole_count=info[:, 4].copy(),
        layout=layout,
    )  # fmt: skip
