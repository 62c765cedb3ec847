"""Markdown sections of the fundamentals panels: the same numbers and sentences as the HTML page."""

from __future__ import annotations

from typing import cast

from rotascope.formatting import format_date, format_number, format_pct, format_percentile
from rotascope.narrative.valuation_facts import value_text
from rotascope.report.html_fundamentals import EVENT_GROUPS, STATUS_TEXT, shown_groups
from rotascope.report.markdown_base import md_escape, md_more, md_table, missing
from rotascope.report.model import ReportModel

__all__ = ["fundamentals_markdown"]

_SAMPLE = "(sample data: made-up numbers)"


def _bullets(sentences: list[str]) -> list[str]:
    return [f"- {md_escape(s)}" for s in sentences] + ([""] if sentences else [])


def _valuation(model: ReportModel) -> list[str]:
    out = ["## Valuation", ""]
    panel = model.valuation
    if panel is None:
        return [*out, "No valuation section in this report.", ""]
    for item in panel.items:
        def v(x: float, units: str = item.units) -> str:
            return value_text(x, units)

        out += [f"### {md_escape(item.title)}", ""]
        out += md_table(
            ["Date", "Value", f"Percentile ({item.lookback})", "Decile", "Median", "vs median",
             "Low", "High", "Record"],
            [[format_date(item.date), v(item.value), format_percentile(item.percentile),
              str(item.decile), v(item.median), format_pct(item.distance_pct), v(item.low),
              v(item.high), item.record]],
            "lrrrrrrrl",
        )
        out.append("")
        out += _bullets(item.sentences)
        if item.note:
            out += [md_escape(item.note), ""]
        out += [f"Source: {md_escape(item.source)}", ""]
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def _factors(model: ReportModel, limit: int) -> list[str]:
    out = ["## Factor monitor", ""]
    panel = model.factors
    if panel is None or panel.table.empty:
        notes = panel.notes if panel is not None else []
        return [*out, "No factor data in this report.", "", *(md_escape(n) for n in notes)]
    out += _bullets(list(panel.sentences.values()))
    headers = ["Factor", "Status", "Drawdown", "pct", "High on"]
    for w in panel.windows:
        headers += [w, "pct"]
    headers.append("Data to")
    rows = []
    for _, r in panel.table.iterrows():
        row = [str(r["display"]), STATUS_TEXT.get(str(r["status"]), str(r["status"])),
               format_pct(r["drawdown"]),
               format_percentile(r["drawdown_percentile"]), format_date(r["high_date"])]
        for i in range(1, len(panel.windows) + 1):
            row += [format_pct(r[f"ret_{i}"]), format_percentile(r[f"pct_{i}"])]
        row.append(format_date(r["date"]))
        rows.append(row)
    out += md_table(headers, rows, "llrrl" + "rr" * len(panel.windows) + "l")
    out.append("")
    ep = panel.episodes
    factors = list(ep["factor"].unique()) if ep is not None and not ep.empty else []
    for factor in sorted(factors, key=lambda f: "momentum" not in str(f).lower()):
        sub = ep[ep["factor"] == factor].sort_values("start", ascending=False)
        total = len(sub)
        sub = sub.iloc[:limit]
        out += [f"Past unwinds of the {md_escape(sub['display'].iloc[0])} ({total}), "
                "latest first:", ""]
        out += md_table(
            ["Start", "Depth", "Severity", "Worst fall", "End", "Trough", "From the high of",
             "Back to normal"],
            [[format_date(r["start"]), format_pct(r["depth"]), str(r["severity"]),
              format_pct(r["worst_speed"]),
              "ongoing" if r["ongoing"] else format_date(r["end"]),
              format_date(r["trough_date"]), format_date(r["peak_date"]),
              ("ongoing" if r["ongoing"] else "not yet") if missing(r["recovery"])
              else format_date(r["recovery"])] for _, r in sub.iterrows()],
            "lrlrllll",
        )
        out.append("")
        out += md_more(len(sub), total, "episodes")
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def _drivers(model: ReportModel) -> list[str]:
    out = ["## Drivers and events", ""]
    panel = model.drivers
    if panel is None:
        return [*out, "No drivers section in this report.", ""]
    for d in panel.drivers:
        out += [f"### {md_escape(d.a_display)} vs {md_escape(d.b_display)} on the "
                f"{md_escape(d.driver_display)}", ""]
        out += md_table(
            ["Date", "Window", "Beta (pp per unit)", "Effect per step", "t", "R²", "n"],
            [[format_date(d.date), f"{d.window} rows", f"{d.beta * 100:+.4f}",
              f"{format_pct(d.effect, decimals=2)} per {d.step:g} {d.units}",
              format_number(d.tstat, decimals=2, signed=True),
              format_pct(d.r2, signed=False), str(d.n)]],
            "llrrrrr",
        )
        out += ["", md_escape(d.sentence), "", f"Source: {md_escape(d.source)}", ""]
    for e in panel.events:
        out += [f"### {md_escape(e.a_display)} vs {md_escape(e.b_display)} around "
                f"{md_escape(e.event_name)}", ""]
        out += _bullets(e.sentences)
        if e.note:
            out += [md_escape(e.note), ""]
        groups = shown_groups(e.summary)
        rows = [[EVENT_GROUPS.get(str(g), str(g)), format_number(r["count"], decimals=0),
                 format_pct(r["mean_car"], decimals=2), format_pct(r["median_car"], decimals=2),
                 format_number(r["tstat"], decimals=2, signed=True),
                 format_number(r["pvalue"], decimals=3),
                 format_pct(r["hit_rate"], signed=False, decimals=0)]
                for g, r in e.summary.iterrows() if g in groups]
        if rows:
            out += md_table(["Events", "Count", "Mean", "Median", "t", "p", "Share > 0"], rows,
                            "lrrrrrr")
            out.append("")
            cols = [f"{g}_car" for g in groups if f"{g}_car" in e.path.columns]
            out += ["Average cumulative abnormal relative return by day:", ""]
            out += md_table(["Day", *(EVENT_GROUPS.get(c[:-4], c) for c in cols)],
                            [[f"{int(cast(int, k)):+d}" if k else "0",  # the path is indexed by day offset
                              *(format_pct(row[c], decimals=2) for c in cols)]
                             for k, row in e.path.iterrows()],
                            "l" + "r" * len(cols))
            out.append("")
        out += [f"Source: {md_escape(e.source)}", ""]
    out += [md_escape(n) for n in panel.notes]
    return [*out, ""] if panel.notes else out


