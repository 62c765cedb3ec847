"""Records: "biggest 5-day gain since April 2020", rank in history, largest of the year.

DESIGN 5, "Record horizon": for a value x[t] of a windowed statistic, the most recent earlier row
s with ``x[s] >= x[t]`` (gains; ``<=`` for drops); if there is none, x[t] is the biggest on
record since the first date. Overlapping windows count like any other row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    as_price_series,
    as_series,
    check_int,
    check_option,
    date_index,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.analytics.windows import rolling_returns
from rotascope.errors import InputError
from rotascope.kernels.records import record_horizon_1d, record_rank_1d, year_extreme_1d

__all__ = [
    "RECORD_WINDOWS",
    "Direction",
    "RecordResult",
    "ranked_horizons",
    "record_at",
    "record_table",
    "return_records",
]

Direction = Literal["gain", "drop"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)

#: Windows (rows) of the N-day returns whose records rotascope tracks: 1 day, 1 week, 1, 3 and
#: 12 months of trading days.
RECORD_WINDOWS: tuple[int, ...] = (1, 5, 21, 63, 252)

_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class RecordResult:
    """Where one value stands in the history of its statistic.

    Attributes
    ----------
    name : str
        The statistic (e.g. ``"^GSPC 1d return"``).
    direction : {"gain", "drop"}
    date : pandas.Timestamp
        Row of the value (the last valid row on or before ``as_of``).
    value : float
    since : pandas.Timestamp or None
        Most recent earlier date with a value at least as extreme; None when on record.
    since_value : float
        The value on ``since`` (NaN when on record).
    rank : int
        ``1 + #{earlier values strictly more extreme}`` (ties share the better rank).
    of : int
        Number of values in the history, this one included.
    first_date : pandas.Timestamp
        First date with a value: "biggest on record (since <first_date>)".
    on_record : bool
        No earlier value is at least as extreme (``since is None``).
    year_rank : int
        Rank among the values of the same calendar year up to ``date``.
    largest_of_year : bool
        ``year_rank == 1``: the most extreme of the year so far (ties count).
    years : float
        Length of the record horizon in years of 365.25 days: ``date - since``, or
        ``date - first_date`` when on record.
    """

    name: str
    direction: Direction
    date: pd.Timestamp
    value: float
    since: pd.Timestamp | None
    since_value: float
    rank: int
    of: int
    first_date: pd.Timestamp
    on_record: bool
    year_rank: int
    largest_of_year: bool
    years: float


def _direction(direction: object) -> bool:
    """True for gains (largest values), False for drops."""
    return check_option(direction, "direction", DIRECTIONS) == "gain"


def record_table(stat: pd.Series, direction: Direction = "gain") -> pd.DataFrame:
    """Record horizon, rank and year extreme of every row of a statistic.

    Parameters
    ----------
    stat : pandas.Series
        The statistic (e.g. 5-day returns) on a sorted DatetimeIndex. NaN rows are not
        observations: they are never anyone's "since" and get empty outputs.
    direction : {"gain", "drop"}
        Gains look for the largest values, drops for the smallest.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``stat``, with columns

        - ``value``: the statistic;
        - ``since``: date of the most recent earlier row s with ``x[s] >= x[t]`` (gain) or
          ``x[s] <= x[t]`` (drop); NaT when none (on record) or x[t] is NaN;
        - ``since_value``: ``x[s]``;
        - ``rank``: ``1 + #{s < t : x[s] > x[t]}`` (``<`` for drops), nullable Int64;
        - ``of``: number of valid values in rows ``0..t``, nullable Int64;
        - ``year_extreme``: x[t] is the largest (smallest) of its calendar year so far, ties
          included.

    Notes
    -----
    ``since(t) = max{s < t : x[s] >= x[t]}`` computed for every row in one O(n) pass with a
    monotonic stack (:func:`rotascope.kernels.record_horizon_1d`); ranks with a Fenwick tree in
    O(n log n). No row uses a later row: the table truncated at any date equals the table of the
    truncated series.
    """
    largest = _direction(direction)
    s = as_series(stat, "stat")
    x = s.to_numpy()
    horizon = record_horizon_1d(x, largest)
    rank, of = record_rank_1d(x, largest)
    _, is_extreme = year_extreme_1d(x, date_index(s).year.to_numpy(np.int64), largest)
    has = horizon >= 0
    # pandas-stubs type fill_value as Scalar | None, which omits NaT; pandas accepts it here.
    since = s.index.take(horizon, allow_fill=True, fill_value=pd.NaT)  # type: ignore[arg-type]
    since_value = np.full(len(x), np.nan)
    since_value[has] = x[horizon[has]]
    valid = ~np.isnan(x)
    return pd.DataFrame(
        {
            "value": x,
            "since": since,
            "since_value": since_value,
            "rank": pd.arrays.IntegerArray(rank, ~valid),
            "of": pd.arrays.IntegerArray(of, ~valid),
            "year_extreme": is_extreme,
        },
        index=s.index,
    )


def record_at(
    stat: pd.Series, as_of: object = None, direction: Direction = "gain"
) -> RecordResult:
    """Record horizon, rank and year rank of the statistic at ``as_of``.

    Parameters
    ----------
    stat : pandas.Series
        The statistic on a sorted DatetimeIndex; NaN rows are dropped.
    as_of : date-like, optional
        Use only data on or before this date; the value is that of the last row on or before it
        (default: the last row).
    direction : {"gain", "drop"}

    Returns
    -------
    RecordResult

    Notes
    -----
    With ``x`` the values up to and including row t (NaN dropped): ``since = max{s < t : x[s]
    >= x[t]}`` (``<=`` for drops), ``rank = 1 + #{s < t : x[s] > x[t]}``, ``of = t + 1``,
    ``year_rank`` the same rank among the rows of t's calendar year, ``years = (date - since) /
    365.25 days``. Computed directly with numpy (O(n)); :func:`record_table` gives the same
    numbers from the kernels.

    Examples
    --------
    >>> idx = pd.to_datetime(["2020-01-02", "2020-01-03", "2021-01-04", "2021-01-05"])
    >>> r = record_at(pd.Series([0.03, 0.01, 0.02, 0.025], index=idx))
    >>> r.since.date(), r.rank, r.of, r.largest_of_year
    (datetime.date(2020, 1, 2), 2, 4, True)
    """
    largest = _direction(direction)
    name = series_name(stat, "stat") if isinstance(stat, pd.Series) else "stat"
    s = valid_series(stat, name)
    t = snap_position(date_index(s), as_of, name)
    x = s.to_numpy()[: t + 1]
    dates = date_index(s)[: t + 1]
    v = x[t]
    earlier = x[:t]
    at_least = earlier >= v if largest else earlier <= v
    better = earlier > v if largest else earlier < v
    hits = np.flatnonzero(at_least)
    since = dates[hits[-1]] if len(hits) else None
    date = dates[t]
    # the rows of t's calendar year before t: from its first row (sorted dates; no .year of
    # the whole index)
    year_start = int(dates.searchsorted(pd.Timestamp(date.year, 1, 1, tz=date.tz)))
    year_rank = 1 + int(np.count_nonzero(better[year_start:]))
    span_start = since if since is not None else dates[0]
    return RecordResult(
        name=name,
        direction="gain" if largest else "drop",
        date=date,
        value=float(v),
        since=since,
        since_value=float(x[hits[-1]]) if len(hits) else float("nan"),
        rank=1 + int(np.count_nonzero(better)),
        of=t + 1,
        first_date=dates[0],
        on_record=since is None,
        year_rank=year_rank,
        largest_of_year=year_rank == 1,
        years=(date - span_start).days / _DAYS_PER_YEAR,
    )


def ranked_horizons(stat: pd.Series, as_of: object = None, direction: Direction = "gain",
                    k: int = 3) -> tuple[pd.Timestamp, ...]:
    """The dates of the ``k`` most recent earlier values at least as extreme as the value at
    ``as_of``, most recent first (fewer when the history has fewer).

    Parameters
    ----------
    stat : pandas.Series
        The statistic (N-row returns, margins, a level) on a sorted DatetimeIndex; NaN rows
        are dropped.
    as_of : date-like, optional
        The value is that of the last row on or before it (default: the last row).
    direction : {"gain", "drop"}
    k : int, default 3
        How many dates at most.

    Returns
    -------
    tuple of pandas.Timestamp

    Notes
    -----
    With ``x`` the values up to row t: the dates of the rows ``s < t`` with ``x[s] >= x[t]``
    (``<=`` for drops), latest first, the first ``k`` of them. The j-th date ``h_j`` is the
    horizon of rank j: after it, ``j - 1`` values were at least as extreme, so the value is "the
    j-th biggest since" ``h_j``. ``h_1`` is :attr:`RecordResult.since` of :func:`record_at`.

    Examples
    --------
    >>> idx = pd.date_range("2020-01-01", periods=5, freq="D")
    >>> [d.day for d in ranked_horizons(pd.Series([5.0, 1.0, 4.0, 2.0, 3.0], index=idx))]
    [3, 1]
    """
    largest = _direction(direction)
    check_int(k, "k", minimum=1)
    s = valid_series(stat, "stat")
    t = snap_position(date_index(s), as_of, "stat")
    x = s.to_numpy()[: t + 1]
    earlier = x[:t]
    hits = np.flatnonzero(earlier >= x[t] if largest else earlier <= x[t])
    dates = date_index(s)
    return tuple(dates[i] for i in hits[::-1][:k])


def return_records(
    prices: pd.Series,
    as_of: object = None,
    windows: Sequence[int] = RECORD_WINDOWS,
) -> tuple[RecordResult, ...]:
    """Records of the N-day returns of a price series at ``as_of``, one per window.

    Parameters
    ----------
    prices : pandas.Series
        Prices on a sorted DatetimeIndex (NaN rows dropped, so N counts the series' own rows).
    as_of : date-like, optional
        Use only data on or before this date.
    windows : sequence of int, default (1, 5, 21, 63, 252)
        N in rows.

    Returns
    -------
    tuple of RecordResult
        One per window, in the order given; the direction is that of the return at ``as_of``
        (``gain`` when >= 0, else ``drop``). Names read ``"<series> <N>d return"``.

    Notes
    -----
    ``r_N[t] = P[t] / P[t-N] - 1`` (:func:`rolling_returns`), then :func:`record_at`.
    """
    name = series_name(prices, "prices") if isinstance(prices, pd.Series) else "prices"
    p = as_price_series(prices, name)
    t = snap_position(date_index(p), as_of, name)
    p = p.iloc[: t + 1]
    out = []
    for n in windows:
        rows = check_int(n, "windows")
        if rows > t:
            raise InputError(
                f"{name}: {rows}d returns need {rows} rows before {p.index[t].date()}, "
                f"only {t} available"
            )
        r = rolling_returns(p, rows).rename(f"{name} {rows}d return")
        direction: Direction = "gain" if r.iloc[-1] >= 0 else "drop"
        out.append(record_at(r, None, direction))
    return tuple(out)
