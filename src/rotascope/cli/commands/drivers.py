"""``rotascope drivers A B --driver D``: rolling beta of A vs B on a driver's changes."""

from __future__ import annotations

from typing import Annotated

import typer

from rotascope.cli.console import out_console, print_json, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, bullet, line, print_table
from rotascope.cli.subjects import data_source
from rotascope.data.universe import load_universe
from rotascope.narrative.driver_facts import driver_fact
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.drivers import driver_run

__all__ = ["drivers", "register"]



def drivers(
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
        run = driver_run(a, b, driver, u, source, when, window=window, change=change,
                         scale=scale, step=step, label=label)
        res, name_d, src = run.result, run.driver_display, run.source
        disp_a, disp_b = run.a_display, run.b_display
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
    print_table(console, f"{disp_a} vs {disp_b} on {name_d}: {res.window}-row regression to "
                         f"{res.date:%Y-%m-%d}",
                [Col("beta (pp per unit)", "number", "right"), Col("t", "number", "right"),
                 Col("R²", "number", "right"), Col("n", "number", "right"),
                 Col(f"effect per {res.step:g} {res.units}", "number", "right")],
                [[f"{res.beta * 100:+.4f}", f"{res.tstat:.2f}", f"{res.r2 * 100:.1f}%",
                  str(res.n), signed_pct(res.effect, 2)]])
    bullet(console, fact.sentence)
    line(console, f"[dim]Source: {safe(src)}[/]", markup=True)


def register(app: typer.Typer) -> None:
    """Add ``rotascope drivers`` to ``app``."""
    app.command("drivers")(drivers)
