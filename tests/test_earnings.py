"""Earnings loaders, season analytics and facts, every figure checked against plain pandas.

The reference computations below read the sample CSV files with ``pandas.read_csv`` and compute
each figure in the most direct way (boolean masks, ``groupby``, ``np.average``, a loop for the
weighted median), independently of :mod:`rotascope.analytics.earnings`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotascope.analytics.earnings import (
    SEASON_COLUMNS,
    earnings_season,
    revision_breadth,
    revision_counts,
    season_bounds,
    season_comparison,
    season_label,
    surprise,
    weighted_median,
)
from rotascope.data.earnings import (
    EARNINGS_COLUMNS,
    SAMPLE_AS_OF,
    SAMPLE_LABEL,
    EarningsSample,
    load_sample,
    parse_earnings_csv,
    parse_fundamentals_csv,
    parse_revisions_csv,
    read_earnings,
    sample_paths,
)
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.earnings_facts import (
    beat_rate_facts,
    earnings_facts,
    revision_breadth_facts,
    season_comparison_facts,
)

SEGMENTS = ["small-caps", "midcap-growth", "russell-1000", "large-caps", "midcap", "growth",
            "value", "tech"]  # fmt: skip


@pytest.fixture(scope="module")
def sample() -> EarningsSample:
    return load_sample()


@pytest.fixture(scope="module")
def raw_earnings() -> pd.DataFrame:
    return pd.read_csv(sample_paths()["earnings"], parse_dates=["report_date"])


# -- reference computations ---------------------------------------------------------------------


def slow_weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted((v, w) for v, w in zip(values, weights, strict=True)
                   if not math.isnan(v) and w > 0)  # fmt: skip
    if not pairs:
        return math.nan
    half = sum(w for _, w in pairs) / 2
    acc = 0.0
    for i, (v, w) in enumerate(pairs):
        acc += w
        if acc >= half - 1e-12:
            if abs(acc - half) <= 1e-12 and i + 1 < len(pairs):
                return (v + pairs[i + 1][0]) / 2
            return v
    raise AssertionError("unreachable")


def reference_season(
    raw: pd.DataFrame, membership: pd.DataFrame, start: str, end: str
) -> pd.DataFrame:
    """Plain pandas: reports in the window with an actual, each ticker's latest."""
    done = raw[(raw["report_date"] >= start) & (raw["report_date"] <= end)]
    done = done[done["eps_actual"].notna() | done["sales_actual"].notna()]
    done = done.sort_values("report_date").groupby("ticker").tail(1)
    rows = {}
    for segment, members in membership.groupby("segment", sort=False):
        rep = members.merge(done, on="ticker", how="inner")
        row: dict[str, float] = {
            "members": len(members),
            "reported": len(rep),
            "weight_reported": rep["weight"].sum() / members["weight"].sum(),
        }
        for kind in ("eps", "sales"):
            act, est = rep[f"{kind}_actual"], rep[f"{kind}_estimate"]
            both = rep[act.notna() & est.notna()]
            beat = (both[f"{kind}_actual"] > both[f"{kind}_estimate"]).astype(float)
            surp = (both[f"{kind}_actual"] - both[f"{kind}_estimate"]) / both[f"{kind}_estimate"].abs()
            row[f"{kind}_compared"] = len(both)
            row[f"{kind}_beats"] = beat.sum()
            row[f"{kind}_no_estimate"] = (act.notna() & est.isna()).sum()
            row[f"{kind}_beat_rate"] = beat.mean() if len(both) else math.nan
            row[f"{kind}_beat_rate_weighted"] = (
                np.average(beat, weights=both["weight"]) if len(both) else math.nan
            )
            row[f"median_{kind}_surprise"] = surp.median()
            row[f"median_{kind}_surprise_weighted"] = slow_weighted_median(
                list(surp), list(both["weight"])
            )
        rows[segment] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def compare(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.index) == list(expected.index)
    for col in expected.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(dtype="float64"), expected[col].to_numpy(dtype="float64"),
            rtol=1e-12, atol=1e-12, err_msg=col,
        )  # fmt: skip


# -- samples and loaders ------------------------------------------------------------------------


