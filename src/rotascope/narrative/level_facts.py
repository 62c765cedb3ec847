"""Facts about a level series' level: "The VIX closed at 57.83 on March 16, 2020, its highest
close since November 2008."

A level series (a yield, a spread, the VIX: ``Subject.reading == "level"``) is described by its
level, higher or lower, never as cheap or expensive and never by a return. Its record horizon is
that of :func:`~rotascope.analytics.levels.level_extreme`: the last earlier close at least as high
(as low) as today's, or on record since the first close of the file.
"""

from __future__ import annotations

from rotascope.analytics.levels import LevelExtreme
from rotascope.narrative.fact import Fact
from rotascope.narrative.record_wording import HORIZON_DAYS, HORIZON_ROWS, horizon_is_stated
from rotascope.narrative.wording import day_text, horizon_text, lead_name, level_text, month_year
from rotascope.pipeline.subjects import Subject

# A level's record horizon is stated by the moves' rule (:mod:`rotascope.narrative.record_wording`):
# at least HORIZON_DAYS days and HORIZON_ROWS rows; below, no fact.
__all__ = ["HORIZON_DAYS", "HORIZON_ROWS", "extreme_fact", "extreme_sentence"]


def extreme_sentence(ext: LevelExtreme, subject: Subject) -> str | None:
    """The sentence of a level's highest or lowest since, None when its horizon is under
    :data:`HORIZON_DAYS` days or :data:`HORIZON_ROWS` rows.

    Daily: "The VIX closed at 57.83 on March 16, 2020, its highest close since November 2008."
    / "..., its highest close on record (since January 1999)." Monthly: "The unemployment rate
    was 14.80% in April 2020, its highest on record (since January 1999)."
    """
    rec = ext.record
    if not rec.on_record:
        assert rec.since is not None
        if not horizon_is_stated(rec.since, rec.date, ext.rows_since):
            return None
    word = "highest" if ext.direction == "high" else "lowest"
    value = level_text(rec.value, subject.units)
    the = lead_name(subject.display, subject.verbatim)
    if subject.frequency == "daily":
        head, what = f"{the} closed at {value} on {day_text(rec.date)}", f"its {word} close"
    else:
        head, what = f"{the} was {value} in {rec.date:%B %Y}", f"its {word}"
    if rec.on_record:
        return f"{head}, {what} on record (since {month_year(rec.first_date)})."
    assert rec.since is not None
    return f"{head}, {what} since {horizon_text(rec.since, rec.date)}."


def extreme_fact(ext: LevelExtreme, subject: Subject) -> Fact | None:
    """The fact of :func:`extreme_sentence`: kind ``record_gain`` (a high) or ``record_drop``
    (a low) on the window ``"level"``, its value the level, ``since`` the horizon's date (the
    first date on record), notable like any record horizon of a year or more."""
    sentence = extreme_sentence(ext, subject)
    if sentence is None:
        return None
    rec = ext.record
    return Fact(
        kind="record_gain" if ext.direction == "high" else "record_drop",
        subject=subject.name, window="level", as_of=rec.date, value=rec.value,
        sentence=sentence, source=subject.source, since=rec.since or rec.first_date,
        rank=rec.rank, of=rec.of, start=rec.since or rec.first_date, end=rec.date,
        details={"display": subject.display, "reading": "level", "units": subject.units,
                 "direction": ext.direction, "level": rec.value, "since_value": rec.since_value,
                 "on_record": rec.on_record, "years": rec.years, "first_date": rec.first_date,
                 "rows_since": ext.rows_since, "rows": 1, "year_rank": rec.year_rank},
    )
