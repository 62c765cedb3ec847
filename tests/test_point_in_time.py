"""Point-in-time truth (issue 9): every number "as of" a date uses only what was known then.

The generic test copies the real data folder with every file cut to the rows known on the as-of
date (a daily close on its day; a monthly average, return or ratio at its month's end; a FRED
release after its publication lag) and checks that every command that takes ``--as-of`` prints
the same JSON from the cut copy as from the whole files.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.availability import (
    PUBLICATION_LAGS,
    date_staleness,
    known_by,
    period_end_index,
)
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.errors import InputError

runner = CliRunner()
AS_OF = "2024-07-18"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def run_json(*args: str) -> object:
    code, out = invoke(*args, "--json")
    assert code == 0, out
    return json.loads(out)


# ------------------------------------------------------------------------------------------
# the availability rule


def test_period_rows_are_stamped_on_their_end_and_known_then() -> None:
    first_of_month = pd.DatetimeIndex(["2024-05-01", "2024-06-01", "2024-07-01"], name="date")
    ts = TimeSeries(pd.Series([1.0, 2.0, 3.0], index=first_of_month),
                    SeriesMeta("x", kind="valuation", frequency="monthly"))
    assert list(ts.data.index.strftime("%Y-%m-%d")) == ["2024-05-31", "2024-06-30", "2024-07-31"]
    assert known_by(ts, pd.Timestamp("2024-07-18")).data.index[-1] == pd.Timestamp("2024-06-30")
    assert known_by(ts, pd.Timestamp("2024-07-31")).data.index[-1] == pd.Timestamp("2024-07-31")
    lagged = TimeSeries(ts.data, ts.meta.replace(symbol="UNRATE"))
    assert PUBLICATION_LAGS["unrate"] == 10
    assert known_by(lagged, pd.Timestamp("2024-07-09")).data.index[-1] == pd.Timestamp("2024-05-31")
    assert known_by(lagged, pd.Timestamp("2024-07-10")).data.index[-1] == pd.Timestamp("2024-06-30")
    daily = pd.DatetimeIndex(["2024-07-17", "2024-07-18"])
    assert period_end_index(daily, "daily").equals(daily)
    with pytest.raises(InputError, match="two rows for the monthly period ending 2024-06-30"):
        TimeSeries(pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2024-06-01", "2024-06-15"])),
                   SeriesMeta("y", kind="valuation", frequency="monthly"))


def test_staleness_rule() -> None:
    day = pd.Timestamp("2024-07-18")  # a Thursday
    assert not date_staleness(pd.Timestamp("2024-07-11"), "daily", day).stale  # 5 trading days
    assert date_staleness(pd.Timestamp("2024-07-10"), "daily", day).stale  # 6
    assert date_staleness(pd.Timestamp("2024-06-30"), "monthly", day).behind == 0
    assert not date_staleness(pd.Timestamp("2024-05-31"), "monthly", day).stale  # one behind
    assert date_staleness(pd.Timestamp("2024-04-30"), "monthly", day).stale
    assert date_staleness(pd.Timestamp("2023-12-31"), "monthly", day).describe() == "6 months old"


# ------------------------------------------------------------------------------------------
# a copy of the real data cut at what was known on a date


_DAY = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})(\d{2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_SHILLER = re.compile(r"^\s*(\d{4})\.(\d{1,2})\s*$")


def _known(first: str, as_of: pd.Timestamp, lag_days: int = 0, *, french: bool) -> bool:
    """Whether a data row whose first field is ``first`` was known on ``as_of``."""
    if m := _DAY.match(first):
        end = pd.Timestamp(f"{m[1]}-{m[2]}-{m[3]}")
        if lag_days and end.day == 1:  # FRED monthly rows are stamped on the 1st
            end += pd.offsets.MonthEnd(0)
    elif m := _SHILLER.match(first):
        month = int(m[2].ljust(2, "0")) if len(m[2]) == 1 else int(m[2])
        end = pd.Timestamp(int(m[1]), month, 1) + pd.offsets.MonthEnd(0)
    elif french and (m := _MONTH.match(first)):
        end = pd.Timestamp(int(m[1]), int(m[2]), 1) + pd.offsets.MonthEnd(0)
    elif french and (m := _YEAR.match(first)):
        end = pd.Timestamp(int(m[1]), 12, 31)
    else:
        return True  # a header, title or footer line
    return end + pd.Timedelta(days=lag_days) <= as_of


def cut_copy(src: Path, dst: Path, as_of: pd.Timestamp) -> Path:
    """Copy the data folder with every file cut to the rows known on ``as_of``."""
    for path in src.rglob("*"):
        if path.is_dir() or path.suffix.lower() not in (".csv", ".txt"):
            continue
        rel = path.relative_to(src)
        if rel.parts[0] == "universe":
            continue
        out = dst / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="latin-1")
        sep = ";" if path.name == "ie_data.csv" else ","
        lag = PUBLICATION_LAGS.get(path.stem.lower(), 0)
        french = rel.parts[0] == "french"
        lines = [ln for ln in text.splitlines(keepends=True)
                 if _known(ln.split(sep, 1)[0], as_of, lag, french=french)]
        out.write_text("".join(lines), encoding="latin-1")
    return dst


@pytest.fixture(scope="module")
def folders(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    whole = tmp_path_factory.mktemp("whole")
    for sub in ("prices", "macro", "french", "valuation"):
        shutil.copytree(shared_data / sub, whole / sub)
    cut = cut_copy(whole, tmp_path_factory.mktemp("cut"), pd.Timestamp(AS_OF))
    return whole, cut


def _normalised(doc: object, folder: Path) -> object:
    text = json.dumps(doc, sort_keys=True).replace(str(folder), "<data>")
    out = json.loads(text)
    if isinstance(out, dict):
        out.pop("generated_at", None)
    return out


COMMANDS: list[tuple[str, ...]] = [
    ("facts", "--universe", "us", "--all"),
    ("analogs", "small-caps", "large-caps"),
    ("episodes", "small-caps", "large-caps"),
    ("valuation", "file:valuation/ie_data.csv#CAPE"),
    ("valuation", "file:french/6_Portfolios_2x3.CSV#SMALL@BE/ME",
     "file:french/6_Portfolios_2x3.CSV#BIG@BE/ME"),
    ("factors",),
    ("drivers", "small-caps", "large-caps", "--driver", "file:macro/DGS2.csv"),
    ("drivers", "small-caps", "large-caps", "--driver", "file:macro/UNRATE.csv"),
    ("events", "small-caps", "large-caps", "--events", "us-cpi"),
]


@pytest.mark.realdata
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c)[:60])
def test_command_json_is_the_same_on_data_cut_at_the_as_of_date(
    folders: tuple[Path, Path], command: tuple[str, ...], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole, cut = folders
    docs = []
    for i, folder in enumerate((whole, cut)):
        monkeypatch.setenv("ROTASCOPE_HOME", str(tmp_path / f"home{i}"))
        doc = run_json(*command, "--data-dir", str(folder), "--as-of", AS_OF)
        docs.append(_normalised(doc, folder))
    assert docs[0] == docs[1]


@pytest.mark.realdata
def test_report_json_is_the_same_on_data_cut_at_the_as_of_date(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, cut = folders
    docs = []
    for i, folder in enumerate((whole, cut)):
        monkeypatch.setenv("ROTASCOPE_HOME", str(tmp_path / f"home{i}"))
        out = tmp_path / f"r{i}.json"
        code, text = invoke("report", "--universe", "us", "--data-dir", str(folder),
                            "--as-of", AS_OF, "-f", "json", "-o", str(out))
        assert code == 0, text
        docs.append(_normalised(json.loads(out.read_text()), folder))
    assert docs[0] == docs[1]


@pytest.mark.realdata
def test_stored_monthly_factor_is_cut_at_its_month(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A monthly Ken French factor imported with `data import`: facts as of 2024-07-18 end with
    June 2024 (July's return is not known on July 18), from the whole file as from the cut one."""
    whole, cut = folders
    docs = []
    for i, folder in enumerate((whole, cut)):
        monkeypatch.setenv("ROTASCOPE_HOME", str(tmp_path / f"home{i}"))
        name = "smb"
        code, out = invoke("data", "import", str(folder / "french" / "F-F_Research_Data_Factors.CSV"),
                           "--name", name, "--column", "SMB")
        assert code == 0, out
        facts = run_json("facts", "--series", name, "--as-of", AS_OF, "--all")
        assert isinstance(facts, list) and facts
        assert {f["as_of"] for f in facts} == {"2024-06-30"}
        docs.append([{k: v for k, v in f.items() if k not in ("subject", "source")}
                     for f in facts])
    assert docs[0] == docs[1]


