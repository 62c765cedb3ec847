"""Issue 13: property-based fuzzing of `data import` and the files provider.

Inputs are mutations of the real files in ../shared/data (cut to their first rows so that each
example is fast) and generated CSV and Parquet files. Any exception other than rotascope's own
errors fails the test, and so does any change to the store after an error. The number of
examples is fixed and the search derandomized, so CI runs the same cases every time.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.providers.files import FilesProvider
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import Store
from rotascope.errors import RotascopeError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
REAL_FILES = ("prices/SPY.csv", "prices/^RUT.csv", "prices/^GSPC.csv", "macro/DGS2.csv",
              "french/F-F_Momentum_Factor_daily.csv", "french/6_Portfolios_2x3.CSV",
              "french/F-F_Research_Data_5_Factors_2x3_daily.csv")
HEAD_LINES = 120
runner = CliRunner()

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)


def _heads() -> list[bytes]:
    out = []
    for rel in REAL_FILES:
        path = SHARED / rel
        if path.is_file():
            lines = path.read_bytes().splitlines(keepends=True)
            out.append(b"".join(lines[:HEAD_LINES]))
    return out


HEADS = _heads()


def _real_parquet() -> bytes | None:
    """The first rows of a real price file (SPY) as Parquet, to mutate."""
    path = SHARED / "prices" / "SPY.csv"
    try:
        frame = pd.read_csv(path, nrows=HEAD_LINES, index_col="Date", parse_dates=True)
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
    except (OSError, ImportError):
        return None
    return buffer.getvalue()


REAL_PARQUET = _real_parquet()

NASTY = [b"\x00", b"\x1b[2J", b"[/x]", b"[link=http://e]", b'"', b",", b";", b"\t", b"\r",
         b"\n", b"nan", b"-1", b"0", b"1e309", b"PK\x03\x04", b"\x1f\x8b", b"PAR1", b"\xff\xfe",
         b"2024-13-45", b"31/12/2024", b"99999999", b"-99.99", b" ", b"inf", b"1,5", b"<html>"]
#: Starts of files that switch the reader (zip, gzip, Parquet, BOMs, HTML).
MAGIC = [b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"PAR1", b"\xef\xbb\xbf", b"\xff\xfe",
         b"<!DOCTYPE html><html>"]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("insert"), st.floats(0, 1),
              st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=20))),
    st.tuples(st.just("dupline"), st.floats(0, 1), st.integers(1, 3)),
    st.tuples(st.just("swaplines"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("replaceline"), st.floats(0, 1), st.sampled_from(NASTY)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("prefix"), st.just(0.0), st.sampled_from(MAGIC)),
    st.tuples(st.just("longrun"), st.floats(0, 1), st.sampled_from([1_000, 140_000])),
)


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    """Apply mutations to bytes: deletions, insertions, line swaps, truncation, byte flips."""
    for op, where, arg in steps:
        pos = int(where * len(data))
        lines = data.splitlines(keepends=True) or [b""]
        k = min(int(where * len(lines)), len(lines) - 1)
        if op == "delete":
            data = data[:pos] + data[pos + arg:]
        elif op == "insert":
            data = data[:pos] + arg + data[pos:]
        elif op == "dupline":
            data = b"".join(lines[: k + 1] + [lines[k]] * arg + lines[k + 1:])
        elif op == "swaplines":
            j = min(int(arg * len(lines)), len(lines) - 1)
            lines[k], lines[j] = lines[j], lines[k]
            data = b"".join(lines)
        elif op == "replaceline":
            lines[k] = arg + b"\n"
            data = b"".join(lines)
        elif op == "truncate":
            data = data[:pos]
        elif op == "prefix":
            data = arg + data
        elif op == "longrun":  # one field longer than the csv module's limit
            data = data[:pos] + b"7" * arg + data[pos:]
        elif op == "flip" and data:
            pos = min(pos, len(data) - 1)
            data = data[:pos] + bytes([arg]) + data[pos + 1:]
    return data


date_text = st.dates(min_value=pd.Timestamp("1900-01-01").date(),
                     max_value=pd.Timestamp("2100-12-31").date()).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.strftime("%Y%m%d"), d.strftime("%m/%d/%Y"),
                               d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"),
                               d.strftime("%Y-%m-%d 16:00"), d.strftime("%b %d, %Y")]))
number_text = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                        st.integers(-10**20, 10**20).map(str), st.sampled_from(["", ".", "NA"]))
junk_text = st.text(alphabet=st.sampled_from(list(',;"\t \x00\x1b[]/\\:-.0123456789aZé')),
                    max_size=12)
field = st.one_of(date_text, number_text, junk_text)
header = st.one_of(st.sampled_from(["Date,Close", "observation_date,DGS2", "Date,Adj Close",
                                    "date;value", "Date,Open,High,Low,Close,Volume",
                                    "Price,Close\nTicker,SPY\nDate,", ""]),
                   st.lists(junk_text, min_size=1, max_size=4).map(",".join))


@st.composite
def generated_csv(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    head = draw(header)
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(field, min_size=width, max_size=width), max_size=12))
    if draw(st.booleans()):  # mostly well-formed rows: dates that increase, positive numbers
        start = draw(st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                              max_value=pd.Timestamp("2030-01-01").date()))
        days = pd.bdate_range(start, periods=draw(st.integers(1, 30)))
        values = draw(st.lists(st.floats(-10, 1e6, allow_nan=False), min_size=len(days),
                               max_size=len(days)))
        rows += [[f"{d:%Y-%m-%d}", repr(v)] for d, v in zip(days, values, strict=True)]
    text = head + "\n" + "\n".join(sep.join(r) for r in rows) + "\n"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"])), "replace")


@st.composite
def generated_parquet(draw: st.DrawFn) -> bytes:
    if REAL_PARQUET is not None and draw(st.integers(0, 3)) == 0:  # a real file, mutated
        return mutate(REAL_PARQUET, draw(st.lists(mutation, min_size=1, max_size=3)))
    n = draw(st.integers(0, 15))
    kind = draw(st.sampled_from(["datetime-index", "date-column", "int-dates", "str-dates",
                                 "no-dates", "two-level"]))
    values = draw(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                     st.integers(-5, 10**6)), min_size=n, max_size=n))
    days = pd.bdate_range("2020-01-01", periods=n)
    if draw(st.booleans()):
        days = days[::-1]
    column = draw(st.sampled_from(["Close", "value", "x", "[/x]", "Adj Close"]))
    frame = pd.DataFrame({column: pd.Series(values, dtype="float64")})
    if kind == "datetime-index":
        frame.index = pd.DatetimeIndex(days, name="Date")
    elif kind == "date-column":
        frame.insert(0, "date", days)
    elif kind == "int-dates":
        frame.insert(0, "date", [int(f"{d:%Y%m%d}") for d in days] if draw(st.booleans())
                     else list(range(n)))
    elif kind == "str-dates":
        frame.insert(0, "date", draw(st.lists(date_text | junk_text, min_size=n, max_size=n)))
    elif kind == "two-level":
        frame.columns = pd.MultiIndex.from_tuples([("Close", "SPY")])
        frame.index = pd.DatetimeIndex(days, name="Date")
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    data = buffer.getvalue()
    if draw(st.booleans()):
        data = mutate(data, draw(st.lists(mutation, max_size=2)))
    return data


def snapshot() -> pd.DataFrame:
    with Store(read_only=True) as store:
        return store.list().drop(columns=["fetched_at"])


#: The click command, built once (typer's runner rebuilds it on every call, ~0.1 s).
COMMAND = typer.main.get_command(app)


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="rotascope-fuzz-") as name:
        yield Path(name)


@pytest.fixture
def baseline(rotascope_home: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """A store holding one series; every example must leave it exactly so."""
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: COMMAND)
    days = pd.bdate_range("2024-01-02", periods=5, name="date")
    with Store() as store:
        store.write(TimeSeries(pd.Series(np.arange(1.0, 6.0), index=days),
                               SeriesMeta("base", source="test")))
    return snapshot()


def check_import(data: bytes, folder: Path, suffix: str, baseline: pd.DataFrame) -> None:
    """`data import` and the files provider: success, or rotascope's error and no store change."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        ts = FilesProvider(folder).fetch(path.name)
        assert not ts.data.empty
    except RotascopeError as exc:
        assert str(exc).strip()
    result = runner.invoke(app, ["data", "import", str(path), "--name", "fuzz"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.output.count("rotascope: error:") == 1, result.output
        pd.testing.assert_frame_equal(snapshot(), baseline)
    else:
        with Store() as store:
            assert store.names() == ["base", "fuzz"]
            store.drop("fuzz")


@pytest.mark.skipif(not HEADS, reason=f"real data folder {SHARED} is absent: no files to mutate")
@FUZZ
@given(base=st.sampled_from(HEADS or [b""]), steps=st.lists(mutation, min_size=1, max_size=4))
def test_fuzz_mutations_of_real_files(
    folder: Path, baseline: pd.DataFrame, base: bytes, steps: list[tuple]
) -> None:
    check_import(mutate(base, steps), folder, ".csv", baseline)


@FUZZ
@given(data=generated_csv())
def test_fuzz_generated_csv(folder: Path, baseline: pd.DataFrame, data: bytes) -> None:
    check_import(data, folder, ".csv", baseline)


@settings(FUZZ, max_examples=40)
@given(data=generated_parquet())
def test_fuzz_generated_and_mutated_parquet(
    folder: Path, baseline: pd.DataFrame, data: bytes
) -> None:
    pytest.importorskip("pyarrow")
    check_import(data, folder, ".parquet", baseline)


def test_fuzz_mutation_helper_is_not_a_no_op() -> None:
    base = b"Date,Close\n2024-01-02,1\n2024-01-03,2\n"
    assert mutate(base, [("truncate", 0.5, 0)]) == base[: len(base) // 2]
    assert mutate(base, [("insert", 0.0, b"\x00")])[:1] == b"\x00"
    assert np.array_equal(np.frombuffer(mutate(base, []), dtype=np.uint8),
                          np.frombuffer(base, dtype=np.uint8))
