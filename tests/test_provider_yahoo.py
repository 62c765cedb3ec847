"""YahooProvider with recorded frames in yfinance 1.x's real shapes; Yahoo is never contacted."""

from __future__ import annotations

import builtins
import socket
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from rotascope.data.providers.base import Provider
from rotascope.data.providers.yahoo import YahooProvider, select_price_column
from rotascope.errors import InputError, ProviderError

yf_exceptions = pytest.importorskip("yfinance.exceptions")


def history_frame(dates: list[str], adj_close: list[float], ratio: float = 1.25) -> pd.DataFrame:
    """One ticker's ``Ticker.history(auto_adjust=False)`` frame (unadjusted Close = ratio * Adj)."""
    adj = np.asarray(adj_close, dtype="float64")
    close = adj * ratio
    frame = pd.DataFrame(
        {
            "Open": close * 0.99,
            "High": close * 1.01,
            "Low": close * 0.98,
            "Close": close,
            "Adj Close": adj,
            "Volume": np.arange(len(adj), dtype="int64") + 1_000_000,
        },
        index=pd.DatetimeIndex(pd.to_datetime(dates), name="Date"),
    )
    return frame


def download_frame(per_ticker: dict[str, pd.DataFrame], group_by: str = "column") -> pd.DataFrame:
    """Assemble per-ticker frames the way ``yfinance.download`` 1.x does (multi.py)."""
    data = pd.concat(
        per_ticker.values(), axis=1, sort=True, keys=per_ticker.keys(), names=["Ticker", "Price"]
    )
    if group_by == "column":
        data.columns = data.columns.swaplevel(0, 1)
        data = data.sort_index(level=0, axis=1)
    return data


def empty_download(ticker: str) -> pd.DataFrame:
    """What ``yfinance.download`` returns for an unknown ticker (``utils.empty_df`` reindexed)."""
    empty = pd.DataFrame(
        index=[],
        data={"Open": np.nan, "High": np.nan, "Low": np.nan, "Close": np.nan,
              "Adj Close": np.nan, "Volume": np.nan},
    )  # fmt: skip
    empty.index.name = "Date"
    empty = empty.reindex(pd.DatetimeIndex([]))
    return download_frame({ticker: empty})


IWM_DAYS = ["2020-03-09", "2020-03-10", "2020-03-11", "2020-03-12", "2020-03-13", "2020-03-16"]
IWM_ADJ = [132.56, 136.10, 128.30, 115.26, 121.92, 104.43]


class FakeDownload:
    """A stand-in for ``yfinance.download``: returns (or raises) scripted results, records calls."""

    def __init__(self, *results: Any) -> None:
        self.results = list(results)
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        result = self.results[min(len(self.calls), len(self.results)) - 1]
        if isinstance(result, BaseException):
            raise result
        if callable(result):
            return result()
        return result


def provider_with(download: Callable[..., Any], sleeps: list[float]) -> YahooProvider:
    return YahooProvider(download=download, retries=2, backoff=1.0, sleep=sleeps.append)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def test_is_a_provider() -> None:
    assert isinstance(YahooProvider(), Provider)


def test_fetch_prefers_adj_close(sleeps: list[float]) -> None:
    fake = FakeDownload(download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)}))
    ts = provider_with(fake, sleeps).fetch("iwm")
    ((args, kwargs),) = fake.calls
    assert args == ("IWM",)
    assert kwargs == {"auto_adjust": False, "progress": False, "period": "max"}
    assert ts.meta.source == "yahoo:IWM [Adj Close]"
    assert (ts.meta.name, ts.meta.symbol, ts.meta.kind, ts.meta.frequency) == (
        "IWM", "IWM", "price", "daily"
    )  # fmt: skip
    assert list(ts.data) == IWM_ADJ
    assert ts.data.index.name == "date" and ts.data.dtype == np.float64
    assert sleeps == []


def test_date_range_end_is_inclusive(sleeps: list[float]) -> None:
    fake = FakeDownload(download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)}))
    ts = provider_with(fake, sleeps).fetch(
        "IWM", pd.Timestamp("2020-03-10"), pd.Timestamp("2020-03-13")
    )
    kwargs = fake.calls[0][1]
    assert (kwargs["start"], kwargs["end"]) == ("2020-03-10", "2020-03-14")
    assert "period" not in kwargs
    assert list(ts.data.index.day) == [10, 11, 12, 13]


