"""`make test` runs every docstring example of src/rotascope (pytest --doctest-modules, see
pyproject's testpaths): that needs every module to import without the optional extras (Dask,
pyarrow, yfinance, openpyxl, playwright), which are imported only where they are used."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = ("dask", "distributed", "pyarrow", "yfinance", "openpyxl", "playwright", "bottleneck",
            "polars")


def test_pytest_collects_the_docstring_examples_of_the_package() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "src/rotascope" in options["testpaths"] and "tests" in options["testpaths"]


def test_every_module_imports_without_the_optional_extras() -> None:
    code = f"""
import importlib, pkgutil, sys
from importlib.abc import MetaPathFinder

class Absent(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {OPTIONAL!r}:
            raise ImportError(f"{{name}} is not installed (test)")
        return None

sys.meta_path.insert(0, Absent())
import rotascope
failed = []
for info in pkgutil.walk_packages(rotascope.__path__, "rotascope."):
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        failed.append(f"{{info.name}}: {{type(exc).__name__}}: {{exc}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
