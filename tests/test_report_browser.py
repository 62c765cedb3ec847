"""The HTML report in a real browser: headless Chromium from Debian's ``chromium`` package.

Driven with the Python ``playwright`` package and ``executable_path`` pointing at the system
Chromium (no browser download). Skipped, with the reason shown, when either is missing.
Screenshots go to ``out/screenshots/`` in the repository (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from report_fixtures import build_report_model
from rotascope.report.html import render_html

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
def browser_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, list[str], list[str], Path]]:
    """A fresh headless Chromium (own user-data-dir) and the fixture report opened in it."""
    executable = _chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the `playwright` package is not installed (pip install playwright)",
    )
    tmp = tmp_path_factory.mktemp("browser")
    report = tmp / "report.html"
    report.write_text(render_html(build_report_model()), encoding="utf-8")
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


def test_every_chart_renders(browser_page) -> None:
    page, errors, _, _ = browser_page
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg')).map(s => {
            const r = s.getBoundingClientRect();
            return {id: s.id, w: r.width, h: r.height, n: s.childElementCount};
        })"""
    )
    # 3 pair charts + RRG + 1 analog bar chart in the fixture
    assert len(boxes) == 5
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
    for section in ("performance", "pairs", "rrg", "analogs"):
        page.locator(f"#{section}").screenshot(
            path=str(SCREENSHOTS / f"report-{name}-{section}.png")
        )
    # the page itself never scrolls sideways: wide tables and charts scroll inside their wrapper
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {name} viewport"
    assert errors == []
