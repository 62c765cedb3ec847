"""Ken French data library CSV files: every section, with dates and units made explicit.

A library file is a text paragraph, then sections, then a copyright footer. Each section is an
optional title (one or more lines; the first table of the factor files has none), a header row
whose first field is blank or ``Date`` (``,Mkt-RF,SMB,HML,RF``), and data rows up to a blank line.
Dates are ``YYYYMMDD`` (daily), ``YYYYMM`` (monthly) or ``YYYY`` (annual); edited copies may use
``YYYY-MM-DD``. ``-99.99`` and ``-999`` mean missing and become NaN.

Percent rule (see :func:`is_percent_title`): a section holds percents, divided here by 100, when
its title is empty (the unnamed factor tables) or mentions returns or factors, and is not one of
the known non-percent sections:

1. ``Number of Firms in Portfolios`` (counts),
2. ``Average Market Cap`` and 3. ``Average Firm Size`` (millions of dollars),
4. ``Sum of BE / Sum of ME`` (ratio),
5. ``Value Weight(ed) Average of BE/ME`` and ``... of BE_FYt-1/ME_June t`` (ratios),
6. ``Value Weight Average of OP`` (operating profitability, a ratio),
7. ``Value Weight Average of investment`` (log asset growth, a ratio).

Sections with other titles are kept as they are (``percent=False``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.errors import InputError

__all__ = [
    "FrenchFrequency",
    "FrenchSection",
    "is_french_csv",
    "is_percent_title",
    "parse_french_csv",
    "select_section",
]

FrenchFrequency = Literal["daily", "monthly", "annual"]

_ROW = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{8}|\d{6}|\d{4})\s*(,|$)")
# date width -> (strptime format, frequency); read-only
_FORMATS: Mapping[int, tuple[str, FrenchFrequency]] = MappingProxyType(
    {
        10: ("%Y-%m-%d", "daily"),
        8: ("%Y%m%d", "daily"),
        6: ("%Y%m", "monthly"),
        4: ("%Y", "annual"),
    }
)
_MISSING_CODES = (-99.99, -999.0)
_NOT_PERCENT = (
    "number of firms",
    "average market cap",
    "average firm size",
    "sum of be / sum of me",
    "average of be",
    "average of op",
    "average of investment",
)
_TITLE_PREAMBLE = re.compile(r"^for portfolios formed\b", re.IGNORECASE)
_TITLE_TAIL = re.compile(r"\s+calculated\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class FrenchSection:
    """One table of a Ken French data library CSV file.

    Parameters
    ----------
    title : str
        Section title, e.g. ``"Average Value Weighted Returns -- Monthly"`` or
        ``"Value Weight Average of BE/ME"``; ``""`` for an untitled first table.
    frequency : {"daily", "monthly", "annual"}
        From the date format.
    frame : pandas.DataFrame
        float64 columns (portfolio or factor names, stripped) on a DatetimeIndex named ``date``:
        the day, the first day of the month, or January 1 of the year. Missing values are NaN.
    percent : bool
        True when the file's values were percents and have been divided by 100.
    first_line : int
        Line number in the file of the first data row (rows are consecutive lines), 0 when
        unknown; for error messages.
    """

    title: str
    frequency: FrenchFrequency
    frame: pd.DataFrame
    percent: bool
    first_line: int = 0


def is_percent_title(title: str) -> bool:
    """Return True when a section with this title holds percents (see the module docstring)."""
    low = title.strip().lower()
    if any(pattern in low for pattern in _NOT_PERCENT):
        return False
    return low == "" or "return" in low or "factor" in low


def is_french_csv(text: str) -> bool:
    """Return True when ``text`` looks like a Ken French data library CSV file.

    The test is the library's copyright footer or its ``This file was created`` opening line.
    """
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return start.startswith("this file was created") or "kenneth r. french" in text[-400:].lower()


def _title(block: Sequence[str]) -> str:
    lines = [line.strip() for line in block if line.strip()]
    kept = [line for line in lines if not _TITLE_PREAMBLE.match(line)] or lines
    if not kept:
        return ""
    return _TITLE_TAIL.sub("", kept[0]).rstrip(" :")


def _fields(line: str) -> list[str]:
    fields = [field.strip() for field in line.split(",")]
    while len(fields) > 1 and fields[-1] == "":
        fields.pop()
    return fields


def _section(
    title_block: Sequence[str],
    header: str,
    rows: Sequence[str],
    first_line: int,
    origin: str,
) -> FrenchSection:
    names = _fields(header)[1:]
    if not names or any(not n for n in names):
        raise InputError(f"{origin}: line {first_line - 1}: header has an empty column name")
    title = _title(title_block)
    fast = _fast_section(rows, names, title, first_line)
    if fast is not None:
        return fast
    split = [_fields(row) for row in rows]
    width = len(split[0][0])
    fmt, frequency = _FORMATS[width]
    for k, fields in enumerate(split):
        if len(fields[0]) != width:
            raise InputError(
                f"{origin}: line {first_line + k}: date {fields[0]!r} does not match the "
                f"section's format ({fmt})"
            )
        if len(fields) - 1 != len(names):
            raise InputError(
                f"{origin}: line {first_line + k}: {len(fields) - 1} value(s), expected "
                f"{len(names)} ({', '.join(names)})"
            )
    dates = pd.to_datetime(pd.Series([f[0] for f in split]), format=fmt, errors="coerce")
    if dates.isna().any():
        k = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"{origin}: line {first_line + k}: unparseable date {split[k][0]!r}")
    try:
        values = np.array([f[1:] for f in split], dtype="float64")
    except ValueError:
        for k, fields in enumerate(split):
            for raw in fields[1:]:
                try:
                    float(raw)
                except ValueError:
                    raise InputError(
                        f"{origin}: line {first_line + k}: unparseable number {raw!r}"
                    ) from None
        raise  # pragma: no cover - the loop above finds the culprit
    return _finish(dates, values, names, title, frequency, first_line, split, origin)


def _fast_section(
    rows: Sequence[str], names: Sequence[str], title: str, first_line: int
) -> FrenchSection | None:
    """The section read by pandas' C tokenizer when every row is plain: exactly one comma per
    column, no quote, one date width, every date and number readable (the same ``float()`` of
    the same stripped text as the line reader). Anything else returns None and the line
    reader runs, naming the line and the problem as before."""
    if len(rows) < 200:
        return None  # the line reader is as fast there
    data = "\n".join(rows)
    if '"' in data or "\r" in data or data.count(",") != len(rows) * len(names):
        return None
    try:
        raw = pd.read_csv(io.StringIO(data), sep=",", header=None, dtype=object,
                          na_filter=False, skip_blank_lines=False, index_col=False,
                          engine="c", quoting=3).to_numpy(dtype=object)
    except (ValueError, pd.errors.ParserError):
        return None
    if raw.shape != (len(rows), len(names) + 1):
        return None
    texts = [str(t).strip() for t in raw[:, 0]]
    width = len(texts[0])
    if width not in _FORMATS or any(len(t) != width for t in texts):
        return None
    fmt, frequency = _FORMATS[width]
    dates = pd.to_datetime(pd.Series(texts), format=fmt, errors="coerce")
    if dates.isna().any():
        return None
    try:  # float() of each field at C speed, as the line reader's np.array(..., dtype=float64)
        values = raw[:, 1:].astype(np.float64)
    except (ValueError, TypeError):
        return None
    if (np.diff(dates.to_numpy().astype("datetime64[us]").astype("int64")) <= 0).any():
        return None
    return _finish(dates, values, names, title, frequency, first_line, None, "")


def _finish(
    dates: pd.Series, values: np.ndarray, names: Sequence[str], title: str,
    frequency: FrenchFrequency, first_line: int, split: Sequence[Sequence[str]] | None,
    origin: str,
) -> FrenchSection:
    values[np.isin(values, _MISSING_CODES)] = np.nan
    steps = np.diff(dates.to_numpy().astype("datetime64[us]").astype("int64"))
    if (steps <= 0).any():
        assert split is not None  # the fast reader refuses such a section
        k = int(np.flatnonzero(steps <= 0)[0]) + 1
        if steps[k - 1] == 0:
            what = f"duplicated date {split[k][0]}"
        else:
            what = f"dates are not sorted ({split[k][0]} comes after {split[k - 1][0]})"
        raise InputError(f"{origin}: line {first_line + k}: {what}")
    percent = is_percent_title(title)
    if percent:
        # Round away the binary noise of the division (2.17 / 100 -> 0.0217, not 0.021699...).
        values = np.round(values / 100.0, 10)
    index = pd.DatetimeIndex(dates, name="date")
    frame = pd.DataFrame(values, index=index, columns=pd.Index(names))
    return FrenchSection(
        title=title, frequency=frequency, frame=frame, percent=percent, first_line=first_line
    )


def parse_french_csv(text: str, *, origin: str) -> list[FrenchSection]:
    """Parse every section of a Ken French data library CSV file.

    Parameters
    ----------
    text : str
        The whole file content (CRLF or LF line ends).
    origin : str
        What to name in error messages (the file path or URL).

    Returns
    -------
    list of FrenchSection
        The sections in file order.

    Raises
    ------
    InputError
        One line naming ``origin``, the line number and the problem: empty file, no section, data
        row without a header, a row with the wrong number of values, unparseable date or number,
        duplicated or unsorted dates.

    Notes
    -----
    A header row is a line with a comma directly followed by a data row; the title is the block
    of non-blank lines just above it (a block that starts the file is the file's description, not
    a title). Percent sections are divided by 100 (see :func:`is_percent_title`).
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{origin}: empty file")
    sections: list[FrenchSection] = []
    i, n, floor = 0, len(lines), 0
    while i < n:
        line = lines[i]
        if _ROW.match(line):
            raise InputError(f"{origin}: line {i + 1}: data row before any column header")
        if "," in line and i + 1 < n and _ROW.match(lines[i + 1]):
            top = i
            while top > floor and lines[top - 1].strip():
                top -= 1
            title_block = lines[top:i] if top > 0 else []
            end = i + 1
            while end < n and lines[end].strip():
                if not _ROW.match(lines[end]):
                    first = lines[end].split(",")[0].strip()
                    raise InputError(
                        f"{origin}: line {end + 1}: unparseable date {first!r} in section "
                        f"{_title(title_block) or '(untitled)'!r}"
                    )
                end += 1
            sections.append(_section(title_block, line, lines[i + 1 : end], i + 2, origin))
            i = floor = end
            continue
        i += 1
    if not sections:
        raise InputError(
            f"{origin}: no data section found (not a Ken French data library CSV file?)"
        )
    return sections


def select_section(
    sections: Sequence[FrenchSection], section: str | None, *, origin: str
) -> FrenchSection:
    """Pick a section by case-insensitive substring of its title (default: the first section).

    Parameters
    ----------
    sections : sequence of FrenchSection
        As returned by :func:`parse_french_csv`.
    section : str, optional
        Part of the title, e.g. ``"BE/ME"`` or ``"equal weighted returns -- annual"``; the first
        matching section wins.
    origin : str
        What to name in error messages.

    Raises
    ------
    InputError
        No section matches; the message lists the titles.
    """
    if not sections:
        raise InputError(f"{origin}: no data section")
    if section is None:
        return sections[0]
    wanted = section.strip().lower()
    for sec in sections:
        if wanted in sec.title.lower():
            return sec
    titles = "; ".join(repr(s.title) if s.title else "(untitled)" for s in sections)
    raise InputError(f"{origin}: no section matching {section!r}; sections: {titles}")
