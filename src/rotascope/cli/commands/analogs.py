"""``rotascope analogs A B``: what happened after past moves of A vs B like today's, beside what
followed any move of the same length (the base rate)."""

from __future__ import annotations

import math
from typing import Annotated

import pandas as pd
import typer

from rotascope.analytics import AnalogResult
from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, line, print_table
from rotascope.cli.subjects import pair_subjects
from rotascope.errors import InputError
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.pairs import pair_analogs

__all__ = ["analogs", "analogs_json", "few_cases_note", "parse_ratio", "register", "thin_horizons",
           "thin_note"]

DEFAULT_LIMIT = 10


def parse_ratio(value: str | None) -> float | None:
    """``--min 0.8x`` (or ``0.8``) -> 0.8; a one-line error when it is not a positive number.

    >>> parse_ratio("0.8x"), parse_ratio(None)
    (0.8, None)
    """
    if value is None:
        return None
    text = value.strip().lower().removesuffix("x").strip()
    try:
        ratio = float(text)
    except ValueError:
        ratio = math.nan
    if not math.isfinite(ratio) or ratio <= 0:
        raise InputError(f"--min must be a positive multiple of today's move such as 0.8x "
                         f"(got {value!r})")
    return ratio


def few_cases_note(res: AnalogResult) -> str:
    """The warning printed with fewer than ``res.min_cases`` analogs (empty otherwise)."""
    if not res.few_cases:
        return ""
    count = len(res.episodes)
    return (f"Only {count} case{'' if count == 1 else 's'}: fewer than {res.min_cases} cases, "
            "not a base for a conclusion.")


def thin_horizons(res: AnalogResult) -> list[str]:
    """Horizons with fewer than ``res.min_cases`` known outcomes (when the analogs themselves
    are enough): a recent analog's longer outcome is not known yet on the as-of date."""
    if res.few_cases:
        return []
    return [str(h) for h, r in res.summary.iterrows() if int(r["count"]) < res.min_cases]


def thin_note(res: AnalogResult) -> str:
    """The warning printed for :func:`thin_horizons` (empty when there are none)."""
    thin = thin_horizons(res)
    if not thin:
        return ""
    return (f"Horizon{'s' if len(thin) > 1 else ''} {', '.join(thin)}: fewer than "
            f"{res.min_cases} cases, not a base for a conclusion.")


def analogs_json(res: AnalogResult) -> dict[str, object]:
    """The fields of ``--json`` that describe the selection, the bootstrap and every analog."""
    return {"window": res.window, "as_of": res.as_of, "current_move": res.current_move,
            "threshold": res.threshold, "direction": res.direction, "spacing": res.spacing,
            "selection": res.selection, "selection_note": res.selection_note,
            "nearest": res.nearest, "min_ratio": res.min_ratio, "fallback": res.fallback,
            "at_least_count": res.at_least_count, "record": res.record,
            "count": len(res.episodes), "min_cases": res.min_cases,
            "few_cases": res.few_cases, "few_cases_note": few_cases_note(res),
            "thin_horizons": thin_horizons(res),
            "bootstrap": {"statistic": "mean", "confidence": res.confidence,
                          "resamples": res.resamples, "seed": res.seed},
            "horizons": res.horizons, "summary": res.summary.reset_index(names="horizon"),
            "episodes": res.episodes}


def _hit(v: float) -> str:
    return f"{v * 100:.0f}%" if pd.notna(v) else "n/a"


def _pp(v: float) -> str:
    return f"{v * 100:+.0f} pp" if pd.notna(v) else "n/a"


def _differs(row: pd.Series) -> str:
    lo, hi, base = row["mean_lo"], row["mean_hi"], row["base_mean"]
    if pd.isna(lo) or pd.isna(hi) or pd.isna(base) or int(row["count"]) < 2:
        return "n/a"
    return "yes" if base < lo or base > hi else "no"


