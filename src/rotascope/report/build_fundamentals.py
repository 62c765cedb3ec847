"""The report's fundamentals panels: valuation, factor monitor, drivers and events, earnings season
and scorecard, with their facts and the ids of their evidence.

What each panel shows comes from the universe's ``[report]`` table
(:mod:`rotascope.data.report_settings`); series references resolve as in ``rotascope
valuation``/``drivers`` (:func:`rotascope.report.series_refs.resolve_series`). An item whose data
are missing is left out with a :class:`~rotascope.errors.RotascopeWarning` naming it (or the
``on_missing`` callback) and a note in its section, never an exception that kills the report.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from rotascope.analytics.drivers import DriverResult, driver_sensitivity
from rotascope.analytics.events import EventStudy, event_study
from rotascope.analytics.factors import FactorMonitor, factor_monitor
from rotascope.analytics.scorecard import technical_inputs
from rotascope.analytics.valuation import (
    ValuationResult,
    parse_metric,
    relative_valuation,
    valuation_percentile,
)
from rotascope.data.earnings import SAMPLE_AS_OF, SAMPLE_LABEL
from rotascope.data.loader import DataSource
from rotascope.data.report_settings import DriverRef, EventsRef, FilesRef, ValuationRef
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import RotascopeError, RotascopeWarning
from rotascope.formatting import one_line
from rotascope.narrative.driver_facts import driver_fact, event_facts
from rotascope.narrative.fact import Fact, with_data_age
from rotascope.narrative.factor_facts import factor_facts, factor_legs
from rotascope.narrative.subjects import Subject
from rotascope.narrative.valuation_facts import valuation_facts
from rotascope.narrative.wording import month_year
from rotascope.report.fundamentals import (
    EarningsView,
    ScorecardView,
    earnings_view,
    scorecard_view,
)
from rotascope.report.html_fundamentals import (
    driver_anchor,
    earnings_anchor,
    event_anchor,
    factor_anchor,
    factor_episode_anchor,
    scorecard_anchor,
    valuation_anchor,
)
from rotascope.report.model import (
    DriverItem,
    DriversPanel,
    EarningsPanel,
    EventItem,
    FactorPanel,
    ScorecardPanel,
    ValuationItem,
    ValuationPanel,
)

if TYPE_CHECKING:
    from rotascope.data.series import TimeSeries

__all__ = [
    "FUNDAMENTALS_METHODS",
    "Fundamentals",
    "build_fundamentals",
    "driver_item",
    "earnings_panel",
    "event_item",
    "factor_panel",
    "scorecard_panel",
    "valuation_item",
]

#: Years of history the valuation band chart shows (the band itself is the trailing lookback).
VALUATION_CHART_YEARS = 30
#: Span of the factor drawdown chart by frequency.
FACTOR_CHART_YEARS = {"daily": 3, "weekly": 10, "monthly": 20}
#: A valuation older than this (days) before the report date gets a note.
STALE_DAYS = 62
#: An event study on fewer events than this gets a caution note.
FEW_EVENTS = 20

FUNDAMENTALS_METHODS: list[tuple[str, str]] = [
    ("Valuation percentile", "Within the trailing lookback (20 years unless stated), the share of "
     "observations below today's value plus half the share equal to it; decile = ceil(10 x "
     "percentile), at least 1. The band chart shades the 10th to 90th percentile of the trailing "
     "lookback at each date, with its median dashed. Cheap means a low P/E or CAPE, a high BE/ME "
     "or yield."),
    ("Factor monitor", "Drawdown of each factor's cumulative return index from its trailing "
     "12-month high and its 1-, 5- and 21-day returns (1, 3 and 6 months for monthly factors), "
     "each with its percentile in the factor's own history. Status reads depth and direction "
     "together: crash when the drawdown is in the deepest 5% of history and a 5- or 21-day fall "
     "in the worst 1%; unwind at 10% and 5%; rebounding when a 5- or 21-day gain is in the top "
     "decile from a drawdown deeper than the median one; rolling over when a 5- or 21-day fall "
     "is in the worst decile; a (deep) drawdown when the drawdown is deeper than 75% of history "
     "without a fast move; else normal. Each status sentence states the numbers that decided "
     "it."),
    ("Driver beta", "Rolling OLS regression (252 daily rows, 60 monthly) of the pair's daily "
     "relative return on the driver's daily change (yields in basis points), with its t-statistic "
     "and R\u00b2; the chart shows the relative return per step of the driver with a band of two "
     "standard errors."),
    ("Event study", "Abnormal relative return: the pair's daily relative return minus its mean "
     "over rows -260 to -11 before the event; cumulated from the day before to five days after "
     "(rows of the series); t-statistic of the mean across events."),
    ("Earnings season", "Beat rate: share of reporting companies whose actual beat the estimate "
     "(EPS and sales); revision breadth: (up - down) / (up + down) estimate revisions over 30 "
     "days. Scorecard: cross-sectional z-scores of each metric, averaged per pillar; composite "
     "is the weighted mean of the pillars available (missing inputs stay missing)."),
]


@dataclass
class Fundamentals:
    """The panels and their facts, each fact with the id of its evidence."""

    valuation: ValuationPanel | None = None
    factors: FactorPanel | None = None
    drivers: DriversPanel | None = None
    earnings: EarningsPanel | None = None
    scorecard: ScorecardPanel | None = None
    facts: list[tuple[Fact, str, bool]] = field(default_factory=list)
    sources: list[dict[str, object]] = field(default_factory=list)
    #: Report-level notes (sections left out and why).
    notes: list[str] = field(default_factory=list)


Missing = Callable[[str, Exception], None]
#: Errors that leave one item out (bad or missing data, unreadable files), not the report.
_SKIP = (RotascopeError, OSError)


def _warn_missing(name: str, exc: Exception) -> None:
    warnings.warn(f"{name} left out: {exc}", RotascopeWarning, stacklevel=3)


def _date(ts: pd.Timestamp | None) -> date | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).date()


def _path(ref: str, source: DataSource) -> Path:
    path = Path(ref).expanduser()
    if not path.is_absolute() and source.data_dir is not None:
        path = Path(source.data_dir) / path
    return path


# --------------------------------------------------------------------------------------------
# valuation


def valuation_item(
    key: str,
    title: str,
    res: ValuationResult,
    facts: list[Fact],
    *,
    metric_label: str,
    units: str = "",
    source: str = "",
    when: pd.Timestamp | None = None,
) -> ValuationItem:
    """A valuation item from :func:`~rotascope.analytics.valuation_percentile` and its facts.

    ``when`` is the report date: an observation more than :data:`STALE_DAYS` older gets a note.
    The band chart keeps the last :data:`VALUATION_CHART_YEARS` years.
    """
    rec = res.record
    word = "highest" if rec.direction == "gain" else "lowest"
    if rec.on_record:
        record = f"{word} on record (since {month_year(rec.first_date)})"
    else:
        # not on record, so there is an earlier date at least as extreme
        record = f"{word} since {month_year(cast(pd.Timestamp, rec.since))}"
    frame = res.series[["value", "p10", "p50", "p90"]]
    frame = frame[frame.index >= res.date - pd.DateOffset(years=VALUATION_CHART_YEARS)]
    lag = (pd.Timestamp(when) - res.date).days if when is not None else 0
    note = (f"The last observation is from {res.date:%B %Y}, {lag} days before the report date: "
            "the source publishes with a lag." if lag > STALE_DAYS else "")
    return ValuationItem(
        key=key, title=title, metric_label=metric_label, units=units, date=res.date.date(),
        value=res.value, percentile=res.percentile, decile=res.decile, median=res.median,
        distance=res.distance, distance_pct=res.distance_pct, low=res.low, high=res.high,
        lookback=res.lookback, lookback_start=res.lookback_start.date(),
        observations=res.lookback_count, lookback_full=res.lookback_full, state=res.state,
        record=record, record_since=_date(rec.since or rec.first_date),
        record_years=float(rec.years), sentences=[f.sentence for f in facts], series=frame,
        source=source, note=note,
    )


def _valuation_item(
    ref: ValuationRef, universe: Universe, source: DataSource, when: pd.Timestamp
) -> tuple[ValuationItem, list[Fact], TimeSeries]:
    from rotascope.report.series_refs import guess_metric, resolve_series

    ts_a, disp_a = resolve_series(ref.series, universe, source)
    guessed, guessed_label = guess_metric(ts_a)
    metric = parse_metric(ref.metric) if ref.metric else guessed
    label = ref.label or guessed_label
    units = ts_a.meta.units if ts_a.meta.units in ("fraction", "percent") else ""
    series = ts_a.data.rename(ts_a.meta.name)
    display = ref.display or disp_a
    versus_display, src = "", f"{display}: {ts_a.meta.source}"
    if ref.versus:
        ts_b, disp_b = resolve_series(ref.versus, universe, source)
        versus_display = ref.versus_display or disp_b
        series = relative_valuation(series, ts_b.data.rename(ts_b.meta.name),
                                    ref.how)  # type: ignore[arg-type]
        src += f"; {versus_display}: {ts_b.meta.source}"
        units = "" if ref.how == "ratio" else units
    res = valuation_percentile(series, when, ref.lookback, metric)
    facts = valuation_facts(res, display, versus_display=versus_display, how=ref.how,
                            metric_label=label, noun=ref.noun, units=units, source=src,
                            subject=ref.series, versus=ref.versus)
    title = ref.title or (f"{display} vs {versus_display}: {label} {ref.how}" if ref.versus
                          else f"{display}: {label}")
    item = valuation_item(ref.key, title, res, facts, metric_label=label, units=units,
                          source=src, when=when)
    if ref.note:
        item = dataclasses.replace(item, note=f"{ref.note} {item.note}".strip())
    return item, facts, ts_a


def _valuation(universe: Universe, source: DataSource, when: pd.Timestamp, missing: Missing,
               out: Fundamentals) -> None:
    refs = universe.report.valuation
    items, notes = [], []
    if not refs:
        notes.append(f"Universe {universe.name!r} names no valuation series (add "
                     "[[report.valuation]] tables to its file).")
    for ref in refs:
        try:
            item, facts, ts = _valuation_item(ref, universe, source, when)
        except _SKIP as exc:
            missing(f"valuation {ref.key} ({ref.series})", exc)
            notes.append(f"Left out: {ref.title or ref.key} ({one_line(exc)}).")
            continue
        items.append(item)
        freq = ts.meta.frequency
        out.facts += [(with_data_age(f, freq, when), valuation_anchor(ref.key), False) for f in facts]
        out.sources.append({"series": item.title, "source": item.source,
                            "first": ts.data.index[0].date(), "last": item.date,
                            "frequency": freq})
    out.valuation = ValuationPanel(items=items, notes=notes)


# --------------------------------------------------------------------------------------------
# factors


def _factor_table(monitor: FactorMonitor, displays: dict[str, str]) -> pd.DataFrame:
    rows = []
    for name, res in monitor.results.items():
        row: dict[str, object] = {
            "factor": name, "display": displays[name], "date": res.date, "status": res.status,
            "drawdown": res.drawdown, "drawdown_percentile": res.drawdown_percentile,
            "high_date": res.high_date,
        }
        for i, label in enumerate(res.returns, start=1):
            row[f"ret_{i}"] = res.returns[label]
            row[f"pct_{i}"] = res.percentiles[label]
        row["episodes"] = len(res.episodes)
        rows.append(row)
    return pd.DataFrame(rows)


def _factors(universe: Universe, source: DataSource, when: pd.Timestamp, subjects: set[str],
             missing: Missing, out: Fundamentals) -> None:
    from rotascope.report.series_refs import resolve_series

    refs = universe.report.factors
    if refs is None:
        refs = tuple(s.name for s in universe.segments if s.group == "factor")
    notes: list[str] = []
    series: dict[str, pd.Series] = {}
    displays: dict[str, str] = {}
    sources: dict[str, str] = {}
    for ref in refs:
        try:
            ts, display = resolve_series(ref, universe, source)
            data = ts.data
            if ts.meta.kind == "price":
                data = data.pct_change().dropna()
            elif ts.meta.kind != "return":
                raise RotascopeError(f"{ref}: the factor monitor needs return (or price) series, "
                                     f"not a {ts.meta.kind} series")
        except _SKIP as exc:
            missing(f"factor {ref}", exc)
            notes.append(f"Left out: {ref} ({one_line(exc)}).")
            continue
        series[ref], displays[ref], sources[ref] = data.rename(ref), display, ts.meta.source
    if not series:
        if not refs:
            notes.append(f"Universe {universe.name!r} has no factor series.")
        out.factors = FactorPanel(table=pd.DataFrame(), windows=[], frequency="", sentences={},
                                  drawdowns=pd.DataFrame(), chart_span="",
                                  episodes=pd.DataFrame(), notes=notes)
        return
    monitor = factor_monitor(series, when)
    for name, why in monitor.skipped.items():
        missing(f"factor {name}", RotascopeError(why))
        notes.append(f"Left out: {displays[name]} ({why}).")
    sentences: dict[str, str] = {}
    for name, res in monitor.results.items():
        facts = [with_data_age(f, res.frequency, when)
                 for f in factor_facts(res, factor_legs(name, displays[name]), sources[name])]
        sentences[name] = facts[0].sentence
        for f in facts:
            if f.kind == "factor_status":
                out.facts.append((f, factor_anchor(name), False))
            elif f.kind == "factor_episode":
                ep = res.episodes.iloc[-1]
                out.facts.append((f, factor_episode_anchor(name, ep["start"]), False))
            elif name not in subjects:  # records of factors that are not report segments
                out.facts.append((f, factor_anchor(name), False))
    if not monitor.results:
        out.factors = FactorPanel(table=pd.DataFrame(), windows=[], frequency="", sentences={},
                                  drawdowns=pd.DataFrame(), chart_span="",
                                  episodes=pd.DataFrame(), notes=notes)
        return
    for name, res in monitor.results.items():
        out.sources.append({"series": displays[name], "source": sources[name],
                            "first": res.history_start.date(), "last": res.date.date(),
                            "frequency": res.frequency})
    out.factors = factor_panel(monitor, displays, sentences, notes=notes, sources=sources)


def factor_panel(
    monitor: FactorMonitor,
    displays: dict[str, str],
    sentences: dict[str, str],
    *,
    notes: list[str] | None = None,
    sources: dict[str, str] | None = None,
) -> FactorPanel:
    """The factor panel of a :func:`~rotascope.analytics.factor_monitor` with at least one
    result: table, drawdowns over :data:`FACTOR_CHART_YEARS`, every factor's episodes."""
    first = next(iter(monitor.results.values()))
    years = FACTOR_CHART_YEARS.get(first.frequency, 5)
    last = max(r.date for r in monitor.results.values())
    dd = pd.concat({displays[n]: r.series["drawdown"] for n, r in monitor.results.items()},
                   axis=1, sort=True)
    dd = dd[dd.index > last - pd.DateOffset(years=years)]
    episodes = monitor.episodes
    episodes.insert(1, "display", episodes["factor"].map(displays))
    return FactorPanel(
        table=_factor_table(monitor, displays), windows=list(first.returns),
        frequency=first.frequency, sentences=sentences, drawdowns=dd,
        chart_span=f"the past {years} years", episodes=episodes, notes=list(notes or []),
        sources=dict(sources or {}),
    )


