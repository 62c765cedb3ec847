"""What the sections of one report share while they are built.

A :class:`ReportContext` holds the :class:`~rotascope.pipeline.market.Market` (segments loaded
point in time, pair analyses), the market facts computed once for the whole report (every
segment's and pair's facts and the year-to-date comparison), the sections already built (the
headline reads their facts) and how to report an item left out.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from rotascope.data.loader import DataSource
from rotascope.data.panel import PanelReader
from rotascope.data.panel_members import SegmentMembers
from rotascope.data.universe import Universe
from rotascope.errors import InputError, RotascopeError, RotascopeWarning
from rotascope.narrative.collect import collect_facts
from rotascope.narrative.comparison_facts import comparison_fact
from rotascope.narrative.fact import Fact, with_data_age
from rotascope.pipeline.market import Market
from rotascope.pipeline.pairs import PairView, pair_view
from rotascope.pipeline.subjects import Subject, Windows

if TYPE_CHECKING:
    from rotascope.report.sections.base import Section

__all__ = ["SKIP", "Built", "Missing", "ReportContext", "market_facts", "warn_missing"]

#: Called with (item, error) for every item a section leaves out.
Missing = Callable[[str, Exception], None]
#: Errors that leave one item out (bad or missing data, unreadable files), not the report.
SKIP = (RotascopeError, OSError)


def warn_missing(name: str, exc: Exception) -> None:
    """The default :data:`Missing`: a :class:`~rotascope.errors.RotascopeWarning` naming it."""
    warnings.warn(f"{name} left out: {exc}", RotascopeWarning, stacklevel=3)


@dataclass
class Built:
    """What a section's ``build`` returns.

    Attributes
    ----------
    panel : object or None
        What the renderers show (None: the section has nothing; optional sections are then
        left out of the page).
    facts : list of (Fact, str, bool)
        The section's facts with the id of their evidence and whether they come from made-up
        sample files (headline candidates).
    sources : list of dict
        Rows of the report's sources table (``series, source, first, last, frequency``).
    notes : list of str
        Report-level notes (shown under the headlines), e.g. why a section is left out.
    """

    panel: Any = None
    facts: list[tuple[Fact, str, bool]] = field(default_factory=list)
    sources: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def market_facts(market: Market, windows: Windows | None = None) -> list[Fact]:
    """Every segment's and pair's facts on the market's date, ranked, then the year-to-date
    comparison of the main segments; each stamped with its data's age."""
    subjects, when = market.subjects, market.when
    facts = collect_facts(subjects, [(p.a, p.b) for p in market.pairs], when, market.analyses,
                          windows)
    u = market.universe
    year = comparison_fact(subjects, list(u.main), when, benchmark=u.benchmark)
    facts = [*facts, *([year] if year is not None else [])]
    return [with_data_age(f, subjects[f.subject].frequency if f.subject in subjects else "daily",
                          when) for f in facts]


@dataclass
class ReportContext:
    """The shared state of one report's build.

    Attributes
    ----------
    market : Market
        Segments, date, pair analyses.
    market_facts : list of Fact
        :func:`market_facts` of the market.
    sections : sequence of Section
        The report's sections in page order (their ``anchor_of`` place the market facts).
    missing : callable
        Called with (item, error) for every item a section leaves out.
    breadth : (PanelReader, list of SegmentMembers), optional
        The Breadth section's inputs when given by the caller (else the universe's).
    built : dict
        The sections built so far, by key.
    """

    market: Market
    market_facts: list[Fact]
    sections: Sequence[Section]
    missing: Missing
    breadth: tuple[PanelReader, list[SegmentMembers]] | None = None
    progress: Callable[[str], None] = field(default=lambda what: None)
    built: dict[str, Built] = field(default_factory=dict)
    _views: dict[tuple[str, str], PairView | None] = field(default_factory=dict)

    @property
    def universe(self) -> Universe:
        return self.market.universe

    @property
    def source(self) -> DataSource:
        return self.market.source

    @property
    def when(self) -> pd.Timestamp:
        return self.market.when

    @property
    def subjects(self) -> dict[str, Subject]:
        return self.market.subjects

    def pair_view(self, a: str, b: str) -> PairView | None:
        """The current move of a pair with an analysis (None when it has none, or too little
        history for the move's z-score), computed once."""
        if (a, b) not in self._views:
            view = None
            if (a, b) in self.market.analyses:
                try:
                    view = pair_view(self.subjects[a], self.subjects[b], self.when)
                except InputError:
                    view = None
            self._views[a, b] = view
        return self._views[a, b]

    def pair_key(self, a: str, b: str) -> str:
        """The universe's name of the pair A vs B (``a-vs-b`` when it is not one of its pairs)."""
        return next((p.name for p in self.market.pairs if (p.a, p.b) == (a, b)), f"{a}-vs-{b}")

    def anchor_of(self, fact: Fact) -> str:
        """The id of a market fact's evidence: the first section that shows it."""
        for section in self.sections:
            anchor = section.anchor_of(fact, self)
            if anchor is not None:
                return anchor
        raise ValueError(f"no section shows a {fact.kind} fact of {fact.subject}")
