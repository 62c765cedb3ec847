"""The data a report shows, independent of its format (HTML, Markdown, JSON).

The report builder fills a :class:`ReportModel` from analytics and facts; renderers only format it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

__all__ = [
    "AnalogPanel",
    "Headline",
    "PairPanel",
    "Quote",
    "ReportModel",
    "RrgPanel",
]


@dataclass(frozen=True)
class Headline:
    """One notable fact as a sentence with a link to its evidence.

    ``anchor`` is the HTML id of the evidence element (a table row or chart), ``fact`` the fact's
    full-precision JSON record.
    """

    sentence: str
    kind: str
    anchor: str
    fact: dict[str, Any]


@dataclass(frozen=True)
class Quote:
    """Last level and one-day change of a main segment (the quote strip)."""

    segment: str
    display: str
    level: float
    change_1d: float
    date: date


@dataclass(frozen=True)
class PairPanel:
    """A pair's relative strength line with rotation episodes and the current move.

    Attributes
    ----------
    rs : pandas.Series
        Relative strength line A/B rebased to 100 at its first date.
    episodes : pandas.DataFrame
        Columns ``start, end, peak_date, peak_move, duration, direction`` (direction ``"a"`` when A
        outperformed, ``"b"`` otherwise).
    window : str
        Window of the current move in CLI spelling (``"5d"``).
    move, zscore, percentile : float
        Current relative return over ``window``, its z-score vs the trailing 5 years and its
        percentile vs all history (NaN when unavailable).
    record : str
        Sentence on the move's record horizon ("" when not notable).
    """

    key: str
    a: str
    b: str
    a_display: str
    b_display: str
    rs: pd.Series
    episodes: pd.DataFrame
    window: str
    move: float
    zscore: float
    percentile: float
    record: str


@dataclass(frozen=True)
class RrgPanel:
    """Relative Rotation Graph of every segment against the benchmark.

    Attributes
    ----------
    points : pandas.DataFrame
        Long table with columns ``segment, display, date, rs_ratio, rs_momentum`` holding the tail
        (last ``tail`` points per segment, oldest first).
    table : pandas.DataFrame
        One row per segment: ``segment, display, rs_ratio, rs_momentum, quadrant, direction``.
    formula : str
        The exact formula and parameters, printed as a footnote.
    """

    benchmark: str
    benchmark_display: str
    points: pd.DataFrame
    table: pd.DataFrame
    formula: str


@dataclass(frozen=True)
class AnalogPanel:
    """"After similar moves": forward relative returns after past moves as large as today's.

    ``summary`` has one row per horizon (``1m, 3m, 6m, 12m``) with columns ``count, mean, median,
    hit_rate, worst``; ``episodes`` lists the analog dates with their move and forward returns.
    """

    key: str
    a_display: str
    b_display: str
    window: str
    move: float
    summary: pd.DataFrame
    episodes: pd.DataFrame


@dataclass(frozen=True)
class ReportModel:
    """Everything one report shows for one as-of date.

    ``performance`` is indexed by segment display name with columns ``group, 1d, 5d, 1m, 3m, ytd,
    1y`` (fractions, NaN when the history is too short). ``sources`` has columns ``series, source,
    first, last``. ``methods`` is a list of (term, definition) pairs.
    """

    title: str
    as_of: date
    universe: str
    version: str
    generated_at: datetime
    data_note: str
    headlines: list[Headline]
    quotes: list[Quote]
    performance: pd.DataFrame
    pairs: list[PairPanel]
    rrg: RrgPanel | None
    analogs: list[AnalogPanel]
    sources: pd.DataFrame
    methods: list[tuple[str, str]] = field(default_factory=list)
