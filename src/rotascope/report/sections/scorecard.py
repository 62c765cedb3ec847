"""Scorecard: segments ranked on valuation, technicals, leverage and earnings stability
(cross-sectional z-scores per pillar and a weighted composite), from the universe's
``[report.scorecard]`` fundamentals file with technicals from the report's own prices (or the
shipped made-up sample, labelled as such)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import cast

import pandas as pd

from rotascope.analytics.scorecard import technical_inputs
from rotascope.data.earnings import SAMPLE_LABEL
from rotascope.data.universe import Universe, load_universe
from rotascope.formatting import format_number, format_pct, is_missing
from rotascope.formatting import is_missing as missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact
from rotascope.narrative.scorecard_facts import card_facts
from rotascope.pipeline.scorecard import ScorecardRun, scorecard_run
from rotascope.report.context import ReportContext
from rotascope.report.html_base import SAMPLE_TAG as _SAMPLE_TAG
from rotascope.report.html_base import anchor_slug, esc, heat, table, td
from rotascope.report.html_base import more_sentences as _more
from rotascope.report.html_base import open_section as _open
from rotascope.report.html_base import sample_note as _sample_note
from rotascope.report.html_base import sentence_list as _sentences
from rotascope.report.markdown_base import MD_SAMPLE as _SAMPLE
from rotascope.report.markdown_base import md_bullets as _bullets
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import SKIP, Built, Rendering, Section, SectionJson, day
from rotascope.report.sections.earnings import data_path, sample_allowed
from rotascope.report.settings import report_settings

__all__ = ["SECTION", "ScorecardPanel", "scorecard_anchor", "scorecard_panel"]

_date = day


@dataclass(frozen=True)
class ScorecardPanel:
    """The segment scorecard: pillar scores, pillars used, composite and rank per segment.

    ``table`` is indexed by segment, best first, with ``display, rank, <pillar>...,
    pillars_used, composite`` (NaN where missing); ``inputs`` holds the raw metric values
    (NaN where missing), ``metrics`` the metrics of each pillar. ``sentences`` are the notable
    facts (first and last), ``more_sentences`` the others.
    """

    as_of: date | None
    table: pd.DataFrame
    pillars: list[str]
    inputs: pd.DataFrame
    metrics: dict[str, list[str]]
    weights: dict[str, float]
    sentences: list[str]
    source: str
    is_sample: bool
    more_sentences: list[str] = field(default_factory=list)


def scorecard_anchor(segment: str) -> str:
    """Id of a segment's row in the scorecard table."""
    return f"scorecard-{anchor_slug(segment)}"


def build(ctx: ReportContext) -> Built:
    """The scorecard of the universe's fundamentals file on the report date (technicals from
    the report's prices); nothing when the universe turns the section off."""
    out = Built()
    ref = report_settings(ctx.universe).scorecard
    if not ref.show:
        return out
    file = ref.files.get("fundamentals")
    sample = file is None
    if sample and not sample_allowed(ctx, ref, "scorecard", out):
        return out
    names_universe = load_universe("us") if sample else ctx.universe
    technicals = None
    if not sample:  # real fundamentals: technicals from the report's own prices
        prices = {n: s.prices for n, s in ctx.subjects.items()}
        technicals = technical_inputs(prices, ctx.when) if prices else None
    try:
        view = scorecard_run(names_universe,
                             fundamentals=None if file is None else data_path(file, ctx),
                             as_of=None if sample else ctx.when, technicals=technicals)
    except SKIP as exc:
        ctx.missing("scorecard", exc)
        return out
    facts = card_facts(view)
    out.facts += [(f, scorecard_anchor(f.subject), sample) for f in facts]
    out.panel = scorecard_panel(view, facts, names_universe)
    if out.panel.is_sample:
        out.sources.append({"series": "fundamentals sample files", "source": SAMPLE_LABEL,
                            "first": None, "last": out.panel.as_of})
    return out


def scorecard_panel(view: ScorecardRun, facts: list[Fact], universe: Universe) -> ScorecardPanel:
    """The scorecard panel of a :func:`~rotascope.pipeline.scorecard.scorecard_run` and its
    facts."""
    card = view.card
    displays = {s.name: s.display for s in universe.segments}
    pillars = list(card.pillars)
    table = card.table[["rank", *pillars, "pillars_used", "composite"]].copy()
    table.insert(0, "display", [displays.get(str(s), str(s)) for s in table.index])
    metrics = {p: list(m) for p, m in card.pillars.items()}
    used = [m for ms in metrics.values() for m in ms if m in card.inputs.columns]
    return ScorecardPanel(
        as_of=_date(view.as_of), table=table, pillars=pillars,
        inputs=card.inputs.reindex(table.index)[used], metrics=metrics,
        weights=dict(view.weights), sentences=[f.sentence for f in facts if f.notable],
        source=view.source, is_sample=view.is_sample,
        more_sentences=[f.sentence for f in facts if not f.notable],
    )


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


def html(panel: ScorecardPanel | None, r: Rendering) -> str:
    """The ranking table with each pillar's score and the inputs behind them."""
    return scorecard_section(panel)


def _markdown(panel: ScorecardPanel | None) -> list[str]:
    if panel is None:
        return ["## Scorecard", "", "No scorecard in this report.", ""]
    out = [f"## Scorecard {_SAMPLE if panel.is_sample else ''}".rstrip(), ""]
    out += [f"Source: {md_escape(panel.source)}. Missing inputs are shown as missing.", ""]
    out += _bullets(panel.sentences)

    def score(x: object) -> str:
        return "missing" if missing(x) else format_number(x, decimals=2,  # type: ignore[arg-type]
                                                          signed=True)

    rows = []
    for _, r in panel.table.iterrows():
        rows.append(["n/a" if missing(r["rank"]) else str(int(r["rank"])), str(r["display"]),
                     *(score(r[p]) for p in panel.pillars),
                     f"{int(r['pillars_used'])} of {len(panel.pillars)}", score(r["composite"])])
    out += md_table(["Rank", "Segment", *(p.replace("_", " ").capitalize()
                                          for p in panel.pillars), "Pillars used", "Composite"],
                    rows, "rl" + "r" * (len(panel.pillars) + 2))
    return [*out, ""]


def markdown(panel: ScorecardPanel | None, r: Rendering) -> list[str]:
    """The ranking table and sentences."""
    return _markdown(panel)


def to_json(panel: ScorecardPanel | None, include_series: bool) -> SectionJson:
    """``tables.scorecard`` and ``tables.scorecard_inputs`` (by segment);
    ``sections.scorecard``: date, sample flag, source, pillars, metrics, weights, sentences."""
    if panel is None:
        return SectionJson(tables={"scorecard": [], "scorecard_inputs": []},
                           meta_key="scorecard")
    meta = {"as_of": panel.as_of, "sample": panel.is_sample, "source": panel.source,
            "pillars": panel.pillars, "metrics": panel.metrics, "weights": panel.weights,
            "sentences": [*panel.sentences, *panel.more_sentences]}
    return SectionJson(tables={"scorecard": records(panel.table, index="segment"),
                               "scorecard_inputs": records(panel.inputs, index="segment")},
                       meta_key="scorecard", meta=meta)


SECTION = Section(key="scorecard", title="Scorecard", build=build, html=html,
                  markdown=markdown, json=to_json)
