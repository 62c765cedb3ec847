"""Yahoo Finance daily prices through ``yfinance`` (the optional ``rotascope[yahoo]`` extra).

``yfinance.download(symbol, start=..., end=..., auto_adjust=False, progress=False)`` returns a
frame whose columns are a MultiIndex with levels ``Price`` (``Adj Close``, ``Close``, ``High``,
``Low``, ``Open``, ``Volume``) and ``Ticker``, on a DatetimeIndex named ``Date``. The provider
keeps ``Adj Close`` (dividends and splits included), else ``Close``. yfinance reports an unknown
symbol, and most network failures, as an empty frame rather than an exception; both become a
:class:`~rotascope.errors.ProviderError` naming the symbol.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from rotascope.data.fetch import as_timestamp, clip_range
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.validate import validate_values
from rotascope.errors import InputError, ProviderError
from rotascope.formatting import one_line

__all__ = ["YahooProvider", "select_price_column"]

_PREFERRED = ("Adj Close", "Close")

Download = Callable[..., Any]


def _yfinance_download() -> Download:
    try:
        import yfinance
    except ImportError:
        raise ProviderError(
            "yahoo: the yfinance package is not installed; run: pip install 'rotascope[yahoo]'"
        ) from None
    return yfinance.download


def select_price_column(frame: pd.DataFrame, symbol: str) -> tuple[pd.Series, str]:
    """Pick the adjusted (else plain) close of ``symbol`` from a yfinance frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by ``yfinance.download``: MultiIndex columns (``Price``, ``Ticker``) or
        (``Ticker``, ``Price``) with ``group_by="ticker"``, or flat columns
        (``multi_level_index=False``).
    symbol : str
        The ticker asked for.

    Returns
    -------
    values : pandas.Series
        The chosen column.
    column : str
        ``"Adj Close"`` or ``"Close"``.

    Raises
    ------
    ProviderError
        Neither column is present, or the ticker is not in the frame.
    """
    columns = frame.columns
    if isinstance(columns, pd.MultiIndex):
        names = list(columns.names)
        price_level = names.index("Price") if "Price" in names else None
        if price_level is None:  # unnamed levels: the one holding "Close"
            price_level = next(
                (i for i in range(columns.nlevels) if "Close" in columns.get_level_values(i)), 0
            )
        ticker_level = 1 - price_level if columns.nlevels == 2 else None
        for field in _PREFERRED:
            if field not in columns.get_level_values(price_level):
                continue
            sub = frame.xs(field, axis=1, level=price_level)
            if isinstance(sub, pd.Series):
                return sub, field
            if ticker_level is not None and sub.shape[1] > 1:
                match = [c for c in sub.columns if str(c).upper() == symbol.upper()]
                if not match:
                    raise ProviderError(
                        f"yahoo:{symbol}: ticker not in the downloaded frame "
                        f"({', '.join(map(str, sub.columns))})"
                    )
                return sub[match[0]], field
            return sub.iloc[:, 0], field
    else:
        for field in _PREFERRED:
            if field in columns:
                return frame[field], field
    raise ProviderError(
        f"yahoo:{symbol}: no Adj Close or Close column in the download "
        f"({', '.join(map(str, columns))})"
    )


class YahooProvider:
    """Daily adjusted closes from Yahoo Finance via ``yfinance``.

    Parameters
    ----------
    download : callable, optional
        A function with the signature of ``yfinance.download``; defaults to it (imported on first
        use). Tests pass a function returning recorded frames.
    retries : int, default 2
        Extra tries after an exception from ``download`` (rate limits, timeouts). yfinance's
        "missing ticker/prices/timezone" and "invalid period" errors are not retried, nor is an
        empty frame (yfinance's answer for an unknown symbol).
    backoff, max_backoff : float
        Wait before retry ``k``: ``min(max_backoff, backoff * 2 ** (k - 1))`` seconds.
    sleep : callable, default time.sleep
        Called with the wait; tests pass a recorder.

    Examples
    --------
    >>> iwm = YahooProvider().fetch("IWM")  # doctest: +SKIP
    >>> iwm.meta.source  # doctest: +SKIP
    'yahoo:IWM [Adj Close]'
    """

    name = "yahoo"
    #: An incremental refresh changing a stored value by more than this is refused (5%).
    revision_bound: float | None = 0.05

    def __init__(
        self,
        download: Download | None = None,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 8.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if retries < 0:
            raise InputError(f"retries must be >= 0 (got {retries!r})")
        self._download = download
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.sleep = sleep

    def __repr__(self) -> str:
        return "YahooProvider()"

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return the daily adjusted closes of ``symbol`` with ``start <= date <= end``.

        Parameters
        ----------
        symbol : str
            Yahoo ticker, e.g. ``IWM``, ``^GSPC``, ``BRK-B`` (sent upper-case).
        start, end : Timestamp, optional
            Inclusive date bounds (``end`` is sent to yfinance as the next day, since its ``end``
            is exclusive). Without either, the whole history is asked for (``period="max"``).

        Returns
        -------
        TimeSeries
            kind ``"price"``, source ``"yahoo:<SYMBOL> [Adj Close]"``.

        Raises
        ------
        ProviderError
            yfinance missing, an empty download (unknown symbol, or Yahoo refused), an exception
            inside yfinance that persists after the last try.
        InputError
            Empty symbol, or prices that fail validation (non-positive, duplicated dates).
        """
        ticker = symbol.strip().upper()
        if not ticker:
            raise InputError("yahoo: symbol must not be empty")
        first = as_timestamp(start, name="start")
        last = as_timestamp(end, name="end")
        download = self._download if self._download is not None else _yfinance_download()
        origin = f"yahoo:{ticker}"
        options: dict[str, Any] = {"auto_adjust": False, "progress": False}
        if first is None and last is None:
            options["period"] = "max"  # without dates yfinance fetches only the last month
        else:
            options["start"] = None if first is None else first.strftime("%Y-%m-%d")
            options["end"] = (
                None if last is None else (last + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
            )
        frame = self._call(download, ticker, options, origin)
        if frame is None or not isinstance(frame, pd.DataFrame) or frame.empty:
            raise ProviderError(
                f"{origin}: Yahoo returned no rows (unknown symbol, no trading day in the range, "
                "or the request was refused)"
            )
        raw, field = select_price_column(frame, ticker)
        raw = raw.dropna()
        if raw.empty:
            raise ProviderError(f"{origin}: Yahoo returned no {field} values")
        source = f"{origin} [{field}]"
        values = validate_values(raw, kind="price", origin=source)
        values = clip_range(values, first, last)
        meta = SeriesMeta(
            name=ticker,
            kind="price",
            frequency="daily",
            units="index points" if ticker.startswith("^") else "",
            source=source,
            symbol=ticker,
        )
        return TimeSeries(values.rename(ticker), meta)

    def _call(self, download: Download, ticker: str, options: dict[str, Any], origin: str) -> Any:
        """Call ``download`` with retries on transient exceptions."""
        return call_yfinance(
            lambda: download(ticker, **options), origin=origin, retries=self.retries,
            backoff=self.backoff, max_backoff=self.max_backoff, sleep=self.sleep,
            permanent="unknown symbol or no prices", failed="yfinance failed",
        )


def call_yfinance(
    fn: Callable[[], Any],
    *,
    origin: str,
    retries: int,
    backoff: float,
    max_backoff: float,
    sleep: Callable[[float], object],
    permanent: str,
    failed: str,
) -> Any:
    """Call a yfinance function with retries and exponential backoff.

    Errors another try will not fix (:func:`_permanent`) raise at once as
    ``"{origin}: {permanent} (cause)"``; others are retried ``retries`` times, waiting
    ``min(max_backoff, backoff * 2**(k-1))`` before try k+1, then raise as
    ``"{origin}: {failed} after N tries (cause)"``.
    """
    tries = retries + 1
    for attempt in range(1, tries + 1):
        try:
            return fn()
        except Exception as exc:  # yfinance raises many library errors; name the class
            text = one_line(exc, first=True) if str(exc).strip() else ""
            cause = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
            if _permanent(exc):
                raise ProviderError(f"{origin}: {permanent} ({cause})") from exc
            if attempt == tries:
                plural = "try" if tries == 1 else "tries"
                raise ProviderError(f"{origin}: {failed} after {tries} {plural} ({cause})") from exc
        sleep(min(max_backoff, backoff * 2 ** (attempt - 1)))
    raise AssertionError("unreachable")  # pragma: no cover


def _permanent(exc: Exception) -> bool:
    """yfinance errors that another try will not fix (by class name: no yfinance import)."""
    name = type(exc).__name__
    return name.startswith("YF") and ("Missing" in name or "Invalid" in name)
