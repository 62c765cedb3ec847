"""Facts about a pair A vs B: relative returns, records, rotation episodes and analogs."""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from rotascope.analytics import AnalogResult
from rotascope.narrative.calendar_facts import period_fact
from rotascope.narrative.fact import Z_NOTABLE, Fact
from rotascope.narrative.record_wording import horizon_words, stated_horizon
from rotascope.narrative.wording import (
    day_text,
    ordinal,
    pct,
    pp,
    signed_pct,
    window_noun,
    window_phrase,
)
from rotascope.pipeline.pairs import (
    PairAnalysis,
    PairMoves,
    RatioRecord,
    RelativeMove,
    pair_moves,
)
from rotascope.pipeline.subjects import FrequencyProfile, Subject, Windows

__all__ = [
    "analog_fact",
    "flip_relative",
    "RATIO_NOTE",
    "moves_facts",
    "pair_facts",
]


def _source(a: Subject, b: Subject) -> str:
    return f"{a.display}: {a.source}; {b.display}: {b.source}"


def _unusual_words(z: float, percentile: float) -> str:
    parts = []
    if not math.isnan(z) and abs(z) >= Z_NOTABLE:
        parts.append(f"a {abs(z):.1f}-sigma move against the past five years")
    if not math.isnan(percentile):
        if percentile > 0.9:
            parts.append(f"in the top decile of its history ({ordinal(round(percentile * 100))} percentile)")
        elif percentile <= 0.1:
            parts.append(f"in the bottom decile of its history ({ordinal(max(1, round(percentile * 100)))} percentile)")
    return (", " + " and ".join(parts)) if parts else ""


def pair_facts(
    a: Subject,
    b: Subject,
    as_of: pd.Timestamp | None = None,
    analysis: PairAnalysis | None = None,
    windows: Windows | None = None,
) -> list[Fact]:
    """Facts about A vs B at ``as_of``: :func:`moves_facts` of
    :func:`~rotascope.pipeline.pairs.pair_moves`.

    ``analysis``: the pair's :func:`~rotascope.pipeline.pairs.analyse_pair` at the same
    ``as_of`` when already computed; ``windows``: N-row windows of the relative moves instead
    of the frequency's defaults.

    Parameters
    ----------
    a, b : Subject
        The two legs (prices on sorted DatetimeIndexes, display names, sources); the facts
        read "A vs B" (``subject`` A, ``versus`` B).
    as_of : Timestamp, optional
        Use only rows on or before this date (default: all rows). The facts are dated at the
        last common date of A and B on or before it.
    analysis : PairAnalysis, optional
        Episodes and analogs already computed for the same ``as_of``; computed here when
        omitted.
    windows : tuple, optional
        N-row windows (:func:`~rotascope.pipeline.subjects.parse_windows`) instead of the
        profile's ``relative_rows`` (daily pair: 1, 5, 21, 63 rows; monthly: 1, 3, 12); with
        them, no calendar periods and no ratio record.

    Returns
    -------
    list of Fact
        In this order (see :func:`moves_facts`): ``relative_return`` (ytd), one
        ``record_gain`` / ``record_drop`` per N-row window, the ``period_return`` facts and
        the ratio's ``record_gain`` / ``record_drop`` (window ``ratio``) of a daily pair with
        the default windows, the latest ``rotation_episode``, ``analog_summary``. A fact
        whose data are too short is left out.

    Raises
    ------
    InputError
        Fewer than three common dates on or before ``as_of``.

    Notes
    -----
    Both legs are cut at ``as_of`` (NaN rows dropped) and inner-joined on dates; ``last`` is
    the last common date; N counts common rows; ``rX = PX[t] / PX[t-N] - 1``.

    - ``relative_return``: :func:`~rotascope.analytics.relative_return` over ``ytd`` (start:
      the last common close of the previous year): ``value = (1 + rA) / (1 + rB) - 1``,
      ``details["spread"] = rA - rB``.
    - N-row ``record_*``: the margin ``m[t] = rA[t] - rB[t]``
      (:func:`~rotascope.analytics.spread_rolling`); direction "gain" when ``m[last] >= 0``.
      ``value = m[last]``; ``since``/``rank``/``of`` from
      :func:`~rotascope.analytics.record_at` on ``m`` (``since = max{s < t : m[s] >= m[t]}``,
      ``<=`` for drops; the first date when on record); ``zscore`` and ``percentile`` from
      :func:`~rotascope.analytics.unusualness` on ``m``: ``z = (m[t] - mean) / std`` over
      the trailing five years, today included (ddof=1, at least 20 values), and
      ``(#{m[s] < m[t]} + 0.5 * #{m[s] == m[t]}) / (t + 1)`` over rows ``0 .. t``. The
      relative return ``(1 + rA) / (1 + rB) - 1`` and its own z-score, percentile and record
      are in ``details``.
    - ``period_return``: :func:`~rotascope.analytics.periods.period_record` of the ratio
      ``A/B`` (:func:`~rotascope.analytics.rs_line`) for the week, month, quarter, half and
      year holding ``last``; ``details`` has both legs' returns over the same closes.
    - ratio record: :func:`~rotascope.analytics.record_at` of the level ``RS[t] = 100 *
      (PA[t] / PB[t]) / (PA[0] / PB[0])`` in the direction with the longer horizon; stated
      only when the horizon is long enough to state.
    - ``rotation_episode``: the last row of
      :func:`~rotascope.analytics.rotation_episodes` (N = 5 rows, z beyond 2 sigma over 1260
      rows, at least 252, cool-off 10; monthly: 3, 120, 36, 2); ``value`` its peak relative
      move, ``zscore`` its peak z-score when ongoing.
    - ``analog_summary``: :func:`~rotascope.analytics.analogs` of the 5-row (monthly: 3-row)
      relative move; ``value`` the median forward relative return at the ``3m`` horizon (63
      rows; monthly: 3), ``of`` the number of cases; hit rate against the base rate in the
      sentence.

    Every number uses rows on or before ``last`` only.
    """
    return moves_facts(pair_moves(a, b, as_of, analysis, windows))


