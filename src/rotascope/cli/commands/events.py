"""``rotascope events A B``: event study of A vs B around events (CPI releases by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, line, print_facts, print_table
from rotascope.cli.subjects import data_source
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.driver_facts import event_facts
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.events import event_run

__all__ = ["events", "register"]



def _offsets(text: str, name: str) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in text.replace("..", ":").split(":"))
    except ValueError:
        raise InputError(f"{name} must look like -1:5 (got {text!r})") from None
    return lo, hi


def events(
    a: Annotated[str, typer.Argument(help="Segment or series A (prices or returns).")],
    b: Annotated[str, typer.Argument(help="Segment or series B.")],
    events: Annotated[str, typer.Option("--events", "-e", help="Events CSV (date,label[,surprise]) or a built-in list: us-cpi.")] = "us-cpi",
    window: Annotated[str, typer.Option("--window", help="Event window in rows around day 0, FIRST:LAST.")] = "-1:5",
    estimation: Annotated[str, typer.Option("--estimation", help="Estimation window of the normal relative return, FIRST:LAST.")] = "-260:-11",
    name: Annotated[str | None, typer.Option("--name", help="Plural name of the events in sentences.")] = None,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Event study: A vs B's abnormal relative return around events, by surprise sign, with t-stats."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir, when)
        run = event_run(a, b, events, u, source, when, window=_offsets(window, "--window"),
                        estimation=_offsets(estimation, "--estimation"), name=name)
        study, src, disp_a, disp_b = run.study, run.source, run.a_display, run.b_display
        facts = event_facts(study, disp_a, disp_b, run.name, src)
    if json_out:
        print_json({"a": a, "b": b, "events_file": events, "window": study.window,
                    "estimation": study.estimation, "as_of": study.as_of,
                    "summary": study.summary, "path": study.path,
                    "events": study.events.to_dict(orient="records"),
                    "source": src, "facts": [f.to_dict() for f in facts]})
        return
    console = out_console()
    w0, w1 = study.window
    print_table(console, f"{disp_a} vs {disp_b}: cumulative abnormal relative return, days "
                         f"{w0:+d} to {w1:+d}",
                [Col("group", "words", "right"), Col("events", "number", "right"),
                 Col("mean", "number", "right"), Col("median", "number", "right"),
                 Col("t", "number", "right"), Col("p", "number", "right", drop=1),
                 Col("share > 0", "number", "right")],
                [[str(group), str(int(row["count"])), signed_pct(row["mean_car"], 2),
                  signed_pct(row["median_car"], 2), f"{row['tstat']:.2f}",
                  f"{row['pvalue']:.3f}", f"{row['hit_rate'] * 100:.0f}%"]
                 for group, row in study.summary.iterrows()], what="group")
    unused = study.events[~study.events["used"]]
    print_facts(console, facts, show_all=True)
    if len(unused):
        line(console, f"[dim]{len(unused)} of {len(study.events)} events not used (e.g. "
                      f"{unused['date'].iloc[0]:%Y-%m-%d}: {safe(unused['reason'].iloc[0])}).[/]",
             markup=True)
    line(console, f"[dim]Source: {safe(src)}[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope events`` to ``app``."""
    app.command("events")(events)
