"""ISharesProvider against a local server speaking iShares' URL pattern and CSV layout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from httpserver import FAULT_CAUSES, Reply, ScriptedServer, fault_replies, serve
from rotascope.data.earnings import sample_paths
from rotascope.data.holdings import parse_ishares_holdings
from rotascope.data.http import HttpClient
from rotascope.data.providers.ishares import ISHARES_FUNDS, ISharesProvider
from rotascope.errors import InputError, ProviderError

IWM_PATH = "/us/products/239710/ishares-russell-2000-etf/1467271812596.ajax"
IWM_QUERY = {"fileType": "csv", "fileName": "IWM_holdings", "dataType": "fund"}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture(scope="module")
def iwm_text() -> str:
    return sample_paths()["IWM"].read_bytes().decode("utf-8")  # CRLF kept, as published


def provider_for(server: ScriptedServer, sleeps: list[float], retries: int = 2) -> ISharesProvider:
    client = HttpClient(timeout=0.3, retries=retries, backoff=0.5, sleep=sleeps.append)
    return ISharesProvider(client, base_url=server.url)


def test_fetch_parses_the_served_file(
    server: ScriptedServer, sleeps: list[float], iwm_text: str
) -> None:
    server.route(IWM_PATH, Reply(body=iwm_text), query=IWM_QUERY)
    holdings = provider_for(server, sleeps).fetch("iwm")
    assert server.count(IWM_PATH) == 1
    assert server.requests[0].query == IWM_QUERY
    expected = parse_ishares_holdings(iwm_text, origin="x", fund="IWM")
    pd.testing.assert_frame_equal(holdings.frame, expected.frame)
    assert holdings.fund == "IWM" and holdings.as_of == pd.Timestamp("2026-11-20")
    assert holdings.source.startswith(server.url + IWM_PATH + "?fileType=csv")
    assert sleeps == []


def test_url_pattern_and_map() -> None:
    provider = ISharesProvider()
    url, params = provider.url("IJK")
    assert url == (
        "https://www.ishares.com/us/products/239762/ishares-sp-midcap-400-growth-etf/"
        "1467271812596.ajax"
    )
    assert params == {"fileType": "csv", "fileName": "IJK_holdings", "dataType": "fund"}
    assert set(ISHARES_FUNDS) == {
        "IWM", "IJR", "IJH", "IJK", "IWB", "IWF", "IWD", "IWO", "IWN", "IWP", "IWR",
    }  # fmt: skip
    assert len({pid for pid, _ in ISHARES_FUNDS.values()}) == len(ISHARES_FUNDS)
    with pytest.raises(InputError, match=r"unknown fund 'IVV'; known: IJH, IJK"):
        provider.url("IVV")
    extra = ISharesProvider(funds={"ivv": ("239726", "ishares-core-sp-500-etf")})
    assert extra.url("IVV")[0].endswith("/239726/ishares-core-sp-500-etf/1467271812596.ajax")
    with pytest.raises(InputError, match=r"funds\['IVV'\] must be a \(product id, slug\) pair"):
        ISharesProvider(funds={"IVV": ("239726",)})  # type: ignore[dict-item]


@pytest.mark.parametrize("fault", list(FAULT_CAUSES))
def test_faults(
    server: ScriptedServer, sleeps: list[float], iwm_text: str, fault: str
) -> None:
    server.route(IWM_PATH, *fault_replies(fault, iwm_text))
    provider = provider_for(server, sleeps, retries=1)
    cause = FAULT_CAUSES[fault]
    if cause is None:
        assert len(provider.fetch("IWM").frame) == 22
        assert sleeps == [1.0]  # Retry-After: 1
        return
    with pytest.raises(ProviderError) as info:
        provider.fetch("IWM")
    message = str(info.value)
    assert message.startswith("ishares:IWM: could not fetch") and cause in message
    assert "after 2 tries" in message and "\n" not in message
    assert server.count(IWM_PATH) == 2


def test_html_page_then_file(server: ScriptedServer, sleeps: list[float], iwm_text: str) -> None:
    html, = fault_replies("html", iwm_text)
    server.route(IWM_PATH, html, Reply(body=iwm_text))
    assert provider_for(server, sleeps).fetch("IWM").tickers[0] == "SFM"
    assert server.count(IWM_PATH) == 2 and sleeps == [0.5]


def test_malformed_file_one_line_error_and_nothing_saved(
    server: ScriptedServer, sleeps: list[float], iwm_text: str, tmp_path: Path
) -> None:
    lines = iwm_text.split("\r\n")
    lines[12] = lines[12].rsplit(",", 6)[0]  # a holdings row cut to 9 of 15 fields
    server.route(IWM_PATH, Reply(body="\r\n".join(lines)))
    folder = tmp_path / "holdings"
    with pytest.raises(ProviderError) as info:
        provider_for(server, sleeps).save("IWM", folder)
    message = str(info.value)
    assert message.startswith(f"ishares:IWM: malformed holdings file at {server.url}{IWM_PATH}?")
    assert message.endswith("line 13: expected 15 fields as in the header on line 10, got 9")
    assert "\n" not in message
    assert server.count(IWM_PATH) == 1  # a malformed file is not a transient fault
    assert not folder.exists() or not any(folder.iterdir())


def test_save_writes_the_file(
    server: ScriptedServer, sleeps: list[float], iwm_text: str, tmp_path: Path
) -> None:
    server.route(IWM_PATH, Reply(body=iwm_text))
    path, holdings = provider_for(server, sleeps).save("IWM", tmp_path)
    assert path == tmp_path / "IWM_holdings.csv"
    assert path.read_bytes() == iwm_text.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["IWM_holdings.csv"]
    assert len(holdings.frame) == 22


def test_not_found(server: ScriptedServer, sleeps: list[float]) -> None:
    with pytest.raises(ProviderError, match=r"ishares:IWM: not found \(HTTP 404\)"):
        provider_for(server, sleeps).fetch("IWM")
