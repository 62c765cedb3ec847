"""The public surface of analytics and kernels: exports, docstrings, layering, doctests."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import inspect
import subprocess
import sys

import pytest

import rotascope.analytics as analytics
import rotascope.kernels as kernels

ANALYTICS_MODULES = ["windows", "records", "relative", "stats", "episodes", "analogs"]
KERNEL_MODULES = ["returns", "records", "rolling", "_sort", "reference", "_jit"]


@pytest.mark.parametrize("package", [analytics, kernels])
def test_all_is_sorted_and_complete(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert names == sorted(names)
    for name in names:
        assert hasattr(package, name), name


@pytest.mark.parametrize("name", analytics.__all__)
def test_public_analytics_are_documented(name: str) -> None:
    obj = getattr(analytics, name)
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    if inspect.isfunction(obj) and name != "decile":
        for section in ("Parameters", "Returns", "Notes"):
            assert f"\n{section}\n---" in doc, f"{name} lacks a {section} section"
        hints = inspect.get_annotations(obj)
        assert "return" in hints, f"{name} has no return annotation"
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        assert obj.__dataclass_params__.frozen, f"{name} is not frozen"  # type: ignore[attr-defined]


def test_layering_analytics_never_import_data_and_kernels_never_import_pandas() -> None:
    code = (
        "import sys\n"
        "import rotascope.kernels\n"
        "assert 'pandas' not in sys.modules, 'kernels imported pandas'\n"
        "import rotascope.analytics\n"
        "assert not any(m.startswith('rotascope.data') for m in sys.modules), 'data imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "module",
    [f"rotascope.analytics.{m}" for m in ANALYTICS_MODULES]
    + [f"rotascope.kernels.{m}" for m in KERNEL_MODULES],
)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
