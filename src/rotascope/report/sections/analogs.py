"""After similar moves: for each pair whose current move has earlier analogs, what followed them
(forward relative returns over 1, 3, 6 and 12 months: count, mean, median, hit rate, worst,
best), beside what followed every move of the same length (the base rate), with a bootstrap
interval of the mean, which rule chose the analogs, and at most ten of the earlier moves (the
largest). A table with fewer than five cases is greyed out and says it is not a base for a
conclusion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rotascope.formatting import format_date, format_number, format_pct
from rotascope.formatting import is_missing as _missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, heat, inline_svg, td
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import table as _table
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.svg import bar_chart

__all__ = ["SECTION", "AnalogPanel", "analog_anchor"]

_td = td
_heat = heat
_inline = inline_svg

#: Earlier moves listed per panel at most (the largest); the JSON keeps them all.
MAX_EPISODES = 10

FEW_CASES_NOTE = "fewer than {n} cases: not a base for a conclusion"

METHODS: tuple[tuple[str, str], ...] = (
    ("After similar moves", "Earlier non-overlapping dates where the pair moved at least as much "
     "over the same window in the same direction; when fewer than 5 such moves exist (a record "
     "move has none), the 10 largest earlier non-overlapping moves in the same direction "
     "instead, and the panel says which rule chose them. Forward relative returns over 1, 3, 6 "
     "and 12 months (21, 63, 126, 252 rows) never use data after the as-of date: an outcome not "
     "yet known is left out. Hit rate: share that continued in the direction of the move; worst "
     "and best: the lowest and highest relative return. Base rate: the same statistics after "
     "every non-overlapping window of the same length; interval: 95% percentile bootstrap of "
     "the analogs' mean (2,000 resamples, fixed seed). Tables with fewer than 5 cases are "
     "greyed out: not a base for a conclusion."),
)


@dataclass(frozen=True)
class AnalogPanel:
    """"After similar moves": forward relative returns after past moves as large as today's.

    ``summary`` has one row per horizon (``1m, 3m, 6m, 12m``) with columns ``count, mean, median,
    hit_rate, worst, best`` and, when computed, the base rate and interval columns of
    :class:`~rotascope.analytics.AnalogResult`; ``episodes`` lists the analog dates with their
    move and forward returns; ``selection_note`` says which rule chose them.
    """

    key: str
    a_display: str
    b_display: str
    window: str
    move: float
    summary: pd.DataFrame
    episodes: pd.DataFrame
    selection: str = "at_least"
    selection_note: str = ""
    min_cases: int = 5

    @property
    def count(self) -> int:
        """Number of analogs."""
        return 0 if self.episodes is None else len(self.episodes)

    @property
    def few_cases(self) -> bool:
        """Fewer than ``min_cases`` analogs: the tables are greyed out."""
        return self.count < self.min_cases

    def few_cases_note(self) -> str:
        """The note of a greyed-out panel ("" when there are enough cases)."""
        if not self.few_cases:
            return ""
        text = FEW_CASES_NOTE.format(n=self.min_cases)
        return f"{text[0].upper()}{text[1:]} (only {self.count})."

    def largest_episodes(self, limit: int = MAX_EPISODES) -> pd.DataFrame:
        """The ``limit`` largest earlier moves (by size), in date order."""
        ep = self.episodes
        if ep is None or ep.empty or len(ep) <= limit or "move" not in ep.columns:
            return ep
        keep = ep["move"].abs().sort_values(ascending=False, kind="stable").index[:limit]
        return ep.loc[sorted(keep)]


def analog_anchor(key: str, horizon: str | None = None) -> str:
    """Id of an analog panel, or of one horizon row of its summary table."""
    base = f"analog-{anchor_slug(key)}"
    return base if horizon is None else f"{base}-{anchor_slug(horizon)}"


def anchor_of(fact: Fact, ctx: ReportContext) -> str | None:
    """The analogs' summary fact links to the pair's analog panel."""
    if fact.kind != "analog_summary" or not fact.versus:
        return None
    return analog_anchor(ctx.pair_key(fact.subject, fact.versus))


def build(ctx: ReportContext) -> Built:
    """One panel per pair with a current move and analogs."""
    panels = []
    for p in ctx.market.pairs:
        view = ctx.pair_view(p.a, p.b)
        res = ctx.market.analyses[p.a, p.b].analogs if view is not None else None
        if view is None or res is None:
            continue
        a, b = ctx.subjects[p.a], ctx.subjects[p.b]
        panels.append(AnalogPanel(key=p.name, a_display=a.display, b_display=b.display,
                                  window=view.profile.row_label(view.profile.analog_rows),
                                  move=res.current_move, summary=res.summary,
                                  episodes=res.episodes, selection=res.selection,
                                  selection_note=res.selection_note, min_cases=res.min_cases))
    return Built(panel=panels)


def _generic_cell(column: str, value: Any) -> str:
    if isinstance(value, (pd.Timestamp,)) or (
        hasattr(value, "isoformat") and not isinstance(value, str)
    ):
        return _td(format_date(value), value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return _td(format_number(float(value), decimals=0), value, num=True)
    if isinstance(value, (float, np.floating)):
        return _td(format_pct(float(value)), value, num=True)
    return _td("" if _missing(value) else str(value), value)


def _intro(panel: AnalogPanel) -> str:
    lead = f"Today's {panel.window} relative move is {format_pct(panel.move)}."
    rule = panel.selection_note or (f"Analogs: the {panel.count} earlier non-overlapping moves "
                                    "at least as large.")
    return f"{lead} {rule}"


def _summary_columns(summary: pd.DataFrame) -> list[tuple[str, str, bool, bool]]:
    """(column, header, percent, signed) of the summary table, the base columns when present."""
    cols = [("count", "Count", False, False), ("mean", "Mean", True, True)]
    if {"mean_lo", "mean_hi"} <= set(summary.columns):
        cols.append(("interval", "95% interval", True, True))
    cols += [("median", "Median", True, True), ("hit_rate", "Hit rate", True, False),
             ("worst", "Worst", True, True)]
    if "best" in summary.columns:
        cols.append(("best", "Best", True, True))
    for c, h, signed in (("base_mean", "Base mean", True), ("diff_mean", "Difference", True),
                         ("base_hit_rate", "Base hit rate", False)):
        if c in summary.columns:
            cols.append((c, h, True, signed))
    return cols


def _cell_text(r: pd.Series, column: str, percent: bool, signed: bool) -> str:
    if column == "interval":
        lo, hi = r.get("mean_lo"), r.get("mean_hi")
        return "n/a" if _missing(lo) or _missing(hi) else f"{format_pct(lo)} to {format_pct(hi)}"
    v = r.get(column)
    if not percent:
        return format_number(v, decimals=0)
    return format_pct(v, signed=signed)


def _thin(r: pd.Series, min_cases: int) -> bool:
    count = r.get("count")
    return count is not None and not _missing(count) and int(count) < min_cases


def _thin_note(panel: AnalogPanel) -> str:
    """The note of a panel with enough cases but some horizons with fewer known outcomes."""
    thin = [str(h) for h, r in panel.summary.iterrows() if _thin(r, panel.min_cases)]
    if panel.few_cases or not thin:
        return ""
    return (f"Horizon{'s' if len(thin) > 1 else ''} {', '.join(thin)}: "
            + FEW_CASES_NOTE.format(n=panel.min_cases) + " (greyed out).")


def _analog_panel(panel: AnalogPanel, limit: int) -> str:
    aid = analog_anchor(panel.key)
    name = f"{panel.a_display} vs {panel.b_display}"
    few = panel.few_cases
    cls = "panel analog few-cases" if few else "panel analog"
    out = [f'<article class="{cls}" id="{_e(aid)}" aria-labelledby="{_e(aid)}-h">']
    out.append(f'<h3 id="{_e(aid)}-h">{_e(name)}</h3>')
    out.append(f"<p>{_e(_intro(panel))} Forward relative returns of {_e(panel.a_display)} vs "
               f"{_e(panel.b_display)} after them, beside the base rate after any "
               f"{_e(panel.window)} window:</p>")
    if few:
        out.append(f'<p class="note few-cases-note">{_e(panel.few_cases_note())}</p>')
    elif thin_note := _thin_note(panel):
        out.append(f'<p class="note few-cases-note">{_e(thin_note)}</p>')
    summary = panel.summary
    cols = _summary_columns(summary)
    headers = [("Horizon", "text", ""), *[(h, "num", "num") for _, h, _, _ in cols]]
    rows = []
    for horizon, r in summary.iterrows():
        thin = not few and _thin(r, panel.min_cases)
        cells = [f'<th scope="row">{_e(horizon)}</th>']
        for c, _, percent, signed in cols:
            text = _cell_text(r, c, percent, signed)
            value = r.get(c) if c != "interval" else None
            heated = c in ("mean", "median") and not few and not thin
            cells.append(_td(text, value, num=True,
                             extra=_heat(value, 0.05) if heated else ""))
        rows.append((f' id="{_e(analog_anchor(panel.key, str(horizon)))}"'
                     + (' class="few-cases"' if thin else ""), cells))
    table = _table(
        headers,
        rows,
        caption=f"Forward returns of {panel.a_display} relative to {panel.b_display} from the end "
        "of each earlier move; hit rate: share of cases in which the relative move went on in the "
        "same direction; worst and best: the lowest and highest relative return; base: the same "
        "after every non-overlapping window of the same length; interval: 95% bootstrap interval "
        "of the mean.",
        css_class="analog-summary few-cases" if few else "analog-summary",
    )
    means = (
        pd.to_numeric(summary["mean"], errors="coerce")
        if "mean" in summary.columns
        else pd.Series(dtype=float)
    )
    chart = bar_chart(
        means,
        chart_id=f"{aid}-chart",
        title="Mean forward relative return",
        description=f"Mean forward relative return of {name} by horizon after similar moves.",
    )
    out.append(
        f'<div class="analog-grid"><div>{table}</div><figure><div class="chart-wrap">{_inline(chart)}</div></figure></div>'
    )
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        shown = panel.largest_episodes(min(limit, MAX_EPISODES))
        cols_ep = list(shown.columns)
        heads = [(str(c).replace("_", " ").capitalize(), "text", "") for c in cols_ep]
        erows = [("", [_generic_cell(str(c), r[c]) for c in cols_ep]) for _, r in shown.iterrows()]
        etable = _table(
            heads, erows, sortable=True,
            css_class="analog-episodes few-cases" if few else "analog-episodes",
            tall=len(erows) > 12,
        )
        what = (f"The {total} earlier moves" if len(shown) >= total
                else f"The {len(shown)} largest of the {total} earlier moves")
        note = (f'<p class="note">Showing {len(shown)} of {total} moves, the largest; the JSON '
                "output lists them all.</p>" if len(shown) < total else "")
        out.append(f"<details><summary>{_e(what)}</summary>\n{etable}\n{note}</details>")
    out.append("</article>")
    return "\n".join(out)


def html(analogs: list[AnalogPanel] | None, r: Rendering) -> str:
    """Every pair's analog panel."""
    out = [
        '<section id="analogs" aria-labelledby="analogs-h">',
        '<h2 id="analogs-h">After similar moves</h2>',
    ]
    if not analogs:
        out.append('<p class="note">No pair moved enough today to look for analogs.</p>')
    out.extend(_analog_panel(a, r.max_rows) for a in analogs or [])
    out.append("</section>")
    return "\n".join(out)


