"""Colours, fonts and tones shared by every chart.

The palette's colours are dark enough for text on white (contrast of at least 3:1); ``POSITIVE``
and ``NEGATIVE`` mark gains and losses, ``INK``/``MUTED``/``GRID`` are text, secondary text and
grid lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = ["FONT", "GRID", "INK", "MUTED", "NEGATIVE", "PALETTE", "POSITIVE", "TONE_FILL", "Tone"]

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

#: Colour of a shaded band or bar by its meaning.
Tone = Literal["positive", "negative", "neutral"]
TONE_FILL: Mapping[str, str] = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": MUTED}