# ------------------------------------------------------------------------------------------
# the done-when facts of issue 9


@pytest.mark.realdata
def test_cape_as_of_mid_july_is_junes(shared_data: Path) -> None:
    ie = pd.read_csv(shared_data / "valuation" / "ie_data.csv", sep=";", dtype=str)
    june = float(ie.loc[ie["Date"] == "2024.06", "CAPE"].iloc[0])
    for day in ("2024-07-02", "2024-07-18"):
        out = run_json("valuation", "file:valuation/ie_data.csv#CAPE",
                       "--data-dir", str(shared_data), "--as-of", day)
        assert isinstance(out, dict)
        assert out["date"] == "2024-06-30" and out["value"] == june == 34.81


@pytest.mark.realdata
def test_size_be_me_is_the_market_equity_weighted_aggregate(shared_data: Path) -> None:
    """Small caps' BE/ME is the portfolios' BE/ME weighted by market equity (number of firms x
    average market cap, same file), not their plain mean: independent pandas on the raw file."""
    path = shared_data / "french" / "6_Portfolios_2x3.CSV"
    lines = path.read_text(encoding="latin-1").splitlines()

    def section(title: str) -> pd.DataFrame:
        start = next(i for i, ln in enumerate(lines) if title in ln)
        header = next(i for i in range(start, len(lines)) if lines[i].startswith(","))
        end = next(i for i in range(header + 1, len(lines)) if not lines[i].strip())
        frame = pd.read_csv(path, skiprows=header, nrows=end - header - 1, index_col=0,
                            skipinitialspace=True, encoding="latin-1")
        frame.index = pd.to_datetime(frame.index.astype(str), format="%Y%m") + pd.offsets.MonthEnd(0)
        frame.columns = [c.strip() for c in frame.columns]
        return frame.replace([-99.99, -999.0], np.nan)

    bm = section("Value Weight Average of BE/ME")
    me = section("Number of Firms in Portfolios") * section("Average Market Cap")
    small, big = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM"], ["BIG LoBM", "ME2 BM2", "BIG HiBM"]
    agg_small = (bm[small] * me[small]).sum(axis=1) / me[small].sum(axis=1)
    agg_big = (bm[big] * me[big]).sum(axis=1) / me[big].sum(axis=1)
    ratio = (agg_small / agg_big).loc[:"2024-06-30"]
    out = run_json("valuation", "file:french/6_Portfolios_2x3.CSV#SMALL@BE/ME",
                   "file:french/6_Portfolios_2x3.CSV#BIG@BE/ME", "--data-dir", str(shared_data),
                   "--as-of", AS_OF)
    assert isinstance(out, dict)
    assert out["date"] == "2024-06-30"
    assert out["value"] == pytest.approx(ratio.iloc[-1], rel=1e-12)
    look = ratio.iloc[-240:]
    v = ratio.iloc[-1]
    assert out["percentile"] == pytest.approx(((look < v).sum() + 0.5 * (look == v).sum()) / 240)
    # the plain mean jumps every July when the portfolios are re-formed; the weighted one is
    # what the source line says it is
    assert "market-equity-weighted mean of SMALL LoBM, ME1 BM2, SMALL HiBM" in out["source"]
    plain = bm[small].mean(axis=1) / bm[big].mean(axis=1)
    assert abs(plain.loc["2024-06-30"] - v) > 0.5  # the two composites are not the same thing


