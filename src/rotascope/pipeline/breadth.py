"""Breadth pipeline: members + panel + as-of date -> breadth per segment, scanned by blocks.

:func:`compute_breadth` matches each segment's members to the panel's tickers, truncates the
panel at the as-of date (rows dated on or before it, nothing else is read into the scan), scans
the members' columns in blocks of ``block_size`` tickers with
:func:`rotascope.kernels.breadth.breadth_scan_2d` (locally, or on Dask with ``scheduler``, see
:mod:`rotascope.pipeline.breadth_dask`), sums the per-date counts and turns them into the
breadth history and the as-of snapshot (:mod:`rotascope.analytics.breadth`). Rows excluded from
any member's history (zero or negative closes, gaps) are reported in one warning per call.

Peak memory is bounded by the block: one float32 ``(dates x block_size)`` block at a time, plus
counts of ``dates x K`` int32 per block and a few values per member.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotascope.analytics.breadth import HistoryRecord, breadth_history, history_record, movers
from rotascope.data.panel import (
    ExcludedRows,
    PanelReader,
    excluded_rows_warning,
    match_tickers,
    rows_until,
)
from rotascope.data.panel_members import SegmentMembers, survivorship_caveat
from rotascope.errors import InputError, RotascopeWarning
from rotascope.kernels.breadth import BreadthScan, breadth_scan_2d

__all__ = [
    "HISTORY_MEASURES",
    "MA_WINDOWS",
    "RET_WINDOWS",
    "BreadthResult",
    "SegmentBreadth",
    "compute_breadth",
    "merge_scans",
    "scan_block",
]

MA_WINDOWS = (20, 50, 200)
RET_WINDOWS = (1, 5, 21)
HL_WINDOW = 252
RECORD_ROWS = 504
RECORD_MIN = 252
LEADERS = 10

#: Breadth-history columns whose last value gets a record horizon and percentile (facts).
HISTORY_MEASURES: tuple[str, ...] = (
    "above_ma_20", "above_ma_50", "above_ma_200", "new_highs_share", "new_lows_share",
    "record_gains_5d_share", "record_drops_5d_share",
)  # fmt: skip

ProgressHook = Callable[[int, int], None]  # (blocks done, blocks total)


@dataclass(frozen=True)
class SegmentBreadth:
    """Breadth of one segment on the as-of date, with its history.

    Attributes
    ----------
    members : SegmentMembers
        The segment's members (holdings), with their membership date.
    as_of : Timestamp
        Last panel date on or before the requested as-of date.
    matched : dict
        Member ticker -> panel ticker, for members the panel has.
    missing : list of str
        Members without price history up to ``as_of`` (absent from the panel, or no valid close
        by then); counted and listed, never silently dropped.
    history : pandas.DataFrame
        :func:`~rotascope.analytics.breadth.breadth_history` of the members.
    per_member : pandas.DataFrame
        One row per matched member: ``ticker, rows`` and for each window ``return_W``,
        ``gain_since_W``, ``drop_since_W`` (rows; see :class:`BreadthScan`).
    leaders, laggards : dict of str -> pandas.DataFrame
        :func:`~rotascope.analytics.breadth.movers` per window (``"1d"``, ``"5d"``, ``"21d"``).
    records : dict of str -> HistoryRecord
        Record horizon and percentile of each of :data:`HISTORY_MEASURES` on ``as_of``.
    excluded : list of ExcludedRows
        Members with rows excluded from the scan.
    caveat : str
        The membership-date and survivorship line.
    source : str
        The panel read.
    """

    members: SegmentMembers
    as_of: pd.Timestamp
    matched: dict[str, str]
    missing: list[str]
    history: pd.DataFrame
    per_member: pd.DataFrame
    leaders: dict[str, pd.DataFrame]
    laggards: dict[str, pd.DataFrame]
    records: dict[str, HistoryRecord]
    excluded: list[ExcludedRows]
    caveat: str
    source: str

    @property
    def snapshot(self) -> pd.Series:
        """The history's row on ``as_of`` (NaN/zero when no member has a close that day)."""
        if len(self.history) and self.history.index[-1] == self.as_of:
            return self.history.iloc[-1]
        return pd.Series(np.nan, index=self.history.columns)


