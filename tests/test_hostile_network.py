"""Issue 13, items 1-6: hostile servers on 127.0.0.1 (and 127.0.0.2 as "another host").

Every fault is served by the real local HTTP server the other provider tests use, with the
modes added for these cases: drip, lying gzip, redirect loop, cross-host redirect, huge body
(generated lazily, never held by the server), gzip and zip bombs, wrong symbol.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from httpserver import HTML_ERROR_PAGE, Reply, ScriptedServer, serve
from rotascope.cli.main import app
from rotascope.data.http import HttpClient
from rotascope.data.providers.french_library import FrenchLibraryProvider
from rotascope.data.providers.stooq import StooqProvider
from rotascope.data.refresh import refresh
from rotascope.data.store import Store
from rotascope.errors import ProviderError, RotascopeWarning

PATH = "/q/d/l/"
runner = CliRunner()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def other_host() -> Iterator[ScriptedServer]:
    """A second server standing for another host: 127.0.0.2 where the system routes it."""
    try:
        other = ScriptedServer("127.0.0.2")
    except OSError:  # pragma: no cover - loopback aliases missing: another port is another host
        other = ScriptedServer()
    with other:
        yield other


def stooq_csv(days: pd.DatetimeIndex, start: float = 100.0, step: float = 1.0) -> str:
    lines = ["Date,Open,High,Low,Close,Volume"]
    for i, day in enumerate(days):
        close = start + step * i
        lines.append(f"{day:%Y-%m-%d},{close},{close},{close},{close},{1000 + i}")
    return "\n".join(lines) + "\n"


DAYS = pd.bdate_range("2026-06-01", periods=30)
CSV = stooq_csv(DAYS)


def client(**kw: float) -> HttpClient:
    options: dict = {"timeout": 1.0, "retries": 1, "backoff": 0.0, "sleep": lambda s: None}
    options.update(kw)
    return HttpClient(**options)


def zeros(total: int, chunk: int = 1 << 16) -> Iterator[bytes]:
    block = b"0" * chunk
    for _ in range(total // chunk):
        yield block


def gzip_of_zeros(total: int) -> bytes:
    """A gzip stream of ``total`` zero characters, built chunk by chunk (never held whole)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [deflater.compress(chunk) for chunk in zeros(total)]
    out.append(deflater.flush())
    return b"".join(out)


def zip_bomb(total: int, name: str = "F-F_Research_Data_Factors_daily.CSV") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            for chunk in zeros(total):
                member.write(chunk)
    return buffer.getvalue()


# ------------------------------------------------------------------ 1. unbounded bodies


