"""Which facts a desk would lead with: one newsworthiness score, and one headline per story.

``score = rarity x prominence x freshness`` (:func:`newsworthiness`):

- **rarity** (0 to 4) is the strongest of: the record horizon, ``1 + log2(1 + years)`` (a record
  on the whole history counts as 4); the tail share of the percentile,
  ``1.5 log10(0.5 / min(p, 1 - p))`` (the 5% tail gives 2.0, the 1% tail 2.5); ``|z| / 1.5``;
  a factor crashing 4, unwinding 3, rolling over or rebounding 2; an ongoing rotation episode
  2.5; ``|t| / 3`` of a driver beta or an event study (at most 2); the leader and laggard of
  the year 2; a calendar period's record horizon as a record's, or 4 down to 3 for the most to
  the fifth-most extreme of at least 20 on record; a record close 1.5, or its horizon when it is the first in
  over a month, 3 when it ends a correction or bear market; entering a correction 2.5, a bear
  market 3.5; each capped at 4; halved for a move of which a bigger one came less than
  :data:`ECHO_DAYS` days before (its record horizon: the second strong day of a week is the
  echo of the first, however rare both are in history);
- **prominence** (0 to 1) of the subject, set per segment in the universe file
  (``prominence = 0.9``; by default 0.8 for the segments of ``main``, 0.5 for the rest); a pair
  counts as its less prominent side; facts about a series that is not a segment (a factor of the
  monitor, a valuation) get 0.5;
- **freshness** (0 to 1) of the window: today's move 1.0, two to five rows 0.7, up to a month
  0.45, up to a quarter 0.3, longer 0.2, year to date 0.35; a close against its record 1.0; a
  complete week 0.7, month 0.5, longer period 0.45, a period to date 0.3; an ongoing rotation
  0.7, a factor status 0.6, a valuation 0.4, a driver beta or an event study (fitted over a
  year) 0.25.

A non-event is never a headline: only notable facts are candidates
(:func:`~rotascope.narrative.fact.is_notable`; a factor in a calm drawdown or "no sign of an
unwind" is not notable), and stale facts are left out. Two facts tell **the same story** when
they are about the same subject (and versus) and move in the same direction (a five-day record and
the 21-day percentile of the same rally; a rotation episode and the pair's record): only the
best-scored one of a story is kept.

An ETF that ``tracks`` an index the report has (``tracks``: ETF -> index, given only for
indices with data) leaves its own moves to the index's: the index is what journalists quote
(its close, not the ETF's dividend-adjusted one), so the ETF's facts are no headlines (its
pairs are). Across segments, a move folds into the story of a more prominent segment whose daily
returns it follows closely (``related``: a correlation of at least 0.95 over the past year,
:func:`rotascope.pipeline.market.related_segments`) when the two moved the same way over the
same window and the kind of fact is the same (a one-day drop of the Russell 1000 Growth inside
the Nasdaq 100's): the story keeps it as ``also``, the headline list does not repeat it. A
segment at least :data:`LEAD_PROMINENCE` prominent (the main indices) is never folded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rotascope.narrative.fact import Fact

__all__ = ["DEFAULT_PROMINENCE", "ECHO_DAYS", "LEAD_PROMINENCE", "Story", "newsworthiness",
           "pick_headlines", "pick_stories", "story_key"]

#: Prominence of a subject the mapping does not know (a factor, a valuation series).
DEFAULT_PROMINENCE = 0.5
#: Segments at least this prominent lead their own story (never folded into another's).
LEAD_PROMINENCE = 0.9
#: A move beaten by one less than this many days before is an echo: half its rarity.
ECHO_DAYS = 28
MAX_RARITY = 4.0
_STATUS_RARITY = {"crash": 4.0, "unwind": 3.0, "rolling-over": 2.0, "rebounding": 2.0}
_KIND_FRESHNESS = {"rotation_episode": 0.7, "factor_status": 0.6, "factor_episode": 0.4,
                   "valuation_percentile": 0.4, "valuation_record": 0.4, "driver_beta": 0.25,
                   "event_study": 0.25, "analog_summary": 0.2}


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not math.isnan(value) else math.nan


def rarity(fact: Fact) -> float:
    """How rare the fact is, 0 to :data:`MAX_RARITY` (module docstring)."""
    d = fact.details
    parts = [0.0]
    if d.get("on_record"):
        parts.append(MAX_RARITY)
    years = _num(d.get("years"))
    if fact.kind in ("record_gain", "record_drop", "valuation_record") and not math.isnan(years):
        parts.append(1.0 + math.log2(1.0 + max(years, 0.0)))
    if not math.isnan(fact.percentile):
        tail = max(min(fact.percentile, 1.0 - fact.percentile), 1e-6)
        parts.append(1.5 * math.log10(0.5 / tail))
    if not math.isnan(fact.zscore):
        parts.append(abs(fact.zscore) / 1.5)
    if fact.kind == "factor_status":
        parts.append(_STATUS_RARITY.get(str(d.get("status")), 0.0))
    if fact.kind == "rotation_episode" and d.get("ongoing"):
        parts.append(2.5)
    if fact.kind == "window_comparison":
        parts.append(2.0)
    if fact.kind == "period_return" and not math.isnan(years):
        parts.append(1.0 + math.log2(1.0 + max(years, 0.0)))
        if fact.rank is not None and fact.rank <= 5 and (fact.of or 0) >= 20:
            parts.append(4.0 - 0.25 * (fact.rank - 1))
    if fact.kind == "level_record":
        event, state = d.get("event"), d.get("state")
        gap = _num(d.get("years"))  # years since the previous record close
        if event == "record" and d.get("ended"):
            parts.append(3.0)
        elif event == "record" and gap > 30 / 365.25:  # False for NaN
            parts.append(1.0 + math.log2(1.0 + gap))
        elif event == "record":
            parts.append(1.5)
        elif event == "entered":
            parts.append(3.5 if state == "bear" else 2.5)
    if fact.kind in ("driver_beta", "event_study"):
        t = _num(d.get("tstat"))
        parts.append(0.0 if math.isnan(t) else min(2.0, abs(t) / 3.0))
    echo = (fact.kind in ("record_gain", "record_drop") and not d.get("on_record")
            and years < ECHO_DAYS / 365.25)  # False for NaN
    return min(MAX_RARITY, max(parts)) * (0.5 if echo else 1.0)


def freshness(fact: Fact) -> float:
    """How much the fact is today's news, 0 to 1 (module docstring)."""
    if fact.kind in _KIND_FRESHNESS:
        return _KIND_FRESHNESS[fact.kind]
    if fact.kind == "level_record":
        return 1.0
    if fact.kind == "period_return":
        if not fact.details.get("complete"):
            return 0.3
        return {"week": 0.7, "month": 0.5}.get(fact.window, 0.45)
    window = fact.window.strip().lower()
    if window == "ytd":
        return 0.35
    rows = fact.details.get("rows")
    if not isinstance(rows, int):
        digits = "".join(ch for ch in window if ch.isdigit())
        rows = int(digits) if digits else 21
        if window.endswith("m"):  # monthly rows: a month is about 21 trading days
            rows *= 21
    if rows <= 1:
        return 1.0
    if rows <= 5:
        return 0.7
    if rows <= 21:
        return 0.45
    if rows <= 63:
        return 0.3
    return 0.2


