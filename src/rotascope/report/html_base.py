"""HTML building blocks shared by the report's section renderers.

Escaping, number cells with sort values, tables in scrolling wrappers, colour-coded cells and
inline SVG: the section modules of :mod:`rotascope.report.sections` build
every section from these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import escape

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_pct, is_missing

__all__ = [
    "HINT_DATES",
    "HINT_VALUES",
    "SAMPLE_TAG",
    "figure",
    "legend",
    "more_sentences",
    "note_paragraphs",
    "open_section",
    "pct_ticks",
    "sample_note",
    "sentence_list",
    "stats_list",
    "value_ticks",
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


SAMPLE_TAG = '<span class="sample-tag">sample data: made-up numbers</span>'


def open_section(sid: str, title: str, tag: str = "") -> list[str]:
    """The opening lines of a ``<section>`` with its heading (``tag``: HTML after the title)."""
    return [f'<section id="{sid}" aria-labelledby="{sid}-h">',
            f'<h2 id="{sid}-h">{esc(title)}{" " + tag if tag else ""}</h2>']


def note_paragraphs(notes: list[str]) -> list[str]:
    """One note paragraph per text."""
    return [f'<p class="note">{esc(n)}</p>' for n in notes]


def stats_list(pairs: list[tuple[str, str]]) -> str:
    """A row of (label, value) statistics."""
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in pairs)
    return f'<dl class="stats">{cells}</dl>'


def figure(svg: str, caption: str) -> str:
    """A chart in a figure; ``caption`` is HTML."""
    return (f'<figure><div class="chart-wrap">{inline_svg(svg)}</div>'
            f"<figcaption>{caption}</figcaption></figure>")


def pct_ticks() -> Callable[[float], str]:
    """Tick labels for fractions: as few decimals as the percent steps need."""
    def fmt(v: float) -> str:
        x = round(v * 100, 6)
        decimals = 0 if float(x).is_integer() else 1 if float(x * 10).is_integer() else 2
        return format_pct(v, signed=True, decimals=decimals)
    return fmt


def value_ticks(units: str) -> Callable[[float], str] | None:
    """Tick labels of valuations in percent (``"3%"``); None: plain numbers."""
    if units == "percent":
        return lambda v: f"{v:g}%"
    if units == "fraction":
        return lambda v: f"{round(v * 100, 6):g}%"
    return None


def sentence_list(items: list[str], css: str = "facts-list") -> str:
    """Sentences as a list (empty for none)."""
    if not items:
        return ""
    return f'<ul class="{css}">' + "".join(f"<li>{esc(s)}</li>" for s in items) + "</ul>"


def more_sentences(sentences: list[str], what: str) -> str:
    """Sentences folded under a summary (empty for none)."""
    if not sentences:
        return ""
    return (f"<details><summary>{esc(what)} ({len(sentences)})</summary>"
            f"{sentence_list(sentences)}</details>")


def legend(entries: list[tuple[str, str, bool]]) -> str:
    """An HTML legend: (label, colour, dashed) per line."""
    spans = "".join(
        f'<span class="key"><span class="line-swatch{" dashed" if dashed else ""}" '
        f'style="border-color:{esc(color)}"></span>{esc(label)}</span>'
        for label, color, dashed in entries
    )
    return f'<span class="legend-keys">{spans}</span>'


def sample_note(is_sample: bool, source: str, when: date | None) -> str:
    """The source line of a section, or the made-up-sample warning."""
    if not is_sample:
        return f'<p class="note source">Source: {esc(source)}.</p>'
    return (f'<p class="sample-note">Sample data: every number in this section is made up. They '
            f"come from the sample files shipped with rotascope in the published layouts, dated "
            f"{esc(format_date(when, style='long'))}, and say nothing about the market. Give "
            "your own files in the universe's [report] table.</p>")


#: Caption hints: "hover" with a mouse, "tap" on a touch screen (report.css swaps them).
HINT_DATES = ('<span class="hint-hover">Hover for dates and values.</span>'
              '<span class="hint-touch">Tap for dates and values.</span>')
HINT_VALUES = ('<span class="hint-hover">Hover for values.</span>'
               '<span class="hint-touch">Tap for values.</span>')
