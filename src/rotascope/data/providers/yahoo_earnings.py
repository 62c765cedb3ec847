"""Earnings dates, EPS estimates and revision counts from Yahoo Finance via ``yfinance``.

Optional (the ``rotascope[yahoo]`` extra). Three ``yfinance.Ticker`` calls are used, in the
shapes yfinance 1.x returns:

``Ticker(t).get_earnings_dates(limit=n)``
    Columns ``EPS Estimate``, ``Reported EPS``, ``Surprise(%)`` (and, in some versions, ``Event
    Type`` with ``Earnings``, ``Call`` or ``Meeting``) on a tz-aware DatetimeIndex named
    ``Earnings Date`` (e.g. ``2026-10-29 16:00:00-04:00``), newest first; future reports have
    NaN for ``Reported EPS``. ``None`` when Yahoo has no dates (unknown or delisted symbol).
``Ticker(t).eps_revisions``
    Index ``period`` (``0q``, ``+1q``, ``0y``, ``+1y``); columns ``upLast7days``,
    ``upLast30days``, ``downLast30days``, ``downLast7Days`` (the capital ``D`` is Yahoo's own
    spelling; older payloads wrote ``downLast7days``, both are read). An empty frame when Yahoo
    has none.
``Ticker(t).revenue_estimate``
    Index ``period``; columns ``avg``, ``low``, ``high``, ``numberOfAnalysts``,
    ``yearAgoRevenue``, ``growth`` (and ``currency``).

They become the documented CSV layouts of :mod:`rotascope.data.earnings`:

- earnings rows ``ticker, report_date, period, eps_actual, eps_estimate, sales_actual,
  sales_estimate``: ``report_date`` is the date of ``Earnings Date`` in its own time zone (the
  exchange's wall clock), rows whose ``Event Type`` is not ``Earnings`` are dropped,
  ``Surprise(%)`` is not kept (rotascope recomputes surprises with its own definition). yfinance
  gives no reported revenue, so ``sales_actual`` is NaN; the average revenue estimate of ``0q``
  (the quarter to be reported next) is put in ``sales_estimate`` of the first report dated after
  the fetch date. ``period`` is ``""`` (Yahoo does not name the fiscal quarter).
- revision counts ``ticker, date, period, up_7d, down_7d, up_30d, down_30d`` dated on the fetch
  date.

The ticker factory is injectable (``ticker_factory=lambda symbol: recorded``) so tests run on
recorded frames; nothing here opens a connection by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotascope.data.earnings import EARNINGS_COLUMNS, PERIODS, REVISION_COUNT_COLUMNS
from rotascope.data.holdings import normalize_ticker
from rotascope.data.providers.yahoo import call_yfinance
from rotascope.errors import InputError, ProviderError

__all__ = [
    "REVENUE_COLUMNS",
    "YahooEarnings",
    "YahooEarningsProvider",
    "earnings_from_dates",
    "revenue_from_estimates",
    "revisions_from_counts",
]

TickerFactory = Callable[[str], Any]

#: Columns of the revenue-estimate frame.
REVENUE_COLUMNS: tuple[str, ...] = (
    "ticker", "date", "period", "avg", "low", "high", "analysts", "year_ago", "growth",
)  # fmt: skip

_REVISION_NAMES = {
    "uplast7days": "up_7d",
    "downlast7days": "down_7d",
    "uplast30days": "up_30d",
    "downlast30days": "down_30d",
}
_REVENUE_NAMES = {
    "avg": "avg",
    "low": "low",
    "high": "high",
    "numberofanalysts": "analysts",
    "yearagorevenue": "year_ago",
    "growth": "growth",
}


def _yfinance_ticker() -> TickerFactory:
    try:
        import yfinance
    except ImportError:
        raise ProviderError(
            "yahoo: the yfinance package is not installed; run: pip install 'rotascope[yahoo]'"
        ) from None
    return yfinance.Ticker


def _day(value: object, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a date like 2026-11-20 (got {value!r})") from None
    if ts is pd.NaT:
        raise InputError(f"{name} must be a date like 2026-11-20 (got {value!r})")
    return (ts.tz_localize(None) if ts.tzinfo is not None else ts).normalize()


def earnings_from_dates(
    frame: pd.DataFrame | None,
    ticker: str,
    *,
    as_of: object,
    revenue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Convert ``Ticker.get_earnings_dates()`` output into earnings rows.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        yfinance's frame (module notes); None or empty gives no rows.
    ticker : str
        The symbol (normalised into the ``ticker`` column).
    as_of : date-like
        The fetch date: the first report dated after it receives the ``0q`` revenue estimate.
    revenue : pandas.DataFrame, optional
        ``Ticker.revenue_estimate``.

    Returns
    -------
    pandas.DataFrame
        :data:`~rotascope.data.earnings.EARNINGS_COLUMNS`, oldest report first.

    Raises
    ------
    ProviderError
        The frame lacks the ``EPS Estimate`` or ``Reported EPS`` column, or its index is not
        made of dates.
    """
    name = normalize_ticker(ticker)
    day = _day(as_of, "as_of")
    if frame is None or len(frame) == 0:
        return _empty_earnings()
    missing = [c for c in ("EPS Estimate", "Reported EPS") if c not in frame.columns]
    if missing:
        raise ProviderError(
            f"yahoo:{name}: earnings dates lack column(s) {', '.join(missing)} "
            f"(got {', '.join(map(str, frame.columns))})"
        )
    data = frame
    if "Event Type" in data.columns:
        data = data[data["Event Type"].astype(str).str.lower() == "earnings"]
    index = data.index
    if not isinstance(index, pd.DatetimeIndex):
        try:
            index = pd.DatetimeIndex(pd.to_datetime(index))
        except (TypeError, ValueError):
            raise ProviderError(f"yahoo:{name}: earnings dates are not dates") from None
    # the date in the index's own time zone (the exchange's wall clock)
    local = index.tz_localize(None) if index.tz is not None else index
    out = pd.DataFrame(
        {
            "ticker": name,
            "report_date": local.normalize().astype("datetime64[us]"),
            "period": "",
            "eps_actual": pd.to_numeric(data["Reported EPS"], errors="coerce").to_numpy(
                dtype="float64"
            ),
            "eps_estimate": pd.to_numeric(data["EPS Estimate"], errors="coerce").to_numpy(
                dtype="float64"
            ),
            "sales_actual": np.nan,
            "sales_estimate": np.nan,
        }
    )
    out = out.sort_values("report_date", kind="mergesort")
    # several rows on one day (a report and its call): keep the one with most numbers
    out["_filled"] = out[["eps_actual", "eps_estimate"]].notna().sum(axis=1)
    out = out.sort_values(["report_date", "_filled"], kind="mergesort")
    out = out.drop_duplicates("report_date", keep="last").drop(columns="_filled")
    estimate = _revenue_0q(revenue)
    if not np.isnan(estimate):
        future = out.index[out["report_date"] > day]
        if len(future):
            out.loc[future[0], "sales_estimate"] = estimate
    return out[list(EARNINGS_COLUMNS)].reset_index(drop=True)


