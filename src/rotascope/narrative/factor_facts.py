"""Facts about factors: unwind status, record-horizon moves of the legs, the latest unwind.

"The momentum trade has started to roll over, but this is not yet a full momentum unwind."
"Low quality beat high quality by 2.3 percentage points over five days, the most since March
2020." A factor's return is that of its long leg minus its short leg, so a positive return reads
"<long leg> beat <short leg>" and a negative one the other way round.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from rotascope.analytics.factors import PROFILES, FactorResult
from rotascope.analytics.records import RecordResult
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import (
    day_text,
    horizon_text,
    month_year,
    pct,
    pp,
    window_phrase,
)

__all__ = ["FACTOR_LEGS", "FactorLegs", "factor_facts", "factor_legs", "status_sentence"]


@dataclass(frozen=True)
class FactorLegs:
    """How sentences name a factor and its two legs.

    Attributes
    ----------
    key : str
        ``momentum``, ``size``, ``value``, ``quality``, ``investment``, ``market`` or ``other``.
    display : str
        "momentum factor", "quality factor (RMW)".
    long, short : str
        The long and short legs ("high quality", "low quality").
    trade : str
        The trade's name in status sentences ("momentum trade").
    """

    key: str
    display: str
    long: str
    short: str
    trade: str


#: Known factors; :func:`factor_legs` finds them from a name such as ``ff-quality`` or ``RMW``.
FACTOR_LEGS: dict[str, FactorLegs] = {
    "momentum": FactorLegs("momentum", "momentum factor", "past winners", "past losers",
                           "momentum trade"),
    "size": FactorLegs("size", "size factor (SMB)", "small caps", "large caps", "size trade"),
    "value": FactorLegs("value", "value factor (HML)", "value stocks", "growth stocks",
                        "value trade"),
    "quality": FactorLegs("quality", "quality factor (RMW)", "high quality", "low quality",
                          "quality trade"),
    "investment": FactorLegs("investment", "investment factor (CMA)", "conservative investors",
                             "aggressive investors", "investment factor"),
    "market": FactorLegs("market", "market factor (Mkt-RF)", "stocks", "Treasury bills",
                         "equity market"),
}

_TOKENS = {
    "momentum": ("mom", "momentum", "umd", "wml", "pr1yr"),
    "size": ("smb", "size", "me"),
    "value": ("hml", "value", "bm"),
    "quality": ("rmw", "quality", "profitability", "qmj"),
    "investment": ("cma", "investment", "inv"),
    "market": ("mkt", "market", "mktrf"),
}


def factor_legs(name: str, display: str = "") -> FactorLegs:
    """The legs of a factor named like ``ff-momentum``, ``F-F_Momentum_Factor_daily:Mom`` or
    ``RMW``; an unknown factor gets "the long side" / "the short side"."""
    tokens = set(re.split(r"[^a-z0-9]+", name.lower().replace("mkt-rf", "mktrf")))
    for key, words in _TOKENS.items():
        if tokens & set(words):
            legs = FACTOR_LEGS[key]
            return legs if not display else FactorLegs(legs.key, display, legs.long,
                                                      legs.short, legs.trade)
    shown = display or name
    return FactorLegs("other", shown, "the long side", "the short side", shown)


_FLAGGED = ("rolling-over", "unwind", "crash", "rebounding")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_sentence(res: FactorResult, legs: FactorLegs) -> str:
    """The sentence of a factor's status (see :mod:`rotascope.analytics.factors` for the rules).

    Each reading states the numbers that decided it: the drawdown from the 12-month high with
    its share of history (depth) and the 5- or 21-day move with its percentile (direction and
    speed). "The momentum factor is 3.2% below its 12-month high, an ordinary drawdown (deeper
    than 48% of its drawdowns since 1926): no sign of a momentum unwind."; "The momentum trade
    has started to roll over: the factor fell 4.1% over five days, among the worst 7% of such
    moves, and is 4.0% below its 12-month high ..., not yet a full momentum unwind."; "The size
    trade is rebounding: ..."; "The value trade is in a deep drawdown ..."; "The momentum trade
    is unwinding ..."; "The momentum trade is crashing ...".
    """
    the = f"The {legs.display}"
    if res.status == "insufficient-history":
        return (f"{the} has too little history ({len(res.series)} rows since "
                f"{month_year(res.history_start)}) for a 12-month high and a drawdown history.")
    deeper = (1.0 - res.drawdown_percentile) * 100
    since = res.history_start.year
    dd = (f"{pct(res.drawdown)} below its 12-month high of {day_text(res.high_date)}"
          if res.drawdown < 0 else "at its 12-month high")
    drawdowns = res.series["drawdown"].dropna() if "drawdown" in res.series else pd.Series()
    if res.drawdown < 0 and len(drawdowns) and res.drawdown <= drawdowns.min():
        share = f"the deepest of its drawdowns since {since}"
    else:  # mid-rank percentiles round to 100% just short of the deepest: say 99%
        share = f"deeper than {min(round(deeper), 99)}% of its drawdowns since {since}"
    speed_label = max(res.returns, key=lambda k: int(k[:-1]))
    speed = res.returns[speed_label]
    speed_pct = res.percentiles[speed_label]
    fall = (f"after a {pct(speed)} fall {window_phrase(speed_label, res.frequency)}"
            if speed < 0 else f"despite a {pct(speed)} gain {window_phrase(speed_label, res.frequency)}")
    worst = (f", among the worst {max(1, math.ceil(speed_pct * 100))}% of such moves"
             if speed < 0 and not math.isnan(speed_pct) and speed_pct <= 0.1 else "")
    trade = f"The {legs.trade}"
    unwind = "momentum unwind" if legs.key == "momentum" else "unwind"
    an_unwind = "a momentum unwind" if legs.key == "momentum" else "an unwind"
    if res.status == "normal":
        if res.drawdown >= 0:
            return f"{the} is at its 12-month high: no sign of {an_unwind}."
        return f"{the} is {dd}, an ordinary drawdown ({share}): no sign of {an_unwind}."
    if res.status == "drawdown":
        move = (f"it has gained {pct(speed)}" if speed >= 0 else f"it fell {pct(speed)}")
        return (f"{trade} is in a deep drawdown: the factor is {dd}, {share}, but it is not "
                f"moving fast ({move} {window_phrase(speed_label, res.frequency)}): not "
                f"{an_unwind} at the moment.")
    if res.status in ("rolling-over", "rebounding"):
        prof = PROFILES.get(res.frequency, PROFILES["daily"])
        labels = [prof.label(n) for n in prof.speed_windows
                  if not math.isnan(res.percentiles.get(prof.label(n), math.nan))]
        labels = labels or list(res.returns)
        falling = res.status == "rolling-over"
        key = (min if falling else max)(labels, key=lambda k: res.percentiles[k])
        change, p = res.returns[key], res.percentiles[key]
        share_move = max(1, math.ceil((p if falling else 1.0 - p) * 100))
        where = window_phrase(key, res.frequency)
        if falling:
            return (f"{trade} has started to roll over: the factor fell {pct(change)} {where}, "
                    f"among the worst {share_move}% of such moves since {since}, and is {dd} "
                    f"({share}): not yet a full {unwind}.")
        return (f"{trade} is rebounding: the factor gained {pct(change)} {where}, among the "
                f"strongest {share_move}% of such moves since {since}, from {dd} ({share}).")
    verb = "is crashing" if res.status == "crash" else "is unwinding"
    return f"{trade} {verb}: the factor is {dd} ({share}) {fall}{worst}."


def _record_sentence(rec: RecordResult, legs: FactorLegs, label: str, frequency: str,
                     percentile: float) -> str:
    """"Low quality beat high quality by 2.3 percentage points over five days, the most since
    March 2020." A horizon under a year is replaced by the move's share of history when that
    share is in the top or bottom decile (as price records do)."""
    winner, loser = (legs.long, legs.short) if rec.value >= 0 else (legs.short, legs.long)
    phrase = window_phrase(label, frequency, end=rec.date)
    head = f"{_cap(winner)} beat {loser} by {pp(rec.value)} {phrase}"
    if rec.on_record:
        return f"{head}, the most on record (since {month_year(rec.first_date)})."
    assert rec.since is not None
    share = (1.0 - percentile) if rec.value >= 0 else percentile
    if rec.years < 1.0 and not math.isnan(share) and share <= 0.1:
        top = max(1, math.ceil(share * 100))
        return (f"{head}, among the largest {top}% of such moves since "
                f"{month_year(rec.first_date)}.")
    return f"{head}, the most since {horizon_text(rec.since, rec.date)}."


def factor_facts(
    res: FactorResult,
    legs: FactorLegs | None = None,
    source: str = "",
    subject: str = "",
) -> list[Fact]:
    """Facts of one factor at its date.

    Parameters
    ----------
    res : FactorResult
        From :func:`rotascope.analytics.factor_status`.
    legs : FactorLegs, optional
        Default :func:`factor_legs` of ``res.name``.
    source : str
        Provenance of the returns.
    subject : str, optional
        The facts' subject (default ``res.name``).

    Returns
    -------
    list of Fact
        ``factor_status`` (value = drawdown, percentile = drawdown percentile, so deep
        drawdowns are notable), one ``record_gain``/``record_drop`` per window of the windowed
        returns (the same record-horizon facts as prices, worded with the legs), and
        ``factor_episode`` for the latest unwind episode.
    """
    legs = legs or factor_legs(res.name)
    subj = subject or res.name
    facts = [Fact(
        kind="factor_status", subject=subj, window="12m high", as_of=res.date,
        value=res.drawdown, sentence=status_sentence(res, legs), source=source,
        # the percentile field drives notability: only drawdowns beyond normal count
        percentile=res.drawdown_percentile if res.status in _FLAGGED else math.nan,
        start=res.high_date, end=res.date,
        details={"status": res.status, "display": legs.display, "high_date": res.high_date,
                 "drawdown_percentile": res.drawdown_percentile,
                 "returns": res.returns, "percentiles": res.percentiles,
                 "speed_percentile": res.speed_percentile, "cutoffs": res.cutoffs,
                 "rules": res.rules, "history_start": res.history_start,
                 "episodes": len(res.episodes)},
    )]
    labels = list(res.returns)
    for rec in res.records:
        label = next((lb for lb in labels if rec.name.endswith(f" {lb} return")), labels[0])
        facts.append(Fact(
            kind=f"record_{rec.direction}", subject=subj, window=label, as_of=res.date,
            value=rec.value,
            sentence=_record_sentence(rec, legs, label, res.frequency,
                                      res.percentiles.get(label, math.nan)),
            source=source, since=rec.since or rec.first_date, rank=rec.rank, of=rec.of,
            percentile=res.percentiles.get(label, math.nan), end=res.date,
            details={"display": legs.display, "long": legs.long, "short": legs.short,
                     "on_record": rec.on_record, "years": rec.years,
                     "since_value": rec.since_value, "first_date": rec.first_date,
                     "year_rank": rec.year_rank},
        ))
    if len(res.episodes):
        ep = res.episodes.iloc[-1]
        word = "crash" if ep["severity"] == "crash" else "unwind"
        name = f"{legs.key} {word}" if legs.key != "other" else word
        if ep["ongoing"]:
            when = f"began on {day_text(ep['start'])}"
        elif ep["start"] == ep["end"]:
            when = f"came on {day_text(ep['start'])}"
        else:
            when = f"ran from {day_text(ep['start'])} to {day_text(ep['end'])}"
        recovery = ("" if pd.isna(ep["recovery"])
                    else f"; the drawdown was back to normal by {day_text(ep['recovery'])}")
        lead = f"A {name} (under way)" if ep["ongoing"] else f"The latest {name}"
        if ep["ongoing"] and res.status not in ("unwind", "crash"):
            # an episode ends at the first normal day: until then the day may read rolling over
            lead = f"The latest {name}"
            eased = {"rolling-over": "a roll-over", "drawdown": "a calmer drawdown",
                     "rebounding": "a rebound"}.get(res.status, res.status)
            when += f" and has eased to {eased}, not yet normal"
        sentence = (f"{lead} {when}: the factor fell {pct(ep['depth'])} from its 12-month high "
                    f"of {day_text(ep['peak_date'])} to {day_text(ep['trough_date'])}"
                    f"{recovery}.")
        facts.append(Fact(
            kind="factor_episode", subject=subj, window="12m high", as_of=res.date,
            value=float(ep["depth"]), sentence=sentence, source=source,
            start=ep["peak_date"], end=ep["trough_date"],
            details={"episode": ep.to_dict(), "count": len(res.episodes),
                     "display": legs.display},
        ))
    return facts