def test_every_sample_loads(sample: EarningsSample) -> None:
    paths = sample_paths()
    assert all(p.is_file() for p in paths.values())
    readme = paths["readme"].read_text(encoding="utf-8")
    assert "MADE-UP DATA" in readme and "invented" in readme
    assert sample.as_of == SAMPLE_AS_OF == pd.Timestamp("2026-11-20")
    assert sample.label == SAMPLE_LABEL and "made-up" in sample.source("earnings")
    assert set(sample.holdings) == {"small-caps", "midcap-growth", "russell-1000"}
    assert list(dict.fromkeys(sample.membership["segment"])) == SEGMENTS
    sums = sample.membership.groupby("segment")["weight"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert list(sample.earnings.columns) == list(EARNINGS_COLUMNS)
    assert sample.earnings["ticker"].nunique() == 77 and len(sample.earnings) == 154
    assert set(sample.membership["ticker"]) <= set(sample.earnings["ticker"])
    assert set(sample.revisions["period"]) == {"0q", "+1q", "0y", "+1y"}
    assert set(sample.fundamentals["segment"]) == {
        "large-caps", "small-caps", "midcap", "midcap-growth", "growth", "value", "tech",
    }  # fmt: skip
    assert set(sample.fundamentals["metric"]) == {
        "forward_pe", "forward_pe_percentile_20y", "net_debt_to_ebitda", "earnings_growth_vol",
        "share_positive_earnings",
    }  # fmt: skip


def test_earnings_loader_matches_read_csv(raw_earnings: pd.DataFrame) -> None:
    got = read_earnings(sample_paths()["earnings"])
    expected = raw_earnings.sort_values(["report_date", "ticker"], kind="mergesort")
    expected = expected.reset_index(drop=True)
    assert got["report_date"].dtype == "datetime64[us]"
    pd.testing.assert_frame_equal(
        got.drop(columns=["report_date"]), expected.drop(columns=["report_date"]),
        check_dtype=False,
    )  # fmt: skip
    assert (got["report_date"].to_numpy() == expected["report_date"].to_numpy()).all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ticker,report_date,eps_actual\nA,2026-10-01,1\n", r"e.csv: line 1: missing column\(s\) eps_estimate"),
        ("ticker,report_date,eps_actual,eps_estimate\nA,2026-13-01,1,1\n", r"e.csv: line 2: report_date is not a date like 2026-11-20: '2026-13-01'"),
        ("ticker,report_date,eps_actual,eps_estimate\nA,2026-10-01,1.o,1\n", r"e.csv: line 2: eps_actual is not a number: '1.o'"),
        ("ticker,report_date,eps_actual,eps_estimate\nA,2026-10-01,1,1\n\na,2026-10-01,2,2\n", r"e.csv: line 4: ticker and report_date \(A, 2026-10-01\) repeats line 2"),
        ("ticker,report_date,eps_actual,eps_estimate\nA,2026-10-01,1\n", r"e.csv: line 2: expected 4 fields as in the header, got 3"),
        ("", r"e.csv: empty file"),
    ],
)  # fmt: skip
def test_earnings_loader_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_earnings_csv(text, origin="e.csv")
    assert "\n" not in str(info.value)


def test_earnings_optional_columns() -> None:
    got = parse_earnings_csv(
        "Ticker,Report_Date,EPS_Actual,EPS_Estimate\nbrk.b,2026-11-03,-,5.1\n", origin="e.csv"
    )
    assert list(got.columns) == list(EARNINGS_COLUMNS)
    assert got.loc[0, "ticker"] == "BRK-B" and np.isnan(got.loc[0, "eps_actual"])
    assert got[["sales_actual", "sales_estimate"]].isna().all().all() and got.loc[0, "period"] == ""


