"""YahooEarningsProvider with recorded frames in yfinance 1.x's real shapes; Yahoo is never
contacted. One test runs yfinance's own parsing code offline to pin those shapes."""

from __future__ import annotations

import builtins
import socket
import sys
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics.earnings import earnings_season
from rotascope.data.earnings import EARNINGS_COLUMNS, REVISION_COUNT_COLUMNS
from rotascope.data.providers.yahoo_earnings import (
    REVENUE_COLUMNS,
    YahooEarningsProvider,
    earnings_from_dates,
    revisions_from_counts,
)
from rotascope.errors import InputError, ProviderError

yf_exceptions = pytest.importorskip("yfinance.exceptions")

AS_OF = "2026-11-20"


def earnings_dates(rows: list[tuple[str, float, float, float]], events: list[str] | None = None) -> pd.DataFrame:
    """``Ticker.get_earnings_dates()``: newest first, tz-aware index named ``Earnings Date``."""
    stamps = [pd.Timestamp(r[0]).tz_localize("America/New_York") for r in rows]
    frame = pd.DataFrame(
        {
            "EPS Estimate": [r[1] for r in rows],
            "Reported EPS": [r[2] for r in rows],
            "Surprise(%)": [r[3] for r in rows],
        },
        index=pd.DatetimeIndex(stamps, name="Earnings Date").astype(
            "datetime64[us, America/New_York]"
        ),
    )
    if events is not None:
        frame["Event Type"] = events
    return frame


