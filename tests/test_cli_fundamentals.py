"""`rotascope valuation`, `factors`, `drivers` and `events` on the sample and on real data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import typer
from typer.testing import CliRunner

from rotascope.analytics.factors import STATUSES
from rotascope.cli.commands import drivers, events, factors, valuation
from rotascope.cli.main import app as main_app
from rotascope.data.providers.sample import SampleProvider

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()
    for command in (valuation, factors, drivers, events):
        command.register(app)

    @app.callback()
    def _root() -> None:
        """Test root."""

    return app


APP = make_app()


def run(*args: str) -> str:
    result = runner.invoke(APP, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def fails(*args: str) -> str:
    result = runner.invoke(APP, list(args))
    assert result.exit_code == 2, result.output
    return result.output


def percentile_of_last(x: pd.Series, rows: int) -> float:
    look = x.iloc[-rows:]
    v = x.iloc[-1]
    return float(((look < v).sum() + 0.5 * (look == v).sum()) / len(look))


# --- the embedded sample -------------------------------------------------------------------


def test_sample_valuation_credit_spread() -> None:
    out = run_json("valuation", "sample:baa", "sample:aaa", "--universe", "sample")
    baa = SampleProvider().fetch("baa").data
    aaa = SampleProvider().fetch("aaa").data
    ratio = (baa / aaa).dropna()
    assert out["percentile"] == pytest.approx(percentile_of_last(ratio, 240))
    assert out["value"] == pytest.approx(ratio.iloc[-1]) and out["observations"] == 240
    assert out["metric"] == "yield" and out["cheap_when"] == "high"
    assert out["facts"][0]["kind"] == "valuation_percentile"
    spread = run_json("valuation", "sample:baa", "sample:aaa", "--how", "spread",
                      "--universe", "sample", "--lookback", "10y")
    assert spread["value"] == pytest.approx(baa.iloc[-1] - aaa.iloc[-1])
    assert spread["observations"] == 120
    text = run("valuation", "sample:baa", "--universe", "sample", "--as-of", "2008-12-31")
    assert "baa" in text and "percentile" in text


def test_sample_factors() -> None:
    out = run_json("factors", "--universe", "sample")
    names = [f["factor"] for f in out["factors"]]
    assert names == ["ff-size", "ff-value", "ff-momentum"]
    mom = out["factors"][2]
    assert mom["status"] in STATUSES and mom["frequency"] == "monthly"
    r = SampleProvider().fetch("ff-mom").data
    level = (1 + r).cumprod()
    assert mom["drawdown"] == pytest.approx(level.iloc[-1] / level.iloc[-12:].max() - 1)
    assert mom["returns"]["3m"] == pytest.approx(level.iloc[-1] / level.iloc[-4] - 1)
    assert isinstance(mom["episodes"], list) and mom["episodes"]
    assert {"start", "trough_date", "depth", "severity"} <= set(mom["episodes"][0])
    assert mom["facts"][0]["kind"] == "factor_status"
    text = run("factors", "--universe", "sample", "--as-of", "2009-06-30")
    assert "momentum factor: unwinds" in text and "Factor monitor as of 2009-06-30" in text


def test_sample_drivers_and_events() -> None:
    out = run_json("drivers", "tech", "large-caps", "--driver", "sample:vix",
                   "--universe", "sample")
    provider = SampleProvider()
    j = pd.concat([provider.fetch("nasdaq").data, provider.fetch("sp500").data,
                   provider.fetch("vix").data], axis=1, join="inner").dropna()
    j.columns = ["a", "b", "d"]
    rel = (1 + j["a"].pct_change()) / (1 + j["b"].pct_change()) - 1
    frame = pd.DataFrame({"y": rel, "x": j["d"].diff()}).iloc[1:].iloc[-252:]
    fit = sm.OLS(frame["y"], sm.add_constant(frame["x"])).fit()
    assert out["beta"] == pytest.approx(fit.params["x"], rel=1e-7)
    assert out["tstat"] == pytest.approx(fit.tvalues["x"], rel=1e-7)
    assert out["r2"] == pytest.approx(fit.rsquared, rel=1e-6)
    assert out["units"] == "index points" and out["driver_display"] == "VIX"
    assert "VIX" in run("drivers", "tech", "large-caps", "-d", "sample:vix", "-u", "sample")
    ev = run_json("events", "tech", "large-caps", "--universe", "sample")
    summary = {row["group"]: row for row in ev["summary"]}
    assert summary["all"]["count"] == 12  # the 2018 CPI releases inside the sample
    assert len(ev["path"]) == 7
    text = run("events", "tech", "large-caps", "--universe", "sample", "--window=-1:3")
    assert "days -1 to +3" in text


def test_errors_are_one_line() -> None:
    out = fails("valuation", "no-such-series", "--universe", "sample")
    assert out.startswith("rotascope: error:") and out.count("\n") == 1
    assert "--how must be one of" in fails("valuation", "sample:baa", "sample:aaa", "--how",
                                           "diff", "-u", "sample")
    assert "--window must look like -1:5" in fails("events", "tech", "large-caps", "-u",
                                                    "sample", "--window", "x")
    assert "no such events file" in fails("events", "tech", "large-caps", "-u", "sample",
                                          "--events", "nope.csv")
    assert "--change must be one of" in fails("drivers", "tech", "large-caps", "-d",
                                              "sample:vix", "-u", "sample", "--change", "x")
    assert "price or return series" in fails("drivers", "sample:baa", "large-caps", "-d",
                                             "sample:vix", "-u", "sample")


# --- real data -----------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_factors_spring_2009(shared_data: Path) -> None:
    out = run_json("factors", "--data-dir", str(shared_data), "--as-of", "2009-04-09")
    by_name = {f["factor"]: f for f in out["factors"]}
    assert set(by_name) == {"ff-market", "ff-size", "ff-value", "ff-quality", "ff-investment",
                            "ff-momentum"}
    mom = by_name["ff-momentum"]
    assert mom["status"] == "crash" and mom["date"] == "2009-04-09"
    raw = pd.read_csv(shared_data / "french" / "F-F_Momentum_Factor_daily.csv", skiprows=12,
                      index_col=0, skipinitialspace=True, dtype=str).dropna()
    raw = raw[raw.index.str.strip().str.isdigit()]
    r = pd.Series(raw["Mom"].astype(float).to_numpy() / 100,
                  index=pd.to_datetime(raw.index.str.strip(), format="%Y%m%d")).loc[:"2009-04-09"]
    level = (1 + r).cumprod()
    assert mom["drawdown"] == pytest.approx(level.iloc[-1] / level.iloc[-252:].max() - 1)
    assert mom["returns"]["21d"] == pytest.approx(level.iloc[-1] / level.iloc[-22] - 1)
    ongoing = [e for e in mom["episodes"] if e["ongoing"]]
    assert len(ongoing) == 1 and ongoing[0]["start"] == "2008-11-28"
    text = run("factors", "ff-momentum", "--data-dir", str(shared_data))
    assert "momentum factor: unwinds" in text and "2009-" in text


@pytest.mark.realdata
def test_real_valuation_size_spread_and_cape(shared_data: Path) -> None:
    small = "file:french/6_Portfolios_2x3.CSV#SMALL@BE/ME"
    big = "file:french/6_Portfolios_2x3.CSV#BIG@BE/ME"
    out = run_json("valuation", small, big, "--data-dir", str(shared_data))
    assert out["metric"] == "yield" and out["metric_label"] == "aggregate BE/ME"  # issue 9
    assert out["date"] == "2024-12-31" and out["observations"] == 240
    assert "small caps" in out["facts"][0]["sentence"]
    assert "large caps" in out["facts"][0]["sentence"]
    code = runner.invoke(main_app, ["data", "import", str(shared_data / "valuation" /
                                                          "ie_data.csv"),
                                    "--name", "cape", "--column", "CAPE"]).exit_code
    assert code == 0
    cape = run_json("valuation", "cape", "--as-of", "2025-06-30")
    assert cape["metric"] == "multiple" and cape["metric_label"] == "CAPE"
    assert cape["date"] == "2025-06-30"  # June's average, known at the month's end
    ie = pd.read_csv(shared_data / "valuation" / "ie_data.csv", sep=";", dtype=str)
    values = pd.to_numeric(ie["CAPE"], errors="coerce")
    upto = values[: ie.index[ie["Date"] == "2025.06"][0] + 1].dropna()
    assert cape["percentile"] == pytest.approx(percentile_of_last(upto, 240))


@pytest.mark.realdata
def test_real_drivers_and_events(shared_data: Path, tmp_path: Path) -> None:
    out = run_json("drivers", "small-caps", "large-caps", "--driver", "file:macro/DGS2.csv",
                   "--data-dir", str(shared_data), "--as-of", "2022-06-30")
    iwm = pd.read_csv(shared_data / "prices" / "IWM.csv", index_col=0, parse_dates=True)["Close"]
    spy = pd.read_csv(shared_data / "prices" / "SPY.csv", index_col=0, parse_dates=True)["Close"]
    dgs2 = pd.to_numeric(pd.read_csv(shared_data / "macro" / "DGS2.csv", index_col=0,
                                     parse_dates=True)["DGS2"], errors="coerce")
    j = pd.concat([iwm, spy, dgs2], axis=1, join="inner").dropna().loc[:"2022-06-30"]
    j.columns = ["a", "b", "d"]
    y = (1 + j["a"].pct_change()) / (1 + j["b"].pct_change()) - 1
    frame = pd.DataFrame({"y": y, "x": j["d"].diff() * 100}).iloc[1:].iloc[-252:]
    fit = sm.OLS(frame["y"], sm.add_constant(frame["x"])).fit()
    assert out["units"] == "bp" and out["step"] == 10
    assert out["beta"] == pytest.approx(fit.params["x"], rel=1e-7)
    assert out["tstat"] == pytest.approx(fit.tvalues["x"], rel=1e-7)
    assert "2-year Treasury yield" in out["fact"]["sentence"]
    events = tmp_path / "fomc.csv"
    events.write_text("date,label,surprise\n2022-03-16,FOMC,0.25\n2022-05-04,FOMC,0.5\n"
                      "2022-06-15,FOMC,0.75\n2022-07-27,FOMC,-0.1\n2022-09-21,FOMC,\n")
    ev = run_json("events", "small-caps", "large-caps", "--events", str(events),
                  "--data-dir", str(shared_data), "--name", "FOMC decisions")
    summary = {row["group"]: row for row in ev["summary"]}
    assert summary["all"]["count"] == 5 and summary["positive"]["count"] == 3
    assert summary["negative"]["count"] == 1 and summary["none"]["count"] == 1
    assert any("FOMC decisions" in f["sentence"] for f in ev["facts"])
    cpi = run_json("events", "small-caps", "large-caps", "--data-dir", str(shared_data))
    assert {row["group"]: row for row in cpi["summary"]}["all"]["count"] == 94
    assert np.isfinite(cpi["summary"][0]["tstat"])