def test_item1_huge_body_stops_at_the_cap_with_bounded_memory(server: ScriptedServer) -> None:
    four_gib = 4 << 30
    server.route(PATH, Reply(stream=lambda: zeros(four_gib)))
    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(ProviderError) as info:
            client().get_text(server.url + PATH, origin="stooq:x", max_bytes=2 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith("stooq:x: ") and "larger than the 2 MiB cap" in message
    assert "\n" not in message
    assert time.monotonic() - started < 10
    assert peak < 64 << 20  # the client held about the cap, not gigabytes
    assert server.count(PATH) == 1  # not retried: another try would be just as large
    stop = time.monotonic() + 10
    while not server.sent and time.monotonic() < stop:  # the handler ends on a broken pipe
        time.sleep(0.05)
    assert server.sent and server.sent[0] < 256 << 20  # the server was stopped early


def test_item1_gzip_bomb_stops_at_the_decompressed_cap(server: ScriptedServer) -> None:
    bomb = gzip_of_zeros(200 << 20)
    assert len(bomb) < 1 << 20
    server.route(PATH, Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(ProviderError, match="decompressed body larger than the 4 MiB cap"):
        client().get_text(server.url + PATH, origin="stooq:x", max_bytes=4 << 20)


def test_item1_announced_length_over_the_cap_is_refused_before_reading(
    server: ScriptedServer,
) -> None:
    server.route(PATH, Reply(body="x" * 5000))
    with pytest.raises(ProviderError, match="announces a body of 4.9 KiB, over the 1 KiB cap"):
        client().get_text(server.url + PATH, origin="stooq:x", max_bytes=1024)


def test_item1_zip_bomb_from_the_french_library_stops_at_the_cap(server: ScriptedServer) -> None:
    bomb = zip_bomb(100 << 20)
    assert len(bomb) < 1 << 20
    server.route("/F-F_Research_Data_Factors_daily_CSV.zip",
                 Reply(body=bomb, content_type="application/zip"))
    provider = FrenchLibraryProvider(client(), base_url=server.url, max_unzipped=8 << 20)
    with pytest.raises(ProviderError, match="expands to more than 8 MiB; refused"):
        provider.fetch("F-F_Research_Data_Factors_daily#SMB")


# ------------------------------------------------------------------ 2. slow servers, lock


def test_item2_drip_feeding_server_trips_the_total_deadline(server: ScriptedServer) -> None:
    server.route(PATH, Reply(body=CSV, drip=0.05))  # ~1,000 bytes: 50 s in all
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"after 2 tries \(timed out \(body still arriving"):
        client(timeout=1.0, deadline=0.6).get_text(server.url + PATH, origin="stooq:x")
    assert time.monotonic() - started < 5


def test_item2_store_is_not_held_during_network_io(
    server: ScriptedServer, rotascope_home: Path
) -> None:
    """While the provider waits on a slow server, another process can write to the store."""
    server.route(PATH, Reply(body=stooq_csv(DAYS[:20])), Reply(body=stooq_csv(DAYS[15:], 115.0)))
    with Store() as store:
        refresh(store, StooqProvider(client(), base_url=server.url + PATH), "iwm.us",
                name="small-caps")
    path = rotascope_home / "store.duckdb"
    writer = (
        "import sys, pandas as pd; from rotascope.data.store import Store;"
        "from rotascope.data.series import SeriesMeta, TimeSeries;"
        "ix = pd.date_range('2024-01-01', periods=2, name='date');"
        "Store(sys.argv[1], lock_wait=0).write(TimeSeries(pd.Series([1.0, 2.0], index=ix),"
        " SeriesMeta('other', source='t')))"
    )
    outcome: dict[str, subprocess.CompletedProcess[str]] = {}

    class WriterDuringFetch(StooqProvider):
        def _download(self, symbol, start, end):  # type: ignore[no-untyped-def]
            outcome["w"] = subprocess.run([sys.executable, "-c", writer, str(path)],
                                          capture_output=True, text=True, timeout=60)
            return super()._download(symbol, start, end)

    with Store() as store:
        refresh(store, WriterDuringFetch(client(), base_url=server.url + PATH), "iwm.us",
                name="small-caps")
        assert store.names() == ["other", "small-caps"]
    assert outcome["w"].returncode == 0, outcome["w"].stderr


# ------------------------------------------------------------------ 3. decoding, redirects


def test_item3_lying_gzip_is_retried_then_one_provider_error(server: ScriptedServer) -> None:
    server.route(PATH, Reply(body=CSV, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(ProviderError) as info:
        client(retries=2).get_text(server.url + PATH, origin="stooq:x")
    assert "after 3 tries (body does not decode as its Content-Encoding says" in str(info.value)
    assert server.count(PATH) == 3


def test_item3_redirect_loop_is_retried_then_one_provider_error(server: ScriptedServer) -> None:
    server.route(PATH, Reply(302, headers={"Location": PATH}, content_type="text/plain"))
    with pytest.raises(ProviderError, match=r"after 2 tries \(too many redirects"):
        client().get_text(server.url + PATH, origin="stooq:x")
    assert server.count(PATH) == 2 * 6  # bounded: 5 redirects followed per try


def test_item3_lying_gzip_falls_back_to_the_stored_copy(server: ScriptedServer) -> None:
    server.route(PATH, Reply(body=stooq_csv(DAYS)),
                 Reply(body=CSV, headers={"Content-Encoding": "gzip"}))
    provider = StooqProvider(client(), base_url=server.url + PATH)
    with Store() as store:
        refresh(store, provider, "iwm.us", name="small-caps")
        with pytest.warns(RotascopeWarning, match="using the stored copy"):
            result = refresh(store, provider, "iwm.us", name="small-caps")
    assert result.used_stored_copy and result.rows_after == len(DAYS)


# ------------------------------------------------------------------ 4. cross-host redirects


def test_item4_redirect_to_another_host_is_refused(
    server: ScriptedServer, other_host: ScriptedServer
) -> None:
    other_host.route(PATH, Reply(body=CSV))
    server.route(PATH, Reply(302, headers={"Location": other_host.url + PATH}))
    with pytest.raises(ProviderError) as info:
        client().get_text(server.url + PATH, {"s": "x"}, origin="stooq:x")
    assert "redirects to another host" in str(info.value)
    assert other_host.count() == 0  # never contacted
    assert server.count(PATH) == 1  # not retried


def test_item4_redirect_within_the_host_is_followed(server: ScriptedServer) -> None:
    server.route(PATH, Reply(301, headers={"Location": "/moved/"}))
    server.route("/moved/", Reply(body=CSV))
    assert client().get_text(server.url + PATH, origin="stooq:x") == CSV


# ------------------------------------------------------------------ 5. per-target fallback


@pytest.mark.parametrize("bad", ["html", "nan-rows"])
def test_item5_bad_payload_for_one_target_falls_back_and_the_others_are_fetched(
    server: ScriptedServer, bad: str
) -> None:
    good = stooq_csv(DAYS)
    lines = good.splitlines()
    lines[-3] = lines[-3].split(",")[0] + ",nan,nan,nan,nan,1000"  # NaN row in the overlap
    payload = (Reply(body=HTML_ERROR_PAGE, content_type="text/html") if bad == "html"
               else Reply(body="\n".join(lines) + "\n"))
    server.route(PATH, Reply(body=good), payload, query={"s": "iwm.us"})
    server.route(PATH, Reply(body=good), Reply(body=stooq_csv(DAYS, start=100.5)),
                 query={"s": "spy.us"})
    base = ["data", "fetch", "small-caps", "large-caps", "--provider", "stooq", "--base-url",
            server.url + PATH, "--retries", "0", "--timeout", "1"]
    first = runner.invoke(app, base)
    assert first.exit_code == 0, first.output
    result = runner.invoke(app, base, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "rotascope: warning: stooq:iwm.us failed" in result.output
    assert "using the stored copy" in result.output
    with Store() as store:
        assert store.read("large-caps").data.iloc[-1] == 129.5  # the other target was fetched
        assert store.read("small-caps").data.iloc[-1] == 129.0
    table = result.output[result.output.index("Fetched"):]
    assert "small-caps" in table and "stored copy" in table
    assert "large-caps" in table and "updated" in table


def test_item5_one_failed_target_does_not_stop_the_others(server: ScriptedServer) -> None:
    server.route(PATH, Reply(body="No data", content_type="text/plain"), query={"s": "nosuch.us"})
    server.route(PATH, Reply(body=CSV), query={"s": "spy.us"})
    result = runner.invoke(app, ["data", "fetch", "nosuch.us", "spy.us", "--provider", "stooq",
                                 "--base-url", server.url + PATH, "--retries", "0"])
    assert result.exit_code == 2, result.output
    assert "nosuch.us" in result.output and "failed" in result.output
    with Store() as store:
        assert store.names() == ["spy.us"]


# ------------------------------------------------------------------ 6. implausible revisions


def test_item6_wrong_symbol_answer_keeps_the_stored_rows_and_names_the_dates(
    server: ScriptedServer,
) -> None:
    # the second answer carries another symbol's prices (levels 40x higher)
    server.route(PATH, Reply(body=stooq_csv(DAYS[:20], start=100.0)),
                 Reply(body=stooq_csv(DAYS[14:], start=4000.0)))
    provider = StooqProvider(client(), base_url=server.url + PATH)
    with Store() as store:
        refresh(store, provider, "iwm.us", name="small-caps")
        before = store.read("small-caps").data.copy()
        with pytest.warns(RotascopeWarning) as record:
            result = refresh(store, provider, "iwm.us", name="small-caps")
        after = store.read("small-caps").data
    (message,) = [str(w.message) for w in record if issubclass(w.category, RotascopeWarning)]
    assert "revises" in message and f"{DAYS[14]:%Y-%m-%d}" in message
    assert result.used_stored_copy
    pd.testing.assert_series_equal(after, before)


def test_item6_small_revisions_are_merged(server: ScriptedServer) -> None:
    server.route(PATH, Reply(body=stooq_csv(DAYS[:20], start=100.0)),
                 Reply(body=stooq_csv(DAYS[14:], start=114.5)))  # +0.4% revisions
    provider = StooqProvider(client(), base_url=server.url + PATH)
    with Store() as store:
        refresh(store, provider, "iwm.us", name="small-caps")
        result = refresh(store, provider, "iwm.us", name="small-caps")
        assert store.read("small-caps").data.loc[DAYS[15]] == 115.5
    assert not result.used_stored_copy and result.rows_after == len(DAYS)


def test_item6_full_refresh_replaces_history_after_a_refused_revision(
    server: ScriptedServer,
) -> None:
    server.route(PATH, Reply(body=stooq_csv(DAYS[:20], start=100.0)),
                 Reply(body=stooq_csv(DAYS, start=50.0)))  # a 2:1 split, adjusted history
    provider = StooqProvider(client(), base_url=server.url + PATH)
    with Store() as store:
        refresh(store, provider, "iwm.us", name="small-caps")
        with pytest.warns(RotascopeWarning, match=r"data fetch --full"):
            refresh(store, provider, "iwm.us", name="small-caps")
        result = refresh(store, provider, "iwm.us", name="small-caps", full=True)
        assert store.read("small-caps").data.iloc[0] == 50.0
    assert result.rows_after == len(DAYS) and not result.used_stored_copy
