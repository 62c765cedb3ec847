"""Renderers: self-contained HTML, anchors, formatted numbers, escaping; Markdown and JSON agree."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from report_fixtures import build_report_model
from rotascope.formatting import (
    format_date,
    format_number,
    format_pct,
    format_percentile,
    format_pp,
)
from rotascope.jsonutil import jsonable as to_jsonable
from rotascope.report.html import html_ids, render_html
from rotascope.report.html_base import anchor_slug
from rotascope.report.jsonout import render_json
from rotascope.report.markdown import md_escape, render_markdown
from rotascope.report.model import Headline, ReportModel
from rotascope.report.sections import SECTIONS
from rotascope.report.sections.markets import Quote
from rotascope.report.sections.performance import perf_anchor
from rotascope.report.sections.rrg import rrg_anchor
from rotascope.report.svg import (
    Band,
    bar_chart,
    date_ticks,
    downsample_minmax,
    line_chart,
    nice_ticks,
    rrg_chart,
)

EVIL = '<script>alert("x")</script> & "q"'


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return build_report_model()


@pytest.fixture(scope="module")
def page(model: ReportModel) -> str:
    return render_html(model)


class _Collector(HTMLParser):
    """Tags, attributes, ids and script/style bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.append(str(d["id"]))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def _row(html: str, row_id: str) -> str:
    m = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
    assert m, f"row {row_id} not found"
    return m.group(1)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------
def test_html_is_self_contained(page: str) -> None:
    doc = _parse(page)
    for tag, attrs in doc.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
        if tag == "script":
            assert "src" not in attrs
        for name, value in attrs.items():
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                assert value is not None and not re.match(r"\s*(https?:)?//", value), (
                    tag,
                    name,
                    value,
                )
            if name == "href":
                assert value is not None and value.startswith("#"), value
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", page, re.I)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?https?:", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # the only http(s) text is the plain-text source note of the fixture
    assert set(re.findall(r"https?://[^\s<\"']+", page)) == {"https://example.org"}


def test_sections_in_order_and_page_basics(page: str) -> None:
    shown = [s.key for s in SECTIONS if not s.optional]  # the fixture has no breadth panel
    positions = [page.index(f'<section id="{sid}"') for sid in shown]
    assert positions == sorted(positions)
    assert '<section id="breadth"' not in page
    assert shown == [
        "headline",
        "quotes",
        "performance",
        "pairs",
        "rrg",
        "analogs",
        "valuation",
        "factors",
        "drivers",
        "earnings",
        "scorecard",
        "method",
    ]
    assert page.startswith("<!DOCTYPE html>")
    assert (
        '<meta name="viewport"' in page and "@media print" in page and "@media (max-width" in page
    )


def test_ids_are_unique_and_every_headline_anchor_exists(model: ReportModel, page: str) -> None:
    ids = _parse(page).ids
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates
    assert set(ids) == html_ids(page)
    for h in model.headlines:
        assert h.anchor in ids, h.anchor
        assert f'href="#{h.anchor}"' in page


def test_performance_table_numbers_and_colours(model: ReportModel, page: str) -> None:
    for display, rec in model.performance.iterrows():
        row = _row(page, perf_anchor(rec["segment"]))
        for col in ("1d", "5d", "1m", "3m", "ytd", "1y"):
            assert f">{format_pct(rec[col])}</td>" in row, (display, col)
            if not pd.isna(rec[col]):
                assert f'data-v="{float(rec[col])!r}"' in row
                assert "background:rgba(" in row
    assert '<table class="sortable perf">' in page
    # the new fund has no 1-year history: n/a, sortable as missing
    row = _row(page, perf_anchor("cmom"))
    assert 'data-v="">n/a</td>' in row
    assert ">2026-07-31</td>" in row  # "Data to" column from the builder's ``last``


