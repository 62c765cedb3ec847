"""Stooq daily CSV: ``https://stooq.com/q/d/l/?s=^spx&i=d[&d1=YYYYMMDD&d2=YYYYMMDD]``.

Stooq answers with ``Date,Open,High,Low,Close,Volume`` (dates ``YYYY-MM-DD``, oldest first); the
value kept is ``Close``. An unknown symbol, and a known one with no rows in the asked range,
both get the body ``No data``; a request without dates tells them apart. Symbols are
case-insensitive: ``^spx`` (S&P 500), ``^ndx``, ``spy.us``, ``iwm.us``.
"""

from __future__ import annotations

import pandas as pd

from rotascope.data.fetch import as_timestamp, clip_range, empty_values
from rotascope.data.formats.csv_layouts import parse_csv_text
from rotascope.data.http import HttpClient
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.errors import InputError, ProviderError

__all__ = ["StooqProvider"]

DEFAULT_BASE_URL = "https://stooq.com/q/d/l/"
#: Cap of one answer: a century of daily OHLCV rows is about 5 MB.
MAX_BYTES = 64 << 20


def _units(symbol: str) -> str:
    if symbol.startswith("^"):
        return "index points"
    if symbol.endswith(".us"):
        return "USD"
    return ""


class StooqProvider:
    """Daily closes from Stooq.

    Parameters
    ----------
    client : HttpClient, optional
        The HTTP client (timeouts, retries); a default :class:`HttpClient` when omitted.
    base_url : str, default "https://stooq.com/q/d/l/"
        Address of Stooq's CSV download endpoint (tests point it at a local server).

    Examples
    --------
    >>> spx = StooqProvider().fetch("^spx", start=pd.Timestamp("2024-01-01"))  # doctest: +SKIP
    >>> spx.meta.source  # doctest: +SKIP
    'stooq:^spx'
    """

    name = "stooq"
    #: An incremental refresh changing a stored value by more than this is refused (5%).
    revision_bound: float | None = 0.05

    def __init__(self, client: HttpClient | None = None, base_url: str = DEFAULT_BASE_URL) -> None:
        self.client = client if client is not None else HttpClient()
        self.base_url = base_url

    def __repr__(self) -> str:
        return f"StooqProvider(base_url={self.base_url!r})"

    def _download(self, symbol: str, start: pd.Timestamp | None, end: pd.Timestamp | None) -> str:
        params: dict[str, str] = {"s": symbol, "i": "d"}
        if start is not None:
            params["d1"] = start.strftime("%Y%m%d")
        if end is not None:
            params["d2"] = end.strftime("%Y%m%d")
        return self.client.get_text(self.base_url, params, origin=f"stooq:{symbol}",
                                    max_bytes=MAX_BYTES)

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return the daily closes of ``symbol`` with ``start <= date <= end``.

        Parameters
        ----------
        symbol : str
            Stooq symbol, e.g. ``^spx`` or ``iwm.us`` (case-insensitive).
        start, end : Timestamp, optional
            Inclusive date bounds, sent to Stooq as ``d1``/``d2`` and applied again locally.

        Returns
        -------
        TimeSeries
            kind ``"price"``, source ``"stooq:<symbol>"``; empty when the symbol exists but has no
            row in the range.

        Raises
        ------
        InputError
            Unknown symbol, or a payload that does not parse.
        ProviderError
            Network faults after the last retry, HTML or truncated bodies, Stooq's daily limit.
        """
        sym = symbol.strip().lower()
        if not sym:
            raise InputError("stooq: symbol must not be empty")
        first = as_timestamp(start, name="start")
        last = as_timestamp(end, name="end")
        origin = f"stooq:{sym}"
        text = self._download(sym, first, last)
        if _is_no_data(text) and (first is not None or last is not None):
            # "No data" for a range: an unknown symbol, or no trading day in the range
            if _is_no_data(self._download(sym, None, None)):
                raise InputError(f"stooq: unknown symbol {sym}")
            values = empty_values()
        elif _is_no_data(text):
            raise InputError(f"stooq: unknown symbol {sym}")
        else:
            if "exceeded the daily hits limit" in text[:200].lower():
                raise ProviderError(
                    f"{origin}: Stooq's daily download limit is exceeded; try tomorrow"
                )
            values, _ = parse_csv_text(text, origin=origin, column="Close", kind="price")
            values = clip_range(values, first, last)
        meta = SeriesMeta(
            name=sym,
            kind="price",
            frequency="daily",
            units=_units(sym),
            source=origin,
            symbol=sym,
        )
        return TimeSeries(values.rename(sym), meta)


def _is_no_data(text: str) -> bool:
    return text.strip().lower() == "no data"
