"""JSON tables of the fundamentals panels (full precision, fractions, ISO dates, null when missing)."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from rotascope.jsonutil import jsonable, records
from rotascope.report.model import ReportModel

__all__ = ["fundamentals_json"]


def _series_records(frame: pd.DataFrame, **constants: Any) -> list[dict[str, Any]]:
    out = frame.copy()
    out.index = out.index.rename("date")
    return records(out, index="date", **constants)


def fundamentals_json(
    model: ReportModel, *, include_series: bool = False
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Tables and section metadata of the fundamentals panels.

    Returns
    -------
    (dict, dict)
        ``tables``: ``valuation, factors, factor_episodes, drivers, event_summary, event_path,
        earnings, scorecard, scorecard_inputs`` (with ``include_series`` also
        ``valuation_series``, ``factor_drawdowns`` and ``driver_series``); ``sections``: per
        section its notes, sentences and, for earnings and scorecard, ``sample`` and ``source``.
        A section the report leaves out is ``null``.
    """
    t: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "valuation", "factors", "factor_episodes", "drivers", "event_summary", "event_path",
        "earnings", "scorecard", "scorecard_inputs")}
    meta: dict[str, Any] = {"valuation": None, "factors": None, "drivers": None,
                            "earnings": None, "scorecard": None}
    if include_series:
        t.update(valuation_series=[], factor_drawdowns=[], driver_series=[])
    v = model.valuation
    if v is not None:
        for item in v.items:
            rec = {k: jsonable(getattr(item, k)) for k in (
                "key", "title", "metric_label", "units", "date", "value", "percentile", "decile",
                "median", "distance", "distance_pct", "low", "high", "lookback",
                "lookback_start", "observations", "lookback_full", "state", "record",
                "record_since", "record_years", "sentences", "source", "note")}
            last = item.series.iloc[-1] if len(item.series) else None
            for q in ("p10", "p50", "p90"):
                rec[q] = jsonable(last[q]) if last is not None else None
            t["valuation"].append(rec)
            if include_series:
                t["valuation_series"] += _series_records(item.series, key=item.key)
        meta["valuation"] = {"notes": v.notes}
    f = model.factors
    if f is not None:
        t["factors"] = records(f.table)
        for row in t["factors"]:
            for i, label in enumerate(f.windows, start=1):
                row[f"return_{label}"] = row.pop(f"ret_{i}", None)
                row[f"percentile_{label}"] = row.pop(f"pct_{i}", None)
            row["sentence"] = f.sentences.get(str(row["factor"]), "")
            row["source"] = f.sources.get(str(row["factor"]), "")
        t["factor_episodes"] = records(f.episodes)
        if include_series and not f.drawdowns.empty:
            # one column level, so stack() gives a Series
            long = cast(pd.Series, f.drawdowns.stack()).rename("drawdown").reset_index()
            long.columns = ["date", "factor", "drawdown"]
            t["factor_drawdowns"] = records(long)
        meta["factors"] = {"notes": f.notes, "windows": f.windows, "frequency": f.frequency,
                           "chart_span": f.chart_span}
    d = model.drivers
    if d is not None:
        for drv in d.drivers:
            t["drivers"].append({k: jsonable(getattr(drv, k)) for k in (
                "key", "pair", "a_display", "b_display", "driver_display", "date", "start",
                "window", "beta", "tstat", "r2", "n", "units", "step", "effect", "significant",
                "sentence", "source")})
            if include_series:
                t["driver_series"] += _series_records(drv.series, key=drv.key)
        for ev in d.events:
            consts = {"key": ev.key, "pair": ev.pair, "event_name": ev.event_name,
                      "window": list(ev.window)}
            t["event_summary"] += records(ev.summary, index="group", **consts)
            t["event_path"] += records(ev.path, index="day", key=ev.key)
        meta["drivers"] = {"notes": d.notes, "events": [
            {"key": ev.key, "used": ev.used, "total": ev.total, "first": jsonable(ev.first),
             "last": jsonable(ev.last), "estimation": list(ev.estimation),
             "sentences": ev.sentences, "note": ev.note, "source": ev.source}
            for ev in d.events]}
    e = model.earnings
    if e is not None:
        t["earnings"] = records(e.table, index="segment", season=e.season)
        meta["earnings"] = {"season": e.season, "as_of": jsonable(e.as_of),
                            "sample": e.is_sample, "source": e.source,
                            "benchmark": e.benchmark,
                            "sentences": [*e.sentences, *e.more_sentences]}
    s = model.scorecard
    if s is not None:
        t["scorecard"] = records(s.table, index="segment")
        t["scorecard_inputs"] = records(s.inputs, index="segment")
        meta["scorecard"] = {"as_of": jsonable(s.as_of), "sample": s.is_sample,
                             "source": s.source, "pillars": s.pillars, "metrics": s.metrics,
                             "weights": s.weights,
                             "sentences": [*s.sentences, *s.more_sentences]}
    return t, meta
