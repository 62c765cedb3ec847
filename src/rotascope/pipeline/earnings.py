"""Earnings pipeline: earnings, membership and revision files -> one season per segment.

:func:`earnings_run` is the one function behind ``rotascope earnings`` and the report's
Earnings section. It reads the documented CSV layouts (or the shipped, made-up sample files when
no file is given, labelled as such) and runs the season analytics; the facts come from
:func:`rotascope.narrative.earnings_facts.season_facts`.
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
from rotascope.data.earnings import (
    SAMPLE_LABEL,
    load_sample,
    read_earnings,
    read_revisions,
)
from rotascope.data.holdings import read_membership
from rotascope.data.universe import Universe
from rotascope.errors import InputError

__all__ = ["BREADTH_PERIODS", "EarningsRun", "earnings_run"]

BREADTH_PERIODS = ("0q", "+1y")


@dataclass(frozen=True)
class EarningsRun:
    """One earnings season per segment: beat rates, revision breadth, the comparison with the
    previous season, and how to name the segments (``names``) and the benchmark."""

    season: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    as_of: pd.Timestamp
    table: pd.DataFrame
    breadth: Mapping[str, pd.DataFrame]
    comparison: pd.DataFrame
    source: str
    is_sample: bool
    benchmark: str = ""
    names: Mapping[str, str] = field(default_factory=dict)


def _names(universe: Universe) -> dict[str, str]:
    return {s.name: s.display for s in universe.segments}


def _benchmark(universe: Universe, segments: pd.Index) -> str:
    return universe.benchmark if universe.benchmark in segments else str(segments[0])


def earnings_run(
    universe: Universe,
    *,
    earnings: Path | None = None,
    membership: Path | None = None,
    revisions: Path | None = None,
    segments: list[str] | None = None,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
) -> EarningsRun:
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
    return EarningsRun(season=season_label(end if end is not None else last), start=start,
                       end=end, as_of=last, table=table, breadth=breadth,
                       comparison=comparison, source=source, is_sample=is_sample,
                       benchmark=_benchmark(universe, table.index), names=_names(universe))


