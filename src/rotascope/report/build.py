"""Build a :class:`ReportModel` for one as-of date from a universe and its data.

Loads the market point in time (:func:`rotascope.pipeline.market.load_market`), computes the
market facts once, builds every section of :data:`rotascope.report.sections.SECTIONS` in page
order (the headline last: it reads the others' facts), then the sources table and notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pandas as pd

from rotascope import __version__
from rotascope.data.availability import date_staleness
from rotascope.data.loader import DataSource
from rotascope.data.panel import PanelReader
from rotascope.data.panel_members import SegmentMembers
from rotascope.data.universe import Universe
from rotascope.pipeline.market import load_market
from rotascope.pipeline.subjects import Windows
from rotascope.report.context import ReportContext, market_facts
from rotascope.report.model import ReportModel
from rotascope.report.sections import SECTIONS
from rotascope.report.sections.base import Section, warn_missing

__all__ = ["build_report"]


def _row_stale(row: dict[str, object], when: pd.Timestamp) -> bool:
    """Whether a fundamentals source row (``last``, ``frequency``) is stale on ``when``; rows
    without a frequency (made-up sample files, dated by themselves) are not judged."""
    last, freq = row.get("last"), row.get("frequency")
    if not freq or last is None:
        return False
    return date_staleness(pd.Timestamp(str(last)), str(freq), when).stale


def build_report(
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None = None,
    *,
    on_missing: Callable[[str, Exception], None] | None = None,
    data_note: str = "",
    allow_stale: bool = False,
    windows: Windows | None = None,
    breadth: tuple[PanelReader, list[SegmentMembers]] | None = None,
    progress: Callable[[str], None] | None = None,
    sections: Sequence[Section] = SECTIONS,
) -> ReportModel:
    """Compute everything a report shows for ``as_of`` (default: the latest date with data).

    Parameters
    ----------
    universe : Universe
        Segments and pairs to cover.
    source : DataSource
        Where segment data come from (sample, store or files).
    as_of : Timestamp, optional
        Use only data on or before this date.
    on_missing : callable, optional
        Called with (segment or item, error) for what is left out for lack of data; without it
        a missing segment raises and a missing section item warns.
    data_note : str
        Says where the data come from (e.g. "embedded offline sample data").
    allow_stale : bool
        Build the report even when every segment's data are stale on ``as_of`` (by default an
        error naming the last date available).
    windows : tuple, optional
        N-row windows of the facts (:func:`~rotascope.pipeline.subjects.parse_windows`)
        instead of each frequency's defaults.
    breadth : (PanelReader, list of SegmentMembers), optional
        Panel and segments of the Breadth section (default: the universe's ``[breadth]``
        table, if any; without either the section is left out).
    progress : callable, optional
        Called with the name of each step as it starts (for a status line).
    sections : sequence of Section
        The sections, in page order (default: all of them).

    Raises
    ------
    InputError
        No segment has data, or (without ``allow_stale``) ``as_of`` is later than every
        segment's data allow: the latest row of each is stale on it.
    """
    step = progress or (lambda what: None)
    market = load_market(universe, source, as_of, on_missing=on_missing, allow_stale=allow_stale,
                         progress=step)
    step("facts")
    ctx = ReportContext(market=market, market_facts=market_facts(market, windows),
                        sections=sections, missing=on_missing or warn_missing, breadth=breadth,
                        progress=step)
    for sec in [s for s in sections if not s.last] + [s for s in sections if s.last]:
        step(sec.title.lower())
        ctx.built[sec.key] = sec.build(ctx)
    when, subjects = market.when, market.subjects
    shown = [s for s in sections if not (s.optional and ctx.built[s.key].panel is None)]
    built = [ctx.built[s.key] for s in shown]
    displays = {s.display for s in subjects.values()}
    sources = pd.DataFrame([
        *({"series": s.display, "source": s.source, "first": s.prices.index[0].date(),
           "last": s.prices.index[-1].date(), "frequency": s.frequency,
           "stale": market.ages[n].stale} for n, s in subjects.items()),
        *({**row, "stale": _row_stale(row, when)}
          for b in built for row in b.sources if row["series"] not in displays),
    ])
    notes = [n for b in built for n in b.notes]
    stale = sources[sources["stale"].astype(bool)] if "stale" in sources else sources.iloc[:0]
    if len(stale):
        names = [f"{r['series']} (to {r['last']})" for _, r in stale.iterrows()]
        shown_names = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        notes.append(f"Stale on {when:%Y-%m-%d}, so never a headline: {shown_names}.")
    return ReportModel(
        title=f"Where money is rotating: {universe.description}" if len(universe.description) < 60
        else f"Where money is rotating: universe {universe.name}",
        as_of=when.date(),
        universe=universe.name,
        version=__version__,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        data_note=data_note,
        panels={s.key: ctx.built[s.key].panel for s in shown},
        sources=sources,
        methods=[m for s in shown for m in s.methods],
        notes=notes,
        sections=tuple(shown),
    )
