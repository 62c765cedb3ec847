"""Build a :class:`ReportModel` for one as-of date from a universe and its data."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd

from rotascope import __version__
from rotascope.analytics import relative_rolling, rs_line, unusualness, window_return
from rotascope.analytics.rrg import rrg
from rotascope.data.availability import date_staleness
from rotascope.data.loader import DataSource
from rotascope.data.panel import PanelReader
from rotascope.data.panel_members import SegmentMembers
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.narrative.collect import collect_facts, rank_facts
from rotascope.narrative.comparison_facts import comparison_fact
from rotascope.narrative.fact import Fact, with_data_age
from rotascope.narrative.headlines import pick_headlines
from rotascope.narrative.pair_facts import PairAnalysis, analyse_pair, pair_profile
from rotascope.narrative.subjects import Subject, Windows, check_as_of
from rotascope.report.breadth_html import breadth_anchor
from rotascope.report.breadth_section import BREADTH_METHODS, report_breadth
from rotascope.report.build_fundamentals import FUNDAMENTALS_METHODS, build_fundamentals
from rotascope.report.html import analog_anchor, pair_anchor, perf_anchor
from rotascope.report.model import (
    AnalogPanel,
    Headline,
    PairPanel,
    Quote,
    ReportModel,
    RrgPanel,
)

__all__ = ["METHODS", "PERFORMANCE_WINDOWS", "build_report", "fact_anchor", "level_label"]

PERFORMANCE_WINDOWS = ("1d", "5d", "1m", "3m", "ytd", "1y")
MAX_HEADLINES = 12

METHODS: list[tuple[str, str]] = [
    ("N-day return", "P[t] / P[t-N] - 1, N counted in the series' own trading rows. Calendar "
     "windows (1w, 1m, 3m, ytd, 1y) start from the last close on or before the start date."),
    ("Biggest since", "For a windowed statistic x[t], the most recent earlier row s with "
     "x[s] >= x[t] (gains) or x[s] <= x[t] (drops); without one, a record on the whole history. "
     "Rank: 1 + the number of earlier values strictly more extreme."),
    ("Relative return", "(1 + rA) / (1 + rB) - 1 over the same dates; the spread rA - rB in "
     "percentage points beside it. The relative strength line is P_A / P_B rebased to 100."),
    ("Unusualness", "z-score of the N-day relative return against its trailing five years (today "
     "included, sample standard deviation) and its percentile over the full history: the share "
     "of values below today's plus half the share equal to it."),
    ("Rotation episode", "A maximal run of rows where the N-day relative return is beyond 2 "
     "trailing standard deviations (daily: N=5, 1,260-row lookback; monthly: N=3, 120 rows); "
     "runs of the same direction closer than a cool-off (10 rows; monthly 2) are merged."),
    ("After similar moves", "Earlier non-overlapping dates where the pair moved at least as much "
     "over the same window in the same direction; forward relative returns over 1, 3, 6 and 12 "
     "months (21, 63, 126, 252 rows) never use data after the as-of date. Hit rate: share that "
     "continued in the direction of the move."),
    ("Notable", "A fact can be a headline when its record horizon is at least a year, it is "
     "the extreme of the year, |z| >= 2, it is in the top or bottom decile of its history, a "
     "rotation episode is under way, a factor is rolling over, unwinding, crashing or "
     "rebounding, a driver beta or event-study mean has |t| >= 2, or (earnings) a beat rate is 10 "
     "points or a revision breadth 0.25 from the benchmark's; never a fact on stale data; made-up "
     "sample files only in a report on the embedded sample (or when asked for by name), and "
     "never when dated after the report."),
    ("Headlines", "Ranked by newsworthiness = rarity x prominence x freshness. Rarity (0-4): the "
     "record horizon 1 + log2(1 + years) (4 on record), the percentile's tail "
     "1.5 log10(0.5 / tail), |z| / 1.5, a factor crashing 4, unwinding 3, rolling over or "
     "rebounding 2, an ongoing rotation 2.5, a driver's or event study's |t| / 3 (at most 2). "
     "Prominence (0-1): set per segment in the universe (a pair counts as its less prominent "
     "side). Freshness: today's move 1, 2-5 days 0.7, a month 0.45, a quarter 0.3, longer 0.2, "
     "year to date 0.35, an ongoing rotation 0.7, a factor status 0.6, a valuation 0.4, a driver "
     "beta 0.25. One headline per story: the same subject moving the same way."),
    ("Point in time", "Every row covers a period and becomes known at its end plus the source's "
     "publication lag: a daily close on its day; a monthly average, return or ratio (Shiller, "
     "Ken French) at the month's last day, where it is stamped; FRED's monthly releases after "
     "their lag (unemployment rate 10 days, CPI 20, M2 35). The report uses only rows known on "
     "its date. Data are stale when a daily series is more than 5 trading days old, or a period "
     "series more than one period behind the latest that could be published; stale data stay in "
     "their sections, marked, and never make a headline."),
]


def fact_anchor(fact: Fact, pair_keys: dict[tuple[str, str], str]) -> str:
    """HTML id of a fact's evidence: its pair panel, analog table or performance-table row."""
    if fact.versus and fact.kind != "window_comparison":
        key = pair_keys.get((fact.subject, fact.versus), f"{fact.subject}-vs-{fact.versus}")
        return analog_anchor(key) if fact.kind == "analog_summary" else pair_anchor(key)
    return perf_anchor(fact.subject)


