"""The :class:`Fact` record and the notability rule."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from rotascope.jsonutil import jsonable

__all__ = ["FACT_KINDS", "Fact", "FactKind", "is_notable", "notability_reasons", "with_data_age"]

FactKind = Literal[
    "window_return",
    "window_change",
    "window_comparison",
    "period_return",
    "level_record",
    "record_gain",
    "record_drop",
    "largest_of_year",
    "relative_return",
    "rotation_episode",
    "analog_summary",
    "earnings_beat_rate",
    "revision_breadth",
    "earnings_season_comparison",
    "scorecard_rank",
    "valuation_percentile",
    "valuation_record",
    "factor_status",
    "factor_episode",
    "driver_beta",
    "event_study",
]
FACT_KINDS: tuple[str, ...] = FactKind.__args__  # type: ignore[attr-defined]

# Notability thresholds (DESIGN section 6): a record horizon of at least this many days ...
RECORD_YEARS = 1.0
# ... a z-score at least this large in absolute value ...
Z_NOTABLE = 2.0
# ... or a percentile in the top or bottom decile.
DECILE_LOW, DECILE_HIGH = 0.10, 0.90
# Fundamentals: a beat rate 10 points from the benchmark's, a revision breadth 0.25 from it, a
# beat rate 10 points from the same point of the previous season, first or last on the scorecard.
BEAT_RATE_SPREAD, BREADTH_SPREAD, SEASON_CHANGE = 0.10, 0.25, 0.10
# Factors: a fast move (rolling over, unwinding, crashing, rebounding), never a calm drawdown;
# drivers and event studies: |t| of at least this.
FACTOR_FLAGGED = ("rolling-over", "unwind", "crash", "rebounding")
# Calendar periods: the record horizon that makes a week ... a year notable ("worst year since
# 2008", not "best second half since 2020"), at least this many periods for "on record" and
# "fourth-worst on record", and a period to date only once half of it has passed.
PERIOD_YEARS = {"week": 1.0, "month": 1.0, "quarter": 3.0, "half": 10.0, "year": 10.0}
PERIODS_ON_RECORD = 20
PERIOD_ELAPSED = 0.5
T_NOTABLE = 2.0


@dataclass(frozen=True)
class Fact:
    """One computed finding with the sentence that states it.

    Attributes
    ----------
    kind : str
        One of :data:`FACT_KINDS`.
    subject, versus : str
        Segment or series names (``versus`` for pairs, else "").
    window : str
        Window in CLI spelling (``1d``, ``5d``, ``ytd``...).
    as_of : Timestamp
        Last date of data used.
    value : float
        The statistic (fraction: 0.115 = 11.5%).
    since : Timestamp or None
        Record horizon: date of the most recent earlier value at least as extreme, or for
        on-record values the first date of the history (``on_record`` in ``details``).
    rank, of : int or None
        Rank of the value among all values of the statistic so far (1 = most extreme) and how
        many there are.
    percentile, zscore : float
        Percentile vs history (0-1) and z-score vs the trailing window (NaN when not computed).
    source : str
        The series behind the fact and where they come from.
    start, end : Timestamp or None
        Dates the window starts and ends on (close-to-close).
    details : dict
        Further full-precision evidence (levels, spreads, thresholds, episode lists...).
    """

    kind: str
    subject: str
    window: str
    as_of: pd.Timestamp
    value: float
    sentence: str
    source: str
    versus: str = ""
    since: pd.Timestamp | None = None
    rank: int | None = None
    of: int | None = None
    percentile: float = math.nan
    zscore: float = math.nan
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def notable(self) -> bool:
        """Whether the fact passes the notability rule (see :func:`is_notable`)."""
        return is_notable(self)

    def to_dict(self) -> dict[str, Any]:
        """The fact as JSON-ready values (ISO dates, NaN as null), with ``notable``."""
        out = jsonable(
            {
                "kind": self.kind,
                "subject": self.subject,
                "versus": self.versus or None,
                "window": self.window,
                "as_of": self.as_of,
                "value": self.value,
                "since": self.since,
                "rank": self.rank,
                "of": self.of,
                "percentile": self.percentile,
                "zscore": self.zscore,
                "start": self.start,
                "end": self.end,
                "source": self.source,
                "sentence": self.sentence,
                "notable": self.notable,
                "reasons": notability_reasons(self),
                "details": self.details,
            }
        )
        assert isinstance(out, dict)
        return out


def notability_reasons(fact: Fact) -> list[str]:
    """Why a fact is notable (empty when it is not).

    Rules: a record horizon of at least one year (or a record on the whole history), the extreme
    of the calendar year so far, ``|z| >= 2``, a percentile in the top or bottom decile, a rotation
    episode under way, analog summaries of a notable move, the leader and laggard of a
    comparison of segments over a calendar period (the year's performance), a calendar period
    (week, month, quarter, half, year; to date once half of it has passed) with a record
    horizon of a year (a quarter: three, a half or a year: ten) or among the five most extreme
    of at least 20 on record, a record close, the entry into a correction or a bear market; for
    fundamentals, a beat rate 10
    points or a revision breadth 0.25 away from the benchmark's, a beat rate 10 points away from
    the same point of last season, the first and last segment of the scorecard; a valuation at
    its highest or lowest in at least a year, a factor rolling over, unwinding, crashing or
    rebounding, and a
    driver beta or event-study mean with ``|t| >= 2``.
    """
    reasons: list[str] = []
    if fact.kind in ("record_gain", "record_drop"):
        if fact.details.get("on_record"):
            reasons.append("record on the whole history")
        elif fact.since is not None and (fact.as_of - fact.since).days >= 365 * RECORD_YEARS:
            reasons.append("record horizon of at least one year")
    if fact.kind == "largest_of_year" and fact.details.get("year_rows", 0) >= 20:
        reasons.append("extreme of the year")
    if not math.isnan(fact.zscore) and abs(fact.zscore) >= Z_NOTABLE:
        reasons.append(f"|z| >= {Z_NOTABLE:g}")
    if not math.isnan(fact.percentile) and (
        fact.percentile <= DECILE_LOW or fact.percentile > DECILE_HIGH
    ):
        reasons.append("top or bottom decile")
    if fact.kind == "rotation_episode" and fact.details.get("ongoing"):
        reasons.append("rotation under way")
    if fact.kind == "window_comparison" and (fact.of or 0) >= 2:
        reasons.append("leader and laggard of the period")
    if fact.kind == "period_return" and _beyond(fact.details.get("elapsed"), PERIOD_ELAPSED):
        horizon = PERIOD_YEARS.get(fact.window, RECORD_YEARS)
        if fact.details.get("on_record") and (fact.of or 0) >= PERIODS_ON_RECORD:
            reasons.append("record on the whole history")
        elif _beyond(fact.details.get("years"), horizon):
            reasons.append(f"record horizon of at least {horizon:g} year(s) for a {fact.window}")
        elif fact.rank is not None and fact.rank <= 5 and (fact.of or 0) >= PERIODS_ON_RECORD:
            reasons.append("among the five most extreme on record")
    if fact.kind == "level_record":
        event = fact.details.get("event")
        if event == "record" or event == "entered":
            reasons.append("record close" if event == "record" else
                           f"entered a {fact.details.get('state')} market"
                           if fact.details.get("state") == "bear" else "entered a correction")
        elif event in ("correction", "bear"):
            # what every recap states while it lasts ("29.5% below its record close"); a
            # standing state has no rarity, so it is never a headline
            reasons.append("in a bear market" if event == "bear" else "in a correction")
    if fact.kind == "analog_summary" and fact.details.get("notable_move"):
        reasons.append("follows a notable move")
    spread = fact.details.get("spread")
    if fact.kind == "earnings_beat_rate" and _beyond(spread, BEAT_RATE_SPREAD):
        reasons.append(f"beat rate at least {BEAT_RATE_SPREAD:.0%} from the benchmark's")
    if fact.kind == "revision_breadth" and _beyond(spread, BREADTH_SPREAD):
        reasons.append(f"revision breadth at least {BREADTH_SPREAD:g} from the benchmark's")
    if fact.kind == "earnings_season_comparison" and _beyond(fact.details.get("change"), SEASON_CHANGE):
        reasons.append(f"beat rate moved at least {SEASON_CHANGE:.0%} from last season")
    if fact.kind == "scorecard_rank" and fact.rank is not None and fact.of and (
        fact.rank == 1 or fact.rank == fact.of
    ):
        reasons.append("first or last on the scorecard")
    if fact.kind == "valuation_record":
        if fact.details.get("on_record"):
            reasons.append("record on the whole history")
        elif _beyond(fact.details.get("years"), RECORD_YEARS):
            reasons.append("record horizon of at least one year")
    status = fact.details.get("status")
    if fact.kind == "factor_status" and status in FACTOR_FLAGGED:
        reasons.append(f"factor {status}")
    if fact.kind in ("driver_beta", "event_study") and _beyond(fact.details.get("tstat"),
                                                               T_NOTABLE):
        reasons.append(f"|t| >= {T_NOTABLE:g}")
    return reasons


def _beyond(value: object, bound: float) -> bool:
    return isinstance(value, int | float) and not math.isnan(value) and abs(value) >= bound


def is_notable(fact: Fact) -> bool:
    """True when :func:`notability_reasons` gives at least one reason."""
    return bool(notability_reasons(fact))


def with_data_age(fact: Fact, frequency: str, when: pd.Timestamp) -> Fact:
    """``fact`` with the age of its data on ``when`` in ``details``: ``frequency``, ``stale``
    and ``data_age`` (:func:`rotascope.data.availability.date_staleness` of ``fact.as_of``, the
    fact's own data date, which for period data is the period's end), and for period data
    ``period_start``, the first day of the period. A report never makes a stale fact a
    headline."""
    from rotascope.data.availability import date_staleness, period_start

    age = date_staleness(fact.as_of, frequency, when)
    extra: dict[str, Any] = {"frequency": frequency, "stale": age.stale,
                             "data_age": age.describe()}
    if frequency in ("monthly", "quarterly", "annual"):
        extra["period_start"] = period_start(pd.Timestamp(fact.as_of), frequency)
    return dataclasses.replace(fact, details={**fact.details, **extra})
