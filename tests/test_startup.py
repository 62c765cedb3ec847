"""Start-up: lazy command imports, flags shown as flags, the numba cache fallback and note.

Deterministic checks instead of timings: `--help` and `--version` import neither pandas nor
numba (nor DuckDB, scipy), the command table's one-line helps are the commands' own, and a
numba that cannot cache falls back to compiling with one note instead of crashing.
"""

from __future__ import annotations

import math
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from rotascope.analytics.events import _t_pvalue
from rotascope.cli import lazy
from rotascope.cli.main import app

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("pandas", "numba", "duckdb", "scipy", "numpy")


def _modules_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    code = ("import sys\nfrom rotascope.cli.main import main\nsys.argv = ['rotascope', *"
            f"{list(args)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("MODULES "))
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [["--help"], ["--version"], []], ids=["help", "version", "none"])
def test_root_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    loaded = _modules_after(*args)
    assert not [m for m in HEAVY if m in loaded], sorted(m for m in HEAVY if m in loaded)
    assert not [m for m in loaded if m.startswith("rotascope.cli.commands")]


def test_command_table_matches_the_commands() -> None:
    for name, spec in lazy.COMMANDS.items():
        command = lazy.load_command(name)
        assert command.name == name
        assert " ".join((command.help or "").split("\n\n")[0].split()) == spec.help, name


def test_root_help_lists_every_command_and_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name, spec in lazy.COMMANDS.items():
        assert name in result.output and spec.help[:40] in result.output
    assert "1 internal error" in result.output and "3 data or provider unavailable" in result.output


