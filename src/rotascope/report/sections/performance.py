"""Performance: every segment's change over 1 and 5 days, 1 and 3 months, the year to date and a
year, as a sortable heat table; the evidence of the segments' own facts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from rotascope.analytics import window_return
from rotascope.errors import InputError
from rotascope.formatting import format_date, format_pct, is_missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, esc, heat, table, td
from rotascope.report.markdown_base import md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson

__all__ = ["PERFORMANCE_COLUMNS", "PERFORMANCE_WINDOWS", "SECTION", "perf_anchor"]

PERFORMANCE_WINDOWS = ("1d", "5d", "1m", "3m", "ytd", "1y")

#: Performance columns of :attr:`ReportModel.performance` and their headers.
PERFORMANCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("1d", "1 day"),
    ("5d", "5 days"),
    ("1m", "1 month"),
    ("3m", "3 months"),
    ("ytd", "YTD"),
    ("1y", "1 year"),
)

METHODS: tuple[tuple[str, str], ...] = (
    ("N-day return", "P[t] / P[t-N] - 1, N counted in the series' own trading rows. Calendar "
     "windows (1w, 1m, 3m, ytd, 1y) start from the last close on or before the start date."),
    ("Biggest since", "For a windowed statistic x[t], the most recent earlier row s with "
     "x[s] >= x[t] (gains) or x[s] <= x[t] (drops); without one, a record on the whole history. "
     "Rank: 1 + the number of earlier values strictly more extreme."),
)


def perf_anchor(segment: str) -> str:
    """Id of a performance table row: by the ``segment`` column when the table has one, else by
    the display name (the table's index)."""
    return f"perf-{anchor_slug(segment)}"


def anchor_of(fact: Fact, ctx: ReportContext) -> str | None:
    """A segment's own facts (and the year-to-date comparison) link to its row."""
    if fact.versus and fact.kind != "window_comparison":
        return None
    return perf_anchor(fact.subject)


def build(ctx: ReportContext) -> Built:
    """One row per segment: its change over each window of :data:`PERFORMANCE_WINDOWS` (n/a
    for a daily window of slower data) and its last date."""
    rows = []
    for name, sub in ctx.subjects.items():
        seg = ctx.universe.segment(name)
        row: dict[str, object] = {"segment": name, "display": sub.display, "group": seg.group}
        prices = sub.prices[sub.prices.index <= ctx.when]
        for label in PERFORMANCE_WINDOWS:
            if sub.frequency != "daily" and label in ("1d", "5d"):
                row[label] = math.nan
                continue
            try:
                row[label] = window_return(prices, label).value
            except InputError:
                row[label] = math.nan
        row["last"] = prices.index[-1] if len(prices) else pd.NaT
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("display")
    return Built(panel=frame[["segment", "group", *PERFORMANCE_WINDOWS, "last"]])


def html(perf: pd.DataFrame | None, r: Rendering) -> str:
    """The heat table, colour scaled per column to its 90th percentile of |change|."""
    out = [
        '<section id="performance" aria-labelledby="performance-h">',
        '<h2 id="performance-h">Performance</h2>',
    ]
    if perf is None or perf.empty:
        out.append('<p class="note">No performance data.</p></section>')
        return "\n".join(out)
    cols = [(c, label) for c, label in PERFORMANCE_COLUMNS if c in perf.columns]
    scales: dict[str, float] = {}
    for c, _ in cols:
        vals = np.abs(pd.to_numeric(perf[c], errors="coerce").to_numpy(dtype="float64"))
        vals = vals[np.isfinite(vals)]
        scales[c] = float(np.quantile(vals, 0.9)) if vals.size else math.nan
    has_group = "group" in perf.columns
    headers = [("Segment", "text", "")]
    if has_group:
        headers.append(("Group", "text", "group"))
    headers += [(label, "num", "num") for _, label in cols]
    has_last = "last" in perf.columns
    if has_last:
        headers.append(("Data to", "text", ""))
    rows = []
    for display, rec in perf.iterrows():
        cells = [f'<th scope="row" data-v="{esc(display)}">{esc(display)}</th>']
        if has_group:
            group = "" if is_missing(rec["group"]) else str(rec["group"])
            cells.append(f'<td class="group" data-v="{esc(group)}">{esc(group)}</td>')
        for c, _ in cols:
            v = rec[c]
            cells.append(td(format_pct(v), v, num=True, extra=heat(v, scales[c])))
        if has_last:
            cells.append(td(format_date(rec["last"]), rec["last"]))
        key = (
            rec["segment"]
            if "segment" in perf.columns and not is_missing(rec["segment"])
            else display
        )
        rows.append((f' id="{esc(perf_anchor(str(key)))}"', cells))
    out.append(
        table(
            headers,
            rows,
            caption="Total change of each series over the window (price or total return as the "
            "source reports it). Click a header to sort.",
            sortable=True,
            css_class="perf",
        )
    )
    out.append("</section>")
    return "\n".join(out)


def markdown(perf: pd.DataFrame | None, r: Rendering) -> list[str]:
    """The same table without colours."""
    out = ["## Performance", ""]
    if perf is None or perf.empty:
        return [*out, "No performance data.", ""]
    cols = [(c, label) for c, label in PERFORMANCE_COLUMNS if c in perf.columns]
    has_group = "group" in perf.columns
    has_last = "last" in perf.columns
    headers = [
        "Segment",
        *(["Group"] if has_group else []),
        *(label for _, label in cols),
        *(["Data to"] if has_last else []),
    ]
    rows = []
    for display, rec in perf.iterrows():
        row = [str(display)]
        if has_group:
            row.append("" if is_missing(rec["group"]) else str(rec["group"]))
        row += [format_pct(rec[c]) for c, _ in cols]
        if has_last:
            row.append(format_date(rec["last"]))
        rows.append(row)
    align = "l" + ("l" if has_group else "") + "r" * len(cols) + ("l" if has_last else "")
    return [*out, *md_table(headers, rows, align), ""]


def to_json(perf: pd.DataFrame | None, include_series: bool) -> SectionJson:
    """``tables.performance``: rows keyed by ``display`` and ``segment``."""
    rows = records(perf, index="display")
    for row in rows:
        row.setdefault("segment", row["display"])
    return SectionJson(tables={"performance": rows})


SECTION = Section(key="performance", title="Performance", build=build, html=html,
                  markdown=markdown, json=to_json, methods=METHODS, anchor_of=anchor_of)