def analogs(
    a: Annotated[str, typer.Argument(help="Segment or stored series A.")],
    b: Annotated[str, typer.Argument(help="Segment or stored series B.")],
    window: Annotated[str, typer.Option("--window", "-w", help="Window of the move in rows, e.g. 5d.")] = "5d",
    nearest: Annotated[int | None, typer.Option(
        "--nearest", min=1,
        help="Use the N largest earlier non-overlapping moves in the same direction.")] = None,
    min_ratio: Annotated[str | None, typer.Option(
        "--min", help="Use the earlier moves at least this multiple of today's, e.g. 0.8x.")] = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0,
        help="Analog dates printed (the largest moves; 0 prints all). --json lists all.")] = DEFAULT_LIMIT,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """After past moves of A vs B like today's, what happened next, against any move?

    By default the analogs are the earlier non-overlapping moves at least as large as today's
    in the same direction; when fewer than 5 are (a record day has none), the 10 largest
    earlier moves in the same direction. --nearest and --min choose otherwise. The output says
    which rule was used.
    """
    with exit_on_error():
        when = parse_as_of(as_of)
        ratio = parse_ratio(min_ratio)
        if nearest is not None and ratio is not None:
            raise InputError("give --nearest or --min, not both")
        sa, sb = pair_subjects(a, b, universe, data_dir, when)
        res = pair_analogs(sa, sb, when, window, nearest=nearest, min_ratio=ratio)
    if json_out:
        print_json({"a": sa.name, "b": sb.name, **analogs_json(res),
                    "sources": {sa.name: sa.source, sb.name: sb.source}})
        return
    console = out_console()
    lead = sa.display if res.direction == "a_leads" else sb.display
    line(console, f"[bold]{safe(sa.display)} vs {safe(sb.display)}[/]: {safe(res.window)} "
                  f"relative move {signed_pct(res.current_move)} as of {res.as_of:%Y-%m-%d} "
                  f"(in favour of {safe(lead)}).", markup=True)
    line(console, safe(res.selection_note))
    warn = few_cases_note(res) or thin_note(res)
    if warn:
        line(console, f"[bold yellow]{safe(warn)}[/]", markup=True)
    print_table(console, "What happened next (relative return of A vs B)",
                [Col("horizon", "key", "right"), Col("rows", "number", "right", drop=3),
                 Col("count", "number", "right", drop=2), Col("mean", "number", "right"),
                 Col("median", "number", "right"),
                 Col("hit rate", "number", "right", short="hit"),
                 Col("worst", "number", "right", drop=1), Col("best", "number", "right", drop=1)],
                [[str(horizon), str(int(row["rows"])), str(int(row["count"])),
                  signed_pct(row["mean"]), signed_pct(row["median"]), _hit(row["hit_rate"]),
                  signed_pct(row["worst"]), signed_pct(row["best"])]
                 for horizon, row in res.summary.iterrows()], what="horizon")
    line(console, "[dim]Hit rate: share that went on in the direction of the move. Worst and "
                  "best: the lowest and highest relative return of A vs B.[/]", markup=True)
    level = f"{res.confidence * 100:.0f}%"
    print_table(console, f"Against the base rate (every non-overlapping {res.window} window)",
                [Col("horizon", "key", "right"), Col("mean", "number", "right"),
                 Col(f"{level} interval", "number", "right", short="interval"),
                 Col("base mean", "number", "right", short="base"),
                 Col("difference", "number", "right", short="diff"),
                 Col("differs", "number", "right", drop=1),
                 Col("hit rate", "number", "right", short="hit", drop=3),
                 Col("base hit rate", "number", "right", short="base hit", drop=3),
                 Col("hit difference", "number", "right", short="hit diff", drop=2),
                 Col("base count", "number", "right", short="n", drop=4)],
                [[str(horizon), signed_pct(row["mean"]),
                  f"{signed_pct(row['mean_lo'])} to {signed_pct(row['mean_hi'])}",
                  signed_pct(row["base_mean"]), signed_pct(row["diff_mean"]), _differs(row),
                  _hit(row["hit_rate"]), _hit(row["base_hit_rate"]), _pp(row["diff_hit_rate"]),
                  str(int(row["base_count"]))]
                 for horizon, row in res.summary.iterrows()], what="horizon")
    line(console, f"[dim]Interval: {level} bootstrap of the analogs' mean ({res.resamples:,} "
                  f"resamples, seed {res.seed}); differs: the base mean lies outside it.[/]",
         markup=True)
    frame = res.episodes
    total = len(frame)
    if limit and total > limit:
        frame = frame.reindex(frame["move"].abs().sort_values(ascending=False, kind="stable")
                              .index[:limit])
        title = f"Analog dates: the {limit} largest of {total} shown (--limit; --json lists all)"
    else:
        title = f"Analog dates ({total})"
    print_table(console, title,
                [Col(str(c), "date" if pd.api.types.is_datetime64_any_dtype(frame[c]) else "number",
                     "right") for c in frame.columns],
                [[v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else signed_pct(v)
                  for v in rec] for rec in frame.itertuples(index=False)], what="analog")
    line(console, f"[dim]Sources: {safe(sa.display)}: {safe(sa.source)}; {safe(sb.display)}: "
                  f"{safe(sb.source)}[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope analogs`` to ``app``."""
    app.command("analogs")(analogs)
