"""The one HTTP client every network provider uses: timeouts, retries with backoff, body checks.

A provider builds URLs and parses payloads; this module gets the bytes. Every fault a data
source shows in practice is handled here, once:

- timeouts, refused or reset connections, HTTP 429 and 5xx are retried with exponential backoff
  (``Retry-After`` is honoured on 429 and 503, capped at ``max_backoff``);
- bodies that cannot be what was asked for are retried like a network fault: an HTML page where
  CSV or a zip file was expected (error and throttling pages often come with status 200), an
  empty body, a body shorter than its ``Content-Length``, a CSV whose last line has fewer fields
  than its header, a zip archive that does not open;
- other 4xx answers are not retried: 404 raises "not found", others name the status;
- every other transport, decoding or protocol fault (a body that lies about its gzip encoding,
  a redirect loop, a reset stream) is retried the same way;
- bodies are streamed with a size cap (counted after decompression, so a small gzip body that
  expands to gigabytes stops at the cap) and every request has a total deadline, so a server
  that drips a byte every few seconds cannot stall a fetch: a body over its cap, or a redirect
  to another host than the one asked, is refused at once without retry.

After the last try, :class:`~rotascope.errors.ProviderError` says in one line what was fetched,
how many tries were made and the last cause.
"""

from __future__ import annotations

import io
import math
import threading
import time
import zipfile
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Literal, TypeVar

import httpx

from rotascope import __version__
from rotascope.data.limits import SizeLimitError, describe_size, read_zip_member
from rotascope.errors import InputError, ProviderError
from rotascope.formatting import one_line

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNZIPPED",
    "DEFAULT_USER_AGENT",
    "HttpClient",
    "check_csv_text",
    "looks_like_html",
]

#: Cap of a body (after decompression) when the caller names none: 64 MiB.
DEFAULT_MAX_BYTES = 64 << 20
#: Cap of the total inflated size of a zip body's members: 256 MiB.
DEFAULT_MAX_UNZIPPED = 256 << 20
#: Redirects followed per request (each within the host asked).
MAX_REDIRECTS = 5

DEFAULT_USER_AGENT = f"rotascope/{__version__} (+https://pypi.org/project/rotascope/)"

#: Status codes worth another try: throttling and server-side faults.
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})

Params = Mapping[str, str | int | float] | None
_T = TypeVar("_T")


class _BodyFault(Exception):
    """A response arrived but its body cannot be what was asked for (retried)."""


class _Deadline(Exception):
    """The total deadline of a request passed while its body was arriving (retried)."""


class _Refused(Exception):
    """An answer that another try would not change: too large, or a redirect off the host."""


def _effective_port(url: httpx.URL) -> int | None:
    if url.port is not None:
        return url.port
    return {"http": 80, "https": 443}.get(url.scheme)


def _same_host(asked: httpx.URL, target: httpx.URL) -> bool:
    """Whether a redirect from ``asked`` to ``target`` stays on the host asked.

    Same host name and port; the scheme may stay or go from http to https (on default ports).
    """
    if target.host.lower() != asked.host.lower():
        return False
    if target.scheme == asked.scheme:
        return _effective_port(target) == _effective_port(asked)
    return (asked.scheme, target.scheme) == ("http", "https") and (
        asked.port is None and target.port is None
    )


def looks_like_html(head: bytes | str) -> bool:
    """Return True when a body starts like an HTML document instead of data.

    Parameters
    ----------
    head : bytes or str
        The first bytes (or characters) of the body.

    Returns
    -------
    bool
        True if, after leading whitespace and a byte-order mark, the body starts with ``<`` and
        an ``<html`` or ``<!doctype`` tag appears in its first kilobyte.
    """
    if isinstance(head, bytes):
        head = head[:1024].decode("latin-1")
    text = head[:1024].lstrip("\ufeff \t\r\n").lower()
    return text.startswith("<") and ("<html" in text or "<!doctype" in text)


