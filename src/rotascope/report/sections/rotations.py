"""Rotations: each pair's relative strength line with its rotation episodes shaded, the current
move (relative return, z-score, percentile) and its record sentence; the evidence of the pairs'
facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from rotascope.analytics import rs_line
from rotascope.formatting import format_date, format_number, format_pct, format_percentile
from rotascope.formatting import is_missing as _missing
from rotascope.jsonutil import records
from rotascope.narrative.fact import Fact
from rotascope.report.context import ReportContext
from rotascope.report.html_base import (
    HINT_DATES,
    anchor_slug,
    inline_svg,
    latest_rows,
    more_note,
    td,
)
from rotascope.report.html_base import esc as _e
from rotascope.report.html_base import table as _table
from rotascope.report.markdown_base import md_escape, md_more, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson
from rotascope.report.svg import Band, line_chart

__all__ = ["SECTION", "PairPanel", "a_leads", "episode_anchor", "pair_anchor",
           "pair_chart_anchor"]

_td = td
_inline = inline_svg
_latest = latest_rows
_more_note = more_note

METHODS: tuple[tuple[str, str], ...] = (
    ("Relative return", "(1 + rA) / (1 + rB) - 1 over the same dates; the spread rA - rB in "
     "percentage points beside it. The relative strength line is P_A / P_B rebased to 100."),
    ("Unusualness", "z-score of the N-day relative return against its trailing five years (today "
     "included, sample standard deviation) and its percentile over the full history: the share "
     "of values below today's plus half the share equal to it."),
    ("Pair moves", "Each N-day move (one day included) is stated by its margin rA - rB in "
     "percentage points and ranked by it: its record horizon is the most recent earlier margin "
     "at least as wide in the same direction; the relative return stays beside it."),
    ("Relative periods and the ratio", "Calendar periods (week to year, the current one 'to "
     "date') rank the period return of the ratio A/B; the ratio's record is its highest or "
     "lowest close since a date. The level of a ratio is arbitrary, its record horizon is not."),
    ("Rotation episode", "A maximal run of rows where the N-day relative return is beyond 2 "
     "trailing standard deviations (daily: N=5, 1,260-row lookback; monthly: N=3, 120 rows); "
     "runs of the same direction closer than a cool-off (10 rows; monthly 2) are merged."),
)


@dataclass(frozen=True)
class PairPanel:
    """A pair's relative strength line with rotation episodes and the current move.

    Attributes
    ----------
    rs : pandas.Series
        Relative strength line A/B rebased to 100 at its first date.
    episodes : pandas.DataFrame
        Columns ``start, end, peak_date, peak_move, duration, direction`` (direction ``"a"`` when A
        outperformed, ``"b"`` otherwise).
    window : str
        Window of the current move in CLI spelling (``"5d"``).
    move, zscore, percentile : float
        Current relative return over ``window``, its z-score vs the trailing 5 years and its
        percentile vs all history (NaN when unavailable).
    record : str
        Sentence on the move's record horizon ("" when not notable).
    moves : tuple of dict
        The pair's N-row moves, one-day first (:func:`pair_moves_rows`): ``window``, ``rows``,
        ``spread`` (the margin rA - rB), ``relative_return``, ``zscore``, ``percentile`` (of
        the margin), ``since`` (its record horizon), ``sentence`` and ``notable``.
    statements : tuple of str
        The notable sentences of the pair's relative calendar periods and of its ratio's
        record ("its best relative month since ...", "the ratio ... at its lowest since ...").
    """

    key: str
    a: str
    b: str
    a_display: str
    b_display: str
    rs: pd.Series
    episodes: pd.DataFrame
    window: str
    move: float
    zscore: float
    percentile: float
    record: str
    moves: tuple[dict[str, Any], ...] = ()
    statements: tuple[str, ...] = ()


def pair_moves_rows(facts: list[Fact], a: str, b: str) -> tuple[dict[str, Any], ...]:
    """The N-row move facts of the pair A vs B (kind ``record_gain``/``record_drop`` with a row
    window), shortest window first, as the panel's table rows."""
    rows = [
        {"window": f.window, "rows": f.details.get("rows"), "spread": f.details.get("spread"),
         "relative_return": f.details.get("relative_return"), "zscore": f.zscore,
         "percentile": f.percentile, "since": f.since, "sentence": f.sentence,
         "notable": f.notable}
        for f in facts
        if f.kind.startswith("record_") and f.subject == a and f.versus == b
        and isinstance(f.details.get("rows"), int) and f.window != "ratio"
    ]
    return tuple(sorted(rows, key=lambda r: r["rows"]))


