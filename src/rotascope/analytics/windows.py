"""Windows (``5d``, ``1m``, ``ytd``, ``since:2020-03-23``) and returns over them.

A window is either a number of the series' own trading rows (``Nd``) or a calendar span
(``Nw``, ``Nm``, ``Ny``, ``ytd``, ``since:DATE``). Calendar windows start at the last close on or
before their start date (DESIGN 5, "N-day return").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
import pandas as pd

from rotascope.analytics._checks import (
    as_price_series,
    as_series,
    date_index,
    series_name,
    snap_position,
    valid_series,
)
from rotascope.errors import InputError
from rotascope.kernels.returns import windowed_returns_1d, windowed_returns_2d

__all__ = [
    "Window",
    "WindowReturn",
    "parse_window",
    "rolling_changes",
    "rolling_returns",
    "window_bounds",
    "window_change",
    "window_return",
]

WindowKind = Literal["rows", "calendar"]
WindowUnit = Literal["d", "w", "m", "y", "ytd", "since"]

_SPEC_HELP = "Nd (N rows), Nw, Nm, Ny, ytd or since:YYYY-MM-DD (e.g. 5d, 1m, ytd)"
_COUNT_RE = re.compile(r"^(\d+)\s*([dwmy])$")
_SINCE_RE = re.compile(r"^since(?:\s*:\s*|\s+)(\S+)$")


@dataclass(frozen=True)
class Window:
    """A return window, as written on the command line.

    Attributes
    ----------
    label : str
        Canonical spelling: ``"5d"``, ``"1w"``, ``"3m"``, ``"1y"``, ``"ytd"``,
        ``"since:2020-03-23"``.
    kind : {"rows", "calendar"}
        ``rows``: N trading rows of the series itself. ``calendar``: a calendar span.
    unit : {"d", "w", "m", "y", "ytd", "since"}
    count : int
        N for ``Nd``/``Nw``/``Nm``/``Ny``; 0 for ``ytd`` and ``since``.
    since : pandas.Timestamp or None
        The date of a ``since:DATE`` window.
    """

    label: str
    kind: WindowKind
    unit: WindowUnit
    count: int = 0
    since: pd.Timestamp | None = None

    @property
    def rows(self) -> int | None:
        """N for a rows window, None for a calendar window."""
        return self.count if self.kind == "rows" else None

    def start_target(self, end: pd.Timestamp) -> pd.Timestamp:
        """Calendar start date for a window ending on ``end``; the window's start row is the last
        row on or before it.

        ``Nw``: ``end - 7N days``; ``Nm``: ``end - DateOffset(months=N)``; ``Ny``: ``end -
        DateOffset(years=N)``; ``ytd``: December 31 of the previous year; ``since:DATE``: DATE.
        """
        if self.unit == "w":
            return end - pd.Timedelta(days=7 * self.count)
        if self.unit in ("m", "y") and end.tz is None:
            return _months_before(end, self.count * (12 if self.unit == "y" else 1))
        if self.unit == "m":
            return end - pd.DateOffset(months=self.count)
        if self.unit == "y":
            return end - pd.DateOffset(years=self.count)
        if self.unit == "ytd":
            return pd.Timestamp(year=end.year - 1, month=12, day=31)
        if self.unit == "since" and self.since is not None:
            return self.since
        raise InputError(f"window {self.label} is counted in rows, not calendar time")

    def __str__(self) -> str:
        return self.label


def _months_before(end: pd.Timestamp, months: int) -> pd.Timestamp:
    """``end - pd.DateOffset(months=months)`` of a tz-naive timestamp, without the offset
    machinery: the same day and time ``months`` months earlier, the day cut to the month's
    last (March 31 - 1 month = February 29 or 28)."""
    year, month0 = divmod(end.year * 12 + end.month - 1 - months, 12)
    month = month0 + 1
    return end.replace(year=year, month=month,
                       day=min(end.day, calendar.monthrange(year, month)[1]))


def parse_window(spec: str | Window) -> Window:
    """Parse a window spec.

    Parameters
    ----------
    spec : str or Window
        ``1d``, ``5d``, ``Nd`` (N rows of the series), ``1w`` (and ``Nw``), ``1m``, ``3m``,
        ``6m`` (any ``Nm``), ``1y`` (``Ny``), ``ytd``, ``since:YYYY-MM-DD`` or
        ``since YYYY-MM-DD``. Case and surrounding spaces are ignored. A Window is returned
        unchanged.

    Returns
    -------
    Window

    Notes
    -----
    ``Nd`` is a rows window (N trading rows of the series); the others are calendar windows
    whose start is found by :meth:`Window.start_target` and then snapped to the last close on
    or before it.

    Examples
    --------
    >>> parse_window("5d")
    Window(label='5d', kind='rows', unit='d', count=5, since=None)
    >>> parse_window("since 2020-03-23").label
    'since:2020-03-23'
    """
    if isinstance(spec, Window):
        return spec
    if not isinstance(spec, str):
        raise InputError(f"window must be one of: {_SPEC_HELP} (got {spec!r})")
    text = spec.strip().lower()
    m = _COUNT_RE.match(text)
    if m:
        count, unit = int(m.group(1)), m.group(2)
        if count < 1:
            raise InputError(f"window must count at least 1 {unit} (got {spec!r})")
        kind: WindowKind = "rows" if unit == "d" else "calendar"
        return Window(label=f"{count}{unit}", kind=kind, unit=unit, count=count)  # type: ignore[arg-type]
    if text == "ytd":
        return Window(label="ytd", kind="calendar", unit="ytd")
    m = _SINCE_RE.match(text)
    if m:
        day: pd.Timestamp | None
        try:
            day = pd.Timestamp(m.group(1))
        except (TypeError, ValueError):
            day = None
        if day is None or day is pd.NaT or m.group(1).count("-") != 2:
            raise InputError(f"window since:DATE needs a date like 2020-03-23 (got {spec!r})")
        day = day.normalize()
        return Window(
            label=f"since:{day.date().isoformat()}", kind="calendar", unit="since", since=day
        )
    raise InputError(f"window must be one of: {_SPEC_HELP} (got {spec!r})")


@dataclass(frozen=True)
class WindowReturn:
    """The return of one series over one window.

    Attributes
    ----------
    window : str
        Window label (``"5d"``, ``"ytd"``...).
    value : float
        ``end_level / start_level - 1`` (a fraction: 0.012 = 1.2%); from
        :func:`window_change`, ``end_level - start_level`` in the series' units.
    start_date, end_date : pandas.Timestamp
        Dates of the two closes used.
    start_level, end_level : float
    rows : int
        Trading rows from start to end (``end`` row index minus ``start`` row index).
    name : str
        Name of the series.
    """

    window: str
    value: float
    start_date: pd.Timestamp
    end_date: pd.Timestamp
    start_level: float
    end_level: float
    rows: int
    name: str


def window_bounds(index: pd.DatetimeIndex, window: str | Window, as_of: object = None,
                  what: str = "prices") -> tuple[int, int]:
    """Row positions ``(start, end)`` of a window ending at the last row on or before ``as_of``.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates of the rows (NaN rows already dropped).
    window : str or Window
    as_of : date-like, optional
        Use only rows on or before this date (default: the last row).
    what : str
        Name used in error messages.

    Returns
    -------
    (int, int)
        ``end`` = last row on or before ``as_of``; ``start = end - N`` for ``Nd``, else the last
        row on or before :meth:`Window.start_target` of the end date.

    Notes
    -----
    Calendar spans are measured from the end row's date (the last close on or before
    ``as_of``), so a "1w" window on a holiday still covers a full week of closes.
    """
    w = parse_window(window)
    end = snap_position(index, as_of, what)
    end_date = index[end]
    if w.kind == "rows":
        start = end - w.count
        if start < 0:
            raise InputError(
                f"{what}: window {w.label} needs {w.count} rows before {end_date.date()}, "
                f"only {end} available (data start {index[0].date()})"
            )
        return start, end
    target = w.start_target(end_date)
    if target > end_date:
        raise InputError(
            f"{what}: window {w.label} starts after the end date {end_date.date()}"
        )
    start = int(index.searchsorted(target, side="right")) - 1
    if start < 0:
        raise InputError(
            f"{what}: window {w.label} needs a close on or before {target.date()} "
            f"(data start {index[0].date()})"
        )
    return start, end


def window_return(
    prices: pd.Series, window: str | Window, as_of: object = None
) -> WindowReturn:
    """Return of a price series over a window ending at (the last close on or before) ``as_of``.

    Parameters
    ----------
    prices : pandas.Series
        Prices (levels) on a sorted DatetimeIndex; NaN rows are dropped (a row is a date with a
        price), non-positive prices are an error.
    window : str or Window
        See :func:`parse_window`.
    as_of : date-like, optional
        Use only data on or before this date (default: all data).

    Returns
    -------
    WindowReturn

    Raises
    ------
    InputError
        When the data does not reach back far enough, or as_of precedes the data.

    Notes
    -----
    ``r = P[end] / P[start] - 1`` with ``end`` the last close on or before ``as_of`` and
    ``start = end - N`` rows for ``Nd``; for calendar windows ``start`` is the last close on or
    before the start date: ``end - 7N days`` (``Nw``), ``end - N months`` (``Nm``, pandas
    ``DateOffset``), ``end - N years`` (``Ny``), the last close of the previous year (``ytd``),
    or DATE (``since:DATE``).

    Examples
    --------
    >>> idx = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"])
    >>> r = window_return(pd.Series([100.0, 101.0, 99.0], index=idx), "2d")
    >>> round(r.value, 6), r.start_date.date()
    (-0.01, datetime.date(2024, 1, 2))
    """
    name = series_name(prices, "prices") if isinstance(prices, pd.Series) else "prices"
    p = as_price_series(prices, name)
    w = parse_window(window)
    start, end = window_bounds(date_index(p), w, as_of, what=name)
    values = p.to_numpy()
    return WindowReturn(
        window=w.label,
        value=float(values[end] / values[start] - 1.0),
        start_date=p.index[start],
        end_date=p.index[end],
        start_level=float(values[start]),
        end_level=float(values[end]),
        rows=end - start,
        name=name,
    )


@overload
def rolling_returns(prices: pd.Series, n: int | str | Window) -> pd.Series: ...
@overload
def rolling_returns(prices: pd.DataFrame, n: int | str | Window) -> pd.DataFrame: ...


def rolling_returns(
    prices: pd.Series | pd.DataFrame, n: int | str | Window
) -> pd.Series | pd.DataFrame:
    """N-row returns at every row of a price Series or of every column of a DataFrame.

    Parameters
    ----------
    prices : pandas.Series or pandas.DataFrame
        Prices, rows in time order (any index; it is kept).
    n : int or str or Window
        N rows, or a rows window spec such as ``"5d"``.

    Returns
    -------
    Same type as ``prices``
        ``r[t] = P[t] / P[t-N] - 1``; NaN for the first N rows and wherever either price is
        NaN (so where ``t-N`` falls before a column's first valid row).

    Notes
    -----
    Rows are positions: NaN rows are not skipped. A Series that is NaN on dates another series
    trades (after a join) should be ``dropna()``-ed first so that N counts its own rows.
    """
    rows = _rows_of(n)
    if isinstance(prices, pd.DataFrame):
        df = prices.astype("float64")
        out = windowed_returns_2d(df.to_numpy(), rows)
        return pd.DataFrame(out, index=df.index, columns=df.columns)
    s = as_series(prices, "prices", dates=False)
    return pd.Series(windowed_returns_1d(s.to_numpy(), rows), index=s.index, name=s.name)


def rolling_changes(levels: pd.Series, n: int | str | Window) -> pd.Series:
    """N-row changes (differences) at every row of a level series: a yield, a spread, the VIX.

    Parameters
    ----------
    levels : pandas.Series
        Levels, rows in time order (any index; it is kept); zero and negative levels are fine.
    n : int or str or Window
        N rows, or a rows window spec such as ``"5d"``.

    Returns
    -------
    pandas.Series
        ``d[t] = x[t] - x[t-N]`` in the series' units (percentage points for a yield in
        percent); NaN for the first N rows and wherever either level is NaN.

    Notes
    -----
    A level's move is its difference, not its ratio: ``d[t] = x[t] - x[t-N]``. A ratio would
    be meaningless for a series that can be zero or negative (a yield curve spread) and
    misleading for a rate (a yield going from 0.5% to 1.0% "doubles" but moves 50 basis points).

    Examples
    --------
    >>> rolling_changes(pd.Series([4.0, 4.25, 3.9]), 1).round(2).tolist()
    [nan, 0.25, -0.35]
    """
    rows = _rows_of(n)
    s = as_series(levels, "levels", dates=False)
    x = s.to_numpy(dtype="float64")
    out = np.full(len(x), np.nan)
    if rows < len(x):
        out[rows:] = x[rows:] - x[:-rows]
    return pd.Series(out, index=s.index, name=s.name)


def window_change(levels: pd.Series, window: str | Window, as_of: object = None) -> WindowReturn:
    """Change (difference) of a level series over a window ending at ``as_of``.

    Same rows as :func:`window_return` (:func:`window_bounds`), but ``value = x[end] -
    x[start]`` in the series' units, and any level (zero, negative) is accepted.

    Parameters
    ----------
    levels : pandas.Series
        Levels on a DatetimeIndex (NaN rows are dropped).
    window : str or Window
        A window spec: ``"5d"`` (rows) or a calendar window such as ``"1m"`` or ``"ytd"``.
    as_of : date-like, optional
        Last date of the window (default: the last row).

    Returns
    -------
    WindowReturn
        ``value = x[end] - x[start]`` with the window's start and end dates and levels.

    Notes
    -----
    ``change = x[end] - x[start]``, the difference in the series' units (see
    :func:`rolling_changes` for why a level's move is not a ratio).

    Raises
    ------
    InputError
        When the data does not reach back far enough, or as_of precedes the data.

    Examples
    --------
    >>> idx = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"])
    >>> c = window_change(pd.Series([4.0, 4.1, -0.2], index=idx), "2d")
    >>> round(c.value, 6), c.start_level
    (-4.2, 4.0)
    """
    name = series_name(levels, "levels") if isinstance(levels, pd.Series) else "levels"
    x = valid_series(levels, name)
    w = parse_window(window)
    start, end = window_bounds(date_index(x), w, as_of, what=name)
    values = x.to_numpy(dtype="float64")
    return WindowReturn(window=w.label, value=float(values[end] - values[start]),
                        start_date=x.index[start], end_date=x.index[end],
                        start_level=float(values[start]), end_level=float(values[end]),
                        rows=end - start, name=name)


def _rows_of(n: int | str | Window) -> int:
    if isinstance(n, int | np.integer) and not isinstance(n, bool):
        if n < 1:
            raise InputError(f"n must be a whole number of rows >= 1 (got {n!r})")
        return int(n)
    if isinstance(n, str | Window):
        w = parse_window(n)
        if w.kind != "rows":
            raise InputError(
                f"n must be a window in rows such as 5d (got {w.label}, a calendar window)"
            )
        return w.count
    raise InputError(f"n must be a whole number of rows or a window such as 5d (got {n!r})")
