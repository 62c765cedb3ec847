"""Earnings season: beat rates, surprises and estimate-revision breadth by segment, against the
benchmark, from the universe's ``[report.earnings]`` files (or, in a report on the embedded
sample, the shipped made-up sample files, labelled as such)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from rotascope.data.earnings import SAMPLE_AS_OF, SAMPLE_LABEL
from rotascope.data.universe import Universe, load_universe
from rotascope.formatting import format_date, format_number, format_pct
from rotascope.jsonutil import records
from rotascope.narrative.earnings_facts import season_facts
from rotascope.narrative.fact import Fact
from rotascope.pipeline.earnings import EarningsRun, earnings_run
from rotascope.report.context import ReportContext
from rotascope.report.html_base import SAMPLE_TAG as _SAMPLE_TAG
from rotascope.report.html_base import anchor_slug, esc, heat, table, td
from rotascope.report.html_base import figure as _figure
from rotascope.report.html_base import more_sentences as _more
from rotascope.report.html_base import open_section as _open
from rotascope.report.html_base import sample_note as _sample_note
from rotascope.report.html_base import sentence_list as _sentences
from rotascope.report.markdown_base import MD_SAMPLE as _SAMPLE
from rotascope.report.markdown_base import md_bullets as _bullets
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import SKIP, Built, Rendering, Section, SectionJson
from rotascope.report.settings import FilesRef, report_settings
from rotascope.report.svg import bar_chart

__all__ = ["EARNINGS_CHART_ANCHOR", "SECTION", "EarningsPanel", "data_path", "earnings_anchor",
           "earnings_panel", "sample_allowed"]

EARNINGS_CHART_ANCHOR = "earnings-chart"

METHODS: tuple[tuple[str, str], ...] = (
    ("Earnings season", "Beat rate: share of reporting companies whose actual beat the estimate "
     "(EPS and sales); revision breadth: (up - down) / (up + down) estimate revisions over 30 "
     "days. Scorecard: cross-sectional z-scores of each metric, averaged per pillar; composite "
     "is the weighted mean of the pillars available (missing inputs stay missing)."),
)


@dataclass(frozen=True)
class EarningsPanel:
    """The earnings season so far, per segment.

    ``table`` is indexed by segment with ``display, reported, members, eps_beat_rate,
    eps_beat_rate_weighted, median_eps_surprise, sales_beat_rate, breadth_next_q,
    breadth_next_y`` (fractions; breadth in [-1, 1]). ``sentences`` are the notable facts,
    ``more_sentences`` the others. ``is_sample`` marks the shipped made-up sample files.
    """

    season: str
    as_of: date
    table: pd.DataFrame
    sentences: list[str]
    source: str
    is_sample: bool
    benchmark: str = ""
    more_sentences: list[str] = field(default_factory=list)


def earnings_anchor(segment: str) -> str:
    """Id of a segment's row in the earnings table."""
    return f"earnings-{anchor_slug(segment)}"


def data_path(ref: str, ctx: ReportContext) -> Path:
    """A file named in the universe, relative to the data folder when not absolute."""
    path = Path(ref).expanduser()
    if not path.is_absolute() and ctx.source.data_dir is not None:
        path = Path(ctx.source.data_dir) / path
    return path


def sample_allowed(ctx: ReportContext, ref: FilesRef, what: str, out: Built) -> bool:
    """Whether a section without files may show the shipped made-up sample: in a report on the
    embedded sample or when asked by name (``sample = true``), and only when the sample is not
    dated after the report. Otherwise a note says why the section is left out."""
    if not (ref.sample or ctx.universe.provider == "sample"):
        return False
    if SAMPLE_AS_OF > ctx.when:
        out.notes.append(
            f"The {what} section is left out: the shipped made-up sample files describe "
            f"{SAMPLE_AS_OF:%B %-d, %Y}, after this report's date ({ctx.when:%B %-d, %Y}); "
            f"`rotascope {what.split()[0]}` shows them."
        )
        return False
    return True


