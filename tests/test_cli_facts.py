"""`rotascope facts`, `analogs` and `episodes` on the real histories, checked with plain pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app

runner = CliRunner()
PRICES = Path(__file__).resolve().parents[2] / "shared" / "data" / "prices"
PRICE_FILES = sorted(PRICES.glob("*.csv"))


def run_json(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def close_of(path: Path) -> pd.Series:
    """Plain pandas: the Close column, or the only value column (``Date,^RUT``)."""
    frame = pd.read_csv(path, index_col="Date", parse_dates=True)
    col = "Close" if "Close" in frame.columns else frame.columns[0]
    return frame[col].astype(float)


def expected_record(r: pd.Series, day: pd.Timestamp) -> dict[str, object]:
    """Independent record horizon: the last earlier date at least as extreme, by a plain scan."""
    r = r.dropna()
    value = r.loc[day]
    earlier = r.loc[: day - pd.Timedelta(days=1)]
    if value < 0:
        hits = earlier[earlier <= value]
        rank = 1 + int((earlier < value).sum())
    else:
        hits = earlier[earlier >= value]
        rank = 1 + int((earlier > value).sum())
    since = hits.index[-1] if len(hits) else r.index[0]
    return {"value": value, "since": since.strftime("%Y-%m-%d"), "rank": rank,
            "of": len(earlier) + 1, "kind": "record_drop" if value < 0 else "record_gain"}


def test_done_when_spx_march_2020(shared_data: Path) -> None:
    code = runner.invoke(app, ["data", "import", str(shared_data / "prices" / "^GSPC.csv"),
                               "--name", "spx"]).exit_code
    assert code == 0
    facts = run_json("facts", "--series", "spx", "--as-of", "2020-03-16", "--json")
    assert isinstance(facts, list)
    drop = [f for f in facts if f["kind"] == "record_drop" and f["window"] == "1d"]
    assert len(drop) == 1
    assert round(drop[0]["value"], 4) == -0.1198
    assert drop[0]["since"] == "1987-10-19"
    assert drop[0]["as_of"] == "2020-03-16"
    assert "October 1987" in drop[0]["sentence"]
    r = close_of(shared_data / "prices" / "^GSPC.csv").pct_change()
    exp = expected_record(r, pd.Timestamp("2020-03-16"))
    assert drop[0]["rank"] == exp["rank"] and drop[0]["of"] == exp["of"]
    assert np.isclose(drop[0]["value"], exp["value"], rtol=0, atol=1e-12)


def test_spx_october_2008_gain_since_1939(shared_data: Path) -> None:
    runner.invoke(app, ["data", "import", str(shared_data / "prices" / "^GSPC.csv"), "--name", "spx"])
    facts = run_json("facts", "--series", "spx", "--as-of", "2008-10-13", "--json")
    gain = [f for f in facts if f["kind"] == "record_gain" and f["window"] == "1d"]
    assert gain and gain[0]["since"] == "1939-09-05"
    assert round(gain[0]["value"], 4) == 0.1158


@pytest.mark.parametrize("path", PRICE_FILES, ids=lambda p: p.name)
def test_every_price_file_one_day_record(path: Path, shared_data: Path) -> None:
    """Import each real file whatever its layout; the 1d record fact matches plain pandas."""
    assert runner.invoke(app, ["data", "import", str(path), "--name", "x"]).exit_code == 0
    r = close_of(path).pct_change()
    for day in (r.idxmin(), r.index[-1]):
        facts = run_json("facts", "--series", "x", "--as-of", day.strftime("%Y-%m-%d"),
                         "--json", "--all")
        rec = [f for f in facts if f["kind"].startswith("record_") and f["window"] == "1d"]
        assert len(rec) == 1, path.name
        exp = expected_record(r, day)
        got = rec[0]
        assert got["kind"] == exp["kind"]
        assert np.isclose(got["value"], exp["value"], rtol=0, atol=1e-12)
        assert got["since"] == exp["since"]
        assert (got["rank"], got["of"]) == (exp["rank"], exp["of"])


def test_facts_json_fields_and_notability(shared_data: Path) -> None:
    runner.invoke(app, ["data", "import", str(shared_data / "prices" / "^GSPC.csv"), "--name", "spx"])
    everything = run_json("facts", "--series", "spx", "--as-of", "2020-03-16", "--json", "--all")
    notable = run_json("facts", "--series", "spx", "--as-of", "2020-03-16", "--json")
    assert len(notable) < len(everything)
    for f in everything:
        for key in ("kind", "subject", "versus", "window", "as_of", "value", "since", "rank", "of",
                    "percentile", "zscore", "source", "sentence"):
            assert key in f
        assert f["as_of"] == "2020-03-16"
        assert f["window"] in {"1d", "5d", "21d", "63d", "252d", "1w", "1m", "ytd", "1y",
                               "week", "month", "quarter", "half", "year", "level"}
    assert all(f["notable"] for f in notable)


def test_as_of_never_looks_ahead(shared_data: Path, tmp_path: Path) -> None:
    """Facts at an as-of date are the same with the data truncated at that date."""
    full = close_of(shared_data / "prices" / "IWM.csv")
    cut = tmp_path / "cut.csv"
    full.loc[:"2020-03-16"].rename("Close").to_frame().rename_axis("Date").to_csv(cut)
    runner.invoke(app, ["data", "import", str(shared_data / "prices" / "IWM.csv"), "--name", "full"])
    runner.invoke(app, ["data", "import", str(cut), "--name", "cut"])
    a = run_json("facts", "--series", "full", "--as-of", "2020-03-16", "--json", "--all")
    b = run_json("facts", "--series", "cut", "--json", "--all")
    for fa, fb in zip(a, b, strict=True):
        fa = {k: v for k, v in fa.items() if k != "source"}
        fb = {k: v for k, v in fb.items() if k != "source"}
        assert json.dumps(fa).replace('"full"', '"cut"').replace("The full", "The cut") == json.dumps(fb)


def _pair_files(shared_data: Path, tmp_path: Path) -> list[str]:
    return ["--universe", "us", "--data-dir", str(shared_data)]


def test_analogs_small_vs_large_against_pandas(shared_data: Path, tmp_path: Path) -> None:
    # 2020-11-13: 28 earlier moves at least as large, so the "at least as large" rule holds
    out = run_json("analogs", "small-caps", "large-caps", "--window", "5d", "--as-of",
                   "2020-11-13", "--json", *_pair_files(shared_data, tmp_path))
    a = close_of(shared_data / "prices" / "IWM.csv")
    b = close_of(shared_data / "prices" / "SPY.csv")
    both = pd.concat([a, b], axis=1, join="inner").loc[:"2020-11-13"]
    pa, pb = both.iloc[:, 0], both.iloc[:, 1]
    rel = (pa / pa.shift(5)) / (pb / pb.shift(5)) - 1
    current = rel.iloc[-1]
    assert np.isclose(out["current_move"], current, atol=1e-12)
    # Plain greedy scan: moves at least as large, at least 6 rows apart, not within 5 rows of today.
    last = len(rel) - 1
    taken: list[int] = []
    for i, v in enumerate(rel.to_numpy()):
        if np.isnan(v) or i >= last - 5:
            continue
        hit = v >= current if current >= 0 else v <= current
        if hit and (not taken or i - taken[-1] > 5):
            taken.append(i)
    dates = [both.index[i].strftime("%Y-%m-%d") for i in taken]
    assert len(dates) >= 5 and out["selection"] == "at_least" and not out["fallback"]
    assert [e["date"] for e in out["episodes"]] == dates
    for horizon, rows in {"1m": 21, "3m": 63, "6m": 126, "12m": 252}.items():
        fwd = [(pa.iloc[i + rows] / pa.iloc[i]) / (pb.iloc[i + rows] / pb.iloc[i]) - 1
               for i in taken if i + rows <= last]
        row = next(s for s in out["summary"] if s["horizon"] == horizon)
        assert row["count"] == len(fwd)
        if fwd:
            assert np.isclose(row["mean"], np.mean(fwd), atol=1e-12)
            assert np.isclose(row["median"], np.median(fwd), atol=1e-12)
            sign = 1 if current >= 0 else -1
            assert np.isclose(row["hit_rate"], np.mean([sign * f > 0 for f in fwd]), atol=1e-12)
            assert np.isclose(row["worst"], min(fwd), atol=1e-12)  # lowest relative return
            assert np.isclose(row["best"], max(fwd), atol=1e-12)


def test_episodes_command_runs_on_real_data(shared_data: Path, tmp_path: Path) -> None:
    out = run_json("episodes", "small-caps", "large-caps", "--as-of", "2026-07-31", "--json",
                   *_pair_files(shared_data, tmp_path))
    eps = out["episodes"]
    assert eps, "IWM vs SPY must have had rotation episodes since 2000"
    starts = [e["start"] for e in eps]
    assert starts == sorted(starts)
    result = runner.invoke(app, ["episodes", "small-caps", "large-caps",
                                 *_pair_files(shared_data, tmp_path)])
    assert result.exit_code == 0 and "Rotation episodes" in result.output


def test_facts_on_universe_from_files(shared_data: Path) -> None:
    facts = run_json("facts", "--universe", "us", "--data-dir", str(shared_data), "--segments",
                     "small-caps,large-caps", "--as-of", "2020-04-09", "--json", "--all")
    kinds = {f["kind"] for f in facts}
    assert {"window_return", "relative_return", "analog_summary"} <= kinds
    # one fact per pair move: the margin rA - rB ranked, the relative return in the evidence
    pair = [f for f in facts if f["versus"] == "large-caps" and f["kind"].startswith("record_")
            and f["window"] == "5d"]
    assert len(pair) == 1
    a = close_of(shared_data / "prices" / "IWM.csv").loc[:"2020-04-09"]
    b = close_of(shared_data / "prices" / "SPY.csv").loc[:"2020-04-09"]
    ra, rb = a.iloc[-1] / a.iloc[-6] - 1, b.iloc[-1] / b.iloc[-6] - 1
    assert np.isclose(pair[0]["details"]["relative_return"], (1 + ra) / (1 + rb) - 1, atol=1e-12)
    assert np.isclose(pair[0]["value"], ra - rb, atol=1e-12)
    assert np.isclose(pair[0]["details"]["spread"], ra - rb, atol=1e-12)
    assert {f["window"] for f in facts if f["versus"] and f["kind"].startswith("record_")} >= {
        "1d", "5d", "21d", "63d"}


def test_unknown_series_exit_2() -> None:
    result = runner.invoke(app, ["facts", "--series", "nothing"])
    assert result.exit_code == 2
    assert "nothing" in result.output


def test_universe_without_data_is_one_clear_error() -> None:
    result = runner.invoke(app, ["facts", "--universe", "us"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no segment of universe 'us' has data" in lines[0]


def test_partly_stored_universe_warns_once(shared_data: Path) -> None:
    runner.invoke(app, ["data", "import", str(shared_data / "prices" / "IWM.csv"), "--name",
                        "small-caps"])
    result = runner.invoke(app, ["facts", "--universe", "us", "--all"])
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if "warning" in ln]
    assert len(warnings) == 1 and "41 segments" in warnings[0]
    assert "Russell 2000" in result.output
