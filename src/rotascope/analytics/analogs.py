"""Analogs, "what happened next": past moves of the same pair like today's, what followed them,
and what followed any move (the base rate).

DESIGN 5, "Analogs": past non-overlapping dates where the same pair made a move at least as
large over the same window; forward relative returns over 1, 3, 6 and 12 months: count, mean,
median, hit rate, worst, best, with the list of episodes. Beside them the unconditional base rate
(forward returns after every non-overlapping window of the same length), the difference and a
bootstrap interval of the conditional mean.

Which earlier moves count (``selection``):

- ``"at_least"`` (default): moves at least as large as today's in the same direction. When that
  gives fewer than ``min_cases`` (5) cases, for instance on a record day when there are none, the
  rule falls back to ``"largest"`` with ``fallback`` (10) cases, and the result says so.
- ``"largest"`` (``nearest=N``): the N largest earlier non-overlapping moves in the same direction.
- ``"min_ratio"`` (``min_ratio=0.8``): moves at least 0.8 times today's, same direction.
- ``"threshold"`` (``threshold=x``): moves beyond a given bound (its sign sets the direction).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.analytics._checks import check_int, series_name, truncate
from rotascope.analytics.episodes import EpisodeDirection
from rotascope.analytics.relative import _pair
from rotascope.analytics.windows import Window, _rows_of, parse_window
from rotascope.errors import InputError
from rotascope.formatting import format_pct
from rotascope.kernels.returns import windowed_returns_1d

__all__ = [
    "DEFAULT_HORIZONS",
    "DEFAULT_NEAREST",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MIN_CASES",
    "AnalogResult",
    "Selection",
    "analogs",
    "bootstrap_mean_interval",
]

#: Forward horizons in trading rows: 1, 3, 6 and 12 months of 21 trading days each.
DEFAULT_HORIZONS: Mapping[str, int] = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}

#: Fewest cases a summary needs to be a base for a conclusion; below it the default rule falls
#: back to the largest earlier moves, and tables are greyed out.
MIN_CASES = 5

#: Cases taken by the "largest" selection when no number is given.
DEFAULT_NEAREST = 10

#: Bootstrap resamples and seed of the interval of the conditional mean.
DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 0

Selection = Literal["at_least", "largest", "min_ratio", "threshold"]

SUMMARY_COLUMNS: tuple[str, ...] = (
    "rows", "count", "mean", "median", "hit_rate", "worst", "best", "mean_lo", "mean_hi",
    "base_count", "base_mean", "base_median", "base_hit_rate", "diff_mean", "diff_hit_rate",
)


@dataclass(frozen=True, eq=False)
class AnalogResult:
    """Past analogs of the current move of A vs B, what followed them, and the base rate.

    Attributes
    ----------
    a, b : str
        Names of the two series.
    window : str
        Window of the move (``"5d"``).
    as_of : pandas.Timestamp
        Last common date used (on or before the requested as_of).
    current_move : float
        N-day relative return of A vs B at ``as_of``: ``(1 + rA) / (1 + rB) - 1``.
    threshold : float
        The bound the analogs reached: moves ``>= threshold`` when ``direction`` is
        ``"a_leads"``, ``<= threshold`` when ``"b_leads"``. For ``selection == "largest"`` the
        smallest of the chosen moves (NaN without any).
    direction : {"a_leads", "b_leads"}
        Sign of the current move (``a_leads`` when >= 0), or of ``threshold`` when one was given.
    spacing : int
        Rows skipped after each analog (and before as_of): analogs are at least ``spacing + 1``
        rows apart, so their N-row windows do not overlap.
    horizons : dict of str to int
        Forward horizons in rows.
    episodes : pandas.DataFrame
        One row per analog in date order: ``date``, ``move``, then one column per horizon with
        the forward relative return (NaN when the horizon would end after ``as_of``).
    summary : pandas.DataFrame
        Indexed by horizon label, columns :data:`SUMMARY_COLUMNS`: ``rows``, ``count`` (analogs
        with a forward value), ``mean``, ``median``, ``hit_rate``, ``worst`` (the lowest forward
        relative return of A vs B), ``best`` (the highest), ``mean_lo``/``mean_hi`` (bootstrap
        interval of the mean), ``base_count``, ``base_mean``, ``base_median``,
        ``base_hit_rate`` (the same over every non-overlapping window), ``diff_mean`` and
        ``diff_hit_rate`` (conditional minus base).
    selection : {"at_least", "largest", "min_ratio", "threshold"}
        The rule that chose the analogs (see the module docstring).
    selection_note : str
        One sentence saying which rule chose them and, after a fallback, why.
    at_least_count : int
        Earlier non-overlapping moves at least as large as today's in its direction, whatever
        the selection; 0 means today's move is a record.
    fallback : bool
        True when the default rule fell back to the largest earlier moves.
    nearest, min_ratio : int or float or None
        The N of a ``"largest"`` selection, the ratio of a ``"min_ratio"`` one.
    min_cases : int
        Fewest cases for a base for a conclusion (:data:`MIN_CASES`).
    confidence, resamples, seed : float, int, int
        Level, resamples and seed of the bootstrap interval.
    """

    a: str
    b: str
    window: str
    as_of: pd.Timestamp
    current_move: float
    threshold: float
    direction: EpisodeDirection
    spacing: int
    horizons: dict[str, int] = field(default_factory=dict)
    episodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection: Selection = "at_least"
    selection_note: str = ""
    at_least_count: int = 0
    fallback: bool = False
    nearest: int | None = None
    min_ratio: float | None = None
    min_cases: int = MIN_CASES
    confidence: float = 0.95
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED

    @property
    def record(self) -> bool:
        """No earlier non-overlapping move was at least as large as today's."""
        return self.at_least_count == 0

    @property
    def few_cases(self) -> bool:
        """Fewer than ``min_cases`` analogs: not a base for a conclusion."""
        return len(self.episodes) < self.min_cases


