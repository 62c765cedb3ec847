"""Line charts of several columns: dated (valuation bands, factor drawdowns, rolling betas) or on
a numeric axis (an event study's average path by day offset).

Same conventions as :mod:`rotascope.report.charts`: a plain deterministic SVG string, escaped
text, an accessible ``<title>``/``<desc>``, native ``<title>`` tooltips on invisible hover
strips, the classes ``title``, ``tick`` and ``last`` for the page's phone styles, and margins
that leave room for 21 px tick labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number
from rotascope.report.charts import (
    GRID,
    INK,
    MUTED,
    PALETTE,
    _e,
    _empty_chart,
    _f,
    _open_svg,
    _Scale,
    _text_width,
    _tick_decimals,
    date_ticks,
    downsample_minmax,
    nice_ticks,
)

__all__ = ["LineStyle", "frame_chart", "offset_ticks"]


@dataclass(frozen=True)
class LineStyle:
    """How one column is drawn.

    Attributes
    ----------
    label : str
        Name in tooltips and the description (default: the column name).
    color : str
    dashed : bool
    width : float
        Stroke width in px.
    opacity : float
        Stroke opacity (pale lines recede behind the ones that matter).
    """

    label: str = ""
    color: str = PALETTE[0]
    dashed: bool = False
    width: float = 1.6
    opacity: float = 1.0


def offset_ticks(lo: int, hi: int, max_ticks: int = 12) -> list[tuple[float, str]]:
    """Whole-number ticks for day offsets: ``-1``, ``0``, ``+1`` ... (every k-th when many)."""
    span = hi - lo
    step = max(1, math.ceil((span + 1) / max_ticks))
    return [(float(k), f"{k:+d}" if k else "0") for k in range(lo, hi + 1) if k % step == 0]


def _x_values(index: pd.Index) -> np.ndarray:
    if isinstance(index, pd.DatetimeIndex):
        return index.as_unit("ns").asi8.astype("float64")
    return np.asarray(index, dtype="float64")


def frame_chart(
    frame: pd.DataFrame,
    *,
    chart_id: str,
    title: str,
    columns: Sequence[str] | None = None,
    styles: Mapping[str, LineStyle] | None = None,
    band: tuple[str, str] | None = None,
    band_label: str = "",
    reference: float | None = None,
    value_format: Callable[[float], str] | None = None,
    tick_format: Callable[[float], str] | None = None,
    x_format: Callable[[object], str] | None = None,
    x_ticks: Sequence[tuple[float, str]] | None = None,
    last_label: str | None = None,
    markers: bool = False,
    vline: float | None = None,
    description: str = "",
    width: int = 720,
    height: int = 300,
    max_points: int = 1500,
    hover_columns: int = 160,
) -> str:
    """Lines of several columns of ``frame`` on a shared axis, with an optional shaded band.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by date (a DatetimeIndex: calendar ticks) or by numbers (e.g. day offsets);
        NaN values are skipped.
    chart_id, title : str
        The ``id`` of the ``<svg>`` element and the chart's title.
    columns : sequence of str, optional
        Columns drawn as lines, in drawing order (default: all but the band's).
    styles : mapping, optional
        Column -> :class:`LineStyle` (default: palette colours, solid).
    band : (str, str), optional
        Columns of the lower and upper edge of a shaded band (e.g. the 10th and 90th percentile).
    band_label : str
        Name of the band in tooltips.
    reference : float, optional
        A dashed horizontal reference line (0 for returns and betas).
    value_format, tick_format : callable, optional
        Format values in tooltips and labels, and y tick labels.
    x_format : callable, optional
        Formats an x value in tooltips (default: ISO date, or the number).
    x_ticks : sequence of (float, str), optional
        Ticks for a numeric axis (default :func:`offset_ticks` of the index range).
    last_label : str, optional
        Column whose last value is printed at the right end of its line.
    markers : bool
        Draw a dot at every point (short numeric series).
    vline : float, optional
        A vertical dashed line at this x (day 0 of an event study).
    description : str
        Longer accessible description; the range of the data is appended.
    width, height : int
        Size of the viewBox in px.
    max_points : int
        Longer lines are shortened with :func:`rotascope.report.charts.downsample_minmax`.
    hover_columns : int
        Number of invisible strips carrying a tooltip with every line's value.

    Returns
    -------
    str
        The ``<svg>`` element (class ``line-chart``).
    """
    vfmt = value_format or (lambda v: format_number(v, decimals=2))
    dated = isinstance(frame.index, pd.DatetimeIndex)
    xfmt = x_format or (format_date if dated else (lambda x: f"{x}"))
    data = frame[~frame.index.duplicated(keep="last")].sort_index()
    band_cols = list(band) if band else []
    cols = [c for c in (columns or [c for c in data.columns if c not in band_cols])
            if c in data.columns]
    styles = dict(styles or {})
    for i, c in enumerate(cols):
        styles.setdefault(c, LineStyle(label=str(c), color=PALETTE[i % len(PALETTE)]))
    used = data[cols + band_cols].dropna(how="all")
    if used.empty or not np.isfinite(used.to_numpy(dtype="float64")).any():
        return _empty_chart(chart_id, title, width, height, "line-chart")
    data = used
    x_all = _x_values(data.index)
    values = data.to_numpy(dtype="float64")
    finite = values[np.isfinite(values)]
    lo, hi = float(finite.min()), float(finite.max())
    if reference is not None and math.isfinite(reference):
        lo, hi = min(lo, reference), max(hi, reference)
    span = hi - lo
    lo -= span * 0.05 or abs(hi) * 0.01 or 1.0
    hi += span * 0.06 or abs(hi) * 0.01 or 1.0
    y_ticks = nice_ticks(lo, hi, 5)
    decimals = _tick_decimals(y_ticks)
    tfmt = tick_format or (lambda v: format_number(v, decimals=decimals))

    last_text = ""
    last_xy: tuple[float, float] | None = None
    if last_label and last_label in data.columns:
        s = data[last_label].dropna()
        if len(s):
            last_text = vfmt(float(s.iloc[-1]))
            last_xy = (float(_x_values(s.index)[-1]), float(s.iloc[-1]))
    left = 12.0 + max((_text_width(tfmt(t), 21) for t in y_ticks), default=0.0)
    right = 14.0 + (_text_width(last_text, 21) if last_text else 8.0)
    top, bottom = 36.0, 34.0
    x0, x1 = float(x_all[0]), float(max(x_all[-1], x_all[0] + 1))
    sx = _Scale(x0, x1, left, width - right)
    sy = _Scale(lo, hi, height - bottom, top)
    base = height - bottom

    first_x, last_x = data.index[0], data.index[-1]
    summary = f"From {xfmt(first_x)} to {xfmt(last_x)}."
    parts = _open_svg(chart_id, width, height, title, f"{description} {summary}".strip(),
                      "line-chart")
    parts.append(f'<text class="title" x="{_f(left)}" y="20" font-size="14" font-weight="600" '
                 f'fill="{INK}">{_e(title)}</text>')

    # band
    if band and all(c in data.columns for c in band):
        edges = data[list(band)].dropna()
        if len(edges) > max_points:
            edges = edges.iloc[np.linspace(0, len(edges) - 1, max_points).round().astype(int)]
        if len(edges):
            bx = _x_values(edges.index)
            upper = " ".join(f"{_f(sx(x))},{_f(sy(v))}"
                             for x, v in zip(bx, edges[band[1]], strict=True))
            lower = " ".join(f"{_f(sx(x))},{_f(sy(v))}"
                             for x, v in zip(bx[::-1], edges[band[0]].to_numpy()[::-1],
                                             strict=True))
            parts.append(f'<polygon class="band" points="{upper} {lower}" fill="{PALETTE[0]}" '
                         f'fill-opacity="0.14" stroke="none"><title>{_e(band_label)}</title>'
                         "</polygon>")

    # grid, reference, axes
    for tick in y_ticks:
        y = sy(tick)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" y2="{_f(y)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
    if reference is not None and math.isfinite(reference):
        y = sy(reference)
        parts.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" y2="{_f(y)}" '
                     f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>')
    if vline is not None and x0 <= vline <= x1:
        x = sx(vline)
        parts.append(f'<line x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(base)}" '
                     f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{_f(left)}" y1="{_f(base)}" x2="{_f(width - right)}" '
                 f'y2="{_f(base)}" stroke="{MUTED}" stroke-width="1"/>')
    if dated:
        max_date_ticks = max(2, int((width - left - right) // 110))
        ticks = [(float(t.value), label) for t, label in
                 date_ticks(pd.Timestamp(first_x), pd.Timestamp(last_x), max_date_ticks)]
    else:
        ticks = list(x_ticks) if x_ticks is not None else offset_ticks(int(x0), int(x1))
    for tx, label in ticks:
        x = sx(tx)
        parts.append(f'<line x1="{_f(x)}" y1="{_f(base)}" x2="{_f(x)}" y2="{_f(base + 4)}" '
                     f'stroke="{MUTED}"/>')
        parts.append(f'<text class="tick" x="{_f(x)}" y="{_f(base + 6)}" '
                     f'dominant-baseline="hanging" text-anchor="middle" font-size="11" '
                     f'fill="{MUTED}">{_e(label)}</text>')

    # lines
    for c in cols:
        st = styles[c]
        s = data[c].dropna()
        if s.empty:
            continue
        s = downsample_minmax(s, max_points)
        xs = _x_values(s.index)
        pts = " ".join(f"{_f(sx(x))},{_f(sy(v))}" for x, v in zip(xs, s.to_numpy(), strict=True))
        dash = ' stroke-dasharray="6 4"' if st.dashed else ""
        if st.opacity < 1.0:
            dash += f' stroke-opacity="{st.opacity:g}"'
        parts.append(f'<polyline class="series" points="{pts}" fill="none" '
                     f'stroke="{_e(st.color)}" stroke-width="{st.width:g}"{dash} '
                     'stroke-linejoin="round" stroke-linecap="round"/>')
        if markers:
            for x, v in zip(xs, s.to_numpy(), strict=True):
                parts.append(f'<circle cx="{_f(sx(x))}" cy="{_f(sy(v))}" r="3" '
                             f'fill="{_e(st.color)}"/>')
    for tick in y_ticks:
        parts.append(f'<text class="tick" x="{_f(left - 6)}" y="{_f(sy(tick))}" '
                     'dominant-baseline="central" text-anchor="end" font-size="11" '
                     f'fill="{MUTED}">{_e(tfmt(tick))}</text>')
    if last_xy is not None and last_label is not None:
        color = styles[last_label].color if last_label in styles else INK
        lx, ly = sx(last_xy[0]), sy(last_xy[1])
        parts.append(f'<circle cx="{_f(lx)}" cy="{_f(ly)}" r="3.5" fill="{_e(color)}"/>')
        parts.append(f'<text class="last" x="{_f(lx + 6)}" y="{_f(ly)}" '
                     'dominant-baseline="central" font-size="12" font-weight="600" '
                     f'fill="{INK}">{_e(last_text)}</text>')

    # hover strips: each carries every line's value at the strip's last row
    n = len(data)
    strips = ['<g class="hover" fill="transparent">']
    for chunk in np.array_split(np.arange(n), max(1, min(hover_columns, n))):
        if len(chunk) == 0:
            continue
        i0, i1 = int(chunk[0]), int(chunk[-1])
        a = sx(x_all[i0]) if i0 == 0 else sx((x_all[i0 - 1] + x_all[i0]) / 2)
        b = sx(x_all[i1]) if i1 == n - 1 else sx((x_all[i1] + x_all[i1 + 1]) / 2)
        if not dated and n > 1:  # whole-number axis: strips centred on each point
            step = (sx(x_all[-1]) - sx(x_all[0])) / (n - 1)
            a, b = sx(x_all[i0]) - step / 2, sx(x_all[i1]) + step / 2
        row = data.iloc[i1]
        bits = [f"{styles[c].label}: {vfmt(float(row[c]))}" for c in cols if pd.notna(row[c])]
        if band and pd.notna(row.get(band[0])) and pd.notna(row.get(band[1])):
            bits.append(f"{band_label or 'band'}: {vfmt(float(row[band[0]]))} to "
                        f"{vfmt(float(row[band[1]]))}")
        tip = f"{xfmt(data.index[i1])}: " + "; ".join(bits)
        strips.append(f'<rect x="{_f(a)}" y="{_f(top)}" width="{_f(max(b - a, 0.5))}" '
                      f'height="{_f(base - top)}"><title>{_e(tip)}</title></rect>')
    strips.append("</g>")
    parts.extend(strips)
    parts.append("</svg>")
    return "\n".join(parts)
