"""Earnings-season analytics per segment: beat rates, surprises, revision breadth, seasons compared.

Pure functions: frames in, frames out (no I/O). Inputs are the frames of
:mod:`rotascope.data.earnings` and a membership frame ``segment, ticker, weight`` (weights are
index weights within each segment, e.g. from ETF holdings; they need not sum to 1).

Definitions (DESIGN section 5, "Earnings season"; tests check each against plain pandas):

- **Season**: reports are grouped by the calendar quarter of their report date. The season of
  reports dated October-December 2026 mostly covers results for the quarter ended in September
  and is labelled ``"Q3 2026"`` (the quarter before the report quarter).
  :func:`season_bounds` gives its first and last day.
- **Reported**: a company reported in a window when it has a row with
  ``start <= report_date <= end`` and an actual (EPS or sales). A company with several reports
  in the window counts once, with its latest report.
- **Beat**: ``actual > estimate``, strictly (an in-line result is not a beat). Reports without an
  estimate (or without an actual) are left out of the beat rate and counted in
  ``eps_no_estimate`` / ``sales_no_estimate``.
- **Beat rate**: ``beats / compared`` (``compared`` = reports with both numbers); weighted:
  ``sum(w_i * beat_i) / sum(w_i)`` over the compared members, ``w`` the index weight.
- **Surprise**: ``(actual - estimate) / |estimate|`` (equal to ``actual / estimate - 1`` for a
  positive estimate; with the absolute value a beat is positive even when the estimate is a
  loss); NaN when the estimate is 0. Medians are over the compared members with a surprise;
  the weighted median is defined in :func:`weighted_median`.
- **Revision breadth**: ``(up - down) / (up + down)``, NaN when there are no revisions; ``up`` and
  ``down`` summed over the segment's members (:func:`revision_breadth`).
- **Same point of earlier seasons**: the current season runs from its first day to ``as_of``,
  ``d`` days; an earlier season is read from its own first day over the same ``d`` days
  (:func:`season_comparison`), with today's membership.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_timestamp, check_int, check_option
from rotascope.errors import InputError

__all__ = [
    "BREADTH_COLUMNS",
    "SEASON_COLUMNS",
    "earnings_season",
    "revision_breadth",
    "revision_counts",
    "season_bounds",
    "season_comparison",
    "season_label",
    "surprise",
    "weighted_median",
]

#: Columns of :func:`earnings_season` (the index is ``segment``).
SEASON_COLUMNS: tuple[str, ...] = (
    "start", "end", "members", "reported", "weight_reported",
    "eps_compared", "eps_beats", "eps_no_estimate", "eps_beat_rate", "eps_beat_rate_weighted",
    "median_eps_surprise", "median_eps_surprise_weighted",
    "sales_compared", "sales_beats", "sales_no_estimate", "sales_beat_rate",
    "sales_beat_rate_weighted", "median_sales_surprise", "median_sales_surprise_weighted",
)  # fmt: skip
#: Columns of :func:`revision_breadth` (the index is ``segment``).
BREADTH_COLUMNS: tuple[str, ...] = (
    "period", "as_of", "days", "members", "companies", "up", "down", "breadth",
    "breadth_weighted",
)  # fmt: skip

_PERIODS = ("0q", "+1q", "0y", "+1y")


# -- small pieces -------------------------------------------------------------------------------


def season_bounds(day: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the reporting season (calendar quarter) containing ``day``.

    Parameters
    ----------
    day : date-like
        A date such as ``"2026-11-20"``, a ``date`` or a Timestamp. A time of day is dropped; a
        time-zone-aware value keeps its wall-clock date.

    Returns
    -------
    tuple of (pandas.Timestamp, pandas.Timestamp)
        ``(first, last)``: tz-naive midnights of the first and last calendar day of the quarter.

    Raises
    ------
    InputError
        ``day`` is not a date.

    Notes
    -----
    ``q = day.to_period("Q")``; ``first = q.start_time`` and ``last = q.end_time``, both
    normalized to midnight: January 1 to March 31, April 1 to June 30, July 1 to September 30,
    or October 1 to December 31. A window ``[first, last]`` includes both days. The season is
    the quarter of the report dates, not of the results (see :func:`season_label`). No
    trading calendar is used: the bounds are calendar days, weekends included.

    Examples
    --------
    >>> [d.date().isoformat() for d in season_bounds("2026-11-20")]
    ['2026-10-01', '2026-12-31']
    """
    ts = as_timestamp(day, "day").normalize()
    period = ts.to_period("Q")
    return period.start_time.normalize(), period.end_time.normalize()


