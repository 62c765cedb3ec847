"""After similar moves: for each pair whose current move has earlier analogs, what followed them
(forward relative returns over 1, 3, 6 and 12 months: count, mean, median, hit rate, worst,
best) and the list of earlier moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number, format_pct
from rotascope.formatting import is_missing as _missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, heat, inline_svg, latest_rows, more_note, td
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import table as _table
from rotascope.report.markdown_base import md_escape, md_more, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.svg import bar_chart

__all__ = ["SECTION", "AnalogPanel", "analog_anchor"]

_td = td
_heat = heat
_inline = inline_svg
_latest = latest_rows
_more_note = more_note

METHODS: tuple[tuple[str, str], ...] = (
    ("After similar moves", "Earlier non-overlapping dates where the pair moved at least as much "
     "over the same window in the same direction; forward relative returns over 1, 3, 6 and 12 "
     "months (21, 63, 126, 252 rows) never use data after the as-of date. Hit rate: share that "
     "continued in the direction of the move."),
)


@dataclass(frozen=True)
class AnalogPanel:
    """"After similar moves": forward relative returns after past moves as large as today's.

    ``summary`` has one row per horizon (``1m, 3m, 6m, 12m``) with columns ``count, mean, median,
    hit_rate, worst``; ``episodes`` lists the analog dates with their move and forward returns.
    """

    key: str
    a_display: str
    b_display: str
    window: str
    move: float
    summary: pd.DataFrame
    episodes: pd.DataFrame


def analog_anchor(key: str, horizon: str | None = None) -> str:
    """Id of an analog panel, or of one horizon row of its summary table."""
    base = f"analog-{anchor_slug(key)}"
    return base if horizon is None else f"{base}-{anchor_slug(horizon)}"


def anchor_of(fact: Fact, ctx: ReportContext) -> str | None:
    """The analogs' summary fact links to the pair's analog panel."""
    if fact.kind != "analog_summary" or not fact.versus:
        return None
    return analog_anchor(ctx.pair_key(fact.subject, fact.versus))


def build(ctx: ReportContext) -> Built:
    """One panel per pair with a current move and analogs."""
    panels = []
    for p in ctx.market.pairs:
        view = ctx.pair_view(p.a, p.b)
        res = ctx.market.analyses[p.a, p.b].analogs if view is not None else None
        if view is None or res is None:
            continue
        a, b = ctx.subjects[p.a], ctx.subjects[p.b]
        panels.append(AnalogPanel(key=p.name, a_display=a.display, b_display=b.display,
                                  window=view.profile.row_label(view.profile.analog_rows),
                                  move=res.current_move, summary=res.summary,
                                  episodes=res.episodes))
    return Built(panel=panels)


def _generic_cell(column: str, value: Any) -> str:
    if isinstance(value, (pd.Timestamp,)) or (
        hasattr(value, "isoformat") and not isinstance(value, str)
    ):
        return _td(format_date(value), value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return _td(format_number(float(value), decimals=0), value, num=True)
    if isinstance(value, (float, np.floating)):
        return _td(format_pct(float(value)), value, num=True)
    return _td("" if _missing(value) else str(value), value)


def _analog_panel(panel: AnalogPanel, limit: int) -> str:
    aid = analog_anchor(panel.key)
    name = f"{panel.a_display} vs {panel.b_display}"
    out = [f'<article class="panel analog" id="{_e(aid)}" aria-labelledby="{_e(aid)}-h">']
    out.append(f'<h3 id="{_e(aid)}-h">{_e(name)}</h3>')
    n_past = 0 if panel.episodes is None else len(panel.episodes)
    out.append(
        f"<p>Today's {_e(panel.window)} relative move is {_e(format_pct(panel.move))}. "
        f"Forward relative returns of {_e(panel.a_display)} vs {_e(panel.b_display)} after the "
        f"{n_past} earlier non-overlapping moves at least as large:</p>"
    )
    summary = panel.summary
    headers = [
        ("Horizon", "text", ""),
        ("Count", "num", "num"),
        ("Mean", "num", "num"),
        ("Median", "num", "num"),
        ("Hit rate", "num", "num"),
        ("Worst", "num", "num"),
    ]
    has_best = "best" in summary.columns
    if has_best:
        headers.append(("Best", "num", "num"))
    rows = []
    for horizon, r in summary.iterrows():
        cells = [
            f'<th scope="row">{_e(horizon)}</th>',
            _td(format_number(r.get("count"), decimals=0), r.get("count"), num=True),
            _td(
                format_pct(r.get("mean")), r.get("mean"), num=True, extra=_heat(r.get("mean"), 0.05)
            ),
            _td(
                format_pct(r.get("median")),
                r.get("median"),
                num=True,
                extra=_heat(r.get("median"), 0.05),
            ),
            _td(format_pct(r.get("hit_rate"), signed=False), r.get("hit_rate"), num=True),
            _td(format_pct(r.get("worst")), r.get("worst"), num=True),
            *([_td(format_pct(r.get("best")), r.get("best"), num=True)] if has_best else []),
        ]
        rows.append((f' id="{_e(analog_anchor(panel.key, str(horizon)))}"', cells))
    table = _table(
        headers,
        rows,
        caption=f"Forward returns of {panel.a_display} relative to {panel.b_display} from the end "
        "of each earlier move; hit rate: share of cases in which the relative move went on in the "
        "same direction; worst and best in that direction.",
        css_class="analog-summary",
    )
    means = (
        pd.to_numeric(summary["mean"], errors="coerce")
        if "mean" in summary.columns
        else pd.Series(dtype=float)
    )
    chart = bar_chart(
        means,
        chart_id=f"{aid}-chart",
        title="Mean forward relative return",
        description=f"Mean forward relative return of {name} by horizon after similar moves.",
    )
    out.append(
        f'<div class="analog-grid"><div>{table}</div><figure><div class="chart-wrap">{_inline(chart)}</div></figure></div>'
    )
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        date_col = "date" if "date" in ep.columns else str(ep.columns[0])
        ep = _latest(ep, date_col, limit, str, set())
        cols = list(ep.columns)
        heads = [(str(c).replace("_", " ").capitalize(), "text", "") for c in cols]
        erows = []
        for _, r in ep.iterrows():
            erows.append(("", [_generic_cell(str(c), r[c]) for c in cols]))
        etable = _table(
            heads, erows, sortable=True, css_class="analog-episodes", tall=len(erows) > 12
        )
        note = _more_note(len(erows), total, "moves")
        out.append(
            f"<details><summary>The {total} earlier moves</summary>\n{etable}\n{note}</details>"
        )
    out.append("</article>")
    return "\n".join(out)


def html(analogs: list[AnalogPanel] | None, r: Rendering) -> str:
    """Every pair's analog panel."""
    out = [
        '<section id="analogs" aria-labelledby="analogs-h">',
        '<h2 id="analogs-h">After similar moves</h2>',
    ]
    if not analogs:
        out.append('<p class="note">No pair moved enough today to look for analogs.</p>')
    out.extend(_analog_panel(a, r.max_rows) for a in analogs or [])
    out.append("</section>")
    return "\n".join(out)


