"""Level kernels: record closes, drawdown from the record, corrections and bear markets.

Contract as in :mod:`rotascope.kernels.records`: numpy arrays in and out, no pandas; the jitted
kernel ``k`` is compiled from the plain-Python ``k_py`` beside it; a naive reference is in
:mod:`rotascope.kernels.reference`. NaN rows are not observations: they get -1 / 0 answers and
never set or break a record.

Definitions, for a level series ``x`` (a close, a yield, a ratio):

- the **record** before row t is ``R[t] = max(x[0..t-1])``; row t **sets a record** when
  ``x[t] >= R[t]`` (a tie with the record counts, as "closed at a record" does); the first row
  sets one;
- ``peak[t]``: the most recent record row at or before t, so the drawdown from the record is
  ``x[t] / x[peak[t]] - 1``;
- ``previous[t]``: for a record row, the record row before it (-1 for the first): "its first
  record close since January 2022";
- ``state[t]``: 0 at or near the record, 1 in a **correction** (some close since the last record
  at least ``correction`` below it, e.g. -10%), 2 in a **bear market** (at least ``bear`` below,
  e.g. -20%); a new record ends either; ``began[t]``: the first row of the current correction or
  bear market (-1 in state 0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rotascope.kernels._jit import jit

__all__ = ["record_levels_1d", "record_levels_1d_py"]


def record_levels_1d_py(
    x: NDArray[np.float64], correction: float, bear: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """Record rows, drawdown states and their starts of a level series (plain Python).

    Parameters
    ----------
    x : ndarray of float64, 1-D
        Positive levels (NaN rows skipped).
    correction, bear : float
        Drawdown thresholds as negative fractions (-0.10, -0.20).

    Returns
    -------
    (peak, previous, state, began)
        ``peak`` int64: the latest record row at or before each row (-1 for NaN rows);
        ``previous`` int64: the record row before a record row, else -1; ``state`` int8: 0, 1
        (correction) or 2 (bear market); ``began`` int64: first row of the current state, -1 in
        state 0. See the module docstring.
    """
    n = x.shape[0]
    peak = np.full(n, -1, dtype=np.int64)
    previous = np.full(n, -1, dtype=np.int64)
    state = np.zeros(n, dtype=np.int8)
    began = np.full(n, -1, dtype=np.int64)
    best = np.nan
    last_record = -1
    current = 0
    start = -1
    for t in range(n):
        v = x[t]
        if np.isnan(v):
            continue
        if last_record < 0 or v >= best:
            previous[t] = last_record
            best = v
            last_record = t
            current = 0
            start = -1
        else:
            dd = v / best - 1.0
            if dd <= bear and current < 2:
                current = 2
                start = t
            elif dd <= correction and current < 1:
                current = 1
                start = t
        peak[t] = last_record
        state[t] = current
        began[t] = start
    return peak, previous, state, began


record_levels_1d = jit(record_levels_1d_py)