def test_revisions_layouts_and_errors() -> None:
    events = parse_revisions_csv(
        "ticker,date,period,old,new\nAAPL,2026-11-03,0Q,1.62,1.66\nAAPL,2026-11-01,+1y,7,6.9\n",
        origin="r.csv",
    )
    assert list(events.columns) == ["ticker", "date", "period", "old", "new"]
    assert list(events["period"]) == ["+1y", "0q"]  # sorted by date
    counts = parse_revisions_csv(sample_paths()["revisions"].read_text(), origin="r.csv")
    assert list(counts.columns) == ["ticker", "date", "period", "up_7d", "down_7d", "up_30d",
                                    "down_30d"]  # fmt: skip
    raw = pd.read_csv(sample_paths()["revisions"])
    assert len(counts) == len(raw) and counts["up_30d"].sum() == raw["up_30d"].sum()
    bad = {
        "ticker,date,period,value\nA,2026-11-01,0q,1\n": r"r.csv: line 1: a revisions file needs",
        "ticker,date,period,old,new\nA,2026-11-01,1q,1,2\n": r"r.csv: line 2: period must be one of: 0q, \+1q, 0y, \+1y \(got '1q'\)",
        "ticker,date,period,up_7d,down_7d,up_30d,down_30d\nA,2026-11-01,0q,1,-1,2,2\n": r"r.csv: line 2: down_7d must be a whole number >= 0",
        "ticker,date,period,up_7d,down_7d,up_30d,down_30d\nA,2026-11-01,0q,1,1,2,2\nA,2026-11-01,0q,1,1,2,2\n": r"r.csv: line 3: ticker, date and period \(A, 2026-11-01, 0q\) repeats line 2",
    }  # fmt: skip
    for text, message in bad.items():
        with pytest.raises(InputError, match=message):
            parse_revisions_csv(text, origin="r.csv")


def test_fundamentals_loader() -> None:
    got = parse_fundamentals_csv(
        "segment,date,metric,value\nTech,2026-11-20,Forward_PE,27.9\ntech,2026-11-20,net_debt_to_ebitda,\n",
        origin="f.csv",
    )
    assert got.to_dict("records") == [
        {"segment": "tech", "date": pd.Timestamp("2026-11-20"), "metric": "forward_pe", "value": 27.9}
    ]
    companies = parse_fundamentals_csv("ticker,date,metric,value\nbrk.b,2026-11-20,eps,1\n", origin="f")
    assert list(companies.columns) == ["ticker", "date", "metric", "value"]
    assert companies.loc[0, "ticker"] == "BRK-B"
    with pytest.raises(InputError, match=r"f.csv: line 2: metric must be a lower-case name"):
        parse_fundamentals_csv("segment,date,metric,value\ntech,2026-11-20,P/E,27\n", origin="f.csv")
    with pytest.raises(InputError, match=r"f.csv: line 3: segment, date and metric"):
        parse_fundamentals_csv(
            "segment,date,metric,value\ntech,2026-11-20,pe,1\ntech,2026-11-20,pe,2\n", origin="f.csv"
        )


# -- season ---------------------------------------------------------------------------------------


def test_season_bounds_and_labels() -> None:
    assert season_bounds("2026-11-20") == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-12-31"))
    assert season_bounds("2027-02-15") == (pd.Timestamp("2027-01-01"), pd.Timestamp("2027-03-31"))
    assert [season_label(d) for d in ("2026-11-20", "2026-08-01", "2027-01-20")] == [
        "Q3 2026", "Q2 2026", "Q4 2026",
    ]  # fmt: skip


def test_this_season_so_far_matches_pandas(sample: EarningsSample, raw_earnings: pd.DataFrame) -> None:
    got = earnings_season(sample.earnings, sample.membership, as_of=sample.as_of)
    assert list(got.columns) == list(SEASON_COLUMNS)
    assert (got["start"] == pd.Timestamp("2026-10-01")).all()
    assert (got["end"] == pd.Timestamp("2026-11-20")).all()
    expected = reference_season(raw_earnings, sample.membership, "2026-10-01", "2026-11-20")
    compare(got, expected)
    # the story the sample tells, in numbers
    assert got["eps_beat_rate"].idxmin() == "small-caps"
    assert round(got.loc["small-caps", "eps_beat_rate"], 3) == 0.556  # 10 of 18
    assert round(got.loc["large-caps", "eps_beat_rate"], 3) == 0.810  # 17 of 21
    assert got.loc["small-caps", "eps_no_estimate"] == 2  # KTOS and CORT