def _earnings(model: ReportModel) -> list[str]:
    panel = model.earnings
    if panel is None:
        return ["## Earnings season", "", "No earnings section in this report.", ""]
    out = [f"## Earnings season {_SAMPLE if panel.is_sample else ''}".rstrip(), ""]
    out += [f"The {md_escape(panel.season)} season so far, to "
            f"{format_date(panel.as_of, style='long')}. Source: {md_escape(panel.source)}.", ""]
    out += _bullets(panel.sentences)
    rows = []
    for _, r in panel.table.iterrows():
        rows.append([str(r["display"]), f"{int(r['reported'])} of {int(r['members'])}",
                     format_pct(r["eps_beat_rate"], signed=False),
                     format_pct(r["eps_beat_rate_weighted"], signed=False),
                     format_pct(r["median_eps_surprise"]),
                     format_pct(r["sales_beat_rate"], signed=False),
                     format_number(r["breadth_next_q"], decimals=2, signed=True),
                     format_number(r["breadth_next_y"], decimals=2, signed=True)])
    out += md_table(["Segment", "Reported", "EPS beats", "Weighted", "Surprise", "Sales beats",
                     "Revisions Q", "Revisions Y"], rows, "lrrrrrrr")
    return [*out, ""]


def _scorecard(model: ReportModel) -> list[str]:
    panel = model.scorecard
    if panel is None:
        return ["## Scorecard", "", "No scorecard in this report.", ""]
    out = [f"## Scorecard {_SAMPLE if panel.is_sample else ''}".rstrip(), ""]
    out += [f"Source: {md_escape(panel.source)}. Missing inputs are shown as missing.", ""]
    out += _bullets(panel.sentences)

    def score(x: object) -> str:
        return "missing" if missing(x) else format_number(x, decimals=2,  # type: ignore[arg-type]
                                                          signed=True)

    rows = []
    for _, r in panel.table.iterrows():
        rows.append(["n/a" if missing(r["rank"]) else str(int(r["rank"])), str(r["display"]),
                     *(score(r[p]) for p in panel.pillars),
                     f"{int(r['pillars_used'])} of {len(panel.pillars)}", score(r["composite"])])
    out += md_table(["Rank", "Segment", *(p.replace("_", " ").capitalize()
                                          for p in panel.pillars), "Pillars used", "Composite"],
                    rows, "rl" + "r" * (len(panel.pillars) + 2))
    return [*out, ""]


def fundamentals_markdown(model: ReportModel, limit: int) -> list[str]:
    """Markdown lines of the valuation, factor, drivers, earnings and scorecard sections."""
    return [*_valuation(model), *_factors(model, limit), *_drivers(model), *_earnings(model),
            *_scorecard(model)]