def test_flags_are_shown_as_flags() -> None:
    result = CliRunner().invoke(app, ["facts", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--json" in result.output and "<bool>" not in result.output
    assert "<str>" in result.output  # options with a value keep their type


def test_misspelt_command_suggests() -> None:
    result = CliRunner().invoke(app, ["reprot"])
    assert result.exit_code == 2 and "Did you mean 'report'" in result.output


def test_compile_note_once_when_numba_compiles(capfd: pytest.CaptureFixture[str]) -> None:
    numba = pytest.importorskip("numba")

    def add(x: float) -> float:
        return x + 1.0

    def mul(x: float) -> float:
        return x * 2.0

    with lazy.compile_note():
        assert numba.njit(add)(1.0) == 2.0  # a fresh function: numba compiles
        assert numba.njit(mul)(1.0) == 2.0
    err = capfd.readouterr().err
    assert err.count("compiling numeric kernels") == 1, err
    with lazy.compile_note():  # a new run (a new dispatcher compiles again): one note again
        numba.njit(add)(1.0)
    assert capfd.readouterr().err.count("compiling numeric kernels") == 1
    numba.njit(mul)(3.0)  # compiles, but outside a command: no note
    assert "compiling" not in capfd.readouterr().err
    with lazy.compile_note(enabled=False):  # the CLI when stderr is no terminal
        numba.njit(add)(2.0)
    assert "compiling" not in capfd.readouterr().err


def test_compile_note_when_a_kernel_imports_numba_inside_the_command() -> None:
    """numba is imported at a kernel's first call, inside the command: the note still shows,
    once, and a command that runs no kernel never imports numba."""
    pytest.importorskip("numba")
    code = ("import sys\n"
            "from rotascope.cli import lazy\n"
            "from rotascope.kernels._jit import make_jit\n"
            "import rotascope.kernels, rotascope.analytics\n"
            "assert 'numba' not in sys.modules\n"
            "def add(x):\n    return x + 1.0\n"
            "def mul(x):\n    return x * 2.0\n"
            "kernels = [make_jit(True, cache=False)(f) for f in (add, mul)]\n"
            "with lazy.compile_note():\n"
            "    assert [k(1.0) for k in kernels] == [2.0, 2.0]\n"
            "assert 'numba' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("compiling numeric kernels") == 1, done.stderr


def test_the_console_script_exits_fast_with_the_command_s_code(tmp_path: Path) -> None:
    """``run`` (the console script) ends with the command's exit code, its output flushed."""
    env = {**os.environ, "ROTASCOPE_HOME": str(tmp_path)}
    script = "from rotascope.cli.main import run; run()"
    ok = subprocess.run([sys.executable, "-c", script, "--version"], capture_output=True,
                        text=True, env=env, timeout=120)
    assert ok.returncode == 0 and ok.stdout.startswith("rotascope "), ok
    bad = subprocess.run([sys.executable, "-c", script, "facts", "--series", "nosuch"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("rotascope: error:"), bad
    usage = subprocess.run([sys.executable, "-c", script, "reprot"], capture_output=True,
                           text=True, env=env, timeout=120)
    assert usage.returncode == 2 and "Did you mean 'report'" in usage.stderr, usage


def test_facts_on_a_stored_series_imports_no_numba(tmp_path: Path) -> None:
    """A command that runs no kernel does not pay numba's import (about 0.35 s)."""
    src = tmp_path / "x.csv"
    days = np.datetime64("2020-01-01") + np.arange(300)
    closes = 100 * np.exp(np.cumsum(np.random.default_rng(3).standard_normal(300) * 0.01))
    src.write_text("Date,Close\n" + "".join(f"{d},{c:.4f}\n" for d, c in zip(days, closes,
                                                                               strict=True)))
    env = {**os.environ, "ROTASCOPE_HOME": str(tmp_path / "home")}
    code = ("import sys\nfrom rotascope.cli.main import main\n"
            "sys.argv = ['rotascope', *sys.argv[1:]]\ntry:\n    main()\nexcept SystemExit:\n"
            "    pass\nsys.stderr.write('NUMBA ' + str('numba' in sys.modules) + '\\n')\n")
    stored = subprocess.run([sys.executable, "-c", code, "data", "import", str(src), "--name",
                             "x"], capture_output=True, text=True, env=env, timeout=120)
    assert "NUMBA False" in stored.stderr, stored.stderr
    done = subprocess.run([sys.executable, "-c", code, "facts", "--series", "x", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert '"kind": "record_' in done.stdout and "NUMBA False" in done.stderr, done.stderr


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: read-only, or (as root, who may write
    anywhere) a path below a regular file, which no one can create."""
    ro = tmp_path / "read-only"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if not os.access(ro, os.W_OK):
        return ro / "numba-cache"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    return blocker / "numba-cache"


def test_numba_without_a_writable_cache_folder_compiles_with_a_note(tmp_path: Path) -> None:
    pytest.importorskip("numba")
    # a copy of the package whose kernels folder has no writable __pycache__ (a file is in the
    # way), and NUMBA_CACHE_DIR and the user cache folder both unwritable: no locator at all
    pkg = tmp_path / "site" / "rotascope"
    shutil.copytree(SRC / "rotascope", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "kernels" / "__pycache__").write_text("in the way\n")
    blocked = _unwritable_folder(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(pkg.parent), "NUMBA_CACHE_DIR": str(blocked),
           "XDG_CACHE_HOME": str(blocked), "HOME": str(blocked), "PYTHONDONTWRITEBYTECODE": "1"}
    code = ("import rotascope, numpy as np\n"
            f"assert rotascope.__file__.startswith({str(pkg)!r}), rotascope.__file__\n"
            "from rotascope.kernels import record_horizon_1d, _jit\n"
            "assert not _jit.CAN_CACHE\n"
            "print(record_horizon_1d(np.array([3.0, 1.0, 2.0])).tolist())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[-1, 0, 0]"
    notes = [ln for ln in done.stderr.splitlines() if "cannot cache" in ln]
    assert len(notes) == 1 and "NUMBA_CACHE_DIR" in notes[0], done.stderr
    # the CLI shows it as one line and still runs; numba is imported (and the question asked)
    # only when a kernel first runs, so --help says nothing and a command that runs one does
    cli = subprocess.run([sys.executable, "-c", "from rotascope.cli.main import main; main()",
                          "episodes", "--help"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert cli.returncode == 0 and not cli.stderr.strip(), cli.stderr
    cli = subprocess.run([sys.executable, "-c", "from rotascope.cli.main import main; main()",
                          "episodes", "tech", "large-caps", "--universe", "sample"],
                         capture_output=True, text=True, env={**env, "ROTASCOPE_HOME": str(
                             tmp_path / "home")}, timeout=300)
    assert cli.returncode == 0, cli.stderr
    lines = [ln for ln in cli.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("rotascope: warning: numba cannot cache"), lines


def test_t_pvalue_equals_scipy_stats() -> None:
    rng = np.random.default_rng(5)
    for df in (1, 2, 3, 4, 7, 30, 251, 5000):
        for t in [*rng.normal(0, 3, 20), 0.0, 1e-9, 40.0, -12.5]:
            assert _t_pvalue(float(t), df) == float(2.0 * stats.t.sf(abs(t), df)), (t, df)
    assert math.isnan(_t_pvalue(float("nan"), 5)) and math.isnan(_t_pvalue(1.0, 0))
