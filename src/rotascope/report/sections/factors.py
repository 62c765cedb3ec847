"""Factors: the factor monitor of the universe's factors (``[report] factors``, default its
segments in group ``factor``): each factor's status from its drawdown off the 12-month high and
the speed of its move, a drawdown chart and the past unwinds.

Computed by :func:`rotascope.pipeline.factors.factor_run` (behind ``rotascope factors`` too)
and described by :func:`rotascope.narrative.factor_facts.factor_facts`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from rotascope.analytics.factors import FactorMonitor
from rotascope.errors import RotascopeError
from rotascope.formatting import format_date, format_pct, format_percentile, is_missing, one_line
from rotascope.formatting import is_missing as missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import with_data_age
from rotascope.narrative.factor_facts import factor_facts, factor_legs
from rotascope.pipeline.factors import factor_run
from rotascope.report.context import ReportContext
from rotascope.report.html_base import (
    HINT_DATES,
    anchor_slug,
    esc,
    heat,
    latest_rows,
    more_note,
    table,
    td,
)
from rotascope.report.html_base import figure as _figure
from rotascope.report.html_base import legend as _legend
from rotascope.report.html_base import note_paragraphs as _notes
from rotascope.report.html_base import open_section as _open
from rotascope.report.html_base import pct_ticks as _pct_ticks
from rotascope.report.html_base import sentence_list as _sentences
from rotascope.report.markdown_base import md_bullets as _bullets
from rotascope.report.markdown_base import md_escape, md_more, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.settings import report_settings
from rotascope.report.svg import PALETTE, LineStyle, frame_chart

__all__ = ["FACTOR_CHART_ANCHOR", "SECTION", "STATUS_TEXT", "FactorPanel", "factor_anchor",
           "factor_episode_anchor", "factor_panel"]

#: Span of the factor drawdown chart by frequency.
FACTOR_CHART_YEARS = {"daily": 3, "weekly": 10, "monthly": 20}

#: Ids of the factor drawdown chart and the beat-rate chart.
FACTOR_CHART_ANCHOR = "factors-chart"


#: How the factor statuses read in tables.
STATUS_TEXT = {"normal": "normal", "rolling-over": "rolling over", "unwind": "unwinding",
                "crash": "crashing", "rebounding": "rebounding", "drawdown": "in a drawdown",
                "insufficient-history": "too little history"}

METHODS: tuple[tuple[str, str], ...] = (
    ("Factor monitor", "Drawdown of each factor's cumulative return index from its trailing "
     "12-month high and its 1-, 5- and 21-day returns (1, 3 and 6 months for monthly factors), "
     "each with its percentile in the factor's own history. Status reads depth and direction "
     "together: crash when the drawdown is in the deepest 5% of history and a 5- or 21-day fall "
     "in the worst 1%; unwind at 10% and 5%; rebounding when a 5- or 21-day gain is in the top "
     "decile from a drawdown deeper than the median one; rolling over when a 5- or 21-day fall "
     "is in the worst decile; a (deep) drawdown when the drawdown is deeper than 75% of history "
     "without a fast move; else normal. Each status sentence states the numbers that decided "
     "it."),
)


@dataclass(frozen=True)
class FactorPanel:
    """The factor monitor.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per factor: ``factor, display, date, status, drawdown, drawdown_percentile,
        high_date, ret_1, pct_1, ret_2, pct_2, ret_3, pct_3, episodes``; ``ret_i``/``pct_i`` are
        the return over ``windows[i - 1]`` rows and its percentile vs the factor's history.
    windows : list of str
        Labels of the three windows (``["1d", "5d", "21d"]``; ``["1m", "3m", "6m"]`` monthly).
    frequency : str
    sentences : dict
        Factor -> its status sentence.
    drawdowns : pandas.DataFrame
        Drawdown from the trailing 12-month high by date, one column per factor display name,
        over the chart's span (``chart_span``).
    chart_span : str
        What the drawdown chart covers ("the past 5 years").
    episodes : pandas.DataFrame
        Every factor's past unwinds and crashes: ``factor, display`` then the columns of
        :data:`rotascope.analytics.factors.EPISODE_COLUMNS`, oldest first.
    """

    table: pd.DataFrame
    windows: list[str]
    frequency: str
    sentences: dict[str, str]
    drawdowns: pd.DataFrame
    chart_span: str
    episodes: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def factor_anchor(factor: str) -> str:
    """Id of a factor's row in the factor monitor table."""
    return f"factor-{anchor_slug(factor)}"


