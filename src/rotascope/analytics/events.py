"""Event study: the pair's abnormal relative return around dated events (CPI releases, FOMC).

DESIGN 5, "Drivers": the event study of abnormal relative returns on event dates, with a window
and a significance test.

Definitions (rows are the common trading rows of A and B):

- relative return ``y[t] = (P_A[t] / P_A[t-1]) / (P_B[t] / P_B[t-1]) - 1`` (DESIGN 5);
- day 0 of an event is the first row on or after the event date (a release at 8:30 ET before
  the open moves that day's close; a weekend date moves the next session);
- normal relative return ``mu`` = mean of ``y`` over the estimation window, rows
  ``[e - 260, e - 11]`` around day 0 ``e`` by default (250 rows ending two weeks before the
  event, so the event itself does not colour its benchmark);
- abnormal return ``AR[k] = y[e + k] - mu`` for k in the event window ``[-1, +5]``;
- cumulative abnormal return ``CAR = sum_k AR[k]`` (a sum of simple returns);
- per event ``t = CAR / (sd * sqrt(L))``, ``sd`` the standard deviation (ddof=1) of ``y`` in the
  estimation window and L the number of days in the event window;
- by group (all events, and by the sign of the surprise when given: ``positive``, ``negative``,
  ``zero``, ``none``): the cross-sectional ``mean(CAR)``, ``t = mean / (sd(CAR) / sqrt(N))``
  (ddof=1; the one-sample t-test, as ``scipy.stats.ttest_1samp``) and its two-sided p-value with
  N - 1 degrees of freedom.

An event is used only when its whole event window and estimation window lie inside the data up
to ``as_of``; the others are listed with the reason (``before the data``, ``after as_of``...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_price_series, series_name, truncate
from rotascope.analytics.relative import relative_rolling
from rotascope.errors import InputError

__all__ = [
    "EVENT_GROUPS",
    "EventStudy",
    "check_events",
    "event_study",
    "surprise_group",
]

#: Groups of the summary, in order.
EVENT_GROUPS: tuple[str, ...] = ("all", "positive", "negative", "zero", "none")


def check_events(frame: pd.DataFrame, origin: str = "events") -> pd.DataFrame:
    """Validate an events table: ``date``, ``label``, optional ``surprise``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``date`` (parseable dates), ``label`` (text; optional, default "") and
        ``surprise`` (a number or blank; optional). Column names are case-insensitive.
    origin : str
        What to name in error messages (the file).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (Timestamp), ``label`` (str), ``surprise`` (float, NaN when blank),
        sorted by date.

    Raises
    ------
    InputError
        No ``date`` column, an unparseable date or surprise (naming the row), duplicated dates.

    Notes
    -----
    Column names are matched after ``strip().lower()``. Each date is read from its text
    (``pd.to_datetime(..., format="mixed")``) and normalized to midnight, so a release time
    such as ``08:30`` is dropped. Labels are stripped; a missing label becomes "". A surprise
    is blank (NaN) when it is missing or its text is "", "nan" or "na" (any case); any other
    text must parse as a number. Rows in error messages count from 1 (the first row after the
    header). Two events on the same day, once normalized, are duplicates. An input that is not
    a DataFrame, or has no rows, is an ``InputError``. The rows come back in date order
    (stable sort), index 0..n-1. Time-zone-aware dates keep their time zone.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{origin}: events must be a table with a date column")
    cols = {str(c).strip().lower(): c for c in frame.columns}
    if "date" not in cols:
        raise InputError(
            f"{origin}: no 'date' column (columns: {', '.join(map(str, frame.columns))}); "
            "expected date,label,surprise"
        )
    raw = frame[cols["date"]]
    dates = pd.to_datetime(raw.astype(str).str.strip(), errors="coerce", format="mixed")
    bad = dates.isna().to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"{origin}: row {k + 1}: unparseable date {str(raw.iloc[k])!r}")
    label = (frame[cols["label"]].fillna("").astype(str).str.strip() if "label" in cols
             else pd.Series([""] * len(frame), index=frame.index))
    if "surprise" in cols:
        sraw = frame[cols["surprise"]]
        text = sraw.astype(str).str.strip()
        blank = sraw.isna().to_numpy() | text.str.lower().isin(["", "nan", "na"]).to_numpy()
        surprise = pd.to_numeric(text.where(~blank, "nan"), errors="coerce")
        badnum = surprise.isna().to_numpy() & ~blank
        if badnum.any():
            k = int(np.flatnonzero(badnum)[0])
            raise InputError(f"{origin}: row {k + 1}: surprise {str(sraw.iloc[k])!r} is not a "
                             "number (leave it blank when unknown)")
    else:
        surprise = pd.Series(np.nan, index=frame.index)
    out = pd.DataFrame({"date": pd.DatetimeIndex(dates).normalize(),
                        "label": label.to_numpy(), "surprise": surprise.to_numpy(dtype=float)})
    if out.empty:
        raise InputError(f"{origin}: no events")
    dup = out["date"].duplicated()
    if dup.any():
        raise InputError(f"{origin}: duplicated event date {out['date'][dup].iloc[0].date()}")
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def surprise_group(surprise: float) -> str:
    """``positive``, ``negative``, ``zero`` or ``none`` (blank) for a surprise value.

    Parameters
    ----------
    surprise : float
        The surprise of one event (actual minus consensus, in any unit); None or NaN when
        unknown.

    Returns
    -------
    str
        One of ``"positive"``, ``"negative"``, ``"zero"``, ``"none"``: the group of the event
        in :attr:`EventStudy.summary` (see :data:`EVENT_GROUPS`).

    Notes
    -----
    ``none`` when ``surprise`` is None or a float NaN; else ``positive`` when ``surprise > 0``,
    ``negative`` when ``surprise < 0`` and ``zero`` otherwise (``0`` and ``-0.0``). Only the
    sign counts, not the size. A NaN that is not a Python float (e.g. ``numpy.float32``) fails
    both comparisons and reads ``zero``; :func:`check_events` gives float64, so NaN there is
    ``none``.
    """
    if surprise is None or (isinstance(surprise, float) and math.isnan(surprise)):
        return "none"
    return "positive" if surprise > 0 else "negative" if surprise < 0 else "zero"