# --------------------------------------------------------------------------------------------
# drivers and events


def _pair_prices(universe: Universe, pair_name: str, subjects: dict[str, Subject],
                 when: pd.Timestamp) -> tuple[pd.Series, pd.Series, Subject, Subject]:
    pair = universe.pair(pair_name)
    for seg in (pair.a, pair.b):
        if seg not in subjects:
            raise RotascopeError(f"no data for segment {seg!r} of pair {pair_name!r}")
    a, b = subjects[pair.a], subjects[pair.b]
    return a.prices[a.prices.index <= when], b.prices[b.prices.index <= when], a, b


def _driver_item(ref: DriverRef, universe: Universe, source: DataSource,
                 subjects: dict[str, Subject], when: pd.Timestamp) -> tuple[DriverItem, Fact]:
    from rotascope.report.series_refs import KNOWN_DRIVERS, driver_change, resolve_series

    pa, pb, a, b = _pair_prices(universe, ref.pair, subjects, when)
    ts_d, disp_d = resolve_series(ref.driver, universe, source)
    how, mult, units = driver_change(ts_d, ref.change, None)
    res = driver_sensitivity(pa.rename(a.name), pb.rename(b.name),
                             ts_d.data.rename(ts_d.meta.name), when, ref.window, how, mult,
                             units)
    name_d = ref.label or KNOWN_DRIVERS.get(ts_d.meta.symbol.lower(), disp_d)
    src = f"{a.display}: {a.source}; {b.display}: {b.source}; {name_d}: {ts_d.meta.source}"
    fact = driver_fact(res, a.display, b.display, name_d, src)
    return driver_item(ref.key, ref.pair, res, fact, a.display, b.display, name_d, src), fact