def _analog(panel: AnalogPanel, limit: int) -> list[str]:
    n_past = 0 if panel.episodes is None else len(panel.episodes)
    out = [f"### {md_escape(panel.a_display)} vs {md_escape(panel.b_display)}", ""]
    out.append(
        f"Today's {md_escape(panel.window)} relative move is {format_pct(panel.move)}. Forward "
        f"relative returns after the {n_past} earlier non-overlapping moves at least as large:"
    )
    out.append("")
    has_best = "best" in panel.summary.columns
    rows = []
    for horizon, r in panel.summary.iterrows():
        rows.append(
            [
                str(horizon),
                format_number(r.get("count"), decimals=0),
                format_pct(r.get("mean")),
                format_pct(r.get("median")),
                format_pct(r.get("hit_rate"), signed=False),
                format_pct(r.get("worst")),
                *([format_pct(r.get("best"))] if has_best else []),
            ]
        )
    headers = [
        "Horizon",
        "Count",
        "Mean",
        "Median",
        "Hit rate",
        "Worst",
        *(["Best"] if has_best else []),
    ]
    out += md_table(headers, rows, "l" + "r" * (len(headers) - 1))
    out.append("")
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        if "date" in ep.columns:
            ep = ep.sort_values("date", ascending=False, kind="stable")
        ep = ep.iloc[:limit]
        cols = list(ep.columns)
        erows, align = [], []
        for c in cols:
            sample = ep[c].dropna()
            first = sample.iloc[0] if len(sample) else None
            align.append(
                "l"
                if first is None or isinstance(first, str) or hasattr(first, "isoformat")
                else "r"
            )
        for _, r in ep.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if hasattr(v, "isoformat") and not isinstance(v, str):
                    cells.append(format_date(v))
                elif isinstance(v, bool) or _missing(v) or isinstance(v, str):
                    cells.append("n/a" if _missing(v) else str(v))
                elif float(v).is_integer() and not isinstance(v, float):
                    cells.append(format_number(v, decimals=0))
                else:
                    cells.append(format_pct(v))
            erows.append(cells)
        out.append(f"The {total} earlier moves:")
        out.append("")
        out += md_table([str(c).replace("_", " ").capitalize() for c in cols], erows, align)
        out.append("")
        out += md_more(len(erows), total, "moves")
    return out


def markdown(analogs: list[AnalogPanel] | None, r: Rendering) -> list[str]:
    """Every pair's summary table and earlier moves."""
    out = ["## After similar moves", ""]
    if not analogs:
        out += ["No pair moved enough today to look for analogs.", ""]
    for analog in analogs or []:
        out += _analog(analog, r.max_rows)
    return out


def to_json(analogs: list[AnalogPanel] | None, include_series: bool) -> SectionJson:
    """``tables.analog_summary`` (by pair and horizon) and ``tables.analog_episodes``."""
    tables: dict[str, list[dict[str, Any]]] = {"analog_summary": [], "analog_episodes": []}
    for a in analogs or []:
        tables["analog_summary"] += records(a.summary, index="horizon", pair=a.key,
                                            window=a.window, move=a.move)
        tables["analog_episodes"] += records(a.episodes, pair=a.key)
    return SectionJson(tables=tables)


SECTION = Section(key="analogs", title="After similar moves", build=build, html=html,
                  markdown=markdown, json=to_json, methods=METHODS, anchor_of=anchor_of)
