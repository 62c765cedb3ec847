"""rotascope: detect, measure and explain equity market rotations.

The public API in one place: data (series, store, files, universes), analytics (pandas in,
pandas or dataclasses out) and facts (numbers into sentences). Submodules hold the rest.
"""

from __future__ import annotations

from rotascope.analytics import (
    analogs,
    parse_window,
    record_at,
    record_table,
    relative_return,
    relative_rolling,
    rolling_returns,
    rotation_episodes,
    rs_line,
    unusualness,
    window_return,
)
from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.providers.files import read_file
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import Store
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import (
    DataError,
    InputError,
    ProviderError,
    RotascopeError,
    RotascopeWarning,
    StoreError,
)
from rotascope.narrative.fact import Fact
from rotascope.narrative.pair_facts import pair_facts
from rotascope.narrative.series_facts import series_facts
from rotascope.narrative.subjects import Subject

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "DataSource",
    "Fact",
    "InputError",
    "ProviderError",
    "RotascopeError",
    "RotascopeWarning",
    "SeriesMeta",
    "Store",
    "StoreError",
    "Subject",
    "TimeSeries",
    "Universe",
    "__version__",
    "analogs",
    "load_universe",
    "pair_facts",
    "parse_window",
    "read_file",
    "record_at",
    "record_table",
    "relative_return",
    "relative_rolling",
    "returns_to_index",
    "rolling_returns",
    "rotation_episodes",
    "rs_line",
    "series_facts",
    "unusualness",
    "window_return",
]
