"""The HTML report in a real browser: headless Chromium from Debian's ``chromium`` package.

Driven with the Python ``playwright`` package and ``executable_path`` pointing at the system
Chromium (no browser download). Skipped, with the reason shown, when either is missing.
Screenshots go to ``out/screenshots/`` in the repository (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from report_fixtures import build_report_model
from rotascope.data.loader import DataSource
from rotascope.data.universe import load_universe
from rotascope.report.build import build_report
from rotascope.report.html import render_html
from rotascope.report.model import ReportModel

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "out" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    """Path of the Chromium binary (``ROTASCOPE_CHROMIUM`` overrides ``/usr/bin/chromium``)."""
    override = os.environ.get("ROTASCOPE_CHROMIUM")
    candidates = [override] if override else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip(
        f"Chromium not found ({override or '/usr/bin/chromium'}): install Debian's `chromium` "
        "package (apt-get install -y chromium) to run the browser test"
    )


@pytest.fixture(scope="module")
def fixture_model() -> ReportModel:
    return build_report_model()


@pytest.fixture(scope="module")
def browser_page(
    tmp_path_factory: pytest.TempPathFactory, fixture_model: ReportModel
) -> Iterator[tuple[Any, list[str], list[str], Path]]:
    """A fresh headless Chromium (own user-data-dir) and the fixture report opened in it."""
    yield from _open_in_chromium(tmp_path_factory, render_html(fixture_model))


def _open_in_chromium(
    tmp_path_factory: pytest.TempPathFactory, html: str
) -> Iterator[tuple[Any, list[str], list[str], Path]]:
    executable = _chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the `playwright` package is not installed (pip install playwright)",
    )
    tmp = tmp_path_factory.mktemp("browser")
    report = tmp / "report.html"
    report.write_text(html, encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp / "profile"),
            executable_path=executable,
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.new_page()
            errors: list[str] = []
            requests: list[str] = []
            page.on(
                "console",
                lambda m: (
                    errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
                ),
            )
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            yield page, errors, requests, report
        finally:
            context.close()


def test_no_console_errors_and_no_network(browser_page) -> None:
    page, errors, requests, report = browser_page
    page.wait_for_timeout(200)
    assert errors == []
    assert [u for u in requests if u != report.as_uri()] == []


_BOXES = """() => Array.from(document.querySelectorAll('svg')).map(s => {
    const r = s.getBoundingClientRect();
    return {id: s.id, w: r.width, h: r.height, n: s.childElementCount};
})"""


def _chart_ids(model: ReportModel) -> set[str]:
    """Ids of every chart the model should draw."""
    ids = {f"pair-{p.key}-chart" for p in model.pairs}
    ids |= {f"analog-{a.key}-chart" for a in model.analogs}
    if model.rrg is not None:
        ids.add("rrg-chart")
    if model.valuation is not None:
        ids |= {f"valuation-{i.key}-chart" for i in model.valuation.items}
    if model.factors is not None and not model.factors.table.empty:
        ids.add("factors-chart")
    if model.drivers is not None:
        ids |= {f"driver-{d.key}-chart" for d in model.drivers.drivers}
        ids |= {f"events-{e.key}-chart" for e in model.drivers.events if len(e.summary)}
    if model.earnings is not None:
        ids.add("earnings-chart")
    return ids


def test_every_chart_renders(browser_page, fixture_model: ReportModel) -> None:
    page, errors, _, _ = browser_page
    boxes = page.evaluate(_BOXES)
    model = fixture_model
    assert model.valuation is not None and model.drivers is not None
    expected = _chart_ids(model)
    assert {b["id"] for b in boxes} == expected and len(boxes) == len(expected)
    assert len(expected) == 11  # 3 pairs, RRG, 1 analog, 2 valuations, factors, driver, events,
    # earnings
    for box in boxes:
        assert box["id"], box
        assert box["w"] > 100 and box["h"] > 100, box
        assert box["n"] > 3, box
    assert errors == []


def test_sorting_by_clicking_a_header(browser_page) -> None:
    page, errors, _, _ = browser_page
    first_col = "() => Array.from(document.querySelectorAll('table.perf tbody tr')).map(r => r.id)"
    before = page.evaluate(first_col)
    page.click("table.perf thead th:nth-child(5) button")  # 5 days
    after = page.evaluate(first_col)
    assert sorted(after) == sorted(before) and after != before
    values = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.perf tbody tr td:nth-child(5)'))"
        ".map(td => td.dataset.v === '' ? null : Number(td.dataset.v))"
    )
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)  # numbers sort largest first
    assert page.get_attribute("table.perf thead th:nth-child(5)", "aria-sort") == "descending"
    page.click("table.perf thead th:nth-child(5) button")
    values = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.perf tbody tr td:nth-child(5)'))"
        ".map(td => td.dataset.v === '' ? null : Number(td.dataset.v))"
    )
    present = [v for v in values if v is not None]
    assert present == sorted(present)
    page.click("table.perf thead th:nth-child(1) button")  # text column
    names = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.perf tbody th')).map(t => t.dataset.v)"
    )
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    assert errors == []


def test_headline_links_reach_their_evidence(browser_page) -> None:
    page, errors, _, _ = browser_page
    hrefs = page.evaluate(
        "() => Array.from(document.querySelectorAll('ol.headlines a')).map(a => a.getAttribute('href'))"
    )
    assert hrefs
    for href in hrefs:
        visible = page.evaluate(
            """(id) => { const el = document.getElementById(id); if (!el) return false;
                location.hash = id; const r = el.getBoundingClientRect();
                return r.width > 0 && r.height > 0; }""",
            href[1:],
        )
        assert visible, href
    assert errors == []


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_and_layout(browser_page, name: str, width: int, height: int) -> None:
    page, errors, _, report = browser_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(report.as_uri(), wait_until="load")  # fresh state: no open <details>, no sorting
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report-{name}-top.png"))
    page.screenshot(path=str(SCREENSHOTS / f"report-{name}-full.png"), full_page=True)
    for section in ("performance", "pairs", "rrg", "analogs", "valuation", "factors", "drivers",
                    "earnings", "scorecard"):
        page.locator(f"#{section}").screenshot(
            path=str(SCREENSHOTS / f"report-{name}-{section}.png")
        )
    # the page itself never scrolls sideways: wide tables and charts scroll inside their wrapper
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {name} viewport"
    assert errors == []


# ---------------------------------------------------------------------------------------------
# The reports rotascope builds: the embedded sample (`make report`) and the real histories
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sample", "real"])
def built_report(request: pytest.FixtureRequest) -> tuple[str, ReportModel]:
    if request.param == "sample":
        return "sample", build_report(load_universe("sample"), DataSource(), None,
                                      data_note="embedded sample")
    model = request.getfixturevalue("real_report")  # built once per session (conftest)
    return "real", model


def test_long_source_paths_wrap_on_a_small_phone(
    fixture_model: ReportModel, browser_page, tmp_path: Path
) -> None:
    """Sources print absolute file paths, whose length depends on where the data lives (a CI
    checkout far from ``/`` failed once by 10 px): an unbroken 200-character name must wrap."""
    assert fixture_model.valuation is not None and fixture_model.valuation.items
    deep = "file:/data/" + "_".join(["6_Portfolios_2x3"] * 12) + ".CSV"  # no break opportunity
    items = [replace(i, source=deep) for i in fixture_model.valuation.items]
    model = fixture_model.replace(valuation=replace(fixture_model.valuation, items=items))
    report = tmp_path / "deep.html"
    report.write_text(render_html(model), encoding="utf-8")
    assert deep in report.read_text(encoding="utf-8")
    page = browser_page[0].context.new_page()
    try:
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(report.as_uri(), wait_until="load")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than a 320px viewport"
    finally:
        page.close()


def test_built_reports_render_every_chart(
    built_report: tuple[str, ReportModel], browser_page, tmp_path: Path
) -> None:
    """In a second tab of the same browser: every chart of the built report has a size."""
    name, model = built_report
    report = tmp_path / f"{name}.html"
    report.write_text(render_html(model), encoding="utf-8")
    page = browser_page[0].context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(report.as_uri(), wait_until="load")
        boxes = page.evaluate(_BOXES)
        assert {b["id"] for b in boxes} == _chart_ids(model)
        for box in boxes:
            assert box["w"] > 100 and box["h"] > 100 and box["n"] > 3, box
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for label, width, height in (("desktop", 1280, 900), ("phone", 390, 844),
                                     ("small-phone", 320, 640)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(report.as_uri(), wait_until="load")
            for section in ("valuation", "factors", "drivers", "earnings", "scorecard"):
                page.locator(f"#{section}").screenshot(
                    path=str(SCREENSHOTS / f"{name}-{label}-{section}.png")
                )
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name}: page is {overflow}px wider than the {label} viewport"
        page.wait_for_timeout(100)
        assert errors == []
        assert [u for u in requests if u != report.as_uri()] == []
    finally:
        page.close()


# ---------------------------------------------------------------------------------------------
# Explorable line charts (report.js): range buttons, drag and keyboard zoom, cursor, data table
# ---------------------------------------------------------------------------------------------
_WIDTHS = [("desktop", 1280, 900), ("phone", 390, 844), ("small-phone", 320, 640)]
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.fixture(params=_WIDTHS, ids=[w[0] for w in _WIDTHS])
def chart_page(browser_page, request: pytest.FixtureRequest, tmp_path: Path):
    """The fixture report in a new tab at one width, with its console errors collected."""
    name, width, height = request.param
    report = browser_page[3]
    page = browser_page[0].context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(report.as_uri(), wait_until="load")
        yield page, errors, name, tmp_path
    finally:
        page.close()


def _long_chart(page: Any) -> Any:
    """The first explorable chart with a 1y range button (an RS line of several years)."""
    svg = page.locator("figure:has(button[data-range='1y']) svg.explorable").first
    svg.scroll_into_view_if_needed()
    return svg


def _view(svg: Any) -> tuple[str, str]:
    return svg.get_attribute("data-view-start"), svg.get_attribute("data-view-end")


def _days(view: tuple[str, str]) -> int:
    from datetime import date

    return (date.fromisoformat(view[1]) - date.fromisoformat(view[0])).days


def _x_labels(svg: Any) -> list[str]:
    """Labels of the x axis drawn by the script (a zoomed or ranged view)."""
    return [t.text_content() for t in svg.locator("g.plot text.x-tick").all()]


def _shot(page: Any, svg: Any, tmp_path: Path, name: str) -> None:
    figure = svg.locator("xpath=ancestor::figure[1]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for folder in (tmp_path, SCREENSHOTS):
        figure.screenshot(path=str(folder / f"chart-{name}.png"))


def _no_overflow(page: Any, name: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {name} viewport"


def test_chart_range_buttons_change_the_visible_span(chart_page) -> None:
    page, errors, name, tmp_path = chart_page
    assert page.locator("svg.line-chart[data-chart]").count() == page.locator(
        "svg.explorable").count() > 0
    svg = _long_chart(page)
    figure = svg.locator("xpath=ancestor::figure[1]")
    full = _view(svg)
    assert _days(full) > 400 and svg.get_attribute("data-zoomed") == "false"
    figure.locator("button[data-range='1y']").click()
    one_year = _view(svg)
    assert one_year[1] == full[1] and 360 <= _days(one_year) <= 366
    assert figure.locator("button[data-range='1y']").get_attribute("aria-pressed") == "true"
    labels = _x_labels(svg)
    assert labels and all(label.split()[0] in _MONTH_NAMES for label in labels), labels
    _shot(page, svg, tmp_path, f"{name}-1y")
    if figure.locator("button[data-range='5y']").count():
        figure.locator("button[data-range='5y']").click()
        assert 1820 <= _days(_view(svg)) <= 1830
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # print it whole
    assert _view(svg) == full and svg.get_attribute("data-zoomed") == "false"
    figure.locator("button[data-range='1y']").click()
    figure.locator("button[data-range='All']").click()
    assert _view(svg) == full and svg.get_attribute("data-zoomed") == "false"
    _no_overflow(page, name)
    assert errors == []


def test_chart_drag_to_zoom_and_reset(chart_page) -> None:
    page, errors, name, tmp_path = chart_page
    svg = _long_chart(page)
    figure = svg.locator("xpath=ancestor::figure[1]")
    full = _view(svg)
    box = svg.bounding_box()
    y = box["y"] + box["height"] * 0.55
    page.mouse.move(box["x"] + box["width"] * 0.35, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=6)
    page.mouse.up()
    zoomed = _view(svg)
    assert svg.get_attribute("data-zoomed") == "true"
    assert full[0] < zoomed[0] < zoomed[1] < full[1] and _days(zoomed) < _days(full) * 0.5
    assert _x_labels(svg), "the zoomed view has x tick labels"
    # the y ticks were recomputed for the visible points: more than one, increasing upwards
    ys = [float(t.get_attribute("y")) for t in svg.locator("g.plot text.y-tick").all()]
    assert len(ys) >= 2 and ys == sorted(ys, reverse=True)
    page.mouse.move(box["x"] + box["width"] * 0.5, y)  # hover: the readout names a date
    readout = figure.locator(".chart-readout").text_content() or ""
    assert readout[:4].isdigit() and zoomed[0] <= readout[:10] <= zoomed[1], readout
    _shot(page, svg, tmp_path, f"{name}-drag")
    reset = figure.locator("button.reset")
    assert reset.is_visible()
    reset.click()
    assert _view(svg) == full and not reset.is_visible()
    _no_overflow(page, name)
    assert errors == []


def test_chart_keyboard_cursor_zoom_and_escape(chart_page) -> None:
    page, errors, name, tmp_path = chart_page
    svg = _long_chart(page)
    figure = svg.locator("xpath=ancestor::figure[1]")
    full = _view(svg)
    assert svg.get_attribute("tabindex") == "0"
    page.keyboard.press("Shift")  # a keyboard user: focus rings show
    svg.focus()
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    last = svg.get_attribute("data-cursor")
    assert last is not None and last <= full[1]
    readout = figure.locator(".chart-readout")
    assert (readout.text_content() or "").startswith(last)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    moved = svg.get_attribute("data-cursor")
    assert moved is not None and moved < last
    assert (readout.text_content() or "").startswith(moved)
    page.keyboard.press("ArrowRight")
    assert moved < (svg.get_attribute("data-cursor") or "") <= last
    page.keyboard.press("+")
    zoomed = _view(svg)
    assert svg.get_attribute("data-zoomed") == "true" and _days(zoomed) <= _days(full) // 2 + 1
    page.keyboard.press("Enter")
    assert _days(_view(svg)) <= _days(zoomed) // 2 + 1
    _shot(page, svg, tmp_path, f"{name}-keyboard")
    page.keyboard.press("-")
    assert _days(_view(svg)) > _days(zoomed) // 2 + 1
    page.keyboard.press("Escape")
    assert _view(svg) == full and svg.get_attribute("data-zoomed") == "false"
    _no_overflow(page, name)
    assert errors == []


def test_chart_hidden_data_tables_and_captions(chart_page) -> None:
    page, errors, name, _ = chart_page
    charts = page.locator("svg.explorable")
    tables = page.locator("figure .chart-data table.chart-table")
    assert tables.count() == charts.count() > 0
    for i in range(tables.count()):
        table = tables.nth(i)
        rows = table.locator("tbody tr").count()
        assert 2 <= rows <= 260
        assert "points" in (table.locator("caption").text_content() or "")
        holder = table.locator("xpath=..")
        box = holder.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1  # visually hidden
        assert holder.evaluate("e => getComputedStyle(e).display") != "none"  # but not removed
    # a mouse can hover here: the caption says so, its touch twin is hidden
    hover = page.locator(".hint-hover").first
    touch = page.locator(".hint-touch").first
    assert hover.is_visible() and not touch.is_visible()
    _no_overflow(page, name)
    assert errors == []


@pytest.mark.parametrize(("name", "width", "height"), _WIDTHS[1:])
def test_chart_touch_tap_and_drag(browser_page, name: str, width: int, height: int) -> None:
    """A finger: a tap shows the nearest point, a sideways drag zooms (through Chromium's
    DevTools protocol, which emulates a touch screen on a page of the running browser)."""
    report = browser_page[3]
    page = browser_page[0].context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.set_viewport_size({"width": width, "height": height})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
        page.goto(report.as_uri(), wait_until="load")
        svg = _long_chart(page)
        figure = svg.locator("xpath=ancestor::figure[1]")
        full = _view(svg)
        box = svg.bounding_box()
        y = box["y"] + box["height"] * 0.6

        def touch(kind: str, x: float | None = None) -> None:
            points = [] if x is None else [{"x": x, "y": y}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", box["x"] + box["width"] * 0.5)
        touch("touchEnd")
        readout = figure.locator(".chart-readout").text_content() or ""
        assert readout[:4].isdigit(), readout
        touch("touchStart", box["x"] + box["width"] * 0.3)
        for f in (0.35, 0.4, 0.45, 0.5, 0.55):
            touch("touchMove", box["x"] + box["width"] * f)
        touch("touchEnd")
        page.wait_for_timeout(100)
        assert svg.get_attribute("data-zoomed") == "true"
        assert full[0] < _view(svg)[0] < _view(svg)[1] < full[1]
        assert errors == []
    finally:
        page.close()
