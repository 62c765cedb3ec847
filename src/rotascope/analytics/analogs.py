"""Analogs, "what happened next": past moves of the same pair at least as large, and what followed.

DESIGN 5, "Analogs": past non-overlapping dates where the same pair made a move at least as
large over the same window; forward relative returns over 1, 3, 6 and 12 months: count, mean,
median, hit rate, worst, with the list of episodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotascope.analytics._checks import check_int, series_name, truncate
from rotascope.analytics.episodes import EpisodeDirection
from rotascope.analytics.relative import _pair
from rotascope.analytics.windows import Window, _rows_of, parse_window
from rotascope.errors import InputError
from rotascope.kernels.returns import windowed_returns_1d

__all__ = ["DEFAULT_HORIZONS", "AnalogResult", "analogs"]

#: Forward horizons in trading rows: 1, 3, 6 and 12 months of 21 trading days each.
DEFAULT_HORIZONS: Mapping[str, int] = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}

SUMMARY_COLUMNS: tuple[str, ...] = (
    "rows", "count", "mean", "median", "hit_rate", "worst", "best",
)


@dataclass(frozen=True, eq=False)
class AnalogResult:
    """Past analogs of the current move of A vs B and what followed them.

    Attributes
    ----------
    a, b : str
        Names of the two series.
    window : str
        Window of the move (``"5d"``).
    as_of : pandas.Timestamp
        Last common date used (on or before the requested as_of).
    current_move : float
        N-day relative return of A vs B at ``as_of``: ``(1 + rA) / (1 + rB) - 1``.
    threshold : float
        The bound analogs had to reach: moves ``>= threshold`` when ``direction`` is
        ``"a_leads"``, ``<= threshold`` when ``"b_leads"``.
    direction : {"a_leads", "b_leads"}
        Sign of the current move (``a_leads`` when >= 0).
    spacing : int
        Rows skipped after each analog (and before as_of): analogs are at least ``spacing + 1``
        rows apart, so their N-row windows do not overlap.
    horizons : dict of str to int
        Forward horizons in rows.
    episodes : pandas.DataFrame
        One row per analog: ``date``, ``move``, then one column per horizon with the forward
        relative return (NaN when the horizon would end after ``as_of``).
    summary : pandas.DataFrame
        Indexed by horizon label, columns ``rows``, ``count`` (analogs with a forward value),
        ``mean``, ``median``, ``hit_rate``, ``worst``, ``best``.
    """

    a: str
    b: str
    window: str
    as_of: pd.Timestamp
    current_move: float
    threshold: float
    direction: EpisodeDirection
    spacing: int
    horizons: dict[str, int] = field(default_factory=dict)
    episodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)


def analogs(
    a: pd.Series,
    b: pd.Series,
    window: str | Window = "5d",
    as_of: object = None,
    horizons: Mapping[str, int] = DEFAULT_HORIZONS,
    threshold: float | None = None,
    spacing: int | None = None,
) -> AnalogResult:
    """Past dates where A vs B moved at least as much as now over the same window, and what
    followed.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes; inner-joined on dates (rows count common dates).
    window : str or Window, default "5d"
        A rows window ``Nd``.
    as_of : date-like, optional
        Use only data on or before this date. Everything is computed from the data truncated
        at as_of: the result does not change when later data arrive.
    horizons : mapping of str to int, default {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
        Forward horizons in rows.
    threshold : float, optional
        Bound for analogs; default the current move itself. Its sign sets the direction.
    spacing : int, optional
        Rows skipped after taking an analog; default N (non-overlapping windows). Must be >= N.

    Returns
    -------
    AnalogResult

    Notes
    -----
    With ``rel[t] = (1 + rA[t]) / (1 + rB[t]) - 1`` over N common rows and T the as_of row:
    candidates are rows ``t < T - spacing`` with ``rel[t] >= threshold`` (``<=`` when the
    threshold is negative). Scanning them in time order, a candidate is taken when it lies more
    than ``spacing`` rows after the previously taken one (greedy, earliest first). The forward
    relative return over h rows is ``fwd_h(t) = (PA[t+h] / PA[t]) / (PB[t+h] / PB[t]) - 1``,
    NaN when ``t + h > T``. Per horizon: count of non-NaN values, mean, median, ``hit_rate`` =
    share that continued in the direction of the move (``fwd > 0`` for ``a_leads``, ``fwd < 0``
    for ``b_leads``), ``worst`` = the value furthest against the move (min for ``a_leads``, max
    for ``b_leads``) and ``best`` the opposite.
    """
    w = parse_window(window)
    n = _rows_of(w)
    hz = {str(k): check_int(v, f"horizons[{k!r}]") for k, v in dict(horizons).items()}
    if not hz:
        raise InputError("horizons must name at least one forward horizon")
    gap = n if spacing is None else check_int(spacing, "spacing")
    if gap < n:
        raise InputError(f"spacing must be at least the window ({n} rows) (got {spacing!r})")
    if not isinstance(a, pd.Series) or not isinstance(b, pd.Series):
        raise InputError("a and b must be pandas Series of prices")
    df, name_a, name_b = _pair(
        truncate(a, as_of, series_name(a, "a")), truncate(b, as_of, series_name(b, "b"))
    )
    pa = df["a"].to_numpy()
    pb = df["b"].to_numpy()
    T = len(df) - 1
    if T < n:
        raise InputError(
            f"{name_a}/{name_b}: window {w.label} needs {n} common rows before "
            f"{df.index[T].date()}, only {T} available"
        )
    rel = (1.0 + windowed_returns_1d(pa, n)) / (1.0 + windowed_returns_1d(pb, n)) - 1.0
    move = float(rel[T])
    bound = move if threshold is None else float(threshold)
    up = bound >= 0
    direction: EpisodeDirection = "a_leads" if up else "b_leads"

    hit = rel >= bound if up else rel <= bound
    hit[max(T - gap, 0) :] = False  # t must satisfy t + spacing < T
    taken: list[int] = []
    for t in np.flatnonzero(hit):
        if not taken or t > taken[-1] + gap:
            taken.append(int(t))
    idx = np.asarray(taken, dtype=np.int64)

    data: dict[str, object] = {
        "date": df.index[idx],
        "move": rel[idx],
    }
    for label, h in hz.items():
        fwd = np.full(len(idx), np.nan)
        ok = idx + h <= T
        j = idx[ok]
        fwd[ok] = (pa[j + h] / pa[j]) / (pb[j + h] / pb[j]) - 1.0
        data[label] = fwd
    episodes = pd.DataFrame(data)

    summary_rows = []
    for label, h in hz.items():
        v = episodes[label].dropna().to_numpy()
        if len(v):
            wins = v > 0 if up else v < 0
            row = {
                "rows": h,
                "count": len(v),
                "mean": float(v.mean()),
                "median": float(np.median(v)),
                "hit_rate": float(wins.mean()),
                "worst": float(v.min() if up else v.max()),
                "best": float(v.max() if up else v.min()),
            }
        else:
            row = {"rows": h, "count": 0, "mean": np.nan, "median": np.nan,
                   "hit_rate": np.nan, "worst": np.nan, "best": np.nan}
        summary_rows.append(row)
    summary = pd.DataFrame(summary_rows, index=pd.Index(list(hz), name="horizon"),
                           columns=list(SUMMARY_COLUMNS))
    return AnalogResult(
        a=name_a,
        b=name_b,
        window=w.label,
        as_of=df.index[T],
        current_move=move,
        threshold=bound,
        direction=direction,
        spacing=gap,
        horizons=hz,
        episodes=episodes,
        summary=summary,
    )
