"""Naive reference implementations of every kernel, for tests only.

Each one follows the definition literally, row by row, in O(n^2) or O(n * W) time, with no
cleverness to get wrong: the fast kernels are checked against these.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "naive_percentile",
    "naive_record_horizon",
    "naive_record_rank",
    "naive_rolling_mean_std",
    "naive_windowed_returns",
    "naive_year_extreme",
]


def naive_windowed_returns(p: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """``P[t] / P[t-n] - 1`` for each t >= n, NaN otherwise."""
    out = np.full(len(p), np.nan)
    for t in range(n, len(p)):
        out[t] = p[t] / p[t - n] - 1.0
    return out


def naive_record_horizon(x: NDArray[np.float64], largest: bool) -> NDArray[np.int64]:
    """Most recent earlier s with x[s] >= x[t] (gains) or <= (drops); -1 if none or x[t] NaN."""
    out = np.full(len(x), -1, dtype=np.int64)
    for t in range(len(x)):
        if math.isnan(x[t]):
            continue
        for s in range(t - 1, -1, -1):
            if math.isnan(x[s]):
                continue
            if (x[s] >= x[t]) if largest else (x[s] <= x[t]):
                out[t] = s
                break
    return out


def naive_record_rank(
    x: NDArray[np.float64], largest: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """1 + count of earlier values strictly more extreme, and count of valid values so far."""
    rank = np.zeros(len(x), dtype=np.int64)
    of = np.zeros(len(x), dtype=np.int64)
    for t in range(len(x)):
        if math.isnan(x[t]):
            continue
        earlier = [v for v in x[:t] if not math.isnan(v)]
        better = [v for v in earlier if (v > x[t] if largest else v < x[t])]
        rank[t] = 1 + len(better)
        of[t] = len(earlier) + 1
    return rank, of


def naive_year_extreme(
    x: NDArray[np.float64], year: NDArray[np.int64], largest: bool
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Max (min) of the valid values of the same year in rows up to t, and x[t] equals it."""
    extreme = np.full(len(x), np.nan)
    is_extreme = np.zeros(len(x), dtype=np.bool_)
    for t in range(len(x)):
        same = [x[s] for s in range(t + 1) if year[s] == year[t] and not math.isnan(x[s])]
        if same:
            extreme[t] = max(same) if largest else min(same)
            is_extreme[t] = (not math.isnan(x[t])) and x[t] == extreme[t]
    return extreme, is_extreme


def naive_rolling_mean_std(
    x: NDArray[np.float64], window: int, min_periods: int, include_current: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Mean and ddof=1 std of the valid values of the window, recomputed from scratch (two-pass
    numpy; a window of equal values has exactly that mean and exactly 0 std)."""
    n = len(x)
    mean = np.full(n, np.nan)
    std = np.full(n, np.nan)
    count = np.zeros(n, dtype=np.int64)
    for t in range(n):
        hi = t + 1 if include_current else t
        vals = np.array([v for v in x[max(0, hi - window) : hi] if not math.isnan(v)])
        count[t] = len(vals)
        if len(vals) == 0 or len(vals) < min_periods:
            continue
        if (vals == vals[0]).all():  # equal values: exactly their value and exactly 0
            mean[t] = vals[0]
            if len(vals) >= 2:
                std[t] = 0.0
            continue
        mean[t] = vals.mean()
        if len(vals) >= 2:
            std[t] = vals.std(ddof=1)
    return mean, std, count


def naive_percentile(
    x: NDArray[np.float64], window: int, min_periods: int
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Share below plus half the share equal, among the valid values of rows t-W+1..t."""
    n = len(x)
    pct = np.full(n, np.nan)
    count = np.zeros(n, dtype=np.int64)
    for t in range(n):
        vals = [v for v in x[max(0, t - window + 1) : t + 1] if not math.isnan(v)]
        count[t] = len(vals)
        if math.isnan(x[t]) or len(vals) < min_periods:
            continue
        below = sum(1 for v in vals if v < x[t])
        equal = sum(1 for v in vals if v == x[t])
        pct[t] = (below + 0.5 * equal) / len(vals)
    return pct, count


def naive_record_levels(
    x: NDArray[np.float64], correction: float, bear: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64]]:
    """Reference of :func:`rotascope.kernels.levels.record_levels_1d`, re-deriving every row
    from scratch (O(n^2)): records from the running maximum, the state from the worst drawdown
    since the last record."""
    n = len(x)
    peak = np.full(n, -1, dtype=np.int64)
    previous = np.full(n, -1, dtype=np.int64)
    state = np.zeros(n, dtype=np.int8)
    began = np.full(n, -1, dtype=np.int64)
    valid = [i for i in range(n) if not np.isnan(x[i])]
    records = [t for t in valid if all(x[t] >= x[s] for s in valid if s < t)]
    for t in valid:
        p = max(r for r in records if r <= t)
        peak[t] = p
        if t in records:
            earlier = [r for r in records if r < t]
            previous[t] = earlier[-1] if earlier else -1
            continue
        since = [s for s in valid if p < s <= t]
        worst = min(x[s] / x[p] - 1.0 for s in since)
        tol = 1e-12  # "at least 10% below": float rounding of an exact 10% fall still counts
        if worst <= bear + tol:
            state[t] = 2
            began[t] = min(s for s in since if x[s] / x[p] - 1.0 <= bear + tol)
        elif worst <= correction + tol:
            state[t] = 1
            began[t] = min(s for s in since if x[s] / x[p] - 1.0 <= correction + tol)
    return peak, previous, state, began


def naive_period_ends(ids: NDArray[np.int64], x: NDArray[np.float64]) -> NDArray[np.int64]:
    """Reference of :func:`rotascope.kernels.periods.period_ends_1d`: for each id, the largest
    row with that id and a value."""
    out = []
    for pid in sorted(set(int(i) for i in ids)):
        rows = [t for t in range(len(ids)) if ids[t] == pid and not np.isnan(x[t])]
        if rows:
            out.append(rows[-1])
    return np.array(out, dtype=np.int64)
