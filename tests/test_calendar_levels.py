"""Calendar periods and record closes (issue 11) against plain pandas on the real S&P 500 file,
with the published statements they reproduce."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rotascope.analytics.levels import level_status
from rotascope.analytics.periods import period_record
from rotascope.data.providers.files import read_file
from rotascope.narrative.calendar_facts import level_facts, period_facts
from rotascope.pipeline.subjects import Subject


@pytest.fixture(scope="module")
def spx(shared_data: Path) -> pd.Series:
    return read_file(shared_data / "prices" / "^GSPC.csv").data


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> pd.Series:
    frame = pd.read_csv(shared_data / "prices" / "^GSPC.csv", index_col=0, parse_dates=True)
    return frame["Close"].dropna()


def _subject(spx: pd.Series) -> Subject:
    return Subject("spx", "S&P 500", spx, "file:^GSPC.csv [Close]")


def _sentences(facts: list) -> dict[str, str]:
    return {f.window: f.sentence for f in facts}


@pytest.mark.realdata
def test_worst_week_since_march_2020(spx: pd.Series, raw: pd.Series) -> None:
    """2022-06-17: "the S&P 500 ... its worst week since March 2020" (the week of the Fed's
    75 bp hike). Independent: Friday-to-Friday closes with pandas' W-FRI resampling."""
    weekly = raw.loc[:"2022-06-17"].resample("W-FRI").last().dropna().pct_change().dropna()
    v = weekly.iloc[-1]
    earlier = weekly.iloc[:-1]
    since = earlier[earlier <= v].index[-1]
    res = period_record(spx, "week", pd.Timestamp("2022-06-17"))
    assert res.complete and res.value == pytest.approx(v, rel=1e-12)
    assert res.since is not None and res.since.to_period("W-FRI") == since.to_period("W-FRI")
    assert res.rank == int((earlier < v).sum()) + 1
    text = _sentences(period_facts(_subject(spx), pd.Timestamp("2022-06-17")))["week"]
    assert text == "The S&P 500 fell 5.8% this week, its worst week since March 2020."


@pytest.mark.realdata
def test_worst_first_half_since_1970_fourth_worst(spx: pd.Series, raw: pd.Series) -> None:
    """2022-06-30: "the S&P 500's worst first half since 1970" (and fourth-worst on record)."""
    closes = raw.loc[:"2022-06-30"]
    halves = closes.groupby(closes.index.year * 2 + (closes.index.month > 6)).last()
    ret = halves.pct_change().dropna()
    first_halves = ret[ret.index % 2 == 0]
    v = first_halves.iloc[-1]
    earlier = first_halves.iloc[:-1]
    assert int(earlier[earlier <= v].index[-1]) // 2 == 1970
    assert int((earlier < v).sum()) + 1 == 4
    text = _sentences(period_facts(_subject(spx), pd.Timestamp("2022-06-30")))["half"]
    assert text == ("The S&P 500 fell 20.6% in the first half of 2022, its worst first half "
                    "since 1970 and the fourth-worst on record (since 1928).")
    assert v == pytest.approx(period_record(spx, "half", pd.Timestamp("2022-06-30")).value)


@pytest.mark.realdata
def test_year_to_date_reads_so_far(spx: pd.Series) -> None:
    text = _sentences(period_facts(_subject(spx), pd.Timestamp("2022-06-13")))["year"]
    assert text == "The S&P 500 is down 21.3% so far this year, on track for its worst year since 2008."


@pytest.mark.realdata
def test_record_closes_and_bear_markets(spx: pd.Series, raw: pd.Series) -> None:
    """2022-06-13: the S&P 500 closed 21.8% below its January 3 record, entering a bear market;
    2024-01-19: its first record close since January 3, 2022, ending that bear market;
    2024-07-16: "a day after setting an all-time high for the 38th time this year" (AP, via
    https://img2-cdn.newser.com/story/353109/wall-streets-rally-hits-a-wall.html)."""
    upto = raw.loc[:"2022-06-13"]
    peak = upto.cummax()
    assert peak.iloc[-1] == upto.loc["2022-01-03"]
    dd = upto / peak - 1
    since_peak = dd.loc["2022-01-04":]
    assert (since_peak.iloc[:-1] > -0.2).all() and since_peak.iloc[-1] <= -0.2
    s = _subject(spx)
    assert level_facts(s, pd.Timestamp("2022-06-13"))[0].sentence == (
        "The S&P 500 closed 21.8% below its record close of January 3, 2022, entering a bear "
        "market.")
    upto = raw.loc[:"2024-01-19"]
    assert upto.iloc[-1] >= upto.iloc[:-1].max() and upto.loc["2022-01-04":"2024-01-18"].max() < \
        upto.loc["2022-01-03"]
    assert level_facts(s, pd.Timestamp("2024-01-19"))[0].sentence == (
        "The S&P 500 closed at a record, its first since January 3, 2022, ending a bear market "
        "that began on June 13, 2022.")
    year = raw.loc["2024-01-01":"2024-07-16"]
    before = raw.loc[:"2023-12-31"].max()
    records = int((year >= year.cummax().clip(lower=before)).sum())
    assert records == 38 == level_status(spx, pd.Timestamp("2024-07-16")).records_this_year
    assert level_facts(s, pd.Timestamp("2024-07-16"))[0].sentence == (
        "The S&P 500 closed at a record, its 38th record close of 2024.")


@pytest.mark.parametrize("as_of", ["not a date", "2024-13-45", pd.NaT])
def test_a_bad_as_of_is_one_input_error(as_of: object) -> None:
    """The public calendar and level functions parse ``as_of`` with the one check, so a bad
    date is an InputError naming it, not pandas' own parse error."""
    from rotascope.analytics.levels import level_extreme
    from rotascope.analytics.periods import period_returns
    from rotascope.errors import InputError

    closes = pd.Series([100.0, 101.0, 99.0, 102.0] * 100,
                       index=pd.bdate_range("2023-01-02", periods=400))
    calls = [lambda: level_status(closes, as_of=as_of), lambda: level_extreme(closes, as_of=as_of),
             lambda: period_record(closes, "week", as_of=as_of)]
    for call in calls:
        with pytest.raises(InputError, match="as_of must be a date like 2024-03-15"):
            call()
    assert len(period_returns(closes, "month")) > 0  # the same series is fine without it


@pytest.mark.parametrize(("correction", "bear"), [(0.1, -0.2), (-0.2, -0.1), (-0.1, -1.5), (-0.1, True)])
def test_level_status_refuses_thresholds_that_are_not_drawdowns(correction: float, bear: float) -> None:
    from rotascope.errors import InputError

    closes = pd.Series([100.0, 85.0, 95.0], index=pd.bdate_range("2024-01-01", periods=3))
    assert level_status(closes).state == "correction"  # the defaults: -10% and -20%
    with pytest.raises(InputError, match=r"^correction and bear must be drawdowns with -1 < bear"):
        level_status(closes, correction=correction, bear=bear)
