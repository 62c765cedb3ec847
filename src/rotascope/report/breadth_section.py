"""The Breadth section: its model, its JSON (also ``rotascope breadth --json``) and Markdown.

The HTML and the breadth-history chart are in :mod:`rotascope.report.breadth_html`. The
section appears when the universe (or the command line) names a price panel and members.
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

__all__ = [
    "BREADTH_METHODS",
    "BreadthPanel",
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
    from rotascope.report.markdown_base import md_escape

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
