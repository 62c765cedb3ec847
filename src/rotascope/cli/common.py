"""Helpers shared by CLI commands: consoles, error mapping, common options."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer
from rich.console import Console

from rotascope.cli.exits import exit_code
from rotascope.errors import RotascopeError, RotascopeWarning
from rotascope.jsonutil import jsonable

__all__ = [
    "AsOfOpt",
    "DataDirOpt",
    "UniverseOpt",
    "err_console",
    "exit_on_error",
    "out_console",
    "parse_as_of",
    "print_json",
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


def out_console() -> Console:
    """Console for results (stdout)."""
    return Console(highlight=False, soft_wrap=False)


def err_console() -> Console:
    """Console for errors, warnings and progress (stderr)."""
    return Console(stderr=True, highlight=False)


def parse_as_of(value: str | None) -> pd.Timestamp | None:
    """Parse an ``--as-of`` value; raise a one-line error naming the option when invalid."""
    if value is None:
        return None
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError):
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)", param_hint="--as-of") from None


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn rotascope errors into ``rotascope: error: <message>`` and exit code 2 (3 when a
    provider or the store failed: :mod:`rotascope.cli.exits`).

    Our warnings are shown as one ``rotascope: warning:`` line each on stderr.
    """

    def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        typer.echo(f"rotascope: warning: {' '.join(str(message).split())}", err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always", RotascopeWarning)
        old = warnings.showwarning
        warnings.showwarning = show
        try:
            yield
        except RotascopeError as exc:
            message = " ".join(str(exc).split())
            typer.echo(f"rotascope: error: {message}", err=True)
            raise typer.Exit(code=exit_code(exc)) from None
        finally:
            warnings.showwarning = old


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (NaN becomes null)."""
    sys.stdout.write(json.dumps(jsonable(data), indent=2, allow_nan=False) + "\n")


def run(fn: Callable[[], T]) -> T:
    """Call ``fn`` inside :func:`exit_on_error`."""
    with exit_on_error():
        return fn()
