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
    safe,
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
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.pairs import pair_analogs, pair_episodes, pair_profile
from rotascope.pipeline.subjects import Subject, check_as_of, parse_windows

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
    allow_stale: Annotated[bool, typer.Option("--allow-stale", help="Accept an --as-of after every series' data.")] = False,
    windows: Annotated[str | None, typer.Option("--windows", "-w", help="Row windows of the moves, e.g. 1d,2d,3d,5d,21d,100d (d: rows of daily series, m: of monthly ones; default 1d,5d,21d,63d,252d and 1m,3m,6m,12m).")] = None,
) -> None:
    """Print the notable facts as sentences (or JSON) for segments, pairs or stored series."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir, when)
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
        console.print(f"No notable facts among {len(found)} (use --all to see them).")
        return
    for f in shown:
        console.print(f"• {safe(f.sentence)}  [dim]({safe(f.kind)}, {safe(f.window)}, "
                      f"as of {f.as_of:%Y-%m-%d})[/]", soft_wrap=True, markup=True)
    console.print(f"[dim]{len(shown)} of {len(found)} facts shown; sources: --json lists them.[/]",
                  markup=True)


def _pair_subjects(a: str, b: str, universe: str, data_dir: object,
                   as_of: pd.Timestamp | None = None) -> tuple[Subject, Subject]:
    u = load_universe(universe)
    source = data_source(data_dir, as_of)  # type: ignore[arg-type]
    sa, sb = resolve_subject(a, u, source), resolve_subject(b, u, source)
    if sa.name == sb.name:
        same = f"{a!r}" if a == b else f"{a!r} and {b!r}"
        raise InputError(f"A and B must differ: {same} name the same series twice "
                         f"({sa.name!r}); a series against itself has no relative move")
    return sa, sb


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
        when = parse_as_of(as_of)
        sa, sb = _pair_subjects(a, b, universe, data_dir, when)
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
    console.print(f"[bold]{safe(sa.display)} vs {safe(sb.display)}[/]: {safe(res.window)} "
                  f"relative move {signed_pct(res.current_move)} as of {res.as_of:%Y-%m-%d} "
                  f"(in favour of {safe(lead)}); {len(res.episodes)} earlier non-overlapping "
                  "moves at least as large.", markup=True)
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
    console.print(f"[dim]Sources: {safe(sa.display)}: {safe(sa.source)}; {safe(sb.display)}: "
                  f"{safe(sb.source)}[/]", markup=True)


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
        when = parse_as_of(as_of)
        sa, sb = _pair_subjects(a, b, universe, data_dir, when)
        frame = pair_episodes(sa, sb, when)
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
