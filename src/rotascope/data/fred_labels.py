"""Labels and readings of the FRED series rotascope knows: "the VIX", not "VIXCLS".

A FRED series is either a **level** (a yield, a spread, a volatility index, a rate: stated as a
level, "the 10-year Treasury yield rose 25 basis points", "the VIX closed at 57.8, its highest
close since November 2008"; its changes are differences, never returns) or a **price** (an index
or a commodity price: returns, as any price). A level whose changes are stated in percent (a
stock such as the money supply) has ``change = "pct"``. Units are those FRED publishes:
``percent`` (changes in basis points), ``index points`` (changes in points), ``USD`` and
``billions of USD``.

The table is read-only; :func:`fred_label` looks a series id up (any case). A series the table
does not know gets its label and reading from ``rotascope data import --label/--kind`` or
``rotascope facts --label/--kind``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from rotascope.errors import InputError

__all__ = ["FRED_LABELS", "READINGS", "Change", "Reading", "SeriesLabel", "check_reading",
           "driver_name", "fred_label"]

Reading = Literal["level", "price"]
Change = Literal["diff", "pp", "pct"]
READINGS: tuple[str, ...] = get_args(Reading)


@dataclass(frozen=True)
class SeriesLabel:
    """How sentences name and read one series.

    Attributes
    ----------
    series_id : str
        The FRED id (``"DGS10"``).
    label : str
        The name in sentences, article included (``"the 10-year Treasury yield"``); capitalised
        at the start of a sentence.
    reading : {"level", "price"}
        Level: records on the level, changes as differences; price: returns.
    units : str
        ``"percent"``, ``"index points"``, ``"USD"``, ``"billions of USD"``.
    change : {"diff", "pp", "pct"}
        How a level's N-day change is measured: a difference (yields and spreads in basis
        points, the VIX in points), a difference stated in percentage points (the unemployment
        rate) or a percent change (a stock such as M2); prices are always ``"pct"``.
    """

    series_id: str
    label: str
    reading: Reading
    units: str
    change: Change = "diff"


def _table(*rows: SeriesLabel) -> Mapping[str, SeriesLabel]:
    return MappingProxyType({row.series_id: row for row in rows})


_TREASURIES = (("DGS1MO", "1-month"), ("DGS3MO", "3-month"), ("DGS6MO", "6-month"),
               ("DGS1", "1-year"), ("DGS2", "2-year"), ("DGS3", "3-year"), ("DGS5", "5-year"),
               ("DGS7", "7-year"), ("DGS10", "10-year"), ("DGS20", "20-year"),
               ("DGS30", "30-year"))

#: The FRED series rotascope knows, by id.
FRED_LABELS: Mapping[str, SeriesLabel] = _table(
    *(SeriesLabel(sid, f"the {tenor} Treasury yield", "level", "percent")
      for sid, tenor in _TREASURIES),
    SeriesLabel("DFII5", "the 5-year real yield", "level", "percent"),
    SeriesLabel("DFII10", "the 10-year real yield", "level", "percent"),
    SeriesLabel("T10Y2Y", "the 10-year/2-year Treasury spread", "level", "percent"),
    SeriesLabel("T10Y3M", "the 10-year/3-month Treasury spread", "level", "percent"),
    SeriesLabel("T10YIE", "the 10-year breakeven inflation rate", "level", "percent"),
    SeriesLabel("T5YIE", "the 5-year breakeven inflation rate", "level", "percent"),
    SeriesLabel("VIXCLS", "the VIX", "level", "index points"),
    SeriesLabel("VXNCLS", "the Nasdaq 100 volatility index (VXN)", "level", "index points"),
    SeriesLabel("BAMLH0A0HYM2", "the high-yield credit spread", "level", "percent"),
    SeriesLabel("BAMLC0A0CM", "the investment-grade credit spread", "level", "percent"),
    SeriesLabel("UNRATE", "the unemployment rate", "level", "percent", "pp"),
    SeriesLabel("FEDFUNDS", "the federal funds rate", "level", "percent"),
    SeriesLabel("DFF", "the federal funds rate", "level", "percent"),
    SeriesLabel("MORTGAGE30US", "the 30-year mortgage rate", "level", "percent"),
    SeriesLabel("M2SL", "the M2 money supply", "level", "billions of USD", "pct"),
    SeriesLabel("DTWEXBGS", "the trade-weighted dollar", "level", "index points", "pct"),
    SeriesLabel("DCOILWTICO", "the price of WTI crude oil", "price", "USD", "pct"),
    SeriesLabel("SP500", "the S&P 500", "price", "index points", "pct"),
    SeriesLabel("NASDAQCOM", "the Nasdaq Composite", "price", "index points", "pct"),
)


def fred_label(series_id: str) -> SeriesLabel | None:
    """The :class:`SeriesLabel` of a FRED series id (any case), None when the table lacks it.

    Examples
    --------
    >>> fred_label("dgs10").label, fred_label("VIXCLS").units, fred_label("GDP") is None
    ('the 10-year Treasury yield', 'index points', True)
    """
    return FRED_LABELS.get(series_id.strip().upper())


def driver_name(series_id: str) -> str | None:
    """A known series' label without its article, as a driver is named ("2-year Treasury
    yield"); None when unknown."""
    found = fred_label(series_id)
    if found is None:
        return None
    label = found.label
    return label[4:] if label.startswith("the ") else label


def check_reading(kind: str, option: str = "--kind") -> Reading:
    """``kind`` if it is a reading (level, price), else a one-line :class:`InputError`."""
    if kind not in READINGS:
        raise InputError(f"{option} must be one of: {', '.join(READINGS)} (got {kind!r})")
    return kind  # type: ignore[return-value]
