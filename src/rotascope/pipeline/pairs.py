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
    RecordResult,
    RelativeReturn,
    Unusualness,
    analogs,
    record_at,
    relative_return,
    relative_rolling,
    rotation_episodes,
    unusualness,
)
from rotascope.analytics.records import Direction
from rotascope.errors import InputError
from rotascope.pipeline.subjects import FrequencyProfile, Subject, Windows, profile_for

__all__ = [
    "PairAnalysis",
    "PairMoves",
    "PairView",
    "RelativeMove",
    "analyse_pair",
    "pair_analogs",
    "pair_episodes",
    "pair_moves",
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
                 window: str | None = None, *, nearest: int | None = None,
                 min_ratio: float | None = None) -> AnalogResult:
    """Analogs of the pair's current move (default window: five days, or three months).

    ``nearest`` takes the N largest earlier moves in the same direction, ``min_ratio`` the
    moves at least that multiple of today's; by default the moves at least as large, or the
    10 largest when fewer than 5 are (see :func:`rotascope.analytics.analogs`).
    """
    prof = pair_profile(a, b)
    w = window or f"{prof.analog_rows}d"
    return analogs(a.prices.dropna(), b.prices.dropna(), w, as_of, horizons=prof.analog_horizons,
                   nearest=nearest, min_ratio=min_ratio)


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


@dataclass(frozen=True)
class RelativeMove:
    """A's N-row move against B to the pair's last common date: the relative return (with both
    legs' returns and the spread), its unusualness, and its record horizon in its direction."""

    rows: int
    label: str
    relative: RelativeReturn
    move: Unusualness
    direction: Direction
    record: RecordResult


@dataclass(frozen=True)
class PairMoves:
    """Everything the facts of a pair on one date describe (see :func:`pair_moves`)."""

    a: Subject
    b: Subject
    last: pd.Timestamp
    profile: FrequencyProfile
    year: RelativeReturn | None
    moves: list[RelativeMove]
    analysis: PairAnalysis
    current: Unusualness | None


def _cut(s: pd.Series, as_of: pd.Timestamp | None) -> pd.Series:
    s = s.dropna()
    return s if as_of is None else s[s.index <= as_of]


def pair_moves(a: Subject, b: Subject, as_of: pd.Timestamp | None = None,
               analysis: PairAnalysis | None = None,
               windows: Windows | None = None) -> PairMoves:
    """The moves of A vs B on ``as_of``: the year-to-date relative return, each N-row relative
    return ``(1 + rA) / (1 + rB) - 1`` with its z-score, percentile and record horizon, the
    episodes and analogs (``analysis``, computed when not given) and the unusualness of the
    current move over the analog window (None without analogs).

    Raises
    ------
    InputError
        Fewer than three common dates on or before the date.
    """
    prof = pair_profile(a, b).with_windows(windows)
    pa, pb = _cut(a.prices, as_of), _cut(b.prices, as_of)
    common = pa.index.intersection(pb.index)
    if len(common) < 3:
        raise InputError(f"{a.name} vs {b.name}: fewer than three common dates on or before "
                         "the as-of date")
    last = common[-1]
    try:
        year: RelativeReturn | None = relative_return(pa, pb, "ytd", last)
    except InputError:
        year = None
    moves = []
    for n in prof.relative_rows:
        rel = relative_rolling(pa, pb, n).dropna()
        if rel.empty or rel.index[-1] != last:
            continue
        rr = relative_return(pa, pb, f"{n}d", last)
        direction: Direction = "gain" if rr.value >= 0 else "drop"
        moves.append(RelativeMove(rows=n, label=prof.row_label(n), relative=rr,
                                  move=unusualness(rel, None, prof.zscore_lookback),
                                  direction=direction, record=record_at(rel, None, direction)))
    done = analysis if analysis is not None else analyse_pair(a, b, as_of)
    current = None
    if done.analogs is not None:
        rel_now = relative_rolling(pa, pb, prof.analog_rows).dropna()
        current = unusualness(rel_now, None, prof.zscore_lookback)
    return PairMoves(a=a, b=b, last=last, profile=prof, year=year, moves=moves, analysis=done,
                     current=current)
