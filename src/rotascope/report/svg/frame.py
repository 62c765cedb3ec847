"""Line charts of several columns: dated (valuation bands, factor drawdowns, rolling betas,
breadth) or on a numeric axis (an event study's average path by day offset).

Same conventions as :mod:`rotascope.report.svg.line`: a plain deterministic SVG string, escaped
text, an accessible ``<title>``/``<desc>``, native ``<title>`` tooltips on invisible hover
strips, the classes ``title``, ``tick`` and ``last`` for the page's phone styles, margins that
leave room for 21 px tick labels, and the embedded data of :mod:`rotascope.report.svg.explore`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

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
from rotascope.report.svg.style import INK, MUTED, PALETTE
from rotascope.report.svg.ticks import nice_ticks, offset_ticks, tick_decimals

__all__ = ["LineStyle", "frame_chart"]

_f, _e = fmt_coord, esc


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


@dataclass(frozen=True)
class _Spec:
    """What a frame chart shows, after defaults: columns, styles, band and formats."""

    cols: list[str]
    styles: dict[str, LineStyle]
    band: tuple[str, str] | None
    band_label: str
    vfmt: Callable[[float], str]
    xfmt: Callable[[object], str]
    dated: bool


def _band_points(plot: Plot, data: pd.DataFrame, band: tuple[str, str], max_points: int) -> str:
    """Points of the band polygon: the upper edge left to right, the lower one back."""
    edges = data[list(band)].dropna()
    if len(edges) > max_points:
        edges = edges.iloc[np.linspace(0, len(edges) - 1, max_points).round().astype(int)]
    if not len(edges):
        return ""
    sx, sy = plot.sx, plot.sy
    bx = x_values(edges.index)
    upper = " ".join(f"{_f(sx(x))},{_f(sy(v))}" for x, v in zip(bx, edges[band[1]], strict=True))
    lower = " ".join(
        f"{_f(sx(x))},{_f(sy(v))}"
        for x, v in zip(bx[::-1], edges[band[0]].to_numpy()[::-1], strict=True)
    )
    return f"{upper} {lower}"


def _band_polygon(plot: Plot, data: pd.DataFrame, spec: _Spec, max_points: int) -> list[str]:
    if not spec.band or not all(c in data.columns for c in spec.band):
        return []
    points = _band_points(plot, data, spec.band, max_points)
    if not points:
        return []
    return [
        f'<polygon class="band" points="{points}" fill="{PALETTE[0]}" '
        f'fill-opacity="0.14" stroke="none"><title>{_e(spec.band_label)}</title></polygon>'
    ]


def _vline(plot: Plot, vline: float | None) -> list[str]:
    if vline is None or not plot.sx.d0 <= vline <= plot.sx.d1:
        return []
    x = plot.sx(vline)
    return [
        f'<line x1="{_f(x)}" y1="{_f(plot.top)}" x2="{_f(x)}" y2="{_f(plot.base)}" '
        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
    ]


def _lines(
    plot: Plot, data: pd.DataFrame, spec: _Spec, max_points: int, markers: bool
) -> list[str]:
    out = []
    for c in spec.cols:
        st = spec.styles[c]
        s = data[c].dropna()
        if s.empty:
            continue
        s = downsample_minmax(s, max_points)
        xs = x_values(s.index)
        pts = " ".join(
            f"{_f(plot.sx(x))},{_f(plot.sy(v))}" for x, v in zip(xs, s.to_numpy(), strict=True)
        )
        dash = ' stroke-dasharray="6 4"' if st.dashed else ""
        if st.opacity < 1.0:
            dash += f' stroke-opacity="{st.opacity:g}"'
        out.append(
            f'<polyline class="series" points="{pts}" fill="none" stroke="{_e(st.color)}" '
            f'stroke-width="{st.width:g}"{dash} stroke-linejoin="round" stroke-linecap="round"/>'
        )
        if markers:
            out.extend(
                f'<circle cx="{_f(plot.sx(x))}" cy="{_f(plot.sy(v))}" r="3" '
                f'fill="{_e(st.color)}"/>'
                for x, v in zip(xs, s.to_numpy(), strict=True)
            )
    return out


def _tip(data: pd.DataFrame, i: int, spec: _Spec) -> str:
    """Tooltip of row ``i``: its x, every line's value and the band."""
    row = data.iloc[i]
    vfmt = spec.vfmt
    bits = [f"{spec.styles[c].label}: {vfmt(float(row[c]))}" for c in spec.cols
            if pd.notna(row[c])]
    band = spec.band
    if band and pd.notna(row.get(band[0])) and pd.notna(row.get(band[1])):
        bits.append(f"{spec.band_label or 'band'}: {vfmt(float(row[band[0]]))} to "
                    f"{vfmt(float(row[band[1]]))}")
    return f"{spec.xfmt(data.index[i])}: " + "; ".join(bits)


