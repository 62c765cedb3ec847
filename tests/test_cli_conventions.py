"""CLI conventions (issue 14, item 7): exit codes, `-o -`, `--quiet`, flags, did-you-mean,
the report's section progress, and an internal error as one line with exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rotascope.cli import exits, lazy, main
from rotascope.cli.main import app
from rotascope.data.loader import DataSource
from rotascope.data.universe import load_universe
from rotascope.errors import InputError, ProviderError, StoreError
from rotascope.report.build import build_report
from rotascope.report.sections import SECTIONS

runner = CliRunner()


def test_exit_codes_per_kind_of_error() -> None:
    assert exits.exit_code(InputError("x")) == 2
    assert exits.exit_code(ProviderError("x")) == 3
    assert exits.exit_code(StoreError("x")) == 3


def test_report_to_stdout_is_the_report_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "--universe", "sample", "-f", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["universe"] == "sample" and doc["facts"]
    assert "Report written" not in result.stdout
    assert not list(tmp_path.iterdir())  # no out/report-... file either


def test_report_quiet_prints_nothing_and_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["report", "--universe", "sample", "-f", "md", "-o", str(out),
                                 "--quiet"])
    assert result.exit_code == 0
    assert result.stdout == "" and "building" not in result.stderr
    assert out.read_text().startswith("# ")


def test_open_with_stdout_is_a_usage_error() -> None:
    result = runner.invoke(app, ["report", "--universe", "sample", "-o", "-", "--open"])
    assert result.exit_code == 2 and "--open needs a file" in result.output


def test_report_reports_each_section_as_it_starts() -> None:
    steps: list[str] = []
    build_report(load_universe("sample"), DataSource(), None, progress=steps.append)
    assert steps[:3] == ["loading segments", "pairs: episodes and analogs", "facts"]
    # then every section of the registry, by its title, the headline last (it reads the others)
    titles = [s.title.lower() for s in SECTIONS if s.key != "headline"]
    assert steps[3:] == [*titles, "headline"]


@pytest.mark.parametrize(("args", "hint"), [
    (["facts", "--segments", "smal-caps"], "did you mean 'small-caps'?"),
    (["analogs", "smal-caps", "large-caps"], "did you mean segment 'small-caps'?"),
    (["data", "fetch", "smallcaps"], "did you mean 'small-caps'?"),
])
def test_a_misspelt_segment_gets_a_suggestion(args: list[str], hint: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and hint in lines[0], result.output


def test_no_suggestion_for_a_name_far_from_every_segment() -> None:
    u = load_universe("us")
    assert u.suggest_segment("zzzz") is None
    assert u.suggest_segment("Small-Cap") == "small-caps"


def test_an_unexpected_exception_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(name: str) -> object:
        raise RuntimeError("kernel exploded\nsecond line")

    monkeypatch.setattr(lazy, "load_command", broken)
    monkeypatch.setattr("sys.argv", ["rotascope", "facts"])
    with pytest.raises(SystemExit) as done:
        main.main()
    assert done.value.code == 1
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert err == ["rotascope: internal error: RuntimeError: kernel exploded second line "
                   "(please report this)"]


def test_segments_space_or_comma_separated_give_the_same_facts() -> None:
    spaced = runner.invoke(app, ["facts", "--universe", "sample", "--segments", "large-caps",
                                 "tech", "--json", "--all"])
    commas = runner.invoke(app, ["facts", "--universe", "sample", "--segments",
                                 "large-caps,tech", "--json", "--all"])
    assert spaced.exit_code == 0 and commas.exit_code == 0, spaced.output
    assert json.loads(spaced.stdout) == json.loads(commas.stdout)
    assert {f["subject"] for f in json.loads(spaced.stdout)} >= {"large-caps", "tech"}
    stray = runner.invoke(app, ["facts", "--universe", "sample", "tech"])
    assert stray.exit_code == 2 and "segment names go after --segments" in stray.output
