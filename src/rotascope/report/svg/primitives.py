"""SVG building blocks: linear scales, coordinates, escaping, text widths, the ``<svg>`` opening
and the empty chart, and min/max downsampling of long lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from rotascope.report.svg.style import FONT, MUTED

__all__ = [
    "Scale",
    "attr_single",
    "downsample_minmax",
    "empty_chart",
    "esc",
    "fmt_coord",
    "open_svg",
    "text_width",
    "x_values",
]


@dataclass(frozen=True)
class Scale:
    """A linear map from the data interval ``[d0, d1]`` to the pixel interval ``[r0, r1]``.

    A degenerate domain (``d0 == d1``) maps everything to the middle of the range.
    """

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, v: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2.0
        return self.r0 + (v - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


def fmt_coord(x: float) -> str:
    """A coordinate with one decimal, never ``-0.0``.

    Examples
    --------
    >>> fmt_coord(-0.04), fmt_coord(12.345)
    ('0.0', '12.3')
    """
    v = round(float(x), 1)
    return f"{0.0 if v == 0 else v:.1f}"


def esc(text: object) -> str:
    """``text`` escaped for SVG/HTML text and double- or single-quoted attributes."""
    return escape(str(text), quote=True)


def attr_single(text: str) -> str:
    """``text`` escaped for a single-quoted attribute (double quotes stay as they are).

    Examples
    --------
    >>> attr_single("a < b & it's")
    'a &lt; b &amp; it&#39;s'
    """
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    )


def text_width(text: str, size: float) -> float:
    """Rough (generous) rendered width of ``text`` in a sans-serif font of ``size`` px."""
    return 0.62 * size * len(text)


def open_svg(
    chart_id: str,
    width: int,
    height: int,
    title: str,
    desc: str,
    css_class: str,
    attrs: Mapping[str, str] | None = None,
) -> list[str]:
    """The opening ``<svg>`` tag, its accessible ``<title>``/``<desc>`` and a white background.

    Parameters
    ----------
    chart_id : str
        The element's ``id``; the title and description get ``{chart_id}-title``/``-desc``.
    width, height : int
        Size of the viewBox in px.
    title, desc : str
        Accessible name and description (escaped here).
    css_class : str
        Class next to ``chart`` (``line-chart``, ``bar-chart``, ``rrg-chart``).
    attrs : mapping, optional
        Extra attributes of the ``<svg>`` tag, e.g. the JSON a script reads to make the chart
        explorable. Values are written in single quotes (so that JSON's double quotes need no
        escaping) with ``&``, ``<``, ``>`` and ``'`` escaped.

    Returns
    -------
    list of str
        SVG fragments to be joined with newlines.
    """
    cid = esc(chart_id)
    extra = "".join(f" {name}='{attr_single(value)}'" for name, value in (attrs or {}).items())
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{cid}" class="chart {css_class}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{esc(FONT)}" font-size="12" '
        f'preserveAspectRatio="xMidYMid meet"{extra}>',
        f'<title id="{cid}-title">{esc(title)}</title>',
        f'<desc id="{cid}-desc">{esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def empty_chart(chart_id: str, title: str, width: int, height: int, css_class: str) -> str:
    """A chart of the given size that says "No data to plot"."""
    parts = open_svg(chart_id, width, height, title, "No data to plot.", css_class)
    parts.append(
        f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
        "No data to plot</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def x_values(index: pd.Index) -> np.ndarray:
    """Positions on the x axis: nanoseconds since the epoch for dates, else the numbers."""
    if isinstance(index, pd.DatetimeIndex):
        return np.asarray(index.as_unit("ns").asi8, dtype="float64")
    return np.asarray(index, dtype="float64")


def downsample_minmax(series: pd.Series, max_points: int = 1500) -> pd.Series:
    """Shorten a line for plotting while keeping its extremes.

    Parameters
    ----------
    series : pandas.Series
        Values in plotting order (NaN are dropped first).
    max_points : int, default 1500
        Upper bound on the number of points returned (at least 4).

    Returns
    -------
    pandas.Series
        The series itself when short enough; otherwise the first and last points plus, for each of
        ``(max_points - 2) // 2`` consecutive buckets of (almost) equal row count, the rows holding
        the bucket's minimum and maximum, in their original order. Every local extreme wider than
        a bucket, and the global minimum and maximum, survive.
    """
    clean = series.dropna()
    n = len(clean)
    if max_points < 4:
        raise ValueError(f"max_points must be at least 4, got {max_points}")
    if n <= max_points:
        return clean
    values = clean.to_numpy(dtype="float64")
    buckets = (max_points - 2) // 2
    keep = {0, n - 1}
    for chunk in np.array_split(np.arange(1, n - 1), buckets):
        if len(chunk) == 0:
            continue
        seg = values[chunk]
        keep.add(int(chunk[int(np.argmin(seg))]))
        keep.add(int(chunk[int(np.argmax(seg))]))
    return clean.iloc[sorted(keep)]
