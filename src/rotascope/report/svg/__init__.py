"""Static inline SVG charts for the report, in small modules.

Every chart is a plain SVG string built in Python: no JavaScript library, no network, no fonts
to fetch. Output is deterministic (same input, same bytes), every piece of text is escaped, and
each chart carries an accessible ``<title>``/``<desc>`` and native ``<title>`` tooltips. Dated
line charts also embed their points (:mod:`.explore`) so that the report's one inlined script
can add range buttons, zoom, a cursor readout, keyboard control and a hidden data table.

Modules
-------
style       palette, colours, font, tones
ticks       round-number, calendar and day-offset ticks
primitives  scales, coordinates, escaping, text widths, the ``<svg>`` opening, downsampling
axes        plot geometry, padded domains, grid, axis labels, last value, hover strips
band        shaded date ranges (rotation episodes) and their legend
explore     the JSON a line chart embeds for the script
line        :func:`line_chart` (one dated line with bands)
frame       :func:`frame_chart` (several columns, dated or numeric axis)
bar         :func:`bar_chart`
rrg         :func:`rrg_chart` (Relative Rotation Graph)
"""

from __future__ import annotations

from rotascope.report.svg.band import Band
from rotascope.report.svg.bar import bar_chart
from rotascope.report.svg.frame import LineStyle, frame_chart
from rotascope.report.svg.line import line_chart
from rotascope.report.svg.primitives import downsample_minmax
from rotascope.report.svg.rrg import rrg_chart
from rotascope.report.svg.style import GRID, INK, MUTED, NEGATIVE, PALETTE, POSITIVE
from rotascope.report.svg.ticks import date_ticks, nice_ticks, offset_ticks

__all__ = [
    "GRID",
    "INK",
    "MUTED",
    "NEGATIVE",
    "PALETTE",
    "POSITIVE",
    "Band",
    "LineStyle",
    "bar_chart",
    "date_ticks",
    "downsample_minmax",
    "frame_chart",
    "line_chart",
    "nice_ticks",
    "offset_ticks",
    "rrg_chart",
]