def moves_facts(moves: PairMoves) -> list[Fact]:
    """The facts of a pair's moves.

    Returns
    -------
    list of Fact
        ``relative_return`` for the year to date; per N-row window one ``record_gain`` /
        ``record_drop`` (``versus`` set) of the margin ``rA - rB`` with its record horizon,
        z-score vs the trailing five years and percentile vs history (the relative return in
        ``details``); for a daily pair with the default windows a ``period_return`` per
        calendar period of the ratio A/B and a ``record_gain``/``record_drop`` of the ratio's
        level (window ``ratio``, when its horizon is stated); the latest
        ``rotation_episode``; an ``analog_summary``.
    """
    a, b, last, prof = moves.a, moves.b, moves.last, moves.profile
    src = _source(a, b)
    facts: list[Fact] = []
    rr = moves.year
    if rr is not None:
        facts.append(Fact(
            kind="relative_return", subject=a.name, versus=b.name, window="ytd", as_of=last,
            value=rr.value, source=src, start=rr.start_date, end=rr.end_date,
            sentence=(f"The {a.display} is {'up' if rr.a.value >= 0 else 'down'} {pct(rr.a.value)} "
                      f"this year, against {signed_pct(rr.b.value)} for the {b.display} "
                      f"(relative return {signed_pct(rr.value)})."),
            details={"spread": rr.spread, "a_return": rr.a.value, "b_return": rr.b.value,
                     "a_display": a.display, "b_display": b.display},
        ))
    for m in moves.moves:
        facts.append(_move_fact(m, moves, src))
    for per in moves.periods:
        fact = period_fact(per.result, a, versus=b, source=src,
                           extra={"a_return": per.a_return, "b_return": per.b_return,
                                  "spread": per.a_return - per.b_return,
                                  "a_display": a.display, "b_display": b.display,
                                  "ranks": "relative return of the period (ratio A/B)"})
        if fact is not None:
            facts.append(fact)
    if moves.ratio is not None:
        fact = _ratio_fact(moves.ratio, moves, src)
        if fact is not None:
            facts.append(fact)
    episode = moves.analysis.episodes
    if not episode.empty:
        facts.append(_episode_fact(a, b, episode.iloc[-1], last, prof, src, len(episode)))
    res, cur = moves.analysis.analogs, moves.current
    if res is not None and cur is not None:
        fact = analog_fact(a, b, res, prof, src, notable_move=abs(cur.zscore) >= Z_NOTABLE
                           if not math.isnan(cur.zscore) else False)
        if fact is not None:
            facts.append(fact)
    return facts


