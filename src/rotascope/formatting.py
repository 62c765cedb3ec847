"""How rotascope writes numbers, percentages, dates and missing values, everywhere.

One module for the sentences (narrative), the report (HTML, Markdown) and the terminal (CLI), so
the same number prints the same way in a sentence and in the table beside it: a percentage that
rounds to zero is ``0.0%`` (never ``-0.0%`` or ``+0.0%``), a missing value is ``n/a``.
The first line of an error for a message or a note is :func:`one_line`.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

__all__ = [
    "MISSING",
    "format_date",
    "format_number",
    "format_pct",
    "format_percentile",
    "format_pp",
    "is_missing",
    "one_line",
]

#: How a missing value prints.
MISSING = "n/a"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_missing(x: object) -> bool:
    """True for None, NaN, NaT and ``pd.NA``; False for anything else (strings included).

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(0.0), is_missing("x")
    (True, True, False, False)
    """
    if x is None:
        return True
    try:
        # pandas-stubs overload pd.isna for scalars and arrays only; it takes any object
        return bool(pd.isna(x))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _rounded(x: float, decimals: int) -> float:
    value = round(float(x), decimals)
    return 0.0 if value == 0.0 else value  # drops the sign of -0.0


def format_pct(x: float | None, *, signed: bool = True, decimals: int = 1) -> str:
    """A fraction as a percentage the way a newspaper prints it: ``round(100 x, decimals)%``.

    Parameters
    ----------
    x : float or None
        The fraction (0.0123 is 1.2%).
    signed : bool, default True
        Prefix a ``+`` on positive values.
    decimals : int, default 1
        Digits after the decimal point.

    Returns
    -------
    str
        ``"+1.2%"``, ``"-0.4%"``, ``"0.0%"`` (no sign when it rounds to zero), or ``"n/a"``.

    Examples
    --------
    >>> format_pct(0.01234), format_pct(-0.0004), format_pct(0.05, signed=False)
    ('+1.2%', '0.0%', '5.0%')
    """
    if x is None or is_missing(x):
        return MISSING
    value = _rounded(float(x) * 100.0, decimals)
    text = f"{value:.{decimals}f}%"
    return f"+{text}" if signed and value > 0 else text


def format_pp(x: float | None, *, decimals: int = 1) -> str:
    """A difference of fractions in percentage points, signed: ``100 (a - b)`` pp.

    Examples
    --------
    >>> format_pp(0.012), format_pp(-0.0301)
    ('+1.2 pp', '-3.0 pp')
    """
    if x is None or is_missing(x):
        return MISSING
    return format_pct(x, signed=True, decimals=decimals)[:-1] + " pp"


def format_number(x: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """A plain number with thousands separators.

    Examples
    --------
    >>> format_number(1234.5), format_number(-0.01), format_number(2.0, signed=True)
    ('1,234.5', '0.0', '+2.0')
    """
    if x is None or is_missing(x):
        return MISSING
    value = _rounded(float(x), decimals)
    text = f"{value:,.{decimals}f}"
    return f"+{text}" if signed and value > 0 else text


def format_date(d: date | datetime | pd.Timestamp | str | None, *, style: str = "iso") -> str:
    """A date as ``2026-07-31`` (``style="iso"``), ``Jul 31, 2026`` (``"long"``) or ``Jul 2026``
    (``"month"``); ``"n/a"`` when missing.

    Examples
    --------
    >>> format_date("2026-07-31"), format_date("2026-07-31", style="long")
    ('2026-07-31', 'Jul 31, 2026')
    """
    if d is None or is_missing(d):
        return MISSING
    ts = pd.Timestamp(d)
    if style == "long":
        return f"{_MONTHS[ts.month - 1]} {ts.day}, {ts.year}"
    if style == "month":
        return f"{_MONTHS[ts.month - 1]} {ts.year}"
    return ts.strftime("%Y-%m-%d")


def format_percentile(p: float | None) -> str:
    """A percentile given as a fraction, as an ordinal: ``round(100 p)`` with its suffix between
    1 and 99, one decimal in the tails.

    Examples
    --------
    >>> format_percentile(0.97), format_percentile(0.9987), format_percentile(0.02)
    ('97th', '99.9th', '2nd')
    """
    if p is None or is_missing(p):
        return MISSING
    value = float(p) * 100.0
    if 1.0 <= value <= 99.0:
        n = int(round(value))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return f"{value:.1f}th"


def one_line(exc: BaseException | str, *, first: bool = False) -> str:
    """An error's message on one line (runs of whitespace, newlines included, become one space);
    with ``first``, only its first line (a library error that appends a dump); the exception's
    type name when it has no message.

    Examples
    --------
    >>> one_line(ValueError("bad value\\n  in row 3"))
    'bad value in row 3'
    >>> one_line(ValueError("bad value\\n  in row 3"), first=True)
    'bad value'
    >>> one_line(KeyError())
    'KeyError'
    """
    message = str(exc)
    if first:
        message = next((line for line in message.splitlines() if line.strip()), "")
    text = " ".join(message.split())
    if text or isinstance(exc, str):
        return text
    return type(exc).__name__
