"""The section registry: one ordered list says what a report contains, and a new section is one
module and one line. Here a small section ("Biggest movers") is added the way a contributor
would, without touching the builder, the model or the renderers."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest

from rotascope.data.loader import DataSource
from rotascope.data.universe import load_universe
from rotascope.report.build import build_report
from rotascope.report.context import Built, ReportContext
from rotascope.report.html import html_ids, render_html
from rotascope.report.html_base import esc
from rotascope.report.jsonout import render_json
from rotascope.report.markdown import render_markdown
from rotascope.report.model import ReportModel
from rotascope.report.sections import SECTIONS, section
from rotascope.report.sections.base import Rendering, Section, SectionJson

AS_OF = pd.Timestamp("2018-12-24")


# ---- the new section: what a contributor writes in report/sections/movers.py ---------------
def _build(ctx: ReportContext) -> Built:
    moves = {s.display: float(s.prices.iloc[-1] / s.prices.iloc[-2] - 1)
             for s in ctx.subjects.values() if len(s.prices) > 1}
    return Built(panel=pd.Series(moves).sort_values())


def _html(panel: pd.Series | None, r: Rendering) -> str:
    items = "".join(f"<li>{esc(k)}: {v:+.2%}</li>" for k, v in (panel if panel is not None else pd.Series()).items())
    return (f'<section id="movers" aria-labelledby="movers-h"><h2 id="movers-h">Biggest movers'
            f"</h2><ol>{items}</ol></section>")


def _markdown(panel: pd.Series | None, r: Rendering) -> list[str]:
    return ["## Biggest movers", "", *(f"- {k}: {v:+.2%}" for k, v in panel.items()), ""]


def _json(panel: pd.Series | None, include_series: bool) -> SectionJson:
    rows = [{"display": k, "change": v} for k, v in (panel if panel is not None else pd.Series()).items()]
    return SectionJson(tables={"movers": rows})


MOVERS = Section(key="movers", title="Biggest movers", build=_build, html=_html,
                 markdown=_markdown, json=_json,
                 methods=(("Biggest movers", "Each segment's last close over the one before."),))
# ---- and the one line: its place in the list ----------------------------------------------
WITH_MOVERS = (*SECTIONS[:3], MOVERS, *SECTIONS[3:])


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return build_report(load_universe("sample"), DataSource(), AS_OF, sections=WITH_MOVERS)


def test_a_new_section_reaches_every_format(model: ReportModel) -> None:
    html = render_html(model)
    assert '<a href="#movers">Biggest movers</a>' in html and "movers" in html_ids(html)
    # in its place: after performance, before the rotations
    assert html.index('<section id="performance"') < html.index('<section id="movers"') < (
        html.index('<section id="pairs"'))
    assert "## Biggest movers" in render_markdown(model)
    doc = json.loads(render_json(model))
    rows = doc["tables"]["movers"]
    assert len(rows) == len(model.performance) and rows == sorted(rows, key=lambda r: r["change"])
    assert {"term": "Biggest movers",
            "definition": "Each segment's last close over the one before."} in doc["methods"]
    # for daily segments the numbers are the performance table's one-day changes
    one_day = model.performance["1d"].dropna()
    got = {r["display"]: r["change"] for r in rows}
    assert len(one_day) >= 2
    assert {k: got[k] for k in one_day.index} == pytest.approx(dict(one_day.items()))


def test_registry_is_the_page(model: ReportModel) -> None:
    keys = [s.key for s in SECTIONS]
    assert len(keys) == len(set(keys)) and keys[0] == "headline" and keys[-1] == "method"
    html = render_html(model)
    nav = re.findall(r'<a href="#([^"]+)">', html.split('<nav class="toc"', 1)[1].split("</nav>")[0])
    assert nav == [s.key for s in model.sections]
    assert [m.group(1) for m in re.finditer(r'<section id="([^"]+)"', html)] == nav
    assert section("valuation").title == "Valuation"
    with pytest.raises(KeyError, match="known: headline"):
        section("nope")


def test_headline_is_built_last_and_reads_every_section(model: ReportModel) -> None:
    anchors = {h.anchor for h in model.headlines}
    assert anchors <= html_ids(render_html(model))
    built: list[str] = []

    def spy(key: str) -> Any:
        inner = section(key).build

        def build(ctx: ReportContext) -> Built:
            built.append(key)
            return inner(ctx)
        return build

    import dataclasses

    spied = tuple(dataclasses.replace(s, build=spy(s.key)) for s in SECTIONS)
    build_report(load_universe("sample"), DataSource(), AS_OF, sections=spied)
    assert built[-1] == "headline" and sorted(built) == sorted(s.key for s in SECTIONS)
