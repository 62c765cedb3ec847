"""Factor monitor: drawdowns, speed and the momentum-unwind classification of factor returns.

DESIGN 5, "Momentum unwind": from a long-short factor's returns (momentum: long winners, short
losers), the drawdown of its cumulative index from its *trailing 12-month* high (not the all-time
high: momentum has been below its 2009 peak for years, so an all-time drawdown says nothing) and
the speed of the fall (1-, 5-, 21-day returns). The thresholds of ``rolling-over``, ``unwind`` and
``crash`` are percentiles of the factor's own history up to the date, never constants.

Definitions (rows are the series' own rows; "daily" numbers shown, the monthly and weekly
profiles are in :data:`PROFILES`):

- cumulative index ``I[t] = prod_{s <= t} (1 + r[s])``;
- trailing high ``H[t] = max(I[t-251 .. t])`` (252 rows, today included; NaN before 252 rows);
- drawdown ``DD[t] = I[t] / H[t] - 1`` (<= 0);
- N-row return ``R_N[t] = I[t] / I[t-N] - 1`` for N in 1, 5, 21;
- percentiles vs history (DESIGN 5): ``p_DD[t]`` and ``p_N[t]`` of today's value among all values
  of the same statistic up to and including t (expanding window);
- speed percentile ``p_speed[t] = min(p_5[t], p_21[t])``: the faster of the two falls; gain
  percentile ``p_gain[t] = max(p_5[t], p_21[t])``: the stronger of the two rises;
- status: depth (drawdown from the trailing high) and direction and speed (5- and 21-day moves
  against the factor's own history) together; the first rule that holds, and only once the
  drawdown has ``min_history`` rows of history (three years), before which it is
  ``insufficient-history``:

  =================  ===================================================================
  ``crash``          ``p_DD <= 0.05`` and ``p_speed <= 0.01``: a drawdown in the deepest 5%
                     of history and a 5- or 21-day fall in the worst 1%
  ``unwind``         ``p_DD <= 0.10`` and ``p_speed <= 0.05``
  ``rebounding``     ``p_gain >= 0.90`` and ``p_DD <= 0.50``: recovering from a drawdown
                     deeper than the median one, with a 5- or 21-day gain in the top decile
                     (and the 5-day move not in the worst decile)
  ``rolling-over``   ``p_speed <= 0.10``: a fast fall (5- or 21-day return in the worst
                     decile) that has not (yet) made an unwind
  ``drawdown``       ``p_DD <= 0.25``: deeper than three quarters of history, but not moving
                     fast in either direction
  ``normal``         otherwise
  =================  ===================================================================

- episodes: unwind or crash rows closer than ``cooloff`` rows (21, a month) with no ``normal`` row
  between them form one episode (see :func:`unwind_episodes`).

Every statistic at row t uses rows up to t only, so the status of a past date never changes when
data are added, and the classification at ``as_of`` equals that of the data truncated at
``as_of``. On the Fama-French daily momentum factor (1926-2026) the default rules flag about 26%
of days as rolling over, 1.7% as unwinding and 0.9% as crashing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    as_timestamp,
    date_index,
    median_gap_days,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.analytics.records import RecordResult, record_at
from rotascope.errors import InputError
from rotascope.kernels.returns import windowed_returns_1d
from rotascope.kernels.rolling import expanding_percentile_1d

__all__ = [
    "EPISODE_COLUMNS",
    "PROFILES",
    "STATUSES",
    "FactorMonitor",
    "FactorProfile",
    "FactorResult",
    "FactorStatus",
    "UnwindRules",
    "cumulative_index",
    "factor_monitor",
    "factor_status",
    "factor_table",
    "history_cutoff",
    "unwind_episodes",
]

FactorStatus = Literal["insufficient-history", "normal", "rebounding", "drawdown",
                       "rolling-over", "unwind", "crash"]
STATUSES: tuple[str, ...] = ("insufficient-history", "normal", "rebounding", "drawdown",
                             "rolling-over", "unwind", "crash")


@dataclass(frozen=True)
class UnwindRules:
    """Percentile thresholds of the classification (fractions of the factor's own history).

    Attributes
    ----------
    rolling_over : float, default 0.10
        ``rolling-over`` when the speed percentile (the faster 5- or 21-day fall) is at most
        this.
    deep_drawdown : float, default 0.25
        ``drawdown`` when the drawdown percentile is at most this (and nothing faster holds).
    rebound_gain, rebound_drawdown : float, default 0.90 and 0.50
        ``rebounding`` when the gain percentile is at least ``rebound_gain`` and the drawdown
        percentile at most ``rebound_drawdown``.
    unwind_drawdown, unwind_speed : float, default 0.10 and 0.05
        ``unwind`` when the drawdown percentile is at most ``unwind_drawdown`` and the speed
        percentile at most ``unwind_speed``.
    crash_drawdown, crash_speed : float, default 0.05 and 0.01
        ``crash`` likewise.
    """

    rolling_over: float = 0.10
    deep_drawdown: float = 0.25
    rebound_gain: float = 0.90
    rebound_drawdown: float = 0.50
    unwind_drawdown: float = 0.10
    unwind_speed: float = 0.05
    crash_drawdown: float = 0.05
    crash_speed: float = 0.01

    def __post_init__(self) -> None:
        for name in ("rolling_over", "deep_drawdown", "rebound_gain", "rebound_drawdown",
                     "unwind_drawdown", "unwind_speed", "crash_drawdown", "crash_speed"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 < value < 1.0):
                raise InputError(f"{name} must be a fraction in (0, 1) (got {value!r})")


@dataclass(frozen=True)
class FactorProfile:
    """Row counts that suit a factor's frequency.

    Attributes
    ----------
    frequency : str
    high_window : int
        Rows of the trailing high (one year).
    windows : tuple of int
        Rows of the windowed returns reported (the "1-, 5-, 21-day returns").
    speed_windows : tuple of int
        Windows whose percentiles make the speed percentile.
    cooloff : int
        Unwind rows at most this many rows apart are one episode (about a month).
    min_history : int
        Rows of drawdown history needed before a status is given (three years).
    """

    frequency: str
    high_window: int
    windows: tuple[int, ...]
    speed_windows: tuple[int, ...]
    cooloff: int
    min_history: int

    def label(self, n: int) -> str:
        """``5d`` on daily data, ``3m`` on monthly data, ``4w`` on weekly data."""
        unit = {"daily": "d", "weekly": "w"}.get(self.frequency, "m")
        return f"{n}{unit}"


#: Profiles by frequency (chosen from the median spacing of the dates).
PROFILES: Mapping[str, FactorProfile] = {
    "daily": FactorProfile("daily", 252, (1, 5, 21), (5, 21), 21, 756),
    "weekly": FactorProfile("weekly", 52, (1, 4, 13), (1, 4), 4, 156),
    "monthly": FactorProfile("monthly", 12, (1, 3, 6), (1, 3), 1, 36),
}

EPISODE_COLUMNS: tuple[str, ...] = (
    "peak_date", "start", "end", "trough_date", "depth", "severity", "unwind_rows",
    "crash_rows", "worst_speed", "worst_speed_date", "recovery", "regained_peak", "ongoing",
)


def _profile(index: pd.DatetimeIndex) -> FactorProfile:
    days = median_gap_days(index)
    if len(index) < 2 or days <= 4:
        return PROFILES["daily"]
    if days <= 10:
        return PROFILES["weekly"]
    return PROFILES["monthly"]


def _returns(returns: object, name: str) -> pd.Series:
    r = valid_series(returns, name)
    if r.empty:
        raise InputError(f"{name}: no returns")
    bad = r <= -1.0
    if bad.any():
        day = r.index[bad.to_numpy()][0]
        raise InputError(f"{name}: return {r[day]:g} on {day.date()} is -100% or worse "
                         "(returns must be fractions: 0.01 = 1%)")
    return r


def cumulative_index(returns: pd.Series, base: float = 1.0) -> pd.Series:
    """Cumulative index of a return series: ``I[t] = base * prod_{s <= t} (1 + r[s])``.

    Parameters
    ----------
    returns : pandas.Series
        Returns as fractions on a sorted DatetimeIndex (NaN rows dropped).
    base : float, default 1.0
        Level before the first return.

    Returns
    -------
    pandas.Series

    Notes
    -----
    ``I[t] = base * prod_{s <= t} (1 + r[s])``: the index on a return's date includes that
    return, so ``I[t] / I[t-N] - 1`` is the compounded return of rows ``t-N+1 .. t``.
    """
    name = series_name(returns, "returns") if isinstance(returns, pd.Series) else "returns"
    r = _returns(returns, name)
    return pd.Series(base * np.cumprod(1.0 + r.to_numpy()), index=r.index, name=r.name)


def history_cutoff(values: np.ndarray, share: float) -> float:
    """The largest value of a history whose percentile (DESIGN 5, mid-rank) is at most ``share``.

    Parameters
    ----------
    values : ndarray
        The history (NaN ignored).
    share : float
        In (0, 1).

    Returns
    -------
    float
        ``max{v in values : (#{< v} + 0.5 #{== v}) / n <= share}``, NaN when no value qualifies:
        a value of the history is at or below the cutoff exactly when its percentile is at most
        ``share``, so the cutoff is the threshold the classification applies, in the statistic's
        own units.

    Notes
    -----
    With ``u`` the sorted distinct values and ``c`` their counts, ``p(u_i) = (sum_{j<i} c_j +
    0.5 c_i) / n`` increases with i; the cutoff is the last ``u_i`` with ``p(u_i) <= share``.
    """
    x = np.asarray(values, dtype="float64")
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan")
    u, counts = np.unique(x, return_counts=True)
    below = np.cumsum(counts) - counts
    pct = (below + 0.5 * counts) / x.size
    ok = np.flatnonzero(pct <= share)
    return float(u[ok[-1]]) if ok.size else float("nan")


def factor_table(
    returns: pd.Series,
    rules: UnwindRules | None = None,
    profile: FactorProfile | None = None,
) -> pd.DataFrame:
    """The monitor's statistics and status at every row of a factor's history.

    Parameters
    ----------
    returns : pandas.Series
        Factor returns as fractions (0.01 = 1%) on a sorted DatetimeIndex; NaN rows dropped.
    rules : UnwindRules, optional
        Classification thresholds (default :class:`UnwindRules`).
    profile : FactorProfile, optional
        Windows for the frequency (default: from the median spacing of dates,
        :data:`PROFILES`).

    Returns
    -------
    pandas.DataFrame
        Indexed like the returns, columns ``index``, ``high``, ``drawdown``,
        ``drawdown_percentile``, ``history`` (drawdowns so far), ``ret_<N>`` and ``pct_<N>``
        for each window N, ``speed_percentile`` and ``status``.

    Notes
    -----
    See the module docstring for every formula. Percentiles are expanding (all rows up to t),
    computed with :func:`rotascope.kernels.expanding_percentile_1d`; windowed returns with
    :func:`rotascope.kernels.windowed_returns_1d`.
    """
    rules = rules or UnwindRules()
    name = series_name(returns, "returns") if isinstance(returns, pd.Series) else "returns"
    r = _returns(returns, name)
    prof = profile or _profile(date_index(r))
    level = np.cumprod(1.0 + r.to_numpy())
    idx = pd.Series(level, index=r.index)
    high = idx.rolling(prof.high_window, min_periods=prof.high_window).max().to_numpy()
    dd = level / high - 1.0
    p_dd, count = expanding_percentile_1d(dd)
    out = pd.DataFrame({"index": level, "high": high, "drawdown": dd,
                        "drawdown_percentile": p_dd, "history": count}, index=r.index)
    speed = np.full(len(r), np.inf)
    gain = np.full(len(r), -np.inf)
    first = np.full(len(r), np.nan)  # percentile of the shortest speed window's move
    for n in prof.windows:
        ret = windowed_returns_1d(level, n)
        pct, _ = expanding_percentile_1d(ret)
        out[f"ret_{n}"] = ret
        out[f"pct_{n}"] = pct
        if n in prof.speed_windows:
            speed = np.fmin(speed, np.where(np.isnan(pct), np.inf, pct))
            gain = np.fmax(gain, np.where(np.isnan(pct), -np.inf, pct))
            if n == min(prof.speed_windows):
                first = pct
    speed[np.isinf(speed)] = np.nan
    gain[np.isinf(gain)] = np.nan
    out["speed_percentile"] = speed
    out["gain_percentile"] = gain
    ok = (count >= prof.min_history) & ~np.isnan(p_dd)
    sp = np.where(np.isnan(speed), 1.0, speed)
    gp = np.where(np.isnan(gain), 0.0, gain)
    short = np.where(np.isnan(first), 0.5, first)
    rebound = ((gp >= rules.rebound_gain) & (p_dd <= rules.rebound_drawdown)
               & (short > rules.rolling_over))
    status = np.select(
        [~ok,
         (p_dd <= rules.crash_drawdown) & (sp <= rules.crash_speed),
         (p_dd <= rules.unwind_drawdown) & (sp <= rules.unwind_speed),
         rebound,
         sp <= rules.rolling_over,
         p_dd <= rules.deep_drawdown],
        ["insufficient-history", "crash", "unwind", "rebounding", "rolling-over", "drawdown"],
        "normal",
    )
    out["status"] = status
    return out


def unwind_episodes(table: pd.DataFrame, profile: FactorProfile | None = None) -> pd.DataFrame:
    """Past unwinds and crashes of a factor, from :func:`factor_table`.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`factor_table` (up to the as-of date).
    profile : FactorProfile, optional
        For ``cooloff`` and ``high_window`` (default: from the dates).

    Returns
    -------
    pandas.DataFrame
        One row per episode, in time order, columns :data:`EPISODE_COLUMNS`:

        - ``start``, ``end``: first and last ``unwind``/``crash`` row;
        - ``peak_date``: the trailing 12-month high the fall is measured from (the high at
          ``start``);
        - ``trough_date``, ``depth``: the lowest index between start and end and
          ``I[trough] / I[peak] - 1``;
        - ``severity``: ``crash`` if any row was a crash, else ``unwind``;
        - ``unwind_rows``, ``crash_rows``: rows with each status;
        - ``worst_speed``, ``worst_speed_date``: the most negative return over the longest speed
          window (21 days) between start and end, and the day it ended;
        - ``recovery``: first ``normal`` row after ``end`` (NaT while none);
        - ``regained_peak``: first row after the trough with ``I >= I[peak]`` (NaT while none);
        - ``ongoing``: the last episode, with no ``normal`` row since (earlier episodes without
          a ``normal`` row since have an empty ``recovery`` but are not ongoing: a later
          episode followed them).

    Notes
    -----
    Unwind/crash rows whose gap is at most ``cooloff`` rows and that have no ``normal`` (or
    ``insufficient-history``) row between them belong to the same episode.
    """
    if not isinstance(table, pd.DataFrame) or "status" not in table.columns:
        raise InputError("table must be the DataFrame factor_table returns")
    prof = profile or _profile(date_index(table))
    # the statuses as small integer codes: one pass over the strings, then integer masks
    codes, names = pd.factorize(table["status"])
    code = {str(n): i for i, n in enumerate(names)}

    def rows_of(*labels: str) -> np.ndarray:
        return np.isin(codes, [code[n] for n in labels if n in code])

    level = table["index"].to_numpy()
    calm = rows_of("normal", "insufficient-history")
    calm_before = np.cumsum(calm)  # calm rows up to and including each row
    is_unwind, is_crash = rows_of("unwind"), rows_of("crash")
    rows = np.flatnonzero(is_unwind | is_crash)
    groups: list[list[int]] = []
    for i in rows:
        if groups and i - groups[-1][-1] <= prof.cooloff + 1 and (
            calm_before[i] == calm_before[groups[-1][-1]]
        ):
            groups[-1].append(int(i))
        else:
            groups.append([int(i)])
    speed_col = f"ret_{max(prof.speed_windows)}"
    speed = table[speed_col].to_numpy()
    dates = table.index
    records = []
    for g in groups:
        u0, u1 = g[0], g[-1]
        lo = max(0, u0 - prof.high_window + 1)
        peak = lo + int(np.argmax(level[lo : u0 + 1]))
        trough = u0 + int(np.argmin(level[u0 : u1 + 1]))
        later_calm = np.flatnonzero(calm[u1 + 1 :])
        recovery = dates[u1 + 1 + later_calm[0]] if later_calm.size else pd.NaT
        regained = np.flatnonzero(level[trough:] >= level[peak])
        sp = speed[u0 : u1 + 1]
        worst = int(np.nanargmin(sp)) if not np.all(np.isnan(sp)) else 0
        records.append({
            "peak_date": dates[peak],
            "start": dates[u0],
            "end": dates[u1],
            "trough_date": dates[trough],
            "depth": float(level[trough] / level[peak] - 1.0),
            "severity": "crash" if is_crash[u0 : u1 + 1].any() else "unwind",
            "unwind_rows": int(np.count_nonzero(is_unwind[u0 : u1 + 1])),
            "crash_rows": int(np.count_nonzero(is_crash[u0 : u1 + 1])),
            "worst_speed": float(sp[worst]),
            "worst_speed_date": dates[u0 + worst],
            "recovery": recovery,
            "regained_peak": dates[trough + regained[0]] if regained.size else pd.NaT,
            "ongoing": False,
        })
    if records and pd.isna(records[-1]["recovery"]):
        records[-1]["ongoing"] = True
    return pd.DataFrame(records, columns=list(EPISODE_COLUMNS))


@dataclass(frozen=True)
class FactorResult:
    """The monitor's reading of one factor at one date.

    Attributes
    ----------
    name : str
    date : pandas.Timestamp
        Last row on or before ``as_of``.
    frequency : str
    status : str
        One of :data:`STATUSES`.
    level : float
        Cumulative index (1 before the first return).
    high, high_date : float, pandas.Timestamp
        Trailing 12-month high and its date.
    drawdown, drawdown_percentile : float
        ``level / high - 1`` and its percentile among all drawdowns up to ``date``.
    returns, percentiles : dict
        Window label (``"1d"``, ``"5d"``, ``"21d"``) -> return over the window, and its
        percentile vs the factor's history of such returns.
    speed_percentile, gain_percentile : float
        Percentile of the faster fall and of the stronger rise over the speed windows.
    cutoffs : dict
        Drawdown and speed thresholds at ``date`` in the statistics' own units
        (:func:`history_cutoff`): ``drawdown``, ``unwind``, ``crash`` drawdowns and
        ``<window> rolling-over``, ``<window> unwind``, ``<window> crash`` returns.
    rules : UnwindRules
    history_start : pandas.Timestamp
    records : tuple of RecordResult
        Record horizon of each window's return (direction by its sign): "the biggest five-day
        gain since ...".
    episodes : pandas.DataFrame
        :func:`unwind_episodes` up to ``date``.
    series : pandas.DataFrame
        :func:`factor_table` up to ``date`` (cumulative index, trailing high, drawdown...) for
        charts.
    """

    name: str
    date: pd.Timestamp
    frequency: str
    status: str
    level: float
    high: float
    high_date: pd.Timestamp
    drawdown: float
    drawdown_percentile: float
    returns: dict[str, float]
    percentiles: dict[str, float]
    speed_percentile: float
    gain_percentile: float
    cutoffs: dict[str, float]
    rules: UnwindRules
    history_start: pd.Timestamp
    records: tuple[RecordResult, ...]
    episodes: pd.DataFrame
    series: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """One row, indexed by ``name``: status, drawdown, windowed returns and percentiles."""
        row: dict[str, object] = {
            "date": self.date, "status": self.status, "drawdown": self.drawdown,
            "drawdown_percentile": self.drawdown_percentile, "high_date": self.high_date,
        }
        for label, value in self.returns.items():
            row[f"return_{label}"] = value
            row[f"percentile_{label}"] = self.percentiles[label]
        row["episodes"] = len(self.episodes)
        return pd.DataFrame({k: [v] for k, v in row.items()},
                            index=pd.Index([self.name], name="factor"))


def factor_status(
    returns: pd.Series,
    as_of: object = None,
    rules: UnwindRules | None = None,
    profile: FactorProfile | None = None,
) -> FactorResult:
    """Status, drawdown, windowed returns and their percentiles of one factor at ``as_of``.

    Parameters
    ----------
    returns : pandas.Series
        Factor returns as fractions on a sorted DatetimeIndex (a long-short series: momentum,
        SMB, HML, RMW, CMA, or the market excess return).
    as_of : date-like, optional
        Use only data on or before this date.
    rules : UnwindRules, optional
    profile : FactorProfile, optional
        Default from the spacing of the dates (:data:`PROFILES`).

    Returns
    -------
    FactorResult

    Notes
    -----
    The returns are truncated at ``as_of`` first; :func:`factor_table` gives every statistic and
    the status (module docstring), :func:`unwind_episodes` the episodes, :func:`record_at` the
    record horizons of the windowed returns.
    """
    rules = rules or UnwindRules()
    name = series_name(returns, "returns") if isinstance(returns, pd.Series) else "returns"
    r = _returns(returns, name)
    t = snap_position(date_index(r), as_of, name)
    r = r.iloc[: t + 1]
    prof = profile or _profile(date_index(r))
    table = factor_table(r, rules, prof)
    last = table.iloc[-1]
    level = table["index"].to_numpy()
    lo = max(0, len(level) - prof.high_window)
    high_pos = lo + int(np.argmax(level[lo:]))
    hist = table["drawdown"].to_numpy()
    cutoffs = {
        "drawdown": history_cutoff(hist, rules.deep_drawdown),
        "unwind": history_cutoff(hist, rules.unwind_drawdown),
        "crash": history_cutoff(hist, rules.crash_drawdown),
    }
    returns_now: dict[str, float] = {}
    pcts: dict[str, float] = {}
    records = []
    for n in prof.windows:
        label = prof.label(n)
        returns_now[label] = float(last[f"ret_{n}"])
        pcts[label] = float(last[f"pct_{n}"])
        if n in prof.speed_windows:
            col = table[f"ret_{n}"].to_numpy()
            cutoffs[f"{label} rolling-over"] = history_cutoff(col, rules.rolling_over)
            cutoffs[f"{label} unwind"] = history_cutoff(col, rules.unwind_speed)
            cutoffs[f"{label} crash"] = history_cutoff(col, rules.crash_speed)
        stat = table[f"ret_{n}"].dropna().rename(f"{name} {label} return")
        if len(stat) and stat.index[-1] == table.index[-1]:
            records.append(record_at(stat, None, "gain" if stat.iloc[-1] >= 0 else "drop"))
    return FactorResult(
        name=name,
        date=table.index[-1],
        frequency=prof.frequency,
        status=str(last["status"]),
        level=float(last["index"]),
        high=float(last["high"]),
        high_date=table.index[high_pos],
        drawdown=float(last["drawdown"]),
        drawdown_percentile=float(last["drawdown_percentile"]),
        returns=returns_now,
        percentiles=pcts,
        speed_percentile=float(last["speed_percentile"]),
        gain_percentile=float(last["gain_percentile"]),
        cutoffs=cutoffs,
        rules=rules,
        history_start=table.index[0],
        records=tuple(records),
        episodes=unwind_episodes(table, prof),
        series=table,
    )


@dataclass(frozen=True)
class FactorMonitor:
    """Every monitored factor at one date.

    Attributes
    ----------
    as_of : pandas.Timestamp or None
        The date asked for (each factor's ``date`` is its last row on or before it).
    results : dict
        Factor name -> :class:`FactorResult`, in the order given.
    skipped : dict
        Factor name -> why it has no result (no data on or before ``as_of``...).
    """

    as_of: pd.Timestamp | None
    results: dict[str, FactorResult]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        """One row per factor (:attr:`FactorResult.table`)."""
        if not self.results:
            return pd.DataFrame(index=pd.Index([], name="factor"))
        return pd.concat([r.table for r in self.results.values()])

    @property
    def episodes(self) -> pd.DataFrame:
        """Every factor's episodes, with a ``factor`` column first."""
        frames = [r.episodes.assign(factor=name) for name, r in self.results.items()]
        if not frames:
            return pd.DataFrame(columns=["factor", *EPISODE_COLUMNS])
        out = pd.concat(frames, ignore_index=True)
        return out[["factor", *EPISODE_COLUMNS]]

    @property
    def drawdowns(self) -> pd.DataFrame:
        """Drawdown from the trailing high of every factor, one column each (for a chart)."""
        return pd.concat({n: r.series["drawdown"] for n, r in self.results.items()}, axis=1)


def factor_monitor(
    factors: Mapping[str, pd.Series] | Sequence[pd.Series],
    as_of: object = None,
    rules: UnwindRules | None = None,
) -> FactorMonitor:
    """Run :func:`factor_status` on several factors.

    Parameters
    ----------
    factors : mapping of name -> Series, or sequence of named Series
        Factor returns as fractions.
    as_of : date-like, optional
        Use only data on or before this date (default: each factor's last row).
    rules : UnwindRules, optional
        Classification thresholds shared by every factor (default :class:`UnwindRules`).

    Returns
    -------
    FactorMonitor
        Factors that :func:`factor_status` rejects with an ``InputError`` (no data on or
        before ``as_of``, no returns, a return of -100% or worse...) are listed in ``skipped``
        with the reason instead of failing the whole monitor. A factor too short for a
        12-month high is not skipped: it gets a result with status ``insufficient-history``.

    Notes
    -----
    For each factor, ``results[name] = factor_status(returns.rename(name), as_of, rules)``:
    every statistic and the status are those of :func:`factor_table` (module docstring), on
    the factor's own rows up to ``as_of``, with the profile chosen from its own date spacing.
    Factors do not affect one another; they need not share dates. Names are the mapping's
    keys, or each Series' name (``factor1``, ``factor2``... by position when it has none);
    they should be unique, as they are dictionary keys. A bad ``as_of`` raises ``InputError``
    at once; so do an empty ``factors`` and a value that is not a pandas Series.
    """
    if isinstance(factors, Mapping):
        items = list(factors.items())
    else:
        items = [(series_name(s, f"factor{i + 1}"), s) for i, s in enumerate(factors)]
    if not items:
        raise InputError("factors must hold at least one return series")
    if as_of is not None:
        as_timestamp(as_of)  # a bad date is the caller's mistake, not a factor's
    results: dict[str, FactorResult] = {}
    skipped: dict[str, str] = {}
    for name, s in items:
        if not isinstance(s, pd.Series):  # the caller's mistake: refused, not skipped
            raise InputError(f"factor {name!r} must be a pandas Series of returns "
                             f"(got {type(s).__name__})")
        try:
            results[name] = factor_status(s.rename(name), as_of, rules)
        except InputError as exc:
            skipped[name] = str(exc)
    when = None if as_of is None else as_timestamp(as_of)
    return FactorMonitor(as_of=when, results=results, skipped=skipped)
