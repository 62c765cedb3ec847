"""Relative Rotation Graph (RRG) with trailing windows only.

A Relative Rotation Graph places every segment by the trend (RS-Ratio) and the momentum
(RS-Momentum) of its relative strength against a benchmark, both centred on 100. The original
JdK formulas are not public; this module documents its own formula, which uses *trailing* windows
only, so a point computed for a past date never changes when new data arrive (unlike whole-sample
z-scores, which move old tail points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from rotascope.errors import InputError

__all__ = [
    "DIRECTIONS",
    "QUADRANTS",
    "RrgResult",
    "heading",
    "quadrant",
    "rrg",
    "rrg_formula",
]

#: Quadrants in the (clockwise) order rotation runs through them.
QUADRANTS: tuple[str, ...] = ("leading", "weakening", "lagging", "improving")

#: Eight compass headings, counter-clockwise from east (RS-Ratio rising, RS-Momentum flat).
DIRECTIONS: tuple[str, ...] = (
    "east",
    "north-east",
    "north",
    "north-west",
    "west",
    "south-west",
    "south",
    "south-east",
)

NOT_AVAILABLE = "n/a"


@dataclass(frozen=True)
class RrgResult:
    """Result of :func:`rrg`.

    Attributes
    ----------
    ratio : pandas.DataFrame
        RS-Ratio per date (rows) and segment (columns), NaN until enough history.
    momentum : pandas.DataFrame
        RS-Momentum, same shape as ``ratio``.
    tail : pandas.DataFrame
        Long table ``segment, date, rs_ratio, rs_momentum``: the last ``tail_length`` points per
        segment spaced ``tail_step`` rows apart, oldest first (points with NaN are left out).
    table : pandas.DataFrame
        One row per segment: ``segment, rs_ratio, rs_momentum, quadrant, direction`` at the last
        date; quadrant and direction are ``"n/a"`` when the values are missing.
    formula : str
        The exact formula and parameters in one paragraph, for a report footnote.
    as_of : pandas.Timestamp or None
        Last date of the aligned data (None when there is none).
    ratio_window, momentum_window, norm_window, tail_length, tail_step : int
        The parameters used.
    """

    ratio: pd.DataFrame
    momentum: pd.DataFrame
    tail: pd.DataFrame
    table: pd.DataFrame
    formula: str
    as_of: pd.Timestamp | None
    ratio_window: int
    momentum_window: int
    norm_window: int
    tail_length: int
    tail_step: int


def quadrant(rs_ratio: float, rs_momentum: float) -> str:
    """Quadrant of one RRG point.

    Parameters
    ----------
    rs_ratio, rs_momentum : float
        Coordinates of the point (centred on 100).

    Returns
    -------
    str
        ``"leading"`` (ratio >= 100, momentum >= 100), ``"weakening"`` (ratio >= 100,
        momentum < 100), ``"lagging"`` (both < 100), ``"improving"`` (ratio < 100,
        momentum >= 100), or ``"n/a"`` when either value is missing.

    Notes
    -----
    ``x = rs_ratio``, ``y = rs_momentum``: leading when ``x >= 100 and y >= 100``, weakening
    when ``x >= 100 and y < 100``, improving when ``x < 100 and y >= 100``, lagging when both
    are below 100. A value of exactly 100 counts as the upper side. A value is missing when it
    is None, NaN or not convertible to float; infinities are ordinary numbers here.

    Examples
    --------
    >>> quadrant(101.0, 99.0)
    'weakening'
    """
    if _missing(rs_ratio) or _missing(rs_momentum):
        return NOT_AVAILABLE
    if rs_ratio >= 100.0:
        return "leading" if rs_momentum >= 100.0 else "weakening"
    return "improving" if rs_momentum >= 100.0 else "lagging"


def heading(d_ratio: float, d_momentum: float) -> str:
    """Compass heading of a move on the RRG (east = RS-Ratio rising, north = RS-Momentum rising).

    Parameters
    ----------
    d_ratio, d_momentum : float
        Change of RS-Ratio (x) and RS-Momentum (y) over one step.

    Returns
    -------
    str
        One of :data:`DIRECTIONS`; each covers 45 degrees centred on its bearing (north-east covers
        22.5 to 67.5 degrees counter-clockwise from east). ``"n/a"`` when a change is missing or
        both are zero.

    Notes
    -----
    ``angle = degrees(atan2(d_momentum, d_ratio)) mod 360`` (0 = east, 90 = north), then
    ``DIRECTIONS[floor(((angle + 22.5) mod 360) / 45)]``. Each heading covers the half-open
    range ``[b - 22.5, b + 22.5)`` around its bearing ``b``: an angle exactly on a boundary
    goes to the heading counter-clockwise of it (22.5 is north-east). Only the direction of
    the move counts, not its length. A change is missing when it is None, NaN or not
    convertible to float.

    Examples
    --------
    >>> heading(0.5, 0.4)
    'north-east'
    """
    if _missing(d_ratio) or _missing(d_momentum) or (d_ratio == 0.0 and d_momentum == 0.0):
        return NOT_AVAILABLE
    angle = math.degrees(math.atan2(d_momentum, d_ratio)) % 360.0
    return DIRECTIONS[int(((angle + 22.5) % 360.0) // 45.0)]


def rrg_formula(
    ratio_window: int = 63, momentum_window: int = 10, norm_window: int = 252, tail_step: int = 5
) -> str:
    """The RRG formula with its parameters as one plain-text paragraph (a report footnote).

    Parameters
    ----------
    ratio_window, momentum_window, norm_window, tail_step : int
        Parameters as passed to :func:`rrg`.

    Returns
    -------
    str
        The formula text.

    Notes
    -----
    The text states, with ``w = ratio_window``, ``k = momentum_window``, ``n = norm_window``
    filled in, the formula that :func:`rrg` computes: ``RS = 100 * P / B``;
    ``RS-Ratio = 100 + z_n(RS / mean_w(RS))``; ``RS-Momentum = 100 + z_n(RSR[t] / RSR[t-k] -
    1)``, where ``mean_w`` is the trailing mean of the last ``w`` rows and ``z_n`` the z-score
    against the last ``n`` rows (mean and sample standard deviation, ddof 1, today included).
    It also says that tail points are ``tail_step`` rows apart and that the direction is the
    heading of the last step. The parameters are written as given, not checked (:func:`rrg`
    checks them).
    """
    return (
        f"RS = 100 x segment / benchmark. "
        f"RS-Ratio = 100 + z-score of RS / mean(RS over the last {ratio_window} rows), "
        f"the z-score taken against the last {norm_window} rows of that quotient. "
        f"RS-Momentum = 100 + z-score of the {momentum_window}-row rate of change of RS-Ratio "
        f"(RS-Ratio[t] / RS-Ratio[t-{momentum_window}] - 1), against its last {norm_window} rows. "
        f"Means and sample standard deviations (ddof 1) use trailing windows only, today "
        f"included, so past points never change when new data arrive. Tail points are "
        f"{tail_step} trading rows apart; the direction is the compass heading of the last step."
    )


def rrg(
    prices: pd.DataFrame,
    benchmark: pd.Series,
    *,
    ratio_window: int = 63,
    momentum_window: int = 10,
    norm_window: int = 252,
    tail: int = 8,
    tail_step: int = 5,
) -> RrgResult:
    """Relative Rotation Graph of every column of ``prices`` against ``benchmark``.

    Parameters
    ----------
    prices : pandas.DataFrame
        Daily prices, one column per segment, indexed by date (sorted, unique).
    benchmark : pandas.Series
        Daily benchmark prices indexed by date. Only dates present in both are used; a segment
        with no price on a benchmark date has NaN there.
    ratio_window : int, default 63
        Trailing rows (about three months of trading days) of the moving average of RS.
    momentum_window : int, default 10
        Rows (two weeks) of the rate of change of RS-Ratio.
    norm_window : int, default 252
        Trailing rows (one year) over which both z-scores are taken.
    tail : int, default 8
        Number of tail points per segment (eight weeks with the default spacing).
    tail_step : int, default 5
        Rows between tail points (5 = weekly spacing); the direction is measured over this step.

    Returns
    -------
    RrgResult
        RS-Ratio and RS-Momentum series, the tail, the current table and the formula text.

    Raises
    ------
    InputError
        When a parameter is not a positive integer, the inputs are not indexed by unique sorted
        dates, or a price is not positive.

    Notes
    -----
    With ``P`` the segment price, ``B`` the benchmark, ``w = ratio_window``,
    ``k = momentum_window``, ``n = norm_window``, rows counted in the aligned trading days::

        RS[t]  = 100 * P[t] / B[t]
        Q[t]   = RS[t] / mean(RS[t-w+1 .. t])
        RSR[t] = 100 + (Q[t] - mean(Q[t-n+1 .. t])) / std(Q[t-n+1 .. t])
        ROC[t] = RSR[t] / RSR[t-k] - 1
        RSM[t] = 100 + (ROC[t] - mean(ROC[t-n+1 .. t])) / std(ROC[t-n+1 .. t])

    where ``std`` is the sample standard deviation (ddof 1). Every window is trailing and complete
    (a value is NaN until the window is full, or if it holds a NaN), so a value at date t depends
    only on data up to t and never changes when later data are appended. A zero standard deviation
    gives NaN. The first RS-Momentum value needs ``w + 2n + k - 2`` rows (about two years with the
    defaults).

    Quadrants: leading (RSR >= 100, RSM >= 100), weakening (RSR >= 100, RSM < 100), lagging (both
    < 100), improving (RSR < 100, RSM >= 100). Direction: the compass heading of the move from the
    previous tail point to the last one (see :func:`heading`).

    Examples
    --------
    >>> idx = pd.bdate_range("2020-01-01", periods=800)
    >>> rng = np.random.default_rng(0)
    >>> walk = lambda: 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(idx))))
    >>> res = rrg(pd.DataFrame({"a": walk(), "b": walk()}, index=idx), pd.Series(walk(), idx))
    >>> list(res.table.columns)
    ['segment', 'rs_ratio', 'rs_momentum', 'quadrant', 'direction']
    """
    for name, value in (
        ("ratio_window", ratio_window),
        ("momentum_window", momentum_window),
        ("norm_window", norm_window),
        ("tail", tail),
        ("tail_step", tail_step),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be a positive integer, got {value!r}")
    if norm_window < 2:
        raise InputError(
            f"norm_window must be at least 2 (a standard deviation), got {norm_window}"
        )
    if not isinstance(prices, pd.DataFrame):
        raise InputError(f"prices must be a pandas DataFrame, got {type(prices).__name__}")
    if isinstance(benchmark, pd.DataFrame):
        if benchmark.shape[1] != 1:
            raise InputError("benchmark must be a Series (or a one-column DataFrame)")
        benchmark = benchmark.iloc[:, 0]
    if not isinstance(benchmark, pd.Series):
        raise InputError(f"benchmark must be a pandas Series, got {type(benchmark).__name__}")
    _check_index(prices.index, "prices")
    _check_index(benchmark.index, "benchmark")

    bench = benchmark.astype("float64").dropna()
    px = prices.astype("float64").reindex(bench.index)
    _check_positive(px, "prices")
    _check_positive(bench.to_frame("benchmark"), "benchmark")

    rs = 100.0 * px.div(bench, axis=0)
    quotient = rs / rs.rolling(ratio_window, min_periods=ratio_window).mean()
    ratio = 100.0 + _trailing_z(quotient, norm_window)
    roc = ratio / ratio.shift(momentum_window) - 1.0
    momentum = 100.0 + _trailing_z(roc, norm_window)
    ratio.columns.name = None
    momentum.columns.name = None

    tail_table = _tail(ratio, momentum, tail, tail_step)
    table = _table(ratio, momentum, tail_step)
    as_of = pd.Timestamp(ratio.index[-1]) if len(ratio.index) else None
    return RrgResult(
        ratio=ratio,
        momentum=momentum,
        tail=tail_table,
        table=table,
        formula=rrg_formula(ratio_window, momentum_window, norm_window, tail_step),
        as_of=as_of,
        ratio_window=int(ratio_window),
        momentum_window=int(momentum_window),
        norm_window=int(norm_window),
        tail_length=int(tail),
        tail_step=int(tail_step),
    )


def _trailing_z(frame: pd.DataFrame, window: int) -> pd.DataFrame:
    """Z-score of each value against the trailing ``window`` rows (today included, ddof 1)."""
    roll = frame.rolling(window, min_periods=window)
    z = (frame - roll.mean()) / roll.std(ddof=1)
    return z.replace([np.inf, -np.inf], np.nan)


def _tail(ratio: pd.DataFrame, momentum: pd.DataFrame, length: int, step: int) -> pd.DataFrame:
    """Last ``length`` rows spaced ``step`` apart, as a long table, oldest first."""
    n = len(ratio.index)
    positions = [n - 1 - i * step for i in range(length) if n - 1 - i * step >= 0][::-1]
    rows: list[dict[str, object]] = []
    for segment in ratio.columns:
        for pos in positions:
            x = float(ratio[segment].iloc[pos])
            y = float(momentum[segment].iloc[pos])
            if math.isnan(x) or math.isnan(y):
                continue
            rows.append(
                {
                    "segment": segment,
                    "date": pd.Timestamp(ratio.index[pos]),
                    "rs_ratio": x,
                    "rs_momentum": y,
                }
            )
    columns = ["segment", "date", "rs_ratio", "rs_momentum"]
    if not rows:
        return pd.DataFrame(
            {
                "segment": pd.Series([], dtype=object),
                "date": pd.Series([], dtype="datetime64[ns]"),
                "rs_ratio": pd.Series([], dtype="float64"),
                "rs_momentum": pd.Series([], dtype="float64"),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _table(ratio: pd.DataFrame, momentum: pd.DataFrame, step: int) -> pd.DataFrame:
    """Current quadrant and direction of every segment."""
    rows: list[dict[str, object]] = []
    n = len(ratio.index)
    for segment in ratio.columns:
        x = float(ratio[segment].iloc[-1]) if n else math.nan
        y = float(momentum[segment].iloc[-1]) if n else math.nan
        if n > step:
            dx = x - float(ratio[segment].iloc[-1 - step])
            dy = y - float(momentum[segment].iloc[-1 - step])
        else:
            dx = dy = math.nan
        rows.append(
            {
                "segment": segment,
                "rs_ratio": x,
                "rs_momentum": y,
                "quadrant": quadrant(x, y),
                "direction": heading(dx, dy),
            }
        )
    return pd.DataFrame(
        rows, columns=["segment", "rs_ratio", "rs_momentum", "quadrant", "direction"]
    )


def _check_index(index: pd.Index, name: str) -> None:
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError(
            f"{name} must be indexed by dates (a DatetimeIndex), got {type(index).__name__}"
        )
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise InputError(f"{name} has a duplicated date {dup.date()}")
    if not index.is_monotonic_increasing:
        raise InputError(f"{name} dates are not sorted in increasing order")


def _check_positive(frame: pd.DataFrame, name: str) -> None:
    bad = frame.le(0.0)
    if bool(bad.to_numpy().any()):
        col = bad.any(axis=0).idxmax()
        when = cast(pd.Timestamp, bad[col].idxmax())  # the frame has a DatetimeIndex
        price = cast(float, frame.at[when, col])
        raise InputError(
            f"{name}: non-positive price {float(price)!r} for {col} on {pd.Timestamp(when).date()}"
        )


def _missing(value: float) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True
