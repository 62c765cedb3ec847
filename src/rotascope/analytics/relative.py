"""Relative performance of A versus B: relative returns, the relative strength line, unusualness.

Two series are compared on their common dates: every function inner-joins A and B on dates and
drops dates where either is missing, so both legs of a relative return use the same two dates
and N rows means N common rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    align,
    as_price_series,
    check_int,
    date_index,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.analytics.stats import decile
from rotascope.analytics.windows import (
    Window,
    WindowReturn,
    _rows_of,
    parse_window,
    window_bounds,
    window_return,
)
from rotascope.errors import InputError
from rotascope.kernels.returns import windowed_returns_1d

__all__ = [
    "RelativeReturn",
    "Unusualness",
    "relative_return",
    "relative_rolling",
    "rs_line",
    "spread_rolling",
    "unusualness",
]


@dataclass(frozen=True)
class RelativeReturn:
    """Return of A relative to B over one window.

    Attributes
    ----------
    window : str
        Window label.
    value : float
        ``(1 + rA) / (1 + rB) - 1`` (a fraction).
    spread : float
        ``rA - rB`` as a fraction: 0.012 is 1.2 percentage points.
    a, b : WindowReturn
        The two legs, over the same start and end dates.
    """

    window: str
    value: float
    spread: float
    a: WindowReturn
    b: WindowReturn

    @property
    def start_date(self) -> pd.Timestamp:
        """First date of the window (common to both legs)."""
        return self.a.start_date

    @property
    def end_date(self) -> pd.Timestamp:
        """Last date of the window (common to both legs)."""
        return self.a.end_date


def _pair(a: pd.Series, b: pd.Series) -> tuple[pd.DataFrame, str, str]:
    name_a = series_name(a, "a") if isinstance(a, pd.Series) else "a"
    name_b = series_name(b, "b") if isinstance(b, pd.Series) else "b"
    pa = as_price_series(a, name_a)
    pb = as_price_series(b, name_b)
    return align(pa, pb, (name_a, name_b)), name_a, name_b


def relative_return(
    a: pd.Series, b: pd.Series, window: str | Window, as_of: object = None
) -> RelativeReturn:
    """Relative return of A vs B over a window ending at (the last common date on or before)
    ``as_of``.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes; they are inner-joined on dates first.
    window : str or Window
        ``5d``, ``1m``, ``ytd``, ``since:2020-03-23``... (:func:`parse_window`). ``Nd`` counts
        common rows.
    as_of : date-like, optional
        Use only data on or before this date.

    Returns
    -------
    RelativeReturn

    Notes
    -----
    ``rel = (1 + rA) / (1 + rB) - 1`` and ``spread = rA - rB``, each leg ``P[end] / P[start] - 1``
    over the same start and end dates (:func:`window_return` on the joined data).
    """
    df, name_a, name_b = _pair(a, b)
    w = parse_window(window)
    ra = window_return(df["a"].rename(name_a), w, as_of)
    rb = window_return(df["b"].rename(name_b), w, as_of)
    return RelativeReturn(
        window=w.label,
        value=(1.0 + ra.value) / (1.0 + rb.value) - 1.0,
        spread=ra.value - rb.value,
        a=ra,
        b=rb,
    )


def _leg_returns(a: pd.Series, b: pd.Series, n: int | str | Window
                 ) -> tuple[pd.Index, np.ndarray, np.ndarray, tuple[str, str]]:
    """Both legs' N-row returns on their common dates: (dates, rA, rB, (name A, name B))."""
    rows = _rows_of(n)
    df, name_a, name_b = _pair(a, b)
    return (df.index, windowed_returns_1d(df["a"].to_numpy(), rows),
            windowed_returns_1d(df["b"].to_numpy(), rows), (name_a, name_b))


def relative_rolling(a: pd.Series, b: pd.Series, n: int | str | Window) -> pd.Series:
    """N-row relative return of A vs B at every common date.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes.
    n : int or str or Window
        N rows (``5`` or ``"5d"``), counted on the common dates.

    Returns
    -------
    pandas.Series
        On the dates common to A and B (inner join, rows with a NaN dropped), named
        ``"<A>/<B>"``: NaN for the first N rows.

    Notes
    -----
    ``rel[t] = (1 + rA[t]) / (1 + rB[t]) - 1`` with ``rX[t] = PX[t] / PX[t-N] - 1`` over the
    joined rows; the same number :func:`relative_return` gives for the window ``Nd``.
    """
    index, ra, rb, (name_a, name_b) = _leg_returns(a, b, n)
    return pd.Series((1.0 + ra) / (1.0 + rb) - 1.0, index=index, name=f"{name_a}/{name_b}")


def spread_rolling(a: pd.Series, b: pd.Series, n: int | str | Window) -> pd.Series:
    """N-row spread of A over B at every common date, in fractions (0.045 = 4.5 percentage
    points): the margin by which A beat B.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes.
    n : int or str or Window
        N rows (``1`` or ``"1d"``), counted on the common dates.

    Returns
    -------
    pandas.Series
        On the dates common to A and B, named ``"<A>-<B>"``: NaN for the first N rows.

    Notes
    -----
    ``spread[t] = rA[t] - rB[t]`` with ``rX[t] = PX[t] / PX[t-N] - 1`` over the joined rows; the
    same number as :attr:`RelativeReturn.spread` of :func:`relative_return` for the window
    ``Nd``. Unlike the relative return it is antisymmetric: B's spread over A is ``-spread``.
    """
    index, ra, rb, (name_a, name_b) = _leg_returns(a, b, n)
    return pd.Series(ra - rb, index=index, name=f"{name_a}-{name_b}")