def _analog(panel: AnalogPanel, limit: int) -> list[str]:
    out = [f"### {md_escape(panel.a_display)} vs {md_escape(panel.b_display)}", ""]
    out.append(f"{md_escape(_intro(panel))} Forward relative returns after them, beside the base "
               f"rate after any {md_escape(panel.window)} window:")
    out.append("")
    if panel.few_cases:
        out += [f"*{md_escape(panel.few_cases_note())}*", ""]
    elif thin_note := _thin_note(panel):
        out += [f"*{md_escape(thin_note.replace(' (greyed out)', ''))}*", ""]
    cols = _summary_columns(panel.summary)
    rows = [[str(horizon), *[_cell_text(r, c, percent, signed) for c, _, percent, signed in cols]]
            for horizon, r in panel.summary.iterrows()]
    headers = ["Horizon", *[h for _, h, _, _ in cols]]
    out += md_table(headers, rows, "l" + "r" * (len(headers) - 1))
    out.append("")
    ep = panel.episodes
    if ep is not None and not ep.empty:
        total = len(ep)
        ep = panel.largest_episodes(min(limit, MAX_EPISODES))
        ep = ep.sort_values("date", ascending=False, kind="stable") if "date" in ep.columns else ep
        cols_ep = list(ep.columns)
        erows, align = [], []
        for c in cols_ep:
            sample = ep[c].dropna()
            first = sample.iloc[0] if len(sample) else None
            align.append(
                "l"
                if first is None or isinstance(first, str) or hasattr(first, "isoformat")
                else "r"
            )
        for _, r in ep.iterrows():
            cells = []
            for c in cols_ep:
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
        if len(erows) < total:
            out.append(f"The {len(erows)} largest of the {total} earlier moves (the JSON output "
                       "lists them all):")
        else:
            out.append(f"The {total} earlier moves:")
        out.append("")
        out += md_table([str(c).replace("_", " ").capitalize() for c in cols_ep], erows, align)
        out.append("")
    return out


def markdown(analogs: list[AnalogPanel] | None, r: Rendering) -> list[str]:
    """Every pair's summary table and earlier moves."""
    out = ["## After similar moves", ""]
    if not analogs:
        out += ["No pair moved enough today to look for analogs.", ""]
    for analog in analogs or []:
        out += _analog(analog, r.max_rows)
    return out


def to_json(analogs: list[AnalogPanel] | None, include_series: bool) -> SectionJson:
    """``tables.analog_summary`` (by pair and horizon) and ``tables.analog_episodes``."""
    tables: dict[str, list[dict[str, Any]]] = {"analog_summary": [], "analog_episodes": []}
    for a in analogs or []:
        tables["analog_summary"] += records(a.summary, index="horizon", pair=a.key,
                                            window=a.window, move=a.move,
                                            selection=a.selection,
                                            selection_note=a.selection_note,
                                            cases=a.count, few_cases=a.few_cases)
        tables["analog_episodes"] += records(a.episodes, pair=a.key)
    return SectionJson(tables=tables)


SECTION = Section(key="analogs", title="After similar moves", build=build, html=html,
                  markdown=markdown, json=to_json, methods=METHODS, anchor_of=anchor_of)
