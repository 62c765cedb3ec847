"""Calendar-period and level-record kernels (issue 11) against the pandas and polars code a user
would write; run by ``benchmarks/speed.py`` (``make bench``).

* periods: each month's (week's, ...) return from the last close of the period before.
  rotascope: period ids from a datetime64 cast (as :mod:`rotascope.analytics.periods` makes
  them), :func:`~rotascope.kernels.periods.period_ends_1d` and
  :func:`~rotascope.kernels.periods.period_returns_1d`; pandas:
  ``s.groupby(s.index.to_period(code)).last().pct_change()``; polars: ``group_by`` on the
  truncated date, ``last()``, ``pct_change()``.
* level records: the latest record close of each row, and the correction (-10%) or bear-market
  (-20%) state since it with the row it began. rotascope:
  :func:`~rotascope.kernels.levels.record_levels_1d`; pandas: ``cummax`` for the record before
  each row, the record rows' positions carried forward (``ffill``), the drawdown from that
  close, and per run of rows since a record a running minimum of the first row at or past each
  threshold (``groupby(run).cummin()``); polars: the same with ``cum_max``, ``forward_fill``
  and ``cum_min().over(run)``.

Every peer's answer is checked against rotascope's before it is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from rotascope.kernels.levels import record_levels_1d
from rotascope.kernels.periods import period_ends_1d, period_returns_1d

CORRECTION, BEAR = -0.10, -0.20
_UNITS = {"W-FRI": ("D", 7, 2), "M": ("M", 1, 0), "Q": ("M", 3, 0)}
_POLARS_EVERY = {"M": "1mo", "Q": "1q"}


def best(repeat: int, func: Callable[[], Any]) -> float:
    """Best wall time of ``repeat`` calls of ``func`` (also used by ``speed.py``)."""
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def optional(name: str) -> Any:
    """The module ``name``, or None when it is not installed (a peer left out)."""
    try:
        return __import__(name)
    except ImportError:
        return None


def closes(days: int, seed: int = 3) -> pd.Series:
    """A business-day random walk of ``days`` closes (positive, with deep drawdowns)."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("1927-12-30", periods=days)
    x = 100 * np.exp(np.cumsum(rng.standard_normal(days) * 0.012))
    return pd.Series(x, index=dates, name="close")


# --- periods --------------------------------------------------------------------------------


def ours_periods(values: np.ndarray, stamps: np.ndarray, code: str) -> np.ndarray:
    unit, size, shift = _UNITS[code]
    ids = (stamps.astype(f"datetime64[{unit}]").astype(np.int64) - shift) // size
    return period_returns_1d(values, period_ends_1d(ids, values))


def pandas_periods(s: pd.Series, code: str) -> np.ndarray:
    return s.groupby(s.index.to_period(code)).last().pct_change().to_numpy()


def polars_periods(frame: Any, code: str) -> np.ndarray:
    pl = optional("polars")
    return (frame.group_by(pl.col("date").dt.truncate(_POLARS_EVERY[code]), maintain_order=True)
            .agg(pl.col("close").last())["close"].pct_change().to_numpy())


# --- level records --------------------------------------------------------------------------


