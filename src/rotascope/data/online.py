"""Is a provider's host reachable? A bounded check before a fetch of many series.

A machine without a network (no route, no DNS: a CI runner that reaches only a package index)
must learn it in seconds, not after each of forty series has timed out and been retried.
:func:`unreachable` resolves and connects (TCP) to every distinct host at once, each in a
daemon thread, and gives up on all of them at one deadline: a resolver that hangs (DNS calls
cannot be interrupted) costs at most ``timeout`` seconds, and its thread is left behind.

Where a proxy is configured (``HTTPS_PROXY`` and friends, honoured by the HTTP client), the
proxy is what is checked, unless ``NO_PROXY`` exempts the host.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["DEFAULT_TIMEOUT", "endpoint", "unreachable"]

#: Seconds the whole check may take.
DEFAULT_TIMEOUT = 3.0


def endpoint(url: str) -> tuple[str, int]:
    """The (host, port) a request to ``url`` connects to first: the proxy's when one applies
    (``https://stooq.com/q/d/l/`` without a proxy: ``("stooq.com", 443)``)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if proxy and host and not urllib.request.proxy_bypass(host):
        pparts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if pparts.hostname:
            return pparts.hostname, pparts.port or (443 if pparts.scheme == "https" else 80)
    return host, port


def _connect(host: str, port: int, timeout: float) -> str | None:
    """None when a TCP connection to host:port opens within ``timeout``, else why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot resolve {host} ({exc.strerror or exc})"
    last = "no address"
    for family, kind, proto, _, address in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
                return None
        except OSError as exc:
            last = str(exc.strerror or exc) if not isinstance(exc, TimeoutError) else "timed out"
    return f"cannot connect to {host}:{port} ({last})"


def unreachable(urls: Iterable[str], timeout: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """Map each of ``urls`` whose host (or proxy) does not accept a connection within
    ``timeout`` seconds to the reason; reachable URLs are left out.

    The hosts are checked in parallel and the whole check returns within about ``timeout``
    seconds, even when name resolution hangs.
    """
    by_endpoint: dict[tuple[str, int], list[str]] = {}
    for url in urls:
        by_endpoint.setdefault(endpoint(url), []).append(url)
    results: dict[tuple[str, int], str | None] = {}
    lock = threading.Lock()

    def check(host: str, port: int) -> None:
        reason = _connect(host, port, timeout) if host else "no host in the URL"
        with lock:
            results[(host, port)] = reason

    threads = [threading.Thread(target=check, args=key, daemon=True, name=f"probe {key[0]}")
               for key in by_endpoint]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    out: dict[str, str] = {}
    with lock:
        for key, members in by_endpoint.items():
            reason = results.get(key, f"no answer from {key[0]}:{key[1]} within {timeout:g} s")
            if reason is not None:
                for url in members:
                    out[url] = reason
    return out