def bootstrap_mean_interval(values: np.ndarray, resamples: int = DEFAULT_RESAMPLES,
                            seed: int = DEFAULT_SEED,
                            confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values``.

    Parameters
    ----------
    values : numpy.ndarray
        The sample (finite values).
    resamples : int, default 2000
        Bootstrap samples drawn.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same interval.
    confidence : float, default 0.95
        Level of the interval.

    Returns
    -------
    tuple of float
        ``(lo, hi)``; ``(nan, nan)`` without values.

    Notes
    -----
    Draws ``resamples`` samples of ``len(values)`` values with replacement (one
    ``rng.integers(0, n, (resamples, n), dtype=int32)`` matrix of positions), takes each
    sample's mean ``m_r``, and returns the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2``
    quantiles of the ``m_r`` (numpy's linear interpolation).

    Examples
    --------
    >>> lo, hi = bootstrap_mean_interval(np.array([1.0, 2.0, 3.0, 4.0]), seed=1)
    >>> bool(1.0 <= lo <= 2.5 <= hi <= 4.0)
    True
    """
    v = np.asarray(values, dtype=float)
    if not len(v):
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(v), size=(resamples, len(v)), dtype=np.int32)
    means = v[draws].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(means, [tail, 1.0 - tail])
    return float(lo), float(hi)


def _greedy_earliest(hit: np.ndarray, gap: int) -> list[int]:
    taken: list[int] = []
    for t in np.flatnonzero(hit):
        if not taken or t > taken[-1] + gap:
            taken.append(int(t))
    return taken


def _greedy_largest(rel: np.ndarray, eligible: np.ndarray, gap: int, count: int,
                    up: bool) -> list[int]:
    cand = np.flatnonzero(eligible & ((rel > 0) if up else (rel < 0)))
    order = cand[np.lexsort((cand, -np.abs(rel[cand])))]  # largest first, earlier on ties
    taken: list[int] = []
    for t in order:
        if len(taken) >= count:
            break
        if all(abs(int(t) - s) > gap for s in taken):
            taken.append(int(t))
    return sorted(taken)


def _forward(pa: np.ndarray, pb: np.ndarray, idx: np.ndarray, h: int, last: int) -> np.ndarray:
    fwd = np.full(len(idx), np.nan)
    ok = idx + h <= last
    j = idx[ok]
    fwd[ok] = (pa[j + h] / pa[j]) / (pb[j + h] / pb[j]) - 1.0
    return fwd


def _stats(v: np.ndarray, up: bool) -> tuple[float, float, float]:
    if not len(v):
        return math.nan, math.nan, math.nan
    wins = v > 0 if up else v < 0
    return float(v.mean()), float(np.median(v)), float(wins.mean())


def _note(sel: Selection, count: int, move: float, bound: float, label: str, at_least: int,
          fallback: bool, min_ratio: float | None, min_cases: int, moves: np.ndarray) -> str:
    today = format_pct(move)
    what = f"earlier non-overlapping {label} move{'s' if count != 1 else ''}"
    if sel == "at_least":
        return f"Analogs: the {count} {what} at least as large as today's {today}."
    if sel == "threshold":
        side = "or more" if bound >= 0 else "or less"
        return f"Analogs: the {count} {what} of {format_pct(bound)} {side}."
    if sel == "min_ratio":
        return (f"Analogs: the {count} {what} at least {min_ratio:g} times today's {today} "
                f"({format_pct(bound)} {'or more' if bound >= 0 else 'or less'}).")
    span = (f" (from {format_pct(float(moves[np.argmin(np.abs(moves))]))} to "
            f"{format_pct(float(moves[np.argmax(np.abs(moves))]))})" if len(moves) else "")
    text = f"Analogs: the {count} largest {what} in the same direction{span}"
    if not fallback:
        return text + "."
    if at_least == 0:
        why = f"no earlier move was as large as today's {today} (a record)"
    else:
        why = (f"only {at_least} earlier move{'s' if at_least != 1 else ''} "
               f"{'were' if at_least != 1 else 'was'} as large as today's {today}, fewer than "
               f"{min_cases}")
    return f"{text}, because {why}."


def analogs(
    a: pd.Series,
    b: pd.Series,
    window: str | Window = "5d",
    as_of: object = None,
    horizons: Mapping[str, int] = DEFAULT_HORIZONS,
    threshold: float | None = None,
    spacing: int | None = None,
    *,
    nearest: int | None = None,
    min_ratio: float | None = None,
    min_cases: int = MIN_CASES,
    fallback: int | None = DEFAULT_NEAREST,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> AnalogResult:
    """Past dates where A vs B moved like now over the same window, what followed, and what
    followed any window (the base rate).

    Parameters
    ----------
    a, b : pandas.Series
        Prices on sorted DatetimeIndexes; inner-joined on dates (rows count common dates).
    window : str or Window, default "5d"
        A rows window ``Nd``.
    as_of : date-like, optional
        Use only data on or before this date. Everything is computed from the data truncated
        at as_of: the result does not change when later data arrive.
    horizons : mapping of str to int, default {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
        Forward horizons in rows.
    threshold : float, optional
        Explicit bound for analogs (``selection="threshold"``). Its sign sets the direction.
    spacing : int, optional
        Rows skipped after taking an analog; default N (non-overlapping windows). Must be >= N.
    nearest : int, optional
        Take the ``nearest`` largest earlier non-overlapping moves in the direction of today's
        (``selection="largest"``).
    min_ratio : float, optional
        Take the moves at least ``min_ratio`` times today's (``selection="min_ratio"``).
    min_cases : int, default 5
        With none of ``threshold``, ``nearest``, ``min_ratio``: when fewer than ``min_cases``
        earlier moves are at least as large as today's, fall back to the ``fallback`` largest.
    fallback : int or None, default 10
        Cases of that fallback; None keeps the "at least as large" rule whatever its count.
    resamples, seed : int, default 2000 and 0
        Bootstrap of the conditional mean: resamples and the seed of
        ``numpy.random.default_rng`` (see :func:`bootstrap_mean_interval`).

    Returns
    -------
    AnalogResult

    Notes
    -----
    With ``rel[t] = (1 + rA[t]) / (1 + rB[t]) - 1`` over N common rows and T the as_of row,
    eligible rows are ``t < T - spacing`` (their window ends before today's starts).

    - Bound rules (``at_least``: bound = today's move; ``min_ratio``: bound = ratio x move;
      ``threshold``): candidates have ``rel[t] >= bound`` (``<=`` when the bound is negative).
      Scanning them in time order, a candidate is taken when it lies more than ``spacing`` rows
      after the previously taken one (greedy, earliest first).
    - ``largest``: candidates have ``rel[t] > 0`` (``< 0`` after a fall); ordered by ``|rel[t]|``
      descending (earlier first on ties), a candidate is taken when it lies more than
      ``spacing`` rows from every one already taken, until N are taken (greedy, largest first).

    The forward relative return over h rows is
    ``fwd_h(t) = (PA[t+h] / PA[t]) / (PB[t+h] / PB[t]) - 1``, NaN when ``t + h > T``: an
    outcome is used only when it is known on the as-of date. Per horizon: count of non-NaN
    values, mean, median, ``hit_rate`` = share that continued in the direction of the move
    (``fwd > 0`` for ``a_leads``, ``fwd < 0`` for ``b_leads``), ``worst`` = the lowest value and
    ``best`` the highest (a relative return of A vs B: after a fall of A vs B, ``worst`` is the
    deepest further fall). The base rate takes the same statistics over every non-overlapping
    window: rows ``t_k = N + k (spacing + 1)``, k = 0, 1, ..., counted from the first common
    row (so later data only add windows), with ``t_k + h <= T``; ``diff_*`` = conditional minus
    base. ``mean_lo`` and ``mean_hi`` are the percentile bootstrap interval of the conditional
    mean (:func:`bootstrap_mean_interval`, one seed per horizon: ``seed + position``).
    """
    w = parse_window(window)
    n = _rows_of(w)
    hz = {str(k): check_int(v, f"horizons[{k!r}]") for k, v in dict(horizons).items()}
    if not hz:
        raise InputError("horizons must name at least one forward horizon")
    gap = n if spacing is None else check_int(spacing, "spacing")
    if gap < n:
        raise InputError(f"spacing must be at least the window ({n} rows) (got {spacing!r})")
    given = [k for k, v in (("threshold", threshold), ("nearest", nearest),
                            ("min_ratio", min_ratio)) if v is not None]
    if len(given) > 1:
        raise InputError(f"give at most one of threshold, nearest and min_ratio (got "
                         f"{' and '.join(given)})")
    if nearest is not None:
        nearest = check_int(nearest, "nearest")
    if min_ratio is not None:
        if isinstance(min_ratio, bool) or not isinstance(min_ratio, (int, float)) \
                or not math.isfinite(min_ratio) or min_ratio <= 0:
            raise InputError(f"min_ratio must be a positive number (got {min_ratio!r})")
        min_ratio = float(min_ratio)
    min_cases = check_int(min_cases, "min_cases")
    if fallback is not None:
        fallback = check_int(fallback, "fallback")
    resamples = check_int(resamples, "resamples")
    seed = check_int(seed, "seed", minimum=0)
    if not isinstance(a, pd.Series) or not isinstance(b, pd.Series):
        raise InputError("a and b must be pandas Series of prices")
    df, name_a, name_b = _pair(
        truncate(a, as_of, series_name(a, "a")), truncate(b, as_of, series_name(b, "b"))
    )
    pa = df["a"].to_numpy()
    pb = df["b"].to_numpy()
    T = len(df) - 1
    if T < n:
        raise InputError(
            f"{name_a}/{name_b}: window {w.label} needs {n} common rows before "
            f"{df.index[T].date()}, only {T} available"
        )
    rel = (1.0 + windowed_returns_1d(pa, n)) / (1.0 + windowed_returns_1d(pb, n)) - 1.0
    move = float(rel[T])
    eligible = np.zeros(len(rel), dtype=bool)
    eligible[: max(T - gap, 0)] = True  # t must satisfy t + spacing < T
    eligible &= np.isfinite(rel)

    def beyond(bound: float) -> list[int]:
        hit = (rel >= bound) if bound >= 0 else (rel <= bound)
        return _greedy_earliest(hit & eligible, gap)

    today_up = move >= 0
    at_least = beyond(move)
    sel: Selection
    used_fallback = False
    if threshold is not None:
        bound = float(threshold)
        sel, taken = "threshold", beyond(bound)
    elif min_ratio is not None:
        bound = min_ratio * move
        sel, taken = "min_ratio", beyond(bound)
    elif nearest is not None:
        sel, taken = "largest", _greedy_largest(rel, eligible, gap, nearest, today_up)
    elif fallback is not None and len(at_least) < min_cases:
        sel, taken, used_fallback = "largest", _greedy_largest(rel, eligible, gap, fallback,
                                                               today_up), True
    else:
        bound, sel, taken = move, "at_least", at_least
    up = (bound >= 0) if sel == "threshold" else today_up
    idx = np.asarray(taken, dtype=np.int64)
    if sel == "largest":
        chosen = rel[idx]
        bound = float(chosen.min() if up else chosen.max()) if len(idx) else math.nan
    direction: EpisodeDirection = "a_leads" if up else "b_leads"

    data: dict[str, object] = {"date": df.index[idx], "move": rel[idx]}
    for label, h in hz.items():
        data[label] = _forward(pa, pb, idx, h, T)
    episodes = pd.DataFrame(data)

    base_idx = np.arange(n, T + 1, gap + 1, dtype=np.int64)
    summary_rows = []
    for pos, (label, h) in enumerate(hz.items()):
        v = episodes[label].dropna().to_numpy()
        base = _forward(pa, pb, base_idx, h, T)
        base = base[np.isfinite(base)]
        mean, median, hit_rate = _stats(v, up)
        b_mean, b_median, b_hit = _stats(base, up)
        lo, hi = bootstrap_mean_interval(v, resamples, seed + pos)
        summary_rows.append({
            "rows": h, "count": len(v), "mean": mean, "median": median, "hit_rate": hit_rate,
            "worst": float(v.min()) if len(v) else math.nan,
            "best": float(v.max()) if len(v) else math.nan,
            "mean_lo": lo, "mean_hi": hi,
            "base_count": len(base), "base_mean": b_mean, "base_median": b_median,
            "base_hit_rate": b_hit, "diff_mean": mean - b_mean, "diff_hit_rate": hit_rate - b_hit,
        })
    summary = pd.DataFrame(summary_rows, index=pd.Index(list(hz), name="horizon"),
                           columns=list(SUMMARY_COLUMNS))
    note = _note(sel, len(idx), move, bound, w.label, len(at_least), used_fallback, min_ratio,
                 min_cases, rel[idx])
    return AnalogResult(
        a=name_a,
        b=name_b,
        window=w.label,
        as_of=df.index[T],
        current_move=move,
        threshold=bound,
        direction=direction,
        spacing=gap,
        horizons=hz,
        episodes=episodes,
        summary=summary,
        selection=sel,
        selection_note=note,
        at_least_count=len(at_least),
        fallback=used_fallback,
        nearest=(nearest if nearest is not None else fallback) if sel == "largest" else None,
        min_ratio=min_ratio,
        min_cases=min_cases,
        resamples=resamples,
        seed=seed,
    )
