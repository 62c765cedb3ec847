"""`rotascope valuation`, `factors`, `drivers` and `events`.

Series arguments (A, B, --driver, factor names) are resolved in this order:

1. ``sample:SYMBOL``: a series of the embedded offline sample (``sample:baa``, ``sample:vix``);
2. ``file:PATH[#COLUMN][@SECTION]``: a file (CSV, Parquet, Ken French, Shiller ``ie_data``),
   PATH relative to ``--data-dir`` when given. COLUMN may list several columns separated by
   commas, averaged on their common dates; ``SMALL`` and ``BIG`` stand for the three small and
   the three big Ken French 2x3 portfolios (``file:french/6_Portfolios_2x3.CSV#SMALL@BE/ME``);
3. a segment of the universe (``--universe``; store, sample or ``--data-dir`` files);
4. a series stored with ``rotascope data import`` / ``data fetch``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, cast

import pandas as pd
import typer
from rich.table import Table

from rotascope.analytics.drivers import driver_sensitivity
from rotascope.analytics.events import event_study
from rotascope.analytics.factors import factor_monitor
from rotascope.analytics.valuation import (
    Metric,
    parse_metric,
    relative_valuation,
    valuation_percentile,
)
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
from rotascope.cli.subjects import data_source
from rotascope.data.availability import period_start
from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import InputError
from rotascope.narrative.driver_facts import driver_fact, event_facts
from rotascope.narrative.factor_facts import factor_facts, factor_legs
from rotascope.narrative.valuation_facts import valuation_facts, value_text
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.refs import (
    KNOWN_DRIVERS,
    driver_change,
    guess_metric,
    load_events,
    resolve_series,
)

__all__ = ["drivers_cmd", "events_cmd", "factors_cmd", "register", "valuation_cmd"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

def _prices(ref: str, universe: Universe, source: DataSource) -> tuple[pd.Series, str, str]:
    ts, display = resolve_series(ref, universe, source)
    if ts.meta.kind == "return":
        ts = returns_to_index(ts)
    elif ts.meta.kind != "price":
        raise InputError(f"{ref}: a pair needs price or return series, not a {ts.meta.kind} "
                         "series")
    return ts.data.rename(ts.meta.name), display, ts.meta.source


# --------------------------------------------------------------------------------------------
# valuation


def valuation_cmd(
    a: Annotated[str, typer.Argument(help="Valuation series A (stored name, segment, sample:SYM or file:PATH#COL@SECTION).")],
    b: Annotated[str | None, typer.Argument(help="Optional series B: the ratio or spread A vs B is analysed.")] = None,
    lookback: Annotated[str, typer.Option("--lookback", "-l", help="Trailing lookback: Ny, Nm, Nw (calendar) or Nd (rows).")] = "20y",
    how: Annotated[str, typer.Option("--how", help="ratio (A / B) or spread (A - B), with B.")] = "ratio",
    metric: Annotated[str | None, typer.Option("--metric", help="pe, cape, be/me, earnings-yield, yield, multiple or level (default: guessed from the series).")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Name of the metric in sentences (e.g. 'forward P/E').")] = None,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Percentile, decile, distance to the median and record horizon of a valuation (or of A vs B)."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir, when)
        ts_a, disp_a = resolve_series(a, u, source)
        guessed, guessed_label = guess_metric(ts_a)
        m: Metric = parse_metric(metric) if metric is not None else guessed
        metric_label = label or (metric if metric is not None else guessed_label)
        units = ts_a.meta.units if ts_a.meta.units in ("fraction", "percent") else ""
        series = ts_a.data.rename(ts_a.meta.name)
        disp_b, src = "", ts_a.meta.source
        if b is not None:
            ts_b, disp_b = resolve_series(b, u, source)
            if how not in ("ratio", "spread"):
                raise InputError(f"--how must be one of: ratio, spread (got {how!r})")
            series = relative_valuation(series, ts_b.data.rename(ts_b.meta.name), how)  # type: ignore[arg-type]
            src = f"{disp_a}: {ts_a.meta.source}; {disp_b}: {ts_b.meta.source}"
            units = "" if how == "ratio" else units
        res = valuation_percentile(series, when, lookback, m)
        facts = valuation_facts(res, disp_a, versus_display=disp_b, how=how,
                                metric_label=metric_label,
                                units=units, source=src, subject=a, versus=b or "")
    if json_out:
        rec = res.record
        print_json({
            "a": a, "b": b, "how": how if b else None, "series": res.name, "metric": res.metric,
            "metric_label": metric_label, "cheap_when": res.cheap_when, "date": res.date,
            "frequency": ts_a.meta.frequency,
            "period_start": period_start(res.date, ts_a.meta.frequency),
            "value": res.value, "lookback": res.lookback, "lookback_start": res.lookback_start,
            "observations": res.lookback_count, "lookback_full": res.lookback_full,
            "percentile": res.percentile, "decile": res.decile, "cheapness": res.cheapness,
            "median": res.median, "distance": res.distance, "distance_pct": res.distance_pct,
            "low": res.low, "high": res.high, "state": res.state,
            "record": {"direction": "highest" if rec.direction == "gain" else "lowest",
                       "since": rec.since, "since_value": rec.since_value,
                       "on_record": rec.on_record, "first_date": rec.first_date,
                       "rank": rec.rank, "of": rec.of, "years": rec.years},
            "source": src, "facts": [f.to_dict() for f in facts],
        })
        return
    console = out_console()
    title = f"{disp_a} vs {disp_b} ({how})" if b else disp_a
    table = Table(title=f"Valuation: {title}, {metric_label}, as of {res.date:%Y-%m-%d}")
    for col in ("value", "pct", "decile", "median", "vs median", "low", "high",
                f"{res.lookback} since", "state"):
        table.add_column(col, justify="right")
    table.add_row(value_text(res.value, units), f"{res.percentile * 100:.1f}", str(res.decile),
                  value_text(res.median, units), signed_pct(res.distance_pct),
                  value_text(res.low, units), value_text(res.high, units),
                  f"{res.lookback_start:%Y-%m}", res.state)
    console.print(table)
    for f in facts:
        console.print(f"• {f.sentence}", soft_wrap=True)
    console.print(f"[dim]Source: {safe(src)}[/]", soft_wrap=True, markup=True)


# --------------------------------------------------------------------------------------------
# factors


def factors_cmd(
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
        source = data_source(data_dir, when)
        refs = [n.strip() for item in (names or []) for n in item.split(",") if n.strip()]
        if not refs:
            refs = [s.name for s in u.segments if s.group == "factor"]
            if not refs:
                raise InputError(f"universe {u.name!r} has no segment in group 'factor'; "
                                 "name the factors")
        series: dict[str, pd.Series] = {}
        displays: dict[str, str] = {}
        sources: dict[str, str] = {}
        missing: dict[str, str] = {}
        for ref in refs:
            try:
                ts, display = resolve_series(ref, u, source)
            except InputError as exc:
                if names:
                    raise
                missing[ref] = str(exc)
                continue
            data = ts.data
            if ts.meta.kind == "price":
                data = data.pct_change().dropna()
            elif ts.meta.kind != "return":
                raise InputError(f"{ref}: the factor monitor needs return (or price) series, "
                                 f"not a {ts.meta.kind} series")
            series[ref] = data.rename(ref)
            displays[ref] = display
            sources[ref] = ts.meta.source
        if not series:
            reasons = "; ".join(f"{k}: {v}" for k, v in missing.items())
            raise InputError(f"no factor data ({reasons})")
        monitor = factor_monitor(series, when)
        facts = {name: factor_facts(res, factor_legs(name, displays[name]), sources[name])
                 for name, res in monitor.results.items()}
    skipped = {**missing, **monitor.skipped}
    if json_out:
        out: dict[str, Any] = {"as_of": when, "factors": [], "skipped": skipped}
        for name, res in monitor.results.items():
            out["factors"].append({
                "factor": name, "display": displays[name], "date": res.date,
                "status": res.status, "drawdown": res.drawdown,
                "drawdown_percentile": res.drawdown_percentile, "high_date": res.high_date,
                "returns": res.returns, "percentiles": res.percentiles,
                "speed_percentile": res.speed_percentile,
                "gain_percentile": res.gain_percentile, "cutoffs": res.cutoffs,
                "rules": res.rules, "history_start": res.history_start,
                "frequency": res.frequency, "source": sources[name],
                "facts": [f.to_dict() for f in facts[name]],
                "episodes": res.episodes.to_dict(orient="records"),
            })
        print_json(out)
        return
    console = out_console()
    table = Table(title=f"Factor monitor{f' as of {when:%Y-%m-%d}' if when else ''}")
    for col in ("factor", "date", "status", "drawdown", "pct", "1", "pct", "5", "pct", "21",
                "pct"):
        table.add_column(col, justify="left" if col in ("factor", "status") else "right")
    for name, res in monitor.results.items():
        cells = [displays[name], f"{res.date:%Y-%m-%d}", res.status,
                 signed_pct(res.drawdown), _pct_text(res.drawdown_percentile)]
        for label, value in res.returns.items():
            cells += [signed_pct(value), _pct_text(res.percentiles[label])]
        table.add_row(*cells)
    console.print(table)
    console.print("[dim]Returns over 1, 5 and 21 rows (days; months for monthly factors); "
                  "pct = percentile vs the factor's own history.[/]", markup=True)
    for name in monitor.results:
        for f in facts[name]:
            if f.kind == "factor_status" or f.notable:
                console.print(f"• {f.sentence}", soft_wrap=True)
    for name, res in monitor.results.items():
        eps = res.episodes
        momentum = factor_legs(name, displays[name]).key == "momentum"
        if eps.empty or max_episodes == 0 or not (momentum or all_episodes):
            continue
        shown = eps.tail(max_episodes)
        t = Table(title=f"{displays[name]}: unwinds ({len(shown)} most recent of {len(eps)})")
        for col in ("12m high", "start", "end", "trough", "depth", "severity", "worst fall",
                    "normal again"):
            t.add_column(col, justify="right", no_wrap=True)
        for ep in shown.itertuples(index=False):
            recovery = cast(pd.Timestamp, ep.recovery)  # NaT while not recovered
            t.add_row(f"{ep.peak_date:%Y-%m-%d}", f"{ep.start:%Y-%m-%d}", f"{ep.end:%Y-%m-%d}",
                      f"{ep.trough_date:%Y-%m-%d}", signed_pct(cast(float, ep.depth)),
                      cast(str, ep.severity), signed_pct(cast(float, ep.worst_speed)),
                      ("ongoing" if ep.ongoing else "not yet") if pd.isna(recovery)
                      else f"{recovery:%Y-%m-%d}")
        console.print(t)
    for name, why in skipped.items():
        console.print(f"[dim]{safe(name)} skipped: {safe(why)}[/]", soft_wrap=True, markup=True)


def _pct_text(p: float) -> str:
    return "n/a" if p is None or math.isnan(p) else f"{p * 100:.0f}"


# --------------------------------------------------------------------------------------------
# drivers


def drivers_cmd(
    a: Annotated[str, typer.Argument(help="Segment or series A (prices or returns).")],
    b: Annotated[str, typer.Argument(help="Segment or series B.")],
    driver: Annotated[str, typer.Option("--driver", "-d", help="Driver series: stored name, segment, sample:SYM or file:PATH#COL.")],
    window: Annotated[int | None, typer.Option("--window", "-w", min=3, help="Rows of the rolling regression (default 252 for daily data).")] = None,
    change: Annotated[str, typer.Option("--change", help="auto, diff, pct or log (auto: yields in percent -> diff in bp; prices -> % change).")] = "auto",
    scale: Annotated[float | None, typer.Option("--scale", help="Multiplier of the change (default from --change auto).")] = None,
    step: Annotated[float | None, typer.Option("--step", help="Driver move the sentence uses (default 10 bp for yields).")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Name of the driver in sentences.")] = None,
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Rolling beta of A vs B's daily relative return on a driver's changes (t-stat, R^2)."""
    with exit_on_error():
        when = parse_as_of(as_of)
        u = load_universe(universe)
        source = data_source(data_dir, when)
        pa, disp_a, src_a = _prices(a, u, source)
        pb, disp_b, src_b = _prices(b, u, source)
        ts_d, disp_d = resolve_series(driver, u, source)
        how, mult, units = driver_change(ts_d, change, scale)
        res = driver_sensitivity(pa, pb, ts_d.data.rename(ts_d.meta.name), when, window, how,
                                 mult, units, step)
        name_d = label or KNOWN_DRIVERS.get(ts_d.meta.symbol.lower(),
                                             KNOWN_DRIVERS.get(driver.lower(), disp_d))
        src = f"{disp_a}: {src_a}; {disp_b}: {src_b}; {name_d}: {ts_d.meta.source}"
        fact = driver_fact(res, disp_a, disp_b, name_d, src)
    if json_out:
        print_json({
            "a": a, "b": b, "driver": driver, "driver_display": name_d, "date": res.date,
            "start": res.start, "window": res.window, "change": res.change,
            "scale": res.scale, "units": res.units, "beta": res.beta, "alpha": res.alpha,
            "se": res.se, "tstat": res.tstat, "r2": res.r2, "n": res.n, "step": res.step,
            "effect": res.effect, "significant": res.significant, "source": src,
            "fact": fact.to_dict(),
        })
        return
    console = out_console()
    table = Table(title=f"{disp_a} vs {disp_b} on {name_d}: {res.window}-row regression to "
                        f"{res.date:%Y-%m-%d}")
    for col in ("beta (pp per unit)", "t", "R²", "n", f"effect per {res.step:g} {res.units}"):
        table.add_column(col, justify="right")
    table.add_row(f"{res.beta * 100:+.4f}", f"{res.tstat:.2f}", f"{res.r2 * 100:.1f}%",
                  str(res.n), signed_pct(res.effect, 2))
    console.print(table)
    console.print(f"• {fact.sentence}", soft_wrap=True)
    console.print(f"[dim]Source: {safe(src)}[/]", soft_wrap=True, markup=True)


