"""Benchmark: start-up, the CSV reader, and the 2-D rolling z-score and percentile kernels.

Not a test: prints tables, side by side in one run, against the peers a user would reach for:

* start-up: ``rotascope --version``, ``--help`` and a warm ``facts --series`` (best of 5, wall
  time of a fresh process each);
* CSV reader: rotascope's ``parse_csv_text`` (C tokenizer, then rotascope's checks), its line
  reader (the pure-Python loop it used before) and ``pandas.read_csv`` / ``polars.read_csv``
  on 500 per-ticker ``Date,Close`` files (real closes from ``../shared/data`` when present, else
  random walks);
* rolling z-score (window 1,260 rows: DESIGN's 5-year unusualness) and rolling percentile
  (window 5,040 rows: DESIGN's 20-year valuation lookback; 1,260 too) on 1 x 25,000 and
  1,000 x 10,000 float64 arrays, against bottleneck (``move_mean``/``move_std``,
  ``move_rank``), pandas (``rolling``) and polars (``rolling_mean``/``rolling_std``,
  ``rolling_rank``); answers are checked against rotascope's on full windows; peak memory of
  each kernel in a fresh process, as a multiple of the input;
* calendar-period returns and level records (issue 11; ``bench_levels.py`` beside this file)
  against the pandas and polars code a user would write.

It closes with a table of the targets of issue 14 (and "faster than pandas" for the calendar
kernels): the target, what this run measured, and whether it is met.

Peers are optional (``pip install -e '.[bench]'``): a missing one is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"

from rotascope.kernels import rolling_percentile_2d, rolling_zscore_2d  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_levels  # noqa: E402
from bench_levels import best, optional  # noqa: E402  (one copy of the timing helpers)

#: (target, measured, met) rows of the closing table; "met" None where the issue sets none.
Check = tuple[str, str, bool | None]

Z_WINDOW = 1260
P_WINDOWS = (5040, 1260)
SIZES = ((25_000, 1), (10_000, 1_000))


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def vm_kb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in KB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def walks(days: int, series: int, seed: int = 0) -> np.ndarray:
    """(days x series) float64 daily returns-like data: 5-day changes of random walks, F order."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((series, days))
    return x.T  # Fortran order, no copy


# --------------------------------------------------------------------------------------------
# start-up


def child_cpu() -> float:
    """User + system CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process running ``cmd``."""
    cpu0, t0 = child_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0, child_cpu() - cpu0


def startup(repeat: int) -> list[tuple[str, float, float]]:
    """(label, best wall time, best CPU time) of each command, ``repeat`` fresh processes each.

    The CPU time is what the process itself spent; on a machine whose cores are busy with other
    work the wall time also counts the waiting for a core, the CPU time hardly does."""
    exe = shutil.which("rotascope", path=str(Path(sys.executable).parent)) or "rotascope"
    home = Path(tempfile.mkdtemp(prefix="rotascope-bench-home-"))
    env = {**os.environ, "ROTASCOPE_HOME": str(home)}
    src = SHARED / "prices" / "^GSPC.csv"
    if not src.is_file():
        src = home / "spx.csv"
        rng = np.random.default_rng(1)
        closes = 100 * np.exp(np.cumsum(rng.standard_normal(25_000) * 0.01))
        days = np.datetime64("1927-12-30") + np.arange(25_000)
        src.write_text("Date,Close\n" + "".join(f"{d},{c:.4f}\n" for d, c in zip(days, closes,
                                                                                   strict=True)))
    subprocess.run([exe, "data", "import", str(src), "--name", "spx"], env=env, check=True,
                   capture_output=True)
    runs = [("rotascope --version", [exe, "--version"]),
            ("rotascope --help", [exe, "--help"]),
            ("rotascope facts --series spx (warm)", [exe, "facts", "--series", "spx", "--as-of",
                                                     "2020-03-16"])]
    out = []
    for label, cmd in runs:
        subprocess.run(cmd, env=env, check=True, capture_output=True)  # warm: caches, pyc
        times = [run_timed(cmd, env) for _ in range(max(1, repeat))]
        out.append((label, min(t[0] for t in times), min(t[1] for t in times)))
    shutil.rmtree(home, ignore_errors=True)
    return out


