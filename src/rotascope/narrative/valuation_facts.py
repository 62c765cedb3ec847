"""Facts about valuations: percentile within the lookback and record horizon ("cheapest since").

"The small-cap vs large-cap BE/ME ratio is in the 15th percentile of the past 20 years (1.21
against a median of 1.35): small caps are more expensive relative to large caps than in 85% of
that period." Direction words follow the metric's convention
(:mod:`rotascope.analytics.valuation`): a high P/E is expensive, a high BE/ME or earnings yield
is cheap.
"""

from __future__ import annotations

import math

from rotascope.analytics.valuation import ValuationResult
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import horizon_text, month_year, ordinal

__all__ = ["lookback_phrase", "valuation_facts", "value_text"]


def value_text(value: float, units: str = "") -> str:
    """A valuation as a newspaper writes it: ``39.4``, ``1.21``, ``3.57%`` (units "fraction")."""
    if value is None or math.isnan(value):
        return "n/a"
    if units == "fraction":
        return f"{value * 100:.2f}%"
    if units == "percent":
        return f"{value:.2f}%"
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def lookback_phrase(res: ValuationResult) -> str:
    """``the past 20 years``, ``the past 18 months``, or ``its history since March 2005`` when
    the history is shorter than the lookback."""
    if not res.lookback_full:
        return f"its history since {month_year(res.lookback_start)}"
    n, unit = int(res.lookback[:-1]), res.lookback[-1]
    words = {"y": "year", "m": "month", "w": "week", "d": "observation"}[unit]
    return f"the past {words}" if n == 1 else f"the past {n} {words}s"


def _be(display: str) -> str:
    """``are`` for plural names ("small caps"), else ``is``."""
    last = display.split()[-1] if display.split() else display
    return "are" if last.lower().endswith("s") and not last.lower().endswith("ss") else "is"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def valuation_facts(
    res: ValuationResult,
    display: str,
    *,
    versus_display: str = "",
    how: str = "ratio",
    metric_label: str = "valuation",
    noun: str = "",
    units: str = "",
    source: str = "",
    subject: str = "",
    versus: str = "",
) -> list[Fact]:
    """Facts of one valuation result.

    Parameters
    ----------
    res : ValuationResult
        From :func:`rotascope.analytics.valuation_percentile`.
    display : str
        How sentences name the subject ("the S&P 500", "small caps").
    versus_display : str, optional
        For a ratio or spread of two valuations: how to name B ("large caps").
    how : {"ratio", "spread"}, default "ratio"
        What the series of a pair is (:func:`rotascope.analytics.relative_valuation`).
    metric_label : str, default "valuation"
        The metric's name ("CAPE", "trailing P/E", "BE/ME").
    noun : str, optional
        The whole noun phrase of the series (default ``"<display> <metric_label>"`` or
        ``"<display> vs <versus_display> <metric_label> ratio"``).
    units : str, optional
        ``fraction`` or ``percent`` to print values as percents.
    source : str
        Provenance of the series.
    subject, versus : str, optional
        Names for the facts' ``subject``/``versus`` fields (default ``res.name``).

    Returns
    -------
    list of Fact
        ``valuation_percentile`` (percentile field set: notable in the top or bottom decile),
        then ``valuation_record`` when the record horizon is at least a year or the value is a
        record on the whole history.
    """
    pair = bool(versus_display)
    rel = f" relative to {versus_display}" if pair else ""
    head_noun = noun or (f"{display} vs {versus_display} {metric_label} {how}" if pair
                         else f"{display} {metric_label}")
    the_noun = head_noun if head_noun.lower().startswith("the ") else f"the {head_noun}"
    where = lookback_phrase(res)
    value = value_text(res.value, units)
    median = value_text(res.median, units)
    if res.value >= res.high and res.lookback_count > 1:
        rank_text = f"is the highest of {where}"
    elif res.value <= res.low and res.lookback_count > 1:
        rank_text = f"is the lowest of {where}"
    else:
        rank_text = f"is in the {ordinal(min(99, max(1, round(res.percentile * 100))))} percentile of {where}"
    sentence = f"{_cap(the_noun)} {rank_text} ({value} against a median of {median})"
    if res.cheap_when is not None and not math.isnan(res.cheapness):
        if res.cheapness >= 0.5:
            share, word = res.cheapness, "cheaper"
        else:
            share, word = 1.0 - res.cheapness, "more expensive"
        # floor: "more expensive than in 99%" when today beats 239 of 240 months (99.8%)
        sentence += (f": by this measure {display} {_be(display)} {word}{rel} than in "
                     f"{math.floor(share * 100)}% of that period.")
    else:
        sentence += "."
    evidence = {
        "display": display, "versus_display": versus_display, "metric": res.metric,
        "metric_label": metric_label, "cheap_when": res.cheap_when, "state": res.state,
        "lookback": res.lookback, "lookback_start": res.lookback_start,
        "lookback_count": res.lookback_count, "lookback_full": res.lookback_full,
        "decile": res.decile, "cheapness": res.cheapness, "median": res.median,
        "distance": res.distance, "distance_pct": res.distance_pct, "low": res.low,
        "high": res.high, "history_start": res.history_start,
    }
    subj = subject or res.name
    facts = [Fact(
        kind="valuation_percentile", subject=subj, versus=versus, window=res.lookback,
        as_of=res.date, value=res.value, sentence=sentence, source=source,
        percentile=res.percentile, start=res.lookback_start, end=res.date, details=evidence,
    )]
    rec = res.record
    if rec.on_record or rec.years >= 1.0:
        high = rec.direction == "gain"
        if res.cheap_when is None:
            word = "highest" if high else "lowest"
            what = f"{_cap(the_noun)} is the {word}"
        else:
            cheap = high == (res.cheap_when == "high")
            word = "cheapest" if cheap else "most expensive"
            what = f"At {value} ({metric_label}), {display} {_be(display)} the {word}{rel}"
        when = (f"on record (since {month_year(rec.first_date)})" if rec.on_record
                else f"since {horizon_text(rec.since, rec.date)}")  # type: ignore[arg-type]
        facts.append(Fact(
            kind="valuation_record", subject=subj, versus=versus, window=res.lookback,
            as_of=res.date, value=res.value, sentence=f"{what} {when}.", source=source,
            since=rec.since or rec.first_date, rank=rec.rank, of=rec.of,
            percentile=res.percentile, start=rec.first_date, end=res.date,
            details={**evidence, "direction": rec.direction, "on_record": rec.on_record,
                     "years": rec.years, "since_value": rec.since_value,
                     "first_date": rec.first_date},
        ))
    return facts
