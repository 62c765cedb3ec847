"""Terminal output shared by the commands: tables that fit the terminal, wrapped lines and fact
bullets, table cells.

A table never cuts what the user must type next or read exactly: the columns of names
(segments, tickers, series), dates and numbers (:class:`Col` kinds ``key``, ``date``,
``number``) get exactly the width of their longest cell and never wrap, never show "…". Text
columns wrap (at spaces, folding a word only when it is wider than the column). When the table
is still wider than the terminal, headers are shortened (``Col.short``), then the columns that
may go (``Col.drop``, highest first) are left out with a note saying which; when even the
columns that must stay do not fit, each row is printed as ``header: value`` lines instead.
Lines and bullets wrap at the terminal width at spaces, with a hanging indent for bullets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rotascope.formatting import format_number, format_pct
from rotascope.narrative.fact import Fact

__all__ = ["Col", "bullet", "fit_columns", "line", "num_cell", "pct_cell", "print_facts",
           "print_table"]

Kind = Literal["key", "date", "number", "text", "words"]
Justify = Literal["left", "right", "center"]

_FIXED = ("key", "date", "number")
_TEXT_MIN = 10  # narrowest a text column is made (it wraps; a longer word folds)
_BOX = 3  # a column's two padding characters and its border, with a box and padding (0, 1)


@dataclass(frozen=True)
class Col:
    """A table column.

    ``kind``: ``key`` (names the user types: segments, tickers, series), ``date``, ``number``
    (never wrapped or cut), ``words`` (wraps at spaces only: lists of names, "94.2% of 1,769")
    or ``text`` (wraps, may fold a long word). ``short``: a shorter header used when the table
    does not fit. ``drop``: 0 when the column must stay, else the order in which columns are
    left out when the table does not fit (highest first).
    """

    header: str
    kind: Kind = "text"
    justify: Justify = "left"
    short: str | None = None
    drop: int = 0


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def _need(col: Col, cells: Sequence[str]) -> int:
    """The width a column needs: its longest cell (fixed kinds) or word (words), at least its
    longest header word."""
    header = _longest_word(col.header)
    if col.kind in _FIXED:
        return max(header, max((cell_len(c) for c in cells), default=0), 1)
    if col.kind == "words":
        return max(header, max((_longest_word(c) for c in cells), default=0), 1)
    longest = max((cell_len(c) for c in cells), default=0)
    return max(1, min(max(header, longest), _TEXT_MIN))


def fit_columns(columns: Sequence[Col], rows: Sequence[Sequence[str]],
                width: int) -> tuple[list[int], list[Col]] | None:
    """Which columns (by index, with the headers to use) fit in ``width``; ``None`` when even
    the columns that must stay do not.

    >>> cols = [Col("date", "date"), Col("value", "number", drop=1), Col("note", drop=2)]
    >>> rows = [["2024-07-17", "+1.2%", "a long note"]]
    >>> fit_columns(cols, rows, 80)[0], fit_columns(cols, rows, 24)[0], fit_columns(cols, rows, 12)
    ([0, 1, 2], [0, 1], None)
    """
    def total(keep: list[int], cols: Sequence[Col]) -> int:
        return sum(_need(cols[i], [r[i] for r in rows]) + _BOX for i in keep) + 1

    keep = list(range(len(columns)))
    if total(keep, columns) <= width:
        return keep, list(columns)
    shortened = [replace(c, header=c.short) if c.short else c for c in columns]
    for i in sorted((i for i, c in enumerate(columns) if c.drop),
                    key=lambda i: (-columns[i].drop, -i)):
        if total(keep, shortened) <= width:
            break
        keep.remove(i)
    return (keep, shortened) if total(keep, shortened) <= width else None


def _widths(columns: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths summing to at most ``width`` (less the borders): each column its need,
    then the room left given out one character at a time to the narrowest column still
    narrower than its natural width (its longest cell or whole header)."""
    need = [_need(c, [r[i] for r in rows]) for i, c in enumerate(columns)]
    natural = [max(cell_len(c.header), max((cell_len(r[i]) for r in rows), default=0), 1)
               for i, c in enumerate(columns)]
    widths = list(need)
    room = width - (sum(widths) + _BOX * len(columns) + 1)
    while room > 0:
        short = [(widths[i], i) for i in range(len(columns)) if widths[i] < natural[i]]
        if not short:
            break
        widths[min(short)[1]] += 1
        room -= 1
    return widths


def print_table(console: Console, title: str | None, columns: Sequence[Col],
                rows: Iterable[Sequence[str]], *, what: str = "") -> None:
    """Print a table that fits ``console.width`` (see the module docstring).

    ``what`` names a row ("episode") in the note of a table printed as one item per row.
    """
    cells = [[str(c) for c in row] for row in rows]
    fitted = fit_columns(columns, cells, console.width)
    if fitted is None:
        _print_records(console, title, columns, cells, what)
        return
    keep, cols = fitted
    shown = [cols[i] for i in keep]
    shown_rows = [[row[i] for i in keep] for row in cells]
    table = Table(title=title)
    for col, w in zip(shown, _widths(shown, shown_rows, console.width), strict=True):
        # a key, date or number column is as wide as its longest cell and its header's
        # longest word: its cells never wrap, its header wraps at spaces
        table.add_column(col.header, justify=col.justify, overflow="fold", width=w)
    for row in shown_rows:
        table.add_row(*row)
    console.print(table)
    shortened = list(dict.fromkeys(f"{cols[i].header} = {columns[i].header}" for i in keep
                                   if cols[i].header != columns[i].header))
    if shortened:
        line(console, f"({'; '.join(shortened)})", style="dim")
    left_out = list(dict.fromkeys(columns[i].header for i in range(len(columns)) if i not in keep))
    if left_out:
        line(console, f"({', '.join(left_out)}: left out to fit {console.width} columns; a "
                      "wider terminal or --json shows them)", style="dim")


def _print_records(console: Console, title: str | None, columns: Sequence[Col],
                   rows: Sequence[Sequence[str]], what: str) -> None:
    """Each row as ``header: value`` pairs, wrapped: for a terminal too narrow for the table."""
    if title:
        line(console, title, style="italic")
    for row in rows:
        pairs = [f"{c.header}: {v}" for c, v in zip(columns, row, strict=True) if v != ""]
        bullet(console, "; ".join(pairs), marker="-")
    line(console, f"(the table does not fit {console.width} columns: one {what or 'row'} per "
                  "item; a wider terminal shows the table)", style="dim")


def line(console: Console, text: str, *, markup: bool = False, style: str | None = None) -> None:
    """Print ``text`` wrapped at spaces to the console width (a word wider than the terminal
    folds)."""
    console.print(text, markup=markup, style=style, soft_wrap=False, overflow="fold")


def bullet(console: Console, text: str, *, markup: bool = False, marker: str = "•") -> None:
    """Print ``marker text`` wrapped to the console width with a hanging indent."""
    body = console.render_str(text, markup=markup)
    indent = cell_len(marker) + 1
    lines = body.wrap(console, max(console.width - indent, 1), overflow="fold")
    for n, part in enumerate(lines):
        part.rstrip()
        console.print(Text.assemble(f"{marker} " if n == 0 else " " * indent, part),
                      soft_wrap=True)


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


def print_facts(console: Console, facts: Iterable[Fact], show_all: bool) -> None:
    """One bullet per fact (the notable ones unless ``show_all``)."""
    for f in facts:
        if show_all or f.notable:
            bullet(console, f.sentence)
