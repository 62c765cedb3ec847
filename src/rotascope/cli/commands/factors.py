"""``rotascope factors [NAMES...]``: the factor monitor (status, drawdown, speed, past unwinds)."""

from __future__ import annotations

import math
from typing import Annotated, Any, cast

import pandas as pd
import typer
from rich.console import Console

from rotascope.analytics.factors import FactorMonitor
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
from rotascope.cli.render import Col, bullet, line, print_table
from rotascope.cli.subjects import data_source
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.fact import Fact
from rotascope.narrative.factor_facts import factor_facts, factor_legs
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.factors import FactorRun, factor_refs, factor_run

__all__ = ["factors", "register"]



def factors(
    names: Annotated[list[str] | None, typer.Argument(help="Factors (segments, stored names, sample:SYM, file:PATH#COL); default: the universe's factor segments.")] = None,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
    max_episodes: Annotated[int, typer.Option("--max-episodes", min=0, help="Most recent episodes listed per factor in the terminal (JSON lists all).")] = 25,
    all_episodes: Annotated[bool, typer.Option("--all-episodes", help="List the episodes of every factor, not only momentum's.")] = False,
) -> None:
    """Factor monitor: status (normal, rebounding, drawdown, rolling-over, unwind, crash) from the drawdown off the 12-month high and the speed of the move, past unwinds."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        refs = factor_refs(u, split_names(names))
        if not refs:
            raise InputError(f"universe {u.name!r} has no segment in group 'factor'; "
                             "name the factors")
        loaded = factor_run(refs, u, data_source(data_dir, when), when, strict=bool(names))
        missing = {ref: str(exc) for ref, exc in loaded.unread.items()}
        if loaded.monitor is None:
            reasons = "; ".join(f"{k}: {v}" for k, v in missing.items())
            raise InputError(f"no factor data ({reasons})")
        monitor = loaded.monitor
        facts = {name: factor_facts(res, factor_legs(name, loaded.displays[name]),
                                    loaded.sources[name])
                 for name, res in monitor.results.items()}
    skipped = {**missing, **monitor.skipped}
    if json_out:
        print_json(_json(when, monitor, loaded, facts, skipped))
        return
    console = out_console()
    _print_monitor(console, when, monitor, loaded, facts)
    for name, res in monitor.results.items():
        momentum = factor_legs(name, loaded.displays[name]).key == "momentum"
        if not res.episodes.empty and max_episodes > 0 and (momentum or all_episodes):
            _print_unwinds(console, loaded.displays[name], res.episodes, max_episodes)
    for name, why in skipped.items():
        line(console, f"[dim]{safe(name)} skipped: {safe(why)}[/]", markup=True)


def _json(when: pd.Timestamp | None, monitor: FactorMonitor, loaded: FactorRun,
          facts: dict[str, list[Fact]], skipped: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"as_of": when, "factors": [], "skipped": skipped}
    for name, res in monitor.results.items():
        out["factors"].append({
            "factor": name, "display": loaded.displays[name], "date": res.date,
            "status": res.status, "drawdown": res.drawdown,
            "drawdown_percentile": res.drawdown_percentile, "high_date": res.high_date,
            "returns": res.returns, "percentiles": res.percentiles,
            "speed_percentile": res.speed_percentile,
            "gain_percentile": res.gain_percentile, "cutoffs": res.cutoffs,
            "rules": res.rules, "history_start": res.history_start,
            "frequency": res.frequency, "source": loaded.sources[name],
            "facts": [f.to_dict() for f in facts[name]],
            "episodes": res.episodes.to_dict(orient="records"),
        })
    return out


def _print_monitor(console: Console, when: pd.Timestamp | None, monitor: FactorMonitor,
                   loaded: FactorRun, facts: dict[str, list[Fact]]) -> None:
    rows = []
    for name, res in monitor.results.items():
        cells = [loaded.displays[name], f"{res.date:%Y-%m-%d}", res.status,
                 signed_pct(res.drawdown), _pct_text(res.drawdown_percentile)]
        for label, value in res.returns.items():
            cells += [signed_pct(value), _pct_text(res.percentiles[label])]
        rows.append(cells)
    print_table(console, f"Factor monitor{f' as of {when:%Y-%m-%d}' if when else ''}",
                [Col("factor", "words"), Col("date", "date", "right"), Col("status", "words"),
                 Col("drawdown", "number", "right", short="dd"),
                 *(Col(h, "number", "right", drop=1 if h == "pct" else 0)
                   for h in ("pct", "1", "pct", "5", "pct", "21", "pct"))],
                rows, what="factor")
    line(console, "[dim]Returns over 1, 5 and 21 rows (days; months for monthly factors); "
                  "pct = percentile vs the factor's own history.[/]", markup=True)
    for name in monitor.results:
        for f in facts[name]:
            if f.kind == "factor_status" or f.notable:
                bullet(console, f.sentence)


def _print_unwinds(console: Console, display: str, eps: pd.DataFrame, most: int) -> None:
    shown = eps.tail(most)
    rows = []
    for ep in shown.itertuples(index=False):
        recovery = cast(pd.Timestamp, ep.recovery)  # NaT while not recovered
        rows.append([f"{ep.peak_date:%Y-%m-%d}", f"{ep.start:%Y-%m-%d}", f"{ep.end:%Y-%m-%d}",
                     f"{ep.trough_date:%Y-%m-%d}", signed_pct(cast(float, ep.depth)),
                     cast(str, ep.severity), signed_pct(cast(float, ep.worst_speed)),
                     ("ongoing" if ep.ongoing else "not yet") if pd.isna(recovery)
                     else f"{recovery:%Y-%m-%d}"])
    print_table(console, f"{display}: unwinds ({len(shown)} most recent of {len(eps)})",
                [Col("12m high", "date", "right"), Col("start", "date", "right"),
                 Col("end", "date", "right"), Col("trough", "date", "right"),
                 Col("depth", "number", "right"),
                 Col("severity", "words", "right", drop=2),
                 Col("worst fall", "number", "right", short="worst", drop=1),
                 Col("normal again", "date", "right", short="normal")],
                rows, what="unwind")


def _pct_text(p: float) -> str:
    return "n/a" if p is None or math.isnan(p) else f"{p * 100:.0f}"


def register(app: typer.Typer) -> None:
    """Add ``rotascope factors`` to ``app``."""
    app.command("factors")(factors)
