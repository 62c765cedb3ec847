"""Checks every series passes before it is analysed or stored.

Each failed check raises :class:`~rotascope.errors.InputError` with one line naming the origin
(file, symbol or series name), the first offending row and what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotascope.errors import InputError

__all__ = ["validate_values"]


def _where(origin: str, pos: int, index: pd.Index, lines: Sequence[int] | None) -> str:
    date = index[pos]
    day = date.strftime("%Y-%m-%d") if isinstance(date, pd.Timestamp) else str(date)
    if lines is not None:
        return f"{origin}: line {lines[pos]} ({day})"
    return f"{origin}: row {pos + 1} ({day})"


def validate_values(
    data: pd.Series,
    *,
    kind: str,
    origin: str,
    lines: Sequence[int] | None = None,
    one_per_day: bool = False,
) -> pd.Series:
    """Validate a series and return it as float64 on a tz-naive DatetimeIndex named ``date``.

    Parameters
    ----------
    data : pandas.Series
        Values indexed by dates.
    kind : str
        Series kind; ``"price"`` values must be strictly positive.
    origin : str
        What to name in error messages (file path, ``provider:symbol`` or series name).
    lines : sequence of int, optional
        Line numbers in the source file of each row, for error messages.
    one_per_day : bool, default False
        The rows are daily (or coarser) observations read from a file: timestamps with a time
        of day are refused when two fall on the same day (intraday data), else kept as their
        day (``2024-01-02 16:00`` becomes 2024-01-02).

    Returns
    -------
    pandas.Series
        The same values, float64, index named ``date``.

    Raises
    ------
    InputError
        Empty series, non-date index, unsorted or duplicated dates, missing values, or
        non-positive prices.
    """
    if data.empty:
        raise InputError(f"{origin}: no data rows")
    if not isinstance(data.index, pd.DatetimeIndex):
        raise InputError(f"{origin}: index is not dates ({type(data.index).__name__})")
    index = data.index
    if index.tz is not None:
        index = index.tz_localize(None)
    if index.hasnans:
        pos = int(np.flatnonzero(index.isna())[0])
        raise InputError(f"{origin}: row {pos + 1} has no date")
    try:
        values = pd.to_numeric(data, errors="raise").astype("float64")
    except (ValueError, TypeError) as exc:
        raise InputError(f"{origin}: values are not numbers ({exc})") from None
    if one_per_day:
        index = _days(index, origin, lines)
    values.index = index
    asi8 = index.asi8
    steps = np.diff(asi8)
    if (steps == 0).any():
        pos = int(np.flatnonzero(steps == 0)[0]) + 1
        raise InputError(f"{_where(origin, pos, index, lines)}: duplicated date")
    if (steps < 0).any():
        pos = int(np.flatnonzero(steps < 0)[0]) + 1
        prev = index[pos - 1].strftime("%Y-%m-%d")
        raise InputError(
            f"{_where(origin, pos, index, lines)}: dates are not sorted (comes after {prev})"
        )
    arr = values.to_numpy()
    bad = ~np.isfinite(arr)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(f"{_where(origin, pos, index, lines)}: missing or non-finite value")
    if kind == "price" and (arr <= 0).any():
        pos = int(np.flatnonzero(arr <= 0)[0])
        raise InputError(
            f"{_where(origin, pos, index, lines)}: non-positive price {arr[pos]:g}"
        )
    values.index.name = "date"
    return values


def _days(index: pd.DatetimeIndex, origin: str, lines: Sequence[int] | None) -> pd.DatetimeIndex:
    """The index as days; refuse two rows on one day when the rows carry times (intraday)."""
    stamps = index.to_numpy()
    if (stamps == stamps.astype("datetime64[D]")).all():  # all at midnight: already days
        return index  # (what normalize() would say, without its frequency inference)
    days = index.normalize()
    if days.equals(index):
        return index
    again = days.duplicated()
    if again.any():
        pos = int(np.flatnonzero(again)[0])
        first = int(np.flatnonzero(days == days[pos])[0])
        raise InputError(
            f"{_where(origin, pos, days, lines)}: intraday timestamps: {index[first]:%H:%M} and "
            f"{index[pos]:%H:%M} on the same day; rotascope stores one value per day (resample "
            "to daily closes first)"
        )
    return days
