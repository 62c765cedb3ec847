"""HTML sections of the fundamentals panels: valuation, factor monitor, drivers and events,
earnings season, scorecard.

Built from the same blocks as :mod:`rotascope.report.html` (:mod:`rotascope.report.html_base`).
The anchor helpers below give the ids these sections write, so the report builder can point
headlines at them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import date
from typing import cast

import pandas as pd

from rotascope.formatting import (
    format_date,
    format_number,
    format_pct,
    format_percentile,
    is_missing,
)
from rotascope.narrative.valuation_facts import value_text
from rotascope.report.html_base import (
    anchor_slug,
    esc,
    heat,
    inline_svg,
    latest_rows,
    more_note,
    table,
    td,
)
from rotascope.report.model import (
    DriverItem,
    DriversPanel,
    EarningsPanel,
    EventItem,
    FactorPanel,
    ScorecardPanel,
    ValuationItem,
    ValuationPanel,
)
from rotascope.report.svg import (
    NEGATIVE,
    PALETTE,
    POSITIVE,
    LineStyle,
    bar_chart,
    frame_chart,
)

__all__ = [
    "EARNINGS_CHART_ANCHOR",
    "FACTOR_CHART_ANCHOR",
    "STATUS_TEXT",
    "driver_anchor",
    "drivers_section",
    "earnings_anchor",
    "earnings_section",
    "event_anchor",
    "factor_anchor",
    "factor_episode_anchor",
    "factors_section",
    "scorecard_anchor",
    "scorecard_section",
    "shown_groups",
    "valuation_anchor",
    "valuation_section",
]

#: Ids of the factor drawdown chart and the beat-rate chart.
FACTOR_CHART_ANCHOR = "factors-chart"
EARNINGS_CHART_ANCHOR = "earnings-chart"

_SAMPLE_TAG = '<span class="sample-tag">sample data: made-up numbers</span>'
#: How the event-study groups (by surprise sign) read in tables.
EVENT_GROUPS = {"all": "All events", "positive": "Positive surprise", "negative": "Negative surprise",
           "zero": "In line", "none": "No surprise value"}
#: How the factor statuses read in tables.
STATUS_TEXT = {"normal": "normal", "rolling-over": "rolling over", "unwind": "unwinding",
                "crash": "crashing", "rebounding": "rebounding", "drawdown": "in a drawdown",
                "insufficient-history": "too little history"}


# ---------------------------------------------------------------------------------------------
# anchors
# ---------------------------------------------------------------------------------------------
def valuation_anchor(key: str) -> str:
    """Id of a valuation item (heading, numbers, sentences, band chart)."""
    return f"valuation-{anchor_slug(key)}"


def factor_anchor(factor: str) -> str:
    """Id of a factor's row in the factor monitor table."""
    return f"factor-{anchor_slug(factor)}"


def factor_episode_anchor(factor: str, start: object) -> str:
    """Id of a factor's unwind episode row, by the episode's start date."""
    day = cast("pd.Timestamp | None", start)  # a date cell of the episodes frame
    return f"factor-{anchor_slug(factor)}-episode-{format_date(day)}"


def driver_anchor(key: str) -> str:
    """Id of a driver item (numbers, sentence, rolling beta chart)."""
    return f"driver-{anchor_slug(key)}"


def event_anchor(key: str, group: str | None = None) -> str:
    """Id of an event study, or of one surprise group's row of its summary table."""
    base = f"events-{anchor_slug(key)}"
    return base if group is None else f"{base}-{anchor_slug(group)}"


def earnings_anchor(segment: str) -> str:
    """Id of a segment's row in the earnings table."""
    return f"earnings-{anchor_slug(segment)}"


def scorecard_anchor(segment: str) -> str:
    """Id of a segment's row in the scorecard table."""
    return f"scorecard-{anchor_slug(segment)}"


# ---------------------------------------------------------------------------------------------
# shared bits
# ---------------------------------------------------------------------------------------------
def _open(sid: str, title: str, tag: str = "") -> list[str]:
    return [f'<section id="{sid}" aria-labelledby="{sid}-h">',
            f'<h2 id="{sid}-h">{esc(title)}{" " + tag if tag else ""}</h2>']


def _notes(notes: list[str]) -> list[str]:
    return [f'<p class="note">{esc(n)}</p>' for n in notes]


