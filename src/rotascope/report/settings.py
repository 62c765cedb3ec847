"""The optional ``[report]`` table of a universe file: what the report's fundamentals sections show.

::

    [report]
    factors = ["ff-size", "ff-value", "ff-momentum"]    # default: the segments in group "factor"

    [[report.valuation]]
    series = "file:valuation/ie_data.csv#CAPE"          # stored name, segment, sample:SYM, file:...
    title = "S&P 500: Shiller CAPE"                     # heading (default: display + label)
    display = "the S&P 500"                              # how sentences name it
    label = "CAPE"                                       # metric name in sentences
    metric = "cape"                                      # cheap/expensive direction (default: guessed)
    lookback = "20y"
    # versus = "file:..."  how = "ratio" | "spread"  versus_display = "large caps"
    # noun = "the BAA-AAA yield spread"                 # whole noun phrase of sentences
    # note = "..."                                       # a line printed under the item

    [[report.drivers]]
    pair = "small-vs-large"                              # a pair of the universe
    driver = "file:macro/DGS2.csv"
    label = "2-year Treasury yield"                      # optional

    [[report.events]]
    pair = "small-vs-large"
    events = "us-cpi"                                    # a built-in list or a CSV (date,label,surprise)
    window = "-1:5"                                      # optional, rows around day 0
    estimation = "-260:-11"                              # optional

    [report.earnings]                                    # optional: your files
    earnings = "earnings/earnings.csv"
    membership = "earnings/membership.csv"
    revisions = "earnings/revisions.csv"

    [report.scorecard]
    fundamentals = "earnings/fundamentals.csv"

Series references are those of ``rotascope valuation``/``drivers`` (``file:`` paths relative to
``--data-dir``); file paths of events, earnings and fundamentals are relative to ``--data-dir``
too. ``show = false`` in ``[report.earnings]`` or ``[report.scorecard]`` leaves that section out.
Without files, the earnings and scorecard sections appear only in a report on the embedded sample
or when the file asks for the shipped made-up sample files by name (``sample = true``), and even
then only when the sample's date is not after the report's as-of date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rotascope.data.universe import Universe
from rotascope.errors import InputError

__all__ = [
    "DriverRef",
    "EventsRef",
    "FilesRef",
    "ReportSettings",
    "ValuationRef",
    "parse_report_settings",
    "report_settings",
]

_KEY = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _KEY.sub("-", text.lower()).strip("-") or "item"


@dataclass(frozen=True)
class ValuationRef:
    """One valuation series (or a ratio/spread of two) of the report's valuation section."""

    key: str
    series: str
    versus: str = ""
    how: str = "ratio"
    metric: str = ""
    label: str = ""
    display: str = ""
    versus_display: str = ""
    noun: str = ""
    title: str = ""
    lookback: str = "20y"
    note: str = ""


@dataclass(frozen=True)
class DriverRef:
    """A pair's rolling sensitivity to a driver series."""

    key: str
    pair: str
    driver: str
    label: str = ""
    window: int | None = None
    change: str = "auto"


@dataclass(frozen=True)
class EventsRef:
    """An event study of a pair around the dates of an events file."""

    key: str
    pair: str
    events: str = "us-cpi"
    name: str = ""
    window: tuple[int, int] = (-1, 5)
    estimation: tuple[int, int] = (-260, -11)


@dataclass(frozen=True)
class FilesRef:
    """Data files of the earnings or scorecard section.

    ``sample``: the user asked for the shipped made-up sample files by name (``sample = true``);
    without files and without it, only a report on the embedded sample shows them.
    """

    show: bool = True
    files: dict[str, str] = field(default_factory=dict)
    sample: bool = False


@dataclass(frozen=True)
class ReportSettings:
    """What the fundamentals sections of a universe's report show (all optional)."""

    factors: tuple[str, ...] | None = None
    valuation: tuple[ValuationRef, ...] = ()
    drivers: tuple[DriverRef, ...] = ()
    events: tuple[EventsRef, ...] = ()
    earnings: FilesRef = field(default_factory=FilesRef)
    scorecard: FilesRef = field(default_factory=FilesRef)


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a table")
    return value


