"""Method and sources: the report's date, universe, version and data, the definitions of every
section shown (in page order), and the sources table (first and last date of every series,
stale ones marked)."""

from __future__ import annotations

import pandas as pd

from rotascope.formatting import format_date
from rotascope.formatting import is_missing as _missing
from rotascope.report.context import ReportContext
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import table as _table
from rotascope.report.html_base import td as _td
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.model import ReportModel
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson

__all__ = ["SECTION"]

METHODS: tuple[tuple[str, str], ...] = (
    ("Point in time", "Every row covers a period and becomes known at its end plus the source's "
     "publication lag: a daily close on its day; a monthly average, return or ratio (Shiller, "
     "Ken French) at the month's last day, where it is stamped; FRED's monthly releases after "
     "their lag (unemployment rate 10 days, CPI 20, M2 35). The report uses only rows known on "
     "its date. Data are stale when a daily series is more than 5 trading days old, or a period "
     "series more than one period behind the latest that could be published; stale data stay in "
     "their sections, marked, and never make a headline."),
)


def build(ctx: ReportContext) -> Built:
    """Nothing of its own: it shows the model's definitions and sources."""
    return Built()


def _method_section(model: ReportModel) -> str:
    out = [
        '<section id="method" aria-labelledby="method-h">',
        '<h2 id="method-h">Method and sources</h2>',
    ]
    out.append('<dl class="facts">')
    for label, value in (
        ("As of", format_date(model.as_of, style="long")),
        ("Universe", model.universe),
        ("Generated", pd.Timestamp(model.generated_at).strftime("%Y-%m-%d %H:%M")),
        ("rotascope version", model.version),
        ("Data", model.data_note),
    ):
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.append("</dl>")
    if model.methods:
        out.append("<h3>Definitions</h3>")
        out.append('<dl class="methods">')
        for term, definition in model.methods:
            out.append(f"<dt>{_e(term)}</dt><dd>{_e(definition)}</dd>")
        out.append("</dl>")
    src = model.sources
    if src is not None and not src.empty:
        out.append("<h3>Sources</h3>")
        cols = [c for c in ("series", "source", "first", "last") if c in src.columns]
        headers = [(c.capitalize(), "text", "") for c in cols]
        rows = []
        for _, r in src.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if c in ("first", "last"):
                    cells.append(_td(format_date(v), v))
                else:
                    text = "" if _missing(v) else str(v)
                    cls = ' class="wrap"' if c == "source" else ""
                    cells.append(f'<td{cls} data-v="{_e(text)}">{_e(text)}</td>')
            rows.append(("", cells))
        out.append(_table(headers, rows, sortable=True, css_class="sources"))
    out.append("</section>")
    return "\n".join(out)


def html(panel: None, r: Rendering) -> str:
    """Facts about the report, the definitions and the sources table."""
    return _method_section(r.model)


def markdown(panel: None, r: Rendering) -> list[str]:
    """The same as lists and a table."""
    model = r.model
    out = ["## Method and sources", ""]
    out.append(f"- As of: {format_date(model.as_of, style='long')}")
    out.append(f"- Universe: {md_escape(model.universe)}")
    out.append(f"- Generated: {pd.Timestamp(model.generated_at).strftime('%Y-%m-%d %H:%M')}")
    out.append(f"- rotascope version: {md_escape(model.version)}")
    out.append(f"- Data: {md_escape(model.data_note)}")
    out.append("")
    if model.methods:
        out += ["### Definitions", ""]
        out += [f"- **{md_escape(term)}**: {md_escape(definition)}"
                for term, definition in model.methods]
        out.append("")
    src = model.sources
    if src is not None and not src.empty:
        src_cols = [c for c in ("series", "source", "first", "last") if c in src.columns]
        rows = [[format_date(r[c]) if c in ("first", "last") else ("" if _missing(r[c]) else str(r[c]))
                 for c in src_cols] for _, r in src.iterrows()]
        out += ["### Sources", ""]
        out += md_table([c.capitalize() for c in src_cols], rows, "l" * len(src_cols))
        out.append("")
    return out


def to_json(panel: None, include_series: bool) -> SectionJson:
    """Nothing: the report-wide ``methods`` and ``tables.sources`` are written by the
    renderer from the model."""
    return SectionJson()


SECTION = Section(key="method", title="Method and sources", build=build, html=html,
                  markdown=markdown, json=to_json, methods=METHODS)
