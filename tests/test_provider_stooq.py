"""StooqProvider against a local server speaking Stooq's CSV layout, with every fault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from httpserver import FAULT_CAUSES, Reply, ScriptedServer, fault_replies, serve
from rotascope.data.fetch import empty_values, fetch_many
from rotascope.data.http import HttpClient
from rotascope.data.providers.base import Provider
from rotascope.data.providers.registry import PROVIDER_NAMES, make_provider
from rotascope.data.providers.stooq import StooqProvider
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.errors import InputError, ProviderError

PATH = "/q/d/l/"
# Stooq's layout (values: S&P 500 in March 2020, rounded as Stooq shows them).
SPX_MARCH_2020 = (
    "Date,Open,High,Low,Close,Volume\r\n"
    "2020-03-09,2863.89,2863.89,2734.43,2746.56,3266254000\r\n"
    "2020-03-10,2813.48,2882.59,2734,2882.23,2938812000\r\n"
    "2020-03-11,2825.6,2825.6,2707.22,2741.38,2966131000\r\n"
    "2020-03-12,2630.86,2660.95,2478.86,2480.64,3852434000\r\n"
    "2020-03-13,2569.99,2711.33,2492.37,2711.02,3520548000\r\n"
    "2020-03-16,2508.59,2562.98,2380.94,2386.13,3403924000\r\n"
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def provider_for(server: ScriptedServer, sleeps: list[float], **kw: float) -> StooqProvider:
    options: dict = {"timeout": 0.3, "retries": 2, "backoff": 0.5}
    options.update(kw)
    return StooqProvider(HttpClient(sleep=sleeps.append, **options), base_url=server.url + PATH)


def stooq_csv_from(source: Path, first: str | None = None, last: str | None = None) -> str:
    """Stooq's layout built from the rows of a Yahoo-style ``Date,Open,High,Low,Close`` file."""
    lines = source.read_text().splitlines()
    assert lines[0] == "Date,Open,High,Low,Close"
    out = ["Date,Open,High,Low,Close,Volume"]
    for k, line in enumerate(lines[1:]):
        day = line[:10]
        if (first is None or day >= first) and (last is None or day <= last):
            out.append(f"{line},{1_000_000 + k}")
    return "\r\n".join(out) + "\r\n"


def test_is_a_provider() -> None:
    assert isinstance(StooqProvider(), Provider)
    assert StooqProvider().name == "stooq"


def test_fetch_inline_payload(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=SPX_MARCH_2020))
    ts = provider_for(server, sleeps).fetch("^SPX")
    assert server.requests[0].query == {"s": "^spx", "i": "d"}
    assert ts.meta.source == "stooq:^spx"
    assert (ts.meta.name, ts.meta.symbol, ts.meta.kind) == ("^spx", "^spx", "price")
    assert (ts.meta.frequency, ts.meta.units) == ("daily", "index points")
    assert ts.data.dtype == np.float64 and ts.data.index.name == "date"
    assert list(ts.data.index.strftime("%Y-%m-%d")) == [
        "2020-03-09", "2020-03-10", "2020-03-11", "2020-03-12", "2020-03-13", "2020-03-16"
    ]  # fmt: skip
    assert ts.data.iloc[-1] == 2386.13
    assert round(ts.data.iloc[-1] / ts.data.iloc[-2] - 1, 4) == -0.1198  # the 2020-03-16 fall
    assert sleeps == []


def test_date_range_is_sent_and_applied(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=SPX_MARCH_2020))
    ts = provider_for(server, sleeps).fetch(
        "spy.us", pd.Timestamp("2020-03-10"), pd.Timestamp("2020-03-12")
    )
    assert server.requests[0].query == {"s": "spy.us", "i": "d", "d1": "20200310", "d2": "20200312"}
    assert list(ts.data.index.day) == [10, 11, 12]
    assert ts.meta.units == "USD"


def test_unknown_symbol(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="No data", content_type="text/plain"))
    with pytest.raises(InputError, match=r"^stooq: unknown symbol nosuch\.us$"):
        provider_for(server, sleeps).fetch("NOSUCH.US")
    assert server.count(PATH) == 1
    assert sleeps == []


def test_unknown_symbol_with_range(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="No data", content_type="text/plain"))
    with pytest.raises(InputError, match="stooq: unknown symbol x"):
        provider_for(server, sleeps).fetch("x", pd.Timestamp("2024-01-01"))
    assert server.count(PATH) == 2  # the range, then the whole history to tell the cases apart


