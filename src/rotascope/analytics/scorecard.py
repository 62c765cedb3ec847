"""The segment scorecard: four pillars of cross-sectional z-scores and a composite rank.

Pure functions (no I/O). The input is one row per segment and one column per metric; the
pillars say which metrics feed which pillar and whether higher is better (``+1``) or worse
(``-1``):

==================== ===========================================================================
pillar               metrics (direction)
==================== ===========================================================================
valuation            ``forward_pe`` (-1), ``forward_pe_percentile_20y`` (-1): cheaper is better
technicals           ``price_vs_200d`` (+1), ``momentum_3m`` (+1), ``momentum_6m`` (+1),
                     ``rrg_quadrant`` (+1, scored by :data:`QUADRANT_SCORES`)
leverage             ``net_debt_to_ebitda`` (-1), ``debt_to_equity`` (-1): less is better
earnings_stability   ``earnings_growth_vol`` (-1), ``share_positive_earnings`` (+1)
==================== ===========================================================================

Definitions (Notes of :func:`scorecard`):

- metric z-score across segments: ``z_ij = s_j (x_ij - mean_j) / sd_j`` over the segments that
  have metric ``j`` (``sd`` with ``ddof=1``), ``s_j`` the direction, so a higher z is always
  better. A metric with fewer than two values, or no dispersion, gives no z-scores.
- pillar score: the mean of the available z-scores of its metrics; NaN when none is available.
- composite: the weighted mean of the available pillar scores,
  ``sum_p a_p P_ip / sum_p a_p`` over pillars with a score (weights ``a`` default to 1, and can
  be set in the universe file's ``[scorecard]`` table, :func:`scorecard_settings`).
- rank: 1 = highest composite; segments without any pillar are not ranked.

A missing input is never replaced by zero: it stays NaN, is flagged in
:attr:`Scorecard.missing`, and the pillars and composite are averaged over what is available,
with the count shown in ``pillars_used``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from rotascope.analytics._checks import as_price_series, as_timestamp, check_int, is_number
from rotascope.analytics.earnings import weighted_median
from rotascope.analytics.windows import window_return
from rotascope.errors import InputError

__all__ = [
    "DEFAULT_PILLARS",
    "DEFAULT_WEIGHTS",
    "QUADRANT_SCORES",
    "TECHNICAL_METRICS",
    "Scorecard",
    "ScorecardSettings",
    "aggregate_constituents",
    "earnings_growth_volatility",
    "inputs_from_long",
    "rrg_inputs",
    "scorecard",
    "scorecard_settings",
    "technical_inputs",
]

Pillars = Mapping[str, Mapping[str, int]]

#: Pillar -> {metric: +1 when higher is better, -1 when lower is better}.
DEFAULT_PILLARS: Pillars = MappingProxyType(
    {
        "valuation": MappingProxyType({"forward_pe": -1, "forward_pe_percentile_20y": -1}),
        "technicals": MappingProxyType(
            {"price_vs_200d": 1, "momentum_3m": 1, "momentum_6m": 1, "rrg_quadrant": 1}
        ),
        "leverage": MappingProxyType({"net_debt_to_ebitda": -1, "debt_to_equity": -1}),
        "earnings_stability": MappingProxyType(
            {"earnings_growth_vol": -1, "share_positive_earnings": 1}
        ),
    }
)
#: Equal pillar weights.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({p: 1.0 for p in DEFAULT_PILLARS})

#: RRG quadrant -> score of the ``rrg_quadrant`` metric. Leading (strong and strengthening) is
#: best and lagging worst; improving ranks above weakening because rotation runs clockwise:
#: improving segments head for leading, weakening ones for lagging.
QUADRANT_SCORES: Mapping[str, float] = MappingProxyType(
    {"leading": 2.0, "improving": 1.0, "weakening": -1.0, "lagging": -2.0}
)

#: Metrics :func:`technical_inputs` computes.
TECHNICAL_METRICS: tuple[str, ...] = ("price_vs_200d", "momentum_3m", "momentum_6m")


@dataclass(frozen=True)
class ScorecardSettings:
    """Pillars and weights of a scorecard (see :func:`scorecard_settings`)."""

    pillars: Pillars
    weights: Mapping[str, float]


@dataclass(frozen=True, eq=False)
class Scorecard:
    """Result of :func:`scorecard`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per segment, best first: for each pillar the signed z-score of each of its
        metrics (``<metric>_z``) then the pillar score (``<pillar>``); ``pillars_used``,
        ``composite`` and ``rank`` (1.0 = best; NaN when no pillar is available). Columns are
        float64 (``pillars_used`` int64): missing values are NaN throughout.
    inputs : pandas.DataFrame
        The raw metric values used (segment x metric, NaN where missing).
    zscores : pandas.DataFrame
        Signed z-scores (segment x metric), higher is better.
    pillar_scores : pandas.DataFrame
        Segment x pillar.
    missing : pandas.DataFrame
        Boolean, segment x metric: True where the input is missing.
    pillars : mapping
        The pillar definitions used.
    weights : mapping
        Pillar weights used.
    unused : tuple of str
        Input columns that no pillar uses.
    """

    table: pd.DataFrame
    inputs: pd.DataFrame
    zscores: pd.DataFrame
    pillar_scores: pd.DataFrame
    missing: pd.DataFrame
    pillars: Pillars
    weights: Mapping[str, float]
    unused: tuple[str, ...] = ()

    @property
    def ranking(self) -> list[str]:
        """Ranked segments, best first."""
        ranked = self.table[self.table["rank"].notna()]
        return [str(s) for s in ranked.index]

    def pillar_ranks(self) -> pd.DataFrame:
        """Rank of every segment within each pillar (1 = best; NaN where no score)."""
        return self.pillar_scores.rank(ascending=False, method="min")


def _check_pillars(pillars: object) -> Pillars:
    if not isinstance(pillars, Mapping) or not pillars:
        raise InputError("pillars must be a non-empty mapping pillar -> {metric: +1 or -1}")
    out: dict[str, Mapping[str, int]] = {}
    for name, metrics in pillars.items():
        if not isinstance(metrics, Mapping) or not metrics:
            raise InputError(f"pillar {name!r} must map at least one metric to +1 or -1")
        checked: dict[str, int] = {}
        for metric, sign in metrics.items():
            if isinstance(sign, bool) or sign not in (1, -1):
                raise InputError(
                    f"pillar {name!r}: direction of {metric!r} must be +1 (higher is better) "
                    f"or -1 (lower is better) (got {sign!r})"
                )
            checked[str(metric)] = int(sign)
        out[str(name)] = MappingProxyType(checked)
    return MappingProxyType(out)


def _check_weights(weights: Mapping[str, float] | None, pillars: Pillars) -> Mapping[str, float]:
    out = {p: 1.0 for p in pillars}
    for name, value in (weights or {}).items():
        if name not in pillars:
            raise InputError(
                f"weights: unknown pillar {name!r}; pillars: {', '.join(pillars)}"
            )
        if not (is_number(value) and value >= 0):
            raise InputError(f"weights: {name!r} must be a number >= 0 (got {value!r})")
        out[name] = float(value)
    if not any(v > 0 for v in out.values()):
        raise InputError("weights: at least one pillar needs a positive weight")
    return MappingProxyType(out)


def scorecard_settings(table: Mapping[str, Any] | None, *, origin: str = "scorecard") -> ScorecardSettings:
    """Pillars and weights from a universe file's ``[scorecard]`` table.

    Parameters
    ----------
    table : mapping or None
        The parsed TOML table, e.g.::

            [scorecard.weights]
            valuation = 2.0
            leverage = 0.5

            [scorecard.pillars.valuation]      # replaces the default valuation metrics
            forward_pe = -1
            forward_pe_percentile_20y = -1

        ``weights`` names known pillars (others keep weight 1); ``pillars`` replaces or adds
        pillars. None or empty gives the defaults.
    origin : str
        For error messages (e.g. the universe file name).

    Returns
    -------
    ScorecardSettings
        ``pillars``: :data:`DEFAULT_PILLARS` with the table's pillars put in (read-only
        mappings, directions as int +1/-1); ``weights``: one float per pillar.

    Raises
    ------
    InputError
        Unknown keys, directions other than +1/-1, negative weights or unknown pillars.

    Notes
    -----
    Pillars: ``dict(DEFAULT_PILLARS)`` updated with ``table["pillars"]``, so a pillar named
    there replaces the default pillar of that name as a whole (its metrics are not merged with
    the default ones), and a new name adds a pillar after the four defaults. Weights: 1.0 for
    every pillar, then the values of ``table["weights"]``; a weight must be a number >= 0 (a
    bool is refused), a weight of 0 leaves the pillar out of the composite, and at least one
    weight must be positive. Every error message starts with ``origin``.
    """
    table = dict(table or {})
    unknown = sorted(set(table) - {"weights", "pillars"})
    if unknown:
        raise InputError(f"{origin}: unknown key(s) {', '.join(unknown)} (allowed: weights, pillars)")
    pillars: dict[str, Mapping[str, int]] = dict(DEFAULT_PILLARS)
    raw_pillars = table.get("pillars", {})
    if not isinstance(raw_pillars, Mapping):
        raise InputError(f"{origin}: 'pillars' must be a table of pillar -> {{metric = 1 or -1}}")
    pillars.update(raw_pillars)
    try:
        checked = _check_pillars(pillars)
        raw_weights = table.get("weights", {})
        if not isinstance(raw_weights, Mapping):
            raise InputError("'weights' must be a table of pillar = number")
        weights = _check_weights(raw_weights, checked)
    except InputError as exc:
        raise InputError(f"{origin}: {exc}") from None
    return ScorecardSettings(pillars=checked, weights=weights)


def _zscore(x: pd.Series) -> pd.Series:
    """Cross-sectional z-score with ddof=1 over the finite values; NaN elsewhere, and everywhere
    when fewer than two values or no dispersion."""
    v = x[np.isfinite(x)]
    if len(v) < 2:
        return pd.Series(np.nan, index=x.index)
    sd = float(v.std(ddof=1))
    if not sd > 0:
        return pd.Series(np.nan, index=x.index)
    return (x - float(v.mean())) / sd


def scorecard(
    inputs: pd.DataFrame,
    *,
    pillars: Pillars = DEFAULT_PILLARS,
    weights: Mapping[str, float] | None = None,
) -> Scorecard:
    """Score and rank segments on valuation, technicals, leverage and earnings stability.

    Parameters
    ----------
    inputs : pandas.DataFrame
        Index: segment names; columns: metric names (numbers; NaN = missing). Metrics no
        pillar uses are ignored (listed in :attr:`Scorecard.unused`); metrics a pillar uses but
        that are absent count as missing for every segment.
    pillars : mapping, default :data:`DEFAULT_PILLARS`
        ``pillar -> {metric: +1 if higher is better else -1}``.
    weights : mapping, optional
        ``pillar -> weight >= 0`` for the composite; pillars not named weigh 1.

    Returns
    -------
    Scorecard

    Notes
    -----
    For metric ``j`` with direction ``s_j`` and the set ``S_j`` of segments that have it:
    ``z_ij = s_j (x_ij - mean_{S_j} x_j) / sd_{S_j}(x_j)`` (sample standard deviation,
    ``ddof=1``; no z-scores when ``|S_j| < 2`` or ``sd = 0``). Pillar ``p``:
    ``P_ip = mean_{j in p, z_ij available} z_ij``. Composite:
    ``C_i = sum_p a_p P_ip / sum_p a_p`` over the pillars with ``P_ip`` available and
    ``a_p > 0``. ``pillars_used`` counts those pillars. Rank: ``C`` descending, ties share the
    lower rank (``method="min"``).

    Examples
    --------
    >>> x = pd.DataFrame({"forward_pe": [15.0, 20.0, 25.0]}, index=["a", "b", "c"])
    >>> scorecard(x).ranking
    ['a', 'b', 'c']
    """
    if not isinstance(inputs, pd.DataFrame):
        raise InputError(f"inputs must be a pandas DataFrame (got {type(inputs).__name__})")
    if inputs.index.has_duplicates:
        dup = inputs.index[inputs.index.duplicated()][0]
        raise InputError(f"inputs: segment {dup!r} appears twice")
    checked = _check_pillars(pillars)
    w = _check_weights(weights, checked)
    metrics = list(dict.fromkeys(m for p in checked.values() for m in p))
    try:
        x = inputs.reindex(columns=metrics).apply(pd.to_numeric, errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(f"inputs: a metric value is not a number ({exc})") from None
    x = x.where(np.isfinite(x))
    x.index = x.index.astype(str)
    x.index.name = "segment"
    missing = x.isna()
    signs = {m: s for p in checked.values() for m, s in p.items()}
    z = pd.DataFrame({m: _zscore(x[m]) * signs[m] for m in metrics}, index=x.index)
    pillar_scores = pd.DataFrame(
        {p: z[list(ms)].mean(axis=1, skipna=True) for p, ms in checked.items()}, index=x.index
    )
    avail = pillar_scores.notna()
    a = pd.Series(w, dtype="float64").reindex(pillar_scores.columns)
    used = avail & (a > 0).to_numpy()
    num = (pillar_scores.where(used, 0.0) * a).sum(axis=1)
    den = (used * a).sum(axis=1)
    composite = (num / den).where(den > 0)
    pillars_used = used.sum(axis=1).astype("int64")
    rank = composite.rank(ascending=False, method="min")  # float: NaN when not ranked
    cols: dict[str, pd.Series] = {}
    for p, ms in checked.items():
        for m in ms:
            cols[f"{m}_z"] = z[m]
        cols[p] = pillar_scores[p]
    table = pd.DataFrame(cols, index=x.index)
    table["pillars_used"] = pillars_used
    table["composite"] = composite
    table["rank"] = rank
    order = table.sort_values(["composite"], ascending=False, kind="mergesort", na_position="last")
    table = order
    unused = tuple(str(c) for c in inputs.columns if c not in metrics)
    return Scorecard(
        table=table,
        inputs=x.loc[table.index],
        zscores=z.loc[table.index],
        pillar_scores=pillar_scores.loc[table.index],
        missing=missing.loc[table.index],
        pillars=checked,
        weights=w,
        unused=unused,
    )


# -- inputs -------------------------------------------------------------------------------------


def inputs_from_long(
    frame: pd.DataFrame, *, as_of: object = None, key: str = "segment"
) -> pd.DataFrame:
    """Pivot a long ``segment,date,metric,value`` frame to the wide input of :func:`scorecard`.

    For every (segment, metric) the latest value dated on or before ``as_of`` (default: all
    dates) is used.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``<key>``, ``date`` (anything :func:`pandas.to_datetime` reads), ``metric`` and
        ``value`` (numbers; NaN = missing); other columns are ignored.
    as_of : date-like, optional
        Use only rows dated on or before this date (default: all rows).
    key : str, default "segment"
        Name of the column that holds the segment names.

    Returns
    -------
    pandas.DataFrame
        Index named ``key`` (segments in order of first appearance in ``frame``), columns
        metrics, float64; NaN where a segment has no value of a metric. A segment without any
        value on or before ``as_of`` has no row.

    Notes
    -----
    ``x[i, j]`` is the ``value`` of the row with ``key = i``, ``metric = j``, a non-NaN value
    and the largest ``date <= as_of``. Rows with a NaN value are dropped first, so an older
    value is used rather than a newer NaN. When two rows share the latest date, the one that
    comes later in ``frame`` wins. Same values as ``f[f.date <= as_of].dropna(subset=["value"])
    .sort_values("date", kind="mergesort").groupby([key, "metric"]).value.last().unstack()``
    (which sorts the rows by name instead).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a pandas DataFrame (got {type(frame).__name__})")
    missing = [c for c in (key, "date", "metric", "value") if c not in frame.columns]
    if missing:
        raise InputError(f"frame lacks column(s) {', '.join(missing)}")
    f = frame.copy()
    f["date"] = pd.to_datetime(f["date"])
    if as_of is not None:
        f = f[f["date"] <= as_timestamp(as_of)]
    f = f[f["value"].notna()]
    latest = f.sort_values("date", kind="mergesort").drop_duplicates([key, "metric"], keep="last")
    wide = latest.pivot(index=key, columns="metric", values="value")
    order = list(dict.fromkeys(frame[key]))
    wide = wide.reindex([s for s in order if s in wide.index])
    wide.columns.name = None
    wide.index.name = key
    return wide.astype("float64")


