"""Options shared by several commands (``--universe``, ``--data-dir``, ``--as-of``,
``--json``) and the parsing of their values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from rotascope.cli.console import printable

__all__ = ["AsOfOpt", "DataDirOpt", "JsonOpt", "UniverseOpt", "parse_as_of", "split_names"]

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
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def split_names(values: list[str] | None) -> list[str]:
    """Names given repeated, comma-separated or both, blanks dropped.

    >>> split_names(["small-caps,large-caps", " value ", ","])
    ['small-caps', 'large-caps', 'value']
    >>> split_names(None)
    []
    """
    return [n.strip() for item in (values or []) for n in item.split(",") if n.strip()]


def parse_as_of(value: str | None) -> pd.Timestamp | None:
    """Parse an ``--as-of`` value; raise a one-line error naming the option when invalid.

    >>> parse_as_of("2024-07-17")
    Timestamp('2024-07-17 00:00:00')
    >>> parse_as_of(None) is None
    True
    """
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