def season_label(day: object) -> str:
    """Label of the season containing ``day``: the quarter whose results it mostly reports.

    Parameters
    ----------
    day : date-like
        A date such as ``"2026-11-20"``, a ``date`` or a Timestamp. As in
        :func:`season_bounds`, a time-zone-aware value keeps its wall-clock date.

    Returns
    -------
    str
        ``"Q<n> <year>"``, e.g. ``"Q3 2026"``.

    Raises
    ------
    InputError
        ``day`` is not a date.

    Notes
    -----
    With ``q = day.to_period("Q") - 1`` (the calendar quarter before the one holding ``day``),
    the label is ``f"Q{q.quarter} {q.year}"``. So reports dated January to March of year Y are
    labelled ``Q4 Y-1``, April to June ``Q1 Y``, July to September ``Q2 Y`` and October to
    December ``Q3 Y``. This is a calendar rule: a company whose fiscal quarters do not end with
    the calendar quarters gets the label of its report date.

    Examples
    --------
    >>> season_label("2026-11-20"), season_label("2026-02-10")
    ('Q3 2026', 'Q4 2025')
    """
    previous = as_timestamp(day, "day").to_period("Q") - 1
    return f"Q{previous.quarter} {previous.year}"


def surprise(actual: object, estimate: object) -> np.ndarray:
    """Earnings surprise ``(actual - estimate) / |estimate|`` elementwise.

    Parameters
    ----------
    actual, estimate : array-like of float
        Reported and consensus values (EPS or sales), in the same units. They are converted to
        float64 arrays and broadcast against each other under numpy's rules (equal shapes, or
        one of them a scalar or of length 1).

    Returns
    -------
    numpy.ndarray
        float64, the broadcast shape (0-d for two scalars: ``float(...)`` reads it); NaN where
        either value is missing or infinite, or the estimate is 0.

    Notes
    -----
    ``s = (a - e) / |e|``. This equals ``a / e - 1`` when ``e > 0``. With the absolute value, a
    beat is positive even when the estimate is a loss: ``a = -0.4, e = -0.5`` gives ``+0.2``.
    Any result that is not finite (``e == 0``, a NaN or an infinite input) is set to NaN.
    A fraction: 0.1 is a 10% beat.

    Examples
    --------
    >>> surprise([1.1, -0.4], [1.0, -0.5]).round(6).tolist()
    [0.1, 0.2]
    """
    a = np.asarray(actual, dtype="float64")
    e = np.asarray(estimate, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        # an array even for two scalars (0-d), so that the NaN mask below applies to it
        out = np.array((a - e) / np.abs(e), dtype="float64")
    out[~np.isfinite(out)] = np.nan
    return out


def weighted_median(values: object, weights: object) -> float:
    """Weighted median: the value at which the cumulative weight share reaches one half.

    Parameters
    ----------
    values, weights : array-like
        Pairs with a missing value or weight, and zero weights, are left out; weights must be
        non-negative.

    Returns
    -------
    float
        NaN when nothing is left.

    Notes
    -----
    Sort the values ``v_1 <= ... <= v_n`` with their weights and let
    ``c_i = (w_1 + ... + w_i) / (w_1 + ... + w_n)``. The weighted median is ``v_k`` for the first
    ``k`` with ``c_k >= 1/2``, except when ``c_k`` equals 1/2 exactly (within 1e-12), where it is
    ``(v_k + v_{k+1}) / 2``. With equal weights this is the ordinary median.

    Examples
    --------
    >>> weighted_median([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1])
    2.5
    >>> weighted_median([1.0, 2.0, 3.0], [0.1, 0.1, 0.8])
    3.0
    """
    v = np.asarray(values, dtype="float64").ravel()
    w = np.asarray(weights, dtype="float64").ravel()
    if v.shape != w.shape:
        raise InputError(f"values and weights differ in length ({v.size} and {w.size})")
    if np.any(w[np.isfinite(w)] < 0):
        raise InputError("weights must be >= 0")
    keep = np.isfinite(v) & np.isfinite(w) & (w > 0)
    v, w = v[keep], w[keep]
    if v.size == 0:
        return math.nan
    order = np.argsort(v, kind="mergesort")
    v, w = v[order], w[order]
    c = np.cumsum(w) / w.sum()
    k = int(np.searchsorted(c, 0.5 - 1e-12, side="left"))
    if abs(c[k] - 0.5) <= 1e-12 and k + 1 < v.size:
        return float((v[k] + v[k + 1]) / 2.0)
    return float(v[k])


def _columns(frame: object, name: str, required: Sequence[str]) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{name} must be a pandas DataFrame (got {type(frame).__name__})")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{name} lacks column(s) {', '.join(missing)} (has {', '.join(map(str, frame.columns))})"
        )
    return frame


