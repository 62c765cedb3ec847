"""The two legs of a pair named on the command line or in a universe file, as price series."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.pipeline.refs import resolve_series

__all__ = ["Leg", "leg_prices"]


@dataclass(frozen=True)
class Leg:
    """One leg of a pair: its prices (a return series compounded to an index), how sentences
    name it and where its data come from."""

    prices: pd.Series
    display: str
    source: str


def leg_prices(ref: str, universe: Universe, source: DataSource) -> Leg:
    """Resolve ``ref`` (:func:`~rotascope.pipeline.refs.resolve_series`) into prices.

    Raises
    ------
    InputError
        The reference cannot be resolved, or its series is neither prices nor returns.
    """
    ts, display = resolve_series(ref, universe, source)
    if ts.meta.kind == "return":
        ts = returns_to_index(ts)
    elif ts.meta.kind != "price":
        raise InputError(f"{ref}: a pair needs price or return series, not a {ts.meta.kind} "
                         "series")
    return Leg(prices=ts.data.rename(ts.meta.name), display=display, source=ts.meta.source)
