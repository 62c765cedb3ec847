"""Pairs on every window (issue 11, class 4): the one-day margin and its record horizon, the rank
wording, relative calendar periods and the ratio's own records, each against plain pandas on the
real ETF files in ../shared/data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from rotascope.analytics import ranked_horizons, record_at
from rotascope.narrative.fact import Fact
from rotascope.narrative.pair_facts import pair_facts
from rotascope.narrative.record_wording import horizon_words, stated_horizon
from rotascope.pipeline.subjects import DAILY, Subject

pytestmark = pytest.mark.realdata


def _read(shared_data: Path, ticker: str) -> pd.Series:
    frame = pd.read_csv(shared_data / "prices" / f"{ticker}.csv", index_col=0, parse_dates=True)
    return frame["Close"].dropna().rename(ticker)


@pytest.fixture(scope="module")
def legs(shared_data: Path) -> dict[str, Subject]:
    names = {"IWM": "Russell 2000", "SPY": "S&P 500", "IWD": "Russell 1000 Value",
             "IWF": "Russell 1000 Growth"}
    return {t: Subject(t.lower(), d, _read(shared_data, t), f"file:{t}.csv [Close]")
            for t, d in names.items()}


def _common(a: Subject, b: Subject, as_of: str) -> pd.DataFrame:
    df = pd.concat([a.prices, b.prices], axis=1, join="inner").dropna()
    df.columns = ["a", "b"]
    return df.loc[:as_of]


_CACHE: dict[tuple[str, str, str], list[Fact]] = {}


def _facts(a: Subject, b: Subject, as_of: str) -> list[Fact]:
    """The pair's facts on the full histories, computed once per module and date."""
    key = (a.name, b.name, as_of)
    if key not in _CACHE:
        _CACHE[key] = pair_facts(a, b, pd.Timestamp(as_of))
    return _CACHE[key]


def _one(facts: list[Fact], kind_prefix: str, window: str) -> Fact:
    found = [f for f in facts if f.kind.startswith(kind_prefix) and f.window == window]
    assert len(found) == 1, [(f.kind, f.window) for f in facts]
    return found[0]


def test_daily_pairs_include_the_one_day_window() -> None:
    assert DAILY.relative_rows == (1, 5, 21, 63)


def test_iwm_beat_spy_on_2024_07_11(legs: dict[str, Subject]) -> None:
    """2024-07-11 (cooler CPI): the Russell 2000 beat the S&P 500 by about 4.5 points, its
    biggest one-day margin since October 2008. Independent: pandas pct_change on the common
    dates, the margin rA - rB and the most recent earlier margin at least as wide."""
    a, b = legs["IWM"], legs["SPY"]
    df = _common(a, b, "2024-07-11")
    ra, rb = df["a"].pct_change(), df["b"].pct_change()
    margin = (ra - rb).dropna()
    v = margin.iloc[-1]
    earlier = margin.iloc[:-1]
    since = earlier[earlier >= v].index[-1]
    assert since == pd.Timestamp("2008-10-10")
    facts = _facts(a, b, "2024-07-11")
    f = _one(facts, "record_", "1d")
    assert f.kind == "record_gain" and f.value == pytest.approx(v, abs=1e-12)
    assert f.since == since and f.rank == int((earlier > v).sum()) + 1
    assert f.details["relative_return"] == pytest.approx(
        (1 + ra.iloc[-1]) / (1 + rb.iloc[-1]) - 1, abs=1e-12)
    assert f.details["ranks"].startswith("spread")
    assert f.sentence == ("The Russell 2000 beat the S&P 500 by 4.5 percentage points on "
                          "July 11, 2024, its biggest margin since October 2008.")
    assert f.notable and "record horizon of at least one year" in f.to_dict()["reasons"]
    # one sentence per move: no second fact about the same one-day move
    assert not [g for g in facts if g.window == "1d" and g is not f]


def test_rank_two_wording_value_vs_growth_2024_07_17(legs: dict[str, Subject]) -> None:
    """2024-07-17: value beat growth by 3.1 points, less than on July 11 (six days before) but
    more than on any day since January 2021: "the second-biggest margin since January 2021"
    (rank 2 stated because its horizon is over a year and over twice the first one)."""
    a, b = legs["IWD"], legs["IWF"]
    df = _common(a, b, "2024-07-17")
    margin = (df["a"].pct_change() - df["b"].pct_change()).dropna()
    v = margin.iloc[-1]
    hits = margin.iloc[:-1][margin.iloc[:-1] >= v].index
    h1, h2 = hits[-1], hits[-2]
    assert h1 == pd.Timestamp("2024-07-11") and h2.strftime("%B %Y") == "January 2021"
    f = _one(_facts(a, b, "2024-07-17"), "record_", "1d")
    assert f.since == h1 and f.details["ranked_since"][:2] == [h1, h2]
    assert f.details["stated_rank"] == 2 and f.details["stated_since"] == h2
    assert f.sentence == ("The Russell 1000 Value beat the Russell 1000 Growth by 3.1 percentage "
                          "points on July 17, 2024, the second-biggest margin since January 2021.")
    assert f.notable


