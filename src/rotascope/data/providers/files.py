"""Local files: CSV in any recognised layout, Parquet, and Ken French data library CSV files.

The format is decided by content, not by the name: a Parquet file starts with ``PAR1``, a Ken
French file with ``This file was created`` or ends with its copyright line, anything else is read
as CSV (see :mod:`rotascope.data.formats.csv_layouts`). Gzip files and zip archives holding one
CSV file (the form the French library ships) are opened transparently.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from rotascope.data.file_cache import FileCache
from rotascope.data.formats.csv_layouts import _parse_dates, parse_csv_text, sniff_csv
from rotascope.data.formats.french import (
    FrenchSection,
    is_french_csv,
    parse_french_csv,
    select_section,
)
from rotascope.data.limits import MAX_FILE_BYTES, gunzip_capped, read_zip_member
from rotascope.data.names import check_new_name
from rotascope.data.providers.fred import fred_units
from rotascope.data.series import (
    Frequency,
    Kind,
    SeriesMeta,
    TimeSeries,
    check_kind,
    infer_frequency,
)
from rotascope.data.validate import validate_values
from rotascope.errors import InputError
from rotascope.formatting import one_line

__all__ = ["FilesProvider", "list_columns", "read_file"]

_DATE_NAMES = ("date", "observation_date", "timestamp", "datetime")
_ADJ_CLOSE_NAMES = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close")
_CLOSE_NAMES = ("close", "zamkniecie")


def _check_path(path: str | Path) -> Path:
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    return p


def _read_bytes(p: Path, origin: str) -> bytes:
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{origin}: cannot read ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        raw = gunzip_capped(raw, MAX_FILE_BYTES, origin)
    elif raw[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip archive (or an empty one)
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".txt"))]
                if len(members) != 1:
                    raise InputError(
                        f"{origin}: zip archive must hold exactly one .csv file "
                        f"(found: {', '.join(archive.namelist()) or 'none'})"
                    )
                raw = read_zip_member(archive, members[0], MAX_FILE_BYTES, origin)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
                OSError, RuntimeError) as exc:
            raise InputError(
                f"{origin}: starts like a zip archive but is not a valid zip archive "
                f"({one_line(exc)})"
            ) from None
    return raw


def _decode(raw: bytes, origin: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputError(f"{origin}: not a text file (binary content)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _is_parquet(raw: bytes) -> bool:
    return raw[:4] == b"PAR1"


def _pick_column(names: list[str], column: str | None, origin: str) -> str:
    if column is not None:
        if column in names:
            return column
        folded = [n for n in names if n.lower() == column.strip().lower()]
        if len(folded) == 1:
            return folded[0]
        raise InputError(f"{origin}: no column {column!r}; columns: {', '.join(names) or 'none'}")
    for group in (_ADJ_CLOSE_NAMES, _CLOSE_NAMES):
        for n in names:
            if n.lower() in group:
                return n
    if len(names) == 1:
        return names[0]
    raise InputError(
        f"{origin}: several value columns ({', '.join(names)}); choose one with column="
    )


# --- Parquet -----------------------------------------------------------------------------------


def _parquet_frame(p: Path, origin: str) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(p)
    except ImportError:
        raise InputError(
            f"{origin}: reading Parquet needs pyarrow (pip install 'rotascope[parquet]')"
        ) from None
    except Exception as exc:  # pyarrow raises its own ArrowInvalid, OSError, ValueError...
        text = one_line(exc)[:200]
        raise InputError(f"{origin}: not a readable Parquet file ({text})") from None
    if isinstance(frame.columns, pd.MultiIndex):
        shown = ", ".join(repr(c) for c in list(frame.columns)[:3])
        raise InputError(
            f"{origin}: two-level column names ({shown}, ...); save one level, e.g. "
            "frame['Close'].to_parquet(...), or one column per series"
        )
    return frame


def _parquet_dates(frame: pd.DataFrame, origin: str) -> tuple[pd.DatetimeIndex, str | None]:
    """Return the dates of a Parquet frame and the name of the date column (None: the index)."""
    if isinstance(frame.index, pd.DatetimeIndex):
        return frame.index, None
    names = [str(c) for c in frame.columns]
    date_col = next((c for c in names if c.lower() in _DATE_NAMES), None)
    if date_col is None:
        date_col = next(
            (str(c) for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])),
            None,
        )
    if date_col is None:
        raise InputError(
            f"{origin}: no date column (columns: {', '.join(names)}); expected a DatetimeIndex "
            "or a column named date, observation_date or timestamp"
        )
    raw = frame[date_col]
    if pd.api.types.is_integer_dtype(raw) or pd.api.types.is_float_dtype(raw):
        return _integer_dates(raw, date_col, origin), date_col
    if pd.api.types.is_object_dtype(raw) or pd.api.types.is_string_dtype(raw):
        # text dates: the same format inference as CSV files (one format for the column)
        texts = ["" if pd.isna(v) else str(v) for v in raw]
        parsed, _ = _parse_dates(texts, origin=origin)
        dates = pd.Series(parsed, index=raw.index)
    else:
        dates = pd.to_datetime(raw, errors="coerce")
    bad = dates.isna().to_numpy() & raw.notna().to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(f"{origin}: row {pos + 1}: unparseable date {str(raw.iloc[pos])!r}")
    return pd.DatetimeIndex(dates), date_col


def _integer_dates(raw: pd.Series, date_col: str, origin: str) -> pd.DatetimeIndex:
    """Dates written as numbers: ``YYYYMMDD`` integers, else refused (never nanoseconds)."""
    numbers = raw.dropna()
    whole = numbers.to_numpy(dtype="float64")
    if (
        len(whole)
        and np.all(whole == np.floor(whole))
        and whole.min() >= 1000_01_01
        and whole.max() <= 2999_12_31
    ):
        text = raw.map(lambda v: "" if pd.isna(v) else f"{int(v):08d}")
        dates = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        bad = dates.isna().to_numpy() & raw.notna().to_numpy()
        if not bad.any():
            return pd.DatetimeIndex(dates)
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{origin}: row {pos + 1}: integer date {raw.iloc[pos]!r} in column {date_col!r} "
            "is not a YYYYMMDD date"
        )
    first = raw.iloc[0] if len(raw) else None
    raise InputError(
        f"{origin}: integer dates in column {date_col!r} (first {first!r}) are not YYYYMMDD; "
        "store the column as dates (a timestamp type), not as numbers"
    )


def _parquet_value_names(frame: pd.DataFrame, date_col: str | None) -> list[str]:
    return [str(c) for c in frame.columns if str(c) != date_col]


def _read_parquet(p: Path, origin: str, column: str | None, kind: Kind) -> tuple[pd.Series, str]:
    frame = _parquet_frame(p, origin)
    dates, date_col = _parquet_dates(frame, origin)
    names = _parquet_value_names(frame, date_col)
    if column is None and not any(n.lower() in _ADJ_CLOSE_NAMES + _CLOSE_NAMES for n in names):
        numeric = [n for n in names if pd.api.types.is_numeric_dtype(frame[n])]
        if len(numeric) == 1:
            names = numeric
    col = _pick_column(names, column, origin)
    values = pd.Series(
        pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64"),
        index=pd.DatetimeIndex(dates, name="date"),
    )
    bad = values.isna().to_numpy() & frame[col].notna().to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{origin}: row {pos + 1}: unparseable number {str(frame[col].iloc[pos])!r} "
            f"in column {col!r}"
        )
    if kind != "price":
        values = values[values.notna()]
    return validate_values(values, kind=kind, origin=origin), col


# --- Ken French ---------------------------------------------------------------------------------


def _french_kind(sec: FrenchSection) -> Kind:
    title = sec.title.lower()
    if sec.percent:
        return "return"
    # BE/ME, BE_FYt-1/ME_June t, OP and investment averages, Sum of BE / Sum of ME: ratios that
    # may be negative (OP, investment), so not "price"
    if "average of" in title or "sum of be" in title:
        return "valuation"
    return "price"  # Number of Firms, Average Market Cap, Average Firm Size: positive levels


def _french_units(sec: FrenchSection) -> str:
    title = sec.title.lower()
    if sec.percent:
        return "fraction"
    if "market cap" in title or "firm size" in title:
        return "millions of USD"
    if "number of firms" in title:
        return "firms"
    if "average of" in title or "sum of" in title:
        return "ratio"
    return ""


def _section_label(sections: list[FrenchSection], sec: FrenchSection) -> str:
    if sec.title:
        return repr(sec.title)
    return f"{next(i for i, s in enumerate(sections) if s is sec) + 1} (untitled)"


def _read_french(
    text: str, origin: str, column: str | None, kind: Kind | None, section: str | None,
    file: tuple[Path, FileCache] | None = None,
) -> tuple[pd.Series, str, FrenchSection, str, Kind]:
    if file is None:
        sections = parse_french_csv(text, origin=origin)
    else:  # one parse of the file for all its columns and sections
        path, cache = file
        sections = cache.get(path, ("french",), lambda: parse_french_csv(text, origin=origin))
    sec = select_section(sections, section, origin=origin)
    label = _section_label(sections, sec)
    names = [str(c) for c in sec.frame.columns]
    try:
        col = _pick_column(names, column, origin)
    except InputError as exc:
        raise InputError(f"{exc} (section {label})") from None
    data = sec.frame[col]
    valid = data.notna().to_numpy()
    if not valid.any():
        raise InputError(f"{origin}: column {col!r} of section {label} has no values")
    # -99.99 / -999 before a portfolio exists or after it ends: no observation, not a gap.
    first = int(np.argmax(valid))
    last = len(valid) - int(np.argmax(valid[::-1]))
    data = data.iloc[first:last]
    kind = kind or _french_kind(sec)
    lines = range(sec.first_line + first, sec.first_line + last) if sec.first_line else None
    values = validate_values(
        data, kind=kind, origin=f"{origin} [{col}] section {label}", lines=lines
    )
    return values, col, sec, label, kind


# --- public API ---------------------------------------------------------------------------------


def read_file(
    path: str | Path,
    *,
    name: str | None = None,
    column: str | None = None,
    kind: str | None = None,
    section: str | None = None,
    units: str | None = None,
    cache: FileCache | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> TimeSeries:
    """Read one series from a local CSV, Parquet or Ken French data library file.

    Parameters
    ----------
    path : str or Path
        The file. CSV layouts: Yahoo, yfinance, Stooq, FRED, generic date/value, comma or
        semicolon separated. Parquet: a DatetimeIndex or a date column plus value columns.
        French files are detected by content; gzip and single-CSV zip files are opened.
    name : str, optional
        Series name; default the file stem (``^GSPC``), or ``stem:column`` for French files.
    column : str, optional
        The value column (a factor or portfolio for French files, e.g. ``SMB``, ``SMALL HiBM``).
        Default: ``Adj Close``, else ``Close``, else the only value column.
    kind : {"price", "return", "valuation", "macro"}, optional
        Default ``price``; ``macro`` for the FRED layout; for French sections ``return`` when
        the section holds percents, ``valuation`` for the ratio sections (BE/ME, OP, investment
        averages, Sum of BE / Sum of ME), else ``price``.
    section : str, optional
        French files only: part of the section title, case-insensitive (default: the first
        section), e.g. ``"BE/ME"`` or ``"Annual"``.
    units : str, optional
        Units of the values, overriding the default: ``index points`` for prices, ``fraction``
        for returns, ``ratio`` for valuations, and for FRED files the units of well-known series
        (:func:`rotascope.data.providers.fred.fred_units`; blank when unknown). ``"percent"``
        makes a driver move in basis points.
    cache : FileCache, optional
        The job's memo of parsed files: a file is then parsed once for all its columns and
        sections, and the same read returns the memoised series (a changed file is read
        again). Without it every call reads and parses the file.
    date_format : str, optional
        CSV files: the ``strftime`` format of the dates (``"%d/%m/%Y"``), when the file's own
        dates cannot tell (see :func:`~rotascope.data.formats.csv_layouts.parse_csv_text`).
    dayfirst : bool, optional
        CSV files: ``True`` reads ``01/02/2024`` as 1 February, ``False`` as January 2.

    Returns
    -------
    TimeSeries
        Validated values; ``meta.source`` is ``file:<absolute path> [<column>]`` (plus the section
        for French files), ``meta.symbol`` the column.

    Raises
    ------
    InputError
        Missing file, unknown column or section, or any format or validation problem (one line
        naming the file and line).

    Notes
    -----
    Format, by content (never the file name): gzip (``1f 8b``) and zip archives holding one
    ``.csv``/``.txt`` file are unpacked first; ``PAR1`` is Parquet; anything else is text
    (UTF-8, a BOM allowed, else Latin-1; a NUL byte in the first 4 KB is refused), then,
    in this order, Shiller's ``ie_data`` export (:mod:`rotascope.data.formats.shiller`,
    monthly, default column ``CAPE``), a Ken French file (``This file was created`` at the
    start or ``Kenneth R. French`` near the end; :mod:`rotascope.data.formats.french`), or a
    CSV (:func:`~rotascope.data.formats.csv_layouts.parse_csv_text`).

    Columns: ``column=`` matches exactly, else a unique case-insensitive match. Default: the
    first ``Adj Close`` column (also ``adj_close``, ``adjclose``, ``adjusted close``), else
    ``Close`` (also Stooq's Polish ``Zamkniecie``), else the only value column, else the only
    numeric one; several candidates are an error listing them. The CSV date column is the
    one named ``date``, ``observation_date``, ``timestamp`` or ``datetime`` (any case), else
    the first column if it parses as dates; in Parquet a DatetimeIndex, else such a named
    column, else the first datetime-typed column (``YYYYMMDD`` integers accepted).

    Dates: one format for the whole column, the one of ISO 8601, ``%Y%m%d``, ``%Y/%m/%d``,
    ``%m/%d/%Y``, ``%d/%m/%Y``, ``%d.%m.%Y``, ``%m/%d/%y``, ``%d-%b-%Y``, ``%b %d, %Y`` that
    parses the most rows (ties: the earlier). When month/day and day/month both read every
    date, the reading in increasing order wins, then the one with much more regular steps;
    otherwise the file is refused as ambiguous unless ``dayfirst`` or ``date_format`` says.
    A time zone suffix is dropped (the wall-clock date is kept) and a time of day becomes
    its day, but two rows on one day are refused (intraday). Dates must be unique and in
    increasing order (nothing is sorted). Monthly, quarterly and annual data are stamped
    on the period's last day (:class:`~rotascope.data.series.TimeSeries`); the frequency
    is inferred from the dates (French files: from the date width, ``YYYYMMDD`` daily,
    ``YYYYMM`` monthly, ``YYYY`` annual).

    Values: ``float`` of the text; with ``;`` as separator a decimal comma is accepted.
    ``""``, ``.``, ``NA``, ``N/A``, ``nan``, ``null``, ``none`` and ``#N/A`` are missing:
    an error in a price file (except in the FRED layout, where such rows are holidays and
    dropped), dropped rows for other kinds. French ``-99.99`` / ``-999`` are missing (leading
    and trailing ones are trimmed, one in between is an error) and percent sections are
    divided by 100. Every value must be finite, and prices strictly positive
    (:func:`~rotascope.data.validate.validate_values`).

    Errors are :class:`~rotascope.errors.InputError` with one line starting with the path as
    given, then the line number (CSV, French) or row number (Parquet, Shiller) and the date where one
    applies, and the problem: e.g. ``prices/X.csv: line 3 (2024-01-03): non-positive price
    0``, ``... dates are not sorted (comes after 2024-01-03)``, ``... missing value in column
    'Close'``, ``no column 'c'; columns: A, B``.

    Examples
    --------
    >>> ts = read_file("prices/^GSPC.csv")  # doctest: +SKIP
    >>> ts.meta.symbol, ts.meta.source  # doctest: +SKIP
    ('Close', 'file:/data/prices/^GSPC.csv [Close]')
    """
    origin = str(path)
    if name is not None:
        check_new_name(name)
    p = _check_path(path)
    dates = (date_format, dayfirst)
    if cache is None:
        return _read_file(p, origin, name, column, kind, section, units, None, dates)
    ts = cache.get(p, ("series", name, column, kind, section, units, *dates),
                   lambda: _read_file(p, origin, name, column, kind, section, units, cache,
                                      dates))
    return TimeSeries(ts.data.copy(deep=False), ts.meta)  # callers may rename or modify it


def _read_file(
    p: Path,
    origin: str,
    name: str | None,
    column: str | None,
    kind: str | None,
    section: str | None,
    units: str | None,
    cache: FileCache | None,
    dates: tuple[str | None, bool | None] = (None, None),
) -> TimeSeries:
    try:
        return _read_any(p, origin, name, column, kind, section, units, cache, dates)
    except csv.Error as exc:  # a malformed line the csv module refuses (NUL, bad quoting...)
        raise InputError(f"{origin}: malformed CSV ({one_line(exc)})") from None
    except RecursionError:
        raise InputError(f"{origin}: structure nested too deeply to read") from None


def _read_any(
    p: Path,
    origin: str,
    name: str | None,
    column: str | None,
    kind: str | None,
    section: str | None,
    units: str | None,
    cache: FileCache | None,
    dates: tuple[str | None, bool | None],
) -> TimeSeries:
    chosen: Kind | None = check_kind(kind) if kind is not None else None
    absolute = p.resolve()
    raw = _read_bytes(p, origin)
    frequency: Frequency
    unit: str
    if _is_parquet(raw):
        use_kind: Kind = chosen or "price"
        values, col = _read_parquet(p, origin, column, use_kind)
        unit = _default_units(use_kind, None)
        source = f"file:{absolute} [{col}]"
        frequency = infer_frequency(cast(pd.DatetimeIndex, values.index))  # parsed dates
        default_name = p.stem
    else:
        text = _decode(raw, origin)
        # --- Shiller ie_data hook (issue 5): parsed by rotascope.data.formats.shiller ---
        from rotascope.data.formats.shiller import (
            is_shiller_csv,
            parse_shiller_csv,
            read_shiller_series,
        )

        if is_shiller_csv(text):
            if section is not None:
                raise InputError(f"{origin}: section= applies to Ken French files only")
            frame = None if cache is None else cache.get(  # one parse for all its columns
                p, ("shiller",), lambda: parse_shiller_csv(text, origin=origin))
            values, col, shiller_kind, unit = read_shiller_series(
                text, origin=origin, column=column, kind=chosen, frame=frame
            )
            meta = SeriesMeta(name=name or f"{p.stem}:{col}", kind=check_kind(shiller_kind),
                              frequency="monthly", units=unit if units is None else units,
                              source=f"file:{absolute} [{col}]", symbol=col)
            return TimeSeries(values, meta)
        # --- end of the Shiller hook ---
        if is_french_csv(text):
            values, col, sec, label, use_kind = _read_french(
                text, origin, column, chosen, section, None if cache is None else (p, cache)
            )
            unit = _french_units(sec) if chosen is None else _default_units(use_kind, None)
            source = f"file:{absolute} [{col}] section {label}"
            frequency = sec.frequency
            default_name = f"{p.stem}:{col}"
        else:
            if section is not None:
                raise InputError(f"{origin}: section= applies to Ken French files only")
            layout = sniff_csv(text, origin=origin)
            use_kind = chosen or ("macro" if layout.layout == "fred" else "price")
            values, col = parse_csv_text(text, origin=origin, column=column, kind=use_kind,
                                         date_format=dates[0], dayfirst=dates[1])
            fred = col if layout.layout == "fred" else None
            unit = _default_units(use_kind, fred)
            source = f"file:{absolute} [{col}]"
            frequency = infer_frequency(cast(pd.DatetimeIndex, values.index))  # parsed dates
            default_name = p.stem
    meta = SeriesMeta(
        name=name or default_name,
        kind=use_kind,
        frequency=frequency,
        units=unit if units is None else units,
        source=source,
        symbol=col,
    )
    return TimeSeries(values, meta)


def _default_units(kind: Kind, fred_series: str | None) -> str:
    if fred_series is not None:
        return fred_units(fred_series)
    return {"price": "index points", "return": "fraction", "valuation": "ratio"}.get(kind, "")


def list_columns(path: str | Path, *, section: str | None = None) -> list[str]:
    """List the value columns of a file (the date column left out).

    Parameters
    ----------
    path : str or Path
        A file :func:`read_file` can read.
    section : str, optional
        French files: the section whose columns to list (default the first).

    Returns
    -------
    list of str
        Column names in file order.
    """
    origin = str(path)
    p = _check_path(path)
    raw = _read_bytes(p, origin)
    if _is_parquet(raw):
        frame = _parquet_frame(p, origin)
        _, date_col = _parquet_dates(frame, origin)
        return _parquet_value_names(frame, date_col)
    text = _decode(raw, origin)
    if is_french_csv(text):
        sec = select_section(parse_french_csv(text, origin=origin), section, origin=origin)
        return [str(c) for c in sec.frame.columns]
    layout = sniff_csv(text, origin=origin)
    names = list(layout.names)
    date_idx = next((i for i, n in enumerate(names) if n.lower() in _DATE_NAMES), 0)
    return [n for i, n in enumerate(names) if i != date_idx]


class FilesProvider:
    """Provider over a folder of files: ``symbol`` is a path relative to ``root``.

    Parameters
    ----------
    root : str or Path
        The folder symbols are relative to.
    cache : FileCache, optional
        A job's memo of parsed files (see :func:`read_file`).

    Notes
    -----
    A symbol may name a column after ``#``: ``prices/^GSPC.csv#Open``,
    ``french/F-F_Research_Data_Factors.CSV#SMB``.

    Examples
    --------
    >>> provider = FilesProvider("/data")  # doctest: +SKIP
    >>> provider.fetch("prices/SPY.csv", start=pd.Timestamp("2020-01-01"))  # doctest: +SKIP
    """

    name: str = "files"
    #: An incremental refresh changing a stored value by more than this is refused (5%).
    revision_bound: float | None = 0.05

    def __init__(self, root: str | Path, cache: FileCache | None = None) -> None:
        self.root = Path(root).expanduser()
        self.cache = cache

    def __repr__(self) -> str:
        return f"FilesProvider(root={str(self.root)!r})"

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Read ``root/symbol`` (``path#column`` picks a column) with ``start <= date <= end``."""
        rel, _, column = symbol.partition("#")
        if not rel.strip():
            raise InputError(
                f"files: empty symbol {symbol!r}; expected a path relative to {self.root}"
            )
        return read_file(self.root / rel.strip(), column=column.strip() or None,
                         cache=self.cache).between(start, end)
