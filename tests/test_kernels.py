"""Kernels against naive references (hypothesis), pandas, and their own plain-Python originals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rotascope.errors import InputError, RotascopeWarning
from rotascope.kernels import (
    _jit,
    expanding_percentile_1d,
    record_horizon_1d,
    record_horizon_2d,
    record_rank_1d,
    record_rank_2d,
    rolling_mean_std_1d,
    rolling_percentile_1d,
    rolling_zscore_1d,
    windowed_returns_1d,
    windowed_returns_2d,
    year_extreme_1d,
)
from rotascope.kernels._sort import (
    dense_ids,
    dense_ids_into,
    dense_ids_into_py,
    dense_ids_py,
    radix_argsort,
    radix_argsort_py,
)
from rotascope.kernels.records import (
    _record_horizon_4,
    _record_horizon_4_py,
    _record_horizon_rows,
    _record_horizon_rows_py,
    _record_rank_rows,
    _record_rank_rows_py,
    record_horizon_1d_py,
    record_rank_1d_py,
    year_extreme_1d_py,
)
from rotascope.kernels.reference import (
    naive_percentile,
    naive_record_horizon,
    naive_record_rank,
    naive_rolling_mean_std,
    naive_windowed_returns,
    naive_year_extreme,
)
from rotascope.kernels.rolling import percentile_1d_py, rolling_mean_std_1d_py

# Values drawn from a small set so that ties are frequent; NaN among them.
TIED = st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, np.nan])
GENERIC = st.one_of(
    # no magnitudes below 1e-100: their squares underflow to subnormals in any implementation
    st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-100),
    st.just(np.nan),
    st.sampled_from([0.0, -0.0, 1.0, 1.1]),
)


def arrays(elements: st.SearchStrategy[float], max_size: int = 60) -> st.SearchStrategy:
    return hnp.arrays(np.float64, st.integers(0, max_size), elements=elements)


TIED_ARRAYS = arrays(TIED)
ANY_ARRAYS = st.one_of(arrays(TIED), arrays(GENERIC))


# ---------------------------------------------------------------------------------------------
# record horizon and rank


@settings(deadline=None)
@given(x=ANY_ARRAYS, largest=st.booleans())
def test_record_horizon_equals_naive(x: np.ndarray, largest: bool) -> None:
    np.testing.assert_array_equal(record_horizon_1d(x, largest), naive_record_horizon(x, largest))


@settings(deadline=None)
@given(x=ANY_ARRAYS, largest=st.booleans())
def test_record_rank_equals_naive(x: np.ndarray, largest: bool) -> None:
    rank, of = record_rank_1d(x, largest)
    nrank, nof = naive_record_rank(x, largest)
    np.testing.assert_array_equal(rank, nrank)
    np.testing.assert_array_equal(of, nof)


@settings(deadline=None)
@given(x=TIED_ARRAYS)
def test_drop_kernels_are_gain_kernels_of_the_negated_series(x: np.ndarray) -> None:
    np.testing.assert_array_equal(record_horizon_1d(x, False), record_horizon_1d(-x, True))
    np.testing.assert_array_equal(record_rank_1d(x, False)[0], record_rank_1d(-x, True)[0])


@settings(deadline=None)
@given(x=TIED_ARRAYS, cuts=st.lists(st.integers(0, 60), max_size=4), largest=st.booleans())
def test_year_extreme_equals_naive(x: np.ndarray, cuts: list[int], largest: bool) -> None:
    year = np.zeros(len(x), dtype=np.int64)
    for c in cuts:
        year[c:] += 1
    ext, is_ext = year_extreme_1d(x, year, largest)
    next_, nis = naive_year_extreme(x, year, largest)
    np.testing.assert_array_equal(ext, next_)
    np.testing.assert_array_equal(is_ext, nis)


def test_record_examples_documented() -> None:
    x = np.array([3.0, 1.0, 2.0, np.nan, 2.0, 5.0, 1.0])
    # gains: 2.0 at row 4 ties row 2 -> since row 2; NaN rows get -1 and are never an answer
    assert record_horizon_1d(x, True).tolist() == [-1, 0, 0, -1, 2, -1, 5]
    assert record_horizon_1d(x, False).tolist() == [-1, -1, 1, -1, 2, 4, 1]
    rank, of = record_rank_1d(x, True)
    assert rank.tolist() == [1, 2, 2, 0, 2, 1, 5]  # competition rank: ties share the better rank
    assert of.tolist() == [1, 2, 3, 0, 4, 5, 6]


def test_record_horizon_is_linear_on_a_long_monotone_series() -> None:
    x = np.arange(200_000, dtype=np.float64)  # every row pops the whole stack once in total
    h = record_horizon_1d(x, True)
    assert (h == -1).all()
    h = record_horizon_1d(x[::-1].copy(), True)
    assert (h[1:] == np.arange(199_999)).all()


# ---------------------------------------------------------------------------------------------
# rolling statistics


@settings(max_examples=150, deadline=None)
@given(
    x=ANY_ARRAYS,
    window=st.integers(1, 12),
    min_periods=st.integers(1, 12),
    include=st.booleans(),
)
def test_rolling_mean_std_equals_naive(
    x: np.ndarray, window: int, min_periods: int, include: bool
) -> None:
    min_periods = min(min_periods, window)
    mean, std, count = rolling_mean_std_1d(x, window, min_periods, include)
    nmean, nstd, ncount = naive_rolling_mean_std(x, window, min_periods, include)
    np.testing.assert_array_equal(count, ncount)
    np.testing.assert_allclose(mean, nmean, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(std, nstd, rtol=1e-7, atol=1e-9)


# Well-conditioned data for comparisons with pandas (multiples of 1/8: sums are exact).
# pandas' add/remove updates lose digits when a large value leaves a window of small ones
# ([1, 1e-6, 0, 0], W=3: pandas z = -0.577235, exact -0.577350); the kernel recomputes then,
# so on such data it is held to the exact naive reference instead.
EIGHTHS = arrays(st.one_of(st.integers(-800, 800).map(lambda i: i / 8.0), st.just(np.nan)))


@settings(max_examples=150, deadline=None)
@given(x=EIGHTHS, window=st.integers(1, 12), min_periods=st.integers(1, 12))
def test_rolling_zscore_equals_pandas(x: np.ndarray, window: int, min_periods: int) -> None:
    min_periods = min(min_periods, window)
    s = pd.Series(x)
    for include in (True, False):
        roll = s.rolling(window, min_periods=min_periods)
        mean, std = roll.mean(), roll.std()
        if not include:  # excluding today = pandas shifted by one row
            mean, std = mean.shift(1), std.shift(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = (x - mean.to_numpy()) / std.to_numpy()
        expected[~(std.to_numpy() > 0)] = np.nan  # z is NaN when the window is constant
        np.testing.assert_allclose(
            rolling_zscore_1d(x, window, min_periods, include_current=include), expected,
            rtol=1e-9, atol=1e-9,
        )


@settings(max_examples=150, deadline=None)
@given(x=ANY_ARRAYS, window=st.integers(1, 12), min_periods=st.integers(1, 12),
       include=st.booleans())
def test_rolling_zscore_equals_naive(
    x: np.ndarray, window: int, min_periods: int, include: bool
) -> None:
    min_periods = min(min_periods, window)
    mean, std, _ = naive_rolling_mean_std(x, window, min_periods, include)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (x - mean) / std
    expected[~(std > 0)] = np.nan
    np.testing.assert_allclose(rolling_zscore_1d(x, window, min_periods, include), expected,
                               rtol=1e-7, atol=1e-7)


def test_constant_window_has_exactly_zero_std() -> None:
    x = np.array([1.1, 1.1, 1.1, 2.0, 1.1, 1.1, 1.1, np.nan, 1.1])
    mean, std, _ = rolling_mean_std_1d(x, 3, 2)
    assert std[2] == 0.0 and mean[2] == 1.1  # no round-off residue
    assert std[6] == 0.0 and std[8] == 0.0  # NaN inside the window does not break it
    assert np.isnan(rolling_zscore_1d(x, 3, 2)[2])


@settings(max_examples=150, deadline=None)
@given(x=ANY_ARRAYS, window=st.integers(1, 12), min_periods=st.integers(1, 6))
def test_rolling_percentile_equals_naive_and_pandas(
    x: np.ndarray, window: int, min_periods: int
) -> None:
    min_periods = min(min_periods, window)
    pct, count = rolling_percentile_1d(x, window, min_periods)
    npct, ncount = naive_percentile(x, window, min_periods)
    np.testing.assert_array_equal(count, ncount)
    np.testing.assert_allclose(pct, npct, rtol=0, atol=1e-15)
    s = pd.Series(x)
    roll = s.rolling(window, min_periods=min_periods)
    expected = (roll.rank(method="average") - 0.5) / roll.count()
    np.testing.assert_allclose(pct, expected.to_numpy(), rtol=0, atol=1e-12)


@settings(deadline=None)
@given(x=ANY_ARRAYS)
def test_expanding_percentile_equals_pandas(x: np.ndarray) -> None:
    pct, count = expanding_percentile_1d(x)
    s = pd.Series(x)
    expected = (s.expanding().rank(method="average") - 0.5) / s.expanding().count()
    np.testing.assert_allclose(pct, expected.to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(count, s.notna().cumsum().to_numpy())


def test_percentile_formula_by_hand() -> None:
    pct, _ = expanding_percentile_1d([1.0, 2.0, 2.0, 0.5])
    # row 2: below {1}, equal {2, 2 (today)} of 3 -> (1 + 0.5 * 2) / 3
    assert pct.tolist() == [0.5, 0.75, 2.0 / 3.0, 0.125]


def test_no_look_ahead_in_rolling_kernels() -> None:
    rng = np.random.default_rng(7)
    x = rng.standard_normal(400)
    x[rng.random(400) < 0.05] = np.nan
    for cut in (50, 123, 399):
        head = x[:cut]
        np.testing.assert_array_equal(rolling_zscore_1d(x, 60, 10)[:cut],
                                      rolling_zscore_1d(head, 60, 10))
        np.testing.assert_array_equal(expanding_percentile_1d(x)[0][:cut],
                                      expanding_percentile_1d(head)[0])
        np.testing.assert_array_equal(record_rank_1d(x)[0][:cut], record_rank_1d(head)[0])


# ---------------------------------------------------------------------------------------------
# windowed returns, 2-D kernels, layouts


@given(p=hnp.arrays(np.float64, st.integers(0, 40),
                    elements=st.one_of(st.floats(0.5, 200.0), st.just(np.nan))),
       n=st.integers(1, 10))
def test_windowed_returns_equal_naive_and_pandas(p: np.ndarray, n: int) -> None:
    r = windowed_returns_1d(p, n)
    np.testing.assert_array_equal(r, naive_windowed_returns(p, n))
    np.testing.assert_allclose(r, (pd.Series(p) / pd.Series(p).shift(n) - 1).to_numpy())


def test_two_d_kernels_equal_the_columns_in_any_layout() -> None:
    rng = np.random.default_rng(3)
    prices = np.exp(np.cumsum(rng.standard_normal((300, 7)) * 0.01, axis=0))
    prices[:20, 2] = np.nan  # a late starter
    for layout in (np.ascontiguousarray, np.asfortranarray):
        p = layout(prices)
        r = windowed_returns_2d(p, 5)
        h = record_horizon_2d(r, largest=False)
        rank, of = record_rank_2d(r)
        assert h.shape == rank.shape == of.shape == p.shape
        for j in range(p.shape[1]):
            np.testing.assert_array_equal(r[:, j], windowed_returns_1d(p[:, j], 5))
            np.testing.assert_array_equal(h[:, j], record_horizon_1d(r[:, j], False))
            np.testing.assert_array_equal(rank[:, j], record_rank_1d(r[:, j])[0])
            np.testing.assert_array_equal(of[:, j], record_rank_1d(r[:, j])[1])
        assert np.isnan(r[:25, 2]).all() and not np.isnan(r[25:, 2]).any()


@settings(deadline=None, max_examples=60)
@given(
    x=hnp.arrays(np.float64, st.tuples(st.integers(0, 40), st.integers(1, 9)), elements=TIED),
    largest=st.booleans(),
)
def test_two_d_horizon_equals_naive_per_column(x: np.ndarray, largest: bool) -> None:
    # groups of four columns take the lockstep kernel, the rest the one-column kernel
    h = record_horizon_2d(np.asfortranarray(x), largest)
    for j in range(x.shape[1]):
        np.testing.assert_array_equal(h[:, j], naive_record_horizon(x[:, j], largest))


def test_lockstep_kernel_numba_equals_plain_python() -> None:
    rng = np.random.default_rng(4)
    cols = rng.choice([-1.0, 0.0, 1.0, 2.0, np.nan], size=(4, 200))
    outs = []
    for kernel in (_record_horizon_4, _record_horizon_4_py):
        out = np.empty((4, 200), dtype=np.int64)
        kernel(cols[0], cols[1], cols[2], cols[3], -1.0, out, np.empty((4, 203)),
               np.empty((4, 203), dtype=np.int64))
        outs.append(out)
    np.testing.assert_array_equal(outs[0], outs[1])
    for j in range(4):
        np.testing.assert_array_equal(outs[0][j], naive_record_horizon(cols[j], False))


def test_two_d_loops_numba_equal_plain_python() -> None:
    rng = np.random.default_rng(12)
    xt = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(6, 50))  # (series x dates)
    fast = np.empty((6, 50), dtype=np.int64)
    slow = np.empty((6, 50), dtype=np.int64)
    _record_horizon_rows(xt, False, fast)
    _record_horizon_rows_py(xt, False, slow)
    np.testing.assert_array_equal(fast, slow)
    pair_fast = (np.empty((6, 50), dtype=np.int64), np.empty((6, 50), dtype=np.int64))
    pair_slow = (np.empty((6, 50), dtype=np.int64), np.empty((6, 50), dtype=np.int64))
    _record_rank_rows(xt, True, *pair_fast)
    _record_rank_rows_py(xt, True, *pair_slow)
    np.testing.assert_array_equal(pair_fast[0], pair_slow[0])
    np.testing.assert_array_equal(pair_fast[1], pair_slow[1])


def test_out_arrays_are_reused() -> None:
    rng = np.random.default_rng(8)
    p = np.asfortranarray(np.exp(np.cumsum(rng.standard_normal((100, 6)) * 0.01, axis=0)))
    r_out = np.empty((100, 6), order="F")
    h_out = np.empty((100, 6), dtype=np.int64, order="F")
    k_out = (np.empty((100, 6), dtype=np.int64, order="F"),
             np.empty((100, 6), dtype=np.int64, order="F"))
    r = windowed_returns_2d(p, 3, out=r_out)
    assert r is r_out
    h = record_horizon_2d(r, out=h_out)
    assert np.shares_memory(h, h_out)
    np.testing.assert_array_equal(h_out, record_horizon_2d(r))
    rank, of = record_rank_2d(r, out=k_out)
    assert np.shares_memory(rank, k_out[0]) and np.shares_memory(of, k_out[1])
    np.testing.assert_array_equal(k_out[0], record_rank_2d(r)[0])
    with pytest.raises(InputError, match="out must be a Fortran-ordered int64 array"):
        record_horizon_2d(r, out=np.empty((100, 6), dtype=np.int64))  # C order
    with pytest.raises(InputError, match="out must be a float64 array of shape"):
        windowed_returns_2d(p, 3, out=np.empty((5, 5)))


def test_kernels_validate_arguments() -> None:
    with pytest.raises(InputError, match="n must be a whole number of rows"):
        windowed_returns_1d([1.0, 2.0], 0)
    with pytest.raises(InputError, match="must be 2-D"):
        record_horizon_2d(np.ones(3))
    with pytest.raises(InputError, match="window must be a whole number"):
        rolling_zscore_1d(np.ones(3), 0)
    with pytest.raises(InputError, match="min_periods .* must not exceed window"):
        rolling_percentile_1d(np.ones(3), 2, 3)
    with pytest.raises(InputError, match="year must have one id per row"):
        year_extreme_1d(np.ones(3), np.ones(2))


# ---------------------------------------------------------------------------------------------
# numba versus the plain-Python originals, and the fallback shim


@settings(max_examples=40, deadline=None)
@given(x=ANY_ARRAYS, largest=st.booleans())
def test_numba_and_plain_python_agree(x: np.ndarray, largest: bool) -> None:
    np.testing.assert_array_equal(record_horizon_1d(x, largest), record_horizon_1d_py(x, largest))
    for a, b in zip(record_rank_1d(x, largest), record_rank_1d_py(x, largest), strict=True):
        np.testing.assert_array_equal(a, b)
    year = (np.arange(len(x)) // 7).astype(np.int64)
    for a, b in zip(year_extreme_1d(x, year, largest), year_extreme_1d_py(x, year, largest),
                    strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(rolling_mean_std_1d(x, 5, 2, largest),
                    rolling_mean_std_1d_py(x, 5, 2, largest), strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(rolling_percentile_1d(x, 5, 1), percentile_1d_py(x, 5, 1), strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(dense_ids(x, largest), dense_ids_py(x, largest), strict=True):
        np.testing.assert_array_equal(a, b)


#: Values that share their top 33 bits (1 + k * 2**-40: the second stage of dense_ids_into)
#: among ties, zeros of both signs, infinities and NaN.
NEAR_ONE = st.one_of(st.integers(0, 40).map(lambda k: 1.0 + k * 2.0**-40),
                     st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -1.0]),
                     st.floats(allow_nan=True, width=64))


@settings(max_examples=150, deadline=None)
@given(x=hnp.arrays(np.float64, st.integers(0, 120), elements=NEAR_ONE))
def test_dense_ids_into_equals_dense_ids(x: np.ndarray) -> None:
    n = max(len(x), 1)
    want, m = dense_ids_py(x, False)
    for func in (dense_ids_into, dense_ids_into_py):
        keys, tmp_keys = np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.uint64)
        rows, tmp_rows = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
        ids = np.full(n, -7, dtype=np.int32)
        got = func(x, keys, rows, tmp_keys, tmp_rows, np.empty((4, 2048), dtype=np.int32), ids)
        assert got == m
        np.testing.assert_array_equal(ids[: len(x)], want)


@settings(deadline=None)
@given(v=hnp.arrays(np.float64, st.integers(0, 300),
                    elements=st.floats(allow_nan=False, width=64)))
def test_radix_argsort_is_a_stable_sort(v: np.ndarray) -> None:
    order = radix_argsort(v)
    np.testing.assert_array_equal(order, radix_argsort_py(v))
    np.testing.assert_array_equal(v[order], np.sort(v))
    # stable on the bit patterns (-0.0 just before +0.0): same as lexsort on the mapped keys
    bits = v.view(np.uint64)
    keys = np.where(bits >> np.uint64(63), ~bits, bits | (np.uint64(1) << np.uint64(63)))
    np.testing.assert_array_equal(order, np.lexsort((np.arange(len(v)), keys)))


def test_fallback_runs_plain_python_with_a_warning() -> None:
    plain_jit = _jit.make_jit(False)
    slow = plain_jit(record_horizon_1d_py)
    x = np.array([1.0, 3.0, 2.0])
    with pytest.warns(RotascopeWarning, match="numba is not installed"):
        out = slow(x, True)
    assert out.tolist() == [-1, -1, 1]
    assert slow.py_func is record_horizon_1d_py


def test_numba_compiles_when_installed() -> None:
    if not _jit.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record_horizon_1d(np.array([1.0, 2.0]))
    assert hasattr(_jit.jit(record_horizon_1d_py), "signatures")
