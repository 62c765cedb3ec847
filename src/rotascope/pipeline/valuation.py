"""Valuation pipeline: a valuation series (or A vs B) -> where it stands in its lookback.

:func:`valuation_run` is the one function behind ``rotascope valuation`` and the report's
Valuation section: it resolves the references (:func:`rotascope.pipeline.refs.resolve_series`,
cut to what was known on the as-of date), guesses how to read the series when not told, forms
the ratio or spread of A vs B and runs
:func:`~rotascope.analytics.valuation.valuation_percentile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from rotascope.analytics.valuation import (
    Metric,
    ValuationResult,
    parse_metric,
    relative_valuation,
    valuation_percentile,
)
from rotascope.data.fred_labels import fred_label
from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe
from rotascope.errors import InputError
from rotascope.pipeline.refs import guess_metric, resolve_series

__all__ = ["ValuationRun", "valuation_run"]


@dataclass(frozen=True)
class ValuationRun:
    """A valuation's result and how to describe it.

    Attributes
    ----------
    result : ValuationResult
        Percentile, decile, median, record horizon ... on the as-of date.
    display, versus_display : str
        How sentences name A and B (``""`` without B).
    metric_label : str
        The metric's name in sentences (``"CAPE"``, ``"trailing P/E"``).
    units : str
        ``"percent"``, ``"fraction"`` or ``""`` (a ratio of A vs B has none).
    source : str
        ``"<A>: <source of A>[; <B>: <source of B>]"``.
    frequency : str
        A's frequency.
    first_date : date
        A's first row.
    noun : str
        What the sentences call A's value, article included ("the 10-year Treasury yield" for
        a level series of the FRED table); "" for ``"<display> <metric_label>"``.
    """

    result: ValuationResult
    display: str
    versus_display: str
    metric_label: str
    units: str
    source: str
    frequency: str
    first_date: date
    noun: str = ""


def valuation_run(
    series: str,
    versus: str | None,
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None,
    *,
    lookback: str = "20y",
    metric: str | None = None,
    how: str = "ratio",
    label: str | None = None,
    display: str | None = None,
    versus_display: str | None = None,
) -> ValuationRun:
    """Where ``series`` (or its ratio/spread against ``versus``) stands on ``as_of``.

    Parameters
    ----------
    series, versus : str
        Series references (stored name, segment, ``sample:SYM``, ``file:PATH#COL@SECTION``).
    universe : Universe
        Resolves segment names.
    source : DataSource
        Where series come from; cut at ``as_of``.
    as_of : Timestamp or None
        Default: the series' last date.
    lookback : str
        Trailing lookback (``20y``, ``120m``, ``500d``).
    metric : str, optional
        ``pe``, ``cape``, ``be/me``, ``yield``, ... (default: guessed from the series).
    how : str
        ``ratio`` (A / B) or ``spread`` (A - B), with ``versus``.
    label : str, optional
        The metric's name in sentences (default: the given metric's name, else the guessed one).
    display, versus_display : str, optional
        How sentences name A and B (default: the resolved series' display names).

    Raises
    ------
    InputError
        A reference that cannot be resolved, a ``how`` other than ratio or spread, too little
        history for the lookback.
    """
    ts_a, disp_a = resolve_series(series, universe, source)
    guessed, guessed_label = guess_metric(ts_a)
    known = fred_label(ts_a.meta.symbol) if ts_a.meta.kind == "macro" else None
    noun = ""
    if (known is not None and known.reading == "level" and not metric and not label
            and not display and not versus):
        # a level series (a yield, a spread, the VIX): higher or lower, never cheap
        guessed, guessed_label, noun = "level", "level", ts_a.meta.label or known.label
        disp_a = noun[4:] if noun.startswith("the ") else noun
    m: Metric = parse_metric(metric) if metric else guessed
    metric_label = label or (guessed_label if not metric or m == guessed else metric)
    units = ts_a.meta.units if ts_a.meta.units in ("fraction", "percent") else ""
    values = ts_a.data.rename(ts_a.meta.name)
    name_a = display or disp_a
    name_b, src = "", f"{name_a}: {ts_a.meta.source}"
    if versus:
        if how not in ("ratio", "spread"):
            raise InputError(f"--how must be one of: ratio, spread (got {how!r})")
        ts_b, disp_b = resolve_series(versus, universe, source)
        name_b = versus_display or disp_b
        values = relative_valuation(values, ts_b.data.rename(ts_b.meta.name), how)  # type: ignore[arg-type]
        src += f"; {name_b}: {ts_b.meta.source}"
        units = "" if how == "ratio" else units
    res = valuation_percentile(values, as_of, lookback, m)
    return ValuationRun(result=res, display=name_a, versus_display=name_b,
                        metric_label=metric_label, units=units, source=src,
                        frequency=ts_a.meta.frequency, first_date=ts_a.data.index[0].date(),
                        noun=noun)
