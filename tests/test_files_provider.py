"""The files provider: real CSV files, Parquet, French files, and one test per input error."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.providers.base import Provider
from rotascope.data.providers.files import (
    FilesProvider,
    list_columns,
    read_file,
)
from rotascope.data.series import infer_frequency
from rotascope.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "files"


def _independent_last(path: Path) -> tuple[pd.Timestamp, float, str]:
    """Last date and value of a price/FRED file with plain pandas (the reference)."""
    frame = pd.read_csv(path)
    value_col = "Close" if "Close" in frame.columns else frame.columns[1]
    frame = frame.dropna(subset=[value_col])
    return pd.Timestamp(frame.iloc[-1, 0]), float(frame[value_col].iloc[-1]), value_col


def _files(shared_data: Path, folder: str) -> list[Path]:
    files = sorted((shared_data / folder).glob("*.csv"))
    assert files, f"no CSV files in {shared_data / folder}"
    return files


def test_every_price_file(shared_data: Path) -> None:
    for path in _files(shared_data, "prices"):
        ts = read_file(path)
        last_date, last_value, column = _independent_last(path)
        assert ts.meta.symbol == column, path.name
        assert ts.last_date == last_date, path.name
        assert ts.data.iloc[-1] == last_value, path.name
        assert len(ts.data) == len(pd.read_csv(path)), path.name
        assert ts.meta.name == path.stem
        assert ts.meta.kind == "price"
        assert ts.meta.frequency == "daily"
        assert ts.meta.source == f"file:{path.resolve()} [{column}]"


def test_every_macro_file(shared_data: Path) -> None:
    monthly = {"UNRATE", "M2SL"}
    for path in _files(shared_data, "macro"):
        ts = read_file(path)
        last_date, last_value, column = _independent_last(path)
        if path.stem in monthly:  # FRED stamps a month on its first day, rotascope on its end
            last_date += pd.offsets.MonthEnd(0)
        assert ts.meta.symbol == column == path.stem
        assert ts.last_date == last_date and ts.data.iloc[-1] == last_value, path.name
        assert len(ts.data) == pd.read_csv(path)[column].notna().sum(), path.name  # holidays gone
        assert ts.meta.kind == "macro"
        assert ts.meta.frequency == ("monthly" if path.stem in monthly else "daily")
    assert read_file(shared_data / "macro" / "DGS2.csv").meta.units == "percent"
    assert read_file(shared_data / "macro" / "M2SL.csv").meta.units == "billions of USD"


def test_fred_files_and_downloads_share_one_units_table(shared_data: Path, tmp_path: Path) -> None:
    """A FRED file gets the units the FRED provider gives the same series; unknown ones stay
    blank (not guessed as percent) unless stated."""
    from rotascope.data.providers.fred import fred_units

    for path in _files(shared_data, "macro"):
        assert read_file(path).meta.units == fred_units(path.stem) != "", path.name
    unknown = tmp_path / "GDP.csv"
    unknown.write_text("observation_date,GDP\n2024-01-01,28269.2\n2024-04-01,28652.3\n")
    assert read_file(unknown).meta.units == ""
    assert read_file(unknown, units="billions of USD").meta.units == "billions of USD"
    assert read_file(shared_data / "macro" / "DGS2.csv", units="bp").meta.units == "bp"


def test_sp500_crash_day(shared_data: Path) -> None:
    ts = read_file(shared_data / "prices" / "^GSPC.csv")
    returns = ts.data.pct_change()
    assert returns.loc["2020-03-16"] == pytest.approx(-0.11984, abs=5e-6)
    assert returns.loc["1987-10-19"] == pytest.approx(-0.2047, abs=5e-5)
    assert ts.meta.units == "index points"
    assert read_file(shared_data / "prices" / "^GSPC.csv", column="open").meta.symbol == "Open"


def test_french_files(shared_data: Path) -> None:
    folder = shared_data / "french"
    mom = read_file(folder / "F-F_Momentum_Factor_daily.csv")
    assert mom.data.loc["2026-04-30"] == 0.0217
    assert (mom.meta.kind, mom.meta.frequency, mom.meta.units) == ("return", "daily", "fraction")
    assert mom.meta.symbol == "Mom"
    assert mom.meta.source.endswith("F-F_Momentum_Factor_daily.csv [Mom] section 1 (untitled)")

    smb = read_file(folder / "F-F_Research_Data_Factors.CSV", column="SMB", section="annual")
    assert smb.meta.frequency == "annual"
    assert smb.data.loc["2024-12-31"] == -0.1113  # the year 2024, stamped on its end
    assert "Annual Factors" in smb.meta.source

    small_value = read_file(folder / "6_Portfolios_2x3.CSV", column="SMALL HiBM", section="BE/ME")
    assert small_value.meta.kind == "valuation"
    assert small_value.meta.units == "ratio"
    assert small_value.data.iloc[0] == 3.1784 and small_value.data.iloc[-1] == 1.1710
    assert small_value.meta.name == "6_Portfolios_2x3:SMALL HiBM"

    # operating profitability can be negative: a ratio, not a price
    op = read_file(folder / "25_Portfolios_5x5.CSV", column="SMALL LoBM", section="average of op")
    assert op.meta.kind == "valuation" and op.data.iloc[-1] == -2.214
    firms = read_file(folder / "6_Portfolios_2x3.CSV", column="BIG HiBM", section="number of firms")
    assert (firms.meta.kind, firms.meta.units) == ("price", "firms")

    returns = read_file(folder / "25_Portfolios_5x5.CSV", column="SMALL HiBM")
    assert returns.meta.kind == "return" and returns.meta.frequency == "monthly"
    assert list_columns(folder / "30_Industry_Portfolios.CSV")[:2] == ["Food", "Beer"]


def test_french_missing_values(tmp_path: Path) -> None:
    path = FIXTURES / "french_missing.csv"
    lo = read_file(path, column="Lo 30")
    # leading -99.99 rows: the portfolio does not exist yet, so they are not observations
    assert lo.first_date == pd.Timestamp("1926-09-30") and len(lo.data) == 3
    with pytest.raises(InputError) as excinfo:
        read_file(path, column="Hi 30")  # an interior -99.99 is a gap, not silently dropped
    message = str(excinfo.value)
    assert "\n" not in message and str(path) in message and "line 12 (1926-10-01)" in message
    with pytest.raises(InputError, match=r"several value columns \(Lo 30, Hi 30\)"):
        read_file(path)


# --- one test per input error -------------------------------------------------------------------


def _error(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputError) as excinfo:
        read_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(excinfo.value)
    assert "\n" not in message, message
    assert str(path) in message, message
    return message


def _write(tmp_path: Path, text: str, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_error_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.csv").endswith("nope.csv: no such file")


def test_error_empty_file(tmp_path: Path) -> None:
    assert "empty file" in _error(_write(tmp_path, ""))


def test_error_no_date_column(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "name,price\nabc,1\n"))
    assert "line 1" in message and "no date column" in message and "name, price" in message


def test_error_bad_date(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-02,1\n2024-02-30,1\n"))
    assert "line 3" in message and "'2024-02-30'" in message


def test_error_bad_number(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-02,1\n2024-01-03,12a\n"))
    assert "line 3" in message and "'12a'" in message


def test_error_duplicate_date(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-03,2\n"))
    assert "line 4" in message and "duplicated date" in message


def test_error_unsorted(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-03,1\n2024-01-02,2\n"))
    assert "line 3" in message and "not sorted" in message


def test_error_non_positive_price(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-02,1\n2024-01-03,-2\n"))
    assert "line 3" in message and "non-positive price -2" in message


def test_error_missing_price(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Close\n2024-01-02,1\n2024-01-03,null\n"))
    assert "line 3" in message and "missing value" in message


def test_error_unknown_column(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "Date,Open,Close\n2024-01-02,1,1\n"), column="Adj Close")
    assert "no column 'Adj Close'" in message and "Open, Close" in message


def test_error_unknown_section_and_kind(tmp_path: Path) -> None:
    assert "sections:" in _error(FIXTURES / "french_missing.csv", section="BE/ME", column="Lo 30")
    path = _write(tmp_path, "Date,Close\n2024-01-02,1\n")
    assert "Ken French" in _error(path, section="Annual")
    with pytest.raises(InputError, match="kind must be one of"):
        read_file(path, kind="prices")


def test_error_folder_and_binary(tmp_path: Path) -> None:
    assert "is a folder" in _error(tmp_path)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02")
    assert "not a text file" in _error(binary)


# --- other formats ------------------------------------------------------------------------------


def test_semicolon_csv_and_kind_override(tmp_path: Path) -> None:
    path = _write(tmp_path, "date;ret\n2024-01-31;-0,5\n2024-02-29;1,25\n", "m.csv")
    ts = read_file(path, kind="return", name="my-returns")
    assert ts.data.tolist() == [-0.5, 1.25]
    assert ts.meta.name == "my-returns"
    assert (ts.meta.kind, ts.meta.frequency, ts.meta.units) == ("return", "monthly", "fraction")


def test_gzip_and_zip(tmp_path: Path) -> None:
    text = "Date,Close\n2024-01-02,1\n2024-01-03,2\n"
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    assert read_file(gz).data.tolist() == [1.0, 2.0]
    zipped = tmp_path / "F-F_Factors_CSV.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(FIXTURES / "french_missing.csv", "F-F_Factors.csv")
    assert read_file(zipped, column="Lo 30").meta.frequency == "monthly"


def test_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    dates = pd.date_range("2024-01-01", periods=5, freq="W-FRI")
    frame = pd.DataFrame({"Close": [1.0, 2, 3, 4, 5], "Volume": [1, 2, 3, 4, 5]}, index=dates)
    indexed = tmp_path / "idx.parquet"
    frame.to_parquet(indexed)
    ts = read_file(indexed)
    assert ts.meta.symbol == "Close" and ts.meta.frequency == "weekly"
    assert ts.data.index.equals(pd.DatetimeIndex(dates, name="date"))
    flat = tmp_path / "flat.parquet"
    pd.DataFrame(
        {"date": dates.strftime("%Y-%m-%d"), "spread": [0.1, np.nan, 0.3, 0.4, 0.5]}
    ).to_parquet(flat)
    macro = read_file(flat, kind="macro")
    assert macro.data.tolist() == [0.1, 0.3, 0.4, 0.5]
    assert list_columns(flat) == ["spread"]
    with pytest.raises(InputError) as excinfo:
        read_file(flat)  # a missing price
    assert "row 2" in str(excinfo.value) and str(flat) in str(excinfo.value)
    with pytest.raises(InputError, match="no column 'x'; columns: Close, Volume"):
        read_file(indexed, column="x")


def test_list_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,1,1,1\n")
    assert list_columns(path) == ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
    with pytest.raises(InputError, match="no such file"):
        list_columns(tmp_path / "none.csv")


def test_infer_frequency() -> None:
    for freq, expected in (
        ("B", "daily"),
        ("W-FRI", "weekly"),
        ("MS", "monthly"),
        ("QE", "quarterly"),
        ("YS", "annual"),
    ):
        assert infer_frequency(pd.date_range("2000-01-01", periods=30, freq=freq)) == expected
    assert infer_frequency(pd.DatetimeIndex(["2024-01-01"])) == "daily"


def test_files_provider(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "px.csv").write_text(
        "Date,Open,Close\n2024-01-02,1,2\n2024-01-03,3,4\n2024-01-04,5,6\n"
    )
    provider = FilesProvider(folder)
    assert isinstance(provider, Provider)
    assert provider.name == "files"
    ts = provider.fetch("px.csv", start=pd.Timestamp("2024-01-03"))
    assert ts.data.tolist() == [4.0, 6.0]
    ts = provider.fetch("px.csv#Open", end=pd.Timestamp("2024-01-03"))
    assert ts.data.tolist() == [1.0, 3.0] and ts.meta.symbol == "Open"
    with pytest.raises(InputError, match="no such file"):
        provider.fetch("missing.csv")


def test_files_provider_on_real_data(shared_data: Path) -> None:
    provider = FilesProvider(shared_data)
    ts = provider.fetch(
        "french/F-F_Research_Data_Factors_daily.csv#HML",
        start=pd.Timestamp("2020-03-01"),
        end=pd.Timestamp("2020-03-31"),
    )
    assert ts.first_date == pd.Timestamp("2020-03-02") and ts.last_date == pd.Timestamp(
        "2020-03-31"
    )
    assert ts.data.loc["2020-03-16"] == -0.0075
