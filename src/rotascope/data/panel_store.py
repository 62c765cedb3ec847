"""Price panels in a local DuckDB file: ``rotascope data import-panel`` and ``--prices store:NAME``.

Panels live in ``$ROTASCOPE_HOME/panels.duckdb`` (beside the series store, in a file of their
own so that the series store's schema is untouched), as long rows::

    panel_values(panel VARCHAR, ticker VARCHAR, date DATE, close FLOAT)   -- no NaN rows
    panel_meta(panel VARCHAR PRIMARY KEY, source VARCHAR, tickers INTEGER, rows BIGINT,
               first_date DATE, last_date DATE, imported_at TIMESTAMP)

Closes are stored as read (zero and negative closes included, so that a scan from the store
reports them the same way); missing closes are not stored. An import replaces the panel in one
transaction: a failure leaves the previous version (or nothing) in place, never half a panel.
Reading a block selects the block's tickers and the dates up to the as-of date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rotascope.data.panel import PanelReader
from rotascope.data.store import check_name, default_home
from rotascope.errors import InputError, StoreError
from rotascope.formatting import one_line

__all__ = ["StorePanel", "import_panel", "panel_store_path"]

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS panel_values (panel VARCHAR, ticker VARCHAR, date DATE, "
    "close FLOAT)",
    "CREATE TABLE IF NOT EXISTS panel_meta (panel VARCHAR PRIMARY KEY, source VARCHAR, "
    "tickers INTEGER, rows BIGINT, first_date DATE, last_date DATE, imported_at TIMESTAMP)",
)


def panel_store_path(home: Path | None = None) -> Path:
    """``home / "panels.duckdb"`` (home: ``$ROTASCOPE_HOME`` or the user's cache folder)."""
    return (default_home() if home is None else Path(home)) / "panels.duckdb"


def _connect(path: Path, create: bool) -> duckdb.DuckDBPyConnection:
    if not create and not path.is_file():
        raise InputError(f"no panel store at {path} (import one with rotascope data import-panel)")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=not create)
    except (duckdb.Error, OSError) as exc:
        text = one_line(exc, first=True)
        raise StoreError(f"cannot open panel store {path}: {text}") from None


def import_panel(
    panel: PanelReader,
    name: str,
    *,
    path: Path | None = None,
    block_size: int = 1024,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Copy a panel into the panel store under ``name``, replacing any panel of that name.

    Returns the number of rows (ticker-dates with a close) stored.

    Raises
    ------
    InputError
        A bad name.
    StoreError
        The store cannot be written; the previous content is kept.
    """
    name = check_name(name)
    target = panel_store_path() if path is None else path
    con = _connect(target, create=True)
    tickers = list(panel.tickers)
    blocks = [tickers[i : i + block_size] for i in range(0, len(tickers), block_size)]
    dates = panel.dates.to_numpy()
    total = 0
    try:
        for sql in _SCHEMA:
            con.execute(sql)
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM panel_values WHERE panel = ?", [name])
        con.execute("DELETE FROM panel_meta WHERE panel = ?", [name])
        for i, block in enumerate(blocks):
            values = panel.read(block, len(dates))
            rows, cols = np.nonzero(~np.isnan(values))
            chunk = pd.DataFrame({
                "panel": name, "ticker": np.asarray(block, dtype=object)[cols],
                "date": dates[rows], "close": values[rows, cols],
            })  # fmt: skip
            con.register("chunk", chunk)
            con.execute("INSERT INTO panel_values SELECT panel, ticker, CAST(date AS DATE), "
                        "close FROM chunk")
            con.unregister("chunk")
            total += len(chunk)
            if progress is not None:
                progress(i + 1, len(blocks))
        con.execute(
            "INSERT INTO panel_meta VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, panel.source, len(tickers), total,
             panel.dates[0].date() if len(dates) else None,
             panel.dates[-1].date() if len(dates) else None,
             datetime.now(UTC).replace(tzinfo=None)],
        )  # fmt: skip
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"cannot write panel {name!r} to {target}: "
                         f"{one_line(exc, first=True)}") from None
    finally:
        con.close()
    return total


@dataclass(frozen=True)
class StorePanel:
    """A panel in the panel store (see :func:`import_panel`)."""

    path: Path
    name: str
    source: str
    dates: pd.DatetimeIndex = field(repr=False)
    tickers: tuple[str, ...] = field(repr=False)

    @classmethod
    def open(cls, name: str, path: Path | None = None) -> StorePanel:
        """Open the stored panel ``name``.

        Raises
        ------
        InputError
            No store, or no panel of that name (the message lists the stored ones).
        """
        target = panel_store_path() if path is None else path
        con = _connect(target, create=False)
        try:
            meta = con.execute("SELECT panel FROM panel_meta ORDER BY panel").fetchall()
            names = [m[0] for m in meta]
            if name not in names:
                raise InputError(f"no stored panel {name!r} in {target} "
                                 f"(stored: {', '.join(names) or 'none'})")  # fmt: skip
            days = con.execute("SELECT DISTINCT date FROM panel_values WHERE panel = ? "
                               "ORDER BY date", [name]).fetchnumpy()["date"]
            tickers = con.execute("SELECT DISTINCT ticker FROM panel_values WHERE panel = ? "
                                  "ORDER BY ticker", [name]).fetchnumpy()["ticker"]
        finally:
            con.close()
        return cls(target, name, f"store:{name}", pd.DatetimeIndex(days, name="date"),
                   tuple(str(t) for t in tickers))

    def read(self, tickers: Sequence[str], rows: int) -> NDArray[np.float32]:
        out = np.full((rows, len(tickers)), np.nan, dtype=np.float32, order="F")
        if not tickers or rows == 0:
            return out
        con = _connect(self.path, create=False)
        try:
            con.register("wanted", pd.DataFrame({"ticker": list(tickers)}))
            got = con.execute(
                "SELECT v.ticker, v.date, v.close FROM panel_values v JOIN wanted w "
                "ON v.ticker = w.ticker WHERE v.panel = ? AND v.date <= ?",
                [self.name, self.dates[rows - 1].date()],
            ).fetchdf()
        finally:
            con.close()
        pos = self.dates.get_indexer(pd.DatetimeIndex(got["date"]))
        col = {t: j for j, t in enumerate(tickers)}
        cols = got["ticker"].map(col).to_numpy(dtype=np.int64)
        out[pos, cols] = got["close"].to_numpy(dtype=np.float32)
        return out