def test_previous_season_and_windows(sample: EarningsSample, raw_earnings: pd.DataFrame) -> None:
    got = earnings_season(sample.earnings, sample.membership, "2026-07-01", "2026-09-30")
    compare(got, reference_season(raw_earnings, sample.membership, "2026-07-01", "2026-09-30"))
    assert (got["reported"] == got["members"]).all()  # every company reported in Q2
    only_end = earnings_season(sample.earnings, sample.membership, end="2026-08-15")
    compare(only_end, reference_season(raw_earnings, sample.membership, "2026-07-01", "2026-08-15"))
    # as_of caps the window: nothing dated later is used
    capped = earnings_season(sample.earnings, sample.membership, "2026-10-01", "2026-12-31",
                             as_of="2026-11-20")  # fmt: skip
    compare(capped, reference_season(raw_earnings, sample.membership, "2026-10-01", "2026-11-20"))
    # default as_of: the last report with an actual
    last = raw_earnings.loc[raw_earnings["eps_actual"].notna(), "report_date"].max()
    default = earnings_season(sample.earnings, sample.membership)
    assert (default["end"] == last).all()
    with pytest.raises(InputError, match="start 2026-11-01 is after end 2026-10-01"):
        earnings_season(sample.earnings, sample.membership, "2026-11-01", "2026-10-01")


def test_beat_rules_on_a_small_frame() -> None:
    earnings = pd.DataFrame(
        {
            "ticker": ["A", "B", "C", "D", "E", "A"],
            "report_date": pd.to_datetime(["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08",
                                           "2026-12-01", "2026-07-05"]),  # fmt: skip
            "eps_actual": [1.0, -0.4, 2.0, 1.5, np.nan, 9.0],
            "eps_estimate": [1.0, -0.5, np.nan, 0.0, 1.0, 1.0],
        }
    )
    membership = pd.DataFrame({"segment": ["s"] * 5, "ticker": list("ABCDE"),
                               "weight": [0.1, 0.2, 0.3, 0.15, 0.25]})  # fmt: skip
    row = earnings_season(earnings, membership, "2026-10-01", "2026-11-20").loc["s"]
    # A in line (not a beat), B beat a loss estimate, C has no estimate, D beat a zero estimate,
    # E has not reported; A's July report is outside the window
    assert (row["reported"], row["eps_compared"], row["eps_beats"], row["eps_no_estimate"]) == (4, 3, 2, 1)
    assert row["eps_beat_rate"] == pytest.approx(2 / 3)
    assert row["eps_beat_rate_weighted"] == pytest.approx((0.2 + 0.15) / (0.1 + 0.2 + 0.15))
    assert row["weight_reported"] == pytest.approx(0.75)
    # surprises: A 0, B +0.2, D undefined (zero estimate): median of [0, 0.2]
    assert row["median_eps_surprise"] == pytest.approx(0.1)
    assert np.isnan(row["sales_beat_rate"]) and row["sales_compared"] == 0


def test_surprise_definition() -> None:
    got = surprise([1.1, -0.4, -0.6, 1.0, np.nan], [1.0, -0.5, -0.5, 0.0, 1.0])
    np.testing.assert_allclose(got, [0.1, 0.2, -0.2, np.nan, np.nan])
    # two scalars: a 0-d array, with the same NaN rule (it used to raise TypeError)
    assert float(surprise(1.1, 1.0)) == pytest.approx(0.1)
    assert np.isnan(surprise(1.0, 0.0)) and surprise(1.0, 0.0).shape == ()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-100, 100, allow_nan=False), st.integers(1, 5)), min_size=1, max_size=25
    )
)
def test_weighted_median_is_the_median_of_repeated_values(pairs: list[tuple[float, int]]) -> None:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    expected = float(np.median(np.repeat(values, weights)))
    assert weighted_median(values, weights) == pytest.approx(expected, abs=1e-9)
    assert weighted_median(values, [1] * len(values)) == pytest.approx(float(np.median(values)))


def test_weighted_median_edges() -> None:
    assert math.isnan(weighted_median([np.nan, 1.0], [1.0, 0.0]))
    assert weighted_median([3.0, 1.0, 2.0], [0.0, 1.0, 1.0]) == 1.5
    with pytest.raises(InputError, match="weights must be >= 0"):
        weighted_median([1.0, 2.0], [1.0, -1.0])


