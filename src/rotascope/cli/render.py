"""Terminal output shared by the commands: table cells and fact bullets."""

from __future__ import annotations

from collections.abc import Iterable

from rotascope.cli.console import out_console
from rotascope.formatting import format_number, format_pct
from rotascope.narrative.fact import Fact

__all__ = ["num_cell", "pct_cell", "print_facts"]


def pct_cell(x: object) -> str:
    """A fraction as an unsigned percent cell; anything but a float is ``n/a``.

    >>> pct_cell(0.625), pct_cell(None)
    ('62.5%', 'n/a')
    """
    return format_pct(x if isinstance(x, float) else None, signed=False)


def num_cell(x: object) -> str:
    """A signed number with two decimals; anything but a float is ``n/a``.

    >>> num_cell(0.5), num_cell("x")
    ('+0.50', 'n/a')
    """
    return format_number(x if isinstance(x, float) else None, decimals=2, signed=True)


def print_facts(facts: Iterable[Fact], show_all: bool) -> None:
    """One bullet per fact (the notable ones unless ``show_all``)."""
    console = out_console()
    for f in facts:
        if show_all or f.notable:
            console.print(f"• {f.sentence}", soft_wrap=True)