def test_ids_follow_the_builders_raw_names(model: ReportModel, page: str) -> None:
    """report.build writes ``perf-<segment>``, ``pair-<key>``, ``analog-<key>`` without slugging."""
    ids = html_ids(page)
    for _, rec in model.performance.iterrows():
        assert f"perf-{rec['segment']}" in ids
    for p in model.pairs:
        assert f"pair-{p.key}" in ids
    for a in model.analogs:
        assert f"analog-{a.key}" in ids
    assert anchor_slug("XLK") == "XLK" and anchor_slug("S&P 500 (TR)") == "S-P-500-TR"


def test_episode_table_reads_the_analytics_columns(model: ReportModel, page: str) -> None:
    ep = model.pairs[0].episodes
    assert set(ep["direction"]) == {"a_leads", "b_leads"} and ep["ongoing"].iloc[-1]
    last = ep.iloc[-1]
    row = _row(page, f"pair-{model.pairs[0].key}-episode-{format_date(last['start'])}")
    assert "ongoing" in row and model.pairs[0].a_display in row
    assert format_number(last["peak_zscore"], decimals=1, signed=True) in row
    b_row = ep[ep["direction"] == "b_leads"].iloc[-1]
    row = _row(page, f"pair-{model.pairs[0].key}-episode-{format_date(b_row['start'])}")
    assert f"<td>{model.pairs[0].b_display.replace('&', '&amp;')}</td>" in row


def test_pairs_rrg_and_analogs_show_the_models_numbers(model: ReportModel, page: str) -> None:
    for p in model.pairs:
        assert format_pct(p.move) in page
        assert format_number(p.zscore, decimals=1, signed=True) in page
        assert format_percentile(p.percentile) in page
        assert f'id="pair-{anchor_slug(p.key)}-chart"' in page
    assert model.pairs[0].record and model.pairs[0].record.replace("&", "&amp;") in page
    assert model.rrg is not None
    for _, r in model.rrg.table.iterrows():
        row = _row(page, rrg_anchor(r["segment"]))
        assert format_number(r["rs_ratio"], decimals=2) in row
        assert format_number(r["rs_momentum"], decimals=2) in row
        assert r["quadrant"] in row and r["direction"] in row
    assert model.rrg.formula in page
    analog = model.analogs[0]
    for horizon, r in analog.summary.iterrows():
        row = _row(page, f"analog-{anchor_slug(analog.key)}-{horizon}")
        assert format_pct(r["mean"]) in row and format_pct(r["hit_rate"], signed=False) in row


def test_long_lists_are_capped_but_linked_rows_kept(model: ReportModel) -> None:
    panel = model.pairs[0]
    oldest = panel.episodes.iloc[0]
    anchor = f"pair-{panel.key}-episode-{format_date(oldest['start'])}"
    linked = model.replace(
        headlines=[*model.headlines, Headline("Old episode.", "episode", anchor, {})]
    )
    html = render_html(linked, max_rows=10)
    rows = re.findall(rf'<tr id="pair-{panel.key}-episode-', html)
    assert len(rows) == 11  # the latest 10 and the linked oldest one
    assert f"Showing 11 of {len(panel.episodes)} episodes" in html
    assert anchor in html_ids(html)
    md = render_markdown(model, max_rows=10)
    assert f"Showing 10 of {len(panel.episodes)} episodes" in md
    assert f"Rotation episodes ({len(panel.episodes)})" in md
    # JSON keeps everything
    doc = json.loads(render_json(model))
    assert len(doc["tables"]["episodes"]) == sum(len(p.episodes) for p in model.pairs)


def test_quote_strip_and_method_section(model: ReportModel, page: str) -> None:
    for q in model.quotes:
        assert format_number(q.level, decimals=2) in page
        assert format_pct(q.change) in page
    assert 'class="q-change up"' in page
    for _, r in model.sources.iterrows():
        assert format_date(r["last"]) in page
    assert model.data_note in page and model.version in page
    for term, _ in model.methods:
        assert f"<dt>{term}</dt>" in page


