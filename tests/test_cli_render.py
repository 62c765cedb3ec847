"""The terminal renderer (rotascope.cli.render) never cuts what the user must type or read
exactly: at COLUMNS=80 and 60 every README-tour command prints no line wider than the terminal,
no "…", and every segment name, ticker and date of its --json output that a wide terminal shows
is shown intact (not folded across lines) in the narrow one too."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from rotascope.cli.console import SafeConsole
from rotascope.cli.main import app
from rotascope.cli.render import Col, bullet, fit_columns, line, print_table
from rotascope.data.universe import load_universe

README = Path(__file__).resolve().parents[1] / "README.md"
NAME_KEYS = {"a", "b", "segment", "ticker", "name", "factor", "series", "symbol", "window",
             "horizon"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WIDE = "250"


def rendered(width: int, draw: Any) -> str:
    c: Console = SafeConsole(width=width, record=True, highlight=False, markup=False,
                             emoji=False, file=io.StringIO())
    draw(c)
    return c.export_text()


def test_fixed_columns_are_never_cut_and_a_note_names_the_columns_left_out() -> None:
    cols = [Col("segment", "key"), Col("date", "date", "right"),
            Col("move", "number", "right", drop=2), Col("note", drop=1)]
    rows = [["consumer-discretionary", "2024-07-17", "+12.34%", "a long note " * 5]]
    for width in (80, 50, 44):
        text = rendered(width, lambda c: print_table(c, "Moves", cols, rows))
        assert "…" not in text
        assert all(len(ln) <= width for ln in text.splitlines()), text
        assert "consumer-discretionary" in text and "2024-07-17" in text
    narrow = rendered(44, lambda c: print_table(c, "Moves", cols, rows))
    assert "+12.34%" not in narrow and "move, note: left out to fit 44 columns" in " ".join(
        narrow.split())


def test_short_headers_come_with_their_full_names() -> None:
    cols = [Col("segment", "key"), Col("earnings_stability", "number", "right", short="earn")]
    text = rendered(26, lambda c: print_table(c, None, cols, [["tech", "+0.29"]]))
    assert "earn = earnings_stability" in " ".join(text.split()) and "…" not in text


def test_a_table_too_wide_for_its_fixed_columns_becomes_one_item_per_row() -> None:
    cols = [Col("start", "date"), Col("end", "date"), Col("peak", "date")]
    rows = [["2001-06-29", "2001-07-02", "2001-06-30"]]
    assert fit_columns(cols, rows, 30) is None
    text = rendered(30, lambda c: print_table(c, "Episodes", cols, rows, what="episode"))
    assert "- start: 2001-06-29; end:" in text and "2001-06-30" in text
    assert all(len(ln) <= 30 for ln in text.splitlines()) and "one episode per item" in " ".join(
        text.split())


def test_bullets_wrap_with_a_hanging_indent_and_lines_wrap_at_spaces() -> None:
    sentence = "The Russell 2000 beat the S&P 500 by 4.2% over five days, the most since 2020-03-16."
    text = rendered(40, lambda c: (bullet(c, sentence), line(c, sentence)))
    lines = text.splitlines()
    assert lines[0].startswith("• ") and lines[1].startswith("  ") and "2020-03-16" in text
    assert all(len(ln) <= 40 for ln in lines)


def tour() -> list[list[str]]:
    """Every README-tour line that runs offline, as arguments (comments and `# network` out)."""
    out, inside = [], False
    for text in README.read_text(encoding="utf-8").splitlines():
        if text.startswith("```"):
            inside = not inside
            continue
        if inside and text.startswith("rotascope ") and not re.search(r"#\s*network\b", text):
            out.append(shlex.split(re.split(r"\s+#\s", text, maxsplit=1)[0])[1:])
    return out


def tokens(data: Any, key: str = "") -> set[str]:
    """Names (under name-like keys) and dates anywhere in a --json output."""
    found: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            found |= tokens(v, str(k))
    elif isinstance(data, list):
        for v in data:
            found |= tokens(v, key)
    elif isinstance(data, str):
        found.update(DATE.findall(data))
        if key in NAME_KEYS and data.strip():
            found.add(data)
    return found


def check(text: str, width: int, wanted: set[str], what: str) -> None:
    lines = text.splitlines()
    too_wide = [ln for ln in lines if len(ln) > width]
    assert not too_wide, f"{what} at {width} columns:\n" + "\n".join(too_wide)
    assert "…" not in text, f"{what} at {width} columns shows '…':\n{text}"
    missing = sorted(t for t in wanted if t not in text)
    assert not missing, f"{what} at {width} columns cuts {missing[:10]}:\n{text}"


@pytest.mark.realdata
@pytest.mark.slow
def test_every_tour_command_fits_80_and_60_columns(shared_data: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = tmp_path / "rotascope"  # the tour's ../shared/data, as beside a checkout
    checkout.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "data").symlink_to(shared_data, target_is_directory=True)
    monkeypatch.chdir(checkout)
    runner = CliRunner()
    checked = seen = 0
    for args in tour():
        if args[0] == "report" or "--scheduler" in args or args[:2] in (
                ["data", "import"], ["data", "import-panel"]):
            if args[0] != "report":  # the store as the tour builds it
                assert runner.invoke(app, args).exit_code == 0
            continue
        text_args = [a for a in args if a != "--json"]
        wanted: set[str] = set()
        if args[:2] == ["universe", "show"]:
            u = load_universe(args[2])
            wanted = {s.name for s in u.segments} | {a for s in u.segments for a in s.aliases} | {
                p.name for p in u.pairs}
        elif args[0] != "data":
            done = runner.invoke(app, [*text_args, "--json"])
            assert done.exit_code == 0, done.output
            wanted = tokens(json.loads(done.stdout))
        wide = runner.invoke(app, text_args, env={"COLUMNS": WIDE})
        assert wide.exit_code == 0, wide.output
        shown = {t for t in wanted if t in wide.stdout}
        seen += len(shown)
        for width in (80, 60):
            narrow = runner.invoke(app, text_args, env={"COLUMNS": str(width)})
            assert narrow.exit_code == 0, narrow.output
            check(narrow.stdout, width, shown, " ".join(text_args))
        checked += 1
    assert checked >= 14 and seen > 200, (checked, seen)
