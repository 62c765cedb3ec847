"""Facts about one series: window returns, record horizons and extremes of the year."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from rotascope.analytics import RecordResult
from rotascope.narrative.calendar_facts import level_fact, period_fact
from rotascope.narrative.fact import Fact
from rotascope.narrative.level_facts import extreme_fact
from rotascope.narrative.record_wording import (
    HORIZON_DAYS,
    HORIZON_ROWS,
    horizon_words,
    stated_horizon,
)
from rotascope.narrative.wording import (
    amount_text,
    day_text,
    lead_name,
    month_year,
    pct,
    window_noun,
    window_phrase,
)
from rotascope.pipeline.series import SeriesMoves, series_moves
from rotascope.pipeline.subjects import Subject, Windows

__all__ = ["HORIZON_DAYS", "HORIZON_ROWS", "moves_facts", "record_sentence", "series_facts"]


def _verb(value: float, strong: bool) -> str:
    if value >= 0:
        return "jumped" if strong else "rose"
    return "tumbled" if strong else "fell"


def record_sentence(rec: RecordResult, display: str, label: str, frequency: str,
                    start: pd.Timestamp | None = None, percentile: float = math.nan,
                    rows_since: int | None = None,
                    ranked: Sequence[pd.Timestamp] = (), *, lead: str | None = None,
                    amount: str | None = None) -> str:
    """The sentence of a record-horizon fact.

    "The Russell 2000 jumped 11.5% over five days, its biggest gain over such a period since
    April 2020." / "The S&P 500 tumbled 12.0% on March 16, 2020, its largest one-day drop since
    October 1987." A horizon under a year is stated as journalists do ("its biggest one-day
    gain since November 14, 2023") when it spans at least :data:`HORIZON_DAYS` days and
    :data:`HORIZON_ROWS` rows (``rows_since``: rows from the horizon's date to today), with the
    move's share of history beside it when that is in the top or bottom decile; below that,
    the sentence states the move alone. ``ranked``: the move's ranked horizons
    (:func:`rotascope.analytics.ranked_horizons`), for "the second-largest one-day drop since
    ..." (the rank rule of :mod:`rotascope.narrative.record_wording`).

    ``lead``: the subject at the start of the sentence (default "The <display>"). ``amount``:
    the change of a level series as written ("25 basis points",
    :func:`~rotascope.narrative.wording.amount_text`): the sentence then reads as a level's
    ("The 10-year Treasury yield rose 25 basis points over five days, its biggest five-day rise
    since October 2022"), never as a return.
    """
    gain = rec.direction == "gain"
    level = amount is not None
    stated = stated_horizon(rec, ranked)
    strong = rec.on_record or stated.years >= 1.0
    phrase = window_phrase(label, frequency, start=start, end=rec.date)
    noun = window_noun(label, frequency)
    if level:
        superlative, what = "biggest", (f"{noun} rise" if gain else f"{noun} fall")
        verb = "rose" if rec.value >= 0 else "fell"
    else:
        superlative, what = ("biggest", f"{noun} gain") if gain else ("largest", f"{noun} drop")
        verb = _verb(rec.value, strong)
    head = f"{lead or 'The ' + display} {verb} {amount or pct(rec.value)} {phrase}"
    clause = horizon_words(rec, superlative, what, ranked, rows_since)
    if strong:
        # a record of a year or more, or a rank stated over a year or more ("... and the
        # third-biggest since November 2022"): no share of history beside it
        return f"{head}, {clause}."
    share = (1 - percentile) if gain else percentile
    tail = ""
    if not math.isnan(share) and share <= 0.1:
        top = max(1, math.ceil(share * 100))
        if level:
            side = "rises" if gain else "falls"
            tail = f"among the largest {top}% of {noun} {side} since {month_year(rec.first_date)}"
        else:
            side = "strongest" if gain else "weakest"
            tail = f"among the {side} {top}% of {noun} moves since {month_year(rec.first_date)}"
    if clause:
        return f"{head}, {clause}" + (f", {tail}." if tail else ".")
    return f"{head}, {tail}." if tail else f"{head}."


def _the(display: str, verbatim: bool = False) -> str:
    return lead_name(display, verbatim)


def series_facts(subject: Subject, as_of: pd.Timestamp | None = None,
                 windows: Windows | None = None) -> list[Fact]:
    """Every fact about one series at ``as_of``: :func:`moves_facts` of
    :func:`~rotascope.pipeline.series.series_moves`.

    Parameters
    ----------
    subject : Subject
        The series and how to name it.
    as_of : Timestamp, optional
        Use only data on or before this date (default: the last date).
    windows : tuple, optional
        N-row windows (:func:`~rotascope.pipeline.subjects.parse_windows`) instead of the
        frequency's defaults.

    Returns
    -------
    list of Fact
        In this order (see :func:`moves_facts`): one ``window_return`` (``window_change`` for
        a level series measured by differences) per calendar window, then per N-row window a
        ``record_gain`` or ``record_drop`` and, when today's value is the year's extreme so
        far, a ``largest_of_year``; then the ``period_return`` facts and the
        ``level_record`` fact of a daily price series with the default windows, or the
        level's highest/lowest since (``record_gain``/``record_drop``, window ``level``) of
        a level series. A window whose history is too short gives no fact, nor does a value
        that is NaN.

    Raises
    ------
    InputError
        Fewer than two prices on or before ``as_of``.

    Notes
    -----
    The prices are cut at ``as_of`` (NaN rows dropped); ``last`` is the last row left, the
    date of every fact. N counts the series' own rows.

    - Calendar windows (daily: ``1w``, ``1m``, ``ytd``, ``1y``; monthly: ``ytd``, ``1y``):
      :func:`~rotascope.analytics.window_return`, ``P[end] / P[start] - 1`` with ``end =
      last`` and ``start`` the last close on or before ``last - 7 days``, ``- 1 month``,
      ``- 1 year`` (pandas ``DateOffset``), or the previous year's last close (``ytd``). A
      level series measured by differences: ``x[end] - x[start]``
      (:func:`~rotascope.analytics.windows.window_change`).
    - N-row records (daily: 1, 5, 21, 63, 252 rows; monthly: 1, 3, 6, 12), for each N with
      more than N + 1 rows: ``r[t] = P[t] / P[t-N] - 1``
      (:func:`~rotascope.analytics.rolling_returns`; ``x[t] - x[t-N]`` for differences);
      direction "gain" when ``r[last] >= 0``. ``since``, ``rank``, ``of`` from
      :func:`~rotascope.analytics.record_at` (``since = max{s < t : r[s] >= r[t]}``, ``<=``
      for drops; the first date when on record; ``rank = 1 + #{s < t : r[s] > r[t]}``);
      ``zscore`` and ``percentile`` from :func:`~rotascope.analytics.unusualness`
      (``(r[t] - mean) / std`` over the trailing five years, today included, ddof=1, at
      least 20 values; percentile ``(#{r[s] < r[t]} + 0.5 * #{r[s] == r[t]}) / (t + 1)``
      over rows ``0 .. t``).
    - ``largest_of_year``: when ``record_at``'s year rank is 1 (no value of the same calendar
      year so far more extreme), the year has at least two N-row values, and the record
      horizon is under a year (a longer one already says it); ``rank`` is the year rank,
      ``of`` the values of the year so far.
    - ``period_return``: :func:`~rotascope.analytics.periods.period_record` of the week,
      month, quarter, half and year holding ``last`` (daily series only).
    - ``level_record``: :func:`~rotascope.analytics.levels.level_status` (record close,
      drawdown ``P[t] / max(P[0..t]) - 1``, a correction from -10%, a bear market from -20%);
      none for an index compounded from returns.
    - A level series: :func:`~rotascope.analytics.levels.level_extreme`, the level's highest
      or lowest since (the side with the earlier horizon).
    """
    return moves_facts(series_moves(subject, as_of, windows))


def moves_facts(moves: SeriesMoves) -> list[Fact]:
    """The facts of a series' moves.

    Returns
    -------
    list of Fact
        ``window_return`` for the calendar windows of the series' frequency, then per N-row
        window a ``record_gain`` or ``record_drop`` (by the sign of today's N-row return) with
        rank, percentile vs history and z-score vs the trailing five years, a
        ``largest_of_year`` fact when today's value is the year's extreme so far, then the
        calendar periods' ``period_return`` and the ``level_record`` facts. A level series
        (``Subject.reading == "level"``) reads as a level: its changes in basis points or
        points (``window_change``; percent changes for a stock such as M2), its N-row records
        as the biggest rise or fall, and its level's highest or lowest since
        (:func:`~rotascope.narrative.level_facts.extreme_fact`); never a return, never cheap or
        expensive.
    """
    subject, last = moves.subject, moves.last
    the = _the(subject.display, subject.verbatim)
    level = subject.reading == "level"
    how = subject.change if level else "pct"

    def amount(value: float) -> str | None:
        return amount_text(value, subject.units, how) if level else None

    facts: list[Fact] = []
    for label, wr in moves.calendar:
        phrase = window_phrase(label, subject.frequency)
        verb = "is up" if wr.value >= 0 else "is down"
        if label != "ytd":
            verb = "rose" if wr.value >= 0 else "fell"
        details = {"start_level": wr.start_level, "end_level": wr.end_level,
                   "rows": wr.rows, "display": subject.display}
        if level:
            details.update(reading="level", change=how, units=subject.units)
        facts.append(Fact(
            kind="window_return" if how == "pct" else "window_change", subject=subject.name,
            window=label, as_of=last, value=wr.value, source=subject.source,
            start=wr.start_date, end=wr.end_date,
            sentence=f"{the} {verb} {amount(wr.value) or pct(wr.value)} {phrase}.",
            details=details,
        ))
    for m in moves.moves:
        rec, un, label, direction, n, start = (m.record, m.move, m.label, m.direction, m.rows,
                                               m.start)
        evidence = {
            "display": subject.display, "rows": n, "since_value": rec.since_value,
            "first_date": rec.first_date, "on_record": rec.on_record, "years": rec.years,
            "year_rank": rec.year_rank, "start_level": m.start_level,
            "ranked_since": list(m.ranked),
            "end_level": m.end_level, "decile": un.decile,
            "zscore_lookback": un.lookback, "zscore_lookback_start": un.lookback_start,
        }
        if level:
            evidence.update(reading="level", change=how, units=subject.units)
        facts.append(Fact(
            kind=f"record_{direction}", subject=subject.name, window=label, as_of=last,
            value=rec.value, source=subject.source, since=rec.since or rec.first_date,
            rank=rec.rank, of=rec.of, percentile=un.percentile, zscore=un.zscore,
            start=start, end=last,
            sentence=record_sentence(rec, subject.display, label, subject.frequency, start,
                                     un.percentile, m.rows_since, m.ranked, lead=the,
                                     amount=amount(rec.value)),
            details=evidence,
        ))
        year_rows = m.year_rows
        # A record horizon of a year or more already says it is the year's extreme.
        if rec.largest_of_year and year_rows >= 2 and not (rec.on_record or rec.years >= 1.0):
            noun = window_noun(label, subject.frequency)
            if level:
                what = f"biggest {noun} " + ("rise" if direction == "gain" else "fall")
            else:
                what = (f"biggest {noun} gain" if direction == "gain"
                        else f"largest {noun} drop")
            move = "rise" if direction == "gain" else "fall"
            when = f"on {day_text(last)}" if n == 1 and subject.frequency == "daily" else (
                f"in the {noun} period to {day_text(last)}")
            facts.append(Fact(
                kind="largest_of_year", subject=subject.name, window=label, as_of=last,
                value=rec.value, source=subject.source, rank=rec.year_rank, of=year_rows,
                percentile=un.percentile, zscore=un.zscore, start=start, end=last,
                sentence=(f"{the}'s {move} of {amount(rec.value)} {when} was its {what} of "
                          f"{last.year} so far." if level else
                          f"{the}'s {pct(rec.value)} {move} {when} was its {what} of "
                          f"{last.year} so far."),
                details={"display": subject.display, "direction": direction,
                         "year_rows": year_rows, "year": last.year},
            ))
    facts += [f for res in moves.periods if (f := period_fact(res, subject)) is not None]
    if moves.level is not None:
        facts += [f for f in [level_fact(moves.level, subject)] if f is not None]
    if moves.extreme is not None:
        facts += [f for f in [extreme_fact(moves.extreme, subject)] if f is not None]
    return [f for f in facts if not (isinstance(f.value, float) and math.isnan(f.value))]