# --------------------------------------------------------------------------------------------
# events


def _offsets(text: str, name: str) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in text.replace("..", ":").split(":"))
    except ValueError:
        raise InputError(f"{name} must look like -1:5 (got {text!r})") from None
    return lo, hi


def events_cmd(
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
        ev, noun = load_events(events)
        pa, disp_a, src_a = _prices(a, u, source)
        pb, disp_b, src_b = _prices(b, u, source)
        study = event_study(pa, pb, ev, when, _offsets(window, "--window"),
                            _offsets(estimation, "--estimation"))
        src = f"{disp_a}: {src_a}; {disp_b}: {src_b}; events: {events}"
        facts = event_facts(study, disp_a, disp_b, name or noun, src)
    if json_out:
        print_json({"a": a, "b": b, "events_file": events, "window": study.window,
                    "estimation": study.estimation, "as_of": study.as_of,
                    "summary": study.summary, "path": study.path,
                    "events": study.events.to_dict(orient="records"),
                    "source": src, "facts": [f.to_dict() for f in facts]})
        return
    console = out_console()
    w0, w1 = study.window
    table = Table(title=f"{disp_a} vs {disp_b}: cumulative abnormal relative return, days "
                        f"{w0:+d} to {w1:+d}")
    for col in ("group", "events", "mean", "median", "t", "p", "share > 0"):
        table.add_column(col, justify="right")
    for group, row in study.summary.iterrows():
        table.add_row(str(group), str(int(row["count"])), signed_pct(row["mean_car"], 2),
                      signed_pct(row["median_car"], 2), f"{row['tstat']:.2f}",
                      f"{row['pvalue']:.3f}", f"{row['hit_rate'] * 100:.0f}%")
    console.print(table)
    unused = study.events[~study.events["used"]]
    for f in facts:
        console.print(f"• {f.sentence}", soft_wrap=True)
    if len(unused):
        console.print(f"[dim]{len(unused)} of {len(study.events)} events not used (e.g. "
                      f"{unused['date'].iloc[0]:%Y-%m-%d}: {safe(unused['reason'].iloc[0])}).[/]",
                      markup=True,
                      soft_wrap=True)
    console.print(f"[dim]Source: {safe(src)}[/]", soft_wrap=True, markup=True)


def register(app: typer.Typer) -> None:
    """Add ``valuation``, ``factors``, ``drivers`` and ``events`` to the root app."""
    app.command("valuation")(valuation_cmd)
    app.command("factors")(factors_cmd)
    app.command("drivers")(drivers_cmd)
    app.command("events")(events_cmd)
