"""CSV layouts of price and macro series: Yahoo, yfinance, Stooq, FRED and generic date/value files.

Recognised layouts (the header decides, never the file name):

``yahoo``
    ``Date,Open,High,Low,Close,Adj Close,Volume``; the value column is ``Adj Close``.
``yfinance``
    The three header rows ``yf.download(...).to_csv()`` writes (``Price,Close,...`` /
    ``Ticker,SPY,...`` / ``Date,,,``); column names are the price fields (``"Close SPY"`` when the
    file holds several tickers).
``stooq``
    ``Date,Open,High,Low,Close,Volume``; the value column is ``Close``.
``fred``
    ``observation_date,SERIES``; blank or ``.`` values are holidays and their rows are dropped.
``generic``
    Anything else with a date column (named ``date``, ``observation_date``, ``timestamp`` or
    ``datetime`` in any case, or a first column that parses as dates) and a value column:
    ``Date,Close``, ``Date,^RUT`` (a single-ticker yfinance column), ``date;value`` ...

The value column is ``column=`` when given, else ``Adj Close``, else ``Close``, else the only other
column, else the only numeric column; several candidates and no rule is an input error that lists
them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.data.formats.csv_fast import read_columns
from rotascope.data.series import check_kind
from rotascope.data.validate import validate_values
from rotascope.errors import InputError

__all__ = ["CsvLayout", "LayoutName", "parse_csv_text", "sniff_csv"]

LayoutName = Literal["yahoo", "yfinance", "stooq", "fred", "generic"]

_DATE_NAMES = ("date", "observation_date", "timestamp", "datetime")
_ADJ_CLOSE_NAMES = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close")
_CLOSE_NAMES = ("close", "zamkniecie")  # stooq.pl writes Polish headers
_STOOQ_NAMES = ("date", "open", "high", "low", "close", "volume")
_MISSING = frozenset({"", ".", "na", "n/a", "nan", "null", "none", "#n/a"})
# Tried in order on the whole date column; the format that parses the most rows wins, ties go to
# the earlier one (so 01/02/2024 is January 2 unless a day above 12 proves the file is D/M/Y).
_DATE_FORMATS = (
    "ISO8601",
    "%Y%m%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%m/%d/%y",
    "%d-%b-%Y",
    "%b %d, %Y",
)
_SPACE = re.compile(r"\s")  # str.isspace() characters, the ones str.strip() removes
# "2024-01-02 00:00:00-05:00" -> "2024-01-02 00:00:00": keep the exchange's wall-clock date.
_TZ_SUFFIX = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|[+-]\d{2}:?\d{2})$"
)
_SAMPLE_ROWS = 50


@dataclass(frozen=True)
class CsvLayout:
    """What :func:`sniff_csv` found in the header of a CSV text.

    Parameters
    ----------
    layout : {"yahoo", "yfinance", "stooq", "fred", "generic"}
        The recognised layout.
    sep : str
        Field separator (``","``, ``";"`` or a tab).
    names : tuple of str
        Column names, stripped (the date column included).
    header_line : int
        Line number (1-based) of the header row.
    data_start : int
        Index in ``text.splitlines()`` of the first line after the header row(s).
    """

    layout: LayoutName
    sep: str
    names: tuple[str, ...]
    header_line: int
    data_start: int


def _split(line: str, sep: str) -> list[str]:
    return [field.strip() for field in next(csv.reader([line], delimiter=sep), [])]


def sniff_csv(text: str, *, origin: str, sep: str | None = None) -> CsvLayout:
    """Find the separator, header row and layout of a CSV text.

    Parameters
    ----------
    text : str
        The whole file content.
    origin : str
        What to name in error messages (usually the file path).
    sep : str, optional
        Field separator; detected from the header row when omitted (the most frequent of
        ``,``, ``;`` and tab).

    Returns
    -------
    CsvLayout
        Layout name, separator, column names and where the data rows start.

    Raises
    ------
    InputError
        The text is empty or blank.
    """
    lines = text.lstrip("\ufeff").splitlines()
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    if head is None:
        raise InputError(f"{origin}: empty file")
    _check_line_lengths(lines, origin)
    header = lines[head]
    if sep is None:
        counts = {s: header.count(s) for s in (",", ";", "\t")}
        sep = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
    names = _split(header, sep)
    _check_not_data(names, header, head + 1, origin)
    data_start = head + 1
    lower = [n.lower() for n in names]
    layout: LayoutName = "generic"
    if lower and lower[0] == "price" and len(lines) > head + 1:
        tickers = _split(lines[head + 1], sep)
        if tickers and tickers[0].lower() == "ticker":
            data_start = head + 2
            if len(lines) > head + 2:
                third = _split(lines[head + 2], sep)
                if third and third[0].lower() == "date" and not any(third[1:]):
                    data_start = head + 3
            fields = names[1:]
            ticks = tickers[1:] + [""] * (len(fields) - len(tickers[1:]))
            if len({t for t in ticks if t}) > 1:
                fields = [f"{f} {t}".strip() for f, t in zip(fields, ticks, strict=False)]
            names = ["Date", *fields]
            lower = [n.lower() for n in names]
            layout = "yfinance"
    if layout == "generic":
        if lower and lower[0] == "observation_date":
            layout = "fred"
        elif any(n in _ADJ_CLOSE_NAMES for n in lower):
            layout = "yahoo"
        elif tuple(lower) == _STOOQ_NAMES:
            layout = "stooq"
    return CsvLayout(layout, sep, tuple(names), head + 1, data_start)


def _check_line_lengths(lines: Sequence[str], origin: str) -> None:
    """Refuse a line longer than the csv module's field limit (it would raise ``_csv.Error``)."""
    limit = csv.field_size_limit()
    if lines and max(map(len, lines)) > limit:
        k = next(i for i, line in enumerate(lines) if len(line) > limit)
        raise InputError(
            f"{origin}: line {k + 1}: longer than {limit:,} characters, the CSV field limit "
            "(not a CSV of dates and values?)"
        )


