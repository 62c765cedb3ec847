"""The one HTTP client every network provider uses: timeouts, retries with backoff, body checks.

A provider builds URLs and parses payloads; this module gets the bytes. Every fault a data
source shows in practice is handled here, once:

- timeouts, refused or reset connections, HTTP 429 and 5xx are retried with exponential backoff
  (``Retry-After`` is honoured on 429 and 503, capped at ``max_backoff``);
- bodies that cannot be what was asked for are retried like a network fault: an HTML page where
  CSV or a zip file was expected (error and throttling pages often come with status 200), an
  empty body, a body shorter than its ``Content-Length``, a CSV whose last line has fewer fields
  than its header, a zip archive that does not open;
- other 4xx answers are not retried: 404 raises "not found", others name the status.

After the last try, :class:`~rotascope.errors.ProviderError` says in one line what was fetched,
how many tries were made and the last cause.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Literal, TypeVar

import httpx

from rotascope import __version__
from rotascope.errors import InputError, ProviderError

__all__ = ["DEFAULT_USER_AGENT", "HttpClient", "check_csv_text", "looks_like_html"]

DEFAULT_USER_AGENT = f"rotascope/{__version__} (+https://pypi.org/project/rotascope/)"

#: Status codes worth another try: throttling and server-side faults.
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})

Params = Mapping[str, str | int | float] | None
_T = TypeVar("_T")


class _BodyFault(Exception):
    """A response arrived but its body cannot be what was asked for (retried)."""


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
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc).splitlines()[0] if str(exc) else ""
        if "incomplete" in text or "complete message body" in text:
            return f"truncated body ({text})"
        return f"protocol error ({text or type(exc).__name__})"
    text = str(exc).splitlines()[0] if str(exc) else ""
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
    ) -> None:
        if timeout <= 0:
            raise InputError(f"timeout must be positive (got {timeout!r})")
        if retries < 0:
            raise InputError(f"retries must be >= 0 (got {retries!r})")
        if backoff < 0 or max_backoff < 0:
            raise InputError(
                f"backoff and max_backoff must be >= 0 (got {backoff!r}, {max_backoff!r})"
            )
        self.timeout = float(timeout)
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
            f"backoff={self.backoff}, max_backoff={self.max_backoff})"
        )

    # -- public -----------------------------------------------------------------------------

    def get_text(
        self,
        url: str,
        params: Params = None,
        *,
        origin: str,
        expect: Literal["csv", "text"] = "csv",
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

        def check(response: httpx.Response) -> str:
            text = response.text.lstrip("\ufeff")
            if looks_like_html(text):
                raise _BodyFault(f"HTML page instead of {expect.upper()}")
            if expect == "csv":
                try:
                    check_csv_text(text)
                except ValueError as exc:
                    raise _BodyFault(str(exc)) from None
            return text

        return self._get(url, params, origin=origin, check=check)

    def get_bytes(
        self,
        url: str,
        params: Params = None,
        *,
        origin: str,
        expect: Literal["zip", "any"] = "any",
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
            ``"zip"`` also rejects a body that does not open as a zip archive.

        Returns
        -------
        bytes
            The body.

        Raises
        ------
        ProviderError
            Not found (404), another client error, or a fault still present after the last try.
        """

        def check(response: httpx.Response) -> bytes:
            body = response.content
            if looks_like_html(body):
                raise _BodyFault(
                    f"HTML page instead of {'a zip file' if expect == 'zip' else 'data'}"
                )
            if expect == "zip":
                try:
                    with zipfile.ZipFile(io.BytesIO(body)) as archive:
                        bad = archive.testzip()
                except zipfile.BadZipFile as exc:
                    raise _BodyFault(f"truncated or corrupt zip file ({exc})") from None
                if bad is not None:
                    raise _BodyFault(f"corrupt zip file (bad member {bad!r})")
            return body

        return self._get(url, params, origin=origin, check=check)

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
                    follow_redirects=True,
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
        check: Callable[[httpx.Response], _T],
    ) -> _T:
        tries = self.retries + 1
        try:
            shown = str(httpx.URL(url, params=params))
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise ProviderError(f"{origin}: invalid URL {url!r} ({exc})") from None
        cause: str | None = "no request made"
        client = self._client()
        for attempt in range(1, tries + 1):
            retry_after: float | None = None
            try:
                response = client.get(url, params=params)
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
                else:
                    cause = self._body_fault(response)
                    if cause is None:
                        try:
                            return check(response)
                        except _BodyFault as fault:
                            cause = str(fault)
            except httpx.TransportError as exc:
                cause = _describe(exc)
            except httpx.InvalidURL as exc:
                raise ProviderError(f"{origin}: invalid URL {url!r} ({exc})") from None
            if attempt < tries:
                self.sleep(self._wait(attempt, retry_after))
        plural = "try" if tries == 1 else "tries"
        raise ProviderError(f"{origin}: could not fetch {shown} after {tries} {plural} ({cause})")

    @staticmethod
    def _body_fault(response: httpx.Response) -> str | None:
        """Name what is wrong with a 2xx body before decoding it, or None."""
        body = response.content
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
