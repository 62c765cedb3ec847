"""Rotation episodes: runs of days when A vs B moved far beyond its usual range.

DESIGN 5, "Rotation episode": a maximal run of rows where the N-day relative return of A vs B is
beyond k trailing standard deviations (defaults N=5, k=2); episodes closer than a cool-off are
merged.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from rotascope.analytics._checks import check_int, is_number, series_name, truncate
from rotascope.analytics.relative import relative_rolling
from rotascope.errors import InputError
from rotascope.kernels.rolling import rolling_mean_std_1d

__all__ = ["EPISODE_COLUMNS", "EpisodeDirection", "rotation_episodes"]

EpisodeDirection = Literal["a_leads", "b_leads"]

EPISODE_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "peak_date",
    "peak_move",
    "peak_zscore",
    "duration",
    "flagged",
    "direction",
    "ongoing",
)


def rotation_episodes(
    a: pd.Series,
    b: pd.Series,
    n: int = 5,
    k: float = 2.0,
    lookback: int = 1260,
    min_periods: int = 252,
    cooloff: int = 10,
    as_of: object = None,
) -> pd.DataFrame:
    """Rotation episodes of A vs B: runs of rows whose N-day relative move is beyond k sigma.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes; inner-joined on dates (rows count common dates).
    n : int, default 5
        N: rows of the relative return.
    k : float, default 2.0
        Threshold in trailing standard deviations (> 0).
    lookback : int, default 1260
        Trailing window of the mean and standard deviation, in rows (1260 = about 5 years).
    min_periods : int, default 252
        Least number of valid relative returns in the trailing window before any row can be
        flagged (about one year).
    cooloff : int, default 10
        Runs of the same direction whose gap is at most this many rows are merged (0: never).
    as_of : date-like, optional
        Use only data on or before this date.

    Returns
    -------
    pandas.DataFrame
        One row per episode, in time order, columns:

        - ``start``, ``end``: first and last flagged date;
        - ``peak_date``, ``peak_move``: the date and value of the most extreme N-day relative
          return in the direction of the episode, between start and end;
        - ``peak_zscore``: its z-score;
        - ``duration``: rows from start to end, both included;
        - ``flagged``: rows flagged inside the episode (< duration when runs were merged);
        - ``direction``: ``"a_leads"`` (A outperformed) or ``"b_leads"``;
        - ``ongoing``: the episode reaches the last row (as_of).

    Notes
    -----
    ``rel[t] = (1 + rA) / (1 + rB) - 1`` over N common rows (:func:`relative_rolling`),
    ``z[t] = (rel[t] - mean) / std`` over the trailing ``lookback`` rows ending at t (t included;
    sample std, ddof=1; only data up to t, so nothing looks ahead). Row t is flagged ``a_leads``
    when ``z[t] > k`` and ``b_leads`` when ``z[t] < -k``. A run is a maximal block of consecutive
    rows with the same flag; two consecutive runs (no run in between) of the same direction
    merge when ``start_2 - end_1 <= cooloff`` rows.
    """
    n = check_int(n, "n")
    if not (is_number(k) and k > 0):
        raise InputError(f"k must be a positive number of standard deviations (got {k!r})")
    lookback = check_int(lookback, "lookback", minimum=2)
    min_periods = check_int(min_periods, "min_periods", minimum=2)
    cooloff = check_int(cooloff, "cooloff", minimum=0)
    if min_periods > lookback:
        raise InputError(f"min_periods ({min_periods}) must not exceed lookback ({lookback})")
    a = truncate(a, as_of, series_name(a, "a") if isinstance(a, pd.Series) else "a")
    b = truncate(b, as_of, series_name(b, "b") if isinstance(b, pd.Series) else "b")
    rel = relative_rolling(a, b, n)
    x = rel.to_numpy()
    mean, std, _ = rolling_mean_std_1d(x, lookback, min_periods, True)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - mean) / std
    z[~(std > 0.0)] = np.nan
    flag = np.where(z > k, 1, np.where(z < -k, -1, 0))
    runs = _runs(flag)
    merged = _merge(runs, cooloff)
    dates = rel.index
    rows = []
    for start, end, sign, flagged in merged:
        seg = x[start : end + 1]
        peak = start + int(np.argmax(seg) if sign > 0 else np.argmin(seg))
        rows.append(
            {
                "start": dates[start],
                "end": dates[end],
                "peak_date": dates[peak],
                "peak_move": float(x[peak]),
                "peak_zscore": float(z[peak]),
                "duration": end - start + 1,
                "flagged": flagged,
                "direction": "a_leads" if sign > 0 else "b_leads",
                "ongoing": end == len(x) - 1,
            }
        )
    out = pd.DataFrame(rows, columns=list(EPISODE_COLUMNS))
    if out.empty:
        out = out.astype(
            {"start": dates.dtype, "end": dates.dtype, "peak_date": dates.dtype,
             "peak_move": float, "peak_zscore": float, "duration": int, "flagged": int,
             "direction": object, "ongoing": bool}
        )
    return out


def _runs(flag: np.ndarray) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-zero flags: ``(start, end, sign)`` row positions."""
    runs: list[tuple[int, int, int]] = []
    change = np.flatnonzero(np.diff(flag)) + 1
    bounds = np.concatenate([[0], change, [len(flag)]])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi > lo and flag[lo] != 0:
            runs.append((int(lo), int(hi) - 1, int(flag[lo])))
    return runs


def _merge(runs: list[tuple[int, int, int]], cooloff: int) -> list[tuple[int, int, int, int]]:
    """Merge consecutive same-sign runs with ``start_2 - end_1 <= cooloff``: adds flagged counts."""
    out: list[tuple[int, int, int, int]] = []
    for start, end, sign in runs:
        if out and out[-1][2] == sign and start - out[-1][1] <= cooloff:
            s0, _, _, f0 = out[-1]
            out[-1] = (s0, end, sign, f0 + end - start + 1)
        else:
            out.append((start, end, sign, end - start + 1))
    return out
