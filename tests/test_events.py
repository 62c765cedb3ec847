"""Event study of IWM vs SPY around CPI releases, checked with plain pandas and scipy."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from rotascope.analytics.events import check_events, event_study
from rotascope.errors import InputError
from rotascope.narrative.driver_facts import event_facts
from rotascope.pipeline.refs import load_events

CPI = Path(__file__).resolve().parents[1] / "src" / "rotascope" / "data" / "samples" / "events"


def close(path: Path) -> pd.Series:
    return pd.read_csv(path, index_col="Date", parse_dates=True)["Close"].astype(float)


def test_shipped_cpi_file() -> None:
    frame = pd.read_csv(CPI / "us_cpi_releases.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["date", "label", "surprise"]
    assert (frame["surprise"] == "").all()  # no invented surprises
    dates = pd.to_datetime(frame["date"])
    assert (dates.dt.day_of_week < 5).all() and dates.is_monotonic_increasing
    months = dates.dt.to_period("M")
    want = pd.period_range("2018-01", "2025-09", freq="M")
    # one release a month, Jan 2018 .. Sep 2025, then the delayed September 2025 CPI on Oct 24
    assert list(months[:-1]) == list(want) and dates.iloc[-1] == pd.Timestamp("2025-10-24")
    assert frame["label"].iloc[0] == "CPI for December 2017"
    assert (CPI / "README.md").is_file()
    loaded, noun = load_events("us-cpi")
    assert len(loaded) == len(frame) and noun == "US CPI releases"


@pytest.fixture(scope="module")
def pair(shared_data: Path) -> tuple[pd.Series, pd.Series]:
    return (close(shared_data / "prices" / "IWM.csv").rename("IWM"),
            close(shared_data / "prices" / "SPY.csv").rename("SPY"))


@pytest.mark.realdata
def test_event_study_matches_plain_pandas_and_scipy(pair: tuple[pd.Series, pd.Series]) -> None:
    iwm, spy = pair
    events, _ = load_events("us-cpi")
    # test-only surprise signs (not data): alternate to exercise the grouping
    events["surprise"] = np.where(np.arange(len(events)) % 3 == 0, 0.1, -0.1)
    events.loc[5, "surprise"] = np.nan
    study = event_study(iwm, spy, events)
    j = pd.concat([iwm, spy], axis=1, join="inner").dropna()
    rel = ((1 + j["IWM"].pct_change()) / (1 + j["SPY"].pct_change()) - 1).iloc[1:]
    cars = {}
    for day in events["date"]:
        e = rel.index.searchsorted(day)  # first trading day on or after the release
        est = rel.iloc[e - 260 : e - 10]  # rows e-260 .. e-11
        assert len(est) == 250
        ar = rel.iloc[e - 1 : e + 6] - est.mean()
        cars[day] = ar.sum()
    used = study.used.set_index("date")
    assert len(used) == len(events) == 94
    np.testing.assert_allclose(used["car"], pd.Series(cars)[used.index], rtol=1e-9, atol=1e-13)
    for group, mask in (("all", np.ones(len(events), bool)),
                        ("positive", events["surprise"].to_numpy() > 0),
                        ("negative", events["surprise"].to_numpy() < 0)):
        sample = pd.Series(cars).to_numpy()[mask]
        t = stats.ttest_1samp(sample, 0.0)
        row = study.summary.loc[group]
        assert row["count"] == mask.sum()
        assert row["mean_car"] == pytest.approx(sample.mean(), rel=1e-9)
        assert row["tstat"] == pytest.approx(t.statistic, rel=1e-9)
        assert row["pvalue"] == pytest.approx(t.pvalue, rel=1e-9)
    assert study.summary.loc["none", "count"] == 1
    path = study.path
    assert list(path.index) == list(range(-1, 6))
    assert path["all_car"].iloc[-1] == pytest.approx(study.summary.loc["all", "mean_car"])
    facts = event_facts(study, "the Russell 2000", "the S&P 500", "US CPI releases")
    kinds = {f.details["group"] for f in facts}
    assert kinds == {"all", "positive", "negative"}
    assert "Around the 94 US CPI releases since January 2018" in facts[0].sentence


@pytest.mark.realdata
def test_no_look_ahead_and_reasons(pair: tuple[pd.Series, pd.Series]) -> None:
    iwm, spy = pair
    events, _ = load_events("us-cpi")
    day = "2022-06-14"  # four rows after the 2022-06-10 release: its window is not complete
    study = event_study(iwm, spy, events, as_of=day)
    cut = event_study(iwm.loc[:day], spy.loc[:day], events)
    pd.testing.assert_frame_equal(study.events, cut.events)
    pd.testing.assert_frame_equal(study.summary, cut.summary)
    reasons = study.events.set_index("date")["reason"]
    assert reasons[pd.Timestamp("2022-06-10")].startswith("event window ends after the data")
    assert reasons[pd.Timestamp("2022-07-13")] == "after the data (as_of)"
    assert study.summary.loc["all", "count"] == 53  # Jan 2018 .. May 2022
    late = event_study(iwm.loc["2017-06-01":], spy.loc["2017-06-01":], events)
    first = late.events.iloc[0]
    assert not first["used"] and first["reason"].startswith("estimation window starts")


def test_check_events() -> None:
    good = pd.read_csv(io.StringIO("Date,Label,Surprise\n2024-02-13,CPI,0.1\n2024-01-11,CPI,\n"))
    out = check_events(good)
    assert list(out["date"]) == [pd.Timestamp("2024-01-11"), pd.Timestamp("2024-02-13")]
    assert np.isnan(out["surprise"].iloc[0]) and out["surprise"].iloc[1] == 0.1
    only_dates = check_events(pd.DataFrame({"date": ["2024-01-11"]}))
    assert only_dates["label"].iloc[0] == "" and np.isnan(only_dates["surprise"].iloc[0])
    for frame, message in (
        (pd.DataFrame({"when": ["2024-01-11"]}), "no 'date' column"),
        (pd.DataFrame({"date": ["2024-01-11", "soon"]}), "row 2: unparseable date 'soon'"),
        (pd.DataFrame({"date": ["2024-01-11"], "surprise": ["hot"]}), "surprise 'hot' is not"),
        (pd.DataFrame({"date": ["2024-01-11", "2024-01-11"]}), "duplicated event date"),
    ):
        with pytest.raises(InputError, match=message):
            check_events(frame, origin="ev.csv")
    idx = pd.bdate_range("2020-01-01", periods=50)
    a = pd.Series(np.linspace(1, 2, 50), index=idx, name="a")
    with pytest.raises(InputError, match="estimation window must end before"):
        event_study(a, a, good, estimation=(-20, 0))
    with pytest.raises(InputError, match="window: first"):
        event_study(a, a, good, window=(3, 1))
