"""Pairs A vs B: rotation episodes, analogs and the current move's unusualness, computed once per
report date and shared by the facts (:mod:`rotascope.narrative.pair_facts`), the report's
panels and the CLI's ``analogs`` and ``episodes``.

Every function reads only rows on or before ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rotascope.analytics import (
    AnalogResult,
    RecordResult,
    RelativeReturn,
    Unusualness,
    analogs,
    ranked_horizons,
    record_at,
    relative_return,
    relative_rolling,
    rotation_episodes,
    rs_line,
    spread_rolling,
    unusualness,
)
from rotascope.analytics.periods import PeriodResult, period_record
from rotascope.analytics.records import Direction
from rotascope.errors import InputError
from rotascope.pipeline.series import DAILY_PERIODS, RANKED, without_nan
from rotascope.pipeline.subjects import FrequencyProfile, Subject, Windows, profile_for

__all__ = [
    "PairAnalysis",
    "PairMoves",
    "PairPeriod",
    "PairView",
    "RatioRecord",
    "RelativeMove",
    "analyse_pair",
    "pair_analogs",
    "pair_episodes",
    "pair_moves",
    "pair_periods",
    "pair_profile",
    "pair_view",
    "ratio_record",
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
        without_nan(a.prices), without_nan(b.prices), n=prof.episode_rows,
        lookback=prof.episode_lookback, min_periods=prof.episode_min_periods,
        cooloff=prof.episode_cooloff, as_of=as_of,
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
    return analogs(without_nan(a.prices), without_nan(b.prices), w, as_of,
                   horizons=prof.analog_horizons, nearest=nearest, min_ratio=min_ratio)


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
    rel = without_nan(relative_rolling(pa, pb, prof.analog_rows))
    return PairView(a_prices=pa, b_prices=pb, profile=prof,
                    move=unusualness(rel, None, prof.zscore_lookback))


@dataclass(frozen=True)
class RelativeMove:
    """A's N-row move against B to the pair's last common date.

    The move is ranked by its **margin**, the spread ``rA - rB`` the sentence states in
    percentage points ("beat the S&P 500 by 4.5 percentage points, its biggest margin since
    October 2008"): ``direction`` by its sign (A ahead: "gain"), ``margin_record`` its record
    horizon in that direction, ``margin_move`` its z-score and percentile, ``ranked`` its
    ranked horizons (:func:`~rotascope.analytics.ranked_horizons`) and ``rows_since`` the rows
    from the record horizon to the date (None on record). The relative return ``(1 + rA) / (1 +
    rB) - 1`` (same sign) is kept with its own unusualness (``move``) and record (``record``)
    as evidence.
    """

    rows: int
    label: str
    relative: RelativeReturn
    move: Unusualness
    direction: Direction
    record: RecordResult
    margin_move: Unusualness
    margin_record: RecordResult
    ranked: tuple[pd.Timestamp, ...]
    rows_since: int | None


@dataclass(frozen=True)
class PairPeriod:
    """The calendar period holding the date, for the relative strength line A/B: ``result``
    ranks the relative return of the period (the ratio's period return, ``(1 + rA) / (1 + rB)
    - 1``) among the same periods; ``a_return`` and ``b_return`` are the legs' returns over the
    same closes."""

    result: PeriodResult
    a_return: float
    b_return: float


@dataclass(frozen=True)
class RatioRecord:
    """The relative strength ratio A/B on the date against its own history.

    ``level`` is the ratio rebased to 100 at the first common date (the level of a ratio is
    arbitrary, its record horizon is not); ``record`` is its record horizon as a level, in the
    direction with the longer horizon ("gain": the highest since, "drop": the lowest since);
    ``ranked`` and ``rows_since`` as in :class:`RelativeMove`.
    """

    level: float
    record: RecordResult
    ranked: tuple[pd.Timestamp, ...]
    rows_since: int | None


@dataclass(frozen=True)
class PairMoves:
    """Everything the facts of a pair on one date describe (see :func:`pair_moves`);
    ``periods`` and ``ratio`` are empty/None unless asked for (a daily pair with the default
    windows)."""

    a: Subject
    b: Subject
    last: pd.Timestamp
    profile: FrequencyProfile
    year: RelativeReturn | None
    moves: list[RelativeMove]
    analysis: PairAnalysis
    current: Unusualness | None
    periods: list[PairPeriod] = field(default_factory=list)
    ratio: RatioRecord | None = None


def _cut(s: pd.Series, as_of: pd.Timestamp | None) -> pd.Series:
    s = without_nan(s)
    return s if as_of is None else s[s.index <= as_of]


def _rows_since(stat: pd.Series, rec: RecordResult) -> int | None:
    if rec.since is None:
        return None
    return len(stat) - 1 - int(stat.index.get_loc(rec.since))  # type: ignore[arg-type]


def _relative_move(pa: pd.Series, pb: pd.Series, n: int, last: pd.Timestamp,
                   prof: FrequencyProfile) -> RelativeMove | None:
    rel = without_nan(relative_rolling(pa, pb, n))
    if rel.empty or rel.index[-1] != last:
        return None
    spread = without_nan(spread_rolling(pa, pb, n))
    rr = relative_return(pa, pb, f"{n}d", last)
    direction: Direction = "gain" if rr.spread >= 0 else "drop"
    margin = record_at(spread, None, direction)
    return RelativeMove(
        rows=n, label=prof.row_label(n), relative=rr,
        move=unusualness(rel, None, prof.zscore_lookback), direction=direction,
        record=record_at(rel, None, direction),
        margin_move=unusualness(spread, None, prof.zscore_lookback), margin_record=margin,
        ranked=ranked_horizons(spread, None, direction, RANKED),
        rows_since=_rows_since(spread, margin),
    )


def pair_periods(pa: pd.Series, pb: pd.Series, last: pd.Timestamp,
                 periods: tuple[str, ...] = DAILY_PERIODS) -> list[PairPeriod]:
    """Each calendar period holding ``last`` of the ratio A/B on common dates (complete, or
    to date; :func:`~rotascope.analytics.periods.period_record`), with both legs' returns over
    the same closes: the period's last close over the last close before its first day."""
    common = pa.index.intersection(pb.index)
    a, b = pa.loc[common], pb.loc[common]
    ratio = rs_line(a, b)
    out = []
    for period in periods:
        try:
            res = period_record(ratio, period, last)
        except InputError:
            continue
        before = common[common < res.period_start]
        if before.empty:
            continue
        ra = float(a.loc[res.date] / a.loc[before[-1]] - 1.0)
        rb = float(b.loc[res.date] / b.loc[before[-1]] - 1.0)
        out.append(PairPeriod(result=res, a_return=ra, b_return=rb))
    return out


def ratio_record(pa: pd.Series, pb: pd.Series) -> RatioRecord | None:
    """The ratio A/B (rebased to 100) at the last common date as a level against its history:
    the highest or the lowest since (the direction with the longer horizon; a record on the
    whole history wins); None with fewer than two common dates."""
    ratio = without_nan(rs_line(pa, pb))
    if len(ratio) < 2:
        return None
    high, low = record_at(ratio, None, "gain"), record_at(ratio, None, "drop")
    rec = high if (high.on_record or (not low.on_record and high.years >= low.years)) else low
    return RatioRecord(level=float(ratio.iloc[-1]), record=rec,
                       ranked=ranked_horizons(ratio, None, rec.direction, RANKED),
                       rows_since=_rows_since(ratio, rec))


def pair_moves(a: Subject, b: Subject, as_of: pd.Timestamp | None = None,
               analysis: PairAnalysis | None = None,
               windows: Windows | None = None) -> PairMoves:
    """The moves of A vs B on ``as_of``: the year-to-date relative return, each N-row move
    (:class:`RelativeMove`: the margin ``rA - rB`` with its record horizon, ranked horizons,
    z-score and percentile; the relative return ``(1 + rA) / (1 + rB) - 1`` beside it), the
    episodes and analogs (``analysis``, computed when not given), the unusualness of the
    current move over the analog window (None without analogs) and, for a daily pair with the
    default windows, the calendar periods of the ratio A/B (:func:`pair_periods`) and the
    ratio's level record (:func:`ratio_record`).

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
    moves = [m for n in prof.relative_rows
             if (m := _relative_move(pa, pb, n, last, prof)) is not None]
    done = analysis if analysis is not None else analyse_pair(a, b, as_of)
    current = None
    if done.analogs is not None:
        rel_now = without_nan(relative_rolling(pa, pb, prof.analog_rows))
        current = unusualness(rel_now, None, prof.zscore_lookback)
    default = windows is None and prof.frequency == "daily"
    return PairMoves(a=a, b=b, last=last, profile=prof, year=year, moves=moves, analysis=done,
                     current=current, periods=pair_periods(pa, pb, last) if default else [],
                     ratio=ratio_record(pa, pb) if default else None)
