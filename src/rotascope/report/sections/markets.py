"""Markets: the quote strip of the universe's main segments (last level, latest change).

The level is shown only when the series has one a reader can check (an ETF's or an index's close,
not an index compounded from returns), named beside it (``SPY Close``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rotascope.formatting import format_date, format_number, format_pct
from rotascope.report.context import ReportContext
from rotascope.report.html_base import anchor_slug, esc, tone_class
from rotascope.report.markdown_base import md_escape, md_table
from rotascope.report.sections.base import Built, Rendering, Section, SectionJson

__all__ = ["SECTION", "Quote", "level_label", "quote_anchor"]

_ONE_ROW = {"daily": "1 day", "weekly": "1 week", "monthly": "1 month", "quarterly": "1 quarter",
            "annual": "1 year"}


@dataclass(frozen=True)
class Quote:
    """Last level and latest change of a main segment (the quote strip).

    ``level`` is None when the series has no level a reader could check (an index compounded
    from returns); ``series`` names what the level is (``"SPY Close"``, ``"^GSPC Close"``);
    ``window`` is the change's real span: ``"1 day"`` for daily data, ``"1 month"`` for monthly.
    """

    segment: str
    display: str
    level: float | None
    change: float
    date: date
    series: str = ""
    window: str = "1 day"


def quote_anchor(segment: str) -> str:
    """Id of a quote in the quote strip."""
    return f"quote-{anchor_slug(segment)}"


def level_label(source: str) -> str | None:
    """What a quoted level is, from a series' source: ``"SPY Close"`` for
    ``file:/x/SPY.csv [Close]``, the symbol for a provider (``stooq:^spx`` -> ``^spx``), None
    for an index compounded from returns (its level means nothing to a reader).

    Examples
    --------
    >>> level_label("file:/data/prices/SPY.csv [Close]")
    'SPY Close'
    >>> level_label("sample:arch.data.sp500 [Adj Close]")
    'sp500 Adj Close'
    >>> level_label("cumulative index of sample:linearmodels.datasets.french [SMB]") is None
    True
    """
    text = source.strip()
    if text.startswith("cumulative index of") or not text:
        return None
    where, _, column = text.partition(" [")
    column = column.rstrip("]").strip()
    kind, _, rest = where.partition(":")
    if kind == "file":
        stem = rest.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return f"{stem} {column}".strip()
    if kind == "sample":  # sample:arch.data.sp500 [Adj Close] -> sp500 Adj Close
        return f"{rest.rsplit('.', 1)[-1]} {column}".strip()
    return rest or text


def build(ctx: ReportContext) -> Built:
    """The last close and the change over the last row of each main segment with two rows."""
    quotes = []
    for name in ctx.universe.main:
        if name not in ctx.subjects:
            continue
        sub = ctx.subjects[name]
        px = sub.prices[sub.prices.index <= ctx.when]
        if len(px) < 2:
            continue
        label = level_label(sub.source)
        quotes.append(Quote(segment=name, display=sub.display,
                            level=float(px.iloc[-1]) if label else None,
                            change=float(px.iloc[-1] / px.iloc[-2] - 1), date=px.index[-1].date(),
                            series=label or "", window=_ONE_ROW.get(sub.frequency, "1 row")))
    return Built(panel=quotes)


def html(quotes: list[Quote] | None, r: Rendering) -> str:
    """The quote strip with a note on what the levels are."""
    out = ['<section id="quotes" aria-labelledby="quotes-h">', '<h2 id="quotes-h">Markets</h2>']
    if not quotes:
        out.append('<p class="note">No quotes.</p>')
    else:
        out.append('<ul class="quotes">')
        for q in quotes:
            tone = tone_class(q.change)
            arrow = {"up": "\u25b2 ", "down": "\u25bc ", "flat": ""}[tone]
            level = ("" if q.level is None else
                     f'<span class="q-level" title="{esc(q.series)}">'
                     f'{esc(format_number(q.level, decimals=2))}'
                     f'<span class="q-series">{esc(q.series)}</span></span>')
            out.append(
                f'<li id="{esc(quote_anchor(q.segment))}" title="{esc(q.display)}, close of {esc(format_date(q.date))}">'
                f'<span class="q-name">{esc(q.display)}</span>{level}'
                f'<span class="q-change {tone}">{arrow}{esc(format_pct(q.change))}'
                f'<span class="q-window"> {esc(q.window)}</span></span></li>'
            )
        out.append("</ul>")
        last = max(q.date for q in quotes)
        windows = sorted({q.window for q in quotes})
        out.append(
            f'<p class="note">Last close of the series named beside it (an ETF\'s level is its '
            f'own price, not the index\'s) and its change over {esc(" or ".join(windows))}; latest '
            f'date {esc(format_date(last, style="long"))}.</p>'
        )
    out.append("</section>")
    return "\n".join(out)


def markdown(quotes: list[Quote] | None, r: Rendering) -> list[str]:
    """The quotes as a table."""
    out = ["## Markets", ""]
    if not quotes:
        return [*out, "No quotes.", ""]
    rows = [[q.display, "" if q.level is None else format_number(q.level, decimals=2),
             md_escape(q.series), format_pct(q.change), q.window, format_date(q.date)]
            for q in quotes]
    return [*out, *md_table(["Segment", "Level", "Series", "Change", "Over", "Date"], rows,
                            "lrlrll"), ""]


def to_json(quotes: list[Quote] | None, include_series: bool) -> SectionJson:
    """``tables.quotes``: ``segment, display, level, series, change, window, date``."""
    rows = [{"segment": q.segment, "display": q.display, "level": q.level, "series": q.series,
             "change": q.change, "window": q.window, "date": q.date} for q in quotes or []]
    return SectionJson(tables={"quotes": rows})


SECTION = Section(key="quotes", title="Markets", build=build, html=html, markdown=markdown,
                  json=to_json)
