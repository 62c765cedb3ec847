"""Levels: record closes, the drawdown from the record, corrections and bear markets.

"The S&P 500 closed at a record, its first since January 2022"; "more than 17% below its record
close"; "the Nasdaq 100 entered a correction"; "the S&P 500 is in a bear market". For a level series (the
VIX, a yield, a spread), :func:`level_extreme`: "its highest close since November 2008", "its
lowest since ...", the record horizon of the level itself (:func:`~rotascope.analytics.records.
record_at` on the levels, not on a return). Definitions are
those of :mod:`rotascope.kernels.levels` (a record is a close at least as high as every earlier
close; a correction is a close 10% or more below the latest record, a bear market 20% or more;
a new record ends both), computed by :func:`rotascope.kernels.levels.record_levels_1d` over the
closes up to the as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_timestamp, closes_until, is_number, valid_series
from rotascope.analytics.records import RecordResult, record_at
from rotascope.errors import InputError
from rotascope.kernels.levels import record_levels_1d

__all__ = ["BEAR", "CORRECTION", "LevelExtreme", "LevelResult", "level_extreme", "level_status"]

#: Drawdowns from the record close that make a correction and a bear market.
CORRECTION, BEAR = -0.10, -0.20
_STATES = {0: "normal", 1: "correction", 2: "bear"}


@dataclass(frozen=True)
class LevelResult:
    """The level of a series on a date against its record close.

    Attributes
    ----------
    date : Timestamp
        Last close on or before the as-of date.
    level : float
    record : bool
        Whether this close is a record (at least as high as every earlier close).
    record_date, record_level : Timestamp, float
        The latest record close (``date`` itself on a record).
    previous_record : Timestamp or None
        On a record: the record close before it (None for the first close).
    records_this_year : int
        Record closes in the calendar year of ``date``, this one included.
    drawdown : float
        ``level / record_level - 1`` (0 on a record).
    state : {"normal", "correction", "bear"}
    state_began : Timestamp or None
        First close of the current correction or bear market; on a record that ends one, the
        start of the state it ends (``ended``).
    entered : bool
        The state began on ``date`` (a correction or bear market entered today).
    ended : str
        On a record: ``"correction"`` or ``"bear"`` when the day before was in one, else "".
    first : Timestamp
        First close of the history.
    """

    date: pd.Timestamp
    level: float
    record: bool
    record_date: pd.Timestamp
    record_level: float
    previous_record: pd.Timestamp | None
    records_this_year: int
    drawdown: float
    state: str
    state_began: pd.Timestamp | None
    entered: bool
    ended: str
    first: pd.Timestamp


def level_status(prices: pd.Series, as_of: pd.Timestamp | None = None,
                 correction: float = CORRECTION, bear: float = BEAR) -> LevelResult:
    """Record, drawdown and correction or bear-market state at ``as_of`` (module docstring).

    Parameters
    ----------
    prices : pandas.Series
        Closes on a sorted, unique DatetimeIndex; NaN rows are dropped. Closes are meant to be
        positive; this is not checked.
    as_of : Timestamp, optional
        Use only closes on or before this date; the result is for the last of them (default:
        the last close).
    correction, bear : float, default -0.10 and -0.20
        Drawdowns from the record close, as negative fractions, that start a correction and a
        bear market, with ``-1 < bear <= correction < 0``.

    Returns
    -------
    LevelResult
        The close on ``date`` against its record close, its drawdown, the state and when the
        state began (see :class:`LevelResult`).

    Raises
    ------
    InputError
        No close (non-NaN value) on or before ``as_of``, a bad ``as_of``, or thresholds outside
        ``-1 < bear <= correction < 0``.

    Notes
    -----
    With ``x[0..t]`` the closes up to ``date`` (row t), computed by
    :func:`rotascope.kernels.levels.record_levels_1d`:

    - row s sets a record when ``x[s] >= max(x[0..s-1])`` (a tie counts; the first close is
      one); ``peak`` is the latest record row at or before t, ``record = (peak == t)``,
      ``record_level = x[peak]`` and ``drawdown = x[t] / x[peak] - 1``;
    - ``previous_record``: on a record, the record row before it (None for the first close,
      and whenever ``date`` is not a record);
    - ``records_this_year = #{s <= t : s sets a record, year(s) == year(t)}`` (0 when the year
      has none yet);
    - ``state`` is "bear" when some close of rows ``peak+1 .. t`` has ``drawdown <= bear``,
      else "correction" when some has ``drawdown <= correction``, else "normal". The state
      holds until the next record: a rebound above the threshold does not end it;
    - ``state_began`` is the first close of those rows past the current state's threshold
      (for a bear market, the first close at or below ``bear``); None in the normal state;
      ``entered`` is True when that close is ``date`` itself;
    - on a record that follows a day in a correction or bear market, ``ended`` names that
      state and ``state_began`` is its first close; the state itself is then "normal".
    """
    if not (is_number(correction) and is_number(bear) and -1.0 < bear <= correction < 0.0):
        raise InputError(f"correction and bear must be drawdowns with -1 < bear <= correction < 0 "
                         f"(got correction={correction!r}, bear={bear!r})")
    s = closes_until(prices, "prices", as_of)
    if s.empty:
        raise InputError("no close on or before the as-of date")
    x = s.to_numpy(dtype="float64")
    peak, previous, state, began = record_levels_1d(x, correction, bear)
    t = len(x) - 1
    idx = pd.DatetimeIndex(s.index)
    is_record = peak[t] == t
    year = idx.year == idx[t].year
    records = int(np.sum((peak == np.arange(len(x))) & year))
    ended, began_at = "", None
    if is_record and t > 0 and state[t - 1] > 0:
        ended = _STATES[int(state[t - 1])]
        began_at = idx[began[t - 1]]
    elif began[t] >= 0:
        began_at = idx[began[t]]
    return LevelResult(
        date=idx[t], level=float(x[t]), record=bool(is_record), record_date=idx[peak[t]],
        record_level=float(x[peak[t]]),
        previous_record=idx[previous[t]] if is_record and previous[t] >= 0 else None,
        records_this_year=records, drawdown=float(x[t] / x[peak[t]] - 1.0),
        state=_STATES[int(state[t])], state_began=began_at,
        entered=bool(began[t] == t), ended=ended, first=idx[0],
    )


@dataclass(frozen=True)
class LevelExtreme:
    """Where a level series' value stands against its own history: highest or lowest since.

    Attributes
    ----------
    direction : {"high", "low"}
        The side with the longer record horizon (on record beats any horizon; a tie: high).
    record : RecordResult
        :func:`~rotascope.analytics.records.record_at` of the levels in that direction: ``since``
        is the last earlier close at least as high (``>=``; ``<=`` for lows), None on record.
    rows_since : int or None
        Rows from ``record.since`` to the date (None on record).
    """

    direction: str
    record: RecordResult
    rows_since: int | None


def level_extreme(levels: pd.Series, as_of: pd.Timestamp | None = None) -> LevelExtreme:
    """Highest or lowest level since when, at ``as_of`` (the last row on or before it).

    With ``x`` the levels up to the date's row t: the high horizon is ``max{s < t : x[s] >=
    x[t]}``, the low horizon ``max{s < t : x[s] <= x[t]}`` (:func:`record_at`, directions gain
    and drop); the side reported is the one with the earlier horizon (none: on record).

    Parameters
    ----------
    levels : pandas.Series
        Levels (the VIX, a yield, a spread; any sign) on a sorted, unique DatetimeIndex; NaN
        rows are dropped.
    as_of : Timestamp, optional
        Use only levels dated on or before this; the result is for the last of them (default:
        the last level).

    Returns
    -------
    LevelExtreme
        The reported side (``"high"`` or ``"low"``), its :class:`RecordResult` and the rows
        since its horizon (None on record).

    Notes
    -----
    Each side's horizon starts at its ``since``, or, on record, the day before the first
    date (earlier than any ``since``). The side with the earlier start is reported: "low" when
    the low's start is strictly earlier, else "high". So a record beats any horizon, and a tie
    goes to "high": both sides find the same ``since`` when ``x[since] == x[t]``, and both are
    on record only on the first row. ``rows_since = t - position(since)``, counted in the
    non-NaN rows (trading rows, not calendar days). The values on ``record`` are those of
    :func:`record_at` (rank, year rank, ``years`` from ``since`` to the date).

    Raises
    ------
    InputError
        No level on or before ``as_of``.

    Examples
    --------
    >>> idx = pd.date_range("2020-01-01", periods=5)
    >>> ext = level_extreme(pd.Series([20.0, 30.0, 25.0, 18.0, 28.0], index=idx))
    >>> ext.direction, ext.record.since.date(), ext.rows_since
    ('high', datetime.date(2020, 1, 2), 3)
    """
    s = valid_series(levels, "levels")
    if as_of is not None:
        s = s[s.index <= as_timestamp(as_of)]
    if s.empty:
        raise InputError("no level on or before the as-of date")
    high = record_at(s, None, "gain")
    low = record_at(s, None, "drop")

    def start(rec: RecordResult) -> pd.Timestamp:
        return rec.first_date - pd.Timedelta(days=1) if rec.since is None else rec.since

    direction, rec = ("low", low) if start(low) < start(high) else ("high", high)
    rows = None if rec.since is None else (
        len(s) - 1 - int(s.index.get_loc(rec.since)))  # type: ignore[arg-type]
    return LevelExtreme(direction=direction, record=rec, rows_since=rows)
