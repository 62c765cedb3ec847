"""A dated line with shaded bands (relative strength lines and their rotation episodes).

A plain deterministic SVG string with escaped text, an accessible ``<title>``/``<desc>``, native
``<title>`` tooltips on invisible hover strips, and (unless ``explorable=False``) the embedded
data of :mod:`rotascope.report.svg.explore` that the report's script uses for zoom, range
buttons, a cursor and a data table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number
from rotascope.report.svg.axes import (
    Plot,
    base_line,
    date_axis,
    grid_lines,
    hover_strip,
    last_value,
    left_margin,
    padded_domain,
    reference_line,
    title_text,
    x_tick_marks,
    y_tick_labels,
)
from rotascope.report.svg.band import Band, band_at, band_legend, band_rects, bands_in_range
from rotascope.report.svg.explore import EXPLORE_POINTS, ExploreData, Series, encode
from rotascope.report.svg.primitives import (
    Scale,
    downsample_minmax,
    empty_chart,
    esc,
    fmt_coord,
    open_svg,
    text_width,
    x_values,
)
from rotascope.report.svg.style import PALETTE
from rotascope.report.svg.ticks import nice_ticks, tick_decimals

__all__ = ["line_chart"]

_f, _e = fmt_coord, esc


def _layout(
    line: pd.Series,
    *,
    reference: float | None,
    tick_format: Callable[[float], str] | None,
    last_label: str,
    top: float,
    width: int,
    height: int,
) -> tuple[Plot, list[float], Callable[[float], str]]:
    """Scales, margins and y ticks of a line chart of ``line`` (sorted, no NaN)."""
    values = line.to_numpy(dtype="float64")
    lo, hi = padded_domain(float(np.min(values)), float(np.max(values)), reference)
    y_ticks = nice_ticks(lo, hi, 5)
    decimals = tick_decimals(y_ticks)
    tfmt = tick_format or (lambda v: format_number(v, decimals=decimals))
    # margins leave room for text up to 21 px (phone styles enlarge ticks)
    left = left_margin(y_ticks, tfmt)
    right = 14.0 + text_width(last_label, 21)
    first, last = pd.Timestamp(line.index[0]), pd.Timestamp(line.index[-1])
    t0, t1 = first.value, max(last.value, first.value + 1)
    sx = Scale(float(t0), float(t1), left, width - right)
    sy = Scale(lo, hi, height - 34.0, top)
    return Plot(width, height, left, right, top, 34.0, sx, sy), y_ticks, tfmt


def _polyline(plot: Plot, line: pd.Series, color: str) -> str:
    xs = [plot.sx(float(t.value)) for t in pd.DatetimeIndex(line.index)]
    ys = [plot.sy(v) for v in line.to_numpy(dtype="float64")]
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in zip(xs, ys, strict=True))
    return (
        f'<polyline class="series" points="{pts}" fill="none" stroke="{_e(color)}" '
        f'stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _hover_strips(
    plot: Plot,
    clean: pd.Series,
    bands: Sequence[Band],
    fmt: Callable[[float], str],
    columns: int,
) -> list[str]:
    """One tooltip per column of rows: the column's last date, value and band."""
    n_cols = max(1, min(columns, len(clean)))
    idx = pd.DatetimeIndex(clean.index)
    ns = [int(t.value) for t in idx]  # exact midpoints, as integers
    vals = clean.to_numpy(dtype="float64")
    strips = ['<g class="hover" fill="transparent">']
    for chunk in np.array_split(np.arange(len(clean)), n_cols):
        if len(chunk) == 0:
            continue
        i0, i1 = int(chunk[0]), int(chunk[-1])
        x0 = plot.sx(float(ns[i0])) if i0 == 0 else plot.sx(float((ns[i0 - 1] + ns[i0]) / 2))
        x1 = (
            plot.sx(float(ns[i1]))
            if i1 == len(idx) - 1
            else plot.sx(float((ns[i1] + ns[i1 + 1]) / 2))
        )
        when = idx[i1]
        tip = f"{format_date(when)}: {fmt(float(vals[i1]))}"
        band = band_at(when, bands)
        if band is not None:
            tip += f" ({band.label})"
        strips.append(hover_strip(plot, x0, x1, tip))
    strips.append("</g>")
    return strips


def _explore(
    line: pd.Series,
    plot: Plot,
    bands: Sequence[Band],
    *,
    label: str,
    color: str,
    reference: float | None,
    fmt: Callable[[float], str],
    tick_format: Callable[[float], str] | None,
    y_ticks: Sequence[float],
) -> str:
    data = ExploreData(
        x=x_values(line.index),
        dated=True,
        series=[Series(label, color, line.to_numpy(dtype="float64"))],
        margins=(plot.left, plot.right, plot.top, plot.bottom),
        x_domain=(plot.sx.d0, plot.sx.d1),
        y_domain=(plot.sy.d0, plot.sy.d1),
        width=plot.width,
        height=plot.height,
        value_format=fmt,
        tick_format=tick_format,
        tick_decimals=tick_decimals(y_ticks),
        reference=reference,
        episodes=[(pd.Timestamp(b.start), pd.Timestamp(b.end), b.tone, b.label) for b in bands],
        last=0,
    )
    return encode(data)


