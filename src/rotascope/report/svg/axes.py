"""The plot area of a line chart and its furniture: margins and scales, the padded value domain,
title, grid, reference and base lines, x and y tick labels, the last-value label and the
invisible hover strips carrying native tooltips."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from rotascope.report.svg.primitives import Scale, esc, fmt_coord, text_width
from rotascope.report.svg.style import GRID, INK, MUTED
from rotascope.report.svg.ticks import date_ticks

__all__ = [
    "Plot",
    "base_line",
    "date_axis",
    "grid_lines",
    "hover_strip",
    "last_value",
    "left_margin",
    "padded_domain",
    "reference_line",
    "title_text",
    "x_tick_marks",
    "y_tick_labels",
]

_f, _e = fmt_coord, esc

#: Font size the margins leave room for: the report's phone styles enlarge ticks to 21 px.
LABEL_ROOM = 21


@dataclass(frozen=True)
class Plot:
    """Geometry of a chart: viewBox size, margins and the two scales.

    Attributes
    ----------
    width, height : int
        Size of the viewBox.
    left, right, top, bottom : float
        Margins around the plot area.
    sx, sy : Scale
        Data to pixel maps (``sy`` is inverted: larger values are higher up).
    """

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    sx: Scale
    sy: Scale

    @property
    def base(self) -> float:
        """Pixel row of the x axis."""
        return self.height - self.bottom

    @property
    def x_end(self) -> float:
        """Pixel column of the plot area's right edge."""
        return self.width - self.right


def padded_domain(lo: float, hi: float, reference: float | None) -> tuple[float, float]:
    """The value range to show: data (and reference line) plus 5% below and 6% above.

    Examples
    --------
    >>> padded_domain(0.0, 10.0, None)
    (-0.5, 10.6)
    """
    if reference is not None and math.isfinite(reference):
        lo, hi = min(lo, reference), max(hi, reference)
    span = hi - lo
    pad_lo = span * 0.05 or abs(hi) * 0.01 or 1.0
    pad_hi = span * 0.06 or abs(hi) * 0.01 or 1.0
    return lo - pad_lo, hi + pad_hi


def left_margin(y_ticks: Sequence[float], tfmt: Callable[[float], str]) -> float:
    """Room for the widest y tick label at :data:`LABEL_ROOM` px."""
    return 12.0 + max((text_width(tfmt(t), LABEL_ROOM) for t in y_ticks), default=0.0)


def title_text(x: float, title: str) -> str:
    """The chart's visible title (class ``title``, hidden on phones)."""
    return (
        f'<text class="title" x="{_f(x)}" y="20" font-size="14" font-weight="600" '
        f'fill="{INK}">{_e(title)}</text>'
    )


def grid_lines(plot: Plot, y_ticks: Sequence[float]) -> list[str]:
    """One horizontal grid line per y tick."""
    out = []
    for tick in y_ticks:
        y = plot.sy(tick)
        out.append(
            f'<line x1="{_f(plot.left)}" y1="{_f(y)}" x2="{_f(plot.x_end)}" y2="{_f(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    return out


def reference_line(plot: Plot, reference: float | None) -> list[str]:
    """A dashed horizontal line at ``reference`` (none when missing or not finite)."""
    if reference is None or not math.isfinite(reference):
        return []
    y = plot.sy(reference)
    return [
        f'<line x1="{_f(plot.left)}" y1="{_f(y)}" x2="{_f(plot.x_end)}" y2="{_f(y)}" '
        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
    ]


def base_line(plot: Plot) -> str:
    """The x axis line."""
    return (
        f'<line x1="{_f(plot.left)}" y1="{_f(plot.base)}" x2="{_f(plot.x_end)}" '
        f'y2="{_f(plot.base)}" stroke="{MUTED}" stroke-width="1"/>'
    )


def date_axis(plot: Plot, first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[float, str]]:
    """Date ticks (x in nanoseconds) for ``[first, last]``, about one per 110 px."""
    max_date_ticks = max(2, int((plot.width - plot.left - plot.right) // 110))
    return [(float(t.value), label) for t, label in date_ticks(first, last, max_date_ticks)]


def x_tick_marks(plot: Plot, ticks: Sequence[tuple[float, str]]) -> list[str]:
    """A short mark below the axis and a label (class ``tick``) per x tick."""
    out = []
    base = plot.base
    for tx, label in ticks:
        x = plot.sx(tx)
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(base)}" x2="{_f(x)}" y2="{_f(base + 4)}" '
            f'stroke="{MUTED}"/>'
        )
        out.append(
            f'<text class="tick" x="{_f(x)}" y="{_f(base + 6)}" dominant-baseline="hanging" '
            f'text-anchor="middle" font-size="11" fill="{MUTED}">{_e(label)}</text>'
        )
    return out


def y_tick_labels(
    plot: Plot, y_ticks: Sequence[float], tfmt: Callable[[float], str]
) -> list[str]:
    """The y tick labels (class ``tick``), right-aligned left of the plot area."""
    return [
        f'<text class="tick" x="{_f(plot.left - 6)}" y="{_f(plot.sy(tick))}" '
        'dominant-baseline="central" text-anchor="end" font-size="11" '
        f'fill="{MUTED}">{_e(tfmt(tick))}</text>'
        for tick in y_ticks
    ]


def last_value(
    plot: Plot, x: float, value: float, color: str, text: str, tip: str | None = None
) -> list[str]:
    """A dot on the last point and its value printed to its right (class ``last``)."""
    lx, ly = plot.sx(x), plot.sy(value)
    title = f"<title>{_e(tip)}</title></circle>" if tip is not None else "/>"
    close = ">" if tip is not None else ""
    return [
        f'<circle cx="{_f(lx)}" cy="{_f(ly)}" r="3.5" fill="{_e(color)}"{close}{title}',
        f'<text class="last" x="{_f(lx + 6)}" y="{_f(ly)}" dominant-baseline="central" '
        f'font-size="12" font-weight="600" fill="{INK}">{_e(text)}</text>',
    ]


def hover_strip(plot: Plot, x0: float, x1: float, tip: str) -> str:
    """An invisible strip from pixel ``x0`` to ``x1`` with a native tooltip."""
    return (
        f'<rect x="{_f(x0)}" y="{_f(plot.top)}" width="{_f(max(x1 - x0, 0.5))}" '
        f'height="{_f(plot.base - plot.top)}"><title>{_e(tip)}</title></rect>'
    )
