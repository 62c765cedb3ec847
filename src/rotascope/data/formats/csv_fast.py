"""The C tokenizer for plain CSV data rows: pandas' ``read_csv`` (engine ``c``) on the text below
the header, for the columns rotascope reads.

It only answers for text it can map exactly to the line-by-line reader of
:func:`rotascope.data.formats.csv_layouts.parse_csv_text` (Python's ``csv`` module over
``str.splitlines()``), so that every row keeps its line number and every field its text:

* no quote character, NUL, byte-order mark, and no line break other than ``\\n`` and ``\\r\\n``
  (``str.splitlines()`` also breaks at ``\\r``, ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, ``\\x85``,
  U+2028 and U+2029, the C tokenizer does not);
* every line below the header holds exactly as many separators as the header (no short row, no
  blank line in between; blank lines at the end are dropped, as the line reader skips them).

Anything else returns None and the caller runs the line reader, which names the line and the
problem exactly as before. No numbers or dates are parsed here: fields come back as text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["FastColumns", "MIN_LINES", "read_columns"]

#: Below this many data lines the line reader is as fast as starting the C tokenizer.
MIN_LINES = 200

_UNSAFE = ("\"", "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
           "\ufeff")


def _plain(text: str) -> bool:
    """No character that the two readers treat differently (substring scans: fast)."""
    if any(c in text for c in _UNSAFE):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


@dataclass(frozen=True)
class FastColumns:
    """Text of some columns of every data row, and the row's line number (1-based)."""

    columns: dict[int, np.ndarray]
    linenos: np.ndarray


def _data_offset(text: str, data_start: int) -> int:
    """Character offset of line ``data_start`` (0-based) in ``text`` (only ``\\n`` breaks)."""
    pos = 0
    for _ in range(data_start):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos


def read_columns(
    text: str, *, sep: str, data_start: int, ncols: int, usecols: tuple[int, ...]
) -> FastColumns | None:
    """The fields of columns ``usecols`` of every data line, as text, or None (see the module).

    Parameters
    ----------
    text : str
        The whole file, byte-order mark removed.
    sep : str
        Field separator (one character).
    data_start : int
        Index in ``text.splitlines()`` of the first data line.
    ncols : int
        Number of columns of the header: every data line must hold ``ncols - 1`` separators.
    usecols : tuple of int
        Column positions to return.

    Returns
    -------
    FastColumns or None
        ``columns[i]``: object array of the raw field text (unstripped) of column i, one per
        data line; ``linenos``: the 1-based line number of each.
    """
    if len(sep) != 1 or ncols < 2 or not _plain(text):
        return None
    start = _data_offset(text, data_start)
    end = len(text.rstrip())
    cut = text.find("\n", end)  # keep the last non-blank line whole, drop blank lines after it
    data = text[start : cut if cut >= 0 else len(text)]
    if not data.strip():
        return None
    nlines = data.count("\n") + 1
    if nlines < MIN_LINES or data.count(sep) != nlines * (ncols - 1):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(data), sep=sep, header=None, names=list(range(ncols)),
            usecols=list(usecols), dtype=object, na_filter=False, skip_blank_lines=False,
            index_col=False, engine="c", quoting=3,  # csv.QUOTE_NONE: no quote is present
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame) != nlines:
        return None
    columns = {i: frame[i].to_numpy(dtype=object) for i in usecols}
    return FastColumns(columns, np.arange(data_start + 1, data_start + 1 + nlines))
