"""The scorecard, its inputs and its facts against independent numpy/pandas computations."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics.scorecard import (
    DEFAULT_PILLARS,
    QUADRANT_SCORES,
    Scorecard,
    aggregate_constituents,
    earnings_growth_volatility,
    inputs_from_long,
    rrg_inputs,
    scorecard,
    scorecard_settings,
    technical_inputs,
)
from rotascope.data.earnings import EarningsSample, load_sample, sample_paths
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.scorecard_facts import describe_pillar, scorecard_facts

PILLARS = {
    "valuation": {"forward_pe": -1, "forward_pe_percentile_20y": -1},
    "technicals": {"price_vs_200d": 1, "momentum_3m": 1, "momentum_6m": 1, "rrg_quadrant": 1},
    "leverage": {"net_debt_to_ebitda": -1, "debt_to_equity": -1},
    "earnings_stability": {"earnings_growth_vol": -1, "share_positive_earnings": 1},
}


@pytest.fixture(scope="module")
def sample() -> EarningsSample:
    return load_sample()


@pytest.fixture(scope="module")
def sample_inputs() -> pd.DataFrame:
    """The sample's latest value of every metric, read with plain pandas."""
    frames = [pd.read_csv(sample_paths()[k], parse_dates=["date"]) for k in ("fundamentals", "technicals")]
    raw = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    raw = raw[raw["date"] <= "2026-11-20"]
    latest = raw.loc[raw.groupby(["segment", "metric"])["date"].idxmax()]
    return latest.pivot_table(index="segment", columns="metric", values="value")