def _stats(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in pairs)
    return f'<dl class="stats">{cells}</dl>'


#: Caption hints: "hover" with a mouse, "tap" on a touch screen (report.css swaps them).
_HINT_DATES = ('<span class="hint-hover">Hover for dates and values.</span>'
               '<span class="hint-touch">Tap for dates and values.</span>')
_HINT_VALUES = ('<span class="hint-hover">Hover for values.</span>'
                '<span class="hint-touch">Tap for values.</span>')


def _figure(svg: str, caption: str) -> str:
    return (f'<figure><div class="chart-wrap">{inline_svg(svg)}</div>'
            f"<figcaption>{caption}</figcaption></figure>")


def _pct_ticks() -> Callable[[float], str]:
    """Tick labels for fractions: as few decimals as the percent steps need."""
    def fmt(v: float) -> str:
        x = round(v * 100, 6)
        decimals = 0 if float(x).is_integer() else 1 if float(x * 10).is_integer() else 2
        return format_pct(v, signed=True, decimals=decimals)
    return fmt


def _value_ticks(units: str) -> Callable[[float], str] | None:
    """Tick labels of valuations in percent (``"3%"``); None: plain numbers."""
    if units == "percent":
        return lambda v: f"{v:g}%"
    if units == "fraction":
        return lambda v: f"{round(v * 100, 6):g}%"
    return None


def _sentences(items: list[str], css: str = "facts-list") -> str:
    if not items:
        return ""
    return f'<ul class="{css}">' + "".join(f"<li>{esc(s)}</li>" for s in items) + "</ul>"


def _more(sentences: list[str], what: str) -> str:
    if not sentences:
        return ""
    return (f"<details><summary>{esc(what)} ({len(sentences)})</summary>"
            f"{_sentences(sentences)}</details>")


def _legend(entries: list[tuple[str, str, bool]]) -> str:
    """An HTML legend: (label, colour, dashed) per line."""
    spans = "".join(
        f'<span class="key"><span class="line-swatch{" dashed" if dashed else ""}" '
        f'style="border-color:{esc(color)}"></span>{esc(label)}</span>'
        for label, color, dashed in entries
    )
    return f'<span class="legend-keys">{spans}</span>'


# ---------------------------------------------------------------------------------------------
# valuation
# ---------------------------------------------------------------------------------------------
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


def valuation_section(panel: ValuationPanel | None) -> str:
    """The valuation section (a note when the report has none)."""
    out = _open("valuation", "Valuation")
    if panel is None:
        out.append('<p class="note">No valuation section in this report.</p>')
    else:
        out.extend(_valuation_item(i) for i in panel.items)
        out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# factors
# ---------------------------------------------------------------------------------------------
def _status(status: str) -> str:
    text = STATUS_TEXT.get(status, status)
    return (f'<td data-v="{esc(status)}"><span class="status status-{esc(anchor_slug(status))}">'
            f"{esc(text)}</span></td>")


def _factor_table(panel: FactorPanel) -> str:
    t = panel.table
    same_date = t["date"].nunique() == 1
    headers = [("Factor", "text", ""), ("Status", "text", ""), ("Drawdown", "num", "num"),
               ("pct", "num", "num"), ("High on", "text", "")]
    for w in panel.windows:
        headers += [(w, "num", "num"), ("pct", "num", "num")]
    if not same_date:
        headers.append(("Data to", "text", ""))
    rows = []
    for _, r in t.iterrows():
        cells = [f'<th scope="row" data-v="{esc(r["display"])}">{esc(r["display"])}</th>',
                 _status(str(r["status"])),
                 td(format_pct(r["drawdown"]), r["drawdown"], num=True,
                    extra=heat(r["drawdown"], 0.15)),
                 td(format_percentile(r["drawdown_percentile"]), r["drawdown_percentile"],
                    num=True),
                 td(format_date(r["high_date"]), r["high_date"])]
        for i in range(1, len(panel.windows) + 1):
            ret, p = r.get(f"ret_{i}"), r.get(f"pct_{i}")
            cells += [td(format_pct(ret), ret, num=True, extra=heat(ret, 0.03 * i)),
                      td(format_percentile(p), p, num=True)]
        if not same_date:
            cells.append(td(format_date(r["date"]), r["date"]))
        rows.append((f' id="{esc(factor_anchor(str(r["factor"])))}"', cells))
    unit = {"daily": "days", "weekly": "weeks"}.get(panel.frequency, "months")
    when = f" Data to {format_date(t['date'].iloc[0])}." if same_date else ""
    return table(headers, rows, sortable=True, css_class="factors", caption=(
        f"Drawdown from the trailing 12-month high (reached on the date shown) and returns over "
        f"{', '.join(panel.windows)} ({unit}); pct: percentile against the factor's own history "
        f"(low: deep or fast falls).{when} Click a header to sort."))