def _text(raw: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if value is None:
        raise InputError(f"{where}: missing required key {key!r}")
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string (got {type(value).__name__})")
    return value.strip()


def _known_keys(raw: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    extra = sorted(set(raw) - set(allowed))
    if extra:
        raise InputError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: "
                         f"{', '.join(sorted(allowed))}")


def _offsets(value: object, where: str, default: tuple[int, int]) -> tuple[int, int]:
    if value is None:
        return default
    try:
        if isinstance(value, str):
            lo, hi = (int(v) for v in value.replace("..", ":").split(":"))
        elif isinstance(value, list) and len(value) == 2:
            lo, hi = int(value[0]), int(value[1])
        else:
            raise ValueError
    except ValueError:
        raise InputError(f"{where} must look like \"-1:5\" or [-1, 5] (got {value!r})") from None
    if lo > hi:
        raise InputError(f"{where}: first ({lo}) must not exceed last ({hi})")
    return lo, hi


def _unique(key: str, seen: set[str], where: str) -> str:
    base, n = key, 2
    while key in seen:
        key, n = f"{base}-{n}", n + 1
    seen.add(key)
    return key


def _array(raw: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(f"{where}: '{key}' must be an array of tables ([[report.{key}]])")
    return items


def parse_report_settings(
    raw: object, *, origin: str, pairs: Iterable[str] = ()
) -> ReportSettings:
    """Check and type a universe's ``[report]`` table.

    Parameters
    ----------
    raw : dict
        The parsed table (``{}`` when the universe has none).
    origin : str
        File or built-in name, for messages.
    pairs : iterable of str
        Pair names of the universe: drivers and events must name one of them.

    Raises
    ------
    InputError
        Unknown keys, wrong types, a pair the universe does not have, bad offsets.
    """
    where = f"{origin}: [report]"
    doc = _table(raw, where)
    _known_keys(doc, ("factors", "valuation", "drivers", "events", "earnings", "scorecard"),
                where)
    pair_names = set(pairs)
    factors: tuple[str, ...] | None = None
    if "factors" in doc:
        value = doc["factors"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: 'factors' must be a list of series names")
        factors = tuple(v.strip() for v in value if v.strip())

    seen: set[str] = set()
    valuation = []
    for i, item in enumerate(_array(doc, "valuation", where), start=1):
        w = f"{where} valuation {i}"
        _known_keys(item, ("key", "series", "versus", "how", "metric", "label", "display",
                           "versus_display", "noun", "title", "lookback", "note"), w)
        series = _text(item, "series", w)
        how = _text(item, "how", w, "ratio")
        if how not in ("ratio", "spread"):
            raise InputError(f"{w}: how must be one of: ratio, spread (got {how!r})")
        label = _text(item, "label", w, "")
        key = _unique(_slug(_text(item, "key", w, "") or label or series.split("#")[-1]),
                      seen, w)
        valuation.append(ValuationRef(
            key=key, series=series, versus=_text(item, "versus", w, ""), how=how,
            metric=_text(item, "metric", w, ""), label=label,
            display=_text(item, "display", w, ""),
            versus_display=_text(item, "versus_display", w, ""),
            noun=_text(item, "noun", w, ""), title=_text(item, "title", w, ""),
            lookback=_text(item, "lookback", w, "20y"), note=_text(item, "note", w, ""),
        ))

    def pair_of(item: dict[str, Any], w: str) -> str:
        name = _text(item, "pair", w).lower()
        if name not in pair_names:
            known = ", ".join(sorted(pair_names)) or "none"
            raise InputError(f"{w}: unknown pair {name!r} (pairs: {known})")
        return name

    drivers = []
    for i, item in enumerate(_array(doc, "drivers", where), start=1):
        w = f"{where} drivers {i}"
        _known_keys(item, ("pair", "driver", "label", "window", "change"), w)
        pair = pair_of(item, w)
        driver = _text(item, "driver", w)
        window = item.get("window")
        if window is not None and (not isinstance(window, int) or window < 3):
            raise InputError(f"{w}: window must be a whole number of rows, at least 3")
        change = _text(item, "change", w, "auto")
        if change not in ("auto", "diff", "pct", "log"):
            raise InputError(f"{w}: change must be one of: auto, diff, pct, log (got {change!r})")
        stem = driver.split("#")[0].split("/")[-1].split(":")[-1].rsplit(".", 1)[0]
        key = _unique(f"{pair}-{_slug(stem)}", seen, w)
        drivers.append(DriverRef(key=key, pair=pair, driver=driver,
                                 label=_text(item, "label", w, ""), window=window,
                                 change=change))

    events = []
    for i, item in enumerate(_array(doc, "events", where), start=1):
        w = f"{where} events {i}"
        _known_keys(item, ("pair", "events", "name", "window", "estimation"), w)
        pair = pair_of(item, w)
        file = _text(item, "events", w, "us-cpi")
        window = _offsets(item.get("window"), f"{w}: window", (-1, 5))
        estimation = _offsets(item.get("estimation"), f"{w}: estimation", (-260, -11))
        if estimation[1] >= window[0]:
            raise InputError(f"{w}: the estimation window must end before the event window")
        key = _unique(f"{pair}-{_slug(file.split('/')[-1].rsplit('.', 1)[0])}", seen, w)
        events.append(EventsRef(key=key, pair=pair, events=file,
                                name=_text(item, "name", w, ""), window=window,
                                estimation=estimation))

    def files(name: str, allowed: tuple[str, ...]) -> FilesRef:
        w = f"{where} {name}"
        raw_files = _table(doc.get(name, {}), w)
        _known_keys(raw_files, ("show", "sample", *allowed), w)
        show = raw_files.get("show", True)
        if not isinstance(show, bool):
            raise InputError(f"{w}: show must be true or false")
        sample = raw_files.get("sample", False)
        if not isinstance(sample, bool):
            raise InputError(f"{w}: sample must be true or false")
        files = {k: _text(raw_files, k, w) for k in allowed if k in raw_files}
        if sample and files:
            raise InputError(f"{w}: name files or sample = true, not both")
        return FilesRef(show=show, files=files, sample=sample)

    return ReportSettings(
        factors=factors, valuation=tuple(valuation), drivers=tuple(drivers),
        events=tuple(events),
        earnings=files("earnings", ("earnings", "membership", "revisions")),
        scorecard=files("scorecard", ("fundamentals",)),
    )


def report_settings(universe: Universe) -> ReportSettings:
    """The universe's ``[report]`` table, parsed and checked (errors name the universe file).

    Examples
    --------
    >>> from rotascope.data.universe import load_universe
    >>> [v.key for v in report_settings(load_universe("us")).valuation]
    ['cape', 'trailing-pe', 'size-be-me']
    """
    return parse_report_settings(universe.report_table, origin=universe.origin,
                                 pairs=[p.name for p in universe.pairs])
