"""FredProvider against a local server speaking FRED's CSV layout, with every fault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from httpserver import FAULT_CAUSES, Reply, ScriptedServer, fault_replies, serve
from rotascope.data.http import HttpClient
from rotascope.data.providers.base import Provider
from rotascope.data.providers.fred import FredProvider, fred_units
from rotascope.data.series import infer_frequency
from rotascope.errors import InputError, ProviderError

PATH = "/graph/fredgraph.csv"
# FRED's layout: 2-year Treasury yield, January 2020; 2020-01-20 (MLK day) is a blank holiday.
DGS2_JAN_2020 = (
    "observation_date,DGS2\n"
    "2020-01-14,1.58\n"
    "2020-01-15,1.56\n"
    "2020-01-16,1.58\n"
    "2020-01-17,1.58\n"
    "2020-01-20,\n"
    "2020-01-21,1.53\n"
    "2020-01-22,1.53\n"
)
# The layout FRED used before 2024: DATE header, "." on holidays.
DGS2_OLD_LAYOUT = DGS2_JAN_2020.replace("observation_date", "DATE").replace(
    "2020-01-20,", "2020-01-20,."
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def provider_for(server: ScriptedServer, sleeps: list[float], **kw: float) -> FredProvider:
    options: dict = {"timeout": 0.3, "retries": 2, "backoff": 0.5}
    options.update(kw)
    return FredProvider(HttpClient(sleep=sleeps.append, **options), base_url=server.url + PATH)


def test_is_a_provider() -> None:
    assert isinstance(FredProvider(), Provider)


@pytest.mark.parametrize("payload", [DGS2_JAN_2020, DGS2_OLD_LAYOUT], ids=["current", "old"])
def test_fetch_inline_payload(payload: str, server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=payload))
    ts = provider_for(server, sleeps).fetch("dgs2")
    assert server.requests[0].query == {"id": "DGS2"}
    assert ts.meta.source == "fred:DGS2"
    assert (ts.meta.name, ts.meta.symbol, ts.meta.kind) == ("DGS2", "DGS2", "macro")
    assert (ts.meta.frequency, ts.meta.units) == ("daily", "percent")
    assert pd.Timestamp("2020-01-20") not in ts.data.index  # the holiday is dropped, not filled
    assert list(ts.data) == [1.58, 1.56, 1.58, 1.58, 1.53, 1.53]
    assert ts.data.index.name == "date"


def test_date_range_is_sent_and_applied(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=DGS2_JAN_2020))
    ts = provider_for(server, sleeps).fetch(
        "DGS2", pd.Timestamp("2020-01-16"), pd.Timestamp("2020-01-21")
    )
    assert server.requests[0].query == {"id": "DGS2", "cosd": "2020-01-16", "coed": "2020-01-21"}
    assert list(ts.data.index.day) == [16, 17, 21]


def test_empty_range(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="observation_date,DGS2\n"), query={"cosd": "2020-01-25"})
    server.route(
        PATH, Reply(body="observation_date,DGS2\n2020-01-20,\n"), query={"cosd": "2020-01-20"}
    )
    provider = provider_for(server, sleeps)
    assert provider.fetch("DGS2", pd.Timestamp("2020-01-25")).data.empty
    assert provider.fetch("DGS2", pd.Timestamp("2020-01-20"), pd.Timestamp("2020-01-20")).data.empty


def test_header_only_without_range_is_an_error(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body="observation_date,DGS2\n"))
    with pytest.raises(InputError, match="fred:DGS2: no data rows"):
        provider_for(server, sleeps).fetch("DGS2")


def test_unknown_series_404(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(404, "Series not found", content_type="text/plain"))
    with pytest.raises(ProviderError, match=r"fred:NOSUCH: not found \(HTTP 404\) at .*id=NOSUCH"):
        provider_for(server, sleeps).fetch("nosuch")
    assert server.count(PATH) == 1


def test_wrong_column_is_input_error(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, Reply(body=DGS2_JAN_2020))
    with pytest.raises(InputError, match="fred:DGS10: no column 'DGS10'"):
        provider_for(server, sleeps).fetch("DGS10")


def test_units_and_frequency() -> None:
    assert fred_units("DGS10") == fred_units("BAMLH0A0HYM2") == fred_units("DFII10") == "percent"
    assert fred_units("VIXCLS") == fred_units("vixcls") == "index points"
    assert fred_units("CPIAUCSL") == "index 1982-84=100"
    assert fred_units("SOMETHING") == fred_units("GDP") == ""  # unknown: not guessed
    days = pd.date_range("2020-01-01", periods=30, freq="B")
    assert infer_frequency(days) == "daily"
    assert infer_frequency(pd.date_range("2000-01-01", periods=30, freq="MS")) == "monthly"
    assert infer_frequency(pd.date_range("2000-01-01", periods=30, freq="W")) == "weekly"
    assert infer_frequency(pd.date_range("2000-01-01", periods=30, freq="QS")) == "quarterly"
    assert infer_frequency(pd.date_range("2000-01-01", periods=30, freq="YS")) == "annual"


@pytest.mark.parametrize("fault", list(FAULT_CAUSES))
def test_faults(fault: str, server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(PATH, *fault_replies(fault, DGS2_JAN_2020))
    provider = provider_for(server, sleeps)
    cause = FAULT_CAUSES[fault]
    if cause is None:
        ts = provider.fetch("DGS2")
        assert len(ts.data) == 6
        assert server.count(PATH) == 2
        assert sleeps == [1.0]
        return
    with pytest.raises(ProviderError) as info:
        provider.fetch("DGS2")
    message = str(info.value)
    assert message.startswith(f"fred:DGS2: could not fetch {server.url}{PATH}?id=DGS2 ")
    assert f"after 3 tries ({cause}" in message
    assert "\n" not in message
    assert server.count(PATH) == 3
    assert sleeps == [0.5, 1.0]


def test_truncated_mid_line_without_content_length(
    server: ScriptedServer, sleeps: list[float]
) -> None:
    cut = DGS2_JAN_2020[: DGS2_JAN_2020.rindex(",1.53")]
    server.route(PATH, Reply(body=cut, content_length=False))
    with pytest.raises(
        ProviderError, match=r"after 3 tries \(truncated body: last line '2020-01-22'"
    ):
        provider_for(server, sleeps).fetch("DGS2")
    assert server.count(PATH) == 3


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("series", "frequency", "units"),
    [("DGS2", "daily", "percent"), ("VIXCLS", "daily", "index points"),
     ("UNRATE", "monthly", "percent")],
)
def test_real_series_match_pandas(
    series: str,
    frequency: str,
    units: str,
    server: ScriptedServer,
    sleeps: list[float],
    shared_data: Path,
) -> None:
    source = shared_data / "macro" / f"{series}.csv"
    server.route(PATH, Reply(body=source.read_bytes()), query={"id": series})
    ts = provider_for(server, sleeps, timeout=10.0).fetch(series)
    expected = pd.read_csv(source, index_col="observation_date", parse_dates=True)[series].dropna()
    assert len(ts.data) == len(expected) > 300
    if frequency == "monthly":  # FRED stamps a month on its first day, rotascope on its end
        expected.index = expected.index + pd.offsets.MonthEnd(0)
    np.testing.assert_array_equal(ts.data.index.to_numpy(), expected.index.to_numpy())
    np.testing.assert_array_equal(ts.data.to_numpy(), expected.to_numpy())
    assert (ts.meta.frequency, ts.meta.units) == (frequency, units)


@pytest.mark.realdata
def test_real_range_matches_pandas(
    server: ScriptedServer, sleeps: list[float], shared_data: Path
) -> None:
    source = shared_data / "macro" / "DGS2.csv"
    lines = source.read_text().splitlines()
    body = "\n".join(
        [lines[0], *[ln for ln in lines[1:] if "2020-03-01" <= ln[:10] <= "2020-03-31"]]
    )
    server.route(PATH, Reply(body=body + "\n"))
    ts = provider_for(server, sleeps).fetch(
        "DGS2", pd.Timestamp("2020-03-01"), pd.Timestamp("2020-03-31")
    )
    expected = pd.read_csv(source, index_col="observation_date", parse_dates=True)["DGS2"]
    expected = expected.loc["2020-03-01":"2020-03-31"].dropna()
    assert list(ts.data.index) == list(expected.index)
    assert list(ts.data) == list(expected)
