"""Build a :class:`ReportModel` for one as-of date from a universe and its data."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd

from rotascope import __version__
from rotascope.analytics import relative_rolling, rs_line, unusualness, window_return
from rotascope.analytics.rrg import rrg
from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.narrative.collect import collect_facts, rank_facts
from rotascope.narrative.fact import Fact
from rotascope.narrative.pair_facts import PairAnalysis, analyse_pair, pair_profile
from rotascope.narrative.subjects import Subject
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

__all__ = ["METHODS", "PERFORMANCE_WINDOWS", "build_report", "fact_anchor", "pick_headlines"]

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
    ("Notable", "A fact is shown as a headline when its record horizon is at least a year, it is "
     "the extreme of the year, |z| >= 2, it is in the top or bottom decile of its history, a "
     "rotation episode is under way, a factor is rolling over, unwinding or crashing, a driver "
     "beta or event-study mean has |t| >= 2, or (earnings) a beat rate is 10 points or a revision "
     "breadth 0.25 from the benchmark's. The best notable fact of each section comes first; at "
     "most two per series or pair; facts of made-up sample files only in sample reports."),
]


def fact_anchor(fact: Fact, pair_keys: dict[tuple[str, str], str]) -> str:
    """HTML id of a fact's evidence: its pair panel, analog table or performance-table row."""
    if fact.versus:
        key = pair_keys.get((fact.subject, fact.versus), f"{fact.subject}-vs-{fact.versus}")
        return analog_anchor(key) if fact.kind == "analog_summary" else pair_anchor(key)
    return perf_anchor(fact.subject)


def pick_headlines(
    facts: list[Fact],
    limit: int = MAX_HEADLINES,
    per_subject: int = 2,
    section: Callable[[Fact], str] | None = None,
) -> list[Fact]:
    """The notable facts in rank order, at most ``per_subject`` per series or pair.

    With ``section`` (fact -> section name), the best notable fact of every section is taken
    first, so that each section with something notable has a headline; the rest of the places
    go in rank order. The result keeps the rank order.
    """
    chosen: set[int] = set()
    seen: dict[tuple[str, str], int] = {}

    def take(i: int, fact: Fact) -> bool:
        key = (fact.subject, fact.versus)
        if i in chosen or not fact.notable or seen.get(key, 0) >= per_subject:
            return False
        seen[key] = seen.get(key, 0) + 1
        chosen.add(i)
        return True

    if section is not None:
        covered: set[str] = set()
        for i, fact in enumerate(facts):
            if len(chosen) == limit:
                break
            name = section(fact)
            if name not in covered and take(i, fact):
                covered.add(name)
    for i, fact in enumerate(facts):
        if len(chosen) >= limit:
            break
        take(i, fact)
    return [f for i, f in enumerate(facts) if i in chosen]


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
    progress : callable, optional
        Called with the name of each section as its work starts (for a status line).
    """
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
    facts = collect_facts(subjects, [(p.a, p.b) for p in pairs], when, analyses)
    fund = build_fundamentals(universe, source, when, subjects, on_missing=on_missing,
                              progress=step)
    # made-up sample facts reach the headline only in a report on the embedded sample
    demo = universe.provider == "sample"
    extra = {id(f): (anchor, sample) for f, anchor, sample in fund.facts if demo or not sample}
    pool = rank_facts([*facts, *(f for f, _, _ in fund.facts if id(f) in extra)])

    def section(f: Fact) -> str:
        return extra[id(f)][0].split("-")[0] if id(f) in extra else "prices"

    headlines = [
        Headline(sentence=f.sentence, kind=f.kind,
                 anchor=extra[id(f)][0] if id(f) in extra else fact_anchor(f, pair_keys),
                 fact=f.to_dict(), sample=id(f) in extra and extra[id(f)][1])
        for f in pick_headlines(pool, section=section)
    ]

    quotes = []
    for name in universe.main:
        if name not in subjects:
            continue
        px = subjects[name].prices
        px = px[px.index <= when]
        if len(px) < 2:
            continue
        quotes.append(Quote(segment=name, display=subjects[name].display, level=float(px.iloc[-1]),
                            change_1d=float(px.iloc[-1] / px.iloc[-2] - 1), date=px.index[-1].date()))

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
           "last": s.prices[s.prices.index <= when].index[-1].date()}
          for s in subjects.values()),
        *(row for row in fund.sources if row["series"] not in
          {s.display for s in subjects.values()}),
    ])
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
        methods=[*METHODS, *FUNDAMENTALS_METHODS],
        valuation=fund.valuation,
        factors=fund.factors,
        drivers=fund.drivers,
        earnings=fund.earnings,
        scorecard=fund.scorecard,
    )