def prominence(fact: Fact, prominence_of: Mapping[str, float]) -> float:
    """The subject's prominence (a pair: its less prominent side; a comparison: its leader)."""
    names = [fact.subject] + ([fact.versus] if fact.versus and
                              fact.kind != "window_comparison" else [])
    return min(prominence_of.get(n, DEFAULT_PROMINENCE) for n in names)


def newsworthiness(fact: Fact, prominence_of: Mapping[str, float] | None = None) -> float:
    """``rarity x prominence x freshness`` of a fact (module docstring)."""
    return rarity(fact) * prominence(fact, prominence_of or {}) * freshness(fact)


def _sign(fact: Fact) -> int:
    d = fact.details
    if fact.kind == "level_record":
        return 1 if d.get("record") else -1
    if fact.kind == "rotation_episode":
        return 1 if d.get("direction") == "a_leads" else -1
    if fact.kind == "factor_status":
        return 1 if d.get("status") == "rebounding" else -1
    if fact.window == "ratio":  # the value is the ratio's level (positive): read the direction
        return 1 if d.get("direction") == "gain" else -1
    return 1 if _num(fact.value) >= 0 or math.isnan(_num(fact.value)) else -1


def story_key(fact: Fact, tracks: Mapping[str, str] | None = None) -> tuple[str, str, int]:
    """Facts with the same key tell the same story: subject, versus and the move's direction
    (a segment that ``tracks`` another counts as that one; a record close is a move up, the
    entry into a correction or a bear market one down)."""
    one = tracks or {}
    subject = one.get(fact.subject, fact.subject)
    versus = one.get(fact.versus, fact.versus) if fact.versus else fact.versus
    return subject, versus, _sign(fact)


@dataclass(frozen=True)
class Story:
    """One headline: its ``lead`` fact and the moves of related segments folded into it."""

    lead: Fact
    also: tuple[Fact, ...] = ()


def _same_move(lead: Fact, other: Fact) -> bool:
    """Same kind of fact over the same window in the same direction, both about one segment."""
    return (not lead.versus and not other.versus and lead.kind == other.kind
            and lead.window == other.window and _sign(lead) == _sign(other))


def pick_stories(
    facts: Iterable[Fact],
    prominence_of: Mapping[str, float] | None = None,
    limit: int = 12,
    tracks: Mapping[str, str] | None = None,
    related: Mapping[str, frozenset[str]] | None = None,
) -> list[Story]:
    """The headline stories, most newsworthy first: notable, not stale, one per story, with
    the same move of closely related, less prominent segments folded in (module docstring).

    Ties keep the input order (the facts' ranked order).
    """
    prom = prominence_of or {}
    near = related or {}
    pool = [f for f in facts if f.notable and not f.details.get("stale")
            and newsworthiness(f, prom) > 0]  # a standing state (in a correction) is no news
    ranked = sorted(enumerate(pool), key=lambda p: (-newsworthiness(p[1], prom), p[0]))
    chosen: list[Story] = []
    keys: set[tuple[str, str, int]] = set()
    deferred = tracks or {}
    for _, fact in ranked:
        if not fact.versus and fact.subject in deferred:
            continue  # the index it tracks speaks for it
        key = story_key(fact, tracks)
        if key in keys:
            continue
        keys.add(key)
        own = prominence(fact, prom)
        host = next((i for i, st in enumerate(chosen)
                     if own < LEAD_PROMINENCE and own < prominence(st.lead, prom)
                     and fact.subject in near.get(st.lead.subject, frozenset())
                     and _same_move(st.lead, fact)), None)
        if host is not None:
            chosen[host] = Story(chosen[host].lead, (*chosen[host].also, fact))
            continue
        if len(chosen) < limit:
            chosen.append(Story(fact))
    return chosen


def pick_headlines(
    facts: Iterable[Fact],
    prominence_of: Mapping[str, float] | None = None,
    limit: int = 12,
    tracks: Mapping[str, str] | None = None,
    related: Mapping[str, frozenset[str]] | None = None,
) -> list[Fact]:
    """The lead facts of :func:`pick_stories`."""
    return [st.lead for st in pick_stories(facts, prominence_of, limit, tracks, related)]
