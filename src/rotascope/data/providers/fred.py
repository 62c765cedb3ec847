"""FRED CSV: ``https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS2[&cosd=...&coed=...]``.

FRED answers with ``observation_date,DGS2`` (older files: ``DATE,DGS2``); a blank or ``.`` value
marks a holiday and its row is dropped, never filled. Series are kind ``"macro"``; units come
from a small map of well-known series (percent for yields and spreads, index points for the
VIX), else are left blank. The frequency is read from the dates (daily, weekly, monthly, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, cast

import pandas as pd

from rotascope.data.fetch import as_timestamp, clip_range, empty_values
from rotascope.data.formats.csv_layouts import parse_csv_text
from rotascope.data.fred_labels import fred_label
from rotascope.data.series import SeriesMeta, TimeSeries, infer_frequency
from rotascope.errors import InputError

if TYPE_CHECKING:  # httpx is imported only when a FRED download starts (files need the units)
    from rotascope.data.http import HttpClient

__all__ = ["FredProvider", "fred_units"]

DEFAULT_BASE_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
#: Cap of one answer: the longest daily FRED series is well under 1 MB.
MAX_BYTES = 32 << 20

# Units of well-known series beyond :data:`rotascope.data.fred_labels.FRED_LABELS` (whose
# units come first), the one table for both FRED paths (downloads and FRED files read by
# the files provider); prefixes match families (DGS2, DGS10, ...). Read-only. "percent" matters
# beyond labels: a driver in percent moves in basis points.
_UNITS_EXACT: Mapping[str, str] = MappingProxyType(
    {
        "SOFR": "percent",
        "DPRIME": "percent",
        "CPIAUCSL": "index 1982-84=100",
        "CPILFESL": "index 1982-84=100",
        "INDPRO": "index 2017=100",
        "PAYEMS": "thousands of persons",
        "M2NS": "billions of USD",
    }
)
_UNITS_PREFIX = (
    ("DGS", "percent"),
    ("DFII", "percent"),
    ("DTB", "percent"),
    ("BAML", "percent"),
    ("T10Y", "percent"),
    ("T5Y", "percent"),
)


def fred_units(series_id: str) -> str:
    """Units of a well-known FRED series.

    Parameters
    ----------
    series_id : str
        The FRED series id, any case (``DGS2``, ``vixcls``).

    Returns
    -------
    str
        ``"percent"`` for yields, spreads, rates and breakevens, ``"index points"`` for the VIX
        and index levels, the base period for price indexes (``"index 1982-84=100"``), ...;
        ``""`` (unknown) for any other series: rotascope does not guess, and
        ``rotascope data import --units`` states them.

    Examples
    --------
    >>> fred_units("DGS10"), fred_units("VIXCLS"), fred_units("GDP")
    ('percent', 'index points', '')
    """
    key = series_id.upper()
    known = fred_label(key)
    if known is not None:
        return known.units
    if key in _UNITS_EXACT:
        return _UNITS_EXACT[key]
    for prefix, units in _UNITS_PREFIX:
        if key.startswith(prefix):
            return units
    return ""


class FredProvider:
    """Economic series from FRED's public CSV download (no API key).

    Parameters
    ----------
    client : HttpClient, optional
        The HTTP client (timeouts, retries); a default :class:`HttpClient` when omitted.
    base_url : str, default "https://fred.stlouisfed.org/graph/fredgraph.csv"
        Address of FRED's CSV endpoint (tests point it at a local server).

    Examples
    --------
    >>> dgs2 = FredProvider().fetch("DGS2")  # doctest: +SKIP
    >>> dgs2.meta.units  # doctest: +SKIP
    'percent'
    """

    name = "fred"
    #: An incremental refresh changing a stored value by more than this is refused (5%).
    revision_bound: float | None = 0.05

    def __init__(self, client: HttpClient | None = None, base_url: str = DEFAULT_BASE_URL) -> None:
        if client is None:
            from rotascope.data.http import HttpClient

            client = HttpClient()
        self.client = client
        self.base_url = base_url

    def __repr__(self) -> str:
        return f"FredProvider(base_url={self.base_url!r})"

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return FRED series ``symbol`` with ``start <= date <= end``, holidays dropped.

        Parameters
        ----------
        symbol : str
            FRED series id, e.g. ``DGS2``, ``VIXCLS`` (case-insensitive; sent upper-case).
        start, end : Timestamp, optional
            Inclusive date bounds, sent as ``cosd``/``coed`` and applied again locally.

        Returns
        -------
        TimeSeries
            kind ``"macro"``, source ``"fred:<ID>"``; empty when no observation falls in the
            range.

        Raises
        ------
        InputError
            Empty id, or a payload that does not parse or lacks the series column.
        ProviderError
            Unknown id (HTTP 404), network faults after the last retry, HTML or truncated bodies.
        """
        series_id = symbol.strip().upper()
        if not series_id:
            raise InputError("fred: series id must not be empty")
        first = as_timestamp(start, name="start")
        last = as_timestamp(end, name="end")
        origin = f"fred:{series_id}"
        params: dict[str, str] = {"id": series_id}
        if first is not None:
            params["cosd"] = first.strftime("%Y-%m-%d")
        if last is not None:
            params["coed"] = last.strftime("%Y-%m-%d")
        text = self.client.get_text(self.base_url, params, origin=origin, max_bytes=MAX_BYTES)
        data_lines = [line for line in text.splitlines()[1:] if line.strip()]
        if not data_lines and (first is not None or last is not None):
            values = empty_values()
        elif (
            data_lines
            and all(_blank_value(line) for line in data_lines)
            and (first is not None or last is not None)
        ):
            values = empty_values()  # only holidays in the range
        else:
            values, _ = parse_csv_text(text, origin=origin, column=series_id, kind="macro")
            values = clip_range(values, first, last)
        meta = SeriesMeta(
            name=series_id,
            kind="macro",
            frequency=infer_frequency(cast(pd.DatetimeIndex, values.index)),  # parsed dates
            units=fred_units(series_id),
            source=origin,
            symbol=series_id,
        )
        return TimeSeries(values.rename(series_id), meta)


def _blank_value(line: str) -> bool:
    return line.rsplit(",", 1)[-1].strip() in ("", ".")
