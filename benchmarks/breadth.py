"""Benchmark: the breadth scan over a (dates x securities) float32 panel.

Not a test: prints a table. ``make bench`` runs it at full size (20,000 synthetic series x
10,000 days float32 = 800 MB, one run of each stage) and on the real panel
``../shared/data/universe/us_stocks.parquet`` when present. Compares

* rotascope's scan (:func:`rotascope.kernels.breadth.breadth_scan_2d`: returns over 1, 5 and
  21 rows with their record moves, above the 20/50/200-row means, 252-row highs and lows,
  advancers/decliners; per-date counts) with 2 threads and with 1;
* (b) one memory pass over the same panel (``np.sum``), the floor for anything that reads it;
* (a) the obvious pandas code (rolling sums, rolling max/min, ``pct_change`` and a rolling max
  of earlier returns), timed on ``--pandas-series`` series (40) and scaled linearly (its time
  per series is about the same at 200), checked against ours;
* the same scan through the pipeline on Dask (``--scheduler local:2``, a LocalCluster of two
  one-thread workers reading their blocks from a Parquet file) against the local path.

"Per measure" divides by the 8 measures the scan computes (3 means, highs/lows, advancers/
decliners, record moves for 3 windows).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rotascope.kernels import HAVE_NUMBA  # noqa: E402
from rotascope.kernels.breadth import breadth_scan_2d  # noqa: E402

MEASURES = 8
REAL_PANEL = Path(__file__).resolve().parents[2] / "shared" / "data" / "universe" / "us_stocks.parquet"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def make_panel(series: int, days: int, seed: int) -> np.ndarray:
    """(days x series) float32 geometric random walks, Fortran order, built in place."""
    rng = np.random.default_rng(seed)
    walk = np.empty((series, days), dtype=np.float32)  # C order: one row per series
    for i in range(0, series, 1000):
        block = rng.standard_normal((min(1000, series - i), days), dtype=np.float32)
        block *= np.float32(0.01)
        np.cumsum(block, axis=1, out=block)
        np.exp(block, out=block)
        walk[i : i + len(block)] = block * np.float32(100.0)
    return walk.T  # (days x series), Fortran order, no copy


def pandas_counts(prices: pd.DataFrame) -> np.ndarray:
    """The obvious pandas breadth code: per-date counts in the kernel's layout (no gaps).

    One rolling sum per MA window (``N * P > sum``: the kernel's comparison, so counts are
    identical; its eligibility is the sum being defined), one rolling max and min for the
    highs and lows (eligible: at least 252 rows so far), ``shift`` for advancers/decliners,
    and per return window ``pct_change`` with a rolling max/min of the earlier returns.
    Each intermediate is computed once (an earlier version also computed a rolling mean and a
    rolling count it did not need, about 10% more time)."""
    cols = []
    valid = prices.notna()
    rows = valid.cumsum()
    cols.append(valid.sum(axis=1))
    sums = {n: prices.rolling(n).sum() for n in (20, 50, 200)}
    for n in (20, 50, 200):
        cols.append((prices * n > sums[n]).sum(axis=1))
    for n in (20, 50, 200):
        cols.append(sums[n].notna().sum(axis=1))
    hi = prices >= prices.rolling(252).max()
    lo = prices <= prices.rolling(252).min()
    cols += [hi.sum(axis=1), lo.sum(axis=1), (rows >= 252).sum(axis=1)]
    prev = prices.shift(1)
    cols += [(prices > prev).sum(axis=1), (prices < prev).sum(axis=1),
             (prices == prev).sum(axis=1)]
    eligible = rows >= 504
    gains, drops = [], []
    for w in (1, 5, 21):
        r = prices.pct_change(w, fill_method=None)
        earlier = r.shift(1).rolling(251, min_periods=1)
        first = r.shift(1).isna() & r.notna()
        gains.append(((r > earlier.max()) | first)[eligible].sum(axis=1))
        drops.append(((r < earlier.min()) | first)[eligible].sum(axis=1))
    cols += gains + drops
    cols.append(eligible.sum(axis=1))
    return np.column_stack([np.asarray(c, dtype=np.int64) for c in cols])


def timed(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    return time.perf_counter() - t0, out


def set_threads(n: int) -> None:
    if HAVE_NUMBA:
        import numba

        numba.set_num_threads(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20000)
    parser.add_argument("--days", type=int, default=10000)
    parser.add_argument("--pandas-series", type=int, default=40,
                        help="series timed with pandas, then scaled linearly (default 40)")
    parser.add_argument("--dask-series", type=int, default=5000,
                        help="series of the Parquet file scanned locally and on Dask")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    S, D = args.series, args.days
    values = S * D
    threads = 1
    if HAVE_NUMBA:
        import numba

        threads = numba.get_num_threads()
    print(f"rotascope breadth benchmark: {S:,} series x {D:,} days float32 "
          f"({values * 4 / 1e6:,.0f} MB), one run per stage")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"numba {'on' if HAVE_NUMBA else 'MISSING'} with {threads} threads, "
          f"load average before start {os.getloadavg()[0]:.2f}")

    t0 = time.perf_counter()
    breadth_scan_2d(make_panel(8, 600, 1))  # compile or load the numba cache
    compile_s = time.perf_counter() - t0
    gen_s, prices = timed(make_panel, S, D, args.seed)
    rss_input = peak_rss_mb()

    sum_s, _ = timed(np.sum, prices)
    set_threads(threads)
    t2, scan = timed(breadth_scan_2d, prices)
    rss_scan = peak_rss_mb()
    set_threads(1)
    c0 = time.process_time()
    t1, scan1 = timed(breadth_scan_2d, prices)
    cpu1 = time.process_time() - c0
    c0 = time.process_time()
    for _ in range(5):
        np.sum(prices)
    cpu_sum = (time.process_time() - c0) / 5
    set_threads(threads)
    same_threads = bool(np.array_equal(scan.counts, scan1.counts))
    del scan1

    k = max(1, min(args.pandas_series, S))
    sub = pd.DataFrame(np.ascontiguousarray(prices[:, :k], dtype=np.float64),
                       index=pd.bdate_range("1990-01-01", periods=D))
    c0 = time.process_time()
    tp, ref = timed(pandas_counts, sub)
    cpu_pd = (time.process_time() - c0) * S / k
    pd_scaled = tp * S / k
    ours_sub = breadth_scan_2d(prices[:, :k]).counts
    identical = bool(np.array_equal(ours_sub, ref))

    def row(label: str, seconds: float, note: str = "") -> None:
        print(f"  {label:<44}{seconds:>10.3f}{values / seconds / 1e6:>14,.0f}"
              f"{seconds / sum_s:>11,.1f}x{seconds / MEASURES / sum_s:>12,.1f}x  {note}")

    print()
    print(f"  {'stage':<44}{'time (s)':>10}{'Mvalues/s':>14}{'vs np.sum':>12}"
          f"{'per measure':>13}")
    print(f"  {'-' * 44}{'-' * 10}{'-' * 14}{'-' * 12}{'-' * 13}")
    row("(b) np.sum: one memory pass", sum_s)
    row(f"rotascope scan, {threads} threads", t2)
    row("rotascope scan, 1 thread", t1, f"{t1 / t2:.2f}x the {threads}-thread time")
    row(f"(a) pandas: {k} series timed, x{S / k:,.0f}", pd_scaled, "scaled linearly")
    print()
    print(f"  speed-up vs (a) pandas: {pd_scaled / t2:,.0f}x (target >= 50x); "
          f"pandas and rotascope counts identical on the subset: {identical}")
    print(f"  same in CPU time (less sensitive to other jobs): pandas {cpu_pd:,.1f} s scaled vs "
          f"the 1-thread scan {cpu1:,.2f} s: {cpu_pd / cpu1:,.0f}x on one core")
    print(f"  vs (b) np.sum: {t2 / sum_s:,.1f}x for all {MEASURES} measures, "
          f"{t2 / MEASURES / sum_s:,.1f}x per measure (target <= 10x)")
    print(f"  1 vs {threads} threads: identical counts {same_threads}, speed-up {t1 / t2:.2f}x")
    print(f"  CPU time (less sensitive to other jobs on the machine): 1-thread scan "
          f"{cpu1 / values * 1e9:.1f} ns per value, np.sum {cpu_sum / values * 1e9:.2f} ns per "
          f"value: {cpu1 / MEASURES / cpu_sum:,.1f}x np.sum per measure on one core")
    print(f"  peak RSS: {rss_input:,.0f} MB after generating the {values * 4 / 1e6:,.0f} MB "
          f"input, {rss_scan:,.0f} MB after the scan ({rss_scan / (values * 4 / 1e6):.2f}x the "
          f"input; target < 2x)")
    print(f"  (setup: numba compile/cache load {compile_s:.2f} s, input generation "
          f"{gen_s:.2f} s, not counted)")
    del prices, sub

    ok = identical and same_threads
    ok &= dask_vs_local(args.dask_series, D, args.seed)
    if REAL_PANEL.is_file():
        ok &= real_panel()
    else:
        print(f"\n  real panel {REAL_PANEL} absent: skipped")
    print(f"  (load average at end {os.getloadavg()[0]:.2f})")
    return 0 if ok else 1


def _pipeline(path: Path, scheduler: str | None) -> tuple[float, object]:
    from rotascope.data.panel_members import SegmentMembers
    from rotascope.data.panel_readers import open_panel
    from rotascope.pipeline.breadth import compute_breadth

    t0 = time.perf_counter()
    panel = open_panel(path)
    frame = pd.DataFrame({"ticker": list(panel.tickers), "name": "", "sector": "", "weight": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = compute_breadth(panel, [SegmentMembers("all", "all", None, frame, str(path))],
                              scheduler=scheduler)
    return time.perf_counter() - t0, res


def _same(a: object, b: object) -> bool:
    sa, sb = a.segments[0], b.segments[0]  # type: ignore[attr-defined]
    return bool(sa.history.equals(sb.history) and sa.per_member.equals(sb.per_member))


def dask_vs_local(series: int, days: int, seed: int) -> bool:
    """The pipeline on a Parquet file: local blocks vs a Dask LocalCluster of 2 workers."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.parquet"
        x = make_panel(series, days, seed + 1)
        frame = pd.DataFrame(x, index=pd.bdate_range("1990-01-01", periods=days),
                             columns=[f"S{j:05d}" for j in range(series)])
        del x
        frame.to_parquet(path, compression=None)
        del frame
        tl, local = _pipeline(path, None)
        td, remote = _pipeline(path, "local:2")
        same = _same(local, remote)
        mb = series * days * 4 / 1e6
        print(f"\n  pipeline on a {series:,} x {days:,} Parquet file ({mb:,.0f} MB), read by "
              "blocks of 1,024 series:")
        print(f"    local (this process, {os.cpu_count()} numba threads): {tl:.2f} s "
              f"({series * days / tl / 1e6:,.0f} Mvalues/s)")
        print(f"    Dask LocalCluster local:2 (start-up included): {td:.2f} s "
              f"({series * days / td / 1e6:,.0f} Mvalues/s); identical results: {same}")
    return same


def real_panel() -> bool:
    """The pipeline on the real panel, every ticker as one segment, local and on Dask."""
    tl, local = _pipeline(REAL_PANEL, None)
    td, remote = _pipeline(REAL_PANEL, "local:2")
    seg = local.segments[0]  # type: ignore[attr-defined]
    n = len(seg.per_member) * len(seg.history)
    same = _same(local, remote)
    print(f"\n  real panel {REAL_PANEL.name}: {len(seg.per_member):,} tickers x "
          f"{len(seg.history):,} days ({n / 1e6:.1f} M values), whole history:")
    print(f"    local: {tl:.2f} s (open + read + scan + history); Dask local:2: {td:.2f} s; "
          f"identical results: {same}")
    return same


if __name__ == "__main__":
    raise SystemExit(main())
