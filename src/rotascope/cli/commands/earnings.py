"""``rotascope earnings``: the earnings season by segment (beat rates, surprises, revisions)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import pandas as pd
import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, UniverseOpt, parse_as_of, split_names
from rotascope.cli.render import Col, line, num_cell, pct_cell, print_facts, print_table
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.earnings_facts import season_facts
from rotascope.pipeline.earnings import earnings_run

__all__ = ["earnings", "register"]


def _season_window(season: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``"Q3 2026"`` -> the calendar quarter when those results are reported (Q4 2026)."""
    if season is None:
        return None, None
    parts = season.upper().replace("-", " ").split()
    if len(parts) != 2 or not parts[0].startswith("Q") or not parts[1].isdigit():
        raise InputError(f"--season must look like 'Q3 2026' (got {season!r})")
    period = pd.Period(f"{parts[1]}Q{parts[0][1:]}", freq="Q") + 1
    return period.start_time.normalize(), period.end_time.normalize()


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
        names = split_names(segments)
        view = earnings_run(load_universe(universe), earnings=earnings_file, membership=membership,
                            revisions=revisions, segments=names or None, start=start, end=end,
                            as_of=parse_as_of(as_of))
        facts = season_facts(view)
    if json_out:
        print_json({"season": view.season, "as_of": view.as_of, "source": view.source,
                    "sample": view.is_sample, "segments": view.table.reset_index(),
                    "revision_breadth": {p: t.reset_index() for p, t in view.breadth.items()},
                    "comparison": view.comparison,
                    "facts": [f.to_dict() for f in facts if show_all or f.notable]})
        return
    console = out_console()
    label = " [bold yellow](SAMPLE DATA: made-up numbers in the published layouts)[/]" if view.is_sample else ""
    window = (f"reports {view.start:%Y-%m-%d} to {view.end:%Y-%m-%d}" if view.start is not None and view.end is not None
              else f"reports to {view.as_of:%Y-%m-%d}")
    line(console, f"[bold]Earnings season {safe(view.season)}[/], {safe(window)}{label}",
         markup=True)
    rows = []
    for seg, row in view.table.iterrows():
        key = cast(str, seg)  # the table is indexed by segment name
        b0 = view.breadth.get("0q")
        b1 = view.breadth.get("+1y")
        rows.append([str(seg), str(int(row["reported"])), pct_cell(row["eps_beat_rate"]),
                     pct_cell(row["eps_beat_rate_weighted"]),
                     pct_cell(row["median_eps_surprise"]), pct_cell(row["sales_beat_rate"]),
                     num_cell(b0.loc[key, "breadth"]) if b0 is not None and key in b0.index
                     else "n/a",
                     num_cell(b1.loc[key, "breadth"]) if b1 is not None and key in b1.index
                     else "n/a"])
    print_table(console, "Beat rates by segment",
                [Col("segment", "key"), Col("reported", "number", "right", short="n"),
                 Col("EPS beat rate", "number", "right", short="EPS beat"),
                 Col("weighted", "number", "right", short="wtd", drop=2),
                 Col("median EPS surprise", "number", "right", short="EPS surprise"),
                 Col("sales beat rate", "number", "right", short="sales beat", drop=1),
                 Col("next-q breadth", "number", "right", short="next-q"),
                 Col("next-y breadth", "number", "right", short="next-y")],
                rows, what="segment")
    print_facts(console, facts, show_all)
    line(console, f"[dim]Source: {safe(view.source)}[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope earnings`` to ``app``."""
    app.command("earnings")(earnings)
