"""The CLI commands and the report's sections call the same pipeline functions, so they agree by
construction: on the real data as of 2025-09-24, ``rotascope valuation/factors/drivers/events
--json`` state the numbers and sentences of the report's sections, to the last digit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.report.jsonout import render_json
from rotascope.report.model import ReportModel

AS_OF = "2025-09-24"
pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def report(real_report: ReportModel) -> dict[str, Any]:
    return json.loads(render_json(real_report))


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_valuation_command_and_section_agree(report: dict[str, Any], shared_data: Path) -> None:
    out = cli("valuation", "file:valuation/ie_data.csv#CAPE", "--data-dir", str(shared_data))
    item = next(r for r in report["tables"]["valuation"] if r["key"] == "cape")
    for key in ("value", "percentile", "decile", "median", "distance_pct", "low", "high",
                "observations", "date", "lookback_start", "source"):
        assert out[key] == item[key], key
    assert [f["sentence"] for f in out["facts"]] == item["sentences"]


def test_factors_command_and_section_agree(report: dict[str, Any], shared_data: Path) -> None:
    out = cli("factors", "--universe", "us", "--data-dir", str(shared_data))
    rows = {r["factor"]: r for r in report["tables"]["factors"]}
    assert {f["factor"] for f in out["factors"]} == set(rows)
    for f in out["factors"]:
        row = rows[f["factor"]]
        assert (f["status"], f["drawdown"], f["drawdown_percentile"], f["date"]) == (
            row["status"], row["drawdown"], row["drawdown_percentile"], row["date"])
        assert f["facts"][0]["sentence"] == row["sentence"]


def test_drivers_command_and_section_agree(report: dict[str, Any], shared_data: Path) -> None:
    out = cli("drivers", "small-caps", "large-caps", "--driver", "file:macro/DGS2.csv",
              "--label", "2-year Treasury yield", "--universe", "us",
              "--data-dir", str(shared_data))
    (row,) = report["tables"]["drivers"]
    for key in ("beta", "tstat", "r2", "n", "effect", "date", "start", "source"):
        assert out[key] == row[key], key
    assert out["fact"]["sentence"] == row["sentence"]


def test_events_command_and_section_agree(report: dict[str, Any], shared_data: Path) -> None:
    out = cli("events", "small-caps", "large-caps", "--events", "us-cpi", "--name",
              "US CPI releases", "--universe", "us", "--data-dir", str(shared_data))
    summary = {r["group"]: r for r in report["tables"]["event_summary"]}
    for r in out["summary"]:
        assert (r["count"], r["mean_car"], r["tstat"]) == (
            summary[r["group"]]["count"], summary[r["group"]]["mean_car"],
            summary[r["group"]]["tstat"])
    (meta,) = report["sections"]["drivers"]["events"]
    assert [f["sentence"] for f in out["facts"]] == meta["sentences"]
    assert out["source"] == meta["source"]
