"""Scorecard pipeline: fundamentals (and technicals) -> segments ranked on the universe's pillars.

:func:`scorecard_run` is the one function behind ``rotascope scorecard`` and the report's
Scorecard section; the facts come from
:func:`rotascope.narrative.scorecard_facts.card_facts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rotascope.analytics.scorecard import (
    Scorecard,
    inputs_from_long,
    scorecard,
    scorecard_settings,
)
from rotascope.data.earnings import (
    SAMPLE_LABEL,
    load_sample,
    read_fundamentals,
)
from rotascope.data.universe import Universe

__all__ = ["ScorecardRun", "scorecard_run"]

@dataclass(frozen=True)
class ScorecardRun:
    """The segment scorecard with its inputs, and how to name the segments."""

    card: Scorecard
    as_of: pd.Timestamp
    source: str
    is_sample: bool
    weights: Mapping[str, float] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


def _names(universe: Universe) -> dict[str, str]:
    return {s.name: s.display for s in universe.segments}


def scorecard_run(
    universe: Universe,
    *,
    fundamentals: Path | None = None,
    as_of: pd.Timestamp | None = None,
    technicals: pd.DataFrame | None = None,
) -> ScorecardRun:
    """Rank segments on valuation, technicals, leverage and earnings stability.

    ``fundamentals`` is a ``segment,date,metric,value`` file; without it the shipped sample file
    (made-up numbers, labelled as sample) is used. ``technicals`` (segment x metric, e.g. from
    :func:`~rotascope.analytics.scorecard.technical_inputs`) take precedence over file values.
    Pillars and weights come from the universe's ``[scorecard]`` table when present.
    """
    when: pd.Timestamp
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
    return ScorecardRun(card=card, as_of=when, source=source, is_sample=is_sample,
                        weights=dict(settings.weights), names=_names(universe))