def pair_statements(facts: list[Fact], a: str, b: str) -> tuple[str, ...]:
    """The notable sentences of the pair's relative periods and ratio record, in fact order."""
    return tuple(f.sentence for f in facts if f.subject == a and f.versus == b and f.notable
                 and (f.kind == "period_return" or f.window == "ratio"))


def a_leads(direction: object) -> bool:
    """Whether an episode's ``direction`` says A outperformed (``"a"`` or ``"a_leads"``)."""
    return str(direction).lower().startswith("a")


def pair_anchor(key: str) -> str:
    """Id of a pair's panel (heading, current move, record sentence, chart)."""
    return f"pair-{anchor_slug(key)}"


def pair_chart_anchor(key: str) -> str:
    """Id of a pair's relative strength chart."""
    return f"pair-{anchor_slug(key)}-chart"


def episode_anchor(key: str, start: object) -> str:
    """Id of a rotation episode row of a pair, by the episode's start date."""
    day = cast("pd.Timestamp | None", start)  # a date cell of the episodes frame
    return f"pair-{anchor_slug(key)}-episode-{format_date(day)}"


def anchor_of(fact: Fact, ctx: ReportContext) -> str | None:
    """A pair's facts (but its analogs' summary) link to its panel."""
    if not fact.versus or fact.kind in ("window_comparison", "analog_summary"):
        return None
    return pair_anchor(ctx.pair_key(fact.subject, fact.versus))


def build(ctx: ReportContext) -> Built:
    """One panel per pair with an analysis and a current move."""
    panels = []
    facts = ctx.market_facts
    for p in ctx.market.pairs:
        view = ctx.pair_view(p.a, p.b)
        if view is None:
            continue
        a, b = ctx.subjects[p.a], ctx.subjects[p.b]
        prof = view.profile
        window = prof.row_label(prof.analog_rows)
        # The record sentence of the current move, when its horizon is notable (a year or more).
        record = next((f.sentence for f in facts if f.kind.startswith("record_")
                       and f.subject == p.a and f.versus == p.b and f.notable
                       and f.window == window), "")
        un = view.move
        panels.append(PairPanel(
            key=p.name, a=p.a, b=p.b, a_display=a.display, b_display=b.display,
            rs=rs_line(view.a_prices, view.b_prices), episodes=ctx.market.analyses[p.a, p.b].episodes,
            window=window, move=un.value, zscore=un.zscore, percentile=un.percentile,
            record=record, moves=pair_moves_rows(facts, p.a, p.b),
            statements=pair_statements(facts, p.a, p.b),
        ))
    return Built(panel=panels)


def _episode_bands(panel: PairPanel) -> list[Band]:
    bands: list[Band] = []
    ep = panel.episodes
    if ep is None or ep.empty or not {"start", "end"}.issubset(ep.columns):
        return bands
    for _, row in ep.iterrows():
        a_side = a_leads(row.get("direction", "a"))
        winner = panel.a_display if a_side else panel.b_display
        label = f"Episode {format_date(row['start'])} to {format_date(row['end'])}: {winner} outperformed"
        if "peak_move" in ep.columns and not _missing(row["peak_move"]):
            label += f", peak {panel.window} move {format_pct(row['peak_move'])}"
        bands.append(
            Band(
                start=pd.Timestamp(row["start"]),
                end=pd.Timestamp(row["end"]),
                label=label,
                tone="positive" if a_side else "negative",
            )
        )
    return bands


