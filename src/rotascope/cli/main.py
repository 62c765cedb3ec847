"""The ``rotascope`` command.

Commands are imported when they run (:mod:`rotascope.cli.lazy`), so ``rotascope --help`` and
``--version`` start in a fraction of a second.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rotascope import __version__
from rotascope.cli.exits import EXIT_CODES_HELP, INTERNAL
from rotascope.cli.lazy import LazyGroup

app = typer.Typer(
    name="rotascope",
    cls=LazyGroup,
    help="Detect, measure and explain equity market rotations, with the evidence behind every number.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


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
    """Console-script entry point: an unexpected exception is one line and exit code 1."""
    try:
        app()
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        sys.stderr.write(f"rotascope: internal error: {message} (please report this)\n")
        raise SystemExit(INTERNAL) from None


if __name__ == "__main__":
    main()
