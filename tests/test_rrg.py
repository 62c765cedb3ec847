"""RRG: the documented formula against an independent numpy computation, no look-ahead, quadrants."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from rotascope.analytics.rrg import DIRECTIONS, QUADRANTS, heading, quadrant, rrg
from rotascope.errors import InputError

SECTORS = ["XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"]


def _close(folder: Path, ticker: str) -> pd.Series:
    frame = pd.read_csv(folder / "prices" / f"{ticker}.csv", parse_dates=["Date"], index_col="Date")
    return frame["Close"].rename(ticker)


@pytest.fixture(scope="module")
def sector_prices(shared_data: Path) -> tuple[pd.DataFrame, pd.Series]:
    present = [t for t in SECTORS if (shared_data / "prices" / f"{t}.csv").is_file()]
    if not present or not (shared_data / "prices" / "SPY.csv").is_file():
        pytest.skip("sector ETF or SPY prices missing from the shared data folder")
    spy = _close(shared_data, "SPY")
    return pd.concat([_close(shared_data, t) for t in present], axis=1), spy


def _walks(n: int = 900, k: int = 4, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2015-01-01", periods=n)
    bench = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, n))), idx, name="bench")
    cols = {f"s{i}": bench * np.exp(np.cumsum(rng.normal(0, 0.006, n))) for i in range(k)}
    return pd.DataFrame(cols), bench


# --- an independent implementation of the documented formula (numpy windows, two-pass moments) ---
def _window_stat(a: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Trailing mean and sample std over complete windows of ``w`` (NaN when incomplete/NaN)."""
    mean = np.full(a.shape, np.nan)
    std = np.full(a.shape, np.nan)
    if len(a) >= w:
        win = sliding_window_view(a, w)
        m = win.mean(axis=1)
        mean[w - 1 :] = m
        std[w - 1 :] = np.sqrt(((win - m[:, None]) ** 2).sum(axis=1) / (w - 1))
    return mean, std


