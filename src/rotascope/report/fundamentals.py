"""Earnings-season and scorecard views: data files -> analytics -> facts, for CLI and report.

Both views read the documented CSV layouts (or the shipped, made-up sample files when no file is
given, labelled as such) and return the tables and facts a command or report section shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rotascope.analytics.earnings import (
    earnings_season,
    revision_breadth,
    season_comparison,
    season_label,
)
from rotascope.analytics.scorecard import (
    Scorecard,
    inputs_from_long,
    scorecard,
    scorecard_settings,
)
from rotascope.data.earnings import (
    SAMPLE_LABEL,
    load_sample,
    read_earnings,
    read_fundamentals,
    read_revisions,
)
from rotascope.data.holdings import read_membership
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.narrative.earnings_facts import earnings_facts
from rotascope.narrative.fact import Fact
from rotascope.narrative.scorecard_facts import scorecard_facts

__all__ = ["EarningsView", "ScorecardView", "earnings_view", "scorecard_view"]

BREADTH_PERIODS = ("0q", "+1y")


@dataclass(frozen=True)
class EarningsView:
    """One earnings season per segment: beat rates, revision breadth, comparison, facts."""

    season: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    as_of: pd.Timestamp
    table: pd.DataFrame
    breadth: Mapping[str, pd.DataFrame]
    comparison: pd.DataFrame
    facts: list[Fact]
    source: str
    is_sample: bool


@dataclass(frozen=True)
class ScorecardView:
    """The segment scorecard with its inputs and facts."""

    card: Scorecard
    as_of: pd.Timestamp | None
    facts: list[Fact]
    source: str
    is_sample: bool
    weights: Mapping[str, float] = field(default_factory=dict)


def _names(universe: Universe) -> dict[str, str]:
    return {s.name: s.display for s in universe.segments}


def _benchmark(universe: Universe, segments: pd.Index) -> str:
    return universe.benchmark if universe.benchmark in segments else str(segments[0])


def earnings_view(
    universe: Universe,
    *,
    earnings: Path | None = None,
    membership: Path | None = None,
    revisions: Path | None = None,
    segments: list[str] | None = None,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
) -> EarningsView:
    """Compute the earnings season of ``universe``'s segments.

    Without ``earnings`` and ``membership`` files the shipped sample files are used (made-up
    numbers in the published layouts, mapped onto the ``us`` universe) and labelled as sample.
    """
    is_sample = earnings is None and membership is None
    revs: pd.DataFrame | None
    when: pd.Timestamp | None
    if is_sample:
        sample = load_sample("us")
        names_universe_note = SAMPLE_LABEL
        earn, memb, revs = sample.earnings, sample.membership, sample.revisions
        when = as_of if as_of is not None else sample.as_of
        source = f"sample earnings files ({names_universe_note})"
    else:
        if earnings is None or membership is None:
            raise InputError("--earnings and --membership go together (or give neither for the sample)")
        earn, memb = read_earnings(earnings), read_membership(membership)
        revs = read_revisions(revisions) if revisions is not None else None
        when = as_of
        source = f"earnings: {earnings}; membership: {membership}" + (
            f"; revisions: {revisions}" if revisions is not None else "")
    if segments:
        wanted = {universe.segment(s).name if universe.has_segment(s) else s for s in segments}
        memb = memb[memb["segment"].isin(wanted)]
        if memb.empty:
            raise InputError(f"no membership rows for segments: {', '.join(sorted(wanted))}")
    table = earnings_season(earn, memb, start, end, as_of=when)
    last = pd.Timestamp(when) if when is not None else pd.Timestamp(earn["report_date"].max())
    breadth = ({p: revision_breadth(revs, memb, p, as_of=last) for p in BREADTH_PERIODS}
               if revs is not None else {})
    comparison = season_comparison(earn, memb, as_of=last)
    names = _names(universe)
    facts = earnings_facts(table, breadth=breadth, comparison=comparison,
                           benchmark=_benchmark(universe, table.index), names=names, source=source)
    return EarningsView(season=season_label(end if end is not None else last), start=start,
                        end=end, as_of=last, table=table, breadth=breadth,
                        comparison=comparison, facts=facts, source=source, is_sample=is_sample)


def scorecard_view(
    universe: Universe,
    *,
    fundamentals: Path | None = None,
    as_of: pd.Timestamp | None = None,
    technicals: pd.DataFrame | None = None,
) -> ScorecardView:
    """Rank segments on valuation, technicals, leverage and earnings stability.

    ``fundamentals`` is a ``segment,date,metric,value`` file; without it the shipped sample file
    (made-up numbers, labelled as sample) is used. ``technicals`` (segment x metric, e.g. from
    :func:`~rotascope.analytics.scorecard.technical_inputs`) take precedence over file values.
    Pillars and weights come from the universe's ``[scorecard]`` table when present.
    """
    when: pd.Timestamp | None
    if fundamentals is None:
        sample = load_sample("us")
        long = pd.concat([sample.fundamentals, sample.technicals], ignore_index=True)
        when = as_of if as_of is not None else sample.as_of
        source = f"sample fundamentals files ({SAMPLE_LABEL})"
        is_sample = True
    else:
        long = read_fundamentals(fundamentals)
        # Without --as-of the scorecard is as of the file's latest date.
        when = as_of if as_of is not None else pd.Timestamp(long["date"].max())
        source = f"fundamentals: {fundamentals}"
        is_sample = False
    inputs = inputs_from_long(long, as_of=when)
    if technicals is not None and not technicals.empty:
        inputs = technicals.combine_first(inputs)
    settings = scorecard_settings(universe.scorecard, origin=universe.origin)
    card = scorecard(inputs, pillars=settings.pillars, weights=settings.weights)
    facts = scorecard_facts(card, as_of=when, names=_names(universe), source=source)
    return ScorecardView(card=card, as_of=when, facts=facts, source=source, is_sample=is_sample,
                         weights=dict(settings.weights))
