"""2-D rolling kernels and the one-pass z-score: against the 1-D kernels (bit for bit), the
naive references (hypothesis; for z also on prices around 1e5, near-constant and constant
windows), their plain-Python originals, and in every layout and dtype."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rotascope.errors import InputError
from rotascope.kernels import (
    expanding_percentile_1d,
    rolling_mean_std_1d,
    rolling_percentile_1d,
    rolling_percentile_2d,
    rolling_zscore_1d,
    rolling_zscore_2d,
)
from rotascope.kernels import rolling as rolling_mod
from rotascope.kernels.reference import naive_percentile, naive_rolling_mean_std
from rotascope.kernels.rolling import (
    _MIN_SPAN_ROWS,
    _percentile_cols,
    _percentile_cols_py,
    _percentile_into,
    _rolling_zscore,
    _rolling_zscore_cols,
    _rolling_zscore_cols_py,
    _time_parts,
    rolling_zscore_1d_py,
)

TIED = st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, np.nan])
GENERIC = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-100),
    st.just(np.nan),
    st.sampled_from([0.0, -0.0, 1.0, 1.1]),
)
ELEMENTS = st.one_of(TIED, GENERIC)
ARRAYS_1D = hnp.arrays(np.float64, st.integers(0, 60), elements=ELEMENTS)
ARRAYS_2D = hnp.arrays(np.float64, st.tuples(st.integers(0, 40), st.integers(1, 6)),
                       elements=ELEMENTS)
LAYOUTS = (np.ascontiguousarray, np.asfortranarray, lambda a: a[::-1][::-1])


def z_from_mean_std(x: np.ndarray, window: int, min_periods: int, include: bool) -> np.ndarray:
    """The z-score as it was computed before the one-pass kernel: mean and std, then numpy."""
    mean, std, _ = rolling_mean_std_1d(x, window, min_periods, include)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - mean) / std
    z[~(std > 0.0)] = np.nan
    return z


def naive_z(x: np.ndarray, window: int, min_periods: int, include: bool) -> np.ndarray:
    """z from the two-pass naive mean and std (NaN where std is not > 0)."""
    mean, std, _ = naive_rolling_mean_std(x, window, min_periods, include)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - mean) / std
    z[~(std > 0)] = np.nan
    return z


@settings(max_examples=200, deadline=None)
@given(x=ARRAYS_1D, window=st.integers(1, 12), min_periods=st.integers(1, 12),
       include=st.booleans())
def test_one_pass_zscore_equals_mean_std_kernel(
    x: np.ndarray, window: int, min_periods: int, include: bool
) -> None:
    """Same NaN rows as z from the mean/std kernel, and the same values to rounding (the z
    kernel's replacement update rounds differently from the add-then-remove updates)."""
    min_periods = min(min_periods, window)
    np.testing.assert_allclose(rolling_zscore_1d(x, window, min_periods, include),
                               z_from_mean_std(x, window, min_periods, include),
                               rtol=1e-7, atol=1e-7)


def _prices(draw: st.DrawFn, level: float, size: int) -> np.ndarray:
    steps = draw(hnp.arrays(np.float64, size, elements=st.floats(-0.02, 0.02)))
    x = level * np.exp(np.cumsum(steps))
    holes = draw(hnp.arrays(np.bool_, size, elements=st.sampled_from([False] * 9 + [True])))
    x[holes] = np.nan
    return x


@st.composite
def offset_series(draw: st.DrawFn) -> np.ndarray:
    """Random walks around 1e5 (or 1e3), with NaN holes, flat stretches (constant windows) and
    stretches of tiny moves after a jump (near-constant windows: cancellation)."""
    size = draw(st.integers(2, 300))
    x = _prices(draw, draw(st.sampled_from([1e3, 1e5])), size)
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, size - 1))
        b = draw(st.integers(a, size))
        kind = draw(st.sampled_from(["flat", "tiny", "jump"]))
        if kind == "flat":
            x[a:b] = x[a]
        elif kind == "tiny":
            x[a:b] = x[a] + 1e-6 * np.arange(b - a) % 3
        else:
            x[a] = x[a] * 50.0
    return x


