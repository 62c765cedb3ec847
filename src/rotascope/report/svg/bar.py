"""Horizontal bar charts: one bar per label, green for gains and red for losses."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from rotascope.formatting import format_pct
from rotascope.formatting import is_missing as _is_missing
from rotascope.report.svg.primitives import (
    Scale,
    empty_chart,
    esc,
    fmt_coord,
    open_svg,
    text_width,
)
from rotascope.report.svg.style import INK, MUTED, NEGATIVE, POSITIVE

__all__ = ["bar_chart"]

_f, _e = fmt_coord, esc


def _bar(
    i: int, label: str, v: float, text: str, sx: Scale, left: float, bar_height: int
) -> list[str]:
    """Label, bar (with tooltip) and value text of the ``i``-th bar."""
    zero = sx(0.0)
    y = 40 + i * bar_height
    mid = y + bar_height / 2
    out = [
        f'<text x="{_f(left - 8)}" y="{_f(mid + 4)}" text-anchor="end" font-size="12" '
        f'fill="{INK}">{_e(label)}</text>'
    ]
    if math.isfinite(v):
        x0, x1 = sorted((zero, sx(v)))
        fill = POSITIVE if v >= 0 else NEGATIVE
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y + 4)}" width="{_f(max(x1 - x0, 1.0))}" '
            f'height="{_f(bar_height - 8)}" fill="{fill}" fill-opacity="0.8">'
            f"<title>{_e(label)}: {_e(text)}</title></rect>"
        )
        tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
    else:
        tx, anchor = zero + 4, "start"
    out.append(
        f'<text x="{_f(tx)}" y="{_f(mid + 4)}" text-anchor="{anchor}" font-size="11" '
        f'fill="{MUTED}">{_e(text)}</text>'
    )
    return out


def bar_chart(
    values: pd.Series,
    *,
    chart_id: str,
    title: str,
    value_format: Callable[[float], str] | None = None,
    description: str = "",
    width: int = 480,
    bar_height: int = 24,
) -> str:
    """Horizontal bars, one per label, green for positive and red for negative values.

    Parameters
    ----------
    values : pandas.Series
        Values indexed by label, drawn top to bottom in the given order; NaN bars are left empty
        and labelled ``n/a``.
    chart_id : str
        The ``id`` of the ``<svg>`` element.
    title : str
        Chart title.
    value_format : callable, optional
        Formats the value printed at the end of each bar (default :func:`format_pct`).
    description : str
        Longer accessible description.
    width : int, default 480
        Width of the viewBox in px; the height follows from the number of bars.
    bar_height : int, default 24
        Vertical space per bar.

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    fmt = value_format or format_pct
    height = int(40 + bar_height * max(len(values), 1) + 12)
    if len(values) == 0:
        return empty_chart(chart_id, title, width, height, "bar-chart")
    labels = [str(i) for i in values.index]
    nums = [float(v) if not _is_missing(v) else math.nan for v in values.to_numpy()]
    texts = [fmt(v) for v in nums]
    finite = [v for v in nums if math.isfinite(v)]
    lo, hi = min([0.0, *finite]), max([0.0, *finite])
    if lo == hi:
        hi = lo + 1.0
    left = 20 + max(text_width(t, 12) for t in labels)
    value_w = 8 + max(text_width(t, 11) for t in texts)
    span = max(width - left - 10, 40.0)
    # room for the value text on the side the bar grows to
    neg_room = value_w if lo < 0 else 0.0
    pos_room = value_w if hi > 0 else 0.0
    sx = Scale(lo, hi, left + neg_room, left + span - pos_room)
    desc = description or "; ".join(f"{lab}: {t}" for lab, t in zip(labels, texts, strict=True))
    parts = open_svg(chart_id, width, height, title, desc, "bar-chart")
    parts.append(
        f'<text x="8" y="22" font-size="14" font-weight="600" fill="{INK}">{_e(title)}</text>'
    )
    for i, (label, v, text) in enumerate(zip(labels, nums, texts, strict=True)):
        parts += _bar(i, label, v, text, sx, left, bar_height)
    zero = sx(0.0)
    parts.append(
        f'<line x1="{_f(zero)}" y1="36" x2="{_f(zero)}" '
        f'y2="{_f(40 + bar_height * len(values))}" stroke="{MUTED}"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
