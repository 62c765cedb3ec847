"""The local store: every fetched or imported series in one DuckDB file.

The store keeps each series' values and metadata (kind, frequency, units, source, symbol, fetch
time). Each write is one transaction: a crash, a kill or an error in the middle of a write leaves
the previous version of the series readable, never a half-written one.

Layout of the DuckDB file (schema version 1)::

    rotascope_schema(version)                          one row: the schema version
    series_meta(name, kind, frequency, units, source,  one row per series
                symbol, fetched_at, first_date,
                last_date, n_rows)
    series_values(name, date, value)                   one row per series and date
    series_labels(name, label)                         optional: labels given on import
                                                       (a merge without one keeps it)

``fetched_at`` is stored as naive UTC and read back as an aware UTC datetime.

Examples
--------
>>> from rotascope.data.store import Store
>>> with Store() as store:  # doctest: +SKIP
...     store.write(ts)
...     spx = store.read("spx", start="2020-01-01")
"""

from __future__ import annotations

import builtins
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np
import pandas as pd
import platformdirs

from rotascope.data.names import check_name, check_new_name
from rotascope.data.series import FREQUENCIES, SeriesMeta, TimeSeries, check_kind
from rotascope.data.validate import validate_values
from rotascope.errors import InputError, RotascopeError, StoreError
from rotascope.formatting import one_line

if TYPE_CHECKING:
    # duckdb (0.1-0.2 s to import) is imported by the methods that open or use the file: a
    # job whose store file does not exist (a report from --data-dir files) never pays it.
    import duckdb

__all__ = [
    "DEFAULT_LOCK_WAIT",
    "DateLike",
    "LIST_COLUMNS",
    "SCHEMA_VERSION",
    "Store",
    "WriteMode",
    "WriteResult",
    "check_name",
    "check_new_name",
    "default_home",
    "store_path",
]

SCHEMA_VERSION = 1
"""Version of the table layout this rotascope reads and writes."""

LIST_COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "frequency",
    "units",
    "source",
    "first",
    "last",
    "rows",
    "fetched_at",
)
"""Columns of :meth:`Store.list`."""

WriteMode = Literal["replace", "merge"]
_T = TypeVar("_T")
DateLike = pd.Timestamp | datetime | date | str

