"""Valuation percentiles: where today's P/E, earnings yield or BE/ME stands in its own history.

DESIGN 5, "Percentile vs history": within the trailing lookback (default 20 years), the share of
observations below today's value plus half the share equal to it, today included; decile =
``max(1, ceil(10 * percentile))``. The same applies to the ratio or spread between two segments'
valuations (small caps' BE/ME over large caps').

Direction convention (what "cheap" means), by metric:

==============  ====================================================  ================
metric          examples                                              cheap when
==============  ====================================================  ================
``multiple``    P/E (trailing or forward), CAPE, P/B, P/S             low
``yield``       earnings yield E/P, BE/ME (book-to-market), D/P,      high
                bond yields and credit spreads
``level``       anything else                                         (no wording)
==============  ====================================================  ================

BE/ME is the inverse of P/B: a higher BE/ME is a cheaper stock. A ratio ``A / B`` (or spread
``A - B``) of two valuations keeps the metric's direction: for BE/ME, a higher small/big ratio
means small caps are cheaper relative to large caps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    align,
    as_series,
    check_int,
    check_option,
    date_index,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.analytics.records import RecordResult, record_at
from rotascope.analytics.stats import decile
from rotascope.analytics.windows import Window, parse_window
from rotascope.errors import InputError
from rotascope.kernels.rolling import rolling_percentile_1d

__all__ = [
    "METRIC_ALIASES",
    "Metric",
    "ValuationResult",
    "cheap_when",
    "composite",
    "lookback_starts",
    "parse_metric",
    "relative_valuation",
    "valuation_percentile",
    "weighted_composite",
    "window_percentiles",
]

Metric = Literal["multiple", "yield", "level"]
METRICS: tuple[str, ...] = get_args(Metric)

#: Spellings accepted by :func:`parse_metric` (case-insensitive), and the metric they mean.
METRIC_ALIASES: dict[str, Metric] = {
    "multiple": "multiple", "pe": "multiple", "p/e": "multiple", "forward-pe": "multiple",
    "trailing-pe": "multiple", "cape": "multiple", "pb": "multiple", "p/b": "multiple",
    "ps": "multiple", "p/s": "multiple", "ev/ebitda": "multiple",
    "yield": "yield", "earnings-yield": "yield", "ey": "yield", "e/p": "yield",
    "be/me": "yield", "bm": "yield", "book-to-market": "yield", "dividend-yield": "yield",
    "d/p": "yield", "dy": "yield", "credit-spread": "yield",
    "level": "level",
}

#: Quantiles of the percentile band carried for charts.
BAND = (0.1, 0.5, 0.9)


def parse_metric(metric: str) -> Metric:
    """Map a metric spelling (``pe``, ``cape``, ``be/me``, ``earnings-yield``...) to
    ``multiple``, ``yield`` or ``level`` (see :data:`METRIC_ALIASES`).

    Parameters
    ----------
    metric : str
        A key of :data:`METRIC_ALIASES`, in any case, with or without surrounding spaces; the
        three metric names themselves are keys too.

    Returns
    -------
    {"multiple", "yield", "level"}

    Raises
    ------
    InputError
        When ``metric`` is not a string or not a known spelling; the message lists them all.

    Notes
    -----
    ``METRIC_ALIASES[metric.strip().lower()]``: a plain table look-up, no partial or fuzzy
    match (``"p/e ratio"`` is refused).
    """
    if isinstance(metric, str) and metric.strip().lower() in METRIC_ALIASES:
        return METRIC_ALIASES[metric.strip().lower()]
    known = ", ".join(sorted(METRIC_ALIASES))
    raise InputError(f"metric must be one of: {known} (got {metric!r})")


def cheap_when(metric: Metric) -> Literal["high", "low"] | None:
    """``"low"`` for multiples (a low P/E is cheap), ``"high"`` for yields (a high BE/ME or
    earnings yield is cheap), None for ``level``.

    Parameters
    ----------
    metric : {"multiple", "yield", "level"}
        A metric name as :func:`parse_metric` returns it; spellings such as ``"pe"`` are
        refused (parse them first).

    Returns
    -------
    {"high", "low"} or None
        The side of a metric's history on which it is cheap; None when the metric has no
        direction.

    Raises
    ------
    InputError
        When ``metric`` is not one of the three names.

    Notes
    -----
    ``multiple -> "low"``, ``yield -> "high"``, ``level -> None`` (the table in the module
    docstring). :func:`valuation_percentile` turns it into ``cheapness = percentile`` when cheap
    is high and ``1 - percentile`` when cheap is low.
    """
    check_option(metric, "metric", METRICS)
    return {"multiple": "low", "yield": "high"}.get(metric)  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# combining series


def composite(series: Sequence[pd.Series], name: str) -> pd.Series:
    """Equal-weight average of several valuation series on their common dates.

    Parameters
    ----------
    series : sequence of pandas.Series
        At least one series on sorted DatetimeIndexes (e.g. the BE/ME of the three Ken French
        small portfolios SMALL LoBM, ME1 BM2 and SMALL HiBM).
    name : str
        Name of the result.

    Returns
    -------
    pandas.Series
        ``mean_i x_i[t]`` on the dates where every series has a value.

    Notes
    -----
    Every series counts equally. For the valuation of a size segment built from portfolios, use
    :func:`weighted_composite` with their market equity instead: a plain mean of the three
    book-to-market terciles is driven by the high-BM one.
    """
    if not series:
        raise InputError("series must hold at least one series")
    cols = [as_series(s, f"series[{i}]").rename(i) for i, s in enumerate(series)]
    frame = pd.concat(cols, axis=1, join="inner").dropna()
    if frame.empty:
        raise InputError(f"{name}: the series have no date in common")
    return frame.mean(axis=1).rename(name)


def weighted_composite(
    series: Sequence[pd.Series], weights: Sequence[pd.Series], name: str
) -> pd.Series:
    """Weighted average of several valuation series on their common dates.

    Parameters
    ----------
    series : sequence of pandas.Series
        Valuations of the parts (e.g. the value-weighted BE/ME of the Ken French portfolios
        SMALL LoBM, ME1 BM2 and SMALL HiBM).
    weights : sequence of pandas.Series
        One non-negative weight series per part, same order (e.g. each portfolio's market
        equity: number of firms x average market cap, from the same file).
    name : str
        Name of the result.

    Returns
    -------
    pandas.Series
        ``sum_i w_i[t] x_i[t] / sum_i w_i[t]`` on the dates where every series and weight has a
        value and the weights do not sum to zero.

    Notes
    -----
    With market equity as weights this is the aggregate book-to-market of the segment:
    a portfolio's BE/ME times its ME is its book equity, so the ratio is sum of BE over sum of
    ME (with Ken French's definitions of BE and of the ME each portfolio is weighted by).

    Examples
    --------
    >>> i = pd.to_datetime(["2024-06-30"])
    >>> float(weighted_composite([pd.Series([1.0], i), pd.Series([0.5], i)],
    ...                          [pd.Series([1.0], i), pd.Series([3.0], i)], "x").iloc[0])
    0.625
    """
    if not series or len(series) != len(weights):
        raise InputError(f"{name}: need one weight series per series (got {len(series)} series "
                         f"and {len(weights)} weights)")
    cols = [as_series(s, f"series[{i}]").rename(f"x{i}") for i, s in enumerate(series)]
    cols += [as_series(w, f"weights[{i}]").rename(f"w{i}") for i, w in enumerate(weights)]
    frame = pd.concat(cols, axis=1, join="inner").dropna()
    n = len(series)
    x = frame[[f"x{i}" for i in range(n)]].to_numpy()
    w = frame[[f"w{i}" for i in range(n)]].to_numpy()
    if (w < 0).any():
        raise InputError(f"{name}: negative weight")
    total = w.sum(axis=1)
    keep = total > 0
    if not keep.any():
        raise InputError(f"{name}: the series and weights have no date in common")
    values = (x * w).sum(axis=1)[keep] / total[keep]
    return pd.Series(values, index=frame.index[keep], name=name)


def relative_valuation(
    a: pd.Series, b: pd.Series, how: Literal["ratio", "spread"] = "ratio"
) -> pd.Series:
    """Ratio or spread between two valuation series on their common dates.

    Parameters
    ----------
    a, b : pandas.Series
        Valuations (same metric) on sorted DatetimeIndexes.
    how : {"ratio", "spread"}
        ``ratio``: ``a / b`` (needs positive ``b``), named ``"<A>/<B>"``; ``spread``: ``a - b``,
        named ``"<A>-<B>"``.

    Returns
    -------
    pandas.Series

    Notes
    -----
    ``rel[t] = a[t] / b[t]`` or ``a[t] - b[t]`` on the dates both have (inner join, NaN rows
    dropped). Both keep the metric's direction convention (a higher BE/ME ratio: A cheaper
    relative to B).
    """
    check_option(how, "how", ("ratio", "spread"))
    name_a = series_name(a, "a") if isinstance(a, pd.Series) else "a"
    name_b = series_name(b, "b") if isinstance(b, pd.Series) else "b"
    df = align(as_series(a, name_a), as_series(b, name_b), (name_a, name_b))
    if how == "spread":
        return (df["a"] - df["b"]).rename(f"{name_a}-{name_b}")
    bad = df["b"] <= 0
    if bad.any():
        day = df.index[bad.to_numpy()][0]
        raise InputError(
            f"{name_b}: non-positive value {df['b'][day]!r} on {day.date()}: use how='spread'"
        )
    return (df["a"] / df["b"]).rename(f"{name_a}/{name_b}")


# --------------------------------------------------------------------------------------------
# trailing lookback windows


def _lookback(lookback: str | Window) -> Window:
    w = parse_window(lookback)
    if w.unit not in ("d", "w", "m", "y"):
        raise InputError(
            f"lookback must be Ny, Nm, Nw (calendar) or Nd (rows), e.g. 20y (got {w.label})"
        )
    return w


def lookback_starts(index: pd.DatetimeIndex, lookback: str | Window) -> np.ndarray:
    """First row of each row's trailing lookback.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates.
    lookback : str or Window
        ``Ny``, ``Nm``, ``Nw``: the rows dated after ``date[t] - span`` (``pandas.DateOffset``
        years or months; 7N days), today included, so "20y" of month-start data is the last 240
        months. ``Nd``: the last N rows, today included.

    Returns
    -------
    ndarray of int64
        ``start[t]``: the window at t is rows ``start[t] .. t``.

    Notes
    -----
    Calendar lookback: ``start[t] = #{s: date[s] <= date[t] - span}``
    (``index.searchsorted(index - span, side="right")``), the first row dated strictly after
    ``date[t] - span``; a row dated exactly ``date[t] - span`` is left out. ``Nm`` and ``Ny``
    subtract ``pandas.DateOffset(months=N)`` / ``DateOffset(years=N)``, which cuts the day to
    the month's last (March 31 - 1 month = February 29 or 28); ``Nw`` subtracts 7N days. Rows
    lookback: ``start[t] = max(t - N + 1, 0)``. Near the start of the data the window is
    shorter (``start[t] = 0``). ``index`` must be sorted (it is not checked); no row uses a
    later row.
    """
    w = _lookback(lookback)
    n = len(index)
    if w.unit == "d":
        return np.maximum(np.arange(n, dtype=np.int64) - w.count + 1, 0)
    if w.unit == "w":
        cut = index - pd.Timedelta(days=7 * w.count)
    elif w.unit == "m":
        cut = index - pd.DateOffset(months=w.count)
    else:
        cut = index - pd.DateOffset(years=w.count)
    return index.searchsorted(cut, side="right").astype(np.int64)


#: Values gathered at once by :func:`window_percentiles`' direct count (8 MB of float64).
_BLOCK_VALUES = 1 << 20


def _blocks(rows: np.ndarray, size: int) -> list[np.ndarray]:
    """``rows`` in consecutive pieces of at most ``_BLOCK_VALUES // size`` rows (at least one)."""
    step = max(1, _BLOCK_VALUES // max(size, 1))
    return [rows[i : i + step] for i in range(0, len(rows), step)]


def window_percentiles(
    x: pd.Series, lookback: str | Window = "20y", quantiles: Sequence[float] = BAND,
    min_periods: int = 24,
) -> pd.DataFrame:
    """Percentile of every row within its trailing lookback, and quantiles of the lookback.

    Parameters
    ----------
    x : pandas.Series
        Values on a sorted DatetimeIndex (NaN rows are dropped first).
    lookback : str or Window, default "20y"
        See :func:`lookback_starts`.
    quantiles : sequence of float, default (0.1, 0.5, 0.9)
        Quantiles of each window (numpy's linear interpolation), for a percentile band.
    min_periods : int, default 24
        Rows whose window holds fewer observations get NaN.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``percentile``, ``count``, ``full`` (the window spans the whole
        lookback: its start is not the first row of the data, or a rows lookback holds N rows)
        and ``p10``, ``p50``, ``p90`` (``p`` + 100 q) for the quantiles.

    Notes
    -----
    ``percentile[t] = (#{s in W(t): x[s] < x[t]} + 0.5 * #{s in W(t): x[s] == x[t]}) / |W(t)|``
    with ``W(t) = start[t] .. t`` (DESIGN 5). When every window is "the last W rows" (regular
    data, e.g. month starts with a calendar lookback) the trailing-window kernel
    :func:`rotascope.kernels.rolling_percentile_1d` computes it in O(n log n); otherwise each
    window is counted directly. No row uses a later row.
    """
    s = valid_series(x, "x")
    mp = check_int(min_periods, "min_periods")
    qs = [float(q) for q in quantiles]
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise InputError(f"quantiles must lie in [0, 1] (got {list(quantiles)!r})")
    w = _lookback(lookback)
    values = s.to_numpy()
    n = len(values)
    starts = lookback_starts(date_index(s), w)
    rows = np.arange(n, dtype=np.int64)
    count = rows - starts + 1
    width = int(count.max()) if n else 1
    regular = n > 0 and bool(np.array_equal(starts, np.maximum(rows - width + 1, 0)))
    band = np.full((n, len(qs)), np.nan)
    if regular:
        pct, _ = rolling_percentile_1d(values, width, 1)
        roll = s.rolling(width, min_periods=1)
        for j, q in enumerate(qs):
            band[:, j] = roll.quantile(q, interpolation="linear").to_numpy()
    else:
        # the windows counted directly, the windows of one length a block at a time (row t's
        # window is values[starts[t] .. t]); np.quantile along an axis does each row's arithmetic
        pct = np.empty(n)
        for size in np.unique(count):
            for at in _blocks(np.flatnonzero(count == size), int(size)):
                win = values[starts[at, None] + np.arange(size)]
                v = values[at, None]
                pct[at] = (np.count_nonzero(win < v, axis=1)
                           + 0.5 * np.count_nonzero(win == v, axis=1)) / size
                band[at] = np.quantile(win, qs, axis=1).T
    short = count < mp
    pct = np.where(short, np.nan, pct)
    band[short] = np.nan
    if w.unit == "d":
        full = count >= w.count
    else:
        full = starts > 0
    out = pd.DataFrame({"value": values, "percentile": pct, "count": count, "full": full},
                       index=s.index)
    for j, q in enumerate(qs):
        out[f"p{round(q * 100):d}"] = band[:, j]
    return out


# --------------------------------------------------------------------------------------------
# the result at one date


@dataclass(frozen=True)
class ValuationResult:
    """Where a valuation (or a ratio of two) stands within its trailing lookback.

    Attributes
    ----------
    name : str
        The series (``"CAPE"``, ``"small BE/ME/big BE/ME"``).
    metric : {"multiple", "yield", "level"}
    cheap_when : {"high", "low"} or None
        Direction convention (module docstring).
    date : pandas.Timestamp
        Last observation on or before ``as_of``.
    value : float
    lookback : str
        Lookback label (``"20y"``).
    lookback_start : pandas.Timestamp
        First observation in the lookback.
    lookback_count : int
        Observations in the lookback, today included.
    lookback_full : bool
        False when the history is shorter than the lookback (all of it was used).
    percentile : float
        In [0, 1]: share of the lookback below today plus half the share equal.
    decile : int
        ``max(1, ceil(10 * percentile))``.
    cheapness : float
        The percentile on the cheap side: ``percentile`` when cheap is high, ``1 - percentile``
        when cheap is low (0.9: cheaper than 90% of the lookback); NaN for ``level``.
    median, low, high : float
        Median, minimum and maximum of the lookback.
    distance : float
        ``value - median``, in the series' units.
    distance_pct : float
        ``value / median - 1`` (NaN when the median is 0).
    record : RecordResult
        Record horizon over the whole history up to ``date`` on the side of today's value: the
        highest since (``direction="gain"``) when ``percentile >= 0.5``, else the lowest since.
    history_start : pandas.Timestamp
        First observation of the whole history.
    series : pandas.DataFrame
        For charts: :func:`window_percentiles` of the history up to ``date`` (value, percentile,
        the 10th/50th/90th percentile band of the trailing lookback).
    """

    name: str
    metric: Metric
    cheap_when: Literal["high", "low"] | None
    date: pd.Timestamp
    value: float
    lookback: str
    lookback_start: pd.Timestamp
    lookback_count: int
    lookback_full: bool
    percentile: float
    decile: int
    cheapness: float
    median: float
    low: float
    high: float
    distance: float
    distance_pct: float
    record: RecordResult
    history_start: pd.Timestamp
    series: pd.DataFrame

    @property
    def state(self) -> Literal["cheap", "expensive", "high", "low", "median"]:
        """``cheap``/``expensive`` vs the lookback median (``high``/``low`` for ``level``)."""
        if self.value == self.median:
            return "median"
        above = self.value > self.median
        if self.cheap_when is None:
            return "high" if above else "low"
        return "cheap" if above == (self.cheap_when == "high") else "expensive"

    @property
    def table(self) -> pd.DataFrame:
        """One row, indexed by ``name``: the numbers a report table shows."""
        rec = self.record
        return pd.DataFrame(
            {
                "date": [self.date], "value": [self.value], "metric": [self.metric],
                "lookback": [self.lookback], "lookback_start": [self.lookback_start],
                "observations": [self.lookback_count], "percentile": [self.percentile],
                "decile": [self.decile], "cheapness": [self.cheapness],
                "median": [self.median], "distance": [self.distance],
                "distance_pct": [self.distance_pct], "low": [self.low], "high": [self.high],
                "state": [self.state],
                "record": ["highest" if rec.direction == "gain" else "lowest"],
                "record_since": [rec.since if rec.since is not None else rec.first_date],
                "on_record": [rec.on_record],
            },
            index=pd.Index([self.name], name="series"),
        )


def valuation_percentile(
    x: pd.Series,
    as_of: object = None,
    lookback: str | Window = "20y",
    metric: Metric | str = "level",
    min_periods: int = 24,
) -> ValuationResult:
    """Percentile, decile, distance to the median and record horizon of today's valuation.

    Parameters
    ----------
    x : pandas.Series
        A valuation (P/E, CAPE, earnings yield, BE/ME) or a ratio/spread of two
        (:func:`relative_valuation`), on a sorted DatetimeIndex; NaN rows are dropped.
    as_of : date-like, optional
        Use only data on or before this date (the value is the last one on or before it).
    lookback : str or Window, default "20y"
        Trailing lookback, any length: ``Ny``/``Nm``/``Nw`` (calendar) or ``Nd`` (rows); see
        :func:`lookback_starts`. When the history is shorter, all of it is used
        (``lookback_full=False``).
    metric : str, default "level"
        ``multiple``, ``yield``, ``level`` or a spelling :func:`parse_metric` knows (``pe``,
        ``be/me``...): sets the cheap/expensive direction.
    min_periods : int, default 24
        Least number of observations in the lookback.

    Returns
    -------
    ValuationResult

    Notes
    -----
    With ``L`` the lookback rows up to and including t: ``percentile = (#{s in L: x[s] < x[t]}
    + 0.5 * #{s in L: x[s] == x[t]}) / |L|``, ``decile = max(1, ceil(10 * percentile))``,
    ``distance = x[t] - median(L)``, ``distance_pct = x[t] / median(L) - 1``. The record
    horizon (:func:`record_at`) uses the whole history up to t: the most recent earlier date
    with a value at least as high (``percentile >= 0.5``) or at least as low.

    Examples
    --------
    >>> idx = pd.date_range("2000-01-01", periods=36, freq="MS")
    >>> r = valuation_percentile(pd.Series(np.arange(36.0), index=idx), lookback="2y")
    >>> r.percentile, r.decile, r.lookback_count
    (0.9791666666666666, 10, 24)
    """
    name = series_name(x, "x") if isinstance(x, pd.Series) else "x"
    m = parse_metric(metric)
    s = valid_series(x, name).rename(name)
    mp = check_int(min_periods, "min_periods", minimum=2)
    t = snap_position(date_index(s), as_of, name)
    s = s.iloc[: t + 1]
    w = _lookback(lookback)
    start = int(lookback_starts(date_index(s), w)[t])
    values = s.to_numpy()
    look = values[start:]
    if len(look) < mp:
        raise InputError(
            f"{name}: {len(look)} observations in the {w.label} lookback to "
            f"{s.index[t].date()}, at least {mp} needed (min_periods)"
        )
    v = float(values[t])
    pct = (np.count_nonzero(look < v) + 0.5 * np.count_nonzero(look == v)) / len(look)
    median = float(np.median(look))
    direction = cheap_when(m)
    cheapness = math.nan if direction is None else (pct if direction == "high" else 1.0 - pct)
    full = start > 0 if w.unit != "d" else len(look) >= w.count
    record = record_at(s, None, "gain" if pct >= 0.5 else "drop")
    series = window_percentiles(s, w, BAND, mp)
    return ValuationResult(
        name=name,
        metric=m,
        cheap_when=direction,
        date=s.index[t],
        value=v,
        lookback=w.label,
        lookback_start=s.index[start],
        lookback_count=len(look),
        lookback_full=bool(full),
        percentile=float(pct),
        decile=decile(float(pct)),
        cheapness=float(cheapness),
        median=median,
        low=float(look.min()),
        high=float(look.max()),
        distance=v - median,
        distance_pct=v / median - 1.0 if median != 0 else math.nan,
        record=record,
        history_start=s.index[0],
        series=series,
    )

