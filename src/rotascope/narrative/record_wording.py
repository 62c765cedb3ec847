"""How a record horizon is worded, shared by the facts of series and of pairs.

"its biggest one-day gain since October 2008", "its largest five-day drop on record (since
January 1993)", "the second-biggest margin since October 2008", "its biggest one-day gain since
November 14, 2023". Two rules, both documented here and tested:

- **horizons under a year** are stated when they span at least :data:`HORIZON_DAYS` calendar
  days and :data:`HORIZON_ROWS` rows; below both the sentence states no horizon;
- **rank wording**: a move that is not the largest since a long time may be the second or
  third largest since a much longer one. With ``h_j`` the date of the j-th most recent earlier
  value at least as extreme (:func:`rotascope.analytics.ranked_horizons`; ``h_1`` is the record
  horizon, and when only ``j - 1`` earlier values are at least as extreme the rank-j horizon is
  the whole history), the sentence states rank j (2 or 3, at most :data:`RANK_MAX`) instead of
  the horizon before it when ``h_j`` is at least :data:`RANK_MIN_YEARS` year old and at least
  :data:`RANK_STRETCH` times as old as that horizon (each step must at least double it).
  When the record horizon itself is stated (the first rule), the sentence says both ("its
  largest one-day drop since October 1987 and the second-largest since October 1929"); when
  it is too short to state, the rank alone ("the second-biggest margin since January 2021").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from rotascope.analytics import RecordResult
from rotascope.narrative.wording import horizon_text, month_year

__all__ = [
    "HORIZON_DAYS",
    "HORIZON_ROWS",
    "RANK_MAX",
    "RANK_MIN_YEARS",
    "RANK_STRETCH",
    "StatedHorizon",
    "horizon_is_stated",
    "horizon_words",
    "stated_horizon",
]

#: A record horizon is stated when it spans at least this many calendar days and ...
HORIZON_DAYS = 28
#: ... at least this many rows (below both, the sentence says neither horizon nor share).
HORIZON_ROWS = 20
#: Rank wording: at most the third-biggest, with a horizon of at least a year that at least
#: doubles the one before it.
RANK_MAX = 3
RANK_MIN_YEARS = 1.0
RANK_STRETCH = 2.0
_DAYS_PER_YEAR = 365.25
_RANK_WORDS = {2: "second", 3: "third"}


def horizon_is_stated(since: pd.Timestamp, date: pd.Timestamp, rows_since: int | None) -> bool:
    """Whether a record horizon ``since`` is stated on ``date``: at least :data:`HORIZON_DAYS`
    calendar days and :data:`HORIZON_ROWS` rows (``rows_since``; None: not checked) back."""
    return ((date - since).days >= HORIZON_DAYS
            and (rows_since is None or rows_since >= HORIZON_ROWS))


@dataclass(frozen=True)
class StatedHorizon:
    """The rank and horizon a sentence states (module docstring).

    Attributes
    ----------
    rank : int
        1 ("its biggest ... since"), 2 or 3 ("the second-biggest ... since").
    since : Timestamp or None
        The horizon's date; None when the rank holds on the whole history ("on record").
    years : float
        Years from ``since`` (or the history's first date) to the value's date.
    """

    rank: int
    since: pd.Timestamp | None
    years: float

    @property
    def on_record(self) -> bool:
        """The rank holds on the whole history."""
        return self.since is None


def stated_horizon(rec: RecordResult, ranked: Sequence[pd.Timestamp] = ()) -> StatedHorizon:
    """The rank and horizon to state for ``rec`` given its ranked horizons ``h_1, h_2, ...``
    (most recent first, :func:`rotascope.analytics.ranked_horizons`; empty: rank 1 only).

    Examples
    --------
    >>> from rotascope.analytics import record_at
    >>> idx = pd.to_datetime(["2000-01-03", "2010-01-04", "2023-06-01", "2024-01-02"])
    >>> rec = record_at(pd.Series([5.0, 4.0, 3.0, 2.5], index=idx))
    >>> h = stated_horizon(rec, [idx[2], idx[1], idx[0]])
    >>> h.rank, h.since.year
    (2, 2010)
    """
    current = StatedHorizon(1, rec.since, rec.years)
    if rec.on_record:
        return current
    for j in range(2, RANK_MAX + 1):
        if len(ranked) >= j:
            cand: pd.Timestamp | None = pd.Timestamp(ranked[j - 1])
        elif len(ranked) == j - 1:
            cand = None
        else:
            break
        years = (rec.date - (cand if cand is not None else rec.first_date)).days / _DAYS_PER_YEAR
        if years >= RANK_MIN_YEARS and years >= RANK_STRETCH * current.years:
            current = StatedHorizon(j, cand, years)
        if cand is None:
            break
    return current


def horizon_words(rec: RecordResult, superlative: str, noun: str,
                  ranked: Sequence[pd.Timestamp] = (), rows_since: int | None = None) -> str:
    """The record clause: "its biggest one-day gain since October 2008", "the second-biggest
    margin since January 2021", "its largest one-day drop since October 1987 and the
    second-largest since October 1929", "its largest drop on record (since May 2000)"; "" when the
    horizon is under :data:`HORIZON_DAYS` days or :data:`HORIZON_ROWS` rows (``rows_since``:
    rows from the horizon's date to the value's; None: not checked).

    Examples
    --------
    >>> from rotascope.analytics import record_at
    >>> idx = pd.to_datetime(["2008-10-10", "2024-07-10", "2024-07-11"])
    >>> horizon_words(record_at(pd.Series([0.07, 0.01, 0.045], index=idx)), "biggest", "margin")
    'its biggest margin since October 2008'
    """
    stated = stated_horizon(rec, ranked)
    what = f"{superlative} {noun}".strip()
    first = ""
    if rec.since is None:
        first = f"its {what} on record (since {month_year(rec.first_date)})"
    elif horizon_is_stated(rec.since, rec.date, rows_since):
        first = f"its {what} since {horizon_text(rec.since, rec.date)}"
    if stated.rank == 1:
        return first
    where = (f"on record (since {month_year(rec.first_date)})" if stated.since is None
             else f"since {horizon_text(stated.since, rec.date)}")
    word = _RANK_WORDS[stated.rank]
    if first:
        # both horizons are news: "its largest one-day drop since October 1987 and the
        # second-largest since October 1929"
        return f"{first} and the {word}-{superlative} {where}"
    return f"the {word}-{what} {where}"
