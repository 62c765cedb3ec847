"""The Breadth section of the HTML report: a table per segment, the breadth-history chart,
leaders and laggards, and the membership caveat (model in :mod:`rotascope.report.breadth_section`)."""

from __future__ import annotations

from rotascope.formatting import format_date, format_pct
from rotascope.narrative.breadth_facts import segment_label
from rotascope.pipeline.breadth import SegmentBreadth
from rotascope.report.breadth_section import BreadthPanel, table_rows
from rotascope.report.html_base import anchor_slug, esc, inline_svg, table, td
from rotascope.report.svg import frame_chart

__all__ = ["breadth_anchor", "breadth_html"]

HISTORY_DAYS = 756  # the chart shows the last three years of the breadth history


def breadth_anchor(segment: str) -> str:
    """HTML id of a segment's breadth panel (headline facts link to it)."""
    return f"breadth-{anchor_slug(segment)}"


def _movers(seg: SegmentBreadth, title: str, which: str) -> str:
    frame = (seg.leaders if which == "leaders" else seg.laggards).get("5d")
    if frame is None or frame.empty:
        return ""
    info = seg.members.frame.set_index("ticker")
    rows = []
    for r in frame.to_dict("records"):
        t = str(r["ticker"])
        since = "on record" if r["on_record"] else format_date(r["since"])
        rows.append(("", [td(t), td(str(info["name"].get(t, ""))), td(str(info["sector"].get(t, ""))),
                          td(format_pct(float(r["return"])), float(r["return"]), num=True),
                          td(since)]))  # fmt: skip
    return table([("Ticker", "text", ""), ("Name", "text", ""), ("Sector", "text", ""),
                  ("5-day return", "num", "num"), ("Biggest since", "text", "")], rows,
                 caption=title)  # fmt: skip


def _segment(seg: SegmentBreadth, panel: BreadthPanel) -> str:
    key = breadth_anchor(seg.members.segment)
    label = segment_label(seg.members.display)
    out = [f'<article class="panel" id="{key}">',
           f"<h3>{esc(label)} ({esc(seg.members.segment)})</h3>"]
    out.append(table([("Measure", "text", ""), ("Value", "text", "num")],
                     [("", [td(a), td(b, num=True)]) for a, b in table_rows(seg)],
                     caption=f"Breadth on {format_date(seg.as_of)}"))
    facts = [f for f in panel.facts.get(seg.members.segment, []) if f.notable]
    if facts:
        out.append("<ul>" + "".join(f"<li>{esc(f.sentence)}</li>" for f in facts) + "</ul>")
    hist = seg.history[["above_ma_50", "above_ma_200", "new_highs_share"]].tail(HISTORY_DAYS)
    hist = hist.rename(columns={"above_ma_50": "above 50-day average",
                                "above_ma_200": "above 200-day average",
                                "new_highs_share": "at a 252-day high"})  # fmt: skip
    if len(hist.dropna(how="all")) >= 2:
        svg = frame_chart(hist, chart_id=f"{key}-chart",
                          title=f"{label}: share of members (last {len(hist):,} days)",
                          value_format=lambda v: format_pct(v, signed=False),
                          tick_format=lambda v: format_pct(v, signed=False, decimals=0),
                          description="Breadth history: share of members above their 50- and "
                                      "200-day averages and at a 252-day high.")  # fmt: skip
        out.append(f'<figure class="chart">{inline_svg(svg)}</figure>')
    out.append(_movers(seg, "Leaders over 5 days", "leaders"))
    out.append(_movers(seg, "Laggards over 5 days", "laggards"))
    if seg.missing:
        shown = ", ".join(seg.missing[:30]) + (", ..." if len(seg.missing) > 30 else "")
        out.append(f'<p class="note">{len(seg.missing):,} members without price history: '
                   f"{esc(shown)} (all listed in the JSON output).</p>")
    out.append(f'<p class="note">{esc(seg.caveat)}</p>')
    out.append("</article>")
    return "\n".join(o for o in out if o)


def breadth_html(panel: BreadthPanel | None) -> str:
    """The ``<section id="breadth">`` (empty string without a panel)."""
    if panel is None:
        return ""
    out = ['<section id="breadth" aria-labelledby="breadth-h">',
           '<h2 id="breadth-h">Breadth</h2>',
           f'<p class="note">Prices: {esc(panel.result.source)}; as of '
           f"{format_date(panel.result.as_of)}.</p>"]
    out += [_segment(seg, panel) for seg in panel.segments]
    out.append("</section>")
    return "\n".join(out)