def _membership(membership: object) -> pd.DataFrame:
    m = _columns(membership, "membership", ("segment", "ticker", "weight")).copy()
    m = m[["segment", "ticker", "weight"]]
    m["weight"] = pd.to_numeric(m["weight"], errors="coerce").astype("float64")
    if (m["weight"] < 0).any():
        bad = m[m["weight"] < 0].iloc[0]
        raise InputError(f"membership: negative weight for {bad['ticker']} in {bad['segment']}")
    dup = m.duplicated(["segment", "ticker"])
    if dup.any():
        bad = m[dup].iloc[0]
        raise InputError(f"membership: {bad['ticker']} is listed twice in {bad['segment']}")
    return m.reset_index(drop=True)


def _earnings(earnings: object) -> pd.DataFrame:
    e = _columns(
        earnings, "earnings", ("ticker", "report_date", "eps_actual", "eps_estimate")
    ).copy()
    for col in ("sales_actual", "sales_estimate"):
        if col not in e.columns:
            e[col] = np.nan
    dates = pd.to_datetime(e["report_date"])
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    e["report_date"] = dates.dt.normalize()
    for col in ("eps_actual", "eps_estimate", "sales_actual", "sales_estimate"):
        e[col] = pd.to_numeric(e[col], errors="coerce").astype("float64")
    return e


def _last_reported(e: pd.DataFrame) -> pd.Timestamp:
    done = e[e["eps_actual"].notna() | e["sales_actual"].notna()]
    if done.empty:
        raise InputError("earnings: no reported results (every actual is missing)")
    return pd.Timestamp(done["report_date"].max())


def _window(
    e: pd.DataFrame, start: object, end: object, as_of: object
) -> tuple[pd.Timestamp, pd.Timestamp]:
    last = as_timestamp(as_of).normalize() if as_of is not None else None
    if start is None and end is None:
        day = last if last is not None else _last_reported(e)
        return season_bounds(day)[0], day
    if end is None:
        stop = last if last is not None else _last_reported(e)
    else:
        stop = as_timestamp(end, "end").normalize()
        if last is not None:
            stop = min(stop, last)
    begin = season_bounds(stop)[0] if start is None else as_timestamp(start, "start").normalize()
    if begin > stop:
        raise InputError(f"start {begin.date()} is after end {stop.date()}")
    return begin, stop


# -- the season table ---------------------------------------------------------------------------


def _side(g: pd.DataFrame, actual: str, estimate: str) -> dict[str, float | int]:
    """Beat counts, rates and median surprises of one segment for EPS or sales."""
    has_actual = g[actual].notna()
    compared = g[has_actual & g[estimate].notna()]
    beats = (compared[actual] > compared[estimate]).to_numpy()
    w = compared["weight"].to_numpy(dtype="float64")
    s = surprise(compared[actual], compared[estimate])
    wsum = float(np.nansum(w))
    return {
        "compared": len(compared),
        "beats": int(beats.sum()),
        "no_estimate": int((has_actual & g[estimate].isna()).sum()),
        "rate": float(beats.mean()) if len(compared) else math.nan,
        "rate_weighted": float(np.nansum(w * beats) / wsum) if wsum > 0 else math.nan,
        "median": float(np.nanmedian(s)) if np.isfinite(s).any() else math.nan,
        "median_weighted": weighted_median(s, w),
    }