# -- revisions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["0q", "+1q", "0y", "+1y"])
@pytest.mark.parametrize("days", [7, 30])
def test_revision_breadth_matches_pandas(sample: EarningsSample, period: str, days: int) -> None:
    raw = pd.read_csv(sample_paths()["revisions"], parse_dates=["date"])
    snap = raw[(raw["date"] == "2026-11-20") & (raw["period"] == period)]
    merged = sample.membership.merge(snap, on="ticker")
    up, down = merged[f"up_{days}d"], merged[f"down_{days}d"]
    merged = merged.assign(n=merged["weight"] * (up - down), d=merged["weight"] * (up + down))
    sums = merged.groupby("segment", sort=False)[[f"up_{days}d", f"down_{days}d", "n", "d"]].sum()
    got = revision_breadth(sample.revisions, sample.membership, period, as_of=sample.as_of, days=days)
    assert list(got.index) == SEGMENTS
    u, dn = sums[f"up_{days}d"], sums[f"down_{days}d"]
    np.testing.assert_allclose(got["up"], u)
    np.testing.assert_allclose(got["down"], dn)
    np.testing.assert_allclose(got["breadth"], (u - dn) / (u + dn), rtol=1e-12)
    np.testing.assert_allclose(got["breadth_weighted"], sums["n"] / sums["d"], rtol=1e-12)
    assert (got["companies"] == got["members"]).all()


def test_revision_breadth_as_of_picks_the_snapshot(sample: EarningsSample) -> None:
    august = revision_breadth(sample.revisions, sample.membership, "0q", as_of="2026-09-01")
    raw = pd.read_csv(sample_paths()["revisions"], parse_dates=["date"])
    snap = raw[(raw["date"] == "2026-08-20") & (raw["period"] == "0q")]
    small = snap[snap["ticker"].isin(sample.holdings["small-caps"].tickers)]
    assert august.loc["small-caps", "up"] == small["up_30d"].sum()
    assert august.loc["small-caps", "as_of"] == pd.Timestamp("2026-09-01")


def test_revision_events_layout() -> None:
    events = pd.DataFrame(
        {
            "ticker": ["A", "A", "A", "B", "B", "C"],
            "date": pd.to_datetime(["2026-11-19", "2026-11-01", "2026-10-01", "2026-11-10",
                                    "2026-11-12", "2026-11-15"]),  # fmt: skip
            "period": ["0q", "0q", "0q", "0q", "0q", "0q"],
            "old": [1.0, 1.0, 1.0, 2.0, 2.0, 3.0],
            "new": [1.1, 0.9, 1.2, 2.0, 1.8, 3.3],
        }
    )
    counts = revision_counts(events, as_of="2026-11-20", days=30)
    # A: +1 and -1 inside 30 days (the October event is older), B: unchanged and -1, C: +1
    assert counts[["ticker", "up", "down"]].values.tolist() == [["A", 1.0, 1.0], ["B", 0.0, 1.0],
                                                               ["C", 1.0, 0.0]]  # fmt: skip
    membership = pd.DataFrame({"segment": ["x", "x", "y", "y"], "ticker": ["A", "B", "C", "Z"],
                               "weight": [0.5, 0.5, 0.7, 0.3]})  # fmt: skip
    got = revision_breadth(events, membership, "0q", as_of="2026-11-20")
    assert got.loc["x", "breadth"] == pytest.approx((1 - 2) / (1 + 2))
    assert got.loc["y", "breadth"] == 1.0 and got.loc["y", "companies"] == 1
    no_revisions = revision_breadth(events, membership, "+1y", as_of="2026-11-20")
    assert no_revisions["breadth"].isna().all()
    with pytest.raises(InputError, match=r"period must be one of: 0q, \+1q, 0y, \+1y"):
        revision_breadth(events, membership, "1q")
    counts_layout = pd.read_csv(sample_paths()["revisions"], parse_dates=["date"])
    with pytest.raises(InputError, match="days \\(counts layout\\) must be one of: 7, 30"):
        revision_counts(counts_layout, days=14)


# -- seasons compared -----------------------------------------------------------------------------


def test_season_comparison_matches_pandas(sample: EarningsSample, raw_earnings: pd.DataFrame) -> None:
    got = season_comparison(sample.earnings, sample.membership, as_of=sample.as_of, seasons=4)
    # the sample holds two seasons: earlier ones have no data and are left out
    assert sorted(set(got["season"])) == ["Q2 2026", "Q3 2026"]
    assert (got["days_in"] == 50).all()  # October 1 to November 20
    assert list(dict.fromkeys(got["segment"])) == SEGMENTS
    for back, start, end in ((0, "2026-10-01", "2026-11-20"), (1, "2026-07-01", "2026-08-20")):
        part = got[got["seasons_back"] == back].set_index("segment")
        assert (part["start"] == pd.Timestamp(start)).all() and (part["end"] == pd.Timestamp(end)).all()
        compare(part[list(SEASON_COLUMNS[2:])],
                reference_season(raw_earnings, sample.membership, start, end))  # fmt: skip