def _episodes_table(panel: PairPanel, keep: set[str], limit: int) -> str:
    ep = panel.episodes
    if ep is None or ep.empty:
        return '<p class="note">No rotation episodes in the history.</p>'
    total = len(ep)
    ep = _latest(ep, "start", limit, lambda v: episode_anchor(panel.key, v), keep)
    has_z = "peak_zscore" in ep.columns
    headers = [
        ("Start", "text", ""),
        ("End", "text", ""),
        ("Peak date", "text", ""),
        (f"Peak {panel.window} move", "num", "num"),
        *([("Peak z", "num", "num")] if has_z else []),
        ("Days", "num", "num"),
        ("Outperformer", "text", ""),
    ]
    rows = []
    for _, r in ep.iterrows():
        a_side = a_leads(r.get("direction", "a"))
        ongoing = bool(r.get("ongoing", False)) if not _missing(r.get("ongoing")) else False
        end_text = "ongoing" if ongoing else format_date(r.get("end"))
        cells = [
            _td(format_date(r.get("start")), r.get("start")),
            _td(end_text, r.get("end")),
            _td(format_date(r.get("peak_date")), r.get("peak_date")),
            _td(format_pct(r.get("peak_move")), r.get("peak_move"), num=True),
            *(
                [
                    _td(
                        format_number(r.get("peak_zscore"), decimals=1, signed=True),
                        r.get("peak_zscore"),
                        num=True,
                    )
                ]
                if has_z
                else []
            ),
            _td(format_number(r.get("duration"), decimals=0), r.get("duration"), num=True),
            _td(panel.a_display if a_side else panel.b_display),
        ]
        rows.append((f' id="{_e(episode_anchor(panel.key, r.get("start")))}"', cells))
    table = _table(headers, rows, sortable=True, css_class="episodes", tall=len(rows) > 12)
    note = _more_note(len(rows), total, "episodes")
    return (
        f"<details><summary>Rotation episodes ({total}), latest first</summary>\n{table}\n{note}"
        "</details>"
    )


_MOVE_HEADERS = ("Window", "Margin (pp)", "Relative return", "z-score (5 years)",
                 "Percentile (history)")


def _move_cells(m: dict[str, Any]) -> list[str]:
    return [str(m["window"]), format_number(100 * m["spread"], decimals=1, signed=True),
            format_pct(m["relative_return"]), format_number(m["zscore"], decimals=1, signed=True),
            format_percentile(m["percentile"])]


def _notes(panel: PairPanel) -> list[str]:
    """The notable moves' sentences (but the one already shown as the record) and the
    statements of the relative periods and the ratio."""
    return [m["sentence"] for m in panel.moves
            if m["notable"] and m["sentence"] != panel.record] + list(panel.statements)


def _moves_table(panel: PairPanel) -> str:
    headers = [(_MOVE_HEADERS[0], "text", "")] + [(h, "num", "num") for h in _MOVE_HEADERS[1:]]
    rows = []
    for m in panel.moves:
        cells = _move_cells(m)
        rows.append(("", [_td(cells[0])] + [_td(c, num=True) for c in cells[1:]]))
    notes = "".join(f"<li>{_e(t)}</li>" for t in _notes(panel))
    table = _table(headers, rows, sortable=False, css_class="pair-moves")
    return (f"<details open><summary>Moves of {_e(panel.a_display)} against "
            f"{_e(panel.b_display)} (margin = return of A minus return of B)</summary>\n"
            f"{table}\n" + (f"<ul>{notes}</ul>" if notes else "") + "</details>")


