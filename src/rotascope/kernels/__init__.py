"""Numeric kernels: numpy arrays in, numpy arrays out, no pandas.

Contract (after vectorbt's ``nb`` modules): a kernel whose name ends in ``_1d`` takes one series
as a 1-D float64 array; the others take a 2-D ``(dates x series)`` array and loop over its
columns calling the ``_1d`` kernel (in parallel under numba). Loops that cannot be vectorised are
compiled with numba (``cache=True``) from a plain-Python original kept beside them (suffix
``_py``); without numba the plain version runs, with a :class:`~rotascope.errors.RotascopeWarning`.
Naive references for the tests are in :mod:`rotascope.kernels.reference`.

NaN rows are never observations: they are skipped by every statistic and get a "no answer"
output themselves.
"""

from __future__ import annotations

from rotascope.kernels._jit import HAVE_NUMBA
from rotascope.kernels.records import (
    record_horizon_1d,
    record_horizon_2d,
    record_rank_1d,
    record_rank_2d,
    year_extreme_1d,
)
from rotascope.kernels.returns import windowed_returns_1d, windowed_returns_2d
from rotascope.kernels.rolling import (
    expanding_percentile_1d,
    rolling_mean_std_1d,
    rolling_percentile_1d,
    rolling_percentile_2d,
    rolling_zscore_1d,
    rolling_zscore_2d,
)

__all__ = [
    "HAVE_NUMBA",
    "expanding_percentile_1d",
    "record_horizon_1d",
    "record_horizon_2d",
    "record_rank_1d",
    "record_rank_2d",
    "rolling_mean_std_1d",
    "rolling_percentile_1d",
    "rolling_percentile_2d",
    "rolling_zscore_1d",
    "rolling_zscore_2d",
    "windowed_returns_1d",
    "windowed_returns_2d",
    "year_extreme_1d",
]