def test_rank_rule_needs_a_year_and_twice_the_horizon() -> None:
    """The documented rule of :mod:`rotascope.narrative.record_wording` on small series."""
    idx = pd.to_datetime(["2023-01-02", "2023-09-01", "2024-05-01", "2024-06-03"])
    s = pd.Series([5.0, 4.0, 3.0, 2.0], index=idx)
    rec = record_at(s)
    ranked = ranked_horizons(s, None, "gain", 3)
    assert list(ranked) == list(idx[:3][::-1])
    # h1 33 days; h2 0.75 year (under a year: skipped); h3 1.4 years
    stated = stated_horizon(rec, ranked)
    assert (stated.rank, stated.since) == (3, idx[0])
    assert horizon_words(rec, "biggest", "margin", ranked) == (
        "its biggest margin since May 1, 2024 and the third-biggest since January 2023")
    # under 20 rows the first horizon is not stated: the rank alone
    assert horizon_words(rec, "biggest", "margin", ranked, rows_since=1) == (
        "the third-biggest margin since January 2023")
    # one earlier value only: rank 2 "on record" when the history is long enough
    idx2 = pd.to_datetime(["2015-01-02", "2024-05-01", "2024-06-03"])
    s2 = pd.Series([1.0, 5.0, 4.0], index=idx2)
    rec2 = record_at(s2)
    assert horizon_words(rec2, "biggest", "margin", ranked_horizons(s2, None, "gain", 3), 1) == (
        "the second-biggest margin on record (since January 2015)")
    # a short history: nothing doubles the horizon, rank 1 and, under a month, no horizon
    idx3 = pd.to_datetime(["2024-05-20", "2024-05-28", "2024-06-03"])
    s3 = pd.Series([5.0, 4.0, 3.0], index=idx3)
    rec3 = record_at(s3)
    assert stated_horizon(rec3, ranked_horizons(s3, None, "gain", 3)).rank == 1
    assert horizon_words(rec3, "biggest", "margin", ranked_horizons(s3, None, "gain", 3)) == ""


def test_best_relative_month_since_april_2002(legs: dict[str, Subject]) -> None:
    """November 2016 (after the election): the Russell 2000's best month against the S&P 500
    since April 2002. Independent: month-end closes of the ratio IWM/SPY with pandas."""
    a, b = legs["IWM"], legs["SPY"]
    df = _common(a, b, "2016-11-30")
    ratio = df["a"] / df["b"]
    monthly = ratio.resample("ME").last().pct_change().dropna()
    v = monthly.iloc[-1]
    since = monthly.iloc[:-1][monthly.iloc[:-1] >= v].index[-1]
    f = _one(_facts(a, b, "2016-11-30"), "period_return", "month")
    assert f.versus == "spy" and f.value == pytest.approx(v, abs=1e-12)
    assert f.since is not None and f.since.to_period("M") == since.to_period("M")
    assert f.details["complete"]
    la, lb = df["a"].resample("ME").last(), df["b"].resample("ME").last()
    assert f.details["spread"] == pytest.approx(
        la.iloc[-1] / la.iloc[-2] - lb.iloc[-1] / lb.iloc[-2], abs=1e-12)
    assert f.rank == int((monthly.iloc[:-1] > v).sum()) + 1 == 3
    assert f.sentence == ("The Russell 2000 outperformed the S&P 500 by 7.1% in November 2016 "
                          "(relative return), its best relative month since April 2002 and the "
                          "third-best on record (since 2000).")
    assert f.notable


def test_relative_week_to_date_and_complete(legs: dict[str, Subject]) -> None:
    """The week of 2024-07-12 (Friday to Friday on the ratio): to date on Thursday the 11th,
    complete on the Friday, with the same record rule as the series' weeks."""
    a, b = legs["IWM"], legs["SPY"]
    df = _common(a, b, "2024-07-12")
    weekly = (df["a"] / df["b"]).resample("W-FRI").last().pct_change().dropna()
    v = weekly.iloc[-1]
    since = weekly.iloc[:-1][weekly.iloc[:-1] >= v].index[-1]
    f = _one(_facts(a, b, "2024-07-12"), "period_return", "week")
    assert f.details["complete"] and f.value == pytest.approx(v, abs=1e-12)
    assert f.since is not None and f.since.to_period("W-FRI") == since.to_period("W-FRI")
    assert f.sentence.startswith(f"The Russell 2000 outperformed the S&P 500 by "
                                 f"{100 * v:.1f}% this week (relative return), its best "
                                 f"relative week since {since:%B %Y}")
    thursday = _one(_facts(a, b, "2024-07-11"), "period_return", "week")
    assert not thursday.details["complete"]
    assert "so far this week" in thursday.sentence and "on track for" in thursday.sentence