def check_csv_text(text: str) -> None:
    """Raise ``ValueError`` when CSV text looks cut short: its last line has fewer fields.

    Parameters
    ----------
    text : str
        The CSV body. The first non-empty line is taken as the header; a file whose data lines
        all have as many comma-separated fields as the header passes.

    Raises
    ------
    ValueError
        The last non-empty line has fewer fields than the header, with both counts.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return
    want = lines[0].count(",") + 1
    got = lines[-1].count(",") + 1
    if got < want:
        raise ValueError(f"truncated body: last line {lines[-1][:40]!r} has {got} of {want} fields")


def _retry_after(value: str | None, cap: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), cap)


def _describe(exc: BaseException) -> str:
    """One short line naming a transport error."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.DecodingError):
        text = one_line(exc, first=True) if str(exc).strip() else ""
        return f"body does not decode as its Content-Encoding says ({text or 'DecodingError'})"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, httpx.RemoteProtocolError):
        text = one_line(exc, first=True) if str(exc).strip() else ""
        if "incomplete" in text or "complete message body" in text:
            return f"truncated body ({text})"
        return f"protocol error ({text or type(exc).__name__})"
    text = one_line(exc, first=True) if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class HttpClient:
    """A synchronous HTTP client with retries, backoff and body checks, shared by providers.

    Parameters
    ----------
    timeout : float, default 20.0
        Seconds to wait for connecting and for each read before a try counts as a timeout.
    retries : int, default 4
        Extra tries after the first one (so at most ``retries + 1`` requests per fetch).
    backoff : float, default 0.5
        Wait before the first retry, in seconds; doubled before each further retry.
    max_backoff : float, default 8.0
        Upper bound of any wait, including one asked by ``Retry-After``.
    sleep : callable, default time.sleep
        Called with the number of seconds to wait; tests pass a recorder to stay fast.
    user_agent : str, optional
        ``User-Agent`` header sent with every request.
    transport : httpx.BaseTransport, optional
        Passed to :class:`httpx.Client` (e.g. a mock transport).
    deadline : float, optional
        Total seconds one try may take, body included (default ``max(60, 3 * timeout)``): a
        server that sends a byte every few seconds never trips the per-read timeout, but trips
        this. A try may overrun it by at most one read.
    max_bytes : int, default 64 MiB
        Cap of a body after decompression, unless a call names its own.

    Notes
    -----
    Wait before retry ``k`` (1-based): ``min(max_backoff, backoff * 2 ** (k - 1))``, replaced by
    the server's ``Retry-After`` (capped at ``max_backoff``) when a 429 or 503 answer carries
    one. No jitter: a CLI makes few requests per host.

    Examples
    --------
    >>> client = HttpClient(timeout=5.0, retries=2)
    >>> text = client.get_text(
    ...     "https://fred.stlouisfed.org/graph/fredgraph.csv", {"id": "DGS2"}, origin="fred:DGS2"
    ... )  # doctest: +SKIP
    """

    def __init__(
        self,
        timeout: float = 20.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        sleep: Callable[[float], object] = time.sleep,
        user_agent: str = DEFAULT_USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        deadline: float | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if not _positive_finite(timeout):
            raise InputError(f"timeout must be a positive finite number of seconds (got {timeout!r})")
        if deadline is None:
            deadline = max(60.0, 3.0 * float(timeout))
        if not _positive_finite(deadline):
            raise InputError(
                f"deadline must be a positive finite number of seconds (got {deadline!r})"
            )
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
            raise InputError(f"max_bytes must be a positive whole number (got {max_bytes!r})")
        if retries < 0:
            raise InputError(f"retries must be >= 0 (got {retries!r})")
        if backoff < 0 or max_backoff < 0:
            raise InputError(
                f"backoff and max_backoff must be >= 0 (got {backoff!r}, {max_backoff!r})"
            )
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.max_bytes = int(max_bytes)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.sleep = sleep
        self.user_agent = user_agent
        self._transport = transport
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"HttpClient(timeout={self.timeout}, retries={self.retries}, "
            f"backoff={self.backoff}, max_backoff={self.max_backoff}, deadline={self.deadline})"
        )

    # -- public -----------------------------------------------------------------------------

    def get_text(
        self,
        url: str,
        params: Params = None,
        *,
        origin: str,
        expect: Literal["csv", "text"] = "csv",
        max_bytes: int | None = None,
    ) -> str:
        """GET ``url`` and return its body as text, retried until it looks complete.

        Parameters
        ----------
        url : str
            Address to fetch.
        params : mapping, optional
            Query parameters.
        origin : str
            What is being fetched, for error messages (``"stooq:^spx"``, ``"fred:DGS2"``).
        expect : {"csv", "text"}, default "csv"
            ``"csv"`` also rejects a body whose last line has fewer fields than its header.
        max_bytes : int, optional
            Cap of the body after decompression (default: the client's ``max_bytes``).

        Returns
        -------
        str
            The decoded body (UTF-8 unless the server names a charset), without a byte-order
            mark.

        Raises
        ------
        ProviderError
            Not found (404), another client error, or a fault still present after the last try.
        """

        def check(response: httpx.Response, body: bytes) -> str:
            text = _decode_text(response, body).lstrip("\ufeff")
            if looks_like_html(text):
                raise _BodyFault(f"HTML page instead of {expect.upper()}")
            if expect == "csv":
                try:
                    check_csv_text(text)
                except ValueError as exc:
                    raise _BodyFault(str(exc)) from None
            return text

        return self._get(url, params, origin=origin, check=check, max_bytes=max_bytes)

    def get_bytes(
        self,
        url: str,
        params: Params = None,
        *,
        origin: str,
        expect: Literal["zip", "any"] = "any",
        max_bytes: int | None = None,
        max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    ) -> bytes:
        """GET ``url`` and return its body as bytes, retried until it looks complete.

        Parameters
        ----------
        url : str
            Address to fetch.
        params : mapping, optional
            Query parameters.
        origin : str
            What is being fetched, for error messages.
        expect : {"zip", "any"}, default "any"
            ``"zip"`` also rejects a body that does not open as a zip archive, and one whose
            members inflate to more than ``max_unzipped`` bytes in all (a zip bomb).
        max_bytes : int, optional
            Cap of the body after decompression (default: the client's ``max_bytes``).
        max_unzipped : int, default 256 MiB
            Cap of the inflated size of a zip body's members, counted while inflating.

        Returns
        -------
        bytes
            The body.

        Raises
        ------
        ProviderError
            Not found (404), another client error, or a fault still present after the last try.
        """

        def check(response: httpx.Response, body: bytes) -> bytes:
            if looks_like_html(body):
                raise _BodyFault(
                    f"HTML page instead of {'a zip file' if expect == 'zip' else 'data'}"
                )
            if expect == "zip":
                _check_zip(body, max_unzipped, origin)
            return body

        return self._get(url, params, origin=origin, check=check, max_bytes=max_bytes)

    # -- internals --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the pooled connections (a later request opens new ones)."""
        with self._lock:
            http, self._http = self._http, None
        if http is not None:
            http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _client(self) -> httpx.Client:
        """The pooled :class:`httpx.Client`, created on first use (creating one costs ~50 ms)."""
        with self._lock:
            if self._http is None:
                self._http = httpx.Client(
                    timeout=httpx.Timeout(self.timeout),
                    headers={"User-Agent": self.user_agent},
                    follow_redirects=False,  # followed by _send, within the host asked only
                    transport=self._transport,
                )
            return self._http

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))

    def _get(
        self,
        url: str,
        params: Params,
        *,
        origin: str,
        check: Callable[[httpx.Response, bytes], _T],
        max_bytes: int | None,
    ) -> _T:
        tries = self.retries + 1
        try:
            asked = httpx.URL(url, params=params)
            shown = str(asked)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise ProviderError(f"{origin}: invalid URL {url!r} ({exc})") from None
        cap = self.max_bytes if max_bytes is None else int(max_bytes)
        cause: str | None = "no request made"
        client = self._client()
        for attempt in range(1, tries + 1):
            retry_after: float | None = None
            try:
                response, body = self._send(client, asked, cap)
                shown = str(response.request.url)
                status = response.status_code
                if status == 404:
                    raise ProviderError(f"{origin}: not found (HTTP 404) at {shown}")
                if status in _RETRY_STATUS or status >= 500:
                    cause = f"HTTP {status} {response.reason_phrase}".rstrip()
                    if status in (429, 503):
                        retry_after = _retry_after(
                            response.headers.get("Retry-After"), self.max_backoff
                        )
                elif status >= 400:
                    raise ProviderError(
                        f"{origin}: HTTP {status} {response.reason_phrase} at {shown}".rstrip()
                    )
                elif 300 <= status < 400:
                    cause = f"HTTP {status} {response.reason_phrase} without a usable Location"
                else:
                    cause = self._body_fault(response, body)
                    if cause is None:
                        try:
                            return check(response, body)
                        except _BodyFault as fault:
                            cause = str(fault)
            except _Refused as exc:
                raise ProviderError(f"{origin}: {exc}") from None
            except SizeLimitError as exc:  # a zip body inflating past its cap
                raise ProviderError(str(exc)) from None
            except _Deadline as exc:
                cause = str(exc)
            except (httpx.HTTPError, httpx.StreamError) as exc:
                cause = _describe(exc)
            except httpx.InvalidURL as exc:
                raise ProviderError(f"{origin}: invalid URL {url!r} ({exc})") from None
            if attempt < tries:
                self.sleep(self._wait(attempt, retry_after))
        plural = "try" if tries == 1 else "tries"
        raise ProviderError(f"{origin}: could not fetch {shown} after {tries} {plural} ({cause})")

    def _send(
        self, client: httpx.Client, asked: httpx.URL, cap: int
    ) -> tuple[httpx.Response, bytes]:
        """One try: GET ``asked``, following redirects on its host, and read the capped body.

        Raises
        ------
        _Refused
            A redirect to another host, or a body over ``cap`` bytes.
        _Deadline
            The try took longer than :attr:`deadline`.
        httpx.HTTPError
            Transport, decoding and protocol faults, and more than :data:`MAX_REDIRECTS`
            redirects.
        """
        started = time.monotonic()
        target = asked
        for _hop in range(MAX_REDIRECTS + 1):
            left = self.deadline - (time.monotonic() - started)
            if left <= 0:
                raise _Deadline(f"timed out (no answer within the {self.deadline:g} s deadline)")
            timeout = httpx.Timeout(min(self.timeout, left))
            with client.stream("GET", target, timeout=timeout) as response:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    try:
                        nxt = response.url.join(location)
                    except httpx.InvalidURL:
                        return response, b""
                    if not _same_host(asked, nxt):
                        raise _Refused(
                            f"{response.url} redirects to another host ({nxt.host}); "
                            "only redirects within the host asked are followed"
                        )
                    target = nxt
                    continue
                return response, self._read_body(response, cap, started)
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=None)

    def _read_body(self, response: httpx.Response, cap: int, started: float) -> bytes:
        """Read a streamed body (decoded), stopping at ``cap`` bytes or at the deadline."""
        declared = response.headers.get("Content-Length", "")
        encoded = "Content-Encoding" in response.headers
        if not encoded and declared.isdigit() and int(declared) > cap:
            raise _Refused(
                f"{response.url} announces a body of {describe_size(int(declared))}, over the "
                f"{describe_size(cap)} cap"
            )
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > cap:
                what = "decompressed body" if encoded else "body"
                raise _Refused(
                    f"{response.url}: {what} larger than the {describe_size(cap)} cap; stopped"
                )
            if time.monotonic() - started > self.deadline:
                raise _Deadline(
                    f"timed out (body still arriving after the {self.deadline:g} s deadline, "
                    f"{len(body)} bytes read)"
                )
        return bytes(body)

    @staticmethod
    def _body_fault(response: httpx.Response, body: bytes) -> str | None:
        """Name what is wrong with a 2xx body before decoding it, or None."""
        if not body.strip():
            return "empty body"
        declared = response.headers.get("Content-Length")
        if declared is not None and "Content-Encoding" not in response.headers:
            try:
                want = int(declared)
            except ValueError:
                want = -1
            if want >= 0 and response.num_bytes_downloaded < want:
                return (
                    f"truncated body ({response.num_bytes_downloaded} of {want} bytes "
                    "announced by Content-Length)"
                )
        return None


def _positive_finite(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _decode_text(response: httpx.Response, body: bytes) -> str:
    """The body as text: the charset the server names, else UTF-8 (undecodable bytes replaced)."""
    encoding = response.charset_encoding or "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _check_zip(body: bytes, limit: int, origin: str) -> None:
    """Raise ``_BodyFault`` for a zip body that does not open, or ``SizeLimitError`` for a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    continue
                total += len(read_zip_member(archive, info.filename, limit - total, origin))
    except zipfile.BadZipFile as exc:
        raise _BodyFault(f"truncated or corrupt zip file ({exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _BodyFault(f"corrupt zip file ({type(exc).__name__}: {exc})") from None
