"""Tests of the local DuckDB store: round trips, write modes, errors, locking and crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import platformdirs
import pytest

from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import (
    LIST_COLUMNS,
    SCHEMA_VERSION,
    Store,
    WriteResult,
    default_home,
    store_path,
)
from rotascope.errors import InputError, StoreError

WRITER = Path(__file__).resolve().parent / "_store_writer.py"
KILL_ROWS = 6_000_000


def make_ts(
    name: str = "spx",
    values: list[float] | np.ndarray | None = None,
    start: str = "2026-07-01",
    *,
    freq: str = "B",
    kind: str = "price",
    source: str = "test:spx",
    fetched_at: datetime | None = None,
) -> TimeSeries:
    values = [100.0, 101.5, 99.25, 102.0, 103.75] if values is None else values
    index = pd.date_range(start, periods=len(values), freq=freq, name="date")
    meta = SeriesMeta(
        name,
        kind=kind,  # type: ignore[arg-type]
        units="index points",
        source=source,
        symbol=name.upper(),
        fetched_at=fetched_at or datetime(2026, 7, 14, 21, 5, 30, 123456, tzinfo=UTC),
    )
    return TimeSeries(pd.Series(np.asarray(values, dtype="float64"), index=index), meta)


def snapshot(store: Store) -> tuple[pd.DataFrame, dict[str, pd.Series], dict[str, SeriesMeta]]:
    names = store.names()
    return (
        store.list(),
        {n: store.read(n).data for n in names},
        {n: store.meta(n) for n in names},
    )


def assert_same_snapshot(before: tuple, after: tuple) -> None:
    pd.testing.assert_frame_equal(before[0], after[0])
    assert before[1].keys() == after[1].keys()
    for name in before[1]:
        pd.testing.assert_series_equal(before[1][name], after[1][name])
    assert before[2] == after[2]


def assert_series_values(stored: TimeSeries, expected: pd.Series) -> None:
    np.testing.assert_array_equal(stored.data.to_numpy(), expected.to_numpy(dtype="float64"))
    np.testing.assert_array_equal(
        stored.data.index.to_numpy(dtype="datetime64[us]"),
        expected.index.to_numpy(dtype="datetime64[us]"),
    )


@pytest.fixture
def store(rotascope_home: Path) -> Iterator[Store]:
    with Store() as opened:
        yield opened


# ---------------------------------------------------------------------- paths


def test_default_home_uses_env(rotascope_home: Path) -> None:
    assert default_home() == rotascope_home
    assert store_path() == rotascope_home / "store.duckdb"
    assert store_path(Path("/x/y")) == Path("/x/y/store.duckdb")
    assert Store().path == rotascope_home / "store.duckdb"


def test_default_home_without_env_is_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROTASCOPE_HOME")
    assert default_home() == Path(platformdirs.user_cache_dir("rotascope"))


# ---------------------------------------------------------------------- missing store


def test_read_only_operations_on_missing_store_do_not_create_it(rotascope_home: Path) -> None:
    store = Store()
    assert store.names() == []
    assert not store.exists("spx")
    assert "spx" not in store
    assert store.last_date("spx") is None
    listing = store.list()
    assert list(listing.columns) == list(LIST_COLUMNS)
    assert listing.empty
    with pytest.raises(InputError, match="the store is empty; import or fetch data first"):
        store.read("spx")
    with pytest.raises(InputError, match="no stored series 'spx'"):
        store.meta("spx")
    with pytest.raises(InputError, match="no stored series 'spx'"):
        store.drop("spx")
    store.close()
    assert not rotascope_home.exists()


def test_first_write_creates_folder_and_file(rotascope_home: Path) -> None:
    with Store() as store:
        store.write(make_ts())
    assert (rotascope_home / "store.duckdb").is_file()


# ---------------------------------------------------------------------- round trips


def test_round_trip_values_index_and_metadata(store: Store) -> None:
    ts = make_ts()
    result = store.write(ts)
    assert result == WriteResult(
        "spx", 5, 5, pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-07")
    )
    back = store.read("spx")
    assert back.meta == ts.meta
    assert back.meta.fetched_at == datetime(2026, 7, 14, 21, 5, 30, 123456, tzinfo=UTC)
    assert back.meta.fetched_at.tzinfo is not None
    assert back.data.dtype == np.float64
    assert isinstance(back.data.index, pd.DatetimeIndex)
    assert back.data.index.name == "date"
    assert back.data.index.tz is None
    assert_series_values(back, ts.data)
    assert store.meta("spx") == ts.meta
    assert store.last_date("spx") == pd.Timestamp("2026-07-07")


def test_round_trip_survives_reopening(rotascope_home: Path) -> None:
    ts = make_ts(values=np.linspace(1.0, 3.0, 400), freq="D")
    with Store() as store:
        store.write(ts)
    with Store(rotascope_home / "store.duckdb") as again:
        back = again.read("spx")
    assert back.meta == ts.meta
    assert_series_values(back, ts.data)


def test_fetched_at_in_other_time_zone_is_kept_as_the_same_instant(store: Store) -> None:
    paris = timezone(timedelta(hours=2))
    ts = make_ts(fetched_at=datetime(2026, 7, 14, 23, 0, tzinfo=paris))
    store.write(ts)
    assert store.meta("spx").fetched_at == datetime(2026, 7, 14, 21, 0, tzinfo=UTC)


def test_nanosecond_input_index_round_trips(store: Store) -> None:
    ts = make_ts()
    ns = TimeSeries(ts.data.set_axis(ts.data.index.as_unit("ns")), ts.meta)
    store.write(ns)
    assert_series_values(store.read("spx"), ts.data)
    revised = TimeSeries(ns.data.iloc[-2:] * 2.0, ns.meta)
    assert store.write(revised, mode="merge").rows_total == 5
    assert list(store.read("spx").data) == [100.0, 101.5, 99.25, 204.0, 207.5]


def test_return_series_may_be_negative(store: Store) -> None:
    ts = make_ts("smb", [0.01, -0.02, 0.0, 0.005], kind="return")
    store.write(ts)
    back = store.read("smb")
    assert back.meta.kind == "return"
    assert_series_values(back, ts.data)


def test_names_are_case_sensitive_and_stored_as_given(store: Store) -> None:
    store.write(make_ts("SPX", [1.0, 2.0]))
    store.write(make_ts("spx", [3.0, 4.0]))
    store.write(make_ts("small caps / Russell 2000 ñ", [5.0]))
    assert store.names() == ["SPX", "small caps / Russell 2000 ñ", "spx"]
    assert store.read("SPX").data.iloc[0] == 1.0
    assert store.read("spx").data.iloc[0] == 3.0
    assert "small caps / Russell 2000 ñ" in store
    assert "Spx" not in store


@pytest.mark.parametrize("bad", ["", "   ", "a\nb", "tab\there", "nul\x00", "del\x7f"])
def test_bad_names_are_rejected(store: Store, bad: str) -> None:
    with pytest.raises(InputError, match="series name"):
        store.write(make_ts(bad))
    with pytest.raises(InputError, match="series name"):
        store.read(bad)
    assert bad not in store
    assert store.names() == []


# ---------------------------------------------------------------------- write modes


def test_replace_drops_rows_not_in_the_new_version(store: Store) -> None:
    store.write(make_ts(values=[1.0, 2.0, 3.0, 4.0, 5.0], start="2026-07-01"))
    new = make_ts(values=[7.0, 8.0], start="2026-07-06", source="test:v2")
    result = store.write(new, mode="replace")
    assert (result.rows_written, result.rows_total) == (2, 2)
    back = store.read("spx")
    assert_series_values(back, new.data)
    assert back.meta.source == "test:v2"


def test_merge_adds_new_dates_and_overwrites_overlap(store: Store) -> None:
    old = make_ts(values=[1.0, 2.0, 3.0, 4.0, 5.0], start="2026-07-01")  # Jul 1..7 (business)
    store.write(old)
    update = make_ts(
        values=[40.0, 50.0, 60.0, 70.0],
        start="2026-07-06",
        source="test:v2",
        fetched_at=datetime(2026, 7, 15, tzinfo=UTC),
    )  # Jul 6, 7 revised; Jul 8, 9 new
    result = store.write(update, mode="merge")
    assert result == WriteResult(
        "spx", 4, 7, pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-09")
    )
    back = store.read("spx")
    expected = pd.Series(
        [1.0, 2.0, 3.0, 40.0, 50.0, 60.0, 70.0],
        index=pd.to_datetime(
            [
                "2026-07-01",
                "2026-07-02",
                "2026-07-03",
                "2026-07-06",
                "2026-07-07",
                "2026-07-08",
                "2026-07-09",
            ]
        ),
    )
    assert_series_values(back, expected)
    assert back.meta == update.meta
    row = store.list().iloc[0]
    assert (row["rows"], row["first"], row["last"]) == (
        7,
        pd.Timestamp("2026-07-01"),
        pd.Timestamp("2026-07-09"),
    )


def test_merge_of_older_dates_fills_in_history(store: Store) -> None:
    store.write(make_ts(values=[5.0, 6.0], start="2026-07-06"))
    store.write(make_ts(values=[1.0, 2.0], start="2026-07-01"), mode="merge")
    back = store.read("spx")
    assert list(back.data) == [1.0, 2.0, 5.0, 6.0]
    assert back.data.index.is_monotonic_increasing


def test_merge_into_missing_series_creates_it(store: Store) -> None:
    ts = make_ts()
    assert store.write(ts, mode="merge").rows_total == 5
    assert_series_values(store.read("spx"), ts.data)


def test_merge_of_another_kind_is_refused_and_store_unchanged(store: Store) -> None:
    store.write(make_ts())
    before = snapshot(store)
    with pytest.raises(InputError, match="cannot merge return/daily values into stored price"):
        store.write(make_ts(values=[0.01], start="2026-07-08", kind="return"), mode="merge")
    assert_same_snapshot(before, snapshot(store))


def test_bad_mode_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="mode must be one of: replace, merge"):
        store.write(make_ts(), mode="append")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- reading


def test_read_date_ranges(store: Store) -> None:
    store.write(make_ts(values=np.arange(1.0, 11.0), start="2026-07-01", freq="D"))
    assert list(store.read("spx", start="2026-07-08").data) == [8.0, 9.0, 10.0]
    assert list(store.read("spx", end=pd.Timestamp("2026-07-02")).data) == [1.0, 2.0]
    assert list(store.read("spx", "2026-07-04", datetime(2026, 7, 5)).data) == [4.0, 5.0]
    empty = store.read("spx", start="2027-01-01")
    assert empty.data.empty and empty.data.dtype == np.float64
    assert isinstance(empty.data.index, pd.DatetimeIndex)
    assert empty.meta.name == "spx"
    with pytest.raises(InputError, match="start must be a date"):
        store.read("spx", start="not a date")


def test_list_names_exists_and_drop(store: Store) -> None:
    store.write(make_ts("b", [1.0, 2.0, 3.0], source="stooq:b"))
    store.write(make_ts("a", [1.0, 2.0], kind="return", source="french:a"))
    assert store.names() == ["a", "b"]
    listing = store.list()
    assert list(listing.columns) == list(LIST_COLUMNS)
    assert list(listing["name"]) == ["a", "b"]
    assert list(listing["kind"]) == ["return", "price"]
    assert list(listing["source"]) == ["french:a", "stooq:b"]
    assert list(listing["rows"]) == [2, 3]
    assert list(listing["first"]) == [pd.Timestamp("2026-07-01")] * 2
    assert list(listing["last"]) == [pd.Timestamp("2026-07-02"), pd.Timestamp("2026-07-03")]
    assert listing["fetched_at"].iloc[0] == pd.Timestamp("2026-07-14 21:05:30.123456", tz="UTC")
    assert store.exists("a") and "b" in store and 42 not in store
    store.drop("a")
    assert store.names() == ["b"]
    assert "a" not in store
    assert store.last_date("a") is None
    with pytest.raises(InputError, match="no stored series 'a'; stored: b"):
        store.read("a")
    with pytest.raises(InputError, match="no stored series 'a'; stored: b"):
        store.drop("a")
    store.drop("b")
    assert store.list().empty
    with pytest.raises(InputError, match="the store is empty"):
        store.read("b")


def test_unknown_name_lists_a_shortened_list(store: Store) -> None:
    for i in range(12):
        store.write(make_ts(f"s{i:02d}", [1.0]))
    with pytest.raises(InputError) as info:
        store.read("spx")
    message = str(info.value)
    assert message == (
        "no stored series 'spx'; stored: s00, s01, s02, s03, s04, s05, s06, s07, ... (4 more)"
    )
    assert "\n" not in message


# ---------------------------------------------------------------------- bad input


def _with_value(position: int, value: float) -> TimeSeries:
    ts = make_ts()
    data = ts.data.copy()
    data.iloc[position] = value
    return TimeSeries(data, ts.meta)


def _reordered(order: list[int]) -> TimeSeries:
    ts = make_ts()
    return TimeSeries(ts.data.iloc[order], ts.meta)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (_with_value(2, 0.0), r"spx: row 3 \(2026-07-03\): non-positive price 0"),
        (_with_value(1, -5.0), r"spx: row 2 \(2026-07-02\): non-positive price -5"),
        (_with_value(3, np.nan), r"spx: row 4 \(2026-07-06\): missing or non-finite value"),
        (_with_value(4, np.inf), "missing or non-finite value"),
        (_reordered([0, 2, 1, 3, 4]), "dates are not sorted"),
        (_reordered([0, 1, 1, 3, 4]), "duplicated date"),
        (
            TimeSeries(
                pd.Series([], dtype="float64", index=pd.DatetimeIndex([])), SeriesMeta("spx")
            ),
            "no data rows",
        ),
    ],
)
def test_bad_series_is_rejected_with_nothing_written(
    rotascope_home: Path, bad: TimeSeries, message: str
) -> None:
    with Store() as store:
        with pytest.raises(InputError, match=message):
            store.write(bad)
    assert not (rotascope_home / "store.duckdb").exists()  # nothing, not even the file
    with Store() as store:
        store.write(make_ts(values=[1.0, 2.0]))
        before = snapshot(store)
        for mode in ("replace", "merge"):
            with pytest.raises(InputError, match=message):
                store.write(bad, mode=mode)  # type: ignore[arg-type]
        assert_same_snapshot(before, snapshot(store))


def test_bad_metadata_is_rejected(store: Store) -> None:
    ts = make_ts()
    with pytest.raises(InputError, match="kind must be one of"):
        store.write(TimeSeries(ts.data, ts.meta.replace(kind="prices")))
    with pytest.raises(InputError, match="frequency must be one of"):
        store.write(TimeSeries(ts.data, ts.meta.replace(frequency="hourly")))
    assert store.names() == []


# ---------------------------------------------------------------------- failing writes


class DiskFull(duckdb.IOException):
    """Stands in for an I/O failure inside DuckDB."""


def raiser(exc: BaseException):
    """A replacement method that raises ``exc``."""

    def method(*args: object, **kwargs: object) -> None:
        raise exc

    return method


@pytest.mark.parametrize("step", ["_insert_rows", "_upsert_meta"])
@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_failure_mid_transaction_keeps_the_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch, step: str, mode: str
) -> None:
    store.write(make_ts(values=[1.0, 2.0, 3.0]))
    store.write(make_ts("other", [9.0]))
    before = snapshot(store)
    left_after_delete: list[int] = []
    original_delete = Store._delete_rows

    def delete_then_count(
        self: Store, con: duckdb.DuckDBPyConnection, name: str, view: str | None
    ) -> None:
        original_delete(self, con, name, view)
        sql = "SELECT count(*) FROM series_values WHERE name = ?"
        left_after_delete.append(con.execute(sql, [name]).fetchall()[0][0])

    new = make_ts(values=[5.0, 6.0, 7.0, 8.0], start="2026-07-02")
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_delete_rows", delete_then_count)
        patch.setattr(Store, step, raiser(DiskFull("IO Error: No space left on device\nmore")))
        with pytest.raises(StoreError) as info:
            store.write(new, mode=mode)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert "cannot write series 'spx'" in message and "No space left on device" in message
    assert str(store.path) in message
    # the delete really ran inside the transaction before the failure
    assert left_after_delete == ([0] if mode == "replace" else [1])
    assert_same_snapshot(before, snapshot(store))
    # the store still works, in this process and after reopening
    store.write(new, mode=mode)  # type: ignore[arg-type]
    expected_rows = 4 if mode == "replace" else 5
    assert store.list().set_index("name").loc["spx", "rows"] == expected_rows
    store.close()
    assert len(Store(store.path).read("spx").data) == expected_rows


def test_any_exception_mid_write_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write(make_ts())
    before = snapshot(store)
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_upsert_meta", raiser(RuntimeError("boom")))
        with pytest.raises(StoreError, match="cannot write series 'spx' in .*: boom$"):
            store.write(make_ts(values=[3.0]))
        patch.setattr(Store, "_upsert_meta", raiser(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            store.write(make_ts(values=[3.0]))
    assert_same_snapshot(before, snapshot(store))


def test_failed_first_write_leaves_an_empty_usable_store(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(Store, "_insert_rows", raiser(DiskFull("IO Error: disk full")))
        with pytest.raises(StoreError, match="disk full"):
            store.write(make_ts())
    assert store.names() == []
    store.write(make_ts())
    assert store.names() == ["spx"]


def test_drop_is_atomic(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write(make_ts())
    before = snapshot(store)

    class FailingConnection:
        """Passes statements to DuckDB but fails the metadata delete of a drop."""

        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con = con

        def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
            if sql.startswith("DELETE FROM series_meta"):
                raise DiskFull("IO Error: disk full")
            return self.con.execute(sql, *args)

    real_connection = Store._connection
    with monkeypatch.context() as patch:
        patch.setattr(
            Store,
            "_connection",
            lambda self, *, create: FailingConnection(real_connection(self, create=create)),
        )
        with pytest.raises(StoreError, match="cannot drop series 'spx'.*disk full"):
            store.drop("spx")
    assert_same_snapshot(before, snapshot(store))


# ---------------------------------------------------------------------- several Store objects


def test_two_store_objects_in_one_process_see_each_other(rotascope_home: Path) -> None:
    rotascope_home.mkdir()
    duckdb.connect(str(rotascope_home / "store.duckdb")).close()  # an empty DuckDB file
    reader, writer = Store(), Store()
    assert reader.names() == []  # opened: no tables yet
    writer.write(make_ts("a", [1.0]))
    assert reader.names() == ["a"]
    reader.write(make_ts("b", [2.0]))
    assert writer.names() == ["a", "b"]
    reader.close()
    writer.close()


def test_context_manager_closes_and_store_reopens(rotascope_home: Path) -> None:
    with Store() as store:
        store.write(make_ts())
        assert "open" in repr(store)
    assert "closed" in repr(store)
    assert store.names() == ["spx"]  # reopens on demand
    store.close()
    store.close()  # idempotent


# ---------------------------------------------------------------------- bad files


def test_newer_schema_version_is_refused(rotascope_home: Path) -> None:
    path = rotascope_home / "store.duckdb"
    with Store() as store:
        store.write(make_ts())
    con = duckdb.connect(str(path))
    con.execute("UPDATE rotascope_schema SET version = ?", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError) as info:
        Store().names()
    assert str(info.value) == (
        f"store {path} has schema version {SCHEMA_VERSION + 1}, newer than this rotascope "
        f"supports ({SCHEMA_VERSION}); upgrade rotascope"
    )
    with pytest.raises(StoreError, match="newer than this rotascope"):
        Store().write(make_ts("b", [1.0]))


def test_foreign_duckdb_file_is_refused(rotascope_home: Path) -> None:
    rotascope_home.mkdir()
    path = rotascope_home / "store.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE prices (d DATE, v DOUBLE)")
    con.close()
    with pytest.raises(StoreError, match="is not a rotascope store"):
        Store().names()
    with pytest.raises(StoreError, match="is not a rotascope store"):
        Store().write(make_ts())


def test_corrupt_file_raises_store_error_naming_it(rotascope_home: Path) -> None:
    rotascope_home.mkdir()
    path = rotascope_home / "store.duckdb"
    path.write_bytes(b"this is not a database\n" * 500)
    for action in (
        lambda s: s.names(),
        lambda s: s.read("spx"),
        lambda s: s.list(),
        lambda s: s.write(make_ts()),
    ):
        with pytest.raises(StoreError) as info:
            action(Store())
        assert str(path) in str(info.value)
        assert "\n" not in str(info.value)
    assert path.read_bytes() == b"this is not a database\n" * 500  # left alone


def test_directory_in_place_of_the_file(rotascope_home: Path) -> None:
    (rotascope_home / "store.duckdb").mkdir(parents=True)
    with pytest.raises(StoreError, match="is not a file"):
        Store().names()


# ---------------------------------------------------------------------- other processes


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _expect_line(proc: subprocess.Popen[str], word: str) -> list[str]:
    """Read the child's lines until ``word``; fail if it exits first."""
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line.strip())
        if seen[-1] == word:
            return seen
    proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    pytest.fail(f"child exited ({proc.returncode}) before {word!r}; saw {seen}; {stderr}")


