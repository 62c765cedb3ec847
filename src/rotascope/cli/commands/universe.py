"""``rotascope universe ...``: show the segments and pairs of a universe."""

from __future__ import annotations

from typing import Annotated

import typer

from rotascope.cli.console import out_console, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.render import Col, line, print_table
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
    line(console, f"[bold]{safe(u.name)}[/]: {safe(u.description)}  (benchmark: "
                  f"{safe(u.benchmark)}, data: {safe(u.provider)})", markup=True)
    print_table(console, f"Segments ({len(u.segments)})",
                [Col("name", "key"), Col("display"), Col("group", "words", drop=2),
                 Col("aliases", "words"), Col("series", drop=1)],
                [[s.name, s.display, s.group, ", ".join(s.aliases),
                  ", ".join(f"{k}={v}" for k, v in s.series.items())] for s in u.segments],
                what="segment")
    print_table(console, f"Pairs ({len(u.pairs)})",
                [Col("name", "key"), Col("a", "key"), Col("b", "key"), Col("description")],
                [[p.name, p.a, p.b, p.description] for p in u.pairs], what="pair")


@app.command("list")
def list_cmd() -> None:
    """List the built-in universes."""
    console = out_console()
    for name in builtin_universe_names():
        u = load_universe(name)
        line(console, f"{u.name}: {u.description} ({len(u.segments)} segments, "
                      f"{len(u.pairs)} pairs)")


def register(root: typer.Typer) -> None:
    """Add the ``rotascope universe`` group to ``root``."""
    root.add_typer(app, name="universe")