def driver_item(key: str, pair: str, res: DriverResult, fact: Fact, a_display: str,
                b_display: str, driver_display: str, source: str = "") -> DriverItem:
    """A driver item from :func:`~rotascope.analytics.driver_sensitivity` and its fact."""
    chart = res.series[["beta", "se", "tstat", "r2"]].dropna(subset=["beta"])
    return DriverItem(
        key=key, pair=pair, a_display=a_display, b_display=b_display,
        driver_display=driver_display, date=res.date.date(), start=res.start.date(),
        window=res.window, beta=res.beta, tstat=res.tstat, r2=res.r2, n=res.n, units=res.units,
        step=res.step, effect=res.effect, significant=res.significant, sentence=fact.sentence,
        series=chart, source=source,
    )


def _event_item(ref: EventsRef, universe: Universe, source: DataSource,
                subjects: dict[str, Subject], when: pd.Timestamp) -> tuple[EventItem, list[Fact]]:
    from rotascope.report.series_refs import BUILTIN_EVENTS, load_events

    pa, pb, a, b = _pair_prices(universe, ref.pair, subjects, when)
    file = ref.events if ref.events.lower() in BUILTIN_EVENTS else str(_path(ref.events, source))
    ev, noun = load_events(file)
    name = ref.name or noun
    study = event_study(pa.rename(a.name), pb.rename(b.name), ev, when, ref.window,
                        ref.estimation)
    src = f"{a.display}: {a.source}; {b.display}: {b.source}; events: {ref.events}"
    facts = event_facts(study, a.display, b.display, name, src)
    item = event_item(ref.key, ref.pair, study, facts, name, a.display, b.display, src)
    return item, facts


