"""Resolve command-line names (segments, stored series, ``sample:``/``file:`` references) into
analysis subjects and price series, and open the data source the commands read."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.refs import resolve_name
from rotascope.data.series import TimeSeries
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import InputError, MissingDataError, RotascopeWarning
from rotascope.pipeline.subjects import Subject

__all__ = ["MissingSegments", "data_source", "pair_subjects", "resolve_subject",
           "segment_subjects", "stored_subject", "truncate"]


class MissingSegments:
    """Collects segments without data, then says so once (or fails when none has data).

    A segment whose file is bad (any :class:`InputError` other than "no data") is left out
    with its own warning naming the file and the problem, at once.

    Parameters
    ----------
    only_bad_files : bool, default False
        Segments asked for by name: a segment without any data still raises; only bad files
        are left out.
    """

    def __init__(self, only_bad_files: bool = False) -> None:
        self.names: list[str] = []
        self.bad: list[str] = []
        self.only_bad_files = only_bad_files

    def __call__(self, name: str, exc: Exception) -> None:
        if isinstance(exc, MissingDataError):
            if self.only_bad_files:
                raise exc
            self.names.append(name)
            return
        self.bad.append(name)
        warnings.warn(f"segment {name!r} left out: {exc}", RotascopeWarning, stacklevel=2)

    def report(self, universe: Universe, loaded: int) -> None:
        """Raise when nothing loaded; else one warning naming the segments left out."""
        if loaded == 0 and self.bad and not self.names:
            raise InputError(
                f"no segment of universe {universe.name!r} could be read "
                f"({len(self.bad)} left out for bad files, see the warnings)"
            )
        if not self.names:
            return
        shown = ", ".join(self.names[:8]) + (f" and {len(self.names) - 8} more" if len(self.names) > 8 else "")
        if loaded == 0:
            raise InputError(
                f"no segment of universe {universe.name!r} has data: run `rotascope data fetch` "
                "(or `--provider files --data-dir DIR`), pass --data-dir, or use --universe sample"
            )
        warnings.warn(
            f"{len(self.names)} segments of universe {universe.name!r} have no data and are left "
            f"out: {shown} (run `rotascope data fetch SEGMENT` or pass --data-dir)",
            RotascopeWarning,
            stacklevel=2,
        )


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
    """A stored series as a subject; displayed like a universe segment when the name is one of
    its aliases (the data are the stored series' all the same)."""
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
    """A segment of the universe (stored, sample or file data) or a stored series, by the
    precedence of :mod:`rotascope.data.refs` (a name the user stored wins over an alias)."""
    ref = resolve_name(name, universe, source)
    if ref.segment is not None:
        seg = ref.segment
        ts = source.segment(universe, seg.name)
        return Subject(name=seg.name, display=seg.display, prices=ts.data,
                       source=ts.meta.source, frequency=ts.meta.frequency)
    try:
        return stored_subject(ref.stored, universe, source)
    except InputError as exc:
        hint = universe.suggest_segment(name)
        if hint is None:
            raise
        raise InputError(f"{exc} (did you mean segment {hint!r}?)") from None


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


def data_source(data_dir: Path | None, as_of: pd.Timestamp | None = None) -> DataSource:
    """The data source for CLI commands: rows known on ``as_of`` only, when given."""
    if data_dir is not None and not data_dir.is_dir():
        raise InputError(f"{data_dir}: --data-dir is not a folder")
    return DataSource(data_dir=data_dir, as_of=as_of)


def pair_subjects(a: str, b: str, universe: str, data_dir: Path | None,
                  as_of: pd.Timestamp | None = None) -> tuple[Subject, Subject]:
    """Subjects A and B of a pair command (``analogs``, ``episodes``); they must differ."""
    u = load_universe(universe)
    source = data_source(data_dir, as_of)
    sa, sb = resolve_subject(a, u, source), resolve_subject(b, u, source)
    if sa.name == sb.name:
        same = f"{a!r}" if a == b else f"{a!r} and {b!r}"
        raise InputError(f"A and B must differ: {same} name the same series twice "
                         f"({sa.name!r}); a series against itself has no relative move")
    return sa, sb
