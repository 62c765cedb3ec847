"""Level series (issue 11, classes 3 and 7): FRED labels, levels' highest/lowest since, changes in
basis points or points, `--label`/`--kind`, checked with plain pandas on the real FRED files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.fred_labels import FRED_LABELS, driver_name, fred_label
from rotascope.data.providers.files import read_file
from rotascope.data.providers.fred import fred_units
from rotascope.narrative.fact import Fact
from rotascope.narrative.series_facts import series_facts
from rotascope.narrative.wording import month_year
from rotascope.pipeline.refs import KNOWN_DRIVERS
from rotascope.pipeline.resolve import series_subject
from rotascope.pipeline.subjects import Subject

runner = CliRunner()
RAW_IDS = ("VIXCLS", "DGS10", "DGS2", "BAMLH0A0HYM2", "BAMLC0A0CM", "DFII10", "UNRATE", "M2SL")


def fred_close(path: Path) -> pd.Series:
    """Plain pandas: a FRED download, blank holidays dropped."""
    frame = pd.read_csv(path, index_col=0, parse_dates=True)
    return pd.to_numeric(frame.iloc[:, 0], errors="coerce").dropna()


@pytest.fixture(scope="module")
def macro() -> Path:
    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "macro"
    if not path.is_dir():
        pytest.skip(f"real data folder {path} is absent")
    return path


@pytest.fixture(scope="module")
def subjects(macro: Path) -> dict[str, Subject]:
    out = {}
    for sid in ("VIXCLS", "DGS10", "BAMLH0A0HYM2", "UNRATE"):
        ts = read_file(macro / f"{sid}.csv", name=sid.lower())
        out[sid] = series_subject(ts, sid.lower(), sid.lower())
    return out


def level_fact(facts: list[Fact]) -> Fact:
    found = [f for f in facts if f.window == "level"]
    assert len(found) == 1, [f.sentence for f in facts]
    return found[0]


def expected_extreme(s: pd.Series, day: str) -> dict[str, object]:
    """Independent: the expanding max/min and the date of the last earlier close at least as
    high (low); the side with the older horizon is the one stated."""
    cut = s[s.index <= pd.Timestamp(day)]
    v, earlier = cut.iloc[-1], cut.iloc[:-1]
    out = {}
    for side, hits, record in (("high", earlier[earlier >= v], v >= earlier.max()),
                               ("low", earlier[earlier <= v], v <= earlier.min())):
        out[side] = (None if record else hits.index[-1])
    high, low = out["high"], out["low"]
    if low is None and high is not None or (low is not None and high is not None and low < high):
        return {"side": "low", "since": low, "value": v, "first": cut.index[0]}
    return {"side": "high", "since": high, "value": v, "first": cut.index[0]}


@pytest.mark.parametrize("day", ["2020-03-16", "2008-11-20", "2018-02-05", "2024-08-05",
                                 "2017-11-03"])
def test_vix_level_records_match_pandas(subjects: dict[str, Subject], macro: Path,
                                        day: str) -> None:
    exp = expected_extreme(fred_close(macro / "VIXCLS.csv"), day)
    f = level_fact(series_facts(subjects["VIXCLS"], pd.Timestamp(day)))
    assert f.value == pytest.approx(exp["value"], abs=1e-12)
    assert f.as_of == pd.Timestamp(day)
    word = "highest" if exp["side"] == "high" else "lowest"
    assert f.kind == ("record_gain" if exp["side"] == "high" else "record_drop")
    head = f"The VIX closed at {exp['value']:.2f} on "
    assert f.sentence.startswith(head), f.sentence
    if exp["since"] is None:
        assert f.details["on_record"]
        assert f.sentence.endswith(f"its {word} close on record (since "
                                   f"{month_year(exp['first'])}).")
    else:
        assert f.since == exp["since"]
        assert f.sentence.endswith(f"its {word} close since {month_year(exp['since'])}.")
    assert f.notable


def test_vix_march_2020_and_november_2008_are_records(subjects: dict[str, Subject]) -> None:
    """82.69 on 2020-03-16 topped the 80.86 of 2008-11-20, the high since the file's start."""
    a = level_fact(series_facts(subjects["VIXCLS"], pd.Timestamp("2020-03-16")))
    b = level_fact(series_facts(subjects["VIXCLS"], pd.Timestamp("2008-11-20")))
    assert (a.value, b.value) == (82.69, 80.86)
    assert a.details["on_record"] and b.details["on_record"]
    assert "since January 1999" in a.sentence


@pytest.mark.parametrize(("day", "since", "second"), [("2025-04-11", "2022-06-14", "2009-05-28"),
                                                      ("2022-06-14", "2008-10-15", None)])
