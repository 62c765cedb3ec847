"""Segment membership from ETF holdings files, as the issuers publish them, and from plain CSV.

Three layouts are read (the content decides, never the file name):

``ishares``
    The holdings CSV iShares publishes per fund (the "Detailed Holdings and Analytics" download,
    ``<TICKER>_holdings.csv``): a preamble of fund lines::

        iShares Russell 2000 ETF
        Fund Holdings as of,"Nov 20, 2026"
        Inception Date,"May 22, 2000"
        Shares Outstanding,"288,150,000.00"
        Stock,"-"
        Bond,"-"
        Cash,"-"
        Other,"-"
        <a line holding only a non-breaking space>

    then the table, every field quoted, numbers with thousands separators, ``-`` for none::

        Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,
        Location,Exchange,Currency,FX Rate,Market Currency,Accrual Date

    (one line), then a blank line and disclaimer lines, which are ignored. The table ends at the
    first blank line after the header.
``spdr``
    The SPDR "daily holdings" spreadsheet (``holdings-daily-us-en-spy.xlsx``): preamble rows
    ``Fund Name:``, ``Ticker Symbol:``, ``Holdings:`` (``As of 20-Nov-2026``), a blank row, the
    header ``Name,Ticker,Identifier,SEDOL,Weight,Sector,Shares Held,Local Currency``, the rows,
    a blank row and disclaimer rows. Read from ``.xlsx`` (needs the optional ``openpyxl``
    package) or from the same sheet saved as CSV.
``plain``
    ``segment,ticker,weight``: one row per member, any number of segments in one file (see
    :func:`parse_membership_csv`).

Membership rules (documented here once, tested in ``tests/test_holdings.py``):

- iShares: only rows whose ``Asset Class`` is ``Equity`` are members; cash, money-market funds,
  futures, FX and other rows are kept aside in :attr:`Holdings.excluded` with the reason.
  SPDR (no asset-class column): rows without a ticker (``-`` or blank: cash and other
  non-security lines) are excluded.
- ``weight`` is a fraction renormalised over the member rows:
  ``weight_i = w_i / sum_j w_j`` with ``w`` the published ``Weight (%)`` (``Weight`` for SPDR)
  of the equity rows, so members' weights sum to 1 even though the fund also holds cash and
  futures. The published percent is kept as ``published_weight``.
- Tickers are normalised with :func:`normalize_ticker` (upper case, ``.``, ``/`` and spaces to
  ``-``: ``BRK.B`` -> ``BRK-B``, Yahoo's spelling) so they match earnings files. iShares writes
  share classes without a separator (``BRKB``); the few such tickers listed in
  :data:`ISHARES_TICKERS` are rewritten (``BRKB`` -> ``BRK-B``), others are kept as published.
- Rows with the same ticker (one company listed twice) are merged: weights and market values
  add up, the first name and sector are kept.

A malformed file raises :class:`~rotascope.errors.InputError` with one line naming the file and
the line (or spreadsheet row) and what is wrong.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import pandas as pd

from rotascope.errors import InputError
from rotascope.formatting import one_line

__all__ = [
    "HOLDINGS_COLUMNS",
    "ISHARES_HEADER",
    "ISHARES_TICKERS",
    "MEMBERSHIP_COLUMNS",
    "SPDR_HEADER",
    "Holdings",
    "HoldingsLayout",
    "combine_memberships",
    "normalize_ticker",
    "parse_ishares_holdings",
    "parse_membership_csv",
    "parse_spdr_holdings",
    "read_holdings",
    "read_membership",
    "read_text",
]

HoldingsLayout = Literal["ishares", "spdr"]

#: The table header of an iShares equity-fund holdings CSV, as published.
ISHARES_HEADER: tuple[str, ...] = (
    "Ticker", "Name", "Sector", "Asset Class", "Market Value", "Weight (%)", "Notional Value",
    "Quantity", "Price", "Location", "Exchange", "Currency", "FX Rate", "Market Currency",
    "Accrual Date",
)  # fmt: skip
_ISHARES_REQUIRED = ("Ticker", "Name", "Sector", "Asset Class", "Market Value", "Weight (%)")

#: Share-class tickers iShares writes without a separator -> Yahoo's spelling.
ISHARES_TICKERS: Mapping[str, str] = MappingProxyType(
    {"BRKB": "BRK-B", "BFB": "BF-B", "LENB": "LEN-B", "HEIA": "HEI-A"}
)

#: The table header of the SPDR daily holdings spreadsheet, as published.
SPDR_HEADER: tuple[str, ...] = (
    "Name", "Ticker", "Identifier", "SEDOL", "Weight", "Sector", "Shares Held", "Local Currency",
)  # fmt: skip
_SPDR_REQUIRED = ("Name", "Ticker", "Weight")

#: Columns of :attr:`Holdings.frame`.
HOLDINGS_COLUMNS: tuple[str, ...] = (
    "ticker", "name", "sector", "weight", "market_value", "published_weight",
)  # fmt: skip
#: Columns of a membership frame (the input of the earnings and scorecard analytics).
MEMBERSHIP_COLUMNS: tuple[str, ...] = ("segment", "ticker", "weight")

_NONE = frozenset({"", "-", "--", "n/a", "na"})
_TICKER_SEP = re.compile(r"[./\s]+")
_ISHARES_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y")


@dataclass(frozen=True, eq=False)
class Holdings:
    """The members of one fund on one date.

    Attributes
    ----------
    fund : str
        The fund's ticker (``"IWM"``), upper case; ``""`` when the file does not say.
    fund_name : str
        The fund's name as the file gives it (``"iShares Russell 2000 ETF"``).
    as_of : pandas.Timestamp or None
        The holdings date the file states, or None when it states none (``"-"``).
    frame : pandas.DataFrame
        One row per member: ``ticker, name, sector, weight, market_value, published_weight``.
        ``weight`` is a fraction renormalised over the members (sums to 1);
        ``published_weight`` the percent as published; ``market_value`` in the fund's currency
        (NaN in SPDR files, which publish shares held instead). Sorted by weight, largest first.
    excluded : pandas.DataFrame
        Rows that are not members: ``line, ticker, name, asset_class, published_weight, reason``.
    layout : {"ishares", "spdr"}
        The layout the file was read as.
    source : str
        The file path or URL read.
    """

    fund: str
    fund_name: str
    as_of: pd.Timestamp | None
    frame: pd.DataFrame
    excluded: pd.DataFrame
    layout: HoldingsLayout
    source: str = ""

    def __repr__(self) -> str:
        day = "n/a" if self.as_of is None else self.as_of.date().isoformat()
        return (
            f"Holdings(fund={self.fund!r}, as_of={day}, members={len(self.frame)}, "
            f"excluded={len(self.excluded)}, layout={self.layout!r})"
        )

    @property
    def tickers(self) -> list[str]:
        """Member tickers, largest weight first."""
        return list(self.frame["ticker"])

    def membership(self, segment: str) -> pd.DataFrame:
        """The members as a membership frame ``segment, ticker, weight`` for ``segment``."""
        out = self.frame[["ticker", "weight"]].copy()
        out.insert(0, "segment", segment)
        return out.reset_index(drop=True)


def normalize_ticker(ticker: str) -> str:
    """Upper-case a ticker and write share classes with a dash, as Yahoo does.

    Examples
    --------
    >>> normalize_ticker(" brk.b ")
    'BRK-B'
    >>> normalize_ticker("BF/B")
    'BF-B'
    """
    return _TICKER_SEP.sub("-", ticker.strip().upper()).strip("-")


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a text file (UTF-8 with or without a byte-order mark, else Latin-1).

    Returns
    -------
    (text, origin)
        The content and the path as written in error messages.

    Raises
    ------
    InputError
        Missing file, a folder, unreadable or binary content.
    """
    p = Path(path).expanduser()
    origin = str(path)
    if p.is_dir():
        raise InputError(f"{origin}: is a folder, not a file")
    if not p.is_file():
        raise InputError(f"{origin}: no such file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{origin}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in raw[:4096]:
        raise InputError(f"{origin}: not a text file (binary content)")
    try:
        return raw.decode("utf-8-sig"), origin
    except UnicodeDecodeError:
        return raw.decode("latin-1"), origin


def _blank(line: str) -> bool:
    """True for an empty line, one of only whitespace (the non-breaking space iShares writes)
    or of only empty fields (``,,,`` in a spreadsheet saved as CSV)."""
    return not line.replace(",", "").replace('"', "").strip()


def _fields(line: str) -> list[str]:
    return [f.strip() for f in next(csv.reader([line]), [])]


def _number(text: str, origin: str, line: int, column: str) -> float:
    """Parse a published number: thousands separators, ``-`` for none, ``%`` or ``$`` allowed."""
    value = text.strip().replace(",", "").replace("$", "").rstrip("%").strip()
    if value.lower() in _NONE:
        return math.nan
    if value.startswith("(") and value.endswith(")"):  # accounting negative
        value = "-" + value[1:-1]
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InputError(f"{origin}: line {line}: {column} is not a number: {text!r}")
    return number


def _parse_date(text: str, formats: Sequence[str]) -> pd.Timestamp | None:
    value = text.strip().strip('"').strip()
    if value.lower().startswith("as of"):
        value = value[5:].strip()
    if value.lower() in _NONE:
        return None
    for fmt in formats:
        try:
            return pd.Timestamp(pd.to_datetime(value, format=fmt))
        except (ValueError, TypeError):
            continue
    return None


@dataclass
class _Row:
    line: int
    ticker: str
    name: str
    sector: str
    asset_class: str
    market_value: float
    published_weight: float


def _assemble(
    rows: list[_Row],
    *,
    origin: str,
    is_member: Iterable[tuple[bool, str]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into members and excluded rows; merge duplicate tickers; renormalise weights."""
    members: dict[str, dict[str, object]] = {}
    excluded: list[dict[str, object]] = []
    for row, (member, reason) in zip(rows, is_member, strict=True):
        if not member:
            excluded.append(
                {"line": row.line, "ticker": row.ticker, "name": row.name,
                 "asset_class": row.asset_class, "published_weight": row.published_weight,
                 "reason": reason}
            )  # fmt: skip
            continue
        if math.isnan(row.published_weight):
            raise InputError(f"{origin}: line {row.line}: no weight for {row.ticker}")
        if row.published_weight < 0:
            raise InputError(
                f"{origin}: line {row.line}: negative weight {row.published_weight} for "
                f"equity {row.ticker}"
            )
        ticker = normalize_ticker(row.ticker)
        if ticker in members:
            held = members[ticker]
            held["published_weight"] = float(held["published_weight"]) + row.published_weight  # type: ignore[arg-type]
            held["market_value"] = float(held["market_value"]) + row.market_value  # type: ignore[arg-type]
        else:
            members[ticker] = {
                "ticker": ticker, "name": row.name, "sector": row.sector,
                "market_value": row.market_value, "published_weight": row.published_weight,
            }  # fmt: skip
    if not members:
        raise InputError(f"{origin}: no equity holdings in the table")
    frame = pd.DataFrame(list(members.values()))
    total = float(frame["published_weight"].sum())
    if not total > 0:
        raise InputError(f"{origin}: the equity weights add up to {total:g}, not a positive number")
    frame["weight"] = frame["published_weight"] / total
    frame = frame.sort_values(["weight", "ticker"], ascending=[False, True], kind="mergesort")
    frame = frame[list(HOLDINGS_COLUMNS)].reset_index(drop=True)
    for col in ("weight", "market_value", "published_weight"):
        frame[col] = frame[col].astype("float64")
    excl = pd.DataFrame(
        excluded,
        columns=["line", "ticker", "name", "asset_class", "published_weight", "reason"],
    )
    return frame, excl


def _find_header(lines: Sequence[str], first: str, required: Sequence[str]) -> int | None:
    """Index of the first line whose first field is ``first`` and which has every required
    column."""
    for i, line in enumerate(lines):
        if not line.lstrip('\ufeff "').startswith(first):
            continue
        names = _fields(line)
        if all(r in names for r in required):
            return i
    return None


def parse_ishares_holdings(text: str, *, origin: str, fund: str | None = None) -> Holdings:
    """Parse an iShares holdings CSV (the layout iShares publishes, described in the module).

    Parameters
    ----------
    text : str
        The whole file.
    origin : str
        File path or URL, for error messages and :attr:`Holdings.source`.
    fund : str, optional
        The fund's ticker. iShares files do not state it (only the fund's name); without it
        the ticker is taken from a file name like ``IWM_holdings.csv`` in ``origin``.

    Returns
    -------
    Holdings
        Members are the ``Equity`` rows, weights renormalised over them (module notes).

    Raises
    ------
    InputError
        No table header; a row whose field count differs from the header's; a number that is
        not one; an equity row without a weight; no equity rows. The message names ``origin``
        and the line.
    """
    lines = text.lstrip("\ufeff").splitlines()
    head = _find_header(lines, "Ticker", _ISHARES_REQUIRED)
    if head is None:
        raise InputError(
            f"{origin}: not an iShares holdings file (no header line starting "
            f"'Ticker,Name,Sector,Asset Class,Market Value,Weight (%)')"
        )
    names = _fields(lines[head])
    col = {name: names.index(name) for name in names}
    fund_name = ""
    as_of: pd.Timestamp | None = None
    for k, line in enumerate(lines[:head]):
        parts = _fields(line)
        if not parts or not parts[0]:
            continue
        key = parts[0].rstrip(":").strip().lower()
        if key == "fund holdings as of":
            value = parts[1] if len(parts) > 1 else ""
            as_of = _parse_date(value, _ISHARES_DATE_FORMATS)
            if as_of is None and value.strip().lower() not in _NONE:
                raise InputError(
                    f"{origin}: line {k + 1}: 'Fund Holdings as of' is not a date: {value!r}"
                )
        elif k == 0 and len([p for p in parts if p]) == 1:
            fund_name = parts[0]
    rows: list[_Row] = []
    flags: list[tuple[bool, str]] = []
    for k in range(head + 1, len(lines)):
        line = lines[k]
        if _blank(line):
            break  # end of the table; disclaimer lines follow
        parts = _fields(line)
        if len(parts) != len(names):
            raise InputError(
                f"{origin}: line {k + 1}: expected {len(names)} fields as in the header on "
                f"line {head + 1}, got {len(parts)}"
            )
        ticker = parts[col["Ticker"]]
        ticker = ISHARES_TICKERS.get(ticker.strip().upper(), ticker)
        asset_class = parts[col["Asset Class"]]
        row = _Row(
            line=k + 1,
            ticker=ticker,
            name=parts[col["Name"]],
            sector=parts[col["Sector"]],
            asset_class=asset_class,
            market_value=_number(parts[col["Market Value"]], origin, k + 1, "Market Value"),
            published_weight=_number(parts[col["Weight (%)"]], origin, k + 1, "Weight (%)"),
        )
        rows.append(row)
        if asset_class.strip().lower() != "equity":
            flags.append((False, f"asset class {asset_class or 'blank'!s}, not Equity"))
        elif ticker.strip().lower() in _NONE:
            flags.append((False, "equity row without a ticker"))
        else:
            flags.append((True, ""))
    if not rows:
        raise InputError(f"{origin}: line {head + 1}: the holdings table has no rows")
    frame, excluded = _assemble(rows, origin=origin, is_member=flags)
    return Holdings(
        fund=(fund or _fund_from_origin(origin)).upper(),
        fund_name=fund_name,
        as_of=as_of,
        frame=frame,
        excluded=excluded,
        layout="ishares",
        source=origin,
    )


def _fund_from_origin(origin: str) -> str:
    """``.../IWM_holdings.csv`` -> ``IWM``; ``""`` when the name does not follow that pattern."""
    name = re.split(r"[\\/]", origin)[-1]
    match = re.match(r"^([A-Za-z]{1,6})[_-]holdings\b", name)
    return match.group(1).upper() if match else ""


def _spdr_rows(rows: Sequence[Sequence[str]], origin: str, what: str) -> Holdings:
    """Parse the SPDR layout from rows of cells (spreadsheet rows or CSV lines)."""
    cells = [[str(c).strip() for c in row] for row in rows]

    def is_header(row: list[str]) -> bool:
        return bool(row) and row[0] == "Name" and all(r in row for r in _SPDR_REQUIRED)

    head = next((i for i, row in enumerate(cells) if is_header(row)), None)
    if head is None:
        raise InputError(
            f"{origin}: not a SPDR holdings file (no header {what} starting "
            f"'Name,Ticker,Identifier,SEDOL,Weight')"
        )
    names = cells[head]
    col = {name: names.index(name) for name in names if name}
    fund = fund_name = ""
    as_of: pd.Timestamp | None = None
    for k, row in enumerate(cells[:head]):
        if not row or not row[0]:
            continue
        key = row[0].rstrip(":").strip().lower()
        value = next((c for c in row[1:] if c), "")
        if key == "fund name":
            fund_name = value
        elif key == "ticker symbol":
            fund = value
        elif key == "holdings":
            as_of = _parse_date(value, ("%d-%b-%Y", "%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y"))
            if as_of is None and value.lower() not in _NONE:
                raise InputError(f"{origin}: {what} {k + 1}: 'Holdings:' is not a date: {value!r}")
    out: list[_Row] = []
    flags: list[tuple[bool, str]] = []
    width = max(col.values()) + 1
    for k in range(head + 1, len(cells)):
        row = cells[k]
        if not any(row):
            break
        if len(row) < width:
            raise InputError(
                f"{origin}: {what} {k + 1}: expected {len(names)} fields as in the header on "
                f"{what} {head + 1}, got {len(row)}"
            )
        if any(row[len(names):]):
            raise InputError(
                f"{origin}: {what} {k + 1}: values beyond the header's {len(names)} columns"
            )
        ticker = row[col["Ticker"]]
        out.append(
            _Row(
                line=k + 1,
                ticker=ticker,
                name=row[col["Name"]],
                sector=row[col["Sector"]] if "Sector" in col else "",
                asset_class="",
                market_value=math.nan,
                published_weight=_number(row[col["Weight"]], origin, k + 1, "Weight"),
            )
        )
        if ticker.lower() in _NONE:
            flags.append((False, "no ticker (cash or other non-security line)"))
        else:
            flags.append((True, ""))
    if not out:
        raise InputError(f"{origin}: {what} {head + 1}: the holdings table has no rows")
    frame, excluded = _assemble(out, origin=origin, is_member=flags)
    frame["sector"] = frame["sector"].where(~frame["sector"].isin(["-", ""]), "")
    return Holdings(
        fund=fund.upper(),
        fund_name=fund_name,
        as_of=as_of,
        frame=frame,
        excluded=excluded,
        layout="spdr",
        source=origin,
    )


def parse_spdr_holdings(text: str, *, origin: str) -> Holdings:
    """Parse the SPDR daily holdings sheet saved as CSV (layout in the module notes).

    Parameters
    ----------
    text : str
        The CSV text: the spreadsheet's rows, cells separated by commas.
    origin : str
        File path or URL for error messages.

    Returns
    -------
    Holdings
        Members are the rows with a ticker; ``market_value`` is NaN (SPDR publishes shares
        held); ``weight`` renormalised over the members.

    Raises
    ------
    InputError
        No header row, a short row, a weight that is not a number; naming ``origin`` and the
        line.
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return _spdr_rows(rows, origin, "line")


def _read_spdr_xlsx(path: Path, origin: str) -> Holdings:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise InputError(
            f"{origin}: reading .xlsx files needs the openpyxl package "
            "(pip install openpyxl), or save the sheet as CSV and read that"
        ) from None
    try:
        sheet = pd.read_excel(path, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        text = one_line(exc, first=True)
        raise InputError(f"{origin}: cannot read the spreadsheet ({text})") from None
    rows = [["" if pd.isna(c) else str(c) for c in row] for row in sheet.itertuples(index=False)]
    return _spdr_rows(rows, origin, "row")


def read_holdings(path: str | Path, *, fund: str | None = None) -> Holdings:
    """Read an issuer holdings file: iShares CSV, SPDR ``.xlsx`` or SPDR sheet saved as CSV.

    Parameters
    ----------
    path : str or Path
        The file. ``.xlsx`` files are read as the SPDR layout; text files are recognised by
        their content (an iShares ``Ticker,Name,Sector,...`` header or a SPDR
        ``Name,Ticker,Identifier,...`` header).
    fund : str, optional
        The fund's ticker, when the file does not state it (iShares files name the fund but
        not its ticker; ``IWM_holdings.csv`` names it).

    Returns
    -------
    Holdings

    Raises
    ------
    InputError
        Missing or unreadable file, an unknown layout, or a malformed table (one line naming the
        file and the line).
    """
    p = Path(path).expanduser()
    origin = str(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        if not p.is_file():
            raise InputError(f"{origin}: no such file")
        holdings = _read_spdr_xlsx(p, origin)
    else:
        text, origin = read_text(path)
        lines = text.splitlines()
        if _find_header(lines, "Ticker", _ISHARES_REQUIRED) is not None:
            holdings = parse_ishares_holdings(text, origin=origin, fund=fund)
        elif any(line.lstrip('\ufeff "').startswith("Name,") for line in lines[:50]):
            holdings = parse_spdr_holdings(text, origin=origin)
        else:
            raise InputError(
                f"{origin}: not a holdings file this version reads (expected the iShares "
                "'Ticker,Name,Sector,Asset Class,...' or the SPDR 'Name,Ticker,Identifier,...' "
                "table)"
            )
    if fund and not holdings.fund:
        holdings = replace(holdings, fund=fund.upper())
    return holdings


def parse_membership_csv(text: str, *, origin: str) -> pd.DataFrame:
    """Parse a plain membership CSV ``segment,ticker,weight``.

    Parameters
    ----------
    text : str
        The file. Header names are case-insensitive; other columns are ignored. ``weight`` is
        optional: without the column, or with every weight of a segment blank, the segment's
        members are equally weighted.
    origin : str
        File path for error messages.

    Returns
    -------
    pandas.DataFrame
        ``segment, ticker, weight`` with tickers normalised (:func:`normalize_ticker`),
        segments lower-case, and ``weight`` renormalised to sum to 1 within each segment
        (``w_i / sum_j w_j``), so weights may be given in percent, fractions or market values.

    Raises
    ------
    InputError
        Missing columns, a blank segment or ticker, a weight that is not a non-negative number,
        a segment with some weights blank and others not, a (segment, ticker) listed twice, a
        segment whose weights add up to zero; each naming the file and the line.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    records: list[tuple[int, str, str, float]] = []
    seen: dict[tuple[str, str], int] = {}
    idx: dict[str, int] = {}
    for k, parts in enumerate(reader, start=1):
        if not any(p.strip() for p in parts):
            continue
        if header is None:
            header = [p.strip().lower() for p in parts]
            missing = [c for c in ("segment", "ticker") if c not in header]
            if missing:
                raise InputError(
                    f"{origin}: line {k}: missing column(s) {', '.join(missing)} "
                    "(expected segment,ticker,weight)"
                )
            idx = {name: header.index(name) for name in ("segment", "ticker", "weight")
                   if name in header}  # fmt: skip
            continue
        if len(parts) != len(header):
            raise InputError(
                f"{origin}: line {k}: expected {len(header)} fields as in the header, "
                f"got {len(parts)}"
            )
        segment = parts[idx["segment"]].strip().lower()
        ticker = normalize_ticker(parts[idx["ticker"]])
        if not segment or not ticker:
            raise InputError(f"{origin}: line {k}: blank segment or ticker")
        weight = (
            _number(parts[idx["weight"]], origin, k, "weight") if "weight" in idx else math.nan
        )
        if weight < 0:
            raise InputError(f"{origin}: line {k}: negative weight {weight:g} for {ticker}")
        if (segment, ticker) in seen:
            raise InputError(
                f"{origin}: line {k}: {ticker} is listed twice in segment {segment!r} "
                f"(first on line {seen[(segment, ticker)]})"
            )
        seen[(segment, ticker)] = k
        records.append((k, segment, ticker, weight))
    if header is None or not records:
        raise InputError(f"{origin}: no membership rows (expected segment,ticker,weight)")
    frame = pd.DataFrame(records, columns=["line", "segment", "ticker", "weight"])
    out: list[pd.DataFrame] = []
    for seg, group in frame.groupby("segment", sort=False):
        blank = group["weight"].isna()
        if blank.all():
            weights = pd.Series(1.0 / len(group), index=group.index)
        elif blank.any():
            line = int(group.loc[blank, "line"].iloc[0])
            raise InputError(
                f"{origin}: line {line}: blank weight in segment {seg!r} where other rows "
                "have one (give all weights or none)"
            )
        else:
            total = float(group["weight"].sum())
            if not total > 0:
                line = int(group["line"].iloc[0])
                raise InputError(f"{origin}: line {line}: weights of segment {seg!r} add up to 0")
            weights = group["weight"] / total
        out.append(group.assign(weight=weights.astype("float64")))
    result = pd.concat(out)[list(MEMBERSHIP_COLUMNS)]
    return result.reset_index(drop=True)


def read_membership(path: str | Path) -> pd.DataFrame:
    """Read a plain ``segment,ticker,weight`` CSV (see :func:`parse_membership_csv`)."""
    text, origin = read_text(path)
    return parse_membership_csv(text, origin=origin)


def combine_memberships(
    parts: Iterable[pd.DataFrame] | Mapping[str, Holdings],
) -> pd.DataFrame:
    """Stack membership frames (or ``{segment: Holdings}``) into one ``segment,ticker,weight``.

    Raises
    ------
    InputError
        A segment that appears in more than one part (its weights would no longer sum to 1).
    """
    frames = (
        [h.membership(seg) for seg, h in parts.items()] if isinstance(parts, Mapping) else list(parts)
    )
    seen: set[str] = set()
    for frame in frames:
        missing = [c for c in MEMBERSHIP_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(f"membership frame lacks column(s) {', '.join(missing)}")
        segments = set(frame["segment"].unique())
        twice = sorted(segments & seen)
        if twice:
            raise InputError(f"segment {twice[0]!r} is given by more than one membership source")
        seen |= segments
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "weight" else "object")
                             for c in MEMBERSHIP_COLUMNS})  # fmt: skip
    return pd.concat([f[list(MEMBERSHIP_COLUMNS)] for f in frames], ignore_index=True)
