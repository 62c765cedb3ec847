"""What a report section is: one object per section, and what its work and rendering share.

A :class:`Section` says what a section computes (``build``, which calls the pipeline), which
facts it owns (with the element ids of their evidence), its HTML, Markdown and JSON output and
its method text. The ordered tuple :data:`rotascope.report.sections.SECTIONS` is the one place
that says what a report contains and in which order; the builder and the three renderers walk
it. Adding a section is one new module here and one line in that tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from rotascope.report.context import SKIP, Built, Missing, warn_missing

if TYPE_CHECKING:
    from rotascope.narrative.fact import Fact
    from rotascope.report.context import ReportContext
    from rotascope.report.model import ReportModel

__all__ = [
    "SKIP",
    "Built",
    "Missing",
    "Rendering",
    "Section",
    "SectionJson",
    "day",
    "warn_missing",
]


@dataclass(frozen=True)
class SectionJson:
    """A section's part of the JSON report: ``tables`` entries, its ``sections`` entry (when
    ``meta_key`` is set; ``meta`` None writes null) and top-level keys (``top``)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    meta_key: str = ""
    meta: dict[str, Any] | None = None
    top: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendering:
    """What every renderer call shares: the whole model, the ids the headlines link to (rows
    that must stay in a shortened table) and the longest list of rows shown."""

    model: ReportModel
    keep: frozenset[str]
    max_rows: int


def _no_anchor(fact: Fact, ctx: ReportContext) -> str | None:
    return None


@dataclass(frozen=True)
class Section:
    """One report section.

    Attributes
    ----------
    key : str
        Its id: the HTML section id, the key of its panel in :attr:`ReportModel.panels` and of
        its navigation link.
    title : str
        Its heading and navigation text.
    build : callable
        ``build(context) -> Built`` (see :class:`~rotascope.report.context.ReportContext`).
    html, markdown, json : callable
        ``html(panel, rendering) -> str``, ``markdown(panel, rendering) -> list[str]``,
        ``json(panel, include_series) -> SectionJson``; ``panel`` may be None.
    methods : tuple of (term, definition)
        Its entries of the report's definitions, in page order.
    optional : bool
        Left out of the page (and its navigation link) when it has no panel.
    anchor_of : callable
        ``anchor_of(fact, context)``: for the market facts every report computes once (series
        and pairs), the id of the evidence when this section shows it, else None.
    last : bool
        Built after every other section (the headline reads their facts).
    """

    key: str
    title: str
    build: Callable[[ReportContext], Built]
    html: Callable[[Any, Rendering], str]
    markdown: Callable[[Any, Rendering], list[str]]
    json: Callable[[Any, bool], SectionJson]
    methods: tuple[tuple[str, str], ...] = ()
    optional: bool = False
    anchor_of: Callable[[Fact, ReportContext], str | None] = _no_anchor
    last: bool = False


def day(ts: pd.Timestamp | None) -> date | None:
    """A timestamp's date, None when missing."""
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).date()
