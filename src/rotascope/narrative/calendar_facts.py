"""Facts about calendar periods and record closes: what recaps write about weeks and levels.

"The S&P 500 fell 5.8% this week, its worst week since March 2020." "The S&P 500 fell 20.6% in
the first half of 2022, its worst first half since 1970 and the fourth-worst on record." "The
S&P 500 closed at a record, its first since January 3, 2022, ending a bear market that began on
June 13, 2022." "The S&P 500 closed 21.8% below its record close of January 3, 2022, entering a
bear market." Periods and levels follow :mod:`rotascope.analytics.periods` and
:mod:`rotascope.analytics.levels`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from rotascope.analytics.levels import LevelResult
from rotascope.analytics.periods import PeriodResult
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import day_text, lead_name, month_year, ordinal, pct
from rotascope.pipeline.series import DAILY_PERIODS, level_of, period_records
from rotascope.pipeline.subjects import Subject

__all__ = ["DAILY_PERIODS", "level_fact", "level_facts", "period_fact", "period_facts",
           "period_sentence"]

#: Calendar periods stated for a daily series.
_RANK_WORDS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
_QUARTERS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _the(display: str, verbatim: bool = False) -> str:
    return lead_name(display, verbatim)


def _name(res: PeriodResult) -> tuple[str, str]:
    """(when, noun): ("this week", "week"), ("in June 2022", "month"), ("in the first half of
    2022", "first half"), ("in 2022", "year"), ("in the second quarter of 2022", "quarter")."""
    start = res.period_start
    if res.period == "week":
        return "this week", "week"
    if res.period == "month":
        return f"in {start:%B %Y}", "month"
    if res.period == "quarter":
        q = (start.month - 1) // 3 + 1
        return f"in the {_QUARTERS[q]} quarter of {start.year}", "quarter"
    if res.period == "half":
        word = "first" if start.month == 1 else "second"
        return f"in the {word} half of {start.year}", f"{word} half"
    return f"in {start.year}", "year"


def _since(res: PeriodResult) -> str:
    """When the horizon's period was: "March 2020" (weeks and months), "1970" (halves and
    years), "the second quarter of 2020"."""
    assert res.since is not None and res.since_start is not None
    day = res.since_start
    if res.period in ("week", "month"):
        return month_year(res.since)
    if res.period == "quarter":
        q = (day.month - 1) // 3 + 1
        return f"the {_QUARTERS[q]} quarter of {day.year}"
    return str(day.year)


def period_sentence(res: PeriodResult, display: str, verbatim: bool = False,
                    versus: str | None = None) -> str:
    """The sentence of a period fact (module docstring); an incomplete period reads "so far"
    and "on track for". ``verbatim``: ``display`` is a label used as given (capitalised).

    With ``versus`` (the other leg of a pair), ``res`` is the period of the ratio A/B and the
    sentence states A's relative return against it: "The Russell 2000 outperformed the S&P 500
    by 10.1% in July 2024 (relative return), its best relative month since February 2000."
    """
    gain = res.direction == "gain"
    when, noun = _name(res)
    word = "best" if gain else "worst"
    if versus is not None:
        noun = f"relative {noun}"
    if res.on_record:
        record = f"its {word} {noun} on record (since {res.first.year})"
    else:
        record = f"its {word} {noun} since {_since(res)}"
        if 1 < res.rank <= 5:
            record += f" and the {_RANK_WORDS[res.rank]}-{word} on record (since {res.first.year})"
    so_far = {"week": "so far this week", "year": "so far this year"}.get(
        res.period, f"so far {when}")
    if versus is not None:
        how = "outperform" if gain else "underperform"
        if res.complete:
            return (f"{_the(display)} {how}ed the {versus} by {pct(res.value)} {when} "
                    f"(relative return), {record}.")
        return (f"{_the(display)} is {how}ing the {versus} by {pct(res.value)} {so_far} "
                f"(relative return), on track for {record}.")
    if res.complete:
        verb = "rose" if gain else "fell"
        return f"{_the(display, verbatim)} {verb} {pct(res.value)} {when}, {record}."
    verb = "is up" if gain else "is down"
    return f"{_the(display, verbatim)} {verb} {pct(res.value)} {so_far}, on track for {record}."


def period_facts(subject: Subject, as_of: pd.Timestamp | None = None,
                 periods: tuple[str, ...] = DAILY_PERIODS) -> list[Fact]:
    """``period_return`` facts of a daily series: each calendar period holding ``as_of``
    (complete, or to date) with its record horizon and rank among the same periods
    (:func:`~rotascope.pipeline.series.period_records`)."""
    return [f for res in period_records(subject, as_of, periods)
            if (f := period_fact(res, subject)) is not None]


def period_fact(res: PeriodResult, subject: Subject, versus: Subject | None = None,
                source: str | None = None, extra: dict[str, Any] | None = None) -> Fact | None:
    """The ``period_return`` fact of one calendar period (None without a return).

    With ``versus``, ``res`` is the period of the ratio ``subject`` / ``versus`` (a pair's
    relative period, :func:`period_sentence`), ``source`` names both legs and ``extra`` adds
    evidence to ``details``.
    """
    if math.isnan(res.value):
        return None
    span = max(1, (res.period_end - res.period_start).days)
    elapsed = 1.0 if res.complete else min(1.0, (res.date - res.period_start).days / span)
    return Fact(
        kind="period_return", subject=subject.name, window=res.period, as_of=res.date,
        value=res.value,
        sentence=period_sentence(res, subject.display, subject.verbatim,
                                 versus.display if versus is not None else None),
        source=source or subject.source, since=res.since or res.first, rank=res.rank,
        of=res.of, versus=versus.name if versus is not None else "",
        start=res.period_start, end=res.date,
        details={"display": subject.display, "period": res.period, "complete": res.complete,
                 # a period still running has no end date yet (none after the data)
                 "period_start": res.period_start,
                 "period_end": res.period_end if res.complete else None,
                 "direction": res.direction, "on_record": res.on_record,
                 "years": res.years, "since_period_start": res.since_start,
                 "first": res.first, "elapsed": elapsed, **(extra or {})},
    )


def _level_sentence(res: LevelResult, display: str, verbatim: bool = False) -> str | None:
    the = _the(display, verbatim)
    if res.record:
        if res.previous_record is None:
            return None
        gap = (res.date - res.previous_record).days
        if res.ended:
            what = "a bear market" if res.ended == "bear" else "a correction"
            began = day_text(res.state_began) if res.state_began is not None else ""
            return (f"{the} closed at a record, its first since {day_text(res.previous_record)}, "
                    f"ending {what} that began on {began}.")
        if gap > 30:
            return f"{the} closed at a record, its first since {day_text(res.previous_record)}."
        return (f"{the} closed at a record, its {ordinal(res.records_this_year)} record close "
                f"of {res.date.year}.")
    below = (f"{pct(res.drawdown)} below its record close of {day_text(res.record_date)}")
    if res.entered:
        what = "a bear market" if res.state == "bear" else "a correction"
        return f"{the} closed {below}, entering {what}."
    if res.state != "normal" and res.state_began is not None:
        what = "a bear market" if res.state == "bear" else "a correction"
        return f"{the} is {below}, in {what} since {day_text(res.state_began)}."
    return None


def level_facts(subject: Subject, as_of: pd.Timestamp | None = None) -> list[Fact]:
    """The ``level_record`` fact of a price series: a record close (the first since ..., or the
    Nth of the year), the entry into a correction or a bear market, or the one it is in. An
    index compounded from returns (a factor) has no close a reader would call a record."""
    res = level_of(subject, as_of)
    fact = level_fact(res, subject) if res is not None else None
    return [] if fact is None else [fact]


def level_fact(res: LevelResult, subject: Subject) -> Fact | None:
    """The ``level_record`` fact of a :func:`~rotascope.pipeline.series.level_of` (None when
    there is nothing to say: no record, no correction)."""
    sentence = _level_sentence(res, subject.display, subject.verbatim)
    if sentence is None:
        return None
    event = ("record" if res.record else "entered" if res.entered else res.state)
    years = ((res.date - res.previous_record).days / 365.25
             if res.record and res.previous_record is not None else 0.0)
    return Fact(
        kind="level_record", subject=subject.name, window="level", as_of=res.date,
        value=res.drawdown, sentence=sentence, source=subject.source,
        since=res.previous_record if res.record else res.record_date,
        start=res.record_date, end=res.date,
        details={"display": subject.display, "event": event, "level": res.level,
                 "record": res.record, "record_date": res.record_date,
                 "record_level": res.record_level, "previous_record": res.previous_record,
                 "records_this_year": res.records_this_year, "state": res.state,
                 "state_began": res.state_began, "entered": res.entered, "ended": res.ended,
                 "years": years, "first": res.first},
    )
