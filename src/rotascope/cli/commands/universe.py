"""``rotascope universe ...``: show the segments and pairs of a universe."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rotascope.cli.console import out_console, safe
from rotascope.cli.exits import exit_on_error
from rotascope.data.universe import builtin_universe_names, load_universe

__all__ = ["app", "register"]

app = typer.Typer(help="Show universes: the segments and pairs rotascope follows.", no_args_is_help=True)


@app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Built-in universe name or a TOML file.")] = "us",
) -> None:
    """Show a universe's segments (with their series per provider) and pairs."""
    with exit_on_error():
        u = load_universe(name)
    console = out_console()
    console.print(f"[bold]{safe(u.name)}[/]: {safe(u.description)}  (benchmark: "
                  f"{safe(u.benchmark)}, data: {safe(u.provider)})", markup=True)
    seg_table = Table(title=f"Segments ({len(u.segments)})")
    for col in ("name", "display", "group", "aliases", "series"):
        seg_table.add_column(col)
    for s in u.segments:
        series = ", ".join(f"{k}={v}" for k, v in s.series.items())
        seg_table.add_row(s.name, s.display, s.group, ", ".join(s.aliases), series)
    console.print(seg_table)
    pair_table = Table(title=f"Pairs ({len(u.pairs)})")
    for col in ("name", "a", "b", "description"):
        pair_table.add_column(col)
    for p in u.pairs:
        pair_table.add_row(p.name, p.a, p.b, p.description)
    console.print(pair_table)


@app.command("list")
def list_cmd() -> None:
    """List the built-in universes."""
    console = out_console()
    for name in builtin_universe_names():
        u = load_universe(name)
        console.print(f"{u.name}: {u.description} ({len(u.segments)} segments, {len(u.pairs)} pairs)")


def register(root: typer.Typer) -> None:
    """Add the ``rotascope universe`` group to ``root``."""
    root.add_typer(app, name="universe")
