"""Argument checks shared by the analytics: one-line :class:`InputError` messages that name the
parameter and what is allowed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from rotascope.errors import InputError

__all__ = [
    "median_gap_days",
    "align",
    "as_price_series",
    "as_series",
    "as_timestamp",
    "check_int",
    "check_option",
    "is_number",
    "date_index",
    "series_name",
    "snap_position",
    "truncate",
    "valid_series",
]


def check_option(value: object, name: str, options: Sequence[str]) -> Any:
    """Return ``value`` if it is one of ``options``, else raise ``InputError`` naming both."""
    if not isinstance(value, str) or value not in options:
        raise InputError(f"{name} must be one of: {', '.join(options)} (got {value!r})")
    return value


def check_int(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InputError(f"{name} must be a whole number >= {minimum} (got {value!r})")
    return int(value)


def is_number(value: object) -> bool:
    """True for a real number: a Python or NumPy int or float (NaN included), not a bool."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def series_name(s: pd.Series, default: str) -> str:
    """The series' name as a string, or ``default`` when it has none."""
    return default if s.name is None else str(s.name)


def date_index(x: pd.Series | pd.DataFrame) -> pd.DatetimeIndex:
    """The index of ``x`` typed as a DatetimeIndex: for data already checked by
    :func:`as_series` (pandas-stubs only know it as ``Index``)."""
    return cast(pd.DatetimeIndex, x.index)


def median_gap_days(index: pd.DatetimeIndex) -> float:
    """Median number of days between consecutive dates (NaN for fewer than two dates)."""
    if len(index) < 2:
        return float("nan")
    return float(np.median(np.diff(index.to_numpy()) / np.timedelta64(1, "D")))


def as_series(x: object, name: str, dates: bool = True) -> pd.Series:
    """Check that ``x`` is a float-convertible Series (with a sorted, unique DatetimeIndex when
    ``dates``) and return it as float64."""
    if isinstance(x, pd.DataFrame) and x.shape[1] == 1:
        x = x.iloc[:, 0]
    if not isinstance(x, pd.Series):
        raise InputError(f"{name} must be a pandas Series (got {type(x).__name__})")
    if dates:
        if not isinstance(x.index, pd.DatetimeIndex):
            raise InputError(
                f"{name} must have a DatetimeIndex (got {type(x.index).__name__})"
            )
        if not x.index.is_monotonic_increasing:
            raise InputError(f"{name}: dates are not sorted in increasing order")
        if x.index.has_duplicates:
            dup = x.index[x.index.duplicated()][0]
            raise InputError(f"{name}: duplicated date {dup.date()}")
    if x.dtype == np.float64:  # already float64: the new Series astype would make, without
        return x.copy(deep=False)  # its dtype lookup (copy-on-write: shares the values)
    try:
        return x.astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: values are not numbers ({exc})") from None


def valid_series(x: object, name: str) -> pd.Series:
    """:func:`as_series` with dates and NaN rows dropped (``dropna``); a series without NaN is
    returned as checked, not copied a second time."""
    s = as_series(x, name)
    return s.dropna() if np.isnan(s.to_numpy()).any() else s


def closes_until(x: object, name: str, as_of: object = None) -> pd.Series:
    """:func:`as_series` with dates, NaN rows dropped, cut to the rows on or before ``as_of``;
    a series that is already so (a pipeline's cut prices) is not copied again."""
    s = valid_series(x, name)
    if as_of is not None:
        cut = as_timestamp(as_of)
        if len(s) and s.index[-1] > cut:
            s = s[s.index <= cut]
    return s


def as_price_series(x: object, name: str) -> pd.Series:
    """:func:`as_series` with dates, NaN rows dropped, prices checked to be positive."""
    s = valid_series(x, name)
    values = s.to_numpy()
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        raise InputError(
            f"{name}: non-positive price {float(values[bad[0]])!r} on {s.index[bad[0]].date()}"
        )
    return s


def as_timestamp(value: object, name: str = "as_of") -> pd.Timestamp:
    """Parse a date-like ``value`` (``"2024-03-15"``, date, Timestamp) to a tz-naive Timestamp."""
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a date like 2024-03-15 (got {value!r})") from None
    if ts is pd.NaT:
        raise InputError(f"{name} must be a date like 2024-03-15 (got {value!r})")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts


def snap_position(index: pd.DatetimeIndex, as_of: object, what: str) -> int:
    """Position of the last row on or before ``as_of`` (the last row when ``as_of`` is None)."""
    if len(index) == 0:
        raise InputError(f"{what}: no data")
    if as_of is None:
        return len(index) - 1
    ts = as_timestamp(as_of)
    pos = int(index.searchsorted(ts, side="right")) - 1
    if pos < 0:
        raise InputError(
            f"{what}: no data on or before as_of {ts.date()} (data start {index[0].date()})"
        )
    return pos


def truncate(s: object, as_of: object, name: str = "series") -> pd.Series:
    """Checked series (see :func:`as_series`) cut to the rows on or before ``as_of`` (all rows
    when None): nothing later is ever looked at."""
    checked = as_series(s, name)
    if as_of is None:
        return checked
    return checked.loc[: as_timestamp(as_of)]


def align(a: pd.Series, b: pd.Series, names: tuple[str, str]) -> pd.DataFrame:
    """Inner-join two series on their dates, dropping rows where either is NaN.

    Returns a DataFrame with columns ``"a"`` and ``"b"`` (``names`` only label the error when no
    date is common).
    """
    ia, ib = a.index, b.index
    if (isinstance(ia, pd.DatetimeIndex) and isinstance(ib, pd.DatetimeIndex)
            and ia.dtype == ib.dtype and a.dtype == np.float64 and b.dtype == np.float64
            and ia.is_monotonic_increasing and ib.is_monotonic_increasing
            and ia.is_unique and ib.is_unique):
        # sorted unique dates (every checked series): the join on the int64 stamps, in numpy
        df = _align_sorted(a, b)
    else:
        df = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    if df.empty:
        raise InputError(f"{names[0]} and {names[1]} have no date in common")
    return df


def _align_sorted(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """:func:`align` of float64 series on sorted unique DatetimeIndexes of one dtype: the same
    frame as ``pd.concat(..., join="inner").dropna()`` (dates in order, index named as concat
    names it: the common name, else None)."""
    ia, ib = date_index(a), date_index(b)
    va, vb = a.to_numpy(), b.to_numpy()
    if ia.equals(ib):
        index = ia
    else:
        _, at, bt = np.intersect1d(ia.asi8, ib.asi8, assume_unique=True, return_indices=True)
        index, va, vb = ia[at], va[at], vb[bt]
    keep = ~(np.isnan(va) | np.isnan(vb))
    if not keep.all():
        index, va, vb = index[keep], va[keep], vb[keep]
    index = index.rename(ia.name if ia.name == ib.name else None)
    return pd.DataFrame({"a": va, "b": vb}, index=index)
