"""The report as GitHub-flavoured Markdown: the same facts and tables as the HTML page, no charts."""

from __future__ import annotations

import pandas as pd

from rotascope.formatting import format_date, format_number, format_pct, format_percentile
from rotascope.report.breadth_section import breadth_markdown
from rotascope.report.html import PERFORMANCE_COLUMNS, a_leads
from rotascope.report.markdown_base import md_escape
from rotascope.report.markdown_base import md_more as _more
from rotascope.report.markdown_base import md_table as _table
from rotascope.report.markdown_base import missing as _missing
from rotascope.report.markdown_fundamentals import fundamentals_markdown
from rotascope.report.model import AnalogPanel, PairPanel, ReportModel, RrgPanel, freshness_line

__all__ = ["md_escape", "render_markdown"]


def _pair(panel: PairPanel, limit: int) -> list[str]:
    out = [f"### {md_escape(panel.a_display)} vs {md_escape(panel.b_display)}", ""]
    out.append(f"- {md_escape(panel.window)} relative move: {format_pct(panel.move)}")
    out.append(f"- z-score (5 years): {format_number(panel.zscore, decimals=1, signed=True)}")
    out.append(f"- percentile (history): {format_percentile(panel.percentile)}")
    rs = panel.rs.dropna()
    if len(rs):
        out.append(
            f"- relative strength line (rebased to 100): {format_number(float(rs.iloc[-1]))} on "
            f"{format_date(rs.index[-1])}, from {format_date(rs.index[0])}"
        )
    out.append("")
    if panel.record:
        out += [md_escape(panel.record), ""]
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        if "start" in ep.columns:
            ep = ep.sort_values("start", ascending=False, kind="stable")
        ep = ep.iloc[:limit]
        has_z = "peak_zscore" in ep.columns
        rows = []
        for _, r in ep.iterrows():
            a_side = a_leads(r.get("direction", "a"))
            ongoing = False if _missing(r.get("ongoing")) else bool(r.get("ongoing", False))
            rows.append(
                [
                    format_date(r.get("start")),
                    "ongoing" if ongoing else format_date(r.get("end")),
                    format_date(r.get("peak_date")),
                    format_pct(r.get("peak_move")),
                    *(
                        [format_number(r.get("peak_zscore"), decimals=1, signed=True)]
                        if has_z
                        else []
                    ),
                    format_number(r.get("duration"), decimals=0),
                    panel.a_display if a_side else panel.b_display,
                ]
            )
        out.append(f"Rotation episodes ({total}), latest first:")
        out.append("")
        out += _table(
            [
                "Start",
                "End",
                "Peak date",
                f"Peak {panel.window} move",
                *(["Peak z"] if has_z else []),
                "Days",
                "Outperformer",
            ],
            rows,
            "lllr" + ("r" if has_z else "") + "rl",
        )
        out.append("")
        out += _more(len(rows), total, "episodes")
        out.append("")
    return out


def _rrg(panel: RrgPanel) -> list[str]:
    out = [f"Benchmark: {md_escape(panel.benchmark_display)}.", ""]
    rows = []
    for _, r in panel.table.iterrows():
        rows.append(
            [
                str(r.get("display", r.get("segment"))),
                str(r.get("quadrant", "n/a")),
                str(r.get("direction", "n/a")),
                format_number(r.get("rs_ratio"), decimals=2),
                format_number(r.get("rs_momentum"), decimals=2),
            ]
        )
    out += _table(["Segment", "Quadrant", "Heading", "RS-Ratio", "RS-Momentum"], rows, "lllrr")
    out += ["", f"Formula: {md_escape(panel.formula)}", ""]
    return out


def _analog(panel: AnalogPanel, limit: int) -> list[str]:
    n_past = 0 if panel.episodes is None else len(panel.episodes)
    out = [f"### {md_escape(panel.a_display)} vs {md_escape(panel.b_display)}", ""]
    out.append(
        f"Today's {md_escape(panel.window)} relative move is {format_pct(panel.move)}. Forward "
        f"relative returns after the {n_past} earlier non-overlapping moves at least as large:"
    )
    out.append("")
    has_best = "best" in panel.summary.columns
    rows = []
    for horizon, r in panel.summary.iterrows():
        rows.append(
            [
                str(horizon),
                format_number(r.get("count"), decimals=0),
                format_pct(r.get("mean")),
                format_pct(r.get("median")),
                format_pct(r.get("hit_rate"), signed=False),
                format_pct(r.get("worst")),
                *([format_pct(r.get("best"))] if has_best else []),
            ]
        )
    headers = [
        "Horizon",
        "Count",
        "Mean",
        "Median",
        "Hit rate",
        "Worst",
        *(["Best"] if has_best else []),
    ]
    out += _table(headers, rows, "l" + "r" * (len(headers) - 1))
    out.append("")
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        if "date" in ep.columns:
            ep = ep.sort_values("date", ascending=False, kind="stable")
        ep = ep.iloc[:limit]
        cols = list(ep.columns)
        erows, align = [], []
        for c in cols:
            sample = ep[c].dropna()
            first = sample.iloc[0] if len(sample) else None
            align.append(
                "l"
                if first is None or isinstance(first, str) or hasattr(first, "isoformat")
                else "r"
            )
        for _, r in ep.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if hasattr(v, "isoformat") and not isinstance(v, str):
                    cells.append(format_date(v))
                elif isinstance(v, bool) or _missing(v) or isinstance(v, str):
                    cells.append("n/a" if _missing(v) else str(v))
                elif float(v).is_integer() and not isinstance(v, float):
                    cells.append(format_number(v, decimals=0))
                else:
                    cells.append(format_pct(v))
            erows.append(cells)
        out.append(f"The {total} earlier moves:")
        out.append("")
        out += _table([str(c).replace("_", " ").capitalize() for c in cols], erows, align)
        out.append("")
        out += _more(len(erows), total, "moves")
    return out