def test_dgs10_five_day_change_in_basis_points(subjects: dict[str, Subject], macro: Path,
                                               day: str, since: str, second: str | None) -> None:
    s = fred_close(macro / "DGS10.csv")
    change = (s - s.shift(5)).dropna()
    cut = change[change.index <= pd.Timestamp(day)]
    v, earlier = cut.iloc[-1], cut.iloc[:-1]
    hits = earlier[earlier >= v]
    assert hits.index[-1] == pd.Timestamp(since)  # the pinned horizon is pandas' own
    facts = series_facts(subjects["DGS10"], pd.Timestamp(day))
    f = next(f for f in facts if f.window == "5d")
    assert f.kind == "record_gain"
    assert f.value == pytest.approx(v, abs=1e-12)
    assert f.since == hits.index[-1]
    assert f.rank == 1 + int((earlier > v).sum()) and f.of == len(cut)
    bp = round(v * 100)
    # the rank rule: the second-biggest is stated when its horizon is a year or more and at
    # least twice the first one's
    rank2 = ""
    if second is not None:
        assert hits.index[-2] == pd.Timestamp(second)
        assert (f.as_of - hits.index[-2]).days >= max(365, 2 * (f.as_of - hits.index[-1]).days)
        rank2 = f" and the second-biggest since {month_year(hits.index[-2])}"
    assert f.sentence == (f"The 10-year Treasury yield rose {bp} basis points over five days, "
                          f"its biggest five-day rise since {month_year(hits.index[-1])}{rank2}.")


def test_high_yield_spread_highest_since(subjects: dict[str, Subject], macro: Path) -> None:
    day = "2020-03-23"
    exp = expected_extreme(fred_close(macro / "BAMLH0A0HYM2.csv"), day)
    f = level_fact(series_facts(subjects["BAMLH0A0HYM2"], pd.Timestamp(day)))
    assert exp["side"] == "high" and f.since == exp["since"]
    assert f.sentence == (f"The high-yield credit spread closed at {exp['value']:.2f}% on March "
                          f"23, 2020, its highest close since {month_year(exp['since'])}.")


def test_labels_in_sentences(subjects: dict[str, Subject]) -> None:
    """No raw FRED id, no valuation words, no returns: levels and changes in bp or points."""
    days = {"VIXCLS": "2020-03-16", "DGS10": "2022-06-14", "BAMLH0A0HYM2": "2020-03-23",
            "UNRATE": "2020-04-30"}
    for sid, day in days.items():
        facts = series_facts(subjects[sid], pd.Timestamp(day))
        label = fred_label(sid)
        assert label is not None and facts
        for f in facts:
            text = f.sentence
            assert not any(raw in text for raw in RAW_IDS), text
            assert "cheap" not in text and "expensive" not in text, text
            assert text.startswith(label.label[0].upper() + label.label[1:]), text
            if f.window != "level":
                unit = {"VIXCLS": " points", "UNRATE": " percentage point"}.get(sid,
                                                                             " basis point")
                assert unit in text, text


def test_unemployment_rate_monthly_in_percentage_points(subjects: dict[str, Subject],
                                                        macro: Path) -> None:
    s = fred_close(macro / "UNRATE.csv")  # stamped on the month's first day by FRED
    facts = series_facts(subjects["UNRATE"], pd.Timestamp("2020-04-30"))
    one = next(f for f in facts if f.window == "1m")
    assert one.value == pytest.approx(s.loc["2020-04-01"] - s.loc["2020-03-01"], abs=1e-12)
    assert one.sentence.startswith("The unemployment rate rose 10.4 percentage points")
    lvl = level_fact(facts)
    assert lvl.sentence == ("The unemployment rate was 14.80% in April 2020, its highest on "
                            "record (since January 1999).")


def test_point_in_time(macro: Path, tmp_path: Path) -> None:
    """Cutting the file after the as-of date changes no fact."""
    day = pd.Timestamp("2020-03-16")
    text = (macro / "VIXCLS.csv").read_text().splitlines()
    cut = [text[0]] + [line for line in text[1:] if pd.Timestamp(line.split(",")[0]) <= day]
    path = tmp_path / "VIXCLS.csv"
    path.write_text("\n".join(cut) + "\n")
    full = series_facts(series_subject(read_file(macro / "VIXCLS.csv"), "v", "v"), day)
    short = series_facts(series_subject(read_file(path), "v", "v"), day)
    assert [(f.kind, f.window, f.sentence) for f in full] == [
        (f.kind, f.window, f.sentence) for f in short]
    assert np.allclose([f.value for f in full], [f.value for f in short], rtol=0, atol=0)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_label_round_trip_and_kind_errors(macro: Path) -> None:
    code, out = run("data", "import", str(macro / "DGS2.csv"), "--name", "two",
                    "--label", "the two-year note yield")
    assert code == 0, out
    code, out = run("data", "show", "two")
    assert code == 0 and "label: the two-year note yield" in out
    code, out = run("facts", "--series", "two", "--as-of", "2022-06-14", "--json", "--all")
    assert code == 0, out
    facts = json.loads(out)
    assert facts and all(f["sentence"].startswith("The two-year note yield ") for f in facts)
    # --label on facts overrides the stored one; --kind price reads the level as a price
    code, out = run("facts", "--series", "two", "--as-of", "2022-06-14", "--json", "--all",
                    "--label", "Schatz-like yield", "--kind", "price")
    facts = json.loads(out)
    assert code == 0 and all(f["sentence"].startswith("Schatz-like yield ") for f in facts)
    assert any("%" in f["sentence"] and f["kind"] == "record_gain" for f in facts)
    # importing again without --label drops it: the FRED table's label is back
    code, out = run("data", "import", str(macro / "DGS2.csv"), "--name", "two")
    code, out = run("facts", "--series", "two", "--as-of", "2022-06-14", "--json", "--all")
    assert all(f["sentence"].startswith("The 2-year Treasury yield ") for f in json.loads(out))
    for args in (("facts", "--series", "two", "--kind", "levels"),
                 ("data", "import", str(macro / "DGS2.csv"), "--name", "x", "--kind", "lvl")):
        code, out = run(*args)
        assert code != 0 and out.count("\n") == 1 and "--kind must be one of" in out, out
        assert "Traceback" not in out