def test_frame_shape_is_yfinance_1x() -> None:
    frame = download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)})
    assert list(frame.columns.names) == ["Price", "Ticker"]
    assert list(frame.columns.get_level_values(0)) == [
        "Adj Close", "Close", "High", "Low", "Open", "Volume"
    ]  # fmt: skip
    assert frame.index.name == "Date" and isinstance(frame.index, pd.DatetimeIndex)


def test_close_when_no_adj_close(sleeps: list[float]) -> None:
    frame = download_frame({"^GSPC": history_frame(IWM_DAYS, IWM_ADJ).drop(columns="Adj Close")})
    ts = provider_with(FakeDownload(frame), sleeps).fetch("^gspc")
    assert ts.meta.source == "yahoo:^GSPC [Close]"
    assert ts.meta.units == "index points"
    np.testing.assert_allclose(ts.data.to_numpy(), np.asarray(IWM_ADJ) * 1.25)


def test_flat_and_ticker_grouped_frames() -> None:
    history = history_frame(IWM_DAYS, IWM_ADJ)
    flat = download_frame({"IWM": history}).droplevel(1, axis=1).rename_axis(None, axis=1)
    values, column = select_price_column(flat, "IWM")
    assert column == "Adj Close" and list(values) == IWM_ADJ
    grouped = download_frame({"IWM": history}, group_by="ticker")
    assert list(grouped.columns.names) == ["Ticker", "Price"]
    values, column = select_price_column(grouped, "IWM")
    assert column == "Adj Close" and list(values) == IWM_ADJ
    two = download_frame({"IWM": history, "SPY": history_frame(IWM_DAYS, [1.0] * 6)})
    values, _ = select_price_column(two, "SPY")
    assert list(values) == [1.0] * 6
    with pytest.raises(ProviderError, match="yahoo:QQQ: ticker not in the downloaded frame"):
        select_price_column(two, "QQQ")


def test_unknown_symbol_empty_frame(sleeps: list[float]) -> None:
    fake = FakeDownload(empty_download("NOSUCH"))
    with pytest.raises(
        ProviderError, match=r"^yahoo:NOSUCH: Yahoo returned no rows \(unknown symbol"
    ):
        provider_with(fake, sleeps).fetch("nosuch")
    assert len(fake.calls) == 1  # not retried
    assert sleeps == []


def test_ticker_missing_error_is_not_retried(sleeps: list[float]) -> None:
    fake = FakeDownload(yf_exceptions.YFTickerMissingError("NOSUCH", "no timezone found"))
    with pytest.raises(ProviderError, match="yahoo:NOSUCH: unknown symbol or no prices"):
        provider_with(fake, sleeps).fetch("NOSUCH")
    assert len(fake.calls) == 1


def test_rate_limit_then_success(sleeps: list[float]) -> None:
    frame = download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)})
    fake = FakeDownload(yf_exceptions.YFRateLimitError(), frame)
    assert list(provider_with(fake, sleeps).fetch("IWM").data) == IWM_ADJ
    assert len(fake.calls) == 2
    assert sleeps == [1.0]


def test_rate_limit_every_try(sleeps: list[float]) -> None:
    fake = FakeDownload(yf_exceptions.YFRateLimitError())
    with pytest.raises(ProviderError) as info:
        provider_with(fake, sleeps).fetch("IWM")
    assert str(info.value) == (
        "yahoo:IWM: yfinance failed after 3 tries "
        "(YFRateLimitError: Too Many Requests. Rate limited. Try after a while.)"
    )
    assert len(fake.calls) == 3
    assert sleeps == [1.0, 2.0]


def test_timeout_then_success(sleeps: list[float]) -> None:
    frame = download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)})
    fake = FakeDownload(TimeoutError("read timed out"), ConnectionError("reset"), frame)
    assert len(provider_with(fake, sleeps).fetch("IWM").data) == 6
    assert len(fake.calls) == 3