def pandas_levels(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """peak row, state and began row of every row (no NaN in ``s``)."""
    pos = pd.Series(np.arange(len(s), dtype=np.float64), index=s.index)
    record = s >= s.cummax().shift(1).fillna(-np.inf)
    peak = pos.where(record).ffill()
    dd = s / s.where(record).ffill() - 1.0
    run = record.cumsum()
    # first row of the run at or past the threshold so far (cummin skips, ffill carries)
    bear = pos.where(~record & (dd <= BEAR)).groupby(run).cummin().groupby(run).ffill()
    corr = pos.where(~record & (dd <= CORRECTION)).groupby(run).cummin().groupby(run).ffill()
    state = np.where(bear.notna(), 2, np.where(corr.notna(), 1, 0))
    began = np.where(bear.notna(), bear, np.where(corr.notna(), corr, -1))
    return peak.to_numpy().astype(np.int64), state, began.astype(np.int64)


def polars_levels(frame: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pl = optional("polars")
    x, pos = pl.col("close"), pl.int_range(pl.len()).cast(pl.Float64)
    rec = x >= x.cum_max().shift(1).fill_null(-np.inf)
    out = (frame.lazy()
           .with_columns(rec.alias("rec"), pos.alias("pos"))
           .with_columns(pl.when("rec").then("pos").forward_fill().alias("peak"),
                         (x / pl.when("rec").then(x).forward_fill() - 1.0).alias("dd"),
                         pl.col("rec").cum_sum().alias("run"))
           .with_columns(
               pl.when(~pl.col("rec") & (pl.col("dd") <= BEAR)).then("pos")
               .cum_min().forward_fill().over("run").alias("bear"),
               pl.when(~pl.col("rec") & (pl.col("dd") <= CORRECTION)).then("pos")
               .cum_min().forward_fill().over("run").alias("corr"))
           .collect())
    bear = out["bear"].fill_null(np.nan).to_numpy()
    corr = out["corr"].fill_null(np.nan).to_numpy()
    state = np.where(~np.isnan(bear), 2, np.where(~np.isnan(corr), 1, 0))
    began = np.where(~np.isnan(bear), bear, np.where(~np.isnan(corr), corr, -1))
    return out["peak"].to_numpy().astype(np.int64), state, began.astype(np.int64)


def _same_levels(a: tuple[np.ndarray, ...], ours: tuple[np.ndarray, ...]) -> bool:
    peak, _, state, began = ours
    return all(np.array_equal(u, v) for u, v in zip(a, (peak, state, began), strict=True))


def bench(repeat: int) -> tuple[list[str], list[tuple[str, float]]]:
    """Printed lines, and (what, rotascope's speed-up over the peer) for the summary table."""
    pl = optional("polars")
    lines: list[str] = []
    ratios: list[tuple[str, float]] = []
    for days, series in ((25_000, 1), (10_000, 200)):
        cols = [closes(days, seed=3 + j) for j in range(series)]
        frames = [pl.DataFrame({"date": c.index.to_numpy(), "close": c.to_numpy()}) if pl
                  else None for c in cols]
        arrays = [(c.to_numpy(), c.index.to_numpy()) for c in cols]
        shape = f"{series:,} x {days:,}"
        for code in ("M", "W-FRI"):
            for c, (v, d) in zip(cols[:3], arrays[:3], strict=False):
                assert np.allclose(pandas_periods(c, code), ours_periods(v, d, code),
                                   rtol=0, atol=0, equal_nan=True)
            ours = best(repeat, lambda code=code, arrays=arrays: [ours_periods(v, d, code)
                                                                  for v, d in arrays])
            lines.append(f"  period returns ({code}), {shape}")
            lines.append(f"    {'rotascope period_ends_1d + period_returns_1d':<50}"
                         f"{ours * 1e3:>10.2f} ms")
            peers: dict[str, Callable[[], Any] | None] = {
                "pandas groupby(to_period).last().pct_change()":
                    lambda code=code, cols=cols: [pandas_periods(c, code) for c in cols],
                "polars group_by(truncate).last().pct_change()":
                    (lambda code=code, frames=frames: [polars_periods(f, code) for f in frames])
                    if pl is not None and code in _POLARS_EVERY else None,
            }
            if pl is not None and code in _POLARS_EVERY:
                for f, (v, d) in zip(frames[:3], arrays[:3], strict=False):
                    assert np.allclose(polars_periods(f, code), ours_periods(v, d, code),
                                       rtol=1e-12, atol=0, equal_nan=True)
            for label, func in peers.items():
                if func is None:
                    lines.append(f"    {label:<50}{'not timed':>13}")
                    continue
                t = best(repeat, func)
                lines.append(f"    {label:<50}{t * 1e3:>10.2f} ms{t / ours:>8.1f}x slower")
                if label.startswith("pandas"):
                    ratios.append((f"period returns ({code}) {shape} vs pandas", t / ours))
        for c, v in zip(cols[:3], arrays[:3], strict=False):
            assert _same_levels(pandas_levels(c), record_levels_1d(v[0], CORRECTION, BEAR))
            if pl is not None:
                f = pl.DataFrame({"close": v[0]})
                assert _same_levels(polars_levels(f), record_levels_1d(v[0], CORRECTION, BEAR))
        ours = best(repeat, lambda arrays=arrays: [record_levels_1d(v, CORRECTION, BEAR)
                                                   for v, _ in arrays])
        lines.append(f"  level records (record row, correction/bear state, start), {shape}")
        lines.append(f"    {'rotascope record_levels_1d':<50}{ours * 1e3:>10.2f} ms")
        t = best(repeat, lambda cols=cols: [pandas_levels(c) for c in cols])
        lines.append(f"    {'pandas cummax, ffill, groupby(run).cummin()':<50}{t * 1e3:>10.2f} ms"
                     f"{t / ours:>8.1f}x slower")
        ratios.append((f"level records {shape} vs pandas", t / ours))
        if pl is not None:
            pframes = [pl.DataFrame({"close": v}) for v, _ in arrays]
            t = best(repeat, lambda pframes=pframes: [polars_levels(f) for f in pframes])
            lines.append(f"    {'polars cum_max, forward_fill, cum_min().over(run)':<50}"
                         f"{t * 1e3:>10.2f} ms{t / ours:>8.1f}x slower")
    return lines, ratios