# --------------------------------------------------------------------------------------------
# CSV reader


def csv_files(folder: Path, count: int) -> tuple[list[Path], str]:
    panel = SHARED / "universe" / "us_stocks.parquet"
    written: list[Path] = []
    if panel.is_file() and optional("pyarrow") is not None:
        import pandas as pd

        frame = pd.read_parquet(panel).astype("float64")
        for ticker in list(frame.columns)[:count]:
            col = frame[ticker].dropna()
            col = col[col > 0]
            path = folder / f"{ticker}.csv"
            col.rename("Close").to_frame().to_csv(path, index_label="Date",
                                                  date_format="%Y-%m-%d")
            written.append(path)
        what = f"real closes of the first {len(written)} tickers of us_stocks.parquet"
    else:
        rng = np.random.default_rng(2)
        days = np.datetime64("2014-01-02") + np.arange(3_000)
        for k in range(count):
            closes = 50 * np.exp(np.cumsum(rng.standard_normal(3_000) * 0.02))
            path = folder / f"T{k:03d}.csv"
            path.write_text("Date,Close\n" + "".join(
                f"{d},{c:.6g}\n" for d, c in zip(days, closes, strict=True)))
            written.append(path)
        what = f"{count} random walks of 3,000 days (../shared/data absent)"
    return written, what


def csv_bench(count: int, repeat: int) -> tuple[str, int, list[tuple[str, float | None]]]:
    import pandas as pd

    from rotascope.data.formats import csv_layouts

    folder = Path(tempfile.mkdtemp(prefix="rotascope-bench-csv-"))
    files, what = csv_files(folder, count)
    rows = sum(len(p.read_text().splitlines()) - 1 for p in files)

    def ours() -> None:
        for p in files:
            csv_layouts.parse_csv_text(p.read_text(encoding="utf-8"), origin=str(p))

    def line_reader() -> None:
        for p in files:
            text = p.read_text(encoding="utf-8")
            layout = csv_layouts.sniff_csv(text, origin=str(p))
            csv_layouts._parse_lines(text, layout, origin=str(p), column=None, kind="price")

    def pandas_read() -> None:
        for p in files:
            pd.read_csv(p, index_col=0, parse_dates=True)

    pl = optional("polars")

    def polars_read() -> None:
        for p in files:
            pl.read_csv(p, try_parse_dates=True)

    # same answers: rotascope's two readers and pandas
    for p in files[:20]:
        text = p.read_text(encoding="utf-8")
        a, _ = csv_layouts.parse_csv_text(text, origin=str(p))
        layout = csv_layouts.sniff_csv(text, origin=str(p))
        b, _ = csv_layouts._parse_lines(text, layout, origin=str(p), column=None, kind="price")
        c = pd.read_csv(p, index_col=0, parse_dates=True)["Close"]
        assert a.equals(b) and np.array_equal(a.to_numpy(), c.to_numpy()), p
    results: list[tuple[str, float | None]] = [
        ("rotascope parse_csv_text (C tokenizer + checks)", best(repeat, ours)),
        ("rotascope line reader (the loop it used before)", best(repeat, line_reader)),
        ("pandas.read_csv(index_col=0, parse_dates=True)", best(repeat, pandas_read)),
        ("polars.read_csv(try_parse_dates=True)",
         best(repeat, polars_read) if pl is not None else None),
    ]
    shutil.rmtree(folder, ignore_errors=True)
    return what, rows, results


# --------------------------------------------------------------------------------------------
# rolling kernels