def test_known_symbol_with_empty_range(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="No data", content_type="text/plain"), query={"d1": "20200321"})
    server.route(PATH, Reply(body=SPX_MARCH_2020))
    ts = provider_for(server, sleeps).fetch(
        "^spx", pd.Timestamp("2020-03-21"), pd.Timestamp("2020-03-22")
    )
    assert ts.data.empty and ts.data.index.name == "date"
    assert server.count(PATH) == 2


def test_daily_limit(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="Exceeded the daily hits limit", content_type="text/plain"))
    with pytest.raises(ProviderError, match="stooq:\\^spx: Stooq's daily download limit"):
        provider_for(server, sleeps).fetch("^spx")


def test_bad_payload_is_input_error(server: ScriptedServer, sleeps: list[float]) -> None:
    bad = SPX_MARCH_2020.replace("2711.02", "-1")
    server.route(PATH, Reply(body=bad))
    with pytest.raises(InputError, match=r"stooq:\^spx: line 6 \(2020-03-13\): non-positive price"):
        provider_for(server, sleeps).fetch("^spx")


def test_404(server: ScriptedServer, sleeps: list[float]) -> None:
    with pytest.raises(ProviderError, match=r"stooq:\^spx: not found \(HTTP 404\)"):
        StooqProvider(HttpClient(sleep=sleeps.append), base_url=server.url + "/nowhere/").fetch(
            "^spx"
        )
    assert server.count() == 1


@pytest.mark.parametrize("fault", list(FAULT_CAUSES))
def test_faults(fault: str, server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, *fault_replies(fault, SPX_MARCH_2020))
    provider = provider_for(server, sleeps)
    cause = FAULT_CAUSES[fault]
    if cause is None:
        ts = provider.fetch("^spx")
        assert len(ts.data) == 6
        assert server.count(PATH) == 2
        assert sleeps == [1.0]  # Retry-After: 1
        return
    with pytest.raises(ProviderError) as info:
        provider.fetch("^spx")
    message = str(info.value)
    assert message.startswith(f"stooq:^spx: could not fetch {server.url}{PATH}?s=%5Espx&i=d")
    assert f"after 3 tries ({cause}" in message
    assert "\n" not in message
    assert server.count(PATH) == 3
    assert sleeps == [0.5, 1.0]


def test_truncated_mid_line_without_content_length(
    server: ScriptedServer, sleeps: list[float]
) -> None:
    cut = SPX_MARCH_2020[: SPX_MARCH_2020.rindex(",2386.13")]
    server.route(PATH, Reply(body=cut, content_length=False), Reply(body=SPX_MARCH_2020))
    ts = provider_for(server, sleeps).fetch("^spx")
    assert len(ts.data) == 6
    assert server.count(PATH) == 2


@pytest.mark.realdata
def test_real_history_matches_pandas(
    server: ScriptedServer, sleeps: list[float], shared_data: Path
) -> None:
    source = shared_data / "prices" / "^GSPC.csv"
    server.route(PATH, Reply(body=stooq_csv_from(source)))
    ts = provider_for(server, sleeps, timeout=10.0).fetch("^spx")
    expected = pd.read_csv(source, index_col="Date", parse_dates=True)["Close"]
    assert len(ts.data) == len(expected) > 24_000
    np.testing.assert_array_equal(ts.data.index.to_numpy(), expected.index.to_numpy())
    np.testing.assert_array_equal(ts.data.to_numpy(), expected.to_numpy())
    day = ts.data.pct_change().loc["2020-03-16"]
    assert round(day, 4) == -0.1198


@pytest.mark.realdata
def test_real_range_matches_pandas(
    server: ScriptedServer, sleeps: list[float], shared_data: Path
) -> None:
    source = shared_data / "prices" / "^GSPC.csv"
    server.route(PATH, Reply(body=stooq_csv_from(source, "2008-10-01", "2008-10-31")))
    ts = provider_for(server, sleeps).fetch(
        "^spx", pd.Timestamp("2008-10-01"), pd.Timestamp("2008-10-31")
    )
    assert server.requests[0].query["d1"] == "20081001"
    expected = pd.read_csv(source, index_col="Date", parse_dates=True)["Close"]
    expected = expected.loc["2008-10-01":"2008-10-31"]
    pd.testing.assert_series_equal(
        ts.data, expected, check_names=False, check_index_type=False, check_freq=False
    )
    assert ts.data.index.name == "date"


# -- registry and fetch_many, exercised through Stooq ------------------------------------------


