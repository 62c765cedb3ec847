"""The data a report shows, independent of its format (HTML, Markdown, JSON).

The builder (:mod:`rotascope.report.build`) fills a :class:`ReportModel`: report-wide fields and
one panel per section of :data:`rotascope.report.sections.SECTIONS`, by the section's key. Each
panel's type lives in its section's module; renderers only format them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

__all__ = ["Headline", "ReportModel", "freshness_line"]


@dataclass(frozen=True)
class Headline:
    """One notable fact as a sentence with a link to its evidence.

    ``anchor`` is the HTML id of the evidence element (a table row or chart), ``fact`` the fact's
    full-precision JSON record. ``sample`` marks facts computed from made-up sample files
    (renderers label them). ``also`` are the same move of related segments, folded into this
    story (:func:`~rotascope.narrative.headlines.pick_stories`), each ``{"text": "Russell 1000
    Growth -2.8%", "anchor": ..., "fact": ...}``.
    """

    sentence: str
    kind: str
    anchor: str
    fact: dict[str, Any]
    sample: bool = False
    also: tuple[dict[str, Any], ...] = ()

    def data_date(self, as_of: dt.date) -> str:
        """``"data of June 2024"`` when the fact's own data date is not the report's date (a
        month for period data, a day for daily data), else ``""``."""
        day = self.fact.get("as_of")
        if not day or str(day) == str(as_of):
            return ""
        stamp = pd.Timestamp(day)
        freq = self.fact.get("details", {}).get("frequency", "daily")
        text = stamp.strftime("%B %Y") if freq in ("monthly", "quarterly") else (
            stamp.strftime("%Y") if freq == "annual" else f"{stamp:%B} {stamp.day}, {stamp.year}")
        return f"data of {text}"


def freshness_line(sources: pd.DataFrame) -> str:
    """The latest date of each source, grouped: ``"2024-07-18: S&P 500, Russell 2000 and 31
    more; June 2024: Shiller CAPE, ..."`` (latest first; stale ones marked)."""
    if sources is None or sources.empty or "last" not in sources:
        return ""
    groups: dict[tuple[str, bool], list[str]] = {}
    order: list[tuple[pd.Timestamp, str, bool]] = []
    for r in sources.itertuples(index=False):
        last = getattr(r, "last", None)
        if last is None or pd.isna(last):
            continue
        stamp = pd.Timestamp(last)
        freq = str(getattr(r, "frequency", "daily") or "daily")
        label = stamp.strftime("%B %Y") if freq in ("monthly", "quarterly") else (
            f"{stamp:%Y-%m-%d}")
        stale = bool(getattr(r, "stale", False))
        key = (label, stale)
        if key not in groups:
            groups[key] = []
            order.append((stamp, label, stale))
        groups[key].append(str(r.series))
    parts = []
    for _, label, stale in sorted(order, key=lambda o: o[0], reverse=True):
        names = groups[(label, stale)]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        parts.append(f"{label}{' (stale)' if stale else ''}: {shown}")
    return "; ".join(parts)


@dataclass(frozen=True)
class ReportModel:
    """Everything one report shows.

    Attributes
    ----------
    title, universe, version, data_note : str
        Report-wide texts.
    as_of : date
        The report's date: nothing after it was used.
    generated_at : datetime
        When the report was built.
    panels : mapping
        Section key -> what the section shows (None: nothing); read a section's panel as an
        attribute too: ``model.valuation`` is ``model.panels["valuation"]``.
    sources : DataFrame
        One row per series used: ``series, source, first, last, frequency, stale``.
    methods : list of (term, definition)
        The definitions of the sections shown, in page order.
    notes : list of str
        Report-level notes (sections left out and why, stale data).
    sections : tuple of Section
        The sections shown, in page order (:class:`~rotascope.report.sections.base.Section`);
        empty: those of :data:`~rotascope.report.sections.SECTIONS` the model has panels for.
    """

    title: str
    as_of: dt.date
    universe: str
    version: str
    generated_at: datetime
    data_note: str
    panels: Mapping[str, Any]
    sources: pd.DataFrame
    methods: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sections: tuple[Any, ...] = ()

    def __getattr__(self, name: str) -> Any:
        panels = self.__dict__.get("panels")
        if panels is not None and name in panels:
            return panels[name]
        raise AttributeError(f"ReportModel has no attribute or section {name!r}")

    @property
    def headlines(self) -> list[Headline]:
        """The headline section's facts, most newsworthy first."""
        return list(self.panels.get("headline") or [])

    def replace(self, **changes: Any) -> ReportModel:
        """A copy with fields or sections' panels replaced (by field name or section key;
        ``headlines`` is the headline section's panel)."""
        fields = {f.name for f in dataclasses.fields(self)}
        panels = dict(self.panels)
        for key in [k for k in changes if k not in fields]:
            panels["headline" if key == "headlines" else key] = changes.pop(key)
        return dataclasses.replace(self, **{"panels": panels, **changes})