def rs_line(a: pd.Series, b: pd.Series, base: float = 100.0) -> pd.Series:
    """Relative strength line of A vs B, rebased to ``base`` at the first common date.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes (inner-joined on dates).
    base : float, default 100

    Returns
    -------
    pandas.Series
        ``RS[t] = base * (PA[t] / PB[t]) / (PA[0] / PB[0])`` on the common dates, named
        ``"<A>/<B>"``.

    Notes
    -----
    The line rises when A outperforms B; ``RS[t] / RS[t-N] - 1`` is the N-row relative return.
    """
    if not (isinstance(base, int | float) and math.isfinite(base) and base > 0):
        raise InputError(f"base must be a positive number (got {base!r})")
    df, name_a, name_b = _pair(a, b)
    ratio = df["a"] / df["b"]
    return (ratio / ratio.iloc[0] * float(base)).rename(f"{name_a}/{name_b}")


@dataclass(frozen=True)
class Unusualness:
    """How unusual a value of a (relative return) statistic is against its own history.

    Attributes
    ----------
    name : str
    date : pandas.Timestamp
        Row of the value (last valid row on or before ``as_of``).
    value : float
    zscore : float
        ``(value - mean) / std`` over the lookback (NaN when fewer than ``min_periods`` values
        or std is 0).
    mean, std : float
        Mean and sample standard deviation (ddof=1) of the lookback, today included.
    lookback : str
        Lookback label (``"5y"``).
    lookback_start : pandas.Timestamp
        First row of the lookback.
    lookback_count : int
        Values in the lookback, today included.
    lookback_full : bool
        False when the history is shorter than the lookback (all of it was used).
    percentile : float
        In [0, 1] over the full history up to ``date``: share below plus half the share equal,
        today included.
    decile : int
        ``max(1, ceil(10 * percentile))``.
    history_start : pandas.Timestamp
        First row of the full history.
    history_count : int
        Values in the full history, today included.
    """

    name: str
    date: pd.Timestamp
    value: float
    zscore: float
    mean: float
    std: float
    lookback: str
    lookback_start: pd.Timestamp
    lookback_count: int
    lookback_full: bool
    percentile: float
    decile: int
    history_start: pd.Timestamp
    history_count: int


def unusualness(
    rel: pd.Series,
    as_of: object = None,
    lookback: str | Window = "5y",
    min_periods: int = 20,
) -> Unusualness:
    """Z-score of a value against its trailing history and percentile against the full history.

    Parameters
    ----------
    rel : pandas.Series
        The statistic, typically N-day relative returns (:func:`relative_rolling`), on a sorted
        DatetimeIndex; NaN rows are dropped.
    as_of : date-like, optional
        Use only data on or before this date; the value is that of the last row on or before it.
    lookback : str or Window, default "5y"
        Trailing history for the z-score: rows from the start row a window of this length would
        use (:func:`window_bounds`: the last row on or before ``date - 5 years``) to ``date``;
        ``Nd`` means the last N+1 rows. When the data is shorter, all of it is used
        (``lookback_full=False``).
    min_periods : int, default 20
        Least number of values in the lookback for a z-score.

    Returns
    -------
    Unusualness

    Notes
    -----
    ``z = (x[t] - mean(L)) / std(L)``, L the lookback rows including t, ``std`` with ddof=1.
    ``percentile = (#{s <= t: x[s] < x[t]} + 0.5 * #{s <= t: x[s] == x[t]}) / (t + 1)`` over the
    full history (t counted as equal to itself), ``decile = max(1, ceil(10 * percentile))``.
    Overlapping windows count like any other row.
    """
    name = series_name(rel, "rel") if isinstance(rel, pd.Series) else "rel"
    s = valid_series(rel, name)
    mp = check_int(min_periods, "min_periods", minimum=2)
    w = parse_window(lookback)
    t = snap_position(date_index(s), as_of, name)
    s = s.iloc[: t + 1]
    x = s.to_numpy()
    v = float(x[t])
    try:
        start, _ = window_bounds(date_index(s), w, None, what=name)
        full = True
    except InputError:
        start, full = 0, False
    look = x[start:]
    mean = float(look.mean())
    std = float(look.std(ddof=1)) if len(look) >= 2 else float("nan")
    z = (v - mean) / std if len(look) >= mp and std > 0 else float("nan")
    below = int(np.count_nonzero(x < v))
    equal = int(np.count_nonzero(x == v))
    pct = (below + 0.5 * equal) / len(x)
    return Unusualness(
        name=name,
        date=s.index[t],
        value=v,
        zscore=z,
        mean=mean,
        std=std,
        lookback=w.label,
        lookback_start=s.index[start],
        lookback_count=len(look),
        lookback_full=full,
        percentile=pct,
        decile=decile(pct),
        history_start=s.index[0],
        history_count=len(x),
    )
