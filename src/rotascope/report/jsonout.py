"""The report as JSON for other programs: facts at full precision and every table as records.

Each section of :data:`rotascope.report.sections.SECTIONS` contributes its tables, its entry
of ``sections`` and any top-level keys (:class:`~rotascope.report.sections.base.SectionJson`).
"""

from __future__ import annotations

from typing import Any

from rotascope.jsonutil import dumps, records
from rotascope.report.html import shown_sections
from rotascope.report.model import ReportModel

__all__ = ["SCHEMA_VERSION", "render_json"]

#: Version of the JSON layout; bumped when keys change meaning or disappear.
SCHEMA_VERSION = 1


def render_json(model: ReportModel, *, include_series: bool = False, indent: int | None = 2) -> str:
    """Render a report as JSON.

    Parameters
    ----------
    model : ReportModel
        The report content.
    include_series : bool, default False
        Also write every pair's relative strength line (``tables.rs_lines``) and the chart
        series of the fundamentals panels as records.
    indent : int or None, default 2
        Indentation of the JSON text.

    Returns
    -------
    str
        A JSON document (strict: no NaN) with the keys ``schema, title, as_of, universe, version,
        generated_at, data_note, notes, facts, tables, rrg, sections, methods`` (and ``breadth``
        when the report has that section). ``facts`` holds one object per headline:
        ``sentence, kind, anchor, sample`` and the full-precision ``fact``. ``tables`` holds
        every section's tables as lists of records (fractions, not percentages; ISO dates; null
        when missing) and ``sources``; ``sections`` each fundamentals section's notes and
        sentences (null when the report leaves it out).
    """
    tables: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for s in shown_sections(model):
        part = s.json(model.panels.get(s.key), include_series)
        tables.update(part.tables)
        if part.meta_key:
            sections[part.meta_key] = part.meta
        top.update(part.top)
    tables["sources"] = records(model.sources)
    doc = {
        "schema": SCHEMA_VERSION,
        "title": model.title,
        "as_of": model.as_of,
        "universe": model.universe,
        "version": model.version,
        "generated_at": model.generated_at,
        "data_note": model.data_note,
        "notes": list(model.notes),
        **{k: v for k, v in top.items() if k == "facts"},
        "tables": tables,
        "rrg": top.get("rrg"),
        "sections": sections,
        "methods": [{"term": t, "definition": d} for t, d in model.methods],
        **{k: v for k, v in top.items() if k not in ("facts", "rrg")},
    }
    return dumps(doc, indent=indent)
