"""HTML building blocks shared by the report's section renderers.

Escaping, number cells with sort values, tables in scrolling wrappers, colour-coded cells and
inline SVG: :mod:`rotascope.report.html` and :mod:`rotascope.report.html_fundamentals` build
every section from these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from html import escape

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, is_missing

__all__ = [
    "anchor_slug",
    "data_value",
    "esc",
    "heat",
    "inline_svg",
    "latest_rows",
    "more_note",
    "table",
    "td",
    "tone_class",
]


def anchor_slug(text: object) -> str:
    """Fragment-safe id part: runs of characters other than ASCII letters, digits, ``_`` and ``-``
    become ``-``; case is kept, so names such as ``small-caps`` or ``XLK`` stay as they are.

    Examples
    --------
    >>> anchor_slug("S&P 500"), anchor_slug("small-caps"), anchor_slug("XLK")
    ('S-P-500', 'small-caps', 'XLK')
    """
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", str(text)).strip("-")
    return slug or "x"


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return escape(str(text), quote=True)


def data_value(x: object) -> str:
    """Raw value for the sort script (``data-v``); empty for missing."""
    if is_missing(x):
        return ""
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (pd.Timestamp,)) or hasattr(x, "isoformat"):
        return format_date(x)  # type: ignore[arg-type]
    return str(x)


def tone_class(x: float) -> str:
    if is_missing(x) or round(float(x) * 1000.0) == 0:
        return "flat"
    return "up" if x > 0 else "down"


def heat(x: float | None, scale: float) -> str:
    """Inline background for a colour-coded cell (green gains, red losses, alpha by size)."""
    if x is None or is_missing(x) or scale <= 0 or not math.isfinite(scale):
        return ""
    strength = min(abs(float(x)) / scale, 1.0)
    alpha = round(0.06 + 0.40 * strength, 2)
    rgb = "26,127,55" if x > 0 else "198,40,40" if x < 0 else "128,128,128"
    return f' style="background:rgba({rgb},{alpha})"'


def table(
    headers: Sequence[tuple[str, str, str]],
    rows: Iterable[tuple[str, Sequence[str]]],
    *,
    caption: str = "",
    sortable: bool = False,
    css_class: str = "",
    tall: bool = False,
) -> str:
    """A table inside a horizontally scrolling wrapper.

    ``headers`` are (label, type, css class) with type ``"num"`` or ``"text"``; ``rows`` are
    (row attributes, pre-rendered cells) pairs.
    """
    classes = " ".join(c for c in ("sortable" if sortable else "", css_class) if c)
    out = [f'<div class="table-wrap{" tall" if tall else ""}">', f'<table class="{classes}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>")
    for label, kind, cls in headers:
        cls_attr = f' class="{cls}"' if cls else ""
        if sortable:
            out.append(
                f'<th scope="col"{cls_attr} data-type="{kind}" aria-sort="none">'
                f'<button type="button" class="sort">{esc(label)}</button></th>'
            )
        else:
            out.append(f'<th scope="col"{cls_attr}>{esc(label)}</th>')
    out.append("</tr></thead><tbody>")
    for attrs, cells in rows:
        out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def td(text: str, value: object = None, *, num: bool = False, extra: str = "") -> str:
    """A cell showing ``text`` with ``value`` as its sort value (``data-v``)."""
    cls = ' class="num"' if num else ""
    dv = f' data-v="{esc(data_value(value))}"' if value is not None else ""
    return f"<td{cls}{dv}{extra}>{esc(text)}</td>"


def latest_rows(
    frame: pd.DataFrame, column: str, limit: int, anchor: Callable[[object], str], keep: set[str]
) -> pd.DataFrame:
    """Rows latest first: the first ``limit`` plus any row whose anchor is in ``keep``."""
    if column in frame.columns:
        frame = frame.sort_values(column, ascending=False, kind="stable")
    if len(frame) <= limit:
        return frame
    mask = [i < limit or anchor(v) in keep for i, v in enumerate(frame[column])]
    return frame[mask]


def more_note(shown: int, total: int, what: str) -> str:
    """The "Showing N of M" note under a capped list (empty when nothing is hidden)."""
    if shown >= total:
        return ""
    return (
        f'<p class="note">Showing {shown} of {total} {what}, latest first; '
        "the JSON output lists them all.</p>"
    )


def inline_svg(svg: str) -> str:
    """A chart for inline use: HTML needs no SVG namespace declaration."""
    return svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
