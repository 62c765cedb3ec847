"""Static inline SVG charts and the number formatting shared by every renderer.

Every chart is a plain SVG string built in Python: no JavaScript library, no network, no fonts
to fetch. Output is deterministic (same input, same bytes), every piece of text is escaped, and
each chart carries an accessible ``<title>``/``<desc>`` and native ``<title>`` tooltips.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number, format_pct
from rotascope.formatting import is_missing as _is_missing

__all__ = [
    "PALETTE",
    "Band",
    "bar_chart",
    "date_ticks",
    "downsample_minmax",
    "line_chart",
    "nice_ticks",
    "rrg_chart",
]

#: Categorical colours, dark enough for text on white (contrast of at least 3:1).
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d95f02",
    "#1b9e77",
    "#7570b3",
    "#e7298a",
    "#4d8c1a",
    "#a6761d",
    "#c62828",
    "#00838f",
    "#6d4c41",
    "#546e7a",
    "#827717",
)

POSITIVE = "#1a7f37"
NEGATIVE = "#c62828"
INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d8dee4"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

Tone = Literal["positive", "negative", "neutral"]
_TONE_FILL: Mapping[str, str] = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": MUTED}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------------------------
# Scales and ticks
# ---------------------------------------------------------------------------------------------
def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering ``[lo, hi]``.

    Parameters
    ----------
    lo, hi : float
        The data range.
    max_ticks : int, default 6
        Upper bound on the number of ticks returned.

    Returns
    -------
    list of float
        Increasing ticks inside ``[lo, hi]`` (at least one when ``lo == hi``).
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        return [lo]
    raw = (hi - lo) / max(max_ticks - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0):
        step = mult * power
        first = math.ceil(lo / step - 1e-9) * step
        count = int(math.floor((hi - first) / step + 1e-9)) + 1
        if count <= max_ticks:
            break
    ticks = [round(first + i * step, 10) for i in range(count)]
    return [0.0 if t == 0 else t for t in ticks]


def date_ticks(
    start: pd.Timestamp, end: pd.Timestamp, max_ticks: int = 7
) -> list[tuple[pd.Timestamp, str]]:
    """Calendar-aligned date ticks (weeks, months, quarters or years) with short labels.

    Parameters
    ----------
    start, end : pandas.Timestamp
        The date range shown.
    max_ticks : int, default 7
        Upper bound on the number of ticks.

    Returns
    -------
    list of (pandas.Timestamp, str)
        Tick dates inside the range and their labels: ``"2024"`` for yearly ticks, ``"Mar 2024"``
        for monthly or quarterly ticks, ``"Mar 4"`` for weekly ticks.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end <= start:
        return [(start, format_date(start, style="month"))]
    for years in (1, 2, 5, 10, 20, 50):
        ticks = [pd.Timestamp(y, 1, 1) for y in range(start.year, end.year + 1) if y % years == 0]
        ticks = [t for t in ticks if start <= t <= end]
        if len(ticks) <= max_ticks and len(ticks) >= 2:
            break
    else:
        ticks = []
    span_years = (end - start).days / 365.25
    if span_years < 3 or len(ticks) < 2:
        for months in (1, 2, 3, 6):
            months_start = pd.date_range(start.normalize() - pd.offsets.MonthBegin(1), end,
                                         freq="MS")
            cand = [t for t in months_start if start <= t <= end and (t.month - 1) % months == 0]
            if 2 <= len(cand) <= max_ticks:
                return [(t, format_date(t, style="month")) for t in cand]
        if span_years < 0.25:
            for weeks in (1, 2, 4):
                mondays = pd.date_range(start.normalize(), end, freq=f"{weeks}W-MON")
                cand = [t for t in mondays if start <= t <= end]
                if len(cand) <= max_ticks:
                    return [(t, f"{_MONTHS[t.month - 1]} {t.day}") for t in cand]
    return [(t, str(t.year)) for t in ticks]


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


