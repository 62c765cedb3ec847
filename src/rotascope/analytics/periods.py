"""Calendar periods: the week, month, quarter, half and year, with their records.

"The S&P 500 had its worst week since March 2020", "its best month since November 2020", "its
worst first half since 1970, the fourth-worst on record", "worst year since 2008", "down 16.8% so
far this year". Definitions:

- a period's **return** is its last close over the last close of the period before
  (:func:`rotascope.kernels.periods.period_returns_1d`): weeks end on Fridays (``W-FRI``), so a
  week's return is Friday to Friday, whatever holidays the week had;
- the period holding ``as_of`` is **complete** when ``as_of`` is on or after its last business
  day (Monday to Friday; a holiday on that day is not known here, so such a period reads "to
  date" on its last trading day); otherwise its return is **to date** and said so;
- **record horizon**: the most recent earlier complete period whose return is at least as large
  (a gain) or at least as small (a drop); **rank**: 1 + the number of earlier complete periods
  strictly more extreme in the same direction, among ``of`` = those periods + this one; halves
  compare with the same half (first halves with first halves).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_timestamp, closes_until, valid_series
from rotascope.errors import InputError
from rotascope.kernels.periods import period_ends_1d, period_returns_1d

__all__ = ["PERIODS", "Period", "PeriodResult", "period_record", "period_returns"]

Period = Literal["week", "month", "quarter", "half", "year"]
PERIODS: tuple[str, ...] = get_args(Period)
_CODES = {"week": "W-FRI", "month": "M", "quarter": "Q", "year": "Y"}


#: Period ids from a tz-naive index's datetime64 values: months, quarters, halves and years
#: counted from 1970 (floor division, so earlier dates count down), weeks Saturday to Friday
#: (1970-01-03 was a Saturday, day 2). Only equality and order of the ids matter
#: (:func:`rotascope.kernels.periods.period_ends_1d`): they are the ``to_period`` runs.
_UNITS = {"week": ("D", 7, 2), "month": ("M", 1, 0), "quarter": ("M", 3, 0),
          "half": ("M", 6, 0), "year": ("Y", 1, 0)}


def _ids(index: pd.DatetimeIndex, period: str) -> np.ndarray:
    if index.tz is not None:  # wall-clock periods, as to_period reads them
        if period == "half":
            return np.asarray(index.year * 2 + (index.month > 6), dtype=np.int64)
        return np.asarray(index.to_period(_CODES[period]).asi8, dtype=np.int64)
    unit, size, shift = _UNITS[period]
    counts = index.to_numpy().astype(f"datetime64[{unit}]").astype(np.int64)
    return (counts - shift) // size


#: First month of the period holding each month (1-12), and the period's length in months.
_MONTHS = {"month": (lambda m: m, 0), "quarter": (lambda m: m - (m - 1) % 3, 2),
           "half": (lambda m: 1 if m <= 6 else 7, 5), "year": (lambda m: 1, 11)}


def _bounds_of(day: pd.Timestamp, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last calendar day of the period holding ``day`` (one day of :func:`_bounds`),
    naive midnights: what ``to_period(...).start_time`` / ``end_time`` normalized give, by
    calendar arithmetic (weeks Saturday to Friday)."""
    day = pd.Timestamp(day)
    if period == "week":  # W-FRI: back to the Saturday (day_of_week 5) on or before the day
        start = pd.Timestamp(day.year, day.month, day.day) - pd.Timedelta(
            days=(day.day_of_week - 5) % 7)
        return start, start + pd.Timedelta(days=6)
    first_month, span = _MONTHS[period]
    m0 = first_month(day.month)
    m1 = m0 + span
    return (pd.Timestamp(day.year, m0, 1),
            pd.Timestamp(day.year, m1, calendar.monthrange(day.year, m1)[1]))