def _move_fact(m: RelativeMove, moves: PairMoves, src: str) -> Fact:
    """The one fact of an N-row move: "The Russell 2000 beat the S&P 500 by 4.5 percentage
    points on July 11, 2024, its biggest margin since October 2008." The record, z-score and
    percentile are those of the margin ``rA - rB`` the sentence states; the relative return is
    in ``details``."""
    a, b, last, prof = moves.a, moves.b, moves.last, moves.profile
    rr, rec, un, label = m.relative, m.margin_record, m.margin_move, m.label
    phrase = window_phrase(label, prof.frequency, end=last)
    lead, lag = (a, b) if m.direction == "gain" else (b, a)
    # the sentence reads from the leader's side: its relative return is positive ...
    lead_value = rr.value if m.direction == "gain" else flip_relative(rr.value)
    # ... and so does its percentile: B's margin over A is -spread, ranked at 1 - p
    lead_pct = un.percentile if m.direction == "gain" else 1.0 - un.percentile
    one_day = m.rows == 1 and prof.frequency == "daily"
    noun = "margin" if one_day else f"{window_noun(label, prof.frequency)} margin"
    clause = horizon_words(rec, "biggest", noun, m.ranked, m.rows_since)
    stated = stated_horizon(rec, m.ranked)
    head = f"The {lead.display} beat the {lag.display} by {pp(rr.spread)} {phrase}"
    if round(abs(rr.spread) * 100, 1) == 0.0:
        # under 0.05 points neither leg "beat" the other in the sentence's own rounding
        sentence = (f"The {a.display} and the {b.display} moved in step {phrase} (margin "
                    f"{pp(rr.spread, 2)}).")
    elif clause:
        sentence = f"{head}, {clause}."
    else:
        sentence = f"{head} (relative return {signed_pct(lead_value)}){_unusual_words(un.zscore, lead_pct)}."
    rel = m.record
    details = {
        "spread": rr.spread, "relative_return": rr.value, "a_return": rr.a.value,
        "b_return": rr.b.value, "a_display": a.display, "b_display": b.display,
        "rows": m.rows, "ranks": "spread rA - rB (percentage points)",
        "decile": un.decile, "zscore_lookback_start": un.lookback_start,
        "on_record": rec.on_record, "since_value": rec.since_value,
        "first_date": rec.first_date, "years": rec.years, "year_rank": rec.year_rank,
        "ranked_since": list(m.ranked), "stated_rank": stated.rank,
        "stated_since": stated.since, "stated_years": stated.years,
        "relative_zscore": m.move.zscore, "relative_percentile": m.move.percentile,
        "relative_since": rel.since, "relative_on_record": rel.on_record,
        "relative_rank": rel.rank,
    }
    return Fact(
        kind=f"record_{m.direction}", subject=a.name, versus=b.name, window=label, as_of=last,
        value=rec.value, source=src, since=rec.since or rec.first_date, rank=rec.rank,
        of=rec.of, percentile=un.percentile, zscore=un.zscore, start=rr.start_date, end=last,
        sentence=sentence, details=details,
    )


#: Said of every ratio record: the ratio's level depends on the legs' bases, its horizon not.
RATIO_NOTE = ("the level of a ratio is arbitrary (here rebased to 100 at the first common "
              "date); its record horizon is not")