def earnings_season(
    earnings: pd.DataFrame,
    membership: pd.DataFrame,
    start: object = None,
    end: object = None,
    *,
    as_of: object = None,
) -> pd.DataFrame:
    """Reports, beat rates and surprises per segment over a window.

    Parameters
    ----------
    earnings : pandas.DataFrame
        ``ticker, report_date, eps_actual, eps_estimate`` and optionally ``sales_actual,
        sales_estimate`` (the layout of :func:`rotascope.data.earnings.read_earnings`).
    membership : pandas.DataFrame
        ``segment, ticker, weight``.
    start, end : date-like, optional
        The window, both days included. Without either: the season containing ``as_of``, from
        its first day to ``as_of`` ("this season so far"). Only ``end``: from the first day of
        its season. Only ``start``: up to ``as_of``.
    as_of : date-like, optional
        Use no report dated later (default: the last report with an actual). It also caps
        ``end``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment`` (membership order), columns :data:`SEASON_COLUMNS`: the window
        (``start``, ``end``), ``members``, ``reported``, ``weight_reported`` (share of the
        segment's weight that has reported), and for EPS and sales: ``*_compared`` (reports
        with actual and estimate), ``*_beats``, ``*_no_estimate``, ``*_beat_rate``,
        ``*_beat_rate_weighted``, ``median_*_surprise``, ``median_*_surprise_weighted``. Rates
        and medians are NaN when nothing was compared.

    Notes
    -----
    ``beat_i = 1[actual_i > estimate_i]``, ``rate = sum_i beat_i / n``,
    ``rate_w = sum_i w_i beat_i / sum_i w_i``, ``surprise_i = (actual_i - estimate_i) /
    |estimate_i|`` over the ``n`` compared members; the weighted median follows
    :func:`weighted_median`. See the module notes for the other definitions.
    """
    e = _earnings(earnings)
    m = _membership(membership)
    begin, stop = _window(e, start, end, as_of)
    inside = e[(e["report_date"] >= begin) & (e["report_date"] <= stop)]
    inside = inside[inside["eps_actual"].notna() | inside["sales_actual"].notna()]
    latest = inside.sort_values("report_date", kind="mergesort").drop_duplicates(
        "ticker", keep="last"
    )
    cols = ["ticker", "eps_actual", "eps_estimate", "sales_actual", "sales_estimate"]
    merged = m.merge(latest[cols], on="ticker", how="left")
    merged["reported"] = merged["ticker"].isin(set(latest["ticker"]))
    rows: list[dict[str, object]] = []
    for segment, g in merged.groupby("segment", sort=False):
        rep = g[g["reported"]]
        total_w = float(g["weight"].sum())
        eps = _side(rep, "eps_actual", "eps_estimate")
        sales = _side(rep, "sales_actual", "sales_estimate")
        rows.append(
            {
                "segment": segment,
                "start": begin,
                "end": stop,
                "members": len(g),
                "reported": len(rep),
                "weight_reported": float(rep["weight"].sum()) / total_w if total_w > 0 else math.nan,
                **{f"eps_{k}": v for k, v in eps.items() if k in ("compared", "beats", "no_estimate")},
                "eps_beat_rate": eps["rate"],
                "eps_beat_rate_weighted": eps["rate_weighted"],
                "median_eps_surprise": eps["median"],
                "median_eps_surprise_weighted": eps["median_weighted"],
                **{f"sales_{k}": v for k, v in sales.items() if k in ("compared", "beats", "no_estimate")},
                "sales_beat_rate": sales["rate"],
                "sales_beat_rate_weighted": sales["rate_weighted"],
                "median_sales_surprise": sales["median"],
                "median_sales_surprise_weighted": sales["median_weighted"],
            }
        )
    table = pd.DataFrame(rows, columns=["segment", *SEASON_COLUMNS]).set_index("segment")
    for col in ("members", "reported", "eps_compared", "eps_beats", "eps_no_estimate",
                "sales_compared", "sales_beats", "sales_no_estimate"):  # fmt: skip
        table[col] = table[col].astype("int64")
    for col in ("start", "end"):
        table[col] = pd.to_datetime(table[col]).astype("datetime64[us]")
    return table


