"""What a fact is about: a named series with its display name, source and frequency."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

__all__ = ["FrequencyProfile", "Subject", "Windows", "check_as_of", "parse_windows",
           "profile_for"]


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
    reading : {"price", "level"}
        ``price``: returns and record closes; ``level`` (a yield, a spread, the VIX): the level's
        highest or lowest since, and changes measured by ``change``.
    change : {"pct", "diff", "pp"}
        How a level's N-row change is measured: a percent change, or a difference in ``units``
        (basis points for ``percent``, points otherwise; ``pp``: in percentage points). Prices:
        ``pct``.
    units : str
        Units of the values (``"percent"``, ``"index points"``, ``"USD"``, or "").
    verbatim : bool
        ``display`` is a label used as given ("the VIX", capitalised at the start of a
        sentence), not a name that takes "The" before it ("Russell 2000").
    """

    name: str
    display: str
    prices: pd.Series
    source: str
    frequency: str = "daily"
    reading: str = "price"
    change: str = "pct"
    units: str = ""
    verbatim: bool = False


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

    def with_windows(self, windows: Windows | None) -> FrequencyProfile:
        """This profile with the record and relative windows of ``windows`` for its frequency
        (``d`` windows for daily series, ``m`` for monthly ones); unchanged without them."""
        if not windows:
            return self
        unit = "d" if self.frequency == "daily" else "m"
        rows = tuple(n for u, n in windows if u == unit)
        if not rows:
            return self
        return dataclasses.replace(self, record_rows=rows, relative_rows=rows)


#: N-row windows as (unit, N) pairs: ``(("d", 1), ("d", 5), ("m", 3))``.
Windows = tuple[tuple[str, int], ...]


def parse_windows(text: str | None) -> Windows | None:
    """``"1d,2d,3d,5d,21d,100d"`` -> ``(("d", 1), ("d", 2), ...)``; ``d`` counts a daily series'
    rows, ``m`` a monthly one's. None for an empty text.

    Examples
    --------
    >>> parse_windows("1d, 5d,3m")
    (('d', 1), ('d', 5), ('m', 3))
    """
    from rotascope.errors import InputError

    if text is None or not text.strip():
        return None
    out: list[tuple[str, int]] = []
    for part in text.split(","):
        item = part.strip().lower()
        if not item:
            continue
        unit, digits = item[-1], item[:-1]
        if unit not in ("d", "m") or not digits.isdigit() or int(digits) < 1:
            raise InputError(f"--windows: {part.strip()!r} is not a window such as 5d or 3m "
                             "(rows of a daily or a monthly series)")
        if (unit, int(digits)) not in out:
            out.append((unit, int(digits)))
    return tuple(out) or None


DAILY = FrequencyProfile(
    frequency="daily",
    record_rows=(1, 5, 21, 63, 252),
    calendar_windows=("1w", "1m", "ytd", "1y"),
    relative_rows=(1, 5, 21, 63),
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


def check_as_of(subjects: dict[str, Subject], as_of: pd.Timestamp | None,
                allow_stale: bool = False) -> None:
    """Refuse an ``as_of`` on which every subject's data are stale (see
    :func:`rotascope.data.availability.date_staleness`), naming the last date available.

    Raises
    ------
    InputError
        Every subject's latest row is stale on ``as_of`` and ``allow_stale`` is False.
    """
    if as_of is None or allow_stale or not subjects:
        return
    from rotascope.data.availability import date_staleness
    from rotascope.errors import InputError

    if all(date_staleness(s.prices.index[-1], s.frequency, as_of).stale
           for s in subjects.values()):
        latest = max(subjects.values(), key=lambda s: s.prices.index[-1])
        raise InputError(
            f"--as-of {as_of:%Y-%m-%d} is after the data: the latest is "
            f"{latest.prices.index[-1]:%Y-%m-%d} ({latest.display}); pass --allow-stale to use "
            "stale data"
        )
