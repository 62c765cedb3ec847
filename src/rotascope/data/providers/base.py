"""The interface every data provider implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pandas as pd

from rotascope.data.series import TimeSeries

__all__ = ["Provider"]


@runtime_checkable
class Provider(Protocol):
    """Fetch one symbol over a date range as a validated :class:`TimeSeries`.

    Implementations raise :class:`~rotascope.errors.InputError` for an unknown symbol or bad
    payload they can name, and :class:`~rotascope.errors.ProviderError` for source faults
    (network errors after the last retry, truncated or HTML bodies).
    """

    name: str

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return the series of ``symbol`` with ``start <= date <= end`` (bounds optional)."""
        ...
