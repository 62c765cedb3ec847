"""A real HTTP server on 127.0.0.1 with scripted replies, for provider and client tests.

Nothing here contacts an outside host: the server binds 127.0.0.1 on a free port and answers
from a routing table. Each route holds a sequence of :class:`Reply` objects; request ``n`` to a
route gets reply ``n`` (the last one repeats), so "429 then success" is ``[Reply(429), Reply(200,
body)]``. Every request is recorded so tests can assert how many the client made.

Usage::

    with ScriptedServer() as server:
        server.route("/q/d/l/", Reply(429, headers={"Retry-After": "1"}), Reply(body=csv))
        client.get_text(server.url + "/q/d/l/", {"s": "^spx"}, origin="stooq:^spx")
        assert server.count("/q/d/l/") == 2
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

__all__ = [
    "FAULT_CAUSES",
    "HTML_ERROR_PAGE",
    "Reply",
    "Request",
    "ScriptedServer",
    "fault_replies",
    "serve",
]


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    Parameters
    ----------
    status : int
        HTTP status code.
    body : bytes or str
        Body; ``str`` is sent UTF-8 encoded.
    headers : mapping
        Extra headers (``Retry-After``, ...).
    content_type : str
        ``Content-Type`` header.
    delay : float
        Seconds to wait before sending anything (to trip the client's timeout).
    truncate : int, optional
        Send only this many bytes of the body while announcing the full length in
        ``Content-Length``, then close the connection.
    content_length : bool
        Send a ``Content-Length`` header; without it the body ends when the connection closes.
    drip : float
        Send the body one byte at a time, waiting this many seconds before each byte (a slow
        server that never trips a per-read timeout).
    stream : callable, optional
        Makes the body lazily, chunk by chunk (a huge body that is never held in memory); sent
        without ``Content-Length``, the connection closes at its end. ``body`` is ignored.
    """

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/csv; charset=utf-8"
    delay: float = 0.0
    truncate: int | None = None
    content_length: bool = True
    drip: float = 0.0
    stream: Callable[[], Iterable[bytes]] | None = None

    @property
    def payload(self) -> bytes:
        """The body as bytes."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Request:
    """One request the server saw."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Route:
    path: str
    replies: tuple[Reply, ...]
    query: dict[str, str]
    hits: int = 0

    def matches(self, path: str, query: Mapping[str, str]) -> bool:
        return path == self.path and all(query.get(k) == v for k, v in self.query.items())


class ScriptedServer:
    """A ``ThreadingHTTPServer`` on 127.0.0.1 (free port) answering from scripted routes."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        if not host.startswith("127."):
            raise ValueError(f"the test server binds loopback addresses only (got {host!r})")
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._routes: list[_Route] = []
        self.requests: list[Request] = []
        #: Body bytes written per request, in order (a capped client stops a huge body early).
        self.sent: list[int] = []
        self._httpd = ThreadingHTTPServer((host, 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> ScriptedServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake delayed handlers and close the socket."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- script and record ----------------------------------------------------------------------

    def route(self, path: str, *replies: Reply, query: Mapping[str, str] | None = None) -> None:
        """Answer requests to ``path`` (and matching ``query`` items) with ``replies`` in turn.

        Routes with a query take precedence over a bare path; the last reply repeats.
        """
        if not replies:
            raise ValueError("route needs at least one reply")
        with self._lock:
            self._routes.append(_Route(path, tuple(replies), dict(query or {})))
            self._routes.sort(key=lambda r: -len(r.query))

    def count(self, path: str | None = None, **query: str) -> int:
        """Number of requests seen (to ``path`` with ``query`` items, when given)."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (path is None or r.path == path)
                and all(r.query.get(k) == v for k, v in query.items())
            )

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            for route in self._routes:
                if route.matches(request.path, request.query):
                    reply = route.replies[min(route.hits, len(route.replies) - 1)]
                    route.hits += 1
                    return reply
        return Reply(404, "Not Found", content_type="text/plain")

    # -- handler --------------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # headers and body go out in two writes: without this, Nagle's algorithm and
                # delayed ACKs add ~40 ms to every response
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                request = Request(
                    "GET", parts.path, dict(parse_qsl(parts.query)), dict(self.headers.items())
                )
                reply = server._next_reply(request)
                if reply.delay and server._stopping.wait(reply.delay):
                    return
                payload = b"" if reply.stream is not None else reply.payload
                written = 0
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    lazy = reply.stream is not None
                    if reply.content_length and not lazy:
                        self.send_header("Content-Length", str(len(payload)))
                    if reply.truncate is not None or not reply.content_length or lazy:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.stream is not None:
                        for chunk in reply.stream():
                            if server._stopping.is_set():
                                break
                            self.wfile.write(chunk)
                            written += len(chunk)
                    elif reply.drip:
                        for k in range(len(payload)):
                            if server._stopping.wait(reply.drip):
                                break
                            self.wfile.write(payload[k : k + 1])
                            self.wfile.flush()
                            written += 1
                    else:
                        sent = payload if reply.truncate is None else payload[: reply.truncate]
                        self.wfile.write(sent)
                        written = len(sent)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with server._lock:
                        server.sent.append(written)

        return Handler


HTML_ERROR_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><title>Service unavailable</title></head>\n'
    "<body><h1>We are busy</h1><p>Please try again later.</p></body></html>\n"
)

#: The faults every network provider is tested for, and the cause the client's final error names
#: (``None``: the fault is retried away and the fetch succeeds).
FAULT_CAUSES: dict[str, str | None] = {
    "slow": "timed out",
    "429-then-ok": None,
    "500-always": "HTTP 500",
    "truncated": "truncated body",
    "html": "HTML page instead of",
    "empty": "empty body",
}


def fault_replies(
    fault: str, good: bytes | str, content_type: str = "text/csv"
) -> tuple[Reply, ...]:
    """Scripted replies that show ``fault`` (a key of :data:`FAULT_CAUSES`) on every try.

    ``slow`` waits 2 s before answering (use a client timeout well below); ``429-then-ok`` answers
    429 with ``Retry-After: 1`` once, then ``good``; ``truncated`` announces the full length of
    ``good`` but sends half of it.
    """
    size = len(good.encode("utf-8") if isinstance(good, str) else good)
    if fault == "slow":
        return (Reply(body=good, content_type=content_type, delay=2.0),)
    if fault == "429-then-ok":
        return (
            Reply(
                429, "Too Many Requests", headers={"Retry-After": "1"}, content_type="text/plain"
            ),
            Reply(body=good, content_type=content_type),
        )
    if fault == "500-always":
        return (Reply(500, "Internal Server Error", content_type="text/plain"),)
    if fault == "truncated":
        return (Reply(body=good, content_type=content_type, truncate=size // 2),)
    if fault == "html":
        return (Reply(body=HTML_ERROR_PAGE, content_type="text/html"),)
    if fault == "empty":
        return (Reply(body=b"", content_type=content_type),)
    raise ValueError(f"fault must be one of: {', '.join(FAULT_CAUSES)} (got {fault!r})")


_PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    """Body of a pytest fixture: a running server, with proxy variables cleared for the test.

    httpx honours ``HTTP_PROXY`` and friends; clearing them keeps requests to 127.0.0.1 on this
    machine even where a proxy is configured. Use as::

        @pytest.fixture
        def server(monkeypatch):
            yield from serve(monkeypatch)
    """
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost")
    with ScriptedServer() as server:
        yield server
