"""The report as one self-contained HTML file (inline CSS, JS and SVG; no external resource).

Sections, in order: headline, quote strip, performance, pairs, RRG, analogs, valuation, factor
monitor, drivers and events, earnings season, scorecard, method and sources (the fundamentals
sections come from :mod:`rotascope.report.html_fundamentals`).
Every headline sentence links to its evidence through an element id; the helpers
:func:`perf_anchor`, :func:`pair_anchor`, :func:`rrg_anchor`, ... give the ids this renderer
writes, so the report builder can fill :attr:`Headline.anchor` with ids that exist.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from importlib import resources
from typing import Any, cast

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number, format_pct, format_percentile
from rotascope.formatting import is_missing as _missing
from rotascope.report.breadth_html import breadth_html
from rotascope.report.html_base import (
    anchor_slug,
)
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import heat as _heat
from rotascope.report.html_base import inline_svg as _inline
from rotascope.report.html_base import latest_rows as _latest
from rotascope.report.html_base import more_note as _more_note
from rotascope.report.html_base import table as _table
from rotascope.report.html_base import td as _td
from rotascope.report.html_base import tone_class as _tone_class
from rotascope.report.html_fundamentals import (
    drivers_section,
    earnings_section,
    factors_section,
    scorecard_section,
    valuation_section,
)
from rotascope.report.model import (
    AnalogPanel,
    Headline,
    PairPanel,
    Quote,
    ReportModel,
    RrgPanel,
    freshness_line,
)
from rotascope.report.svg import (
    Band,
    bar_chart,
    line_chart,
    rrg_chart,
)

__all__ = [
    "PERFORMANCE_COLUMNS",
    "RRG_CHART_ANCHOR",
    "SECTIONS",
    "a_leads",
    "analog_anchor",
    "anchor_slug",
    "episode_anchor",
    "format_percentile",
    "html_ids",
    "pair_anchor",
    "pair_chart_anchor",
    "perf_anchor",
    "quote_anchor",
    "render_html",
    "rrg_anchor",
]

#: Section ids and titles, in page order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("headline", "Headline"),
    ("quotes", "Markets"),
    ("performance", "Performance"),
    ("pairs", "Rotations"),
    ("rrg", "Relative rotation"),
    ("analogs", "After similar moves"),
    ("valuation", "Valuation"),
    ("factors", "Factors"),
    ("drivers", "Drivers"),
    ("earnings", "Earnings"),
    ("scorecard", "Scorecard"),
    ("method", "Method and sources"),
)

#: Performance columns of :attr:`ReportModel.performance` and their headers.
PERFORMANCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("1d", "1 day"),
    ("5d", "5 days"),
    ("1m", "1 month"),
    ("3m", "3 months"),
    ("ytd", "YTD"),
    ("1y", "1 year"),
)

#: Id of the RRG chart.
RRG_CHART_ANCHOR = "rrg-chart"

_DIRECTION_ARROWS = {
    "north": "\u2191",
    "north-east": "\u2197",
    "east": "\u2192",
    "south-east": "\u2198",
    "south": "\u2193",
    "south-west": "\u2199",
    "west": "\u2190",
    "north-west": "\u2196",
}


# ---------------------------------------------------------------------------------------------
# Anchors (element ids)
# ---------------------------------------------------------------------------------------------

def a_leads(direction: object) -> bool:
    """Whether an episode's ``direction`` says A outperformed (``"a"`` or ``"a_leads"``)."""
    return str(direction).lower().startswith("a")


def perf_anchor(segment: str) -> str:
    """Id of a performance table row: by the ``segment`` column when the table has one, else by
    the display name (the table's index)."""
    return f"perf-{anchor_slug(segment)}"


def quote_anchor(segment: str) -> str:
    """Id of a quote in the quote strip."""
    return f"quote-{anchor_slug(segment)}"


def pair_anchor(key: str) -> str:
    """Id of a pair's panel (heading, current move, record sentence, chart)."""
    return f"pair-{anchor_slug(key)}"


def pair_chart_anchor(key: str) -> str:
    """Id of a pair's relative strength chart."""
    return f"pair-{anchor_slug(key)}-chart"


def episode_anchor(key: str, start: object) -> str:
    """Id of a rotation episode row of a pair, by the episode's start date."""
    day = cast("pd.Timestamp | None", start)  # a date cell of the episodes frame
    return f"pair-{anchor_slug(key)}-episode-{format_date(day)}"


