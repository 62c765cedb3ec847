"""The series model: a pandas Series with a DatetimeIndex plus its metadata."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, get_args

import numpy as np
import pandas as pd

from rotascope.errors import InputError

__all__ = [
    "FREQUENCIES",
    "KINDS",
    "Frequency",
    "Kind",
    "SeriesMeta",
    "TimeSeries",
    "check_kind",
    "infer_frequency",
]

Kind = Literal["price", "return", "valuation", "macro"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "annual"]
KINDS: tuple[str, ...] = get_args(Kind)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)


def check_kind(kind: str) -> Kind:
    """Return ``kind`` if it is a known series kind, else raise :class:`InputError`."""
    if kind not in KINDS:
        raise InputError(f"kind must be one of: {', '.join(KINDS)} (got {kind!r})")
    return kind  # type: ignore[return-value]


def infer_frequency(index: pd.DatetimeIndex) -> Frequency:
    """Infer the sampling frequency from the median spacing of dates.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Sorted dates.

    Returns
    -------
    {"daily", "weekly", "monthly", "quarterly", "annual"}
        ``daily`` up to 4 days between dates (and for fewer than two dates), ``weekly`` up to 10,
        ``monthly`` up to 45, ``quarterly`` up to 135, else ``annual``.
    """
    if len(index) < 2:
        return "daily"
    days = float(np.median(np.diff(index.to_numpy()) / np.timedelta64(1, "D")))
    if days <= 4:
        return "daily"
    if days <= 10:
        return "weekly"
    if days <= 45:
        return "monthly"
    if days <= 135:
        return "quarterly"
    return "annual"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class SeriesMeta:
    """Metadata of one series.

    Parameters
    ----------
    name : str
        Name of the series in the store and in facts (e.g. ``"spx"``, ``"small-caps"``).
    kind : {"price", "return", "valuation", "macro"}
        What the values are. Prices must be positive; returns are fractions (0.01 = 1%).
    frequency : {"daily", "weekly", "monthly", "quarterly", "annual"}
        Sampling frequency.
    units : str
        Units of the values (``"index points"``, ``"USD"``, ``"fraction"``, ``"percent"``, ...).
    source : str
        Where the values come from, precise enough for a reader to check them
        (``"file:/path/IWM.csv [Close]"``, ``"stooq:^spx"``, ``"fred:DGS2"``).
    symbol : str
        The provider's symbol or the file column the values were read from.
    fetched_at : datetime
        When the values were obtained (UTC).
    label : str
        Name of the series in sentences, used verbatim (``"the VIX"``; capitalised at the start
        of a sentence); empty: the FRED table's label of a known series
        (:mod:`rotascope.data.fred_labels`), else the name.
    """

    name: str
    kind: Kind = "price"
    frequency: Frequency = "daily"
    units: str = ""
    source: str = ""
    symbol: str = ""
    fetched_at: datetime = field(default_factory=_now)
    label: str = ""

    def replace(self, **changes: object) -> SeriesMeta:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TimeSeries:
    """A named time series: values on a sorted, unique DatetimeIndex plus :class:`SeriesMeta`.

    Parameters
    ----------
    data : pandas.Series
        float64 values indexed by a tz-naive, sorted, duplicate-free DatetimeIndex named ``date``.
    meta : SeriesMeta
        Name, kind, frequency, units, source and fetch time.
    """

    data: pd.Series
    meta: SeriesMeta

    def __post_init__(self) -> None:
        # Period data (monthly, quarterly, annual) are stamped on the period's end, whatever the
        # source's convention: the one availability rule of :mod:`rotascope.data.availability`.
        if self.meta.frequency not in ("monthly", "quarterly", "annual") or self.data.empty:
            return
        from rotascope.data.availability import period_end_index

        index = pd.DatetimeIndex(self.data.index)
        ends = period_end_index(index, self.meta.frequency)
        if ends.equals(index):
            return
        if ends.has_duplicates:
            day = ends[ends.duplicated()][0]
            raise InputError(
                f"{self.meta.source or self.meta.name}: two rows for the {self.meta.frequency} "
                f"period ending {day:%Y-%m-%d}"
            )
        object.__setattr__(self, "data", pd.Series(self.data.to_numpy(), index=ends,
                                                   name=self.data.name))

    @property
    def name(self) -> str:
        """The series name (``meta.name``)."""
        return self.meta.name

    @property
    def first_date(self) -> pd.Timestamp | None:
        """First date with a value, or None when empty."""
        return None if self.data.empty else self.data.index[0]

    @property
    def last_date(self) -> pd.Timestamp | None:
        """Last date with a value, or None when empty."""
        return None if self.data.empty else self.data.index[-1]

    def between(
        self, start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None
    ) -> TimeSeries:
        """Return the rows with ``start <= date <= end`` (either bound optional)."""
        data = self.data
        if start is not None:
            data = data[data.index >= pd.Timestamp(start)]
        if end is not None:
            data = data[data.index <= pd.Timestamp(end)]
        return TimeSeries(data, self.meta)
