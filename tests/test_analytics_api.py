"""The public surface of analytics and kernels: exports, docstrings (every public function's
formula), layering, doctests."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import inspect
import pkgutil
import subprocess
import sys
import types

import pytest

import rotascope
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


#: names of analytics.__all__ that are a module's name under another one (the two
#: EPISODE_COLUMNS differ: rotation episodes' and factor unwinds')
RENAMED = {("factors", "EPISODE_COLUMNS"): "FACTOR_EPISODE_COLUMNS"}


def _analytics_modules() -> list[types.ModuleType]:
    return [importlib.import_module(f"rotascope.analytics.{m.name}")
            for m in pkgutil.iter_modules(analytics.__path__) if not m.name.startswith("_")]


@pytest.mark.parametrize("module", _analytics_modules(), ids=lambda m: m.__name__)
def test_analytics_all_exports_every_public_name_of_every_module(
        module: types.ModuleType) -> None:
    short = module.__name__.rsplit(".", 1)[1]
    defined = {n for n, obj in vars(module).items() if not n.startswith("_")
               and (inspect.isfunction(obj) or inspect.isclass(obj))
               and obj.__module__ == module.__name__}
    assert defined <= set(module.__all__), f"{short}.__all__ lacks {defined - set(module.__all__)}"
    for name in module.__all__:
        exported = RENAMED.get((short, name), name)
        assert exported in analytics.__all__, f"rotascope.analytics.__all__ lacks {short}.{name}"
        assert getattr(analytics, exported) is getattr(module, name), f"{short}.{name}"


@pytest.mark.parametrize("name", analytics.__all__)
def test_public_analytics_are_documented(name: str) -> None:
    obj = getattr(analytics, name)
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        assert obj.__dataclass_params__.frozen, f"{name} is not frozen"  # type: ignore[attr-defined]


def _public_functions() -> list[tuple[str, types.FunctionType]]:
    found = []
    for package in (rotascope, analytics, kernels):
        for name in package.__all__:  # type: ignore[attr-defined]
            obj = getattr(package, name)
            if inspect.isfunction(obj):
                found.append((f"{package.__name__}.{name}", obj))
    return found


@pytest.mark.parametrize(("name", "function"), _public_functions(),
                         ids=[name for name, _ in _public_functions()])
def test_public_functions_state_their_formula(name: str, function: types.FunctionType) -> None:
    """Every function of the three public ``__all__`` has numpy-style Parameters, Returns and
    Notes sections (the formula) and a return annotation."""
    doc = inspect.getdoc(function) or ""
    for section in ("Parameters", "Returns", "Notes"):
        assert f"\n{section}\n---" in doc, f"{name} lacks a {section} section"
    assert "return" in inspect.get_annotations(function), f"{name} has no return annotation"


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