def _ratio_fact(ratio: RatioRecord, moves: PairMoves, src: str) -> Fact | None:
    """The relative strength ratio A/B at its highest or lowest since a date ("the ratio of the
    Russell 2000 to the S&P 500 closed at its lowest since December 2000"); None when the
    horizon is too short to state (:func:`~rotascope.narrative.record_wording.horizon_words`)."""
    a, b, rec = moves.a, moves.b, ratio.record
    high = rec.direction == "gain"
    clause = horizon_words(rec, "highest" if high else "lowest", "", ratio.ranked,
                           ratio.rows_since)
    if not clause:
        return None
    stated = stated_horizon(rec, ratio.ranked)
    return Fact(
        kind=f"record_{rec.direction}", subject=a.name, versus=b.name, window="ratio",
        as_of=moves.last, value=rec.value, source=src, since=rec.since or rec.first_date,
        rank=rec.rank, of=rec.of, start=rec.first_date, end=moves.last,
        sentence=(f"The ratio of the {a.display} to the {b.display} closed at {clause}."),
        details={"a_display": a.display, "b_display": b.display, "level": ratio.level,
                 "direction": rec.direction, "on_record": rec.on_record,
                 "since_value": rec.since_value, "first_date": rec.first_date,
                 "years": rec.years, "ranked_since": list(ratio.ranked),
                 "stated_rank": stated.rank, "stated_since": stated.since,
                 "stated_years": stated.years,
                 # a level on one date: as fresh as a one-day move
                 "rows": 1, "ranks": "level of the ratio A/B", "note": RATIO_NOTE},
    )


def flip_relative(value: float) -> float:
    """B's relative return against A from A's against B: ``1 / (1 + v) - 1``."""
    return 1.0 / (1.0 + value) - 1.0


def _episode_fact(a: Subject, b: Subject, ep: pd.Series, last: pd.Timestamp,
                  prof: FrequencyProfile, src: str, count: int) -> Fact:
    toward, away = (a, b) if ep["direction"] == "a_leads" else (b, a)
    # the peak move read from the side the money moved toward (the JSON keeps A vs B)
    peak = float(ep["peak_move"]) if toward is a else flip_relative(float(ep["peak_move"]))
    label = prof.row_label(prof.episode_rows)
    noun = window_noun(label, prof.frequency)
    unit = "trading days" if prof.frequency == "daily" else "months"
    if bool(ep["ongoing"]):
        sentence = (f"A rotation toward the {toward.display} and away from the {away.display} has "
                    f"been under way since {day_text(ep['start'])} ({int(ep['duration'])} {unit}); "
                    f"the {noun} relative move peaked at {signed_pct(peak)} on "
                    f"{day_text(ep['peak_date'])}.")
    else:
        sentence = (f"The last rotation between the {a.display} and the {b.display}, toward the "
                    f"{toward.display}, ran from {day_text(ep['start'])} to {day_text(ep['end'])} "
                    f"({int(ep['duration'])} {unit}, peak {noun} relative move "
                    f"{signed_pct(peak)}).")
    return Fact(
        kind="rotation_episode", subject=a.name, versus=b.name, window=label, as_of=last,
        value=float(ep["peak_move"]), source=src,
        zscore=float(ep["peak_zscore"]) if bool(ep["ongoing"]) else float("nan"),
        start=ep["start"], end=ep["end"], sentence=sentence,
        details={"ongoing": bool(ep["ongoing"]), "direction": ep["direction"],
                 "peak_zscore": float(ep["peak_zscore"]),
                 "peak_date": ep["peak_date"], "duration": int(ep["duration"]),
                 "episodes_in_history": count, "a_display": a.display, "b_display": b.display},
    )