#: The only texts without a digit that pandas reads as a date (every format of
#: :data:`_DATE_FORMATS` needs one): a header name without a digit is no date otherwise.
_DIGITLESS_DATES = frozenset({"now", "today"})


def _may_be_date(text: str) -> bool:
    """False when ``text`` cannot parse as a date (no digit, not "now"/"today"): the usual
    header name is settled without trying every date format on it."""
    t = text.strip()
    return any(c.isdigit() for c in t) or t in _DIGITLESS_DATES


def _check_not_data(names: Sequence[str], header: str, lineno: int, origin: str) -> None:
    """Refuse a header row that is really data: a date followed by numbers only."""
    if (len(names) < 2 or not names[0] or not _may_be_date(names[0])
            or _parse_dates([names[0]])[1].any()):
        return
    if not _looks_numeric(names[1:], decimal_comma=False) or any(
        n.strip().lower() in _MISSING for n in names[1:]
    ):
        return
    raise InputError(
        f"{origin}: line {lineno}: no header row: the first line {header.strip()[:40]!r} looks "
        "like data (a date and numbers); add a header line such as Date,Close"
    )


#: Month-first formats and their day-first twins: a file both read completely is ambiguous.
_DAY_FIRST = {"%m/%d/%Y": "%d/%m/%Y"}
_MONTH_FIRST = {v: k for k, v in _DAY_FIRST.items()}


