"""Analogs that answer "what happened next" on the real histories (issue 11): the N largest earlier
moves on a record day, the base rate beside the conditional numbers, the bootstrap interval, the
capped list, greyed tables with fewer than five cases, wording in the direction of the move, and
no look-ahead. Every number is re-computed here with plain pandas, independently of rotascope."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.analytics import AnalogResult, analogs
from rotascope.cli.main import app
from rotascope.narrative.pair_facts import analog_fact
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.subjects import Subject, profile_for
from rotascope.report.sections import analogs as section

pytestmark = pytest.mark.realdata

RECORD_DAY = "2024-07-17"  # IWM beat SPY by 10.1% over five days: no earlier move as large
ORDINARY_DAY = "2024-07-10"  # SPY ahead by 1.5%: hundreds of earlier moves at least as large
HORIZONS = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
N = 5
runner = CliRunner()


def _close(shared_data: Path, name: str) -> pd.Series:
    df = pd.read_csv(shared_data / "prices" / f"{name}.csv", index_col=0, parse_dates=True)
    return df["Close"].astype(float).rename(name)


@pytest.fixture(scope="module")
def pair(shared_data: Path) -> tuple[pd.Series, pd.Series]:
    return _close(shared_data, "IWM"), _close(shared_data, "SPY")


@pytest.fixture(scope="module")
def record(pair: tuple[pd.Series, pd.Series]) -> AnalogResult:
    return analogs(*pair, "5d", RECORD_DAY)


def _frame(pair: tuple[pd.Series, pd.Series], as_of: str) -> pd.DataFrame:
    df = pd.concat({"a": pair[0], "b": pair[1]}, axis=1, join="inner").dropna().loc[:as_of]
    df["rel"] = (df.a / df.a.shift(N)) / (df.b / df.b.shift(N)) - 1
    return df


def _largest_by_hand(df: pd.DataFrame, count: int) -> list[pd.Timestamp]:
    """The ``count`` largest earlier moves in today's direction, none within N rows of another
    or of today: walk the moves from the largest down, keep one when it is clear of the rest."""
    last = len(df) - 1
    today = df.rel.iloc[-1]
    pos = pd.Series(range(len(df)), index=df.index)
    earlier = df.rel.iloc[: last - N].dropna()  # windows ending before today's starts
    same_side = earlier[earlier > 0] if today >= 0 else earlier[earlier < 0]
    ranked = same_side.abs().sort_values(ascending=False, kind="mergesort")  # ties: earlier first
    kept: list[pd.Timestamp] = []
    for day in ranked.index:
        if len(kept) == count:
            break
        if all(abs(pos[day] - pos[k]) > N for k in kept):
            kept.append(day)
    return sorted(kept)


def _forward(df: pd.DataFrame, day: pd.Timestamp, h: int) -> float:
    """A vs B over the h rows after ``day``, NaN when they end after the last row."""
    i = df.index.get_loc(day)
    if i + h > len(df) - 1:
        return float("nan")
    return float((df.a.iloc[i + h] / df.a.iloc[i]) / (df.b.iloc[i + h] / df.b.iloc[i]) - 1)


def test_record_day_takes_the_ten_largest_earlier_moves(pair: tuple[pd.Series, pd.Series],
                                                        record: AnalogResult) -> None:
    df = _frame(pair, RECORD_DAY)
    today = df.rel.iloc[-1]
    assert record.current_move == pytest.approx(today, rel=1e-12) and today > 0.10
    # a record: no eligible earlier window was as large
    assert not (df.rel.iloc[: len(df) - 1 - N] >= today).any()
    assert record.record and record.at_least_count == 0
    assert record.selection == "largest" and record.fallback and record.nearest == 10
    expected = _largest_by_hand(df, 10)
    assert record.episodes["date"].tolist() == expected
    np.testing.assert_allclose(record.episodes["move"], df.rel.loc[expected], rtol=1e-12)
    assert record.threshold == pytest.approx(df.rel.loc[expected].min(), rel=1e-12)
    for label, h in HORIZONS.items():
        fwd = pd.Series([_forward(df, d, h) for d in expected]).dropna()
        row = record.summary.loc[label]
        assert row["count"] == len(fwd)
        assert row["mean"] == pytest.approx(fwd.mean(), rel=1e-10)
        assert row["median"] == pytest.approx(fwd.median(), rel=1e-10)
        assert row["hit_rate"] == pytest.approx((fwd > 0).mean())
        assert row["worst"] == pytest.approx(fwd.min(), rel=1e-10)
        assert row["best"] == pytest.approx(fwd.max(), rel=1e-10)
    note = record.selection_note
    assert "10 largest earlier non-overlapping 5d moves in the same direction" in note
    assert "no earlier move was as large" in note and "(a record)" in note
    # asked for explicitly, the same ten, without the fallback's reason
    asked = analogs(*pair, "5d", RECORD_DAY, nearest=10)
    assert asked.episodes["date"].tolist() == expected and not asked.fallback
    assert "record" not in asked.selection_note
    assert analogs(*pair, "5d", RECORD_DAY, nearest=3).episodes["date"].tolist() == \
        _largest_by_hand(df, 3)


def test_min_ratio_takes_the_moves_at_least_that_share_of_today(
        pair: tuple[pd.Series, pd.Series]) -> None:
    df = _frame(pair, RECORD_DAY)
    today = df.rel.iloc[-1]
    res = analogs(*pair, "5d", RECORD_DAY, min_ratio=0.8)
    # plain scan: at least 0.8 x today's, earliest first, more than N rows apart
    last, taken = len(df) - 1, []
    for i, v in enumerate(df.rel.to_numpy()):
        if i < last - N and v >= 0.8 * today and (not taken or i - taken[-1] > N):
            taken.append(i)
    assert res.episodes["date"].tolist() == [df.index[i] for i in taken]
    assert res.selection == "min_ratio" and res.threshold == pytest.approx(0.8 * today)
    assert "at least 0.8 times today's +10.1%" in res.selection_note
    assert res.few_cases == (len(taken) < 5) and len(taken) < 5


def test_base_rate_is_every_non_overlapping_window(pair: tuple[pd.Series, pd.Series],
                                                    record: AnalogResult) -> None:
    df = _frame(pair, RECORD_DAY)
    ratio = df.a / df.b
    starts = df.index[N :: N + 1]  # window ends N, 2N+1, 3N+2, ... rows after the first
    for label, h in HORIZONS.items():
        fwd = (ratio.shift(-h) / ratio - 1).loc[starts].dropna()  # known on the as-of date only
        row = record.summary.loc[label]
        assert row["base_count"] == len(fwd) > 900
        assert row["base_mean"] == pytest.approx(fwd.mean(), rel=1e-9)
        assert row["base_median"] == pytest.approx(fwd.median(), rel=1e-9)
        assert row["base_hit_rate"] == pytest.approx((fwd > 0).mean())
        assert row["diff_mean"] == pytest.approx(row["mean"] - fwd.mean(), rel=1e-9)
        assert row["diff_hit_rate"] == pytest.approx(row["hit_rate"] - (fwd > 0).mean())


def test_bootstrap_interval_is_deterministic_and_holds_the_mean(
        pair: tuple[pd.Series, pd.Series], record: AnalogResult) -> None:
    again = analogs(*pair, "5d", RECORD_DAY)
    pd.testing.assert_frame_equal(record.summary, again.summary)
    other = analogs(*pair, "5d", RECORD_DAY, seed=7)
    assert not np.allclose(other.summary["mean_lo"], record.summary["mean_lo"])
    for pos, (label, _) in enumerate(HORIZONS.items()):
        row = record.summary.loc[label]
        v = record.episodes[label].dropna().to_numpy()
        assert row["mean_lo"] <= row["mean"] <= row["mean_hi"]
        # independent resampling with the documented seed (seed + position of the horizon)
        rng = np.random.default_rng(record.seed + pos)
        picks = rng.integers(0, len(v), (2000, len(v)), dtype=np.int32)
        means = np.array([np.mean([v[j] for j in row]) for row in picks])
        lo, hi = np.quantile(means, [0.025, 0.975])
        assert row["mean_lo"] == pytest.approx(lo, rel=1e-9)
        assert row["mean_hi"] == pytest.approx(hi, rel=1e-9)


def test_point_in_time(pair: tuple[pd.Series, pd.Series], record: AnalogResult) -> None:
    cut = pd.Timestamp(RECORD_DAY)
    head = analogs(pair[0].loc[:cut], pair[1].loc[:cut], "5d")
    pd.testing.assert_frame_equal(record.episodes, head.episodes)
    pd.testing.assert_frame_equal(record.summary, head.summary)
    # an outcome that ends after the as-of date is missing, although the full file holds it
    res = analogs(*pair, "5d", ORDINARY_DAY)
    cut_df = _frame(pair, ORDINARY_DAY)
    full = pd.concat({"a": pair[0], "b": pair[1]}, axis=1, join="inner").dropna()
    last = len(cut_df) - 1
    late = [d for d in res.episodes["date"] if cut_df.index.get_loc(d) + 252 > last]
    assert late, "some analog of 2024-07-10 ended less than a year before it"
    for d in late:
        row = res.episodes[res.episodes["date"] == d].iloc[0]
        assert np.isnan(row["12m"]) and not np.isnan(_forward(full, d, 252))
    known = res.episodes["12m"].notna().sum()
    assert res.summary.loc["12m", "count"] == known == len(res.episodes) - len(late)
    early = res.episodes.iloc[0]
    assert early["12m"] == pytest.approx(_forward(full, early["date"], 252), rel=1e-12)
    # the base rate too: windows whose outcome is not known yet are left out
    starts = cut_df.index[N :: N + 1]
    assert res.summary.loc["12m", "base_count"] == sum(
        cut_df.index.get_loc(d) + 252 <= last for d in starts)


# ---------------------------------------------------------------------------------------------
# the CLI


def _cli(shared_data: Path, *args: str) -> str:
    result = runner.invoke(app, ["analogs", "small-caps", "large-caps", "--window", "5d",
                                 "--universe", "us", "--data-dir", str(shared_data), *args],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def _dates(text: str) -> list[str]:
    return re.findall(r"│ (\d{4}-\d{2}-\d{2}) │", text)


def test_cli_prints_the_ten_largest_and_json_keeps_all(shared_data: Path,
                                                       pair: tuple[pd.Series, pd.Series]) -> None:
    df = _frame(pair, ORDINARY_DAY)
    data = json.loads(_cli(shared_data, "--as-of", ORDINARY_DAY, "--json"))
    total = len(data["episodes"])
    assert data["selection"] == "at_least" and data["count"] == total > 200
    assert data["at_least_count"] == total and not data["record"] and not data["few_cases"]
    assert data["bootstrap"] == {"statistic": "mean", "confidence": 0.95, "resamples": 2000,
                                 "seed": 0}
    text = _cli(shared_data, "--as-of", ORDINARY_DAY)
    assert f"the 10 largest of {total} shown" in text
    shown = _dates(text)
    moves = df.rel.loc[[pd.Timestamp(e["date"]) for e in data["episodes"]]]
    assert sorted(shown) == sorted(moves.abs().nlargest(10).index.strftime("%Y-%m-%d"))
    assert "Against the base rate" in text and "at least as large as today's -1.5%" in text
    assert len(_dates(_cli(shared_data, "--as-of", ORDINARY_DAY, "--limit", "3"))) == 3
    assert len(_dates(_cli(shared_data, "--as-of", ORDINARY_DAY, "--limit", "0"))) == total


def test_cli_says_which_selection_and_warns_with_few_cases(shared_data: Path) -> None:
    text = _cli(shared_data, "--as-of", RECORD_DAY)
    assert "the 10 largest earlier non-overlapping 5d moves" in text and "(a record)" in text
    assert "not a base for a conclusion" not in text
    data = json.loads(_cli(shared_data, "--as-of", RECORD_DAY, "--json"))
    assert data["selection"] == "largest" and data["fallback"] and data["record"]
    assert len(data["episodes"]) == 10 and "(a record)" in data["selection_note"]
    few = _cli(shared_data, "--as-of", RECORD_DAY, "--min", "0.8x")
    assert "Only 1 case: fewer than 5 cases, not a base for a conclusion." in few
    assert json.loads(_cli(shared_data, "--as-of", RECORD_DAY, "--min", "0.8x", "--json")
                      )["few_cases"]
    bad = runner.invoke(app, ["analogs", "small-caps", "large-caps", "--min", "-1x",
                              "--data-dir", str(shared_data)])
    assert bad.exit_code == 2 and "--min must be a positive multiple" in bad.output
    both = runner.invoke(app, ["analogs", "small-caps", "large-caps", "--min", "0.8x",
                               "--nearest", "5", "--data-dir", str(shared_data)])
    assert both.exit_code == 2 and "not both" in both.output


# ---------------------------------------------------------------------------------------------
# the report section and the sentence


def _panel(res: AnalogResult) -> section.AnalogPanel:
    return section.AnalogPanel(key="small-caps/large-caps", a_display="Russell 2000",
                               b_display="S&P 500", window=res.window, move=res.current_move,
                               summary=res.summary, episodes=res.episodes,
                               selection=res.selection, selection_note=res.selection_note,
                               min_cases=res.min_cases)


def _render(res: AnalogResult) -> tuple[str, str, dict[str, Any]]:
    r: Any = SimpleNamespace(max_rows=50)
    panel = _panel(res)
    return (section.html([panel], r), "\n".join(section.markdown([panel], r)),
            section.to_json([panel], False).tables)


def test_report_greys_out_few_cases_and_shows_at_most_ten(
        pair: tuple[pd.Series, pd.Series], record: AnalogResult) -> None:
    html, md, tables = _render(analogs(*pair, "5d", RECORD_DAY, min_ratio=0.8))
    assert 'class="panel analog few-cases"' in html and "analog-summary few-cases" in html
    assert "Fewer than 5 cases: not a base for a conclusion (only 1)." in html
    assert "*Fewer than 5 cases: not a base for a conclusion (only 1).*" in md
    assert tables["analog_summary"][0]["few_cases"] is True
    html, md, _ = _render(record)
    assert "few-cases" not in html and "not a base" not in md
    assert "(a record)" in html and "(a record)" in md and "Base mean" in md
    ordinary = analogs(*pair, "5d", ORDINARY_DAY)
    html, md, tables = _render(ordinary)
    total = len(ordinary.episodes)
    assert f"The 10 largest of the {total} earlier moves" in html
    assert f"The 10 largest of the {total} earlier moves" in md
    assert html.count("analog-episodes") == 1
    episodes = html.split("analog-episodes")[1].split("</table>")[0]
    assert episodes.split("<tbody>")[1].count("<tr>") == 10
    assert len(tables["analog_episodes"]) == total  # the JSON keeps them all
    row = tables["analog_summary"][1]
    assert row["base_mean"] == pytest.approx(ordinary.summary.loc["3m", "base_mean"])
    assert row["selection"] == "at_least"


def test_sentence_reads_worst_in_the_direction_of_the_move(
        pair: tuple[pd.Series, pd.Series]) -> None:
    """After a fall of A vs B the S&P 500 is the side the move favoured: its worst outcome is its
    own lowest relative return (A's highest, flipped), never A's deepest fall called best."""
    df = _frame(pair, ORDINARY_DAY)
    res = analogs(*pair, "5d", ORDINARY_DAY)
    assert res.direction == "b_leads"
    fwd = pd.Series([_forward(df, d, 63) for d in res.episodes["date"]]).dropna()
    assert res.summary.loc["3m", "worst"] == pytest.approx(fwd.min())  # A's deepest further fall
    a = Subject("small-caps", "Russell 2000", pair[0], "IWM")
    b = Subject("large-caps", "S&P 500", pair[1], "SPY")
    fact = analog_fact(a, b, res, profile_for("daily"), "src", notable_move=True)
    assert fact is not None
    spy_worst = 1 / (1 + fwd.max()) - 1  # SPY vs IWM, lowest
    assert f"its worst {signed_pct(spy_worst)})" in fact.sentence
    assert "the S&P 500 kept outperforming" in fact.sentence
    spy_move = 1 / (1 + df.rel.iloc[-1]) - 1  # SPY's five-day move against IWM
    assert (f"After the {len(res.episodes)} earlier five-day moves of at least "
            f"{spy_move * 100:.1f}% in favour of the S&P 500 over the Russell 2000") in fact.sentence
    base = (df.b / df.a).shift(-63) / (df.b / df.a)
    hit = (base.loc[df.index[N :: N + 1]].dropna() > 1).mean()  # SPY ahead of IWM
    assert f"against {hit * 100:.0f}% after any five-day period" in fact.sentence
    few = analog_fact(a, b, analogs(*pair, "5d", RECORD_DAY, min_ratio=0.8),
                      profile_for("daily"), "src", notable_move=True)
    assert few is not None and few.sentence.endswith("Only 1 case: not a base for a conclusion.")
    assert few.details["notable_move"] is False


def test_horizons_with_few_known_outcomes_are_greyed_too() -> None:
    """Six analogs, but the latest ones' 6- and 12-month outcomes are not known yet."""
    from rotascope.cli.commands.analogs import thin_horizons, thin_note

    idx = pd.bdate_range("2015-01-01", periods=600)
    steps = np.full(600, 1.0)
    for i in (100, 200, 400, 450, 500, 550):  # one-day jumps of 7% (windows: 5 rows)
        steps[i] = 1.07
    steps[599] = 1.06  # today: +6%, smaller than each jump
    a = pd.Series(100 * np.cumprod(steps), index=idx, name="A")
    b = pd.Series(100.0, index=idx, name="B")
    res = analogs(a, b, "5d")
    assert res.selection == "at_least" and len(res.episodes) == 6 and not res.few_cases
    # known when t + h <= 599 with t the first row of each jump's window run (the jump row)
    assert res.summary["count"].tolist() == [6, 5, 4, 2]
    assert thin_horizons(res) == ["6m", "12m"]
    assert thin_note(res) == "Horizons 6m, 12m: fewer than 5 cases, not a base for a conclusion."
    html, md, _ = _render(res)
    assert 'id="analog-small-caps-large-caps-12m" class="few-cases"' in html
    assert 'id="analog-small-caps-large-caps-3m" class="few-cases"' not in html
    assert "Horizons 6m, 12m: fewer than 5 cases: not a base for a conclusion" in md