def peers_z(x: np.ndarray, w: int) -> dict[str, Callable[[], Any] | None]:
    bn, pl = optional("bottleneck"), optional("polars")
    import pandas as pd

    def bottleneck_z() -> Any:
        return (x - bn.move_mean(x, w, axis=0)) / bn.move_std(x, w, axis=0, ddof=1)

    def pandas_z() -> Any:
        frame = pd.DataFrame(x)
        roll = frame.rolling(w)
        return ((frame - roll.mean()) / roll.std()).to_numpy()

    frame_pl = pl.DataFrame(x, schema=[f"c{j}" for j in range(x.shape[1])]) if pl else None

    def polars_z() -> Any:
        cols = [((pl.col(c) - pl.col(c).rolling_mean(w)) / pl.col(c).rolling_std(w)).alias(c)
                for c in frame_pl.columns]
        return frame_pl.select(cols).to_numpy()

    return {"bottleneck (move_mean, move_std)": bottleneck_z if bn else None,
            "pandas (rolling mean, std)": pandas_z,
            "polars (rolling_mean, rolling_std)": polars_z if pl else None}


def peers_pct(x: np.ndarray, w: int) -> dict[str, Callable[[], Any] | None]:
    bn, pl = optional("bottleneck"), optional("polars")
    import pandas as pd

    def bottleneck_pct() -> Any:
        r = bn.move_rank(x, w, axis=0)  # in [-1, 1]: 2 * (below + (equal - 1) / 2) / (n - 1) - 1
        return ((r + 1.0) / 2.0 * (w - 1) + 0.5) / w

    def pandas_pct() -> Any:
        roll = pd.DataFrame(x).rolling(w)
        return ((roll.rank(method="average") - 0.5) / roll.count()).to_numpy()

    frame_pl = pl.DataFrame(x, schema=[f"c{j}" for j in range(x.shape[1])]) if pl else None

    def polars_pct() -> Any:
        cols = [((pl.col(c).rolling_rank(w, method="average") - 0.5) / w).alias(c)
                for c in frame_pl.columns]
        return frame_pl.select(cols).to_numpy()

    return {"bottleneck (move_rank)": bottleneck_pct if bn else None,
            "pandas (rolling rank)": pandas_pct,
            "polars (rolling_rank)": polars_pct if pl and hasattr(pl.Expr, "rolling_rank")
            else None}


def scaled(func: Callable[[], Any], x: np.ndarray, repeat: int, max_cols: int,
           make: Callable[[np.ndarray], Callable[[], Any]]) -> tuple[float, str]:
    """Time ``func`` on all columns, or on ``max_cols`` of them scaled linearly (slow peers)."""
    if x.shape[1] <= max_cols:
        return best(repeat, func), ""
    sub = np.asfortranarray(x[:, :max_cols])
    return best(repeat, make(sub)) * x.shape[1] / max_cols, f" ({max_cols} cols, scaled)"