def _parse_dates(
    texts: Sequence[str],
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    origin: str | None = None,
    lines: Sequence[int] | None = None,
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Parse date strings with the best of :data:`_DATE_FORMATS`; return (dates, bad mask).

    ``date_format`` forces one format; ``dayfirst`` picks between month/day and day/month
    readings. With ``origin`` given, dates both readings parse completely and both put in
    increasing order (``01/02/2024, 02/02/2024``: January 2 and February 2, or February 1
    and 2?) raise :class:`InputError` asking for ``--dayfirst`` or ``--date-format``; when only
    one reading is in increasing order, that one is used.
    """
    try:  # one C-speed scan: without any whitespace (str.isspace, as strip() sees it) and ':',
        joined = "\x00".join(texts)  # the texts need neither strip() nor the zone rewrite
    except TypeError:
        joined = " :"
    stripped: Sequence[str] = texts if _SPACE.search(joined) is None else [t.strip() for t in texts]
    if ":" in joined:
        stripped = [_TZ_SUFFIX.sub(r"\1", t) for t in stripped]
    cleaned = pd.Series(list(stripped), dtype=object)
    if date_format is not None:
        try:
            parsed = pd.to_datetime(cleaned, format=date_format, errors="coerce")
        except (ValueError, TypeError, OverflowError) as exc:
            raise InputError(
                f"{origin or 'dates'}: bad date format {date_format!r} ({exc})"
            ) from None
        return pd.DatetimeIndex(parsed), parsed.isna().to_numpy()
    best: tuple[pd.Series, np.ndarray, str] | None = None
    for fmt in _DATE_FORMATS:
        try:
            parsed = pd.to_datetime(cleaned, format=fmt, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            continue
        bad = parsed.isna().to_numpy()
        if best is None or bad.sum() < best[1].sum():
            best = (parsed, bad, fmt)
        if not bad.any():
            break
    if best is None:  # pragma: no cover - "coerce" never raises for str input
        return pd.DatetimeIndex([pd.NaT] * len(texts)), np.ones(len(texts), dtype=bool)
    parsed, bad, fmt = best
    if fmt in _DAY_FIRST and not bad.any() and (dayfirst or origin is not None):
        twin = pd.to_datetime(cleaned, format=_DAY_FIRST[fmt], errors="coerce")
        if not twin.isna().any():
            if dayfirst:
                return pd.DatetimeIndex(twin), twin.isna().to_numpy()
            if dayfirst is None and origin is not None:
                parsed = _pick_day_month(cleaned, parsed, twin, origin, lines)
    return pd.DatetimeIndex(parsed), bad


def _pick_day_month(
    texts: pd.Series, month_first: pd.Series, day_first: pd.Series, origin: str,
    lines: Sequence[int] | None,
) -> pd.Series:
    """Month/day or day/month, when both read every date.

    The reading in increasing order wins; when both are, the one with clearly more regular
    steps (coefficient of variation of the gaps below half the other's: monthly dates
    ``1/1/1919, 2/1/1919, ...`` are regular as month/day, not as day/month); else ambiguous.
    """
    if month_first.equals(day_first) or month_first.nunique() < 2:
        return month_first
    steps_m = np.diff(month_first.to_numpy().astype("int64")).astype("float64")
    steps_d = np.diff(day_first.to_numpy().astype("int64")).astype("float64")
    up_m, up_d = bool((steps_m > 0).all()), bool((steps_d > 0).all())
    if up_d and not up_m:
        return day_first
    if up_m != up_d or not up_m:
        return month_first
    cv_m = float(steps_m.std() / steps_m.mean())
    cv_d = float(steps_d.std() / steps_d.mean())
    if cv_m < 0.5 * cv_d:
        return month_first
    if cv_d < 0.5 * cv_m:
        return day_first
    k = int(np.flatnonzero((month_first != day_first).to_numpy())[0])
    where = f"line {lines[k]}: " if lines is not None else ""
    raise InputError(
        f"{origin}: {where}dates like {texts.iloc[k]!r} are ambiguous (month/day gives "
        f"{month_first.iloc[k]:%Y-%m-%d}, day/month {day_first.iloc[k]:%Y-%m-%d}); state the "
        "intent with --dayfirst or --date-format %m/%d/%Y (dayfirst= or date_format= in Python)"
    )


def _number(raw: str, decimal_comma: bool) -> float | None:
    """One value field as every reader here parses it: None for a missing-value token
    (:data:`_MISSING`), else ``float`` of the text, with a decimal comma (``1234,5``) accepted
    when ``decimal_comma``. Raises ValueError for text that is no number."""
    text = raw.strip()
    if text.lower() in _MISSING:
        return None
    if decimal_comma and "," in text and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def _looks_numeric(values: Sequence[str], decimal_comma: bool) -> bool:
    seen = False
    for raw in values:
        try:
            if _number(raw, decimal_comma) is None:
                continue
        except ValueError:
            return False
        seen = True
    return seen


def _find_date_column(
    names: Sequence[str], rows: Sequence[Sequence[str]], origin: str, header_line: int
) -> int:
    for i, name in enumerate(names):
        if name.lower() in _DATE_NAMES:
            return i
    sample = [row[0] for row in rows[:5] if row and row[0].strip()]
    if sample and not _parse_dates(sample)[1].any():
        return 0
    raise InputError(
        f"{origin}: line {header_line}: no date column (columns: {', '.join(names)}); "
        "expected one named date, observation_date or timestamp, or dates in the first column"
    )


def _choose_value_column(
    layout: CsvLayout,
    date_idx: int,
    rows: Sequence[Sequence[str]],
    column: str | None,
    origin: str,
) -> int:
    names = layout.names
    others = [i for i in range(len(names)) if i != date_idx]
    listed = ", ".join(names[i] for i in others) or "none"
    if column is not None:
        wanted = column.strip()
        for i in others:
            if names[i] == wanted:
                return i
        folded = [i for i in others if names[i].lower() == wanted.lower()]
        if len(folded) == 1:
            return folded[0]
        raise InputError(f"{origin}: no column {column!r}; columns: {listed}")
    for group in (_ADJ_CLOSE_NAMES, _CLOSE_NAMES):
        for i in others:
            if names[i].lower() in group:
                return i
    if len(others) == 1:
        return others[0]
    if not others:
        raise InputError(
            f"{origin}: line {layout.header_line}: only a date column ({names[date_idx]}), "
            "no value column"
        )
    sample = rows[:_SAMPLE_ROWS]
    numeric = [
        i
        for i in others
        if _looks_numeric([row[i] if i < len(row) else "" for row in sample], layout.sep == ";")
    ]
    if len(numeric) == 1:
        return numeric[0]
    if not numeric:
        raise InputError(f"{origin}: no numeric value column (columns: {listed})")
    raise InputError(
        f"{origin}: several value columns ({', '.join(names[i] for i in numeric)}); "
        "choose one with column="
    )


def parse_csv_text(
    text: str,
    *,
    origin: str,
    column: str | None = None,
    kind: str = "price",
    sep: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.Series, str]:
    """Parse CSV text in any recognised layout into one validated series.

    Parameters
    ----------
    text : str
        The whole file content.
    origin : str
        What to name in error messages (the file path or ``provider:symbol``).
    column : str, optional
        The value column; exact name first, then a unique case-insensitive match. Default: see
        the module docstring.
    kind : {"price", "return", "valuation", "macro"}
        Series kind. Missing values are errors for prices (except in the FRED layout, where blank
        and ``.`` rows are holidays) and dropped rows otherwise; prices must be positive.
    sep : str, optional
        Field separator, detected from the header when omitted. With ``;`` a decimal comma
        (``1234,5``) is accepted.
    date_format : str, optional
        The dates' ``strftime`` format; default: inferred from the whole column. Dates that
        read completely both as month/day and as day/month, in increasing order either way,
        are refused unless ``date_format`` or ``dayfirst`` says which.
    dayfirst : bool, optional
        ``True``: ``01/02/2024`` is 1 February; ``False``: January 2.

    Returns
    -------
    values : pandas.Series
        float64 values on a sorted, unique DatetimeIndex named ``date``.
    column : str
        The name of the column the values were read from.

    Raises
    ------
    InputError
        One line naming ``origin``, the line number and the problem: empty file, no date or value
        column, unparseable date or number, missing value in a price file, duplicated or unsorted
        dates, non-positive price.

    Examples
    --------
    >>> values, col = parse_csv_text("Date,Close\\n2024-01-02,10\\n2024-01-03,11\\n", origin="x.csv")
    >>> col, float(values.iloc[-1])
    ('Close', 11.0)
    """
    kind = check_kind(kind)
    text = text.lstrip("\ufeff")
    layout = sniff_csv(text, origin=origin, sep=sep)
    fast = _parse_fast(text, layout, origin=origin, column=column, kind=kind,
                       date_format=date_format, dayfirst=dayfirst)
    if fast is not None:
        return fast
    return _parse_lines(text, layout, origin=origin, column=column, kind=kind,
                        date_format=date_format, dayfirst=dayfirst)


def _parse_fast(
    text: str, layout: CsvLayout, *, origin: str, column: str | None, kind: str,
    date_format: str | None = None, dayfirst: bool | None = None,
) -> tuple[pd.Series, str] | None:
    """:func:`_parse_lines` through the C tokenizer (:mod:`.csv_fast`), for well-formed text.

    Returns exactly what :func:`_parse_lines` returns (the same values, dates, line numbers and
    validation), or None whenever the text or a field is not plain (quotes, short rows, blank
    lines inside, an unparseable date or number, a missing price): the line reader then runs
    and reports the problem with its line number, as it always has.
    """
    # the first data rows as the line reader sees them (read_columns below refuses any text
    # whose lines split otherwise than at "\n" and "\r\n")
    ahead = text.split("\n", layout.data_start + 2 * _SAMPLE_ROWS)[:-1]
    lines = [line[:-1] if line.endswith("\r") else line for line in ahead]
    head: list[list[str]] = []
    for row in csv.reader(lines[layout.data_start :], delimiter=layout.sep):
        if row and any(field.strip() for field in row):
            head.append(row)
    if len(head) < _SAMPLE_ROWS:
        return None
    try:
        date_idx = _find_date_column(layout.names, head, origin, layout.header_line)
        value_idx = _choose_value_column(layout, date_idx, head, column, origin)
    except InputError:
        return None
    table = read_columns(text, sep=layout.sep, data_start=layout.data_start,
                         ncols=len(layout.names), usecols=tuple({date_idx, value_idx}))
    if table is None:
        return None
    name = layout.names[value_idx]
    raw_dates = table.columns[date_idx]
    joined = "".join(raw_dates)  # one C scan tells whether any date text needs stripping
    if joined.isascii() and not any(c in joined for c in " \t\x1f"):
        date_texts = raw_dates.tolist()
    else:
        date_texts = [t.strip() for t in raw_dates]
    linenos = table.linenos.tolist()
    dates, bad_dates = _parse_dates(date_texts, date_format=date_format, dayfirst=dayfirst,
                                    origin=origin, lines=linenos)
    if bad_dates.any():
        return None
    parsed = _parse_numbers(table.columns[value_idx], decimal_comma=layout.sep == ";")
    if parsed is None:
        return None
    values, missing = parsed
    if missing.any():
        if kind == "price" and layout.layout != "fred":
            return None
        keep = ~missing
        values = values[keep]
        dates = dates[keep]
        linenos = [ln for ln, ok in zip(linenos, keep, strict=True) if ok]
    series = pd.Series(values, index=dates, name=name, dtype="float64")
    series.index.name = "date"
    return validate_values(series, kind=kind, origin=origin, lines=linenos,
                           one_per_day=True), name


def _parse_numbers(
    raw: np.ndarray, *, decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Values and missing flags of number texts, as the line reader parses them, or None when
    one is no number. ``float()`` on every text at C speed first; the texts it rejects or reads
    as NaN are then looked at one by one with the line reader's rules."""
    try:
        values = raw.astype(np.float64)
    except (ValueError, TypeError):
        values = None
    if values is not None:
        odd = np.flatnonzero(np.isnan(values))
    else:
        values = np.full(len(raw), np.nan)
        odd = np.arange(len(raw))
    missing = np.zeros(len(raw), dtype=bool)
    for k in odd.tolist():
        try:
            value = _number(raw[k], decimal_comma)
        except ValueError:
            return None
        if value is None:
            missing[k] = True
        else:
            values[k] = value
    return values, missing


def _parse_lines(
    text: str, layout: CsvLayout, *, origin: str, column: str | None, kind: str,
    date_format: str | None = None, dayfirst: bool | None = None,
) -> tuple[pd.Series, str]:
    """The line reader: Python's csv module line by line, each row keeping its line number;
    every input problem is reported here (see :func:`parse_csv_text`)."""
    lines = text.splitlines()
    rows: list[list[str]] = []
    linenos: list[int] = []
    reader = csv.reader(lines[layout.data_start :], delimiter=layout.sep)
    for row in reader:
        if not row or not any(field.strip() for field in row):
            continue
        rows.append(row)
        linenos.append(layout.data_start + reader.line_num)
    if not rows:
        raise InputError(f"{origin}: no data rows below the header (line {layout.header_line})")

    date_idx = _find_date_column(layout.names, rows, origin, layout.header_line)
    value_idx = _choose_value_column(layout, date_idx, rows, column, origin)
    name = layout.names[value_idx]
    need = max(date_idx, value_idx) + 1
    for row, lineno in zip(rows, linenos, strict=True):
        if len(row) < need:
            raise InputError(
                f"{origin}: line {lineno}: {len(row)} field(s), expected {len(layout.names)} "
                f"({', '.join(layout.names)})"
            )

    date_texts = [row[date_idx].strip() for row in rows]
    dates, bad_dates = _parse_dates(date_texts, date_format=date_format, dayfirst=dayfirst,
                                    origin=origin, lines=linenos)
    first_bad_date = int(np.flatnonzero(bad_dates)[0]) if bad_dates.any() else len(rows)

    decimal_comma = layout.sep == ";"
    values = np.full(len(rows), np.nan)
    missing = np.zeros(len(rows), dtype=bool)
    for k, row in enumerate(rows[:first_bad_date]):
        try:
            value = _number(row[value_idx], decimal_comma)
        except ValueError:
            raw = row[value_idx].strip()
            raise InputError(
                f"{origin}: line {linenos[k]}: unparseable number {raw!r} in column {name!r}"
            ) from None
        if value is None:
            missing[k] = True
        else:
            values[k] = value
    if first_bad_date < len(rows):
        bad_text = date_texts[first_bad_date]
        what = f"unparseable date {bad_text!r}" if bad_text else "missing date"
        raise InputError(f"{origin}: line {linenos[first_bad_date]}: {what}")

    if missing.any():
        if kind == "price" and layout.layout != "fred":
            k = int(np.flatnonzero(missing)[0])
            raise InputError(
                f"{origin}: line {linenos[k]} ({dates[k]:%Y-%m-%d}): missing value in "
                f"column {name!r}"
            )
        keep = ~missing
        values = values[keep]
        dates = dates[keep]
        linenos = [ln for ln, ok in zip(linenos, keep, strict=True) if ok]
    series = pd.Series(values, index=dates, name=name, dtype="float64")
    series.index.name = "date"
    return validate_values(series, kind=kind, origin=origin, lines=linenos, one_per_day=True), name