def conditioning(x: np.ndarray, window: int, include: bool) -> np.ndarray:
    """max |x| over the last 3W rows / std of the window: how many digits the data lets a
    running z keep (an input known to one rounding, eps * max|x|, moves z by about
    eps * max|x| / std; the kernel's state is recomputed exactly every 2W rows, so rows up to
    3W back can have left rounding in it). 0 where the window has fewer than 2 values or
    equal values: z must be NaN there, whatever the rounding."""
    cond = np.zeros(len(x))
    for t in range(len(x)):
        hi = t + 1 if include else t
        vals = x[max(0, hi - window) : hi]
        vals = vals[~np.isnan(vals)]
        back = x[max(0, hi - 3 * window) : hi]
        if len(vals) >= 2 and vals.std(ddof=1) > 0:
            cond[t] = np.nanmax(np.abs(back)) / vals.std(ddof=1)
    return cond


@settings(max_examples=150, deadline=None)
@given(x=offset_series(), window=st.sampled_from([2, 3, 5, 21, 63, 252]),
       min_periods=st.integers(1, 30), include=st.booleans(), f32=st.booleans())
def test_one_pass_zscore_on_large_offsets_equals_naive(
    x: np.ndarray, window: int, min_periods: int, include: bool, f32: bool
) -> None:
    """Prices around 1e5 with flat and near-flat stretches: NaN on the same rows as the
    two-pass z, and the same value within ``(1e-9 + 1000 eps * max|x| / std) * (1 + |z|)``:
    1e-9 relative on well-conditioned windows (prices moving 1% a day: max|x| / std ~ 100),
    and no worse than 1000 times what the data's own rounding allows on near-constant windows
    (1e5 + 1e-6 steps), where the two-pass reference is itself off in the fifth digit. Windows
    whose values differ only in their last bits (that bound >= 1: z is rounding noise) may be
    NaN on one side only. Also on float32 input (against the naive z of the float32 values)."""
    min_periods = min(min_periods, window)
    values = x.astype(np.float32).astype(np.float64) if f32 else x
    got = rolling_zscore_2d(values.astype(np.float32)[:, None] if f32 else values[:, None],
                            window, min_periods, include)[:, 0]
    expected = naive_z(values, window, min_periods, include)
    bound = 1e-9 + 1000 * np.finfo(np.float64).eps * conditioning(values, window, include)
    meaningful = bound < 1.0
    np.testing.assert_array_equal(np.isnan(got)[meaningful], np.isnan(expected)[meaningful])
    ok = meaningful & ~np.isnan(expected)
    assert (np.abs(got[ok] - expected[ok]) <= bound[ok] * (1 + np.abs(expected[ok]))).all()


def test_one_pass_zscore_long_series_does_not_drift() -> None:
    """25,000 rows of prices around 1e5 (W = 1,260): the running state, never recomputed on
    such data, stays within 1e-9 of the two-pass z at the end."""
    rng = np.random.default_rng(5)
    x = 1e5 * np.exp(np.cumsum(rng.standard_normal(25_000) * 0.01))
    z = rolling_zscore_1d(x, 1260)
    tail = x[-1260:]
    assert z[-1] == pytest.approx((tail[-1] - tail.mean()) / tail.std(ddof=1), rel=1e-9)
    mid = slice(10_000 - 1260, 10_000)
    assert z[9_999] == pytest.approx((x[9_999] - x[mid].mean()) / x[mid].std(ddof=1), rel=1e-9)


def test_one_pass_zscore_constant_windows() -> None:
    """Constant windows (also at 1e5, and with NaN inside) give NaN, never a huge z; the next
    differing value gives the exact z of its window."""
    x = np.array([1e5 + 0.1] * 6 + [np.nan] + [1e5 + 0.1] * 3 + [1e5 + 0.3, 5.0] + [7.0] * 5)
    z = rolling_zscore_1d(x, 4, 2)
    assert np.isnan(z[:10]).all()
    # (0.3 - 0.15) / std([.1, .1, .1, .3]) = 1.5, to the digits 1e5 + 0.1 keeps (max / std 1e6)
    assert z[10] == pytest.approx(1.5, rel=1e-9)
    assert np.isnan(z[15:]).all()  # four 7.0: constant again
    np.testing.assert_array_equal(np.isnan(z), np.isnan(naive_z(x, 4, 2, True)))


@settings(max_examples=100, deadline=None)
@given(x=ARRAYS_1D, window=st.integers(1, 12), min_periods=st.integers(1, 12),
       include=st.booleans())