def factor_episode_anchor(factor: str, start: object) -> str:
    """Id of a factor's unwind episode row, by the episode's start date."""
    day = cast("pd.Timestamp | None", start)  # a date cell of the episodes frame
    return f"factor-{anchor_slug(factor)}-episode-{format_date(day)}"


def _monitor_table(monitor: FactorMonitor, displays: dict[str, str]) -> pd.DataFrame:
    rows = []
    for name, res in monitor.results.items():
        row: dict[str, object] = {
            "factor": name, "display": displays[name], "date": res.date, "status": res.status,
            "drawdown": res.drawdown, "drawdown_percentile": res.drawdown_percentile,
            "high_date": res.high_date,
        }
        for i, label in enumerate(res.returns, start=1):
            row[f"ret_{i}"] = res.returns[label]
            row[f"pct_{i}"] = res.percentiles[label]
        row["episodes"] = len(res.episodes)
        rows.append(row)
    return pd.DataFrame(rows)


def factor_panel(
    monitor: FactorMonitor,
    displays: dict[str, str],
    sentences: dict[str, str],
    *,
    notes: list[str] | None = None,
    sources: dict[str, str] | None = None,
) -> FactorPanel:
    """The factor panel of a :func:`~rotascope.analytics.factor_monitor` with at least one
    result: table, drawdowns over :data:`FACTOR_CHART_YEARS`, every factor's episodes."""
    first = next(iter(monitor.results.values()))
    years = FACTOR_CHART_YEARS.get(first.frequency, 5)
    last = max(r.date for r in monitor.results.values())
    dd = pd.concat({displays[n]: r.series["drawdown"] for n, r in monitor.results.items()},
                   axis=1, sort=True)
    dd = dd[dd.index > last - pd.DateOffset(years=years)]
    episodes = monitor.episodes
    episodes.insert(1, "display", episodes["factor"].map(displays))
    return FactorPanel(
        table=_monitor_table(monitor, displays), windows=list(first.returns),
        frequency=first.frequency, sentences=sentences, drawdowns=dd,
        chart_span=f"the past {years} years", episodes=episodes, notes=list(notes or []),
        sources=dict(sources or {}),
    )


def _empty(notes: list[str]) -> FactorPanel:
    return FactorPanel(table=pd.DataFrame(), windows=[], frequency="", sentences={},
                       drawdowns=pd.DataFrame(), chart_span="", episodes=pd.DataFrame(),
                       notes=notes)


def build(ctx: ReportContext) -> Built:
    """The monitor of the universe's factors on the report date; a factor that cannot be read
    or has too little history is left out with a note."""
    universe, when, out = ctx.universe, ctx.when, Built()
    refs = report_settings(universe).factors
    if refs is None:
        refs = tuple(s.name for s in universe.segments if s.group == "factor")
    run = factor_run(refs, universe, ctx.source, when)
    notes: list[str] = []
    for ref, exc in run.unread.items():
        ctx.missing(f"factor {ref}", exc)
        notes.append(f"Left out: {ref} ({one_line(exc)}).")
    monitor, displays, sources = run.monitor, run.displays, run.sources
    if monitor is None:
        if not refs:
            notes.append(f"Universe {universe.name!r} has no factor series.")
        return Built(panel=_empty(notes))
    for name, why in monitor.skipped.items():
        ctx.missing(f"factor {name}", RotascopeError(why))
        notes.append(f"Left out: {displays[name]} ({why}).")
    sentences: dict[str, str] = {}
    for name, res in monitor.results.items():
        facts = [with_data_age(f, res.frequency, when)
                 for f in factor_facts(res, factor_legs(name, displays[name]), sources[name])]
        sentences[name] = facts[0].sentence
        for f in facts:
            if f.kind == "factor_status":
                out.facts.append((f, factor_anchor(name), False))
            elif f.kind == "factor_episode":
                ep = res.episodes.iloc[-1]
                out.facts.append((f, factor_episode_anchor(name, ep["start"]), False))
            elif name not in ctx.subjects:  # records of factors that are not report segments
                out.facts.append((f, factor_anchor(name), False))
    if not monitor.results:
        out.panel = _empty(notes)
        return out
    for name, res in monitor.results.items():
        out.sources.append({"series": displays[name], "source": sources[name],
                            "first": res.history_start.date(), "last": res.date.date(),
                            "frequency": res.frequency})
    out.panel = factor_panel(monitor, displays, sentences, notes=notes, sources=sources)
    return out


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
                              f"{esc(panel.chart_span)}.{bold} {HINT_DATES}"))
    out += _episodes(panel, keep, limit)
    out += _notes(panel.notes)
    out.append("</section>")
    return "\n".join(out)