def event_item(key: str, pair: str, study: EventStudy, facts: list[Fact], name: str,
               a_display: str, b_display: str, source: str = "") -> EventItem:
    """An event-study item from :func:`~rotascope.analytics.event_study` and its facts; the
    note says how many events fall outside the data and warns below :data:`FEW_EVENTS`."""
    used = study.used
    total = len(study.events)
    first = used["date"].min() if len(used) else None
    last = used["date"].max() if len(used) else None
    note = ""
    if len(used) < total:
        reasons = study.events.loc[~study.events["used"], "reason"]
        after = int(reasons.str.startswith(("after the data", "event window ends")).sum())
        before = int(reasons.str.startswith("estimation window").sum())
        bits = []
        if after:
            bits.append(f"{after} after the end of the data ({study.as_of:%Y-%m-%d})")
        if before:
            bits.append(f"{before} too early for the estimation window")
        other = total - len(used) - after - before
        if other:
            bits.append(f"{other} for other reasons")
        note = (f"{len(used)} of the {total} {name} in the file are used; "
                f"left out: {', '.join(bits)}.")
    if len(used) < FEW_EVENTS:
        note += (f" Only {len(used)} events fall in the data's range: treat the averages with "
                 "caution." if len(used) >= 2 else
                 f" Too few events ({len(used)}) fall in the data's range for an average.")
    return EventItem(
        key=key, pair=pair, a_display=a_display, b_display=b_display, event_name=name,
        window=study.window, estimation=study.estimation, summary=study.summary,
        path=study.path, used=len(used), total=total, first=_date(first),
        last=_date(last), sentences=[f.sentence for f in facts],
        note=note.strip(), source=source,
    )