_ONE_ROW = {"daily": "1 day", "weekly": "1 week", "monthly": "1 month", "quarterly": "1 quarter",
            "annual": "1 year"}


def _row_stale(row: dict[str, object], when: pd.Timestamp) -> bool:
    """Whether a fundamentals source row (``last``, ``frequency``) is stale on ``when``; rows
    without a frequency (made-up sample files, dated by themselves) are not judged."""
    last, freq = row.get("last"), row.get("frequency")
    if not freq or last is None:
        return False
    return date_staleness(pd.Timestamp(str(last)), str(freq), when).stale


def level_label(source: str) -> str | None:
    """What a quoted level is, from a series' source: ``"SPY Close"`` for
    ``file:/x/SPY.csv [Close]``, the symbol for a provider (``stooq:^spx`` -> ``^spx``), None
    for an index compounded from returns (its level means nothing to a reader).

    Examples
    --------
    >>> level_label("file:/data/prices/SPY.csv [Close]")
    'SPY Close'
    >>> level_label("sample:arch.data.sp500 [Adj Close]")
    'sp500 Adj Close'
    >>> level_label("cumulative index of sample:linearmodels.datasets.french [SMB]") is None
    True
    """
    text = source.strip()
    if text.startswith("cumulative index of") or not text:
        return None
    where, _, column = text.partition(" [")
    column = column.rstrip("]").strip()
    kind, _, rest = where.partition(":")
    if kind == "file":
        stem = rest.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return f"{stem} {column}".strip()
    if kind == "sample":  # sample:arch.data.sp500 [Adj Close] -> sp500 Adj Close
        return f"{rest.rsplit('.', 1)[-1]} {column}".strip()
    return rest or text


