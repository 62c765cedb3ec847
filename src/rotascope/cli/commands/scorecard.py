"""``rotascope scorecard``: segments ranked on valuation, technicals, leverage and earnings."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, line, num_cell, print_facts, print_table
from rotascope.data.universe import load_universe
from rotascope.narrative.scorecard_facts import card_facts
from rotascope.pipeline.scorecard import scorecard_run

__all__ = ["register", "scorecard"]

SHORT = {"valuation": "val", "technicals": "tech", "leverage": "lev",
         "earnings_stability": "earn"}  # pillar headers when the table is too wide


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
    line(console, f"[bold]Segment scorecard[/]{label}", markup=True)
    pillars = list(card.pillars)
    print_table(console, "Pillar scores (cross-sectional z-scores, higher is better)",
                [Col("rank", "number", "right"), Col("segment", "key"),
                 *(Col(p, "number", "right", short=SHORT.get(p, p[:5])) for p in pillars),
                 Col("pillars used", "number", "right", short="used", drop=1),
                 Col("composite", "number", "right")],
                [["n/a" if math.isnan(row["rank"]) else str(int(row["rank"])), str(seg),
                  *(num_cell(row[p]) for p in pillars), str(int(row["pillars_used"])),
                  num_cell(row["composite"])] for seg, row in card.table.iterrows()],
                what="segment")
    print_facts(console, facts, show_all)
    line(console, f"[dim]Source: {safe(view.source)}. Missing inputs are shown as n/a, never as "
                  "zero.[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope scorecard`` to ``app``."""
    app.command("scorecard")(scorecard)
