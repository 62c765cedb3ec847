"""Drivers and events: what moves each pair's relative return. A rolling regression on a
driver's changes (``[[report.drivers]]``: beta, t-statistic, R^2, with a beta chart) and event
studies around dated events (``[[report.events]]``: mean abnormal relative return by surprise
sign, with the average path).

Computed by :func:`rotascope.pipeline.drivers.driver_run` and
:func:`rotascope.pipeline.events.event_run` (behind ``rotascope drivers`` and ``events``) and
described by :mod:`rotascope.narrative.driver_facts`. Drivers and events share one section
(and one ``sections.drivers`` JSON entry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import pandas as pd

from rotascope.analytics.drivers import DriverResult
from rotascope.analytics.events import EventStudy
from rotascope.errors import RotascopeError
from rotascope.formatting import format_date, format_number, format_pct, one_line
from rotascope.jsonutil import records
from rotascope.narrative.driver_facts import driver_fact, event_facts
from rotascope.narrative.fact import Fact, with_data_age
from rotascope.pipeline.drivers import driver_run
from rotascope.pipeline.events import event_run
from rotascope.report.context import ReportContext
from rotascope.report.html_base import HINT_VALUES, anchor_slug, esc, table, td
from rotascope.report.html_base import figure as _figure
from rotascope.report.html_base import legend as _legend
from rotascope.report.html_base import note_paragraphs as _notes
from rotascope.report.html_base import open_section as _open
from rotascope.report.html_base import pct_ticks as _pct_ticks
from rotascope.report.html_base import sentence_list as _sentences
from rotascope.report.html_base import stats_list as _stats
from rotascope.report.markdown_base import md_bullets as _bullets
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import SKIP, Built, Rendering, Section, SectionJson, day
from rotascope.report.sections.valuation import series_records
from rotascope.report.settings import DriverRef, EventsRef, report_settings
from rotascope.report.svg import NEGATIVE, PALETTE, POSITIVE, LineStyle, frame_chart

__all__ = ["EVENT_GROUPS", "SECTION", "DriverItem", "DriversPanel", "EventItem",
           "driver_anchor", "driver_item", "event_anchor", "event_item", "shown_groups"]

_date = day

#: An event study on fewer events than this gets a caution note.
FEW_EVENTS = 20

#: How the event-study groups (by surprise sign) read in tables.
EVENT_GROUPS = {"all": "All events", "positive": "Positive surprise", "negative": "Negative surprise",
           "zero": "In line", "none": "No surprise value"}

METHODS: tuple[tuple[str, str], ...] = (
    ("Driver beta", "Rolling OLS regression (252 daily rows, 60 monthly) of the pair's daily "
     "relative return on the driver's daily change (yields in basis points), with its t-statistic "
     "and R\u00b2; the chart shows the relative return per step of the driver with a band of two "
     "standard errors."),
    ("Event study", "Abnormal relative return: the pair's daily relative return minus its mean "
     "over rows -260 to -11 before the event; cumulated from the day before to five days after "
     "(rows of the series); t-statistic of the mean across events."),
)


@dataclass(frozen=True)
class DriverItem:
    """A pair's rolling regression on a driver's changes.

    ``beta`` is the relative return (fraction) per unit of driver change (``units``: "bp",
    "%", "index points"), ``effect`` the relative return per ``step`` units. ``series`` holds
    the rolling ``beta``, ``se``, ``tstat`` and ``r2`` by date for the chart.
    """

    key: str
    pair: str
    a_display: str
    b_display: str
    driver_display: str
    date: date
    start: dt.date  # dt.date: the field `date` shadows the type in this class
    window: int
    beta: float
    tstat: float
    r2: float
    n: int
    units: str
    step: float
    effect: float
    significant: bool
    sentence: str
    series: pd.DataFrame
    source: str


@dataclass(frozen=True)
class EventItem:
    """An event study of a pair around the dates of an events file.

    ``summary`` is indexed by group (``all``, ``positive``, ``negative``, ``zero``, ``none``)
    with ``count, mean_car, median_car, sd_car, tstat, pvalue, hit_rate``; ``path`` is indexed
    by day offset with the mean cumulative abnormal relative return ``<group>_car`` (and
    ``<group>_ar``). ``used`` of ``total`` events had their whole windows inside the data.
    """

    key: str
    pair: str
    a_display: str
    b_display: str
    event_name: str
    window: tuple[int, int]
    estimation: tuple[int, int]
    summary: pd.DataFrame
    path: pd.DataFrame
    used: int
    total: int
    first: date | None
    last: date | None
    sentences: list[str]
    note: str
    source: str


@dataclass(frozen=True)
class DriversPanel:
    """The drivers section: rolling betas and event studies."""

    drivers: list[DriverItem]
    events: list[EventItem]
    notes: list[str] = field(default_factory=list)


def driver_anchor(key: str) -> str:
    """Id of a driver item (numbers, sentence, rolling beta chart)."""
    return f"driver-{anchor_slug(key)}"


def event_anchor(key: str, group: str | None = None) -> str:
    """Id of an event study, or of one surprise group's row of its summary table."""
    base = f"events-{anchor_slug(key)}"
    return base if group is None else f"{base}-{anchor_slug(group)}"