def test_file_reference_and_level_kind_on_import(macro: Path) -> None:
    code, out = run("facts", "--series", "file:macro/VIXCLS.csv", "--data-dir",
                    str(macro.parent), "--as-of", "2008-11-20", "--json")
    assert code == 0, out
    level = [f for f in json.loads(out) if f["window"] == "level"]
    assert level and level[0]["sentence"].startswith("The VIX closed at 80.86 on November 20")
    # an unknown series imported as a level from a generic CSV: changes in points
    s = fred_close(macro / "VIXCLS.csv")
    code, out = run("data", "import", str(macro / "VIXCLS.csv"), "--name", "fear", "--kind",
                    "level", "--label", "the fear gauge")
    assert code == 0, out
    code, out = run("facts", "--series", "fear", "--as-of", "2008-11-20", "--json", "--all")
    one = next(f for f in json.loads(out) if f["window"] == "1d")
    assert one["value"] == pytest.approx(s.loc["2008-11-20"] - s.loc[:"2008-11-19"].iloc[-1])
    assert one["sentence"].startswith("The fear gauge rose 6.60 points on November 20, 2008")


def test_table() -> None:
    for sid, row in FRED_LABELS.items():
        assert row.series_id == sid and row.label and row.units and fred_units(sid) == row.units
        assert row.reading in ("level", "price")
        assert row.reading == "level" or row.change == "pct"
    assert fred_label("dgs2").label == "the 2-year Treasury yield"  # type: ignore[union-attr]
    assert driver_name("DGS2") == KNOWN_DRIVERS["dgs2"] == "2-year Treasury yield"
    assert fred_label("M2SL").change == "pct"  # type: ignore[union-attr]
    assert fred_label("SP500").reading == "price"  # type: ignore[union-attr]


def test_report_driver_label_comes_from_the_table(macro: Path) -> None:
    """us.toml names no label for its DGS2 driver: the FRED table gives it."""
    from rotascope.data.loader import DataSource
    from rotascope.data.universe import load_universe
    from rotascope.pipeline.drivers import driver_run
    from rotascope.report.settings import report_settings

    u = load_universe("us")
    (ref,) = report_settings(u).drivers
    assert ref.driver == "file:macro/DGS2.csv" and not ref.label
    pair = u.pair(ref.pair)
    run_ = driver_run(pair.a, pair.b, ref.driver, u, DataSource(data_dir=macro.parent),
                      pd.Timestamp("2024-07-17"))
    assert run_.driver_display == "2-year Treasury yield"


def test_level_extreme_against_a_naive_scan() -> None:
    """Random walks with ties and negative levels (a real yield): the side and horizon equal a
    plain scan of every earlier row, at every row."""
    from rotascope.analytics.levels import level_extreme

    rng = np.random.default_rng(11)
    for _ in range(4):
        x = np.round(np.cumsum(rng.normal(0, 1, 120)), 0) - 3  # rounded: many ties
        s = pd.Series(x, index=pd.bdate_range("2020-01-01", periods=len(x)))
        for t in range(1, len(x)):
            ext = level_extreme(s, s.index[t])
            v = x[t]
            hi = [i for i in range(t) if x[i] >= v]
            lo = [i for i in range(t) if x[i] <= v]
            hi_at, lo_at = (hi[-1] if hi else -1), (lo[-1] if lo else -1)
            side = "low" if lo_at < hi_at else "high"
            at = lo_at if side == "low" else hi_at
            assert ext.direction == side
            assert ext.record.since == (None if at < 0 else s.index[at])
            assert ext.rows_since == (None if at < 0 else t - at)
