"""`rotascope update` and `rotascope report --update` end to end against the local HTTP server:
a small universe served by Stooq, FRED and Ken French in their real formats, an incremental
second run, a failing provider, and the offline fallback (a closed port, a hanging resolver)."""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from httpserver import Reply, ScriptedServer, serve
from rotascope.cli.commands import update as update_module
from rotascope.cli.main import app
from rotascope.data import online
from rotascope.data.store import Store

runner = CliRunner()
STOOQ, FRED, FRENCH = "/q/d/l/", "/graph/fredgraph.csv", "/ftp/"
MOM = "F-F_Momentum_Factor_daily"

UNIVERSE = """
name = "tiny"
description = "Two ETFs from Stooq, a yield from FRED, momentum from Ken French"
benchmark = "large-caps"
provider = "store"

[[segments]]
name = "large-caps"
display = "S&P 500"
group = "size"
description = "SPY"
series = { stooq = "spy.us", yahoo = "SPY" }

[[segments]]
name = "small-caps"
display = "Russell 2000"
group = "size"
description = "IWM"
series = { stooq = "iwm.us" }

[[segments]]
name = "two-year"
display = "2-year Treasury yield"
group = "macro"
description = "DGS2"
series = { fred = "DGS2" }

[[segments]]
name = "ff-momentum"
display = "momentum factor"
group = "factor"
kind = "return"
description = "Mom"
series = { french = "F-F_Momentum_Factor_daily#Mom" }

[[segments]]
name = "yahoo-only"
display = "only on Yahoo"
group = "size"
description = "no free provider"
series = { yahoo = "QQQ" }
"""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def universe(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(UNIVERSE, encoding="utf-8")
    return path


def stooq_csv(days: pd.DatetimeIndex, start: float = 100.0) -> str:
    """Stooq's daily CSV layout: Date,Open,High,Low,Close,Volume."""
    lines = ["Date,Open,High,Low,Close,Volume"]
    for i, day in enumerate(days):
        close = start + i
        lines.append(f"{day:%Y-%m-%d},{close - 1},{close + 1},{close - 2},{close},{1000 + i}")
    return "\n".join(lines) + "\n"


def fred_csv(days: pd.DatetimeIndex) -> str:
    """FRED's fredgraph.csv layout: observation_date,ID."""
    return "observation_date,DGS2\n" + "".join(
        f"{day:%Y-%m-%d},{4.0 + i / 100:.2f}\n" for i, day in enumerate(days))


def french_zip(days: pd.DatetimeIndex) -> bytes:
    """The library's zip: one CSV with a text header, a blank-named date column, a footer."""
    text = "\r\n".join([
        "This file was created by using the 202604 CRSP database.", "",
        ",Mom", *(f"{day:%Y%m%d},  {0.1 * (i % 7 - 3):.2f}" for i, day in enumerate(days)), "",
        "Copyright 2026 Eugene F. Fama and Kenneth R. French", ""])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{MOM}.CSV", text)
    return buffer.getvalue()


def base_urls(root: str) -> list[str]:
    return ["--base-url", f"stooq={root}{STOOQ}", "--base-url", f"fred={root}{FRED}",
            "--base-url", f"french={root}{FRENCH}"]


def run(universe: Path, root: str, *extra: str) -> tuple[int, str, float]:
    began = time.monotonic()
    result = runner.invoke(app, ["update", "--universe", str(universe), *base_urls(root),
                                 "--retries", "0", "--timeout", "0.5", *extra],
                           env={"COLUMNS": "200"})
    return result.exit_code, result.output, time.monotonic() - began


DAYS = pd.bdate_range("2026-06-01", "2026-07-31")


def serve_all(server: ScriptedServer, fred_reply: Reply | None = None) -> None:
    for symbol, start in (("spy.us", 500.0), ("iwm.us", 200.0)):
        server.route(STOOQ, Reply(body=stooq_csv(DAYS[:30], start)),
                     Reply(body=stooq_csv(DAYS[23:], start + 23)), query={"s": symbol})
    if fred_reply is None:
        server.route(FRED, Reply(body=fred_csv(DAYS[:30])))
    else:  # every try fails
        server.route(FRED, fred_reply)
    server.route(f"{FRENCH}{MOM}_CSV.zip", Reply(body=french_zip(DAYS[:30]),
                                                 content_type="application/zip"))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_update_fetches_every_segment_then_only_what_is_new(
        server: ScriptedServer, universe: Path) -> None:
    serve_all(server)
    code, out, _ = run(universe, server.url)
    assert code == 0, out
    assert "from Stooq/FRED/Ken French: 4 updated, 0 already current, 0 failed (of 4 segments)" in out
    assert "no free provider (left out): yahoo-only" in out
    with Store() as store:
        assert set(store.names()) == {"large-caps", "small-caps", "two-year", "ff-momentum"}
        assert len(store.read("large-caps").data) == 30
        assert store.read("large-caps").meta.source == "stooq:spy.us"
        assert store.meta("two-year").source.startswith("fred:DGS2")
    first = len(server.requests)
    assert first == 4 and all("d1" not in r.query and "cosd" not in r.query
                              for r in server.requests)

    code, out, _ = run(universe, server.url)
    assert code == 0, out
    # Stooq has new rows; FRED and Ken French answer nothing new: already current
    assert "2 updated, 2 already current, 0 failed (of 4 segments)" in out
    again = server.requests[first:]
    last = DAYS[29] - pd.Timedelta(days=7)  # a week of overlap before the last stored date
    assert {r.query["d1"] for r in again if r.path == STOOQ} == {last.strftime("%Y%m%d")}
    assert [r.query["cosd"] for r in again if r.path == FRED] == [last.strftime("%Y-%m-%d")]
    with Store() as store:
        assert len(store.read("large-caps").data) == len(DAYS)
        assert len(store.read("two-year").data) == 30


def test_one_provider_failing_is_one_summary_line_and_exit_3(
        server: ScriptedServer, universe: Path) -> None:
    serve_all(server, fred_reply=Reply(500, "Internal Server Error", content_type="text/plain"))
    code, out, _ = run(universe, server.url)
    assert code == 3, out  # the provider's fault, as `data fetch`
    assert "3 updated, 0 already current, 1 failed (of 4 segments)" in out
    failures = [ln for ln in out.splitlines() if ln.startswith("• two-year: ")]
    assert len(failures) == 1 and "fred:DGS2" in failures[0] and "HTTP 500" in failures[0]
    with Store() as store:
        assert "two-year" not in store.names() and "large-caps" in store.names()


def test_quiet_prints_only_the_failures(server: ScriptedServer, universe: Path) -> None:
    serve_all(server, fred_reply=Reply(500, "Internal Server Error", content_type="text/plain"))
    code, out, _ = run(universe, server.url, "--quiet")
    assert code == 3
    assert "updated" not in out and out.count("rotascope: error: two-year: fred:DGS2") == 1


def test_bad_base_url_is_a_usage_error(universe: Path) -> None:
    code, out, _ = run(universe, "http://127.0.0.1:1", "--base-url", "nope")
    assert code == 2 and "--base-url 'nope'" in out


def test_update_offline_fails_fast_with_one_line_per_provider(universe: Path) -> None:
    root = f"http://127.0.0.1:{closed_port()}"
    code, out, elapsed = run(universe, root)
    assert code == 3, out
    assert elapsed < 5, elapsed
    assert "0 updated, 0 already current, 4 failed (of 4 segments)" in out
    assert "• Stooq unreachable (cannot connect to 127.0.0.1:" in out
    assert "not updated: large-caps, small-caps" in out
    with Store() as store:
        assert store.names() == []


def test_report_update_offline_uses_the_sample_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timings: list[float] = []
    real = update_module.run_update

    def timed(*args: object, **kwargs: object) -> update_module.UpdateResult:
        began = time.monotonic()
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            timings.append(time.monotonic() - began)

    monkeypatch.setattr(update_module, "run_update", timed)
    root = f"http://127.0.0.1:{closed_port()}"
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["report", "--update", *base_urls(root), "-f", "json",
                                 "-o", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert len(timings) == 1 and timings[0] < 5, timings
    first = result.output.splitlines()[0]
    assert first == "offline (no answer from Stooq, Ken French): using the embedded sample"
    assert "embedded offline sample" in result.output and out.exists()


def test_report_update_online_uses_current_data(
        server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the built-in `us` universe: answer every Stooq symbol and the two Ken French files
    server.route(STOOQ, Reply(body=stooq_csv(DAYS)))
    for dataset in ("F-F_Research_Data_5_Factors_2x3_daily", MOM):
        text = "\r\n".join([
            "header", "", ",Mkt-RF,SMB,HML,RMW,CMA,RF,Mom",
            *(f"{d:%Y%m%d},0.10,0.20,-0.10,0.05,0.01,0.02,0.30" for d in DAYS), "",
            "Copyright 2026 Eugene F. Fama and Kenneth R. French", ""])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"{dataset}.CSV", text)
        server.route(f"{FRENCH}{dataset}_CSV.zip",
                     Reply(body=buffer.getvalue(), content_type="application/zip"))
    result = runner.invoke(app, ["report", "--update", *base_urls(server.url), "-f", "json",
                                 "-o", str(tmp_path / "r.json")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "from Stooq/Ken French: 41 updated, 0 already current, 0 failed" in result.output
    assert "no free provider (left out): russell-2000-index" in result.output
    assert "using current data from Stooq/Ken French" in result.output
    assert "embedded" not in result.output


def test_report_without_stored_data_says_how_to_get_current_data(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "-f", "json", "-o", str(tmp_path / "r.json")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    hints = [ln for ln in result.output.splitlines() if "rotascope update" in ln]
    assert len(hints) == 1 and hints[0].startswith("embedded 2018 sample: run `rotascope update`")


def test_the_check_gives_up_on_a_hanging_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hang(*args: object, **kwargs: object) -> list[object]:
        release.wait(30)  # a resolver with no route to its DNS server
        raise socket.gaierror("no DNS")

    monkeypatch.setattr(online.socket, "getaddrinfo", hang)
    began = time.monotonic()
    try:
        down = online.unreachable(["https://stooq.com/q/d/l/", "https://example.org/x"], 1.0)
    finally:
        release.set()
    assert time.monotonic() - began < 5.0  # gave up at its 1 s, not at the 30 s hang
    assert down == {"https://stooq.com/q/d/l/": "no answer from stooq.com:443 within 1 s",
                    "https://example.org/x": "no answer from example.org:443 within 1 s"}


def test_the_check_goes_through_a_configured_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert online.endpoint("https://stooq.com/q/d/l/") == ("proxy.internal", 3128)
    monkeypatch.setenv("NO_PROXY", "stooq.com")
    assert online.endpoint("https://stooq.com/q/d/l/") == ("stooq.com", 443)


@pytest.mark.parametrize("quiet", [False, True], ids=["terminal", "quiet"])
def test_one_progress_bar_on_a_terminal_none_when_quiet(
        server: ScriptedServer, universe: Path, monkeypatch: pytest.MonkeyPatch,
        quiet: bool) -> None:
    from rich.console import Console

    from rotascope.cli import fetching

    screen = io.StringIO()
    monkeypatch.setattr(fetching, "err_console",
                        lambda: Console(file=screen, force_terminal=True, width=100))
    serve_all(server)
    code, out, _ = run(universe, server.url, *(["--quiet"] if quiet else []))
    assert code == 0, out
    shown = screen.getvalue()
    if quiet:
        assert shown == ""
    else:  # one bar, over every target: each name is drawn as it starts, its count reaches 4/4
        names = ("stooq:spy.us", "stooq:iwm.us", "fred:DGS2", "french:F-F_Momentum_Factor_daily#Mom")
        assert "4/4" in shown and all(name in shown for name in names), shown
        assert shown.count("\n") <= 1  # redrawn in place (\r), never a second bar or line


def test_update_note_names_what_the_report_uses() -> None:
    from rotascope.cli.commands.report import update_note
    from rotascope.data.refresh import RefreshResult, TargetOutcome
    from rotascope.data.universe import load_universe

    us, sample = load_universe("us"), load_universe("sample")
    offline = update_module.UpdateResult("us", [], {"stooq": "x", "french": "y"},
                                         {"stooq": ["large-caps"], "french": ["ff-market"]})
    assert update_note(offline, sample) == ("offline (no answer from Stooq, Ken French): "
                                            "using the embedded sample")
    assert update_note(offline, us).endswith("using the stored data, not updated")
    day = pd.Timestamp("2026-07-31")
    fresh = TargetOutcome("large-caps", "stooq", "spy.us", "updated",
                          RefreshResult("large-caps", "spy.us", "stooq", 0, 5, 5, day, day, None))
    online_ = update_module.UpdateResult("us", [fresh])
    assert update_note(online_, us) == "using current data from Stooq"
    failed = TargetOutcome("large-caps", "stooq", "spy.us", "failed", None, "HTTP 500", True)
    assert update_note(update_module.UpdateResult("us", [failed]), sample) == (
        "update failed (nothing stored): using the embedded sample")


def test_report_update_of_the_sample_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--update", "--universe", "sample",
                                 "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "embedded sample: nothing to fetch" in result.output