def test_every_text_is_escaped(model: ReportModel) -> None:
    page = render_html(model)
    assert "&lt;S&amp;P &quot;check&quot;&gt;" in page
    assert '<S&P "check">' not in page
    quotes = [dataclasses.replace(model.quotes[0], display=EVIL, segment=EVIL)]
    perf = model.performance.rename(index={"S&P 500": EVIL})
    rrg = dataclasses.replace(
        model.rrg,
        points=model.rrg.points.assign(display=EVIL),
        table=model.rrg.table.assign(display=EVIL),
        benchmark_display=EVIL,
        formula=EVIL,
    )
    pairs = [dataclasses.replace(model.pairs[0], a_display=EVIL, record=EVIL, window=EVIL)]
    evil = model.replace(
        title=EVIL,
        quotes=quotes,
        performance=perf,
        rrg=rrg,
        pairs=pairs,
        headlines=[Headline(EVIL, EVIL, EVIL, {})],
        data_note=EVIL,
        methods=[(EVIL, EVIL)],
    )
    html = render_html(evil)
    assert "<script>alert" not in html
    assert html.count("<script>") == 1  # our own inline script only
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot;" in html
    assert "<script>alert" not in render_markdown(evil)
    assert json.loads(render_json(evil))["title"] == EVIL


def test_rendering_is_deterministic(model: ReportModel, page: str) -> None:
    assert render_html(model) == page
    assert render_markdown(model) == render_markdown(model)
    assert render_json(model) == render_json(model)


def test_sparse_model_renders_everywhere(model: ReportModel) -> None:
    sparse = model.replace(
        headlines=[],
        quotes=[],
        performance=pd.DataFrame(),
        pairs=[],
        rrg=None,
        analogs=[],
        sources=pd.DataFrame(columns=["series", "source", "first", "last"]),
        methods=[],
        valuation=None,
        factors=None,
        drivers=None,
        earnings=None,
        scorecard=None,
    )
    html = render_html(sparse)
    assert "Nothing passed the notability rules" in html
    assert "No relative rotation graph" in html
    assert "No valuation section" in html and "No factor data" in html
    assert "No earnings section" in html and "No scorecard" in html
    assert "<svg" not in html
    assert "No scorecard in this report" in render_markdown(sparse)
    assert "No relative rotation graph" in render_markdown(sparse)
    doc = json.loads(render_json(sparse))
    assert doc["facts"] == [] and doc["rrg"] is None and doc["tables"]["performance"] == []


# ---------------------------------------------------------------------------------------------
# Markdown and JSON carry the same facts and tables
# ---------------------------------------------------------------------------------------------
def test_markdown_has_the_same_facts_and_tables(model: ReportModel) -> None:
    md = render_markdown(model)
    for h in model.headlines:
        assert md_escape(h.sentence) in md
    perf_md = md[md.index("## Performance") : md.index("## Rotations")]
    for display, rec in model.performance.iterrows():
        line = next(ln for ln in perf_md.splitlines() if ln.startswith(f"| {md_escape(display)} |"))
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert cells[2:8] == [format_pct(rec[c]) for c in ("1d", "5d", "1m", "3m", "ytd", "1y")]
        assert cells[8] == format_date(rec["last"])
    for _, r in model.rrg.table.iterrows():
        assert f"| {md_escape(r['display'])} | {r['quadrant']} | {r['direction']} | " in md
    assert md_escape(model.rrg.formula) in md
    for p in model.pairs:
        assert f"relative move: {format_pct(p.move)}" in md
        assert len(p.episodes) and f"Rotation episodes ({len(p.episodes)})" in md
    for horizon, r in model.analogs[0].summary.iterrows():
        assert f"| {horizon} | {int(r['count'])} | {format_pct(r['mean'])} |" in md
    headers = [
        "## Headline",
        "## Markets",
        "## Performance",
        "## Rotations",
        "## Relative rotation",
        "## After similar moves",
        "## Method and sources",
    ]
    assert [md.index(h) for h in headers] == sorted(md.index(h) for h in headers)


