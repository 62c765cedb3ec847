"""Breadth of a segment: from the scan's per-date counts to shares, history and its records.

Pure functions: arrays and pandas in, pandas and dataclasses out (the scan itself is
:func:`rotascope.kernels.breadth.breadth_scan_2d`; reading panels and members is the pipeline's
job). Definitions, for a segment's members on date t (rows are each member's own valid rows;
zero, negative and missing closes are excluded rows):

- ``with_data``: members with a close on t.
- ``above_ma[N]`` (N = 20, 50, 200): share of members with a close on t and at least N closes
  whose close is above the simple mean of their last N closes, today included:
  ``#{N * P[t] > sum of the last N closes} / #{members with >= N closes}``.
- ``new_highs`` (``new_lows``): members whose close is the highest (lowest) of their last 252
  rows, today included (ties count), among those with at least 252 rows; a count, with its share
  of those eligible.
- ``advancers``, ``decliners``, ``unchanged``: close on t above, below, equal to the member's
  previous close; the advance-decline line is ``cumsum(advancers - decliners)`` from the first
  date of the history.
- ``record_moves[W]`` (W = 1d, 5d, 21d): members with at least 504 rows whose W-row return
  ``P[t] / P[t-W] - 1`` has a record horizon of at least 252 rows (the most recent earlier row
  with a return at least as large, for gains, at most as small, for drops, is 252 or more rows
  back) or none earlier; gains and drops separately, counts and shares of those eligible.
- leaders and laggards: the 10 members with the largest (smallest) W-row return on t, ties by
  ticker, each with its record horizon.

Breadth history: each share as a daily series; for its value on the as-of date, the record
horizon (most recent earlier date with a value at least as high, or at most as low) and the
percentile over the history (share of values below plus half the share equal, today included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rotascope.kernels.breadth import CountLayout

__all__ = [
    "HistoryRecord",
    "breadth_history",
    "history_record",
    "movers",
]


def _share(num: NDArray[np.int64], den: NDArray[np.int64]) -> NDArray[np.float64]:
    out = np.full(num.shape, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def breadth_history(
    counts: NDArray[np.integer], layout: CountLayout, dates: pd.DatetimeIndex
) -> pd.DataFrame:
    """Every breadth measure as a daily series, from the scan's per-date counts.

    Parameters
    ----------
    counts : ndarray of int, (dates x K)
        Per-date counts of :func:`~rotascope.kernels.breadth.breadth_scan_2d`, summed over the
        segment's members.
    layout : CountLayout
        Column positions of ``counts``.
    dates : DatetimeIndex
        The dates of the rows.

    Returns
    -------
    pandas.DataFrame
        Indexed by date, only dates where a member has a close. Columns: ``with_data``;
        ``above_ma_N`` (share), ``above_ma_count_N`` and ``ma_eligible_N`` for each N;
        ``new_highs``, ``new_lows``, ``hl_eligible``, ``new_highs_share``, ``new_lows_share``;
        ``advancers``, ``decliners``, ``unchanged``, ``ad_line``
        (``cumsum(advancers - decliners)``); ``record_gains_W``, ``record_drops_W`` (counts) and
        their ``_share`` for each W (``1d``...), and ``record_eligible``. Counts are int64,
        shares float64.

    Notes
    -----
    For a row t (each count is defined in the module docstring):

    - ``above_ma_N[t] = above_ma_count_N[t] / ma_eligible_N[t]``;
    - ``new_highs_share[t] = new_highs[t] / hl_eligible[t]`` (``new_lows_share`` likewise);
    - ``record_gains_Wd_share[t] = record_gains_Wd[t] / record_eligible[t]`` (drops likewise);
    - ``ad_line[t] = sum_{s <= t} (advancers[s] - decliners[s])``, summed over every row of
      ``counts`` before the rows with ``with_data == 0`` are dropped (such rows have no
      advancers or decliners, so the line is the same).

    A share is NaN where its denominator is 0 (no member eligible yet). There is no as-of cut
    here: the rows are those of the scan, which the caller cuts.
    """
    c = np.asarray(counts, dtype=np.int64)
    cols: dict[str, NDArray[np.float64] | NDArray[np.int64]] = {"with_data": c[:, layout.with_close]}
    for n, i, e in zip(layout.ma_windows, layout.ma, layout.ma_eligible, strict=True):
        cols[f"above_ma_{n}"] = _share(c[:, i], c[:, e])
        cols[f"above_ma_count_{n}"] = c[:, i]
        cols[f"ma_eligible_{n}"] = c[:, e]
    hl = c[:, layout.hl_eligible]
    cols["new_highs"] = c[:, layout.new_high]
    cols["new_lows"] = c[:, layout.new_low]
    cols["hl_eligible"] = hl
    cols["new_highs_share"] = _share(c[:, layout.new_high], hl)
    cols["new_lows_share"] = _share(c[:, layout.new_low], hl)
    cols["advancers"] = c[:, layout.advancers]
    cols["decliners"] = c[:, layout.decliners]
    cols["unchanged"] = c[:, layout.unchanged]
    cols["ad_line"] = np.cumsum(c[:, layout.advancers] - c[:, layout.decliners])
    rec = c[:, layout.record_eligible]
    for w, g, d in zip(layout.ret_windows, layout.record_gain, layout.record_drop, strict=True):
        cols[f"record_gains_{w}d"] = c[:, g]
        cols[f"record_drops_{w}d"] = c[:, d]
        cols[f"record_gains_{w}d_share"] = _share(c[:, g], rec)
        cols[f"record_drops_{w}d_share"] = _share(c[:, d], rec)
    cols["record_eligible"] = rec
    frame = pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="date"))
    return frame[frame["with_data"] > 0]


@dataclass(frozen=True)
class HistoryRecord:
    """Where a breadth series stands on its last date against its own history.

    Attributes
    ----------
    value : float
        The last value.
    date : Timestamp
        Its date.
    direction : {"high", "low"}
        "high" when the value is in the upper half of its history (percentile >= 0.5): the
        record horizon is then the most recent earlier value at least as high; "low" otherwise
        (at most as low).
    since : Timestamp or None
        Date of that earlier value; None when there is none (a record on the whole history).
    first : Timestamp
        First date of the history.
    percentile : float
        ``(#{x < v} + 0.5 * #{x == v}) / #{x}`` over the history, today included.
    observations : int
        Values in the history.
    """

    value: float
    date: pd.Timestamp
    direction: str
    since: pd.Timestamp | None
    first: pd.Timestamp
    percentile: float
    observations: int

    @property
    def on_record(self) -> bool:
        """True when no earlier value is as extreme."""
        return self.since is None


def history_record(series: pd.Series) -> HistoryRecord | None:
    """Record horizon and percentile of the last value of a breadth series (NaN rows skipped).

    Returns None when the series has fewer than two values.

    Parameters
    ----------
    series : pandas.Series
        A breadth series (a column of :func:`breadth_history`) in time order, indexed by date.
        NaN rows are dropped first. The whole series is used: cut it at the as-of date first.

    Returns
    -------
    HistoryRecord or None
        The last value, its date, direction, record horizon ``since`` (None on record), first
        date, percentile and number of values. None when fewer than two values are not NaN.

    Notes
    -----
    With ``x[0..t]`` the non-NaN values and ``v = x[t]`` the last one, the percentile is
    ``p = (#{x < v} + 0.5 * #{x == v}) / (t + 1)``, today included. The direction is "high"
    when ``p >= 0.5``, else "low". The record horizon is
    ``since_high = max{s < t : x[s] >= x[t]}`` when the percentile is at least 0.5, else
    ``since_low = max{s < t : x[s] <= x[t]}``. An earlier equal value counts (ties end a
    record). ``since`` is None when no earlier value qualifies: a record over the whole history.
    """
    s = series.dropna()
    if len(s) < 2:
        return None
    x = s.to_numpy(dtype=np.float64)
    v = x[-1]
    earlier = x[:-1]
    pct = (float((x < v).sum()) + 0.5 * float((x == v).sum())) / len(x)
    direction = "high" if pct >= 0.5 else "low"
    hits = np.flatnonzero(earlier >= v if direction == "high" else earlier <= v)
    idx = int(hits[-1]) if len(hits) else -1
    return HistoryRecord(
        value=float(v), date=s.index[-1], direction=direction,
        since=None if idx < 0 else s.index[idx], first=s.index[0], percentile=pct,
        observations=len(x),
    )  # fmt: skip


def movers(
    tickers: list[str],
    returns: NDArray[np.float64],
    since_rows: NDArray[np.int32],
    dates: pd.DatetimeIndex,
    largest: bool,
    count: int = 10,
) -> pd.DataFrame:
    """The ``count`` members with the largest (``largest``) or smallest W-row return.

    Parameters
    ----------
    tickers : list of str
        Members, aligned with ``returns`` and ``since_rows``.
    returns : ndarray of float64
        W-row return of each member on the as-of date (NaN: none).
    since_rows : ndarray of int32
        Row (index into ``dates``) of each return's record horizon in the same direction; -1:
        a record (no earlier return as extreme), -2: no return.
    dates : DatetimeIndex
        The scan's dates.
    largest : bool
        Leaders (True) or laggards (False).
    count : int
        How many.

    Returns
    -------
    pandas.DataFrame
        ``ticker, return, since, on_record, horizon_days``, best first (ties by ticker);
        ``since`` NaT for records, ``horizon_days`` calendar days from ``since`` to the as-of
        date (NaN for records).

    Notes
    -----
    Members with a NaN return are dropped. The rest are sorted by return (descending when
    ``largest``, else ascending), ties by ticker A to Z, and the first ``count`` are kept
    (fewer when fewer have a return). For each, with ``j = since_rows[i]``:
    ``since = dates[j]`` when ``j >= 0``, else NaT; ``on_record = (j == -1)``;
    ``horizon_days = (dates[-1] - since).days``, NaN when ``since`` is NaT. The as-of date is
    the last of ``dates``, so ``dates`` must end on it. A member with a return but
    ``j = -2`` (or any negative value other than -1) gets NaT and ``on_record`` False.
    """
    r = np.asarray(returns, dtype=np.float64)
    ok = np.flatnonzero(~np.isnan(r))
    frame = pd.DataFrame({"ticker": np.asarray(tickers, dtype=object)[ok], "return": r[ok],
                          "row": np.asarray(since_rows)[ok]})  # fmt: skip
    frame = frame.sort_values(["return", "ticker"], ascending=[not largest, True]).head(count)
    rows = frame["row"].to_numpy()
    since = pd.DatetimeIndex([dates[i] if i >= 0 else pd.NaT for i in rows])
    end = dates[-1]
    out = pd.DataFrame({
        "ticker": frame["ticker"].to_numpy(), "return": frame["return"].to_numpy(),
        "since": since, "on_record": rows == -1,
        "horizon_days": [float((end - d).days) if d is not pd.NaT else math.nan for d in since],
    })  # fmt: skip
    return out.reset_index(drop=True)
