"""Consoles for the ``rotascope`` command: results on stdout, errors and progress on stderr.

Everything that comes from a user or a file is shown with its control characters escaped
(:func:`printable`) and, where Rich markup is on, with its markup escaped (:func:`safe`).
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from rotascope.jsonutil import dumps

__all__ = ["SafeConsole", "err_console", "out_console", "print_json", "printable", "safe"]

_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), *range(127, 160)) if c not in (9,)}
_CONTROL[9] = "\\t"


def printable(text: object) -> str:
    """``text`` with control characters and terminal escapes shown escaped (``\\x1b``).

    Newlines are escaped too: a message from a file stays on one line.

    >>> printable("a\\x1b[31mb\\nc")
    'a\\\\x1b[31mb\\\\x0ac'
    """
    return str(text).translate(_CONTROL)


def safe(text: object) -> str:
    """``text`` ready for Rich markup: control characters escaped, then markup escaped.

    Everything that comes from a user or a file (names, headers, symbols, messages) goes
    through this before it reaches a Rich ``print``, ``Table`` or progress description, so
    ``[/x]`` cannot crash Rich and ``[link=...]`` cannot dress up a name.
    """
    from rich.markup import escape

    return escape(printable(text))


class SafeConsole(Console):
    """A Rich console for text from users and files.

    Markup and emoji codes are off by default (a ``[/x]`` in a CSV header prints as is, never
    crashes Rich; ``[link=...]`` cannot dress up a name): a call that styles text passes
    ``markup=True`` and escapes what it interpolates with :func:`safe`. Every string rendered,
    table cells and titles included, has its control characters shown escaped.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Render ``text`` with control characters escaped (see :func:`printable`)."""
        return super().render_str(printable(text), **kwargs)


def out_console() -> Console:
    """Console for results (stdout)."""
    return SafeConsole(highlight=False, soft_wrap=False, markup=False, emoji=False)


def err_console() -> Console:
    """Console for errors, warnings and progress (stderr)."""
    return SafeConsole(stderr=True, highlight=False, markup=False, emoji=False)


def print_json(data: Any) -> None:
    """Print ``data`` as indented strict JSON on stdout (:func:`rotascope.jsonutil.dumps`)."""
    sys.stdout.write(dumps(data))
