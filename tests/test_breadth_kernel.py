"""The breadth scan kernel against its naive reference (hypothesis) and its plain-Python original."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rotascope.errors import InputError
from rotascope.kernels import breadth as kb
from rotascope.kernels.breadth import breadth_scan_2d, count_layout
from rotascope.kernels.breadth_reference import breadth_counts_naive

SMALL = {"ma_windows": (2, 5), "ret_windows": (1, 3), "hl_window": 6, "record_rows": 9,
         "record_min": 4}
# prices from a small set: ties, zeros, negatives and NaN are frequent
PRICES = st.sampled_from([np.nan, 0.0, -1.0, 1.0, 1.5, 2.0, 2.5, 3.0, 10.0])


@settings(max_examples=120, deadline=None)
@given(hnp.arrays(np.float32, st.tuples(st.integers(1, 40), st.integers(1, 7)), elements=PRICES))
def test_counts_match_naive_reference(x: np.ndarray) -> None:
    got = breadth_scan_2d(np.asfortranarray(x), **SMALL)
    ref = breadth_counts_naive(x, **SMALL)
    np.testing.assert_array_equal(got.counts, ref)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)),
                  elements=st.floats(0.5, 50.0) | st.just(np.nan)))
def test_float64_input_and_per_series_outputs(x: np.ndarray) -> None:
    got = breadth_scan_2d(x, **SMALL)
    np.testing.assert_array_equal(got.counts, breadth_counts_naive(x, **SMALL))
    for j in range(x.shape[1]):
        rows = np.flatnonzero(np.isfinite(x[:, j]) & (x[:, j] > 0))
        assert got.last_rows[j] == len(rows)
        p = x[rows, j]
        for i, w in enumerate(SMALL["ret_windows"]):
            if len(rows) > w and rows[-1] == x.shape[0] - 1:
                r = p[w:] / p[:-w] - 1
                assert got.last_return[j, i] == pytest.approx(r[-1], rel=1e-12)
                hits = np.flatnonzero(r[:-1] >= r[-1])
                want = rows[hits[-1] + w] if len(hits) else -1
                assert got.last_gain_since[j, i] == want
                hits = np.flatnonzero(r[:-1] <= r[-1])
                want = rows[hits[-1] + w] if len(hits) else -1
                assert got.last_drop_since[j, i] == want
            else:
                assert np.isnan(got.last_return[j, i])
                assert got.last_gain_since[j, i] == -2


def test_bad_rows_and_holes_are_counted() -> None:
    x = np.array([[np.nan, 1.0, 0.0, 2.0, np.nan, np.nan, 3.0, -1.0, np.nan]], dtype=np.float32).T
    got = breadth_scan_2d(x, **SMALL)
    assert got.bad_count.tolist() == [2]
    assert (got.bad_first.tolist(), got.bad_last.tolist()) == ([2], [7])
    assert got.hole_count.tolist() == [2]  # the two NaN rows between 2.0 and 3.0 (not the ends)
    assert got.last_rows.tolist() == [3]
    assert got.counts[:, 0].tolist() == [0, 1, 0, 1, 0, 0, 1, 0, 0]


def test_plain_python_original_gives_the_same_counts() -> None:
    rng = np.random.default_rng(5)
    x = np.exp(np.cumsum(rng.standard_normal((60, 5)) * 0.05, axis=0)).astype(np.float32)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, 0] = np.exp(np.cumsum(rng.standard_normal(60) * 0.05))  # no holes: the direct path
    x[:7, 1] = np.nan  # starts late, ...
    x[7:, 1] = np.exp(np.cumsum(rng.standard_normal(53) * 0.05))
    x[50:, 1] = np.nan  # ... ends early, no holes
    xt = np.ascontiguousarray(x.T)
    lay = count_layout(SMALL["ma_windows"], SMALL["ret_windows"])
    outs = []
    for func in (kb.breadth_scan_py, kb._breadth_scan):
        counts = np.zeros((2, lay.width, 60), dtype=np.int32)
        diff = np.zeros((2, lay.width, 61), dtype=np.int32)
        args = (np.full((5, 2), np.nan), np.full((5, 2), -2, np.int32),
                np.full((5, 2), -2, np.int32), np.zeros((5, 5), np.int32))
        func(xt, np.array(SMALL["ma_windows"]), np.array(SMALL["ret_windows"]),
             SMALL["hl_window"], SMALL["record_rows"], SMALL["record_min"], counts, diff, *args)
        outs.append((counts, diff, args))
    for a, b in zip(outs[0], outs[1], strict=True):
        for p, q in zip(*((a, b) if isinstance(a, tuple) else ((a,), (b,))), strict=True):
            np.testing.assert_array_equal(p, q)


def test_blocks_add_up_to_the_whole() -> None:
    rng = np.random.default_rng(3)
    x = np.exp(np.cumsum(rng.standard_normal((300, 9)) * 0.02, axis=0)).astype(np.float32)
    whole = breadth_scan_2d(x)
    parts = [breadth_scan_2d(x[:, a:b]) for a, b in ((0, 4), (4, 5), (5, 9))]
    np.testing.assert_array_equal(whole.counts, sum(p.counts for p in parts))
    np.testing.assert_array_equal(whole.last_return,
                                  np.concatenate([p.last_return for p in parts]))


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match="2-D"):
        breadth_scan_2d(np.ones(5))
    with pytest.raises(InputError, match="ma_windows"):
        breadth_scan_2d(np.ones((5, 2)), ma_windows=(0,))
    with pytest.raises(InputError, match="hl_window"):
        breadth_scan_2d(np.ones((5, 2)), hl_window=0)


def test_empty_block() -> None:
    got = breadth_scan_2d(np.empty((10, 0), dtype=np.float32))
    assert got.counts.shape == (10, count_layout((20, 50, 200), (1, 5, 21)).width)
    assert not got.counts.any()