def _empty_earnings() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in EARNINGS_COLUMNS})
    frame["ticker"] = frame["ticker"].astype(object)
    frame["period"] = frame["period"].astype(object)
    frame["report_date"] = frame["report_date"].astype("datetime64[us]")
    return frame


def _by_name(frame: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """Map frame columns (case-insensitively) to our names."""
    return {c: names[str(c).lower()] for c in frame.columns if str(c).lower() in names}


def _revenue_0q(revenue: pd.DataFrame | None) -> float:
    if revenue is None or len(revenue) == 0:
        return np.nan
    cols = _by_name(revenue, _REVENUE_NAMES)
    avg = next((c for c, ours in cols.items() if ours == "avg"), None)
    if avg is None or "0q" not in revenue.index:
        return np.nan
    value = pd.to_numeric(pd.Series([revenue.loc["0q", avg]]), errors="coerce").iloc[0]
    return float(value)


def revisions_from_counts(frame: pd.DataFrame | None, ticker: str, *, as_of: object) -> pd.DataFrame:
    """Convert ``Ticker.eps_revisions`` into counts rows dated ``as_of``.

    Returns
    -------
    pandas.DataFrame
        :data:`~rotascope.data.earnings.REVISION_COUNT_COLUMNS`, one row per period of
        :data:`~rotascope.data.earnings.PERIODS` present; counts float64 (NaN where Yahoo gives
        none).
    """
    name = normalize_ticker(ticker)
    day = _day(as_of, "as_of")
    rows: list[dict[str, object]] = []
    if frame is not None and len(frame):
        cols = _by_name(frame, _REVISION_NAMES)
        for period in PERIODS:
            if period not in frame.index:
                continue
            row: dict[str, object] = {"ticker": name, "date": day, "period": period}
            for ours in ("up_7d", "down_7d", "up_30d", "down_30d"):
                theirs = next((c for c, o in cols.items() if o == ours), None)
                value = frame.loc[period, theirs] if theirs is not None else np.nan
                row[ours] = float(pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0])
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(REVISION_COUNT_COLUMNS))
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[us]")
    counts = list(REVISION_COUNT_COLUMNS[3:])
    out[counts] = out[counts].astype("float64")
    return out


