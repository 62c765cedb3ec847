"""Relative Rotation Graph: four quadrants, one fading tail per segment and a label at its head
placed where it overlaps least with what is already drawn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number
from rotascope.report.svg.primitives import (
    Scale,
    empty_chart,
    esc,
    fmt_coord,
    open_svg,
    text_width,
)
from rotascope.report.svg.style import GRID, INK, MUTED, PALETTE
from rotascope.report.svg.ticks import nice_ticks, tick_decimals

__all__ = ["rrg_chart"]

_f, _e = fmt_coord, esc

Box = tuple[float, float, float, float]

_QUADRANT_STYLE: tuple[tuple[str, str, str, str, str], ...] = (
    # name, background, ink, horizontal side, vertical side
    ("Leading", "#e6f4ea", "#1a7f37", "right", "top"),
    ("Weakening", "#fff6dc", "#8a6100", "right", "bottom"),
    ("Lagging", "#fdecec", "#b42318", "left", "bottom"),
    ("Improving", "#e8f0fe", "#1f5fbf", "left", "top"),
)

_LABEL_SIZE = 13.0
#: Label offsets (dx, dy, anchor) around a head: close ones first, then farther ones.
_NEAR: tuple[tuple[float, float, str], ...] = (
    (8, -6, "start"),
    (8, 14, "start"),
    (-8, -6, "end"),
    (-8, 14, "end"),
    (0, -10, "middle"),
    (0, 21, "middle"),
    (10, 4, "start"),
    (-10, 4, "end"),
)
_FAR: tuple[tuple[float, float, str], ...] = tuple(
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


@dataclass(frozen=True)
class _Frame:
    """Plot area and scales of an RRG."""

    left: float
    top: float
    plot_w: float
    plot_h: float
    dx: float
    dy: float
    sx: Scale
    sy: Scale

    @property
    def right(self) -> float:
        return self.left + self.plot_w

    @property
    def bottom(self) -> float:
        return self.top + self.plot_h


@dataclass(frozen=True)
class _Head:
    x: float
    y: float
    label: str
    color: str


def _overlaps(box: Box, placed: Sequence[Box]) -> float:
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


def _frame(data: pd.DataFrame, width: int, height: int) -> _Frame:
    """Axes symmetric around 100 so that the quadrants have equal size."""
    left, right, top, bottom = 46.0, 12.0, 34.0, 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    dx = float(np.max(np.abs(data["rs_ratio"].to_numpy(dtype="float64") - 100.0)))
    dy = float(np.max(np.abs(data["rs_momentum"].to_numpy(dtype="float64") - 100.0)))
    dx, dy = max(dx * 1.1, 1.0), max(dy * 1.1, 1.0)
    sx = Scale(100.0 - dx, 100.0 + dx, left, left + plot_w)
    sy = Scale(100.0 - dy, 100.0 + dy, top + plot_h, top)
    return _Frame(left, top, plot_w, plot_h, dx, dy, sx, sy)


def _quadrants(fr: _Frame, placed: list[Box]) -> list[str]:
    """Quadrant backgrounds and names; the names' boxes go to ``placed``."""
    cx, cy = fr.sx(100.0), fr.sy(100.0)
    out = []
    for name, bg, ink, hside, vside in _QUADRANT_STYLE:
        x0 = cx if hside == "right" else fr.left
        x1 = fr.right if hside == "right" else cx
        y0 = fr.top if vside == "top" else cy
        y1 = cy if vside == "top" else fr.bottom
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}" '
            f'fill="{bg}"/>'
        )
        tx = x1 - 6 if hside == "right" else x0 + 6
        ty = y0 + 18 if vside == "top" else y1 - 8
        anchor = "end" if hside == "right" else "start"
        out.append(
            f'<text class="quadrant" x="{_f(tx)}" y="{_f(ty)}" text-anchor="{anchor}" '
            f'font-size="13" font-weight="700" fill="{ink}" fill-opacity="0.8" stroke="{bg}" '
            f'stroke-width="4" paint-order="stroke">{_e(name)}</text>'
        )
        tw = text_width(name, 13)
        bx0 = tx - tw if anchor == "end" else tx
        placed.append((bx0, ty - 13, bx0 + tw, ty + 3))
    return out