# -- revisions ----------------------------------------------------------------------------------


def revision_counts(
    revisions: pd.DataFrame, *, as_of: object = None, days: int = 30
) -> pd.DataFrame:
    """Up and down estimate revisions per ticker and period as of a date.

    Parameters
    ----------
    revisions : pandas.DataFrame
        Either layout of :func:`rotascope.data.earnings.read_revisions`: events
        ``ticker, date, period, old, new`` or counts ``ticker, date, period, up_7d, down_7d,
        up_30d, down_30d``.
    as_of : date-like, optional
        Count as of this date (default: the last date in ``revisions``).
    days : int, default 30
        Look-back. Counts layout: 7 or 30 (the columns it has). Events layout: any number of
        days, the events with ``as_of - days < date <= as_of``.

    Returns
    -------
    pandas.DataFrame
        ``ticker, period, date, up, down``; ``date`` is the snapshot used (counts layout: the
        latest one on or before ``as_of`` per ticker and period) or ``as_of`` (events).

    Notes
    -----
    Events: ``up = #{new > old}``, ``down = #{new < old}``; unchanged estimates count in neither.
    """
    r = _columns(revisions, "revisions", ("ticker", "date", "period")).copy()
    r["date"] = pd.to_datetime(r["date"]).dt.normalize()
    n = check_int(days, "days")
    day = as_timestamp(as_of).normalize() if as_of is not None else (
        pd.Timestamp(r["date"].max()) if len(r) else None
    )
    out_cols = ["ticker", "period", "date", "up", "down"]
    if day is None:
        return pd.DataFrame(columns=out_cols)
    r = r[r["date"] <= day]
    if {"old", "new"} <= set(r.columns):
        r = r[r["date"] > day - pd.Timedelta(days=n)]
        old = pd.to_numeric(r["old"], errors="coerce")
        new = pd.to_numeric(r["new"], errors="coerce")
        r = r.assign(up=(new > old).astype("int64"), down=(new < old).astype("int64"))
        out = r.groupby(["ticker", "period"], sort=True)[["up", "down"]].sum().reset_index()
        out["date"] = day
    elif {"up_7d", "down_7d", "up_30d", "down_30d"} <= set(r.columns):
        check_option(str(n), "days (counts layout)", ("7", "30"))
        latest = r.sort_values("date", kind="mergesort").drop_duplicates(
            ["ticker", "period"], keep="last"
        )
        out = latest.rename(columns={f"up_{n}d": "up", f"down_{n}d": "down"})
        out = out.sort_values(["ticker", "period"]).reset_index(drop=True)
    else:
        raise InputError(
            "revisions must have columns old,new (events) or up_7d,down_7d,up_30d,down_30d "
            "(counts)"
        )
    out = out[out_cols].copy()
    out[["up", "down"]] = out[["up", "down"]].astype("float64")
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[us]")
    return out.reset_index(drop=True)


