"""Build a provider from its name: ``make_provider("stooq")``, ``make_provider("files", root=...)``.

Provider modules are imported only when asked for, so ``yfinance`` (an optional extra) and the
network stack are not loaded by commands that never use them.
"""

from __future__ import annotations

from typing import Any

from rotascope.data.providers.base import Provider
from rotascope.errors import InputError

__all__ = ["NETWORK_PROVIDERS", "PROVIDER_NAMES", "make_provider"]

PROVIDER_NAMES: tuple[str, ...] = ("files", "fred", "french", "sample", "stooq", "yahoo")
NETWORK_PROVIDERS: tuple[str, ...] = ("fred", "french", "stooq", "yahoo")

# Options that configure the shared HttpClient of the network providers that use it.
_CLIENT_OPTIONS = frozenset({"timeout", "retries", "backoff", "max_backoff", "sleep", "user_agent"})


def _http_client(options: dict[str, Any]) -> None:
    """Replace HttpClient options in ``options`` by a ``client`` built from them (in place)."""
    from rotascope.data.http import HttpClient

    settings = {key: options.pop(key) for key in list(options) if key in _CLIENT_OPTIONS}
    if settings:
        if options.get("client") is not None:
            raise InputError(f"give either client= or {', '.join(sorted(settings))}=, not both")
        options["client"] = HttpClient(**settings)


def make_provider(name: str, **options: Any) -> Provider:
    """Return a new provider by name.

    Parameters
    ----------
    name : {"files", "fred", "french", "sample", "stooq", "yahoo"}
        Provider name (case-insensitive).
    **options
        Passed to the provider's constructor: ``root`` for ``files``; ``client`` and
        ``base_url`` for ``stooq``, ``fred`` and ``french``; ``download`` for ``yahoo``. For the
        three HTTP providers, ``timeout``, ``retries``, ``backoff``, ``max_backoff``, ``sleep``
        and ``user_agent`` build their :class:`~rotascope.data.http.HttpClient`.

    Returns
    -------
    Provider
        A fresh instance (providers are never shared between calls).

    Raises
    ------
    InputError
        Unknown provider name, or an option the provider does not take.

    Examples
    --------
    >>> make_provider("fred", retries=2).name
    'fred'
    """
    key = str(name).strip().lower()
    if key not in PROVIDER_NAMES:
        raise InputError(f"provider must be one of: {', '.join(PROVIDER_NAMES)} (got {name!r})")
    opts = dict(options)
    cls: Any
    if key == "stooq":
        from rotascope.data.providers.stooq import StooqProvider as cls

        _http_client(opts)
    elif key == "fred":
        from rotascope.data.providers.fred import FredProvider as cls

        _http_client(opts)
    elif key == "french":
        from rotascope.data.providers.french_library import FrenchLibraryProvider as cls

        _http_client(opts)
    elif key == "yahoo":
        from rotascope.data.providers.yahoo import YahooProvider as cls
    elif key == "files":
        from rotascope.data.providers.files import FilesProvider as cls

        if opts.get("root") is None:
            raise InputError("provider 'files' needs root= (the folder holding the data files)")
    else:
        from rotascope.data.providers.sample import SampleProvider as cls
    try:
        provider: Provider = cls(**opts)
    except TypeError as exc:
        raise InputError(f"provider {key!r}: bad options {sorted(opts)} ({exc})") from None
    return provider
