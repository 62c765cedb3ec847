"""Panel readers: wide Parquet, long Parquet or CSV, a folder of per-ticker CSV files.

Each reader is a small frozen object holding the path and the panel's dates and tickers (read
once when it is opened); :meth:`read` returns the closes of some tickers, reading only those
(Parquet columns, Parquet row filters, the tickers' own files), so a scan over blocks of
tickers never holds the whole panel. Readers pickle (a path and two indexes), so Dask workers
can read their own blocks.

Layouts (the content decides, except that a folder is a folder):

``wide``
    Parquet with one column per ticker and the dates in the index (what
    ``DataFrame.to_parquet`` writes) or in a column named ``date``.
``long``
    Parquet or CSV with columns ``date, ticker, close`` (names case-insensitive; ``symbol`` for
    ticker, ``adj close``/``adj_close``/``price``/``value`` for close). A long CSV is parsed by
    pandas' C parser in chunks for each block (memory bounded by the block; time one pass over
    the file per block: import it with ``rotascope data import-panel`` for repeated scans).
``folder``
    A folder of ``<TICKER>.csv`` files in any layout rotascope recognises (Yahoo, Stooq,
    ``Date,Close``, ...): the header is sniffed with
    :func:`rotascope.data.formats.csv_layouts.sniff_csv`, the rows parsed by pandas' C parser;
    dates must parse, be sorted and unique (an error names the file and line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rotascope.data.formats.csv_layouts import sniff_csv
from rotascope.data.panel import PanelReader, check_panel_dates, panel_ticker
from rotascope.errors import InputError

__all__ = [
    "CsvFolderPanel",
    "LongPanel",
    "WideParquetPanel",
    "open_panel",
    "read_ticker_csv",
]

_DATE_NAMES = ("date", "observation_date", "timestamp", "datetime")
_TICKER_NAMES = ("ticker", "symbol")
_CLOSE_NAMES = ("close", "adj close", "adj_close", "adjclose", "adjusted_close", "price", "value")
_MISSING = ["", ".", "na", "n/a", "nan", "null", "none", "#n/a", "NaN", "NA", "N/A", "NULL"]
_DATE_FORMATS = ("ISO8601", "%Y%m%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")
_PARQUET_MAGIC = b"PAR1"


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pyarrow is in the parquet and dask extras
        raise InputError("reading Parquet panels needs pyarrow (pip install 'rotascope[parquet]')"
                         ) from None
    return pq


def _empty(rows: int, cols: int) -> NDArray[np.float32]:
    return np.full((rows, cols), np.nan, dtype=np.float32, order="F")


def _unique_tickers(names: Sequence[str], origin: str) -> dict[str, str]:
    """Normalised ticker -> original name; two spellings of one ticker are an error."""
    out: dict[str, str] = {}
    for name in names:
        key = panel_ticker(name)
        if not key:
            raise InputError(f"{origin}: blank ticker column name")
        if key in out:
            raise InputError(
                f"{origin}: ticker {key} appears twice (as {out[key]!r} and {name!r})"
            )
        out[key] = name
    return out


def _parse_dates(
    raw: pd.Series, origin: str, lines: NDArray[np.int64] | None = None, what: str = "row"
) -> pd.DatetimeIndex:
    """Parse date strings with the first format that reads them all; error names the line."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = pd.DatetimeIndex(raw)
    else:
        text = raw.astype(str).str.strip().str.slice(0, 10)
        best = None
        for fmt in _DATE_FORMATS:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            if best is None or parsed.isna().sum() < best.isna().sum():
                best = parsed
            if not parsed.isna().any():
                break
        assert best is not None
        bad = np.flatnonzero(best.isna().to_numpy())
        if len(bad):
            i = int(bad[0])
            raise InputError(
                f"{origin}: {what} {i + 1 if lines is None else int(lines[i])}: unparseable "
                f"date {str(raw.iloc[i])!r}"
            )
        dates = pd.DatetimeIndex(best)
    return dates


# --------------------------------------------------------------------------------------------
# wide Parquet


