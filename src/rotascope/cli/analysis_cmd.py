"""`rotascope facts`, `analogs`, `episodes` and `summary`."""

from __future__ import annotations

from typing import Annotated, cast

import pandas as pd
import typer
from rich.table import Table

from rotascope.cli.common import (
    AsOfOpt,
    DataDirOpt,
    UniverseOpt,
    exit_on_error,
    out_console,
    parse_as_of,
    print_json,
)
from rotascope.cli.subjects import (
    MissingSegments,
    data_source,
    resolve_subject,
    segment_subjects,
    stored_subject,
)
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.collect import collect_facts
from rotascope.narrative.pair_facts import pair_analogs, pair_episodes, pair_profile
from rotascope.narrative.subjects import Subject
from rotascope.narrative.wording import signed_pct

__all__ = ["register"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def facts(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    segments: Annotated[list[str] | None, typer.Option("--segments", "-s", help="Segments to analyse (space- or comma-separated, or repeated; default: all with data).")] = None,
    series: Annotated[list[str] | None, typer.Option("--series", help="Stored series names (from `rotascope data import`); repeat or comma-separate.")] = None,
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    show_all: Annotated[bool, typer.Option("--all", help="Show every fact, not only the notable ones.")] = False,
) -> None:
    """Print the notable facts as sentences (or JSON) for segments, pairs or stored series."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir)
        subjects: dict[str, Subject] = {}
        names = [n.strip() for item in (series or []) for n in item.split(",") if n.strip()]
        for name in names:
            subjects[name] = stored_subject(name, u, source)
        extra = list(ctx.args)  # `--segments a b`: the names after the first come as extras
        if extra and not segments:
            raise InputError(f"unexpected argument {extra[0]!r} (segment names go after "
                             "--segments)")
        seg_names = [n.strip() for item in [*(segments or []), *extra] for n in item.split(",")
                     if n.strip()]
        if seg_names or not names:
            missing = None if seg_names else MissingSegments()
            loaded = segment_subjects(u, source, seg_names or None, on_missing=missing)
            if missing is not None:
                missing.report(u, len(loaded))
            subjects.update(loaded)
        pairs = [(p.a, p.b) for p in u.pairs]
        found = collect_facts(subjects, pairs, when)
    shown = found if show_all else [f for f in found if f.notable]
    if json_out:
        print_json([f.to_dict() for f in shown])
        return
    console = out_console()
    if not shown:
        console.print(f"No notable facts among {len(found)} (use --all to see them).")
        return
    for f in shown:
        console.print(f"• {f.sentence}  [dim]({f.kind}, {f.window}, as of {f.as_of:%Y-%m-%d})[/]",
                      soft_wrap=True)
    console.print(f"[dim]{len(shown)} of {len(found)} facts shown; sources: --json lists them.[/]")


def _pair_subjects(a: str, b: str, universe: str, data_dir: object) -> tuple[Subject, Subject]:
    u = load_universe(universe)
    source = data_source(data_dir)  # type: ignore[arg-type]
    return resolve_subject(a, u, source), resolve_subject(b, u, source)


def analogs_cmd(
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
        sa, sb = _pair_subjects(a, b, universe, data_dir)
        res = pair_analogs(sa, sb, parse_as_of(as_of), window)
    if json_out:
        print_json({"a": sa.name, "b": sb.name, "window": res.window, "as_of": res.as_of,
                    "current_move": res.current_move, "threshold": res.threshold,
                    "direction": res.direction, "spacing": res.spacing,
                    "horizons": res.horizons, "summary": res.summary.reset_index(names="horizon"),
                    "episodes": res.episodes, "sources": {sa.name: sa.source, sb.name: sb.source}})
        return
    console = out_console()
    lead = sa.display if res.direction == "a_leads" else sb.display
    console.print(f"[bold]{sa.display} vs {sb.display}[/]: {res.window} relative move "
                  f"{signed_pct(res.current_move)} as of {res.as_of:%Y-%m-%d} (in favour of {lead}); "
                  f"{len(res.episodes)} earlier non-overlapping moves at least as large.")
    summary = Table(title="What happened next (relative return of A vs B)")
    for col in ("horizon", "rows", "count", "mean", "median", "hit rate", "worst", "best"):
        summary.add_column(col, justify="right")
    for horizon, row in res.summary.iterrows():
        summary.add_row(str(horizon), str(int(row["rows"])), str(int(row["count"])),
                        signed_pct(row["mean"]), signed_pct(row["median"]),
                        f"{row['hit_rate'] * 100:.0f}%" if pd.notna(row["hit_rate"]) else "n/a",
                        signed_pct(row["worst"]), signed_pct(row["best"]))
    console.print(summary)
    episodes = Table(title="Analog dates")
    for col in res.episodes.columns:
        episodes.add_column(str(col), justify="right")
    for rec in res.episodes.itertuples(index=False):
        episodes.add_row(*(v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else signed_pct(v)
                           for v in rec))
    console.print(episodes)
    console.print(f"[dim]Sources: {sa.display}: {sa.source}; {sb.display}: {sb.source}[/]")


def episodes_cmd(
    a: Annotated[str, typer.Argument(help="Segment or stored series A.")],
    b: Annotated[str, typer.Argument(help="Segment or stored series B.")],
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List the rotation episodes of A vs B (N-day relative moves beyond k trailing sigmas)."""
    with exit_on_error():
        sa, sb = _pair_subjects(a, b, universe, data_dir)
        frame = pair_episodes(sa, sb, parse_as_of(as_of))
        prof = pair_profile(sa, sb)
    if json_out:
        print_json({"a": sa.name, "b": sb.name, "n": prof.episode_rows, "k": 2.0,
                    "lookback": prof.episode_lookback, "cooloff": prof.episode_cooloff,
                    "episodes": frame})
        return
    console = out_console()
    table = Table(title=f"Rotation episodes: {sa.display} vs {sb.display} "
                        f"({prof.row_label(prof.episode_rows)} relative move beyond 2 trailing sigmas)")
    for col in ("start", "end", "toward", "duration", "peak date", "peak move", "peak z", "ongoing"):
        table.add_column(col, justify="right")
    for ep in frame.itertuples(index=False):
        toward = sa.display if ep.direction == "a_leads" else sb.display
        table.add_row(f"{ep.start:%Y-%m-%d}", f"{ep.end:%Y-%m-%d}", toward, str(ep.duration),
                      f"{ep.peak_date:%Y-%m-%d}", signed_pct(cast(float, ep.peak_move)), f"{ep.peak_zscore:+.1f}",
                      "yes" if ep.ongoing else "")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the root app."""
    app.command("facts", context_settings={"allow_extra_args": True})(facts)
    app.command("analogs")(analogs_cmd)
    app.command("episodes")(episodes_cmd)
