"""The architecture stays visible: imports point down the layers.

    base (errors, formatting, jsonutil) -> data -> kernels -> analytics -> pipeline -> narrative
    -> report -> cli

A module may import its own layer and the layers below it, never one above (type-only imports
included: a type from above is a dependency on it too). The test reads every module's imports
with ``ast`` (nothing is imported).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rotascope"
LAYERS = ("base", "data", "kernels", "analytics", "pipeline", "narrative", "report", "cli")
BASE = {"errors", "formatting", "jsonutil", "__init__", "__main__"}


def layer_of(module: str) -> str:
    """The layer of a dotted module name under ``rotascope``."""
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    if head in BASE:
        return "base"
    if head not in LAYERS:
        raise AssertionError(f"{module}: in no layer; add its package to LAYERS or BASE")
    return head


def imports_of(path: Path, src: Path = SRC) -> list[tuple[int, str]]:
    """(line, module) of every ``rotascope`` import in a file, relative ones resolved."""
    package = list(path.relative_to(src.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("rotascope")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if name.startswith("rotascope"):
                out.append((node.lineno, name))
    return out


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_in_a_layer() -> None:
    for path in modules():
        layer_of(".".join(path.relative_to(SRC.parent).with_suffix("").parts))


def upward_imports(path: Path, src: Path = SRC) -> list[str]:
    """The imports of ``path`` that point to a layer above its own."""
    here = layer_of(".".join(path.relative_to(src.parent).with_suffix("").parts))
    if path.relative_to(src).parts[0] in ("__init__.py", "__main__.py"):
        return []  # the package's lazy public API and `python -m rotascope` reach every layer
    return [f"line {line}: {name} ({layer_of(name)})" for line, name in imports_of(path, src)
            if LAYERS.index(layer_of(name)) > LAYERS.index(here)]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path: Path) -> None:
    up = upward_imports(path)
    assert not up, f"{path.relative_to(SRC)} imports upward: " + "; ".join(up)


def test_the_guard_sees_upward_imports(tmp_path: Path) -> None:
    """The check itself works: absolute, relative and type-only upward imports are caught."""
    src = tmp_path / "rotascope"
    (src / "analytics").mkdir(parents=True)
    bad = src / "analytics" / "bad.py"
    bad.write_text("from typing import TYPE_CHECKING\n"
                   "from rotascope.data.series import TimeSeries\n"
                   "from ..narrative import fact\n"
                   "if TYPE_CHECKING:\n    from rotascope.report.model import ReportModel\n",
                   encoding="utf-8")
    assert upward_imports(bad, src) == ["line 3: rotascope.narrative (narrative)",
                                        "line 5: rotascope.report.model (report)"]


#: Functions of the analytics a sentence may use: labels, not computations.
LABELS = {"season_label"}


@pytest.mark.parametrize("path", sorted((SRC / "narrative").glob("*.py")), ids=lambda p: p.name)
def test_narrative_runs_no_analytics(path: Path) -> None:
    """Narrative modules turn pipeline results into sentences: from the analytics they take
    result types and constants, never a function that computes (the pipeline runs those)."""
    import importlib

    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rotascope.analytics"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                obj = getattr(module, alias.name)
                if callable(obj) and not isinstance(obj, type) and alias.name not in LABELS:
                    calls.append(f"{node.module}.{alias.name}")
    assert not calls, f"{path.name} runs analytics: {', '.join(calls)}"
