"""A universe's segments on one date: loaded point in time, with their pairs' analyses.

:func:`load_market` is what every report (and ``rotascope facts --universe``) starts from: each
segment read through a :class:`~rotascope.data.loader.DataSource` cut at the as-of date, the
date itself (default: the latest with data), how old each segment's data are, and each pair's
rotation episodes and analogs, computed once for the facts and the panels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from rotascope.data.availability import Staleness, date_staleness
from rotascope.data.loader import DataSource
from rotascope.data.universe import Pair, Universe
from rotascope.errors import InputError
from rotascope.pipeline.pairs import PairAnalysis, analyse_pair
from rotascope.pipeline.subjects import Subject, check_as_of

__all__ = ["Market", "load_market", "related_segments"]


@dataclass(frozen=True)
class Market:
    """The segments of a universe known on ``when``.

    Attributes
    ----------
    universe : Universe
    source : DataSource
        Cut at ``when`` (``source.as_of``), so whatever reads through it is point in time.
    when : Timestamp
        The as-of date.
    subjects : dict of str to Subject
        Segments with data on or before ``when``, in universe order.
    ages : dict of str to Staleness
        How old each segment's latest row is on ``when``.
    pairs : list of Pair
        The universe's pairs whose two legs have data.
    analyses : dict of (str, str) to PairAnalysis
        Episodes and analogs of each pair with enough history, by ``(a, b)``.
    """

    universe: Universe
    source: DataSource
    when: pd.Timestamp
    subjects: dict[str, Subject]
    ages: dict[str, Staleness]
    pairs: list[Pair]
    analyses: dict[tuple[str, str], PairAnalysis]


def load_market(
    universe: Universe,
    source: DataSource,
    as_of: pd.Timestamp | None = None,
    *,
    on_missing: Callable[[str, Exception], None] | None = None,
    allow_stale: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Market:
    """Load every segment of ``universe`` known on ``as_of`` and analyse its pairs.

    Parameters
    ----------
    universe : Universe
    source : DataSource
        Where segment data come from; it is cut at ``as_of``.
    as_of : Timestamp, optional
        Default: the latest date of any segment.
    on_missing : callable, optional
        Called with (segment, error) for segments without data, which are left out; without it
        a missing segment raises.
    allow_stale : bool
        Accept an ``as_of`` on which every segment's data are stale.
    progress : callable, optional
        Called with the name of each step as it starts.

    Raises
    ------
    InputError
        No segment has data on or before the date, or (without ``allow_stale``) every
        segment's data are stale on it.
    """
    if as_of is not None and source.as_of != pd.Timestamp(as_of):
        source = dataclasses.replace(source, as_of=pd.Timestamp(as_of))  # point in time
    step = progress or (lambda what: None)
    step("loading segments")
    series = source.segments(universe, on_missing=on_missing)
    if not series:
        raise InputError(f"universe {universe.name!r}: no segment has data")
    subjects = {n: Subject(n, universe.segment(n).display, ts.data, ts.meta.source,
                           ts.meta.frequency)
                for n, ts in series.items()}
    when = (pd.Timestamp(as_of) if as_of is not None
            else max(s.prices.index[-1] for s in subjects.values()))
    subjects = {n: s for n, s in subjects.items() if s.prices.index[0] <= when}
    if not subjects:
        raise InputError(f"no segment has data on or before {when:%Y-%m-%d}")
    check_as_of(subjects, when, allow_stale)
    ages = {n: date_staleness(s.prices.index[-1], s.frequency, when) for n, s in subjects.items()}
    pairs = [p for p in universe.pairs if p.a in subjects and p.b in subjects]
    step("pairs: episodes and analogs")
    analyses: dict[tuple[str, str], PairAnalysis] = {}
    for p in pairs:
        try:
            analyses[p.a, p.b] = analyse_pair(subjects[p.a], subjects[p.b], when)
        except InputError:
            continue  # too little history: the facts warn, the panels leave the pair out
    return Market(universe=universe, source=source, when=when, subjects=subjects, ages=ages,
                  pairs=pairs, analyses=analyses)


def related_segments(subjects: dict[str, Subject], when: pd.Timestamp, rows: int = 252,
                     threshold: float = 0.95) -> dict[str, frozenset[str]]:
    """Segments whose daily returns follow each other closely on ``when``.

    Parameters
    ----------
    subjects : dict of str to Subject
        The segments (only daily series count).
    when : Timestamp
        The as-of date: only rows on or before it are used.
    rows : int
        The last ``rows`` dates with any return, up to ``when``.
    threshold : float
        Least correlation for two segments to be related.

    Returns
    -------
    dict of str to frozenset of str
        Segment -> the segments related to it (not itself): those with
        ``corr(r_a, r_b) >= threshold`` over the window, where ``r = p_t / p_{t-1} - 1`` on each
        segment's own dates and the correlation uses the dates both have (at least half the
        window).

    Examples
    --------
    >>> import numpy as np
    >>> idx = pd.bdate_range("2024-01-01", periods=300)
    >>> base = pd.Series(np.cumprod(1 + np.random.default_rng(0).normal(0, 0.01, 300)), idx)
    >>> noise = pd.Series(np.random.default_rng(1).normal(0, 0.01, 300), idx)
    >>> subs = {n: Subject(n, n, s, "test") for n, s in
    ...         [("a", base), ("b", base * 2), ("c", base * (1 + noise).cumprod())]}
    >>> related_segments(subs, idx[-1])["a"]
    frozenset({'b'})
    """
    # Each segment's last rows + 1 rows are enough: a date among the last ``rows`` dates of
    # all segments is among the last ``rows`` of its own segment, and its return needs the row
    # before (the frame is the same as from the whole histories, without aligning them all).
    returns = {name: sub.prices[sub.prices.index <= when].iloc[-(rows + 1):]
               .pct_change(fill_method=None)
               for name, sub in subjects.items() if sub.frequency == "daily"}
    if len(returns) < 2:
        return {}
    frame = pd.DataFrame(returns).tail(rows)
    corr = frame.corr(min_periods=max(2, rows // 2))
    out: dict[str, frozenset[str]] = {}
    for name in corr.columns:
        row = corr[name].drop(name)
        near = frozenset(str(n) for n in row.index[row.to_numpy() >= threshold])
        if near:
            out[str(name)] = near
    return out
