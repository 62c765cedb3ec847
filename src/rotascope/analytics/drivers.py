"""Drivers: how a pair's daily relative return moves with a driver (2-year yield, oil, odds...).

DESIGN 5, "Drivers": a rolling regression of the pair's daily relative return on the daily changes
of a driver series, with the beta's t-statistic and the R^2.

Definitions:

- the pair's prices and the driver's levels are joined on their common dates first (rows where
  any of the three is missing are dropped), so the relative return and the driver change of a row
  span the same two dates;
- relative return ``y[t] = (P_A[t] / P_A[t-1]) / (P_B[t] / P_B[t-1]) - 1`` (DESIGN 5, simple, not
  log; :func:`rotascope.analytics.relative_rolling` with N = 1);
- driver change ``x[t] = scale * (D[t] - D[t-1])`` (``change="diff"``: yields in percent with
  ``scale=100`` give basis points), ``scale * (D[t] / D[t-1] - 1)`` (``"pct"``) or
  ``scale * log(D[t] / D[t-1])`` (``"log"``);
- over the trailing window of W rows (default 252, one year of trading days), ordinary least
  squares ``y = alpha + beta * x + e``: ``beta = cov(x, y) / var(x)``, ``R^2 = corr(x, y)^2``,
  ``se(beta) = sqrt(s^2 / ((n - 1) var(x)))`` with ``s^2 = (n - 1) var(y) (1 - R^2) / (n - 2)``,
  ``t = beta / se(beta)`` (the classical OLS standard error, as statsmodels' ``OLS`` reports).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    as_price_series,
    as_series,
    check_int,
    check_option,
    date_index,
    is_number,
    median_gap_days,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.analytics.relative import relative_rolling
from rotascope.errors import InputError
from rotascope.kernels.rolling import rolling_mean_std_1d

__all__ = [
    "CHANGES",
    "Change",
    "DriverResult",
    "default_window",
    "driver_changes",
    "driver_sensitivity",
    "nice_step",
    "pair_driver_frame",
    "rolling_beta",
]

Change = Literal["diff", "pct", "log"]
CHANGES: tuple[str, ...] = ("diff", "pct", "log")


def default_window(index: pd.DatetimeIndex) -> int:
    """One year of rows for daily (252) and weekly (52) data; 36 rows for monthly or slower data
    (twelve points are too few for a regression).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Dates of the rows the regression runs on, sorted.

    Returns
    -------
    int
        252, 52 or 36 rows.

    Notes
    -----
    With ``g`` the median number of days between consecutive dates
    (``np.median(np.diff(index)) / 1 day``): 252 when ``g <= 4`` (trading days, with weekends
    and holidays) or when the index has fewer than two dates, 52 when ``4 < g <= 10`` (weeks),
    else 36 (months, quarters...).
    """
    days = median_gap_days(index)
    if len(index) < 2 or days <= 4:
        return 252
    if days <= 10:
        return 52
    return 36


def driver_changes(driver: pd.Series, change: Change = "diff", scale: float = 1.0) -> pd.Series:
    """Row-to-row changes of a driver series.

    Parameters
    ----------
    driver : pandas.Series
        Levels on a sorted DatetimeIndex (NaN rows dropped first).
    change : {"diff", "pct", "log"}, default "diff"
        ``diff``: ``D[t] - D[t-1]``; ``pct``: ``D[t] / D[t-1] - 1``; ``log``:
        ``log(D[t] / D[t-1])`` (``pct`` and ``log`` need positive levels).
    scale : float, default 1.0
        Multiplier: 100 turns a yield in percent into basis points, or a ``pct`` change into
        percent.

    Returns
    -------
    pandas.Series
        On the non-NaN rows of ``driver``, named like it (``"driver"`` when unnamed): the
        scaled change from the previous such row; NaN on the first row.

    Raises
    ------
    InputError
        Unknown ``change``, a zero, non-finite or bool ``scale``, or a level <= 0 with ``pct`` or
        ``log``.

    Notes
    -----
    After NaN rows are dropped, ``x[t] = scale * (D[t] - D[t-1])`` (``diff``),
    ``scale * (D[t] / D[t-1] - 1)`` (``pct``) or ``scale * log(D[t] / D[t-1])`` (``log``), with
    ``t-1`` the previous valid row, so a change across a gap spans the whole gap. Equals
    ``scale * d.dropna().diff()``, ``scale * d.dropna().pct_change()`` and ``scale *
    np.log(d.dropna()).diff()``. A negative ``scale`` is allowed and flips the sign.
    """
    check_option(change, "change", CHANGES)
    if not (is_number(scale) and math.isfinite(scale) and scale != 0):
        raise InputError(f"scale must be a non-zero number (got {scale!r})")
    name = series_name(driver, "driver") if isinstance(driver, pd.Series) else "driver"
    d = valid_series(driver, name)
    v = d.to_numpy()
    out = np.full(len(v), np.nan)
    if change == "diff":
        out[1:] = np.diff(v)
    else:
        if (v <= 0).any():
            day = d.index[int(np.flatnonzero(v <= 0)[0])]
            raise InputError(f"{name}: change={change!r} needs positive levels "
                             f"({d[day]!r} on {day.date()}); use change='diff'")
        out[1:] = v[1:] / v[:-1] - 1.0 if change == "pct" else np.log(v[1:] / v[:-1])
    return pd.Series(out * float(scale), index=d.index, name=name)


def rolling_beta(
    y: pd.Series, x: pd.Series, window: int = 252, min_periods: int | None = None
) -> pd.DataFrame:
    """Trailing OLS regression of ``y`` on ``x`` (with a constant) at every row.

    Parameters
    ----------
    y, x : pandas.Series
        Dependent and explanatory series; inner-joined on dates, rows with a NaN dropped.
    window : int, default 252
        W rows (today included).
    min_periods : int, optional
        Least rows in the window (default W, at least 3).

    Returns
    -------
    pandas.DataFrame
        On the joined rows: ``beta``, ``alpha``, ``se``, ``tstat``, ``r2``, ``n``; NaN where
        the window is too short or ``x`` is constant in it.

    Notes
    -----
    With sample variances over the window (ddof=1), ``cov(x, y) = (var(x + y) - var(x - y)) /
    4``; ``beta = cov / var(x)``, ``alpha = mean(y) - beta mean(x)``, ``R^2 = cov^2 / (var(x)
    var(y))``, ``se = sqrt((n - 1) var(y) (1 - R^2) / ((n - 2) (n - 1) var(x)))``, ``t = beta /
    se``. Means and variances come from the Welford kernel
    :func:`rotascope.kernels.rolling_mean_std_1d`, so nothing at row t uses a later row.
    """
    w = check_int(window, "window", minimum=3)
    mp = w if min_periods is None else check_int(min_periods, "min_periods", minimum=3)
    if mp > w:
        raise InputError(f"min_periods ({mp}) must not exceed window ({w})")
    df = pd.concat([as_series(y, "y").rename("y"), as_series(x, "x").rename("x")],
                   axis=1, join="inner").dropna()
    yv = df["y"].to_numpy()
    xv = df["x"].to_numpy()
    mx, sx, n = rolling_mean_std_1d(xv, w, mp)
    my, sy, _ = rolling_mean_std_1d(yv, w, mp)
    _, s_plus, _ = rolling_mean_std_1d(xv + yv, w, mp)
    _, s_minus, _ = rolling_mean_std_1d(xv - yv, w, mp)
    vx, vy = sx**2, sy**2
    cov = (s_plus**2 - s_minus**2) / 4.0
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (vx > 0) & (n >= mp)
        beta = np.where(ok, cov / vx, np.nan)
        alpha = my - beta * mx
        r2 = np.where(ok & (vy > 0), cov**2 / (vx * vy), np.nan)
        r2 = np.minimum(r2, 1.0)
        resid = np.maximum((n - 1) * vy * (1.0 - r2), 0.0) / (n - 2)
        se = np.sqrt(resid / ((n - 1) * vx))
        tstat = beta / se
    return pd.DataFrame(
        {"beta": beta, "alpha": alpha, "se": se, "tstat": tstat, "r2": r2,
         "n": n.astype("int64")},
        index=df.index,
    )


def pair_driver_frame(
    a: pd.Series, b: pd.Series, driver: pd.Series, change: Change = "diff", scale: float = 1.0
) -> pd.DataFrame:
    """The pair's daily relative return and the driver's change on their common dates.

    Parameters
    ----------
    a, b : pandas.Series
        Prices (positive) on sorted DatetimeIndexes.
    driver : pandas.Series
        Driver levels.
    change, scale
        See :func:`driver_changes`.

    Returns
    -------
    pandas.DataFrame
        Columns ``rel`` (relative return, a fraction) and ``change`` on the dates common to the
        three series, first common date dropped (it has no change).

    Raises
    ------
    InputError
        Fewer than three common dates, a price <= 0, or a driver level <= 0 with ``pct`` or
        ``log``.

    Notes
    -----
    NaN rows of each series are dropped, then the three are inner-joined on dates. On the
    joined rows, ``rel[t] = (P_A[t] / P_A[t-1]) / (P_B[t] / P_B[t-1]) - 1`` and ``change[t] =``
    the :func:`driver_changes` of ``D`` (e.g. ``scale * (D[t] - D[t-1])``), with ``t-1`` the
    previous joined row: both span the same two dates, also across a date one series lacks.
    In plain pandas: ``j = pd.concat([a, b, d], axis=1).dropna()``, ``rel = (j.a / j.a.shift())
    / (j.b / j.b.shift()) - 1``, ``change = scale * j.d.diff()``, first row dropped.
    """
    name_a = series_name(a, "a") if isinstance(a, pd.Series) else "a"
    name_b = series_name(b, "b") if isinstance(b, pd.Series) else "b"
    name_d = series_name(driver, "driver") if isinstance(driver, pd.Series) else "driver"
    pa = as_price_series(a, name_a)
    pb = as_price_series(b, name_b)
    d = valid_series(driver, name_d)
    joined = pd.concat([pa.rename("a"), pb.rename("b"), d.rename("d")], axis=1,
                       join="inner").dropna()
    if len(joined) < 3:
        raise InputError(f"{name_a}, {name_b} and {name_d} have fewer than 3 dates in common")
    rel = relative_rolling(joined["a"].rename(name_a), joined["b"].rename(name_b), 1)
    chg = driver_changes(joined["d"].rename(name_d), change, scale)
    return pd.DataFrame({"rel": rel, "change": chg}).iloc[1:]


def nice_step(x: float) -> float:
    """Round a positive size to 1, 2 or 5 times a power of ten (``6.3 -> 5``, ``0.013 -> 0.01``).

    Parameters
    ----------
    x : float
        A size, e.g. the standard deviation of a driver's changes.

    Returns
    -------
    float
        The largest of ``1, 2, 5`` times ``10**k`` that is <= ``x``; 1.0 when ``x`` is not a
        positive finite number (0, negative, NaN, infinite).

    Notes
    -----
    Rounds down, never up: with ``k = floor(log10(x))``, the result is ``m * 10**k`` for the
    largest ``m`` in ``(5, 2, 1)`` with ``x >= m * 10**k`` (``9.9 -> 5``, ``4.99 -> 2``,
    ``1000 -> 1000``). So the step is at most ``x`` and more than ``x / 2.5``.
    """
    if not (x > 0 and math.isfinite(x)):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (5.0, 2.0, 1.0):
        if x >= m * power:
            return m * power
    return power  # pragma: no cover - x >= power always holds


@dataclass(frozen=True)
class DriverResult:
    """Sensitivity of a pair's relative return to a driver, at one date.

    Attributes
    ----------
    a, b, driver : str
        Names of the pair's legs and of the driver.
    date : pandas.Timestamp
        Last common row on or before ``as_of``.
    window : int
        Rows of the regression.
    start : pandas.Timestamp
        First row of the window.
    change : {"diff", "pct", "log"}
    scale : float
    units : str
        Units of the driver change (``"bp"``, ``"%"``, ``"points"``).
    beta : float
        Relative return (fraction) per one unit of driver change.
    alpha, se, tstat, r2 : float
    n : int
        Rows in the window.
    step : float
        A typical driver move the sentence uses (10 bp for yields, else :func:`nice_step` of
        the standard deviation of the changes in the window).
    effect : float
        ``beta * step``: relative return per ``step`` of driver change.
    driver_std : float
        Standard deviation of the driver changes in the window.
    series : pandas.DataFrame
        For charts: :func:`rolling_beta` columns plus ``rel`` and ``change``, up to ``date``.
    """

    a: str
    b: str
    driver: str
    date: pd.Timestamp
    window: int
    start: pd.Timestamp
    change: str
    scale: float
    units: str
    beta: float
    alpha: float
    se: float
    tstat: float
    r2: float
    n: int
    step: float
    effect: float
    driver_std: float
    series: pd.DataFrame

    @property
    def significant(self) -> bool:
        """``|t| >= 2``."""
        return bool(abs(self.tstat) >= 2.0)

    @property
    def table(self) -> pd.DataFrame:
        """One row indexed by ``"<A>/<B> ~ <driver>"``."""
        return pd.DataFrame(
            {"date": [self.date], "start": [self.start], "window": [self.window],
             "beta": [self.beta], "tstat": [self.tstat], "r2": [self.r2], "n": [self.n],
             "units": [self.units], "step": [self.step], "effect": [self.effect]},
            index=pd.Index([f"{self.a}/{self.b} ~ {self.driver}"], name="regression"),
        )


def driver_sensitivity(
    a: pd.Series,
    b: pd.Series,
    driver: pd.Series,
    as_of: object = None,
    window: int | None = None,
    change: Change = "diff",
    scale: float = 1.0,
    units: str = "",
    step: float | None = None,
) -> DriverResult:
    """Rolling beta of the pair's daily relative return on the driver's changes, at ``as_of``.

    Parameters
    ----------
    a, b : pandas.Series
        Prices of the pair's legs (A vs B).
    driver : pandas.Series
        Driver levels (a yield in percent, an odds series, a price).
    as_of : date-like, optional
        Use only data on or before this date.
    window : int, optional
        Rows of the regression (default :func:`default_window`: 252 for daily data).
    change, scale : see :func:`driver_changes`
        E.g. ``change="diff", scale=100`` for a yield in percent (changes in basis points).
    units : str, optional
        Units of the scaled change for sentences (``"bp"``); default ``"bp"`` when
        ``change="diff"`` and ``scale=100``, ``"%"`` for ``pct`` with scale 100, else ``"units"``.
    step : float, optional
        Driver move the effect is stated for (default 10 for basis points, else
        :func:`nice_step` of the window's standard deviation of changes).

    Returns
    -------
    DriverResult

    Notes
    -----
    Module docstring; the regression at ``date`` uses the W common rows ending there
    (:func:`rolling_beta`), so the result equals that of data truncated at ``as_of``.
    """
    name_a = series_name(a, "a") if isinstance(a, pd.Series) else "a"
    name_b = series_name(b, "b") if isinstance(b, pd.Series) else "b"
    name_d = series_name(driver, "driver") if isinstance(driver, pd.Series) else "driver"
    frame = pair_driver_frame(a, b, driver, change, scale)
    t = snap_position(date_index(frame), as_of, f"{name_a}, {name_b} and {name_d}")
    frame = frame.iloc[: t + 1]
    w = default_window(date_index(frame)) if window is None else check_int(window, "window", 3)
    if len(frame) < w:
        raise InputError(
            f"{name_a}/{name_b} vs {name_d}: {len(frame)} common rows up to "
            f"{frame.index[-1].date()}, the {w}-row regression needs {w}"
        )
    reg = rolling_beta(frame["rel"], frame["change"], w)
    series = pd.concat([frame, reg], axis=1)
    last = series.iloc[-1]
    if units:
        unit = units
    elif change == "diff" and scale == 100:
        unit = "bp"
    elif change in ("pct", "log") and scale == 100:
        unit = "%"
    else:
        unit = "units"
    driver_std = float(frame["change"].iloc[-w:].std(ddof=1))
    if step is None:
        size = 10.0 if unit == "bp" else nice_step(driver_std)
    else:
        if not (isinstance(step, int | float) and step > 0):
            raise InputError(f"step must be a positive number (got {step!r})")
        size = float(step)
    beta = float(last["beta"])
    return DriverResult(
        a=name_a, b=name_b, driver=name_d, date=series.index[-1], window=w,
        start=series.index[-w], change=change, scale=float(scale), units=unit, beta=beta,
        alpha=float(last["alpha"]), se=float(last["se"]), tstat=float(last["tstat"]),
        r2=float(last["r2"]), n=int(last["n"]), step=size, effect=beta * size,
        driver_std=driver_std, series=series,
    )
