"""Factor monitor on the real Fama-French daily factors, checked with plain pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics.factors import (
    PROFILES,
    UnwindRules,
    factor_monitor,
    factor_status,
    factor_table,
    history_cutoff,
)
from rotascope.data.providers.files import read_file
from rotascope.data.providers.sample import SampleProvider
from rotascope.errors import InputError
from rotascope.narrative.factor_facts import factor_facts, factor_legs


def french_daily(path: Path, column: str) -> pd.Series:
    """Plain pandas: a daily Ken French factor in fractions (YYYYMMDD or ISO dates)."""
    lines = path.read_text(encoding="latin-1").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith((",", "Date,")))
    frame = pd.read_csv(path, skiprows=header, index_col=0, skipinitialspace=True,
                        encoding="latin-1", dtype=str).dropna()
    frame = frame[frame.index.str.strip().str.match(r"^\d{4}-?\d{2}-?\d{2}$")]
    frame.index = pd.to_datetime(frame.index.str.strip().str.replace("-", ""), format="%Y%m%d")
    return frame[column].astype(float) / 100


@pytest.fixture(scope="module")
def mom(shared_data: Path) -> pd.Series:
    return read_file(shared_data / "french" / "F-F_Momentum_Factor_daily.csv").data.rename("Mom")


@pytest.fixture(scope="module")
def mom_table(mom: pd.Series) -> pd.DataFrame:
    return factor_table(mom)


@pytest.mark.realdata
def test_table_matches_plain_pandas(shared_data: Path, mom: pd.Series,
                                    mom_table: pd.DataFrame) -> None:
    r = french_daily(shared_data / "french" / "F-F_Momentum_Factor_daily.csv", "Mom")
    np.testing.assert_allclose(mom.to_numpy(), r.to_numpy())
    level = (1 + r).cumprod()
    high = level.rolling(252).max()
    dd = level / high - 1
    np.testing.assert_allclose(mom_table["drawdown"], dd, rtol=1e-9, atol=1e-12)
    # percentiles are ranked on our values: exact ties must not depend on 1-ulp differences
    ours = mom_table["drawdown"]
    pct_dd = (ours.expanding().rank() - 0.5) / ours.expanding().count()
    np.testing.assert_allclose(mom_table["drawdown_percentile"], pct_dd, rtol=1e-12)
    for n in (1, 5, 21):
        ret = level / level.shift(n) - 1
        np.testing.assert_allclose(mom_table[f"ret_{n}"], ret, rtol=1e-9, atol=1e-12)
        ours = mom_table[f"ret_{n}"]
        pct = (ours.expanding().rank() - 0.5) / ours.expanding().count()
        np.testing.assert_allclose(mom_table[f"pct_{n}"], pct, rtol=1e-12)
    # the rules (depth and direction/speed), applied to the independent numbers
    speed = np.fmin(mom_table["pct_5"], mom_table["pct_21"])
    gain = np.fmax(mom_table["pct_5"], mom_table["pct_21"])
    ok = dd.expanding().count() >= 756
    rebound = (gain >= 0.90) & (pct_dd <= 0.50) & (mom_table["pct_5"].fillna(0.5) > 0.10)
    want = np.select(
        [~ok, (pct_dd <= 0.05) & (speed <= 0.01), (pct_dd <= 0.10) & (speed <= 0.05),
         rebound, speed <= 0.10, pct_dd <= 0.25],
        ["insufficient-history", "crash", "unwind", "rebounding", "rolling-over", "drawdown"],
        "normal")
    assert (mom_table["status"].to_numpy() == want).all()
    shares = pd.Series(want[ok.to_numpy()]).value_counts(normalize=True)
    assert shares["normal"] > 0.4 and shares["crash"] < 0.02  # most days are ordinary


@pytest.mark.realdata
def test_known_momentum_unwinds(mom: pd.Series) -> None:
    res = factor_status(mom)
    eps = res.episodes
    spring_2009 = eps[(eps["start"] <= "2009-05-31") & (eps["end"] >= "2009-03-01")]
    assert len(spring_2009) == 1
    ep = spring_2009.iloc[0]
    assert ep["severity"] == "crash" and ep["depth"] < -0.5
    assert pd.Timestamp("2009-03-01") <= ep["worst_speed_date"] <= pd.Timestamp("2009-05-31")
    assert ep["worst_speed"] < -0.3
    assert ((eps["start"] >= "2016-01-01") & (eps["start"] <= "2016-12-31")).any()
    late_2020 = eps[(eps["start"] >= "2020-11-01") & (eps["start"] <= "2020-11-30")]
    assert len(late_2020) == 1 and late_2020.iloc[0]["trough_date"] >= pd.Timestamp("2020-11-09")
    assert not eps["ongoing"].any()  # momentum is at a 12-month high at the end of April 2026


@pytest.mark.realdata
def test_status_and_episode_wording_at_extremes(shared_data: Path, mom: pd.Series) -> None:
    """A new deepest drawdown reads "the deepest", never "deeper than 100%"; an unwind episode
    that has eased to a roll-over (episodes end at the first normal day) is not "under way"."""
    r = french_daily(shared_data / "french" / "F-F_Momentum_Factor_daily.csv", "Mom")
    level = (1 + r).cumprod()
    dd = (level / level.rolling(252).max() - 1).loc[:"2009-09-22"].dropna()
    assert dd.iloc[-1] == dd.min() < -0.6  # independent: 2009-09-22 is the deepest since 1926
    sentences = {f.kind: f.sentence for f in factor_facts(factor_status(mom, "2009-09-22"))}
    assert "62.7% below its 12-month high of November 20, 2008 (the deepest of its drawdowns " \
           "since 1926)" in sentences["factor_status"]
    assert sentences["factor_episode"].startswith("A momentum crash (under way) began on November")
    day = factor_status(mom, "2023-06-09")
    assert day.status == "rolling-over" and bool(day.episodes.iloc[-1]["ongoing"])
    sentences = {f.kind: f.sentence for f in factor_facts(day)}
    assert sentences["factor_episode"].startswith(
        "The latest momentum unwind began on June 7, 2023 and has eased to a roll-over, not yet "
        "normal: the factor fell 18.5%")
    for d in ("2009-03-09", "2009-04-09", "2020-11-13", "2016-03-07"):
        assert "100%" not in factor_facts(factor_status(mom, d))[0].sentence, d


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("day", "status"),
    # issue 9: statuses read depth and direction together. 2024-08-05 (a 21-day fall in the
    # worst 7% from 4% below the high) was "normal" and now rolls over; 2022-01-31 (deep but
    # calm) was "rolling-over" and is now a plain drawdown.
    [("2009-04-09", "crash"), ("2016-03-07", "unwind"), ("2020-11-13", "unwind"),
     ("2024-08-05", "rolling-over"), ("2022-01-31", "drawdown")],
)
def test_classification_and_no_look_ahead(mom: pd.Series, mom_table: pd.DataFrame,
                                          day: str, status: str) -> None:
    res = factor_status(mom, day)
    assert res.status == status
    assert res.status == mom_table.loc[day, "status"]
    assert res.drawdown == pytest.approx(mom_table.loc[day, "drawdown"])
    truncated = factor_status(mom.loc[:day])
    assert truncated.status == res.status and truncated.cutoffs == res.cutoffs
    pd.testing.assert_frame_equal(truncated.episodes, res.episodes)
    pd.testing.assert_frame_equal(truncated.series, mom_table.loc[:day], check_freq=False)
    # thresholds in the factor's own units: the status follows from comparing with them
    dd_hist = mom_table.loc[:day, "drawdown"].to_numpy()
    assert res.cutoffs["drawdown"] == history_cutoff(dd_hist, 0.25)
    assert (res.drawdown <= res.cutoffs["drawdown"]) == (res.drawdown_percentile <= 0.25)
    ret_hist = mom_table.loc[:day, "ret_5"].to_numpy()
    assert res.cutoffs["5d rolling-over"] == history_cutoff(ret_hist, 0.10)


def test_history_cutoff_equals_percentile_rule() -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(-20, 5, 300).astype(float)
    x[::17] = np.nan
    valid = x[~np.isnan(x)]
    for share in (0.01, 0.05, 0.25, 0.5):
        cut = history_cutoff(x, share)
        for v in valid:
            p = ((valid < v).sum() + 0.5 * (valid == v).sum()) / len(valid)
            assert (v <= cut) == (p <= share)
    assert np.isnan(history_cutoff(np.array([1.0, 2.0]), 0.01))


@pytest.mark.realdata
def test_quality_and_size_record_facts(shared_data: Path) -> None:
    path = shared_data / "french" / "F-F_Research_Data_5_Factors_2x3_daily.csv"
    for column, key, day in (("RMW", "quality", "2020-11-13"), ("SMB", "size", "2020-11-13")):
        r = read_file(path, column=column).data.rename(f"ff-{key}")
        plain = french_daily(path, column)
        np.testing.assert_allclose(r.to_numpy(), plain.to_numpy())
        res = factor_status(r, day)
        legs = factor_legs(r.name)
        assert legs.key == key
        facts = factor_facts(res, legs, source="french")
        five = next(f for f in facts if f.kind.startswith("record_") and f.window == "5d")
        level = (1 + plain.loc[:day]).cumprod()
        ret5 = (level / level.shift(5) - 1).dropna()
        v = ret5.iloc[-1]
        earlier = ret5.iloc[:-1]
        hits = earlier[earlier >= v] if v >= 0 else earlier[earlier <= v]
        assert five.value == pytest.approx(v)
        assert five.since == (hits.index[-1] if len(hits) else ret5.index[0])
        winner = legs.long if v >= 0 else legs.short
        assert five.sentence.startswith(winner[0].upper() + winner[1:] + " beat ")
    rmw = read_file(path, column="RMW").data.rename("ff-quality")
    res = factor_status(rmw, "2021-01-08")
    five = next(f for f in factor_facts(res) if f.window == "5d")
    assert five.value < 0 and five.sentence.startswith("Low quality beat high quality by ")


def test_sample_monthly_factors() -> None:
    provider = SampleProvider()
    factors = {s: provider.fetch(s).data for s in ("ff-mom", "ff-smb", "ff-hml")}
    monitor = factor_monitor(factors)
    assert list(monitor.table.index) == ["ff-mom", "ff-smb", "ff-hml"]
    res = monitor.results["ff-mom"]
    assert res.frequency == "monthly" and list(res.returns) == ["1m", "3m", "6m"]
    level = (1 + factors["ff-mom"]).cumprod()
    assert res.drawdown == pytest.approx(level.iloc[-1] / level.iloc[-12:].max() - 1)
    assert set(monitor.episodes["factor"]) <= set(factors)
    assert monitor.drawdowns.shape[1] == 3
    text = factor_facts(res)[0].sentence
    assert "momentum" in text and "12-month high" in text
    early = factor_monitor(factors, as_of="1949-06-30")
    assert early.results["ff-mom"].status == "insufficient-history"
    with pytest.raises(InputError, match=r"^factor 'x' must be a pandas Series of returns \(got list\)$"):
        factor_monitor({**factors, "x": [0.01, 0.02]})  # type: ignore[dict-item]


def test_errors_and_rules() -> None:
    idx = pd.bdate_range("2020-01-01", periods=10)
    with pytest.raises(InputError, match="-100% or worse"):
        factor_status(pd.Series([0.01] * 9 + [-1.0], index=idx, name="x"))
    with pytest.raises(InputError, match="unwind_speed must be a fraction"):
        UnwindRules(unwind_speed=5)
    monitor = factor_monitor({"x": pd.Series([0.01] * 10, index=idx)}, as_of="2019-01-01")
    assert "x" in monitor.skipped and not monitor.results
    assert PROFILES["daily"].label(21) == "21d" and PROFILES["monthly"].label(3) == "3m"