def _drivers(universe: Universe, source: DataSource, when: pd.Timestamp,
             subjects: dict[str, Subject], missing: Missing, out: Fundamentals) -> None:
    settings = universe.report
    drivers, events, notes = [], [], []
    if not settings.drivers and not settings.events:
        notes.append(f"Universe {universe.name!r} names no drivers or events (add "
                     "[[report.drivers]] and [[report.events]] tables to its file).")
    for ref in settings.drivers:
        try:
            item, fact = _driver_item(ref, universe, source, subjects, when)
        except _SKIP as exc:
            missing(f"driver {ref.driver} of {ref.pair}", exc)
            notes.append(f"Left out: {ref.pair} on {ref.label or ref.driver} "
                         f"({one_line(exc)}).")
            continue
        drivers.append(item)
        out.facts.append((with_data_age(fact, "daily", when), driver_anchor(ref.key), False))
    for ev_ref in settings.events:
        try:
            ev_item, facts = _event_item(ev_ref, universe, source, subjects, when)
        except _SKIP as exc:
            missing(f"events {ev_ref.events} of {ev_ref.pair}", exc)
            notes.append(f"Left out: {ev_ref.pair} around {ev_ref.name or ev_ref.events} "
                         f"({one_line(exc)}).")
            continue
        events.append(ev_item)
        out.facts += [(f, event_anchor(ev_ref.key, str(f.details.get("group", "all"))), False)
                      for f in facts]
    out.drivers = DriversPanel(drivers=drivers, events=events, notes=notes)


