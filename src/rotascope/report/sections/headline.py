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

from rotascope.formatting import format_pct, is_missing
from rotascope.narrative.collect import rank_facts
from rotascope.narrative.fact import Fact
from rotascope.narrative.headlines import pick_stories
from rotascope.pipeline.market import related_segments
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
     "never when dated after the report. A close 10% or more below the record close (in a "
     "correction or a bear market) is stated, but as a standing state with no rarity it is "
     "never a headline; only entering one, or a record close, is."),
    ("Headlines", "Ranked by newsworthiness = rarity x prominence x freshness. Rarity (0-4): the "
     "record horizon 1 + log2(1 + years) (4 on record), the percentile's tail "
     "1.5 log10(0.5 / tail), |z| / 1.5, a factor crashing 4, unwinding 3, rolling over or "
     "rebounding 2, an ongoing rotation 2.5, a driver's or event study's |t| / 3 (at most 2); "
     "halved for a move of which a bigger one came less than 28 days before (an echo). "
     "Prominence (0-1): set per segment in the universe (a pair counts as its less prominent "
     "side). Freshness: today's move 1, 2-5 days 0.7, a month 0.45, a quarter 0.3, longer 0.2, "
     "year to date 0.35, an ongoing rotation 0.7, a factor status 0.6, a valuation 0.4, a driver "
     "beta 0.25. One headline per story: the same subject moving the same way (an ETF and the "
     "index it tracks count as one subject); the same move over the same window of a less "
     "prominent segment whose daily returns correlate at least 0.95 with the lead's over the "
     "past year is shown beside the lead as \"same story\", not as a headline of its own."),
)


def _tracked_with_data(ctx: ReportContext) -> dict[str, str]:
    """ETF -> index for the indices with current data on the report's date."""
    return {etf: index for etf, index in ctx.universe.tracks_of().items()
            if index in ctx.subjects and index in ctx.market.ages
            and not ctx.market.ages[index].stale}


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
    stories = pick_stories(pool, ctx.universe.prominence_of(), MAX_HEADLINES,
                           tracks=_tracked_with_data(ctx),
                           related=related_segments(ctx.subjects, ctx.when))

    def also(fact: Fact) -> dict[str, Any]:
        sub = ctx.subjects.get(fact.subject)
        name = sub.display if sub is not None else fact.subject
        move = "" if is_missing(fact.value) or fact.kind == "level_record" else (
            f" {format_pct(fact.value)}")
        return {"text": f"{name}{move}", "anchor": anchors[id(fact)][0],
                "sentence": fact.sentence}

    return Built(panel=[Headline(sentence=st.lead.sentence, kind=st.lead.kind,
                                 anchor=anchors[id(st.lead)][0], fact=st.lead.to_dict(),
                                 sample=anchors[id(st.lead)][1],
                                 also=tuple(also(f) for f in st.also)) for st in stories])


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
            same = "" if not h.also else (
                '<span class="also">Same story: ' + ", ".join(
                    f'<a href="#{esc(a["anchor"])}" title="{esc(a["sentence"])}">{esc(a["text"])}</a>'
                    for a in h.also) + "</span>")
            out.append(
                f'<li class="kind-{esc(anchor_slug(h.kind))}"><a href="#{esc(h.anchor)}">{esc(h.sentence)}</a>'
                f'{dated}{badge}<span class="kind">{esc(h.kind.replace("_", " "))}</span>{same}</li>'
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
                + ("" if not h.also else
                   f" (same story: {md_escape(', '.join(a['text'] for a in h.also))})")
                for i, h in enumerate(headlines, 1)]
    else:
        out.append("Nothing passed the notability rules for this date.")
    if r.model.notes:
        out += ["", *(f"> {md_escape(n)}" for n in r.model.notes)]
    return [*out, ""]


def to_json(headlines: list[Headline] | None, include_series: bool) -> SectionJson:
    """``facts``: one object per headline (``sentence, kind, anchor, sample``, the full fact,
    ``also``: the related segments' same move folded into it)."""
    facts: list[dict[str, Any]] = [
        {"sentence": h.sentence, "kind": h.kind, "anchor": h.anchor, "sample": h.sample,
         "fact": h.fact, "also": [dict(a) for a in h.also]}
        for h in headlines or []
    ]
    return SectionJson(top={"facts": facts})


SECTION = Section(key="headline", title="Headline", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS, last=True)
