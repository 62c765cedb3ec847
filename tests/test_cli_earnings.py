"""`rotascope earnings` and `rotascope scorecard`: the CLI shows what the analytics compute."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.earnings import sample_paths

runner = CliRunner()


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_earnings_sample_json_matches_plain_pandas() -> None:
    out = run_json("earnings", "--json", "--all")
    assert out["sample"] is True and "sample" in out["source"]
    paths = sample_paths()
    earn = pd.read_csv(paths["earnings"], parse_dates=["report_date"])
    season = earn[(earn["report_date"] >= "2026-10-01") & (earn["report_date"] <= "2026-11-20")]
    season = season.sort_values("report_date").groupby("ticker").tail(1)
    rows = {r["segment"]: r for r in out["segments"]}
    holdings = pd.read_csv(paths["IWM"], skiprows=9)
    holdings = holdings[holdings["Asset Class"] == "Equity"]
    small = season[season["ticker"].isin(holdings["Ticker"])]
    small = small.dropna(subset=["eps_actual", "eps_estimate"])
    expected = (small["eps_actual"] > small["eps_estimate"]).mean()
    assert np.isclose(rows["small-caps"]["eps_beat_rate"], expected)
    assert any(f["kind"] == "earnings_beat_rate" for f in out["facts"])


def test_earnings_text_labels_sample_and_season_errors() -> None:
    result = runner.invoke(app, ["earnings", "--segments", "small-caps,large-caps"])
    assert result.exit_code == 0, result.output
    assert "SAMPLE DATA" in result.output
    result = runner.invoke(app, ["earnings", "--season", "Q9"])
    assert result.exit_code == 2 and "--season" in result.output


def test_earnings_with_user_files(tmp_path: Path) -> None:
    earn = tmp_path / "e.csv"
    earn.write_text(
        "ticker,report_date,period,eps_actual,eps_estimate,sales_actual,sales_estimate\n"
        "AAA,2026-10-20,2026Q3,1.10,1.00,100,99\n"
        "BBB,2026-10-21,2026Q3,0.90,1.00,100,101\n"
        "CCC,2026-10-22,2026Q3,2.00,1.50,50,49\n"
    )
    memb = tmp_path / "m.csv"
    memb.write_text("segment,ticker,weight\nsmall-caps,AAA,0.5\nsmall-caps,BBB,0.5\n"
                    "large-caps,CCC,1.0\n")
    out = run_json("earnings", "--earnings", str(earn), "--membership", str(memb),
                   "--as-of", "2026-10-31", "--json", "--all")
    rows = {r["segment"]: r for r in out["segments"]}
    assert rows["small-caps"]["eps_beat_rate"] == 0.5
    assert rows["large-caps"]["eps_beat_rate"] == 1.0
    assert out["sample"] is False


def test_earnings_bad_file_is_one_line(tmp_path: Path) -> None:
    earn = tmp_path / "e.csv"
    earn.write_text("ticker,report_date\nAAA,notadate\n")
    memb = tmp_path / "m.csv"
    memb.write_text("segment,ticker,weight\nsmall-caps,AAA,1\n")
    result = runner.invoke(app, ["earnings", "--earnings", str(earn), "--membership", str(memb)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "e.csv" in lines[0]


def test_scorecard_sample_and_missing_pillar() -> None:
    out = run_json("scorecard", "--json", "--all")
    table = {r["segment"]: r for r in out["table"]}
    ranks = sorted(r["rank"] for r in table.values())
    assert ranks == list(range(1, len(ranks) + 1))
    assert table["tech"]["pillars_used"] == 3 and table["tech"]["leverage"] is None
    composite = [table[s]["composite"] for s in sorted(table, key=lambda s: table[s]["rank"])]
    assert composite == sorted(composite, reverse=True)
    result = runner.invoke(app, ["scorecard"])
    assert result.exit_code == 0 and "n/a" in result.output and "SAMPLE DATA" in result.output


def test_scorecard_user_file_is_dated_by_its_latest_row(tmp_path: Path) -> None:
    from rotascope.data.earnings import sample_paths

    path = tmp_path / "f.csv"
    path.write_text(sample_paths()["fundamentals"].read_text())
    out = run_json("scorecard", "--fundamentals", str(path), "--json", "--all")
    latest = pd.read_csv(path)["date"].max()
    assert out["as_of"] == latest
    assert out["facts"] and all(f["as_of"] == latest for f in out["facts"])
