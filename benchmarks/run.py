"""Benchmark: record horizon and rank for every row of many series and windows.

Not a test: prints a table. ``make bench`` runs it at full size (5,000 series x 10,000 days x
windows 1, 5, 21, 63, 252); ``--series`` / ``--days`` run smaller. Compares

* rotascope's kernels: windowed returns, then record horizon (monotonic stack, O(n)) and rank so
  far (radix sort + Fenwick tree, O(n log n)) for each window, every column, all threads;
* (a) the obvious pandas implementation a user would write (a loop over rows comparing with all
  earlier rows), timed on a few series and scaled linearly to the full number of series;
* (b) one memory pass over the same price array (``np.sum``), the floor for anything that reads
  the data.

Input: float64 geometric random walks with a fixed seed, held as a (dates x series) array in
Fortran order (the layout ``DataFrame.to_numpy()`` returns for a float frame).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rotascope.kernels import (  # noqa: E402
    HAVE_NUMBA,
    record_horizon_1d,
    record_horizon_2d,
    record_rank_1d,
    record_rank_2d,
    windowed_returns_2d,
)

WINDOWS = (1, 5, 21, 63, 252)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def best_of(repeat: int, func: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """First and best wall time of ``repeat`` calls of ``func(*args)``, and the last result."""
    times = []
    out = None
    for _ in range(max(1, repeat)):
        out = None  # free the previous result before timing again
        t0 = time.perf_counter()
        out = func(*args)
        times.append(time.perf_counter() - t0)
    return times[0], min(times), out


def make_prices(series: int, days: int, seed: int) -> np.ndarray:
    """(days x series) float64 geometric random walks, Fortran order, fixed seed."""
    rng = np.random.default_rng(seed)
    walk = rng.standard_normal((series, days))  # C order: one row per series
    walk *= 0.01
    np.cumsum(walk, axis=1, out=walk)
    np.exp(walk, out=walk)
    walk *= 100.0
    return walk.T  # (days x series), Fortran order, no copy


def pandas_records(prices: pd.Series, n: int) -> pd.DataFrame:
    """What a user would write: N-day returns, then for each row look back over all earlier rows."""
    r = prices / prices.shift(n) - 1
    since, rank = [], []
    for i in range(len(r)):
        v = r.iloc[i]
        if np.isnan(v):
            since.append(pd.NaT)
            rank.append(np.nan)
            continue
        prev = r.iloc[:i].dropna()
        hits = prev[prev >= v]
        since.append(hits.index[-1] if len(hits) else pd.NaT)
        rank.append(1 + int((prev > v).sum()))
    return pd.DataFrame({"since": since, "rank": rank}, index=r.index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--days", type=int, default=10000)
    parser.add_argument("--windows", default=",".join(map(str, WINDOWS)))
    parser.add_argument("--pandas-series", type=int, default=2,
                        help="series timed with pandas, then scaled linearly (default 2)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="kernel runs per stage: the first and the best are shown (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    windows = tuple(int(w) for w in args.windows.split(","))
    S, D = args.series, args.days
    elements = S * D

    threads = 1
    if HAVE_NUMBA:
        import numba

        threads = numba.get_num_threads()
    print(f"rotascope benchmark: {S:,} series x {D:,} days float64 "
          f"({elements * 8 / 1e6:,.0f} MB), windows {','.join(map(str, windows))}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"numba {'on' if HAVE_NUMBA else 'MISSING'} with {threads} threads, "
          f"load average before start {os.getloadavg()[0]:.2f}")

    # compile (or load from numba's cache) on a tiny array, timed apart
    t0 = time.perf_counter()
    tiny = make_prices(4, 300, 1)
    for n in (1, 5):
        r = windowed_returns_2d(tiny, n)
        record_horizon_2d(r)
        record_rank_2d(r)
    compile_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    prices = make_prices(S, D, args.seed)
    gen_s = time.perf_counter() - t0
    rss_input = peak_rss_mb()

    # (b) one memory pass
    _, sum_s, _ = best_of(5, np.sum, prices)

    # rotascope: per window, returns -> horizon -> rank, into output arrays allocated once and
    # reused across windows (fresh memory costs page faults: the first window pays them, timed)
    first = {"ret": 0.0, "hor": 0.0, "rank": 0.0}
    best = {"ret": 0.0, "hor": 0.0, "rank": 0.0}
    r_out = np.empty((D, S), order="F")
    h_out = np.empty((D, S), dtype=np.int64, order="F")
    k_out = (np.empty((D, S), dtype=np.int64, order="F"),
             np.empty((D, S), dtype=np.int64, order="F"))
    for n in windows:
        for key, func, fargs in (
            ("ret", windowed_returns_2d, (prices, n, r_out)),
            ("hor", record_horizon_2d, (r_out, True, h_out)),
            ("rank", record_rank_2d, (r_out, True, k_out)),
        ):
            t_first, t_best, _ = best_of(args.repeat, func, *fargs)
            first[key] += t_first
            best[key] += t_best
    del r_out, h_out, k_out
    t_ret, t_hor, t_rank = best["ret"], best["hor"], best["rank"]
    total = t_ret + t_hor + t_rank
    rss_kernels = peak_rss_mb()

    # (a) pandas on a subset, scaled linearly in the number of series; checked against ours
    k = max(1, min(args.pandas_series, S))
    dates = pd.bdate_range("1990-01-01", periods=D)
    t_pd = 0.0
    identical = True
    for j in range(k):
        col = pd.Series(np.ascontiguousarray(prices[:, j]), index=dates)
        for n in windows:
            t0 = time.perf_counter()
            ref = pandas_records(col, n)
            t_pd += time.perf_counter() - t0
            r = (col / col.shift(n) - 1).to_numpy()
            h = record_horizon_1d(r)
            rank, _ = record_rank_1d(r)
            ours_since = dates.take(h, allow_fill=True, fill_value=pd.NaT)
            identical &= bool((ours_since == ref["since"].to_numpy()).sum()
                              == ref["since"].notna().sum())
            identical &= bool(np.array_equal(np.where(np.isnan(r), np.nan, rank),
                                             ref["rank"].to_numpy(), equal_nan=True))
    pd_scaled = t_pd * S / k
    rss_end = peak_rss_mb()

    nw = len(windows)
    per = 1e9 / (elements * nw)

    def row(label: str, seconds: float, first_s: float | None = None, note: str = "") -> None:
        first_txt = "" if first_s is None else f"{first_s:.3f}"
        print(f"  {label:<46}{first_txt:>10}{seconds:>12.3f}{seconds * per:>12,.2f}"
              f"{seconds / sum_s:>13,.1f}x  {note}")

    reps = max(1, args.repeat)
    first_total = first["ret"] + first["hor"] + first["rank"]
    print()
    print(f"  {'stage':<46}{'first (s)':>10}{f'best/{reps} (s)':>12}{'ns/elt':>12}"
          f"{'vs np.sum':>14}")
    print(f"  {'-' * 46}{'-' * 10}{'-' * 12}{'-' * 12}{'-' * 14}")
    row("(b) np.sum: one memory pass over the prices", sum_s, None,
        "(ns/elt: per element and window)")
    row(f"windowed returns, {nw} windows", t_ret, first["ret"])
    row(f"record horizon (monotonic stack), {nw} windows", t_hor, first["hor"],
        f"{t_hor / nw / sum_s:.1f}x np.sum per window")
    row(f"rank + count so far (radix+Fenwick), {nw} windows", t_rank, first["rank"],
        f"{t_rank / nw / sum_s:.1f}x np.sum per window")
    row("rotascope total (returns + horizon + rank)", total, first_total)
    row(f"(a) pandas loop: {k} series timed, x{S / k:,.0f}", pd_scaled, None,
        "scaled linearly in series (O(days^2) each)")
    print()
    print(f"  speed-up vs (a) pandas:  {pd_scaled / total:,.0f}x total "
          f"(target >= 100x); horizon alone {pd_scaled / t_hor:,.0f}x")
    print(f"  slowdown vs (b) np.sum:  {total / sum_s:,.1f}x total, {t_hor / sum_s:,.1f}x for "
          f"the horizon of all {nw} windows, {t_hor / nw / sum_s:,.1f}x per window "
          f"(target <= 10x)")
    print(f"  pandas and rotascope give identical since-dates and ranks on the subset: "
          f"{identical}")
    print(f"  peak RSS: {rss_input:,.0f} MB after generating the input, {rss_kernels:,.0f} MB "
          f"after the kernels, {rss_end:,.0f} MB at the end")
    print("  outputs (returns float64, horizon, rank, count int64) are allocated once and reused "
          "across windows; 'first' includes first-touch page faults of that fresh memory")
    print(f"  (setup: numba compile/cache load {compile_s:.2f} s, input generation "
          f"{gen_s:.2f} s, not counted; load average at end {os.getloadavg()[0]:.2f})")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