def build(ctx: ReportContext) -> Built:
    """The earnings season of the universe's files on the report date (the sample keeps its
    own date); nothing when the universe turns the section off."""
    out = Built()
    ref = report_settings(ctx.universe).earnings
    if not ref.show:
        return out
    files = {k: data_path(v, ctx) for k, v in ref.files.items()}
    sample = not files
    if sample and not sample_allowed(ctx, ref, "earnings season", out):
        return out
    # the shipped sample is mapped onto the `us` universe's segments and names
    names_universe = load_universe("us") if sample else ctx.universe
    try:
        view = earnings_run(names_universe, earnings=files.get("earnings"),
                            membership=files.get("membership"), revisions=files.get("revisions"),
                            as_of=None if sample else ctx.when)
    except SKIP as exc:
        ctx.missing("earnings season", exc)
        return out
    facts = season_facts(view)
    out.facts += [(f, earnings_anchor(f.subject), sample) for f in facts]
    out.panel = earnings_panel(view, facts, names_universe)
    if out.panel.is_sample:
        out.sources.append({"series": "earnings sample files", "source": SAMPLE_LABEL,
                            "first": None, "last": out.panel.as_of})
    return out


def earnings_panel(view: EarningsRun, facts: list[Fact], universe: Universe) -> EarningsPanel:
    """The earnings panel of an :func:`~rotascope.pipeline.earnings.earnings_run` and its facts
    (``universe`` names the segments and the benchmark)."""
    displays = {s.name: s.display for s in universe.segments}
    cols = ["reported", "members", "eps_beat_rate", "eps_beat_rate_weighted",
            "median_eps_surprise", "sales_beat_rate"]
    table = view.table[cols].copy()
    table.insert(0, "display", [displays.get(str(s), str(s)) for s in table.index])
    for period, col in (("0q", "breadth_next_q"), ("+1y", "breadth_next_y")):
        b = view.breadth.get(period)
        table[col] = b["breadth"].reindex(table.index) if b is not None else math.nan
    bench = universe.benchmark if universe.benchmark in table.index else ""
    return EarningsPanel(
        season=view.season, as_of=view.as_of.date(), table=table,
        sentences=[f.sentence for f in facts if f.notable], source=view.source,
        is_sample=view.is_sample, benchmark=bench,
        more_sentences=[f.sentence for f in facts if not f.notable],
    )


