"""Issue 13, items 7, 8, 9 and 13: hostile files and arguments through the real CLI.

Every case ends in one line naming the file (row, option) and the problem with exit code 2,
or in a correct result; never a traceback, never a half-written store.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.store import Store

runner = CliRunner(env={"COLUMNS": "250"})  # usage errors are boxed: keep them on one line
ESC = "\x1b"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}\n{result.output}"
    )
    return result.exit_code, result.output


def one_error(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("rotascope: error:")]
    assert len(lines) == 1, out
    assert "Traceback" not in out
    return lines[0]


def daily_csv(path: Path, n: int = 30, start: float = 100.0, header: str = "Date,Close") -> Path:
    days = pd.bdate_range("2024-01-02", periods=n)
    rows = [header] + [f"{d:%Y-%m-%d},{start + i:.2f}" for i, d in enumerate(days)]
    path.write_text("\n".join(rows) + "\n")
    return path


def store_names() -> list[str]:
    with Store(read_only=True) as store:
        return store.names()


# ------------------------------------------------------------------ 7. malformed files


def test_item7_csv_field_over_the_csv_module_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Date,Close\n2024-01-02," + "1" * 200_000 + "\n2024-01-03,2\n")
    code, out = invoke("data", "import", str(path), "--name", "big")
    assert code == 2
    line = one_error(out)
    assert str(path) in line and "line 2" in line and "longer than" in line
    assert store_names() == []


def test_item7_pk_file_that_is_no_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.csv"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive at all" + b"\x00" * 100)
    code, out = invoke("data", "import", str(path), "--name", "fake")
    assert code == 2
    assert "not a valid zip archive" in one_error(out)


def test_item7_parquet_with_two_level_column_names(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    index = pd.bdate_range("2024-01-02", periods=5, name="Date")
    columns = pd.MultiIndex.from_tuples([("Close", "SPY"), ("Close", "QQQ")])
    frame = pd.DataFrame(np.arange(10.0).reshape(5, 2) + 1, index=index, columns=columns)
    path = tmp_path / "two.parquet"
    frame.to_parquet(path)
    code, out = invoke("data", "import", str(path), "--name", "two")
    assert code == 2
    line = one_error(out)
    assert str(path) in line and "two-level column names" in line


def test_item7_empty_events_file(tmp_path: Path) -> None:
    from rotascope.errors import InputError
    from rotascope.pipeline.refs import load_events

    path = tmp_path / "events.csv"
    path.write_text("")
    with pytest.raises(InputError, match="events.csv: cannot read events"):
        load_events(str(path))


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ('name = "x"\nsegments = [5]\n', "segment 1 must be a table"),
        ('name = "x"\nsegments = "abc"\n', "needs at least one [[segments]] table"),
        ('name = "x"\n[[segments]]\nname = "a"\nseries = {files = "a.csv"}\naliases = "b"\n',
         "'aliases' must be a list of strings"),
        ('name = "x"\n[[segments]]\nname = "a"\nseries = {files = "a.csv"}\n[[pairs]]\n'
         'name = "p"\na = "a"\nb = 5\n', "'b' must be a string"),
        ('name = "x"\npairs = 3\n[[segments]]\nname = "a"\nseries = {files = "a.csv"}\n',
         "'pairs' must be a list of tables"),
    ],
    ids=["segments-int", "segments-str", "aliases-str", "pair-int", "pairs-int"],
)
def test_item7_universe_toml_with_wrong_types(tmp_path: Path, content: str, word: str) -> None:
    path = tmp_path / "u.toml"
    path.write_text(content)
    code, out = invoke("universe", "show", str(path))
    assert code == 2
    line = one_error(out)
    assert str(path) in line and word in line


def test_item7_latin1_universe_toml(tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    path.write_bytes('name = "x"\ndescription = "Soci\u00e9t\u00e9"\n'.encode("latin-1"))
    code, out = invoke("universe", "show", str(path))
    assert code == 2
    line = one_error(out)
    assert str(path) in line and "not UTF-8" in line


def test_item7_deeply_nested_universe_toml(tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    path.write_text('name = "x"\nsegments = ' + "[" * 50_000 + "]" * 50_000 + "\n")
    code, out = invoke("universe", "show", str(path))
    assert code == 2
    line = one_error(out)
    assert str(path) in line and "nested too deeply" in line


@pytest.mark.parametrize(
    ("value", "word"),
    [("2020-03-16T00:00+05:00", "time zone"), ("", "is not a date"), ("  ", "is not a date"),
     ("2020-03-16 13:45", "a date without a time")],
    ids=["tz", "empty", "blank", "time"],
)
def test_item7_as_of_with_time_zone_or_empty(tmp_path: Path, value: str, word: str) -> None:
    daily_csv(tmp_path / "spx.csv")
    assert invoke("data", "import", str(tmp_path / "spx.csv"), "--name", "spx")[0] == 0
    code, out = invoke("facts", "--series", "spx", "--as-of", value)
    assert code == 2, out
    assert "--as-of" in out and word in out
    assert "Traceback" not in out


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
def test_item7_timeout_inf(value: str) -> None:
    code, out = invoke("data", "fetch", "DGS2", "--provider", "fred", "--timeout", value,
                       "--base-url", "http://127.0.0.1:9/")
    assert code == 2, out
    assert "Traceback" not in out
    ours = "timeout" in one_error(out) and "finite" in out
    if value == "nan":  # typer's range check refuses NaN in some versions, ours in the others
        assert ours or "Invalid value for '--timeout'" in out, out
    else:
        assert ours, out


def test_item7_report_out_on_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "here"
    target.mkdir()
    code, out = invoke("report", "--universe", "sample", "--out", str(target))
    assert code == 2
    line = one_error(out)
    assert str(target) in line and "is a folder" in line
    assert list(target.iterdir()) == []


def test_item7_report_out_on_a_full_disk(tmp_path: Path) -> None:
    """A real write failure: the child may write at most 64 KiB per file (RLIMIT_FSIZE)."""
    out_file = tmp_path / "report.html"
    env = dict(os.environ, ROTASCOPE_HOME=str(tmp_path / "home"))

    command = [str(Path(sys.executable).parent / "rotascope"), "report", "--universe", "sample"]
    # a first run fills the numba cache, so the limited run writes nothing but the report
    warm = subprocess.run([*command, "--out", str(tmp_path / "warm" / "r.html")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert warm.returncode == 0, warm.stderr
    assert (tmp_path / "warm" / "r.html").stat().st_size > 16 << 10

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 10, 16 << 10))

    proc = subprocess.run([*command, "--out", str(out_file)], capture_output=True, text=True,
                          env=env, preexec_fn=limit, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    line = one_error(proc.stderr)
    assert str(out_file) in line and "cannot write" in line
    assert not out_file.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_item7_one_bad_file_leaves_its_segment_out(tmp_path: Path) -> None:
    daily_csv(tmp_path / "a.csv")
    daily_csv(tmp_path / "b.csv", start=50.0)
    (tmp_path / "c.csv").write_bytes(b"PK\x03\x04garbage")
    universe = tmp_path / "u.toml"
    universe.write_text(
        'name = "u"\n'
        + "".join(f'[[segments]]\nname = "{s}"\nseries = {{files = "{s}.csv"}}\n' for s in "abc")
        + '[[pairs]]\nname = "a-b"\na = "a"\nb = "b"\n'
    )
    code, out = invoke("facts", "--universe", str(universe), "--data-dir", str(tmp_path), "--all")
    assert code == 0, out
    assert "rotascope: warning:" in out and "c.csv" in out
    code, out = invoke("facts", "--universe", str(universe), "--data-dir", str(tmp_path),
                       "--segments", "a,b,c", "--all")
    assert code == 0, out
    assert "c.csv" in out and "not a valid zip archive" in out
    code, out = invoke("report", "--universe", str(universe), "--data-dir", str(tmp_path),
                       "--format", "json", "--out", str(tmp_path / "r.json"))
    assert code == 0, out
    assert "rotascope: warning: segment 'c' left out:" in out and "c.csv" in out
    assert (tmp_path / "r.json").is_file()


# ------------------------------------------------------------------ 8. markup injection


def test_item8_markup_in_a_csv_header_is_printed_as_is(tmp_path: Path) -> None:
    path = daily_csv(tmp_path / "m.csv", header="Date,[/x][link=http://evil.example]Close")
    code, out = invoke("data", "import", str(path), "--name", "m")
    assert code == 0, out
    assert "[/x][link=http://evil.example]Close" in out
    code, out = invoke("data", "list")
    assert code == 0 and "m" in out


def test_item8_markup_and_escapes_in_names_and_displays(tmp_path: Path) -> None:
    name = "[link=http://evil.example]spx[/link]"
    daily_csv(tmp_path / "s.csv")
    code, out = invoke("data", "import", str(tmp_path / "s.csv"), "--name", name)
    assert code == 0, out
    assert name in out
    code, out = invoke("data", "show", name)
    assert code == 0 and name in out
    universe = tmp_path / "u.toml"
    universe.write_text(
        'name = "u"\ndescription = "evil \\u001b[2J\\u001b]8;;http://e\\u001b\\\\ text [/x]"\n'
        '[[segments]]\nname = "a"\ndisplay = "[/x][bold]A"\nseries = {files = "s.csv"}\n'
    )
    code, out = invoke("universe", "show", str(universe))
    assert code == 0, out
    assert ESC not in out
    assert "\\x1b[2J" in out and "[/x][bold]A" in out


def test_item8_control_characters_in_error_messages_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"Date,A{ESC}[2JB,C\n2024-01-02,1,2\n")
    code, out = invoke("data", "import", str(path), "--name", "e", "--column", "nosuch")
    assert code == 2
    line = one_error(out)
    assert ESC not in out and "\\x1b[2J" in line


# ------------------------------------------------------------------ 9. silent misparses


def test_item9_header_less_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nohead.csv"
    days = pd.bdate_range("2024-01-02", periods=10)
    path.write_text("".join(f"{d:%Y-%m-%d},{100 + i}\n" for i, d in enumerate(days)))
    code, out = invoke("data", "import", str(path), "--name", "nohead")
    assert code == 2
    line = one_error(out)
    assert "line 1" in line and "no header" in line and "Date,Close" in line
    assert store_names() == []


def test_item9_intraday_timestamps_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "intraday.csv"
    path.write_text("Date,Close\n2024-01-02 09:30,10\n2024-01-02 16:00,11\n2024-01-03 16:00,12\n")
    code, out = invoke("data", "import", str(path), "--name", "i")
    assert code == 2
    line = one_error(out)
    assert "2024-01-02" in line and "intraday" in line and "line 3" in line
    assert store_names() == []


def test_item9_daily_closes_with_a_time_keep_their_day(tmp_path: Path) -> None:
    path = tmp_path / "closes.csv"
    path.write_text("Date,Close\n2024-01-02 16:00,10\n2024-01-03 16:00,11\n")
    code, out = invoke("data", "import", str(path), "--name", "c")
    assert code == 0, out
    with Store(read_only=True) as store:
        index = store.read("c").data.index
    assert list(index) == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]


def test_item9_integer_dates_in_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"date": [20240102, 20240103, 20240104], "close": [1.0, 2.0, 3.0]})
    path = tmp_path / "ints.parquet"
    frame.to_parquet(path)
    code, out = invoke("data", "import", str(path), "--name", "ints")
    assert code == 0, out
    with Store(read_only=True) as store:
        assert list(store.read("ints").data.index.strftime("%Y-%m-%d")) == [
            "2024-01-02", "2024-01-03", "2024-01-04"]
    frame = pd.DataFrame({"date": [1, 2, 3], "close": [1.0, 2.0, 3.0]})
    frame.to_parquet(path)
    code, out = invoke("data", "import", str(path), "--name", "ints2")
    assert code == 2
    assert "integer dates" in one_error(out)


def test_item9_ambiguous_day_month_dates_need_the_intent(tmp_path: Path) -> None:
    path = tmp_path / "dm.csv"
    # 1 to 5 February 2024 written day/month: every day is at most 12
    path.write_text("Date,Close\n01/02/2024,1\n02/02/2024,2\n05/02/2024,3\n06/02/2024,4\n")
    code, out = invoke("data", "import", str(path), "--name", "dm")
    assert code == 2
    line = one_error(out)
    assert "--dayfirst" in line and "--date-format" in line and "ambiguous" in line
    code, out = invoke("data", "import", str(path), "--name", "dm", "--dayfirst")
    assert code == 0, out
    with Store(read_only=True) as store:
        assert list(store.read("dm").data.index.day) == [1, 2, 5, 6]
    code, out = invoke("data", "import", str(path), "--name", "md", "--date-format", "%m/%d/%Y")
    assert code == 0, out
    with Store(read_only=True) as store:
        assert list(store.read("md").data.index.month) == [1, 2, 5, 6]


def test_item9_french_file_with_a_stray_non_date_row(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / "french" / "F-F_Research_Data_Factors_daily.csv").read_text()
    lines = text.splitlines()
    k = next(i for i, line in enumerate(lines) if line.strip().startswith("2000"))
    lines.insert(k, "oops,1,2,3,4")
    path = tmp_path / "F-F_Research_Data_Factors_daily.csv"
    path.write_text("\n".join(lines) + "\n")
    code, out = invoke("data", "import", str(path), "--name", "ff", "--column", "SMB")
    assert code == 2
    line = one_error(out)
    assert f"line {k + 1}" in line and "oops" in line
    assert store_names() == []


# ------------------------------------------------------------------ 13. names


@pytest.mark.parametrize(
    ("name", "word"),
    [("spx ", "trailing spaces"), ("a,b", "comma"), ("", "non-empty")],
    ids=["trailing-space", "comma", "empty"],
)
def test_item13_import_refuses_names_that_cannot_be_addressed(
    tmp_path: Path, name: str, word: str
) -> None:
    daily_csv(tmp_path / "spx.csv")
    code, out = invoke("data", "import", str(tmp_path / "spx.csv"), "--name", name)
    assert code == 2
    assert word in one_error(out)
    assert store_names() == []


def test_item13_analogs_of_a_segment_against_itself(tmp_path: Path) -> None:
    daily_csv(tmp_path / "a.csv")
    universe = tmp_path / "u.toml"
    universe.write_text('name = "u"\n[[segments]]\nname = "a"\naliases = ["alpha"]\n'
                        'series = {files = "a.csv"}\n')
    for b in ("a", "alpha"):
        code, out = invoke("analogs", "a", b, "--universe", str(universe), "--data-dir",
                           str(tmp_path))
        assert code == 2
        assert "the same series twice" in one_error(out)
    code, out = invoke("episodes", "a", "a", "--universe", str(universe), "--data-dir",
                       str(tmp_path))
    assert code == 2
    assert "the same series twice" in one_error(out)




# ------------------------------------------------------------------ 1. local bombs


@pytest.mark.parametrize("wrapper", ["gzip", "zip"])
def test_item1_local_gzip_and_zip_bombs_stop_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrapper: str
) -> None:
    import zipfile
    import zlib

    import rotascope.data.providers.files as files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 4 << 20)  # the 1 GiB cap, scaled down
    block = b"0" * (1 << 16)
    path = tmp_path / f"bomb.{wrapper}"
    if wrapper == "gzip":
        deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        chunks = [b"Date,Close\n"] + [block] * 1600  # 100 MiB
        path.write_bytes(b"".join(deflater.compress(c) for c in chunks) + deflater.flush())
    else:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("data.csv", "w", force_zip64=True) as member:
                member.write(b"Date,Close\n")
                for _ in range(1600):
                    member.write(block)
    assert path.stat().st_size < 1 << 20
    code, out = invoke("data", "import", str(path), "--name", "bomb")
    assert code == 2
    assert "more than 4 MiB; refused" in one_error(out)
    assert store_names() == []
