"""The report as JSON for other programs: facts at full precision and every table as records."""

from __future__ import annotations

from typing import Any

from rotascope.jsonutil import dumps, jsonable, records
from rotascope.report.breadth_section import breadth_json
from rotascope.report.model import ReportModel

__all__ = ["SCHEMA_VERSION", "render_json"]

#: Version of the JSON layout; bumped when keys change meaning or disappear.
SCHEMA_VERSION = 1


def _performance(model: ReportModel) -> list[dict[str, Any]]:
    """Performance rows keyed by ``display`` (the index) and ``segment`` (the name, when known)."""
    rows = records(model.performance, index="display")
    for row in rows:
        row.setdefault("segment", row["display"])
    return rows


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
        Indentation passed to :func:`json.dumps`.

    Returns
    -------
    str
        A JSON document (strict: no NaN) with the keys ``schema, title, as_of, universe, version,
        generated_at, data_note, facts, tables, rrg, sections, methods``. ``facts`` holds one
        object per headline: ``sentence, kind, anchor, sample`` and the full-precision ``fact``.
        ``tables`` holds ``quotes, performance, pairs, episodes, rrg, rrg_tail, analog_summary,
        analog_episodes, sources`` and the fundamentals tables of
        :func:`rotascope.report.json_fundamentals.fundamentals_json` as lists of records
        (fractions, not percentages; ISO dates; null when missing); performance rows carry
        ``display`` and ``segment``. ``sections`` holds the fundamentals sections' notes,
        sentences and sample flags.
    """
    tables: dict[str, Any] = {
        "quotes": [
            {
                "segment": q.segment,
                "display": q.display,
                "level": jsonable(q.level),
                "series": q.series,
                "change": jsonable(q.change),
                "window": q.window,
                "date": jsonable(q.date),
            }
            for q in model.quotes
        ],
        "performance": _performance(model),
        "pairs": [],
        "episodes": [],
        "rrg": [],
        "rrg_tail": [],
        "analog_summary": [],
        "analog_episodes": [],
        "sources": records(model.sources),
    }
    for p in model.pairs:
        rs = p.rs.dropna()
        tables["pairs"].append(
            {
                "pair": p.key,
                "a": p.a,
                "b": p.b,
                "a_display": p.a_display,
                "b_display": p.b_display,
                "window": p.window,
                "move": jsonable(p.move),
                "zscore": jsonable(p.zscore),
                "percentile": jsonable(p.percentile),
                "record": p.record,
                "rs_first_date": jsonable(rs.index[0]) if len(rs) else None,
                "rs_last_date": jsonable(rs.index[-1]) if len(rs) else None,
                "rs_last": jsonable(rs.iloc[-1]) if len(rs) else None,
            }
        )
        tables["episodes"] += records(p.episodes, pair=p.key)
        if include_series:
            tables.setdefault("rs_lines", [])
            tables["rs_lines"] += [
                {"pair": p.key, "date": jsonable(d), "rs": jsonable(v)} for d, v in rs.items()
            ]
    rrg_meta = None
    if model.rrg is not None:
        tables["rrg"] = records(model.rrg.table)
        tables["rrg_tail"] = records(model.rrg.points)
        rrg_meta = {
            "benchmark": model.rrg.benchmark,
            "benchmark_display": model.rrg.benchmark_display,
            "formula": model.rrg.formula,
        }
    for a in model.analogs:
        tables["analog_summary"] += records(
            a.summary, index="horizon", pair=a.key, window=a.window, move=a.move
        )
        tables["analog_episodes"] += records(a.episodes, pair=a.key)
    from rotascope.report.json_fundamentals import fundamentals_json  # imports this module

    extra, sections = fundamentals_json(model, include_series=include_series)
    tables.update(extra)
    doc = {
        "schema": SCHEMA_VERSION,
        "title": model.title,
        "as_of": jsonable(model.as_of),
        "universe": model.universe,
        "version": model.version,
        "generated_at": jsonable(model.generated_at),
        "data_note": model.data_note,
        "notes": list(model.notes),
        "facts": [
            {
                "sentence": h.sentence,
                "kind": h.kind,
                "anchor": h.anchor,
                "sample": h.sample,
                "fact": jsonable(h.fact),
            }
            for h in model.headlines
        ],
        "tables": tables,
        "rrg": rrg_meta,
        "sections": sections,
        "methods": [{"term": t, "definition": d} for t, d in model.methods],
    }
    if model.breadth is not None:
        doc["breadth"] = jsonable(breadth_json(model.breadth))
    return dumps(doc, indent=indent)