def _grid(fr: _Frame) -> list[str]:
    """White grid lines and tick labels on both axes."""
    x_ticks = nice_ticks(100.0 - fr.dx, 100.0 + fr.dx, 6)
    y_ticks = nice_ticks(100.0 - fr.dy, 100.0 + fr.dy, 6)
    xd, yd = tick_decimals(x_ticks), tick_decimals(y_ticks)
    out = []
    for tick in x_ticks:
        x = fr.sx(tick)
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(fr.top)}" x2="{_f(x)}" y2="{_f(fr.bottom)}" '
            'stroke="#ffffff" stroke-width="1"/>'
        )
        out.append(
            f'<text class="tick" x="{_f(x)}" y="{_f(fr.bottom + 5)}" dominant-baseline="hanging" '
            f'text-anchor="middle" font-size="11" fill="{MUTED}">'
            f"{_e(format_number(tick, decimals=xd))}</text>"
        )
    for tick in y_ticks:
        y = fr.sy(tick)
        out.append(
            f'<line x1="{_f(fr.left)}" y1="{_f(y)}" x2="{_f(fr.right)}" y2="{_f(y)}" '
            'stroke="#ffffff" stroke-width="1"/>'
        )
        out.append(
            f'<text class="tick" x="{_f(fr.left - 5)}" y="{_f(y)}" dominant-baseline="central" '
            f'text-anchor="end" font-size="11" fill="{MUTED}">'
            f"{_e(format_number(tick, decimals=yd))}</text>"
        )
    return out


def _axes(fr: _Frame, height: int) -> list[str]:
    """Centre lines, the plot frame and the two axis titles."""
    cx, cy = fr.sx(100.0), fr.sy(100.0)
    return [
        f'<line x1="{_f(cx)}" y1="{_f(fr.top)}" x2="{_f(cx)}" y2="{_f(fr.bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<line x1="{_f(fr.left)}" y1="{_f(cy)}" x2="{_f(fr.right)}" y2="{_f(cy)}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<rect x="{_f(fr.left)}" y="{_f(fr.top)}" width="{_f(fr.plot_w)}" '
        f'height="{_f(fr.plot_h)}" fill="none" stroke="{GRID}"/>',
        f'<text class="axis-title" x="{_f(fr.left + fr.plot_w / 2)}" y="{_f(height - 6)}" '
        f'text-anchor="middle" font-size="12" fill="{INK}">RS-Ratio (relative trend) &#8594;'
        "</text>",
        f'<text class="axis-title" transform="translate(12 {_f(fr.top + fr.plot_h / 2)}) '
        f'rotate(-90)" text-anchor="middle" font-size="12" fill="{INK}">RS-Momentum &#8594;'
        "</text>",
    ]


def _tip(label: str, row: pd.Series) -> str:
    return (
        f"{label} {format_date(row['date'])}: RS-Ratio {row['rs_ratio']:.2f}, "
        f"RS-Momentum {row['rs_momentum']:.2f}"
    )


def _tail(fr: _Frame, seg: str, rows: pd.DataFrame, label: str, color: str) -> list[str]:
    """One segment's tail (old: thin and pale, new: thick and opaque) and its head."""
    xs = [fr.sx(float(v)) for v in rows["rs_ratio"]]
    ys = [fr.sy(float(v)) for v in rows["rs_momentum"]]
    n = len(xs)
    group = [f'<g class="tail" data-segment="{_e(seg)}">']
    for j in range(1, n):
        w = j / (n - 1)
        group.append(
            f'<line x1="{_f(xs[j - 1])}" y1="{_f(ys[j - 1])}" x2="{_f(xs[j])}" y2="{_f(ys[j])}" '
            f'stroke="{color}" stroke-width="{0.8 + 1.4 * w:.2f}" '
            f'stroke-opacity="{0.25 + 0.7 * w:.2f}" stroke-linecap="round"/>'
        )
    for j, (_, row) in enumerate(rows.iloc[:-1].iterrows()):
        w = j / (n - 1) if n > 1 else 1.0
        group.append(
            f'<circle cx="{_f(xs[j])}" cy="{_f(ys[j])}" r="{1.6 + 1.0 * w:.2f}" fill="{color}" '
            f'fill-opacity="{0.35 + 0.6 * w:.2f}"><title>{_e(_tip(label, row))}</title></circle>'
        )
    group.append(
        f'<circle class="head" cx="{_f(xs[-1])}" cy="{_f(ys[-1])}" r="5" fill="{color}" '
        f'stroke="#ffffff" stroke-width="1.5"><title>{_e(_tip(label, rows.iloc[-1]))}</title>'
        "</circle>"
    )
    group.append("</g>")
    return group


