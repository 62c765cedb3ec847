"""A one-line status on stderr while a long command works through its sections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

__all__ = ["section_status"]


@contextmanager
def section_status(quiet: bool = False, what: str = "building the report") -> Iterator[
        Callable[[str], None]]:
    """Yield ``step(name)``, which shows ``<what>: <name>`` as a Rich status line on stderr.

    Silent (``step`` does nothing) with ``quiet`` or when stderr is not a terminal: logs and
    pipes get no spinner frames. The line disappears when the block ends.
    """
    console = Console(stderr=True, highlight=False)
    if quiet or not console.is_terminal:
        yield lambda name: None
        return
    with console.status(f"{what} ...") as status:
        yield lambda name: status.update(f"{what}: {name}")