# --------------------------------------------------------------------------------------------
# earnings and scorecard


def _sample_allowed(universe: Universe, ref: FilesRef, what: str, when: pd.Timestamp,
                    out: Fundamentals) -> bool:
    """Whether a section without files may show the shipped made-up sample: in a report on the
    embedded sample or when asked by name (``sample = true``), and only when the sample is not
    dated after the report. Otherwise a note says why the section is left out."""
    if not (ref.sample or universe.provider == "sample"):
        return False
    if SAMPLE_AS_OF > when:
        out.notes.append(
            f"The {what} section is left out: the shipped made-up sample files describe "
            f"{SAMPLE_AS_OF:%B %-d, %Y}, after this report's date ({when:%B %-d, %Y}); "
            f"`rotascope {what.split()[0]}` shows them."
        )
        return False
    return True


def _earnings(universe: Universe, source: DataSource, when: pd.Timestamp, missing: Missing,
              out: Fundamentals) -> None:
    ref = universe.report.earnings
    if not ref.show:
        return
    files = {k: _path(v, source) for k, v in ref.files.items()}
    sample = not files
    if sample and not _sample_allowed(universe, ref, "earnings season", when, out):
        return
    # the shipped sample is mapped onto the `us` universe's segments and names
    names_universe = load_universe("us") if sample else universe
    try:
        view = earnings_view(names_universe, earnings=files.get("earnings"),
                             membership=files.get("membership"), revisions=files.get("revisions"),
                             as_of=None if sample else when)
    except _SKIP as exc:
        missing("earnings season", exc)
        return
    out.facts += [(f, earnings_anchor(f.subject), sample) for f in view.facts]
    out.earnings = earnings_panel(view, names_universe)


def earnings_panel(view: EarningsView, universe: Universe) -> EarningsPanel:
    """The earnings panel of an :func:`~rotascope.report.fundamentals.earnings_view`
    (``universe`` names the segments and the benchmark)."""
    displays = {s.name: s.display for s in universe.segments}
    cols = ["reported", "members", "eps_beat_rate", "eps_beat_rate_weighted",
            "median_eps_surprise", "sales_beat_rate"]
    table = view.table[cols].copy()
    table.insert(0, "display", [displays.get(str(s), str(s)) for s in table.index])
    for period, col in (("0q", "breadth_next_q"), ("+1y", "breadth_next_y")):
        b = view.breadth.get(period)
        table[col] = b["breadth"].reindex(table.index) if b is not None else math.nan
    bench = universe.benchmark if universe.benchmark in table.index else ""
    return EarningsPanel(
        season=view.season, as_of=view.as_of.date(), table=table,
        sentences=[f.sentence for f in view.facts if f.notable], source=view.source,
        is_sample=view.is_sample, benchmark=bench,
        more_sentences=[f.sentence for f in view.facts if not f.notable],
    )


