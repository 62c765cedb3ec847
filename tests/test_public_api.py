"""The top-level ``__all__`` stays sorted and honest."""

from __future__ import annotations

import rotascope


def test_all_is_sorted_and_resolves() -> None:
    names = rotascope.__all__
    assert names == sorted(names)
    for name in names:
        assert getattr(rotascope, name) is not None, name
    assert set(rotascope._LAZY) <= set(names)


def test_returns_to_index_compounds_and_refuses_a_gap() -> None:
    import numpy as np
    import pandas as pd
    import pytest

    from rotascope.data.series import SeriesMeta, TimeSeries
    from rotascope.errors import InputError

    days = pd.date_range("2024-01-01", periods=4, freq="B", name="date")
    meta = SeriesMeta("mom", kind="returns", units="fraction", source="test")  # type: ignore[arg-type]
    got = rotascope.returns_to_index(TimeSeries(pd.Series([0.01, -0.02, 0.03, 0.0], index=days), meta))
    expected = 100 * (1 + pd.Series([0.01, -0.02, 0.03, 0.0], index=days)).cumprod()
    np.testing.assert_allclose(got.data.to_numpy(), expected.to_numpy())
    assert got.meta.kind == "price"
    gap = TimeSeries(pd.Series([0.01, np.nan, 0.03, 0.0], index=days), meta)
    with pytest.raises(InputError, match=r"^mom: missing return on 2024-01-02; an index cannot be"):
        rotascope.returns_to_index(gap)