@dataclass(frozen=True)
class BreadthResult:
    """Breadth of every segment on one as-of date."""

    as_of: pd.Timestamp
    segments: list[SegmentBreadth]
    source: str
    excluded: list[ExcludedRows] = field(default_factory=list)


def scan_block(
    panel: PanelReader, tickers: Sequence[str], rows: int, threads: int | None = None
) -> BreadthScan:
    """Read one block of tickers from the panel (first ``rows`` dates) and scan it.

    This is the unit of work of both paths: the local loop calls it per block, Dask workers
    call it on their own block (reading the file themselves). ``threads`` sets numba's thread
    count for the call (Dask workers share a machine's cores).
    """
    if threads is not None:
        from rotascope.kernels._jit import HAVE_NUMBA

        if HAVE_NUMBA:
            import numba

            most = int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))
            numba.set_num_threads(max(1, min(int(threads), most)))
    block = panel.read(list(tickers), rows)
    return breadth_scan_2d(block, MA_WINDOWS, RET_WINDOWS, HL_WINDOW, RECORD_ROWS, RECORD_MIN)


def merge_scans(scans: Sequence[BreadthScan]) -> BreadthScan:
    """Sum the per-date counts of blocks and stack their per-series values (in block order)."""
    if not scans:
        raise InputError("no blocks to merge")
    counts = scans[0].counts.astype(np.int64)
    for s in scans[1:]:
        counts = counts + s.counts
    if counts.size and counts.max() > np.iinfo(np.int32).max:  # pragma: no cover - 2e9 series
        raise InputError("too many series for int32 counts")

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(s, name) for s in scans])

    return BreadthScan(
        counts=counts.astype(np.int32), last_return=cat("last_return"),
        last_gain_since=cat("last_gain_since"), last_drop_since=cat("last_drop_since"),
        last_rows=cat("last_rows"), bad_count=cat("bad_count"), bad_first=cat("bad_first"),
        bad_last=cat("bad_last"), hole_count=cat("hole_count"), layout=scans[0].layout,
    )  # fmt: skip


def _blocks(tickers: Sequence[str], size: int) -> list[list[str]]:
    return [list(tickers[i : i + size]) for i in range(0, len(tickers), size)]


def _scan(
    panel: PanelReader,
    tickers: list[str],
    rows: int,
    block_size: int,
    client: Any,
    progress: ProgressHook | None,
) -> BreadthScan:
    blocks = _blocks(tickers, block_size) or [[]]
    if client is not None:
        from rotascope.pipeline.breadth_dask import dask_scan

        return merge_scans(dask_scan(panel, blocks, rows, client, progress))
    scans = []
    for i, block in enumerate(blocks):
        scans.append(scan_block(panel, block, rows))
        if progress is not None:
            progress(i + 1, len(blocks))
    return merge_scans(scans)


