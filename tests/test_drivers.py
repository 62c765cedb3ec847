"""Rolling driver betas checked against statsmodels OLS on IWM, SPY and the 2-year yield."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from rotascope.analytics.drivers import (
    default_window,
    driver_changes,
    driver_sensitivity,
    nice_step,
    pair_driver_frame,
    rolling_beta,
)
from rotascope.errors import InputError
from rotascope.narrative.driver_facts import driver_fact, step_text


def close(path: Path) -> pd.Series:
    return pd.read_csv(path, index_col="Date", parse_dates=True)["Close"].astype(float)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> dict[str, pd.Series]:
    dgs2 = pd.read_csv(shared_data / "macro" / "DGS2.csv", index_col=0, parse_dates=True)
    return {"IWM": close(shared_data / "prices" / "IWM.csv").rename("IWM"),
            "SPY": close(shared_data / "prices" / "SPY.csv").rename("SPY"),
            "DGS2": pd.to_numeric(dgs2["DGS2"], errors="coerce").dropna().rename("DGS2")}


def plain_frame(real: dict[str, pd.Series]) -> pd.DataFrame:
    """Plain pandas: common dates, simple relative return, yield change in bp."""
    j = pd.concat(real, axis=1, join="inner").dropna()
    rel = (1 + j["IWM"].pct_change()) / (1 + j["SPY"].pct_change()) - 1
    return pd.DataFrame({"rel": rel, "change": j["DGS2"].diff() * 100}).iloc[1:]


@pytest.mark.realdata
@pytest.mark.parametrize("day", ["2025-09-25", "2022-06-30", "2008-10-15", "2013-06-28"])
def test_beta_tstat_r2_match_statsmodels(real: dict[str, pd.Series], day: str) -> None:
    plain = plain_frame(real).loc[:day].iloc[-252:]
    fit = sm.OLS(plain["rel"], sm.add_constant(plain["change"])).fit()
    res = driver_sensitivity(real["IWM"], real["SPY"], real["DGS2"], day, scale=100)
    assert res.date == plain.index[-1] and res.start == plain.index[0] and res.n == 252
    assert res.beta == pytest.approx(fit.params["change"], rel=1e-7)
    assert res.alpha == pytest.approx(fit.params["const"], rel=1e-6, abs=1e-12)
    assert res.tstat == pytest.approx(fit.tvalues["change"], rel=1e-7)
    assert res.se == pytest.approx(fit.bse["change"], rel=1e-7)
    assert res.r2 == pytest.approx(fit.rsquared, rel=1e-7, abs=1e-12)
    assert res.units == "bp" and res.step == 10 and res.effect == pytest.approx(res.beta * 10)
    truncated = driver_sensitivity(real["IWM"].loc[:day], real["SPY"].loc[:day],
                                   real["DGS2"].loc[:day], scale=100)
    assert truncated.beta == res.beta and truncated.tstat == res.tstat
    fact = driver_fact(res, "the Russell 2000", "the S&P 500", "2-year Treasury yield")
    move = "fall" if res.beta < 0 else "rise"
    assert f"for each 10 bp {move} in the 2-year Treasury yield over the past year" in fact.sentence
    assert fact.details["tstat"] == res.tstat
    assert ("not statistically significant" in fact.sentence) == (abs(res.tstat) < 2)


@pytest.mark.realdata
def test_rolling_series_matches_pandas(real: dict[str, pd.Series]) -> None:
    plain = plain_frame(real)
    frame = pair_driver_frame(real["IWM"], real["SPY"], real["DGS2"], "diff", 100)
    pd.testing.assert_frame_equal(frame, plain, check_freq=False, rtol=1e-10)
    reg = rolling_beta(frame["rel"], frame["change"], 252)
    roll = plain.rolling(252)
    beta = roll.cov()["rel"].xs("change", level=1) / plain["change"].rolling(252).var()
    np.testing.assert_allclose(reg["beta"], beta, rtol=1e-7, atol=1e-12)
    corr = plain["rel"].rolling(252).corr(plain["change"])
    np.testing.assert_allclose(reg["r2"], corr**2, rtol=1e-6, atol=1e-12)
    assert reg["beta"].iloc[:251].isna().all() and reg["n"].iloc[-1] == 252


def test_synthetic_beta_and_changes() -> None:
    rng = np.random.default_rng(3)
    idx = pd.bdate_range("2020-01-01", periods=400)
    level = pd.Series(2 + np.cumsum(rng.normal(0, 0.05, 400)), index=idx, name="yield")
    x = level.diff() * 100
    rel = 0.0002 - 0.0004 * x + rng.normal(0, 0.002, 400)
    b = pd.Series(100 * np.cumprod(1 + rng.normal(0, 0.01, 400)), index=idx, name="b")
    a = b * np.cumprod(1 + rel.fillna(0)).rename("a")
    res = driver_sensitivity(a.rename("a"), b, level, scale=100)
    assert res.beta == pytest.approx(-0.0004, rel=0.05) and res.tstat < -10
    pct = driver_changes(level, "pct", 100)
    assert pct.iloc[1] == pytest.approx((level.iloc[1] / level.iloc[0] - 1) * 100)
    log = driver_changes(level, "log")
    assert log.iloc[2] == pytest.approx(np.log(level.iloc[2] / level.iloc[1]))
    with pytest.raises(InputError, match=r"^scale must be a non-zero number \(got True\)$"):
        driver_changes(level, "diff", True)
    assert default_window(idx) == 252
    assert default_window(pd.date_range("2000-01-01", periods=50, freq="MS")) == 36


def test_errors_and_edge_cases() -> None:
    idx = pd.bdate_range("2020-01-01", periods=30)
    a = pd.Series(np.linspace(100, 110, 30), index=idx, name="a")
    b = pd.Series(np.linspace(100, 105, 30), index=idx, name="b")
    flat = pd.Series(2.0, index=idx, name="flat")
    with pytest.raises(InputError, match="the 252-row regression needs 252"):
        driver_sensitivity(a, b, flat)
    res = driver_sensitivity(a, b, flat, window=20)
    assert np.isnan(res.beta)
    assert "cannot be estimated" in driver_fact(res, "A", "B", "flat").sentence
    with pytest.raises(InputError, match="change must be one of"):
        driver_changes(flat, "ratio")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="needs positive levels"):
        driver_changes(flat - 2, "pct")
    with pytest.raises(InputError, match="fewer than 3 dates in common"):
        pair_driver_frame(a, b, flat.shift(40, freq="D"))
    with pytest.raises(InputError, match="min_periods"):
        rolling_beta(a, b, 10, 20)
    assert nice_step(6.3) == 5 and nice_step(0.013) == 0.01 and nice_step(1.9) == 1
    assert step_text(10, "bp") == "10 bp" and step_text(1, "index points") == "1 index point"
