"""Axis ticks: round numbers, calendar dates and whole-number day offsets."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from rotascope.formatting import format_date

__all__ = ["date_ticks", "nice_ticks", "offset_ticks", "tick_decimals"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering ``[lo, hi]``.

    Parameters
    ----------
    lo, hi : float
        The data range.
    max_ticks : int, default 6
        Upper bound on the number of ticks returned.

    Returns
    -------
    list of float
        Increasing ticks inside ``[lo, hi]`` (at least one when ``lo == hi``).

    Examples
    --------
    >>> nice_ticks(0.0, 1.0, 5)
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        return [lo]
    raw = (hi - lo) / max(max_ticks - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0):
        step = mult * power
        first = math.ceil(lo / step - 1e-9) * step
        count = int(math.floor((hi - first) / step + 1e-9)) + 1
        if count <= max_ticks:
            break
    ticks = [round(first + i * step, 10) for i in range(count)]
    return [0.0 if t == 0 else t for t in ticks]


def _year_ticks(start: pd.Timestamp, end: pd.Timestamp, max_ticks: int) -> list[pd.Timestamp]:
    """January 1sts every 1, 2, 5, ... years: the first step giving 2 to ``max_ticks`` ticks."""
    for years in (1, 2, 5, 10, 20, 50):
        ticks = [pd.Timestamp(y, 1, 1) for y in range(start.year, end.year + 1) if y % years == 0]
        ticks = [t for t in ticks if start <= t <= end]
        if max_ticks >= len(ticks) >= 2:
            return ticks
    return []


def date_ticks(
    start: pd.Timestamp, end: pd.Timestamp, max_ticks: int = 7
) -> list[tuple[pd.Timestamp, str]]:
    """Calendar-aligned date ticks (weeks, months, quarters or years) with short labels.

    Parameters
    ----------
    start, end : pandas.Timestamp
        The date range shown.
    max_ticks : int, default 7
        Upper bound on the number of ticks.

    Returns
    -------
    list of (pandas.Timestamp, str)
        Tick dates inside the range and their labels: ``"2024"`` for yearly ticks, ``"Mar 2024"``
        for monthly or quarterly ticks, ``"Mar 4"`` for weekly ticks.

    Notes
    -----
    ``report.js`` redraws zoomed charts with the same rules (function ``dateTicks``).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end <= start:
        return [(start, format_date(start, style="month"))]
    ticks = _year_ticks(start, end, max_ticks)
    span_years = (end - start).days / 365.25
    if span_years < 3 or len(ticks) < 2:
        for months in (1, 2, 3, 6):
            months_start = pd.date_range(
                start.normalize() - pd.offsets.MonthBegin(1), end, freq="MS"
            )
            cand = [t for t in months_start if start <= t <= end and (t.month - 1) % months == 0]
            if 2 <= len(cand) <= max_ticks:
                return [(t, format_date(t, style="month")) for t in cand]
        if span_years < 0.25:
            for weeks in (1, 2, 4):
                mondays = pd.date_range(start.normalize(), end, freq=f"{weeks}W-MON")
                cand = [t for t in mondays if start <= t <= end]
                if len(cand) <= max_ticks:
                    return [(t, f"{_MONTHS[t.month - 1]} {t.day}") for t in cand]
    return [(t, str(t.year)) for t in ticks]


def offset_ticks(lo: int, hi: int, max_ticks: int = 12) -> list[tuple[float, str]]:
    """Whole-number ticks for day offsets: ``-1``, ``0``, ``+1`` ... (every k-th when many).

    Examples
    --------
    >>> offset_ticks(-1, 1)
    [(-1.0, '-1'), (0.0, '0'), (1.0, '+1')]
    """
    span = hi - lo
    step = max(1, math.ceil((span + 1) / max_ticks))
    return [(float(k), f"{k:+d}" if k else "0") for k in range(lo, hi + 1) if k % step == 0]


def tick_decimals(ticks: Sequence[float]) -> int:
    """Fewest decimals (0 to 6) that print every tick exactly: 2 for 0.25 steps, 0 for 5 steps.

    Examples
    --------
    >>> tick_decimals([0.0, 0.25, 0.5]), tick_decimals([0.0, 5.0])
    (2, 0)
    """
    for d in range(7):
        if all(abs(round(t, d) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            return d
    return 6