# -- facts ----------------------------------------------------------------------------------------


def test_facts_state_the_sample_numbers(sample: EarningsSample, raw_earnings: pd.DataFrame) -> None:
    names = {s.name: s.display for s in load_universe("us").segments}
    season = earnings_season(sample.earnings, sample.membership, as_of=sample.as_of)
    ref = reference_season(raw_earnings, sample.membership, "2026-10-01", "2026-11-20")
    small, large = ref.loc["small-caps"], ref.loc["large-caps"]
    facts = beat_rate_facts(season, names=names, source=sample.source("earnings"))
    weakest = facts[0]
    assert weakest.kind == "earnings_beat_rate" and weakest.subject == "small-caps"
    assert weakest.sentence == (
        f"EPS beat rates are weakest among the Russell 2000: {small['eps_beat_rate']:.1%} vs "
        f"{large['eps_beat_rate']:.1%} for the S&P 500 ({int(small['eps_beats'])} of "
        f"{int(small['eps_compared'])} vs {int(large['eps_beats'])} of {int(large['eps_compared'])} "
        "reports so far in the Q3 2026 season)."
    )
    assert weakest.sentence.startswith("EPS beat rates are weakest among the Russell 2000: 55.6% vs 81.0%")
    assert weakest.value == pytest.approx(small["eps_beat_rate"])
    assert weakest.details["spread"] == pytest.approx(small["eps_beat_rate"] - large["eps_beat_rate"])
    assert weakest.to_dict()["start"] == "2026-10-01" and "made-up" in weakest.source
    plain = beat_rate_facts(season)
    assert plain[0].sentence.startswith("EPS beat rates are weakest among small caps: 55.6% vs 81.0% for large caps")

    breadth = revision_breadth(sample.revisions, sample.membership, "0q", as_of=sample.as_of)
    negative = revision_breadth_facts(breadth, names=names)[0]
    row = breadth.loc["small-caps"]
    assert negative.sentence == (
        f"Next-quarter EPS revisions are most negative for the Russell 2000: breadth "
        f"{row['breadth']:+.2f} ({int(row['up'])} up, {int(row['down'])} down over 30 days) vs "
        f"{breadth.loc['large-caps', 'breadth']:+.2f} for the S&P 500."
    )

    comparison = season_comparison(sample.earnings, sample.membership, as_of=sample.as_of)
    before = reference_season(raw_earnings, sample.membership, "2026-07-01", "2026-08-20")
    small_fact = season_comparison_facts(comparison, segments=["small-caps"], names=names)[0]
    assert small_fact.sentence == (
        f"The Russell 2000's EPS beat rate is {small['eps_beat_rate']:.1%} after 50 days of the "
        f"Q3 2026 season, below the {before.loc['small-caps', 'eps_beat_rate']:.1%} at the same "
        "point of the Q2 2026 season."
    )
    everything = earnings_facts(season, breadth={"0q": breadth}, comparison=comparison, names=names)
    kinds = [f.kind for f in everything]
    assert kinds.count("earnings_beat_rate") == 4 and kinds.count("revision_breadth") == 2
    assert [f.subject for f in everything if f.kind == "earnings_season_comparison"] == [
        "large-caps", "small-caps",
    ]  # fmt: skip


def test_membership_and_earnings_checks(tmp_path: Path, sample: EarningsSample) -> None:
    with pytest.raises(InputError, match=r"membership lacks column\(s\) weight"):
        earnings_season(sample.earnings, sample.membership.drop(columns="weight"))
    dup = pd.concat([sample.membership.head(1), sample.membership.head(1)])
    with pytest.raises(InputError, match="membership: SFM is listed twice in small-caps"):
        earnings_season(sample.earnings, dup)
    with pytest.raises(InputError, match="no reported results"):
        earnings_season(sample.earnings.assign(eps_actual=np.nan, sales_actual=np.nan),
                        sample.membership)  # fmt: skip