def html(panel: FactorPanel | None, r: Rendering) -> str:
    """The status table, the drawdown chart and the unwinds."""
    return factors_section(panel, set(r.keep), r.max_rows)


def _markdown(panel: FactorPanel | None, limit: int) -> list[str]:
    out = ["## Factor monitor", ""]
    if panel is None or panel.table.empty:
        notes = panel.notes if panel is not None else []
        return [*out, "No factor data in this report.", "", *(md_escape(n) for n in notes)]
    out += _bullets(list(panel.sentences.values()))
    headers = ["Factor", "Status", "Drawdown", "pct", "High on"]
    for w in panel.windows:
        headers += [w, "pct"]
    headers.append("Data to")
    rows = []
    for _, r in panel.table.iterrows():
        row = [str(r["display"]), STATUS_TEXT.get(str(r["status"]), str(r["status"])),
               format_pct(r["drawdown"]),
               format_percentile(r["drawdown_percentile"]), format_date(r["high_date"])]
        for i in range(1, len(panel.windows) + 1):
            row += [format_pct(r[f"ret_{i}"]), format_percentile(r[f"pct_{i}"])]
        row.append(format_date(r["date"]))
        rows.append(row)
    out += md_table(headers, rows, "llrrl" + "rr" * len(panel.windows) + "l")
    out.append("")
    ep = panel.episodes
    factors = list(ep["factor"].unique()) if ep is not None and not ep.empty else []
    for factor in sorted(factors, key=lambda f: "momentum" not in str(f).lower()):
        sub = ep[ep["factor"] == factor].sort_values("start", ascending=False)
        total = len(sub)
        sub = sub.iloc[:limit]
        out += [f"Past unwinds of the {md_escape(sub['display'].iloc[0])} ({total}), "
                "latest first:", ""]
        out += md_table(
            ["Start", "Depth", "Severity", "Worst fall", "End", "Trough", "From the high of",
             "Back to normal"],
            [[format_date(r["start"]), format_pct(r["depth"]), str(r["severity"]),
              format_pct(r["worst_speed"]),
              "ongoing" if r["ongoing"] else format_date(r["end"]),
              format_date(r["trough_date"]), format_date(r["peak_date"]),
              ("ongoing" if r["ongoing"] else "not yet") if missing(r["recovery"])
              else format_date(r["recovery"])] for _, r in sub.iterrows()],
            "lrlrllll",
        )
        out.append("")
        out += md_more(len(sub), total, "episodes")
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def markdown(panel: FactorPanel | None, r: Rendering) -> list[str]:
    """The status table, sentences and unwinds."""
    return _markdown(panel, r.max_rows)


def to_json(panel: FactorPanel | None, include_series: bool) -> SectionJson:
    """``tables.factors`` (returns and percentiles keyed by window), ``tables.factor_episodes``
    and, with ``include_series``, ``tables.factor_drawdowns``; ``sections.factors``."""
    tables: dict[str, list[dict[str, Any]]] = {"factors": [], "factor_episodes": []}
    if include_series:
        tables["factor_drawdowns"] = []
    if panel is None:
        return SectionJson(tables=tables, meta_key="factors")
    tables["factors"] = records(panel.table)
    for row in tables["factors"]:
        for i, label in enumerate(panel.windows, start=1):
            row[f"return_{label}"] = row.pop(f"ret_{i}", None)
            row[f"percentile_{label}"] = row.pop(f"pct_{i}", None)
        row["sentence"] = panel.sentences.get(str(row["factor"]), "")
        row["source"] = panel.sources.get(str(row["factor"]), "")
    tables["factor_episodes"] = records(panel.episodes)
    if include_series and not panel.drawdowns.empty:
        # one column level, so stack() gives a Series
        long = cast(pd.Series, panel.drawdowns.stack()).rename("drawdown").reset_index()
        long.columns = ["date", "factor", "drawdown"]
        tables["factor_drawdowns"] = records(long)
    meta = {"notes": panel.notes, "windows": panel.windows, "frequency": panel.frequency,
            "chart_span": panel.chart_span}
    return SectionJson(tables=tables, meta_key="factors", meta=meta)


SECTION = Section(key="factors", title="Factors", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS)