def kernel_table(repeat: int) -> tuple[list[str], list[Check]]:
    lines: list[str] = []
    checks: list[Check] = []
    for days, series in SIZES:
        x = walks(days, series)
        z_out = np.empty(x.shape, order="F")
        p_out = (np.empty(x.shape, order="F"), np.empty(x.shape, dtype=np.int32, order="F"))
        ours_z = best(repeat, lambda x=x, o=z_out: rolling_zscore_2d(x, Z_WINDOW, out=o))
        lines.append(f"  rolling z-score, window {Z_WINDOW}, {series:,} x {days:,}")
        lines.append(f"    {'rotascope rolling_zscore_2d':<44}{ours_z * 1e3:>11.2f} ms"
                     f"{'':>12}")
        z = rolling_zscore_2d(x, Z_WINDOW)
        for label, func in peers_z(x, Z_WINDOW).items():
            if func is None:
                lines.append(f"    {label:<44}{'not installed':>14}")
                continue
            ref = np.asarray(func())
            full = slice(Z_WINDOW - 1, None)
            agree = np.allclose(ref[full], z[full], rtol=1e-6, atol=1e-9)
            if "polars" in label or "pandas" in label:
                t, note = scaled(func, x, repeat, 200, lambda s, lab=label: peers_z(s, Z_WINDOW)[lab])
            else:
                t, note = best(repeat, func), ""
            lines.append(f"    {label:<44}{t * 1e3:>11.2f} ms{t / ours_z:>9.1f}x slower"
                         f"{'' if agree else '  DIFFERENT ANSWERS'}{note}")
            if label.startswith("bottleneck"):
                checks.append((f"rolling z {series:,} x {days:,}: at least as fast as bottleneck",
                               f"{t / ours_z:.2f}x bottleneck's speed", t / ours_z >= 1.0))
        for w in P_WINDOWS:
            if w >= days:
                continue
            ours_p = best(repeat, lambda x=x, o=p_out, w=w: rolling_percentile_2d(x, w, out=o))
            pct = rolling_percentile_2d(x, w)[0]
            lines.append(f"  rolling percentile, window {w}, {series:,} x {days:,}")
            lines.append(f"    {'rotascope rolling_percentile_2d':<44}{ours_p * 1e3:>11.2f} ms")
            for label, func in peers_pct(x, w).items():
                if func is None:
                    lines.append(f"    {label:<44}{'not installed':>14}")
                    continue
                sub = np.asfortranarray(x[:, : min(series, 20)])
                ref = np.asarray(peers_pct(sub, w)[label]())  # type: ignore[misc]
                full = slice(w - 1, None)
                agree = np.allclose(ref[full], pct[full, : sub.shape[1]], rtol=0, atol=1e-9)
                t, note = scaled(func, x, repeat if series == 1 else 1, 20,
                                 lambda s, lab=label, w=w: peers_pct(s, w)[lab])
                lines.append(f"    {label:<44}{t * 1e3:>11.2f} ms{t / ours_p:>9.1f}x slower"
                             f"{'' if agree else '  DIFFERENT ANSWERS'}{note}")
                for peer, need in (("bottleneck", 30.0), ("pandas", 5.0)):
                    if label.startswith(peer):
                        checks.append((f"rolling percentile w={w} {series:,} x {days:,}: "
                                       f">= {need:.0f}x {peer}", f"{t / ours_p:.1f}x",
                                       t / ours_p >= need))
    return lines, checks


def memory_child(kernel: str, days: int, series: int) -> dict[str, float]:
    """Run one kernel in this (fresh) process: peak RSS growth over the input, in MB."""
    tiny = walks(300, 2)
    rolling_zscore_2d(tiny, 50)  # load compiled kernels before measuring
    rolling_percentile_2d(tiny, 50)
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak RSS (VmHWM)
    before = vm_kb("VmRSS") / 1024
    x = walks(days, series)
    x_mb = x.nbytes / 2**20
    if kernel == "z":
        rolling_zscore_2d(x, Z_WINDOW)
    elif kernel == "pct":
        rolling_percentile_2d(x, P_WINDOWS[0])
    elif kernel == "pandas-z":
        import pandas as pd

        frame = pd.DataFrame(x)
        roll = frame.rolling(Z_WINDOW)
        ((frame - roll.mean()) / roll.std()).to_numpy()
    elif kernel == "bottleneck-z":
        import bottleneck as bn

        (x - bn.move_mean(x, Z_WINDOW, axis=0)) / bn.move_std(x, Z_WINDOW, axis=0, ddof=1)
    return {"input_mb": x_mb, "peak_over_input": (vm_kb("VmHWM") / 1024 - before) / x_mb}


