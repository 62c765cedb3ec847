"""Trailing-window statistics: mean and standard deviation (for z-scores) and percentiles.

Contract: numpy arrays in and out, no pandas; each jitted kernel ``k`` is compiled from the
plain-Python ``k_py`` beside it. No result at row t uses a value after row t.

Windows are counted in rows: the window of length W at row t is rows ``t-W+1 .. t`` (t included)
or, with ``include_current=False``, rows ``t-W .. t-1``. NaN rows inside a window are skipped
(the window then holds fewer observations), like pandas' ``rolling(W, min_periods=...)``.

The ``_2d`` entry points take a ``(dates x series)`` array (float64 or float32, any memory order,
used without a copy), run the columns in parallel under numba (``prange``) and write into
optional ``out=`` arrays; every column equals the ``_1d`` kernel on that column exactly. The
percentile kernels also cut a long column into spans of rows run in parallel when there are
fewer columns than idle threads (each span loads the window before its first row, so the
results are the same bit for bit).
"""

from __future__ import annotations

import os

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rotascope.errors import InputError
from rotascope.kernels._jit import jit, num_threads, prange
from rotascope.kernels._sort import dense_ids_into

__all__ = [
    "expanding_percentile_1d",
    "percentile_1d_py",
    "rolling_mean_std_1d",
    "rolling_mean_std_1d_py",
    "rolling_percentile_1d",
    "rolling_percentile_2d",
    "rolling_zscore_1d",
    "rolling_zscore_1d_py",
    "rolling_zscore_2d",
]


# --------------------------------------------------------------------------------------------
# trailing mean and standard deviation: Welford updates with add and remove

#: When removing a value shrinks the sum of squared deviations by more than this factor, the
#: running update has cancelled most of its digits and the window is recomputed exactly.
_CANCELLATION = 1e-6


def _exact_window_py(
    x: NDArray[np.floating], lo: int, hi: int, cnt: int
) -> tuple[float, float]:
    """Mean and sum of squared deviations of the ``cnt`` valid values of rows ``lo .. hi-1``,
    recomputed from scratch (two passes, in float64)."""
    total = 0.0
    for s in range(lo, hi):
        if x[s] == x[s]:
            total += np.float64(x[s])
    mean = total / cnt
    m2 = 0.0
    for s in range(lo, hi):
        if x[s] == x[s]:
            m2 += (np.float64(x[s]) - mean) * (np.float64(x[s]) - mean)
    return mean, m2


_exact_window = jit(_exact_window_py, inline=True)


def _exact_window4_py(
    x: NDArray[np.floating], lo: int, hi: int, cnt: int
) -> tuple[float, float]:
    """:func:`_exact_window_py` with four interleaved partial sums per pass (NaN rows add 0),
    so that the additions do not wait on each other: about four times faster, as accurate
    (the z kernel's periodic recompute)."""
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    s = lo
    while s + 4 <= hi:
        v0, v1, v2, v3 = (np.float64(x[s]), np.float64(x[s + 1]), np.float64(x[s + 2]),
                          np.float64(x[s + 3]))
        a0 += v0 if v0 == v0 else 0.0
        a1 += v1 if v1 == v1 else 0.0
        a2 += v2 if v2 == v2 else 0.0
        a3 += v3 if v3 == v3 else 0.0
        s += 4
    while s < hi:
        v0 = np.float64(x[s])
        a0 += v0 if v0 == v0 else 0.0
        s += 1
    mean = ((a0 + a1) + (a2 + a3)) / cnt
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    s = lo
    while s + 4 <= hi:
        v0, v1, v2, v3 = (np.float64(x[s]) - mean, np.float64(x[s + 1]) - mean,
                          np.float64(x[s + 2]) - mean, np.float64(x[s + 3]) - mean)
        a0 += v0 * v0 if v0 == v0 else 0.0
        a1 += v1 * v1 if v1 == v1 else 0.0
        a2 += v2 * v2 if v2 == v2 else 0.0
        a3 += v3 * v3 if v3 == v3 else 0.0
        s += 4
    while s < hi:
        v0 = np.float64(x[s]) - mean
        a0 += v0 * v0 if v0 == v0 else 0.0
        s += 1
    return mean, (a0 + a1) + (a2 + a3)


_exact_window4 = jit(_exact_window4_py, inline=True)


def _welford_add_py(v: float, cnt: int, mean: float, m2: float) -> tuple[int, float, float]:
    """Welford's update adding the valid value ``v``: ``(cnt, mean, m2)`` after it."""
    cnt += 1
    d = v - mean
    mean += d / cnt
    m2 += d * (v - mean)
    return cnt, mean, m2


_welford_add = jit(_welford_add_py, inline=True)