def line_chart(
    series: pd.Series,
    *,
    chart_id: str,
    title: str,
    bands: Sequence[Band] = (),
    legend: Mapping[str, str] | None = None,
    reference: float | None = None,
    value_format: Callable[[float], str] | None = None,
    tick_format: Callable[[float], str] | None = None,
    description: str = "",
    width: int = 720,
    height: int = 300,
    max_points: int = 1500,
    hover_columns: int = 160,
    color: str = PALETTE[0],
    explorable: bool = True,
    explore_points: int = EXPLORE_POINTS,
) -> str:
    """A dated line (e.g. a relative strength line) with shaded bands, as an SVG string.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by date; NaN are skipped.
    chart_id : str
        The ``id`` of the ``<svg>`` element (evidence anchor).
    title : str
        Chart title, drawn at the top and used as the accessible name.
    bands : sequence of Band
        Date ranges to shade (rotation episodes).
    legend : mapping of tone to label, optional
        Legend entries for the band tones, e.g. ``{"positive": "A outperformed"}``.
    reference : float, optional
        Value of a dashed reference line (e.g. 100 for a rebased line).
    value_format : callable, optional
        Formats values for tooltips and the last-value label (default one decimal).
    tick_format : callable, optional
        Formats y tick labels (default: as many decimals as the tick step needs).
    description : str
        Longer accessible description; a summary of range and last value is appended.
    width, height : int
        Size of the viewBox in px.
    max_points : int, default 1500
        Longer lines are shortened with :func:`downsample_minmax`.
    hover_columns : int, default 160
        Number of invisible vertical strips carrying a ``<title>`` tooltip (date, value, band).
    color : str
        Line colour.
    explorable : bool, default True
        Embed the points (``data-chart``) for the report's zoom, range buttons, cursor and data
        table.
    explore_points : int, default 4000
        Longer lines are embedded shortened with :func:`downsample_minmax` (more points than the
        static line, so that a zoomed year still shows its wiggles).

    Returns
    -------
    str
        The ``<svg>`` element. Text elements carry the classes ``title``, ``legend``, ``tick`` and
        ``last`` so a page can restyle them (the report enlarges ticks on phones); the margins
        leave room for tick and last-value labels up to 21 px.
    """
    fmt = value_format or (lambda v: format_number(v, decimals=1))
    clean = series.dropna()
    clean = clean[~clean.index.duplicated(keep="last")].sort_index()
    if clean.empty:
        return empty_chart(chart_id, title, width, height, "line-chart")
    line = downsample_minmax(clean, max_points)
    first, last = pd.Timestamp(clean.index[0]), pd.Timestamp(clean.index[-1])
    last_text = fmt(float(clean.iloc[-1]))
    top = 52.0 if (legend and bands) else 36.0
    plot, y_ticks, tfmt = _layout(line, reference=reference, tick_format=tick_format,
                                  last_label=last_text, top=top, width=width, height=height)
    summary = (
        f"{len(clean)} observations from {format_date(first, style='long')} to "
        f"{format_date(last, style='long')}; last value {last_text}, "
        f"low {fmt(float(clean.min()))}, high {fmt(float(clean.max()))}."
    )
    in_range = bands_in_range(bands, first, last)
    attrs: dict[str, str] = {}
    if explorable:
        attrs["data-chart"] = _explore(downsample_minmax(clean, explore_points), plot, in_range,
                                       label="",
                                       color=color, reference=reference, fmt=fmt,
                                       tick_format=tick_format, y_ticks=y_ticks)
    parts = open_svg(chart_id, width, height, title, f"{description} {summary}".strip(),
                     "line-chart", attrs)
    parts.append(title_text(plot.left, title))
    if legend and bands:
        parts += band_legend(legend, bands, plot.left)
    parts += band_rects(plot, in_range, first, last)
    parts += grid_lines(plot, y_ticks) + reference_line(plot, reference)
    parts.append(base_line(plot))
    parts += x_tick_marks(plot, date_axis(plot, first, last))
    parts.append(_polyline(plot, line, color))
    parts += y_tick_labels(plot, y_ticks, tfmt)
    parts += last_value(plot, float(last.value), float(clean.iloc[-1]), color, last_text,
                        tip=f"{format_date(last)}: {last_text}")
    parts += _hover_strips(plot, clean, in_range, fmt, hover_columns)
    parts.append("</svg>")
    return "\n".join(parts)

