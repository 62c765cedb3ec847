"""A realistic, deterministic :class:`ReportModel` for renderer tests (no data files needed).

Prices are seeded random walks over 2004-2026 trading days with a common market factor, so the
relative strength lines, episodes, RRG tails and analog tables look like the real thing. The last
week carries a large small-cap rally so that headlines, records and analogs are non-trivial.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from rotascope.analytics.drivers import driver_sensitivity
from rotascope.analytics.events import event_study
from rotascope.analytics.factors import factor_monitor
from rotascope.analytics.rrg import rrg
from rotascope.analytics.valuation import valuation_percentile
from rotascope.data.universe import load_universe
from rotascope.narrative.driver_facts import driver_fact, event_facts
from rotascope.narrative.earnings_facts import season_facts
from rotascope.narrative.factor_facts import factor_facts, factor_legs
from rotascope.narrative.scorecard_facts import card_facts
from rotascope.narrative.valuation_facts import valuation_facts
from rotascope.pipeline.earnings import earnings_run
from rotascope.pipeline.scorecard import scorecard_run
from rotascope.report.model import Headline, ReportModel
from rotascope.report.sections.analogs import AnalogPanel, analog_anchor
from rotascope.report.sections.drivers import (
    DriversPanel,
    driver_item,
    event_anchor,
    event_item,
)
from rotascope.report.sections.earnings import earnings_panel
from rotascope.report.sections.factors import factor_anchor, factor_episode_anchor, factor_panel
from rotascope.report.sections.markets import Quote
from rotascope.report.sections.performance import perf_anchor
from rotascope.report.sections.rotations import (
    PairPanel,
    episode_anchor,
    pair_anchor,
    pair_chart_anchor,
)
from rotascope.report.sections.rrg import RRG_CHART_ANCHOR, RrgPanel, rrg_anchor
from rotascope.report.sections.scorecard import scorecard_anchor, scorecard_panel
from rotascope.report.sections.valuation import ValuationPanel, valuation_anchor, valuation_item

AS_OF = pd.Timestamp("2026-07-31")

#: segment -> (display, group, yearly drift, beta, idiosyncratic daily vol, first date or None)
SEGMENTS: dict[str, tuple[str, str, float, float, float, str | None]] = {
    "large-caps": ("S&P 500", "size", 0.00, 1.00, 0.000, None),
    "small-caps": ("Russell 2000", "size", -0.01, 1.15, 0.006, None),
    "tech": ("Nasdaq 100", "size", 0.04, 1.20, 0.006, None),
    "value": ("Value", "style", -0.01, 0.95, 0.004, None),
    "growth": ("Growth", "style", 0.02, 1.05, 0.004, None),
    "xlk": ("Technology", "sector", 0.05, 1.20, 0.007, None),
    "xle": ("Energy", "sector", -0.02, 0.90, 0.013, None),
    "xlf": ("Financials", "sector", -0.01, 1.15, 0.008, None),
    "xlv": ("Health Care", "sector", 0.01, 0.80, 0.006, None),
    "xli": ("Industrials", "sector", 0.00, 1.05, 0.005, None),
    "xly": ("Consumer Discretionary", "sector", 0.01, 1.10, 0.006, None),
    "xlp": ("Consumer Staples", "sector", -0.01, 0.60, 0.005, None),
    "xlu": ("Utilities", "sector", -0.01, 0.50, 0.007, None),
    "xlb": ("Materials", "sector", -0.01, 1.05, 0.007, None),
    "xlre": ("Real Estate", "sector", -0.02, 0.90, 0.008, "2015-10-08"),
    "xlc": ("Communication Services", "sector", 0.00, 1.00, 0.007, "2018-06-19"),
    "cmom": ("Momentum (new fund)", "factor", 0.01, 1.00, 0.005, "2026-02-02"),
}
SECTORS = [k for k, v in SEGMENTS.items() if v[1] == "sector"]
PAIRS = (("small-caps", "large-caps"), ("value", "growth"), ("tech", "large-caps"))
PAIR_NAMES = {
    ("small-caps", "large-caps"): "small-vs-large",
    ("value", "growth"): "value-vs-growth",
    ("tech", "large-caps"): "tech-vs-large",
}
HORIZONS = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
WINDOW = 5


def make_prices(seed: int = 7) -> pd.DataFrame:
    """Daily closes of every fixture segment (NaN before a segment's first date)."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2004-01-02", AS_OF)
    n = len(idx)
    market = rng.standard_t(5, n) * 0.0085 + 0.0003
    frame = {}
    for key, (_, _, drift, beta, vol, first) in SEGMENTS.items():
        noise = rng.normal(0.0, vol, n) if vol else np.zeros(n)
        # slow regime swings so that rotations come in waves
        wave = 0.0004 * np.sin(np.arange(n) / (90 + 40 * rng.random()) + rng.random() * 6)
        r = beta * market + drift / 252 + noise + (wave if vol else 0)
        if key == "small-caps":
            r[-5:] += 0.011  # a large rally this week
        level = 100.0 * np.exp(np.cumsum(r))
        s = pd.Series(level, idx)
        if first is not None:
            s[s.index < pd.Timestamp(first)] = np.nan
        frame[key] = s
    return pd.DataFrame(frame)


def _episodes(rel: pd.Series, k: float = 2.0) -> pd.DataFrame:
    """Episodes with the columns of ``rotascope.analytics.rotation_episodes``."""
    sd = rel.rolling(1260, min_periods=252).std()
    z = rel / sd
    flag = (z.abs() > k).fillna(False)
    rows = []
    run_start = None
    dates = rel.index
    for i, on in enumerate(flag.to_numpy()):
        if on and run_start is None:
            run_start = i
        if run_start is not None and (not on or i == len(flag) - 1):
            end = i if on else i - 1
            seg = rel.iloc[run_start : end + 1]
            peak = seg.abs().idxmax()
            rows.append(
                {
                    "start": dates[run_start],
                    "end": dates[end],
                    "peak_date": peak,
                    "peak_move": float(seg[peak]),
                    "peak_zscore": float(z[peak]),
                    "duration": end - run_start + 1,
                    "flagged": end - run_start + 1,
                    "direction": "a_leads" if seg[peak] > 0 else "b_leads",
                    "ongoing": bool(on and i == len(flag) - 1),
                }
            )
            run_start = None
    cols = [
        "start",
        "end",
        "peak_date",
        "peak_move",
        "peak_zscore",
        "duration",
        "flagged",
        "direction",
        "ongoing",
    ]
    return pd.DataFrame(rows, columns=cols)


def _record(rel: pd.Series, window: str, a: str, b: str) -> str:
    x = rel.iloc[-1]
    past = rel.iloc[:-1]
    earlier = past[past >= x] if x > 0 else past[past <= x]
    verb = "gain" if x > 0 else "drop"
    if earlier.empty:
        return (
            f"{a} vs {b}: biggest {window} relative {verb} on record (since {rel.index[0]:%B %Y})."
        )
    return f"{a} vs {b}: biggest {window} relative {verb} since {earlier.index[-1]:%B %Y}."


def _analogs(rel: pd.Series, rs: pd.Series, key: str, a: str, b: str) -> AnalogPanel:
    today = float(rel.iloc[-1])
    hits = (
        rel.iloc[:-WINDOW][rel.iloc[:-WINDOW] >= today]
        if today > 0
        else rel.iloc[:-WINDOW][rel.iloc[:-WINDOW] <= today]
    )
    chosen: list[pd.Timestamp] = []
    last_pos = -(10**9)
    pos_of = {d: i for i, d in enumerate(rs.index)}
    for d in hits.index:
        if pos_of[d] - last_pos >= 21:
            chosen.append(d)
            last_pos = pos_of[d]
    rows = []
    for d in chosen:
        i = pos_of[d]
        rec: dict[str, object] = {"date": d, "move": float(rel[d])}
        for h, n in HORIZONS.items():
            rec[h] = float(rs.iloc[i + n] / rs.iloc[i] - 1) if i + n < len(rs) else np.nan
        rows.append(rec)
    episodes = pd.DataFrame(rows, columns=["date", "move", *HORIZONS])
    summary = {}
    for h, n in HORIZONS.items():
        v = episodes[h].dropna()
        summary[h] = {
            "rows": n,
            "count": len(v),
            "mean": v.mean() if len(v) else np.nan,
            "median": v.median() if len(v) else np.nan,
            "hit_rate": (v > 0).mean() if len(v) else np.nan,
            "worst": v.min() if len(v) else np.nan,
            "best": v.max() if len(v) else np.nan,
        }
    return AnalogPanel(
        key=key,
        a_display=a,
        b_display=b,
        window=f"{WINDOW}d",
        move=today,
        summary=pd.DataFrame.from_dict(summary, orient="index").rename_axis("horizon"),
        episodes=episodes,
    )


def _ret(s: pd.Series, n: int) -> float:
    s = s.dropna()
    return float(s.iloc[-1] / s.iloc[-1 - n] - 1) if len(s) > n else np.nan


FACTORS = {"ff-size": "size factor (SMB)", "ff-value": "value factor (HML)",
           "ff-momentum": "momentum factor"}


def build_fundamentals_panels(prices: pd.DataFrame, seed: int = 11) -> dict[str, object]:
    """Valuation, factor, drivers, earnings and scorecard panels from seeded data, built with
    the analytics and the report's own panel builders (earnings and scorecard: the shipped
    sample files)."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("1990-01-01", AS_OF, freq="MS")
    cape = pd.Series(20 * np.exp(np.cumsum(rng.normal(0.002, 0.03, len(months)))), months,
                     name="cape")
    cape.iloc[-1] = cape.max() * 1.02  # the highest on record
    res = valuation_percentile(cape, AS_OF, "20y", "cape")
    facts = valuation_facts(res, "the S&P 500", metric_label="CAPE", source="fixture")
    cape_item = valuation_item("cape", "S&P 500: CAPE", res, facts, metric_label="CAPE",
                               source="fixture", when=AS_OF)
    ratio = pd.Series(1.1 + 0.1 * np.sin(np.arange(len(months)) / 17), months, name="be/me")
    ratio = ratio[ratio.index <= "2025-12-01"]  # a source that publishes with a lag
    res2 = valuation_percentile(ratio, AS_OF, "20y", "be/me")
    facts2 = valuation_facts(res2, "small caps", versus_display="large caps",
                             metric_label="BE/ME", source="fixture")
    ratio_item = valuation_item("size-be-me", "Small vs large: BE/ME ratio", res2, facts2,
                                metric_label="BE/ME", source="fixture", when=AS_OF)
    valuation = ValuationPanel(items=[cape_item, ratio_item],
                               notes=["Left out: trailing P/E (no such file)."])

    days = prices.index
    rets = {name: pd.Series(rng.normal(0.0002, 0.006, len(days)), days, name=name)
            for name in FACTORS}
    rets["ff-momentum"].iloc[-15:] = -0.02  # a momentum crash under way
    monitor = factor_monitor(rets, AS_OF)
    sentences = {n: factor_facts(r, factor_legs(n, FACTORS[n]))[0].sentence
                 for n, r in monitor.results.items()}
    factors = factor_panel(monitor, dict(FACTORS), sentences, notes=["Left out: ff-quality."])

    small, large = prices["small-caps"].rename("small-caps"), prices["large-caps"].rename("large-caps")
    yld = pd.Series(2 + np.cumsum(rng.normal(0, 0.05, len(days))), days, name="dgs2")
    dres = driver_sensitivity(small, large, yld, AS_OF, change="diff", scale=100)
    dfact = driver_fact(dres, "the Russell 2000", "the S&P 500", "2-year Treasury yield")
    driver = driver_item("small-vs-large-dgs2", "small-vs-large", dres, dfact, "Russell 2000",
                         "S&P 500", "2-year Treasury yield", "fixture")
    dates = pd.bdate_range("2018-01-10", "2026-07-10", freq="BMS") + pd.Timedelta(days=10)
    events = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "label": "CPI",
                           "surprise": rng.choice([-0.1, 0.1], len(dates))})
    study = event_study(small, large, events, AS_OF)
    efacts = event_facts(study, "the Russell 2000", "the S&P 500", "CPI releases")
    ev = event_item("small-vs-large-cpi", "small-vs-large", study, efacts, "CPI releases",
                    "Russell 2000", "S&P 500", "fixture")
    drivers = DriversPanel(drivers=[driver], events=[ev], notes=[])
    us = load_universe("us")
    return {
        "valuation": valuation,
        "factors": factors,
        "drivers": drivers,
        "earnings": earnings_panel(season := earnings_run(us), season_facts(season), us),
        "scorecard": scorecard_panel(card := scorecard_run(us), card_facts(card), us),
    }


def build_report_model(seed: int = 7) -> ReportModel:
    """A full report model: 17 segments, 3 pairs, an 11-sector RRG, analogs, sources, methods."""
    prices = make_prices(seed)
    display = {k: v[0] for k, v in SEGMENTS.items()}

    perf_rows = {}
    for key, (disp, group, *_rest) in SEGMENTS.items():
        s = prices[key].dropna()
        prior_year_end = s[s.index < pd.Timestamp(AS_OF.year, 1, 1)]
        ytd = float(s.iloc[-1] / prior_year_end.iloc[-1] - 1) if len(prior_year_end) else np.nan
        perf_rows[disp] = {
            "segment": key,
            "group": group,
            "1d": _ret(s, 1),
            "5d": _ret(s, 5),
            "1m": _ret(s, 21),
            "3m": _ret(s, 63),
            "ytd": ytd,
            "1y": _ret(s, 252),
            "last": s.index[-1],
        }
    performance = pd.DataFrame.from_dict(perf_rows, orient="index")

    quotes = [
        Quote(
            segment=k,
            display=display[k],
            level=float(prices[k].iloc[-1]) * 40.0,
            change=_ret(prices[k], 1),
            series=f"{k.upper()} Close",
            date=AS_OF.date(),
        )
        for k in ("large-caps", "small-caps", "tech", "value", "growth", "xle", "xlu")
    ]

    pairs, analogs = [], []
    for a, b in PAIRS:
        key = PAIR_NAMES[(a, b)]
        ratio = (prices[a] / prices[b]).dropna()
        rs = 100.0 * ratio / ratio.iloc[0]
        rel = rs.pct_change(WINDOW).dropna()
        hist = rel.iloc[-1260:]
        z = float((rel.iloc[-1] - hist.mean()) / hist.std())
        pct = float(((rel < rel.iloc[-1]).sum() + 0.5 * (rel == rel.iloc[-1]).sum()) / len(rel))
        pairs.append(
            PairPanel(
                key=key,
                a=a,
                b=b,
                a_display=display[a],
                b_display=display[b],
                rs=rs,
                episodes=_episodes(rel),
                window=f"{WINDOW}d",
                move=float(rel.iloc[-1]),
                zscore=z,
                percentile=pct,
                record=_record(rel, f"{WINDOW}-day", display[a], display[b]) if abs(z) >= 2 else "",
            )
        )
        if abs(z) >= 2 or (a, b) == PAIRS[0]:
            analogs.append(_analogs(rel, rs, key, display[a], display[b]))

    res = rrg(prices[SECTORS], prices["large-caps"])
    points = res.tail.assign(display=res.tail["segment"].map(display))
    points = points[["segment", "display", "date", "rs_ratio", "rs_momentum"]]
    table = res.table.assign(display=res.table["segment"].map(display))
    table = table[["segment", "display", "rs_ratio", "rs_momentum", "quadrant", "direction"]]
    rrg_panel = RrgPanel(
        benchmark="large-caps",
        benchmark_display="S&P 500",
        points=points,
        table=table,
        formula=res.formula,
    )

    small = pairs[0]
    leader = table.sort_values("rs_ratio").iloc[-1]
    headlines = [
        Headline(
            sentence=f"{small.record} Russell 2000 beat the S&P 500 by "
            f"{small.move * 100:.1f}% in 5 days.",
            kind="record",
            anchor=pair_anchor(small.key),
            fact={
                "kind": "record",
                "subject": small.key,
                "window": "5d",
                "value": small.move,
                "zscore": small.zscore,
                "percentile": small.percentile,
                "start": prices.index[-6],
                "end": AS_OF,
                "source": "fixture",
                "since": pd.Timestamp("2020-11-30"),
                "missing": np.nan,
            },
        ),
        Headline(
            sentence=f"The move is {small.zscore:.1f} standard deviations from its 5-year norm.",
            kind="unusual",
            anchor=pair_chart_anchor(small.key),
            fact={"kind": "unusual", "subject": small.key, "zscore": small.zscore},
        ),
        Headline(
            sentence=f"Russell 2000 rose {performance.loc['Russell 2000', '5d'] * 100:.1f}% this week "
            f"while the S&P 500 moved {performance.loc['S&P 500', '5d'] * 100:.1f}%.",
            kind="performance",
            anchor=perf_anchor("small-caps"),
            fact={
                "kind": "performance",
                "subject": "small-caps",
                "value": float(performance.loc["Russell 2000", "5d"]),
            },
        ),
        Headline(
            sentence=f"{leader['display']} has the strongest relative trend vs the S&P 500 "
            f"(RS-Ratio {leader['rs_ratio']:.1f}, {leader['quadrant']}).",
            kind="rrg",
            anchor=rrg_anchor(str(leader["segment"])),
            fact={
                "kind": "rrg",
                "subject": str(leader["segment"]),
                "rs_ratio": float(leader["rs_ratio"]),
                "quadrant": str(leader["quadrant"]),
            },
        ),
        Headline(
            sentence="Twelve months after similar small-cap rallies, Russell 2000 led the S&P 500 "
            f'in {analogs[0].summary.loc["12m", "hit_rate"] * 100:.0f}% of cases <S&P "check">.',
            kind="analog",
            anchor=analog_anchor(small.key, "12m"),
            fact={
                "kind": "analog",
                "subject": small.key,
                "hit_rate": float(analogs[0].summary.loc["12m", "hit_rate"]),
            },
        ),
    ]
    if len(small.episodes):
        last_ep = small.episodes.iloc[-1]
        headlines.append(
            Headline(
                sentence=f"The current rotation episode started on {last_ep['start']:%B %-d, %Y}.",
                kind="episode",
                anchor=episode_anchor(small.key, last_ep["start"]),
                fact={"kind": "episode", "subject": small.key, "start": last_ep["start"]},
            )
        )
    headlines.append(
        Headline(
            sentence="Sector rotation at a glance.",
            kind="rrg",
            anchor=RRG_CHART_ANCHOR,
            fact={"kind": "rrg", "subject": "sectors"},
        )
    )
    fund = build_fundamentals_panels(prices)
    mom = fund["factors"].episodes  # type: ignore[attr-defined]
    mom = mom[mom["factor"] == "ff-momentum"]
    headlines += [
        Headline(sentence=fund["valuation"].items[0].sentences[0],  # type: ignore[attr-defined]
                 kind="valuation_percentile", anchor=valuation_anchor("cape"),
                 fact={"kind": "valuation_percentile", "subject": "cape"}),
        Headline(sentence=fund["factors"].sentences["ff-momentum"],  # type: ignore[attr-defined]
                 kind="factor_status", anchor=factor_anchor("ff-momentum"),
                 fact={"kind": "factor_status", "subject": "ff-momentum"}),
        Headline(sentence="The latest momentum crash.", kind="factor_episode",
                 anchor=factor_episode_anchor("ff-momentum", mom["start"].iloc[-1]),
                 fact={"kind": "factor_episode", "subject": "ff-momentum"}),
        Headline(sentence="Around CPI releases.", kind="event_study",
                 anchor=event_anchor("small-vs-large-cpi", "all"),
                 fact={"kind": "event_study", "subject": "small-caps"}),
        Headline(sentence="The Russell 2000 ranks last on the sample scorecard.",
                 kind="scorecard_rank", anchor=scorecard_anchor("small-caps"),
                 fact={"kind": "scorecard_rank", "subject": "small-caps"}, sample=True),
    ]

    sources = pd.DataFrame(
        [
            {
                "series": display[k],
                "source": "fixture random walk (seeded), see https://example.org",
                "first": prices[k].first_valid_index().date(),
                "last": AS_OF.date(),
            }
            for k in SEGMENTS
        ]
    )
    methods = [
        ("N-day return", "P[t] / P[t-N] - 1, N counted in the series' own trading rows."),
        ("Relative strength", "RS[t] = P_A[t] / P_B[t], rebased to 100."),
        (
            "Rotation episode",
            "A run of rows where the 5-day relative return is beyond 2 trailing "
            "standard deviations.",
        ),
        ("Percentile", "Share of observations below today's value plus half the share equal."),
    ]
    return ReportModel(
        title="Rotation report",
        as_of=AS_OF.date(),
        universe="us-default",
        version="0.1.0",
        generated_at=datetime(2026, 8, 1, 7, 30),
        data_note="Synthetic test data (seeded random walks), not market prices.",
        panels={"headline": headlines, "quotes": quotes, "performance": performance,
                "pairs": pairs, "rrg": rrg_panel, "analogs": analogs, **fund},
        sources=sources,
        methods=methods,
    )


__all__ = ["AS_OF", "FACTORS", "build_fundamentals_panels", "build_report_model", "make_prices"]
