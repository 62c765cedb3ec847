"""Series pipeline: one series on one date -> every move the facts describe.

:func:`series_moves` runs the analytics behind a series' facts (the calendar-window returns,
each N-row return with its record horizon and unusualness, the calendar periods and the level
against its record close); :func:`rotascope.narrative.series_facts.moves_facts` writes the
sentences. :func:`window_returns` gives the same calendar-window return of several segments
(the year-to-date comparison). Only rows on or before the as-of date are read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotascope.analytics import (
    RecordResult,
    Unusualness,
    WindowReturn,
    ranked_horizons,
    record_at,
    rolling_returns,
    unusualness,
    window_return,
)
from rotascope.analytics.levels import LevelExtreme, LevelResult, level_extreme, level_status
from rotascope.analytics.periods import PeriodResult, period_record
from rotascope.analytics.records import Direction
from rotascope.analytics.windows import rolling_changes, window_change
from rotascope.errors import InputError
from rotascope.pipeline.subjects import FrequencyProfile, Subject, Windows, profile_for

__all__ = [
    "DAILY_PERIODS",
    "RANKED",
    "RowMove",
    "SeriesMoves",
    "extreme_of",
    "level_of",
    "period_records",
    "series_moves",
    "window_returns",
    "without_nan",
]

#: How many ranked horizons a move keeps ("the third-largest drop since ..." at most).
RANKED = 3

#: The calendar periods of a daily series' facts.
DAILY_PERIODS = ("week", "month", "quarter", "half", "year")


@dataclass(frozen=True)
class RowMove:
    """The N-row move of a series to its last date.

    Attributes
    ----------
    rows : int
        N.
    label : str
        ``"5d"``, ``"3m"``: the window as the profile names it.
    returns : Series
        Every N-row return ``P[t] / P[t-N] - 1`` to the date; for a level series measured by
        differences (``Subject.change`` "diff" or "pp"), every N-row change ``x[t] - x[t-N]``.
    direction : {"gain", "drop"}
        By the sign of today's return.
    record : RecordResult
        Its record horizon and rank in that direction.
    move : Unusualness
        Its z-score against the trailing lookback and percentile in history.
    start : Timestamp
        The window's first date; ``start_level`` and ``end_level`` the prices at its ends.
    rows_since : int or None
        Rows from the record horizon's date to today (None on record).
    year_rows : int
        N-row returns in the date's calendar year so far.
    ranked : tuple of Timestamp
        The ranked horizons (:func:`~rotascope.analytics.ranked_horizons`, at most
        :data:`RANKED`): dates of the most recent earlier returns at least as extreme.
    """

    rows: int
    label: str
    returns: pd.Series
    direction: Direction
    record: RecordResult
    move: Unusualness
    start: pd.Timestamp
    start_level: float
    end_level: float
    rows_since: int | None
    year_rows: int
    ranked: tuple[pd.Timestamp, ...] = ()


@dataclass(frozen=True)
class SeriesMoves:
    """Everything the facts of one series on one date describe.

    ``subject`` holds the prices cut at the date (missing values dropped); ``calendar`` the
    calendar-window returns by label (changes for a level series measured by differences);
    ``periods`` and ``level`` are empty/None unless asked for (a daily price series with the
    default windows); ``extreme``: a level series' highest or lowest since (any windows).
    """

    subject: Subject
    last: pd.Timestamp
    profile: FrequencyProfile
    calendar: list[tuple[str, WindowReturn]]
    moves: list[RowMove]
    periods: list[PeriodResult]
    level: LevelResult | None
    extreme: LevelExtreme | None = None


def without_nan(s: pd.Series) -> pd.Series:
    """``s.dropna()``; a slice (no copy) when the NaN rows all come first, as in clean prices
    (none) and N-row returns (the first N)."""
    x = s.to_numpy()
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        first = int(np.argmin(nan)) if len(x) else 0
        if not nan[first:].any():
            return s.iloc[first:]
    return s.dropna()


def _rows_since(stat: pd.Series, rec: RecordResult) -> int | None:
    if rec.since is None:
        return None
    # the dates are sorted and unique: the position of rec.since without building a hash table
    return len(stat) - 1 - int(stat.index.searchsorted(rec.since))


def _row_move(prices: pd.Series, n: int, prof: FrequencyProfile,
              diff: bool = False) -> RowMove | None:
    last = prices.index[-1]
    r = without_nan(rolling_changes(prices, n) if diff else rolling_returns(prices, n))
    if r.empty or r.index[-1] != last:
        return None
    direction: Direction = "gain" if r.iloc[-1] >= 0 else "drop"
    rec = record_at(r, None, direction)
    return RowMove(
        rows=n, label=prof.row_label(n), returns=r, direction=direction, record=rec,
        move=unusualness(r, None, prof.zscore_lookback), start=prices.index[-1 - n],
        start_level=float(prices.iloc[-1 - n]), end_level=float(prices.iloc[-1]),
        rows_since=_rows_since(r, rec),
        year_rows=len(r) - int(r.index.searchsorted(pd.Timestamp(last.year, 1, 1, tz=last.tz))),
        ranked=ranked_horizons(r, None, direction, RANKED),
    )


def series_moves(subject: Subject, as_of: pd.Timestamp | None = None,
                 windows: Windows | None = None) -> SeriesMoves:
    """The moves of ``subject`` on ``as_of`` (default: its last date).

    Parameters
    ----------
    subject : Subject
    as_of : Timestamp, optional
    windows : tuple, optional
        N-row windows (:func:`~rotascope.pipeline.subjects.parse_windows`) instead of the
        frequency's defaults; with them, no calendar periods and no record close.

    A level series (``subject.reading == "level"``: a yield, a spread, the VIX) gets its changes
    (differences unless ``subject.change == "pct"``: percent changes), no calendar periods
    and no record close, but its highest or lowest level since (:func:`extreme_of`).

    Raises
    ------
    InputError
        Fewer than two prices on or before the date.
    """
    prof = profile_for(subject.frequency).with_windows(windows)
    prices = without_nan(subject.prices)
    if as_of is not None:
        prices = prices[prices.index <= as_of]
    if len(prices) < 2:
        raise InputError(f"{subject.name}: fewer than two prices on or before the as-of date")
    last = prices.index[-1]
    is_level = subject.reading == "level"
    diff = is_level and subject.change != "pct"
    change = window_change if diff else window_return
    calendar = []
    for label in prof.calendar_windows:
        try:
            calendar.append((label, change(prices, label)))
        except InputError:
            continue  # history too short for this window
    moves = [m for n in prof.record_rows if len(prices) > n + 1
             if (m := _row_move(prices, n, prof, diff)) is not None]
    cut = dataclasses.replace(subject, prices=prices)
    default = windows is None and not is_level
    return SeriesMoves(subject=cut, last=last, profile=prof, calendar=calendar, moves=moves,
                       periods=period_records(cut, last) if default else [],
                       level=level_of(cut, last) if default else None,
                       extreme=extreme_of(cut, last) if is_level else None)


def period_records(subject: Subject, as_of: pd.Timestamp | None = None,
                   periods: Sequence[str] = DAILY_PERIODS) -> list[PeriodResult]:
    """Each calendar period holding ``as_of`` of a daily series (complete, or to date) with its
    record horizon and rank among the same periods; none for slower series."""
    if subject.frequency != "daily":
        return []
    out = []
    for period in periods:
        try:
            out.append(period_record(subject.prices, period, as_of))
        except InputError:
            continue
    return out


def level_of(subject: Subject, as_of: pd.Timestamp | None = None) -> LevelResult | None:
    """The level of a price series against its record close on ``as_of``; None for an index
    compounded from returns (no close a reader would call a record) or too little history."""
    if subject.source.startswith("cumulative index of"):
        return None
    try:
        return level_status(subject.prices, as_of)
    except InputError:
        return None


def extreme_of(subject: Subject, as_of: pd.Timestamp | None = None) -> LevelExtreme | None:
    """A level series' highest or lowest level since when on ``as_of``
    (:func:`~rotascope.analytics.levels.level_extreme`); None without two levels."""
    prices = without_nan(subject.prices)
    if as_of is not None:
        prices = prices[prices.index <= as_of]
    if len(prices) < 2:
        return None
    return level_extreme(prices)


def window_returns(subjects: Mapping[str, Subject], names: Sequence[str],
                   as_of: pd.Timestamp | None = None,
                   window: str = "ytd") -> dict[str, WindowReturn]:
    """The ``window`` return (:func:`~rotascope.analytics.window_return`) of each daily segment
    of ``names`` on ``as_of``, by name; segments without one are left out."""
    out: dict[str, WindowReturn] = {}
    for name in names:
        sub = subjects.get(name)
        if sub is None or sub.frequency != "daily" or sub.reading == "level":
            continue
        prices = without_nan(sub.prices)
        if as_of is not None:
            prices = prices[prices.index <= as_of]
        try:
            out[name] = window_return(prices, window)
        except InputError:
            continue
    return out
