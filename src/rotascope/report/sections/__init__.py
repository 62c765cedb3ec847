"""The report's sections, in page order: the one place that says what a report contains.

The builder (:func:`rotascope.report.build.build_report`) builds each section (the headline
last: it reads the others' facts) and the renderers (HTML, Markdown, JSON) walk this tuple.
Adding a section is one module in this package and one line here.
"""

from __future__ import annotations

from rotascope.report.sections import (
    analogs,
    breadth,
    drivers,
    earnings,
    factors,
    headline,
    markets,
    method,
    performance,
    rotations,
    rrg,
    scorecard,
    valuation,
)
from rotascope.report.sections.base import Section

__all__ = ["SECTIONS", "Section", "section"]

SECTIONS: tuple[Section, ...] = (
    headline.SECTION,
    markets.SECTION,
    performance.SECTION,
    rotations.SECTION,
    rrg.SECTION,
    analogs.SECTION,
    valuation.SECTION,
    factors.SECTION,
    drivers.SECTION,
    earnings.SECTION,
    scorecard.SECTION,
    breadth.SECTION,
    method.SECTION,
)


def section(key: str) -> Section:
    """The section with this key."""
    for s in SECTIONS:
        if s.key == key:
            return s
    raise KeyError(f"no report section {key!r}; known: {', '.join(s.key for s in SECTIONS)}")