def reference(inputs: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Plain numpy: signed z-scores (ddof=1), nan-means per pillar, weighted composite."""
    weights = weights or {}
    out = pd.DataFrame(index=inputs.index)
    for pillar, metrics in PILLARS.items():
        zs = []
        for metric, sign in metrics.items():
            x = inputs[metric].to_numpy(dtype=float) if metric in inputs else np.full(len(inputs), np.nan)
            ok = ~np.isnan(x)
            z = np.full(len(x), np.nan)
            if ok.sum() >= 2 and np.std(x[ok], ddof=1) > 0:
                z[ok] = sign * (x[ok] - x[ok].mean()) / np.std(x[ok], ddof=1)
            out[f"{metric}_z"] = z
            zs.append(z)
        stacked = np.vstack(zs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mean of an all-NaN column
            out[pillar] = np.nanmean(stacked, axis=0)
    num = np.zeros(len(inputs))
    den = np.zeros(len(inputs))
    used = np.zeros(len(inputs), dtype=int)
    for pillar in PILLARS:
        a = weights.get(pillar, 1.0)
        s = out[pillar].to_numpy()
        has = ~np.isnan(s) & (a > 0)
        num[has] += a * s[has]
        den[has] += a
        used += has
    out["pillars_used"] = used
    out["composite"] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out


def test_sample_scorecard_matches_numpy(sample: EarningsSample, sample_inputs: pd.DataFrame) -> None:
    inputs = inputs_from_long(pd.concat([sample.fundamentals, sample.technicals]), as_of=sample.as_of)
    pd.testing.assert_frame_equal(
        inputs.sort_index().sort_index(axis=1), sample_inputs.sort_index(axis=1),
        check_names=False,
    )  # fmt: skip
    card = scorecard(inputs)
    expected = reference(inputs)
    got = card.table.loc[expected.index]
    for col in expected.columns:
        np.testing.assert_allclose(got[col].to_numpy(dtype=float), expected[col].to_numpy(dtype=float),
                                   rtol=1e-12, atol=1e-12, err_msg=col)  # fmt: skip
    order = expected["composite"].sort_values(ascending=False).index
    assert card.ranking == list(order)
    assert list(card.table["rank"]) == list(range(1, 8))
    assert card.ranking[0] == "midcap-growth" and card.ranking[-1] == "small-caps"
    ranks = card.pillar_ranks()
    assert ranks.loc["midcap-growth", "valuation"] == 1 and ranks.loc["midcap-growth", "leverage"] == 1


def test_missing_inputs_are_never_zero(sample: EarningsSample) -> None:
    inputs = inputs_from_long(pd.concat([sample.fundamentals, sample.technicals]), as_of=sample.as_of)
    card = scorecard(inputs)
    tech = card.table.loc["tech"]
    assert math.isnan(tech["net_debt_to_ebitda_z"]) and math.isnan(tech["leverage"])
    assert card.missing.loc["tech", "net_debt_to_ebitda"]
    assert card.missing["debt_to_equity"].all()  # not in the sample at all
    assert card.table["debt_to_equity_z"].isna().all()
    assert tech["pillars_used"] == 3
    others = card.pillar_scores.loc["tech", ["valuation", "technicals", "earnings_stability"]]
    assert tech["composite"] == pytest.approx(others.mean())
    # a zero in place of the missing leverage would give another composite
    assert tech["composite"] != pytest.approx(card.pillar_scores.loc["tech"].fillna(0).mean())


def test_weights_and_settings(sample: EarningsSample) -> None:
    inputs = inputs_from_long(pd.concat([sample.fundamentals, sample.technicals]), as_of=sample.as_of)
    weights = {"valuation": 2.0, "leverage": 0.5, "technicals": 0.0}
    card = scorecard(inputs, weights=weights)
    expected = reference(inputs, weights)
    np.testing.assert_allclose(card.table.loc[expected.index, "composite"], expected["composite"],
                               rtol=1e-12)  # fmt: skip
    assert dict(card.weights) == {"valuation": 2.0, "technicals": 0.0, "leverage": 0.5,
                                  "earnings_stability": 1.0}  # fmt: skip
    settings = scorecard_settings(
        {"weights": {"valuation": 2}, "pillars": {"leverage": {"debt_to_equity": -1}}},
        origin="u.toml",
    )
    assert dict(settings.pillars["leverage"]) == {"debt_to_equity": -1}
    assert settings.weights["valuation"] == 2.0 and settings.weights["technicals"] == 1.0
    assert scorecard_settings(None).pillars == DEFAULT_PILLARS
    bad = [
        ({"weights": {"momentum": 1}}, r"u.toml: weights: unknown pillar 'momentum'"),
        ({"weights": {"valuation": -1}}, r"u.toml: weights: 'valuation' must be a number >= 0"),
        ({"pillars": {"quality": {"roe": 2}}}, r"u.toml: pillar 'quality': direction of 'roe' must be \+1"),
        ({"colour": "red"}, r"u.toml: unknown key\(s\) colour"),
        ({"weights": {p: 0 for p in DEFAULT_PILLARS}}, r"at least one pillar needs a positive weight"),
    ]  # fmt: skip
    for table, message in bad:
        with pytest.raises(InputError, match=message):
            scorecard_settings(table, origin="u.toml")


def test_degenerate_inputs() -> None:
    inputs = pd.DataFrame(
        {"forward_pe": [15.0, 15.0, 15.0], "net_debt_to_ebitda": [1.0, np.nan, np.nan],
         "momentum_3m": [0.1, 0.2, np.nan], "other": [1, 2, 3]},
        index=["a", "b", "c"],
    )  # fmt: skip
    card = scorecard(inputs)
    assert card.table["forward_pe_z"].isna().all()  # no dispersion: no z-scores
    assert card.table["net_debt_to_ebitda_z"].isna().all()  # one value: no z-scores
    assert card.table.loc["b", "momentum_3m_z"] > 0 > card.table.loc["a", "momentum_3m_z"]
    assert card.ranking == ["b", "a"]
    assert math.isnan(card.table.loc["c", "rank"]) and card.table.loc["c", "pillars_used"] == 0
    assert card.unused == ("other",)
    with pytest.raises(InputError, match="segment 'a' appears twice"):
        scorecard(pd.DataFrame({"forward_pe": [1.0, 2.0]}, index=["a", "a"]))
    with pytest.raises(InputError, match=r"direction of 'x' must be \+1"):
        scorecard(inputs, pillars={"p": {"x": 0}})
    with pytest.raises(InputError, match="a metric value is not a number"):
        scorecard(pd.DataFrame({"forward_pe": ["cheap", "dear"]}, index=["a", "b"]))


def test_inputs_from_long_picks_latest_on_or_before(sample: EarningsSample) -> None:
    august = inputs_from_long(sample.fundamentals, as_of="2026-09-01")
    raw = pd.read_csv(sample_paths()["fundamentals"], parse_dates=["date"])
    want = raw[(raw["segment"] == "small-caps") & (raw["metric"] == "forward_pe")
               & (raw["date"] == "2026-08-20")]["value"].iloc[0]  # fmt: skip
    assert august.loc["small-caps", "forward_pe"] == want
    assert august.columns.tolist() == ["forward_pe", "forward_pe_percentile_20y"]


def test_technical_inputs_match_pandas() -> None:
    days = pd.bdate_range("2025-01-01", "2026-11-20")
    rng = np.random.default_rng(7)
    a = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))), index=days)
    b = a.iloc[-100:] * 1.5  # too short for a 200-day average and a 6-month lookback
    got = technical_inputs({"a": a, "b": b}, as_of="2026-11-18")
    upto = a.loc[:"2026-11-18"]
    end = upto.index[-1]
    expected_200 = upto.iloc[-1] / upto.rolling(200).mean().iloc[-1] - 1
    three = upto.asof(end - pd.DateOffset(months=3))
    six = upto.asof(end - pd.DateOffset(months=6))
    assert got.loc["a", "price_vs_200d"] == pytest.approx(expected_200, rel=1e-12)
    assert got.loc["a", "momentum_3m"] == pytest.approx(upto.iloc[-1] / three - 1, rel=1e-12)
    assert got.loc["a", "momentum_6m"] == pytest.approx(upto.iloc[-1] / six - 1, rel=1e-12)
    assert math.isnan(got.loc["b", "price_vs_200d"]) and math.isnan(got.loc["b", "momentum_6m"])
    assert not math.isnan(got.loc["b", "momentum_3m"])


def test_rrg_inputs() -> None:
    table = pd.DataFrame({"segment": ["a", "b", "c", "d", "e"],
                          "quadrant": ["leading", "weakening", "lagging", "improving", "n/a"]})  # fmt: skip
    got = rrg_inputs(table)
    assert got["rrg_quadrant"].tolist()[:4] == [2.0, -1.0, -2.0, 1.0]
    assert math.isnan(got.loc["e", "rrg_quadrant"])
    assert dict(QUADRANT_SCORES) == {"leading": 2.0, "improving": 1.0, "weakening": -1.0,
                                     "lagging": -2.0}  # fmt: skip


def test_aggregate_constituents() -> None:
    values = pd.DataFrame({"net_debt_to_ebitda": [0.5, 2.0, 4.0, np.nan], "eps": [1.0, -0.2, 0.3, np.nan]},
                          index=["A", "B", "C", "D"])  # fmt: skip
    membership = pd.DataFrame({"segment": ["s", "s", "s", "s", "t"], "ticker": ["A", "B", "C", "D", "A"],
                               "weight": [0.2, 0.2, 0.5, 0.1, 1.0]})  # fmt: skip
    got = aggregate_constituents(values, membership, medians=("net_debt_to_ebitda",),
                                 positive_share={"share_positive_earnings": "eps"})  # fmt: skip
    # s: sorted 0.5 (0.2), 2.0 (0.2), 4.0 (0.5) -> cumulative shares 2/9, 4/9, 1 -> 4.0
    assert got.loc["s", "net_debt_to_ebitda"] == 4.0
    assert got.loc["s", "share_positive_earnings"] == pytest.approx(2 / 3)
    assert got.loc["t"].tolist() == [0.5, 1.0]
    with pytest.raises(InputError, match=r"^membership must be a pandas DataFrame \(got list\)$"):
        aggregate_constituents(values, [("s", "A", 1.0)], medians=("net_debt_to_ebitda",))  # type: ignore[arg-type]


def test_scorecard_facts(sample: EarningsSample) -> None:
    inputs = inputs_from_long(pd.concat([sample.fundamentals, sample.technicals]), as_of=sample.as_of)
    card = scorecard(inputs)
    assert isinstance(card, Scorecard)
    facts = scorecard_facts(card, as_of=sample.as_of, source=sample.source("fundamentals"))
    assert [f.subject for f in facts] == card.ranking and [f.rank for f in facts] == list(range(1, 8))
    assert facts[0].sentence == (
        "Midcap growth ranks first on risk/reward: cheapest valuation, positive technicals, "
        "lowest leverage, above-average earnings stability."
    )
    assert facts[-1].sentence == (
        "Small caps rank last of 7 on risk/reward: richer-than-average valuation, weakest "
        "technicals, highest leverage, least stable earnings."
    )
    tech = next(f for f in facts if f.subject == "tech")
    assert "leverage n/a" in tech.sentence and "ranked on 3 of 4 pillars: no leverage data" in tech.sentence
    assert tech.details["pillars"]["leverage"] != tech.details["pillars"]["leverage"]  # NaN
    assert tech.to_dict()["details"]["pillars"]["leverage"] is None
    assert "net_debt_to_ebitda" in tech.details["missing_inputs"]
    assert facts[0].value == pytest.approx(card.table["composite"].iloc[0])
    names = {s.name: s.display for s in load_universe("us").segments}
    named = scorecard_facts(card, as_of=sample.as_of, names=names)
    assert named[0].sentence.startswith("The S&P 400 Growth ranks first on risk/reward")
    assert describe_pillar(card, "tech", "technicals") == "strongest technicals"


def test_earnings_growth_volatility() -> None:
    eps = pd.Series([1.0, 1.1, 1.2, 1.3, 1.1, 1.3, 1.2, -0.1, 1.4, 1.2, 1.5, 1.6])  # -0.1: a loss
    growth = [eps[t] / eps[t - 4] - 1 for t in range(4, len(eps)) if eps[t - 4] > 0]
    assert earnings_growth_volatility(eps) == pytest.approx(np.std(growth, ddof=1), rel=1e-12)
    assert math.isnan(earnings_growth_volatility(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])))