def eps_revisions(counts: dict[str, tuple[int, int, int, int]], down7: str = "downLast7Days") -> pd.DataFrame:
    """``Ticker.eps_revisions``: index ``period``; Yahoo's key order and spelling."""
    rows = [
        {"period": p, "upLast7days": c[0], "upLast30days": c[1], "downLast30days": c[2],
         down7: c[3], "currency": "USD"}
        for p, c in counts.items()
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index("period")


def revenue_estimate(avg: dict[str, int]) -> pd.DataFrame:
    """``Ticker.revenue_estimate``: index ``period``."""
    rows = [
        {"period": p, "avg": a, "low": int(a * 0.95), "high": int(a * 1.05),
         "numberOfAnalysts": 20, "yearAgoRevenue": int(a * 0.9), "growth": 0.111,
         "currency": "USD"}
        for p, a in avg.items()
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index("period")


AAPL_DATES = earnings_dates(
    [
        ("2027-01-28 16:00", 2.61, np.nan, np.nan),
        ("2026-10-29 16:00", 1.77, 1.85, 4.52),
        ("2026-07-30 16:00", 1.52, 1.57, 3.29),
        ("2026-05-01 16:00", 1.60, 1.58, -1.25),
    ]
)
AAPL_REVISIONS = eps_revisions(
    {"0q": (3, 9, 1, 0), "+1q": (1, 4, 2, 1), "0y": (2, 8, 3, 0), "+1y": (0, 5, 6, 2)}
)
AAPL_REVENUE = revenue_estimate(
    {"0q": 138_000_000_000, "+1q": 98_000_000_000, "0y": 450_000_000_000, "+1y": 480_000_000_000}
)


class RecordedTicker:
    """The three ``yfinance.Ticker`` members the provider uses, answering recorded frames."""

    def __init__(self, dates: pd.DataFrame | None, revisions: pd.DataFrame, revenue: pd.DataFrame,
                 failures: list[Exception] | None = None) -> None:  # fmt: skip
        self._dates = dates
        self._revisions = revisions
        self._revenue = revenue
        self.failures = list(failures or [])
        self.limits: list[int] = []

    def get_earnings_dates(self, limit: int = 12, offset: int = 0) -> pd.DataFrame | None:
        self.limits.append(limit)
        if self.failures:
            raise self.failures.pop(0)
        return self._dates

    @property
    def eps_revisions(self) -> pd.DataFrame:
        return self._revisions

    @property
    def revenue_estimate(self) -> pd.DataFrame:
        return self._revenue


def provider(tickers: dict[str, RecordedTicker], sleeps: list[float] | None = None) -> YahooEarningsProvider:
    def factory(symbol: str) -> RecordedTicker:
        return tickers[symbol]

    return YahooEarningsProvider(factory, sleep=(sleeps if sleeps is not None else []).append)


def test_earnings_rows_from_recorded_frames() -> None:
    ticker = RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE)
    rows = provider({"AAPL": ticker}).earnings("aapl", as_of=AS_OF)
    assert list(rows.columns) == list(EARNINGS_COLUMNS)
    assert list(rows["report_date"].dt.strftime("%Y-%m-%d")) == [
        "2026-05-01", "2026-07-30", "2026-10-29", "2027-01-28",
    ]  # fmt: skip
    assert rows["report_date"].dtype == "datetime64[us]"
    np.testing.assert_array_equal(rows["eps_estimate"], [1.60, 1.52, 1.77, 2.61])
    np.testing.assert_array_equal(rows["eps_actual"], [1.58, 1.57, 1.85, np.nan])
    assert rows["sales_actual"].isna().all()
    # the 0q revenue estimate goes to the first report after the fetch date only
    np.testing.assert_array_equal(rows["sales_estimate"], [np.nan, np.nan, np.nan, 138e9])
    assert ticker.limits == [12]
    # Yahoo's own Surprise(%) agrees with rotascope's definition on these positive estimates
    reported = AAPL_DATES.dropna(subset=["Reported EPS"]).sort_index()
    ours = (rows["eps_actual"] - rows["eps_estimate"]) / rows["eps_estimate"].abs()
    np.testing.assert_allclose(ours.dropna() * 100, reported["Surprise(%)"], atol=0.006)


def test_event_type_rows_other_than_earnings_are_dropped() -> None:
    dates = earnings_dates(
        [
            ("2026-10-29 19:59", np.nan, np.nan, np.nan),
            ("2026-10-29 16:00", 1.77, 1.85, 4.52),
            ("2026-06-27 10:00", np.nan, np.nan, np.nan),
        ],
        events=["Call", "Earnings", "Meeting"],
    )
    rows = earnings_from_dates(dates, "AAPL", as_of=AS_OF)
    assert len(rows) == 1 and rows["eps_actual"].iloc[0] == 1.85


def test_report_date_is_the_local_date() -> None:
    # 20:00 New York time on October 29 is October 30 in UTC: the report date stays the 29th
    dates = earnings_dates([("2026-10-29 20:00", 1.0, 1.1, 10.0)])
    rows = earnings_from_dates(dates, "X", as_of=AS_OF)
    assert rows["report_date"].iloc[0] == pd.Timestamp("2026-10-29")


@pytest.mark.parametrize("down7", ["downLast7Days", "downLast7days"])
def test_revision_counts(down7: str) -> None:
    revisions = eps_revisions({"0q": (3, 9, 1, 0), "+1y": (0, 5, 6, 2)}, down7=down7)
    rows = revisions_from_counts(revisions, "AAPL", as_of=AS_OF)
    assert list(rows.columns) == list(REVISION_COUNT_COLUMNS)
    assert list(rows["period"]) == ["0q", "+1y"]
    assert (rows["date"] == pd.Timestamp(AS_OF)).all()
    np.testing.assert_array_equal(rows[["up_7d", "down_7d", "up_30d", "down_30d"]],
                                  [[3, 0, 9, 1], [0, 2, 5, 6]])  # fmt: skip
    assert revisions_from_counts(pd.DataFrame(), "AAPL", as_of=AS_OF).empty


def test_fetch_many_collects_failures() -> None:
    recorded = {
        "AAPL": RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE),
        "NOSUCH": RecordedTicker(None, pd.DataFrame(), pd.DataFrame()),
        "GONE": RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE,
                               failures=[yf_exceptions.YFEarningsDateMissing("GONE")]),
    }  # fmt: skip
    result = provider(recorded).fetch(["AAPL", "NOSUCH", "GONE"], as_of=AS_OF)
    assert set(result.earnings["ticker"]) == {"AAPL"}
    assert set(result.failed) == {"NOSUCH", "GONE"}
    assert "no earnings dates" in result.failed["NOSUCH"]
    assert result.failed["GONE"].startswith("yahoo:GONE: no earnings dates (YFEarningsDateMissing")
    assert list(result.revenue.columns) == list(REVENUE_COLUMNS)
    assert result.revenue.set_index("period").loc["0q", "avg"] == 138e9
    assert len(result.revisions) == 4
    assert result.as_of == pd.Timestamp(AS_OF)


def test_transient_errors_are_retried() -> None:
    sleeps: list[float] = []
    ticker = RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE,
                            failures=[yf_exceptions.YFRateLimitError(), TimeoutError("read")])  # fmt: skip
    rows = provider({"AAPL": ticker}, sleeps).earnings("AAPL", as_of=AS_OF)
    assert len(rows) == 4 and sleeps == [1.0, 2.0]
    ticker = RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE,
                            failures=[TimeoutError("read")] * 3)  # fmt: skip
    with pytest.raises(ProviderError, match=r"yahoo:AAPL: earnings dates failed after 3 tries \(TimeoutError: read\)"):
        provider({"AAPL": ticker}).earnings("AAPL", as_of=AS_OF)


def test_unknown_symbol_and_bad_arguments() -> None:
    with pytest.raises(ProviderError, match="yahoo:NOSUCH: Yahoo has no earnings dates"):
        provider({"NOSUCH": RecordedTicker(None, pd.DataFrame(), pd.DataFrame())}).earnings(
            "NOSUCH", as_of=AS_OF
        )
    with pytest.raises(InputError, match="limit must be a whole number from 1 to 100"):
        YahooEarningsProvider(limit=500)
    with pytest.raises(InputError, match="symbol must not be empty"):
        provider({}).earnings(" ")
    bad = AAPL_DATES.rename(columns={"Reported EPS": "Actual"})
    with pytest.raises(ProviderError, match=r"yahoo:AAPL: earnings dates lack column\(s\) Reported EPS"):
        earnings_from_dates(bad, "AAPL", as_of=AS_OF)