@dataclass(frozen=True)
class _Scale:
    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, v: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2.0
        return self.r0 + (v - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


@dataclass(frozen=True)
class Band:
    """A shaded date range on a line chart (e.g. a rotation episode).

    Attributes
    ----------
    start, end : pandas.Timestamp
        First and last date of the range.
    label : str
        Tooltip text.
    tone : {"positive", "negative", "neutral"}
        Colour of the shading.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    tone: Tone = "neutral"


def _f(x: float) -> str:
    """Coordinate with one decimal, no ``-0.0``."""
    v = round(float(x), 1)
    return f"{0.0 if v == 0 else v:.1f}"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    """Rough (generous) rendered width of ``text`` in a sans-serif font of ``size`` px."""
    return 0.62 * size * len(text)


def _open_svg(
    chart_id: str, width: int, height: int, title: str, desc: str, css_class: str
) -> list[str]:
    cid = _e(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{cid}" class="chart {css_class}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{_e(FONT)}" font-size="12" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{cid}-title">{_e(title)}</title>',
        f'<desc id="{cid}-desc">{_e(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _empty_chart(chart_id: str, title: str, width: int, height: int, css_class: str) -> str:
    parts = _open_svg(chart_id, width, height, title, "No data to plot.", css_class)
    parts.append(
        f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
        "No data to plot</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Line chart
# ---------------------------------------------------------------------------------------------
def _tick_decimals(ticks: Sequence[float]) -> int:
    """Fewest decimals (0 to 6) that print every tick exactly: 2 for 0.25 steps, 0 for 5 steps."""
    for d in range(7):
        if all(abs(round(t, d) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            return d
    return 6


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
        return _empty_chart(chart_id, title, width, height, "line-chart")
    line = downsample_minmax(clean, max_points)
    dates = pd.DatetimeIndex(line.index)
    values = line.to_numpy(dtype="float64")
    first, last = pd.Timestamp(clean.index[0]), pd.Timestamp(clean.index[-1])
    last_value = float(clean.iloc[-1])
    last_label = fmt(last_value)

    lo, hi = float(np.min(values)), float(np.max(values))
    if reference is not None and math.isfinite(reference):
        lo, hi = min(lo, reference), max(hi, reference)
    span = hi - lo
    pad_lo = span * 0.05 or abs(hi) * 0.01 or 1.0
    pad_hi = span * 0.06 or abs(hi) * 0.01 or 1.0
    lo, hi = lo - pad_lo, hi + pad_hi
    y_ticks = nice_ticks(lo, hi, 5)
    decimals = _tick_decimals(y_ticks)
    tfmt = tick_format or (lambda v: format_number(v, decimals=decimals))

    # margins leave room for text up to 21 px (phone styles enlarge ticks)
    left = 12.0 + max(_text_width(tfmt(t), 21) for t in y_ticks) if y_ticks else 12.0
    top, bottom = 52.0 if (legend and bands) else 36.0, 34.0
    right = 14.0 + _text_width(last_label, 21)
    t0, t1 = first.value, max(last.value, first.value + 1)
    sx = _Scale(float(t0), float(t1), left, width - right)
    sy = _Scale(lo, hi, height - bottom, top)

    summary = (
        f"{len(clean)} observations from {format_date(first, style='long')} to "
        f"{format_date(last, style='long')}; last value {last_label}, "
        f"low {fmt(float(clean.min()))}, high {fmt(float(clean.max()))}."
    )
    parts = _open_svg(
        chart_id, width, height, title, f"{description} {summary}".strip(), "line-chart"
    )
    parts.append(
        f'<text class="title" x="{_f(left)}" y="20" font-size="14" font-weight="600" fill="{INK}">{_e(title)}</text>'
    )
    if legend and bands:
        x = left
        for tone in ("positive", "negative", "neutral"):
            if tone not in legend or not any(b.tone == tone for b in bands):
                continue
            label = legend[tone]
            parts.append(
                f'<g class="legend"><rect x="{_f(x)}" y="30" width="12" height="12" fill="{_TONE_FILL[tone]}" '
                f'fill-opacity="0.25" stroke="{_TONE_FILL[tone]}" stroke-opacity="0.5"/>'
                f'<text x="{_f(x + 17)}" y="40" font-size="11" fill="{MUTED}">{_e(label)}</text></g>'
            )
            x += 17 + _text_width(label, 11) + 16

    # bands
    in_range = [b for b in bands if pd.Timestamp(b.end) >= first and pd.Timestamp(b.start) <= last]
    for band in in_range:
        b0 = sx(float(max(pd.Timestamp(band.start), first).value))
        b1 = sx(float(min(pd.Timestamp(band.end), last).value))
        w = max(b1 - b0, 1.5)
        parts.append(
            f'<rect class="band" x="{_f(b0)}" y="{_f(top)}" width="{_f(w)}" '
            f'height="{_f(height - bottom - top)}" fill="{_TONE_FILL[band.tone]}" '
            f'fill-opacity="0.16"><title>{_e(band.label)}</title></rect>'
        )

    # grid and axes
    for tick in y_ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" y2="{_f(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    if reference is not None and math.isfinite(reference):
        y = sy(reference)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(width - right)}" y2="{_f(y)}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    base = height - bottom
    parts.append(
        f'<line x1="{_f(left)}" y1="{_f(base)}" x2="{_f(width - right)}" y2="{_f(base)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    max_date_ticks = max(2, int((width - left - right) // 110))
    for day, label in date_ticks(first, last, max_date_ticks):
        x = sx(float(day.value))
        parts.append(
            f'<line x1="{_f(x)}" y1="{_f(base)}" x2="{_f(x)}" y2="{_f(base + 4)}" stroke="{MUTED}"/>'
        )
        parts.append(
            f'<text class="tick" x="{_f(x)}" y="{_f(base + 6)}" dominant-baseline="hanging" '
            f'text-anchor="middle" font-size="11" fill="{MUTED}">{_e(label)}</text>'
        )

    # the line
    xs = [sx(float(t.value)) for t in dates]
    ys = [sy(v) for v in values]
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in zip(xs, ys, strict=True))
    parts.append(
        f'<polyline class="series" points="{pts}" fill="none" stroke="{_e(color)}" '
        f'stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>'
    )
    for tick in y_ticks:
        parts.append(
            f'<text class="tick" x="{_f(left - 6)}" y="{_f(sy(tick))}" dominant-baseline="central" '
            f'text-anchor="end" font-size="11" fill="{MUTED}">{_e(tfmt(tick))}</text>'
        )
    lx, ly = sx(float(last.value)), sy(last_value)
    parts.append(
        f'<circle cx="{_f(lx)}" cy="{_f(ly)}" r="3.5" fill="{_e(color)}">'
        f"<title>{_e(format_date(last))}: {_e(last_label)}</title></circle>"
    )
    parts.append(
        f'<text class="last" x="{_f(lx + 6)}" y="{_f(ly)}" dominant-baseline="central" font-size="12" '
        f'font-weight="600" fill="{INK}">{_e(last_label)}</text>'
    )

    # hover strips: one tooltip per column (last point of the column, band it falls in)
    n_cols = max(1, min(hover_columns, len(clean)))
    positions = np.array_split(np.arange(len(clean)), n_cols)
    idx = pd.DatetimeIndex(clean.index)
    vals = clean.to_numpy(dtype="float64")
    strips = ['<g class="hover" fill="transparent">']
    for chunk in positions:
        if len(chunk) == 0:
            continue
        i0, i1 = int(chunk[0]), int(chunk[-1])
        x0 = (
            sx(float(idx[i0].value))
            if i0 == 0
            else sx(float((idx[i0 - 1].value + idx[i0].value) / 2))
        )
        x1 = (
            sx(float(idx[i1].value))
            if i1 == len(idx) - 1
            else sx(float((idx[i1].value + idx[i1 + 1].value) / 2))
        )
        when = idx[i1]
        tip = f"{format_date(when)}: {fmt(float(vals[i1]))}"
        for band in in_range:
            if pd.Timestamp(band.start) <= when <= pd.Timestamp(band.end):
                tip += f" ({band.label})"
                break
        strips.append(
            f'<rect x="{_f(x0)}" y="{_f(top)}" width="{_f(max(x1 - x0, 0.5))}" '
            f'height="{_f(base - top)}"><title>{_e(tip)}</title></rect>'
        )
    strips.append("</g>")
    parts.extend(strips)
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Relative Rotation Graph
# ---------------------------------------------------------------------------------------------
_QUADRANT_STYLE: tuple[tuple[str, str, str, str, str], ...] = (
    # name, background, ink, horizontal side, vertical side
    ("Leading", "#e6f4ea", "#1a7f37", "right", "top"),
    ("Weakening", "#fff6dc", "#8a6100", "right", "bottom"),
    ("Lagging", "#fdecec", "#b42318", "left", "bottom"),
    ("Improving", "#e8f0fe", "#1f5fbf", "left", "top"),
)


def _overlaps(
    box: tuple[float, float, float, float], placed: Sequence[tuple[float, float, float, float]]
) -> float:
    """Total overlap area of ``box`` (x0, y0, x1, y1) with the boxes in ``placed``."""
    total = 0.0
    for other in placed:
        w = min(box[2], other[2]) - max(box[0], other[0])
        h = min(box[3], other[3]) - max(box[1], other[1])
        if w > 0 and h > 0:
            total += w * h
    return total


def _drop_shared_suffix(names: dict[str, str]) -> dict[str, str]:
    """Drop a last word every label shares ("Energy sector", "Utilities sector" -> "Energy", ...)."""
    words = [n.split() for n in names.values()]
    if (
        len(words) > 1
        and all(len(w) > 1 for w in words)
        and len({w[-1].lower() for w in words}) == 1
    ):
        return {k: " ".join(v.split()[:-1]) for k, v in names.items()}
    return names


def rrg_chart(
    points: pd.DataFrame,
    *,
    chart_id: str,
    title: str,
    label_column: str = "display",
    description: str = "",
    width: int = 520,
    height: int = 520,
) -> str:
    """Relative Rotation Graph: quadrants, one tail per segment, a marker and label at its head.

    Parameters
    ----------
    points : pandas.DataFrame
        Long table with columns ``segment, date, rs_ratio, rs_momentum`` (and ``label_column`` if
        present), oldest first within each segment.
    chart_id : str
        The ``id`` of the ``<svg>`` element.
    title : str
        Chart title.
    label_column : str, default "display"
        Column holding the label drawn at each head; falls back to ``segment``. A last word that
        every label shares (``"Energy sector"``, ``"Utilities sector"``) is left out.
    description : str
        Longer accessible description.
    width, height : int
        Size of the viewBox in px (kept small so that text stays legible when a phone scales the
        chart down).

    Returns
    -------
    str
        The ``<svg>`` element. Axes are symmetric around 100 so that the quadrants have equal size;
        tails fade from old (thin, pale) to new (thick, opaque); each label goes to the candidate
        position around its head that overlaps least with the labels, heads and quadrant names
        already placed.
    """
    needed = {"segment", "date", "rs_ratio", "rs_momentum"}
    if points is None or points.empty or not needed.issubset(points.columns):
        return _empty_chart(chart_id, title, width, height, "rrg-chart")
    data = points.dropna(subset=["rs_ratio", "rs_momentum"])
    if data.empty:
        return _empty_chart(chart_id, title, width, height, "rrg-chart")
    labels_col = label_column if label_column in data.columns else "segment"

    left, right, top, bottom = 46.0, 12.0, 34.0, 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    dx = float(np.max(np.abs(data["rs_ratio"].to_numpy(dtype="float64") - 100.0)))
    dy = float(np.max(np.abs(data["rs_momentum"].to_numpy(dtype="float64") - 100.0)))
    dx, dy = max(dx * 1.1, 1.0), max(dy * 1.1, 1.0)
    sx = _Scale(100.0 - dx, 100.0 + dx, left, left + plot_w)
    sy = _Scale(100.0 - dy, 100.0 + dy, top + plot_h, top)
    cx, cy = sx(100.0), sy(100.0)

    parts = _open_svg(
        chart_id,
        width,
        height,
        title,
        description
        or "Relative Rotation Graph: RS-Ratio on the horizontal axis, RS-Momentum on "
        "the vertical axis, both centred on 100; tails show recent points, oldest first.",
        "rrg-chart",
    )
    parts.append(
        f'<text class="title" x="{_f(left)}" y="20" font-size="14" font-weight="600" fill="{INK}">{_e(title)}</text>'
    )
    placed: list[tuple[float, float, float, float]] = []
    for name, bg, ink, hside, vside in _QUADRANT_STYLE:
        x0 = cx if hside == "right" else left
        x1 = left + plot_w if hside == "right" else cx
        y0 = top if vside == "top" else cy
        y1 = cy if vside == "top" else top + plot_h
        parts.append(
            f'<rect x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}" fill="{bg}"/>'
        )
        tx = x1 - 6 if hside == "right" else x0 + 6
        ty = y0 + 18 if vside == "top" else y1 - 8
        anchor = "end" if hside == "right" else "start"
        parts.append(
            f'<text class="quadrant" x="{_f(tx)}" y="{_f(ty)}" text-anchor="{anchor}" font-size="13" '
            f'font-weight="700" fill="{ink}" fill-opacity="0.8" stroke="{bg}" stroke-width="4" '
            f'paint-order="stroke">{_e(name)}</text>'
        )
        tw = _text_width(name, 13)
        bx0 = tx - tw if anchor == "end" else tx
        placed.append((bx0, ty - 13, bx0 + tw, ty + 3))

    x_ticks = nice_ticks(100.0 - dx, 100.0 + dx, 6)
    y_ticks = nice_ticks(100.0 - dy, 100.0 + dy, 6)
    xd, yd = _tick_decimals(x_ticks), _tick_decimals(y_ticks)
    for tick in x_ticks:
        x = sx(tick)
        parts.append(
            f'<line x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(top + plot_h)}" stroke="#ffffff" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="tick" x="{_f(x)}" y="{_f(top + plot_h + 5)}" dominant-baseline="hanging" '
            f'text-anchor="middle" font-size="11" fill="{MUTED}">{_e(format_number(tick, decimals=xd))}</text>'
        )
    for tick in y_ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" stroke="#ffffff" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="tick" x="{_f(left - 5)}" y="{_f(y)}" dominant-baseline="central" text-anchor="end" '
            f'font-size="11" fill="{MUTED}">{_e(format_number(tick, decimals=yd))}</text>'
        )
    parts.append(
        f'<line x1="{_f(cx)}" y1="{_f(top)}" x2="{_f(cx)}" y2="{_f(top + plot_h)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append(
        f'<line x1="{_f(left)}" y1="{_f(cy)}" x2="{_f(left + plot_w)}" y2="{_f(cy)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append(
        f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(plot_w)}" height="{_f(plot_h)}" fill="none" stroke="{GRID}"/>'
    )
    parts.append(
        f'<text class="axis-title" x="{_f(left + plot_w / 2)}" y="{_f(height - 6)}" text-anchor="middle" '
        f'font-size="12" fill="{INK}">RS-Ratio (relative trend) &#8594;</text>'
    )
    parts.append(
        f'<text class="axis-title" transform="translate(12 {_f(top + plot_h / 2)}) rotate(-90)" '
        f'text-anchor="middle" font-size="12" fill="{INK}">RS-Momentum &#8594;</text>'
    )

    segments = list(dict.fromkeys(data["segment"].tolist()))
    names = {seg: str(data.loc[data["segment"] == seg, labels_col].iloc[-1]) for seg in segments}
    names = _drop_shared_suffix(names)
    heads: list[tuple[float, float, str, str]] = []
    for i, seg in enumerate(segments):
        color = PALETTE[i % len(PALETTE)]
        rows = data[data["segment"] == seg]
        label = names[seg]
        xs = [sx(float(v)) for v in rows["rs_ratio"]]
        ys = [sy(float(v)) for v in rows["rs_momentum"]]
        n = len(xs)
        group = [f'<g class="tail" data-segment="{_e(seg)}">']
        for j in range(1, n):
            w = j / (n - 1)
            group.append(
                f'<line x1="{_f(xs[j - 1])}" y1="{_f(ys[j - 1])}" x2="{_f(xs[j])}" y2="{_f(ys[j])}" '
                f'stroke="{color}" stroke-width="{0.8 + 1.4 * w:.2f}" stroke-opacity="{0.25 + 0.7 * w:.2f}" '
                f'stroke-linecap="round"/>'
            )
        for j, (_, row) in enumerate(rows.iloc[:-1].iterrows()):
            w = j / (n - 1) if n > 1 else 1.0
            tip = (
                f"{label} {format_date(row['date'])}: RS-Ratio {row['rs_ratio']:.2f}, "
                f"RS-Momentum {row['rs_momentum']:.2f}"
            )
            group.append(
                f'<circle cx="{_f(xs[j])}" cy="{_f(ys[j])}" r="{1.6 + 1.0 * w:.2f}" fill="{color}" '
                f'fill-opacity="{0.35 + 0.6 * w:.2f}"><title>{_e(tip)}</title></circle>'
            )
        last = rows.iloc[-1]
        tip = (
            f"{label} {format_date(last['date'])}: RS-Ratio {last['rs_ratio']:.2f}, "
            f"RS-Momentum {last['rs_momentum']:.2f}"
        )
        group.append(
            f'<circle class="head" cx="{_f(xs[-1])}" cy="{_f(ys[-1])}" r="5" fill="{color}" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{_e(tip)}</title></circle>'
        )
        group.append("</g>")
        parts.extend(group)
        heads.append((xs[-1], ys[-1], label, color))
        placed.append((xs[-1] - 6, ys[-1] - 6, xs[-1] + 6, ys[-1] + 6))

    # labels: crowded heads first; near candidates, then farther ones with a leader line
    size = 13.0
    near = (
        (8, -6, "start"),
        (8, 14, "start"),
        (-8, -6, "end"),
        (-8, 14, "end"),
        (0, -10, "middle"),
        (0, 21, "middle"),
        (10, 4, "start"),
        (-10, 4, "end"),
    )
    far = tuple(
        (ox * r, oy * r, anchor)
        for r in (2.2, 3.6)
        for ox, oy, anchor in (
            (12, -12, "start"),
            (-12, -12, "end"),
            (12, 18, "start"),
            (-12, 18, "end"),
            (0, -14, "middle"),
            (0, 22, "middle"),
        )
    )
    crowd = [
        sum(abs(x - x2) < 60 and abs(y - y2) < 30 for x2, y2, *_ in heads) for x, y, *_ in heads
    ]
    order = sorted(range(len(heads)), key=lambda i: -crowd[i])
    labels_svg: list[str] = []
    for i in order:
        x, y, label, color = heads[i]
        tw, th = _text_width(label, size), size
        best: tuple[float, float, float, str, bool] = (math.inf, x + 8, y - 6, "start", False)
        for k, (ox, oy, anchor) in enumerate((*near, *far)):
            tx, ty = x + ox, y + oy
            x0 = tx if anchor == "start" else tx - tw if anchor == "end" else tx - tw / 2
            box = (x0, ty - th + 2, x0 + tw, ty + 3)
            outside = (
                box[0] < left or box[2] > left + plot_w or box[1] < top or box[3] > top + plot_h
            )
            is_far = k >= len(near)
            cost = _overlaps(box, placed) + (1e6 if outside else 0.0) + (40.0 if is_far else 0.0)
            if cost < best[0]:
                best = (cost, tx, ty, anchor, is_far)
            if cost == 0:
                break
        _, tx, ty, anchor, is_far = best
        x0 = tx if anchor == "start" else tx - tw if anchor == "end" else tx - tw / 2
        placed.append((x0, ty - th + 2, x0 + tw, ty + 3))
        lx = min(max(x, x0), x0 + tw)
        ly = min(max(y, ty - th + 2), ty + 3)
        if is_far and math.hypot(lx - x, ly - y) > 12:  # leader line from head to label box
            labels_svg.append(
                f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(lx)}" y2="{_f(ly)}" stroke="{color}" '
                f'stroke-width="1" stroke-opacity="0.8"/>'
            )
        labels_svg.append(
            f'<text class="label" x="{_f(tx)}" y="{_f(ty)}" text-anchor="{anchor}" font-size="{size:.0f}" '
            f'font-weight="600" fill="{color}" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
            f'stroke-linejoin="round">{_e(label)}</text>'
        )
    parts.extend(labels_svg)
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Bar chart
# ---------------------------------------------------------------------------------------------
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
        return _empty_chart(chart_id, title, width, height, "bar-chart")
    labels = [str(i) for i in values.index]
    nums = [float(v) if not _is_missing(v) else math.nan for v in values.to_numpy()]
    texts = [fmt(v) for v in nums]
    finite = [v for v in nums if math.isfinite(v)]
    lo, hi = min([0.0, *finite]), max([0.0, *finite])
    if lo == hi:
        hi = lo + 1.0
    label_w = 20 + max(_text_width(t, 12) for t in labels)
    value_w = 8 + max(_text_width(t, 11) for t in texts)
    left = label_w
    span = max(width - left - 10, 40.0)
    # room for the value text on the side the bar grows to
    neg_room = value_w if lo < 0 else 0.0
    pos_room = value_w if hi > 0 else 0.0
    sx = _Scale(lo, hi, left + neg_room, left + span - pos_room)
    zero = sx(0.0)
    desc = description or "; ".join(f"{lab}: {t}" for lab, t in zip(labels, texts, strict=True))
    parts = _open_svg(chart_id, width, height, title, desc, "bar-chart")
    parts.append(
        f'<text x="8" y="22" font-size="14" font-weight="600" fill="{INK}">{_e(title)}</text>'
    )
    for i, (label, v, text) in enumerate(zip(labels, nums, texts, strict=True)):
        y = 40 + i * bar_height
        mid = y + bar_height / 2
        parts.append(
            f'<text x="{_f(left - 8)}" y="{_f(mid + 4)}" text-anchor="end" font-size="12" fill="{INK}">{_e(label)}</text>'
        )
        if math.isfinite(v):
            x0, x1 = sorted((zero, sx(v)))
            fill = POSITIVE if v >= 0 else NEGATIVE
            parts.append(
                f'<rect x="{_f(x0)}" y="{_f(y + 4)}" width="{_f(max(x1 - x0, 1.0))}" '
                f'height="{_f(bar_height - 8)}" fill="{fill}" fill-opacity="0.8">'
                f"<title>{_e(label)}: {_e(text)}</title></rect>"
            )
            tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
        else:
            tx, anchor = zero + 4, "start"
        parts.append(
            f'<text x="{_f(tx)}" y="{_f(mid + 4)}" text-anchor="{anchor}" font-size="11" fill="{MUTED}">{_e(text)}</text>'
        )
    parts.append(
        f'<line x1="{_f(zero)}" y1="36" x2="{_f(zero)}" y2="{_f(40 + bar_height * len(values))}" stroke="{MUTED}"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
