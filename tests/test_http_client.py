"""The shared HTTP client against a real local server: retries, backoff and body checks."""

from __future__ import annotations

import io
import socket
import zipfile
from collections.abc import Iterator
from email.utils import formatdate

import pytest

from httpserver import Reply, ScriptedServer, serve
from rotascope.data.http import HttpClient, check_csv_text, looks_like_html
from rotascope.errors import InputError, ProviderError

CSV = "Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1.5,2,1,1.8,120\n"
HTML = "<!DOCTYPE html>\n<html><head><title>503</title></head><body>Try later</body></html>\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_client(sleeps: list[float], **kw: float) -> HttpClient:
    options: dict = {"timeout": 2.0, "retries": 2, "backoff": 0.5, "max_backoff": 4.0}
    options.update(kw)
    return HttpClient(sleep=sleeps.append, **options)


def test_get_text_sends_params_and_user_agent(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=CSV))
    text = make_client(sleeps).get_text(server.url + "/data", {"s": "^spx", "i": "d"}, origin="t:x")
    assert text == CSV
    (request,) = server.requests
    assert request.query == {"s": "^spx", "i": "d"}
    assert request.headers["User-Agent"].startswith("rotascope/")
    assert sleeps == []


def test_bom_is_stripped(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body="\ufeff" + CSV))
    assert make_client(sleeps).get_text(server.url + "/data", origin="t:x") == CSV


def test_429_then_success_honours_retry_after(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(429, "slow down", headers={"Retry-After": "3"}), Reply(body=CSV))
    assert make_client(sleeps).get_text(server.url + "/data", origin="t:x") == CSV
    assert server.count("/data") == 2
    assert sleeps == [3.0]


def test_retry_after_is_capped(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(429, headers={"Retry-After": "3600"}), Reply(body=CSV))
    make_client(sleeps, max_backoff=4.0).get_text(server.url + "/data", origin="t:x")
    assert sleeps == [4.0]


def test_retry_after_as_http_date(server: ScriptedServer, sleeps: list[float]) -> None:
    import time

    when = formatdate(time.time() + 2, usegmt=True)
    server.route("/data", Reply(429, headers={"Retry-After": when}), Reply(body=CSV))
    make_client(sleeps).get_text(server.url + "/data", origin="t:x")
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= 2.0


def test_429_without_retry_after_uses_backoff(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(429), Reply(429), Reply(body=CSV))
    make_client(sleeps, backoff=0.25).get_text(server.url + "/data", origin="t:x")
    assert sleeps == [0.25, 0.5]


def test_500_on_every_try(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(500, "boom"))
    client = make_client(sleeps, retries=4, backoff=1.0, max_backoff=4.0)
    with pytest.raises(ProviderError) as info:
        client.get_text(server.url + "/data", {"id": "X"}, origin="fred:X")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("fred:X: could not fetch http://127.0.0.1:")
    assert "/data?id=X" in message
    assert "after 5 tries" in message and "HTTP 500" in message
    assert server.count("/data") == 5
    assert sleeps == [1.0, 2.0, 4.0, 4.0]


def test_503_then_success(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(503), Reply(502), Reply(body=CSV))
    assert make_client(sleeps).get_text(server.url + "/data", origin="t:x") == CSV
    assert server.count() == 3


def test_404_is_not_retried(server: ScriptedServer, sleeps: list[float]) -> None:
    with pytest.raises(ProviderError, match=r"t:x: not found \(HTTP 404\) at http://127\.0\.0\.1"):
        make_client(sleeps).get_text(server.url + "/missing", origin="t:x")
    assert server.count() == 1
    assert sleeps == []


def test_other_4xx_is_not_retried(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(403, "no"))
    with pytest.raises(ProviderError, match="HTTP 403 Forbidden"):
        make_client(sleeps).get_text(server.url + "/data", origin="t:x")
    assert server.count() == 1


def test_timeout_on_every_try(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=CSV, delay=1.5))
    client = make_client(sleeps, timeout=0.2, retries=1)
    with pytest.raises(ProviderError, match=r"after 2 tries \(timed out"):
        client.get_text(server.url + "/data", origin="t:x")
    assert server.count() == 2


def test_timeout_then_success(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=CSV, delay=1.5), Reply(body=CSV))
    assert make_client(sleeps, timeout=0.2).get_text(server.url + "/data", origin="t:x") == CSV
    assert server.count() == 2
    assert sleeps == [0.5]


