"""Property tests of the level-record and calendar-period kernels against naive references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotascope.errors import InputError
from rotascope.kernels.levels import record_levels_1d, record_levels_1d_py
from rotascope.kernels.periods import period_ends_1d, period_returns_1d
from rotascope.kernels.reference import naive_period_ends, naive_record_levels

levels = st.lists(st.one_of(st.floats(0.5, 2.0), st.just(float("nan")),
                            st.sampled_from([1.0, 0.9, 0.8])), min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(levels, st.sampled_from([(-0.1, -0.2), (-0.05, -0.3), (-0.2, -0.2)]))
def test_record_levels_match_the_naive_reference(values: list[float],
                                                 thresholds: tuple[float, float]) -> None:
    x = np.array(values, dtype=np.float64)
    want = naive_record_levels(x, *thresholds)
    for got in (record_levels_1d(x, *thresholds), record_levels_1d_py(x, *thresholds)):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)


def test_record_levels_known_path() -> None:
    x = np.array([100, 105, 94, 83, 90, 106, np.nan, 95.0])
    peak, previous, state, began = record_levels_1d(x, -0.10, -0.20)
    assert peak.tolist() == [0, 1, 1, 1, 1, 5, -1, 5]
    assert previous.tolist() == [-1, 0, -1, -1, -1, 1, -1, -1]
    assert state.tolist() == [0, 0, 1, 2, 2, 0, 0, 1]  # 94/105: -10.5%; 83/105: -21.0%
    assert began.tolist() == [-1, -1, 2, 3, 3, -1, -1, 7]


def test_an_exact_ten_and_twenty_percent_fall_reach_the_thresholds() -> None:
    # 90 / 100 - 1 is -0.09999999999999998 in floats: "at least 10% below" must still hold
    x = np.array([100.0, 90.0, 95.0, 80.0, 4000.0, 3600.0, 3200.0, 3600.01])
    want = [0, 1, 1, 2, 0, 1, 2, 2]
    for kernel in (record_levels_1d, record_levels_1d_py, naive_record_levels):
        assert kernel(x, -0.10, -0.20)[2].tolist() == want, kernel.__name__
    assert record_levels_1d(np.array([100.0, 90.01]), -0.10, -0.20)[2].tolist() == [0, 0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.one_of(st.floats(0.5, 2.0),
                                                       st.just(float("nan")))),
                min_size=0, max_size=50))
def test_period_ends_match_the_naive_reference(rows: list[tuple[int, float]]) -> None:
    steps = np.array([r[0] for r in rows], dtype=np.int64)
    ids = np.cumsum(steps)
    x = np.array([r[1] for r in rows], dtype=np.float64)
    ends = period_ends_1d(ids, x)
    np.testing.assert_array_equal(ends, naive_period_ends(ids, x))
    ret = period_returns_1d(x, ends)
    for k in range(1, len(ends)):
        assert ret[k] == pytest.approx(x[ends[k]] / x[ends[k - 1]] - 1.0)
    assert len(ends) == 0 or np.isnan(ret[0])


def test_period_ends_refuse_unsorted_ids() -> None:
    with pytest.raises(InputError, match="non-decreasing"):
        period_ends_1d(np.array([2, 1]), np.array([1.0, 2.0]))
