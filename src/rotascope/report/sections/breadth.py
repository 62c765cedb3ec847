"""Breadth: per segment of a universe with a price panel and members (its ``[breadth]`` table, or
``report --prices --members``), the share of members above their 20/50/200-day averages, new
highs and lows, advancers, record moves, leaders and laggards, with the breadth-history chart.

Computed by :func:`rotascope.pipeline.breadth.compute_breadth` (behind ``rotascope breadth``);
its JSON is also what ``rotascope breadth --json`` prints. An optional section: left out of the
page when the universe names no panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rotascope.data.panel import PanelReader
from rotascope.data.panel_members import SegmentMembers
from rotascope.data.universe import Universe
from rotascope.formatting import format_date, format_pct
from rotascope.narrative.breadth_facts import breadth_facts, segment_label
from rotascope.narrative.fact import Fact
from rotascope.pipeline.breadth import (
    MA_WINDOWS,
    RET_WINDOWS,
    BreadthResult,
    SegmentBreadth,
    compute_breadth,
)
from rotascope.pipeline.breadth_inputs import breadth_inputs
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, esc, inline_svg, table, td
from rotascope.report.markdown_base import md_escape
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.svg import frame_chart

__all__ = [
    "BREADTH_METHODS",
    "SECTION",
    "BreadthPanel",
    "breadth_anchor",
    "breadth_html",
    "breadth_json",
    "breadth_markdown",
    "build_breadth",
    "report_breadth",
    "segment_json",
    "table_rows",
]

BREADTH_METHODS: list[tuple[str, str]] = [
    ("Breadth", "Per segment on the as-of date, over its members (holdings file of the stated "
     "date) with a close that day, each on its own rows (zero, negative and missing closes are "
     "excluded rows, never used). Above N-day average: N * close > sum of the last N closes "
     "(today included), among members with at least N closes (N = 20, 50, 200). New highs "
     "(lows): close is the highest (lowest) of the last 252 rows, ties counting, among members "
     "with 252 rows. Advancers/decliners: close above/below the previous close; the A-D line "
     "is their cumulative difference. Record moves: members with 504 rows whose W-row return "
     "(W = 1, 5, 21) has a record horizon of at least 252 rows (no earlier return as large for "
     "gains, as small for drops, in the last 252 rows) or none. Breadth history: each share "
     "as a daily series; its record horizon and percentile (share below plus half the share "
     "equal, today included) against its own history."),
]


@dataclass(frozen=True)
class BreadthPanel:
    """Everything the Breadth section shows: the scan result and each segment's facts."""

    result: BreadthResult
    facts: dict[str, list[Fact]] = field(default_factory=dict)

    @property
    def segments(self) -> list[SegmentBreadth]:
        return self.result.segments


def build_breadth(result: BreadthResult) -> BreadthPanel:
    """The section's model: the scan and the facts of every segment."""
    return BreadthPanel(result, {s.members.segment: breadth_facts(s) for s in result.segments})


def report_breadth(
    universe: Universe,
    data_dir: Path | None,
    as_of: pd.Timestamp,
    inputs: tuple[PanelReader, list[SegmentMembers]] | None = None,
) -> BreadthPanel | None:
    """The report's Breadth section: from ``inputs`` (``report --prices --members``) or the
    universe's ``[breadth]`` table; None when neither names a panel."""
    if inputs is None:
        inputs = breadth_inputs(None, [], universe, data_dir)
    if inputs is None:
        return None
    panel, segments = inputs
    return build_breadth(compute_breadth(panel, segments, as_of))


def _num(x: object) -> float | None:
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return None if math.isnan(v) else v


def _int(x: object) -> int:
    v = _num(x)
    return 0 if v is None else int(v)


def _movers(seg: SegmentBreadth, frame: pd.DataFrame) -> list[dict[str, Any]]:
    info = seg.members.frame.set_index("ticker")
    out = []
    for row in frame.to_dict("records"):
        t = str(row["ticker"])
        out.append({"ticker": t, "name": str(info["name"].get(t, "")),
                    "sector": str(info["sector"].get(t, "")), "return": float(row["return"]),
                    "since": None if pd.isna(row["since"]) else pd.Timestamp(row["since"]).date(),
                    "on_record": bool(row["on_record"])})  # fmt: skip
    return out


def segment_json(seg: SegmentBreadth, facts: list[Fact], show_all: bool = False) -> dict[str, Any]:
    """One segment of ``rotascope breadth --json``: the keys the issue names, then evidence."""
    snap = seg.snapshot
    return {
        "segment": seg.members.segment,
        "members": len(seg.members.tickers),
        "with_data": _int(snap.get("with_data")),
        "above_ma": {str(n): _num(snap.get(f"above_ma_{n}")) for n in MA_WINDOWS},
        "new_highs": _int(snap.get("new_highs")),
        "new_lows": _int(snap.get("new_lows")),
        "advancers": _int(snap.get("advancers")),
        "decliners": _int(snap.get("decliners")),
        "record_moves": {f"{w}d": {"gains": _int(snap.get(f"record_gains_{w}d")),
                                   "drops": _int(snap.get(f"record_drops_{w}d"))}
                         for w in RET_WINDOWS},  # fmt: skip
        "leaders": {k: _movers(seg, v) for k, v in seg.leaders.items()},
        "laggards": {k: _movers(seg, v) for k, v in seg.laggards.items()},
        "facts": [f.to_dict() for f in facts if show_all or f.notable],
        "display": seg.members.display,
        "unchanged": _int(snap.get("unchanged")),
        "ad_line": _int(snap.get("ad_line")),
        "eligible": {
            "above_ma": {str(n): _int(snap.get(f"ma_eligible_{n}")) for n in MA_WINDOWS},
            "new_highs_lows": _int(snap.get("hl_eligible")),
            "record_moves": _int(snap.get("record_eligible")),
        },
        "membership_date": None if seg.members.as_of is None else seg.members.as_of.date(),
        "members_source": seg.members.source,
        "without_prices": {"count": len(seg.missing), "tickers": seg.missing},
        "excluded_rows": [{"ticker": e.ticker, "bad_dates": e.bad, "gaps": e.holes,
                           "first": e.first, "last": e.last} for e in seg.excluded],
        "caveat": seg.caveat,
    }


