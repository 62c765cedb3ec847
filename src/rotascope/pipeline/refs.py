"""Series and events references shared by the fundamentals commands and the report.

A series reference is resolved in this order:

1. ``sample:SYMBOL``: a series of the embedded offline sample (``sample:baa``, ``sample:vix``);
2. ``file:PATH[#COLUMN][@SECTION]``: a file (CSV, Parquet, Ken French, Shiller ``ie_data``),
   PATH relative to the data folder when given. COLUMN may list several columns separated by
   commas, averaged on their common dates; ``SMALL`` and ``BIG`` stand for the three small and
   the three big Ken French 2x3 portfolios (``file:french/6_Portfolios_2x3.CSV#SMALL@BE/ME``),
   combined by market equity (number of firms x average market cap, from the same file): for
   BE/ME that is the size half's aggregate book-to-market;
3. a segment of the universe or a stored series, by the precedence of
   :mod:`rotascope.data.refs` (a name the user stored wins over a segment alias).

Every series comes back cut to what was known on the source's as-of date.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd

from rotascope.analytics.drivers import Change
from rotascope.analytics.events import check_events
from rotascope.analytics.valuation import Metric, composite, weighted_composite
from rotascope.data.file_cache import FileCache
from rotascope.data.fred_labels import FRED_LABELS, driver_name
from rotascope.data.loader import DataSource
from rotascope.data.refs import resolve_name
from rotascope.data.series import TimeSeries
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.formatting import one_line

__all__ = [
    "BUILTIN_EVENTS",
    "FRENCH_GROUPS",
    "KNOWN_DRIVERS",
    "driver_change",
    "guess_metric",
    "load_events",
    "resolve_series",
]

#: Ken French 2x3 size portfolios: the columns ``SMALL`` and ``BIG`` stand for.
FRENCH_GROUPS = {
    "small": ("SMALL LoBM", "ME1 BM2", "SMALL HiBM"),
    "big": ("BIG LoBM", "ME2 BM2", "BIG HiBM"),
}
_GROUP_DISPLAY = {"small": "small caps", "big": "large caps"}
#: Sections of a Ken French portfolio file whose product is each portfolio's market equity.
FRENCH_FIRMS, FRENCH_SIZE = "Number of Firms", "Average Market Cap"

#: Events files shipped with rotascope (``--events us-cpi``).
BUILTIN_EVENTS = {"us-cpi": ("us_cpi_releases.csv", "US CPI releases")}

#: Drivers' names by lower-case symbol: every series of the FRED table
#: (:data:`rotascope.data.fred_labels.FRED_LABELS`, article dropped: "2-year Treasury yield"),
#: and the embedded sample's symbols.
KNOWN_DRIVERS = {
    **{sid.lower(): driver_name(sid) or sid for sid in FRED_LABELS},
    "vix": "VIX", "baa": "Moody's BAA corporate yield", "aaa": "Moody's AAA corporate yield",
}


def _file_series(
    ref: str, data_dir: Path | None, cache: FileCache | None = None
) -> tuple[TimeSeries, str]:
    from rotascope.data.providers.files import read_file

    body = ref[len("file:"):]
    path_text, _, rest = body.partition("#")
    column_text, _, section = rest.partition("@")
    path = Path(path_text.strip()).expanduser()
    if not path.is_absolute() and data_dir is not None:
        path = data_dir / path
    columns = [c.strip() for c in column_text.split(",") if c.strip()]
    display = ""
    if len(columns) == 1 and columns[0].lower() in FRENCH_GROUPS:
        display = _GROUP_DISPLAY[columns[0].lower()]
        columns = list(FRENCH_GROUPS[columns[0].lower()])
    sec = section.strip() or None
    if len(columns) <= 1:
        ts = read_file(path, column=columns[0] if columns else None, section=sec, cache=cache)
        if not display and _is_shiller(path):
            display = "the S&P 500"
        return ts, display or ts.meta.symbol or path.stem
    parts = [read_file(path, column=c, section=sec, cache=cache) for c in columns]
    name = f"{path.stem}:{'+'.join(columns)}"
    first = parts[0].meta
    where = first.source.split(" [", 1)[0] + (f" section {sec!r}" if sec else "")
    if display:  # a Ken French size half: weighted by the portfolios' market equity
        weights = [
            read_file(path, column=c, section=FRENCH_FIRMS, cache=cache).data
            * read_file(path, column=c, section=FRENCH_SIZE, cache=cache).data
            for c in columns
        ]
        values = weighted_composite([p.data for p in parts], weights, name)
        how = (f"market-equity-weighted mean of {', '.join(columns)} (weights: "
               f"{FRENCH_FIRMS!r} x {FRENCH_SIZE!r} of the same file)")
    else:
        values = composite([p.data for p in parts], name)
        how = f"mean of {', '.join(columns)}"
    meta = first.replace(name=name, symbol=",".join(columns), source=f"{how}: {where}")
    return TimeSeries(values, meta), display or name


def _is_shiller(path: Path) -> bool:
    from rotascope.data.formats.shiller import is_shiller_csv

    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return is_shiller_csv(head)


def resolve_series(
    ref: str, universe: Universe, source: DataSource
) -> tuple[TimeSeries, str]:
    """Resolve a command-line series reference into ``(series, display name)``.

    See the module docstring for the forms accepted. Return series stay returns.
    """
    text = ref.strip()
    if not text:
        raise InputError("empty series name")
    if text.lower().startswith("sample:"):
        from rotascope.data.providers.sample import SampleProvider

        ts = source.point_in_time(SampleProvider().fetch(text.split(":", 1)[1]))
        return ts, ts.meta.symbol
    if text.lower().startswith("file:"):
        ts, display = _file_series(text, source.data_dir, source.file_cache)
        return source.point_in_time(ts), display
    ref_ = resolve_name(text, universe, source)
    if ref_.segment is not None:
        return source.segment_raw(universe, ref_.segment), ref_.segment.display
    return source.stored(ref_.stored), ref_.stored


def guess_metric(ts: TimeSeries) -> tuple[Metric, str]:
    """How to read a valuation series: (metric direction, label), from its column and source."""
    symbol = ts.meta.symbol.strip()
    low = symbol.lower()
    if "be/me" in ts.meta.source.lower():
        weighted = "market-equity-weighted" in ts.meta.source
        return "yield", "aggregate BE/ME" if weighted else "BE/ME"
    if low in ("cape", "tr cape", "p/e", "pe"):
        return "multiple", {"p/e": "trailing P/E", "pe": "P/E"}.get(low, symbol)
    if low in ("e/p", "d/p", "excess cape yield"):
        return "yield", {"e/p": "earnings yield", "d/p": "dividend yield"}.get(low, symbol)
    if ts.meta.kind == "macro" and ts.meta.units == "percent":
        return "yield", "yield"
    return "level", symbol or ts.meta.name


def driver_change(ts: TimeSeries, change: str, scale: float | None) -> tuple[Change, float, str]:
    """(change, scale, units) for a driver: yields in percent -> bp, prices -> % change."""
    if change not in ("auto", "diff", "pct", "log"):
        raise InputError(f"--change must be one of: auto, diff, pct, log (got {change!r})")
    percent = ts.meta.units == "percent" and ts.meta.kind in ("macro", "valuation")
    if change == "auto":
        how: Change = "pct" if ts.meta.kind == "price" else "diff"
    else:
        how = change  # type: ignore[assignment]
    if scale is None:
        mult = 100.0 if (how == "diff" and percent) or how in ("pct", "log") else 1.0
    else:
        mult = float(scale)
    if how == "diff" and percent and mult == 100.0:
        units = "bp"
    elif how in ("pct", "log") and mult == 100.0:
        units = "%"
    elif how == "diff" and mult == 1.0:
        units = ts.meta.units or "points"
    else:
        units = "units"
    return how, mult, units


def load_events(ref: str) -> tuple[pd.DataFrame, str]:
    """Read an events file (``date,label,surprise``) or a built-in one (``us-cpi``).

    Returns
    -------
    (DataFrame, str)
        The checked events (:func:`rotascope.analytics.events.check_events`) and a plural noun
        for sentences.
    """
    key = ref.strip().lower()
    if key in BUILTIN_EVENTS:
        file, noun = BUILTIN_EVENTS[key]
        res = resources.files("rotascope.data").joinpath("samples", "events", file)
        with resources.as_file(res) as path:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return check_events(frame, origin=f"built-in events {key}"), noun
    path = Path(ref).expanduser()
    if not path.is_file():
        known = ", ".join(BUILTIN_EVENTS)
        raise InputError(f"{ref}: no such events file (built-in: {known})")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    except (OSError, ValueError, pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{ref}: cannot read events ({one_line(exc)})") from None
    return check_events(frame, origin=str(ref)), "events"
