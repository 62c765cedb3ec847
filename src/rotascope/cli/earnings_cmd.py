"""`rotascope earnings` and `rotascope scorecard`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, cast

import pandas as pd
import typer
from rich.table import Table

from rotascope.cli.common import (
    AsOfOpt,
    UniverseOpt,
    exit_on_error,
    out_console,
    parse_as_of,
    print_json,
    safe,
)
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.formatting import format_number, format_pct
from rotascope.narrative.fact import Fact
from rotascope.report.fundamentals import earnings_view, scorecard_view

__all__ = ["register"]

FileOpt = Annotated[Path | None, typer.Option(exists=False, dir_okay=False)]


def _pct(x: object) -> str:
    return format_pct(x if isinstance(x, float) else None, signed=False)


def _num(x: object) -> str:
    return format_number(x if isinstance(x, float) else None, decimals=2, signed=True)


def _season_window(season: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``"Q3 2026"`` -> the calendar quarter when those results are reported (Q4 2026)."""
    if season is None:
        return None, None
    parts = season.upper().replace("-", " ").split()
    if len(parts) != 2 or not parts[0].startswith("Q") or not parts[1].isdigit():
        raise InputError(f"--season must look like 'Q3 2026' (got {season!r})")
    period = pd.Period(f"{parts[1]}Q{parts[0][1:]}", freq="Q") + 1
    return period.start_time.normalize(), period.end_time.normalize()


def _print_facts(facts: list[Fact], show_all: bool) -> None:
    console = out_console()
    for f in facts:
        if show_all or f.notable:
            console.print(f"• {f.sentence}", soft_wrap=True)


def earnings(
    segments: Annotated[list[str] | None, typer.Option("--segments", "-s", help="Segments (repeat or comma-separate; default: all with members).")] = None,
    season: Annotated[str | None, typer.Option("--season", help="Reporting season, e.g. 'Q3 2026' (default: the season so far at --as-of).")] = None,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    earnings_file: Annotated[Path | None, typer.Option("--earnings", help="CSV: ticker,report_date,period,eps_actual,eps_estimate,sales_actual,sales_estimate.")] = None,
    membership: Annotated[Path | None, typer.Option("--membership", help="CSV: segment,ticker,weight.")] = None,
    revisions: Annotated[Path | None, typer.Option("--revisions", help="CSV: ticker,date,period,old,new (or up/down counts).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact.")] = False,
) -> None:
    """Earnings season by segment: beat rates, surprises, revision breadth (sample files by default)."""
    with exit_on_error():
        start, end = _season_window(season)
        names = [n.strip() for item in (segments or []) for n in item.split(",") if n.strip()]
        view = earnings_view(load_universe(universe), earnings=earnings_file, membership=membership,
                             revisions=revisions, segments=names or None, start=start, end=end,
                             as_of=parse_as_of(as_of))
    if json_out:
        print_json({"season": view.season, "as_of": view.as_of, "source": view.source,
                    "sample": view.is_sample, "segments": view.table.reset_index(),
                    "revision_breadth": {p: t.reset_index() for p, t in view.breadth.items()},
                    "comparison": view.comparison,
                    "facts": [f.to_dict() for f in view.facts if show_all or f.notable]})
        return
    console = out_console()
    label = " [bold yellow](SAMPLE DATA: made-up numbers in the published layouts)[/]" if view.is_sample else ""
    window = (f"reports {view.start:%Y-%m-%d} to {view.end:%Y-%m-%d}" if view.start is not None and view.end is not None
              else f"reports to {view.as_of:%Y-%m-%d}")
    console.print(f"[bold]Earnings season {safe(view.season)}[/], {safe(window)}{label}",
                  markup=True)
    table = Table(title="Beat rates by segment")
    for col in ("segment", "reported", "EPS beat rate", "weighted", "median EPS surprise",
                "sales beat rate", "next-q breadth", "next-y breadth"):
        table.add_column(col, justify="left" if col == "segment" else "right")
    for seg, row in view.table.iterrows():
        key = cast(str, seg)  # the table is indexed by segment name
        b0 = view.breadth.get("0q")
        b1 = view.breadth.get("+1y")
        table.add_row(str(seg), str(int(row["reported"])), _pct(row["eps_beat_rate"]),
                      _pct(row["eps_beat_rate_weighted"]), _pct(row["median_eps_surprise"]),
                      _pct(row["sales_beat_rate"]),
                      _num(b0.loc[key, "breadth"]) if b0 is not None and key in b0.index else "n/a",
                      _num(b1.loc[key, "breadth"]) if b1 is not None and key in b1.index else "n/a")
    console.print(table)
    _print_facts(view.facts, show_all)
    console.print(f"[dim]Source: {safe(view.source)}[/]", soft_wrap=True, markup=True)


def scorecard_cmd(
    universe: UniverseOpt = "us",
    fundamentals: Annotated[Path | None, typer.Option("--fundamentals", help="CSV: segment,date,metric,value (default: the sample file).")] = None,
    as_of: AsOfOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact.")] = False,
) -> None:
    """Rank segments on valuation, technicals, leverage and earnings stability."""
    with exit_on_error():
        view = scorecard_view(load_universe(universe), fundamentals=fundamentals,
                              as_of=parse_as_of(as_of))
    card = view.card
    if json_out:
        print_json({"as_of": view.as_of, "source": view.source, "sample": view.is_sample,
                    "weights": view.weights, "pillars": {k: dict(v) for k, v in card.pillars.items()},
                    "table": card.table.reset_index(), "inputs": card.inputs.reset_index(),
                    "facts": [f.to_dict() for f in view.facts if show_all or f.notable]})
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
                      *(_num(row[p]) for p in pillars), str(int(row["pillars_used"])),
                      _num(row["composite"]))
    console.print(table)
    _print_facts(view.facts, show_all)
    console.print(f"[dim]Source: {safe(view.source)}. Missing inputs are shown as n/a, never as "
                  "zero.[/]", markup=True,
                  soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the earnings commands to the root app."""
    app.command("earnings")(earnings)
    app.command("scorecard")(scorecard_cmd)
