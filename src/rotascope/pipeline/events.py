"""Events pipeline: A vs B's abnormal relative return around dated events.

:func:`event_run` is the one function behind ``rotascope events`` and the report's event
studies: it reads the events (a built-in list such as ``us-cpi`` or a CSV), resolves the legs
point in time and runs :func:`~rotascope.analytics.events.event_study`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rotascope.analytics.events import EventStudy, event_study
from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe
from rotascope.pipeline.pair_inputs import leg_prices
from rotascope.pipeline.refs import BUILTIN_EVENTS, load_events

__all__ = ["EventRun", "event_run", "events_path"]


@dataclass(frozen=True)
class EventRun:
    """An event study and how to describe it."""

    study: EventStudy
    a_display: str
    b_display: str
    name: str
    source: str


def events_path(ref: str, source: DataSource) -> str:
    """A built-in events list as named; a file as given when it exists, else relative to the
    data folder."""
    if ref.strip().lower() in BUILTIN_EVENTS:
        return ref
    path = Path(ref).expanduser()
    if not path.is_absolute() and not path.exists() and source.data_dir is not None:
        path = Path(source.data_dir) / path
    return str(path)


def event_run(
    a: str,
    b: str,
    events: str,
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None,
    *,
    window: tuple[int, int] = (-1, 5),
    estimation: tuple[int, int] = (-260, -11),
    name: str | None = None,
) -> EventRun:
    """The event study of A vs B around ``events`` up to ``as_of``.

    Abnormal relative return ``AR[t] = r_rel[t] - mean(r_rel[estimation])``, cumulated over
    ``window`` rows around each event (day 0: the first row on or after the event date); the
    t-statistic is that of the mean CAR across events.
    """
    ev, noun = load_events(events_path(events, source))
    leg_a, leg_b = leg_prices(a, universe, source), leg_prices(b, universe, source)
    study = event_study(leg_a.prices, leg_b.prices, ev, as_of, window, estimation)
    src = f"{leg_a.display}: {leg_a.source}; {leg_b.display}: {leg_b.source}; events: {events}"
    return EventRun(study=study, a_display=leg_a.display, b_display=leg_b.display,
                    name=name or noun, source=src)
