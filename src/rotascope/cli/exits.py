"""Exit codes of the ``rotascope`` command, one per kind of failure, and the mapping of
rotascope's errors to them (:func:`exit_on_error`).

====  ==========================================================================================
0     success
1     internal error: an exception rotascope did not expect (a bug; the message says so)
2     usage error or bad input: an option, a file, a name or a universe that cannot be used
3     data or provider unavailable: a provider that could not deliver (network fault, HTTP
      error, a payload that is not data) or a local store that cannot be read or written
====  ==========================================================================================
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from rotascope.errors import ProviderError, RotascopeError, RotascopeWarning, StoreError

__all__ = ["BAD_INPUT", "EXIT_CODES_HELP", "INTERNAL", "OK", "UNAVAILABLE", "exit_code",
           "exit_on_error"]

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


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn rotascope errors into ``rotascope: error: <message>`` and exit code 2 (3 when a
    provider or the store failed: :func:`exit_code`).

    Our warnings are shown as one ``rotascope: warning:`` line each on stderr.
    """
    from rotascope.cli.console import printable
    from rotascope.formatting import one_line  # imports pandas: not at start-up

    def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        typer.echo(f"rotascope: warning: {printable(' '.join(str(message).split()))}", err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always", RotascopeWarning)
        old = warnings.showwarning
        warnings.showwarning = show
        try:
            yield
        except RotascopeError as exc:
            message = printable(one_line(exc))
            typer.echo(f"rotascope: error: {message}", err=True)
            raise typer.Exit(code=exit_code(exc)) from None
        finally:
            warnings.showwarning = old