def technical_inputs(prices: Mapping[str, pd.Series], as_of: object = None) -> pd.DataFrame:
    """Price versus its 200-day average and 3- and 6-month momentum per segment.

    Parameters
    ----------
    prices : mapping
        Segment -> price Series on a sorted DatetimeIndex.
    as_of : date-like, optional
        Use only prices on or before this date (default: each series' last date).

    Returns
    -------
    pandas.DataFrame
        Index ``segment``, columns :data:`TECHNICAL_METRICS`; NaN where the history is too short
        (fewer than 200 rows, or no close 3 or 6 months back).

    Notes
    -----
    With ``t`` the last row on or before ``as_of``: ``price_vs_200d = P[t] / mean(P[t-199..t])
    - 1`` (200 rows of the series itself); ``momentum_3m = P[t] / P[s] - 1`` with ``s`` the
    last close on or before ``date(t) - 3 months`` (calendar window ``3m``, as
    :func:`~rotascope.analytics.windows.window_return`), likewise ``momentum_6m``.
    """
    rows: dict[str, dict[str, float]] = {}
    for segment, series in prices.items():
        p = as_price_series(series, str(segment))
        if as_of is not None:
            p = p.loc[: as_timestamp(as_of)]
        row = {m: math.nan for m in TECHNICAL_METRICS}
        if len(p) >= 200:
            row["price_vs_200d"] = float(p.iloc[-1] / p.iloc[-200:].mean() - 1.0)
        for window, name in (("3m", "momentum_3m"), ("6m", "momentum_6m")):
            if len(p) < 2:
                continue
            try:
                row[name] = window_return(p, window).value
            except InputError:
                pass  # not enough history: stays missing
        rows[str(segment)] = row
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(TECHNICAL_METRICS))
    out.index.name = "segment"
    return out.astype("float64")