def rrg_anchor(segment: str) -> str:
    """Id of a segment's row in the RRG table."""
    return f"rrg-{anchor_slug(segment)}"


def analog_anchor(key: str, horizon: str | None = None) -> str:
    """Id of an analog panel, or of one horizon row of its summary table."""
    base = f"analog-{anchor_slug(key)}"
    return base if horizon is None else f"{base}-{anchor_slug(horizon)}"


_ID_RE = re.compile(r"\sid=\"([^\"]+)\"")


def html_ids(html: str) -> set[str]:
    """Every element id in a rendered page (to check that headline anchors exist).

    Parameters
    ----------
    html : str
        Output of :func:`render_html`.

    Returns
    -------
    set of str
        The unescaped ids.
    """
    import html as _html

    return {_html.unescape(m) for m in _ID_RE.findall(html)}


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------
def _headline_section(headlines: Sequence[Headline], as_of: date | None = None,
                      notes: Sequence[str] = ()) -> str:
    out = [
        '<section id="headline" aria-labelledby="headline-h">',
        '<h2 id="headline-h">Headline</h2>',
    ]
    if not headlines:
        out.append('<p class="note">Nothing passed the notability rules for this date.</p>')
    else:
        out.append('<ol class="headlines">')
        for h in headlines:
            badge = '<span class="sample-tag">sample data</span>' if h.sample else ""
            when = h.data_date(as_of) if as_of is not None else ""
            dated = f'<span class="data-date">{_e(when)}</span>' if when else ""
            out.append(
                f'<li class="kind-{_e(anchor_slug(h.kind))}"><a href="#{_e(h.anchor)}">{_e(h.sentence)}</a>'
                f'{dated}{badge}<span class="kind">{_e(h.kind.replace("_", " "))}</span></li>'
            )
        out.append("</ol>")
    out.extend(f'<p class="note report-note">{_e(n)}</p>' for n in notes)
    out.append("</section>")
    return "\n".join(out)


def _quotes_section(quotes: Sequence[Quote]) -> str:
    out = ['<section id="quotes" aria-labelledby="quotes-h">', '<h2 id="quotes-h">Markets</h2>']
    if not quotes:
        out.append('<p class="note">No quotes.</p>')
    else:
        out.append('<ul class="quotes">')
        for q in quotes:
            tone = _tone_class(q.change)
            arrow = {"up": "\u25b2 ", "down": "\u25bc ", "flat": ""}[tone]
            level = ("" if q.level is None else
                     f'<span class="q-level" title="{_e(q.series)}">'
                     f'{_e(format_number(q.level, decimals=2))}'
                     f'<span class="q-series">{_e(q.series)}</span></span>')
            out.append(
                f'<li id="{_e(quote_anchor(q.segment))}" title="{_e(q.display)}, close of {_e(format_date(q.date))}">'
                f'<span class="q-name">{_e(q.display)}</span>{level}'
                f'<span class="q-change {tone}">{arrow}{_e(format_pct(q.change))}'
                f'<span class="q-window"> {_e(q.window)}</span></span></li>'
            )
        out.append("</ul>")
        last = max(q.date for q in quotes)
        windows = sorted({q.window for q in quotes})
        out.append(
            f'<p class="note">Last close of the series named beside it (an ETF\'s level is its '
            f'own price, not the index\'s) and its change over {_e(" or ".join(windows))}; latest '
            f'date {_e(format_date(last, style="long"))}.</p>'
        )
    out.append("</section>")
    return "\n".join(out)


