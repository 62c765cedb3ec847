"""`rotascope data fetch` end to end: a real provider against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from httpserver import Reply, ScriptedServer, serve
from rotascope.cli.main import app
from rotascope.data.store import Store

runner = CliRunner()
PATH = "/q/d/l/"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


def stooq_csv(days: pd.DatetimeIndex, start: float = 100.0) -> str:
    """Stooq's daily CSV layout: Date,Open,High,Low,Close,Volume."""
    lines = ["Date,Open,High,Low,Close,Volume"]
    for i, day in enumerate(days):
        close = start + i
        lines.append(f"{day:%Y-%m-%d},{close - 1},{close + 1},{close - 2},{close},{1000 + i}")
    return "\n".join(lines) + "\n"


def fetch(server: ScriptedServer, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["data", "fetch", "small-caps", "--provider", "stooq",
                                 "--base-url", server.url + PATH, "--retries", "1",
                                 "--timeout", "0.5", *extra])
    return result.exit_code, result.output


def test_fetch_then_incremental_refresh(server: ScriptedServer) -> None:
    days = pd.bdate_range("2026-06-01", "2026-07-31")
    server.route(PATH, Reply(body=stooq_csv(days[:30]), content_type="text/csv"),
                 Reply(body=stooq_csv(days[23:], start=100.0 + 23 + 0.5), content_type="text/csv"))
    code, out = fetch(server)
    assert code == 0, out
    assert server.requests[0].query["s"] == "iwm.us"
    with Store() as store:
        first = store.read("small-caps")
    assert len(first.data) == 30 and first.meta.source == "stooq:iwm.us"
    code, out = fetch(server)
    assert code == 0, out
    # The second request starts a week before the last stored date, to pick up revisions.
    assert server.requests[1].query["d1"] == (days[29] - pd.Timedelta(days=7)).strftime("%Y%m%d")
    with Store() as store:
        after = store.read("small-caps")
    assert len(after.data) == len(days)
    # Revised overlap rows are overwritten, older rows are kept.
    # (d1 = days[24]: the provider keeps rows on or after it.)
    assert after.data.loc[days[24]] == 124.5 and after.data.loc[days[23]] == 123.0


def test_fault_with_stored_copy_warns_and_keeps_store(server: ScriptedServer) -> None:
    days = pd.bdate_range("2026-06-01", periods=20)
    server.route(PATH, Reply(body=stooq_csv(days), content_type="text/csv"),
                 Reply(500, "Internal Server Error", content_type="text/plain"))
    assert fetch(server)[0] == 0
    with Store() as store:
        before = store.read("small-caps").data.copy()
    code, out = fetch(server)
    assert code == 0, out
    assert "stored copy" in out
    with Store() as store:
        pd.testing.assert_series_equal(store.read("small-caps").data, before)


@pytest.mark.parametrize(
    "reply",
    [Reply(500, "boom", content_type="text/plain"),
     Reply(body="<html><body>Error</body></html>", content_type="text/html"),
     Reply(body="", content_type="text/csv")],
    ids=["500", "html", "empty"],
)
def test_fault_without_stored_copy_exits_2_and_stores_nothing(
    server: ScriptedServer, reply: Reply
) -> None:
    server.route(PATH, reply)
    code, out = fetch(server)
    assert code == 3  # provider unavailable (issue 14, item 7: exit codes 1, 2, 3)
    assert "stooq" in out and "iwm.us" in out
    with Store() as store:
        assert store.names() == []


def test_fetch_from_files_provider(shared_data: Path) -> None:
    result = runner.invoke(app, ["data", "fetch", "small-caps", "large-caps", "--provider",
                                 "files", "--data-dir", str(shared_data)])
    assert result.exit_code == 0, result.output
    with Store() as store:
        assert set(store.names()) == {"small-caps", "large-caps"}
        iwm = pd.read_csv(shared_data / "prices" / "IWM.csv")
        assert store.last_date("small-caps") == pd.Timestamp(iwm["Date"].iloc[-1])