def _analog_rule(res: AnalogResult, noun: str, toward: Subject, away: Subject,
                 count: int) -> str:
    """"the 10 largest earlier five-day moves in favour of X over Y (none was as large as
    today's)": which earlier moves the analogs are, as :attr:`AnalogResult.selection` says."""
    favour = f"in favour of the {toward.display} over the {away.display}"
    moves = "move" if count == 1 else "moves"
    # sizes read from the side the move favoured: B's move against A is 1 / (1 + rel) - 1
    def side(v: float) -> float:
        return flip_relative(v) if res.direction == "b_leads" else v

    today = pct(side(res.current_move))
    if res.selection == "largest":
        text = f"the {count} largest earlier {noun} {moves} {favour}"
        if res.fallback and res.at_least_count == 0:
            text += f" (none was as large as today's {today})"
        elif res.fallback:
            was = "was" if res.at_least_count == 1 else "were"
            text += f" (only {res.at_least_count} {was} as large as today's {today})"
        return text
    if res.selection == "min_ratio" and res.min_ratio is not None:
        return (f"the {count} earlier {noun} {moves} of at least {res.min_ratio:g} times today's "
                f"{today} {favour}")
    return f"the {count} earlier {noun} {moves} of at least {pct(side(res.threshold))} {favour}"


def analog_fact(a: Subject, b: Subject, res: AnalogResult, prof: FrequencyProfile, src: str,
                notable_move: bool) -> Fact | None:
    """The ``analog_summary`` fact: what followed past moves like today's (3-month horizon),
    against what followed any move of the same length.

    The analogs are the earlier moves at least as large, or the largest earlier moves when
    fewer than five are (:func:`rotascope.analytics.analogs`); the sentence says which. It reads
    from the side the move favoured: its hit rate (share of cases it kept outperforming) beside
    the base rate, its median relative return, and its worst outcome (its lowest relative
    return, ``1 / (1 + best) - 1`` when it is B). With fewer than five cases the sentence says
    they are no base for a conclusion and the fact is never notable.
    """
    horizon = "3m" if "3m" in res.summary.index else res.summary.index[0]
    row = cast(pd.Series, res.summary.loc[horizon])  # one row: the index holds unique horizons
    count = int(row["count"])
    if count == 0:
        return None
    toward, away = (a, b) if res.direction == "a_leads" else (b, a)
    n = int(res.window.rstrip("d")) if res.window.endswith("d") else prof.analog_rows
    noun = window_noun(prof.row_label(n), prof.frequency)
    # forward returns read from the side the move favoured (the JSON keeps A vs B): the worst
    # outcome for B is A's best relative return, flipped
    if toward is a:
        median, worst = float(row["median"]), float(row["worst"])
    else:
        median, worst = flip_relative(float(row["median"])), flip_relative(float(row["best"]))
    base = row.get("base_hit_rate", float("nan"))
    against = (f", against {pct(base, 0)} after any {noun} period"
               if base is not None and not pd.isna(base) else "")
    sentence = (f"After {_analog_rule(res, noun, toward, away, len(res.episodes))}, the "
                f"{toward.display} kept outperforming over the next three months "
                f"{pct(row['hit_rate'], 0)} of the time{against} (its median relative return "
                f"{signed_pct(median)}, its worst {signed_pct(worst)}).")
    few = res.few_cases
    if few:
        sentence += (f" Only {len(res.episodes)} case{'' if len(res.episodes) == 1 else 's'}: "
                     "not a base for a conclusion.")
    return Fact(
        kind="analog_summary", subject=a.name, versus=b.name, window=prof.row_label(n),
        as_of=res.as_of, value=float(row["median"]), source=src, of=count,
        sentence=sentence,
        details={"current_move": res.current_move, "threshold": res.threshold,
                 "direction": res.direction, "horizon": horizon,
                 "selection": res.selection, "selection_note": res.selection_note,
                 "at_least_count": res.at_least_count, "few_cases": few,
                 "base_hit_rate": base, "base_mean": row.get("base_mean", float("nan")),
                 "summary": res.summary, "episodes": res.episodes,
                 "notable_move": notable_move and not few,
                 "a_display": a.display, "b_display": b.display},
    )
