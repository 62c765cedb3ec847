"""Facts that compare segments over the same calendar period: who leads and who lags this year.

"Year to date the Nasdaq 100 leads the main indices, up 17.4%, and the Russell 2000 lags, up
9.2% (the S&P 500: up 17.0%)." Every recap states the year's performance; this fact ranks the
segments it is given on the same window and names the leader and the laggard.
"""

from __future__ import annotations

import math

import pandas as pd

from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import pct
from rotascope.pipeline.series import window_returns
from rotascope.pipeline.subjects import Subject

__all__ = ["comparison_fact"]

_PERIOD = {"ytd": "Year to date", "mtd": "Month to date", "qtd": "Quarter to date"}


def _move(value: float) -> str:
    return f"{'up' if value >= 0 else 'down'} {pct(value)}"


def comparison_fact(
    subjects: dict[str, Subject],
    names: list[str],
    as_of: pd.Timestamp | None = None,
    window: str = "ytd",
    group: str = "the main indices",
    benchmark: str = "",
) -> Fact | None:
    """The ``window_comparison`` fact of ``names`` over ``window`` (default year to date).

    Each segment's return is :func:`rotascope.pipeline.series.window_returns` (from the last close on
    or before the period's start to its last close on or before ``as_of``); the segments are
    ranked by it (1 = best). ``value`` is the leader's return, ``details`` hold every return
    and the ranking. None when fewer than three daily segments have a return (two are a pair,
    which the pair facts already compare).
    """
    found = window_returns(subjects, names, as_of, window)
    returns = {n: wr.value for n, wr in found.items() if not math.isnan(wr.value)}
    dates = {n: (found[n].start_date, found[n].end_date) for n in returns}
    if len(returns) < 3:
        return None
    ranked = sorted(returns, key=lambda n: returns[n], reverse=True)
    lead, lag = ranked[0], ranked[-1]
    show = {n: subjects[n].display for n in ranked}
    sentence = (f"{_PERIOD.get(window, window)} the {show[lead]} leads {group}, "
                f"{_move(returns[lead])}, and the {show[lag]} lags, {_move(returns[lag])}")
    if benchmark in returns and benchmark not in (lead, lag):
        sentence += f" (the {show[benchmark]}: {_move(returns[benchmark])})"
    end = max(d[1] for d in dates.values())
    return Fact(
        kind="window_comparison", subject=lead, versus=lag, window=window, as_of=end,
        value=returns[lead], sentence=sentence + ".",
        source="; ".join(f"{show[n]}: {subjects[n].source}" for n in ranked),
        rank=1, of=len(ranked), start=min(d[0] for d in dates.values()), end=end,
        details={"returns": returns, "ranking": ranked, "leader": lead, "laggard": lag,
                 "spread": returns[lead] - returns[lag], "displays": show,
                 "starts": {n: d[0] for n, d in dates.items()}},
    )