def _performance_section(perf: pd.DataFrame) -> str:
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
        cells = [f'<th scope="row" data-v="{_e(display)}">{_e(display)}</th>']
        if has_group:
            group = "" if _missing(rec["group"]) else str(rec["group"])
            cells.append(f'<td class="group" data-v="{_e(group)}">{_e(group)}</td>')
        for c, _ in cols:
            v = rec[c]
            cells.append(_td(format_pct(v), v, num=True, extra=_heat(v, scales[c])))
        if has_last:
            cells.append(_td(format_date(rec["last"]), rec["last"]))
        key = (
            rec["segment"]
            if "segment" in perf.columns and not _missing(rec["segment"])
            else display
        )
        rows.append((f' id="{_e(perf_anchor(str(key)))}"', cells))
    out.append(
        _table(
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


def _episode_bands(panel: PairPanel) -> list[Band]:
    bands: list[Band] = []
    ep = panel.episodes
    if ep is None or ep.empty or not {"start", "end"}.issubset(ep.columns):
        return bands
    for _, row in ep.iterrows():
        a_side = a_leads(row.get("direction", "a"))
        winner = panel.a_display if a_side else panel.b_display
        label = f"Episode {format_date(row['start'])} to {format_date(row['end'])}: {winner} outperformed"
        if "peak_move" in ep.columns and not _missing(row["peak_move"]):
            label += f", peak {panel.window} move {format_pct(row['peak_move'])}"
        bands.append(
            Band(
                start=pd.Timestamp(row["start"]),
                end=pd.Timestamp(row["end"]),
                label=label,
                tone="positive" if a_side else "negative",
            )
        )
    return bands



def _episodes_table(panel: PairPanel, keep: set[str], limit: int) -> str:
    ep = panel.episodes
    if ep is None or ep.empty:
        return '<p class="note">No rotation episodes in the history.</p>'
    total = len(ep)
    ep = _latest(ep, "start", limit, lambda v: episode_anchor(panel.key, v), keep)
    has_z = "peak_zscore" in ep.columns
    headers = [
        ("Start", "text", ""),
        ("End", "text", ""),
        ("Peak date", "text", ""),
        (f"Peak {panel.window} move", "num", "num"),
        *([("Peak z", "num", "num")] if has_z else []),
        ("Days", "num", "num"),
        ("Outperformer", "text", ""),
    ]
    rows = []
    for _, r in ep.iterrows():
        a_side = a_leads(r.get("direction", "a"))
        ongoing = bool(r.get("ongoing", False)) if not _missing(r.get("ongoing")) else False
        end_text = "ongoing" if ongoing else format_date(r.get("end"))
        cells = [
            _td(format_date(r.get("start")), r.get("start")),
            _td(end_text, r.get("end")),
            _td(format_date(r.get("peak_date")), r.get("peak_date")),
            _td(format_pct(r.get("peak_move")), r.get("peak_move"), num=True),
            *(
                [
                    _td(
                        format_number(r.get("peak_zscore"), decimals=1, signed=True),
                        r.get("peak_zscore"),
                        num=True,
                    )
                ]
                if has_z
                else []
            ),
            _td(format_number(r.get("duration"), decimals=0), r.get("duration"), num=True),
            _td(panel.a_display if a_side else panel.b_display),
        ]
        rows.append((f' id="{_e(episode_anchor(panel.key, r.get("start")))}"', cells))
    table = _table(headers, rows, sortable=True, css_class="episodes", tall=len(rows) > 12)
    note = _more_note(len(rows), total, "episodes")
    return (
        f"<details><summary>Rotation episodes ({total}), latest first</summary>\n{table}\n{note}"
        "</details>"
    )


def _pair_panel(panel: PairPanel, keep: set[str], limit: int) -> str:
    name = f"{panel.a_display} vs {panel.b_display}"
    pid = pair_anchor(panel.key)
    out = [f'<article class="panel pair" id="{_e(pid)}" aria-labelledby="{_e(pid)}-h">']
    out.append(f'<h3 id="{_e(pid)}-h">{_e(name)}</h3>')
    out.append('<dl class="stats">')
    for label, value in (
        (f"{panel.window} relative move", format_pct(panel.move)),
        ("z-score (5 years)", format_number(panel.zscore, decimals=1, signed=True)),
        ("percentile (history)", format_percentile(panel.percentile)),
    ):
        out.append(f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>")
    out.append("</dl>")
    if panel.record:
        out.append(f'<p class="record">{_e(panel.record)}</p>')
    bands = _episode_bands(panel)
    chart = line_chart(
        panel.rs,
        chart_id=pair_chart_anchor(panel.key),
        title=f"Relative strength: {name} (rebased to 100)",
        bands=bands,
        legend={
            "positive": f"{panel.a_display} outperformed",
            "negative": f"{panel.b_display} outperformed",
        },
        reference=100.0,
        description=f"Ratio of {panel.a_display} to {panel.b_display}, rising when "
        f"{panel.a_display} outperforms; shaded bands are rotation episodes.",
    )
    out.append(f'<figure><div class="chart-wrap">{_inline(chart)}</div>')
    out.append(
        f"<figcaption>Rising line: {_e(panel.a_display)} outperforms {_e(panel.b_display)}. "
        f'Shaded: rotation episodes ({len(bands)}), <span class="swatch positive"></span>'
        f'{_e(panel.a_display)} or <span class="swatch negative"></span>{_e(panel.b_display)} '
        'outperforming. <span class="hint-hover">Hover for dates and values.</span>'
        '<span class="hint-touch">Tap for dates and values.</span></figcaption></figure>'
    )
    out.append(_episodes_table(panel, keep, limit))
    out.append("</article>")
    return "\n".join(out)


def _pairs_section(pairs: Sequence[PairPanel], keep: set[str], limit: int) -> str:
    out = ['<section id="pairs" aria-labelledby="pairs-h">', '<h2 id="pairs-h">Rotations</h2>']
    if not pairs:
        out.append('<p class="note">No pairs in this universe.</p>')
    out.extend(_pair_panel(p, keep, limit) for p in pairs)
    out.append("</section>")
    return "\n".join(out)


def _rrg_section(panel: RrgPanel | None) -> str:
    out = ['<section id="rrg" aria-labelledby="rrg-h">', '<h2 id="rrg-h">Relative rotation</h2>']
    if panel is None:
        out.append('<p class="note">No relative rotation graph in this report.</p></section>')
        return "\n".join(out)
    chart = rrg_chart(
        panel.points,
        chart_id=RRG_CHART_ANCHOR,
        title=f"Relative Rotation Graph vs {panel.benchmark_display}",
    )
    table = panel.table
    headers = [
        ("Segment", "text", ""),
        ("Quadrant", "text", ""),
        ("Heading", "text", ""),
        ("RS-Ratio", "num", "num"),
        ("RS-Momentum", "num", "num"),
    ]
    rows = []
    for _, r in table.iterrows():
        display = r.get("display", r.get("segment"))
        quad = str(r.get("quadrant", "n/a"))
        direction = str(r.get("direction", "n/a"))
        arrow = _DIRECTION_ARROWS.get(direction, "")
        cells = [
            f'<th scope="row" data-v="{_e(display)}">{_e(display)}</th>',
            f'<td data-v="{_e(quad)}"><span class="quad quad-{_e(anchor_slug(quad))}">{_e(quad)}</span></td>',
            f'<td data-v="{_e(direction)}">{_e((arrow + " " + direction).strip())}</td>',
            _td(format_number(r.get("rs_ratio"), decimals=2), r.get("rs_ratio"), num=True),
            _td(format_number(r.get("rs_momentum"), decimals=2), r.get("rs_momentum"), num=True),
        ]
        rows.append((f' id="{_e(rrg_anchor(str(r.get("segment"))))}"', cells))
    out.append('<div class="rrg-grid">')
    out.append(f'<figure><div class="chart-wrap">{_inline(chart)}</div>')
    out.append(
        "<figcaption>Right of centre: stronger trend than the benchmark; above centre: "
        "improving momentum. Rotation usually runs clockwise: leading, weakening, lagging, "
        "improving. The large dot is the latest point.</figcaption></figure>"
    )
    out.append(
        "<div>"
        + _table(headers, rows, sortable=True, css_class="rrg-table")
        + f'<p class="note">Benchmark: {_e(panel.benchmark_display)}.</p></div>'
    )
    out.append("</div>")
    out.append(f'<p class="formula"><strong>Formula.</strong> {_e(panel.formula)}</p>')
    out.append("</section>")
    return "\n".join(out)


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


def _analogs_section(analogs: Sequence[AnalogPanel], limit: int) -> str:
    out = [
        '<section id="analogs" aria-labelledby="analogs-h">',
        '<h2 id="analogs-h">After similar moves</h2>',
    ]
    if not analogs:
        out.append('<p class="note">No pair moved enough today to look for analogs.</p>')
    out.extend(_analog_panel(a, limit) for a in analogs)
    out.append("</section>")
    return "\n".join(out)


def _method_section(model: ReportModel) -> str:
    out = [
        '<section id="method" aria-labelledby="method-h">',
        '<h2 id="method-h">Method and sources</h2>',
    ]
    out.append('<dl class="facts">')
    for label, value in (
        ("As of", format_date(model.as_of, style="long")),
        ("Universe", model.universe),
        ("Generated", pd.Timestamp(model.generated_at).strftime("%Y-%m-%d %H:%M")),
        ("rotascope version", model.version),
        ("Data", model.data_note),
    ):
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.append("</dl>")
    if model.methods:
        out.append("<h3>Definitions</h3>")
        out.append('<dl class="methods">')
        for term, definition in model.methods:
            out.append(f"<dt>{_e(term)}</dt><dd>{_e(definition)}</dd>")
        out.append("</dl>")
    src = model.sources
    if src is not None and not src.empty:
        out.append("<h3>Sources</h3>")
        cols = [c for c in ("series", "source", "first", "last") if c in src.columns]
        headers = [(c.capitalize(), "text", "") for c in cols]
        rows = []
        for _, r in src.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if c in ("first", "last"):
                    cells.append(_td(format_date(v), v))
                else:
                    text = "" if _missing(v) else str(v)
                    cls = ' class="wrap"' if c == "source" else ""
                    cells.append(f'<td{cls} data-v="{_e(text)}">{_e(text)}</td>')
            rows.append(("", cells))
        out.append(_table(headers, rows, sortable=True, css_class="sources"))
    out.append("</section>")
    return "\n".join(out)



def _asset(name: str) -> str:
    return resources.files("rotascope.report").joinpath("assets", name).read_text(encoding="utf-8")


_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def render_html(model: ReportModel, *, max_rows: int = 40) -> str:
    """Render a report as one self-contained HTML page.

    Parameters
    ----------
    model : ReportModel
        The report content.
    max_rows : int, default 40
        Longest list of rotation episodes or analog moves shown per pair (latest first; rows a
        headline links to are always kept). The JSON output has them all.

    Returns
    -------
    str
        The HTML document. All CSS, JavaScript and charts (SVG) are inline; a Content Security
        Policy forbids loading anything else. Every text is escaped.

    Notes
    -----
    Element ids follow :func:`perf_anchor`, :func:`quote_anchor`, :func:`pair_anchor`,
    :func:`pair_chart_anchor`, :func:`episode_anchor`, :data:`RRG_CHART_ANCHOR`,
    :func:`rrg_anchor` and :func:`analog_anchor`; headline anchors should use them.
    """
    keep = {h.anchor for h in model.headlines}
    builders: dict[str, Callable[[], str]] = {
        "headline": lambda: _headline_section(model.headlines, model.as_of, model.notes),
        "quotes": lambda: _quotes_section(model.quotes),
        "performance": lambda: _performance_section(model.performance),
        "pairs": lambda: _pairs_section(model.pairs, keep, max_rows),
        "rrg": lambda: _rrg_section(model.rrg),
        "analogs": lambda: _analogs_section(model.analogs, max_rows),
        "valuation": lambda: valuation_section(model.valuation),
        "factors": lambda: factors_section(model.factors, keep, max_rows),
        "drivers": lambda: drivers_section(model.drivers),
        "earnings": lambda: earnings_section(model.earnings),
        "scorecard": lambda: scorecard_section(model.scorecard),
        "breadth": lambda: breadth_html(model.breadth),
        "method": lambda: _method_section(model),
    }
    shown = list(SECTIONS)
    if model.breadth is not None:  # an optional section, before "Method and sources"
        shown.insert(shown.index(("method", "Method and sources")), ("breadth", "Breadth"))
    css = _asset("report.css")
    js = _asset("report.js")
    nav = " ".join(f'<a href="#{sid}">{_e(title)}</a>' for sid, title in shown)
    dateline = (
        f"As of {format_date(model.as_of, style='long')} \u00b7 universe {model.universe} "
        f"\u00b7 rotascope {model.version}"
    )
    fresh = freshness_line(model.sources)
    body = "\n".join(builders[sid]() for sid, _ in shown)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="rotascope {_e(model.version)}">',
            f"<title>{_e(model.title)} \u2014 {_e(format_date(model.as_of))}</title>",
            f"<style>\n{css}</style>",
            "</head>",
            "<body>",
            '<header class="masthead">',
            f"<h1>{_e(model.title)}</h1>",
            f'<p class="dateline">{_e(dateline)}</p>',
            f'<p class="freshness">Latest data: {_e(fresh)}</p>' if fresh else "",
            f'<nav class="toc" aria-label="Sections">{nav}</nav>',
            "</header>",
            "<main>",
            body,
            "</main>",
            f'<footer class="colophon"><p>{_e(model.data_note)} Generated by rotascope {_e(model.version)} '
            f"on {_e(pd.Timestamp(model.generated_at).strftime('%Y-%m-%d %H:%M'))}.</p></footer>",
            f"<script>\n{js}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
