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