def revenue_from_estimates(frame: pd.DataFrame | None, ticker: str, *, as_of: object) -> pd.DataFrame:
    """Convert ``Ticker.revenue_estimate`` into rows :data:`REVENUE_COLUMNS` dated ``as_of``."""
    name = normalize_ticker(ticker)
    day = _day(as_of, "as_of")
    rows: list[dict[str, object]] = []
    if frame is not None and len(frame):
        cols = _by_name(frame, _REVENUE_NAMES)
        for period in PERIODS:
            if period not in frame.index:
                continue
            row: dict[str, object] = {"ticker": name, "date": day, "period": period}
            for ours in ("avg", "low", "high", "analysts", "year_ago", "growth"):
                theirs = next((c for c, o in cols.items() if o == ours), None)
                value = frame.loc[period, theirs] if theirs is not None else np.nan
                row[ours] = float(pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0])
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(REVENUE_COLUMNS))
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[us]")
    values = list(REVENUE_COLUMNS[3:])
    out[values] = out[values].astype("float64")
    return out


@dataclass(frozen=True, eq=False)
class YahooEarnings:
    """What :meth:`YahooEarningsProvider.fetch` returns.

    Attributes
    ----------
    earnings : pandas.DataFrame
        Earnings rows of every ticker that answered (layout of
        :func:`~rotascope.data.earnings.read_earnings`).
    revisions : pandas.DataFrame
        Revision counts dated ``as_of`` (layout of :func:`~rotascope.data.earnings.read_revisions`).
    revenue : pandas.DataFrame
        Revenue estimates, :data:`REVENUE_COLUMNS`.
    failed : dict
        Ticker -> one-line reason, for tickers that gave nothing.
    as_of : pandas.Timestamp
        The fetch date.
    """

    earnings: pd.DataFrame
    revisions: pd.DataFrame
    revenue: pd.DataFrame
    as_of: pd.Timestamp
    failed: dict[str, str] = field(default_factory=dict)