@pytest.fixture(scope="module")
def report_2024_07_18(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("pit-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("ROTASCOPE_HOME", str(home))
    try:
        out = home / "r.json"
        code, text = invoke("report", "--universe", "us", "--data-dir", str(shared_data),
                            "--as-of", AS_OF, "-f", "json", "-o", str(out))
        assert code == 0, text
        return json.loads(out.read_text())
    finally:
        mp.undo()


def _dates(doc: object) -> list[str]:
    return re.findall(r'"(\d{4}-\d{2}-\d{2})"', json.dumps(doc))


@pytest.mark.realdata
def test_report_as_of_2024_07_18_holds_nothing_later_and_no_made_up_data(
    report_2024_07_18: dict,
) -> None:
    doc = report_2024_07_18
    later = sorted({d for d in _dates({k: v for k, v in doc.items() if k != "generated_at"})
                    if d > AS_OF})
    assert later == []
    sections = doc["sections"]
    assert sections["earnings"] is None and sections["scorecard"] is None
    assert not any(f["sample"] for f in doc["facts"])
    assert "sample" not in json.dumps(doc["tables"].get("earnings", [])).lower()
    # the valuation facts use June 2024 rows
    val = [f["fact"] for f in doc["facts"] if f["kind"].startswith("valuation")]
    assert {f["as_of"] for f in val} <= {"2024-06-30"}
    assert len(doc["tables"]["valuation"]) == 3
    for item in doc["tables"]["valuation"]:
        assert item["date"] == "2024-06-30", item


@pytest.mark.realdata
def test_an_as_of_after_every_source_is_an_error(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, text = invoke("report", "--universe", "us", "--data-dir", str(shared_data),
                        "--as-of", "2030-01-01", "-f", "json", "-o", str(out))
    assert code == 2 and not out.exists()
    assert "--as-of 2030-01-01 is after the data: the latest is 2026-07-31" in text
    assert "--allow-stale" in text and "Traceback" not in text
    code, text = invoke("report", "--universe", "us", "--data-dir", str(shared_data),
                        "--as-of", "2030-01-01", "-f", "json", "-o", str(out), "--allow-stale")
    assert code == 0, text
    doc = json.loads(out.read_text())
    assert doc["facts"] == []  # every fact is stale: none is a headline
    assert any("Stale on 2030-01-01" in n for n in doc["notes"])


@pytest.mark.realdata
def test_facts_refuse_an_as_of_after_the_data(shared_data: Path) -> None:
    gspc = shared_data / "prices" / "^GSPC.csv"
    assert invoke("data", "import", str(gspc), "--name", "spx")[0] == 0
    code, text = invoke("facts", "--series", "spx", "--as-of", "2030-01-01")
    assert code == 2 and "the latest is 2026-07-13" in text and "Traceback" not in text
    code, text = invoke("facts", "--series", "spx", "--as-of", "2030-01-01", "--allow-stale",
                        "--json", "--all")
    assert code == 0, text
    assert {f["as_of"] for f in json.loads(text)} == {"2026-07-13"}  # each fact's own date
    assert invoke("facts", "--series", "spx", "--as-of", "2026-07-18")[0] == 0  # 5 days: fresh


@pytest.mark.realdata
def test_stale_sources_are_never_headlines(shared_data: Path, tmp_path: Path) -> None:
    """As of 2026-07-31 the CAPE (December 2025) and the Ken French factors (April 2026) are
    stale: they stay in their sections, marked, and out of the headline."""
    out = tmp_path / "r.json"
    code, text = invoke("report", "--universe", "us", "--data-dir", str(shared_data),
                        "--as-of", "2026-07-31", "-f", "json", "-o", str(out))
    assert code == 0, text
    doc = json.loads(out.read_text())
    assert all(not f["fact"]["details"].get("stale") for f in doc["facts"])
    assert {f["fact"]["as_of"] for f in doc["facts"]} <= {"2026-07-31"}
    stale = {r["series"] for r in doc["tables"]["sources"] if r.get("stale")}
    assert any("CAPE" in s for s in stale) and any("momentum" in s.lower() for s in stale)
    assert any("Stale on 2026-07-31" in n for n in doc["notes"])


# ------------------------------------------------------------------------------------------
# names: a stored name wins over an alias


@pytest.mark.realdata
def test_a_stored_name_wins_over_a_universe_alias(shared_data: Path) -> None:
    gspc = shared_data / "prices" / "^GSPC.csv"
    assert invoke("data", "import", str(gspc), "--name", "spx")[0] == 0
    mom = shared_data / "french" / "F-F_Momentum_Factor_daily.csv"
    assert invoke("data", "import", str(mom), "--name", "mom", "--column", "Mom")[0] == 0
    # `analogs spx ...` uses the stored ^GSPC, not SPY.csv through the alias
    out = run_json("analogs", "spx", "large-caps", "--data-dir", str(shared_data),
                   "--as-of", "2020-03-16")
    assert isinstance(out, dict) and "^GSPC.csv" in out["sources"]["spx"]
    # `factors mom` reads the stored series instead of failing on the ff-momentum segment
    facs = run_json("factors", "mom", "--as-of", "2020-11-13")
    assert isinstance(facs, dict)
    assert [f["factor"] for f in facs["factors"]] == ["mom"]
    assert facs["factors"][0]["status"] == "unwind"


def test_an_ambiguous_name_lists_both_meanings(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n")
    assert invoke("data", "import", str(csv), "--name", "SPX")[0] == 0
    code, text = invoke("analogs", "spx", "small-caps")
    assert code == 2, text
    assert "'spx' is ambiguous" in text and "stored series 'SPX'" in text
    assert "segment 'large-caps'" in text and "Traceback" not in text


# ------------------------------------------------------------------------------------------
# factor statuses read depth and direction


@pytest.mark.realdata
@pytest.mark.parametrize(("factor", "day", "status"), [
    ("ff-size", "2024-07-17", "rebounding"),
    ("ff-momentum", "2024-07-18", "rolling-over"),
    ("ff-momentum", "2020-11-13", "unwind"),
    ("ff-momentum", "2009-04-09", "crash"),
])
def test_factor_statuses_follow_the_move(shared_data: Path, factor: str, day: str,
                                         status: str) -> None:
    out = run_json("factors", factor, "--data-dir", str(shared_data), "--as-of", day)
    assert isinstance(out, dict)
    res = out["factors"][0]
    assert res["status"] == status
    sentence = res["facts"][0]["sentence"]
    if status == "rolling-over":  # the numbers that decided it are in the sentence
        assert "started to roll over: the factor fell 2.4% over five days, among the worst 8%" \
               in sentence and "4.0% below its 12-month high of June 18, 2024" in sentence
    if status == "rebounding":
        assert "is rebounding: the factor gained 9.5% over five days" in sentence


# ------------------------------------------------------------------------------------------
# the numbers of a pair sentence read in the direction of its words

_PCT = r"([+-]?\d+(?:\.\d+)?)%"


def sign_problems(fact: dict) -> list[str]:
    """What in a pair fact's sentence contradicts its words (empty when nothing does)."""
    s, d = fact["sentence"], fact.get("details", {})
    out = []
    if (m := re.search(r"^The (.+?) beat the (.+?) by \d+(?:\.\d+)? percentage points", s)) and (
            "spread" in d and "a_display" in d):
        leader = d["a_display"] if d["spread"] >= 0 else d["b_display"]
        if m[1] != leader:
            out.append(f"the margin's winner is not the leg with the higher return: {s}")
    if " beat the " in s and (m := re.search(r"\(relative return " + _PCT, s)):
        if float(m[1]) <= 0:
            out.append(f"a winner's relative return is not positive: {s}")
        if "bottom decile" in s:
            out.append(f"a winner's move is in the bottom decile: {s}")
    if "rotation toward the" in s or ", toward the " in s:
        for m in re.finditer(r"peak(?:ed at| \S+ relative move) " + _PCT, s):
            if float(m[1]) < 0:
                out.append(f"the peak move toward the winner is negative: {s}")
    if m := re.search(r" is (up|down) " + _PCT + r" this year, against " + _PCT, s):
        if (m[1] == "up") != (d["a_return"] >= 0):
            out.append(f"up/down contradicts A's return: {s}")
        if (float(m[3]) >= 0) != (d["b_return"] >= 0):
            out.append(f"B's sign contradicts B's return: {s}")
        if (rel := re.search(r"\(relative return " + _PCT, s)) and (
                (float(rel[1]) >= 0) != (d["a_return"] >= d["b_return"])):
            out.append(f"the relative return's sign contradicts the two returns: {s}")
    if m := re.search(r"has (outperformed|underperformed) .* for each .* (fall|rise) in", s):
        beta = re.search(r"\(beta ([+-]?\d+(?:\.\d+)?)", s)
        assert beta, s
        negative = (m[1] == "outperformed") == (m[2] == "fall")
        if negative != (float(beta[1]) < 0):
            out.append(f"the beta's sign contradicts the words: {s}")
    if "kept outperforming" in s and (m := re.search(r"in favour of the (.+?) over the", s)):
        if f"the {m[1]} kept outperforming" not in s:
            out.append(f"the subject of 'kept outperforming' is not the move's winner: {s}")
    return out


@pytest.mark.realdata
@pytest.mark.parametrize("day", ["2024-07-17", "2024-07-18", "2025-09-24", "2022-06-16"])
def test_pair_sentences_read_in_the_direction_of_their_words(shared_data: Path, day: str) -> None:
    facts = run_json("facts", "--universe", "us", "--data-dir", str(shared_data),
                     "--as-of", day, "--all")
    assert isinstance(facts, list)
    pair_facts = [f for f in facts if f["versus"]]
    assert len(pair_facts) > 20
    problems = [p for f in pair_facts for p in sign_problems(f)]
    assert problems == []
    # the test bites: both directions occur, and a flipped sign would be caught
    beats = [f for f in pair_facts if " beat the " in f["sentence"]]
    assert any(f["value"] < 0 for f in beats) and any(f["value"] > 0 for f in beats)
    with_rel = [f for f in beats if "(relative return +" in f["sentence"]]
    if with_rel:
        bad = dict(with_rel[0], sentence=with_rel[0]["sentence"].replace(
            "(relative return +", "(relative return -"))
        assert sign_problems(bad)
    margin = next(f for f in beats if "percentage points" in f["sentence"])
    d = margin["details"]
    lead, lag = ((d["a_display"], d["b_display"]) if d["spread"] >= 0
                 else (d["b_display"], d["a_display"]))
    swapped = dict(margin, sentence=margin["sentence"].replace(
        f"The {lead} beat the {lag}", f"The {lag} beat the {lead}", 1))
    assert sign_problems(swapped)


def test_pair_sentences_of_the_sample_report(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code, text = invoke("report", "--universe", "sample", "-f", "json", "-o", str(out))
    assert code == 0, text
    doc = json.loads(out.read_text())
    facts = run_json("facts", "--universe", "sample", "--all")
    assert isinstance(facts, list)
    pair_facts = [f for f in facts if f["versus"]] + [
        h["fact"] for h in doc["facts"] if h["fact"].get("versus")]
    assert pair_facts
    assert [p for f in pair_facts for p in sign_problems(f)] == []


def test_a_store_written_with_first_of_month_stamps_merges_cleanly(tmp_path: Path) -> None:
    """A monthly series stored before period rows were stamped on the period's end (August as
    2025-08-01) reads as 2025-08-31, and an incremental merge replaces that row instead of
    adding a second row for August."""
    import duckdb

    from rotascope.data.store import Store

    path = tmp_path / "store.duckdb"
    first = pd.DatetimeIndex(["2025-06-01", "2025-07-01", "2025-08-01"], name="date")
    ts = TimeSeries(pd.Series([4.1, 4.2, 4.3], index=first),
                    SeriesMeta("unrate", kind="macro", frequency="monthly", symbol="UNRATE"))
    with Store(path) as store:
        store.write(ts)
    con = duckdb.connect(str(path))  # the old stamps, as an earlier version wrote them
    con.execute("UPDATE series_values SET date = date_trunc('month', date)")
    con.close()
    with Store(path) as store:
        assert list(store.read("unrate").data.index.strftime("%Y-%m-%d")) == [
            "2025-06-30", "2025-07-31", "2025-08-31"]
        newer = TimeSeries(pd.Series([4.35, 4.4], index=pd.DatetimeIndex(["2025-08-01",
                                                                           "2025-09-01"])),
                           ts.meta)
        store.write(newer, mode="merge")
        got = store.read("unrate").data
    assert list(got.index.strftime("%Y-%m-%d")) == ["2025-06-30", "2025-07-31", "2025-08-31",
                                                     "2025-09-30"]
    assert got.loc["2025-08-31"] == 4.35
