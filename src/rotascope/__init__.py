"""rotascope: detect, measure and explain equity market rotations.

The public API in one place: data (series, store, files, universes), analytics (pandas in,
pandas or dataclasses out) and facts (numbers into sentences). Submodules hold the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from rotascope.errors import (
    DataError,
    InputError,
    ProviderError,
    RotascopeError,
    RotascopeWarning,
    StoreError,
)

# Public names and the module each lives in. They are imported on first use (PEP 562), so that
# `import rotascope.kernels` stays free of pandas and `import rotascope.analytics` of the data
# layer: the layering the package promises.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("analogs", "parse_window", "record_at", "record_table", "relative_return",
         "relative_rolling", "rolling_returns", "rotation_episodes", "rs_line", "unusualness",
         "window_return"),
        "rotascope.analytics",
    ),
    "DataSource": "rotascope.data.loader",
    "returns_to_index": "rotascope.data.loader",
    "read_file": "rotascope.data.providers.files",
    "SeriesMeta": "rotascope.data.series",
    "TimeSeries": "rotascope.data.series",
    "Store": "rotascope.data.store",
    "Universe": "rotascope.data.universe",
    "load_universe": "rotascope.data.universe",
    "Fact": "rotascope.narrative.fact",
    "pair_facts": "rotascope.narrative.pair_facts",
    "series_facts": "rotascope.narrative.series_facts",
    "Subject": "rotascope.pipeline.subjects",
}

if TYPE_CHECKING:
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
    from rotascope.narrative.fact import Fact
    from rotascope.narrative.pair_facts import pair_facts
    from rotascope.narrative.series_facts import series_facts
    from rotascope.pipeline.subjects import Subject


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rotascope' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
