"""Facts about a segment's breadth: where each breadth share stands against its own history.

Each fact states a breadth level on the as-of date (share of members above their N-day
average, at a 252-day high or low, with their biggest W-day gain or drop in at least a year)
and its record horizon in the breadth history: "74.5% of Russell 2000 members closed above
their 200-day average, the most since July 2021." Kind ``record_gain`` when the level is the
highest since an earlier date (``record_drop`` for the lowest), so the usual notability rule
applies (a record horizon of at least a year, or the top or bottom decile of the history).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from rotascope.analytics.breadth import HistoryRecord
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import horizon_text, month_year, pct
from rotascope.pipeline.breadth import SegmentBreadth

__all__ = ["breadth_facts", "segment_label"]

_ISSUER = re.compile(r"^(ishares|spdr|vanguard)\s+(core\s+)?", re.IGNORECASE)


def segment_label(display: str) -> str:
    """``"iShares Russell 2000 ETF"`` -> ``"Russell 2000"`` (the index, as sentences name it)."""
    text = _ISSUER.sub("", display.strip())
    return re.sub(r"\s+(ETF|Fund|Trust)$", "", text, flags=re.IGNORECASE) or display


def _what(measure: str) -> tuple[str, str, str]:
    """(count column, eligible column, phrase) of a breadth measure."""
    if measure.startswith("above_ma_"):
        n = measure.rsplit("_", 1)[1]
        return f"above_ma_count_{n}", f"ma_eligible_{n}", f"closed above their {n}-day average"
    if measure in ("new_highs_share", "new_lows_share"):
        side = "high" if measure == "new_highs_share" else "low"
        return measure[: -len("_share")], "hl_eligible", f"closed at a 252-day {side}"
    m = re.match(r"record_(gains|drops)_(\d+)d_share$", measure)
    if m:
        kind = "gain" if m.group(1) == "gains" else "drop"
        days = {"1": "one-day", "5": "five-day", "21": "21-day"}.get(m.group(2), f"{m.group(2)}-day")
        big = "biggest" if kind == "gain" else "largest"
        return (f"record_{m.group(1)}_{m.group(2)}d", "record_eligible",
                f"had their {big} {days} {kind} in at least a year")  # fmt: skip
    return "", "", measure


def _sentence(label: str, measure: str, rec: HistoryRecord, count: int, eligible: int) -> str:
    _, _, phrase = _what(measure)
    high = rec.direction == "high"
    most = "most" if high else "fewest"
    if rec.since is None:
        tail = f"the {most} on record (since {month_year(rec.first)})"
    else:
        tail = f"the {most} since {horizon_text(rec.since, rec.date)}"
    return (f"{pct(rec.value)} of {label} members ({count:,} of {eligible:,}) {phrase}, "
            f"{tail}.")


def breadth_facts(seg: SegmentBreadth) -> list[Fact]:
    """One fact per breadth-history measure with a value on the as-of date.

    ``value`` is the share; ``details`` hold the measure, the count and the members it is a
    share of, the membership date and the survivorship caveat.
    """
    label = segment_label(seg.members.display)
    snap = seg.snapshot
    facts = []
    for measure, rec in seg.records.items():
        count_col, eligible_col, _ = _what(measure)
        eligible = int(snap[eligible_col])
        count = int(snap[count_col])
        since = rec.since if rec.since is not None else rec.first
        facts.append(Fact(
            kind="record_gain" if rec.direction == "high" else "record_drop",
            subject=seg.members.segment, window="1d", as_of=rec.date, value=rec.value,
            sentence=_sentence(label, measure, rec, count, eligible),
            source=f"{seg.source}; members {seg.members.source}", since=since,
            percentile=rec.percentile,
            details={"breadth": measure, "count": count, "of": eligible,
                     "on_record": rec.on_record, "observations": rec.observations,
                     "membership_date": seg.members.as_of, "caveat": seg.caveat},
        ))  # fmt: skip
    facts.sort(key=lambda f: (not f.notable, -_years(f)))
    return facts


def _years(f: Fact) -> float:
    if f.details.get("on_record"):
        return math.inf
    return (pd.Timestamp(f.as_of) - pd.Timestamp(f.since)).days / 365.25 if f.since else 0.0
