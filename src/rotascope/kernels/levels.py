"""Level kernels: record closes, drawdown from the record, corrections and bear markets.

Contract as in :mod:`rotascope.kernels.records`: numpy arrays in and out, no pandas; a naive
reference is in :mod:`rotascope.kernels.reference`. :func:`record_levels_1d` is vectorised with
numpy (running maximum, run-wise counts), so it needs no numba compilation and no numba dispatch
(``rotascope facts`` on one series starts no numba at all); the plain-Python loop
:func:`record_levels_1d_py` beside it states the same rules row by row, and the tests hold the
three equal. NaN rows are not observations: they get -1 / 0 answers and
never set or break a record.

Definitions, for a level series ``x`` (a close, a yield, a ratio):

- the **record** before row t is ``R[t] = max(x[0..t-1])``; row t **sets a record** when
  ``x[t] >= R[t]`` (a tie with the record counts, as "closed at a record" does); the first row
  sets one;
- ``peak[t]``: the most recent record row at or before t, so the drawdown from the record is
  ``x[t] / x[peak[t]] - 1``;
- ``previous[t]``: for a record row, the record row before it (-1 for the first): "its first
  record close since January 2022";
- ``state[t]``: 0 at or near the record, 1 in a **correction** (some close since the last record
  at least ``correction`` below it, e.g. -10%), 2 in a **bear market** (at least ``bear`` below,
  e.g. -20%); a new record ends either; ``began[t]``: the first row of the current correction or
  bear market (-1 in state 0). "At least" allows for float rounding: a drawdown within
  :data:`TOLERANCE` (1e-12) of a threshold reaches it, so an exact 10% fall (100 to 90, where
  ``90 / 100 - 1`` is -0.09999999999999998) is a correction.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["TOLERANCE", "record_levels_1d", "record_levels_1d_py"]

#: how close to a threshold a drawdown must come to reach it (float rounding of ``v / best - 1``)
TOLERANCE = 1e-12


def record_levels_1d_py(
    x: NDArray[np.float64], correction: float, bear: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """Record rows, drawdown states and their starts of a level series (plain Python).

    Parameters
    ----------
    x : ndarray of float64, 1-D
        Positive levels (NaN rows skipped).
    correction, bear : float
        Drawdown thresholds as negative fractions (-0.10, -0.20).

    Returns
    -------
    (peak, previous, state, began)
        ``peak`` int64: the latest record row at or before each row (-1 for NaN rows);
        ``previous`` int64: the record row before a record row, else -1; ``state`` int8: 0, 1
        (correction) or 2 (bear market); ``began`` int64: first row of the current state, -1 in
        state 0. See the module docstring.
    """
    n = x.shape[0]
    correction, bear = correction + TOLERANCE, bear + TOLERANCE
    peak = np.full(n, -1, dtype=np.int64)
    previous = np.full(n, -1, dtype=np.int64)
    state = np.zeros(n, dtype=np.int8)
    began = np.full(n, -1, dtype=np.int64)
    best = np.nan
    last_record = -1
    current = 0
    start = -1
    for t in range(n):
        v = x[t]
        if np.isnan(v):
            continue
        if last_record < 0 or v >= best:
            previous[t] = last_record
            best = v
            last_record = t
            current = 0
            start = -1
        else:
            dd = v / best - 1.0
            if dd <= bear and current < 2:
                current = 2
                start = t
            elif dd <= correction and current < 1:
                current = 1
                start = t
        peak[t] = last_record
        state[t] = current
        began[t] = start
    return peak, previous, state, began


def _first_after(flags: NDArray[np.bool_], run_start: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each row, the first flagged row after its run's start (``len(flags)`` when none)."""
    k = flags.shape[0]
    nxt = np.where(flags, np.arange(k), k)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]  # first flagged row at or after each row
    return nxt[run_start]


def record_levels_1d(
    x: NDArray[np.float64], correction: float, bear: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """Record rows, drawdown states and their starts of a level series (vectorised).

    Same parameters, returns and rules as :func:`record_levels_1d_py`, computed over the
    non-NaN rows ``v`` (NaN rows keep ``-1, -1, 0, -1``):

    - row k sets a record when ``v[k] >= max(v[0..k-1])`` (the first row always does), and
      ``peak[k]`` is the latest such row, found as a running maximum of the record rows' indices;
    - with ``dd[k] = v[k] / v[peak[k]] - 1``, a row after the record is in a bear market when some
      row of the run ``(peak[k], k]`` has ``dd <= bear``, else in a correction when some has
      ``dd <= correction`` (counted as differences of cumulative sums), and ``began`` is the first
      such row of the run.

    Examples
    --------
    >>> peak, previous, state, began = record_levels_1d(
    ...     np.array([100.0, 105.0, 94.0, 83.0, 90.0, 106.0]), -0.10, -0.20)
    >>> peak.tolist(), previous.tolist(), state.tolist(), began.tolist()
    ([0, 1, 1, 1, 1, 5], [-1, 0, -1, -1, -1, 1], [0, 0, 1, 2, 2, 0], [-1, -1, 2, 3, 3, -1])
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    valid = ~np.isnan(x)
    if n and valid.all():  # the usual case: no NaN row, positions are rows
        return _levels(x, correction, bear)
    peak = np.full(n, -1, dtype=np.int64)
    previous = np.full(n, -1, dtype=np.int64)
    state = np.zeros(n, dtype=np.int8)
    began = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(valid)
    if rows.shape[0] == 0:
        return peak, previous, state, began
    got_peak, got_previous, st, start = _levels(x[rows], correction, bear)
    peak[rows] = rows[got_peak]
    previous[rows] = np.where(got_previous >= 0, rows[np.maximum(got_previous, 0)], -1)
    state[rows] = st
    began[rows] = np.where(start >= 0, rows[np.maximum(start, 0)], -1)
    return peak, previous, state, began


def _levels(
    v: NDArray[np.float64], correction: float, bear: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """:func:`record_levels_1d` of a series without NaN (positions in ``v``)."""
    k = v.shape[0]
    best = np.empty(k)
    best[0] = -np.inf
    np.maximum.accumulate(v[:-1], out=best[1:])  # the record before each row
    record = v >= best
    idx = np.arange(k)
    run = np.maximum.accumulate(np.where(record, idx, 0))  # latest record row at or before
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = v / v[run] - 1.0
    st = np.zeros(k, dtype=np.int8)
    start = np.full(k, -1, dtype=np.int64)
    for level, threshold in ((1, correction), (2, bear)):  # a bear market overrides
        rows_past = dd <= threshold + TOLERANCE
        rows_past &= ~record
        if not rows_past.any():
            continue
        count = np.cumsum(rows_past)
        inside = count > count[run]  # some row of the run since the record is past it
        st[inside] = level
        start[inside] = _first_after(rows_past, run)[inside]
    previous = np.full(k, -1, dtype=np.int64)
    previous[1:] = np.where(record[1:], run[:-1], -1)
    return run, previous, st, start
