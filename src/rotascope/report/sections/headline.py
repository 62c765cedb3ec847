"""Headline: the most newsworthy facts of every section, one per story, each linking to its
evidence, and the report-level notes under them.

Built after every other section (it reads their facts): the market facts (series and pairs,
computed once per report) in their ranked order, then each section's own facts in page order,
ranked by :func:`~rotascope.narrative.headlines.pick_headlines`. Made-up sample facts compete
only in a report on the embedded sample.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rotascope.narrative.collect import rank_facts
from rotascope.narrative.fact import Fact
from rotascope.narrative.headlines import pick_headlines
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, esc
from rotascope.report.markdown_base import md_escape
from rotascope.report.model import Headline
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson

__all__ = ["MAX_HEADLINES", "SECTION"]

#: Most headlines a report shows.
MAX_HEADLINES = 12

METHODS: tuple[tuple[str, str], ...] = (
    ("Notable", "A fact can be a headline when its record horizon is at least a year, it is "
     "the extreme of the year, |z| >= 2, it is in the top or bottom decile of its history, a "
     "rotation episode is under way, a factor is rolling over, unwinding, crashing or "
     "rebounding, a driver beta or event-study mean has |t| >= 2, or (earnings) a beat rate is 10 "
     "points or a revision breadth 0.25 from the benchmark's; never a fact on stale data; made-up "
     "sample files only in a report on the embedded sample (or when asked for by name), and "
     "never when dated after the report."),
    ("Headlines", "Ranked by newsworthiness = rarity x prominence x freshness. Rarity (0-4): the "
     "record horizon 1 + log2(1 + years) (4 on record), the percentile's tail "
     "1.5 log10(0.5 / tail), |z| / 1.5, a factor crashing 4, unwinding 3, rolling over or "
     "rebounding 2, an ongoing rotation 2.5, a driver's or event study's |t| / 3 (at most 2). "
     "Prominence (0-1): set per segment in the universe (a pair counts as its less prominent "
     "side). Freshness: today's move 1, 2-5 days 0.7, a month 0.45, a quarter 0.3, longer 0.2, "
     "year to date 0.35, an ongoing rotation 0.7, a factor status 0.6, a valuation 0.4, a driver "
     "beta 0.25. One headline per story: the same subject moving the same way."),
)


def build(ctx: ReportContext) -> Built:
    """Pick the headlines from the market facts and the facts of the sections built so far."""
    demo = ctx.universe.provider == "sample"
    anchors: dict[int, tuple[str, bool]] = {}
    for fact in ctx.market_facts:
        anchors[id(fact)] = (ctx.anchor_of(fact), False)
    own: list[Fact] = []
    for built in ctx.built.values():
        for fact, anchor, sample in built.facts:
            if demo or not sample:
                anchors[id(fact)] = (anchor, sample)
                own.append(fact)
    pool = rank_facts([*ctx.market_facts, *own])
    chosen = pick_headlines(pool, ctx.universe.prominence_of(), MAX_HEADLINES)
    return Built(panel=[Headline(sentence=f.sentence, kind=f.kind, anchor=anchors[id(f)][0],
                                 fact=f.to_dict(), sample=anchors[id(f)][1]) for f in chosen])


def html(headlines: list[Headline] | None, r: Rendering) -> str:
    """The numbered headline list and the report's notes."""
    as_of: date = r.model.as_of
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
            when = h.data_date(as_of)
            dated = f'<span class="data-date">{esc(when)}</span>' if when else ""
            out.append(
                f'<li class="kind-{esc(anchor_slug(h.kind))}"><a href="#{esc(h.anchor)}">{esc(h.sentence)}</a>'
                f'{dated}{badge}<span class="kind">{esc(h.kind.replace("_", " "))}</span></li>'
            )
        out.append("</ol>")
    out.extend(f'<p class="note report-note">{esc(n)}</p>' for n in r.model.notes)
    out.append("</section>")
    return "\n".join(out)


def markdown(headlines: list[Headline] | None, r: Rendering) -> list[str]:
    """The headlines as a numbered list, the notes as quotes."""
    as_of = r.model.as_of
    out = ["## Headline", ""]
    if headlines:
        out += [f"{i}. {md_escape(h.sentence)}"
                + (f" ({md_escape(h.data_date(as_of))})" if h.data_date(as_of) else "")
                + f"{' (sample data)' if h.sample else ''}"
                for i, h in enumerate(headlines, 1)]
    else:
        out.append("Nothing passed the notability rules for this date.")
    if r.model.notes:
        out += ["", *(f"> {md_escape(n)}" for n in r.model.notes)]
    return [*out, ""]


def to_json(headlines: list[Headline] | None, include_series: bool) -> SectionJson:
    """``facts``: one object per headline (``sentence, kind, anchor, sample``, the full fact)."""
    facts: list[dict[str, Any]] = [
        {"sentence": h.sentence, "kind": h.kind, "anchor": h.anchor, "sample": h.sample,
         "fact": h.fact}
        for h in headlines or []
    ]
    return SectionJson(top={"facts": facts})


SECTION = Section(key="headline", title="Headline", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS, last=True)
