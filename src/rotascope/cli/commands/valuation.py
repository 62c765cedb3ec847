"""``rotascope valuation A [B]``: where a valuation (or A vs B) stands in its own history.

Computed by :func:`rotascope.pipeline.valuation.valuation_run`, the function behind the report's
Valuation section (series: ``sample:SYM``, ``file:PATH#COL@SECTION``, a segment, a stored series)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rotascope.analytics.valuation import ValuationResult
from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, line, print_facts, print_table
from rotascope.cli.subjects import data_source
from rotascope.data.availability import period_start
from rotascope.data.universe import load_universe
from rotascope.narrative.fact import Fact
from rotascope.narrative.valuation_facts import valuation_facts, value_text
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.valuation import valuation_run

__all__ = ["register", "valuation"]



def valuation(
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
        run = valuation_run(a, b, u, source, when, lookback=lookback, metric=metric, how=how,
                            label=label)
        res, units, src, metric_label = run.result, run.units, run.source, run.metric_label
        disp_a, disp_b = run.display, run.versus_display
        facts = valuation_facts(res, disp_a, versus_display=disp_b, how=how,
                                metric_label=metric_label, units=units, source=src, subject=a,
                                versus=b or "", noun=run.noun)
    if json_out:
        print_json(_json(a, b, how, res, metric_label, run.frequency, src, facts))
        return
    console = out_console()
    title = f"{disp_a} vs {disp_b} ({how})" if b else disp_a
    print_table(console, f"Valuation: {title}, {metric_label}, as of {res.date:%Y-%m-%d}",
                [Col("value", "number", "right"), Col("pct", "number", "right"),
                 Col("decile", "number", "right", short="dec", drop=2),
                 Col("median", "number", "right"), Col("vs median", "number", "right"),
                 Col("low", "number", "right", drop=1), Col("high", "number", "right", drop=1),
                 Col(f"{res.lookback} since", "date", "right"),
                 Col("state", "words", "right")],
                [[value_text(res.value, units), f"{res.percentile * 100:.1f}", str(res.decile),
                  value_text(res.median, units), signed_pct(res.distance_pct),
                  value_text(res.low, units), value_text(res.high, units),
                  f"{res.lookback_start:%Y-%m}", res.state]])
    print_facts(console, facts, show_all=True)
    line(console, f"[dim]Source: {safe(src)}[/]", markup=True)


def _json(a: str, b: str | None, how: str, res: ValuationResult, metric_label: str,
          frequency: str, src: str, facts: list[Fact]) -> dict[str, Any]:
    rec = res.record
    return {
        "a": a, "b": b, "how": how if b else None, "series": res.name, "metric": res.metric,
        "metric_label": metric_label, "cheap_when": res.cheap_when, "date": res.date,
        "frequency": frequency,
        "period_start": period_start(res.date, frequency),
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
    }


def register(app: typer.Typer) -> None:
    """Add ``rotascope valuation`` to ``app``."""
    app.command("valuation")(valuation)
