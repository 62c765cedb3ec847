"""A command group that imports a command's module only when that command runs.

``rotascope --help`` and ``--version`` must not pay for pandas, numba, DuckDB and scipy (about a
second): the root group lists every command from a small table of names, modules and one-line
helps, and imports the module of a command (``rotascope.cli.commands.<name>``, which adds it with
``register(app)``) only when it is invoked (or asked for its own ``--help``). A test checks that
the table's one-line helps are the commands' own.

The group also shows boolean flags as flags (``--json``, not ``--json <bool>``), prints a one-line
note when numba compiles kernels (the first run after an install; later runs load them from the
cache), and shows warnings raised while a command module is imported as one line each.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperGroup

from rotascope.errors import RotascopeWarning

__all__ = ["COMMANDS", "NOTE", "PACKAGE", "LazyCommand", "LazyGroup", "compile_note",
           "load_command", "show_flags_as_flags"]

PACKAGE = "rotascope.cli.commands"


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives: module ``rotascope.cli.commands.<module>``, whose
    ``register(app)`` adds the command (or group of subcommands) to an app, and its one-line
    help for the root ``--help``."""

    module: str
    help: str


COMMANDS: dict[str, LazyCommand] = {
    "facts": LazyCommand("facts",
                         "Print the notable facts as sentences (or JSON) for segments, pairs or "
                         "stored series."),
    "analogs": LazyCommand("analogs",
                           "After past moves of A vs B like today's, what happened next, "
                           "against any move?"),
    "episodes": LazyCommand("episodes",
                            "List the rotation episodes of A vs B (N-day relative moves beyond k "
                            "trailing sigmas)."),
    "valuation": LazyCommand("valuation",
                             "Percentile, decile, distance to the median and record horizon of a "
                             "valuation (or of A vs B)."),
    "factors": LazyCommand("factors",
                           "Factor monitor: status (normal, rebounding, drawdown, rolling-over, "
                           "unwind, crash) from the drawdown off the 12-month high and the speed "
                           "of the move, past unwinds."),
    "drivers": LazyCommand("drivers",
                           "Rolling beta of A vs B's daily relative return on a driver's changes "
                           "(t-stat, R^2)."),
    "events": LazyCommand("events",
                          "Event study: A vs B's abnormal relative return around events, by "
                          "surprise sign, with t-stats."),
    "report": LazyCommand("report",
                          "Write the rotation report (HTML, Markdown or JSON) and print its "
                          "summary."),
    "earnings": LazyCommand("earnings",
                            "Earnings season by segment: beat rates, surprises, revision breadth "
                            "(sample files by default)."),
    "scorecard": LazyCommand("scorecard",
                             "Rank segments on valuation, technicals, leverage and earnings "
                             "stability."),
    "breadth": LazyCommand("breadth",
                           "Breadth per segment: members above their 20/50/200-day average, new "
                           "highs and lows, advancers, record moves, leaders and laggards."),
    "update": LazyCommand("update",
                          "Fetch every segment of the universe from Stooq, FRED and Ken French "
                          "(no key), incrementally."),
    "data": LazyCommand("data",
                        "Import, fetch and inspect the series in the local store."),
    "universe": LazyCommand("universe",
                            "Show universes: the segments and pairs rotascope follows."),
}


def _one_line_warnings() -> Callable[..., None]:
    def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        kind = "warning" if issubclass(category, RotascopeWarning) else category.__name__
        typer.echo(f"rotascope: {kind}: {' '.join(str(message).split())}", err=True)

    return show


@contextmanager
def _warnings_as_lines() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warnings()
        yield


def _hide_bool_type(param: Any) -> None:
    """Show a boolean flag as ``--json`` rather than ``--json <bool>`` in rich help."""
    if getattr(param, "is_flag", False) and hasattr(param, "display_type_rich"):
        param.display_type_rich = lambda ctx: None


def show_flags_as_flags(command: Any) -> Any:
    """Make ``command`` (and its subcommands) list boolean options without a ``<bool>`` type."""
    get_params = command.get_params

    def params(ctx: Any) -> list[Any]:
        found: list[Any] = get_params(ctx)
        for p in found:
            _hide_bool_type(p)
        return found

    command.get_params = params
    for sub in getattr(command, "commands", {}).values():
        show_flags_as_flags(sub)
    return command


def load_command(name: str) -> Any:
    """Import the module of command ``name`` and build its click command."""
    with _warnings_as_lines():
        register = import_module(f"{PACKAGE}.{COMMANDS[name].module}").register
    holder = typer.Typer()
    register(holder)
    command: Any = typer.main.get_group(holder).commands[name]
    invoke = command.invoke

    def invoke_with_note(ctx: Any) -> Any:
        with compile_note(enabled=sys.stderr.isatty()):
            return invoke(ctx)

    command.invoke = invoke_with_note
    return show_flags_as_flags(command)


NOTE = ("rotascope: note: compiling numeric kernels for first use (a few seconds, once: they "
        "are cached for later runs)")


@contextmanager
def compile_note(enabled: bool = True) -> Iterator[None]:
    """While active, numba compiling a kernel (not loading it from its cache) prints one note.

    Only when ``enabled`` (the CLI: when stderr is a terminal, so that logs and captured
    output stay as they were). numba is imported at a kernel's first call
    (:mod:`rotascope.kernels._jit`), so when it is not imported yet the listener is installed
    then, and a command that runs no kernel never imports numba for the note.
    """
    if not enabled:
        yield
        return
    with ExitStack() as listening:

        def listen(numba: Any) -> None:
            from numba.core import event

            class CompileNote(event.Listener):
                """One stderr line at the first compilation in this run."""

                def __init__(self) -> None:
                    self.shown = False

                def on_start(self, ev: Any) -> None:
                    if not self.shown:
                        self.shown = True
                        sys.stderr.write(NOTE + "\n")
                        sys.stderr.flush()

                def on_end(self, ev: Any) -> None:
                    pass

            listening.enter_context(event.install_listener("numba:compile", CompileNote()))

        if "numba" in sys.modules:
            listen(sys.modules["numba"])
            yield
        else:  # imported here: the kernels package imports numpy, which --help must not
            from rotascope.kernels._jit import on_numba_load

            with on_numba_load(listen):
                yield


class LazyGroup(TyperGroup):
    """The root group: commands listed from :data:`COMMANDS`, imported when invoked."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, spec in COMMANDS.items():
            if name not in self.commands:
                self.commands[name] = typer.core.TyperCommand(name=name, help=spec.help)
        show_flags_as_flags(self)
        self._loaded: set[str] = set()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS and cmd_name not in self._loaded:
            self.commands[cmd_name] = load_command(cmd_name)
            self._loaded.add(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # list the commands from the table: no command module is imported for the root help
        loaded = self._loaded
        self._loaded = set(COMMANDS)
        try:
            super().format_help(ctx, formatter)
        finally:
            self._loaded = loaded