def _segment(
    members: SegmentMembers,
    matched: dict[str, str],
    order: list[str],
    scan: BreadthScan,
    dates: pd.DatetimeIndex,
    as_of: pd.Timestamp,
    source: str,
) -> SegmentBreadth:
    member_of = {v: k for k, v in matched.items()}
    names = [member_of[t] for t in order]
    per = {"ticker": names, "rows": scan.last_rows}
    for i, w in enumerate(RET_WINDOWS):
        per[f"return_{w}d"] = scan.last_return[:, i]
        per[f"gain_since_{w}d"] = scan.last_gain_since[:, i]
        per[f"drop_since_{w}d"] = scan.last_drop_since[:, i]
    per_member = pd.DataFrame(per)
    has_rows = set(per_member.loc[per_member["rows"] > 0, "ticker"])
    missing = [t for t in members.tickers if t not in has_rows]
    history = breadth_history(scan.counts, scan.layout, dates)
    leaders, laggards = {}, {}
    for i, w in enumerate(RET_WINDOWS):
        key = f"{w}d"
        leaders[key] = movers(names, scan.last_return[:, i], scan.last_gain_since[:, i], dates,
                              True, LEADERS)
        laggards[key] = movers(names, scan.last_return[:, i], scan.last_drop_since[:, i], dates,
                               False, LEADERS)
    records = {}
    if len(history) and history.index[-1] == as_of:
        for m in HISTORY_MEASURES:
            rec = history_record(history[m])
            if rec is not None and rec.date == as_of:
                records[m] = rec
    excluded = [
        ExcludedRows(ticker=names[j], bad=int(scan.bad_count[j]), holes=int(scan.hole_count[j]),
                     first=dates[scan.bad_first[j]] if scan.bad_first[j] >= 0 else None,
                     last=dates[scan.bad_last[j]] if scan.bad_last[j] >= 0 else None)
        for j in np.flatnonzero((scan.bad_count > 0) | (scan.hole_count > 0))
    ]  # fmt: skip
    first = dates[0] if len(dates) else as_of
    return SegmentBreadth(members=members, as_of=as_of, matched=matched, missing=missing,
                          history=history, per_member=per_member, leaders=leaders,
                          laggards=laggards, records=records, excluded=excluded,
                          caveat=survivorship_caveat(members, first), source=source)


def compute_breadth(
    panel: PanelReader,
    segments: Sequence[SegmentMembers],
    as_of: pd.Timestamp | None = None,
    *,
    block_size: int = 1024,
    scheduler: str | None = None,
    progress: ProgressHook | None = None,
) -> BreadthResult:
    """Breadth of each segment on ``as_of`` from the panel rows dated on or before it.

    Parameters
    ----------
    panel : PanelReader
        The price panel (see :func:`rotascope.data.panel_readers.open_panel`).
    segments : sequence of SegmentMembers
        The segments and their members.
    as_of : Timestamp, optional
        Use only panel rows dated on or before this date (default: all rows). The result is the
        same as with a panel that ends on ``as_of``.
    block_size : int
        Tickers per block (memory: ``dates x block_size`` float32 per block in flight).
    scheduler : str, optional
        ``"local"``, ``"local:N"`` (a Dask LocalCluster with N workers) or ``"tcp://HOST:PORT"``
        (an existing Dask scheduler); None scans in this process.
    progress : callable, optional
        Called with ``(blocks done, blocks total)`` after each block.

    Returns
    -------
    BreadthResult

    Raises
    ------
    InputError
        No panel row on or before ``as_of``, a segment without members, a bad block size.
    """
    if int(block_size) < 1:
        raise InputError(f"block_size must be a positive integer (got {block_size})")
    rows = rows_until(panel.dates, as_of)
    if rows == 0:
        first = f"{panel.dates[0]:%Y-%m-%d}" if len(panel.dates) else "none"
        raise InputError(f"{panel.source}: no panel rows on or before {as_of:%Y-%m-%d} "
                         f"(first date {first})")
    dates = panel.dates[:rows]
    when = dates[-1]
    out = []
    excluded: dict[str, ExcludedRows] = {}
    for members in segments:
        if not members.tickers:
            raise InputError(f"{members.source}: segment {members.segment!r} has no members")
    with ExitStack() as stack:
        client = None
        if scheduler:
            from rotascope.pipeline.breadth_dask import dask_client, parse_scheduler

            parse_scheduler(scheduler)  # a bad spelling fails before anything starts
            client = stack.enter_context(dask_client(scheduler))  # one cluster for all segments
        for members in segments:
            matched = match_tickers(members.tickers, panel.tickers)
            order = list(dict.fromkeys(matched[t] for t in members.tickers if t in matched))
            scan = _scan(panel, order, rows, int(block_size), client, progress)
            seg = _segment(members, matched, order, scan, dates, when, panel.source)
            for e in seg.excluded:
                excluded.setdefault(e.ticker, e)
            out.append(seg)
    ex = list(excluded.values())
    if ex:
        warnings.warn(excluded_rows_warning(panel.source, ex), RotascopeWarning, stacklevel=2)
    return BreadthResult(as_of=when, segments=out, source=panel.source, excluded=ex)