_STORE_FILE = "store.duckdb"
_SHOWN_NAMES = 8
#: Settings of every connection: a file that is not a DuckDB database (SQLite, ...) must never
#: make DuckDB download or load an extension.
_CONFIG: dict[str, str | bool | int | float | builtins.list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
#: Seconds a connection waits for another process to release the file before "busy".
DEFAULT_LOCK_WAIT = 2.0
_LOCK_POLL = 0.05
_SCHEMA_SQL = (
    "CREATE TABLE rotascope_schema (version INTEGER NOT NULL)",
    """CREATE TABLE series_meta (
        name VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        frequency VARCHAR NOT NULL,
        units VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        symbol VARCHAR NOT NULL,
        fetched_at TIMESTAMP NOT NULL,
        first_date TIMESTAMP,
        last_date TIMESTAMP,
        n_rows BIGINT NOT NULL
    )""",
    """CREATE TABLE series_values (
        name VARCHAR NOT NULL,
        date TIMESTAMP NOT NULL,
        value DOUBLE NOT NULL
    )""",
)
_META_COLUMNS = (
    "name, kind, frequency, units, source, symbol, fetched_at, first_date, last_date, n_rows"
)
#: Labels given on import (``--label``): an optional table beside series_meta, created on the first
#: write of a label, so stores without it (and rotascope versions that ignore it) read as before.
_LABELS_SQL = ("CREATE TABLE IF NOT EXISTS series_labels (name VARCHAR PRIMARY KEY, "
               "label VARCHAR NOT NULL)")


def default_home() -> Path:
    """Return the rotascope home folder.

    Returns
    -------
    pathlib.Path
        ``$ROTASCOPE_HOME`` when set and not empty, else the user's cache folder for rotascope
        (``platformdirs.user_cache_dir("rotascope")``).
    """
    env = os.environ.get("ROTASCOPE_HOME", "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("rotascope"))


def store_path(home: Path | None = None) -> Path:
    """Return the path of the store file, ``home / "store.duckdb"``.

    Parameters
    ----------
    home : pathlib.Path, optional
        The rotascope home folder; :func:`default_home` when omitted.
    """
    return (default_home() if home is None else Path(home)) / _STORE_FILE


@dataclass(frozen=True)
class WriteResult:
    """What one :meth:`Store.write` did.

    Parameters
    ----------
    name : str
        Series name.
    rows_written : int
        Rows given to the write (inserted or overwritten).
    rows_total : int
        Rows the series holds after the write.
    first, last : pandas.Timestamp or None
        First and last stored dates after the write.
    """

    name: str
    rows_written: int
    rows_total: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None


def _to_naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _bound(value: DateLike | None, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{what} must be a date (got {value!r}: {one_line(exc, first=True)})") from None
    if stamp is pd.NaT:
        raise InputError(f"{what} must be a date (got {value!r})")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(None)
    return stamp.to_pydatetime()


def _stamp(value: datetime | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def _names_hint(names: builtins.list[str]) -> str:
    if not names:
        return "the store is empty; import or fetch data first"
    shown = ", ".join(names[:_SHOWN_NAMES])
    more = len(names) - _SHOWN_NAMES
    return f"stored: {shown}" + (f", ... ({more} more)" if more > 0 else "")


class Store:
    """The local DuckDB store of series.

    Parameters
    ----------
    path : pathlib.Path, optional
        The store file; :func:`store_path` (``$ROTASCOPE_HOME/store.duckdb`` or the user's cache
        folder) when omitted.

    read_only : bool, default False
        Open the file read-only: many processes may then read at once (``facts``, ``report``,
        ``data list``), a file the user cannot write can still be read, and every write raises
        :class:`StoreError`.
    lock_wait : float, default 2.0
        Seconds to keep retrying when another process holds the file, before the "busy" error.

    Notes
    -----
    The file is opened on first use. Reading from a store file that does not exist behaves as
    an empty store and does not create the file; the first write creates the folder, the file
    and the tables. DuckDB lets one process at a time open a file for writing, or several open
    it read-only: when the file stays held by another process for ``lock_wait`` seconds, the
    operation raises :class:`StoreError` saying the file is busy and naming the process.
    Extension auto-install and auto-load are off on every connection. Use the store as a context
    manager (or call :meth:`close`) to release the file promptly.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        lock_wait: float = DEFAULT_LOCK_WAIT,
    ) -> None:
        self._path = store_path() if path is None else Path(path).expanduser()
        self._read_only = bool(read_only)
        self._lock_wait = max(0.0, float(lock_wait))
        self._con: duckdb.DuckDBPyConnection | None = None
        self._has_schema = False

    @property
    def read_only(self) -> bool:
        """Whether this store only reads (its connection takes DuckDB's shared lock)."""
        return self._read_only

    # ------------------------------------------------------------------ lifecycle

    @property
    def path(self) -> Path:
        """The store file."""
        return self._path

    def __repr__(self) -> str:
        state = "open" if self._con is not None else "closed"
        return f"Store({str(self._path)!r}, {state})"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (the store reopens it on the next operation)."""
        con, self._con = self._con, None
        self._has_schema = False
        if con is not None:
            import duckdb  # loaded when the connection was made

            try:
                con.close()
            except duckdb.Error as exc:
                raise StoreError(
                    f"could not close store {self._path}: {one_line(exc, first=True)}"
                ) from None

    def _open_error(self, exc: BaseException) -> StoreError:
        text = one_line(exc, first=True)
        if "could not set lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            who = f"another process (PID {pid.group(1)})" if pid else "another process"
            return StoreError(
                f"store {self._path} is busy: {who} has it open; retry when it has finished"
            )
        if "not a valid duckdb database" in text.lower():
            return StoreError(f"store {self._path} is corrupt or not a DuckDB file: {text}")
        if "extension" in text.lower():  # e.g. a SQLite file: DuckDB wants its sqlite extension
            return StoreError(
                f"store {self._path} is not a DuckDB file (DuckDB would need an extension to "
                "open it; extensions are never installed)"
            )
        return StoreError(f"cannot open store {self._path}: {text}")

    @staticmethod
    def _is_lock_error(exc: BaseException) -> bool:
        return "could not set lock" in one_line(exc, first=True).lower()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """Open the file, retrying for ``lock_wait`` seconds while another process holds it."""
        import duckdb

        deadline = time.monotonic() + self._lock_wait
        while True:
            try:
                return duckdb.connect(str(self._path), read_only=self._read_only, config=_CONFIG)
            except duckdb.ConnectionException as exc:
                if self._read_only and "different configuration" in one_line(exc, first=True):
                    # this process already has the file open for writing: share that instance
                    return duckdb.connect(str(self._path), config=_CONFIG)
                raise
            except (duckdb.Error, OSError) as exc:
                if not self._is_lock_error(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(_LOCK_POLL)

    def _connection(self, *, create: bool) -> duckdb.DuckDBPyConnection | None:
        """Return the open connection; None when the file is absent and ``create`` is False."""
        if self._con is None:
            if not create and not self._path.exists():
                return None
            if self._path.exists() and not self._path.is_file():
                raise StoreError(f"store {self._path} is not a file")
            if create and self._read_only:
                raise StoreError(f"store {self._path} is opened read-only; cannot write to it")
            import duckdb  # here, not at the top: no store file, no duckdb import

            try:
                if create:
                    self._path.parent.mkdir(parents=True, exist_ok=True)
                con = self._connect()
            except (duckdb.Error, OSError) as exc:
                raise self._open_error(exc) from None
            try:
                self._has_schema = self._check_schema(con)
            except BaseException:
                con.close()
                raise
            self._con = con
        return self._con

    def _check_schema(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Return whether the file holds the rotascope tables; refuse newer or foreign files."""
        import duckdb

        try:
            tables = {
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                    " AND schema_name = 'main'"
                ).fetchall()
            }
            if "rotascope_schema" not in tables:
                if tables:
                    raise StoreError(
                        f"store {self._path} is not a rotascope store "
                        f"(tables {', '.join(sorted(tables))} but no rotascope_schema)"
                    )
                return False
            version = con.execute("SELECT max(version) FROM rotascope_schema").fetchall()[0][0]
        except duckdb.Error as exc:
            raise StoreError(f"cannot read store {self._path}: {one_line(exc, first=True)}") from None
        if version is None:
            raise StoreError(f"store {self._path} has no schema version; it is damaged")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self._path} has schema version {version}, newer than this rotascope "
                f"supports ({SCHEMA_VERSION}); upgrade rotascope"
            )
        missing = {"series_meta", "series_values"} - tables
        if missing:
            raise StoreError(
                f"store {self._path} is damaged: missing table(s) {', '.join(sorted(missing))}"
            )
        return True

    def _reader(self) -> duckdb.DuckDBPyConnection | None:
        """The connection for a read, or None when there is nothing stored yet."""
        con = self._connection(create=False)
        if con is None:
            return None
        if not self._has_schema:
            # another Store in this process may have created the tables since we looked
            self._has_schema = self._check_schema(con)
        return con if self._has_schema else None

    def _query(self, sql: str, params: builtins.list[object] | None = None) -> builtins.list[tuple]:
        con = self._reader()
        if con is None:
            return []
        import duckdb  # the file is open: duckdb is loaded already

        try:
            return con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read store {self._path}: {one_line(exc, first=True)}") from None

    # ------------------------------------------------------------------ reading

    def names(self) -> builtins.list[str]:
        """Return the names of the stored series, sorted."""
        return [row[0] for row in self._query("SELECT name FROM series_meta ORDER BY name")]

    def exists(self, name: str) -> bool:
        """Return whether a series called ``name`` is stored."""
        check_name(name)
        rows = self._query("SELECT 1 FROM series_meta WHERE name = ?", [name])
        return bool(rows)

    def __contains__(self, name: object) -> bool:
        try:
            return self.exists(check_name(name))
        except InputError:
            return False

    def _meta_row(self, name: str) -> tuple:
        check_name(name)
        rows = self._query(f"SELECT {_META_COLUMNS} FROM series_meta WHERE name = ?", [name])
        if not rows:
            names = self.names()
            sep = ";" if names else ":"
            raise InputError(f"no stored series {name!r}{sep} {_names_hint(names)}")
        return rows[0]

    def _meta_from_row(self, row: tuple) -> SeriesMeta:
        name, kind, frequency, units, source, symbol, fetched_at = row[:7]
        return SeriesMeta(
            name=name,
            kind=kind,
            frequency=frequency,
            units=units,
            source=source,
            symbol=symbol,
            fetched_at=fetched_at.replace(tzinfo=UTC),
            label=self._label(name),
        )

    def _label(self, name: str) -> str:
        """The label stored with ``name`` ("" when none, or no label table yet)."""
        if "series_labels" not in self._tables():
            return ""
        rows = self._query("SELECT label FROM series_labels WHERE name = ?", [name])
        return str(rows[0][0]) if rows else ""

    def _tables(self) -> set[str]:
        rows = self._query("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                           "current_database() AND schema_name = 'main'")
        return {str(r[0]) for r in rows}

    def meta(self, name: str) -> SeriesMeta:
        """Return the metadata of the stored series ``name``.

        Raises
        ------
        InputError
            No series of that name is stored.
        """
        return self._meta_from_row(self._meta_row(name))

    def last_date(self, name: str) -> pd.Timestamp | None:
        """Return the last stored date of ``name``, or None when the series is not stored."""
        check_name(name)
        rows = self._query("SELECT last_date FROM series_meta WHERE name = ?", [name])
        return _stamp(rows[0][0]) if rows else None

    def read(
        self, name: str, start: DateLike | None = None, end: DateLike | None = None
    ) -> TimeSeries:
        """Return the stored series ``name`` with ``start <= date <= end`` (bounds optional).

        Parameters
        ----------
        name : str
            Series name (case-sensitive).
        start, end : date-like, optional
            Inclusive bounds.

        Returns
        -------
        TimeSeries
            float64 values on a ``datetime64[us]`` index named ``date``, with the stored metadata.
            Empty when no stored date falls within the bounds.

        Raises
        ------
        InputError
            No series of that name is stored, or a bound is not a date.
        """
        lo, hi = _bound(start, "start"), _bound(end, "end")
        meta = self._meta_from_row(self._meta_row(name))
        sql = "SELECT date, value FROM series_values WHERE name = ?"
        params: builtins.list[object] = [name]
        if lo is not None:
            sql += " AND date >= ?"
            params.append(lo)
        if hi is not None:
            sql += " AND date <= ?"
            params.append(hi)
        import duckdb

        con = self._reader()
        assert con is not None  # _meta_row found the series
        try:
            arrays = con.execute(sql + " ORDER BY date", params).fetchnumpy()
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot read {name!r} from {self._path}: {one_line(exc, first=True)}"
            ) from None
        index = pd.DatetimeIndex(np.asarray(arrays["date"], dtype="datetime64[us]"), name="date")
        data = pd.Series(np.asarray(arrays["value"], dtype="float64"), index=index, name=name)
        return TimeSeries(data, meta)

    def list(self) -> pd.DataFrame:
        """Return one row per stored series, sorted by name.

        Returns
        -------
        pandas.DataFrame
            Columns ``name, kind, frequency, units, source, first, last, rows, fetched_at``
            (:data:`LIST_COLUMNS`); ``fetched_at`` is UTC.
        """
        rows = self._query(
            "SELECT name, kind, frequency, units, source, first_date, last_date, n_rows,"
            " fetched_at FROM series_meta ORDER BY name"
        )
        frame = pd.DataFrame(rows, columns=builtins.list(LIST_COLUMNS))
        for column in ("first", "last"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
        frame["rows"] = frame["rows"].astype("int64")
        frame["fetched_at"] = pd.to_datetime(frame["fetched_at"]).astype("datetime64[us]")
        frame["fetched_at"] = frame["fetched_at"].dt.tz_localize(UTC)
        return frame

    # ------------------------------------------------------------------ writing

    def _transaction(self, what: str, work: Callable[[duckdb.DuckDBPyConnection], _T]) -> _T:
        """Run ``work(con)`` in one transaction; roll back and re-raise one line on any failure."""
        import duckdb

        if self._read_only:
            raise StoreError(f"store {self._path} is opened read-only; cannot {what}")
        con = self._connection(create=True)
        assert con is not None
        try:
            con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise StoreError(f"cannot {what} in {self._path}: {one_line(exc, first=True)}") from None
        try:
            if not self._has_schema and not self._check_schema(con):
                for sql in _SCHEMA_SQL:
                    con.execute(sql)
                con.execute("INSERT INTO rotascope_schema VALUES (?)", [SCHEMA_VERSION])
            result = work(con)
            con.execute("COMMIT")
        except BaseException as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if isinstance(exc, RotascopeError) or not isinstance(exc, Exception):
                raise
            raise StoreError(f"cannot {what} in {self._path}: {one_line(exc, first=True)}") from None
        self._has_schema = True
        return result

    def write(self, ts: TimeSeries, *, mode: WriteMode = "replace") -> WriteResult:
        """Store a series in one transaction.

        Parameters
        ----------
        ts : TimeSeries
            The series; it is validated first (:func:`~rotascope.data.validate.validate_values`)
            and stored under ``ts.meta.name``.
        mode : {"replace", "merge"}
            ``"replace"`` drops every stored row of the series and stores ``ts``. ``"merge"``
            adds the dates of ``ts`` that are new and overwrites the stored values on dates
            ``ts`` also has (revisions); other stored dates are kept. Either way the stored
            metadata becomes ``ts.meta``.

        Returns
        -------
        WriteResult

        Raises
        ------
        InputError
            Invalid name (see :func:`check_new_name`), mode, kind, frequency or values (nothing is
        written), or a merge with a
            stored series of another kind or frequency.
        StoreError
            The store could not be written; it still holds what it held before.
        """
        if mode not in ("replace", "merge"):
            raise InputError(f"mode must be one of: replace, merge (got {mode!r})")
        meta = ts.meta
        name = check_new_name(meta.name)
        check_kind(meta.kind)
        if meta.frequency not in FREQUENCIES:
            raise InputError(
                f"{name}: frequency must be one of: {', '.join(FREQUENCIES)} "
                f"(got {meta.frequency!r})"
            )
        if not isinstance(meta.fetched_at, datetime):
            raise InputError(f"{name}: fetched_at must be a datetime (got {meta.fetched_at!r})")
        values = validate_values(ts.data, kind=meta.kind, origin=name)
        frame = pd.DataFrame(
            {"date": values.index.to_numpy(), "value": values.to_numpy(dtype="float64")}
        )
        view = f"_rotascope_write_{id(frame):x}"

        def work(con: duckdb.DuckDBPyConnection) -> WriteResult:
            if mode == "merge":
                self._check_merge(con, meta)
            con.register(view, frame)
            try:
                if mode == "merge":
                    self._delete_restamped(con, name, meta.frequency, values.index)
                self._delete_rows(con, name, view if mode == "merge" else None)
                self._insert_rows(con, name, view)
            finally:
                con.unregister(view)
            return self._upsert_meta(con, meta, len(frame), keep_label=mode == "merge")

        return self._transaction(f"write series {name!r}", work)

    def _check_merge(self, con: duckdb.DuckDBPyConnection, meta: SeriesMeta) -> None:
        rows = con.execute(
            "SELECT kind, frequency FROM series_meta WHERE name = ?", [meta.name]
        ).fetchall()
        row = rows[0] if rows else None
        if row is not None and (row[0], row[1]) != (meta.kind, meta.frequency):
            raise InputError(
                f"cannot merge {meta.kind}/{meta.frequency} values into stored "
                f"{row[0]}/{row[1]} series {meta.name!r}; write with mode='replace'"
            )

    def _delete_restamped(self, con: duckdb.DuckDBPyConnection, name: str, frequency: str,
                          new: pd.Index) -> None:
        """Delete stored period rows under another stamp of a period the new rows cover.

        Stores written before period rows were stamped on the period's end hold, say,
        2025-08-01 for August; a merge bringing 2025-08-31 must replace that row, not sit beside
        it (two rows of one period).
        """
        if frequency not in ("monthly", "quarterly", "annual"):
            return
        from rotascope.data.availability import period_end_index

        rows = con.execute("SELECT date FROM series_values WHERE name = ?", [name]).fetchnumpy()
        stored = pd.DatetimeIndex(np.asarray(rows["date"], dtype="datetime64[us]"))
        ends = period_end_index(stored, frequency)
        old = stored[ends.isin(pd.DatetimeIndex(new)) & (ends != stored)]
        for day in old:
            con.execute("DELETE FROM series_values WHERE name = ? AND date = ?",
                        [name, day.to_pydatetime()])

    def _delete_rows(self, con: duckdb.DuckDBPyConnection, name: str, view: str | None) -> None:
        """Delete the stored rows of ``name`` (only the dates in ``view`` when given)."""
        if view is None:
            con.execute("DELETE FROM series_values WHERE name = ?", [name])
        else:
            con.execute(
                f"DELETE FROM series_values WHERE name = ? AND date IN (SELECT date FROM {view})",
                [name],
            )

    def _insert_rows(self, con: duckdb.DuckDBPyConnection, name: str, view: str) -> None:
        """Insert every row of the registered frame ``view`` under ``name``."""
        con.execute(f"INSERT INTO series_values SELECT ?, date, value FROM {view}", [name])

    def _upsert_meta(
        self, con: duckdb.DuckDBPyConnection, meta: SeriesMeta, written: int,
        keep_label: bool = False,
    ) -> WriteResult:
        """Recount the stored rows of the series and store its metadata row."""
        row = con.execute(
            "SELECT count(*), min(date), max(date) FROM series_values WHERE name = ?", [meta.name]
        ).fetchall()
        total, first, last = row[0]
        con.execute(
            f"INSERT OR REPLACE INTO series_meta ({_META_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                meta.name,
                meta.kind,
                meta.frequency,
                str(meta.units),
                str(meta.source),
                str(meta.symbol),
                _to_naive_utc(meta.fetched_at),
                first,
                last,
                total,
            ],
        )
        if meta.label:
            con.execute(_LABELS_SQL)
        if meta.label or (not keep_label and self._has_labels(con)):
            con.execute("DELETE FROM series_labels WHERE name = ?", [meta.name])
        if meta.label:
            con.execute("INSERT INTO series_labels VALUES (?, ?)", [meta.name, meta.label])
        return WriteResult(meta.name, written, int(total), _stamp(first), _stamp(last))

    @staticmethod
    def _has_labels(con: duckdb.DuckDBPyConnection) -> bool:
        return bool(con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND "
            "schema_name = 'main' AND table_name = 'series_labels'").fetchall())

    def drop(self, name: str) -> None:
        """Delete the stored series ``name`` (values and metadata) in one transaction.

        Raises
        ------
        InputError
            No series of that name is stored.
        """
        self._meta_row(name)

        def work(con: duckdb.DuckDBPyConnection) -> None:
            con.execute("DELETE FROM series_values WHERE name = ?", [name])
            con.execute("DELETE FROM series_meta WHERE name = ?", [name])
            if self._has_labels(con):
                con.execute("DELETE FROM series_labels WHERE name = ?", [name])

        self._transaction(f"drop series {name!r}", work)