def _subject_frame(subjects: dict[str, Subject], names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({n: subjects[n].prices for n in names if n in subjects})


def _performance(subjects: dict[str, Subject], universe: Universe, as_of: pd.Timestamp) -> pd.DataFrame:
    rows = []
    for name, sub in subjects.items():
        seg = universe.segment(name)
        row: dict[str, object] = {"segment": name, "display": sub.display, "group": seg.group}
        prices = sub.prices[sub.prices.index <= as_of]
        for label in PERFORMANCE_WINDOWS:
            if sub.frequency != "daily" and label in ("1d", "5d"):
                row[label] = math.nan
                continue
            try:
                row[label] = window_return(prices, label).value
            except InputError:
                row[label] = math.nan
        row["last"] = prices.index[-1] if len(prices) else pd.NaT
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("display")
    return frame[["segment", "group", *PERFORMANCE_WINDOWS, "last"]]


def _rrg_panel(subjects: dict[str, Subject], universe: Universe, as_of: pd.Timestamp) -> RrgPanel | None:
    bench_name = universe.rrg_benchmark
    if bench_name not in subjects:
        return None
    bench = subjects[bench_name]
    members = [s.name for s in universe.segments if s.name in subjects and s.name != bench_name
               and (not universe.rrg_group or s.group == universe.rrg_group)
               and subjects[s.name].frequency == bench.frequency]
    if len(members) < 2:
        return None
    prices = _subject_frame(subjects, members)
    prices = prices[prices.index <= as_of]
    b = bench.prices[bench.prices.index <= as_of]
    params = ({} if bench.frequency == "daily" else
              {"ratio_window": 6, "momentum_window": 1, "norm_window": 36, "tail": 6, "tail_step": 1})
    try:
        res = rrg(prices, b, **params)
    except InputError:
        return None
    displays = {n: subjects[n].display for n in members}
    points = res.tail.copy()
    points.insert(1, "display", points["segment"].map(displays))
    table = res.table.copy()
    table.insert(1, "display", table["segment"].map(displays))
    table = table.dropna(subset=["rs_ratio", "rs_momentum"])
    if table.empty:
        return None
    return RrgPanel(benchmark=bench_name, benchmark_display=bench.display, points=points,
                    table=table.reset_index(drop=True), formula=res.formula)


def build_report(
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None = None,
    *,
    on_missing: Callable[[str, Exception], None] | None = None,
    data_note: str = "",
    allow_stale: bool = False,
    windows: Windows | None = None,
    breadth: tuple[PanelReader, list[SegmentMembers]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportModel:
    """Compute everything a report shows for ``as_of`` (default: the latest date with data).

    Parameters
    ----------
    universe : Universe
        Segments and pairs to cover.
    source : DataSource
        Where segment data come from (sample, store or files).
    as_of : Timestamp, optional
        Use only data on or before this date.
    on_missing : callable, optional
        Called with (segment, error) for segments without data, which are left out; without it
        a missing segment raises.
    data_note : str
        Says where the data come from (e.g. "embedded offline sample data").
    allow_stale : bool
        Build the report even when every segment's data are stale on ``as_of`` (by default an
        error naming the last date available).
    windows : tuple, optional
        N-row windows of the facts (:func:`~rotascope.narrative.subjects.parse_windows`)
        instead of each frequency's defaults.
    breadth : (PanelReader, list of SegmentMembers), optional
        Panel and segments of the Breadth section (default: the universe's ``[breadth]``
        table, if any; without either the section is left out).
    progress : callable, optional
        Called with the name of each section as its work starts (for a status line).

    Raises
    ------
    InputError
        No segment has data, or (without ``allow_stale``) ``as_of`` is later than every
        segment's data allow: the latest row of each is stale on it.
    """
    if as_of is not None and source.as_of != pd.Timestamp(as_of):
        source = dataclasses.replace(source, as_of=pd.Timestamp(as_of))  # point in time
    step = progress or (lambda what: None)
    step("loading segments")
    series = source.segments(universe, on_missing=on_missing)
    if not series:
        raise InputError(f"universe {universe.name!r}: no segment has data")
    subjects = {n: Subject(n, universe.segment(n).display, ts.data, ts.meta.source, ts.meta.frequency)
                for n, ts in series.items()}
    last_dates = [s.prices.index[-1] for s in subjects.values()]
    when = pd.Timestamp(as_of) if as_of is not None else max(last_dates)
    subjects = {n: s for n, s in subjects.items() if s.prices.index[0] <= when}
    if not subjects:
        raise InputError(f"no segment has data on or before {when:%Y-%m-%d}")
    check_as_of(subjects, when, allow_stale)
    ages = {n: date_staleness(s.prices.index[-1], s.frequency, when) for n, s in subjects.items()}
    pairs = [p for p in universe.pairs if p.a in subjects and p.b in subjects]
    pair_keys = {(p.a, p.b): p.name for p in pairs}
    # each pair's episodes and analogs, once for its facts and its panels
    analyses: dict[tuple[str, str], PairAnalysis] = {}
    step("pairs: episodes and analogs")
    for p in pairs:
        try:
            analyses[p.a, p.b] = analyse_pair(subjects[p.a], subjects[p.b], when)
        except InputError:
            continue  # too little history: collect_facts warns, the panels leave the pair out
    step("facts")
    facts = collect_facts(subjects, [(p.a, p.b) for p in pairs], when, analyses, windows)
    year = comparison_fact(subjects, list(universe.main), when, benchmark=universe.benchmark)
    facts = [*facts, *([year] if year is not None else [])]
    facts = [with_data_age(f, subjects[f.subject].frequency if f.subject in subjects else "daily", when)
             for f in facts]
    fund = build_fundamentals(universe, source, when, subjects, on_missing=on_missing,
                              progress=step)
    step("breadth")
    breadth_panel = report_breadth(universe, source.data_dir, when, breadth)
    section_facts = [*fund.facts, *((f, breadth_anchor(seg), False) for seg, fs in
                                    (breadth_panel.facts.items() if breadth_panel else ())
                                    for f in fs)]  # fmt: skip
    # made-up sample facts reach the headline only in a report on the embedded sample
    demo = universe.provider == "sample"
    extra = {id(f): (anchor, sample) for f, anchor, sample in section_facts if demo or not sample}
    pool = rank_facts([*facts, *(f for f, _, _ in section_facts if id(f) in extra)])
    headlines = [
        Headline(sentence=f.sentence, kind=f.kind,
                 anchor=extra[id(f)][0] if id(f) in extra else fact_anchor(f, pair_keys),
                 fact=f.to_dict(), sample=id(f) in extra and extra[id(f)][1])
        for f in pick_headlines(pool, universe.prominence_of(), MAX_HEADLINES)
    ]

    quotes = []
    for name in universe.main:
        if name not in subjects:
            continue
        px = subjects[name].prices
        px = px[px.index <= when]
        if len(px) < 2:
            continue
        label = level_label(subjects[name].source)
        quotes.append(Quote(segment=name, display=subjects[name].display,
                            level=float(px.iloc[-1]) if label else None,
                            change=float(px.iloc[-1] / px.iloc[-2] - 1), date=px.index[-1].date(),
                            series=label or "", window=_ONE_ROW.get(subjects[name].frequency,
                                                                     "1 row")))

    step("pair panels")
    pair_panels, analog_panels = [], []
    for p in pairs:
        a, b = subjects[p.a], subjects[p.b]
        prof = pair_profile(a, b)
        pa, pb = a.prices[a.prices.index <= when], b.prices[b.prices.index <= when]
        done = analyses.get((p.a, p.b))
        if done is None:
            continue
        try:
            rel = relative_rolling(pa, pb, prof.analog_rows).dropna()
            un = unusualness(rel, None, prof.zscore_lookback)
        except InputError:
            continue
        # The record sentence of the current move, when its horizon is notable (a year or more).
        record = next((f.sentence for f in facts if f.kind.startswith("record_")
                       and f.subject == p.a and f.versus == p.b and f.notable
                       and f.window == prof.row_label(prof.analog_rows)), "")
        pair_panels.append(PairPanel(
            key=p.name, a=p.a, b=p.b, a_display=a.display, b_display=b.display,
            rs=rs_line(pa, pb), episodes=done.episodes,
            window=prof.row_label(prof.analog_rows), move=un.value, zscore=un.zscore,
            percentile=un.percentile, record=record,
        ))
        res = done.analogs
        if res is None:
            continue
        analog_panels.append(AnalogPanel(key=p.name, a_display=a.display, b_display=b.display,
                                         window=prof.row_label(prof.analog_rows),
                                         move=res.current_move, summary=res.summary,
                                         episodes=res.episodes))

    step("performance and rotation graph")
    sources = pd.DataFrame([
        *({"series": s.display, "source": s.source, "first": s.prices.index[0].date(),
           "last": s.prices.index[-1].date(), "frequency": s.frequency,
           "stale": ages[n].stale} for n, s in subjects.items()),
        *({**row, "stale": _row_stale(row, when)}
          for row in fund.sources if row["series"] not in {s.display for s in subjects.values()}),
    ])
    notes = list(fund.notes)
    stale = sources[sources["stale"].astype(bool)] if "stale" in sources else sources.iloc[:0]
    if len(stale):
        names = [f"{r['series']} (to {r['last']})" for _, r in stale.iterrows()]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        notes.append(f"Stale on {when:%Y-%m-%d}, so never a headline: {shown}.")
    return ReportModel(
        title=f"Where money is rotating: {universe.description}" if len(universe.description) < 60
        else f"Where money is rotating: universe {universe.name}",
        as_of=when.date(),
        universe=universe.name,
        version=__version__,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        data_note=data_note,
        headlines=headlines,
        quotes=quotes,
        performance=_performance(subjects, universe, when),
        pairs=pair_panels,
        rrg=_rrg_panel(subjects, universe, when),
        analogs=analog_panels,
        sources=sources,
        methods=[*METHODS, *FUNDAMENTALS_METHODS, *(BREADTH_METHODS if breadth_panel else [])],
        valuation=fund.valuation,
        factors=fund.factors,
        drivers=fund.drivers,
        earnings=fund.earnings,
        scorecard=fund.scorecard,
        notes=notes,
        breadth=breadth_panel,
    )
