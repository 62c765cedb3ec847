"""``rotascope facts``: the notable facts of segments, pairs or stored series."""

from __future__ import annotations

from typing import Annotated

import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import (
    AsOfOpt,
    DataDirOpt,
    JsonOpt,
    UniverseOpt,
    parse_as_of,
    split_names,
)
from rotascope.cli.render import bullet, line
from rotascope.cli.subjects import MissingSegments, data_source
from rotascope.data.fred_labels import check_reading
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.collect import collect_facts
from rotascope.pipeline.resolve import segment_subjects, stored_subject
from rotascope.pipeline.subjects import Subject, check_as_of, parse_windows

__all__ = ["facts", "register"]


def facts(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    segments: Annotated[list[str] | None, typer.Option("--segments", "-s", help="Segments to analyse (space- or comma-separated, or repeated; default: all with data).")] = None,
    series: Annotated[list[str] | None, typer.Option("--series", help="Stored series names (from `rotascope data import`); repeat or comma-separate.")] = None,
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact, not only the notable ones.")] = False,
    allow_stale: Annotated[bool, typer.Option("--allow-stale", help="Accept an --as-of after every series' data.")] = False,
    windows: Annotated[str | None, typer.Option("--windows", "-w", help="Row windows of the moves, e.g. 1d,2d,3d,5d,21d,100d (d: rows of daily series, m: of monthly ones; default 1d,5d,21d,63d,252d and 1m,3m,6m,12m).")] = None,
    label: Annotated[str | None, typer.Option("--label", help="With one --series: its name in sentences, used verbatim (e.g. 'the Brent crude price'; capitalised at the start of a sentence). Default: the label stored on import, a known FRED series' label (the VIX), else the name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="How to read the --series: level (a yield, spread or index: its level's highest or lowest since, changes in basis points or points) or price (returns). Default: from the stored kind and the FRED table.")] = None,
) -> None:
    """Print the notable facts as sentences (or JSON) for segments, pairs or stored series."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir, when)
        subjects: dict[str, Subject] = {}
        names = split_names(series)
        text = None if label is None else " ".join(label.split())
        if label is not None and (not text or len(names) != 1):
            raise InputError("--label needs exactly one --series" if text else
                             "--label must not be empty")
        if kind is not None:
            check_reading(kind)
            if not names:
                raise InputError("--kind needs --series")
        for name in names:
            subjects[name] = stored_subject(name, u, source, text, kind)
        extra = list(ctx.args)  # `--segments a b`: the names after the first come as extras
        if extra and not segments:
            raise InputError(f"unexpected argument {extra[0]!r} (segment names go after "
                             "--segments)")
        seg_names = split_names([*(segments or []), *extra])
        if seg_names or not names:
            # several segments: a bad file leaves its segment out with a warning
            missing = (MissingSegments() if not seg_names
                       else MissingSegments(only_bad_files=True) if len(seg_names) > 1 else None)
            loaded = segment_subjects(u, source, seg_names or None, on_missing=missing)
            if missing is not None:
                missing.report(u, len(loaded))
            subjects.update(loaded)
        check_as_of(subjects, when, allow_stale)
        pairs = [(p.a, p.b) for p in u.pairs]
        found = collect_facts(subjects, pairs, when, windows=parse_windows(windows))
    shown = found if show_all else [f for f in found if f.notable]
    if json_out:
        print_json([f.to_dict() for f in shown])
        return
    console = out_console()
    if not shown:
        line(console, f"No notable facts among {len(found)} (use --all to see them).")
        return
    for f in shown:
        bullet(console, f"{safe(f.sentence)}  [dim]({safe(f.kind)}, {safe(f.window)}, "
                        f"as of {f.as_of:%Y-%m-%d})[/]", markup=True)
    line(console, f"[dim]{len(shown)} of {len(found)} facts shown; sources: --json lists them.[/]",
         markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope facts`` to ``app``."""
    app.command("facts", context_settings={"allow_extra_args": True})(facts)
