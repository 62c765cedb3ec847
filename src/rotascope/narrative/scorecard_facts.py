"""Facts about the segment scorecard: who ranks first and last, and every segment's pillars.

"Midcap growth ranks first on risk/reward: cheapest valuation, positive technicals, lowest
leverage, above-average earnings stability." Each pillar is described by its score across
segments: the best score gets the superlative ("cheapest valuation"), others "positive" or
"negative" wording by the sign of the score (a z-score average, so 0 is the cross-sectional
average); a missing pillar is said to be missing, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import cast

import pandas as pd

from rotascope.analytics.scorecard import Scorecard
from rotascope.narrative.earnings_facts import phrase
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import ordinal
from rotascope.pipeline.scorecard import ScorecardRun

__all__ = ["PILLAR_WORDS", "card_facts", "describe_pillar", "scorecard_facts"]

#: Pillar -> (best, worst, above average, below average) wording.
PILLAR_WORDS: Mapping[str, tuple[str, str, str, str]] = MappingProxyType(
    {
        "valuation": (
            "cheapest valuation", "richest valuation",
            "cheaper-than-average valuation", "richer-than-average valuation",
        ),
        "technicals": (
            "strongest technicals", "weakest technicals", "positive technicals",
            "negative technicals",
        ),
        "leverage": (
            "lowest leverage", "highest leverage", "below-average leverage",
            "above-average leverage",
        ),
        "earnings_stability": (
            "most stable earnings", "least stable earnings",
            "above-average earnings stability", "below-average earnings stability",
        ),
    }
)  # fmt: skip


def _words(pillar: str) -> tuple[str, str, str, str]:
    label = pillar.replace("_", " ")
    return PILLAR_WORDS.get(
        pillar, (f"best {label}", f"worst {label}", f"above-average {label}",
                 f"below-average {label}")
    )  # fmt: skip


def describe_pillar(card: Scorecard, segment: str, pillar: str) -> str:
    """Words for one segment's pillar: superlative when best or worst, else by the sign."""
    scores = card.pillar_scores[pillar]
    value = scores.get(segment, math.nan)
    label = pillar.replace("_", " ")
    if value is None or math.isnan(value):
        return f"no {label} data"
    best, worst, above, below = _words(pillar)
    ranked = scores.dropna()
    if len(ranked) >= 2 and value == ranked.max():
        return best
    if len(ranked) >= 2 and value == ranked.min():
        return worst
    return above if value > 0 else below if value < 0 else f"average {label}"


def _verb(name: str) -> str:
    """"rank" after a plural name ("small caps", "Financials"), else "ranks"."""
    last = name.split()[-1] if name.split() else name
    return "rank" if last.endswith("s") and not last.endswith("ss") else "ranks"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pillars_text(card: Scorecard, segment: str) -> str:
    parts = []
    for pillar in card.pillars:
        value = cast(float, card.pillar_scores.loc[segment, pillar])
        shown = "n/a" if math.isnan(value) else f"{value:+.2f}"
        parts.append(f"{pillar.replace('_', ' ')} {shown}")
    return ", ".join(parts)


def scorecard_facts(
    card: Scorecard,
    *,
    as_of: pd.Timestamp | str,
    names: Mapping[str, str] | None = None,
    source: str = "",
) -> list[Fact]:
    """One fact per ranked segment, best first; the first and last carry the plain-words sentence.

    Parameters
    ----------
    card : Scorecard
        :func:`~rotascope.analytics.scorecard.scorecard` output.
    as_of : date-like
        Date of the inputs.
    names : mapping, optional
        Segment -> display name.
    source : str
        Where the inputs come from.

    Returns
    -------
    list of Fact
        Kind ``"scorecard_rank"``: ``value`` the composite, ``rank`` and ``of``, ``details`` every
        pillar score, the inputs used, which are missing, and ``pillars_used``.
    """
    day = pd.Timestamp(as_of)
    ranked = card.table[card.table["rank"].notna()]
    n = len(ranked)
    facts: list[Fact] = []
    total = len(card.pillars)
    for position, (segment, row) in enumerate(ranked.iterrows()):
        seg = str(segment)
        rank = int(row["rank"])
        who = phrase(seg, names)
        words = [describe_pillar(card, seg, p) for p in card.pillars]
        scores = cast(pd.Series, card.pillar_scores.loc[seg])  # one row per segment
        good = [w for w, p in zip(words, card.pillars, strict=True) if scores[p] > 0]
        bad = [w for w, p in zip(words, card.pillars, strict=True) if scores[p] < 0]
        used = int(row["pillars_used"])
        missing_pillars = [p.replace("_", " ") for p in card.pillars if math.isnan(scores[p])]
        note = (
            f"ranked on {used} of {total} pillars: no {', '.join(missing_pillars)} data"
            if missing_pillars
            else ""
        )
        if position == 0:
            sentence = f"{_cap(who)} {_verb(who)} first on risk/reward: " + ", ".join(good or words)
            sentence += "; weaker on " + ", ".join(bad) if good and bad else ""
            sentence += f" ({note})" if note else ""
        elif position == n - 1:
            sentence = f"{_cap(who)} {_verb(who)} last of {n} on risk/reward: " + ", ".join(
                bad or words
            )
            sentence += "; stronger on " + ", ".join(good) if good and bad else ""
            sentence += f" ({note})" if note else ""
        else:
            inner = f"composite {row['composite']:+.2f}; {_pillars_text(card, seg)}"
            inner += f"; {note}" if note else ""
            sentence = f"{_cap(who)} {_verb(who)} {ordinal(rank)} of {n} on risk/reward ({inner})"
        sentence += "."
        missing_inputs = [m for m, flag in card.missing.loc[seg].items() if flag]
        facts.append(
            Fact(
                kind="scorecard_rank",
                subject=seg,
                window="",
                as_of=day,
                value=float(row["composite"]),
                sentence=sentence,
                source=source,
                rank=rank,
                of=n,
                details={
                    "pillars": {p: float(scores[p]) for p in card.pillars},
                    "pillar_words": dict(zip(card.pillars, words, strict=True)),
                    "pillars_used": used,
                    "weights": dict(card.weights),
                    "inputs": {m: float(v) for m, v in cast(pd.Series, card.inputs.loc[seg]).items()},
                    "zscores": {m: float(v) for m, v in cast(pd.Series, card.zscores.loc[seg]).items()},
                    "missing_inputs": missing_inputs,
                },
            )
        )
    return facts


def card_facts(run: ScorecardRun) -> list[Fact]:
    """:func:`scorecard_facts` of a :func:`~rotascope.pipeline.scorecard.scorecard_run`."""
    return scorecard_facts(run.card, as_of=run.as_of, names=run.names, source=run.source)
