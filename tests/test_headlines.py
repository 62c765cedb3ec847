"""Headlines lead with the day's story (issue 11): the real-data report on famous days.

Each case names the public page of a wire story or market recap from that day, what it led
with, and the headline rotascope must put in its top three. The `us` universe quotes ETFs
(SPY, QQQ, IWM: adjusted closes since 1993-2000), so its records start with the ETF's history:
on 2020-03-16 the wire's "worst day since 1987" is the S&P 500 index (``facts --series`` on
``^GSPC.csv`` says "since October 1987", tested in test_cli_facts), the ETF's is "on record".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app

runner = CliRunner()

FAMOUS_DAYS = [
    # https://www.axios.com/2020/03/16/coronavirus-stock-market-halted-again
    # "Stocks have worst day since 1987 ... The S&P 500 closed 12% lower"
    ("2020-03-16", "The S&P 500 tumbled 10.9% on March 16, 2020, its largest one-day drop on "
                   "record (since February 1993)."),
    # https://www.axios.com/2020/03/16/... as above: "The Nasdaq Composite, which dropped 12.3%"
    ("2020-03-16", "The Nasdaq 100 tumbled 12.0% on March 16, 2020, its largest one-day drop on "
                   "record (since March 1999)."),
    # https://www.ainvest.com/news/why-did-nasdaq-see-its-largest-drop-since-2022-on-wednesday-24071010055cfe434daa62d9/
    # "the Nasdaq 100 index's largest single-day drop since December 2022" and the rotation:
    # "the Russell 2000 has recently outperformed the S&P 500 by 8.5 percentage points"
    ("2024-07-17", "The Nasdaq 100 tumbled 2.9% on July 17, 2024, its largest one-day drop since "
                   "December 2022."),
    ("2024-07-17", "The Russell 2000 beat the S&P 500 by 10.1 percentage points over five days, "
                   "its biggest five-day margin on record (since June 2000)."),
    # https://mondovisione.com/media-and-resources/news/historic-market-rally-stocks-soar-after-trump-pauses-tariffs-202549
    # "The S&P 500 surged 9.52% ... its largest single-day gain since 2008"
    ("2025-04-09", "The S&P 500 jumped 10.5% on April 9, 2025, its biggest one-day gain since "
                   "October 2008."),
    # https://www.cnbc.com/amp/2022/09/12/stock-futures-are-higher-as-wall-street-awaits-key-inflation-report-.html
    # "Dow tumbles 1,200 points for worst day since June 2020 ... The S&P 500 dropped 4.32%"
    ("2022-09-13", "The S&P 500 tumbled 4.3% on September 13, 2022, its largest one-day drop "
                   "since June 2020."),
    # https://fin-gpt.org/article/2c7cf544-d885-49f6-b3a9-b58711c5a310 (CNBC, 2024-07-11)
    # "The Russell 2000 small-cap index ... jumped more than 3% on Thursday" while the S&P 500
    # fell: the day's story is the margin (issue 11 quotes "IWM beat SPY by 4.5 percentage
    # points on Thursday"), which leads now that pairs have a one-day window
    ("2024-07-11", "The Russell 2000 beat the S&P 500 by 4.5 percentage points on July 11, 2024, "
                   "its biggest margin since October 2008."),
]


@pytest.fixture(scope="module")
def reports(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    home = tmp_path_factory.mktemp("headline-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("ROTASCOPE_HOME", str(home))
    out: dict[str, dict] = {}
    try:
        for day in sorted({d for d, _ in FAMOUS_DAYS}):
            path = home / f"{day}.json"
            result = runner.invoke(app, ["report", "--universe", "us", "--data-dir",
                                         str(shared_data), "--as-of", day, "-f", "json",
                                         "-o", str(path)])
            assert result.exit_code == 0, result.output
            out[day] = json.loads(path.read_text())
    finally:
        mp.undo()
    return out


@pytest.mark.realdata
@pytest.mark.parametrize(("day", "sentence"), FAMOUS_DAYS, ids=[f"{d}-{i}" for i, (d, _) in
                                                                 enumerate(FAMOUS_DAYS)])
def test_the_story_of_the_day_leads(reports: dict[str, dict], day: str, sentence: str) -> None:
    top = [h["sentence"] for h in reports[day]["facts"][:3]]
    assert sentence in top, "\n".join(top)


@pytest.mark.realdata
def test_headlines_are_one_per_story_and_never_non_events(reports: dict[str, dict]) -> None:
    for day, doc in reports.items():
        keys = [(h["fact"]["subject"], h["fact"]["versus"],
                 (h["fact"]["value"] or 0) >= 0) for h in doc["facts"]
                if h["kind"] not in ("rotation_episode", "factor_status")]
        assert len(keys) == len(set(keys)), day
        for h in doc["facts"]:
            assert "no sign of" not in h["sentence"] and "not an unwind" not in h["sentence"]
            assert h["fact"]["notable"] and not h["fact"]["details"].get("stale")


@pytest.mark.realdata
def test_year_to_date_leader_and_laggard_of_the_main_indices(shared_data: Path) -> None:
    """The comparison of the main segments this year, against plain pandas on the ETF files."""
    import pandas as pd

    from rotascope.data.loader import DataSource
    from rotascope.data.universe import load_universe
    from rotascope.narrative.comparison_facts import comparison_fact
    from rotascope.pipeline.subjects import Subject

    u = load_universe("us")
    day = pd.Timestamp("2024-07-18")
    source = DataSource(data_dir=shared_data, as_of=day)
    subjects = {n: Subject(n, u.segment(n).display, ts.data, ts.meta.source, ts.meta.frequency)
                for n, ts in source.segments(u, list(u.main)).items()}
    fact = comparison_fact(subjects, list(u.main), day, benchmark="large-caps")
    assert fact is not None and fact.notable
    want = {}
    for name in u.main:
        file = u.segment(name).series["files"]
        close = pd.read_csv(shared_data / file, index_col=0, parse_dates=True)["Close"]
        close = close.loc[:day]
        want[name] = close.iloc[-1] / close.loc[:"2023-12-31"].iloc[-1] - 1
    lead, lag = max(want, key=want.__getitem__), min(want, key=want.__getitem__)
    assert (fact.subject, fact.versus) == (lead, lag) == ("growth", "equal-weight")
    for name, value in want.items():
        assert fact.details["returns"][name] == pytest.approx(value, rel=1e-12)
    assert fact.sentence == (
        "Year to date the Russell 1000 Growth leads the main indices, up 20.3%, and the "
        "S&P 500 Equal Weight lags, up 8.3% (the S&P 500: up 17.0%).")
