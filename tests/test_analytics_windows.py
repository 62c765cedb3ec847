"""Windows and window returns: parsing, calendar rules, errors, and ^RUT against plain pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics import (
    Window,
    parse_window,
    rolling_returns,
    window_bounds,
    window_return,
)
from rotascope.errors import InputError


def _prices(values: list[float], start: str = "2024-01-01") -> pd.Series:
    idx = pd.bdate_range(start, periods=len(values))
    return pd.Series(values, index=idx, name="x")


@pytest.mark.parametrize(
    ("spec", "label", "kind", "count"),
    [
        ("1d", "1d", "rows", 1),
        ("5d", "5d", "rows", 5),
        (" 63D ", "63d", "rows", 63),
        ("1w", "1w", "calendar", 1),
        ("1m", "1m", "calendar", 1),
        ("3m", "3m", "calendar", 3),
        ("6m", "6m", "calendar", 6),
        ("1y", "1y", "calendar", 1),
        ("ytd", "ytd", "calendar", 0),
        ("YTD", "ytd", "calendar", 0),
        ("since:2020-03-23", "since:2020-03-23", "calendar", 0),
        ("since 2020-03-23", "since:2020-03-23", "calendar", 0),
    ],
)
def test_parse_window(spec: str, label: str, kind: str, count: int) -> None:
    w = parse_window(spec)
    assert (w.label, w.kind, w.count) == (label, kind, count)
    assert parse_window(w) is w
    assert str(w) == label
    assert w.rows == (count if kind == "rows" else None)


@pytest.mark.parametrize("spec", ["", "5", "d5", "0d", "5q", "since:2020", "since:nope", 5])
def test_parse_window_rejects_with_one_line_naming_the_parameter(spec: object) -> None:
    with pytest.raises(InputError) as err:
        parse_window(spec)  # type: ignore[arg-type]
    msg = str(err.value)
    assert "\n" not in msg and "window" in msg


def test_window_is_frozen_and_hashable() -> None:
    w = parse_window("5d")
    with pytest.raises(AttributeError):
        w.count = 6  # type: ignore[misc]
    assert {w: 1}[parse_window("5d")] == 1


def test_rows_window_return() -> None:
    p = _prices([100.0, 101.0, 102.0, 99.0, 105.0])
    r = window_return(p, "3d")
    assert r.value == pytest.approx(105.0 / 101.0 - 1)
    assert (r.start_date, r.end_date) == (p.index[1], p.index[4])
    assert (r.start_level, r.end_level, r.rows, r.window, r.name) == (101.0, 105.0, 3, "3d", "x")
    r = window_return(p, "1d", as_of=p.index[2])
    assert r.value == pytest.approx(102.0 / 101.0 - 1)
    with pytest.raises(InputError, match="needs 5 rows before"):
        window_return(p, "5d")


def test_calendar_windows_use_the_last_close_on_or_before_the_start_date() -> None:
    # business days, with a hole: 2024-01-08 (Mon) to 2024-03-29
    idx = pd.bdate_range("2023-12-20", "2024-03-29").delete([10])  # drop 2024-01-03
    p = pd.Series(np.arange(len(idx), dtype=float) + 100.0, index=idx, name="x")
    end = pd.Timestamp("2024-03-29")
    # 1w: 2024-03-22 is a Friday in the index
    assert window_return(p, "1w").start_date == pd.Timestamp("2024-03-22")
    # 1m: 2024-02-29 exists
    assert window_return(p, "1m").start_date == pd.Timestamp("2024-02-29")
    # 3m: 2023-12-29 is the last close on or before 2023-12-29
    assert window_return(p, "3m").start_date == pd.Timestamp("2023-12-29")
    # ytd: last close of the previous year
    assert window_return(p, "ytd").start_date == pd.Timestamp("2023-12-29")
    # since a missing date: the last close before it
    r = window_return(p, "since:2024-01-03")
    assert r.start_date == pd.Timestamp("2024-01-02")
    assert r.value == pytest.approx(p[end] / p["2024-01-02"] - 1)
    # as_of on a weekend: the end row is Friday, spans are measured from it
    r = window_return(p, "1w", as_of="2024-03-10")
    assert (r.start_date, r.end_date) == (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-08"))
    with pytest.raises(InputError, match="needs a close on or before 2023-03-29"):
        window_return(p, "1y")
    with pytest.raises(InputError, match="no data on or before as_of 2020-01-01"):
        window_return(p, "1d", as_of="2020-01-01")
    with pytest.raises(InputError, match="starts after the end date"):
        window_return(p, "since:2025-01-01")


def test_window_bounds_and_month_ends() -> None:
    idx = pd.bdate_range("2024-01-01", "2024-03-31")
    assert window_bounds(idx, "1m", "2024-03-29") == (
        idx.get_loc(pd.Timestamp("2024-02-29")), idx.get_loc(pd.Timestamp("2024-03-29"))
    )
    # 2024-03-31 is a Sunday: end row 2024-03-29, start = 2024-02-29 (DateOffset from end row)
    s, e = window_bounds(idx, "1m", "2024-03-31")
    assert (idx[s], idx[e]) == (pd.Timestamp("2024-02-29"), pd.Timestamp("2024-03-29"))


def test_window_return_validates_prices() -> None:
    p = _prices([100.0, -1.0, 102.0])
    with pytest.raises(InputError, match="non-positive price -1.0 on 2024-01-02"):
        window_return(p, "1d")
    with pytest.raises(InputError, match="DatetimeIndex"):
        window_return(pd.Series([1.0, 2.0]), "1d")
    with pytest.raises(InputError, match="not sorted"):
        window_return(_prices([1.0, 2.0]).iloc[::-1], "1d")
    # NaN rows are not rows
    p = _prices([100.0, np.nan, 110.0])
    assert window_return(p, "1d").value == pytest.approx(0.1)


def test_rolling_returns_series_frame_and_plain_index() -> None:
    p = _prices([100.0, 110.0, 99.0, 108.9])
    r = rolling_returns(p, 2)
    expected = p / p.shift(2) - 1
    pd.testing.assert_series_equal(r, expected)
    assert rolling_returns(p, "2d").equals(r)
    # integer index and ndarray-backed input behave the same (empyrical's trick)
    r_int = rolling_returns(p.reset_index(drop=True), 2)
    np.testing.assert_array_equal(r_int.to_numpy(), r.to_numpy())
    df = pd.DataFrame({"a": p, "b": p * 2})
    df.loc[df.index[0], "b"] = np.nan
    out = rolling_returns(df, 1)
    pd.testing.assert_frame_equal(out, df / df.shift(1) - 1)
    with pytest.raises(InputError, match="calendar window"):
        rolling_returns(p, "1m")
    with pytest.raises(InputError, match="n must be"):
        rolling_returns(p, 0)


@pytest.mark.realdata
def test_rut_five_day_returns_against_a_plain_pandas_loop(shared_data: Path) -> None:
    df = pd.read_csv(shared_data / "prices" / "^RUT.csv", index_col=0, parse_dates=True)
    rut = df["^RUT"].dropna()
    r5 = rolling_returns(rut, 5)
    closes = list(rut.items())
    for day in ["1999-01-11", "2008-10-10", "2020-03-16", "2020-03-23", "2025-09-24"]:
        t = [i for i, (d, _) in enumerate(closes) if d == pd.Timestamp(day)][0]
        expected = closes[t][1] / closes[t - 5][1] - 1.0
        assert r5[day] == pytest.approx(expected, rel=1e-12)
        wr = window_return(rut, "5d", as_of=day)
        assert wr.value == pytest.approx(expected, rel=1e-12)
        assert wr.start_date == closes[t - 5][0]
    assert r5.iloc[:5].isna().all() and r5.iloc[5:].notna().all()
    # calendar windows against plain pandas slicing
    end = rut.index[-1]
    start_1m = rut.loc[: end - pd.DateOffset(months=1)].index[-1]
    assert window_return(rut, "1m").value == pytest.approx(rut[end] / rut[start_1m] - 1)
    ytd_start = rut.loc[: f"{end.year - 1}-12-31"].index[-1]
    assert window_return(rut, "ytd").value == pytest.approx(rut[end] / rut[ytd_start] - 1)


def test_window_dataclass_fields() -> None:
    w = Window(label="2w", kind="calendar", unit="w", count=2)
    assert w.start_target(pd.Timestamp("2024-03-29")) == pd.Timestamp("2024-03-15")
    with pytest.raises(InputError, match="counted in rows"):
        parse_window("5d").start_target(pd.Timestamp("2024-03-29"))
