"""Factors pipeline: factor return series -> the factor monitor (status, drawdowns, unwinds).

:func:`factor_run` is the one function behind ``rotascope factors`` and the report's Factors
section: it resolves each factor point in time (a price series becomes its returns), leaves out
(or, ``strict``, refuses) the ones that cannot be used, and runs
:func:`~rotascope.analytics.factors.factor_monitor`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from rotascope.analytics.factors import FactorMonitor, factor_monitor
from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe
from rotascope.errors import InputError, RotascopeError
from rotascope.pipeline.refs import resolve_series

__all__ = ["FactorRun", "factor_refs", "factor_run"]


@dataclass(frozen=True)
class FactorRun:
    """The factor monitor of the factors that could be read.

    Attributes
    ----------
    monitor : FactorMonitor or None
        None when no factor could be read.
    displays, sources : dict
        How sentences name each factor and where its data come from, by reference.
    unread : dict of str to Exception
        The references left out and why (the monitor's own ``skipped`` lists those with too
        little history).
    """

    monitor: FactorMonitor | None
    displays: dict[str, str]
    sources: dict[str, str]
    unread: dict[str, Exception]


def factor_refs(universe: Universe, names: Sequence[str] | None = None) -> list[str]:
    """The factors to monitor: ``names`` (comma lists split), else the universe's segments in
    group ``factor``."""
    refs = [n.strip() for item in (names or []) for n in item.split(",") if n.strip()]
    return refs or [s.name for s in universe.segments if s.group == "factor"]


def factor_run(
    refs: Sequence[str],
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None,
    *,
    strict: bool = False,
) -> FactorRun:
    """The factor monitor of ``refs`` on ``as_of``.

    Parameters
    ----------
    refs : sequence of str
        Factor references (segments, stored names, ``sample:``, ``file:``): return series, or
        price series (their daily changes are used).
    strict : bool
        Raise on the first factor that cannot be read (the user named it) instead of leaving it
        out.

    Raises
    ------
    InputError
        ``strict`` and a factor that cannot be read, or a series that is neither returns nor
        prices.
    """
    series: dict[str, pd.Series] = {}
    displays: dict[str, str] = {}
    sources: dict[str, str] = {}
    unread: dict[str, Exception] = {}
    for ref in refs:
        try:
            ts, display = resolve_series(ref, universe, source)
            data = ts.data
            if ts.meta.kind == "price":
                data = data.pct_change().dropna()
            elif ts.meta.kind != "return":
                raise InputError(f"{ref}: the factor monitor needs return (or price) series, "
                                 f"not a {ts.meta.kind} series")
        except (RotascopeError, OSError) as exc:
            if strict:
                raise
            unread[ref] = exc
            continue
        series[ref], displays[ref], sources[ref] = data.rename(ref), display, ts.meta.source
    monitor = factor_monitor(series, as_of) if series else None
    return FactorRun(monitor=monitor, displays=displays, sources=sources, unread=unread)