def _label_box(tx: float, ty: float, anchor: str, tw: float) -> Box:
    x0 = tx if anchor == "start" else tx - tw if anchor == "end" else tx - tw / 2
    return (x0, ty - _LABEL_SIZE + 2, x0 + tw, ty + 3)


def _best_spot(head: _Head, fr: _Frame, placed: Sequence[Box]) -> tuple[float, float, str, bool]:
    """The candidate position that overlaps least (far ones cost extra; outside is out)."""
    tw = text_width(head.label, _LABEL_SIZE)
    best: tuple[float, float, float, str, bool] = (
        math.inf, head.x + 8, head.y - 6, "start", False
    )
    for k, (ox, oy, anchor) in enumerate((*_NEAR, *_FAR)):
        tx, ty = head.x + ox, head.y + oy
        box = _label_box(tx, ty, anchor, tw)
        outside = box[0] < fr.left or box[2] > fr.right or box[1] < fr.top or box[3] > fr.bottom
        is_far = k >= len(_NEAR)
        cost = _overlaps(box, placed) + (1e6 if outside else 0.0) + (40.0 if is_far else 0.0)
        if cost < best[0]:
            best = (cost, tx, ty, anchor, is_far)
        if cost == 0:
            break
    return best[1], best[2], best[3], best[4]


def _labels(heads: Sequence[_Head], fr: _Frame, placed: list[Box]) -> list[str]:
    """Labels, crowded heads first; a leader line to labels placed far from their head."""
    crowd = [
        sum(abs(h.x - o.x) < 60 and abs(h.y - o.y) < 30 for o in heads) for h in heads
    ]
    out: list[str] = []
    for i in sorted(range(len(heads)), key=lambda i: -crowd[i]):
        head = heads[i]
        x, y, label, color = head.x, head.y, head.label, head.color
        tx, ty, anchor, is_far = _best_spot(head, fr, placed)
        box = _label_box(tx, ty, anchor, text_width(label, _LABEL_SIZE))
        placed.append(box)
        lx = min(max(x, box[0]), box[2])
        ly = min(max(y, box[1]), box[3])
        if is_far and math.hypot(lx - x, ly - y) > 12:  # leader line from head to label box
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(lx)}" y2="{_f(ly)}" stroke="{color}" '
                f'stroke-width="1" stroke-opacity="0.8"/>'
            )
        out.append(
            f'<text class="label" x="{_f(tx)}" y="{_f(ty)}" text-anchor="{anchor}" '
            f'font-size="{_LABEL_SIZE:.0f}" font-weight="600" fill="{color}" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke" stroke-linejoin="round">{_e(label)}</text>'
        )
    return out


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
        return empty_chart(chart_id, title, width, height, "rrg-chart")
    data = points.dropna(subset=["rs_ratio", "rs_momentum"])
    if data.empty:
        return empty_chart(chart_id, title, width, height, "rrg-chart")
    labels_col = label_column if label_column in data.columns else "segment"
    fr = _frame(data, width, height)
    parts = open_svg(
        chart_id, width, height, title,
        description
        or "Relative Rotation Graph: RS-Ratio on the horizontal axis, RS-Momentum on "
        "the vertical axis, both centred on 100; tails show recent points, oldest first.",
        "rrg-chart",
    )
    parts.append(
        f'<text class="title" x="{_f(fr.left)}" y="20" font-size="14" font-weight="600" '
        f'fill="{INK}">{_e(title)}</text>'
    )
    placed: list[Box] = []
    parts += _quadrants(fr, placed) + _grid(fr) + _axes(fr, height)
    segments = list(dict.fromkeys(data["segment"].tolist()))
    names = {seg: str(data.loc[data["segment"] == seg, labels_col].iloc[-1]) for seg in segments}
    names = _drop_shared_suffix(names)
    heads: list[_Head] = []
    for i, seg in enumerate(segments):
        color = PALETTE[i % len(PALETTE)]
        rows = data[data["segment"] == seg]
        parts += _tail(fr, seg, rows, names[seg], color)
        head = _Head(fr.sx(float(rows["rs_ratio"].iloc[-1])),
                     fr.sy(float(rows["rs_momentum"].iloc[-1])), names[seg], color)
        heads.append(head)
        placed.append((head.x - 6, head.y - 6, head.x + 6, head.y + 6))
    parts += _labels(heads, fr, placed)
    parts.append("</svg>")
    return "\n".join(parts)