def _strict_loads(text: str) -> dict:
    def reject(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=reject)


def test_json_has_the_same_facts_and_tables(model: ReportModel) -> None:
    doc = _strict_loads(render_json(model))
    assert doc["as_of"] == "2026-07-31" and doc["generated_at"] == "2026-08-01T07:30:00"
    assert [f["sentence"] for f in doc["facts"]] == [h.sentence for h in model.headlines]
    first = doc["facts"][0]["fact"]
    fact = model.headlines[0].fact
    assert first["value"] == fact["value"] and first["zscore"] == fact["zscore"]
    assert (
        first["missing"] is None and first["since"] == "2020-11-30" and first["end"] == "2026-07-31"
    )
    perf = {r["display"]: r for r in doc["tables"]["performance"]}
    assert perf["Russell 2000"]["segment"] == "small-caps"
    for display, rec in model.performance.iterrows():
        for col in ("1d", "5d", "1m", "3m", "ytd", "1y"):
            v = rec[col]
            assert perf[display][col] == (None if pd.isna(v) else float(v))
    assert len(doc["tables"]["rrg"]) == len(model.rrg.table)
    assert len(doc["tables"]["rrg_tail"]) == len(model.rrg.points)
    assert doc["rrg"]["formula"] == model.rrg.formula
    assert len(doc["tables"]["episodes"]) == sum(len(p.episodes) for p in model.pairs)
    assert doc["tables"]["episodes"][0]["start"] == format_date(
        model.pairs[0].episodes["start"].iloc[0]
    )
    summary = [r for r in doc["tables"]["analog_summary"] if r["pair"] == model.analogs[0].key]
    assert [r["horizon"] for r in summary] == list(model.analogs[0].summary.index)
    assert isinstance(summary[0]["count"], int)
    assert len(doc["tables"]["sources"]) == len(model.sources)
    assert "rs_lines" not in doc["tables"]
    full = _strict_loads(render_json(model, include_series=True))
    assert len(full["tables"]["rs_lines"]) == sum(len(p.rs.dropna()) for p in model.pairs)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.float64("nan"), None),
        (float("inf"), None),
        (pd.NaT, None),
        (pd.NA, None),
        (np.int64(3), 3),
        (np.bool_(True), True),
        (pd.Timestamp("2024-03-01"), "2024-03-01"),
        (pd.Timestamp("2024-03-01 09:30"), "2024-03-01T09:30:00"),
        (np.datetime64("2024-03-01"), "2024-03-01"),
        ({"a": [1.5, np.nan]}, {"a": [1.5, None]}),
    ],
)
def test_to_jsonable(value: object, expected: object) -> None:
    assert to_jsonable(value) == expected


# ---------------------------------------------------------------------------------------------
# Formatting and charts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.01234, {}, "+1.2%"),
        (-0.0456, {}, "-4.6%"),
        (-0.0004, {}, "0.0%"),
        (0.0, {}, "0.0%"),
        (0.5, {"signed": False}, "50.0%"),
        (np.nan, {}, "n/a"),
        (None, {}, "n/a"),
    ],
)
def test_format_pct(value: float, kwargs: dict, expected: str) -> None:
    assert format_pct(value, **kwargs) == expected


def test_other_formats() -> None:
    assert format_pp(0.0123) == "+1.2 pp"
    assert format_number(12345.678, decimals=2) == "12,345.68"
    assert format_number(-0.04, decimals=1) == "0.0"
    assert format_date(pd.Timestamp("2026-07-31"), style="long") == "Jul 31, 2026"
    assert format_date("2021-03-05", style="month") == "Mar 2021"
    assert [format_percentile(p) for p in (0.5, 0.97, 0.9987, 0.001, 0.021, 0.113)] == [
        "50th",
        "97th",
        "99.9th",
        "0.1th",
        "2nd",
        "11th",
    ]


