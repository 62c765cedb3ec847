"""Names on the command line -> analysis subjects (prices with their display and source).

A name is a universe segment or a stored series, by the one precedence of
:mod:`rotascope.data.refs` (a name the user stored wins over a segment alias; ambiguity is an
error listing the candidates); prefixed references (``sample:``, ``file:``) go through
:func:`rotascope.pipeline.refs.resolve_series`. Whatever is read comes through a
:class:`~rotascope.data.loader.DataSource`, cut at its as-of date.
"""

from __future__ import annotations

from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.refs import resolve_name
from rotascope.data.series import TimeSeries
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.pipeline.subjects import Subject

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