def _scorecard(universe: Universe, source: DataSource, when: pd.Timestamp,
               subjects: dict[str, Subject], missing: Missing, out: Fundamentals) -> None:
    ref = universe.report.scorecard
    if not ref.show:
        return
    file = ref.files.get("fundamentals")
    sample = file is None
    if sample and not _sample_allowed(universe, ref, "scorecard", when, out):
        return
    names_universe = load_universe("us") if sample else universe
    technicals = None
    if not sample:  # real fundamentals: technicals from the report's own prices
        prices = {n: s.prices for n, s in subjects.items()}
        technicals = technical_inputs(prices, when) if prices else None
    try:
        view = scorecard_view(names_universe, fundamentals=None if file is None else _path(file, source),
                              as_of=None if sample else when, technicals=technicals)
    except _SKIP as exc:
        missing("scorecard", exc)
        return
    out.facts += [(f, scorecard_anchor(f.subject), sample) for f in view.facts]
    out.scorecard = scorecard_panel(view, names_universe)


def scorecard_panel(view: ScorecardView, universe: Universe) -> ScorecardPanel:
    """The scorecard panel of a :func:`~rotascope.report.fundamentals.scorecard_view`."""
    card = view.card
    displays = {s.name: s.display for s in universe.segments}
    pillars = list(card.pillars)
    table = card.table[["rank", *pillars, "pillars_used", "composite"]].copy()
    table.insert(0, "display", [displays.get(str(s), str(s)) for s in table.index])
    metrics = {p: list(m) for p, m in card.pillars.items()}
    used = [m for ms in metrics.values() for m in ms if m in card.inputs.columns]
    return ScorecardPanel(
        as_of=_date(view.as_of), table=table, pillars=pillars,
        inputs=card.inputs.reindex(table.index)[used], metrics=metrics,
        weights=dict(view.weights), sentences=[f.sentence for f in view.facts if f.notable],
        source=view.source, is_sample=view.is_sample,
        more_sentences=[f.sentence for f in view.facts if not f.notable],
    )


# --------------------------------------------------------------------------------------------


def build_fundamentals(
    universe: Universe,
    source: DataSource,
    when: pd.Timestamp,
    subjects: dict[str, Subject],
    *,
    on_missing: Missing | None = None,
    progress: Callable[[str], None] | None = None,
) -> Fundamentals:
    """Fill the fundamentals panels of a report for ``when``.

    Parameters
    ----------
    universe : Universe
        Its ``[report]`` table names the series; pairs come from its pairs.
    source : DataSource
        Where series come from (``file:`` paths relative to its ``data_dir``).
    when : Timestamp
        The report's as-of date (the earnings and scorecard sample files keep their own date).
    subjects : dict
        The report's segments with their prices (pairs of drivers and events use them).
    on_missing : callable, optional
        Called with (item, error) for every item left out; default a RotascopeWarning.
    progress : callable, optional
        Called with each panel's name as its work starts (for a status line).

    Returns
    -------
    Fundamentals
        Panels (None for a section the universe turns off) and every fact with its anchor and
        whether it comes from made-up sample files.
    """
    missing = on_missing or _warn_missing
    out = Fundamentals()
    step = progress or (lambda what: None)
    step("valuation")
    _valuation(universe, source, when, missing, out)
    step("factors")
    _factors(universe, source, when, set(subjects), missing, out)
    step("drivers and events")
    _drivers(universe, source, when, subjects, missing, out)
    step("earnings")
    _earnings(universe, source, when, missing, out)
    step("scorecard")
    _scorecard(universe, source, when, subjects, missing, out)
    for panel, what in ((out.earnings, "earnings"), (out.scorecard, "fundamentals")):
        if panel is not None and panel.is_sample:
            out.sources.append({"series": f"{what} sample files", "source": SAMPLE_LABEL,
                                "first": None, "last": panel.as_of})
    return out