def _t_pvalue(t: float, df: int) -> float:
    if not math.isfinite(t) or df < 1:
        return float("nan")
    # Student t survival function from scipy.special (what scipy.stats.t.sf calls: the same
    # number, without the 0.8 s import of scipy.stats). scipy comes with arch/statsmodels.
    from scipy.special import stdtr

    return float(2.0 * stdtr(df, -abs(t)))


@dataclass(frozen=True)
class EventStudy:
    """Abnormal relative returns of A vs B around events.

    Attributes
    ----------
    a, b : str
    window : tuple of int
        Event window ``(first, last)`` in rows around day 0, e.g. ``(-1, 5)``.
    estimation : tuple of int
        Estimation window ``(first, last)``, e.g. ``(-260, -11)``.
    as_of : pandas.Timestamp
        Last row of data used.
    events : pandas.DataFrame
        One row per event of the input: ``date``, ``label``, ``surprise``, ``group``,
        ``day0`` (row date used as day 0, NaT when none), ``used`` (bool), ``reason`` (why not
        used), ``car``, ``car_t``, ``mu``, ``sd`` and ``ar_<k>`` for every k of the window.
    summary : pandas.DataFrame
        Indexed by group (:data:`EVENT_GROUPS` that have events): ``count``, ``mean_car``,
        ``median_car``, ``sd_car``, ``tstat``, ``pvalue``, ``hit_rate`` (share of CARs > 0).
    path : pandas.DataFrame
        Indexed by day offset k: mean ``AR`` and mean cumulative AR from the first day to k,
        per group (columns ``<group>_ar``, ``<group>_car``): the chart of the average path.
    """

    a: str
    b: str
    window: tuple[int, int]
    estimation: tuple[int, int]
    as_of: pd.Timestamp
    events: pd.DataFrame
    summary: pd.DataFrame
    path: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The summary by surprise group."""
        return self.summary

    @property
    def used(self) -> pd.DataFrame:
        """The events used (whole windows inside the data)."""
        return self.events[self.events["used"]]


def _window(value: object, name: str) -> tuple[int, int]:
    try:
        first, last = cast("tuple[Any, Any]", value)  # unpacking checks the shape at runtime
        lo, hi = int(first), int(last)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be two whole numbers (first, last) (got {value!r})") from None
    if lo > hi:
        raise InputError(f"{name}: first ({lo}) must not exceed last ({hi})")
    return lo, hi


def event_study(
    a: pd.Series,
    b: pd.Series,
    events: pd.DataFrame,
    as_of: object = None,
    window: tuple[int, int] = (-1, 5),
    estimation: tuple[int, int] = (-260, -11),
) -> EventStudy:
    """Abnormal relative return of A vs B over an event window around each event.

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes (inner-joined on dates).
    events : pandas.DataFrame
        ``date``, ``label``, optional ``surprise`` (see :func:`check_events`).
    as_of : date-like, optional
        Use only data on or before this date (events whose window ends later are not used).
    window : (int, int), default (-1, 5)
        Event window in rows around day 0, both ends included.
    estimation : (int, int), default (-260, -11)
        Estimation window of the normal relative return; must end before the event window.

    Returns
    -------
    EventStudy

    Notes
    -----
    Module docstring. ``AR[k] = y[e+k] - mean(y[e+E0 .. e+E1])``, ``CAR = sum_{k=W0}^{W1}
    AR[k]``; group statistics are cross-sectional over the events used.
    """
    w0, w1 = _window(window, "window")
    e0, e1 = _window(estimation, "estimation")
    if e1 >= w0:
        raise InputError(f"estimation window must end before the event window starts "
                         f"({e1} >= {w0})")
    ev = check_events(events)
    name_a = series_name(a, "a") if isinstance(a, pd.Series) else "a"
    name_b = series_name(b, "b") if isinstance(b, pd.Series) else "b"
    pa = truncate(as_price_series(a, name_a), as_of)
    pb = truncate(as_price_series(b, name_b), as_of)
    rel = relative_rolling(pa.rename(name_a), pb.rename(name_b), 1)
    if len(rel) < 2:
        raise InputError(f"{name_a} and {name_b}: fewer than two common dates up to as_of")
    y = rel.to_numpy()
    dates = rel.index
    n = len(y)
    offsets = list(range(w0, w1 + 1))
    rows = []
    for rec in ev.itertuples(index=False):
        # check_events guarantees a Timestamp date and a float surprise
        day = cast(pd.Timestamp, rec.date)
        surprise = cast(float, rec.surprise)
        e = int(dates.searchsorted(day, side="left"))
        row: dict[str, object] = {"date": day, "label": rec.label,
                                  "surprise": surprise, "group": surprise_group(surprise),
                                  "day0": dates[e] if e < n else pd.NaT, "used": False,
                                  "reason": "", "car": np.nan, "car_t": np.nan,
                                  "mu": np.nan, "sd": np.nan}
        for k in offsets:
            row[f"ar_{k}"] = np.nan
        if e >= n:
            row["reason"] = "after the data (as_of)"
        elif e + w1 >= n:
            row["reason"] = f"event window ends after the data ({dates[-1].date()})"
        elif e + e0 < 1:  # row 0 has no relative return
            row["reason"] = f"estimation window starts before the data ({dates[0].date()})"
        else:
            est = y[e + e0 : e + e1 + 1]
            mu = float(est.mean())
            sd = float(est.std(ddof=1)) if len(est) > 1 else float("nan")
            ar = y[e + w0 : e + w1 + 1] - mu
            car = float(ar.sum())
            row.update({"used": True, "car": car, "mu": mu, "sd": sd,
                        "car_t": car / (sd * math.sqrt(len(ar))) if sd > 0 else np.nan})
            for k, v in zip(offsets, ar, strict=True):
                row[f"ar_{k}"] = float(v)
        rows.append(row)
    table = pd.DataFrame(rows)
    used = table[table["used"]]
    summary_rows = {}
    path = pd.DataFrame(index=pd.Index(offsets, name="day"))
    ar_cols = [f"ar_{k}" for k in offsets]
    for group in EVENT_GROUPS:
        sub = used if group == "all" else used[used["group"] == group]
        if sub.empty:
            continue
        cars = sub["car"].to_numpy(dtype=float)
        count = len(cars)
        mean = float(cars.mean())
        sd = float(cars.std(ddof=1)) if count > 1 else float("nan")
        t = mean / (sd / math.sqrt(count)) if count > 1 and sd > 0 else float("nan")
        summary_rows[group] = {
            "count": count, "mean_car": mean, "median_car": float(np.median(cars)),
            "sd_car": sd, "tstat": t, "pvalue": _t_pvalue(t, count - 1),
            "hit_rate": float(np.mean(cars > 0)),
        }
        mean_ar = sub[ar_cols].mean(axis=0).to_numpy()
        path[f"{group}_ar"] = mean_ar
        path[f"{group}_car"] = np.cumsum(mean_ar)
    summary = pd.DataFrame.from_dict(
        summary_rows, orient="index",
        columns=["count", "mean_car", "median_car", "sd_car", "tstat", "pvalue", "hit_rate"],
    )
    summary.index.name = "group"
    return EventStudy(
        a=name_a, b=name_b, window=(w0, w1), estimation=(e0, e1), as_of=dates[-1],
        events=table, summary=summary, path=path,
    )
