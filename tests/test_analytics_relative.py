"""Relative returns, RS line, unusualness and trailing statistics against plain pandas."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics import (
    decile,
    relative_return,
    relative_rolling,
    rolling_percentile,
    rolling_zscore,
    rs_line,
    unusualness,
)
from rotascope.errors import InputError


def _pair() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(2)
    idx = pd.bdate_range("2015-01-01", periods=1500)
    a = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.012, 1500))), index=idx, name="A")
    b = pd.Series(50 * np.exp(np.cumsum(rng.normal(0, 0.010, 1500))), index=idx, name="B")
    # different calendars: A misses some days B has, and B misses others
    return a.drop(idx[[10, 500, 501]]), b.drop(idx[[20, 900]])


def _joined(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    return pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna()


def test_relative_return_definition_and_common_dates() -> None:
    a, b = _pair()
    df = _joined(a, b)
    r = relative_return(a, b, "5d", as_of="2016-06-15")
    t = df.index.get_indexer([pd.Timestamp("2016-06-15")])[0]
    ra = df.a.iloc[t] / df.a.iloc[t - 5] - 1
    rb = df.b.iloc[t] / df.b.iloc[t - 5] - 1
    assert r.value == pytest.approx((1 + ra) / (1 + rb) - 1, rel=1e-12)
    assert r.spread == pytest.approx(ra - rb, rel=1e-12)
    assert r.a.start_date == r.b.start_date == df.index[t - 5] == r.start_date
    assert r.a.end_date == r.b.end_date == r.end_date
    assert (r.a.name, r.b.name, r.window) == ("A", "B", "5d")
    # calendar window: both legs use the last common close on or before the start date
    r = relative_return(a, b, "ytd", as_of="2016-06-15")
    start = df.loc[:"2015-12-31"].index[-1]
    assert r.a.start_date == start
    assert r.value == pytest.approx(
        (df.a["2016-06-15"] / df.a[start]) / (df.b["2016-06-15"] / df.b[start]) - 1, rel=1e-12
    )


def test_relative_rolling_and_rs_line_against_pandas() -> None:
    a, b = _pair()
    df = _joined(a, b)
    rel = relative_rolling(a, b, 5)
    expected = (1 + df.a.pct_change(5)) / (1 + df.b.pct_change(5)) - 1
    pd.testing.assert_index_equal(rel.index, df.index)
    np.testing.assert_allclose(rel.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert rel.name == "A/B"
    # the same number relative_return gives
    assert rel.iloc[-1] == relative_return(a, b, "5d").value
    rs = rs_line(a, b)
    ratio = df.a / df.b
    np.testing.assert_allclose(rs.to_numpy(), (100 * ratio / ratio.iloc[0]).to_numpy(),
                               rtol=1e-12)
    assert rs.iloc[0] == 100.0
    # RS line and relative returns agree
    np.testing.assert_allclose((rs / rs.shift(5) - 1).to_numpy(), rel.to_numpy(), rtol=1e-9,
                               atol=1e-15)
    assert rs_line(a, b, base=1.0).iloc[0] == 1.0
    with pytest.raises(InputError, match="base must be a positive number"):
        rs_line(a, b, base=0)


def test_relative_inputs_are_checked() -> None:
    a, b = _pair()
    with pytest.raises(InputError, match="no date in common"):
        relative_rolling(a.iloc[:10], b.iloc[-10:], 1)
    with pytest.raises(InputError, match="n must be"):
        relative_rolling(a, b, "1m")


def test_unusualness_against_pandas_rolling() -> None:
    a, b = _pair()
    rel = relative_rolling(a, b, 5)
    x = rel.dropna()
    # rows lookback "251d" = the last 252 rows, today included
    u = unusualness(rel, "2019-06-14", lookback="251d")
    mean = x.rolling(252).mean()
    std = x.rolling(252).std()
    t = pd.Timestamp("2019-06-14")
    assert u.zscore == pytest.approx((x[t] - mean[t]) / std[t], rel=1e-9)
    assert (u.mean, u.std) == (pytest.approx(mean[t], rel=1e-9), pytest.approx(std[t], rel=1e-9))
    assert u.lookback_count == 252 and u.lookback_full
    pct = (x.expanding().rank(method="average") - 0.5) / x.expanding().count()
    assert u.percentile == pytest.approx(pct[t], abs=1e-12)
    assert u.decile == max(1, math.ceil(10 * pct[t]))
    assert u.history_start == x.index[0] and u.history_count == len(x.loc[:t])
    # calendar lookback: from the last row on or before t - 2 years
    u = unusualness(rel, t, lookback="2y")
    start = x.loc[: t - pd.DateOffset(years=2)].index[-1]
    look = x.loc[start:t]
    assert u.lookback_start == start
    assert u.zscore == pytest.approx((x[t] - look.mean()) / look.std(), rel=1e-9)
    # history shorter than the lookback: all of it, flagged
    u = unusualness(rel, "2015-12-31", lookback="5y")
    assert not u.lookback_full and u.lookback_start == x.index[0]


def test_stats_wrappers_against_pandas() -> None:
    a, b = _pair()
    x = relative_rolling(a, b, 5)
    z = rolling_zscore(x, 250, 60)
    expected = (x - x.rolling(250, min_periods=60).mean()) / x.rolling(250, min_periods=60).std()
    np.testing.assert_allclose(z["zscore"].to_numpy(), expected.to_numpy(), rtol=1e-9,
                               atol=1e-12)
    p = rolling_percentile(x, 250)
    expected = (x.rolling(250, min_periods=1).rank() - 0.5) / x.rolling(250, min_periods=1).count()
    np.testing.assert_allclose(p["percentile"].to_numpy(), expected.to_numpy(), atol=1e-12)
    p = rolling_percentile(x)
    expected = (x.expanding().rank() - 0.5) / x.expanding().count()
    np.testing.assert_allclose(p["percentile"].to_numpy(), expected.to_numpy(), atol=1e-12)
    assert [decile(q) for q in (0.0, 0.05, 0.1, 0.55, 1.0)] == [1, 1, 1, 6, 10]
    assert decile(np.float32(0.55)) == 6 and decile(np.float64(0.05)) == 1
    for bad in (1.5, True, "0.5"):
        with pytest.raises(InputError, match="percentile must be a number in"):
            decile(bad)  # type: ignore[arg-type]


def test_no_look_ahead_in_relative() -> None:
    a, b = _pair()
    cut = pd.Timestamp("2018-03-01")
    full = unusualness(relative_rolling(a, b, 5), cut)
    head = unusualness(relative_rolling(a.loc[:cut], b.loc[:cut], 5))
    assert full == head
    assert relative_return(a, b, "1m", cut) == relative_return(a.loc[:cut], b.loc[:cut], "1m")


def _close(shared_data: Path, name: str) -> pd.Series:
    df = pd.read_csv(shared_data / "prices" / f"{name}.csv", index_col=0, parse_dates=True)
    return df["Close"].rename(name)


@pytest.mark.realdata
def test_iwm_vs_spy_relative_numbers_against_pandas(shared_data: Path) -> None:
    iwm, spy = _close(shared_data, "IWM"), _close(shared_data, "SPY")
    df = pd.concat({"a": iwm, "b": spy}, axis=1, join="inner").dropna()
    rel_pd = (df.a / df.a.shift(5)) / (df.b / df.b.shift(5)) - 1
    rel = relative_rolling(iwm, spy, 5)
    np.testing.assert_allclose(rel.to_numpy(), rel_pd.to_numpy(), rtol=1e-10, atol=1e-14)
    t = pd.Timestamp("2024-07-16")  # the July 2024 small-cap squeeze
    r = relative_return(iwm, spy, "5d", t)
    assert r.value == pytest.approx(rel_pd[t], rel=1e-10)
    x = rel_pd.dropna()
    u = unusualness(rel, t, lookback="1259d")
    z_pd = (x - x.rolling(1260).mean()) / x.rolling(1260).std()
    assert u.zscore == pytest.approx(z_pd[t], rel=1e-8)
    assert u.zscore > 4
    pct = (x.loc[:t] < x[t]).mean() + 0.5 * (x.loc[:t] == x[t]).mean()
    assert u.percentile == pytest.approx(pct, abs=1e-12) and u.decile == 10
    rs = rs_line(iwm, spy)
    assert rs[t] == pytest.approx(100 * (df.a[t] / df.b[t]) / (df.a.iloc[0] / df.b.iloc[0]))


def test_align_is_the_pandas_inner_join() -> None:
    """The numpy join of sorted unique dates gives pandas' concat(join="inner").dropna():
    same dates in order, values, and index name (the common one, else none)."""
    from rotascope.analytics._checks import align

    rng = np.random.default_rng(7)
    start = pd.Timestamp("2020-01-01")
    for k in range(60):
        series = []
        for _ in range(2):
            n = int(rng.integers(1, 80))
            days = np.sort(rng.choice(150, n, replace=False))
            values = rng.normal(size=n)
            values[rng.random(n) < 0.15] = np.nan
            index = pd.DatetimeIndex(start + pd.to_timedelta(days, "D"),
                                     name=("date", None)[int(rng.integers(2))])
            series.append(pd.Series(values, index=index, name="x"))
        a, b = series
        if k % 4 == 0:  # the same dates, another name
            b = pd.Series(rng.normal(size=len(a)), index=a.index.rename("day"))
        want = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
        if want.empty:
            with pytest.raises(InputError, match="no date in common"):
                align(a, b, ("A", "B"))
            continue
        got = align(a, b, ("A", "B"))
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_freq=False)
        assert got.index.name == want.index.name
