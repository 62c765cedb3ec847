"""``rotascope scorecard``: segments ranked on valuation, technicals, leverage and earnings."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import num_cell, print_facts
from rotascope.data.universe import load_universe
from rotascope.narrative.scorecard_facts import card_facts
from rotascope.pipeline.scorecard import scorecard_run

__all__ = ["register", "scorecard"]


def scorecard(
    universe: UniverseOpt = "us",
    fundamentals: Annotated[Path | None, typer.Option("--fundamentals", help="CSV: segment,date,metric,value (default: the sample file).")] = None,
    as_of: AsOfOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact.")] = False,
) -> None:
    """Rank segments on valuation, technicals, leverage and earnings stability."""
    with exit_on_error():
        view = scorecard_run(load_universe(universe), fundamentals=fundamentals,
                             as_of=parse_as_of(as_of))
        facts = card_facts(view)
    card = view.card
    if json_out:
        print_json({"as_of": view.as_of, "source": view.source, "sample": view.is_sample,
                    "weights": view.weights, "pillars": {k: dict(v) for k, v in card.pillars.items()},
                    "table": card.table.reset_index(), "inputs": card.inputs.reset_index(),
                    "facts": [f.to_dict() for f in facts if show_all or f.notable]})
        return
    console = out_console()
    label = " [bold yellow](SAMPLE DATA: made-up numbers)[/]" if view.is_sample else ""
    console.print(f"[bold]Segment scorecard[/]{label}", markup=True)
    table = Table(title="Pillar scores (cross-sectional z-scores, higher is better)")
    pillars = list(card.pillars)
    for col in ("rank", "segment", *pillars, "pillars used", "composite"):
        table.add_column(col, justify="left" if col == "segment" else "right")
    for seg, row in card.table.iterrows():
        table.add_row("n/a" if math.isnan(row["rank"]) else str(int(row["rank"])), str(seg),
                      *(num_cell(row[p]) for p in pillars), str(int(row["pillars_used"])),
                      num_cell(row["composite"]))
    console.print(table)
    print_facts(facts, show_all)
    console.print(f"[dim]Source: {safe(view.source)}. Missing inputs are shown as n/a, never as "
                  "zero.[/]", markup=True,
                  soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope scorecard`` to ``app``."""
    app.command("scorecard")(scorecard)
