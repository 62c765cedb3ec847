"""The ``rotascope`` command."""

from __future__ import annotations

from typing import Annotated

import typer

from rotascope import __version__
from rotascope.cli import data_cmd, universe_cmd
from rotascope.cli.analysis_cmd import register as register_analysis
from rotascope.cli.breadth_cmd import register as register_breadth
from rotascope.cli.earnings_cmd import register as register_earnings
from rotascope.cli.fundamentals_cmd import register as register_fundamentals
from rotascope.cli.report_cmd import register as register_report

app = typer.Typer(
    name="rotascope",
    help="Detect, measure and explain equity market rotations, with the evidence behind every number.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_cmd.app, name="data")
app.add_typer(universe_cmd.app, name="universe")
register_analysis(app)
register_fundamentals(app)
register_report(app)
register_earnings(app)
register_breadth(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rotascope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """rotascope: where is money rotating, how unusual is it, and what happened next before?"""


def main() -> None:
    """Console-script entry point."""
    app()
