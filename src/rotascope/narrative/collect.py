"""Collect the facts of many series and pairs, ranked with the most notable first."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

from rotascope.errors import InputError, RotascopeWarning
from rotascope.narrative.fact import Fact, notability_reasons
from rotascope.narrative.pair_facts import pair_facts
from rotascope.narrative.series_facts import series_facts
from rotascope.pipeline.pairs import PairAnalysis
from rotascope.pipeline.subjects import Subject, Windows

__all__ = ["collect_facts", "rank_facts"]


def _score(fact: Fact) -> float:
    """Sort key: record horizons in years, then |z|, then extreme percentiles."""
    score = 0.0
    years = fact.details.get("years")
    if fact.kind in ("record_gain", "record_drop") and isinstance(years, float):
        score = max(score, years)
    if fact.details.get("on_record"):
        score = max(score, 100.0)
    if not math.isnan(fact.zscore):
        score = max(score, abs(fact.zscore))
    if not math.isnan(fact.percentile):
        score = max(score, 10 * abs(fact.percentile - 0.5))
    if fact.kind == "rotation_episode" and fact.details.get("ongoing"):
        score = max(score, 3.0)
    return max(score, _fundamentals_score(fact))


#: Factor status -> score: an unwind outranks a bottom-decile move, a crash nearly everything.
_STATUS_SCORE = {"rebounding": 3.0, "rolling-over": 3.0, "unwind": 6.0, "crash": 10.0}


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not math.isnan(value) else 0.0


def _fundamentals_score(fact: Fact) -> float:
    """Scores of the fundamentals kinds: record years of valuations, factor status, |t| of
    drivers and event studies, the spreads of earnings facts (10 points of beat rate = 1)."""
    d = fact.details
    if fact.kind == "valuation_record":
        return _number(d.get("years"))
    if fact.kind == "factor_status":
        return _STATUS_SCORE.get(str(d.get("status")), 0.0)
    if fact.kind in ("driver_beta", "event_study"):
        return abs(_number(d.get("tstat")))
    if fact.kind == "earnings_beat_rate":
        return 10 * abs(_number(d.get("spread")))
    if fact.kind == "revision_breadth":
        return 4 * abs(_number(d.get("spread")))
    if fact.kind == "earnings_season_comparison":
        return 10 * abs(_number(d.get("change")))
    if fact.kind == "scorecard_rank" and fact.rank is not None and fact.of:
        return 2.0 if fact.rank in (1, fact.of) else 0.0
    return 0.0


def rank_facts(facts: Iterable[Fact]) -> list[Fact]:
    """Facts ordered for reading: notable ones first, by strength, then by subject order."""
    items = list(facts)
    order = {id(f): i for i, f in enumerate(items)}
    return sorted(items, key=lambda f: (not notability_reasons(f), -_score(f), order[id(f)]))


def collect_facts(
    subjects: dict[str, Subject],
    pairs: Iterable[tuple[str, str]] = (),
    as_of: pd.Timestamp | None = None,
    analyses: Mapping[tuple[str, str], PairAnalysis] | None = None,
    windows: Windows | None = None,
) -> list[Fact]:
    """Facts of every subject and pair at ``as_of``, ranked (see :func:`rank_facts`).

    A subject or pair whose history is too short for its facts is skipped with a
    :class:`~rotascope.errors.RotascopeWarning` naming it. ``analyses``: pairs' episodes and
    analogs at ``as_of`` already computed (:func:`~rotascope.narrative.pair_facts.analyse_pair`),
    by ``(a, b)``. ``windows``: N-row windows instead of each frequency's defaults
    (:func:`~rotascope.pipeline.subjects.parse_windows`).
    """
    facts: list[Fact] = []
    for name, subject in subjects.items():
        try:
            facts.extend(series_facts(subject, as_of, windows))
        except InputError as exc:
            warnings.warn(f"{name}: no facts ({exc})", RotascopeWarning, stacklevel=2)
    for a, b in pairs:
        if a not in subjects or b not in subjects:
            continue
        try:
            done = analyses.get((a, b)) if analyses is not None else None
            facts.extend(pair_facts(subjects[a], subjects[b], as_of, done, windows))
        except InputError as exc:
            warnings.warn(f"{a} vs {b}: no facts ({exc})", RotascopeWarning, stacklevel=2)
    return rank_facts(facts)
