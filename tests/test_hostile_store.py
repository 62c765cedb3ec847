"""Issue 13, items 10, 11 and 13: readers open the store read-only, no DuckDB extension is
ever installed or loaded, writers wait briefly for a lock then name its holder, and names that
could not be addressed later are refused at store time."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import Store, check_new_name
from rotascope.errors import InputError, StoreError

WRITER = Path(__file__).resolve().parent / "_store_writer.py"


def make_ts(name: str = "spx", values: tuple[float, ...] = (1.0, 2.0, 3.0)) -> TimeSeries:
    index = pd.date_range("2024-01-01", periods=len(values), freq="D", name="date")
    return TimeSeries(pd.Series(values, index=index), SeriesMeta(name, source="test"))


def _hold(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(WRITER), "hold", str(path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_item10_readers_open_read_only_and_share_the_file(rotascope_home: Path) -> None:
    with Store() as store:
        store.write(make_ts())
    a, b = Store(read_only=True), Store(read_only=True)
    try:
        assert a.names() == ["spx"] and b.names() == ["spx"]  # two readers at once
        con = a._reader()
        assert con is not None
        # DuckDB's own view of the connection: read-only
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE x (i INTEGER)")
        with pytest.raises(StoreError, match="opened read-only; cannot write"):
            a.write(make_ts("b"))
    finally:
        a.close()
        b.close()
    assert Store().names() == ["spx"]


def test_item10_reader_of_a_missing_store_creates_nothing(rotascope_home: Path) -> None:
    with Store(read_only=True) as store:
        assert store.names() == []
        assert store.list().empty
    assert not (rotascope_home / "store.duckdb").exists()


def test_item10_reader_in_another_process_does_not_block_a_reader(rotascope_home: Path) -> None:
    path = rotascope_home / "store.duckdb"
    with Store() as store:
        store.write(make_ts())
    code = (
        "import sys; from rotascope.data.store import Store; s = Store(sys.argv[1], "
        "read_only=True); print(s.names()); sys.stdout.flush(); sys.stdin.read()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "['spx']"
        with Store(read_only=True, lock_wait=0.0) as store:
            assert store.read("spx").data.tolist() == [1.0, 2.0, 3.0]
    finally:
        proc.communicate("", timeout=30)


def test_item10_writer_waits_for_a_lock_then_names_its_holder(rotascope_home: Path) -> None:
    path = rotascope_home / "store.duckdb"
    with Store() as store:
        store.write(make_ts())
    holder = _hold(path)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            Store(lock_wait=0.5).write(make_ts("b"))
        waited = time.monotonic() - started
        assert 0.4 <= waited < 10
        assert str(info.value).startswith(f"store {path} is busy: another process (PID {holder.pid})")
        assert "\n" not in str(info.value)
    finally:
        holder.communicate("", timeout=30)


def test_item10_writer_gets_the_lock_when_it_is_released_in_time(rotascope_home: Path) -> None:
    path = rotascope_home / "store.duckdb"
    with Store() as store:
        store.write(make_ts())
    holder = _hold(path)
    import threading

    releaser = threading.Timer(0.3, lambda: holder.communicate("", timeout=30))
    releaser.start()
    try:
        with Store(lock_wait=20.0) as store:
            store.write(make_ts("b"))
            assert store.names() == ["b", "spx"]
    finally:
        releaser.join()


def test_item11_sqlite_file_needs_no_extension_and_fails_in_one_line(rotascope_home: Path) -> None:
    rotascope_home.mkdir()
    path = rotascope_home / "store.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE q (x INTEGER)")
    con.commit()
    con.close()
    before = path.read_bytes()
    for store in (Store(read_only=True), Store()):
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.names()
        assert time.monotonic() - started < 5  # no download attempt
        assert str(path) in str(info.value) and "\n" not in str(info.value)
        assert "not a DuckDB file" in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("read_only", [False, True])
def test_item11_extension_autoinstall_and_autoload_are_off(
    rotascope_home: Path, read_only: bool
) -> None:
    with Store() as store:
        store.write(make_ts())
    with Store(read_only=read_only) as store:
        con = store._reader()
        assert con is not None
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoinstall_known_extensions', 'autoload_known_extensions')"
        ).fetchall())
    assert settings == {"autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false"}


@pytest.mark.parametrize(
    ("bad", "word"),
    [("spx ", "trailing spaces"), (" spx", "trailing spaces"), ("a,b", "comma"),
     ("", "non-empty"), ("  ", "non-empty")],
)
def test_item13_names_that_cannot_be_addressed_are_refused(bad: str, word: str) -> None:
    with pytest.raises(InputError, match=word):
        check_new_name(bad)
    assert check_new_name("small-caps") == "small-caps"
    assert check_new_name("F-F_Research_Data_Factors:SMB") == "F-F_Research_Data_Factors:SMB"