def test_truncated_body_content_length(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=CSV, truncate=20))
    with pytest.raises(ProviderError, match=r"after 3 tries \(truncated body"):
        make_client(sleeps).get_text(server.url + "/data", origin="t:x")
    assert server.count() == 3


def test_truncated_then_complete(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=CSV, truncate=40), Reply(body=CSV))
    assert make_client(sleeps).get_text(server.url + "/data", origin="t:x") == CSV
    assert server.count() == 2


def test_truncated_csv_without_content_length(server: ScriptedServer, sleeps: list[float]) -> None:
    cut = CSV[: CSV.rindex(",1.8")]
    server.route("/data", Reply(body=cut, content_length=False))
    with pytest.raises(ProviderError, match=r"truncated body: last line .* has 4 of 6 fields"):
        make_client(sleeps, retries=0).get_text(server.url + "/data", origin="t:x")
    assert server.count() == 1


def test_html_instead_of_csv(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=HTML, content_type="text/html"))
    with pytest.raises(ProviderError, match=r"t:x: .*after 3 tries \(HTML page instead of CSV\)"):
        make_client(sleeps).get_text(server.url + "/data", origin="t:x")
    assert server.count() == 3


def test_empty_body(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(body=b""), Reply(body=b"\r\n"))
    with pytest.raises(ProviderError, match=r"after 3 tries \(empty body\)"):
        make_client(sleeps).get_text(server.url + "/data", origin="t:x")
    assert server.count() == 3


def test_connection_refused(sleeps: list[float]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(sleeps, retries=1)
    with pytest.raises(ProviderError, match=r"after 2 tries \(ConnectError"):
        client.get_text(f"http://127.0.0.1:{port}/data", origin="t:x")
    assert sleeps == [0.5]


def test_single_try_wording(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/data", Reply(500))
    with pytest.raises(ProviderError, match=r"after 1 try \("):
        make_client(sleeps, retries=0).get_text(server.url + "/data", origin="t:x")


def _zip(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def test_get_bytes_zip(server: ScriptedServer, sleeps: list[float]) -> None:
    blob = _zip("a.CSV", CSV)
    server.route("/a.zip", Reply(body=blob, content_type="application/zip"))
    assert make_client(sleeps).get_bytes(server.url + "/a.zip", origin="t:a", expect="zip") == blob


def test_get_bytes_bad_zip_then_good(server: ScriptedServer, sleeps: list[float]) -> None:
    blob = _zip("a.CSV", CSV * 50)
    server.route(
        "/a.zip",
        Reply(body=blob[: len(blob) // 2], content_length=False),
        Reply(body=blob),
    )
    assert make_client(sleeps).get_bytes(server.url + "/a.zip", origin="t:a", expect="zip") == blob
    assert server.count() == 2


def test_get_bytes_bad_zip_every_time(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/a.zip", Reply(body=b"PK\x03\x04 not really a zip", content_length=False))
    with pytest.raises(ProviderError, match=r"t:a: .*after 3 tries \(truncated or corrupt zip"):
        make_client(sleeps).get_bytes(server.url + "/a.zip", origin="t:a", expect="zip")


def test_get_bytes_html(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route("/a.zip", Reply(body=HTML, content_type="text/html"))
    with pytest.raises(ProviderError, match="HTML page instead of a zip file"):
        make_client(sleeps).get_bytes(server.url + "/a.zip", origin="t:a", expect="zip")


def test_helpers() -> None:
    assert looks_like_html(b"  <!doctype html><html>")
    assert looks_like_html("\ufeff<HTML lang='en'>")
    assert not looks_like_html("Date,Close\n2020-01-02,1\n")
    assert not looks_like_html("No data")
    check_csv_text("a,b\n1,2\n")
    check_csv_text("No data")
    with pytest.raises(ValueError, match="1 of 2 fields"):
        check_csv_text("a,b\n1,2\n3")


@pytest.mark.parametrize(
    ("kw", "word"),
    [({"timeout": 0}, "timeout"), ({"retries": -1}, "retries"), ({"backoff": -1}, "backoff")],
)
def test_bad_arguments(kw: dict, word: str) -> None:
    with pytest.raises(InputError, match=word):
        HttpClient(**kw)
