"""Shiller's ie_data: dates like 2025.1 (October), percent strings, blank recent values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.formats.shiller import (
    is_shiller_csv,
    parse_shiller_csv,
    parse_shiller_date,
    read_shiller_series,
)
from rotascope.data.providers.files import read_file
from rotascope.data.store import Store
from rotascope.errors import InputError

SMALL = """Date;Price;Dividend;Earnings;CPI;CAPE;;Excess CAPE Yield
2024.09;100.0;2.0;5.0;300;30.0;;1.50%
2024.1;110.0;2.0;5.5;301;31.0;;1.67%
2024.11;120.0;;;302;NA;;
2024.12;121.5;;;303;32.5;;-0.25%
"""


@pytest.mark.parametrize(
    ("text", "month"),
    [("2025.01", 1), ("2025.09", 9), ("2025.1", 10), ("2025.10", 10), ("2025.11", 11),
     ("2025.12", 12), ("1871.1", 10)],
)
def test_shiller_dates(text: str, month: int) -> None:
    day = parse_shiller_date(text)
    assert (day.month, day.day) == (month, 1)


@pytest.mark.parametrize("text", ["2025.2", "2025.13", "2025.00", "2025", "Oct 2025", "25.01"])
def test_bad_shiller_dates(text: str) -> None:
    with pytest.raises(InputError, match="Shiller date"):
        parse_shiller_date(text)


def test_parse_small_file() -> None:
    assert is_shiller_csv(SMALL)
    frame = parse_shiller_csv(SMALL, origin="x.csv")
    assert list(frame.index.strftime("%Y-%m")) == ["2024-09", "2024-10", "2024-11", "2024-12"]
    assert "" not in frame.columns
    assert frame.loc["2024-10-01", "Excess CAPE Yield"] == pytest.approx(0.0167)
    assert frame.loc["2024-12-01", "Excess CAPE Yield"] == pytest.approx(-0.0025)
    assert np.isnan(frame.loc["2024-11-01", "CAPE"])
    assert frame.loc["2024-10-01", "P/E"] == pytest.approx(110 / 5.5)
    assert frame.loc["2024-10-01", "E/P"] == pytest.approx(5.5 / 110)
    assert frame.loc["2024-09-01", "D/P"] == pytest.approx(0.02)
    assert np.isnan(frame.loc["2024-12-01", "P/E"])  # blank recent earnings
    values, col, kind, units = read_shiller_series(SMALL, origin="x.csv", column="cape")
    assert (col, kind, units) == ("CAPE", "valuation", "ratio")
    assert list(values.index.strftime("%Y-%m")) == ["2024-09", "2024-10", "2024-12"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SMALL.replace("2024.11;120.0", "2024.11;12x"), "line 4: unparseable number '12x'"),
        (SMALL.replace("2024.11;", "2024.1;"), "duplicated month"),
        (SMALL.replace("2024.11;", "2024.2;"), "line 4"),
        (SMALL.replace("1.50%", "1.50%;9;9"), "line 2: 10 fields, expected 8"),
    ],
)
def test_parse_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_shiller_csv(text, origin="x.csv")


def test_unknown_column_lists_the_columns() -> None:
    with pytest.raises(InputError, match="no column 'PEG'; columns: Price"):
        read_shiller_series(SMALL, origin="x.csv", column="PEG")


def test_not_shiller() -> None:
    assert not is_shiller_csv("Date,Close\n2024-01-02,1.0\n")
    assert not is_shiller_csv("Date;Price;Earnings;CAPE\n2024-01-02;1;2;3\n")


def _independent(path: Path) -> pd.DataFrame:
    """Plain pandas: read as strings, month from the decimal part padded to two digits."""
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    parts = raw["Date"].str.split(".", expand=True)
    dates = pd.to_datetime(parts[0] + "-" + parts[1].str.ljust(2, "0") + "-01")
    dates = dates + pd.offsets.MonthEnd(0)  # a month's average is stamped on the month's end
    out = pd.DataFrame(index=pd.DatetimeIndex(dates))
    for col in ("Price", "Earnings", "CAPE"):
        out[col] = pd.to_numeric(raw[col].replace({"NA": None, "": None})).to_numpy()
    out["Excess CAPE Yield"] = (
        pd.to_numeric(raw["Excess CAPE Yield"].str.rstrip("%").replace({"": None})) / 100
    ).to_numpy()
    return out


@pytest.mark.realdata
def test_real_ie_data_matches_plain_pandas(shared_data: Path) -> None:
    path = shared_data / "valuation" / "ie_data.csv"
    expected = _independent(path)
    assert expected.index.is_monotonic_increasing and not expected.index.has_duplicates
    cape = read_file(path, column="CAPE")
    assert cape.meta.kind == "valuation" and cape.meta.frequency == "monthly"
    assert cape.meta.source.endswith("ie_data.csv [CAPE]")
    want = expected["CAPE"].dropna()
    pd.testing.assert_series_equal(cape.data, want, check_names=False, check_index_type=False,
                                   check_freq=False)
    assert cape.data.loc["2025-10-31"] == 39.21 and cape.data.index[-1] == pd.Timestamp("2025-12-31")
    pe = read_file(path, column="P/E").data
    both = expected[["Price", "Earnings"]].dropna()
    np.testing.assert_allclose(pe.to_numpy(), (both["Price"] / both["Earnings"]).to_numpy())
    assert pe.index[-1] == pd.Timestamp("2025-09-30")  # recent earnings are blank
    ecy = read_file(path, column="Excess CAPE Yield").data
    assert ecy.loc["2025-10-31"] == pytest.approx(0.0167)
    assert read_file(path, column="P").meta.kind == "price"


@pytest.mark.realdata
def test_data_import_cape(shared_data: Path) -> None:
    path = shared_data / "valuation" / "ie_data.csv"
    result = CliRunner().invoke(app, ["data", "import", str(path), "--name", "cape",
                                      "--column", "CAPE"])
    assert result.exit_code == 0, result.output
    with Store() as store:
        ts = store.read("cape")
    assert ts.meta.kind == "valuation" and ts.meta.symbol == "CAPE"
    assert ts.data.iloc[-1] == 39.42 and len(ts.data) == 1740