def earnings_section(panel: EarningsPanel | None) -> str:
    """Beat rates, surprises and revision breadth per segment, with a beat-rate chart."""
    tag = _SAMPLE_TAG if panel is not None and panel.is_sample else ""
    out = _open("earnings", "Earnings season", tag)
    if panel is None:
        out.append('<p class="note">No earnings section in this report.</p></section>')
        return "\n".join(out)
    out.append(_sample_note(panel.is_sample, panel.source, panel.as_of))
    out.append(f"<p>The {esc(panel.season)} reporting season so far, to "
               f"{esc(format_date(panel.as_of, style='long'))}.</p>")
    out.append(_sentences(panel.sentences))
    out.append(_more(panel.more_sentences, "Other facts of the season"))
    t = panel.table
    headers = [("Segment", "text", ""), ("Reported", "num", "num"), ("EPS beats", "num", "num"),
               ("Weighted", "num", "num"), ("Surprise", "num", "num"),
               ("Sales beats", "num", "num"), ("Revisions Q", "num", "num"),
               ("Revisions Y", "num", "num")]
    rows = []
    for seg, r in t.iterrows():
        cells = [f'<th scope="row" data-v="{esc(r["display"])}">{esc(r["display"])}</th>',
                 td(f"{int(r['reported'])} of {int(r['members'])}", r["reported"], num=True)]
        for col in ("eps_beat_rate", "eps_beat_rate_weighted"):
            cells.append(td(format_pct(r[col], signed=False), r[col], num=True))
        cells.append(td(format_pct(r["median_eps_surprise"]), r["median_eps_surprise"],
                        num=True))
        cells.append(td(format_pct(r["sales_beat_rate"], signed=False), r["sales_beat_rate"],
                        num=True))
        for col in ("breadth_next_q", "breadth_next_y"):
            cells.append(td(format_number(r[col], decimals=2, signed=True), r[col], num=True,
                            extra=heat(r[col], 0.5)))
        rows.append((f' id="{esc(earnings_anchor(str(seg)))}"', cells))
    bench = t.loc[panel.benchmark, "display"] if panel.benchmark in t.index else ""
    tbl = table(headers, rows, sortable=True, css_class="earnings", caption=(
        "EPS and sales beats: share of the reporting companies whose actual beat the estimate "
        "(weighted: by index weight); surprise: median EPS surprise. Revisions: breadth of EPS "
        "estimate revisions over 30 days, (up - down) / (up + down), for the next quarter (Q) "
        "and the next year (Y)."))
    rates = pd.Series(t["eps_beat_rate"].to_numpy(), index=t["display"]).sort_values(
        ascending=False)
    chart = bar_chart(rates, chart_id=EARNINGS_CHART_ANCHOR, title="EPS beat rate by segment",
                      value_format=lambda v: format_pct(v, signed=False),
                      description="Share of reporting companies that beat the EPS estimate, "
                                  "by segment.")
    caption = ("Share of the segment's reporting companies that beat the EPS estimate"
               + (f"; benchmark: {esc(bench)}." if bench else "."))
    out.append(tbl)
    out.append(f'<div class="bar-figure">{_figure(chart, caption)}</div>')
    out.append("</section>")
    return "\n".join(out)


def html(panel: EarningsPanel | None, r: Rendering) -> str:
    """The beat-rate table and chart with the season's sentences."""
    return earnings_section(panel)


def _markdown(panel: EarningsPanel | None) -> list[str]:
    if panel is None:
        return ["## Earnings season", "", "No earnings section in this report.", ""]
    out = [f"## Earnings season {_SAMPLE if panel.is_sample else ''}".rstrip(), ""]
    out += [f"The {md_escape(panel.season)} season so far, to "
            f"{format_date(panel.as_of, style='long')}. Source: {md_escape(panel.source)}.", ""]
    out += _bullets(panel.sentences)
    rows = []
    for _, r in panel.table.iterrows():
        rows.append([str(r["display"]), f"{int(r['reported'])} of {int(r['members'])}",
                     format_pct(r["eps_beat_rate"], signed=False),
                     format_pct(r["eps_beat_rate_weighted"], signed=False),
                     format_pct(r["median_eps_surprise"]),
                     format_pct(r["sales_beat_rate"], signed=False),
                     format_number(r["breadth_next_q"], decimals=2, signed=True),
                     format_number(r["breadth_next_y"], decimals=2, signed=True)])
    out += md_table(["Segment", "Reported", "EPS beats", "Weighted", "Surprise", "Sales beats",
                     "Revisions Q", "Revisions Y"], rows, "lrrrrrrr")
    return [*out, ""]


def markdown(panel: EarningsPanel | None, r: Rendering) -> list[str]:
    """The beat-rate table and sentences."""
    return _markdown(panel)


def to_json(panel: EarningsPanel | None, include_series: bool) -> SectionJson:
    """``tables.earnings`` (by segment); ``sections.earnings``: season, date, sample flag,
    source, benchmark and every sentence."""
    if panel is None:
        return SectionJson(tables={"earnings": []}, meta_key="earnings")
    meta = {"season": panel.season, "as_of": panel.as_of, "sample": panel.is_sample,
            "source": panel.source, "benchmark": panel.benchmark,
            "sentences": [*panel.sentences, *panel.more_sentences]}
    return SectionJson(tables={"earnings": records(panel.table, index="segment",
                                                   season=panel.season)},
                       meta_key="earnings", meta=meta)


SECTION = Section(key="earnings", title="Earnings", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS)
