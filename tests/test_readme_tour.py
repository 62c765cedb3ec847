"""The README's tour works verbatim: every `rotascope` line of its code blocks runs, in order, in
a fresh store, from a checkout with ../shared/data beside it, and exits 0 (the README announces
no failure). Lines marked `# network` need the real providers and are left out here (the
network paths are tested against the local HTTP server in test_cli_fetch.py)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app

README = Path(__file__).resolve().parents[1] / "README.md"


def tour_lines() -> list[tuple[int, str]]:
    """(line number, command) of every `rotascope ...` line inside a ``` block of the README."""
    out, inside = [], False
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            inside = not inside
            continue
        if inside and line.startswith("rotascope "):
            out.append((number, line))
    return out


def test_the_tour_has_the_commands_it_promises() -> None:
    lines = [cmd for _, cmd in tour_lines()]
    assert len(lines) >= 20
    assert any(" report " in f" {c} " for c in lines) and any("# network" in c for c in lines)


@pytest.mark.realdata
def test_every_tour_line_runs(shared_data: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = tmp_path / "rotascope"  # the tour's ../shared/data, as beside a checkout
    checkout.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "data").symlink_to(shared_data, target_is_directory=True)
    monkeypatch.chdir(checkout)
    runner = CliRunner()
    ran = 0
    for number, line in tour_lines():
        if re.search(r"#\s*network\b", line):
            continue
        # a comment is " # ..." (a "#" inside a word is part of it: file:ie_data.csv#CAPE)
        args = shlex.split(re.split(r"\s+#\s", line, maxsplit=1)[0])
        result = runner.invoke(app, args[1:], env={"COLUMNS": "120"})
        assert result.exit_code == 0, f"README line {number}: {line}\n{result.output}"
        ran += 1
    assert ran >= 18
    assert list((checkout / "out").glob("report-*.html"))  # the reports were written here