def breadth_json(panel: BreadthPanel, show_all: bool = False) -> dict[str, Any]:
    """The object ``rotascope breadth --json`` prints: ``as_of``, ``source``, ``segments``."""
    return {
        "as_of": panel.result.as_of.date(),
        "source": panel.result.source,
        "segments": [segment_json(s, panel.facts.get(s.members.segment, []), show_all)
                     for s in panel.segments],
    }


def _fmt_share(x: object) -> str:
    v = _num(x)
    return "n/a" if v is None else f"{v * 100:.1f}%"


def table_rows(seg: SegmentBreadth) -> list[tuple[str, str]]:
    """(measure, value) rows of a segment's breadth table, shared by every format."""
    s = seg.snapshot
    rows = [("Members (with a close today)", f"{len(seg.members.tickers):,} "
             f"({_int(s.get('with_data')):,}; {len(seg.missing):,} without prices)")]
    for n in MA_WINDOWS:
        rows.append((f"Above {n}-day average",
                     f"{_fmt_share(s.get(f'above_ma_{n}'))} of {_int(s.get(f'ma_eligible_{n}')):,}"))
    for key, label in (("new_highs", "New 252-day highs"), ("new_lows", "New 252-day lows")):
        rows.append((label, f"{_int(s.get(key)):,} ({_fmt_share(s.get(key + '_share'))} of "
                            f"{_int(s.get('hl_eligible')):,})"))
    rows.append(("Advancers / decliners / unchanged",
                 f"{_int(s.get('advancers')):,} / {_int(s.get('decliners')):,} / "
                 f"{_int(s.get('unchanged')):,}"))
    for w in RET_WINDOWS:
        rows.append((f"Biggest {w}d gain / drop in >= 1 year",
                     f"{_int(s.get(f'record_gains_{w}d')):,} / {_int(s.get(f'record_drops_{w}d')):,}"
                     f" of {_int(s.get('record_eligible')):,}"))
    return rows


def breadth_markdown(panel: BreadthPanel) -> str:
    """The section in Markdown: a table per segment, its facts, leaders and laggards (5d)."""
    out = ["## Breadth", ""]
    for seg in panel.segments:
        out += [f"### {md_escape(segment_label(seg.members.display))} "
                f"({md_escape(seg.members.segment)})", "", "| measure | value |", "|---|---|"]
        out += [f"| {md_escape(a)} | {md_escape(b)} |" for a, b in table_rows(seg)]
        out.append("")
        out += [f"- {md_escape(f.sentence)}" for f in panel.facts.get(seg.members.segment, [])
                if f.notable]
        for title, frame in (("Leaders", seg.leaders.get("5d")), ("Laggards", seg.laggards.get("5d"))):
            if frame is None or frame.empty:
                continue
            items = ", ".join(f"{md_escape(str(r['ticker']))} {r['return'] * 100:+.1f}%"
                              for r in frame.to_dict("records"))
            out.append(f"- {title} over 5 days: {items}")
        out += ["", f"_{md_escape(seg.caveat)}_", ""]
    return "\n".join(out)


HISTORY_DAYS = 756  # the chart shows the last three years of the breadth history


def breadth_anchor(segment: str) -> str:
    """HTML id of a segment's breadth panel (headline facts link to it)."""
    return f"breadth-{anchor_slug(segment)}"


def _movers_html(seg: SegmentBreadth, title: str, which: str) -> str:
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
    out.append(_movers_html(seg, "Leaders over 5 days", "leaders"))
    out.append(_movers_html(seg, "Laggards over 5 days", "laggards"))
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


def build(ctx: ReportContext) -> Built:
    """The breadth of the caller's panel and members, else the universe's; no panel: nothing."""
    panel = report_breadth(ctx.universe, ctx.source.data_dir, ctx.when, ctx.breadth)
    out = Built(panel=panel)
    if panel is not None:
        out.facts = [(f, breadth_anchor(seg), False) for seg, fs in panel.facts.items()
                     for f in fs]
    return out


def html(panel: BreadthPanel | None, r: Rendering) -> str:
    """A table per segment, the breadth-history chart, leaders and laggards."""
    return breadth_html(panel)


def markdown(panel: BreadthPanel | None, r: Rendering) -> list[str]:
    """A table per segment, its notable facts, leaders and laggards."""
    return [] if panel is None else [breadth_markdown(panel), ""]


def to_json(panel: BreadthPanel | None, include_series: bool) -> SectionJson:
    """Top-level ``breadth`` (the object of ``rotascope breadth --json``), when shown."""
    return SectionJson() if panel is None else SectionJson(top={"breadth": breadth_json(panel)})


SECTION = Section(key="breadth", title="Breadth", build=build, html=html, markdown=markdown,
                  json=to_json, methods=tuple(BREADTH_METHODS), optional=True)
