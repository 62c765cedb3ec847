"""Facts about drivers: the pair's sensitivity to a driver and its moves around events.

"The Russell 2000 has outperformed the S&P 500 by 0.4 percentage points for each 10 bp fall in
the 2-year Treasury yield over the past year (beta -0.04 percentage points per bp, t = -3.1,
R^2 = 12%)."
"""

from __future__ import annotations

import math

from rotascope.analytics.drivers import DriverResult
from rotascope.analytics.events import EventStudy
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import month_year, pp

__all__ = ["driver_fact", "event_facts", "step_text"]

_GROUP_WORDS = {
    "all": "",
    "positive": "positive-surprise ",
    "negative": "negative-surprise ",
    "zero": "in-line ",
    "none": "",
}


def step_text(step: float, units: str) -> str:
    """``10 bp``, ``1%``, ``2 index points``, ``1 index point``: a driver move with its units."""
    size = f"{step:g}"
    if units == "%":
        return f"{size}%"
    if not units:
        return size
    if step == 1 and units.endswith("s") and units != "bp":
        units = units[:-1]
    return f"{size} {units}"


def _move_text(step: float, units: str, move: str) -> str:
    """``10 bp fall``, ``1% rise``, ``fall of 2 index points``."""
    if units in ("bp", "%", ""):
        return f"{step_text(step, units)} {move}"
    return f"{move} of {step_text(step, units)}"


def _window_text(res: DriverResult) -> str:
    days = (res.date - res.start).days
    if 340 <= days <= 390:
        return "over the past year"
    if days > 390:
        return f"over the past {days / 365.25:.0f} years"
    return f"over the past {res.window} observations"


def _the(display: str) -> str:
    return display if display.lower().startswith("the ") else f"the {display}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def driver_fact(
    res: DriverResult,
    a_display: str,
    b_display: str,
    driver_display: str,
    source: str = "",
) -> Fact:
    """The current sensitivity of A vs B to a driver, as a sentence.

    Parameters
    ----------
    res : DriverResult
        From :func:`rotascope.analytics.driver_sensitivity`.
    a_display, b_display : str
        How to name the legs ("the Russell 2000", "small caps").
    driver_display : str
        How to name the driver ("the 2-year Treasury yield").
    source : str
        Provenance of the three series.

    Returns
    -------
    Fact
        Kind ``driver_beta``; ``value`` is the beta (relative return per unit of driver
        change), the t-statistic and R^2 are in ``details`` (``zscore`` stays NaN: a t-statistic
        is not a z-score of the move).
    """
    move = "fall" if res.beta < 0 else "rise"
    digits = 2 if abs(res.effect) < 0.001 else 1  # 0.09 pp, not 0.1 pp
    head = (f"{_cap(_the(a_display))} has outperformed {_the(b_display)} by "
            f"{pp(res.effect, digits)} "
            f"for each {_move_text(res.step, res.units, move)} in {_the(driver_display)} "
            f"{_window_text(res)}")
    unit = {"bp": "bp", "%": "1%"}.get(res.units, step_text(1, res.units))
    per = f"{res.beta * 100:+.3g} percentage points per {unit}"
    stats = f"beta {per}, t = {res.tstat:.1f}, R\u00b2 = {res.r2 * 100:.0f}%"
    if math.isnan(res.beta):
        sentence = (f"The relation of {_the(a_display)} vs {_the(b_display)} to "
                    f"{_the(driver_display)} cannot be estimated (the driver did not move).")
    elif res.significant:
        sentence = f"{head} ({stats})."
    else:
        sentence = f"{head} ({stats}), but the relation is not statistically significant."
    return Fact(
        kind="driver_beta", subject=res.a, versus=res.b, window=f"{res.window}d",
        as_of=res.date, value=res.beta, sentence=sentence, source=source,
        start=res.start, end=res.date,
        details={"driver": res.driver, "driver_display": driver_display, "tstat": res.tstat,
                 "r2": res.r2, "alpha": res.alpha, "se": res.se, "n": res.n,
                 "units": res.units, "step": res.step, "effect": res.effect,
                 "change": res.change, "scale": res.scale, "significant": res.significant,
                 "driver_std": res.driver_std},
    )


def event_facts(
    study: EventStudy,
    a_display: str,
    b_display: str,
    event_name: str = "events",
    source: str = "",
) -> list[Fact]:
    """One fact per surprise group of an event study (groups with at least two events).

    Parameters
    ----------
    study : EventStudy
        From :func:`rotascope.analytics.event_study`.
    a_display, b_display : str
        How to name the legs.
    event_name : str
        Plural noun of the events ("US CPI releases").
    source : str

    Returns
    -------
    list of Fact
        Kind ``event_study``, ``window`` ``"-1..+5"``, ``value`` the mean cumulative abnormal
        relative return; t-statistic, p-value, count and hit rate in ``details``.
    """
    w0, w1 = study.window
    span = f"{w0:+d}..{w1:+d}"
    days = ("from the day before to " if w0 == -1 else f"from day {w0:+d} to ") + (
        f"{w1} days after" if w1 > 0 else f"day {w1:+d}")
    used = study.used
    facts = []
    for group, row in study.summary.iterrows():
        count = int(row["count"])
        if count < 2 or (group == "none" and len(study.summary) <= 2):
            continue  # "none" repeats "all" when no event has a surprise
        first = used["date"].min() if group == "all" else used.loc[used["group"] == group,
                                                                     "date"].min()
        mean = float(row["mean_car"])
        verb = "outperformed" if mean >= 0 else "underperformed"
        sig = ("significant at the 5% level" if row["pvalue"] <= 0.05
               else "not statistically significant")
        if group == "none":
            what = f"{count} {event_name} without a surprise value"
        else:
            what = f"{count} {_GROUP_WORDS[str(group)]}{event_name}"
        sentence = (f"Around the {what} since {month_year(first)}, {_the(a_display)} {verb} "
                    f"{_the(b_display)} by {pp(mean)} on average {days} (abnormal relative "
                    f"return; t = {row['tstat']:.1f}, {sig}).")
        facts.append(Fact(
            kind="event_study", subject=study.a, versus=study.b, window=span,
            as_of=study.as_of, value=mean, sentence=sentence, source=source,
            start=first, end=study.as_of,
            details={"group": group, "count": count, "tstat": row["tstat"],
                     "pvalue": row["pvalue"], "median_car": row["median_car"],
                     "sd_car": row["sd_car"], "hit_rate": row["hit_rate"],
                     "estimation": study.estimation, "event_name": event_name},
        ))
    return facts
