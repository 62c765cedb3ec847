"""``rotascope data ...``: list, show, import, fetch and drop stored series; import a price panel
(``data import-panel``, for ``rotascope breadth --prices store:NAME``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import pandas as pd
import typer

from rotascope.cli.console import out_console, printable, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import DataDirOpt, UniverseOpt
from rotascope.cli.render import Col, line, print_table
from rotascope.data.series import KINDS, TimeSeries
from rotascope.data.store import Store
from rotascope.errors import InputError

__all__ = ["app", "register"]

app = typer.Typer(help="Import, fetch and inspect the series in the local store.", no_args_is_help=True)



def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d"))
    return "" if value is None else str(value)


@app.command("list")
def list_cmd() -> None:
    """List the stored series with their kind, source and date range."""
    with exit_on_error(), Store(read_only=True) as store:
        frame = store.list()
    console = out_console()
    if frame.empty:
        line(console, "The store is empty: use `rotascope data import FILE --name NAME` or "
                      "`rotascope data fetch SEGMENT`.")
        return
    names = ("name", "kind", "frequency", "first", "last", "rows", "source")
    print_table(console, f"Stored series ({len(frame)})",
                [Col("name", "key"), Col("kind", "words"),
                 Col("frequency", "words", short="freq"), Col("first", "date"),
                 Col("last", "date"), Col("rows", "number", "right"), Col("source", drop=1)],
                [[_fmt(rec[c]) for c in names] for rec in frame.to_dict(orient="records")],
                what="series")


@app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Stored series name.")],
    tail: Annotated[int, typer.Option("--tail", "-n", min=1, help="Number of last rows.")] = 10,
) -> None:
    """Show a stored series' metadata and its last rows."""
    with exit_on_error(), Store(read_only=True) as store:
        ts = store.read(name)
    console = out_console()
    m = ts.meta
    line(console, f"[bold]{safe(m.name)}[/]  kind={safe(m.kind)}  frequency={safe(m.frequency)}  "
                  f"units={safe(m.units or '-')}", markup=True)
    if m.label:
        line(console, f"label: {m.label}")
    line(console, f"source: {m.source}")
    line(console, f"rows: {len(ts.data)}  first: {_fmt(ts.first_date)}  last: "
                  f"{_fmt(ts.last_date)}  fetched: {m.fetched_at:%Y-%m-%d %H:%M UTC}")
    print_table(console, None, [Col("date", "date"), Col("value", "number", "right")],
                [[cast(pd.Timestamp, day).strftime("%Y-%m-%d"), repr(float(value))]
                 for day, value in ts.data.tail(tail).items()], what="row")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, Parquet or Ken French CSV file.")],
    name: Annotated[str, typer.Option("--name", help="Name to store the series under.")],
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of: {', '.join(KINDS)}, level (default: guessed from the layout). level: a yield, spread or index described by its level and its changes in points or basis points (stored as macro); price: returns.")] = None,
    column: Annotated[str | None, typer.Option("--column", help="Value column (default: Adj Close, Close or the only value column).")] = None,
    section: Annotated[str | None, typer.Option("--section", help="Ken French files: section title (substring).")] = None,
    units: Annotated[str | None, typer.Option("--units", help="Units of the values, e.g. percent (a driver in percent moves in basis points), index points, USD (default: from the layout; FRED files: known series only).")] = None,
    date_format: Annotated[str | None, typer.Option("--date-format", help="Format of the dates, e.g. %d/%m/%Y (default: inferred from the whole column).")] = None,
    dayfirst: Annotated[bool | None, typer.Option("--dayfirst/--monthfirst", help="Read 01/02/2024 as 1 February (--dayfirst) or January 2 (--monthfirst) when the dates cannot tell.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Name of the series in sentences, used verbatim, e.g. 'the Brent crude price' (capitalised at the start of a sentence; default: the label of a known FRED series, else NAME).")] = None,
) -> None:
    """Import a file into the store under NAME (replacing any series of that name)."""
    from rotascope.data.providers.files import read_file

    with exit_on_error():
        if kind is not None and kind not in (*KINDS, "level"):
            raise InputError(f"--kind must be one of: {', '.join(KINDS)}, level (got {kind!r})")
        if kind == "level":
            kind = "macro"  # a level series: the kind a FRED file gets
        text = "" if label is None else " ".join(label.split())
        if label is not None and not text:
            raise InputError("--label must not be empty")
        ts = read_file(file, name=name, column=column, kind=kind, section=section, units=units,
                       date_format=date_format, dayfirst=dayfirst)
        if text:
            ts = TimeSeries(ts.data, ts.meta.replace(label=text))
        with Store() as store:
            result = store.write(ts, mode="replace")
    out_console().print(
        f"Imported {result.rows_total} rows of {safe(ts.meta.symbol or 'values')} from "
        f"{safe(file)} as "
        f"[bold]{safe(name)}[/] ({ts.meta.kind}, {_fmt(result.first)} to {_fmt(result.last)}).",
        markup=True,
    )


