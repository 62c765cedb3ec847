"""`rotascope breadth` and the report's Breadth section (CLI runner, real data where needed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.universe import load_universe, parse_universe
from rotascope.errors import InputError

runner = CliRunner()

KEYS = ["segment", "members", "with_data", "above_ma", "new_highs", "new_lows", "advancers",
        "decliners", "record_moves", "leaders", "laggards", "facts"]


def _synthetic(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(7)
    dates = pd.bdate_range("2020-01-01", periods=700, name="Date")
    x = np.exp(np.cumsum(rng.standard_normal((700, 12)) * 0.02, axis=0)) * 20
    frame = pd.DataFrame(x.astype(np.float32), index=dates, columns=[f"T{i}" for i in range(12)])
    frame.to_parquet(tmp_path / "p.parquet")
    (tmp_path / "m.csv").write_text("segment,ticker\n" + "".join(f"s,T{i}\n" for i in range(12))
                                    + "s,NOPE\n")
    return tmp_path / "p.parquet", tmp_path / "m.csv"


def test_breadth_json_shape_on_synthetic_panel(tmp_path: Path) -> None:
    prices, members = _synthetic(tmp_path)
    res = runner.invoke(app, ["breadth", "--prices", str(prices), "--members", str(members),
                              "--as-of", "2022-06-30", "--json", "--all"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["as_of"] == "2022-06-30"
    (seg,) = doc["segments"]
    assert list(seg)[: len(KEYS)] == KEYS
    assert seg["members"] == 13 and seg["with_data"] == 12
    assert set(seg["above_ma"]) == {"20", "50", "200"}
    assert set(seg["record_moves"]) == {"1d", "5d", "21d"}
    assert set(seg["record_moves"]["5d"]) == {"gains", "drops"}
    assert seg["without_prices"] == {"count": 1, "tickers": ["NOPE"]}
    assert len(seg["leaders"]["5d"]) == 10 and len(seg["laggards"]["1d"]) == 10
    assert seg["advancers"] + seg["decliners"] + seg["unchanged"] == 12
    assert seg["facts"] and all(f["subject"] == "s" for f in seg["facts"])


def test_breadth_table_output(tmp_path: Path) -> None:
    prices, members = _synthetic(tmp_path)
    res = runner.invoke(app, ["breadth", "--prices", str(prices), "--members", str(members)])
    assert res.exit_code == 0, res.output
    assert "Above 200-day average" in res.stdout
    assert "Biggest 5d gain / drop in >= 1 year" in res.stdout
    assert "1 members without price history: NOPE" in res.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--prices", "p.parquet"], "needs both --prices"),
    (["--prices", "missing.parquet", "--members", "m.csv"], "no such panel"),
    ([], "breadth needs --prices and --members"),
    (["--prices", "p.parquet", "--members", "m.csv", "--scheduler", "local:0"],
     "--scheduler must be"),
    (["--prices", "p.parquet", "--members", "m.csv", "--as-of", "1999-01-04"],
     "no panel rows on or before 1999-01-04"),
])
def test_breadth_errors_are_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            args: list[str], message: str) -> None:
    _synthetic(tmp_path)
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["breadth", *args])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("rotascope: error:") and message in lines[0]


def test_universe_breadth_table() -> None:
    base = {"name": "x", "segments": [{"name": "a", "series": {"files": "a.csv"}}]}
    u = parse_universe({**base, "breadth": {"prices": "p.parquet", "segments": [
        {"segment": "a", "members": "IWM.csv"}]}}, origin="x.toml")
    assert u.breadth is not None and u.breadth.segments[0].members == "IWM.csv"
    for bad, msg in (({"prices": "p"}, "at least one"), ({"segments": []}, "'prices'"),
                     ({"prices": "p", "segments": [{"segment": "a"}]}, "'members'")):
        with pytest.raises(InputError, match=msg):
            parse_universe({**base, "breadth": bad}, origin="x.toml")
    assert load_universe("us").breadth is None  # the built-in universe needs no panel


@pytest.mark.realdata
def test_real_breadth_command_and_report(shared_data: Path, tmp_path: Path) -> None:
    """The issue's command: Russell 2000 on 2024-07-16; the report's Breadth section agrees."""
    panel = shared_data / "universe" / "us_stocks.parquet"
    iwm = shared_data / "universe" / "IWM_holdings_2026-05-05.csv"
    res = runner.invoke(app, ["breadth", "--prices", str(panel), "--members", str(iwm),
                              "--as-of", "2024-07-16", "--json"])
    assert res.exit_code == 0, res.output
    assert "DEC: 732 dates with a zero or negative close" in res.stderr
    seg = json.loads(res.stdout)["segments"][0]
    gains = seg["record_moves"]["5d"]["gains"]
    assert any(f"({gains:,} of" in f["sentence"] and "biggest five-day gain" in f["sentence"]
               for f in seg["facts"])
    universe = tmp_path / "u.toml"
    universe.write_text(
        'name = "u"\nbenchmark = "large-caps"\n'
        '[[segments]]\nname = "small-caps"\ndisplay = "Russell 2000"\n'
        'series = { files = "prices/IWM.csv" }\n'
        '[[segments]]\nname = "large-caps"\ndisplay = "S&P 500"\n'
        'series = { files = "prices/SPY.csv" }\n'
        '[[pairs]]\nname = "small-vs-large"\na = "small-caps"\nb = "large-caps"\n'
        '[report.earnings]\nshow = false\n[report.scorecard]\nshow = false\n'
        '[breadth]\nprices = "universe/us_stocks.parquet"\n'
        '[[breadth.segments]]\nsegment = "IWM"\nmembers = "universe/IWM_holdings_2026-05-05.csv"\n')
    out = {}
    for fmt in ("html", "json", "md"):
        out[fmt] = tmp_path / f"r.{fmt}"
        res = runner.invoke(app, ["report", "--universe", str(universe), "--data-dir",
                                  str(shared_data), "--as-of", "2024-07-16", "--format", fmt,
                                  "--out", str(out[fmt])])
        assert res.exit_code == 0, res.output
    html = out["html"].read_text()
    assert '<section id="breadth"' in html and 'href="#breadth"' in html
    assert 'id="breadth-IWM"' in html and 'id="breadth-IWM-chart"' in html
    doc = json.loads(out["json"].read_text())
    assert doc["breadth"]["segments"][0]["record_moves"] == seg["record_moves"]
    assert doc["breadth"]["segments"][0]["above_ma"] == seg["above_ma"]
    assert any(m["term"] == "Breadth" for m in doc["methods"])
    assert "## Breadth" in out["md"].read_text()


def test_import_panel_round_trip(tmp_path: Path, rotascope_home: Path) -> None:
    prices, members = _synthetic(tmp_path)
    res = runner.invoke(app, ["data", "import-panel", str(prices), "--name", "syn"])
    assert res.exit_code == 0, res.output
    assert "Stored panel 'syn': 12 tickers, 700 dates, 8,400 closes" in res.stdout
    assert (rotascope_home / "panels.duckdb").is_file()
    docs = []
    for source in (str(prices), "store:syn"):
        res = runner.invoke(app, ["breadth", "--prices", source, "--members", str(members),
                                  "--as-of", "2021-12-31", "--json", "--all"])
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        doc.pop("source")
        for seg in doc["segments"]:
            for f in seg["facts"]:
                f.pop("source")
        docs.append(doc)
    assert docs[0] == docs[1]
    res = runner.invoke(app, ["breadth", "--prices", "store:other", "--members", str(members)])
    assert res.exit_code == 2 and "no stored panel 'other'" in res.stderr and "(stored: syn)" in res.stderr