def memory_table() -> tuple[list[str], list[Check]]:
    lines: list[str] = []
    checks: list[Check] = []
    days, series = SIZES[1]
    for kernel, label in (("z", "rotascope rolling_zscore_2d"),
                          ("pct", "rotascope rolling_percentile_2d"),
                          ("bottleneck-z", "bottleneck z (move_mean, move_std)"),
                          ("pandas-z", "pandas z (rolling mean, std)")):
        if kernel.startswith("bottleneck") and optional("bottleneck") is None:
            continue
        done = subprocess.run([sys.executable, __file__, "--memory-child", kernel],
                              capture_output=True, text=True, check=True)
        res = json.loads(done.stdout.strip().splitlines()[-1])
        lines.append(f"    {label:<44}{res['peak_over_input']:>8.2f}x the input "
                     f"({res['input_mb']:.0f} MB)")
        if label.startswith("rotascope"):
            checks.append((f"peak memory of {label.split()[1]}: <= 3x the input",
                           f"{res['peak_over_input']:.2f}x", res["peak_over_input"] <= 3.0))
    return lines, checks


def summary(checks: list[Check]) -> list[str]:
    """The closing table: target, measured, met."""
    width = max(len(t) for t, _, _ in checks)
    lines = [f"    {'target':<{width}}  {'measured':<26}met",
             f"    {'-' * width}  {'-' * 25} ---"]
    for target, measured, met in checks:
        lines.append(f"    {target:<{width}}  {measured:<26}"
                     f"{'n/a' if met is None else 'yes' if met else 'NO'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(memory_child(args.memory_child, *SIZES[1])))
        return 0
    import numba

    print(f"rotascope speed benchmark: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, numba {numba.__version__} with {numba.get_num_threads()} "
          f"threads, load average {os.getloadavg()[0]:.2f}")
    versions = {m: getattr(optional(m), "__version__", "missing")
                for m in ("pandas", "bottleneck", "polars")}
    print("peers: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print()
    checks: list[Check] = []
    print("start-up (a fresh process each, best of "
          f"{args.repeat}; target: --help/--version < 0.3 s, facts < 1 s)")
    print(f"    {'':<44}{'wall':>8}  {'CPU (user+sys)':>15}")
    for label, wall, cpu in startup(args.repeat):
        print(f"    {label:<44}{wall:>7.3f} s {cpu:>11.3f} s")
        limit = 1.0 if "facts" in label else 0.3
        checks.append((f"{label}: < {limit:g} s (wall)", f"{wall:.3f} s", wall < limit))
        checks.append((f"{label}: < {limit:g} s (CPU)", f"{cpu:.3f} s", cpu < limit))
    print()
    what, rows, results = csv_bench(args.files, max(1, args.repeat // 2))
    print(f"CSV reader: {args.files} files, {rows:,} rows ({what}); best of "
          f"{max(1, args.repeat // 2)}")
    pandas_t = results[2][1]
    for label, seconds in results:
        if seconds is None:
            print(f"    {label:<50}{'not installed':>14}")
        else:
            ratio = f"{seconds / pandas_t:>6.2f}x pandas" if pandas_t else ""
            print(f"    {label:<50}{seconds:>8.3f} s {ratio}")
    ours_t = results[0][1]
    if ours_t and pandas_t:
        checks.append(("CSV reader vs pandas.read_csv (no target; was 5.4x slower)",
                       f"{ours_t / pandas_t:.2f}x pandas' time", None))
    print()
    print(f"rolling kernels (float64, Fortran order, outputs reused via out=, best of "
          f"{args.repeat}; 'x slower' is the peer's time over rotascope's)")
    lines, found = kernel_table(args.repeat)
    print("\n".join(lines))
    checks += found
    print()
    print("peak memory of one call on 1,000 x 10,000 (fresh process; target <= 3x the input)")
    lines, found = memory_table()
    print("\n".join(lines))
    checks += found
    print()
    print(f"calendar-period and level-record kernels (issue 11) vs pandas and polars, best of "
          f"{args.repeat}; answers checked against rotascope's")
    lines, ratios = bench_levels.bench(args.repeat)
    print("\n".join(lines))
    checks += [(f"{what}: faster than pandas", f"{ratio:.1f}x", ratio > 1.0)
               for what, ratio in ratios]
    print()
    print("targets")
    print("\n".join(summary(checks)))
    print(f"\n(load average at end {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
