"""Fetch several symbols from one provider, with a progress bar; date-range helpers for providers."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pandas as pd

from rotascope.data.providers.base import Provider
from rotascope.data.series import TimeSeries
from rotascope.errors import InputError, ProviderError, RotascopeError

__all__ = ["as_timestamp", "clip_range", "empty_values", "fetch_many"]


def as_timestamp(value: pd.Timestamp | str | None, *, name: str) -> pd.Timestamp | None:
    """Return ``value`` as a tz-naive day (midnight) Timestamp, or None.

    Parameters
    ----------
    value : Timestamp, str or None
        A date (``"2024-01-31"``, a Timestamp, a datetime).
    name : str
        Parameter name for the error message.

    Raises
    ------
    InputError
        ``value`` is not a date.
    """
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a date like 2024-01-31 (got {value!r}: {exc})") from None
    if pd.isna(stamp):
        raise InputError(f"{name} must be a date like 2024-01-31 (got {value!r})")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def empty_values() -> pd.Series:
    """An empty float64 series on an empty DatetimeIndex named ``date``."""
    return pd.Series([], index=pd.DatetimeIndex([], name="date"), dtype="float64")


def clip_range(
    values: pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.Series:
    """Return the rows of ``values`` with ``start <= date <= end`` (either bound optional)."""
    if start is not None:
        values = values[values.index >= start]
    if end is not None:
        values = values[values.index <= end]
    return values


def fetch_many(
    provider: Provider,
    symbols: Iterable[str],
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    progress: bool = True,
) -> dict[str, TimeSeries]:
    """Fetch every symbol from ``provider``, in order, showing a progress bar on a terminal.

    Parameters
    ----------
    provider : Provider
        Any provider (``make_provider("stooq")``, ...).
    symbols : iterable of str
        Provider symbols; a symbol given twice is fetched once.
    start, end : Timestamp or str, optional
        Date bounds passed to every fetch (inclusive).
    progress : bool, default True
        Show a Rich progress bar on stderr when several symbols are fetched and stderr is a
        terminal.

    Returns
    -------
    dict of str to TimeSeries
        One series per distinct symbol, in the order given.

    Raises
    ------
    ProviderError
        The first symbol that failed, named in the message (an :class:`InputError` from the
        provider, e.g. an unknown symbol, propagates with its own type).

    Examples
    --------
    >>> from rotascope.data.providers.registry import make_provider
    >>> series = fetch_many(make_provider("fred"), ["DGS2", "DGS10"])  # doctest: +SKIP
    """
    wanted = list(dict.fromkeys(symbols))
    first = as_timestamp(start, name="start")
    last = as_timestamp(end, name="end")
    label = getattr(provider, "name", type(provider).__name__)
    results: dict[str, TimeSeries] = {}

    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    show = progress and len(wanted) > 1 and console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{label}", total=len(wanted))
        for symbol in wanted:
            bar.update(task, description=escape(f"{label}:{symbol}".encode(
                "ascii", "backslashreplace").decode("ascii")))
            results[symbol] = _fetch_one(provider, label, symbol, first, last)
            bar.advance(task)
    return results


def _fetch_one(
    provider: Provider,
    label: str,
    symbol: str,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> TimeSeries:
    try:
        return provider.fetch(symbol, start, end)
    except RotascopeError as exc:
        if symbol in str(exc):
            raise
        raise type(exc)(f"{label}:{symbol}: {exc}") from exc
    except Exception as exc:  # a provider bug or an unexpected library error: name the symbol
        raise ProviderError(f"{label}:{symbol}: {type(exc).__name__}: {exc}") from exc