def test_nan_rows_are_dropped(sleeps: list[float]) -> None:
    history = history_frame(IWM_DAYS, IWM_ADJ)
    history.iloc[2] = np.nan  # a row yfinance left empty (e.g. after aligning two tickers)
    ts = provider_with(FakeDownload(download_frame({"IWM": history})), sleeps).fetch("IWM")
    assert len(ts.data) == 5 and pd.Timestamp("2020-03-11") not in ts.data.index


def test_all_nan_is_an_error(sleeps: list[float]) -> None:
    history = history_frame(IWM_DAYS, IWM_ADJ)
    history["Adj Close"] = np.nan
    with pytest.raises(ProviderError, match="yahoo:IWM: Yahoo returned no Adj Close values"):
        provider_with(FakeDownload(download_frame({"IWM": history})), sleeps).fetch("IWM")


def test_non_positive_price_is_input_error(sleeps: list[float]) -> None:
    bad = list(IWM_ADJ)
    bad[3] = 0.0
    frame = download_frame({"IWM": history_frame(IWM_DAYS, bad)})
    with pytest.raises(
        InputError, match=r"yahoo:IWM \[Adj Close\]: row 4 \(2020-03-12\): non-positive"
    ):
        provider_with(FakeDownload(frame), sleeps).fetch("IWM")


def test_tz_aware_index(sleeps: list[float]) -> None:
    history = history_frame(IWM_DAYS, IWM_ADJ)
    history.index = history.index.tz_localize("America/New_York")
    ts = provider_with(FakeDownload(download_frame({"IWM": history})), sleeps).fetch("IWM")
    assert ts.data.index.tz is None and ts.data.index[0] == pd.Timestamp("2020-03-09")


def test_missing_yfinance_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_yfinance(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "yfinance" or name.startswith("yfinance."):
            raise ImportError("No module named 'yfinance'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "yfinance", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_yfinance)
    with pytest.raises(ProviderError, match=r"pip install 'rotascope\[yahoo\]'"):
        YahooProvider().fetch("IWM")


@pytest.mark.realdata
@pytest.mark.parametrize("ticker", ["IWM", "SPY"])
def test_real_history_matches_pandas(ticker: str, sleeps: list[float], shared_data: Path) -> None:
    source = shared_data / "prices" / f"{ticker}.csv"
    expected = pd.read_csv(source, index_col="Date", parse_dates=True)["Close"]
    history = history_frame(list(expected.index.strftime("%Y-%m-%d")), list(expected))
    ts = provider_with(FakeDownload(download_frame({ticker: history})), sleeps).fetch(ticker)
    assert ts.meta.source == f"yahoo:{ticker} [Adj Close]"
    assert len(ts.data) == len(expected) > 5000
    np.testing.assert_array_equal(ts.data.index.to_numpy(), expected.index.to_numpy())
    np.testing.assert_array_equal(ts.data.to_numpy(), expected.to_numpy())


def test_recorded_frames_match_yfinance_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real ``yfinance.download`` offline (its Ticker replaced) to pin the frame shapes."""
    multi = pytest.importorskip("yfinance.multi")
    yfinance = pytest.importorskip("yfinance")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    class OfflineTicker:
        def __init__(self, ticker: str) -> None:
            self.ticker = ticker
            self._price_history = type("History", (), {"_last_error": None})()

        def history(self, **kwargs: Any) -> pd.DataFrame:
            if self.ticker == "NOSUCH":
                raise yf_exceptions.YFTickerMissingError("NOSUCH", "no timezone found")
            return history_frame(IWM_DAYS, IWM_ADJ)

    monkeypatch.setattr(multi, "Ticker", OfflineTicker)
    options = {"auto_adjust": False, "progress": False, "threads": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecation warnings from inside yfinance
        real = yfinance.download("IWM", start="2020-03-01", end="2020-03-20", **options)
        unknown = yfinance.download("NOSUCH", **options)
    pd.testing.assert_frame_equal(real, download_frame({"IWM": history_frame(IWM_DAYS, IWM_ADJ)}))
    pd.testing.assert_frame_equal(unknown, empty_download("NOSUCH"))
