"""``rotascope breadth``: breadth of segments from a price panel and holdings files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rotascope.cli.console import err_console, out_console, print_json
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, parse_as_of
from rotascope.cli.render import Col, line, print_facts, print_table
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.breadth_facts import segment_label
from rotascope.pipeline.breadth import compute_breadth
from rotascope.pipeline.breadth_inputs import breadth_inputs
from rotascope.report.sections.breadth import BreadthPanel, build_breadth, table_rows

__all__ = ["breadth", "register"]


def _print(panel: BreadthPanel, show_all: bool) -> None:
    console = out_console()
    for seg in panel.segments:
        print_table(console, f"{segment_label(seg.members.display)} ({seg.members.segment}) "
                             f"breadth on {panel.result.as_of:%Y-%m-%d}",
                    [Col("measure"), Col("value", "words", "right")],
                    [list(r) for r in table_rows(seg)], what="measure")
        print_facts(console, panel.facts.get(seg.members.segment, []), show_all)
        for title, movers in (("Leaders", seg.leaders), ("Laggards", seg.laggards)):
            frame = movers.get("5d")
            if frame is None or frame.empty:
                continue
            items = ", ".join(f"{r['ticker']} {r['return'] * 100:+.1f}%"
                              for r in frame.to_dict("records"))  # fmt: skip
            line(console, f"{title} (5 days): {items}")
        if seg.missing:
            shown = ", ".join(seg.missing[:20]) + (", ..." if len(seg.missing) > 20 else "")
            line(console, f"{len(seg.missing)} members without price history: {shown}")
        line(console, seg.caveat, style="dim")
        console.print()


def breadth(
    prices: Annotated[str | None, typer.Option("--prices", help="Price panel: wide or long Parquet, long CSV (date,ticker,close), a folder of per-ticker CSVs, or store:NAME (rotascope data import-panel).")] = None,
    members: Annotated[list[Path] | None, typer.Option("--members", help="Holdings file of a segment (iShares, SPDR, or segment,ticker CSV); repeat for several segments.")] = None,
    as_of: AsOfOpt = None,
    universe: Annotated[str | None, typer.Option("--universe", "-u", help="A universe TOML file with a [breadth] table (instead of --prices/--members).")] = None,
    data_dir: DataDirOpt = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run the scan on Dask: local, local:N (a LocalCluster with N workers) or tcp://HOST:PORT (needs rotascope[dask]).")] = None,
    block_size: Annotated[int, typer.Option("--block-size", help="Tickers per scanned block (memory: dates x block float32).")] = 1024,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact, not only notable ones.")] = False,
) -> None:
    """Breadth per segment: members above their 20/50/200-day average, new highs and lows, advancers, record moves, leaders and laggards."""
    with exit_on_error():
        uni = load_universe(universe) if universe else None
        inputs = breadth_inputs(str(prices) if prices else None, list(members or []), uni,
                                data_dir)  # fmt: skip
        if inputs is None:
            raise InputError("breadth needs --prices and --members, or --universe FILE with a "
                             "[breadth] table")
        panel, segments = inputs
        err = err_console()
        with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as bar:  # fmt: skip
            task = bar.add_task("blocks", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = compute_breadth(panel, segments, parse_as_of(as_of), block_size=block_size,
                                     scheduler=scheduler, progress=progress)
        view = build_breadth(result)
    if json_out:
        from rotascope.report.sections.breadth import breadth_json

        print_json(breadth_json(view, show_all))
        return
    _print(view, show_all)


def register(app: typer.Typer) -> None:
    """Add ``rotascope breadth`` to ``app`` (``data import-panel``, which feeds it, is in
    :mod:`rotascope.cli.commands.data`)."""
    app.command("breadth")(breadth)