class YahooEarningsProvider:
    """Earnings dates, EPS estimates, revision counts and revenue estimates per ticker.

    Parameters
    ----------
    ticker_factory : callable, optional
        ``symbol -> object`` with yfinance's ``Ticker`` interface (``get_earnings_dates``,
        ``eps_revisions``, ``revenue_estimate``); defaults to ``yfinance.Ticker``, imported on
        first use. Tests pass a factory returning recorded frames.
    limit : int, default 12
        Rows asked of ``get_earnings_dates`` (Yahoo caps it at 100; 12 is about four upcoming
        and eight past quarters).
    retries : int, default 2
        Extra tries after an exception inside yfinance (rate limits, timeouts); yfinance's
        "missing" and "invalid" errors are not retried.
    backoff, max_backoff : float
        Wait before retry ``k``: ``min(max_backoff, backoff * 2 ** (k - 1))`` seconds.
    sleep : callable, default time.sleep
        Called with the wait; tests pass a recorder.
    """

    name = "yahoo-earnings"

    def __init__(
        self,
        ticker_factory: TickerFactory | None = None,
        limit: int = 12,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 8.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
            raise InputError(f"limit must be a whole number from 1 to 100 (got {limit!r})")
        if retries < 0:
            raise InputError(f"retries must be >= 0 (got {retries!r})")
        self._factory = ticker_factory
        self.limit = limit
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"YahooEarningsProvider(limit={self.limit})"

    def _ticker(self, symbol: str) -> Any:
        factory = self._factory if self._factory is not None else _yfinance_ticker()
        return factory(symbol)

    def _call(self, what: str, symbol: str, fn: Callable[..., Any]) -> Any:
        """Call ``fn`` with retries on transient exceptions.

        ``fn`` is called with no arguments; it is typed ``Callable[..., Any]`` so that loops can
        pass lambdas that bind the ticker as a default argument (``lambda t=t: ...``).
        """
        return call_yfinance(
            fn, origin=f"yahoo:{symbol}", retries=self.retries, backoff=self.backoff,
            max_backoff=self.max_backoff, sleep=self.sleep, permanent=f"no {what}",
            failed=f"{what} failed",
        )

    def earnings(self, symbol: str, *, as_of: object = None) -> pd.DataFrame:
        """Earnings rows of one ticker (module notes), oldest first.

        Raises
        ------
        ProviderError
            yfinance missing, no earnings dates for the symbol, or a failure after the last try.
        """
        ticker = self._symbol(symbol)
        day = _day(pd.Timestamp.now() if as_of is None else as_of, "as_of")
        t = self._ticker(ticker)
        frame = self._call(
            "earnings dates", ticker, lambda: t.get_earnings_dates(limit=self.limit)
        )
        if frame is None or len(frame) == 0:
            raise ProviderError(
                f"yahoo:{ticker}: Yahoo has no earnings dates (unknown or delisted symbol?)"
            )
        revenue = self._call("revenue estimates", ticker, lambda: t.revenue_estimate)
        return earnings_from_dates(frame, ticker, as_of=day, revenue=revenue)

    def revisions(self, symbol: str, *, as_of: object = None) -> pd.DataFrame:
        """Revision counts of one ticker dated ``as_of`` (default today); may be empty."""
        ticker = self._symbol(symbol)
        day = _day(pd.Timestamp.now() if as_of is None else as_of, "as_of")
        t = self._ticker(ticker)
        frame = self._call("EPS revisions", ticker, lambda: t.eps_revisions)
        return revisions_from_counts(frame, ticker, as_of=day)

    def fetch(self, symbols: Iterable[str], *, as_of: object = None) -> YahooEarnings:
        """Earnings, revision counts and revenue estimates of many tickers.

        A ticker that fails is recorded in :attr:`YahooEarnings.failed` with the reason; the
        others are kept.
        """
        day = _day(pd.Timestamp.now() if as_of is None else as_of, "as_of")
        earnings: list[pd.DataFrame] = []
        revisions: list[pd.DataFrame] = []
        revenue: list[pd.DataFrame] = []
        failed: dict[str, str] = {}
        for symbol in symbols:
            ticker = self._symbol(symbol)
            try:
                t = self._ticker(ticker)
                dates = self._call(
                    "earnings dates", ticker, lambda t=t: t.get_earnings_dates(limit=self.limit)
                )
                rev = self._call("revenue estimates", ticker, lambda t=t: t.revenue_estimate)
                counts = self._call("EPS revisions", ticker, lambda t=t: t.eps_revisions)
            except ProviderError as exc:
                failed[ticker] = str(exc)
                continue
            if dates is None or len(dates) == 0:
                failed[ticker] = f"yahoo:{ticker}: Yahoo has no earnings dates"
            else:
                earnings.append(earnings_from_dates(dates, ticker, as_of=day, revenue=rev))
            revisions.append(revisions_from_counts(counts, ticker, as_of=day))
            revenue.append(revenue_from_estimates(rev, ticker, as_of=day))
        return YahooEarnings(
            earnings=_concat(earnings, _empty_earnings()),
            revisions=_concat(revisions, revisions_from_counts(None, "X", as_of=day)),
            revenue=_concat(revenue, revenue_from_estimates(None, "X", as_of=day)),
            as_of=day,
            failed=failed,
        )

    @staticmethod
    def _symbol(symbol: str) -> str:
        ticker = normalize_ticker(symbol)
        if not ticker:
            raise InputError("yahoo: symbol must not be empty")
        return ticker


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    return pd.concat(frames, ignore_index=True)
