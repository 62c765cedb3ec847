"""What a fact is about: a named series with its display name, source and frequency."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["FrequencyProfile", "Subject", "profile_for"]


@dataclass(frozen=True)
class Subject:
    """A series as facts name it.

    Attributes
    ----------
    name : str
        Segment or stored-series name (``"small-caps"``, ``"spx"``).
    display : str
        Name used in sentences (``"Russell 2000"``).
    prices : pandas.Series
        Prices (or an index compounded from returns) on a sorted DatetimeIndex.
    source : str
        Series and provenance, e.g. ``"file:/data/IWM.csv [Close]"``.
    frequency : str
        ``"daily"`` or ``"monthly"`` (others are treated like monthly).
    """

    name: str
    display: str
    prices: pd.Series
    source: str
    frequency: str = "daily"


@dataclass(frozen=True)
class FrequencyProfile:
    """Windows and parameters that suit a series' frequency.

    ``record_rows`` are the N-row windows whose records are tracked, ``row_label`` turns N into the
    label facts carry (``5d`` for daily rows; ``3m`` for three rows of a monthly series).
    """

    frequency: str
    record_rows: tuple[int, ...]
    calendar_windows: tuple[str, ...]
    relative_rows: tuple[int, ...]
    episode_rows: int
    episode_lookback: int
    episode_min_periods: int
    episode_cooloff: int
    analog_rows: int
    analog_horizons: dict[str, int]
    zscore_lookback: str

    def row_label(self, n: int) -> str:
        """Label of an N-row window: ``"5d"`` on daily data, ``"3m"`` on monthly data."""
        return f"{n}d" if self.frequency == "daily" else f"{n}m"


DAILY = FrequencyProfile(
    frequency="daily",
    record_rows=(1, 5, 21, 63, 252),
    calendar_windows=("1w", "1m", "ytd", "1y"),
    relative_rows=(5, 21, 63),
    episode_rows=5,
    episode_lookback=1260,
    episode_min_periods=252,
    episode_cooloff=10,
    analog_rows=5,
    analog_horizons={"1m": 21, "3m": 63, "6m": 126, "12m": 252},
    zscore_lookback="5y",
)

MONTHLY = FrequencyProfile(
    frequency="monthly",
    record_rows=(1, 3, 6, 12),
    calendar_windows=("ytd", "1y"),
    relative_rows=(1, 3, 12),
    episode_rows=3,
    episode_lookback=120,
    episode_min_periods=36,
    episode_cooloff=2,
    analog_rows=3,
    analog_horizons={"1m": 1, "3m": 3, "6m": 6, "12m": 12},
    zscore_lookback="5y",
)


def profile_for(frequency: str) -> FrequencyProfile:
    """The :class:`FrequencyProfile` of a frequency: daily, or monthly for anything slower."""
    return DAILY if frequency == "daily" else MONTHLY
