"""Shaded date ranges on a line chart (rotation episodes) and their legend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from rotascope.report.svg.axes import Plot
from rotascope.report.svg.primitives import esc, fmt_coord, text_width
from rotascope.report.svg.style import MUTED, TONE_FILL, Tone

__all__ = ["Band", "band_at", "band_legend", "band_rects", "bands_in_range"]

_f, _e = fmt_coord, esc


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


def bands_in_range(bands: Sequence[Band], first: pd.Timestamp, last: pd.Timestamp) -> list[Band]:
    """The bands that overlap ``[first, last]``, in their order."""
    return [b for b in bands if pd.Timestamp(b.end) >= first and pd.Timestamp(b.start) <= last]


def band_at(when: pd.Timestamp, bands: Sequence[Band]) -> Band | None:
    """The first band holding the date ``when``, if any."""
    for band in bands:
        if pd.Timestamp(band.start) <= when <= pd.Timestamp(band.end):
            return band
    return None


def band_legend(legend: Mapping[str, str], bands: Sequence[Band], left: float) -> list[str]:
    """One swatch and label (class ``legend``) per tone in ``legend`` that some band has."""
    out = []
    x = left
    for tone in ("positive", "negative", "neutral"):
        if tone not in legend or not any(b.tone == tone for b in bands):
            continue
        label = legend[tone]
        out.append(
            f'<g class="legend"><rect x="{_f(x)}" y="30" width="12" height="12" '
            f'fill="{TONE_FILL[tone]}" fill-opacity="0.25" stroke="{TONE_FILL[tone]}" '
            f'stroke-opacity="0.5"/><text x="{_f(x + 17)}" y="40" font-size="11" '
            f'fill="{MUTED}">{_e(label)}</text></g>'
        )
        x += 17 + text_width(label, 11) + 16
    return out


def band_rects(
    plot: Plot, bands: Sequence[Band], first: pd.Timestamp, last: pd.Timestamp
) -> list[str]:
    """A translucent full-height rectangle with a tooltip per band, clipped to the data range."""
    out = []
    for band in bands:
        b0 = plot.sx(float(max(pd.Timestamp(band.start), first).value))
        b1 = plot.sx(float(min(pd.Timestamp(band.end), last).value))
        w = max(b1 - b0, 1.5)
        out.append(
            f'<rect class="band" x="{_f(b0)}" y="{_f(plot.top)}" width="{_f(w)}" '
            f'height="{_f(plot.base - plot.top)}" fill="{TONE_FILL[band.tone]}" '
            f'fill-opacity="0.16"><title>{_e(band.label)}</title></rect>'
        )
    return out
