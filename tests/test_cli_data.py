"""`rotascope data ...` and `rotascope universe ...` through the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.store import Store

runner = CliRunner()

PRICE_FILES = sorted(
    (Path(__file__).resolve().parents[2] / "shared" / "data" / "prices").glob("*.csv")
)


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_help_on_every_command() -> None:
    for args in ([], ["data"], ["universe"], ["data", "import"], ["data", "fetch"], ["data", "show"],
                 ["data", "list"], ["data", "drop"], ["facts"], ["analogs"], ["episodes"],
                 ["universe", "show"]):
        code, out = invoke(*args, "--help")
        assert code == 0, (args, out)
        assert "Usage" in out


@pytest.mark.parametrize("path", PRICE_FILES, ids=lambda p: p.name)
def test_import_then_show_prints_the_real_last_values(path: Path, shared_data: Path) -> None:
    frame = pd.read_csv(path)
    value_col = [c for c in frame.columns if c != "Date"]
    col = "Close" if "Close" in value_col else value_col[0]
    last_date, last_value = frame["Date"].iloc[-1], float(frame[col].iloc[-1])
    code, out = invoke("data", "import", str(path), "--name", "x")
    assert code == 0, out
    code, out = invoke("data", "show", "x", "--tail", "1")
    assert code == 0, out
    assert last_date in out
    assert repr(last_value) in out


@pytest.mark.parametrize(
    ("folder", "name", "column"),
    [("macro", "DGS2.csv", None), ("macro", "UNRATE.csv", None),
     ("french", "F-F_Momentum_Factor_daily.csv", "Mom"),
     ("french", "F-F_Research_Data_5_Factors_2x3_daily.csv", "SMB")],
)
def test_import_macro_and_french(shared_data: Path, folder: str, name: str, column: str | None) -> None:
    args = ["data", "import", str(shared_data / folder / name), "--name", "x"]
    if column:
        args += ["--column", column]
    code, out = invoke(*args)
    assert code == 0, out
    code, out = invoke("data", "show", "x", "--tail", "1")
    assert code == 0, out
    if folder == "macro":
        raw = pd.read_csv(shared_data / folder / name).dropna()
        last = pd.Timestamp(raw.iloc[-1, 0])
        if name == "UNRATE.csv":  # a monthly row is stamped on its month's end
            last += pd.offsets.MonthEnd(0)
        assert f"{last:%Y-%m-%d}" in out
        assert repr(float(raw.iloc[-1, 1])) in out
    else:
        assert "2026-04-30" in out


def test_import_states_units(tmp_path: Path) -> None:
    """--units overrides the layout's default and is what `data show` prints."""
    csv = tmp_path / "MORTGAGE15US.csv"
    csv.write_text("observation_date,MORTGAGE15US\n2024-01-04,5.76\n2024-01-11,5.76\n")
    assert invoke("data", "import", str(csv), "--name", "m15")[0] == 0
    assert "units=-" in invoke("data", "show", "m15")[1]  # unknown FRED series: not guessed
    assert invoke("data", "import", str(csv), "--name", "m15", "--units", "percent")[0] == 0
    assert "units=percent" in invoke("data", "show", "m15")[1]


def test_list_and_drop(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("Date,Close\n2024-01-02,10\n2024-01-03,11\n")
    assert invoke("data", "import", str(csv), "--name", "p")[0] == 0
    code, out = invoke("data", "list")
    assert code == 0 and "p" in out and "2024-01-03" in out
    assert invoke("data", "drop", "p")[0] == 0
    code, out = invoke("data", "list")
    assert "empty" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("a,b\n1,2\n", "date"),
        ("Date,Close\n2024-01-02,10\n2024-13-45,11\n", "line 3"),
        ("Date,Close\n2024-01-02,10\n2024-01-03,abc\n", "line 3"),
        ("Date,Close\n2024-01-02,10\n2024-01-02,11\n", "duplicated"),
        ("Date,Close\n2024-01-03,10\n2024-01-02,11\n", "sorted"),
        ("Date,Close\n2024-01-02,10\n2024-01-03,-1\n", "non-positive"),
    ],
)
def test_bad_files_exit_2_with_one_line_and_store_untouched(
    tmp_path: Path, content: str, message: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Date,Close\n2024-01-02,10\n2024-01-03,11\n")
    assert invoke("data", "import", str(good), "--name", "keep")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    result = runner.invoke(app, ["data", "import", str(bad), "--name", "keep"])
    assert result.exit_code == 2
    err = result.stderr if hasattr(result, "stderr") else result.output
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "bad.csv" in lines[0]
    assert message.lower() in lines[0].lower()
    with Store() as store:
        assert store.read("keep").data.tolist() == [10.0, 11.0]


def test_unknown_segment_and_provider_errors() -> None:
    code, out = invoke("data", "fetch", "no-such-segment")
    assert code == 2
    assert "no-such-segment" in out
    code, out = invoke("data", "fetch", "small-caps", "--provider", "bloomberg")
    assert code == 2
    assert "bloomberg" in out


def test_universe_show() -> None:
    code, out = invoke("universe", "show", "us")
    assert code == 0
    assert "small-caps" in out and "Russell 2000" in out and "small-vs-large" in out
