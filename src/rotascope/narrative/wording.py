"""How numbers, dates and windows are written in sentences (newspaper style).

Percentages get one decimal, record horizons are written as month and year, single days as
"March 16, 2020". Full precision stays in the fact's JSON.
"""

from __future__ import annotations

import pandas as pd

from rotascope.formatting import MISSING, format_pct, is_missing

__all__ = [
    "amount_text",
    "day_text",
    "horizon_text",
    "lead_name",
    "level_text",
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


def lead_name(display: str, verbatim: bool = False) -> str:
    """A subject's name at the start of a sentence: a label as given, capitalised ("the VIX" ->
    "The VIX"); a name with "The" before it ("Russell 2000" -> "The Russell 2000").

    Examples
    --------
    >>> lead_name("the VIX", True), lead_name("Russell 2000"), lead_name("M2 money supply", True)
    ('The VIX', 'The Russell 2000', 'M2 money supply')
    """
    if verbatim or display.lower().startswith("the "):
        return display[:1].upper() + display[1:]
    return f"The {display}"


def _plain(value: float) -> str:
    return f"{value:,.2f}"


def level_text(value: float, units: str) -> str:
    """A level as written: ``4.98%`` (percent), ``57.83`` (index points), ``$71.20`` (USD),
    ``$21,000.1 billion`` (billions of USD), else the number with its units.

    Examples
    --------
    >>> level_text(4.98, "percent"), level_text(57.834, "index points"), level_text(71.2, "USD")
    ('4.98%', '57.83', '$71.20')
    """
    if value is None or is_missing(value):
        return MISSING
    if units == "percent":
        return f"{value:.2f}%"
    if units == "USD":
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if units == "billions of USD":
        return f"${value:,.1f} billion"
    if units in ("", "index points", "points"):
        return _plain(value)
    return f"{_plain(value)} {units}"


def amount_text(change: float, units: str, how: str = "diff") -> str:
    """The size of a level's change (absolute; the verb carries the sign): basis points for a
    series in percent (``0.25`` -> ``"25 basis points"``), points for index points, the units
    otherwise; ``how="pp"``: percentage points (``0.9`` -> ``"0.9 percentage point"``); a
    percent change (``how="pct"``) as :func:`pct`.

    Examples
    --------
    >>> amount_text(-0.253, "percent"), amount_text(0.004, "percent"), amount_text(12.4, "index points")
    ('25 basis points', '0.4 basis points', '12.40 points')
    """
    if change is None or is_missing(change):
        return MISSING
    if how == "pct":
        return pct(change)
    size = abs(change)
    if how == "pp":
        text = f"{size:.1f}"
        return f"{text} percentage point" + ("" if float(text) <= 1 else "s")
    if units == "percent":
        bp = size * 100
        text = f"{bp:.0f}" if round(bp) >= 1 else f"{bp:.1f}"
        return f"{text} basis point" + ("" if text == "1" else "s")
    if units in ("", "index points", "points"):
        return f"{size:,.2f} point" + ("" if f"{size:.2f}" == "1.00" else "s")
    if units == "USD":
        return f"${size:,.2f}"
    return f"{_plain(size)} {units}"
