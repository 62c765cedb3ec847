"""Relative rotation: the RRG of the universe's segments against its benchmark (RS-Ratio and
RS-Momentum with a tail of recent points), its quadrant table and formula."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from rotascope.analytics.rrg import rrg
from rotascope.errors import InputError
from rotascope.formatting import format_number
from rotascope.jsonutil import records
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, inline_svg, td
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import table as _table
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.svg import rrg_chart

__all__ = ["RRG_CHART_ANCHOR", "SECTION", "RrgPanel", "rrg_anchor"]

_td = td
_inline = inline_svg

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


@dataclass(frozen=True)
class RrgPanel:
    """Relative Rotation Graph of every segment against the benchmark.

    Attributes
    ----------
    points : pandas.DataFrame
        Long table with columns ``segment, display, date, rs_ratio, rs_momentum`` holding the tail
        (last ``tail`` points per segment, oldest first).
    table : pandas.DataFrame
        One row per segment: ``segment, display, rs_ratio, rs_momentum, quadrant, direction``.
    formula : str
        The exact formula and parameters, printed as a footnote.
    """

    benchmark: str
    benchmark_display: str
    points: pd.DataFrame
    table: pd.DataFrame
    formula: str


def rrg_anchor(segment: str) -> str:
    """Id of a segment's row in the RRG table."""
    return f"rrg-{anchor_slug(segment)}"


def build(ctx: ReportContext) -> Built:
    """The RRG of the segments of the universe's RRG group (same frequency as the benchmark)
    against its benchmark; no panel with fewer than two such segments or too little history."""
    subjects, universe, as_of = ctx.subjects, ctx.universe, ctx.when
    bench_name = universe.rrg_benchmark
    if bench_name not in subjects:
        return Built()
    bench = subjects[bench_name]
    members = [s.name for s in universe.segments if s.name in subjects and s.name != bench_name
               and (not universe.rrg_group or s.group == universe.rrg_group)
               and subjects[s.name].frequency == bench.frequency]
    if len(members) < 2:
        return Built()
    prices = pd.DataFrame({n: subjects[n].prices for n in members})
    prices = prices[prices.index <= as_of]
    b = bench.prices[bench.prices.index <= as_of]
    params = ({} if bench.frequency == "daily" else
              {"ratio_window": 6, "momentum_window": 1, "norm_window": 36, "tail": 6, "tail_step": 1})
    try:
        res = rrg(prices, b, **params)
    except InputError:
        return Built()
    displays = {n: subjects[n].display for n in members}
    points = res.tail.copy()
    points.insert(1, "display", points["segment"].map(displays))
    table = res.table.copy()
    table.insert(1, "display", table["segment"].map(displays))
    table = table.dropna(subset=["rs_ratio", "rs_momentum"])
    if table.empty:
        return Built()
    return Built(panel=RrgPanel(benchmark=bench_name, benchmark_display=bench.display,
                                points=points, table=table.reset_index(drop=True),
                                formula=res.formula))


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


def html(panel: RrgPanel | None, r: Rendering) -> str:
    """The chart beside the quadrant table."""
    return _rrg_section(panel)


def _rrg(panel: RrgPanel) -> list[str]:
    out = [f"Benchmark: {md_escape(panel.benchmark_display)}.", ""]
    rows = []
    for _, r in panel.table.iterrows():
        rows.append(
            [
                str(r.get("display", r.get("segment"))),
                str(r.get("quadrant", "n/a")),
                str(r.get("direction", "n/a")),
                format_number(r.get("rs_ratio"), decimals=2),
                format_number(r.get("rs_momentum"), decimals=2),
            ]
        )
    out += md_table(["Segment", "Quadrant", "Heading", "RS-Ratio", "RS-Momentum"], rows, "lllrr")
    out += ["", f"Formula: {md_escape(panel.formula)}", ""]
    return out


def markdown(panel: RrgPanel | None, r: Rendering) -> list[str]:
    """The quadrant table and formula."""
    out = ["## Relative rotation", ""]
    if panel is None:
        return [*out, "No relative rotation graph in this report.", ""]
    return [*out, *_rrg(panel)]


def to_json(panel: RrgPanel | None, include_series: bool) -> SectionJson:
    """``tables.rrg`` and ``tables.rrg_tail``; top-level ``rrg``: benchmark and formula."""
    if panel is None:
        return SectionJson(tables={"rrg": [], "rrg_tail": []}, top={"rrg": None})
    meta: dict[str, Any] = {"benchmark": panel.benchmark,
                            "benchmark_display": panel.benchmark_display,
                            "formula": panel.formula}
    return SectionJson(tables={"rrg": records(panel.table), "rrg_tail": records(panel.points)},
                       top={"rrg": meta})


SECTION = Section(key="rrg", title="Relative rotation", build=build, html=html,
                  markdown=markdown, json=to_json)
