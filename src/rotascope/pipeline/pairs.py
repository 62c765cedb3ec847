"""Pairs A vs B: rotation episodes, analogs and the current move's unusualness, computed once per
report date and shared by the facts (:mod:`rotascope.narrative.pair_facts`), the report's
panels and the CLI's ``analogs`` and ``episodes``.

Every function reads only rows on or before ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotascope.analytics import (
    AnalogResult,
    Unusualness,
    analogs,
    relative_rolling,
    rotation_episodes,
    unusualness,
)
from rotascope.errors import InputError
from rotascope.pipeline.subjects import FrequencyProfile, Subject, profile_for

__all__ = [
    "PairAnalysis",
    "PairView",
    "analyse_pair",
    "pair_analogs",
    "pair_episodes",
    "pair_profile",
    "pair_view",
]


@dataclass(frozen=True)
class PairAnalysis:
    """A pair's rotation episodes and analogs at one date, computed once and shared by the
    facts and the report panels (see :func:`analyse_pair`)."""

    episodes: pd.DataFrame
    analogs: AnalogResult | None


def analyse_pair(a: Subject, b: Subject, as_of: pd.Timestamp | None = None) -> PairAnalysis:
    """:func:`pair_episodes` and :func:`pair_analogs` of A vs B at ``as_of``.

    ``analogs`` is None when the history is too short for them.
    """
    try:
        res: AnalogResult | None = pair_analogs(a, b, as_of)
    except InputError:
        res = None
    return PairAnalysis(episodes=pair_episodes(a, b, as_of), analogs=res)


def pair_profile(a: Subject, b: Subject) -> FrequencyProfile:
    """Profile of a pair: monthly if either leg is slower than daily."""
    daily = a.frequency == "daily" and b.frequency == "daily"
    return profile_for("daily" if daily else "monthly")


def pair_episodes(a: Subject, b: Subject, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Rotation episodes of A vs B with the pair's frequency parameters."""
    prof = pair_profile(a, b)
    return rotation_episodes(
        a.prices.dropna(), b.prices.dropna(), n=prof.episode_rows, lookback=prof.episode_lookback,
        min_periods=prof.episode_min_periods, cooloff=prof.episode_cooloff, as_of=as_of,
    )


def pair_analogs(a: Subject, b: Subject, as_of: pd.Timestamp | None = None,
                 window: str | None = None) -> AnalogResult:
    """Analogs of the pair's current move (default window: five days, or three months)."""
    prof = pair_profile(a, b)
    w = window or f"{prof.analog_rows}d"
    return analogs(a.prices.dropna(), b.prices.dropna(), w, as_of, horizons=prof.analog_horizons)


@dataclass(frozen=True)
class PairView:
    """A pair's current move for its report panel: both legs cut at the date, the frequency
    profile and the unusualness of the move over the analog window."""

    a_prices: pd.Series
    b_prices: pd.Series
    profile: FrequencyProfile
    move: Unusualness


def pair_view(a: Subject, b: Subject, as_of: pd.Timestamp) -> PairView:
    """The current move of A vs B over the pair's analog window (``prof.analog_rows`` rows):
    its relative return, z-score against the trailing lookback and percentile in history.

    Raises
    ------
    InputError
        Too little history for the window or the z-score.
    """
    prof = pair_profile(a, b)
    pa, pb = a.prices[a.prices.index <= as_of], b.prices[b.prices.index <= as_of]
    rel = relative_rolling(pa, pb, prof.analog_rows).dropna()
    return PairView(a_prices=pa, b_prices=pb, profile=prof,
                    move=unusualness(rel, None, prof.zscore_lookback))