@dataclass(frozen=True)
class WideParquetPanel:
    """A wide Parquet panel: one float column per ticker.

    ``read`` reads only the requested columns (Parquet is columnar) and the leading rows.
    """

    path: Path
    source: str
    dates: pd.DatetimeIndex = field(repr=False)
    columns: dict[str, str] = field(repr=False)  # normalised ticker -> column name
    metadata: Any = field(default=None, repr=False, compare=False)  # the file's footer, parsed

    @property
    def tickers(self) -> tuple[str, ...]:
        return tuple(self.columns)

    @classmethod
    def open(cls, path: Path, origin: str) -> WideParquetPanel:
        pq = _pyarrow_parquet()
        try:
            schema = pq.read_schema(path)
        except (OSError, ValueError) as exc:
            raise InputError(f"{origin}: not a readable Parquet file ({exc})") from None
        names = list(schema.names)
        meta = schema.pandas_metadata or {}
        index_cols = [c for c in meta.get("index_columns", []) if isinstance(c, str)]
        date_col = next((c for c in index_cols if c in names), None)
        if date_col is None:
            date_col = next((c for c in names if c.lower() in _DATE_NAMES), None)
        if date_col is None:
            raise InputError(
                f"{origin}: no date column or index (columns: {', '.join(names[:8])}...)"
            )
        raw = pq.read_table(path, columns=[date_col]).column(0).to_pandas()
        dates = check_panel_dates(_parse_dates(raw, origin), origin)
        value_cols = [c for c in names if c != date_col and c not in index_cols]
        import pyarrow as pa

        for c in value_cols:
            typ = schema.field(c).type
            if not (pa.types.is_floating(typ) or pa.types.is_integer(typ)):
                raise InputError(f"{origin}: column {c!r} is {typ}, not numeric closes")
        return cls(path, origin, dates, _unique_tickers(value_cols, origin),
                   pq.read_metadata(path))

    def read(self, tickers: Sequence[str], rows: int) -> NDArray[np.float32]:
        pq = _pyarrow_parquet()
        out = _empty(rows, len(tickers))
        # the footer parsed once at open (a wide file's footer is large); one thread: the
        # scan's numba threads (or Dask workers) use the cores
        table = pq.ParquetFile(self.path, metadata=self.metadata).read(
            columns=[self.columns[t] for t in tickers], use_threads=False)
        for j in range(len(tickers)):
            col = table.column(j).to_numpy(zero_copy_only=False)
            out[:, j] = col[:rows]
        return out


# --------------------------------------------------------------------------------------------
# long Parquet or CSV


def _long_columns(names: Sequence[str], origin: str) -> tuple[str, str, str]:
    lower = {n.strip().lower(): n for n in names}
    found = [next((lower[c] for c in group if c in lower), None)
             for group in (_DATE_NAMES, _TICKER_NAMES, _CLOSE_NAMES)]  # fmt: skip
    if any(f is None for f in found):
        raise InputError(
            f"{origin}: a long panel needs columns date, ticker, close (got {', '.join(names)})"
        )
    return found[0], found[1], found[2]  # type: ignore[return-value]