def rrg_inputs(table: pd.DataFrame) -> pd.DataFrame:
    """The ``rrg_quadrant`` metric from an RRG table (``segment, quadrant``).

    Parameters
    ----------
    table : pandas.DataFrame
        A ``quadrant`` column (``leading``, ``improving``, ``weakening``, ``lagging`` or
        ``n/a``) and the segment names in a ``segment`` column (as in the ``table`` of
        :func:`~rotascope.analytics.rrg`) or, without one, in the index.

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (same order as ``table``), columns ``rrg_quadrant`` (score per
        :data:`QUADRANT_SCORES`, float64, NaN for ``"n/a"``) and ``quadrant`` (the name as a
        string, for display; not a metric).

    Notes
    -----
    ``rrg_quadrant = QUADRANT_SCORES[str(quadrant)]``: leading 2, improving 1, weakening -1,
    lagging -2. The match is exact and case-sensitive: any other name (``"n/a"``, a NaN,
    ``"Leading"``) gives NaN, which :func:`scorecard` treats as missing.
    """
    if not isinstance(table, pd.DataFrame) or "quadrant" not in table.columns:
        raise InputError("table must be a DataFrame with a 'quadrant' column (see rrg())")
    t = table.set_index("segment") if "segment" in table.columns else table
    score = t["quadrant"].map(lambda q: QUADRANT_SCORES.get(str(q), math.nan)).astype("float64")
    out = pd.DataFrame({"rrg_quadrant": score, "quadrant": t["quadrant"].astype(str)})
    out.index.name = "segment"
    return out