def test_downsample_keeps_extremes_and_order() -> None:
    rng = np.random.default_rng(0)
    idx = pd.bdate_range("1990-01-01", periods=9000)
    s = pd.Series(np.cumsum(rng.normal(size=9000)), idx)
    s.iloc[4321] = 500.0
    s.iloc[17] = -500.0
    d = downsample_minmax(s, 1500)
    assert len(d) <= 1500
    assert d.index.is_monotonic_increasing
    assert d.index[0] == s.index[0] and d.index[-1] == s.index[-1]
    assert d.max() == 500.0 and d.min() == -500.0
    assert (d == s.loc[d.index]).all()
    assert downsample_minmax(s.iloc[:100], 1500).equals(s.iloc[:100])


def test_ticks() -> None:
    assert nice_ticks(0.3, 9.7, 6) == [2.0, 4.0, 6.0, 8.0]
    assert nice_ticks(97.2, 102.9, 6) == [98.0, 99.0, 100.0, 101.0, 102.0]
    assert len(nice_ticks(-1e-3, 5e-3, 5)) <= 5
    years = date_ticks(pd.Timestamp("2004-01-02"), pd.Timestamp("2026-07-31"), 6)
    assert [label for _, label in years] == ["2005", "2010", "2015", "2020", "2025"]
    months = date_ticks(pd.Timestamp("2026-01-15"), pd.Timestamp("2026-07-31"), 7)
    assert [label for _, label in months] == [
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
        "Jul 2026",
    ]
    weeks = date_ticks(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-31"), 6)
    assert [label for _, label in weeks] == ["Jul 6", "Jul 13", "Jul 20", "Jul 27"]


def test_line_chart_structure(model: ReportModel) -> None:
    rs = model.pairs[0].rs
    svg = line_chart(
        rs,
        chart_id="c1",
        title="A <&> B",
        bands=[Band(rs.index[100], rs.index[120], "ep <1>", "positive")],
        legend={"positive": "A up"},
        reference=100.0,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'id="c1"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert "A &lt;&amp;&gt; B" in svg and "ep &lt;1&gt;" in svg
    points = re.search(r'<polyline class="series" points="([^"]+)"', svg).group(1).split()
    assert len(points) <= 1500
    assert svg.count("<title>") >= 150  # hover tooltips
    assert line_chart(rs, chart_id="c1", title="A <&> B") == line_chart(
        rs, chart_id="c1", title="A <&> B"
    )
    assert "No data to plot" in line_chart(pd.Series(dtype=float), chart_id="e", title="t")


def test_rrg_chart_structure(model: ReportModel) -> None:
    svg = rrg_chart(model.rrg.points, chart_id="r", title="RRG")
    for name in ("Leading", "Weakening", "Lagging", "Improving"):
        assert f">{name}</text>" in svg
    segments = model.rrg.points["segment"].unique()
    assert svg.count('class="head"') == len(segments)
    assert svg.count('class="label"') == len(segments)
    for display in model.rrg.points["display"].unique():
        assert f">{display}</text>" in svg
    assert "No data to plot" in rrg_chart(model.rrg.points.iloc[0:0], chart_id="r", title="RRG")


def test_bar_chart_structure() -> None:
    svg = bar_chart(pd.Series({"1m": 0.02, "3m": -0.01, "6m": np.nan}), chart_id="b", title="Bars")
    assert svg.count("<rect") == 3  # background + two bars
    assert ">+2.0%</text>" in svg and ">-1.0%</text>" in svg and ">n/a</text>" in svg


def test_quote_colours() -> None:
    q = Quote("s", "S", 1.0, -0.02, pd.Timestamp("2026-07-31").date())
    m = build_report_model().replace(quotes=[q])
    assert 'class="q-change down"' in render_html(m)
    assert math.isclose(q.change, -0.02)
