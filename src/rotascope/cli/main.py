"""The ``rotascope`` command.

Commands are imported when they run (:mod:`rotascope.cli.lazy`), so ``rotascope --help`` and
``--version`` start in a fraction of a second. The console script (:func:`run`) also ends the
process without Python's teardown of every imported module, which after pandas costs about 0.15 s
(see :func:`run`).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
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


def _exit_code(exc: SystemExit) -> int:
    """The process exit code of ``exc``, as Python computes it (a message is printed, code 1)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


def run() -> None:
    """The ``rotascope`` console script: :func:`main`, then a fast exit.

    After the command has finished, the exit handlers run (:mod:`atexit`) and stdout and stderr
    are flushed, then the process ends with ``os._exit``: Python's own finalisation, which frees
    every object of every imported module one by one, is skipped (about 0.15 s once pandas is
    imported). Every file rotascope writes is closed and renamed into place by then. When other
    threads are still running (a Dask cluster), the process exits the normal way instead, so
    that they are joined.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    if threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing left to write to
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