def driver_item(key: str, pair: str, res: DriverResult, fact: Fact, a_display: str,
                b_display: str, driver_display: str, source: str = "") -> DriverItem:
    """A driver item from :func:`~rotascope.analytics.driver_sensitivity` and its fact."""
    chart = res.series[["beta", "se", "tstat", "r2"]].dropna(subset=["beta"])
    return DriverItem(
        key=key, pair=pair, a_display=a_display, b_display=b_display,
        driver_display=driver_display, date=res.date.date(), start=res.start.date(),
        window=res.window, beta=res.beta, tstat=res.tstat, r2=res.r2, n=res.n, units=res.units,
        step=res.step, effect=res.effect, significant=res.significant, sentence=fact.sentence,
        series=chart, source=source,
    )


def event_item(key: str, pair: str, study: EventStudy, facts: list[Fact], name: str,
               a_display: str, b_display: str, source: str = "") -> EventItem:
    """An event-study item from :func:`~rotascope.analytics.event_study` and its facts; the
    note says how many events fall outside the data and warns below :data:`FEW_EVENTS`."""
    used = study.used
    total = len(study.events)
    first = used["date"].min() if len(used) else None
    last = used["date"].max() if len(used) else None
    note = ""
    if len(used) < total:
        reasons = study.events.loc[~study.events["used"], "reason"]
        after = int(reasons.str.startswith(("after the data", "event window ends")).sum())
        before = int(reasons.str.startswith("estimation window").sum())
        bits = []
        if after:
            bits.append(f"{after} after the end of the data ({study.as_of:%Y-%m-%d})")
        if before:
            bits.append(f"{before} too early for the estimation window")
        other = total - len(used) - after - before
        if other:
            bits.append(f"{other} for other reasons")
        note = (f"{len(used)} of the {total} {name} in the file are used; "
                f"left out: {', '.join(bits)}.")
    if len(used) < FEW_EVENTS:
        note += (f" Only {len(used)} events fall in the data's range: treat the averages with "
                 "caution." if len(used) >= 2 else
                 f" Too few events ({len(used)}) fall in the data's range for an average.")
    return EventItem(
        key=key, pair=pair, a_display=a_display, b_display=b_display, event_name=name,
        window=study.window, estimation=study.estimation, summary=study.summary,
        path=study.path, used=len(used), total=total, first=_date(first),
        last=_date(last), sentences=[f.sentence for f in facts],
        note=note.strip(), source=source,
    )


def _legs(ref: DriverRef | EventsRef, ctx: ReportContext) -> tuple[str, str]:
    pair = ctx.universe.pair(ref.pair)
    for seg in (pair.a, pair.b):
        if seg not in ctx.subjects:
            raise RotascopeError(f"no data for segment {seg!r} of pair {ref.pair!r}")
    return pair.a, pair.b


def _driver(ref: DriverRef, ctx: ReportContext) -> tuple[DriverItem, Fact]:
    a, b = _legs(ref, ctx)
    run = driver_run(a, b, ref.driver, ctx.universe, ctx.source, ctx.when, window=ref.window,
                     change=ref.change, label=ref.label or None)
    fact = driver_fact(run.result, run.a_display, run.b_display, run.driver_display, run.source)
    return driver_item(ref.key, ref.pair, run.result, fact, run.a_display, run.b_display,
                       run.driver_display, run.source), fact