@dataclass(frozen=True)
class LongPanel:
    """A long panel (``date, ticker, close`` rows) in Parquet or CSV."""

    path: Path
    source: str
    fmt: str  # "parquet" or "csv"
    names: tuple[str, str, str]  # date, ticker, close column names
    sep: str
    dates: pd.DatetimeIndex = field(repr=False)
    spellings: dict[str, tuple[str, ...]] = field(repr=False)  # ticker -> spellings in the file

    @property
    def tickers(self) -> tuple[str, ...]:
        return tuple(self.spellings)

    @classmethod
    def open(cls, path: Path, origin: str, fmt: str) -> LongPanel:
        sep = ","
        if fmt == "parquet":
            pq = _pyarrow_parquet()
            names = _long_columns(pq.read_schema(path).names, origin)
            frame = pq.read_table(path, columns=[names[0], names[1]]).to_pandas()
        else:
            with path.open(encoding="utf-8-sig") as fh:
                head = "".join(fh.readline() for _ in range(5))
            layout = sniff_csv(head, origin=origin)
            sep = layout.sep
            names = _long_columns(layout.names, origin)
            frame = pd.read_csv(path, sep=sep, usecols=[names[0], names[1]], dtype=str,
                                engine="c", skipinitialspace=True, encoding="utf-8-sig")
        line_nos = np.arange(len(frame), dtype=np.int64) + 2 if fmt == "csv" else None
        day = _parse_dates(frame[names[0]], origin, line_nos, "line" if fmt == "csv" else "row")
        blank = np.flatnonzero(frame[names[1]].isna().to_numpy())
        if len(blank):
            raise InputError(f"{origin}: row {int(blank[0]) + 1}: blank ticker")
        frame = frame.assign(_day=day.normalize())
        dup = frame.duplicated([names[1], "_day"]).to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            raise InputError(
                f"{origin}: row {i + 1}: ticker {frame[names[1]].iloc[i]} has the date "
                f"{frame['_day'].iloc[i]:%Y-%m-%d} twice"
            )
        dates = pd.DatetimeIndex(np.unique(frame["_day"].to_numpy()), name="date")
        spellings: dict[str, list[str]] = {}
        for name in pd.unique(frame[names[1]].astype(str)):
            spellings.setdefault(panel_ticker(name), []).append(name)
        dup_t = next((k for k, v in spellings.items() if len(v) > 1), None)
        if dup_t is not None:
            raise InputError(f"{origin}: ticker {dup_t} is spelled {' and '.join(spellings[dup_t])}")
        return cls(path, origin, fmt, names, sep, check_panel_dates(dates, origin),
                   {k: tuple(v) for k, v in spellings.items()})

    def _rows(self, wanted: list[str]) -> pd.DataFrame:
        d, t, c = self.names
        if self.fmt == "parquet":
            pq = _pyarrow_parquet()
            return pq.read_table(self.path, columns=[d, t, c],
                                 filters=[(t, "in", wanted)]).to_pandas()
        keep = set(wanted)
        parts = []
        for chunk in pd.read_csv(self.path, sep=self.sep, usecols=[d, t, c], dtype={t: str},
                                 engine="c", skipinitialspace=True, chunksize=1_000_000,
                                 na_values=_MISSING, encoding="utf-8-sig"):
            parts.append(chunk[chunk[t].isin(keep)])
        return pd.concat(parts) if parts else pd.DataFrame(columns=[d, t, c])

    def read(self, tickers: Sequence[str], rows: int) -> NDArray[np.float32]:
        d, t, c = self.names
        wanted = [s for k in tickers for s in self.spellings[k]]
        frame = self._rows(wanted)
        out = _empty(rows, len(tickers))
        if frame.empty:
            return out
        values = pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=np.float64)
        day = _parse_dates(frame[d], self.source).normalize()
        pos = self.dates.get_indexer(day)
        col_of = {s: j for j, k in enumerate(tickers) for s in self.spellings[k]}
        cols = frame[t].astype(str).map(col_of).to_numpy(dtype=np.int64)
        ok = pos < rows
        out[pos[ok], cols[ok]] = values[ok].astype(np.float32)
        return out


# --------------------------------------------------------------------------------------------
# folder of per-ticker CSV files


