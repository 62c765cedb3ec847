"""Drivers pipeline: A vs B's daily relative return regressed on a driver's changes.

:func:`driver_run` is the one function behind ``rotascope drivers`` and the report's drivers
items: it resolves the legs and the driver point in time, picks the change (yields in percent:
differences in basis points; prices: percentage changes) and runs
:func:`~rotascope.analytics.drivers.driver_sensitivity`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotascope.analytics.drivers import DriverResult, driver_sensitivity
from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe
from rotascope.pipeline.pair_inputs import leg_prices
from rotascope.pipeline.refs import KNOWN_DRIVERS, driver_change, resolve_series

__all__ = ["DriverRun", "driver_run"]


@dataclass(frozen=True)
class DriverRun:
    """A driver regression and how to describe it: the legs' and driver's names and sources."""

    result: DriverResult
    a_display: str
    b_display: str
    driver_display: str
    source: str


def driver_run(
    a: str,
    b: str,
    driver: str,
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None,
    *,
    window: int | None = None,
    change: str = "auto",
    scale: float | None = None,
    step: float | None = None,
    label: str | None = None,
) -> DriverRun:
    """Rolling beta of A vs B's relative return on ``driver``'s changes, ending on ``as_of``.

    The regression is ``r_rel[t] = alpha + beta * scale * change(driver)[t] + e[t]`` over the
    last ``window`` rows (default 252 daily), with ``r_rel = (1 + rA) / (1 + rB) - 1``.

    Parameters
    ----------
    a, b, driver : str
        Series references (segments, stored names, ``sample:``, ``file:``).
    universe, source
        Resolve the references; ``source`` is cut at ``as_of``.
    as_of : Timestamp or None
        Last date of the regression (default: the last common date).
    window, change, scale, step
        See :func:`~rotascope.analytics.drivers.driver_sensitivity` and
        :func:`~rotascope.pipeline.refs.driver_change`.
    label : str, optional
        The driver's name in sentences (default: the label stored with the series, a known
        name such as "2-year Treasury yield" from :data:`~rotascope.pipeline.refs.KNOWN_DRIVERS`
        (the FRED table of :mod:`rotascope.data.fred_labels`), else its display name).
    """
    leg_a, leg_b = leg_prices(a, universe, source), leg_prices(b, universe, source)
    ts_d, disp_d = resolve_series(driver, universe, source)
    how, mult, units = driver_change(ts_d, change, scale)
    res = driver_sensitivity(leg_a.prices, leg_b.prices, ts_d.data.rename(ts_d.meta.name), as_of,
                             window, how, mult, units, step)
    name_d = (label or ts_d.meta.label
              or KNOWN_DRIVERS.get(ts_d.meta.symbol.lower(),
                                   KNOWN_DRIVERS.get(driver.lower(), disp_d)))
    src = (f"{leg_a.display}: {leg_a.source}; {leg_b.display}: {leg_b.source}; "
           f"{name_d}: {ts_d.meta.source}")
    return DriverRun(result=res, a_display=leg_a.display, b_display=leg_b.display,
                     driver_display=name_d, source=src)