def test_store_locked_by_another_process_is_busy(rotascope_home: Path) -> None:
    path = rotascope_home / "store.duckdb"
    with Store() as store:
        store.write(make_ts())
    holder = _spawn("hold", str(path))
    try:
        _expect_line(holder, "ready")
        for action in (lambda s: s.names(), lambda s: s.write(make_ts("b", [1.0]))):
            with pytest.raises(StoreError) as info:
                action(Store())
            message = str(info.value)
            assert message.startswith(f"store {path} is busy: another process (PID {holder.pid})")
            assert "\n" not in message
    finally:
        holder.communicate("", timeout=30)
    assert holder.returncode == 0
    assert Store().names() == ["spx"]


@pytest.mark.parametrize("delay", [0.0, 0.1])
def test_kill_during_a_large_write_keeps_the_previous_version(
    rotascope_home: Path, delay: float
) -> None:
    """SIGKILL a process in the middle of replacing a series with millions of rows.

    The child commits a small series ``side`` (which stays in DuckDB's write-ahead log), then
    replaces ``big`` with ``KILL_ROWS`` rows; it says ``started`` once the write transaction is
    open and the old rows are deleted, right before the INSERT, and ``inserted`` when the INSERT
    returns. The kill lands in between; afterwards the store must open and hold exactly the
    previous ``big`` plus ``side``.
    """
    path = rotascope_home / "store.duckdb"
    previous = make_ts("big", np.linspace(10.0, 20.0, 2000), start="2000-01-03", source="test:old")
    with Store() as store:
        store.write(previous)
    child = _spawn("replace", str(path), "big", str(KILL_ROWS))
    try:
        seen = _expect_line(child, "started")
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    seen += rest.split()
    assert child.returncode == -signal.SIGKILL
    assert seen == ["side-committed", "started"], (
        f"the kill did not land during the INSERT (child said {seen}); make KILL_ROWS larger"
    )
    with Store(path) as store:
        assert store.names() == ["big", "side"]
        back = store.read("big")
        assert back.meta == previous.meta
        assert_series_values(back, previous.data)
        listing = store.list().set_index("name")
        assert listing.loc["big", "rows"] == 2000
        assert listing.loc["big", "source"] == "test:old"
        assert list(store.read("side").data) == [1.0, 2.0, 3.0]
        # the store is fully usable afterwards
        store.write(make_ts("big", [1.0, 2.0]), mode="replace")
    with Store(path) as store:
        assert store.list().set_index("name").loc["big", "rows"] == 2
        assert list(store.read("side").data) == [1.0, 2.0, 3.0]


# ---------------------------------------------------------------------- scale


def test_million_row_write_and_read_are_fast(store: Store) -> None:
    rows = 1_000_000
    index = pd.date_range("1990-01-01", periods=rows, freq="min", name="date")
    ts = TimeSeries(pd.Series(np.linspace(1.0, 2.0, rows), index=index), SeriesMeta("m"))
    started = time.perf_counter()
    assert store.write(ts).rows_total == rows
    assert store.write(ts, mode="merge").rows_total == rows
    back = store.read("m")
    elapsed = time.perf_counter() - started
    assert len(back.data) == rows
    assert back.data.iloc[-1] == 2.0
    assert elapsed < 15, f"1e6-row replace + merge + read took {elapsed:.1f} s"
