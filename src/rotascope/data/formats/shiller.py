"""Robert Shiller's monthly S&P 500 data (``ie_data``), as a CSV export of his spreadsheet.

The layout (``ie_data.csv`` in ``../shared/data/valuation/``)::

    Date;Price;Dividend;Earnings;CPI;Data Fraction;Rate GS10;Real Price;...;CAPE;;TR CAPE;...
    1871.01;4.44;0.26;0.40;12.46;1871.04;5.32;115.92;...;NA;;NA;...
    2025.1;6735.69;;;325.21;2025.79;4.06;...;39.21;;41.94;1.67%;...

- separator ``;`` (``,`` is accepted too when the header uses it);
- Shiller's decimal dates ``YYYY.MM``, where the spreadsheet dropped the trailing zero of
  October: ``2025.1`` is October 2025, ``2025.01`` January (``2025.10`` is October as well);
- percent strings (``1.67%``) are fractions after parsing (0.0167);
- ``NA`` and blank cells are missing (recent dividends and earnings are blank until Shiller
  fills them in); columns with an empty header are dropped.

Column names are those of the file (``Price``, ``Earnings``, ``CAPE`` ...), with Shiller's own
spreadsheet abbreviations accepted as aliases (``P``, ``D``, ``E``, ``GS10``), plus three derived
columns:

- ``P/E``: trailing price/earnings, ``Price / Earnings`` (Shiller's ``Earnings`` are trailing
  twelve-month S&P 500 earnings per share, so this is the trailing P/E);
- ``E/P``: the earnings yield, ``Earnings / Price`` (a fraction);
- ``D/P``: the dividend yield, ``Dividend / Price`` (a fraction).

Dates are month starts (``1871-01-01``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rotascope.data.validate import validate_values
from rotascope.errors import InputError

__all__ = [
    "SHILLER_ALIASES",
    "is_shiller_csv",
    "parse_shiller_csv",
    "parse_shiller_date",
    "read_shiller_series",
    "shiller_column",
    "shiller_kind",
    "shiller_units",
]

#: Shiller's spreadsheet abbreviations -> the column names of the CSV export.
SHILLER_ALIASES: dict[str, str] = {
    "p": "Price",
    "d": "Dividend",
    "e": "Earnings",
    "gs10": "Rate GS10",
    "pe": "P/E",
    "ep": "E/P",
    "dp": "D/P",
    "earnings yield": "E/P",
    "dividend yield": "D/P",
    "pe10": "CAPE",
}

_DATE_RE = re.compile(r"^(\d{4})\.(\d{1,2})$")
_MISSING = frozenset({"", "na", "n/a", "nan", "#n/a", "."})
_DERIVED = ("P/E", "E/P", "D/P")


def _split(line: str, sep: str) -> list[str]:
    return [field.strip() for field in line.split(sep)]


def _separator(header: str) -> str | None:
    for sep in (";", ","):
        fields = [f.strip().lower() for f in header.split(sep)]
        if len(fields) >= 3 and fields[0] == "date":
            return sep
    return None


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting the whole text: a prefix that holds more than
    ``n`` lines has the same first ``n`` (each ends at a break inside the prefix)."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) > n or size >= len(text):
            return lines[:n]
        size *= 8


def is_shiller_csv(text: str) -> bool:
    """Return True when ``text`` looks like a CSV export of Shiller's ``ie_data`` sheet.

    The test: a header whose first field is ``Date`` and that has a ``CAPE`` column and a
    ``Price`` (or ``P``) and ``Earnings`` (or ``E``) column, and a first data row whose date is
    written ``YYYY.MM``.
    """
    lines = [line for line in _first_lines(text.lstrip("\ufeff"), 3) if line.strip()]
    if len(lines) < 2:
        return False
    sep = _separator(lines[0])
    if sep is None:
        return False
    names = {f.lower() for f in _split(lines[0], sep)}
    if "cape" not in names or not ({"price", "p"} & names) or not ({"earnings", "e"} & names):
        return False
    return bool(_DATE_RE.match(_split(lines[1], sep)[0]))


def parse_shiller_date(text: str) -> pd.Timestamp:
    """Parse one of Shiller's decimal dates into the first day of the month.

    Parameters
    ----------
    text : str
        ``YYYY.MM`` (``1871.01`` .. ``1871.12``) or ``YYYY.1`` for October (the spreadsheet
        writes the number 1871.10 without its trailing zero).

    Returns
    -------
    pandas.Timestamp
        The month start.

    Raises
    ------
    InputError
        Anything else (``2025.2`` would be ambiguous: no such Shiller date exists).

    Examples
    --------
    >>> parse_shiller_date("2025.1"), parse_shiller_date("2025.01")
    (Timestamp('2025-10-01 00:00:00'), Timestamp('2025-01-01 00:00:00'))
    """
    m = _DATE_RE.match(text.strip())
    if m is None:
        raise InputError(f"not a Shiller date (YYYY.MM) {text!r}")
    year, frac = int(m.group(1)), m.group(2)
    if len(frac) == 1:
        if frac != "1":
            raise InputError(f"not a Shiller date {text!r}: only October is written with one digit (YYYY.1)")
        month = 10
    else:
        month = int(frac)
    if not 1 <= month <= 12:
        raise InputError(f"not a Shiller date {text!r}: month {month} is not 1..12")
    return pd.Timestamp(year=year, month=month, day=1)


def _number(raw: str) -> float:
    low = raw.strip().lower()
    if low in _MISSING:
        return float("nan")
    if low.endswith("%"):
        return float(low[:-1].replace(",", "")) / 100.0
    return float(low.replace(",", "") if "." in low else low.replace(",", "."))


def parse_shiller_csv(text: str, *, origin: str) -> pd.DataFrame:
    """Parse a CSV export of Shiller's ``ie_data`` sheet.

    Parameters
    ----------
    text : str
        The whole file.
    origin : str
        What to name in error messages (the path).

    Returns
    -------
    pandas.DataFrame
        float64 columns named as in the file (empty-named columns dropped) plus ``P/E``,
        ``E/P`` and ``D/P`` (see the module docstring), on a DatetimeIndex of month starts named
        ``date``. Missing values are NaN; percents are fractions.

    Raises
    ------
    InputError
        One line naming ``origin`` and the line: a bad date, a bad number, a wrong number of
        fields, duplicated or unsorted months.

    Notes
    -----
    ``P/E[t] = Price[t] / Earnings[t]``, ``E/P[t] = Earnings[t] / Price[t]``, ``D/P[t] =
    Dividend[t] / Price[t]``; NaN where a part is missing or earnings are not positive (the P/E
    of negative earnings is not a valuation).
    """
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise InputError(f"{origin}: empty file")
    sep = _separator(lines[0])
    if sep is None:
        raise InputError(f"{origin}: line 1: expected a header starting with Date (Shiller ie_data)")
    names = _split(lines[0], sep)
    keep = [i for i, n in enumerate(names) if i > 0 and n]
    dates: list[pd.Timestamp] = []
    rows: list[list[float]] = []
    for k, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = _split(line, sep)
        if len(fields) > len(names) and all(not f for f in fields[len(names):]):
            fields = fields[: len(names)]
        if len(fields) < len(names):
            fields += [""] * (len(names) - len(fields))
        if len(fields) != len(names):
            raise InputError(
                f"{origin}: line {k}: {len(fields)} fields, expected {len(names)}"
            )
        try:
            dates.append(parse_shiller_date(fields[0]))
        except InputError as exc:
            raise InputError(f"{origin}: line {k}: {exc}") from None
        row = []
        for i in keep:
            try:
                row.append(_number(fields[i]))
            except ValueError:
                raise InputError(
                    f"{origin}: line {k}: unparseable number {fields[i]!r} in column {names[i]!r}"
                ) from None
        rows.append(row)
    if not rows:
        raise InputError(f"{origin}: no data rows")
    index = pd.DatetimeIndex(dates, name="date")
    steps = np.diff(index.to_numpy())
    if (steps <= np.timedelta64(0)).any():
        k = int(np.flatnonzero(steps <= np.timedelta64(0))[0]) + 1
        what = "duplicated month" if steps[k - 1] == np.timedelta64(0) else "months are not sorted"
        raise InputError(f"{origin}: {what} at {index[k]:%Y-%m}")
    frame = pd.DataFrame(np.array(rows, dtype="float64"), index=index,
                         columns=pd.Index([names[i] for i in keep]))
    price = _find(frame, "Price")
    earnings = _find(frame, "Earnings")
    dividend = _find(frame, "Dividend")
    if price is not None and earnings is not None:
        e = frame[earnings].where(frame[earnings] > 0)
        frame["P/E"] = frame[price] / e
        frame["E/P"] = frame[earnings] / frame[price]
    if price is not None and dividend is not None:
        frame["D/P"] = frame[dividend] / frame[price]
    return frame


def _fold(name: str) -> str:
    return " ".join(name.split()).lower()


def _find(frame: pd.DataFrame, name: str) -> str | None:
    wanted = _fold(name)
    for col in frame.columns:
        if _fold(str(col)) == wanted:
            return str(col)
    return None


def shiller_column(frame: pd.DataFrame, column: str | None, *, origin: str) -> str:
    """Resolve a column name of a parsed Shiller frame (case and spacing ignored; aliases).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`parse_shiller_csv`.
    column : str, optional
        ``CAPE``, ``P/E``, ``Price``, ``P``, ``E``... Default ``CAPE``.
    origin : str
        For the error message.

    Raises
    ------
    InputError
        Unknown column; the message lists the columns.
    """
    wanted = "CAPE" if column is None else column
    found = _find(frame, wanted)
    if found is None and _fold(wanted) in SHILLER_ALIASES:
        found = _find(frame, SHILLER_ALIASES[_fold(wanted)])
    if found is None:
        raise InputError(
            f"{origin}: no column {wanted!r}; columns: {', '.join(map(str, frame.columns))}"
        )
    return found


def shiller_units(column: str) -> str:
    """Units of a Shiller column: ``ratio`` for valuations, ``fraction`` for yields and percents,
    ``USD`` for price, dividend and earnings levels, else ``""``."""
    low = _fold(column)
    if low in ("cape", "tr cape", "p/e"):
        return "ratio"
    if low in ("e/p", "d/p", "excess cape yield") or "annualized" in low:
        return "fraction"
    if low in ("price", "dividend", "earnings", "real price", "real dividend", "real earnings"):
        return "USD"
    if low == "rate gs10":
        return "percent"
    return ""


def shiller_kind(column: str) -> str:
    """Series kind of a Shiller column: ``price`` for the (real) price, ``macro`` for the CPI and
    the 10-year rate, else ``valuation``."""
    low = _fold(column)
    if low in ("price", "real price", "real total return price"):
        return "price"
    if low in ("cpi", "rate gs10"):
        return "macro"
    return "valuation"


def read_shiller_series(
    text: str, *, origin: str, column: str | None = None, kind: str | None = None,
    frame: pd.DataFrame | None = None,
) -> tuple[pd.Series, str, str, str]:
    """One validated column of a Shiller file, its missing months dropped.

    Parameters
    ----------
    text : str
        The file.
    origin : str
        The path, for messages.
    column : str, optional
        See :func:`shiller_column` (default ``CAPE``).
    kind : str, optional
        Series kind; default :func:`shiller_kind` of the column.
    frame : DataFrame, optional
        ``parse_shiller_csv(text, origin=origin)`` when the caller already has it (a report
        reads several columns of one file); not modified.

    Returns
    -------
    (values, column, kind, units)
        ``values``: float64 on month starts named ``date`` (NaN months, such as the CAPE before
        1881 or the blank recent earnings, are dropped).
    """
    if frame is None:
        frame = parse_shiller_csv(text, origin=origin)
    col = shiller_column(frame, column, origin=origin)
    values = frame[col].dropna()
    if values.empty:
        raise InputError(f"{origin}: column {col!r} has no values")
    use_kind = kind or shiller_kind(col)
    values = validate_values(values.rename(None), kind=use_kind, origin=f"{origin} [{col}]")
    return values, col, use_kind, shiller_units(col)