def _event(ref: EventsRef, ctx: ReportContext) -> tuple[EventItem, list[Fact]]:
    a, b = _legs(ref, ctx)
    run = event_run(a, b, ref.events, ctx.universe, ctx.source, ctx.when, window=ref.window,
                    estimation=ref.estimation, name=ref.name or None)
    facts = event_facts(run.study, run.a_display, run.b_display, run.name, run.source)
    return event_item(ref.key, ref.pair, run.study, facts, run.name, run.a_display,
                      run.b_display, run.source), facts


def build(ctx: ReportContext) -> Built:
    """Every driver and event study of the universe's ``[report]`` table on the report date;
    an item whose data are missing is left out with a note."""
    settings, out = report_settings(ctx.universe), Built()
    drivers, events, notes = [], [], []
    if not settings.drivers and not settings.events:
        notes.append(f"Universe {ctx.universe.name!r} names no drivers or events (add "
                     "[[report.drivers]] and [[report.events]] tables to its file).")
    for ref in settings.drivers:
        try:
            item, fact = _driver(ref, ctx)
        except SKIP as exc:
            ctx.missing(f"driver {ref.driver} of {ref.pair}", exc)
            notes.append(f"Left out: {ref.pair} on {ref.label or ref.driver} "
                         f"({one_line(exc)}).")
            continue
        drivers.append(item)
        out.facts.append((with_data_age(fact, "daily", ctx.when), driver_anchor(ref.key), False))
    for ev_ref in settings.events:
        try:
            ev_item, facts = _event(ev_ref, ctx)
        except SKIP as exc:
            ctx.missing(f"events {ev_ref.events} of {ev_ref.pair}", exc)
            notes.append(f"Left out: {ev_ref.pair} around {ev_ref.name or ev_ref.events} "
                         f"({one_line(exc)}).")
            continue
        events.append(ev_item)
        out.facts += [(f, event_anchor(ev_ref.key, str(f.details.get("group", "all"))), False)
                      for f in facts]
    out.panel = DriversPanel(drivers=drivers, events=events, notes=notes)
    return out


def _step_text(item: DriverItem) -> str:
    if item.units == "%":
        return f"{item.step:g}%"
    return f"{item.step:g} {item.units}".strip()


def _driver_html(item: DriverItem) -> str:
    did = driver_anchor(item.key)
    name = f"{item.a_display} vs {item.b_display} on the {item.driver_display}"
    step = _step_text(item)
    out = [f'<article class="panel driver" id="{esc(did)}" aria-labelledby="{esc(did)}-h">',
           f'<h3 id="{esc(did)}-h">{esc(name)}</h3>',
           _stats([
               (f"per {step} rise", format_pct(item.effect, decimals=2)[:-1] + " pp"),
               ("t-statistic", format_number(item.tstat, decimals=1, signed=True)),
               ("R\u00b2", format_pct(item.r2, signed=False, decimals=0)),
               ("window", f"{item.window} rows to {format_date(item.date)}"),
           ]),
           f"<p>{esc(item.sentence)}</p>"]
    frame = pd.DataFrame({"effect": item.series["beta"] * item.step,
                          "lo": (item.series["beta"] - 2 * item.series["se"]) * item.step,
                          "hi": (item.series["beta"] + 2 * item.series["se"]) * item.step})
    chart = frame_chart(
        frame, chart_id=f"{did}-chart",
        title=f"Relative return per {step} rise in the {item.driver_display}",
        columns=["effect"], styles={"effect": LineStyle("per " + step, PALETTE[0])},
        band=("lo", "hi"), band_label="two standard errors", reference=0.0,
        value_format=lambda x: format_pct(x, decimals=2), tick_format=_pct_ticks(),
        last_label="effect",
        description=f"Rolling {item.window}-row regression of {item.a_display} vs "
                    f"{item.b_display}'s daily relative return on the {item.driver_display}'s "
                    "changes: relative return per step, with two standard errors shaded.",
    )
    out.append(_figure(chart, (
        f"Rolling {item.window}-row beta of the daily relative return of {esc(item.a_display)} "
        f"vs {esc(item.b_display)} on the change in the {esc(item.driver_display)}, as relative "
        f"return per {esc(step)} rise; shaded: two standard errors (outside zero: significant). "
        f'<span class="source">Source: {esc(item.source)}</span>')))
    out.append("</article>")
    return "\n".join(out)