def test_registry_names_and_unknown() -> None:
    assert PROVIDER_NAMES == ("files", "fred", "french", "sample", "stooq", "yahoo")
    with pytest.raises(
        InputError,
        match=r"^provider must be one of: files, fred, french, sample, stooq, yahoo \(got 'bloomberg'\)$",
    ):
        make_provider("bloomberg")


def test_registry_builds_each_provider(tmp_path: Path) -> None:
    assert isinstance(make_provider("Stooq"), StooqProvider)
    assert make_provider("fred").name == "fred"
    assert make_provider("french").name == "french"
    assert make_provider("yahoo").name == "yahoo"
    files = make_provider("files", root=tmp_path)
    assert files.name == "files" and isinstance(files, Provider)
    assert isinstance(make_provider("sample"), Provider)
    with pytest.raises(InputError, match="provider 'files' needs root="):
        make_provider("files", root=None)


def test_registry_client_options(server: ScriptedServer) -> None:
    sleeps: list[float] = []
    provider = make_provider(
        "stooq",
        base_url=server.url + PATH,
        timeout=0.3,
        retries=1,
        backoff=0.1,
        sleep=sleeps.append,
    )
    assert isinstance(provider, StooqProvider)
    assert (provider.client.timeout, provider.client.retries) == (0.3, 1)
    server.route(PATH, Reply(500))
    with pytest.raises(ProviderError, match="after 2 tries"):
        provider.fetch("^spx")
    assert sleeps == [0.1]
    with pytest.raises(InputError, match="either client= or retries="):
        make_provider("fred", client=HttpClient(), retries=1)
    with pytest.raises(InputError, match="provider 'stooq': bad options"):
        make_provider("stooq", colour="red")


def test_fetch_many(
    server: ScriptedServer, sleeps: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    server.route(PATH, Reply(body=SPX_MARCH_2020), query={"s": "^spx"})
    server.route(
        PATH, Reply(body=SPX_MARCH_2020.replace("2711.02", "2711.5")), query={"s": "spy.us"}
    )
    provider = provider_for(server, sleeps)
    got = fetch_many(provider, ["^spx", "spy.us", "^spx"], start="2020-03-10", end="2020-03-13")
    assert list(got) == ["^spx", "spy.us"]
    assert got["spy.us"].data.loc["2020-03-13"] == 2711.5
    assert got["^spx"].meta.source == "stooq:^spx"
    assert len(got["^spx"].data) == 4
    assert server.count(PATH) == 2
    assert server.requests[0].query["d1"] == "20200310"
    assert capsys.readouterr().err == ""  # no progress bar when stderr is not a terminal


def test_fetch_many_names_the_failing_symbol(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=SPX_MARCH_2020), query={"s": "^spx"})
    server.route(PATH, Reply(503), query={"s": "iwm.us"})
    with pytest.raises(
        ProviderError, match=r"^stooq:iwm\.us: could not fetch .* after 3 tries \(HTTP 503"
    ):
        fetch_many(provider_for(server, sleeps), ["^spx", "iwm.us"], progress=False)
    assert server.count(PATH, s="iwm.us") == 3


def test_fetch_many_wraps_unexpected_errors() -> None:
    class Broken:
        name = "broken"

        def fetch(self, symbol: str, start: object = None, end: object = None) -> object:
            if symbol == "bad":
                raise KeyError("Close")
            raise ProviderError("network down")

    with pytest.raises(ProviderError, match=r"^broken:bad: KeyError: 'Close'$"):
        fetch_many(Broken(), ["bad"])  # type: ignore[arg-type]
    with pytest.raises(ProviderError, match=r"^broken:ok: network down$"):
        fetch_many(Broken(), ["ok"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="start must be a date"):
        fetch_many(Broken(), ["ok"], start="not a date")  # type: ignore[arg-type]


def test_fetch_many_progress_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Instant:
        name = "demo"

        def fetch(self, symbol: str, start: object = None, end: object = None) -> TimeSeries:
            return TimeSeries(empty_values(), SeriesMeta(symbol))

    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich treats stderr as a terminal
    fetch_many(Instant(), ["a", "b"])  # type: ignore[arg-type]
    captured = capsys.readouterr()
    assert "2/2" in captured.err and captured.out == ""
    fetch_many(Instant(), ["a", "b"], progress=False)  # type: ignore[arg-type]
    fetch_many(Instant(), ["a"])  # type: ignore[arg-type]  # one symbol: no bar
    assert capsys.readouterr().err == ""
