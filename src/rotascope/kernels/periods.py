"""Calendar-period kernels: the last row of each period and period-over-period returns.

Contract as in :mod:`rotascope.kernels.records`: numpy in and out, no pandas. A period is a run
of rows with the same integer id (``ids`` non-decreasing: e.g. ``year * 100 + month``, or a week
number counted from an epoch). Journalists' "worst week" compares Friday closes: the return of a
period is its last close over the last close of the period before, ``x[end_k] / x[end_{k-1}] - 1``
(NaN for the first period, which has no close before it). NaN rows are not closes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from rotascope.errors import InputError

__all__ = ["period_ends_1d", "period_returns_1d"]


def period_ends_1d(ids: NDArray[np.int64], x: NDArray[np.float64]) -> NDArray[np.int64]:
    """Index of the last non-NaN row of each period, in order (periods without a value left out).

    Parameters
    ----------
    ids : ndarray of int64, 1-D
        Period id of each row, non-decreasing.
    x : ndarray of float64, 1-D
        The levels (NaN rows are not closes).

    Returns
    -------
    ndarray of int64
        Row index of each period's last close: ``t`` such that ``x[t]`` is not NaN and no later
        non-NaN row has the same id.

    Examples
    --------
    >>> period_ends_1d(np.array([1, 1, 2, 2, 3]), np.array([1.0, 2.0, 3.0, np.nan, 4.0])).tolist()
    [1, 2, 4]
    """
    ids = np.asarray(ids, dtype=np.int64)
    x = np.asarray(x, dtype=np.float64)
    if ids.shape != x.shape or ids.ndim != 1:
        raise InputError(f"ids and x must be 1-D of one length (got {ids.shape} and {x.shape})")
    if ids.size and (np.diff(ids) < 0).any():
        raise InputError("period ids must be non-decreasing")
    rows = np.flatnonzero(~np.isnan(x))
    if rows.size == 0:
        return rows.astype(np.int64)
    kept = ids[rows]
    last = np.append(kept[1:] != kept[:-1], True)
    return rows[last].astype(np.int64)


def period_returns_1d(x: NDArray[np.float64], ends: NDArray[np.int64]) -> NDArray[np.float64]:
    """Return of each period from the previous period's last close: ``x[e_k] / x[e_{k-1}] - 1``.

    Examples
    --------
    >>> period_returns_1d(np.array([100.0, 110.0, 99.0]), np.array([0, 1, 2])).round(3).tolist()
    [nan, 0.1, -0.1]
    """
    closes = np.asarray(x, dtype=np.float64)[np.asarray(ends, dtype=np.int64)]
    out = np.full(closes.shape[0], np.nan)
    if closes.shape[0] > 1:
        out[1:] = closes[1:] / closes[:-1] - 1.0
    return out