def _bounds(last: pd.DatetimeIndex, period: str) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """First and last calendar day of the period holding each day of ``last``."""
    if period == "half":
        quarter = last.to_period("Q")
        # Q2 -> Q1, Q4 -> Q3 (pandas-stubs type only scalar shifts of a PeriodIndex)
        first = (quarter - (quarter.quarter - 1) % 2).start_time.normalize()  # type: ignore[operator]
        return first, first + pd.offsets.MonthEnd(6)
    p = last.to_period(_CODES[period])
    return p.start_time.normalize(), p.end_time.normalize()


def _closes(s: pd.Series, period: str) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Date of each period's last close and the period's return, from the non-missing ``s``."""
    index = pd.DatetimeIndex(s.index)
    x = s.to_numpy(dtype="float64")
    ends = period_ends_1d(_ids(index, period), x)
    return index[ends], period_returns_1d(x, ends)


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise InputError(f"period must be one of: {', '.join(PERIODS)} (got {period!r})")


def period_returns(prices: pd.Series, period: str) -> pd.DataFrame:
    """Every period's return, one row per period, indexed by the period's last close.

    Parameters
    ----------
    prices : pandas.Series
        Closes on a sorted, unique DatetimeIndex; NaN rows are dropped (they are not closes).
        Closes are meant to be positive; this is not checked.
    period : {"week", "month", "quarter", "half", "year"}
        Weeks run Saturday to Friday (``W-FRI``); halves are January-June and July-December.

    Returns
    -------
    pandas.DataFrame
        ``period_start``, ``period_end`` (calendar bounds), ``value`` (NaN for the first
        period), ``last`` (date of the period's last close) and ``half`` (1 or 2).

    Raises
    ------
    InputError
        ``period`` is not one of the five, or ``prices`` is not a dated Series.

    Notes
    -----
    With ``e_k`` the date of the last close of the k-th period that has a close:
    ``value[k] = P[e_k] / P[e_{k-1}] - 1``, NaN for the first one. In plain pandas, for a
    week: ``p = prices.dropna()``, ``last = p.groupby(p.index.to_period("W-FRI")).tail(1)``,
    ``value = last / last.shift(1) - 1`` (``"M"``, ``"Q"``, ``"Y"`` for months, quarters and
    years; halves group by ``(year, month > 6)``). A period without any close has no row, so
    the return after a gap runs from the last close before it. The first period is usually
    partial, which is why it has no return; the last may be partial too (to date, from the
    previous period's last close to the last close so far). ``period_start`` and
    ``period_end`` are the calendar bounds of the period holding ``last`` (midnights, weekends
    included); ``half`` is 1 when ``last`` falls in January-June, else 2.
    """
    _check_period(period)
    last, values = _closes(valid_series(prices, "prices"), period)
    start, end = _bounds(last, period)
    return pd.DataFrame({
        "period_start": start.to_numpy(), "period_end": end.to_numpy(),
        "value": values, "last": last,
        "half": np.where(last.month > 6, 2, 1),
    }, index=last)


@dataclass(frozen=True)
class PeriodResult:
    """The period holding the as-of date and its record among the same periods.

    Attributes
    ----------
    period : str
        ``week``, ``month``, ``quarter``, ``half`` or ``year``.
    period_start, period_end : Timestamp
        Calendar bounds of the period.
    date : Timestamp
        Its last close on or before the as-of date.
    value : float
        Its return (to date when not complete).
    complete : bool
        Whether the as-of date is on or after the period's last business day.
    direction : {"gain", "drop"}
    since : Timestamp or None
        Record horizon: the last close of the most recent earlier complete period at least as
        extreme; None on record.
    since_start : Timestamp or None
        That period's first calendar day.
    rank, of : int
        Rank among the earlier complete periods and this one (1 = most extreme).
    first : Timestamp
        First calendar day of the first period with a return (the history's start).
    years : float
        Years from ``since`` to ``date`` (the history's length on record).
    """

    period: str
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    date: pd.Timestamp
    value: float
    complete: bool
    direction: str
    since: pd.Timestamp | None
    since_start: pd.Timestamp | None
    rank: int
    of: int
    first: pd.Timestamp
    years: float

    @property
    def on_record(self) -> bool:
        """No earlier period was as extreme."""
        return self.since is None


def period_record(prices: pd.Series, period: str, as_of: pd.Timestamp | None = None
                  ) -> PeriodResult:
    """The period holding ``as_of`` (default: the last close) and its record horizon and rank.

    See the module docstring for the definitions. Only closes on or before ``as_of`` are used.

    Parameters
    ----------
    prices : pandas.Series
        Closes on a sorted, unique DatetimeIndex; NaN rows are dropped.
    period : {"week", "month", "quarter", "half", "year"}
        The calendar period, as in :func:`period_returns`.
    as_of : Timestamp, optional
        Use only closes on or before this date (default: the last close). It also decides
        whether the current period is complete.

    Returns
    -------
    PeriodResult
        The current period's bounds, last close, return, completeness, direction, record
        horizon (``since``, ``since_start``; None on record), ``rank`` of ``of``, the
        history's ``first`` day and ``years``.

    Raises
    ------
    InputError
        Fewer than two periods of data, or no return for the current period.

    Notes
    -----
    With ``v_0 .. v_m`` the ``value`` column of :func:`period_returns` on the closes up to
    ``as_of``: the current period is the last row m, the one holding the last close on or
    before ``as_of`` (when ``as_of`` falls in a period with no close yet, that is the period
    before). ``value = v_m``; it is a gain when ``v_m >= 0`` (zero counts as a gain), else a
    drop. The history ``H`` is the earlier rows with a return (1 .. m-1: every earlier period
    but the first); for halves only those of the same half (first halves with first halves).
    Then, for a gain (``<=`` and ``<`` for a drop):

    - ``since`` = the last close of the latest ``k`` in ``H`` with ``v_k >= v_m``; None when
      there is none (on record); ``since_start`` = the first calendar day of its period;
    - ``rank = 1 + #{k in H : v_k > v_m}``, ``of = #H + 1``.

    ``complete``: ``as_of`` (the last close when None), at midnight, is on or after
    ``BDay().rollback(period_end)``, the period's last Monday-to-Friday day. ``first`` is the
    first calendar day of the first period with a return (normally row 1; for halves, of
    either half). ``years = (date - since).days / 365.25``, or ``(date - first).days /
    365.25`` on record.
    """
    s = closes_until(prices, "prices", as_of)
    _check_period(period)
    # the rows of period_returns(s, period), as arrays: bounds only for the three rows used
    last, values = _closes(s, period)
    if len(last) < 2 or np.isnan(values[-1]):
        raise InputError(f"{period}: too little history for a {period}'s return")
    day = as_timestamp(as_of) if as_of is not None else last[-1]
    value = float(values[-1])
    keep = ~np.isnan(values[:-1])
    if period == "half":
        keep &= (last[:-1].month > 6) == (last[-1].month > 6)
    pos = np.flatnonzero(keep)
    vals = values[pos]
    gain = value >= 0
    hits = np.flatnonzero(vals >= value) if gain else np.flatnonzero(vals <= value)
    more = int((vals > value).sum()) if gain else int((vals < value).sum())
    first_row = int(np.flatnonzero(~np.isnan(values))[0])
    since_row = int(pos[hits[-1]]) if hits.size else first_row
    first, _ = _bounds_of(last[first_row], period)
    period_start, period_end = _bounds_of(last[-1], period)
    complete = bool(day.normalize() >= pd.offsets.BDay().rollback(period_end))
    since = last[since_row] if hits.size else None
    ref = since if since is not None else first
    return PeriodResult(
        period=period, period_start=period_start, period_end=period_end,
        date=last[-1], value=value, complete=complete,
        direction="gain" if gain else "drop", since=since,
        since_start=None if since is None else _bounds_of(since, period)[0],
        rank=more + 1, of=len(vals) + 1, first=first,
        years=(last[-1] - ref).days / 365.25,
    )