def test_missing_yfinance_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_yfinance(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "yfinance" or name.startswith("yfinance."):
            raise ImportError("No module named 'yfinance'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "yfinance", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_yfinance)
    with pytest.raises(ProviderError, match=r"pip install 'rotascope\[yahoo\]'"):
        YahooEarningsProvider().earnings("AAPL")


def test_beat_rate_from_provider_rows_matches_pandas() -> None:
    msft = earnings_dates([("2026-10-28 16:00", 3.10, 3.05, -1.61), ("2026-07-29 16:00", 2.9, 3.0, 3.45)])
    recorded = {
        "AAPL": RecordedTicker(AAPL_DATES, AAPL_REVISIONS, AAPL_REVENUE),
        "MSFT": RecordedTicker(msft, AAPL_REVISIONS, AAPL_REVENUE),
    }
    result = provider(recorded).fetch(["AAPL", "MSFT"], as_of=AS_OF)
    membership = pd.DataFrame({"segment": ["tech", "tech"], "ticker": ["AAPL", "MSFT"],
                               "weight": [0.6, 0.4]})  # fmt: skip
    table = earnings_season(result.earnings, membership, "2026-10-01", AS_OF)
    # plain pandas: AAPL beat (1.85 > 1.77), MSFT missed (3.05 < 3.10)
    assert table.loc["tech", "eps_beat_rate"] == 0.5
    assert table.loc["tech", "eps_beat_rate_weighted"] == pytest.approx(0.6)
    assert np.isnan(table.loc["tech", "sales_beat_rate"])  # Yahoo gives no reported revenue


def test_recorded_frames_match_yfinance_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run yfinance's own scraper and analysis code offline on recorded payloads."""
    yfinance = pytest.importorskip("yfinance")
    pytest.importorskip("bs4")
    pytest.importorskip("lxml")
    analysis = pytest.importorskip("yfinance.scrapers.analysis")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = (
        "<html><body><table><thead><tr><th>Symbol</th><th>Company</th><th>Earnings Date</th>"
        "<th>EPS Estimate</th><th>Reported EPS</th><th>Surprise (%)</th></tr></thead><tbody>"
        "<tr><td>AAPL</td><td>Apple Inc.</td><td>January 28, 2027 at 4 PM EST</td><td>2.61</td>"
        "<td>-</td><td>-</td></tr>"
        "<tr><td>AAPL</td><td>Apple Inc.</td><td>October 29, 2026 at 4 PM EDT</td><td>1.77</td>"
        "<td>1.85</td><td>+4.52</td></tr>"
        "<tr><td>AAPL</td><td>Apple Inc.</td><td>July 30, 2026 at 4 PM EDT</td><td>1.52</td>"
        "<td>1.57</td><td>+3.29</td></tr>"
        "<tr><td>AAPL</td><td>Apple Inc.</td><td>May 1, 2026 at 4 PM EDT</td><td>1.60</td>"
        "<td>1.58</td><td>-1.25</td></tr>"
        "</tbody></table></body></html>"
    )

    class Page:
        text = page

    class OfflineData:
        def cache_get(self, url: str, *args: Any, **kwargs: Any) -> Page:
            assert url.startswith("https://finance.yahoo.com/calendar/earnings?symbol=AAPL")
            return Page()

    ticker = yfinance.Ticker("AAPL")
    ticker._data = OfflineData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecation warnings from inside yfinance
        real_dates = ticker.get_earnings_dates(limit=12)
    pd.testing.assert_frame_equal(real_dates, AAPL_DATES)

    def item(period: str, c: tuple[int, int, int, int], avg: int) -> dict[str, Any]:
        return {
            "period": period,
            "epsRevisions": {"upLast7days": {"raw": c[0]}, "upLast30days": {"raw": c[1]},
                             "downLast30days": {"raw": c[2]}, "downLast7Days": {"raw": c[3]},
                             "epsRevisionsCurrency": "USD"},
            "revenueEstimate": {"avg": {"raw": avg}, "low": {"raw": int(avg * 0.95)},
                                "high": {"raw": int(avg * 1.05)}, "numberOfAnalysts": {"raw": 20},
                                "yearAgoRevenue": {"raw": int(avg * 0.9)}, "growth": {"raw": 0.111},
                                "revenueCurrency": "USD"},
        }  # fmt: skip

    offline = analysis.Analysis(None, "AAPL")
    offline._earnings_trend = [
        item("0q", (3, 9, 1, 0), 138_000_000_000),
        item("+1q", (1, 4, 2, 1), 98_000_000_000),
        item("0y", (2, 8, 3, 0), 450_000_000_000),
        item("+1y", (0, 5, 6, 2), 480_000_000_000),
    ]
    pd.testing.assert_frame_equal(offline.eps_revisions, AAPL_REVISIONS)
    pd.testing.assert_frame_equal(offline.revenue_estimate, AAPL_REVENUE)
