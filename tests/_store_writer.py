"""Helper process for the store tests; run as ``python _store_writer.py MODE ...``.

Modes
-----
``replace STORE NAME ROWS``
    Commit a small series ``side`` (it stays in DuckDB's write-ahead log), then replace series
    ``NAME`` with ``ROWS`` rows in one write. Prints one line per step on stdout:
    ``side-committed``, ``started`` (the write transaction is open, the old rows are deleted and
    the INSERT is about to run), ``inserted`` (the INSERT returned) and ``done`` (committed).
    The kill test sends SIGKILL between ``started`` and ``inserted``.
``hold STORE``
    Open the store, print ``ready`` and keep the file open until stdin is closed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import Store


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


class SignallingStore(Store):
    """A store that reports on stdout when the INSERT of series ``signal_for`` starts and ends."""

    def __init__(self, path: Path, signal_for: str) -> None:
        super().__init__(path)
        self.signal_for = signal_for

    def _insert_rows(self, con: duckdb.DuckDBPyConnection, name: str, view: str) -> None:
        if name != self.signal_for:
            super()._insert_rows(con, name, view)
            return
        _say("started")
        super()._insert_rows(con, name, view)
        _say("inserted")


def big_series(name: str, rows: int) -> TimeSeries:
    """``rows`` positive prices, one a minute from 1990 (far more rows than any daily series)."""
    index = pd.date_range("1990-01-01", periods=rows, freq="min", name="date")
    values = np.linspace(1.0, 2.0, rows)
    meta = SeriesMeta(name, units="index points", source="test:big", symbol="BIG")
    return TimeSeries(pd.Series(values, index=index), meta)


def side_series() -> TimeSeries:
    """A small series committed just before the big write."""
    index = pd.date_range("2024-01-01", periods=3, freq="D", name="date")
    meta = SeriesMeta("side", units="index points", source="test:side", symbol="SIDE")
    return TimeSeries(pd.Series([1.0, 2.0, 3.0], index=index), meta)


def main(argv: list[str]) -> int:
    """Run one mode (see the module docstring)."""
    mode, path = argv[0], Path(argv[1])
    if mode == "replace":
        name, rows = argv[2], int(argv[3])
        big = big_series(name, rows)
        store = SignallingStore(path, signal_for=name)
        store.write(side_series())
        _say("side-committed")
        store.write(big, mode="replace")
        _say("done")
        store.close()
        return 0
    if mode == "hold":
        with Store(path) as store:
            store.names()
            _say("ready")
            sys.stdin.read()
        return 0
    sys.stderr.write(f"unknown mode {mode!r}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
