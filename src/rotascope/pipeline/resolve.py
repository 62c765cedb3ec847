"""Names on the command line -> analysis subjects (prices with their display and source).

A name is a universe segment or a stored series, by the one precedence of
:mod:`rotascope.data.refs` (a name the user stored wins over a segment alias; ambiguity is an
error listing the candidates); prefixed references (``sample:``, ``file:``) go through
:func:`rotascope.pipeline.refs.resolve_series`. Whatever is read comes through a
:class:`~rotascope.data.loader.DataSource`, cut at its as-of date.
"""

from __future__ import annotations

from dataclasses import replace

from rotascope.data.fred_labels import check_reading, fred_label
from rotascope.data.loader import DataSource, returns_to_index
from rotascope.data.refs import resolve_name
from rotascope.data.series import TimeSeries
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.pipeline.refs import resolve_series
from rotascope.pipeline.subjects import Subject

__all__ = ["resolve_subject", "segment_subjects", "series_subject", "stored_subject"]


def series_subject(ts: TimeSeries, name: str, display: str, label: str | None = None,
                   reading: str | None = None) -> Subject:
    """A series as a subject, named and read by the first of: ``label``/``reading`` (the
    command line), the label stored with the series, the FRED table
    (:func:`~rotascope.data.fred_labels.fred_label` of its symbol), ``display``.

    Prices and returns (compounded to an index) are read as prices; a macro series as a level
    (changes as differences, or percent changes for a stock such as M2) unless the table says
    it is a price (the S&P 500 from FRED); ``reading`` overrides both.

    Raises
    ------
    InputError
        An unknown ``reading``; a valuation series without ``reading="level"``; returns read as
        a level.
    """
    if reading is not None:
        check_reading(reading)
    known = fred_label(ts.meta.symbol) if ts.meta.symbol else None
    kind = ts.meta.kind
    if kind == "return":
        if reading == "level":
            raise InputError(f"{name}: a return series cannot be read as a level")
        ts, use = returns_to_index(ts), "price"
    elif kind == "price":
        use = reading or "price"
    elif kind == "macro":
        use = reading or (known.reading if known is not None else "level")
    elif reading is not None:
        use = reading
    else:
        raise InputError(f"{name}: price analytics need a price or return series, not a {kind} "
                         "series (pass --kind level to describe it by its level)")
    text = label or ts.meta.label or (known.label if known is not None else "")
    if use != "level":
        change = "pct"
    elif known is not None and known.reading == "level":
        change = known.change
    else:
        change = "diff"
    units = ts.meta.units or (known.units if known is not None else "")
    return Subject(name=name, display=text or display, prices=ts.data, source=ts.meta.source,
                   frequency=ts.meta.frequency, reading=use, change=change, units=units,
                   verbatim=bool(text))


def stored_subject(name: str, universe: Universe, source: DataSource, label: str | None = None,
                   reading: str | None = None) -> Subject:
    """A stored series as a subject (:func:`series_subject`); displayed like a universe segment
    when the name is one of its aliases (the data are the stored series' all the same).
    ``file:`` and ``sample:`` references are read through
    :func:`~rotascope.pipeline.refs.resolve_series`."""
    if name.strip().lower().startswith(("file:", "sample:")):
        ts, display = resolve_series(name, universe, source)
        return series_subject(ts, name, display, label, reading)
    ts = source.stored(name)
    subject = series_subject(ts, name, name, label, reading)
    if universe.has_segment(name) and label is None and not ts.meta.label:
        subject = replace(subject, display=universe.segment(name).display, verbatim=False)
    return subject


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