def _reference(
    p: np.ndarray, b: np.ndarray, w: int, k: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    rs = 100.0 * p / b
    sma, _ = _window_stat(rs, w)
    q = rs / sma
    qm, qs = _window_stat(q, n)
    ratio = 100.0 + (q - qm) / qs
    roc = np.full(ratio.shape, np.nan)
    roc[k:] = ratio[k:] / ratio[:-k] - 1.0
    rm, rsd = _window_stat(roc, n)
    momentum = 100.0 + (roc - rm) / rsd
    return ratio, momentum


@pytest.mark.realdata
def test_matches_independent_formula_on_real_sector_data(sector_prices) -> None:
    prices, spy = sector_prices
    res = rrg(prices, spy)
    assert res.ratio.index.equals(spy.index)
    for ticker in prices.columns:
        p = prices[ticker].reindex(spy.index).to_numpy(dtype=float)
        ratio, momentum = _reference(p, spy.to_numpy(dtype=float), 63, 10, 252)
        got_r = res.ratio[ticker].to_numpy()
        got_m = res.momentum[ticker].to_numpy()
        assert np.array_equal(np.isnan(got_r), np.isnan(ratio)), ticker
        assert np.array_equal(np.isnan(got_m), np.isnan(momentum)), ticker
        ok = ~np.isnan(ratio)
        assert ok.sum() > 1000, ticker
        np.testing.assert_allclose(got_r[ok], ratio[ok], rtol=0, atol=1e-10, err_msg=ticker)
        ok = ~np.isnan(momentum)
        np.testing.assert_allclose(got_m[ok], momentum[ok], rtol=0, atol=1e-10, err_msg=ticker)


@pytest.mark.realdata
def test_matches_independent_formula_with_other_windows(sector_prices) -> None:
    prices, spy = sector_prices
    res = rrg(prices[["XLK"]], spy, ratio_window=21, momentum_window=5, norm_window=126)
    p = prices["XLK"].reindex(spy.index).to_numpy(dtype=float)
    ratio, momentum = _reference(p, spy.to_numpy(dtype=float), 21, 5, 126)
    ok = ~np.isnan(momentum)
    np.testing.assert_allclose(res.momentum["XLK"].to_numpy()[ok], momentum[ok], rtol=0, atol=1e-10)
    np.testing.assert_allclose(res.ratio["XLK"].to_numpy()[ok], ratio[ok], rtol=0, atol=1e-10)


@pytest.mark.realdata
def test_appending_data_never_changes_past_points_real(sector_prices) -> None:
    prices, spy = sector_prices
    cut = pd.Timestamp("2021-06-30")
    early = rrg(prices[prices.index <= cut], spy[spy.index <= cut])
    full = rrg(prices, spy)
    common = early.ratio.index
    pd.testing.assert_frame_equal(
        early.ratio, full.ratio.loc[common], check_exact=False, rtol=0, atol=1e-12
    )
    pd.testing.assert_frame_equal(
        early.momentum, full.momentum.loc[common], check_exact=False, rtol=0, atol=1e-12
    )
    # every tail point of the early graph is still where it was
    for _, row in early.tail.iterrows():
        assert full.ratio.at[row["date"], row["segment"]] == pytest.approx(
            row["rs_ratio"], abs=1e-12
        )
        assert full.momentum.at[row["date"], row["segment"]] == pytest.approx(
            row["rs_momentum"], abs=1e-12
        )


def test_appending_data_never_changes_past_points() -> None:
    prices, bench = _walks()
    for cut in (500, 700, 899):
        early = rrg(prices.iloc[:cut], bench.iloc[:cut], ratio_window=20, norm_window=100)
        full = rrg(prices, bench, ratio_window=20, norm_window=100)
        pd.testing.assert_frame_equal(early.momentum, full.momentum.iloc[:cut], rtol=0, atol=1e-12)
        pd.testing.assert_frame_equal(early.ratio, full.ratio.iloc[:cut], rtol=0, atol=1e-12)


def test_values_are_centred_on_100_and_first_value_needs_the_documented_history() -> None:
    prices, bench = _walks(n=700)
    w, k, n = 20, 5, 100
    res = rrg(prices, bench, ratio_window=w, momentum_window=k, norm_window=n)
    first_ratio = res.ratio["s0"].first_valid_index()
    first_momentum = res.momentum["s0"].first_valid_index()
    assert res.ratio.index.get_loc(first_ratio) == w + n - 2
    assert res.momentum.index.get_loc(first_momentum) == w + 2 * n + k - 3  # w + 2n + k - 2 rows
    assert abs(res.ratio.stack().mean() - 100) < 0.5
    assert abs(res.momentum.stack().mean() - 100) < 0.5


def test_tail_and_table_are_consistent() -> None:
    prices, bench = _walks()
    res = rrg(prices, bench, ratio_window=20, norm_window=100, tail=6, tail_step=5)
    assert list(res.tail.columns) == ["segment", "date", "rs_ratio", "rs_momentum"]
    assert list(res.table.columns) == [
        "segment",
        "rs_ratio",
        "rs_momentum",
        "quadrant",
        "direction",
    ]
    assert res.as_of == prices.index[-1]
    for seg, tail in res.tail.groupby("segment", sort=False):
        assert len(tail) == 6
        assert tail["date"].is_monotonic_increasing
        assert tail["date"].iloc[-1] == prices.index[-1]
        pos = [prices.index.get_loc(d) for d in tail["date"]]
        assert np.all(np.diff(pos) == 5)
        row = res.table.set_index("segment").loc[seg]
        assert row["rs_ratio"] == tail["rs_ratio"].iloc[-1]
        assert row["quadrant"] == quadrant(row["rs_ratio"], row["rs_momentum"])
        d_ratio = tail["rs_ratio"].iloc[-1] - tail["rs_ratio"].iloc[-2]
        d_mom = tail["rs_momentum"].iloc[-1] - tail["rs_momentum"].iloc[-2]
        assert row["direction"] == heading(d_ratio, d_mom)
    assert "63" not in res.formula and "20 rows" in res.formula and "100 rows" in res.formula


def test_short_history_gives_na_rows_not_errors() -> None:
    prices, bench = _walks(n=120)
    res = rrg(prices, bench)
    assert res.tail.empty
    assert set(res.table["quadrant"]) == {"n/a"}
    assert set(res.table["direction"]) == {"n/a"}


def test_segments_missing_on_benchmark_dates_are_nan_and_benchmark_dates_rule() -> None:
    prices, bench = _walks(n=600)
    gappy = prices.drop(prices.index[300])
    res = rrg(gappy, bench, ratio_window=20, norm_window=50)
    assert res.ratio.index.equals(bench.index)
    assert np.isnan(res.ratio["s0"].iloc[300])


@pytest.mark.parametrize(
    ("ratio", "momentum", "expected"),
    [
        (101.0, 101.0, "leading"),
        (100.0, 100.0, "leading"),
        (100.0, 99.99, "weakening"),
        (102.0, 97.0, "weakening"),
        (99.0, 99.0, "lagging"),
        (99.99, 100.0, "improving"),
        (98.0, 103.0, "improving"),
        (math.nan, 100.0, "n/a"),
        (100.0, math.nan, "n/a"),
    ],
)
def test_quadrant_rules(ratio: float, momentum: float, expected: str) -> None:
    assert quadrant(ratio, momentum) == expected
    assert expected in (*QUADRANTS, "n/a")


@pytest.mark.parametrize(
    ("dx", "dy", "expected"),
    [
        (1.0, 0.0, "east"),
        (1.0, 1.0, "north-east"),
        (0.0, 1.0, "north"),
        (-1.0, 1.0, "north-west"),
        (-1.0, 0.0, "west"),
        (-1.0, -1.0, "south-west"),
        (0.0, -1.0, "south"),
        (1.0, -1.0, "south-east"),
        (1.0, 0.3, "east"),  # 16.7 degrees
        (1.0, 0.5, "north-east"),  # 26.6 degrees
        (0.0, 0.0, "n/a"),
        (math.nan, 1.0, "n/a"),
    ],
)
def test_heading(dx: float, dy: float, expected: str) -> None:
    assert heading(dx, dy) == expected
    assert expected in (*DIRECTIONS, "n/a")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ratio_window": 0}, "ratio_window must be a positive integer"),
        ({"momentum_window": 2.5}, "momentum_window must be a positive integer"),
        ({"norm_window": 1}, "norm_window must be at least 2"),
        ({"tail": True}, "tail must be a positive integer"),
    ],
)
def test_bad_parameters_are_named(kwargs: dict, match: str) -> None:
    prices, bench = _walks(n=50)
    with pytest.raises(InputError, match=match):
        rrg(prices, bench, **kwargs)


def test_bad_inputs_are_named() -> None:
    prices, bench = _walks(n=50)
    bad = prices.copy()
    bad.iloc[10, 1] = -1.0
    with pytest.raises(InputError, match=r"prices: non-positive price -1.0 for s1 on 2015-01-15"):
        rrg(bad, bench)
    with pytest.raises(InputError, match="duplicated date"):
        rrg(pd.concat([prices, prices.iloc[[5]]]).sort_index(), bench)
    with pytest.raises(InputError, match="not sorted"):
        rrg(prices, bench.iloc[::-1])
    with pytest.raises(InputError, match="DatetimeIndex"):
        rrg(prices.reset_index(drop=True), bench)
    with pytest.raises(InputError, match="benchmark must be a pandas Series"):
        rrg(prices, [1, 2, 3])  # type: ignore[arg-type]
