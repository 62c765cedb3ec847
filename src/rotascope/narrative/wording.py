"""How numbers, dates and windows are written in sentences (newspaper style).

Percentages get one decimal, record horizons are written as month and year, single days as
"March 16, 2020". Full precision stays in the fact's JSON.
"""

from __future__ import annotations

import pandas as pd

from rotascope.formatting import MISSING, format_pct, is_missing

__all__ = [
    "day_text",
    "horizon_text",
    "month_year",
    "ordinal",
    "pct",
    "pp",
    "signed_pct",
    "window_phrase",
    "window_noun",
]

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                 8: "eight", 9: "nine", 10: "ten", 12: "twelve"}


def pct(value: float, decimals: int = 1) -> str:
    """``0.1153`` -> ``"11.5%"`` (absolute value; the verb carries the sign).

    Examples
    --------
    >>> pct(-0.1153), pct(float("nan"))
    ('11.5%', 'n/a')
    """
    if value is None or is_missing(value):
        return MISSING
    return format_pct(abs(value), signed=False, decimals=decimals)


def signed_pct(value: float, decimals: int = 1) -> str:
    """``-0.031`` -> ``"-3.1%"``, ``0.02`` -> ``"+2.0%"``, ``-0.0004`` -> ``"0.0%"``: the
    table's :func:`rotascope.formatting.format_pct`."""
    return format_pct(value, signed=True, decimals=decimals)


def pp(value: float, decimals: int = 1) -> str:
    """A spread in percentage points: ``0.031`` -> ``"3.1 percentage points"``."""
    if value is None or is_missing(value):
        return MISSING
    return format_pct(abs(value), signed=False, decimals=decimals)[:-1] + " percentage points"


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``12`` -> ``"12th"``, ``23`` -> ``"23rd"``."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def month_year(day: pd.Timestamp) -> str:
    """``2020-04-07`` -> ``"April 2020"``."""
    return pd.Timestamp(day).strftime("%B %Y")


def horizon_text(since: pd.Timestamp, date: pd.Timestamp) -> str:
    """When a record horizon started: month and year, or the day when it is under 90 days."""
    if (pd.Timestamp(date) - pd.Timestamp(since)).days < 90:
        return day_text(since)
    return month_year(since)


def day_text(day: pd.Timestamp) -> str:
    """``2020-03-16`` -> ``"March 16, 2020"``."""
    ts = pd.Timestamp(day)
    return f"{ts:%B} {ts.day}, {ts.year}"


def _count(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def window_phrase(label: str, frequency: str = "daily", start: pd.Timestamp | None = None,
                  end: pd.Timestamp | None = None) -> str:
    """How a window reads after a verb: "over five days", "this year", "on March 16, 2020".

    Parameters
    ----------
    label : str
        Window in CLI spelling (``1d``, ``5d``, ``21d``, ``1w``, ``1m``, ``3m``, ``ytd``, ``1y``,
        ``since:YYYY-MM-DD``).
    frequency : str
        Frequency of the series; row windows of a monthly series read as months.
    start, end : Timestamp, optional
        Window bounds; ``1d`` on daily data reads "on <end date>".
    """
    if label.startswith("since"):
        day = label.split(":", 1)[1] if ":" in label else label.split()[-1]
        return f"since {day_text(pd.Timestamp(day))}"
    fixed = {"1w": "over the past week", "1m": "over the past month", "ytd": "this year",
             "1y": "over the past year"}
    if label in fixed:
        return fixed[label]
    unit = label[-1]
    n = int(label[:-1]) if label[:-1].isdigit() else 0
    if unit == "m":
        return f"over {_count(n)} months"
    if unit == "y":
        return f"over {_count(n)} years"
    if unit == "d" and frequency == "monthly":
        return "in one month" if n == 1 else f"over {_count(n)} months"
    if unit == "d":
        if n == 1:
            return f"on {day_text(end)}" if end is not None else "in one day"
        return f"over {_count(n)} days" if n <= 10 else f"over {n} trading days"
    return f"over {label}"


def window_noun(label: str, frequency: str = "daily") -> str:
    """The window as an adjective: "one-day", "five-day", "three-month", "year-to-date"."""
    if label == "ytd":
        return "year-to-date"
    if label.startswith("since"):
        return "since-" + label.split(":", 1)[-1]
    unit = label[-1]
    n = int(label[:-1]) if label[:-1].isdigit() else 0
    if unit == "w":
        return f"{_count(n)}-week"
    if unit == "m" or (unit == "d" and frequency == "monthly"):
        return f"{_count(n)}-month"
    if unit == "y":
        return f"{_count(n)}-year"
    return f"{_count(n)}-day"