def shown_groups(summary: pd.DataFrame) -> list[str]:
    """Surprise groups of an event study worth a row: ``none`` repeats ``all`` when no event
    has a surprise value, so it is left out then."""
    return [str(g) for g in summary.index
            if not (g == "none" and "all" in summary.index
                    and cast(int, summary.loc["none", "count"]) == summary.loc["all", "count"])]


def _event_html(item: EventItem) -> str:
    eid = event_anchor(item.key)
    name = f"{item.a_display} vs {item.b_display} around {item.event_name}"
    w0, w1 = item.window
    out = [f'<article class="panel events" id="{esc(eid)}" aria-labelledby="{esc(eid)}-h">',
           f'<h3 id="{esc(eid)}-h">{esc(name)}</h3>']
    out.append(_sentences(item.sentences))
    if item.note:
        out.append(f'<p class="note">{esc(item.note)}</p>')
    s = item.summary
    groups = shown_groups(s)
    if groups:
        headers = [("Events", "text", ""), ("Count", "num", "num"), ("Mean", "num", "num"),
                   ("Median", "num", "num"), ("t", "num", "num"), ("p", "num", "num"),
                   ("Share > 0", "num", "num")]
        rows = []
        for g in groups:
            r = cast(pd.Series, s.loc[g])  # one row: the summary has one row per group
            rows.append((f' id="{esc(event_anchor(item.key, str(g)))}"', [
                f'<th scope="row">{esc(EVENT_GROUPS.get(str(g), str(g)))}</th>',
                td(format_number(r["count"], decimals=0), r["count"], num=True),
                td(format_pct(r["mean_car"], decimals=2), r["mean_car"], num=True),
                td(format_pct(r["median_car"], decimals=2), r["median_car"], num=True),
                td(format_number(r["tstat"], decimals=2, signed=True), r["tstat"], num=True),
                td(format_number(r["pvalue"], decimals=3), r["pvalue"], num=True),
                td(format_pct(r["hit_rate"], signed=False, decimals=0), r["hit_rate"], num=True),
            ]))
        caption = (f"Cumulative abnormal relative return from day {w0:+d} to day {w1:+d} "
                   f"(rows of the series; normal return estimated over days {item.estimation[0]} "
                   f"to {item.estimation[1]}); events from {format_date(item.first)} to "
                   f"{format_date(item.last)}.")
        cols = [f"{g}_car" for g in groups if f"{g}_car" in item.path.columns]
        colors = {c: (POSITIVE if c.startswith("positive") else NEGATIVE
                      if c.startswith("negative") else PALETTE[i % len(PALETTE)])
                  for i, c in enumerate(cols)}
        styles = {c: LineStyle(EVENT_GROUPS.get(c[:-4], c), colors[c], width=2.0) for c in cols}
        chart = frame_chart(
            item.path[cols], chart_id=f"{eid}-chart",
            title="Average cumulative abnormal relative return", styles=styles,
            reference=0.0, markers=True, vline=0.0,
            value_format=lambda x: format_pct(x, decimals=2), tick_format=_pct_ticks(),
            # the path is indexed by day offset (ints)
            x_format=lambda k: f"day {int(cast(int, k)):+d}" if int(cast(int, k)) else "day 0",
            description=f"Average path of {name} by day relative to the event (day 0).",
            width=480, height=280,
        )
        legend = _legend([(styles[c].label, colors[c], False) for c in cols])
        out.append('<div class="analog-grid">')
        out.append("<div>" + table(headers, rows, css_class="event-summary", caption=caption)
                   + "</div>")
        out.append(_figure(chart, f"{legend}By trading day around the event (day 0; dashed "
                                  "line). " + HINT_VALUES))
        out.append("</div>")
    out.append(f'<p class="note source">Source: {esc(item.source)}</p>')
    out.append("</article>")
    return "\n".join(out)


def drivers_section(panel: DriversPanel | None) -> str:
    """Drivers (rolling betas) and event studies."""
    out = _open("drivers", "Drivers and events")
    if panel is None:
        out.append('<p class="note">No drivers section in this report.</p>')
    else:
        out.extend(_driver_html(d) for d in panel.drivers)
        out.extend(_event_html(e) for e in panel.events)
        out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


def html(panel: DriversPanel | None, r: Rendering) -> str:
    """Each driver's statistics and beta chart, each event study's table and path."""
    return drivers_section(panel)


