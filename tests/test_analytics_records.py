"""Record horizons, ranks and year extremes: by hand, against plain pandas, on the S&P 500."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotascope.analytics import (
    RECORD_WINDOWS,
    record_at,
    record_table,
    return_records,
    rolling_returns,
)
from rotascope.errors import InputError


def _stat(values: list[float], start: str = "2019-12-30") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values)), name="s")


def test_record_table_by_hand() -> None:
    s = _stat([0.03, 0.01, np.nan, 0.02, 0.03, -0.05, 0.02])
    t = record_table(s, "gain")
    assert list(t.columns) == ["value", "since", "since_value", "rank", "of", "year_extreme"]
    idx = s.index
    assert t["since"].tolist()[:2] == [pd.NaT, idx[0]]
    assert pd.isna(t["since"].iloc[2])  # NaN row
    assert t["since"].iloc[3] == idx[0]
    assert t["since"].iloc[4] == idx[0]  # tie with the first value: since it
    assert t["since"].iloc[6] == idx[4]  # 0.02: the latest value >= it is row 4 (0.03)
    assert t["rank"].tolist() == [1, 2, pd.NA, 2, 1, 5, 3]
    assert t["of"].tolist() == [1, 2, pd.NA, 3, 4, 5, 6]
    assert t["since_value"].iloc[6] == 0.03
    # 2019-12-30, 2019-12-31 are 2019; the rest 2020
    assert t["year_extreme"].tolist() == [True, False, False, True, True, False, False]
    d = record_table(s, "drop")
    assert d["since"].iloc[5] is pd.NaT or pd.isna(d["since"].iloc[5])  # lowest on record
    assert d["rank"].iloc[5] == 1
    assert d["year_extreme"].iloc[5]


def test_record_at_matches_record_table_row() -> None:
    rng = np.random.default_rng(11)
    s = pd.Series(np.round(rng.standard_normal(600), 1),
                  index=pd.bdate_range("2018-06-01", periods=600), name="x")
    s.iloc[rng.integers(0, 600, 30)] = np.nan
    for direction in ("gain", "drop"):
        table = record_table(s, direction)
        for t in rng.integers(1, 600, 25):
            date = s.index[t]
            if np.isnan(s.iloc[t]):
                continue
            r = record_at(s, date, direction)
            row = table.loc[date]
            assert r.date == date and r.value == row["value"]
            assert (r.since is None) == pd.isna(row["since"])
            if r.since is not None:
                assert r.since == row["since"] and r.since_value == row["since_value"]
            assert (r.rank, r.of) == (row["rank"], row["of"])
            assert r.largest_of_year == row["year_extreme"]
            assert r.first_date == s.first_valid_index()


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.sampled_from([-1.0, 0.0, 1.0, 2.0, np.nan]), min_size=1,
                       max_size=40),
       direction=st.sampled_from(["gain", "drop"]))
def test_record_table_equals_plain_pandas(values: list[float], direction: str) -> None:
    s = _stat(values)
    table = record_table(s, direction)  # type: ignore[arg-type]
    for i, date in enumerate(s.index):
        v = s.iloc[i]
        if np.isnan(v):
            assert pd.isna(table["rank"].iloc[i]) and pd.isna(table["since"].iloc[i])
            continue
        prev = s.iloc[:i].dropna()
        hits = prev[prev >= v] if direction == "gain" else prev[prev <= v]
        expected = hits.index[-1] if len(hits) else pd.NaT
        assert table["since"].iloc[i] == expected or (pd.isna(expected)
                                                      and pd.isna(table["since"].iloc[i]))
        better = (prev > v).sum() if direction == "gain" else (prev < v).sum()
        assert table["rank"].iloc[i] == 1 + better
        same_year = s.iloc[: i + 1].dropna()
        same_year = same_year[same_year.index.year == date.year]
        best = same_year.max() if direction == "gain" else same_year.min()
        assert table["year_extreme"].iloc[i] == (v == best)


def test_record_at_year_rank_and_years() -> None:
    s = _stat([0.05, 0.01, 0.02, 0.04, 0.03], start="2020-12-30")  # 2 rows of 2020, 3 of 2021
    r = record_at(s, "2021-01-05")  # 0.03: 0.04 (2021-01-04) beats it
    assert r.since == pd.Timestamp("2021-01-04") and r.rank == 3 and r.of == 5
    assert r.year_rank == 2 and not r.largest_of_year
    assert r.years == pytest.approx(1 / 365.25)
    r = record_at(s, "2021-01-04")  # 0.04: since 2020-12-30 (0.05), largest of 2021
    assert r.since == pd.Timestamp("2020-12-30") and r.largest_of_year and r.year_rank == 1
    r = record_at(s, "2020-12-30")
    assert r.on_record and r.since is None and np.isnan(r.since_value) and r.years == 0.0
    # as_of between rows uses the last row on or before it
    assert record_at(s, "2021-01-09").date == pd.Timestamp("2021-01-05")


def test_record_validation() -> None:
    s = _stat([1.0, 2.0])
    with pytest.raises(InputError, match=r"direction must be one of: gain, drop \(got 'up'\)"):
        record_table(s, "up")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="direction must be one of"):
        record_at(s, None, "biggest")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no data on or before as_of"):
        record_at(s, "2000-01-01")
    with pytest.raises(InputError, match="need 5 rows"):
        return_records(_stat([1.0, 2.0, 3.0]), windows=(5,))


def test_no_look_ahead_in_records() -> None:
    rng = np.random.default_rng(5)
    s = pd.Series(rng.standard_normal(500), index=pd.bdate_range("2015-01-01", periods=500))
    cut = s.index[300]
    full = record_table(s, "drop").loc[:cut]
    head = record_table(s.loc[:cut], "drop")
    pd.testing.assert_frame_equal(full, head)
    assert record_at(s, cut) == record_at(s.loc[:cut])


def _gspc(shared_data: Path) -> pd.Series:
    df = pd.read_csv(shared_data / "prices" / "^GSPC.csv", index_col=0, parse_dates=True)
    return df["Close"].rename("^GSPC")


@pytest.mark.realdata
def test_sp500_2020_03_16_biggest_drop_since_1987(shared_data: Path) -> None:
    close = _gspc(shared_data)
    r = close / close.shift(1) - 1  # plain pandas, independent of the kernels
    t = pd.Timestamp("2020-03-16")
    assert r[t] == pytest.approx(-0.11984, abs=5e-6)
    prev = r[:t].iloc[:-1].dropna()
    since = prev[prev <= r[t]].index[-1]
    assert since == pd.Timestamp("1987-10-19")
    assert prev[since] == pytest.approx(-0.2047, abs=5e-5)

    res = record_at(rolling_returns(close, 1), t, "drop")
    assert res.date == t and res.value == pytest.approx(r[t], rel=1e-12)
    assert res.since == since and res.since_value == pytest.approx(prev[since], rel=1e-12)
    assert res.rank == 1 + int((prev < r[t]).sum())
    assert res.of == len(prev) + 1
    assert res.largest_of_year and not res.on_record
    row = record_table(rolling_returns(close, 1), "drop").loc[t]
    assert row["since"] == since and row["rank"] == res.rank and row["year_extreme"]


@pytest.mark.realdata
def test_sp500_2008_10_13_biggest_gain_since_1939(shared_data: Path) -> None:
    close = _gspc(shared_data)
    r = close / close.shift(1) - 1
    t = pd.Timestamp("2008-10-13")
    assert r[t] == pytest.approx(0.1158, abs=5e-5)
    prev = r[:t].iloc[:-1].dropna()
    since = prev[prev >= r[t]].index[-1]
    assert since == pd.Timestamp("1939-09-05")
    res = record_at(rolling_returns(close, 1), t, "gain")
    assert res.since == since and res.rank == 1 + int((prev > r[t]).sum())
    assert res.years == pytest.approx((t - since).days / 365.25)


@pytest.mark.realdata
def test_return_records_on_sp500_windows(shared_data: Path) -> None:
    close = _gspc(shared_data)
    t = pd.Timestamp("2020-03-16")
    results = return_records(close, t)
    assert [r.name for r in results] == [f"^GSPC {n}d return" for n in RECORD_WINDOWS]
    for n, res in zip(RECORD_WINDOWS, results, strict=True):
        rn = (close / close.shift(n) - 1).loc[:t].dropna()
        v = rn.iloc[-1]
        assert res.direction == ("gain" if v >= 0 else "drop")
        prev = rn.iloc[:-1]
        hits = prev[prev >= v] if v >= 0 else prev[prev <= v]
        assert res.since == (hits.index[-1] if len(hits) else None)
        assert res.value == pytest.approx(v, rel=1e-12)