def render_markdown(model: ReportModel, *, max_rows: int = 40) -> str:
    """Render a report as Markdown.

    Parameters
    ----------
    model : ReportModel
        The report content.
    max_rows : int, default 40
        Longest list of rotation episodes or analog moves shown per pair (latest first); the JSON
        output has them all.

    Returns
    -------
    str
        GitHub-flavoured Markdown with the sections of the HTML report (headline, markets,
        performance, rotations, relative rotation, after similar moves, valuation, factor
        monitor, drivers and events, earnings season, scorecard, method and sources) and the
        same numbers, formatted the same way; text is escaped.
    """
    out = [f"# {md_escape(model.title)}", ""]
    out.append(
        f"As of {format_date(model.as_of, style='long')} · universe {md_escape(model.universe)} · "
        f"rotascope {md_escape(model.version)}"
    )
    fresh = freshness_line(model.sources)
    if fresh:
        out += ["", f"Latest data: {md_escape(fresh)}"]
    out += ["", "## Headline", ""]
    if model.headlines:
        out += [f"{i}. {md_escape(h.sentence)}"
                + (f" ({md_escape(h.data_date(model.as_of))})" if h.data_date(model.as_of) else "")
                + f"{' (sample data)' if h.sample else ''}"
                for i, h in enumerate(model.headlines, 1)]
    else:
        out.append("Nothing passed the notability rules for this date.")
    if model.notes:
        out += ["", *(f"> {md_escape(n)}" for n in model.notes)]
    out += ["", "## Markets", ""]
    if model.quotes:
        out += _table(
            ["Segment", "Level", "Series", "Change", "Over", "Date"],
            [
                [
                    q.display,
                    "" if q.level is None else format_number(q.level, decimals=2),
                    md_escape(q.series),
                    format_pct(q.change),
                    q.window,
                    format_date(q.date),
                ]
                for q in model.quotes
            ],
            "lrlrll",
        )
    else:
        out.append("No quotes.")
    out += ["", "## Performance", ""]
    perf = model.performance
    if perf is not None and not perf.empty:
        cols = [(c, label) for c, label in PERFORMANCE_COLUMNS if c in perf.columns]
        has_group = "group" in perf.columns
        has_last = "last" in perf.columns
        headers = [
            "Segment",
            *(["Group"] if has_group else []),
            *(label for _, label in cols),
            *(["Data to"] if has_last else []),
        ]
        rows = []
        for display, rec in perf.iterrows():
            row = [str(display)]
            if has_group:
                row.append("" if _missing(rec["group"]) else str(rec["group"]))
            row += [format_pct(rec[c]) for c, _ in cols]
            if has_last:
                row.append(format_date(rec["last"]))
            rows.append(row)
        align = "l" + ("l" if has_group else "") + "r" * len(cols) + ("l" if has_last else "")
        out += _table(headers, rows, align)
    else:
        out.append("No performance data.")
    out += ["", "## Rotations", ""]
    if not model.pairs:
        out += ["No pairs in this universe.", ""]
    for panel in model.pairs:
        out += _pair(panel, max_rows)
    out += ["## Relative rotation", ""]
    if model.rrg is None:
        out += ["No relative rotation graph in this report.", ""]
    else:
        out += _rrg(model.rrg)
    out += ["## After similar moves", ""]
    if not model.analogs:
        out += ["No pair moved enough today to look for analogs.", ""]
    for analog in model.analogs:
        out += _analog(analog, max_rows)
    out += fundamentals_markdown(model, max_rows)
    if model.breadth is not None:
        out += [breadth_markdown(model.breadth), ""]
    out += ["## Method and sources", ""]
    out.append(f"- As of: {format_date(model.as_of, style='long')}")
    out.append(f"- Universe: {md_escape(model.universe)}")
    out.append(f"- Generated: {pd.Timestamp(model.generated_at).strftime('%Y-%m-%d %H:%M')}")
    out.append(f"- rotascope version: {md_escape(model.version)}")
    out.append(f"- Data: {md_escape(model.data_note)}")
    out.append("")
    if model.methods:
        out += ["### Definitions", ""]
        out += [
            f"- **{md_escape(term)}**: {md_escape(definition)}"
            for term, definition in model.methods
        ]
        out.append("")
    src = model.sources
    if src is not None and not src.empty:
        src_cols = [c for c in ("series", "source", "first", "last") if c in src.columns]
        rows = [
            [
                format_date(r[c])
                if c in ("first", "last")
                else ("" if _missing(r[c]) else str(r[c]))
                for c in src_cols
            ]
            for _, r in src.iterrows()
        ]
        out += ["### Sources", ""]
        out += _table([c.capitalize() for c in src_cols], rows, "l" * len(src_cols))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