def _episodes(panel: FactorPanel, keep: set[str], limit: int) -> list[str]:
    ep = panel.episodes
    if ep is None or ep.empty:
        return ['<p class="note">No past unwinds in these histories.</p>']
    out = []
    order = sorted(ep["factor"].unique(), key=lambda f: ("momentum" not in str(f).lower(), 0))
    for factor in order:
        sub = ep[ep["factor"] == factor]
        display = str(sub["display"].iloc[0])
        total = len(sub)
        sub = latest_rows(sub, "start", limit, functools.partial(factor_episode_anchor, factor),
                          keep)
        headers = [("Start", "text", ""), ("Depth", "num", "num"), ("Severity", "text", ""),
                   ("Worst fall", "num", "num"), ("End", "text", ""), ("Trough", "text", ""),
                   ("From the high of", "text", ""), ("Back to normal", "text", "")]
        rows = []
        for _, r in sub.iterrows():
            ongoing = bool(r.get("ongoing", False))
            rec = r.get("recovery")
            back = ("ongoing" if ongoing else "not yet") if is_missing(rec) else format_date(rec)
            start = format_date(r["start"])
            rows.append((f' id="{esc(factor_episode_anchor(str(factor), r["start"]))}"', [
                f'<th scope="row" data-v="{esc(start)}">{esc(start)}</th>',
                td(format_pct(r["depth"]), r["depth"], num=True),
                td(str(r["severity"]), r["severity"]),
                td(format_pct(r["worst_speed"]), r["worst_speed"], num=True),
                td("ongoing" if ongoing else format_date(r["end"]), r["end"]),
                td(format_date(r["trough_date"]), r["trough_date"]),
                td(format_date(r["peak_date"]), r["peak_date"]),
                td(back, rec),
            ]))
        is_mom = "momentum" in display.lower()
        body = table(headers, rows, sortable=True, css_class="unwinds", tall=len(rows) > 12,
                     caption="Unwinds and crashes: runs of those statuses; depth from the "
                     "12-month high to the trough; worst fall over the longest speed window.")
        out.append(f"<details{' open' if is_mom else ''}><summary>Past unwinds of the "
                   f"{esc(display)} ({total}), latest first</summary>\n{body}\n"
                   f"{more_note(len(rows), total, 'episodes')}</details>")
    return out


def factors_section(panel: FactorPanel | None, keep: set[str], limit: int) -> str:
    """The factor monitor: status sentences, table, drawdown chart, past unwinds."""
    out = _open("factors", "Factor monitor")
    if panel is None or panel.table.empty:
        out.append('<p class="note">No factor data in this report.</p>')
        out += _notes(panel.notes if panel is not None else [])
        out.append("</section>")
        return "\n".join(out)
    flagged = [s for f, s in panel.sentences.items()
               if panel.table.set_index("factor").loc[f, "status"] != "normal"
               or "momentum" in f.lower()]
    out.append(_sentences(flagged or list(panel.sentences.values())))
    out.append(_factor_table(panel))
    dd = panel.drawdowns
    colors = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(dd.columns)}
    status = dict(zip(panel.table["display"], panel.table["status"], strict=True))
    loud = {c for c in dd.columns if status.get(c, "normal") != "normal"
            or "momentum" in str(c).lower()}
    styles = {c: LineStyle(str(c), colors[c], width=2.0 if c in loud else 1.0,
                           opacity=1.0 if c in loud or not loud else 0.55) for c in dd.columns}
    order = [c for c in dd.columns if c not in loud] + [c for c in dd.columns if c in loud]
    chart = frame_chart(
        dd, chart_id=FACTOR_CHART_ANCHOR, title="Factor drawdowns from their 12-month highs",
        columns=order, styles=styles, reference=0.0, value_format=format_pct,
        tick_format=_pct_ticks(),
        description=f"Drawdown of each factor from its trailing 12-month high, "
                    f"{panel.chart_span}.",
    )
    legend = _legend([(str(c), colors[c], False) for c in dd.columns])
    bold = (" Thick lines: momentum and factors that are not in a normal state."
            if loud and len(loud) < len(dd.columns) else "")
    out.append(_figure(chart, f"{legend}Drawdown from the trailing 12-month high, "
                              f"{esc(panel.chart_span)}.{bold} {_HINT_DATES}"))
    out += _episodes(panel, keep, limit)
    out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# drivers and events