def _pair_panel(panel: PairPanel, keep: set[str], limit: int) -> str:
    name = f"{panel.a_display} vs {panel.b_display}"
    pid = pair_anchor(panel.key)
    out = [f'<article class="panel pair" id="{_e(pid)}" aria-labelledby="{_e(pid)}-h">']
    out.append(f'<h3 id="{_e(pid)}-h">{_e(name)}</h3>')
    out.append('<dl class="stats">')
    for label, value in (
        (f"{panel.window} relative move", format_pct(panel.move)),
        ("z-score (5 years)", format_number(panel.zscore, decimals=1, signed=True)),
        ("percentile (history)", format_percentile(panel.percentile)),
    ):
        out.append(f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>")
    out.append("</dl>")
    if panel.record:
        out.append(f'<p class="record">{_e(panel.record)}</p>')
    if panel.moves:
        out.append(_moves_table(panel))
    bands = _episode_bands(panel)
    chart = line_chart(
        panel.rs,
        chart_id=pair_chart_anchor(panel.key),
        title=f"Relative strength: {name} (rebased to 100)",
        bands=bands,
        legend={
            "positive": f"{panel.a_display} outperformed",
            "negative": f"{panel.b_display} outperformed",
        },
        reference=100.0,
        description=f"Ratio of {panel.a_display} to {panel.b_display}, rising when "
        f"{panel.a_display} outperforms; shaded bands are rotation episodes.",
    )
    out.append(f'<figure><div class="chart-wrap">{_inline(chart)}</div>')
    out.append(
        f"<figcaption>Rising line: {_e(panel.a_display)} outperforms {_e(panel.b_display)}. "
        f'Shaded: rotation episodes ({len(bands)}), <span class="swatch positive"></span>'
        f'{_e(panel.a_display)} or <span class="swatch negative"></span>{_e(panel.b_display)} '
        "outperforming. " + HINT_DATES + "</figcaption></figure>"
    )
    out.append(_episodes_table(panel, keep, limit))
    out.append("</article>")
    return "\n".join(out)


def html(pairs: list[PairPanel] | None, r: Rendering) -> str:
    """Every pair's panel."""
    out = ['<section id="pairs" aria-labelledby="pairs-h">', '<h2 id="pairs-h">Rotations</h2>']
    if not pairs:
        out.append('<p class="note">No pairs in this universe.</p>')
    out.extend(_pair_panel(p, set(r.keep), r.max_rows) for p in pairs or [])
    out.append("</section>")
    return "\n".join(out)


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
    if panel.moves:
        out += md_table(list(_MOVE_HEADERS), [_move_cells(m) for m in panel.moves], "lrrrr")
        out.append("")
        notes = _notes(panel)
        if notes:
            out += [f"- {md_escape(t)}" for t in notes] + [""]
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
        out += md_table(
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
        out += md_more(len(rows), total, "episodes")
        out.append("")
    return out


def markdown(pairs: list[PairPanel] | None, r: Rendering) -> list[str]:
    """Every pair's move and episodes."""
    out = ["## Rotations", ""]
    if not pairs:
        out += ["No pairs in this universe.", ""]
    for panel in pairs or []:
        out += _pair(panel, r.max_rows)
    return out


def to_json(pairs: list[PairPanel] | None, include_series: bool) -> SectionJson:
    """``tables.pairs`` (the current move and the RS line's ends), ``tables.pair_moves`` (each
    pair's N-row moves, one-day first), ``tables.episodes`` and, with ``include_series``,
    ``tables.rs_lines``."""
    tables: dict[str, list[dict[str, Any]]] = {"pairs": [], "pair_moves": [], "episodes": []}
    for p in pairs or []:
        rs = p.rs.dropna()
        tables["pairs"].append({
            "pair": p.key, "a": p.a, "b": p.b, "a_display": p.a_display,
            "b_display": p.b_display, "window": p.window, "move": p.move, "zscore": p.zscore,
            "percentile": p.percentile, "record": p.record, "statements": list(p.statements),
            "rs_first_date": rs.index[0] if len(rs) else None,
            "rs_last_date": rs.index[-1] if len(rs) else None,
            "rs_last": rs.iloc[-1] if len(rs) else None,
        })
        tables["pair_moves"] += [{"pair": p.key, **m} for m in p.moves]
        tables["episodes"] += records(p.episodes, pair=p.key)
        if include_series:
            tables.setdefault("rs_lines", [])
            tables["rs_lines"] += [{"pair": p.key, "date": d, "rs": v} for d, v in rs.items()]
    return SectionJson(tables=tables)


SECTION = Section(key="pairs", title="Rotations", build=build, html=html, markdown=markdown,
                  json=to_json, methods=METHODS, anchor_of=anchor_of)