def revision_breadth(
    revisions: pd.DataFrame,
    membership: pd.DataFrame,
    period: str = "0q",
    *,
    as_of: object = None,
    days: int = 30,
) -> pd.DataFrame:
    """Revision breadth of one estimate period per segment.

    Parameters
    ----------
    revisions : pandas.DataFrame
        Events or counts layout (see :func:`revision_counts`).
    membership : pandas.DataFrame
        ``segment, ticker, weight``.
    period : {"0q", "+1q", "0y", "+1y"}, default "0q"
        yfinance's naming: ``0q`` the quarter to be reported next ("next quarter"), ``+1y`` the
        next fiscal year.
    as_of : date-like, optional
        See :func:`revision_counts`.
    days : int, default 30
        Look-back of the counts.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment``, columns :data:`BREADTH_COLUMNS`: ``companies`` is the number of
        members with revision data, ``up`` and ``down`` the sums over them, ``breadth`` and
        ``breadth_weighted`` as in the Notes (NaN when there are no revisions).

    Notes
    -----
    ``breadth = (U - D) / (U + D)`` with ``U = sum_i up_i``, ``D = sum_i down_i`` over the
    segment's members; ``breadth_weighted = sum_i w_i (up_i - down_i) / sum_i w_i (up_i +
    down_i)`` with index weights ``w``. Both lie in [-1, 1].
    """
    check_option(period, "period", _PERIODS)
    m = _membership(membership)
    counts = revision_counts(revisions, as_of=as_of, days=days)
    counts = counts[(counts["period"] == period) & counts["up"].notna() & counts["down"].notna()]
    day = pd.Timestamp(counts["date"].max()) if len(counts) else (
        as_timestamp(as_of) if as_of is not None else pd.NaT
    )
    merged = m.merge(counts[["ticker", "up", "down"]], on="ticker", how="left")
    rows: list[dict[str, object]] = []
    for segment, g in merged.groupby("segment", sort=False):
        has = g[g["up"].notna()]
        up = float(has["up"].sum())
        down = float(has["down"].sum())
        wnum = float((has["weight"] * (has["up"] - has["down"])).sum())
        wden = float((has["weight"] * (has["up"] + has["down"])).sum())
        rows.append(
            {
                "segment": segment,
                "period": period,
                "as_of": as_timestamp(as_of).normalize() if as_of is not None else day,
                "days": int(days),
                "members": len(g),
                "companies": len(has),
                "up": up,
                "down": down,
                "breadth": (up - down) / (up + down) if up + down > 0 else math.nan,
                "breadth_weighted": wnum / wden if wden > 0 else math.nan,
            }
        )
    table = pd.DataFrame(rows, columns=["segment", *BREADTH_COLUMNS]).set_index("segment")
    table["as_of"] = pd.to_datetime(table["as_of"]).astype("datetime64[us]")
    return table


# -- seasons compared ---------------------------------------------------------------------------


def season_comparison(
    earnings: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    as_of: object = None,
    seasons: int = 4,
) -> pd.DataFrame:
    """The current season so far next to the same point of earlier seasons.

    Parameters
    ----------
    earnings, membership : pandas.DataFrame
        As for :func:`earnings_season`.
    as_of : date-like, optional
        Default: the last report with an actual.
    seasons : int, default 4
        How many earlier seasons to look for; those without any report in their window are left
        out ("where the data has them").

    Returns
    -------
    pandas.DataFrame
        Long table, one row per season and segment: ``season`` (label, e.g. ``"Q3 2026"``),
        ``seasons_back`` (0 = current), ``segment``, ``days_in`` and every column of
        :func:`earnings_season`; sorted by segment (membership order), newest season first.

    Notes
    -----
    With ``s_0`` the first day of the current season and ``d = as_of - s_0`` in days, the
    window of the season ``k`` quarters back is ``[s_k, min(s_k + d, last day of season k)]``
    with ``s_k = s_0 - 3k months``.
    """
    n = check_int(seasons, "seasons", minimum=0)
    e = _earnings(earnings)
    m = _membership(membership)
    day = as_timestamp(as_of).normalize() if as_of is not None else _last_reported(e)
    first = season_bounds(day)[0]
    offset = day - first
    reported = e[e["eps_actual"].notna() | e["sales_actual"].notna()]
    frames: list[pd.DataFrame] = []
    for k in range(n + 1):
        begin = first - pd.DateOffset(months=3 * k)
        stop = min(begin + offset, season_bounds(begin)[1])
        has = ((reported["report_date"] >= begin) & (reported["report_date"] <= stop)).any()
        if k > 0 and not has:
            continue
        table = earnings_season(e, m, begin, stop).reset_index()
        table.insert(0, "days_in", int(offset.days))
        table.insert(0, "seasons_back", k)
        table.insert(0, "season", season_label(begin))
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    order = {seg: i for i, seg in enumerate(dict.fromkeys(m["segment"]))}
    out["_order"] = out["segment"].map(order)
    out = out.sort_values(["_order", "seasons_back"], kind="mergesort").drop(columns="_order")
    cols = ["season", "seasons_back", "segment", "days_in", *SEASON_COLUMNS]
    return out[cols].reset_index(drop=True)