@app.command("fetch")
def fetch_cmd(
    targets: Annotated[list[str] | None, typer.Argument(help="Segments or provider symbols (default: every segment of the universe).")] = None,
    provider: Annotated[str | None, typer.Option("--provider", "-p", help="stooq, fred, french, yahoo or files.")] = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Fetch the whole history instead of only what is new.")] = False,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Endpoint of the stooq, fred or french provider (a mirror or proxy).")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", min=0.01, help="HTTP timeout in seconds (default 20).")] = None,
    retries: Annotated[int | None, typer.Option("--retries", min=0, help="Retries after a failed HTTP try (default 4).")] = None,
) -> None:
    """Fetch segments or symbols from a provider into the store (incrementally)."""
    from rotascope.cli.fetching import (
        HTTP_PROVIDERS,
        exit_code_for,
        fetch_plan,
        make_providers,
        plan_targets,
    )

    console = out_console()
    with exit_on_error():
        plan = plan_targets(list(targets or []), provider, universe, data_dir)
        base_urls = {} if base_url is None else dict.fromkeys(HTTP_PROVIDERS, base_url)
        providers = make_providers(plan, data_dir=data_dir, base_urls=base_urls,
                                   timeout=timeout, retries=retries)
        outcomes = fetch_plan(plan, providers, full=full)
    print_table(console, "Fetched",
                [Col("name", "key"), Col("from", "key"), Col("outcome", "words"),
                 Col("rows before", "number", short="before", drop=2),
                 Col("rows after", "number", short="after", drop=2), Col("last", "date"),
                 Col("note", drop=1)],
                [[safe(o.name), safe(f"{o.provider}:{o.symbol}"), o.outcome,
                  "" if o.result is None else str(o.result.rows_before),
                  "" if o.result is None else str(o.result.rows_after),
                  "" if o.result is None else _fmt(o.result.last), safe(o.message or "")]
                 for o in outcomes], what="target")
    failed = [o for o in outcomes if o.outcome == "failed"]
    for o in failed:
        typer.echo(f"rotascope: error: {printable(o.message or o.name)}", err=True)
    if failed:  # 3 when every failure was the provider's, 2 when a target was unusable
        raise typer.Exit(code=exit_code_for(outcomes))


@app.command("drop")
def drop_cmd(name: Annotated[str, typer.Argument(help="Stored series name.")]) -> None:
    """Remove a series and its metadata from the store."""
    with exit_on_error(), Store() as store:
        store.drop(name)
    line(out_console(), f"Dropped {name}.")


@app.command("import-panel")
def import_panel_cmd(
    path: Annotated[str, typer.Argument(help="Panel file or folder: wide or long Parquet, long CSV, folder of per-ticker CSVs.")],
    name: Annotated[str, typer.Option("--name", help="Name to store it under (then --prices store:NAME).")],
) -> None:
    """Import a price panel into the local panel store ($ROTASCOPE_HOME/panels.duckdb)."""
    from rotascope.data.panel_readers import open_panel
    from rotascope.data.panel_store import import_panel, panel_store_path

    with exit_on_error():
        panel = open_panel(path)
        rows = import_panel(panel, name)
    line(out_console(), f"Stored panel {name!r}: {len(panel.tickers):,} tickers, "
                        f"{len(panel.dates):,} dates, {rows:,} closes in {panel_store_path()}")


def register(root: typer.Typer) -> None:
    """Add the ``rotascope data`` group to ``root``."""
    root.add_typer(app, name="data")