def _markdown(panel: DriversPanel | None) -> list[str]:
    out = ["## Drivers and events", ""]
    if panel is None:
        return [*out, "No drivers section in this report.", ""]
    for d in panel.drivers:
        out += [f"### {md_escape(d.a_display)} vs {md_escape(d.b_display)} on the "
                f"{md_escape(d.driver_display)}", ""]
        out += md_table(
            ["Date", "Window", "Beta (pp per unit)", "Effect per step", "t", "R²", "n"],
            [[format_date(d.date), f"{d.window} rows", f"{d.beta * 100:+.4f}",
              f"{format_pct(d.effect, decimals=2)} per {d.step:g} {d.units}",
              format_number(d.tstat, decimals=2, signed=True),
              format_pct(d.r2, signed=False), str(d.n)]],
            "llrrrrr",
        )
        out += ["", md_escape(d.sentence), "", f"Source: {md_escape(d.source)}", ""]
    for e in panel.events:
        out += [f"### {md_escape(e.a_display)} vs {md_escape(e.b_display)} around "
                f"{md_escape(e.event_name)}", ""]
        out += _bullets(e.sentences)
        if e.note:
            out += [md_escape(e.note), ""]
        groups = shown_groups(e.summary)
        rows = [[EVENT_GROUPS.get(str(g), str(g)), format_number(r["count"], decimals=0),
                 format_pct(r["mean_car"], decimals=2), format_pct(r["median_car"], decimals=2),
                 format_number(r["tstat"], decimals=2, signed=True),
                 format_number(r["pvalue"], decimals=3),
                 format_pct(r["hit_rate"], signed=False, decimals=0)]
                for g, r in e.summary.iterrows() if g in groups]
        if rows:
            out += md_table(["Events", "Count", "Mean", "Median", "t", "p", "Share > 0"], rows,
                            "lrrrrrr")
            out.append("")
            cols = [f"{g}_car" for g in groups if f"{g}_car" in e.path.columns]
            out += ["Average cumulative abnormal relative return by day:", ""]
            out += md_table(["Day", *(EVENT_GROUPS.get(c[:-4], c) for c in cols)],
                            [[f"{int(cast(int, k)):+d}" if k else "0",  # the path is indexed by day offset
                              *(format_pct(row[c], decimals=2) for c in cols)]
                             for k, row in e.path.iterrows()],
                            "l" + "r" * len(cols))
            out.append("")
        out += [f"Source: {md_escape(e.source)}", ""]
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def markdown(panel: DriversPanel | None, r: Rendering) -> list[str]:
    """Each driver's and event study's table and sentences."""
    return _markdown(panel)


def to_json(panel: DriversPanel | None, include_series: bool) -> SectionJson:
    """``tables.drivers``, ``tables.event_summary`` (by group), ``tables.event_path`` (by day)
    and, with ``include_series``, ``tables.driver_series``; ``sections.drivers``: notes and
    each event study's coverage."""
    tables: dict[str, list[dict[str, Any]]] = {"drivers": [], "event_summary": [],
                                               "event_path": []}
    if include_series:
        tables["driver_series"] = []
    if panel is None:
        return SectionJson(tables=tables, meta_key="drivers")
    for drv in panel.drivers:
        tables["drivers"].append({k: getattr(drv, k) for k in (
            "key", "pair", "a_display", "b_display", "driver_display", "date", "start",
            "window", "beta", "tstat", "r2", "n", "units", "step", "effect", "significant",
            "sentence", "source")})
        if include_series:
            tables["driver_series"] += series_records(drv.series, key=drv.key)
    for ev in panel.events:
        consts = {"key": ev.key, "pair": ev.pair, "event_name": ev.event_name,
                  "window": list(ev.window)}
        tables["event_summary"] += records(ev.summary, index="group", **consts)
        tables["event_path"] += records(ev.path, index="day", key=ev.key)
    meta = {"notes": panel.notes, "events": [
        {"key": ev.key, "used": ev.used, "total": ev.total, "first": ev.first, "last": ev.last,
         "estimation": list(ev.estimation), "sentences": ev.sentences, "note": ev.note,
         "source": ev.source}
        for ev in panel.events]}
    return SectionJson(tables=tables, meta_key="drivers", meta=meta)


SECTION = Section(key="drivers", title="Drivers", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS)
