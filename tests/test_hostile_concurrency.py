"""Issue 13, item 10: several rotascope processes on one store at once (real subprocesses).

Readers (`report`, `facts`, `data list`) open the store read-only and never block each other;
a writer plus readers each either succeed or print the one-line lock message, exit code 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROTASCOPE = str(Path(sys.executable).parent / "rotascope")
ROUNDS = 2


def _csv(path: Path, start: float, step: float) -> None:
    days = pd.bdate_range("2015-01-02", periods=900)
    values = start * (1 + step) ** pd.Series(range(len(days))) * (
        1 + 0.01 * pd.Series(range(len(days))).mod(7).sub(3))
    pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Close": values.round(4)}).to_csv(
        path, index=False)


@pytest.fixture
def store_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A store holding two segments of a small universe (fetched through the files provider)."""
    data = tmp_path / "data"
    data.mkdir()
    _csv(data / "a.csv", 100.0, 0.0004)
    _csv(data / "b.csv", 50.0, 0.0001)
    universe = tmp_path / "u.toml"
    universe.write_text(
        'name = "u"\n'
        '[[segments]]\nname = "a"\ndisplay = "Alpha"\nseries = {files = "a.csv"}\n'
        '[[segments]]\nname = "b"\ndisplay = "Beta"\nseries = {files = "b.csv"}\n'
        '[[pairs]]\nname = "a-vs-b"\na = "a"\nb = "b"\n'
    )
    env = dict(os.environ, ROTASCOPE_HOME=str(tmp_path / "home"), COLUMNS="200")
    done = subprocess.run([ROTASCOPE, "data", "fetch", "a", "b", "--provider", "files",
                           "--universe", str(universe), "--data-dir", str(data)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return env, universe


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([ROTASCOPE, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def test_item10_two_reports_and_two_facts_at_once_all_succeed(
    store_env: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, universe = store_env
    for round_ in range(ROUNDS):
        procs = [
            _start(env, "report", "--universe", str(universe), "--format", "json", "--out",
                   str(tmp_path / f"r{round_}-{k}.json"))
            for k in range(2)
        ] + [_start(env, "facts", "--universe", str(universe), "--all") for _ in range(2)]
        for proc in procs:
            code, out, err = _finish(proc)
            assert code == 0, (proc.args, err)
            assert "busy" not in err and "Traceback" not in err
        first, second = (json.loads((tmp_path / f"r{round_}-{k}.json").read_text())
                         for k in range(2))
        first.pop("generated_at")
        second.pop("generated_at")
        assert first == second and first["facts"]  # both read the same store, in full


def test_item10_one_writer_and_readers_succeed_or_get_the_lock_message(
    store_env: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, universe = store_env
    extra = tmp_path / "c.csv"
    _csv(extra, 10.0, 0.0002)
    imported: list[str] = []
    for round_ in range(ROUNDS):
        procs = [
            _start(env, "data", "import", str(extra), "--name", f"c{round_}"),
            _start(env, "facts", "--universe", str(universe), "--all"),
            _start(env, "data", "list"),
        ]
        for proc in procs:
            code, out, err = _finish(proc)
            assert "Traceback" not in err, err
            if proc.args[1:3] == ["data", "import"] and code == 0:
                imported.append(f"c{round_}")
            if code != 0:
                assert code == 2, err
                lines = [line for line in err.splitlines() if line.strip()]
                assert len(lines) == 1 and lines[0].startswith("rotascope: error: store "), err
                assert "is busy: another process (PID" in lines[0], err
    listing = subprocess.run([ROTASCOPE, "data", "list"], env=env, capture_output=True,
                             text=True, timeout=300)
    assert listing.returncode == 0, listing.stderr
    assert imported, "the writer never got the lock within its wait"
    for name in imported:
        assert name in listing.stdout
