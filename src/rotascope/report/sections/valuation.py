"""Valuation: where each valuation the universe names (``[[report.valuation]]``) stands in its
trailing lookback: percentile, decile, distance to the median, record horizon, with a band chart
of the 10th to 90th percentile.

Each item is computed by :func:`rotascope.pipeline.valuation.valuation_run`, the function behind
``rotascope valuation``, and described by :func:`rotascope.narrative.valuation_facts.valuation_facts`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import pandas as pd

from rotascope.analytics.valuation import ValuationResult
from rotascope.formatting import format_date, format_pct, format_percentile, one_line
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact, with_data_age
from rotascope.narrative.valuation_facts import valuation_facts, value_text
from rotascope.narrative.wording import month_year
from rotascope.pipeline.valuation import valuation_run
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, esc
from rotascope.report.html_base import figure as _figure
from rotascope.report.html_base import note_paragraphs as _notes
from rotascope.report.html_base import open_section as _open
from rotascope.report.html_base import sentence_list as _sentences
from rotascope.report.html_base import stats_list as _stats
from rotascope.report.html_base import value_ticks as _value_ticks
from rotascope.report.markdown_base import md_bullets as _bullets
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import SKIP, Built, Rendering, Section, SectionJson, day
from rotascope.report.settings import ValuationRef, report_settings
from rotascope.report.svg import PALETTE, LineStyle, frame_chart

__all__ = ["SECTION", "ValuationItem", "ValuationPanel", "valuation_anchor", "valuation_item"]

_date = day

#: Years of history the valuation band chart shows (the band itself is the trailing lookback).
VALUATION_CHART_YEARS = 30


#: A valuation older than this (days) before the report date gets a note.
STALE_DAYS = 62

METHODS: tuple[tuple[str, str], ...] = (
    ("Valuation percentile", "Within the trailing lookback (20 years unless stated), the share of "
     "observations below today's value plus half the share equal to it; decile = ceil(10 x "
     "percentile), at least 1. The band chart shades the 10th to 90th percentile of the trailing "
     "lookback at each date, with its median dashed. Cheap means a low P/E or CAPE, a high BE/ME "
     "or yield."),
)


@dataclass(frozen=True)
class ValuationItem:
    """Where one valuation (or a ratio/spread of two) stands in its trailing lookback.

    Attributes
    ----------
    key : str
        Anchor key (from the universe's ``[report]`` table).
    title : str
        Heading ("S&P 500: Shiller CAPE").
    metric_label : str
        The metric's name in sentences ("CAPE", "BE/ME").
    units : str
        ``"fraction"``, ``"percent"`` or ``""``: how values print (see ``value_text``).
    value, percentile, median, distance, distance_pct, low, high : float
        Today's value, its percentile in the lookback (0-1), the lookback's median, ``value -
        median``, ``value / median - 1``, lowest and highest value of the lookback.
    decile : int
    lookback, lookback_start, observations, lookback_full
        The trailing window: label ("20y"), first date, number of observations and whether the
        history covers it.
    state : str
        ``cheap``, ``expensive``, ``high``, ``low`` or ``median`` vs the lookback median.
    record : str
        Record horizon: "highest since Nov 2021", "lowest on record (since Jan 1871)".
    record_since : date or None
    record_years : float
    sentences : list of str
        The facts' sentences (percentile, then the record when notable).
    series : pandas.DataFrame
        For the band chart: ``value, p10, p50, p90`` by date (the trailing lookback's 10th, 50th
        and 90th percentiles at every date).
    source : str
    note : str
        E.g. that the last observation is months older than the report date.
    """

    key: str
    title: str
    metric_label: str
    units: str
    date: date
    value: float
    percentile: float
    decile: int
    median: float
    distance: float
    distance_pct: float
    low: float
    high: float
    lookback: str
    lookback_start: dt.date  # dt.date: the field `date` shadows the type in this class
    observations: int
    lookback_full: bool
    state: str
    record: str
    record_since: dt.date | None
    record_years: float
    sentences: list[str]
    series: pd.DataFrame
    source: str
    note: str = ""


@dataclass(frozen=True)
class ValuationPanel:
    """The valuation section: its items and notes (items left out, what the data are)."""

    items: list[ValuationItem]
    notes: list[str] = field(default_factory=list)


def valuation_anchor(key: str) -> str:
    """Id of a valuation item (heading, numbers, sentences, band chart)."""
    return f"valuation-{anchor_slug(key)}"


def valuation_item(
    key: str,
    title: str,
    res: ValuationResult,
    facts: list[Fact],
    *,
    metric_label: str,
    units: str = "",
    source: str = "",
    when: pd.Timestamp | None = None,
) -> ValuationItem:
    """A valuation item from :func:`~rotascope.analytics.valuation_percentile` and its facts.

    ``when`` is the report date: an observation more than :data:`STALE_DAYS` older gets a note.
    The band chart keeps the last :data:`VALUATION_CHART_YEARS` years.
    """
    rec = res.record
    word = "highest" if rec.direction == "gain" else "lowest"
    if rec.on_record:
        record = f"{word} on record (since {month_year(rec.first_date)})"
    else:
        # not on record, so there is an earlier date at least as extreme
        record = f"{word} since {month_year(cast(pd.Timestamp, rec.since))}"
    frame = res.series[["value", "p10", "p50", "p90"]]
    frame = frame[frame.index >= res.date - pd.DateOffset(years=VALUATION_CHART_YEARS)]
    lag = (pd.Timestamp(when) - res.date).days if when is not None else 0
    note = (f"The last observation is from {res.date:%B %Y}, {lag} days before the report date: "
            "the source publishes with a lag." if lag > STALE_DAYS else "")
    return ValuationItem(
        key=key, title=title, metric_label=metric_label, units=units, date=res.date.date(),
        value=res.value, percentile=res.percentile, decile=res.decile, median=res.median,
        distance=res.distance, distance_pct=res.distance_pct, low=res.low, high=res.high,
        lookback=res.lookback, lookback_start=res.lookback_start.date(),
        observations=res.lookback_count, lookback_full=res.lookback_full, state=res.state,
        record=record, record_since=_date(rec.since or rec.first_date),
        record_years=float(rec.years), sentences=[f.sentence for f in facts], series=frame,
        source=source, note=note,
    )


def _item(ref: ValuationRef, ctx: ReportContext) -> tuple[ValuationItem, list[Fact], str, date]:
    run = valuation_run(ref.series, ref.versus or None, ctx.universe, ctx.source, ctx.when,
                        lookback=ref.lookback, metric=ref.metric or None, how=ref.how,
                        label=ref.label or None, display=ref.display or None,
                        versus_display=ref.versus_display or None)
    facts = valuation_facts(run.result, run.display, versus_display=run.versus_display,
                            how=ref.how, metric_label=run.metric_label, noun=ref.noun,
                            units=run.units, source=run.source, subject=ref.series,
                            versus=ref.versus)
    title = ref.title or (f"{run.display} vs {run.versus_display}: {run.metric_label} {ref.how}"
                          if ref.versus else f"{run.display}: {run.metric_label}")
    item = valuation_item(ref.key, title, run.result, facts, metric_label=run.metric_label,
                          units=run.units, source=run.source, when=ctx.when)
    if ref.note:
        item = dataclasses.replace(item, note=f"{ref.note} {item.note}".strip())
    return item, facts, run.frequency, run.first_date


def build(ctx: ReportContext) -> Built:
    """Every valuation of the universe's ``[[report.valuation]]`` tables on the report date; an
    item whose data are missing is left out with a note."""
    universe, out = ctx.universe, Built()
    refs = report_settings(universe).valuation
    items, notes = [], []
    if not refs:
        notes.append(f"Universe {universe.name!r} names no valuation series (add "
                     "[[report.valuation]] tables to its file).")
    for ref in refs:
        try:
            item, facts, freq, first = _item(ref, ctx)
        except SKIP as exc:
            ctx.missing(f"valuation {ref.key} ({ref.series})", exc)
            notes.append(f"Left out: {ref.title or ref.key} ({one_line(exc)}).")
            continue
        items.append(item)
        out.facts += [(with_data_age(f, freq, ctx.when), valuation_anchor(ref.key), False)
                      for f in facts]
        out.sources.append({"series": item.title, "source": item.source, "first": first,
                            "last": item.date, "frequency": freq})
    out.panel = ValuationPanel(items=items, notes=notes)
    return out


def _valuation_item(item: ValuationItem) -> str:
    vid = valuation_anchor(item.key)

    def v(x: float) -> str:
        return value_text(x, item.units)

    look = item.lookback if item.lookback_full else f"since {format_date(item.lookback_start)}"
    out = [f'<article class="panel valuation" id="{esc(vid)}" aria-labelledby="{esc(vid)}-h">',
           f'<h3 id="{esc(vid)}-h">{esc(item.title)}</h3>',
           _stats([
               (f"latest ({format_date(item.date)})", v(item.value)),
               (f"percentile ({look})", format_percentile(item.percentile)),
               ("decile", str(item.decile)),
               (f"median ({look})", v(item.median)),
               ("vs median", format_pct(item.distance_pct)),
               (f"range ({look})", f"{v(item.low)} to {v(item.high)}"),
               ("record", item.record),
           ])]
    out.append(_sentences(item.sentences))
    if item.note:
        out.append(f'<p class="note">{esc(item.note)}</p>')
    styles = {"value": LineStyle(item.metric_label, PALETTE[0], width=1.8),
              "p50": LineStyle("median", PALETTE[0], dashed=True, width=1.0)}
    chart = frame_chart(
        item.series, chart_id=f"{vid}-chart", title=item.title, columns=["p50", "value"],
        styles=styles, band=("p10", "p90"), band_label="10th to 90th percentile",
        value_format=v, last_label="value", tick_format=_value_ticks(item.units),
        description=f"{item.title} with the 10th to 90th percentile of its trailing "
                    f"{item.lookback} (shaded) and their median (dashed).",
    )
    span = ""
    if len(item.series):
        span = f" Chart from {format_date(item.series.index[0], style='month')}."
    out.append(_figure(chart, (
        f"Line: {esc(item.metric_label)}. Shaded: the 10th to 90th percentile of the trailing "
        f"{esc(item.lookback)} at each date; dashed: their median.{esc(span)} "
        f'<span class="source">Source: {esc(item.source)}</span>')))
    out.append("</article>")
    return "\n".join(out)


def html(panel: ValuationPanel | None, r: Rendering) -> str:
    """The valuation section (a note when the report has none)."""
    out = _open("valuation", "Valuation")
    if panel is None:
        out.append('<p class="note">No valuation section in this report.</p>')
    else:
        out.extend(_valuation_item(i) for i in panel.items)
        out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


def _markdown(panel: ValuationPanel | None) -> list[str]:
    out = ["## Valuation", ""]
    if panel is None:
        return [*out, "No valuation section in this report.", ""]
    for item in panel.items:
        def v(x: float, units: str = item.units) -> str:
            return value_text(x, units)

        out += [f"### {md_escape(item.title)}", ""]
        out += md_table(
            ["Date", "Value", f"Percentile ({item.lookback})", "Decile", "Median", "vs median",
             "Low", "High", "Record"],
            [[format_date(item.date), v(item.value), format_percentile(item.percentile),
              str(item.decile), v(item.median), format_pct(item.distance_pct), v(item.low),
              v(item.high), item.record]],
            "lrrrrrrrl",
        )
        out.append("")
        out += _bullets(item.sentences)
        if item.note:
            out += [md_escape(item.note), ""]
        out += [f"Source: {md_escape(item.source)}", ""]
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def markdown(panel: ValuationPanel | None, r: Rendering) -> list[str]:
    """Each item's statistics table and sentences."""
    return _markdown(panel)


def to_json(panel: ValuationPanel | None, include_series: bool) -> SectionJson:
    """``tables.valuation`` (one record per item, with the band's last p10/p50/p90) and, with
    ``include_series``, ``tables.valuation_series``; ``sections.valuation``: its notes."""
    tables: dict[str, list[dict[str, Any]]] = {"valuation": []}
    if include_series:
        tables["valuation_series"] = []
    if panel is None:
        return SectionJson(tables=tables, meta_key="valuation")
    for item in panel.items:
        rec = {k: getattr(item, k) for k in (
            "key", "title", "metric_label", "units", "date", "value", "percentile", "decile",
            "median", "distance", "distance_pct", "low", "high", "lookback",
            "lookback_start", "observations", "lookback_full", "state", "record",
            "record_since", "record_years", "sentences", "source", "note")}
        last = item.series.iloc[-1] if len(item.series) else None
        for q in ("p10", "p50", "p90"):
            rec[q] = last[q] if last is not None else None
        tables["valuation"].append(rec)
        if include_series:
            tables["valuation_series"] += series_records(item.series, key=item.key)
    return SectionJson(tables=tables, meta_key="valuation", meta={"notes": panel.notes})


def series_records(frame: pd.DataFrame, **constants: Any) -> list[dict[str, Any]]:
    """A dated frame as records with its index as ``date``."""
    out = frame.copy()
    out.index = out.index.rename("date")
    return records(out, index="date", **constants)


SECTION = Section(key="valuation", title="Valuation", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS)
