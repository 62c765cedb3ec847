"""The data a report shows, independent of its format (HTML, Markdown, JSON).

The report builder fills a :class:`ReportModel` from analytics and facts; renderers only format it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from rotascope.report.breadth_section import BreadthPanel

__all__ = [
    "AnalogPanel",
    "DriverItem",
    "DriversPanel",
    "EarningsPanel",
    "EventItem",
    "FactorPanel",
    "Headline",
    "PairPanel",
    "Quote",
    "ReportModel",
    "RrgPanel",
    "ScorecardPanel",
    "ValuationItem",
    "ValuationPanel",
    "freshness_line",
]


@dataclass(frozen=True)
class Headline:
    """One notable fact as a sentence with a link to its evidence.

    ``anchor`` is the HTML id of the evidence element (a table row or chart), ``fact`` the fact's
    full-precision JSON record. ``sample`` marks facts computed from made-up sample files
    (renderers label them).
    """

    sentence: str
    kind: str
    anchor: str
    fact: dict[str, Any]
    sample: bool = False

    def data_date(self, as_of: dt.date) -> str:
        """``"data of June 2024"`` when the fact's own data date is not the report's date (a
        month for period data, a day for daily data), else ``""``."""
        day = self.fact.get("as_of")
        if not day or str(day) == str(as_of):
            return ""
        stamp = pd.Timestamp(day)
        freq = self.fact.get("details", {}).get("frequency", "daily")
        text = stamp.strftime("%B %Y") if freq in ("monthly", "quarterly") else (
            stamp.strftime("%Y") if freq == "annual" else f"{stamp:%B} {stamp.day}, {stamp.year}")
        return f"data of {text}"


def freshness_line(sources: pd.DataFrame) -> str:
    """The latest date of each source, grouped: ``"2024-07-18: S&P 500, Russell 2000 and 31
    more; June 2024: Shiller CAPE, ..."`` (latest first; stale ones marked)."""
    if sources is None or sources.empty or "last" not in sources:
        return ""
    groups: dict[tuple[str, bool], list[str]] = {}
    order: list[tuple[pd.Timestamp, str, bool]] = []
    for r in sources.itertuples(index=False):
        last = getattr(r, "last", None)
        if last is None or pd.isna(last):
            continue
        stamp = pd.Timestamp(last)
        freq = str(getattr(r, "frequency", "daily") or "daily")
        label = stamp.strftime("%B %Y") if freq in ("monthly", "quarterly") else (
            f"{stamp:%Y-%m-%d}")
        stale = bool(getattr(r, "stale", False))
        key = (label, stale)
        if key not in groups:
            groups[key] = []
            order.append((stamp, label, stale))
        groups[key].append(str(r.series))
    parts = []
    for _, label, stale in sorted(order, key=lambda o: o[0], reverse=True):
        names = groups[(label, stale)]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        parts.append(f"{label}{' (stale)' if stale else ''}: {shown}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Quote:
    """Last level and latest change of a main segment (the quote strip).

    ``level`` is None when the series has no level a reader could check (an index compounded
    from returns); ``series`` names what the level is (``"SPY Close"``, ``"^GSPC Close"``);
    ``window`` is the change's real span: ``"1 day"`` for daily data, ``"1 month"`` for monthly.
    """

    segment: str
    display: str
    level: float | None
    change: float
    date: date
    series: str = ""
    window: str = "1 day"


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
class ValuationItem:
    """Where one valuation (or a ratio/spread of two) stands in its trailing lookback.

    Attributes
    ----------
    key : str
        Anchor key (from the universe's ``[report]`` table).
    title : str
        Heading ("S&P 500: Shiller CAPE").
    metric_label : str
        The metric's name in sentences ("CAPE", "BE/ME").
    units : str
        ``"fraction"``, ``"percent"`` or ``""``: how values print (see ``value_text``).
    value, percentile, median, distance, distance_pct, low, high : float
        Today's value, its percentile in the lookback (0-1), the lookback's median, ``value -
        median``, ``value / median - 1``, lowest and highest value of the lookback.
    decile : int
    lookback, lookback_start, observations, lookback_full
        The trailing window: label ("20y"), first date, number of observations and whether the
        history covers it.
    state : str
        ``cheap``, ``expensive``, ``high``, ``low`` or ``median`` vs the lookback median.
    record : str
        Record horizon: "highest since Nov 2021", "lowest on record (since Jan 1871)".
    record_since : date or None
    record_years : float
    sentences : list of str
        The facts' sentences (percentile, then the record when notable).
    series : pandas.DataFrame
        For the band chart: ``value, p10, p50, p90`` by date (the trailing lookback's 10th, 50th
        and 90th percentiles at every date).
    source : str
    note : str
        E.g. that the last observation is months older than the report date.
    """

    key: str
    title: str
    metric_label: str
    units: str
    date: date
    value: float
    percentile: float
    decile: int
    median: float
    distance: float
    distance_pct: float
    low: float
    high: float
    lookback: str
    lookback_start: dt.date  # dt.date: the field `date` shadows the type in this class
    observations: int
    lookback_full: bool
    state: str
    record: str
    record_since: dt.date | None
    record_years: float
    sentences: list[str]
    series: pd.DataFrame
    source: str
    note: str = ""


@dataclass(frozen=True)
class ValuationPanel:
    """The valuation section: its items and notes (items left out, what the data are)."""

    items: list[ValuationItem]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FactorPanel:
    """The factor monitor.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per factor: ``factor, display, date, status, drawdown, drawdown_percentile,
        high_date, ret_1, pct_1, ret_2, pct_2, ret_3, pct_3, episodes``; ``ret_i``/``pct_i`` are
        the return over ``windows[i - 1]`` rows and its percentile vs the factor's history.
    windows : list of str
        Labels of the three windows (``["1d", "5d", "21d"]``; ``["1m", "3m", "6m"]`` monthly).
    frequency : str
    sentences : dict
        Factor -> its status sentence.
    drawdowns : pandas.DataFrame
        Drawdown from the trailing 12-month high by date, one column per factor display name,
        over the chart's span (``chart_span``).
    chart_span : str
        What the drawdown chart covers ("the past 5 years").
    episodes : pandas.DataFrame
        Every factor's past unwinds and crashes: ``factor, display`` then the columns of
        :data:`rotascope.analytics.factors.EPISODE_COLUMNS`, oldest first.
    """

    table: pd.DataFrame
    windows: list[str]
    frequency: str
    sentences: dict[str, str]
    drawdowns: pd.DataFrame
    chart_span: str
    episodes: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DriverItem:
    """A pair's rolling regression on a driver's changes.

    ``beta`` is the relative return (fraction) per unit of driver change (``units``: "bp",
    "%", "index points"), ``effect`` the relative return per ``step`` units. ``series`` holds
    the rolling ``beta``, ``se``, ``tstat`` and ``r2`` by date for the chart.
    """

    key: str
    pair: str
    a_display: str
    b_display: str
    driver_display: str
    date: date
    start: dt.date  # dt.date: the field `date` shadows the type in this class
    window: int
    beta: float
    tstat: float
    r2: float
    n: int
    units: str
    step: float
    effect: float
    significant: bool
    sentence: str
    series: pd.DataFrame
    source: str


@dataclass(frozen=True)
class EventItem:
    """An event study of a pair around the dates of an events file.

    ``summary`` is indexed by group (``all``, ``positive``, ``negative``, ``zero``, ``none``)
    with ``count, mean_car, median_car, sd_car, tstat, pvalue, hit_rate``; ``path`` is indexed
    by day offset with the mean cumulative abnormal relative return ``<group>_car`` (and
    ``<group>_ar``). ``used`` of ``total`` events had their whole windows inside the data.
    """

    key: str
    pair: str
    a_display: str
    b_display: str
    event_name: str
    window: tuple[int, int]
    estimation: tuple[int, int]
    summary: pd.DataFrame
    path: pd.DataFrame
    used: int
    total: int
    first: date | None
    last: date | None
    sentences: list[str]
    note: str
    source: str


@dataclass(frozen=True)
class DriversPanel:
    """The drivers section: rolling betas and event studies."""

    drivers: list[DriverItem]
    events: list[EventItem]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EarningsPanel:
    """The earnings season so far, per segment.

    ``table`` is indexed by segment with ``display, reported, members, eps_beat_rate,
    eps_beat_rate_weighted, median_eps_surprise, sales_beat_rate, breadth_next_q,
    breadth_next_y`` (fractions; breadth in [-1, 1]). ``sentences`` are the notable facts,
    ``more_sentences`` the others. ``is_sample`` marks the shipped made-up sample files.
    """

    season: str
    as_of: date
    table: pd.DataFrame
    sentences: list[str]
    source: str
    is_sample: bool
    benchmark: str = ""
    more_sentences: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScorecardPanel:
    """The segment scorecard: pillar scores, pillars used, composite and rank per segment.

    ``table`` is indexed by segment, best first, with ``display, rank, <pillar>...,
    pillars_used, composite`` (NaN where missing); ``inputs`` holds the raw metric values
    (NaN where missing), ``metrics`` the metrics of each pillar. ``sentences`` are the notable
    facts (first and last), ``more_sentences`` the others.
    """

    as_of: date | None
    table: pd.DataFrame
    pillars: list[str]
    inputs: pd.DataFrame
    metrics: dict[str, list[str]]
    weights: dict[str, float]
    sentences: list[str]
    source: str
    is_sample: bool
    more_sentences: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportModel:
    """Everything one report shows for one as-of date.

    ``performance`` is indexed by segment display name with columns ``group, 1d, 5d, 1m, 3m, ytd,
    1y`` (fractions, NaN when the history is too short). ``sources`` has columns ``series, source,
    first, last``. ``methods`` is a list of (term, definition) pairs. The fundamentals panels
    (valuation, factors, drivers, earnings, scorecard) are None when the report leaves them out.
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
    valuation: ValuationPanel | None = None
    factors: FactorPanel | None = None
    drivers: DriversPanel | None = None
    earnings: EarningsPanel | None = None
    scorecard: ScorecardPanel | None = None
    #: Report-level notes: sections left out and why, stale sources.
    notes: list[str] = field(default_factory=list)
    breadth: BreadthPanel | None = None  # the Breadth section, when the universe names panels
