"""Valuation percentiles checked against plain pandas on the real BE/ME and CAPE histories."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics.valuation import (
    cheap_when,
    composite,
    lookback_starts,
    parse_metric,
    relative_valuation,
    valuation_percentile,
    window_percentiles,
)
from rotascope.data.providers.files import read_file
from rotascope.errors import InputError
from rotascope.narrative.valuation_facts import valuation_facts

SMALL_COLS = ("SMALL LoBM", "ME1 BM2", "SMALL HiBM")
BIG_COLS = ("BIG LoBM", "ME2 BM2", "BIG HiBM")


def french_bm(path: Path) -> pd.DataFrame:
    """Plain pandas: the 'Value Weight Average of BE/ME' section of 6_Portfolios_2x3.CSV."""
    lines = path.read_text(encoding="latin-1").splitlines()
    title = next(i for i, line in enumerate(lines) if "Value Weight Average of BE/ME" in line)
    header = next(i for i in range(title, len(lines)) if lines[i].startswith(","))
    end = next(i for i in range(header + 1, len(lines)) if not lines[i].strip())
    frame = pd.read_csv(path, skiprows=header, nrows=end - header - 1, encoding="latin-1",
                        index_col=0, skipinitialspace=True)
    # a month's row is stamped on the month's end (known then, not on its first day)
    frame.index = pd.to_datetime(frame.index.astype(str), format="%Y%m") + pd.offsets.MonthEnd(0)
    frame.columns = [c.strip() for c in frame.columns]
    return frame.replace([-99.99, -999.0], np.nan)


def naive(x: pd.Series, day: pd.Timestamp, years: int) -> dict[str, float]:
    """Independent percentile, median and record horizon of x at ``day``."""
    x = x.dropna().loc[:day]
    look = x[x.index > day - pd.DateOffset(years=years)]
    v = x.iloc[-1]
    p = ((look < v).sum() + 0.5 * (look == v).sum()) / len(look)
    earlier = x.iloc[:-1]
    hits = earlier[earlier >= v] if p >= 0.5 else earlier[earlier <= v]
    return {"value": v, "percentile": p, "median": look.median(), "count": len(look),
            "since": hits.index[-1] if len(hits) else None}


@pytest.fixture(scope="module")
def bm_ratio(shared_data: Path) -> tuple[pd.Series, pd.Series]:
    """(rotascope's small/big BE/ME ratio, the plain-pandas one)."""
    path = shared_data / "french" / "6_Portfolios_2x3.CSV"
    small = composite([read_file(path, column=c, section="BE/ME").data for c in SMALL_COLS],
                      "small BE/ME")
    big = composite([read_file(path, column=c, section="BE/ME").data for c in BIG_COLS],
                    "big BE/ME")
    ours = relative_valuation(small, big)
    frame = french_bm(path)
    theirs = (frame[list(SMALL_COLS)].mean(axis=1) / frame[list(BIG_COLS)].mean(axis=1)).dropna()
    return ours, theirs


@pytest.mark.realdata
def test_size_valuation_spread_on_french_be_me(bm_ratio: tuple[pd.Series, pd.Series]) -> None:
    ours, theirs = bm_ratio
    assert ours.name == "small BE/ME/big BE/ME"
    pd.testing.assert_series_equal(ours, theirs, check_names=False, check_freq=False,
                                   check_index_type=False)
    for day in ("2024-12-31", "2020-09-30", "2000-02-29", "1999-12-31"):
        res = valuation_percentile(ours, day, "20y", "be/me")
        want = naive(theirs, pd.Timestamp(day), 20)
        assert res.date == pd.Timestamp(day)
        assert res.value == pytest.approx(want["value"])
        assert res.percentile == pytest.approx(want["percentile"])
        assert res.decile == max(1, math.ceil(10 * want["percentile"]))
        assert res.lookback_count == want["count"] == 240
        assert res.median == pytest.approx(want["median"])
        assert res.distance == pytest.approx(want["value"] - want["median"])
        assert res.cheap_when == "high" and res.cheapness == pytest.approx(res.percentile)
        assert res.record.since == want["since"]


@pytest.mark.realdata
def test_size_valuation_facts(bm_ratio: tuple[pd.Series, pd.Series]) -> None:
    ours, _ = bm_ratio
    res = valuation_percentile(ours, "2024-12-31", "20y", "be/me")
    facts = valuation_facts(res, "small caps", versus_display="large caps",
                            metric_label="BE/ME", source="french")
    first = facts[0]
    assert first.kind == "valuation_percentile" and first.percentile == res.percentile
    assert "of the past 20 years" in first.sentence
    word = "cheaper" if res.percentile >= 0.5 else "more expensive"
    assert f"small caps are {word} relative to large caps" in first.sentence
    if res.percentile not in (0.0, 1.0):
        assert f"{round(res.percentile * 100)}" in first.sentence
    assert first.to_dict()["details"]["lookback_start"] == "2005-01-31"


@pytest.mark.realdata
def test_cape_percentile_and_no_look_ahead(shared_data: Path) -> None:
    cape = read_file(shared_data / "valuation" / "ie_data.csv", column="CAPE").data
    for day, years in (("2025-12-31", 20), ("2000-01-31", 20), ("2009-03-31", 50)):
        res = valuation_percentile(cape, day, f"{years}y", "cape")
        want = naive(cape, pd.Timestamp(day), years)
        assert res.percentile == pytest.approx(want["percentile"])
        assert res.median == pytest.approx(want["median"])
        assert res.record.since == want["since"]
        assert res.cheap_when == "low"
        truncated = valuation_percentile(cape.loc[:day], None, f"{years}y", "cape")
        assert truncated.percentile == res.percentile and truncated.record == res.record
        pd.testing.assert_frame_equal(truncated.series, res.series)
    top = valuation_percentile(cape, "2025-12-31", "20y", "cape")
    assert top.state == "expensive" and top.decile == 10
    facts = valuation_facts(top, "the S&P 500", metric_label="CAPE")
    assert "more expensive than in" in facts[0].sentence or "highest" in facts[0].sentence


def test_window_percentiles_both_paths_equal_plain_pandas() -> None:
    rng = np.random.default_rng(5)
    monthly = pd.Series(rng.integers(0, 30, 200).astype(float),
                        index=pd.date_range("2000-01-01", periods=200, freq="MS"))
    daily = pd.Series(rng.normal(size=900).round(1),
                      index=pd.bdate_range("2015-01-01", periods=900))
    daily = daily.drop(daily.index[::7])  # holidays: calendar windows hold varying row counts
    for s, lookback, years in ((monthly, "5y", 5), (daily, "1y", 1)):
        out = window_percentiles(s, lookback, min_periods=1)
        for k in range(0, len(s), 37):
            day = s.index[k]
            look = s[(s.index > day - pd.DateOffset(years=years)) & (s.index <= day)]
            v = s.iloc[k]
            want = ((look < v).sum() + 0.5 * (look == v).sum()) / len(look)
            assert out["percentile"].iloc[k] == pytest.approx(want)
            assert out["count"].iloc[k] == len(look)
            assert out["p10"].iloc[k] == pytest.approx(np.quantile(look, 0.1))
            assert out["p50"].iloc[k] == pytest.approx(look.median())
    rows = window_percentiles(monthly, "24d", min_periods=24)
    assert rows["percentile"].iloc[:23].isna().all() and rows["count"].iloc[30] == 24
    assert rows["full"].iloc[23] and not rows["full"].iloc[22]


def test_lookback_starts() -> None:
    idx = pd.date_range("2000-01-01", periods=30, freq="MS")
    starts = lookback_starts(idx, "1y")
    assert starts[11] == 0 and starts[12] == 1 and starts[29] == 18
    assert list(lookback_starts(idx, "3d")[:4]) == [0, 0, 0, 1]
    with pytest.raises(InputError, match="lookback must be"):
        lookback_starts(idx, "ytd")


def test_directions_and_metrics() -> None:
    assert parse_metric("P/E") == "multiple" and parse_metric("BE/ME") == "yield"
    assert cheap_when("multiple") == "low" and cheap_when("yield") == "high"
    assert cheap_when("level") is None
    with pytest.raises(InputError, match="metric must be one of"):
        parse_metric("peg")
    idx = pd.date_range("2000-01-01", periods=48, freq="MS")
    pe = pd.Series(np.arange(48.0) + 10, index=idx, name="pe")
    res = valuation_percentile(pe, lookback="2y", metric="pe")
    assert res.state == "expensive" and res.cheapness == pytest.approx(1 - res.percentile)
    assert res.record.on_record and res.record.direction == "gain"
    facts = valuation_facts(res, "the index", metric_label="P/E")
    assert "is the highest of the past 2 years" in facts[0].sentence
    assert facts[1].kind == "valuation_record" and "most expensive on record" in facts[1].sentence
    ey = valuation_percentile(1 / pe, lookback="2y", metric="earnings-yield")
    assert ey.state == "expensive" and ey.percentile == pytest.approx(1 - res.percentile)


def test_relative_valuation_and_errors() -> None:
    idx = pd.date_range("2000-01-01", periods=30, freq="MS")
    a = pd.Series(np.linspace(1, 2, 30), index=idx, name="a")
    b = pd.Series(np.linspace(2, 1, 30), index=idx[::-1][::-1], name="b").iloc[5:]
    ratio = relative_valuation(a, b)
    assert ratio.name == "a/b" and len(ratio) == 25
    assert relative_valuation(a, b, "spread").iloc[0] == pytest.approx(a.iloc[5] - b.iloc[0])
    with pytest.raises(InputError, match="how must be one of"):
        relative_valuation(a, b, "diff")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="b: non-positive value"):
        relative_valuation(a, b - 1.5)
    with pytest.raises(InputError, match="at least 24 needed"):
        valuation_percentile(a.iloc[:10])
    with pytest.raises(InputError, match="no data on or before"):
        valuation_percentile(a, "1990-01-01")
    short = valuation_percentile(a, lookback="20y")
    assert not short.lookback_full and short.lookback_count == 30
