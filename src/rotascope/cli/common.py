"""Helpers shared by CLI commands: consoles, error mapping, common options."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.text import Text

from rotascope.cli.exits import exit_code
from rotascope.errors import RotascopeError, RotascopeWarning
from rotascope.formatting import one_line
from rotascope.jsonutil import dumps

__all__ = [
    "AsOfOpt",
    "DataDirOpt",
    "SafeConsole",
    "UniverseOpt",
    "err_console",
    "exit_on_error",
    "out_console",
    "parse_as_of",
    "print_json",
    "printable",
    "safe",
]

T = TypeVar("T")

UniverseOpt = Annotated[
    str,
    typer.Option(
        "--universe",
        "-u",
        help="Built-in universe name (us, sample) or a universe TOML file.",
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder that universe 'files' entries are relative to (e.g. ../shared/data).",
        envvar="ROTASCOPE_DATA_DIR",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Use only data on or before this date (YYYY-MM-DD)."),
]


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), *range(127, 160)) if c not in (9,)}
_CONTROL[9] = "\\t"


def printable(text: object) -> str:
    """``text`` with control characters and terminal escapes shown escaped (``\\x1b``).

    Newlines are escaped too: a message from a file stays on one line.
    """
    return str(text).translate(_CONTROL)


def safe(text: object) -> str:
    """``text`` ready for Rich markup: control characters escaped, then markup escaped.

    Everything that comes from a user or a file (names, headers, symbols, messages) goes
    through this before it reaches a Rich ``print``, ``Table`` or progress description, so
    ``[/x]`` cannot crash Rich and ``[link=...]`` cannot dress up a name.
    """
    from rich.markup import escape

    return escape(printable(text))


class SafeConsole(Console):
    """A Rich console for text from users and files.

    Markup and emoji codes are off by default (a ``[/x]`` in a CSV header prints as is, never
    crashes Rich; ``[link=...]`` cannot dress up a name): a call that styles text passes
    ``markup=True`` and escapes what it interpolates with :func:`safe`. Every string rendered,
    table cells and titles included, has its control characters shown escaped.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Render ``text`` with control characters escaped (see :func:`printable`)."""
        return super().render_str(printable(text), **kwargs)


def out_console() -> Console:
    """Console for results (stdout)."""
    return SafeConsole(highlight=False, soft_wrap=False, markup=False, emoji=False)


def err_console() -> Console:
    """Console for errors, warnings and progress (stderr)."""
    return SafeConsole(stderr=True, highlight=False, markup=False, emoji=False)


def parse_as_of(value: str | None) -> pd.Timestamp | None:
    """Parse an ``--as-of`` value; raise a one-line error naming the option when invalid."""
    if value is None:
        return None

    def bad(why: str) -> typer.BadParameter:
        return typer.BadParameter(f"{printable(repr(value))} {why}", param_hint="--as-of")

    try:
        stamp = pd.Timestamp(value.strip())
    except (ValueError, TypeError, OverflowError):
        raise bad("is not a date (use YYYY-MM-DD)") from None
    if pd.isna(stamp):
        raise bad("is not a date (use YYYY-MM-DD)")
    if stamp.tzinfo is not None:
        raise bad("has a time zone; give a date without a time zone (YYYY-MM-DD)")
    if stamp != stamp.normalize():
        raise bad("has a time of day; give a date without a time (YYYY-MM-DD)")
    return stamp


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn rotascope errors into ``rotascope: error: <message>`` and exit code 2 (3 when a
    provider or the store failed: :mod:`rotascope.cli.exits`).

    Our warnings are shown as one ``rotascope: warning:`` line each on stderr.
    """

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


def print_json(data: Any) -> None:
    """Print ``data`` as indented strict JSON on stdout (:func:`rotascope.jsonutil.dumps`)."""
    sys.stdout.write(dumps(data))


def run(fn: Callable[[], T]) -> T:
    """Call ``fn`` inside :func:`exit_on_error`."""
    with exit_on_error():
        return fn()