def test_one_pass_zscore_equals_naive(
    x: np.ndarray, window: int, min_periods: int, include: bool
) -> None:
    min_periods = min(min_periods, window)
    mean, std, _ = naive_rolling_mean_std(x, window, min_periods, include)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (x - mean) / std
    expected[~(std > 0)] = np.nan
    np.testing.assert_allclose(rolling_zscore_1d(x, window, min_periods, include), expected,
                               rtol=1e-7, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(x=ARRAYS_1D, include=st.booleans())
def test_one_pass_zscore_numba_equals_plain_python(x: np.ndarray, include: bool) -> None:
    fast, slow = np.empty(len(x)), np.empty(len(x))
    _rolling_zscore(x, 5, 2, include, fast, np.empty(len(x)))
    with np.errstate(divide="ignore", invalid="ignore"):
        rolling_zscore_1d_py(x, 5, 2, include, slow, np.empty(len(x)))
    np.testing.assert_array_equal(fast, slow)


@settings(max_examples=80, deadline=None)
@given(x=ARRAYS_2D, window=st.integers(1, 10), min_periods=st.integers(1, 10),
       include=st.booleans(), layout=st.sampled_from(LAYOUTS))
def test_zscore_2d_equals_1d_per_column(
    x: np.ndarray, window: int, min_periods: int, include: bool, layout: object
) -> None:
    min_periods = min(min_periods, window)
    a = layout(x)  # type: ignore[operator]
    z = rolling_zscore_2d(a, window, min_periods, include)
    assert z.shape == x.shape and z.dtype == np.float64 and z.flags.f_contiguous
    for j in range(x.shape[1]):
        np.testing.assert_array_equal(z[:, j], rolling_zscore_1d(x[:, j], window, min_periods,
                                                                  include))


@settings(max_examples=60, deadline=None)
@given(x=ARRAYS_2D, window=st.integers(1, 10), include=st.booleans())
def test_zscore_2d_float32_equals_1d_on_the_float64_values(
    x: np.ndarray, window: int, include: bool
) -> None:
    x32 = x.astype(np.float32)
    z = rolling_zscore_2d(np.asfortranarray(x32), window, 1, include)
    for j in range(x.shape[1]):
        np.testing.assert_array_equal(
            z[:, j], rolling_zscore_1d(x32[:, j].astype(np.float64), window, 1, include))


@settings(max_examples=80, deadline=None)
@given(x=ARRAYS_2D, window=st.one_of(st.none(), st.integers(1, 10)),
       min_periods=st.integers(1, 6), layout=st.sampled_from(LAYOUTS),
       f32=st.booleans())
def test_percentile_2d_equals_1d_and_naive(
    x: np.ndarray, window: int | None, min_periods: int, layout: object, f32: bool
) -> None:
    if window is not None:
        min_periods = min(min_periods, window)
    values = x.astype(np.float32).astype(np.float64) if f32 else x
    a = layout(x.astype(np.float32) if f32 else x)  # type: ignore[operator]
    pct, count = rolling_percentile_2d(a, window, min_periods)
    assert pct.dtype == np.float64 and count.dtype == np.int32
    assert pct.flags.f_contiguous and count.flags.f_contiguous
    for j in range(x.shape[1]):
        col = values[:, j]
        if window is None:
            p1, c1 = expanding_percentile_1d(col, min_periods)
            npct, ncount = naive_percentile(col, max(len(col), 1), min_periods)
        else:
            p1, c1 = rolling_percentile_1d(col, window, min_periods)
            npct, ncount = naive_percentile(col, window, min_periods)
        np.testing.assert_array_equal(pct[:, j], p1)
        np.testing.assert_array_equal(count[:, j], c1)
        np.testing.assert_array_equal(count[:, j], ncount)
        np.testing.assert_allclose(pct[:, j], npct, rtol=0, atol=1e-15)


def test_two_d_loops_numba_equal_plain_python() -> None:
    rng = np.random.default_rng(21)
    x = np.asfortranarray(rng.choice([-1.0, 0.0, 1.0, 2.5, np.nan], size=(80, 5)))
    fast, slow = np.empty((80, 5), order="F"), np.empty((80, 5), order="F")
    _rolling_zscore_cols(x, 7, 3, True, fast)
    with np.errstate(divide="ignore", invalid="ignore"):
        _rolling_zscore_cols_py(x, 7, 3, True, slow)
    np.testing.assert_array_equal(fast, slow)
    pf, cf = np.empty((80, 5), order="F"), np.empty((80, 5), dtype=np.int32, order="F")
    ps, cs = np.empty((80, 5), order="F"), np.empty((80, 5), dtype=np.int32, order="F")
    _percentile_cols(x, 9, 2, pf, cf)
    _percentile_cols_py(x, 9, 2, ps, cs)
    np.testing.assert_array_equal(pf, ps)
    np.testing.assert_array_equal(cf, cs)


@settings(max_examples=120, deadline=None)
@given(x=hnp.arrays(np.float64, st.tuples(st.integers(0, 70), st.integers(1, 3)),
                    elements=ELEMENTS),
       window=st.integers(1, 30), min_periods=st.integers(1, 6), parts=st.integers(2, 9),
       f32=st.booleans())
def test_percentile_spans_equal_the_serial_kernel(
    x: np.ndarray, window: int, min_periods: int, parts: int, f32: bool
) -> None:
    """Columns cut into spans of rows (each span loads the window before its first row)
    give the serial results bit for bit: NaN rows, ties, -0.0, short windows, min_periods,
    windows longer than a span, more spans than rows."""
    min_periods = min(min_periods, window)
    a = np.asfortranarray(x.astype(np.float32) if f32 else x)
    n, k = a.shape
    ps, cs = np.empty((n, k), order="F"), np.empty((n, k), dtype=np.int32, order="F")
    _percentile_cols(a, window, min_periods, ps, cs, 1)
    for func in (_percentile_cols, _percentile_cols_py):
        pp, cp = np.empty((n, k), order="F"), np.empty((n, k), dtype=np.int32, order="F")
        func(a, window, min_periods, pp, cp, parts)
        assert pp.tobytes() == ps.tobytes()
        np.testing.assert_array_equal(cp, cs)
    for j in range(k):
        npct, ncount = naive_percentile(a[:, j].astype(np.float64), window, min_periods)
        np.testing.assert_array_equal(cs[:, j], ncount)
        np.testing.assert_allclose(ps[:, j], npct, rtol=0, atol=1e-15)


def test_percentile_spans_on_long_columns_and_at_span_boundaries() -> None:
    """Seeded long columns (a random walk with NaN holes, a NaN stretch across a span
    boundary, rounded values full of ties): every cut into 2, 3 and 7 spans, for windows
    shorter and longer than a span and the expanding window, equals the serial kernel."""
    rng = np.random.default_rng(14)
    n = 9_001
    walk = 100 * np.exp(np.cumsum(rng.standard_normal(n) * 0.01))
    walk[rng.random(n) < 0.02] = np.nan
    walk[4_400:4_700] = np.nan  # across the boundary of 2 spans (4,501)
    tied = np.round(rng.standard_normal(n), 1)
    tied[rng.random(n) < 0.05] = np.nan
    tied[::700] = -0.0
    x = np.asfortranarray(np.stack([walk, tied], axis=1))
    for window, min_periods in ((1, 1), (2, 2), (1_260, 1), (1_260, 1_000), (5_040, 30),
                                (n, 1)):
        serial = [np.empty(n), np.empty(n, dtype=np.int32)]
        for parts in (2, 3, 7):
            p, c = np.empty((n, 2), order="F"), np.empty((n, 2), dtype=np.int32, order="F")
            _percentile_cols(x, window, min_periods, p, c, parts)
            for j in range(2):
                _percentile_into(x[:, j], window, min_periods, serial[0], serial[1])
                assert p[:, j].tobytes() == serial[0].tobytes(), (window, parts, j)
                np.testing.assert_array_equal(c[:, j], serial[1])
    # rows either side of each boundary of 3 spans, against the naive reference
    p, c = np.empty((n, 2), order="F"), np.empty((n, 2), dtype=np.int32, order="F")
    _percentile_cols(x, 50, 5, p, c, 3)
    for j in range(2):
        npct, ncount = naive_percentile(x[:, j], 50, 5)
        for edge in (3_001, 6_002):
            rows = slice(edge - 60, edge + 60)
            np.testing.assert_array_equal(c[rows, j], ncount[rows])
            np.testing.assert_allclose(p[rows, j], npct[rows], rtol=0, atol=1e-15)


def test_time_parts_cut_only_long_columns_when_threads_are_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rolling_mod, "_threads", lambda: 4)
    monkeypatch.setattr(rolling_mod.os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    long = 10 * _MIN_SPAN_ROWS
    assert _time_parts(long, 1) == 4  # one column: a span per thread
    assert _time_parts(long, 3) == 2  # ceil(4 / 3) spans per column
    assert _time_parts(long, 4) == 1  # as many columns as threads: columns in parallel
    assert _time_parts(2 * _MIN_SPAN_ROWS - 1, 1) == 1  # too short to cut
    assert _time_parts(3 * _MIN_SPAN_ROWS, 1) == 3  # spans of at least _MIN_SPAN_ROWS
    monkeypatch.setattr(rolling_mod.os, "getloadavg", lambda: (1.8, 1.8, 1.8))
    assert _time_parts(long, 1) == 2  # 4 - 1.8 threads idle
    monkeypatch.setattr(rolling_mod.os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    assert _time_parts(long, 1) == 1  # a busy machine: serially
    monkeypatch.setattr(rolling_mod, "_threads", lambda: 1)
    monkeypatch.setattr(rolling_mod.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert _time_parts(long, 1) == 1


def test_public_percentiles_cut_into_spans_equal_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """rolling_percentile_1d / _2d / expanding_percentile_1d with a long column cut into
    spans (an idle 4-thread machine) equal their serial results."""
    rng = np.random.default_rng(3)
    n = 3 * _MIN_SPAN_ROWS + 17
    x = np.round(np.cumsum(rng.standard_normal(n)), 2)
    x[rng.random(n) < 0.03] = np.nan
    monkeypatch.setattr(rolling_mod, "_threads", lambda: 1)
    serial_1d = rolling_percentile_1d(x, 1_260, 3)
    serial_2d = rolling_percentile_2d(x[:, None].astype(np.float32), 1_260)
    serial_exp = expanding_percentile_1d(x)
    monkeypatch.setattr(rolling_mod, "_threads", lambda: 4)
    monkeypatch.setattr(rolling_mod.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert _time_parts(n, 1) == 3
    for got, want in ((rolling_percentile_1d(x, 1_260, 3), serial_1d),
                      (rolling_percentile_2d(x[:, None].astype(np.float32), 1_260), serial_2d),
                      (expanding_percentile_1d(x), serial_exp)):
        assert got[0].tobytes() == want[0].tobytes()
        assert got[1].dtype == want[1].dtype
        np.testing.assert_array_equal(got[1], want[1])


def test_out_arrays_are_reused_and_checked() -> None:
    rng = np.random.default_rng(9)
    x = np.asfortranarray(rng.standard_normal((200, 4)))
    z_out = np.empty((200, 4), order="F")
    z = rolling_zscore_2d(x, 20, out=z_out)
    assert z is z_out
    np.testing.assert_array_equal(z_out, rolling_zscore_2d(x, 20))
    p_out = (np.empty((200, 4), order="F"), np.empty((200, 4), dtype=np.int32, order="F"))
    pct, count = rolling_percentile_2d(x, 30, out=p_out)
    assert pct is p_out[0] and count is p_out[1]
    np.testing.assert_array_equal(pct, rolling_percentile_2d(x, 30)[0])
    with pytest.raises(InputError, match="out must be a writeable Fortran-ordered float64"):
        rolling_zscore_2d(x, 20, out=np.empty((200, 4)))  # C order
    with pytest.raises(InputError, match=r"out\[1\] must be a writeable Fortran-ordered int32"):
        rolling_percentile_2d(x, 30, out=(p_out[0], np.empty((200, 4), dtype=np.int64,
                                                             order="F")))
    with pytest.raises(InputError, match="must be 2-D"):
        rolling_zscore_2d(np.ones(3), 2)
    with pytest.raises(InputError, match="window must be a whole number"):
        rolling_percentile_2d(x, 0)


def test_no_look_ahead_in_2d_kernels() -> None:
    rng = np.random.default_rng(17)
    x = rng.standard_normal((300, 3))
    x[rng.random(x.shape) < 0.05] = np.nan
    for cut in (40, 150, 299):
        np.testing.assert_array_equal(rolling_zscore_2d(x, 50, 10)[:cut],
                                      rolling_zscore_2d(x[:cut], 50, 10))
        np.testing.assert_array_equal(rolling_percentile_2d(x, 50)[0][:cut],
                                      rolling_percentile_2d(x[:cut], 50)[0])


def test_one_pass_zscore_after_a_jump_into_a_near_constant_window() -> None:
    """A jump then near-equal values: m2 falls from ~40 to ~1e-8 over a few rows, each step
    less than the 10^6 that triggers an exact recompute, so the running state had lost its
    digits (z 266.44 instead of 266.45; found by hypothesis). The collapse is now measured
    against m2's peak since the state was last exact."""
    x = np.r_[1000.0 + 0.01826 * np.arange(1, 42),
              [1008.59783324, 1008.6162485, 1008.6162485, 1008.61636873, 1008.63478433]]
    got = rolling_zscore_2d(x[:, None], 3, 1, False)[:, 0]
    expected = naive_z(x, 3, 1, False)
    ok = ~np.isnan(expected)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    assert np.abs(got[ok] - expected[ok]).max() <= 1e-9 * (1 + np.abs(expected[ok])).max()
