"""The optional ``[breadth]`` table of a universe file: the price panel and members per segment.

::

    [breadth]
    prices = "universe/us_stocks.parquet"          # a panel: wide/long Parquet, long CSV, folder

    [[breadth.segments]]
    segment = "small-caps"                          # a name for outputs (a universe segment or not)
    members = "universe/IWM_holdings_2026-05-05.csv"  # iShares/SPDR holdings or segment,ticker CSV
    display = "Russell 2000"                        # optional: how outputs name it

Paths are relative to ``--data-dir`` (like the ``files`` entries of segments). Built-in
universes have no ``[breadth]`` table: breadth needs a panel the user supplies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rotascope.errors import InputError

__all__ = ["BreadthSegmentRef", "BreadthSettings", "parse_breadth_settings"]


@dataclass(frozen=True)
class BreadthSegmentRef:
    """One segment of the breadth scan: its name, holdings file and optional display name."""

    segment: str
    members: str
    display: str = ""


@dataclass(frozen=True)
class BreadthSettings:
    """The panel and the segments' members a universe names for breadth."""

    prices: str
    segments: tuple[BreadthSegmentRef, ...]


def parse_breadth_settings(raw: object, *, origin: str) -> BreadthSettings | None:
    """Parse the ``[breadth]`` table (None when absent).

    Raises
    ------
    InputError
        Not a table, missing ``prices`` or segments, a segment without ``segment``/``members``,
        a segment named twice; naming the universe file.
    """
    if raw is None:
        return None
    where = f"{origin}: [breadth]"
    if not isinstance(raw, dict):
        raise InputError(f"{where} must be a table")
    prices = raw.get("prices")
    if not isinstance(prices, str) or not prices.strip():
        raise InputError(f"{where}: 'prices' must name a panel file or folder")
    items: Any = raw.get("segments", [])
    if not isinstance(items, list) or not items:
        raise InputError(f"{where}: needs at least one [[breadth.segments]] table")
    refs: list[BreadthSegmentRef] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{where}: segment {i} must be a table")
        seg, members = item.get("segment"), item.get("members")
        if not isinstance(seg, str) or not seg.strip():
            raise InputError(f"{where}: segment {i}: 'segment' must be a name")
        if not isinstance(members, str) or not members.strip():
            raise InputError(f"{where}: segment {seg!r}: 'members' must name a holdings file")
        if any(r.segment == seg for r in refs):
            raise InputError(f"{where}: segment {seg!r} is listed twice")
        display = item.get("display", "")
        if not isinstance(display, str):
            raise InputError(f"{where}: segment {seg!r}: 'display' must be a string")
        refs.append(BreadthSegmentRef(seg.strip(), members.strip(), display.strip()))
    return BreadthSettings(prices=prices.strip(), segments=tuple(refs))
