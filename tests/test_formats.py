"""Parsers of CSV layouts and Ken French data library files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.formats import (
    FrenchSection,
    is_french_csv,
    is_percent_title,
    parse_csv_text,
    parse_french_csv,
    select_section,
    sniff_csv,
)
from rotascope.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "files"


def _one_line_error(excinfo: pytest.ExceptionInfo[InputError], *parts: str) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return message


# --- CSV layouts --------------------------------------------------------------------------------


class TestCsvLayouts:
    def test_yahoo_prefers_adj_close(self) -> None:
        text = (
            "Date,Open,High,Low,Close,Adj Close,Volume\n"
            "2024-01-02,10,11,9,10.5,10.0,100\n"
            "2024-01-03,10,11,9,11.5,11.0,100\n"
        )
        assert sniff_csv(text, origin="y.csv").layout == "yahoo"
        values, column = parse_csv_text(text, origin="y.csv")
        assert column == "Adj Close"
        assert values.tolist() == [10.0, 11.0]
        assert values.index.name == "date"
        assert values.dtype == np.float64
        assert isinstance(values.index, pd.DatetimeIndex)

    def test_stooq_uses_close(self) -> None:
        text = "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n"
        assert sniff_csv(text, origin="s.csv").layout == "stooq"
        values, column = parse_csv_text(text, origin="s.csv")
        assert column == "Close"
        assert values.iloc[0] == 1.5

    def test_date_close_and_single_ticker_column(self) -> None:
        assert parse_csv_text("Date,Close\n2024-01-02,5\n", origin="a")[1] == "Close"
        values, column = parse_csv_text("Date,^RUT\n2024-01-02,2000.5\n", origin="b")
        assert column == "^RUT"
        assert values.iloc[0] == 2000.5

    def test_fred_drops_holidays(self) -> None:
        text = (
            "observation_date,DGS2\n2024-01-01,\n2024-01-02,4.33\n2024-01-03,.\n2024-01-04,4.38\n"
        )
        assert sniff_csv(text, origin="f").layout == "fred"
        for kind in ("macro", "price"):
            values, column = parse_csv_text(text, origin="f", kind=kind)
            assert column == "DGS2"
            assert list(values.index.strftime("%Y-%m-%d")) == ["2024-01-02", "2024-01-04"]

    def test_semicolon_and_decimal_comma(self) -> None:
        text = "date;value\n2024-01-02;1234,5\n2024-01-03;1235.25\n"
        values, column = parse_csv_text(text, origin="eu.csv")
        assert column == "value"
        assert values.tolist() == [1234.5, 1235.25]

    def test_yfinance_three_header_rows(self) -> None:
        text = (
            "Price,Close,High,Low,Open,Volume\n"
            "Ticker,SPY,SPY,SPY,SPY,SPY\n"
            "Date,,,,,\n"
            "2024-01-02,472.6,473.0,470.0,471.0,100\n"
        )
        layout = sniff_csv(text, origin="yf.csv")
        assert layout.layout == "yfinance"
        assert layout.names[:2] == ("Date", "Close")
        assert parse_csv_text(text, origin="yf.csv")[1] == "Close"
        multi = "Price,Close,Close\nTicker,SPY,IWM\nDate,,\n2024-01-02,472.6,200.1\n"
        values, column = parse_csv_text(multi, origin="yf2.csv", column="close iwm")
        assert column == "Close IWM"
        assert values.iloc[0] == 200.1

    def test_generic_date_names_and_first_column(self) -> None:
        for header in ("timestamp,px", "DATE,px", ",px"):
            values, column = parse_csv_text(f"{header}\n2024-01-02,3\n", origin="g")
            assert column == "px"
            assert values.index[0] == pd.Timestamp("2024-01-02")
        values, _ = parse_csv_text("when,px\n2024-01-02,3\n2024-01-03,4\n", origin="g")
        assert len(values) == 2

    def test_date_formats(self) -> None:
        cases = {
            "20240102": "2024-01-02",
            "2024/01/02": "2024-01-02",
            "01/02/2024": "2024-01-02",
            "2024-01-02 00:00:00-05:00": "2024-01-02",
            "2024-01-02T00:00:00Z": "2024-01-02",
        }
        for raw, expected in cases.items():
            values, _ = parse_csv_text(f"Date,Close\n{raw},1\n", origin="d")
            assert values.index[0] == pd.Timestamp(expected), raw
        # a day above 12 proves the file is day/month/year
        values, _ = parse_csv_text("Date,Close\n11/01/2024,1\n13/01/2024,2\n", origin="d")
        assert list(values.index.month) == [1, 1]

    def test_explicit_column_and_kinds(self) -> None:
        text = "Date,a,b\n2024-01-02,-0.01,2\n2024-01-03,,3\n"
        values, column = parse_csv_text(text, origin="r", column="A", kind="return")
        assert column == "a"
        assert values.tolist() == [-0.01]  # blank return rows are dropped, negatives allowed
        with pytest.raises(InputError) as excinfo:
            parse_csv_text(text, origin="r.csv")
        _one_line_error(excinfo, "r.csv", "several value columns", "a, b")
        with pytest.raises(InputError) as excinfo:
            parse_csv_text(text, origin="r.csv", kind="bogus")
        _one_line_error(excinfo, "kind must be one of")

    def test_only_numeric_column_wins(self) -> None:
        text = "Date,ticker,px\n2024-01-02,SPY,2\n"
        assert parse_csv_text(text, origin="n")[1] == "px"


# one test per error kind: (text, expected parts of the one-line message)
CSV_ERRORS = {
    "empty": ("", ["empty file"]),
    "blank": ("\n  \n", ["empty file"]),
    "header only": ("Date,Close\n", ["no data rows"]),
    "no date column": ("name,px\nabc,1\n", ["line 1", "no date column"]),
    "bad date": ("Date,Close\n2024-01-02,1\n2024-13-45,2\n", ["line 3", "'2024-13-45'"]),
    "missing date": ("Date,Close\n2024-01-02,1\n,2\n", ["line 3", "missing date"]),
    "bad number": ("Date,Close\n2024-01-02,1\n2024-01-03,1.2.3\n", ["line 3", "'1.2.3'"]),
    "short row": ("Date,Open,Close\n2024-01-02,1\n", ["line 2", "field"]),
    "duplicate": ("Date,Close\n2024-01-02,1\n2024-01-02,2\n", ["line 3", "duplicated date"]),
    "unsorted": ("Date,Close\n2024-01-03,1\n2024-01-02,2\n", ["line 3", "not sorted"]),
    "zero price": ("Date,Close\n2024-01-02,1\n2024-01-03,0\n", ["line 3", "non-positive"]),
    "negative price": ("Date,Close\n2024-01-02,-1\n", ["line 2", "non-positive"]),
    "missing price": ("Date,Close\n2024-01-02,1\n2024-01-03,\n", ["line 3", "missing value"]),
    "unknown column": ("Date,Close\n2024-01-02,1\n", ["no column 'Open'", "Close"]),
}


@pytest.mark.parametrize("case", list(CSV_ERRORS))
def test_csv_errors(case: str) -> None:
    text, parts = CSV_ERRORS[case]
    column = "Open" if case == "unknown column" else None
    with pytest.raises(InputError) as excinfo:
        parse_csv_text(text, origin="/tmp/x.csv", column=column)
    _one_line_error(excinfo, "/tmp/x.csv", *parts)


def test_line_numbers_count_blank_lines() -> None:
    text = "\nDate,Close\n\n2024-01-02,1\n2024-01-03,x\n"
    with pytest.raises(InputError) as excinfo:
        parse_csv_text(text, origin="b.csv")
    _one_line_error(excinfo, "line 5")


# --- Ken French files ---------------------------------------------------------------------------

FRENCH_SECTIONS = {
    "6_Portfolios_2x3.CSV": 10,
    "25_Portfolios_5x5.CSV": 10,
    "30_Industry_Portfolios.CSV": 8,
    "F-F_Research_Data_Factors.CSV": 2,
    "F-F_Research_Data_Factors_daily.csv": 1,
    "F-F_Momentum_Factor_daily.csv": 1,
    "F-F_Research_Data_5_Factors_2x3_daily.csv": 1,
}


@pytest.fixture(scope="module")
def french_files(shared_data: Path) -> dict[str, list[FrenchSection]]:
    folder = shared_data / "french"
    return {
        path.name: parse_french_csv(path.read_text(), origin=str(path))
        for path in sorted(folder.iterdir())
    }


class TestFrenchRealFiles:
    def test_every_section_of_every_file(
        self, french_files: dict[str, list[FrenchSection]]
    ) -> None:
        assert set(french_files) == set(FRENCH_SECTIONS)
        for name, sections in french_files.items():
            assert len(sections) == FRENCH_SECTIONS[name], name
            for sec in sections:
                frame = sec.frame
                assert isinstance(frame.index, pd.DatetimeIndex)
                assert frame.index.name == "date"
                assert frame.index.is_monotonic_increasing and frame.index.is_unique
                assert (frame.dtypes == np.float64).all()
                assert len(frame) > 50
                assert all(c == c.strip() and c for c in frame.columns)
                assert sec.percent == is_percent_title(sec.title)
                if sec.frequency == "monthly":
                    assert (frame.index.day == 1).all()
                if sec.frequency == "annual":
                    assert ((frame.index.month == 1) & (frame.index.day == 1)).all()
                if sec.percent:  # fractions: no monthly or daily move beyond -100% / +1000%
                    assert frame.abs().max().max() < 10

    def test_titles_and_percent_flags(self, french_files: dict[str, list[FrenchSection]]) -> None:
        six = french_files["6_Portfolios_2x3.CSV"]
        assert [(s.title, s.frequency, s.percent) for s in six] == [
            ("Average Value Weighted Returns -- Monthly", "monthly", True),
            ("Average Equal Weighted Returns -- Monthly", "monthly", True),
            ("Average Value Weighted Returns -- Annual", "annual", True),
            ("Average Equal Weighted Returns -- Annual", "annual", True),
            ("Number of Firms in Portfolios", "monthly", False),
            ("Average Market Cap", "monthly", False),
            ("Value Weight Average of BE/ME", "monthly", False),
            ("Value Weight Average of BE_FYt-1/ME_June t", "monthly", False),
            ("Value Weight Average of OP", "monthly", False),
            ("Value Weight Average of investment (rate of growth of assets)", "monthly", False),
        ]
        factors = french_files["F-F_Research_Data_Factors.CSV"]
        assert [(s.title, s.frequency, s.percent) for s in factors] == [
            ("", "monthly", True),
            ("Annual Factors: January-December", "annual", True),
        ]
        industries = french_files["30_Industry_Portfolios.CSV"]
        assert [s.title for s in industries if not s.percent] == [
            "Number of Firms in Portfolios",
            "Average Firm Size",
            "Sum of BE / Sum of ME",
            "Value-Weighted Average of BE/ME",
        ]
        assert list(industries[0].frame.columns[:3]) == ["Food", "Beer", "Smoke"]

    def test_factor_values_against_raw_text(
        self, french_files: dict[str, list[FrenchSection]]
    ) -> None:
        monthly, annual = french_files["F-F_Research_Data_Factors.CSV"]
        # raw: "192607,    2.96,   -2.56,   -2.43,    0.22" and "202412,   -3.17,   -2.73,   -2.95,    0.37"
        assert monthly.frame.loc["1926-07-01"].tolist() == [0.0296, -0.0256, -0.0243, 0.0022]
        assert monthly.frame.loc["2024-12-01"].tolist() == [-0.0317, -0.0273, -0.0295, 0.0037]
        # raw: "  1927,   29.47,   -2.04,   -4.54,    3.12"
        assert annual.frame.loc["1927-01-01"].tolist() == [0.2947, -0.0204, -0.0454, 0.0312]
        (mom,) = french_files["F-F_Momentum_Factor_daily.csv"]
        assert mom.frequency == "daily"
        assert list(mom.frame.columns) == ["Mom"]
        assert mom.frame.index[-1] == pd.Timestamp("2026-04-30")
        assert mom.frame["Mom"].iloc[-1] == 0.0217  # raw "20260430,   2.17"
        assert mom.frame.loc["2020-03-16", "Mom"] == -0.0227
        (daily,) = french_files["F-F_Research_Data_Factors_daily.csv"]
        assert daily.frame.loc["2026-04-30"].tolist() == [0.0113, 0.0098, -0.0071, 0.0001]
        (five,) = french_files["F-F_Research_Data_5_Factors_2x3_daily.csv"]
        assert list(five.frame.columns) == ["Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"]
        # raw: "2020-03-16,  -12.01,   -0.81,   -0.75,    0.53,    1.14,    0.01"
        assert five.frame.loc["2020-03-16"].tolist() == [
            -0.1201,
            -0.0081,
            -0.0075,
            0.0053,
            0.0114,
            0.0001,
        ]

    def test_be_me_first_and_last_rows(self, french_files: dict[str, list[FrenchSection]]) -> None:
        six = french_files["6_Portfolios_2x3.CSV"]
        be_me = select_section(six, "be/me", origin="6")
        assert be_me.title == "Value Weight Average of BE/ME"
        assert not be_me.percent
        # raw: "192607,   0.5070,   1.0809,   3.1784,   0.4517,   1.0146,   2.2390"
        assert be_me.frame.iloc[0].tolist() == [0.5070, 1.0809, 3.1784, 0.4517, 1.0146, 2.2390]
        assert be_me.frame.index[0] == pd.Timestamp("1926-07-01")
        # raw: "202412,   0.1583,   0.4510,   1.1710,   0.1025,   0.4587,   0.9015"
        assert be_me.frame.iloc[-1].tolist() == [0.1583, 0.4510, 1.1710, 0.1025, 0.4587, 0.9015]
        assert be_me.frame.index[-1] == pd.Timestamp("2024-12-01")
        firms = select_section(
            french_files["25_Portfolios_5x5.CSV"], "number of firms", origin="25"
        )
        assert firms.frame.iloc[0, :3].tolist() == [7.0, 6.0, 11.0]  # counts kept as they are
        ind_be_me = select_section(french_files["30_Industry_Portfolios.CSV"], "BE/ME", origin="30")
        assert ind_be_me.frequency == "annual"
        assert ind_be_me.frame.iloc[-1, :2].tolist() == [0.32, 0.19]  # raw "  2024,   0.32,   0.19"


class TestFrenchLayout:
    def test_missing_codes_become_nan(self) -> None:
        path = FIXTURES / "french_missing.csv"
        text = path.read_text()
        assert is_french_csv(text)
        returns, firms, annual = parse_french_csv(text, origin=str(path))
        assert returns.title == "Average Value Weighted Returns -- Monthly"
        assert returns.frame["Lo 30"].isna().tolist() == [True, True, False, False, False]
        assert np.isnan(returns.frame.loc["1926-10-01", "Hi 30"])
        assert returns.frame.loc["1926-07-01", "Hi 30"] == 0.0125
        assert not firms.percent
        assert np.isnan(firms.frame.iloc[0, 0])
        assert firms.frame.iloc[1].tolist() == [10.0, 121.0]
        assert annual.frame.index[0] == pd.Timestamp("1927-01-01")
        assert annual.frame.iloc[0].isna().tolist() == [False, True]

    def test_percent_rule(self) -> None:
        assert is_percent_title("")
        assert is_percent_title("Average Value Weighted Returns -- Daily")
        assert is_percent_title("Annual Factors: January-December")
        for title in (
            "Number of Firms in Portfolios",
            "Average Market Cap",
            "Average Firm Size",
            "Sum of BE / Sum of ME",
            "Value Weight Average of BE/ME",
            "Value-Weighted Average of BE/ME",
            "Value Weight Average of OP",
            "Value Weight Average of investment (rate of growth of assets)",
            "Something Else",
        ):
            assert not is_percent_title(title), title

    def test_detection(self) -> None:
        assert not is_french_csv("Date,Close\n2024-01-02,1\n")
        assert is_french_csv(
            "x\n,SMB\n202401,1\n\nCopyright 2024 Eugene F. Fama and Kenneth R. French\n"
        )

    def test_select_section_unknown_lists_titles(self) -> None:
        sections = parse_french_csv((FIXTURES / "french_missing.csv").read_text(), origin="f.csv")
        assert select_section(sections, None, origin="f.csv") is sections[0]
        assert select_section(sections, "ANNUAL", origin="f.csv") is sections[2]
        with pytest.raises(InputError) as excinfo:
            select_section(sections, "BE/ME", origin="f.csv")
        _one_line_error(excinfo, "f.csv", "Number of Firms in Portfolios")


_HEAD = "This file was created for a test.\n\n"
FRENCH_ERRORS = {
    "empty": ("", ["empty file"]),
    "no section": ("This file was created for a test.\nNothing here.\n", ["no data section"]),
    "row before header": ("202401,1.0\n", ["line 1", "before any column header"]),
    "bad date": (_HEAD + ",SMB\n202401,1.0\n202413,1.0\n", ["line 5", "'202413'"]),
    "bad date text": (_HEAD + ",SMB\n202401,1.0\n2024x1,1.0\n", ["line 5", "'2024x1'"]),
    "mixed dates": (_HEAD + ",SMB\n202401,1.0\n20240201,1.0\n", ["line 5", "'20240201'"]),
    "bad number": (_HEAD + ",SMB\n202401,1.0\n202402,1..0\n", ["line 5", "'1..0'"]),
    "wrong width": (_HEAD + ",SMB,HML\n202401,1.0,2.0\n202402,1.0\n", ["line 5", "expected 2"]),
    "duplicate": (_HEAD + ",SMB\n202401,1.0\n202401,1.0\n", ["line 5", "duplicated"]),
    "unsorted": (_HEAD + ",SMB\n202402,1.0\n202401,1.0\n", ["line 5", "not sorted"]),
}


@pytest.mark.parametrize("case", list(FRENCH_ERRORS))
def test_french_errors(case: str) -> None:
    text, parts = FRENCH_ERRORS[case]
    with pytest.raises(InputError) as excinfo:
        parse_french_csv(text, origin="/tmp/ff.csv")
    _one_line_error(excinfo, "/tmp/ff.csv", *parts)
