"""``rotascope analogs A B``: what happened after past moves of A vs B as large as today's."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, line, print_table
from rotascope.cli.subjects import pair_subjects
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.pairs import pair_analogs

__all__ = ["analogs", "register"]


def analogs(
    a: Annotated[str, typer.Argument(help="Segment or stored series A.")],
    b: Annotated[str, typer.Argument(help="Segment or stored series B.")],
    window: Annotated[str, typer.Option("--window", "-w", help="Window of the move in rows, e.g. 5d.")] = "5d",
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """After past moves of A vs B at least as large as today's, what happened next?"""
    with exit_on_error():
        when = parse_as_of(as_of)
        sa, sb = pair_subjects(a, b, universe, data_dir, when)
        res = pair_analogs(sa, sb, when, window)
    if json_out:
        print_json({"a": sa.name, "b": sb.name, "window": res.window, "as_of": res.as_of,
                    "current_move": res.current_move, "threshold": res.threshold,
                    "direction": res.direction, "spacing": res.spacing,
                    "horizons": res.horizons, "summary": res.summary.reset_index(names="horizon"),
                    "episodes": res.episodes, "sources": {sa.name: sa.source, sb.name: sb.source}})
        return
    console = out_console()
    lead = sa.display if res.direction == "a_leads" else sb.display
    line(console, f"[bold]{safe(sa.display)} vs {safe(sb.display)}[/]: {safe(res.window)} "
                  f"relative move {signed_pct(res.current_move)} as of {res.as_of:%Y-%m-%d} "
                  f"(in favour of {safe(lead)}); {len(res.episodes)} earlier non-overlapping "
                  "moves at least as large.", markup=True)
    print_table(console, "What happened next (relative return of A vs B)",
                [Col("horizon", "key", "right"), Col("rows", "number", "right", drop=3),
                 Col("count", "number", "right", drop=2), Col("mean", "number", "right"),
                 Col("median", "number", "right"),
                 Col("hit rate", "number", "right", short="hit"),
                 Col("worst", "number", "right", drop=1), Col("best", "number", "right", drop=1)],
                [[str(horizon), str(int(row["rows"])), str(int(row["count"])),
                  signed_pct(row["mean"]), signed_pct(row["median"]),
                  f"{row['hit_rate'] * 100:.0f}%" if pd.notna(row["hit_rate"]) else "n/a",
                  signed_pct(row["worst"]), signed_pct(row["best"])]
                 for horizon, row in res.summary.iterrows()], what="horizon")
    frame = res.episodes
    print_table(console, "Analog dates",
                [Col(str(c), "date" if pd.api.types.is_datetime64_any_dtype(frame[c]) else "number",
                     "right") for c in frame.columns],
                [[v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else signed_pct(v)
                  for v in rec] for rec in frame.itertuples(index=False)], what="analog")
    line(console, f"[dim]Sources: {safe(sa.display)}: {safe(sa.source)}; {safe(sb.display)}: "
                  f"{safe(sb.source)}[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope analogs`` to ``app``."""
    app.command("analogs")(analogs)
