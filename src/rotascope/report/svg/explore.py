"""The data a line chart embeds so that ``report.js`` can make it explorable.

The static SVG stays the chart (and the fallback without script). Next to it the ``<svg>`` tag
carries a compact JSON document in its ``data-chart`` attribute: dates as day numbers (days since
1970-01-01, delta-encoded), values rounded to the axis's decimals plus two, line styles, the
band and episodes, the plot margins and domains, and how to print values and ticks. The script
redraws the lines and axes from it when the reader zooms or picks a range, moves a cursor with
the mouse, a finger or the arrow keys, and builds a visually hidden data table.

Formats are Python callables in the chart API; :func:`number_spec` finds the equivalent
``{multiplier, decimals, sign, suffix, grouping}`` rule that the script applies, by printing
probe values with both.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["EXPLORE_POINTS", "ExploreData", "Series", "Values", "encode", "number_spec", "value_decimals"]

#: Values of a line, aligned to the shared x (NaN: missing).
Values = Sequence[float] | np.ndarray

_NS_PER_DAY = 86_400_000_000_000
_PROBES = (0.0123456, 0.123456, -0.0456, 1.5, 3.14159, -12.3456, 45.678, 123.456, -2345.678, 0.0)
_TICK_PROBES = (0.0, 0.25, -0.5, 2.0, 1500.0, -0.05)
#: Default number of points a chart embeds (static lines draw at most 1500).
EXPLORE_POINTS = 4000
#: Used when no rule reproduces a format: two decimals, no sign, no suffix.
FALLBACK_SPEC: dict[str, object] = {"m": 1, "d": 2, "s": 0, "u": "", "g": 1}


def _render(v: float, m: int, d: int, signed: bool, suffix: str, grouping: bool) -> str:
    """Python twin of ``fmtNum`` in ``report.js``."""
    x = round(v * m, d)
    x = 0.0 if x == 0 else x
    text = f"{x:,.{d}f}" if grouping else f"{x:.{d}f}"
    return ("+" if signed and x > 0 else "") + text + suffix


def _needed_decimals(x: float) -> int:
    for d in range(7):
        if abs(round(x, d) - x) < 1e-9 * max(1.0, abs(x)):
            return d
    return 6


def _suffix(fmt: Callable[[float], str]) -> str:
    text = fmt(1.5)
    i = len(text)
    while i > 0 and not text[i - 1].isdigit():
        i -= 1
    return text[i:]


def _decade(v: float) -> int:
    """``floor(log10(|v|))``, and -99 for zero (the smallest magnitude)."""
    return math.floor(math.log10(abs(v))) if v else -99


def _decimals_by_decade(
    fmt: Callable[[float], str], m: int, signed: bool, suffix: str, grouping: bool
) -> dict[int, int] | None:
    """Decimals of ``fmt`` per decade of the printed magnitude, or None when some probe prints
    differently from every rule."""
    found: dict[int, int] = {}
    for v in _PROBES:
        ds = [d for d in range(7) if fmt(v) == _render(v, m, d, signed, suffix, grouping)]
        if not ds:
            return None
        k = _decade(v * m)
        if found.setdefault(k, ds[0]) != ds[0] and found[k] not in ds:
            return None
    return found


def _tick_rule(fmt: Callable[[float], str], suffix: str) -> dict[str, object] | None:
    for m in (1, 100):
        for signed in (False, True):
            for grouping in (True, False):
                if all(fmt(v) == _render(v, m, _needed_decimals(round(v * m, 9)), signed, suffix,
                                          grouping) for v in _TICK_PROBES):
                    return {"m": m, "s": int(signed), "u": suffix, "g": int(grouping)}
    return None


def number_spec(fmt: Callable[[float], str], *, tick: bool = False) -> dict[str, object] | None:
    """The printing rule that reproduces ``fmt``, or None when there is none.

    Parameters
    ----------
    fmt : callable
        A formatter of floats.
    tick : bool, default False
        A tick formatter: decimals are left to the script (as many as the tick step needs) and
        the returned ``d`` is omitted.

    Returns
    -------
    dict or None
        ``m`` (multiplier, 1 or 100), ``d`` (decimals), ``s`` (1: a ``+`` on positive values),
        ``u`` (suffix such as ``%``) and ``g`` (1: thousands separators). A format whose
        decimals depend on the magnitude (``39.4`` but ``1.21``) also gets ``dd``: pairs
        ``[decade, decimals]``, largest decade first, for values of at least ``10**decade``
        (printed units); ``d`` is then the most decimals.

    Examples
    --------
    >>> from rotascope.formatting import format_pct
    >>> number_spec(format_pct)
    {'m': 100, 'd': 1, 's': 1, 'u': '%', 'g': 0}
    >>> number_spec(lambda v: f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}")["dd"]
    [[3, 1], [2, 1], [1, 1], [0, 2], [-1, 2], [-2, 2], [-99, 2]]
    """
    try:
        suffix = _suffix(fmt)
        if tick:
            return _tick_rule(fmt, suffix)
        for m in (1, 100):
            for signed in (False, True):
                for grouping in (True, False):
                    found = _decimals_by_decade(fmt, m, signed, suffix, grouping)
                    if found is None:
                        continue
                    spec: dict[str, object] = {"m": m, "d": max(found.values()),
                                               "s": int(signed), "u": suffix, "g": int(grouping)}
                    if len(set(found.values())) > 1:
                        spec["dd"] = [[k, found[k]] for k in sorted(found, reverse=True)]
                    return spec
    except (TypeError, ValueError):
        return None
    return None


def value_decimals(tick_decimals: int, spec: Mapping[str, object] | None) -> int:
    """Decimals kept for embedded values: the axis's plus two, at least what readouts print.

    Both ``tick_decimals`` and the result count in the data's units (a fraction printed as a
    percentage with one decimal needs three).

    Examples
    --------
    >>> value_decimals(2, {"m": 100, "d": 1}), value_decimals(0, {"m": 1, "d": 1})
    (4, 2)
    """
    shift = 2 if spec is not None and spec.get("m") == 100 else 0
    printed = int(str(spec.get("d", 0))) if spec is not None else 2  # the most decimals
    return min(10, max(tick_decimals + 2, printed + shift))


def _number(v: float, decimals: int) -> float | int | None:
    if not math.isfinite(v):
        return None
    r = round(v, decimals)
    if r == int(r) and abs(r) < 2**53:
        return int(r)
    return r


@dataclass
class Series:
    """One line of the embedded data: style and values aligned to the shared x."""

    label: str
    color: str
    values: Values
    width: float = 1.6
    dashed: bool = False
    opacity: float = 1.0


@dataclass
class ExploreData:
    """Everything the script needs to redraw, read out and tabulate a line chart.

    Attributes
    ----------
    x : numpy.ndarray
        Positions: nanoseconds since the epoch (``dated``) or plain numbers.
    dated : bool
        Whether the x axis is a calendar (range buttons, zoom) or numbers (cursor only).
    series : list of Series
        The lines.
    margins : (float, float, float, float)
        Left, right, top and bottom margin of the static chart.
    x_domain, y_domain : (float, float)
        Domains of the static chart (x in the units of ``x``).
    width, height : int
        Size of the viewBox.
    """

    x: np.ndarray
    dated: bool
    series: list[Series]
    margins: tuple[float, float, float, float]
    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    width: int
    height: int
    value_format: Callable[[float], str]
    tick_format: Callable[[float], str] | None
    tick_decimals: int
    reference: float | None = None
    vline: float | None = None
    band: tuple[str, Values, Values] | None = None
    episodes: Sequence[tuple[pd.Timestamp, pd.Timestamp, str, str]] = ()
    last: int = -1
    markers: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _days(ns: float) -> int:
    return int(ns // _NS_PER_DAY)


def _x_part(data: ExploreData) -> dict[str, object]:
    if not data.dated:
        xs = [_number(float(v), 6) for v in data.x]
        return {"x": "n", "t": xs, "xd": [_number(v, 6) for v in data.x_domain]}
    days = [_days(float(v)) for v in data.x]
    deltas = [days[0], *(b - a for a, b in zip(days, days[1:], strict=False))] if days else []
    return {"x": "d", "t": deltas, "xd": [round(v / _NS_PER_DAY, 4) for v in data.x_domain]}


def encode(data: ExploreData) -> str:
    """The compact JSON for the ``data-chart`` attribute.

    Parameters
    ----------
    data : ExploreData
        The chart's embedded data.

    Returns
    -------
    str
        JSON without spaces; dates as delta-encoded day numbers, values rounded by
        :func:`value_decimals`, missing values as ``null``.
    """
    vspec = number_spec(data.value_format) or FALLBACK_SPEC
    tspec = number_spec(data.tick_format, tick=True) if data.tick_format else None
    tspec = tspec or {"m": 1, "s": 0, "u": "", "g": 1}
    dec = value_decimals(data.tick_decimals, vspec)
    doc: dict[str, object] = _x_part(data)
    doc["s"] = [
        {"l": s.label, "c": s.color, "w": s.width, "k": int(s.dashed), "o": s.opacity,
         "y": [_number(float(v), dec) for v in s.values]}
        for s in data.series
    ]
    if data.band is not None:
        label, lo, hi = data.band
        doc["b"] = {"l": label, "lo": [_number(float(v), dec) for v in lo],
                    "hi": [_number(float(v), dec) for v in hi]}
    if data.episodes:
        doc["e"] = [[_days(float(a.value)), _days(float(b.value)), tone, label]
                    for a, b, tone, label in data.episodes]
    doc["pm"] = [round(v, 1) for v in data.margins]
    doc["yd"] = [_number(v, dec + 2) for v in data.y_domain]
    doc["wh"] = [data.width, data.height]
    doc["fv"], doc["ft"], doc["td"] = vspec, tspec, data.tick_decimals
    if data.reference is not None and math.isfinite(data.reference):
        doc["r"] = data.reference
    if data.vline is not None:
        doc["vl"] = data.vline
    if data.last >= 0:
        doc["lv"] = data.last
    if data.markers:
        doc["mk"] = 1
    doc.update(data.extra)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