def aggregate_constituents(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    medians: tuple[str, ...] = ("net_debt_to_ebitda", "debt_to_equity"),
    positive_share: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Segment-level inputs from company-level values.

    Parameters
    ----------
    values : pandas.DataFrame
        Index ``ticker``, columns company metrics (e.g. ``net_debt_to_ebitda``, ``eps``).
    membership : pandas.DataFrame
        ``segment, ticker, weight``.
    medians : tuple of str
        Metrics aggregated as the index-weighted median of the members that have them
        (:func:`~rotascope.analytics.earnings.weighted_median`).
    positive_share : mapping, optional
        ``output metric -> company metric``: the share of members with a value whose value is
        positive, e.g. ``{"share_positive_earnings": "eps"}`` (unweighted).

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (order of first appearance in ``membership``), columns ``medians``
        then the keys of ``positive_share``, float64; NaN where no member has the metric.

    Notes
    -----
    Members are the ``membership`` rows of the segment, joined to ``values`` on ``ticker`` (a
    ticker absent from ``values`` has NaN metrics). For a median metric ``m``:
    ``weighted_median(m_k, w_k)`` over the members ``k`` with a finite value and a positive
    weight; NaN when there is none or when ``values`` has no column ``m``. For a share
    ``out -> m``: ``#{k: m_k > 0} / #{k: m_k not NaN}`` (each member counts once, whatever its
    weight; a value of 0 is not positive); NaN when no member has a value.
    """
    if not isinstance(values, pd.DataFrame):
        raise InputError(f"values must be a pandas DataFrame (got {type(values).__name__})")
    if not isinstance(membership, pd.DataFrame):
        raise InputError(f"membership must be a pandas DataFrame (got {type(membership).__name__})")
    missing = [c for c in ("segment", "ticker", "weight") if c not in membership.columns]
    if missing:
        raise InputError(f"membership lacks column(s) {', '.join(missing)}")
    shares = dict(positive_share or {})
    merged = membership[["segment", "ticker", "weight"]].merge(
        values, left_on="ticker", right_index=True, how="left"
    )
    rows: dict[str, dict[str, float]] = {}
    for segment, g in merged.groupby("segment", sort=False):
        row: dict[str, float] = {}
        for metric in medians:
            row[metric] = (
                weighted_median(g[metric], g["weight"]) if metric in g.columns else math.nan
            )
        for out_name, metric in shares.items():
            v = g[metric].dropna() if metric in g.columns else pd.Series(dtype="float64")
            row[out_name] = float((v > 0).mean()) if len(v) else math.nan
        rows[str(segment)] = row
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[*medians, *shares])
    out.index.name = "segment"
    return out.astype("float64")


def earnings_growth_volatility(eps: pd.Series, periods: int = 4) -> float:
    """Volatility of earnings growth: the standard deviation of year-over-year EPS growth.

    Parameters
    ----------
    eps : pandas.Series
        A segment's (or a company's) earnings per share, one value per quarter in time order
        (e.g. the index's trailing or quarterly EPS).
    periods : int, default 4
        Rows per year (4 for quarterly values, 1 for annual).

    Returns
    -------
    float
        ``sd(g)`` with ``g_t = E_t / E_{t-periods} - 1`` over the rows where ``E_{t-periods} > 0``
        (growth from a loss is undefined), ``ddof=1``; NaN with fewer than two growth rates.
        This is the ``earnings_growth_vol`` input of the earnings-stability pillar.

    Notes
    -----
    Rows are positions (the index is ignored and not sorted): ``E_{t-periods}`` is the value
    ``periods`` rows earlier, and NaN rows are not skipped. A growth rate is left out when
    ``E_t`` or ``E_{t-periods}`` is NaN, or when ``E_{t-periods} <= 0``; a negative ``E_t``
    after a profit counts (growth below -1). Equals ``(e / e.shift(n) - 1)[e.shift(n) > 0]
    .dropna().std(ddof=1)`` with ``e`` the values reset to a plain 0..n-1 index.
    """
    n = check_int(periods, "periods")
    e = pd.Series(eps, dtype="float64").reset_index(drop=True)
    base = e.shift(n)
    growth = (e / base - 1.0)[base > 0].dropna()
    return float(growth.std(ddof=1)) if len(growth) >= 2 else math.nan
