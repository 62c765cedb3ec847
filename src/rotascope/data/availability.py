"""Point in time: the period each row covers and the moment it becomes known.

One rule serves every series, whatever its provider:

- a row of a **daily** series covers its own day (a close is known at that close);
- a row of a **weekly**, **monthly**, **quarterly** or **annual** series covers the whole period
  and is stamped on the period's last calendar day (:func:`period_end_index`; a July average or a
  July return is dated 2024-07-31, never 2024-07-01). Weekly rows keep the source's stamp, which
  for the usual sources (FRED, Yahoo weekly closes) already is the week's last day;
- a row becomes **known** at its period's end plus the source's publication lag
  (:func:`publication_lag`: zero for closes, Ken French and Shiller files; the release lag for
  macro statistics such as the unemployment rate);
- ``--as-of D`` keeps the rows known on or before ``D`` (:func:`known_by`), nothing else.

Analytics therefore receive series that are already point in time. A series whose latest known
row is older than its frequency allows is **stale** (:func:`staleness`): a daily series more than
:data:`STALE_TRADING_DAYS` business days old, a period series more than one period behind the
latest period that could have been published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from rotascope.data.series import SeriesMeta, TimeSeries

__all__ = [
    "PUBLICATION_LAGS",
    "STALE_TRADING_DAYS",
    "Staleness",
    "date_staleness",
    "known_by",
    "known_dates",
    "period_end_index",
    "period_start",
    "publication_lag",
    "staleness",
]

#: A daily series whose last row is more than this many business days before the as-of date is
#: stale.
STALE_TRADING_DAYS = 5

#: Publication lag in calendar days after the period's end, by source symbol (lower case). These
#: are upper bounds of the usual release dates, so that a row is never used before it was out:
#: the BLS Employment Situation (UNRATE, PAYEMS) comes out on the first Friday of the next month,
#: CPI about two weeks after the month, the Fed's H.6 money stock (M2SL) about four weeks after.
#: Everything else (closes, Ken French and Shiller files, daily FRED series) has no lag.
PUBLICATION_LAGS: dict[str, int] = {
    "unrate": 10,
    "payems": 10,
    "cpiaucsl": 20,
    "cpilfesl": 20,
    "m2sl": 35,
    "indpro": 20,
    "pcepi": 35,
}

_OFFSETS: dict[str, pd.offsets.BaseOffset] = {
    "monthly": pd.offsets.MonthEnd(0),
    "quarterly": pd.offsets.QuarterEnd(0),
    "annual": pd.offsets.YearEnd(0),
}
_STARTS: dict[str, pd.offsets.BaseOffset] = {
    "monthly": pd.offsets.MonthBegin(1),
    "quarterly": pd.offsets.QuarterBegin(1, startingMonth=1),
    "annual": pd.offsets.YearBegin(1),
}
_PERIOD_CODES = {"weekly": "W", "monthly": "M", "quarterly": "Q", "annual": "Y"}


def period_end_index(index: pd.DatetimeIndex, frequency: str) -> pd.DatetimeIndex:
    """Stamp each row of a period series on the last calendar day of the period it covers.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        The source's stamps (first of the month, last trading day, mid-month...).
    frequency : str
        ``monthly``, ``quarterly`` and ``annual`` move to the period's end
        (``d + MonthEnd(0)`` etc.); ``daily`` and ``weekly`` are returned unchanged.

    Returns
    -------
    pandas.DatetimeIndex
        The period ends, named like ``index``.

    Examples
    --------
    >>> period_end_index(pd.DatetimeIndex(["2024-07-01", "2024-06-28"]), "monthly").strftime(
    ...     "%Y-%m-%d").tolist()
    ['2024-07-31', '2024-06-30']
    """
    offset = _OFFSETS.get(frequency)
    if offset is None or len(index) == 0:
        return index
    ends = pd.DatetimeIndex(index.normalize() + offset, name=index.name)
    return ends


def period_start(dates: pd.DatetimeIndex | pd.Timestamp, frequency: str) -> pd.Timestamp | pd.DatetimeIndex:
    """First calendar day of the period a period-end stamp covers (the date itself for daily
    and weekly series).

    Examples
    --------
    >>> period_start(pd.Timestamp("2024-06-30"), "monthly")
    Timestamp('2024-06-01 00:00:00')
    """
    offset = _STARTS.get(frequency)
    if offset is None:
        return dates
    return dates - offset


def publication_lag(meta: SeriesMeta) -> pd.Timedelta:
    """Calendar days after a period's end before its row is published (see
    :data:`PUBLICATION_LAGS`; zero when the symbol is not listed)."""
    symbol = meta.symbol.strip().lower()
    return pd.Timedelta(days=PUBLICATION_LAGS.get(symbol, 0))


def known_dates(ts: TimeSeries) -> pd.DatetimeIndex:
    """The date each row of ``ts`` becomes known: its period end plus the publication lag."""
    index = pd.DatetimeIndex(ts.data.index)
    lag = publication_lag(ts.meta)
    return index + lag if lag else index


def known_by(ts: TimeSeries, as_of: pd.Timestamp | None) -> TimeSeries:
    """The rows of ``ts`` known on or before ``as_of`` (all rows when ``as_of`` is None).

    A row is kept when ``period_end + publication_lag <= as_of``: as of 2024-07-18 a monthly
    series ends with June 2024, a daily one with 2024-07-18.
    """
    if as_of is None:
        return ts
    from rotascope.data.series import TimeSeries

    keep = known_dates(ts) <= pd.Timestamp(as_of)
    if bool(keep.all()):
        return ts
    return TimeSeries(ts.data[keep], ts.meta)


@dataclass(frozen=True)
class Staleness:
    """How old a series' latest row is on an as-of date.

    Attributes
    ----------
    last : Timestamp or None
        The latest row known on the as-of date (None when none is).
    behind : int
        Business days (daily series) or whole periods (period series) between ``last`` and the
        latest row that could have been known on the as-of date.
    stale : bool
        ``behind`` beyond the allowance: more than :data:`STALE_TRADING_DAYS` business days, or
        more than one period.
    unit : str
        ``"trading days"`` or the period noun (``"months"``...).
    """

    last: pd.Timestamp | None
    behind: int
    stale: bool
    unit: str

    def describe(self) -> str:
        """A short phrase for notes: ``"3 months old"``."""
        if self.last is None:
            return "no data"
        return f"{self.behind} {self.unit} old"


def staleness(ts: TimeSeries, as_of: pd.Timestamp) -> Staleness:
    """Whether ``ts`` (already cut at ``as_of``) is stale on ``as_of``: :func:`date_staleness`
    of its last row, frequency and publication lag."""
    return date_staleness(ts.last_date, ts.meta.frequency, as_of, publication_lag(ts.meta))


def date_staleness(
    last: pd.Timestamp | None,
    frequency: str,
    as_of: pd.Timestamp,
    lag: pd.Timedelta | None = None,
) -> Staleness:
    """How old data whose latest row is ``last`` are on ``as_of``.

    Daily: ``behind`` = business days from ``last`` to ``as_of`` (numpy ``busday_count``,
    weekends only); stale when ``behind > 5``. Period series: ``behind`` = periods between the
    last row's period and the latest period whose row would be known on ``as_of`` (its end plus
    the publication lag ``lag``); stale when ``behind > 1``.

    Examples
    --------
    >>> date_staleness(pd.Timestamp("2024-05-31"), "monthly", pd.Timestamp("2024-07-18")).behind
    1
    >>> date_staleness(pd.Timestamp("2024-07-08"), "daily", pd.Timestamp("2024-07-18")).stale
    True
    """
    as_of = pd.Timestamp(as_of).normalize()
    lag = lag if lag is not None else pd.Timedelta(0)
    freq = frequency
    last = None if last is None or pd.isna(last) else pd.Timestamp(last)
    if freq == "daily":
        if last is None:
            return Staleness(None, 0, True, "trading days")
        behind = int(np.busday_count(last.date(), as_of.date()))
        return Staleness(last, behind, behind > STALE_TRADING_DAYS, "trading days")
    code = _PERIOD_CODES.get(freq, "M")
    unit = {"W": "weeks", "M": "months", "Q": "quarters", "Y": "years"}[code]
    if last is None:
        return Staleness(None, 0, True, unit)
    # the latest period whose row could be known: its end + lag <= as_of
    latest = (as_of - lag).to_period(code)
    if latest.end_time.normalize() > as_of - lag:
        latest = latest - 1
    behind = max(0, latest.ordinal - last.to_period(code).ordinal)
    return Staleness(last, behind, behind > 1, unit)
