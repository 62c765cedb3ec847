"""The report as JSON for other programs: facts at full precision and every table as records."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from rotascope.report.breadth_section import breadth_json
from rotascope.report.model import ReportModel

__all__ = ["SCHEMA_VERSION", "records", "render_json", "to_jsonable"]

#: Version of the JSON layout; bumped when keys change meaning or disappear.
SCHEMA_VERSION = 1


def to_jsonable(value: Any) -> Any:
    """Convert a value to plain JSON types.

    Parameters
    ----------
    value : Any
        Scalars (numpy or Python), dates, timestamps, mappings, sequences, Series or DataFrames.

    Returns
    -------
    Any
        ``None`` for NaN, NaT, pd.NA and infinities; ISO strings for dates (``2026-07-31``) and
        for timestamps with a time of day (``2026-08-01T07:30:00``); lists of records for
        DataFrames; ``{date: value}`` objects for Series; ``str`` for anything else unknown.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, pd.DataFrame):
        return records(value)
    if isinstance(value, pd.Series):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {
            str(to_jsonable(k)) if not isinstance(k, str) else k: to_jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return [to_jsonable(v) for v in items]
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            return None
        if ts.tzinfo is None and ts == ts.normalize():
            return ts.strftime("%Y-%m-%d")
        return ts.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return to_jsonable(pd.Timestamp(value))
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def records(
    frame: pd.DataFrame | None, *, index: str | None = None, **constants: Any
) -> list[dict[str, Any]]:
    """A DataFrame as a list of JSON-ready records.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        The table (None or empty gives ``[]``).
    index : str, optional
        When given, the index is kept as a first field of that name.
    **constants
        Fields prepended to every record (e.g. ``pair="small-caps/large-caps"``).

    Returns
    -------
    list of dict
    """
    if frame is None or frame.empty:
        return []
    cols = [str(c) for c in frame.columns]
    columns = [frame.iloc[:, i].tolist() for i in range(frame.shape[1])]  # keeps ints as ints
    head = {k: to_jsonable(v) for k, v in constants.items()}
    out = []
    for pos, idx in enumerate(frame.index):
        rec: dict[str, Any] = dict(head)
        if index is not None:
            rec[index] = to_jsonable(idx)
        for col, values in zip(cols, columns, strict=True):
            rec[col] = to_jsonable(values[pos])
        out.append(rec)
    return out


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
                "level": to_jsonable(q.level),
                "series": q.series,
                "change": to_jsonable(q.change),
                "window": q.window,
                "date": to_jsonable(q.date),
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
                "move": to_jsonable(p.move),
                "zscore": to_jsonable(p.zscore),
                "percentile": to_jsonable(p.percentile),
                "record": p.record,
                "rs_first_date": to_jsonable(rs.index[0]) if len(rs) else None,
                "rs_last_date": to_jsonable(rs.index[-1]) if len(rs) else None,
                "rs_last": to_jsonable(rs.iloc[-1]) if len(rs) else None,
            }
        )
        tables["episodes"] += records(p.episodes, pair=p.key)
        if include_series:
            tables.setdefault("rs_lines", [])
            tables["rs_lines"] += [
                {"pair": p.key, "date": to_jsonable(d), "rs": to_jsonable(v)} for d, v in rs.items()
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
        "as_of": to_jsonable(model.as_of),
        "universe": model.universe,
        "version": model.version,
        "generated_at": to_jsonable(model.generated_at),
        "data_note": model.data_note,
        "notes": list(model.notes),
        "facts": [
            {
                "sentence": h.sentence,
                "kind": h.kind,
                "anchor": h.anchor,
                "sample": h.sample,
                "fact": to_jsonable(h.fact),
            }
            for h in model.headlines
        ],
        "tables": tables,
        "rrg": rrg_meta,
        "sections": sections,
        "methods": [{"term": t, "definition": d} for t, d in model.methods],
    }
    if model.breadth is not None:
        doc["breadth"] = to_jsonable(breadth_json(model.breadth))
    return json.dumps(doc, indent=indent, allow_nan=False, ensure_ascii=False) + "\n"