def _hover_strips(plot: Plot, data: pd.DataFrame, spec: _Spec, columns: int) -> list[str]:
    """Invisible strips, each carrying every line's value at the strip's last row."""
    x_all = x_values(data.index)
    sx = plot.sx
    n = len(data)
    strips = ['<g class="hover" fill="transparent">']
    for chunk in np.array_split(np.arange(n), max(1, min(columns, n))):
        if len(chunk) == 0:
            continue
        i0, i1 = int(chunk[0]), int(chunk[-1])
        a = sx(x_all[i0]) if i0 == 0 else sx((x_all[i0 - 1] + x_all[i0]) / 2)
        b = sx(x_all[i1]) if i1 == n - 1 else sx((x_all[i1] + x_all[i1 + 1]) / 2)
        if not spec.dated and n > 1:  # whole-number axis: strips centred on each point
            step = (sx(x_all[-1]) - sx(x_all[0])) / (n - 1)
            a, b = sx(x_all[i0]) - step / 2, sx(x_all[i1]) + step / 2
        strips.append(hover_strip(plot, a, b, _tip(data, i1, spec)))
    strips.append("</g>")
    return strips


def _last(data: pd.DataFrame, column: str | None) -> tuple[float, float] | None:
    """x and value of the last point of ``column``."""
    if not column or column not in data.columns:
        return None
    s = data[column].dropna()
    if not len(s):
        return None
    return float(x_values(s.index)[-1]), float(s.iloc[-1])


def _layout(
    data: pd.DataFrame,
    *,
    reference: float | None,
    tick_format: Callable[[float], str] | None,
    last_text: str,
    width: int,
    height: int,
) -> tuple[Plot, list[float], Callable[[float], str]]:
    """Scales, margins and y ticks for the rows of ``data`` (sorted, some value finite)."""
    x_all = x_values(data.index)
    values = data.to_numpy(dtype="float64")
    finite = values[np.isfinite(values)]
    lo, hi = padded_domain(float(finite.min()), float(finite.max()), reference)
    y_ticks = nice_ticks(lo, hi, 5)
    decimals = tick_decimals(y_ticks)
    tfmt = tick_format or (lambda v: format_number(v, decimals=decimals))
    left = left_margin(y_ticks, tfmt)
    right = 14.0 + (text_width(last_text, 21) if last_text else 8.0)
    top, bottom = 36.0, 34.0
    x0, x1 = float(x_all[0]), float(max(x_all[-1], x_all[0] + 1))
    sx = Scale(x0, x1, left, width - right)
    sy = Scale(lo, hi, height - bottom, top)
    return Plot(width, height, left, right, top, bottom, sx, sy), y_ticks, tfmt


def _iso_date(x: object) -> str:
    return format_date(cast(pd.Timestamp, x))


def _spec(
    frame: pd.DataFrame,
    columns: Sequence[str] | None,
    styles: Mapping[str, LineStyle] | None,
    band: tuple[str, str] | None,
    band_label: str,
    value_format: Callable[[float], str] | None,
    x_format: Callable[[object], str] | None,
) -> _Spec:
    dated = isinstance(frame.index, pd.DatetimeIndex)
    band_cols = list(band) if band else []
    cols = [c for c in (columns or [c for c in frame.columns if c not in band_cols])
            if c in frame.columns]
    full = dict(styles or {})
    for i, c in enumerate(cols):
        full.setdefault(c, LineStyle(label=str(c), color=PALETTE[i % len(PALETTE)]))
    return _Spec(
        cols=cols,
        styles=full,
        band=band,
        band_label=band_label,
        vfmt=value_format or (lambda v: format_number(v, decimals=2)),
        xfmt=x_format or (_iso_date if dated else (lambda x: f"{x}")),
        dated=dated,
    )


