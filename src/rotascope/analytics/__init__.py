"""Analytics: pure functions, pandas in, pandas or frozen dataclasses out.

They never fetch data (no import of :mod:`rotascope.data`); ``as_of`` always means "use only data
on or before this date". Windows are written as on the command line (``5d``, ``1m``, ``ytd``,
``since:2020-03-23``); see :func:`parse_window`. The numbers follow DESIGN section 5; the loops
run in :mod:`rotascope.kernels`.
"""

from __future__ import annotations

from rotascope.analytics.analogs import DEFAULT_HORIZONS, AnalogResult, analogs
from rotascope.analytics.episodes import EPISODE_COLUMNS, rotation_episodes
from rotascope.analytics.records import (
    RECORD_WINDOWS,
    RecordResult,
    record_at,
    record_table,
    return_records,
)
from rotascope.analytics.relative import (
    RelativeReturn,
    Unusualness,
    relative_return,
    relative_rolling,
    rs_line,
    unusualness,
)
from rotascope.analytics.stats import decile, rolling_percentile, rolling_zscore
from rotascope.analytics.windows import (
    Window,
    WindowReturn,
    parse_window,
    rolling_returns,
    window_bounds,
    window_return,
)

__all__ = [
    "AnalogResult",
    "DEFAULT_HORIZONS",
    "EPISODE_COLUMNS",
    "RECORD_WINDOWS",
    "RecordResult",
    "RelativeReturn",
    "Unusualness",
    "Window",
    "WindowReturn",
    "analogs",
    "decile",
    "parse_window",
    "record_at",
    "record_table",
    "relative_return",
    "relative_rolling",
    "return_records",
    "rolling_percentile",
    "rolling_returns",
    "rolling_zscore",
    "rotation_episodes",
    "rs_line",
    "unusualness",
    "window_bounds",
    "window_return",
]