def read_ticker_csv(path: Path, column: str | None = None) -> pd.Series:
    """One ticker's closes from a CSV file in any recognised layout, parsed by pandas' C parser.

    The layout (separator, header row, yfinance's extra header rows) is sniffed by
    :func:`~rotascope.data.formats.csv_layouts.sniff_csv` from the first lines; the value
    column is ``column``, else ``Adj Close``, else ``Close``, else the only other column.
    Missing values (blank, ``null``, ``.``...) become NaN; non-positive closes are kept (the
    scan excludes them with a warning).

    Raises
    ------
    InputError
        No date or value column, an unparseable date or number, duplicated or unsorted dates;
        naming the file and the line.
    """
    origin = str(path)
    try:
        with path.open(encoding="utf-8-sig") as fh:
            head = "".join(fh.readline() for _ in range(8))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{origin}: cannot read ({exc})") from None
    layout = sniff_csv(head, origin=origin)
    names = list(layout.names)
    lower = [n.lower() for n in names]
    date_i = next((i for i, n in enumerate(lower) if n in _DATE_NAMES), 0)
    others = [i for i in range(len(names)) if i != date_i]
    if column is not None:
        hits = [i for i in others if lower[i] == column.lower()]
    else:
        hits = ([i for i in others if lower[i] in _CLOSE_NAMES[1:5]]
                or [i for i in others if lower[i] == "close"]
                or (others if len(others) == 1 else []))  # fmt: skip
    if not hits:
        raise InputError(f"{origin}: no close column (columns: {', '.join(names)})")
    value_i = hits[0]
    frame = pd.read_csv(path, sep=layout.sep, header=None, skiprows=layout.data_start,
                        names=names, usecols=[date_i, value_i], dtype=str, engine="c",
                        skip_blank_lines=False, keep_default_na=False, encoding="utf-8-sig")
    lines = np.arange(len(frame), dtype=np.int64) + layout.data_start + 1
    date_raw = frame[names[date_i]].str.strip()
    value_raw = frame[names[value_i]].str.strip()
    blank = (date_raw.fillna("") == "") & (value_raw.fillna("") == "")
    date_raw, value_raw, lines = date_raw[~blank], value_raw[~blank], lines[~blank.to_numpy()]
    if date_raw.empty:
        raise InputError(f"{origin}: no data rows below the header (line {layout.header_line})")
    missing = value_raw.fillna("").str.lower().isin([m.lower() for m in _MISSING]).to_numpy()
    values = pd.to_numeric(value_raw.where(~missing), errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(np.isnan(values) & ~missing)
    if len(bad):
        i = int(bad[0])
        raise InputError(
            f"{origin}: line {lines[i]}: unparseable number {value_raw.iloc[i]!r} in column "
            f"{names[value_i]!r}"
        )
    dates = _parse_dates(date_raw.reset_index(drop=True), origin, lines, "line")
    idx = check_panel_dates(dates, origin, lines)
    return pd.Series(values, index=idx, name=panel_ticker(path.stem))


@dataclass(frozen=True)
class CsvFolderPanel:
    """A folder of ``<TICKER>.csv`` files; the panel's dates are the union of the files' dates.

    Opening parses every file once (to know the dates); :meth:`read` parses only the files of the
    requested tickers.
    """

    path: Path
    source: str
    dates: pd.DatetimeIndex = field(repr=False)
    files: dict[str, str] = field(repr=False)  # normalised ticker -> file name

    @property
    def tickers(self) -> tuple[str, ...]:
        return tuple(self.files)

    @classmethod
    def open(cls, path: Path, origin: str) -> CsvFolderPanel:
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        if not files:
            raise InputError(f"{origin}: no .csv files in the folder")
        mapping = _unique_tickers([p.stem for p in files], origin)
        by_stem = {p.stem: p.name for p in files}
        days: set[np.datetime64] = set()
        for p in files:
            days.update(read_ticker_csv(p).index.to_numpy())
        dates = pd.DatetimeIndex(sorted(days), name="date")
        return cls(path, origin, dates, {k: by_stem[v] for k, v in mapping.items()})

    def read(self, tickers: Sequence[str], rows: int) -> NDArray[np.float32]:
        out = _empty(rows, len(tickers))
        for j, t in enumerate(tickers):
            s = read_ticker_csv(self.path / self.files[t])
            pos = self.dates.get_indexer(s.index)
            ok = pos < rows
            out[pos[ok], j] = s.to_numpy()[ok].astype(np.float32)
        return out


def open_panel(path: str | Path) -> PanelReader:
    """Open a panel file or folder (layouts in the module docstring), or ``store:NAME``: a panel
    imported with ``rotascope data import-panel`` (:mod:`rotascope.data.panel_store`).

    Raises
    ------
    InputError
        Missing path, unknown layout, or a structural problem naming the file and row.
    """
    origin = str(path)
    if origin.startswith("store:"):
        from rotascope.data.panel_store import StorePanel

        return StorePanel.open(origin[len("store:"):])
    p = Path(path).expanduser()
    if p.is_dir():
        return CsvFolderPanel.open(p, origin)
    if not p.is_file():
        raise InputError(f"{origin}: no such panel file or folder")
    with p.open("rb") as fh:
        magic = fh.read(4)
    if magic == _PARQUET_MAGIC:
        names = [n.strip().lower() for n in _pyarrow_parquet().read_schema(p).names]
        if any(n in _TICKER_NAMES for n in names) and any(n in _CLOSE_NAMES for n in names):
            return LongPanel.open(p, origin, "parquet")
        return WideParquetPanel.open(p, origin)
    return LongPanel.open(p, origin, "csv")