# ---------------------------------------------------------------------------------------------
def _step_text(item: DriverItem) -> str:
    if item.units == "%":
        return f"{item.step:g}%"
    return f"{item.step:g} {item.units}".strip()


def _driver_item(item: DriverItem) -> str:
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


def _event_item(item: EventItem) -> str:
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
                                  "line). " + _HINT_VALUES))
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
        out.extend(_driver_item(d) for d in panel.drivers)
        out.extend(_event_item(e) for e in panel.events)
        out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# earnings and scorecard
# ---------------------------------------------------------------------------------------------
def _sample_note(is_sample: bool, source: str, when: date | None) -> str:
    if not is_sample:
        return f'<p class="note source">Source: {esc(source)}.</p>'
    return (f'<p class="sample-note">Sample data: every number in this section is made up. They '
            f"come from the sample files shipped with rotascope in the published layouts, dated "
            f"{esc(format_date(when, style='long'))}, and say nothing about the market. Give "
            "your own files in the universe's [report] table.</p>")


def earnings_section(panel: EarningsPanel | None) -> str:
    """Beat rates, surprises and revision breadth per segment, with a beat-rate chart."""
    tag = _SAMPLE_TAG if panel is not None and panel.is_sample else ""
    out = _open("earnings", "Earnings season", tag)
    if panel is None:
        out.append('<p class="note">No earnings section in this report.</p></section>')
        return "\n".join(out)
    out.append(_sample_note(panel.is_sample, panel.source, panel.as_of))
    out.append(f"<p>The {esc(panel.season)} reporting season so far, to "
               f"{esc(format_date(panel.as_of, style='long'))}.</p>")
    out.append(_sentences(panel.sentences))
    out.append(_more(panel.more_sentences, "Other facts of the season"))
    t = panel.table
    headers = [("Segment", "text", ""), ("Reported", "num", "num"), ("EPS beats", "num", "num"),
               ("Weighted", "num", "num"), ("Surprise", "num", "num"),
               ("Sales beats", "num", "num"), ("Revisions Q", "num", "num"),
               ("Revisions Y", "num", "num")]
    rows = []
    for seg, r in t.iterrows():
        cells = [f'<th scope="row" data-v="{esc(r["display"])}">{esc(r["display"])}</th>',
                 td(f"{int(r['reported'])} of {int(r['members'])}", r["reported"], num=True)]
        for col in ("eps_beat_rate", "eps_beat_rate_weighted"):
            cells.append(td(format_pct(r[col], signed=False), r[col], num=True))
        cells.append(td(format_pct(r["median_eps_surprise"]), r["median_eps_surprise"],
                        num=True))
        cells.append(td(format_pct(r["sales_beat_rate"], signed=False), r["sales_beat_rate"],
                        num=True))
        for col in ("breadth_next_q", "breadth_next_y"):
            cells.append(td(format_number(r[col], decimals=2, signed=True), r[col], num=True,
                            extra=heat(r[col], 0.5)))
        rows.append((f' id="{esc(earnings_anchor(str(seg)))}"', cells))
    bench = t.loc[panel.benchmark, "display"] if panel.benchmark in t.index else ""
    tbl = table(headers, rows, sortable=True, css_class="earnings", caption=(
        "EPS and sales beats: share of the reporting companies whose actual beat the estimate "
        "(weighted: by index weight); surprise: median EPS surprise. Revisions: breadth of EPS "
        "estimate revisions over 30 days, (up - down) / (up + down), for the next quarter (Q) "
        "and the next year (Y)."))
    rates = pd.Series(t["eps_beat_rate"].to_numpy(), index=t["display"]).sort_values(
        ascending=False)
    chart = bar_chart(rates, chart_id=EARNINGS_CHART_ANCHOR, title="EPS beat rate by segment",
                      value_format=lambda v: format_pct(v, signed=False),
                      description="Share of reporting companies that beat the EPS estimate, "
                                  "by segment.")
    caption = ("Share of the segment's reporting companies that beat the EPS estimate"
               + (f"; benchmark: {esc(bench)}." if bench else "."))
    out.append(tbl)
    out.append(f'<div class="bar-figure">{_figure(chart, caption)}</div>')
    out.append("</section>")
    return "\n".join(out)


