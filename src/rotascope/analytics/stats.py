"""Trailing statistics of a series: z-scores, percentiles vs history, deciles.

Thin pandas wrappers over :mod:`rotascope.kernels.rolling`; windows count rows, and no value at
row t uses a row after t.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_series, check_int, is_number
from rotascope.errors import InputError
from rotascope.kernels.rolling import (
    expanding_percentile_1d,
    rolling_mean_std_1d,
    rolling_percentile_1d,
)

__all__ = ["decile", "rolling_percentile", "rolling_zscore"]


def decile(percentile: float) -> int:
    """Decile of a percentile in [0, 1]: ``max(1, ceil(10 * p))`` (DESIGN 5).

    Parameters
    ----------
    percentile : float
        A share in [0, 1] (a Python or NumPy int or float; not a bool), e.g. the
        ``percentile`` of :func:`rolling_percentile`.

    Returns
    -------
    int
        1 to 10: 1 for the lowest tenth, 10 for the highest.

    Raises
    ------
    InputError
        When ``percentile`` is not a number in [0, 1] (NaN included).

    Notes
    -----
    ``decile = max(1, ceil(10 * p))``: decile ``k`` holds ``(k-1)/10 < p <= k/10``, except that
    decile 1 also holds ``p = 0``. A percentile on a boundary goes to the lower decile
    (``p = 0.1 -> 1``, ``p = 0.5 -> 5``).

    Examples
    --------
    >>> decile(0.0), decile(0.1), decile(0.1001), decile(1.0)
    (1, 1, 2, 10)
    """
    if not (is_number(percentile) and 0.0 <= percentile <= 1.0):
        raise InputError(f"percentile must be a number in [0, 1] (got {percentile!r})")
    return max(1, math.ceil(10.0 * percentile))


def rolling_zscore(
    x: pd.Series,
    window: int,
    min_periods: int | None = None,
    include_current: bool = True,
) -> pd.DataFrame:
    """Trailing z-score of every row, with the mean and standard deviation behind it.

    Parameters
    ----------
    x : pandas.Series
        Any index (kept); NaN rows are skipped inside windows.
    window : int
        W rows.
    min_periods : int, optional
        Least number of valid values in the window (default W; at least 2 are needed).
    include_current : bool, default True
        Window ``t-W+1 .. t`` (True, pandas ``rolling``) or ``t-W .. t-1`` (False).

    Returns
    -------
    pandas.DataFrame
        Columns ``zscore``, ``mean``, ``std``, ``count``, indexed like ``x``.

    Notes
    -----
    ``z[t] = (x[t] - mean) / std`` over the window, sample std (ddof=1); NaN where x[t] is NaN,
    the window holds fewer than ``min_periods`` values, or std is 0. Equals ``(x -
    x.rolling(W, min_periods).mean()) / x.rolling(W, min_periods).std()`` for
    ``include_current=True``.
    """
    s = as_series(x, "x", dates=False)
    w = check_int(window, "window")
    mp = None if min_periods is None else check_int(min_periods, "min_periods")
    mean, std, count = rolling_mean_std_1d(s.to_numpy(), w, mp, include_current)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s.to_numpy() - mean) / std
    z[~(std > 0.0)] = np.nan
    return pd.DataFrame({"zscore": z, "mean": mean, "std": std, "count": count}, index=s.index)


def rolling_percentile(
    x: pd.Series, window: int | None = None, min_periods: int = 1
) -> pd.DataFrame:
    """Percentile of every row vs its history: the trailing W rows, or all rows up to t.

    Parameters
    ----------
    x : pandas.Series
        Any index (kept); NaN rows are skipped.
    window : int, optional
        W rows (today included); None for the full history up to t (expanding).
    min_periods : int, default 1
        Least number of valid values in the window for a result.

    Returns
    -------
    pandas.DataFrame
        Columns ``percentile`` (in [0, 1]) and ``count`` (valid values in the window).

    Notes
    -----
    ``p[t] = (#{below x[t]} + 0.5 * #{equal to x[t]}) / #{valid}`` over the window, today
    included (DESIGN 5, "Percentile vs history"). Equals ``(x.rolling(W).rank() - 0.5) /
    x.rolling(W).count()``.
    """
    s = as_series(x, "x", dates=False)
    mp = check_int(min_periods, "min_periods")
    if window is None:
        pct, count = expanding_percentile_1d(s.to_numpy(), mp)
    else:
        pct, count = rolling_percentile_1d(s.to_numpy(), check_int(window, "window"), mp)
    return pd.DataFrame({"percentile": pct, "count": count}, index=s.index)
