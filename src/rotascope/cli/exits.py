"""Exit codes of the ``rotascope`` command, one per kind of failure.

====  ==========================================================================================
0     success
1     internal error: an exception rotascope did not expect (a bug; the message says so)
2     usage error or bad input: an option, a file, a name or a universe that cannot be used
3     data or provider unavailable: a provider that could not deliver (network fault, HTTP
      error, a payload that is not data) or a local store that cannot be read or written
====  ==========================================================================================
"""

from __future__ import annotations

from rotascope.errors import ProviderError, RotascopeError, StoreError

__all__ = ["BAD_INPUT", "EXIT_CODES_HELP", "INTERNAL", "OK", "UNAVAILABLE", "exit_code"]

OK = 0
INTERNAL = 1
BAD_INPUT = 2
UNAVAILABLE = 3

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 internal error (a bug: please report it); 2 usage error or bad "
    "input (file, option, name); 3 data or provider unavailable (network fault, provider error, "
    "store that cannot be read or written)."
)


def exit_code(exc: RotascopeError) -> int:
    """The exit code for one of rotascope's own errors: 3 when a provider or the store failed,
    else 2 (the input cannot be used as given)."""
    return UNAVAILABLE if isinstance(exc, ProviderError | StoreError) else BAD_INPUT
