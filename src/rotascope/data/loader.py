"""Resolve universe segments and stored names into series ready for analysis.

Where a segment's data come from, in order:

1. a universe whose ``provider`` is ``"sample"`` reads the embedded offline sample;
2. otherwise the local store, under the segment's name (``rotascope data fetch SEGMENT`` puts it
   there);
3. otherwise, when a data folder is given (``--data-dir``), the segment's ``files`` entry.

A source made with ``as_of`` returns only the rows known on that date
(:func:`rotascope.data.availability.known_by`): every command and the report read through it, so
analytics receive point-in-time data.

Segments of kind ``"return"`` (factors, portfolios) are compounded into an index so that every
price analytic applies to them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from rotascope.data.availability import known_by
from rotascope.data.file_cache import FileCache
from rotascope.data.series import TimeSeries
from rotascope.data.store import Store
from rotascope.data.universe import Segment, Universe
from rotascope.errors import InputError, MissingDataError

__all__ = ["DataSource", "returns_to_index"]


def returns_to_index(ts: TimeSeries, base: float = 100.0) -> TimeSeries:
    """Compound a return series into an index.

    Parameters
    ----------
    ts : TimeSeries
        Returns as fractions (0.01 = 1%), one per date; every return must be above -1 (-100%).
    base : float, default 100.0
        The level before the first return.

    Returns
    -------
    TimeSeries
        The index on the same dates, float64; ``meta`` is that of ``ts`` with ``kind="price"``,
        ``units="index (<base> before the first return)"`` and ``source="cumulative index of
        <source>"`` (its other fields unchanged).

    Raises
    ------
    InputError
        A missing (NaN) return, or a return of -100% or worse, naming the series and the date.

    Notes
    -----
    ``I[t] = base * prod_{s <= t} (1 + r[s])``: the index on a return's date includes that
    return, so the N-row return of the index, ``I[t] / I[t-N] - 1``, equals the compounded
    return of rows ``t-N+1 .. t``. The first return only enters through the level. A NaN
    return is refused rather than compounded (``numpy.cumprod`` would make its row and every
    later row NaN); an empty series stays empty.
    """
    values = ts.data.to_numpy(dtype="float64")
    missing = np.flatnonzero(np.isnan(values))  # cumprod would make every later row NaN too
    if missing.size:
        day = ts.data.index[int(missing[0])].strftime("%Y-%m-%d")
        raise InputError(f"{ts.name}: missing return on {day}; an index cannot be compounded "
                         "across a gap (drop or fill the row first)")
    if (values <= -1).any():
        pos = int(np.flatnonzero(values <= -1)[0])
        day = ts.data.index[pos].strftime("%Y-%m-%d")
        raise InputError(f"{ts.name}: return of {values[pos]:g} on {day} is -100% or worse")
    index = pd.Series(base * np.cumprod(1.0 + values), index=ts.data.index, name=ts.name)
    meta = ts.meta.replace(
        kind="price",
        units=f"index ({base:g} before the first return)",
        source=f"cumulative index of {ts.meta.source}",
    )
    return TimeSeries(index, meta)


@dataclass(frozen=True)
class DataSource:
    """Where analysis commands read series from.

    Parameters
    ----------
    store_path : Path, optional
        The DuckDB store (default: under ``$ROTASCOPE_HOME``).
    data_dir : Path, optional
        A folder of files that universe ``files`` entries are relative to.
    file_cache : FileCache, optional
        Files this source has parsed (a new, empty memo by default): one source serves one job,
        such as a report build, and parses each file once for all the columns it reads.
    as_of : Timestamp, optional
        Keep only the rows known on or before this date (period end plus publication lag).
    """

    store_path: Path | None = None
    data_dir: Path | None = None
    as_of: pd.Timestamp | None = None
    #: Files parsed by this source: each is parsed once however many of its columns are read.
    file_cache: FileCache = field(default_factory=FileCache, compare=False, hash=False,
                                  repr=False)
    #: Segments this source has read from the store or the files, by name and series: a report
    #: reads a segment for the market table and again for a section (drivers, valuation), and
    #: the second read opens no store connection. Like ``file_cache``, one job's memo.
    _segments: dict[tuple[object, ...], TimeSeries] = field(
        default_factory=dict, compare=False, hash=False, repr=False)

    def _store(self) -> Store:
        # analysis only reads: a shared lock, so reports and facts never block each other
        return Store(self.store_path, read_only=True)

    def point_in_time(self, ts: TimeSeries) -> TimeSeries:
        """``ts`` cut to the rows known on this source's as-of date (unchanged without one).

        Raises
        ------
        MissingDataError
            No row of ``ts`` is known on the as-of date.
        """
        cut = known_by(ts, self.as_of)
        if cut.data.empty and not ts.data.empty:
            raise MissingDataError(
                f"{ts.name}: no data known on or before {self.as_of:%Y-%m-%d} "
                f"(first row {ts.data.index[0]:%Y-%m-%d})"
            )
        return cut

    def stored(self, name: str) -> TimeSeries:
        """Read a stored series by the name it was imported or fetched under."""
        with self._store() as store:
            return self.point_in_time(store.read(name))

    def segment_raw(
        self, universe: Universe, segment: Segment, store: Store | None = None
    ) -> TimeSeries:
        """The segment's series as stored or provided (returns stay returns).

        ``store``: an open store to read from (default: opened for this read).
        """
        if universe.provider == "sample":
            from rotascope.data.providers.sample import SampleProvider

            symbol = segment.series.get("sample")
            if symbol is None:
                raise InputError(f"segment {segment.name!r} has no 'sample' series")
            ts = SampleProvider().fetch(symbol)
            return self.point_in_time(TimeSeries(ts.data, ts.meta.replace(name=segment.name)))
        key = (segment.name, tuple(sorted(segment.series.items())))
        if key not in self._segments:
            self._segments[key] = self._segment_read(segment, store)
        ts = self._segments[key]
        return TimeSeries(ts.data.copy(deep=False), ts.meta)  # callers may rename or modify it

    def _segment_read(self, segment: Segment, store: Store | None) -> TimeSeries:
        with self._store() if store is None else nullcontext(store) as st:
            if st.exists(segment.name):
                return self.point_in_time(st.read(segment.name))
        if self.data_dir is not None and "files" in segment.series:
            from rotascope.data.providers.files import FilesProvider

            ts = FilesProvider(self.data_dir, self.file_cache).fetch(segment.series["files"])
            return self.point_in_time(TimeSeries(ts.data, ts.meta.replace(name=segment.name)))
        providers = ", ".join(sorted(segment.series))
        raise MissingDataError(
            f"no data for segment {segment.name!r}: run `rotascope data fetch {segment.name}` "
            f"(providers: {providers}) or pass --data-dir with the files"
        )

    def segment(self, universe: Universe, name: str, store: Store | None = None) -> TimeSeries:
        """The segment's series as prices (return series compounded into an index)."""
        seg = universe.segment(name)
        ts = self.segment_raw(universe, seg, store)
        if seg.kind == "return" or ts.meta.kind == "return":
            ts = returns_to_index(ts)
        return ts

    def segments(
        self,
        universe: Universe,
        names: list[str] | None = None,
        *,
        on_missing: Callable[[str, Exception], None] | None = None,
    ) -> dict[str, TimeSeries]:
        """Load several segments (all of the universe by default) as prices.

        Segments without data raise, unless ``on_missing`` is given: it is then called with the
        segment name and the error, and the segment is left out.
        """
        out: dict[str, TimeSeries] = {}
        with self._store() as store:  # one connection for all segments
            for name in names or [s.name for s in universe.segments]:
                seg = universe.segment(name)
                try:
                    out[seg.name] = self.segment(universe, seg.name, store)
                except InputError as exc:
                    if on_missing is None:
                        raise
                    on_missing(seg.name, exc)
        return out