def _welford_remove_py(
    x: NDArray[np.floating], old: int, t: int, cnt: int, mean: float, m2: float
) -> tuple[int, float, float]:
    """Welford's inverse update removing the valid value ``x[old]`` (the window is then rows
    ``old+1 .. t``): ``(cnt, mean, m2)`` after it.

    When the removal shrinks ``m2`` by a factor of 10^6 or more (a large value left a window of
    nearly equal values: the subtraction cancelled most digits), the window is recomputed
    exactly (:func:`_exact_window_py`).
    """
    w = np.float64(x[old])
    cnt -= 1
    m2_before = m2
    if cnt == 0:
        mean = 0.0
        m2 = 0.0
    else:
        d = w - mean
        mean -= d / cnt
        m2 -= d * (w - mean)
    if cnt > 0 and m2 <= _CANCELLATION * m2_before:
        mean, m2 = _exact_window(x, old + 1, t + 1, cnt)
    return cnt, mean, m2


_welford_remove = jit(_welford_remove_py, inline=True)


def rolling_mean_std_1d_py(
    x: NDArray[np.float64], window: int, min_periods: int, include_current: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Trailing mean, sample standard deviation (ddof=1) and count of valid values (plain Python).

    Parameters
    ----------
    x : ndarray of float64, 1-D
    window : int
        W rows (>= 1).
    min_periods : int
        Least number of valid values in the window for a result (the standard deviation needs at
        least 2 whatever this says).
    include_current : bool
        True: rows ``t-W+1 .. t``. False: rows ``t-W .. t-1`` (today is compared with a history
        that does not contain it).

    Returns
    -------
    mean, std : ndarray of float64
        NaN where the window holds fewer than ``min_periods`` valid values (std also where fewer
        than 2). When every valid value in the window is equal, ``mean`` is that value exactly and
        ``std`` is exactly 0 (no round-off residue), as pandas does.
    count : ndarray of int64
        Valid values in the window.

    Notes
    -----
    Welford's running update, adding the row entering the window and removing the row leaving it
    (:func:`_welford_add_py`, :func:`_welford_remove_py`):
    ``add x: n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean)`` and its inverse
    ``remove x: n -= 1; d = x - mean; mean -= d / n; m2 -= d * (x - mean)``; ``std = sqrt(m2 / (n -
    1))``. O(n) whatever the window. When a removal shrinks ``m2`` by a factor of 10^6 or more
    (a large value left a window of nearly equal values: the subtraction cancelled most digits),
    the window is recomputed exactly with two passes. To know whether all valid values in the window are equal, the
    kernel keeps the latest "change point" c (a valid row whose value differs from the previous
    valid row p): the window is constant iff ``p`` lies before the window.
    """
    n = x.shape[0]
    mean_out = np.full(n, np.nan)
    std_out = np.full(n, np.nan)
    count_out = np.zeros(n, dtype=np.int64)
    cnt = 0
    mean = 0.0
    m2 = 0.0
    last_valid = -1  # index of the latest valid row added so far
    change_prev = -1  # valid row just before the latest change point (-1: no change yet)
    for t in range(n):
        for step in range(2):
            # step 0 computes the output when the window excludes t (before adding t);
            # step 1 adds t, removes the row leaving, and computes the output when it includes t.
            if step == 1:
                v = x[t]
                if v == v:
                    if last_valid >= 0 and v != x[last_valid]:
                        change_prev = last_valid
                    last_valid = t
                    cnt, mean, m2 = _welford_add(v, cnt, mean, m2)
                old = t - window
                if old >= 0 and x[old] == x[old]:
                    cnt, mean, m2 = _welford_remove(x, old, t, cnt, mean, m2)
            if (step == 1) != include_current:
                continue
            count_out[t] = cnt
            if cnt == 0 or cnt < min_periods:
                continue
            lo = t - window + 1 if step == 1 else t - window
            if change_prev < lo:  # all valid values in the window are equal
                mean_out[t] = x[last_valid]
                if cnt >= 2:
                    std_out[t] = 0.0
            else:
                mean_out[t] = mean
                if cnt >= 2:
                    std_out[t] = np.sqrt(m2 / (cnt - 1))
    return mean_out, std_out, count_out


_rolling_mean_std = jit(rolling_mean_std_1d_py)


def _replace_run_py(
    x: NDArray[np.floating], t: int, stop: int, window: int, include_current: bool,
    mean: float, m2: float, prev: float, change_prev: int, out: NDArray[np.float64],
    var: NDArray[np.float64], m2_peak: float,
) -> tuple[int, float, float, float, int, float]:
    """The usual rows of :func:`rolling_zscore_1d_py`, from ``t`` while the window is full and
    both the entering and the leaving value are valid (so is every row of the window): one
    division-free replacement update per row, the row's mean into ``out`` and its variance
    into ``var`` (NaN when the window is constant or ``m2`` is not > 0). Stops before ``stop``,
    before a NaN, or before a row whose update would cancel (``m2`` falling 10^6 below
    ``m2_peak``, the largest ``m2`` since the state was last exact: over one row or several,
    the subtractions would have cancelled most digits; that row takes the careful path).
    Returns the state at the first row not done. A function of its own, so that numba compiles
    this loop alone, tight."""
    inv = 1.0 / window
    inv_ddof = 1.0 / (window - 1)
    while t < stop:
        v = np.float64(x[t])
        w = np.float64(x[t - window])
        if not (v == v and w == w):
            break
        d = v - w
        mean_new = mean + d * inv
        m2_new = m2 + d * ((v - mean_new) + (w - mean))
        if m2_new <= _CANCELLATION * m2_peak and m2_peak > 0.0:
            break
        if not include_current:  # window t-W .. t-1
            ok = change_prev >= t - window and m2 > 0.0
            out[t] = mean if ok else np.nan
            var[t] = m2 * inv_ddof if ok else np.nan
        if v != prev:
            change_prev = t - 1
        prev = v
        mean = mean_new
        m2 = m2_new
        if m2 > m2_peak:
            m2_peak = m2
        if include_current:  # window t-W+1 .. t
            ok_now = change_prev >= t - window + 1 and m2 > 0.0
            out[t] = mean if ok_now else np.nan
            var[t] = m2 * inv_ddof if ok_now else np.nan
        t += 1
    return t, mean, m2, prev, change_prev, m2_peak


_replace_run = jit(_replace_run_py)


def _z_from_mean_var_py(
    x: NDArray[np.floating], out: NDArray[np.float64], var: NDArray[np.float64]
) -> None:
    """``out = (x - out) / sqrt(var)`` (NaN where either is NaN): one branch-free loop that
    numba vectorises (``error_model="numpy"``: no zero-division check)."""
    for t in range(x.shape[0]):
        out[t] = (np.float64(x[t]) - out[t]) / np.sqrt(var[t])


_z_from_mean_var = jit(_z_from_mean_var_py, error_model="numpy")


def rolling_zscore_1d_py(
    x: NDArray[np.floating], window: int, min_periods: int, include_current: bool,
    out: NDArray[np.float64], var: NDArray[np.float64],
) -> None:
    """Trailing z-score of every row into ``out``, in one pass over the data (plain Python).

    ``var`` is scratch of ``x``'s length (float64). ``x`` may be float32 (its values are exact
    in float64, where all arithmetic happens) or a strided column of a 2-D array.

    Notes
    -----
    ``z[t] = (x[t] - mean_W(t)) / std_W(t)``, sample std (ddof=1); NaN where ``x[t]`` is NaN,
    the window holds fewer than ``max(2, min_periods)`` valid values, or all of them are equal
    (the same change-point rule as :func:`rolling_mean_std_1d_py`), or the variance is not > 0.

    The loop over the rows is the sequential part: it keeps Welford's state (count, mean,
    ``m2``) and writes each row's mean into ``out`` and its variance into ``var`` (NaN where z
    is NaN). While the window is full and neither the row entering nor the row leaving is NaN
    (the usual case), both happen in one replacement update with no division
    (:func:`_replace_run_py`, a small loop of its own):
    ``d = v - w; mean' = mean + d / W; m2' = m2 + d * ((v - mean') + (w - mean))`` (``1 / W``
    computed once; bottleneck's ``move_std`` uses the same update). Other rows, and a row whose
    replacement would bring ``m2`` 10^6 below its peak since the state was last exact (in one
    row or over several: a large value left a window of nearly equal values, the subtractions
    cancelled most digits), take the separate add and remove updates of
    :func:`rolling_mean_std_1d_py`, and the window is then recomputed exactly
    (:func:`_exact_window_py`). The state is also recomputed exactly every
    2W rows (:func:`_exact_window4_py`), so that on a trending series no rounding error made
    at an old, larger level is carried along (the rounding in a result comes from rows at most
    3W back; two reads of W rows per 2W rows cost little). A second, branch-free loop then
    forms ``(x - mean) / sqrt(var)``, which numba vectorises (:func:`_z_from_mean_var_py`).
    The result agrees with the two-pass reference to rounding (tested: within 1e-9 relative
    on well-conditioned windows, within what the data's own rounding allows on near-constant
    ones), not bit for bit with :func:`rolling_mean_std_1d_py`, whose division per update is
    kept there (the report's analytics use it).
    """
    n = x.shape[0]
    cnt = 0
    mean = 0.0
    m2 = 0.0
    need = max(2, min_periods)
    prev = np.nan  # latest valid value
    last_valid = -1
    change_prev = -1  # valid row just before the latest change point (-1: no change yet)
    period = 2 * window  # the state is recomputed exactly at the start of each block of rows
    m2_peak = 0.0  # largest m2 since the state was last exact
    for start in range(0, n, period):
        if start > 0 and cnt > 0:  # no drift carried over from older rows
            mean, m2 = _exact_window4(x, max(start - window, 0), start, cnt)
            m2_peak = m2
        stop = min(start + period, n)
        t = start
        while t < stop:
            if t >= window and cnt == window and need <= window:
                t, mean, m2, prev, change_prev, m2_peak = _replace_run(
                    x, t, stop, window, include_current, mean, m2, prev, change_prev, out, var,
                    m2_peak)
                last_valid = t - 1
            if t >= stop:
                break
            # any other row: separate add and remove updates (with the exact recompute when a
            # removal cancels), as in rolling_mean_std_1d_py
            v = np.float64(x[t])
            if not include_current:  # window t-W .. t-1: the state before t is added
                if v == v and cnt >= need and change_prev >= t - window and m2 > 0.0:
                    out[t] = mean
                    var[t] = m2 / (cnt - 1)
                else:
                    out[t] = np.nan
                    var[t] = np.nan
            if v == v:
                if last_valid >= 0 and v != prev:
                    change_prev = last_valid
                last_valid = t
                prev = v
                cnt, mean, m2 = _welford_add(v, cnt, mean, m2)
            old = t - window
            if old >= 0 and x[old] == x[old]:
                cnt, mean, m2 = _welford_remove(x, old, t, cnt, mean, m2)
            if cnt > 0 and m2_peak > 0.0 and m2 <= _CANCELLATION * m2_peak:
                # m2 fell 10^6 below its peak over several rows: recompute the window exactly
                mean, m2 = _exact_window(x, max(t - window + 1, 0), t + 1, cnt)
                m2_peak = m2
            elif m2 > m2_peak:
                m2_peak = m2
            if include_current:  # window t-W+1 .. t
                if v == v and cnt >= need and change_prev >= t - window + 1 and m2 > 0.0:
                    out[t] = mean
                    var[t] = m2 / (cnt - 1)
                else:
                    out[t] = np.nan
                    var[t] = np.nan
            t += 1
    _z_from_mean_var(x, out, var)


_rolling_zscore = jit(rolling_zscore_1d_py, error_model="numpy")


def _rolling_zscore_cols_py(
    x: NDArray[np.floating], window: int, min_periods: int, include_current: bool,
    out: NDArray[np.float64],
) -> None:
    """:func:`rolling_zscore_1d_py` on every column of a (dates x series) array, in parallel
    (chunks of columns, one scratch array per chunk)."""
    n, k = x.shape
    chunks = min(k, 64)
    for c in prange(chunks):
        var = np.empty(n, dtype=np.float64)
        for j in range(c, k, chunks):
            _rolling_zscore(x[:, j], window, min_periods, include_current, out[:, j], var)


_rolling_zscore_cols = jit(_rolling_zscore_cols_py, parallel=True)


def _check_window(window: object, name: str = "window") -> int:
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 1:
        raise InputError(f"{name} must be a whole number of rows >= 1 (got {window!r})")
    return int(window)


def _check_min_periods(min_periods: object, window: int | None) -> int:
    if (
        isinstance(min_periods, bool)
        or not isinstance(min_periods, int | np.integer)
        or not 1 <= min_periods
    ):
        raise InputError(f"min_periods must be a whole number >= 1 (got {min_periods!r})")
    if window is not None and min_periods > window:
        raise InputError(f"min_periods ({min_periods}) must not exceed window ({window})")
    return int(min_periods)


def _as_1d(x: ArrayLike) -> NDArray[np.float64]:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise InputError(f"x must be 1-D (got {a.ndim} dimensions)")
    return a


def rolling_mean_std_1d(
    x: ArrayLike, window: int, min_periods: int | None = None, include_current: bool = True
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Trailing mean, standard deviation (ddof=1) and valid count over W rows.

    See :func:`rolling_mean_std_1d_py` for the definition; ``min_periods`` defaults to
    ``window``. Equals pandas ``s.rolling(W, min_periods).mean()`` / ``.std()`` (shifted by one
    row when ``include_current=False``).

    Parameters
    ----------
    x : array_like, 1-D
        The values, converted to float64; NaN marks a missing row.
    window : int
        W rows, a whole number >= 1 (else InputError).
    min_periods : int, optional
        Least number of valid values in the window for a result, from 1 to ``window`` (else
        InputError); default ``window``. The standard deviation needs at least 2 whatever
        this says.
    include_current : bool, default True
        True: the window at row t is rows ``t-W+1 .. t``. False: rows ``t-W .. t-1`` (today
        is compared with a history that does not contain it).

    Returns
    -------
    mean : ndarray of float64
        NaN where the window holds fewer than ``min_periods`` valid values (or none).
    std : ndarray of float64
        NaN where ``mean`` is NaN or the window holds fewer than 2 valid values; exactly 0
        when every valid value in the window is equal.
    count : ndarray of int64
        Valid values in the window (counted on NaN rows too: 0 only when the window holds
        none).

    Notes
    -----
    With ``V(t)`` the valid (non-NaN) values of the window and ``n = len(V(t))``:
    ``mean[t] = sum(V) / n``, ``std[t] = sqrt(sum((v - mean[t])**2 for v in V) / (n - 1))``,
    ``count[t] = n``. A NaN row is skipped: it makes the window hold fewer values, and its
    own row still gets the mean and std of the other rows. Nothing after row t is read. In
    pandas: ``s.rolling(W, min_periods=mp).mean()`` and ``.std()``, and
    ``s.rolling(W, min_periods=0).count()``; all three ``.shift(1)`` when
    ``include_current=False`` (the count of row 0 is then 0 here, not NaN). Computed in one
    pass with Welford's add-and-remove update (:func:`rolling_mean_std_1d_py`).
    """
    window = _check_window(window)
    mp = window if min_periods is None else _check_min_periods(min_periods, window)
    return _rolling_mean_std(_as_1d(x), window, mp, bool(include_current))


def rolling_zscore_1d(
    x: ArrayLike, window: int, min_periods: int | None = None, include_current: bool = True
) -> NDArray[np.float64]:
    """Trailing z-score ``(x[t] - mean) / std`` over W rows.

    Parameters
    ----------
    x : array_like, 1-D
    window : int
        W rows.
    min_periods : int, optional
        Least number of valid values in the window (default ``window``; at least 2 are needed).
    include_current : bool, default True
        Whether the window ends at t (rows ``t-W+1 .. t``, pandas' ``rolling``) or at t-1.

    Returns
    -------
    ndarray of float64
        NaN where ``x[t]`` is NaN, the window is too short, or its standard deviation is 0.

    Notes
    -----
    ``z[t] = (x[t] - mean_W(t)) / std_W(t)`` with the sample standard deviation (ddof=1) of the
    valid values of the window, in one pass over the data (:func:`rolling_zscore_1d_py`). Equal
    to ``(x - mean) / std`` from :func:`rolling_mean_std_1d` up to rounding (the z kernel uses
    a division-free update while the window is full), with the same NaN rows.
    """
    a = _as_1d(x)
    window = _check_window(window)
    mp = window if min_periods is None else _check_min_periods(min_periods, window)
    z = np.empty(a.shape[0])
    _rolling_zscore(a, window, mp, bool(include_current), z, np.empty(a.shape[0]))
    return z


# --------------------------------------------------------------------------------------------
# percentile vs history: a Fenwick tree over value ranks, adding and removing rows


def percentile_1d_py(
    x: NDArray[np.float64], window: int, min_periods: int
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Percentile of ``x[t]`` among the valid values of rows ``t-W+1 .. t`` (plain Python).

    Returns
    -------
    pct : ndarray of float64
        ``(#{below x[t]} + 0.5 * #{equal to x[t]}) / #{valid}`` in the window, today counted in
        "equal" and in "valid"; NaN where ``x[t]`` is NaN or fewer than ``min_periods`` valid
        values.
    count : ndarray of int64
        Valid values in the window.

    Notes
    -----
    Values are mapped to dense ids (ascending, ties share an id) with one radix sort; a Fenwick tree
    holds the ids in the window, so "below" is a prefix sum, and an array of counts per id
    gives "equal": O(n log n). The sort uses later values only to name values; no result
    depends on a later value.
    """
    n = x.shape[0]
    pct = np.empty(n)
    count = np.empty(n, dtype=np.int64)
    _percentile_into(x, window, min_periods, pct, count)
    return pct, count


def _span_scratch_py(
    length: int,
) -> tuple[NDArray[np.float64], NDArray[np.uint64], NDArray[np.int32], NDArray[np.uint64],
           NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], NDArray[np.int32],
           NDArray[np.int32]]:
    """Scratch arrays for :func:`_percentile_span_py` over spans of up to ``length`` rows:
    ``(col, keys, rows, tmp_keys, tmp_rows, hist, ids, tree, equal)``."""
    return (np.empty(length, dtype=np.float64), np.empty(length, dtype=np.uint64),
            np.empty(length, dtype=np.int32), np.empty(length, dtype=np.uint64),
            np.empty(length, dtype=np.int32), np.empty((4, 2048), dtype=np.int32),
            np.empty(length, dtype=np.int32), np.empty(length + 1, dtype=np.int32),
            np.empty(length + 1, dtype=np.int32))


_span_scratch = jit(_span_scratch_py)


def _percentile_span_py(
    x: NDArray[np.floating], lo: int, start: int, stop: int, window: int, min_periods: int,
    pct: NDArray[np.float64], count: NDArray[np.integer], col: NDArray[np.float64],
    keys: NDArray[np.uint64], rows: NDArray[np.int32], tmp_keys: NDArray[np.uint64],
    tmp_rows: NDArray[np.int32], hist: NDArray[np.int32], ids: NDArray[np.int32],
    tree: NDArray[np.int32], equal: NDArray[np.int32],
) -> None:
    """Rows ``start .. stop-1`` of :func:`percentile_1d_py` on the column ``x`` (any float
    dtype and stride), into ``pct`` and ``count`` (any integer dtype that holds the window
    length); ``lo = max(0, start - window + 1)``, the first row any of them looks at.

    Rows ``lo .. stop-1`` are copied into ``col`` and named by their dense ids among
    themselves (:func:`~rotascope.kernels._sort.dense_ids_into_py`: the order of the values,
    all that the counts need, is the same as among all rows). The window of row ``start``
    without it, rows ``lo .. start-1``, is loaded at once: counts per id, then the Fenwick
    tree built from them in one linear pass (``tree[i + (i & -i)] += tree[i]``). Then each row
    adds the id entering, removes the id leaving, and reads ``below`` as a prefix sum of the
    tree and ``equal`` from the counts. Every result is the same whatever ``start`` is, so a
    column can be cut into spans computed independently (in parallel).
    """
    length = stop - lo
    for t in range(length):
        col[t] = x[lo + t]
    m = dense_ids_into(col[:length], keys, rows, tmp_keys, tmp_rows, hist, ids)
    for i in range(m + 1):
        equal[i] = 0
    cnt = 0
    for r in range(start - lo):
        i = ids[r]
        if i > 0:
            equal[i] += 1
            cnt += 1
    tree[0] = 0
    for i in range(1, m + 1):
        tree[i] = equal[i]
    for i in range(1, m + 1):
        j = i + (i & (-i))
        if j <= m:
            tree[j] += tree[i]
    for t in range(start, stop):
        i = ids[t - lo]  # the id entering the window (0: NaN)
        o = ids[t - window - lo] if t - window >= lo else 0  # the id leaving it
        if i > 0:
            cnt += 1
            equal[i] += 1
        if o > 0:
            cnt -= 1
            equal[o] -= 1
        if i != o:  # (the same value entering and leaving changes no prefix sum)
            if i > 0:
                j = i
                while j <= m:
                    tree[j] += 1
                    j += j & (-j)
            if o > 0:
                j = o
                while j <= m:
                    tree[j] -= 1
                    j += j & (-j)
        count[t] = cnt
        if i == 0 or cnt < min_periods:
            pct[t] = np.nan
            continue
        below = 0
        j = i - 1
        while j > 0:
            below += tree[j]
            j -= j & (-j)
        pct[t] = (below + 0.5 * equal[i]) / cnt


_percentile_span = jit(_percentile_span_py)


def _percentile_into_py(
    x: NDArray[np.floating], window: int, min_periods: int, pct: NDArray[np.float64],
    count: NDArray[np.integer],
) -> None:
    """The loop of :func:`percentile_1d_py` over all rows of one column, serially, writing
    into ``pct`` and ``count`` (any integer dtype that holds the window length, e.g. int32)."""
    n = x.shape[0]
    col, keys, rows, tmp_keys, tmp_rows, hist, ids, tree, equal = _span_scratch(n)
    _percentile_span(x, 0, 0, n, window, min_periods, pct, count, col, keys, rows, tmp_keys,
                     tmp_rows, hist, ids, tree, equal)


_percentile_into = jit(_percentile_into_py)


def _percentile_cols_py(
    x: NDArray[np.floating], window: int, min_periods: int, pct: NDArray[np.float64],
    count: NDArray[np.integer], parts: int = 1,
) -> None:
    """:func:`_percentile_into_py` on every column of a (dates x series) array, each column
    cut into ``parts`` spans of consecutive rows, all the (column, span) pieces in parallel
    (:func:`_percentile_span_py`: the results do not depend on ``parts``). Scratch is
    allocated once per group of pieces (at most 64 groups), not per piece."""
    n, k = x.shape
    parts = max(1, min(parts, n))
    size = -(-n // parts) if n > 0 else 0  # rows per span
    pieces = k * parts
    groups = min(pieces, 64)
    span = min(n, size + window - 1)  # rows a span reads, at most
    for g in prange(groups):
        col, keys, rows, tmp_keys, tmp_rows, hist, ids, tree, equal = _span_scratch(span)
        for piece in range(g, pieces, groups):
            j = piece // parts
            start = (piece % parts) * size
            stop = min(n, start + size)
            if start >= stop:
                continue
            _percentile_span(x[:, j], max(0, start - window + 1), start, stop, window,
                             min_periods, pct[:, j], count[:, j], col, keys, rows, tmp_keys,
                             tmp_rows, hist, ids, tree, equal)


_percentile_cols = jit(_percentile_cols_py, parallel=True)

#: Least rows per span when a column is cut into spans run in parallel (below this, starting
#: the threads costs more than they save).
_MIN_SPAN_ROWS = 4096


def _threads() -> int:
    """The threads numba runs parallel loops on (:func:`~rotascope.kernels._jit.num_threads`)."""
    return num_threads()


def _idle_threads(threads: int) -> int:
    """How many of ``threads`` a parallel loop can expect to have to itself: ``threads -
    load``, rounded, between 1 and ``threads``, with ``load`` the one-minute load average
    (1 where the system gives none). The caller's own running thread counts in ``load``:
    on 2 cores, a process that has been computing for a minute leaves no idle thread."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - no load average on this system
        return 1
    return max(1, min(threads, int(threads + 0.5 - load)))


def _time_parts(n: int, k: int) -> int:
    """Spans to cut each of ``k`` columns of ``n`` rows into (the results do not depend on it).

    1 when there are at least as many columns as threads (the columns already keep every
    thread busy) or the columns are short (fewer than 2 x :data:`_MIN_SPAN_ROWS` rows); else
    enough spans of at least :data:`_MIN_SPAN_ROWS` rows for the idle threads
    (:func:`_idle_threads`). A parallel loop waits for its slowest thread: on a busy machine
    a thread that has to wait for a core (scheduler ticks of 4 ms) makes a ~1 ms loop 4-8 ms
    (measured on 2 cores with one other busy process), so a column is cut only when cores
    are idle.
    """
    if n < 2 * _MIN_SPAN_ROWS:  # checked first: short columns never ask for the threads
        return 1
    threads = _threads()
    if k >= threads:
        return 1
    idle = _idle_threads(threads)
    return max(1, min(-(-idle // max(k, 1)), n // _MIN_SPAN_ROWS))


def _percentile_2d_into(
    a: NDArray[np.floating], window: int, min_periods: int, pct: NDArray[np.float64],
    count: NDArray[np.integer],
) -> None:
    """Percentiles of every column of ``a`` into ``pct`` / ``count``: one serial call for one
    short column, else the (column, span) pieces in parallel (:func:`_time_parts`)."""
    parts = _time_parts(a.shape[0], a.shape[1])
    if a.shape[1] == 1 and parts == 1:  # no parallel region to start
        _percentile_into(a[:, 0], window, min_periods, pct[:, 0], count[:, 0])
    else:
        _percentile_cols(a, window, min_periods, pct, count, parts)


def rolling_percentile_1d(
    x: ArrayLike, window: int, min_periods: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Percentile vs trailing history of W rows (today included): ``(pct, count)``.

    Parameters
    ----------
    x : array_like, 1-D
    window : int
        W rows: the window at t is rows ``t-W+1 .. t``.
    min_periods : int, default 1
        Least number of valid values in the window for a result.

    Returns
    -------
    pct : ndarray of float64
        In [0, 1]; NaN for NaN rows and short windows.
    count : ndarray of int64
        Valid values in the window.

    Notes
    -----
    ``pct[t] = (#{s in window: x[s] < x[t]} + 0.5 * #{s in window: x[s] == x[t]}) / #{valid s in
    window}``, today included (DESIGN, "Percentile vs history"). Equals pandas'
    ``(s.rolling(W).rank(method="average") - 0.5) / s.rolling(W).count()``. A long series is
    cut into spans of rows computed in parallel when threads are idle (as
    :func:`rolling_percentile_2d`; same results).
    """
    window = _check_window(window)
    mp = _check_min_periods(min_periods, window)
    return _percentile_1d(_as_1d(x), window, mp)


def expanding_percentile_1d(
    x: ArrayLike, min_periods: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Percentile vs the full history up to t (today included): ``(pct, count)``.

    Same formula as :func:`rolling_percentile_1d` with the window ``0 .. t``.

    Parameters
    ----------
    x : array_like, 1-D
        The values, converted to float64; NaN marks a missing row.
    min_periods : int, default 1
        Least number of valid values in rows ``0 .. t`` for a result, a whole number >= 1
        (else InputError).

    Returns
    -------
    pct : ndarray of float64
        Strictly between 0 and 1; NaN for NaN rows and while fewer than ``min_periods``
        values are valid.
    count : ndarray of int64
        Valid values in rows ``0 .. t`` (on a NaN row too: the count of the rows before it).

    Notes
    -----
    ``pct[t] = (#{s <= t: x[s] < x[t]} + 0.5 * #{s <= t: x[s] == x[t]}) / #{s <= t: x[s]
    valid}``, today counted in "equal" and in "valid" (so a first value gets 0.5). Ties share
    the average rank. In pandas: ``(s.expanding().rank(method="average") - 0.5) /
    s.expanding().count()``. Nothing after row t is read. Computed as
    :func:`rolling_percentile_1d` with a window as long as ``x`` (a radix sort and a Fenwick
    tree, :func:`percentile_1d_py`); empty input gives empty arrays.
    """
    a = _as_1d(x)
    mp = _check_min_periods(min_periods, None)
    return _percentile_1d(a, max(a.shape[0], 1), mp)


def _percentile_1d(
    a: NDArray[np.float64], window: int, min_periods: int
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """``(pct, count)`` of the 1-D ``a`` (checked arguments): :func:`_percentile_2d_into` on
    it as one column, so that a long series is cut into spans run in parallel."""
    if a.shape[0] >= 2**31:  # pragma: no cover - 2 billion rows
        raise InputError(f"x has {a.shape[0]} rows: row numbers would not fit in int32")
    pct = np.empty(a.shape[0])
    count = np.empty(a.shape[0], dtype=np.int64)
    _percentile_2d_into(a[:, None], window, min_periods, pct[:, None], count[:, None])
    return pct, count


# --------------------------------------------------------------------------------------------
# 2-D entry points: (dates x series), columns in parallel


def _as_2d(x: ArrayLike) -> NDArray[np.floating]:
    """float32 / float64 ``(dates x series)`` input as is (no copy); anything else as float64."""
    a = x if isinstance(x, np.ndarray) and x.dtype in (np.float32, np.float64) else (
        np.asarray(x, dtype=np.float64))
    if a.ndim != 2:
        raise InputError(f"x must be 2-D (dates x series) (got {a.ndim} dimensions)")
    return a


def _out_2d(out: np.ndarray | None, shape: tuple[int, ...], dtype: type, name: str) -> np.ndarray:
    """A new Fortran-ordered output array, or ``out`` checked to be one."""
    if out is None:
        return np.empty(shape, dtype=dtype, order="F")
    if (
        not isinstance(out, np.ndarray)
        or out.dtype != dtype
        or out.shape != shape
        or not out.flags.f_contiguous
        or not out.flags.writeable
    ):
        raise InputError(
            f"{name} must be a writeable Fortran-ordered {np.dtype(dtype).name} array of shape "
            f"{shape} (np.empty({shape}, dtype=np.{np.dtype(dtype).name}, order='F'))"
        )
    return out


def rolling_zscore_2d(
    x: ArrayLike,
    window: int,
    min_periods: int | None = None,
    include_current: bool = True,
    out: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """:func:`rolling_zscore_1d` for every column of a ``(dates x series)`` array.

    Parameters
    ----------
    x : array_like, 2-D (dates x series)
        float64 or float32 (used as they are: no copy, whatever the memory order; float32
        values are exact in float64, where the arithmetic happens); other types are converted to
        float64. Fortran order (what ``DataFrame.to_numpy()`` gives) reads each column
        contiguously and is the fastest.
    window, min_periods, include_current
        As in :func:`rolling_zscore_1d`.
    out : ndarray of float64, optional
        Fortran-ordered ``(dates x series)`` array to write into (reuse it across calls to save
        fresh memory and its page faults).

    Returns
    -------
    ndarray of float64, (dates x series), Fortran order
        ``out`` when given. Column j equals ``rolling_zscore_1d(x[:, j], ...)`` exactly (same
        kernel).

    Notes
    -----
    ``z[t, j] = (x[t, j] - mean_W) / std_W`` over the trailing window of column j, sample std
    (ddof=1); one pass per column (:func:`rolling_zscore_1d_py`), columns in parallel. Memory:
    the output plus one float64 scratch column per chunk of columns (no mean, std or count
    arrays), so the peak is the input plus one float64 array of its shape.
    """
    a = _as_2d(x)
    window = _check_window(window)
    mp = window if min_periods is None else _check_min_periods(min_periods, window)
    z = _out_2d(out, a.shape, np.float64, "out")
    if a.shape[1] == 1:  # one series: no parallel region to start (it costs more than it saves)
        _rolling_zscore(a[:, 0], window, mp, bool(include_current), z[:, 0],
                        np.empty(a.shape[0]))
    else:
        _rolling_zscore_cols(a, window, mp, bool(include_current), z)
    return z


def rolling_percentile_2d(
    x: ArrayLike,
    window: int | None = None,
    min_periods: int = 1,
    out: tuple[NDArray[np.float64], NDArray[np.int32]] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """:func:`rolling_percentile_1d` for every column of a ``(dates x series)`` array.

    Parameters
    ----------
    x : array_like, 2-D (dates x series)
        float64 or float32, any memory order, used without a copy (each column is copied into
        a per-thread float64 buffer while it is processed).
    window : int, optional
        W rows; None for the expanding window (all rows up to t, as
        :func:`expanding_percentile_1d`).
    min_periods : int, default 1
    out : (ndarray of float64, ndarray of int32), optional
        Fortran-ordered ``(dates x series)`` arrays to write the percentile and the count into.

    Returns
    -------
    pct : ndarray of float64, (dates x series), Fortran order
    count : ndarray of int32, (dates x series), Fortran order
        Valid values in the window (at most W, so int32 holds it: half the memory of int64).
        Column j equals ``rolling_percentile_1d(x[:, j], W, min_periods)`` exactly (the count
        as int32).

    Notes
    -----
    ``pct[t] = (#{below x[t]} + 0.5 * #{equal to x[t]}) / #{valid}`` in rows ``t-W+1 .. t``
    (DESIGN, "Percentile vs history"); a radix sort and a Fenwick tree per column
    (:func:`percentile_1d_py`), columns in parallel. With fewer columns than idle threads,
    each long column is also cut into spans of consecutive rows computed in parallel
    (:func:`_percentile_span_py`, :func:`_time_parts`); the results do not depend on it.
    """
    a = _as_2d(x)
    if window is None:
        w = max(a.shape[0], 1)
        mp = _check_min_periods(min_periods, None)
    else:
        w = _check_window(window)
        mp = _check_min_periods(min_periods, w)
    if a.shape[0] >= 2**31:  # pragma: no cover - 2 billion rows
        raise InputError(f"x has {a.shape[0]} rows: counts would not fit in int32")
    pct = _out_2d(None if out is None else out[0], a.shape, np.float64, "out[0]")
    count = _out_2d(None if out is None else out[1], a.shape, np.int32, "out[1]")
    _percentile_2d_into(a, w, mp, pct, count)
    return pct, count