def _explore_rows(data: pd.DataFrame, spec: _Spec, max_points: int) -> pd.DataFrame:
    """The rows embedded for the script: about ``max_points``, the union of each line's
    min/max downsampling (and the band's evenly spaced rows)."""
    if len(data) <= max_points:
        return data
    max_points = max(4, max_points // max(1, len(spec.cols) + (1 if spec.band else 0)))
    keep: set[int] = set()
    pos = pd.Series(np.arange(len(data)), index=data.index)
    for c in spec.cols:
        s = data[c].dropna()
        if len(s):
            kept = downsample_minmax(pd.Series(s.to_numpy(), index=pos[s.index].to_numpy()),
                                     max_points)
            keep.update(int(i) for i in kept.index)
    if spec.band:
        edges = data[list(spec.band)].dropna()
        if len(edges):
            idx = np.linspace(0, len(edges) - 1, min(max_points, len(edges))).round().astype(int)
            keep.update(int(i) for i in pos[edges.index[idx]].to_numpy())
    return data.iloc[sorted(keep)]


def _explore(
    data: pd.DataFrame,
    plot: Plot,
    spec: _Spec,
    *,
    y_ticks: Sequence[float],
    tick_format: Callable[[float], str] | None,
    reference: float | None,
    vline: float | None,
    last_label: str | None,
    markers: bool,
    max_points: int,
) -> str:
    rows = _explore_rows(data, spec, max_points)
    series = [
        Series(st.label, st.color, rows[c].to_numpy(dtype="float64"), st.width, st.dashed,
               st.opacity)
        for c in spec.cols
        for st in [spec.styles[c]]
    ]
    band = None
    if spec.band and all(c in rows.columns for c in spec.band):
        band = (spec.band_label or "band", rows[spec.band[0]].to_numpy(dtype="float64"),
                rows[spec.band[1]].to_numpy(dtype="float64"))
    return encode(ExploreData(
        x=x_values(rows.index), dated=spec.dated, series=series,
        margins=(plot.left, plot.right, plot.top, plot.bottom),
        x_domain=(plot.sx.d0, plot.sx.d1), y_domain=(plot.sy.d0, plot.sy.d1),
        width=plot.width, height=plot.height, value_format=spec.vfmt, tick_format=tick_format,
        tick_decimals=tick_decimals(y_ticks), reference=reference, vline=vline, band=band,
        last=spec.cols.index(last_label) if last_label in spec.cols else -1, markers=markers,
        extra={} if spec.dated else {"xs": [spec.xfmt(x) for x in rows.index]},
    ))


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
    explorable: bool = True,
    explore_points: int = EXPLORE_POINTS,
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
        Longer lines are shortened with
        :func:`rotascope.report.svg.primitives.downsample_minmax`.
    hover_columns : int
        Number of invisible strips carrying a tooltip with every line's value.
    explorable : bool, default True
        Embed the plotted rows (``data-chart``) for the report's cursor and data table, and on a
        dated axis its zoom and range buttons.
    explore_points : int, default 4000
        About the most rows embedded: the union of each line's
        :func:`~rotascope.report.svg.primitives.downsample_minmax` to
        ``explore_points // len(columns)`` points (and of the band's), so every row carries
        every line.

    Returns
    -------
    str
        The ``<svg>`` element (class ``line-chart``).
    """
    spec = _spec(frame, columns, styles, band, band_label, value_format, x_format)
    data = frame[~frame.index.duplicated(keep="last")].sort_index()
    data = data[spec.cols + (list(band) if band else [])].dropna(how="all")
    if data.empty or not np.isfinite(data.to_numpy(dtype="float64")).any():
        return empty_chart(chart_id, title, width, height, "line-chart")
    last_xy = _last(data, last_label)
    last_text = spec.vfmt(last_xy[1]) if last_xy is not None else ""
    plot, y_ticks, tfmt = _layout(data, reference=reference, tick_format=tick_format,
                                  last_text=last_text, width=width, height=height)
    summary = f"From {spec.xfmt(data.index[0])} to {spec.xfmt(data.index[-1])}."
    attrs: dict[str, str] = {}
    if explorable:
        attrs["data-chart"] = _explore(
            data, plot, spec, y_ticks=y_ticks, tick_format=tick_format, reference=reference,
            vline=vline, last_label=last_label, markers=markers, max_points=explore_points)
    parts = open_svg(chart_id, width, height, title, f"{description} {summary}".strip(),
                     "line-chart", attrs)
    parts.append(title_text(plot.left, title))
    parts += _band_polygon(plot, data, spec, max_points)
    parts += grid_lines(plot, y_ticks) + reference_line(plot, reference) + _vline(plot, vline)
    parts.append(base_line(plot))
    if spec.dated:
        ticks = date_axis(plot, pd.Timestamp(data.index[0]), pd.Timestamp(data.index[-1]))
    else:
        ticks = list(x_ticks) if x_ticks is not None else offset_ticks(
            int(plot.sx.d0), int(plot.sx.d1))
    parts += x_tick_marks(plot, ticks)
    parts += _lines(plot, data, spec, max_points, markers)
    parts += y_tick_labels(plot, y_ticks, tfmt)
    if last_xy is not None and last_label is not None:
        color = spec.styles[last_label].color if last_label in spec.styles else INK
        parts += last_value(plot, last_xy[0], last_xy[1], color, last_text)
    parts += _hover_strips(plot, data, spec, hover_columns)
    parts.append("</svg>")
    return "\n".join(parts)