def _score_cell(x: object) -> str:
    if is_missing(x):
        return '<td class="num missing" data-v="">missing</td>'
    return td(format_number(x, decimals=2, signed=True), x, num=True,  # type: ignore[arg-type]
              extra=heat(x, 1.5))  # type: ignore[arg-type]


def scorecard_section(panel: ScorecardPanel | None) -> str:
    """The segment scorecard: every pillar, pillars used, composite and rank."""
    tag = _SAMPLE_TAG if panel is not None and panel.is_sample else ""
    out = _open("scorecard", "Scorecard", tag)
    if panel is None:
        out.append('<p class="note">No scorecard in this report.</p></section>')
        return "\n".join(out)
    out.append(_sample_note(panel.is_sample, panel.source, panel.as_of))
    out.append(_sentences(panel.sentences))
    out.append(_more(panel.more_sentences, "Every segment"))
    n = len(panel.pillars)
    headers = [("Rank", "num", "num"), ("Segment", "text", "")]
    headers += [(p.replace("_", " ").capitalize(), "num", "num") for p in panel.pillars]
    headers += [("Pillars used", "num", "num"), ("Composite", "num", "num")]
    rows = []
    for seg, r in panel.table.iterrows():
        rank = r["rank"]
        cells = [td("n/a" if is_missing(rank) else f"{int(rank)}", rank, num=True),
                 f'<th scope="row" data-v="{esc(r["display"])}">{esc(r["display"])}</th>']
        cells += [_score_cell(r[p]) for p in panel.pillars]
        cells.append(td(f"{int(r['pillars_used'])} of {n}", r["pillars_used"], num=True))
        cells.append(_score_cell(r["composite"]))
        rows.append((f' id="{esc(scorecard_anchor(str(seg)))}"', cells))
    weights = ", ".join(f"{p.replace('_', ' ')} {w:g}" for p, w in panel.weights.items())
    out.append(table(headers, rows, sortable=True, css_class="scorecard", caption=(
        "Pillar scores: cross-sectional z-scores averaged over each pillar's metrics, higher is "
        f"better; composite: weighted mean of the pillars available ({weights}). Missing inputs "
        "are shown as missing, never as zero.")))
    inputs = panel.inputs
    if not inputs.empty:
        heads = [("Segment", "text", "")] + [(c.replace("_", " "), "num", "num")
                                             for c in inputs.columns]
        irows = []
        for seg, r in inputs.iterrows():
            key = cast(str, seg)  # inputs are indexed by segment name
            display = panel.table.loc[key, "display"] if key in panel.table.index else key
            cells = [f'<th scope="row">{esc(display)}</th>']
            for c in inputs.columns:
                x = r[c]
                cells.append('<td class="num missing" data-v="">missing</td>' if is_missing(x)
                             else td(_input_text(c, float(x)), x, num=True))
            irows.append(("", cells))
        pillar_of = "; ".join(f"{p.replace('_', ' ')}: {', '.join(m)}"
                              for p, m in panel.metrics.items())
        out.append("<details><summary>Inputs of the scorecard</summary>\n"
                   + table(heads, irows, sortable=True, css_class="scorecard-inputs",
                           caption=f"Metrics by pillar: {pillar_of}.") + "</details>")
    out.append("</section>")
    return "\n".join(out)


def _input_text(metric: str, x: float) -> str:
    if metric.startswith(("price_vs", "momentum", "share_", "earnings_growth")) or (
        metric.endswith("percentile_20y")
    ):
        return format_pct(x, signed=metric.startswith(("price_vs", "momentum")))
    if math.isfinite(x) and float(x).is_integer() and abs(x) < 10:
        return format_number(x, decimals=0, signed=True)
    return format_number(x, decimals=1)