def test_ratio_lowest_since_november_2000(legs: dict[str, Subject]) -> None:
    """2024-06-04: the small/large ratio (IWM/SPY) closed at its lowest since November 2000;
    by 2025-04-11 it was at its lowest on record (since the ETFs' common start)."""
    a, b = legs["IWM"], legs["SPY"]
    df = _common(a, b, "2024-06-04")
    ratio = df["a"] / df["b"]
    v = ratio.iloc[-1]
    since = ratio.iloc[:-1][ratio.iloc[:-1] <= v].index[-1]
    assert since.strftime("%B %Y") == "November 2000"
    f = _one(_facts(a, b, "2024-06-04"), "record_", "ratio")
    assert f.kind == "record_drop" and f.since == since
    assert f.details["level"] == pytest.approx(100 * v / ratio.iloc[0], rel=1e-12)
    assert f.sentence == ("The ratio of the Russell 2000 to the S&P 500 closed at its lowest "
                          "since November 2000.")
    assert "arbitrary" in f.details["note"] and f.notable
    low = _one(_facts(a, b, "2025-04-11"), "record_", "ratio")
    full = _common(a, b, "2025-04-11")
    assert (full["a"] / full["b"]).idxmin() == pd.Timestamp("2025-04-11")
    assert low.details["on_record"] and low.sentence == (
        "The ratio of the Russell 2000 to the S&P 500 closed at its lowest on record (since "
        "May 2000).")


def test_point_in_time(legs: dict[str, Subject]) -> None:
    """Cutting both legs after the as-of date changes no pair fact."""
    a, b = legs["IWM"], legs["SPY"]
    day = pd.Timestamp("2024-07-11")
    cut = [dataclasses.replace(s, prices=s.prices.loc[:day]) for s in (a, b)]
    assert a.prices.index[-1] > day
    whole = [f.to_dict() for f in _facts(a, b, "2024-07-11")]
    part = [f.to_dict() for f in pair_facts(cut[0], cut[1], day)]
    assert whole == part


def test_series_records_share_the_rank_wording(shared_data: Path) -> None:
    """2020-03-16: the S&P 500 index fell 12.0%, its largest one-day drop since October 1987
    and the second-largest since October 1929 (only Black Monday was larger since October 28,
    1929). Independent: pandas pct_change on ^GSPC.csv."""
    from rotascope.narrative.series_facts import series_facts

    spx = _read(shared_data, "^GSPC").loc[:"2020-03-16"]
    r = spx.pct_change().dropna()
    v = r.iloc[-1]
    hits = r.iloc[:-1][r.iloc[:-1] <= v].index
    assert hits[-1] == pd.Timestamp("1987-10-19") and hits[-2].strftime("%B %Y") == "October 1929"
    facts = series_facts(Subject("spx", "S&P 500", spx, "file:^GSPC.csv [Close]"),
                         windows=(("d", 1),))
    f = _one(facts, "record_", "1d")
    assert f.details["ranked_since"][:2] == [hits[-1], hits[-2]]
    assert f.sentence == ("The S&P 500 tumbled 12.0% on March 16, 2020, its largest one-day "
                          "drop since October 1987 and the second-largest since October 1929.")


def test_a_margin_under_half_a_tenth_of_a_point_reads_in_step() -> None:
    """A margin that rounds to 0.0 points names no winner (synthetic legs)."""
    from rotascope.pipeline.pairs import PairAnalysis

    idx = pd.bdate_range("2024-01-01", periods=40)
    base = pd.Series([100.0 + i for i in range(40)], index=idx)
    other = base * 1.0
    other.iloc[-1] = base.iloc[-1] * (1 + 0.0002)  # +0.02 points on the last day
    a, b = Subject("a", "Alpha", other, "x"), Subject("b", "Beta", base, "y")
    empty = PairAnalysis(episodes=pd.DataFrame(), analogs=None)
    f = _one(pair_facts(a, b, None, empty), "record_", "1d")
    assert f.sentence == ("The Alpha and the Beta moved in step on February 23, 2024 (margin "
                          "0.02 percentage points).")
    assert f.value == pytest.approx(other.iloc[-1] / other.iloc[-2] - base.iloc[-1] / base.iloc[-2])
