"""Resolve command-line names (segments or stored series) into analysis subjects."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.series import TimeSeries
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.narrative.subjects import Subject

__all__ = ["resolve_subject", "segment_subjects", "stored_subject"]


def _subject(ts: TimeSeries, name: str, display: str) -> Subject:
    if ts.meta.kind == "return":
        ts = returns_to_index(ts)
    elif ts.meta.kind != "price":
        raise InputError(
            f"{name}: price analytics need a price or return series, not a {ts.meta.kind} series"
        )
    return Subject(name=name, display=display, prices=ts.data, source=ts.meta.source,
                   frequency=ts.meta.frequency)


def stored_subject(name: str, universe: Universe, source: DataSource) -> Subject:
    """A stored series as a subject; named like a universe segment when the name is an alias."""
    ts = source.stored(name)
    display = universe.segment(name).display if universe.has_segment(name) else name
    return _subject(ts, name, display)


def segment_subjects(universe: Universe, source: DataSource, names: list[str] | None,
                     on_missing: object = None) -> dict[str, Subject]:
    """Universe segments as subjects (all segments when ``names`` is empty)."""
    out: dict[str, Subject] = {}
    series = source.segments(universe, names or None, on_missing=on_missing)  # type: ignore[arg-type]
    for name, ts in series.items():
        seg = universe.segment(name)
        out[name] = Subject(name=name, display=seg.display, prices=ts.data,
                            source=ts.meta.source, frequency=ts.meta.frequency)
    return out


def resolve_subject(name: str, universe: Universe, source: DataSource) -> Subject:
    """A segment of the universe (stored, sample or file data) or else a stored series."""
    if universe.has_segment(name):
        seg = universe.segment(name)
        ts = source.segment(universe, seg.name)
        return Subject(name=seg.name, display=seg.display, prices=ts.data,
                       source=ts.meta.source, frequency=ts.meta.frequency)
    return stored_subject(name, universe, source)


def truncate(subject: Subject, as_of: pd.Timestamp | None) -> Subject:
    """The subject with data on or before ``as_of`` only."""
    if as_of is None:
        return subject
    prices = subject.prices[subject.prices.index <= as_of]
    if prices.empty:
        raise InputError(
            f"{subject.name}: no data on or before {as_of:%Y-%m-%d} "
            f"(starts {subject.prices.index[0]:%Y-%m-%d})"
        )
    return Subject(subject.name, subject.display, prices, subject.source, subject.frequency)


def data_source(data_dir: Path | None) -> DataSource:
    """The data source for CLI commands."""
    if data_dir is not None and not data_dir.is_dir():
        raise InputError(f"{data_dir}: --data-dir is not a folder")
    return DataSource(data_dir=data_dir)
