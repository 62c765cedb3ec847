"""Holdings parsers (iShares CSV, SPDR sheet, plain membership CSV) against plain pandas reads."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.earnings import sample_paths
from rotascope.data.holdings import (
    HOLDINGS_COLUMNS,
    ISHARES_HEADER,
    Holdings,
    combine_memberships,
    normalize_ticker,
    parse_ishares_holdings,
    parse_membership_csv,
    parse_spdr_holdings,
    read_holdings,
    read_membership,
)
from rotascope.errors import InputError

PREAMBLE = (
    "iShares Russell 2000 ETF\r\n"
    'Fund Holdings as of,"Nov 20, 2026"\r\n'
    'Inception Date,"May 22, 2000"\r\n'
    'Shares Outstanding,"276,450,000.00"\r\n'
    'Stock,"-"\r\nBond,"-"\r\nCash,"-"\r\nOther,"-"\r\n'
    "\xa0\r\n"
)
HEADER = ",".join(ISHARES_HEADER) + "\r\n"


def row(ticker: str, name: str, klass: str, value: str, weight: str, sector: str = "Industrials") -> str:
    cells = [ticker, name, sector, klass, value, weight, value, "1,000.00", "10.00",
             "United States", "NASDAQ", "USD", "1.00", "USD", "-"]  # fmt: skip
    return ",".join(f'"{c}"' for c in cells) + "\r\n"


TRAILER = '\xa0\r\n"The content contained herein is, for a test, made up."\r\n"Holdings subject to change."\r\n'


def ishares_text(*rows: str) -> str:
    return PREAMBLE + HEADER + "".join(rows) + TRAILER


def pandas_ishares(path: Path) -> pd.DataFrame:
    """The table of an iShares file read with pandas: header line to the first blank line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Ticker,Name,"))
    stop = next(i for i in range(head + 1, len(lines)) if not lines[i].strip())
    return pd.read_csv(io.StringIO("\n".join(lines[head:stop])), thousands=",", na_values=["-"])


@pytest.mark.parametrize("fund", ["IWM", "IJK", "IWB"])
def test_sample_ishares_files_match_pandas(fund: str) -> None:
    path = sample_paths()[fund]
    holdings = read_holdings(path)
    table = pandas_ishares(path)
    equity = table[table["Asset Class"] == "Equity"].copy()
    equity["Ticker"] = equity["Ticker"].replace({"BRKB": "BRK-B"})
    expected = pd.DataFrame(
        {
            "ticker": equity["Ticker"].to_numpy(),
            "weight": (equity["Weight (%)"] / equity["Weight (%)"].sum()).to_numpy(),
            "market_value": equity["Market Value"].to_numpy(dtype="float64"),
            "published_weight": equity["Weight (%)"].to_numpy(dtype="float64"),
        }
    ).sort_values(["weight", "ticker"], ascending=[False, True], ignore_index=True)
    assert isinstance(holdings, Holdings)
    assert (holdings.fund, holdings.layout, holdings.as_of) == (
        fund, "ishares", pd.Timestamp("2026-11-20")
    )
    assert holdings.fund_name.startswith("iShares ")
    assert list(holdings.frame.columns) == list(HOLDINGS_COLUMNS)
    pd.testing.assert_frame_equal(
        holdings.frame[["ticker", "weight", "market_value", "published_weight"]], expected
    )
    assert holdings.frame["weight"].sum() == pytest.approx(1.0)
    others = table[table["Asset Class"] != "Equity"]
    assert list(holdings.excluded["ticker"]) == list(others["Ticker"])
    assert list(holdings.excluded["asset_class"]) == ["Money Market", "Cash", "Futures"]
    assert holdings.excluded["reason"].str.contains("not Equity").all()
    membership = holdings.membership("segment-x")
    assert list(membership.columns) == ["segment", "ticker", "weight"]
    assert (membership["segment"] == "segment-x").all()


def test_iwb_sample_rewrites_brkb() -> None:
    holdings = read_holdings(sample_paths()["IWB"])
    assert "BRK-B" in holdings.tickers and "BRKB" not in holdings.tickers


def test_inline_file_weights_and_rules(tmp_path: Path) -> None:
    text = ishares_text(
        row("AAA", "ALPHA", "Equity", "6,000.00", "0.60"),
        row("BBB", "BETA", "Equity", "3,000.00", "0.30"),
        row("BBB", "BETA CLASS 2 LINE", "Equity", "1,000.00", "0.10"),
        row("-", "ESCROW SHARES", "Equity", "50.00", "0.01"),
        row("XTSLA", "BLK CSH FND TREASURY SL AGENCY", "Money Market", "900.00", "0.90",
            "Cash and/or Derivatives"),
        row("RTYZ6", "RUSSELL 2000 EMINI", "Futures", "0.00", "0.00", "Cash and/or Derivatives"),
    )  # fmt: skip
    path = tmp_path / "IWM_holdings.csv"
    path.write_text(text, encoding="utf-8", newline="")
    h = read_holdings(path)
    assert h.tickers == ["AAA", "BBB"]
    np.testing.assert_allclose(h.frame["weight"], [0.6, 0.4])  # 0.60 / 1.00, (0.30 + 0.10) / 1.00
    np.testing.assert_allclose(h.frame["market_value"], [6000.0, 4000.0])
    assert list(h.excluded["reason"]) == [
        "equity row without a ticker", "asset class Money Market, not Equity",
        "asset class Futures, not Equity",
    ]  # fmt: skip
    assert list(h.excluded["line"]) == [14, 15, 16]


def test_no_holdings_date_is_none() -> None:
    text = ishares_text(row("AAA", "ALPHA", "Equity", "1.00", "100.00")).replace(
        '"Nov 20, 2026"', '"-"'
    )
    assert parse_ishares_holdings(text, origin="x.csv", fund="iwm").as_of is None


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ('"CCC","GAMMA","Energy","Equity","1,000.00"\r\n', r"line 13: expected 15 fields as in the header on line 10, got 5"),
        (row("CCC", "GAMMA", "Equity", "1,000.00", "abc"), r"line 13: Weight \(%\) is not a number: 'abc'"),
        (row("CCC", "GAMMA", "Equity", "1,000.00", "-"), r"line 13: no weight for CCC"),
    ],
)  # fmt: skip
def test_malformed_rows_name_file_and_line(tmp_path: Path, bad_row: str, message: str) -> None:
    text = ishares_text(
        row("AAA", "ALPHA", "Equity", "6,000.00", "0.60"),
        row("BBB", "BETA", "Equity", "3,000.00", "0.30"),
        bad_row,
    )
    path = tmp_path / "IWM_holdings.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(InputError, match=message) as info:
        read_holdings(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_not_a_holdings_file(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("Date,Close\n2026-11-20,100\n")
    with pytest.raises(InputError, match="not a holdings file"):
        read_holdings(path)
    with pytest.raises(InputError, match="not an iShares holdings file"):
        parse_ishares_holdings("Date,Close\n", origin="p.csv")
    with pytest.raises(InputError, match="no such file"):
        read_holdings(tmp_path / "missing.csv")


def test_bad_holdings_date() -> None:
    text = ishares_text(row("AAA", "ALPHA", "Equity", "1.00", "100.00")).replace(
        "Nov 20, 2026", "someday"
    )
    with pytest.raises(InputError, match=r"x.csv: line 2: 'Fund Holdings as of' is not a date"):
        parse_ishares_holdings(text, origin="x.csv")


def test_only_cash_rows() -> None:
    text = ishares_text(row("USD", "USD CASH", "Cash", "1.00", "100.00"))
    with pytest.raises(InputError, match="no equity holdings"):
        parse_ishares_holdings(text, origin="x.csv")


# -- SPDR ------------------------------------------------------------------------------------

SPDR_CSV = (
    "Fund Name:,SPDR S&P 500 ETF Trust,,,,,,\n"
    "Ticker Symbol:,SPY,,,,,,\n"
    "Holdings:,As of 20-Nov-2026,,,,,,\n"
    ",,,,,,,\n"
    "Name,Ticker,Identifier,SEDOL,Weight,Sector,Shares Held,Local Currency\n"
    "NVIDIA CORP,NVDA,67066G104,2379504,7.512345,-,264137484,USD\n"
    "APPLE INC,AAPL,037833100,2046251,6.801234,-,145331290,USD\n"
    "BERKSHIRE HATHAWAY INC CL B,BRK.B,084670702,2073390,1.601111,-,18341811,USD\n"
    "US DOLLAR,-,-,-,0.085310,-,560811373,USD\n"
    ",,,,,,,\n"
    "Past performance is not a guarantee of future results.,,,,,,,\n"
)


def test_spdr_csv_layout(tmp_path: Path) -> None:
    path = tmp_path / "holdings-daily-us-en-spy.csv"
    path.write_text(SPDR_CSV)
    h = read_holdings(path)
    table = pd.read_csv(io.StringIO(SPDR_CSV), skiprows=4, nrows=4)
    members = table[table["Ticker"] != "-"]
    expected = (members["Weight"] / members["Weight"].sum()).to_numpy()
    assert (h.fund, h.fund_name, h.layout) == ("SPY", "SPDR S&P 500 ETF Trust", "spdr")
    assert h.as_of == pd.Timestamp("2026-11-20")
    assert h.tickers == ["NVDA", "AAPL", "BRK-B"]
    np.testing.assert_allclose(h.frame["weight"], expected)
    assert h.frame["market_value"].isna().all()
    assert list(h.excluded["ticker"]) == ["-"]


def test_spdr_short_row() -> None:
    text = SPDR_CSV.replace("APPLE INC,AAPL,037833100,2046251,6.801234,-,145331290,USD", "APPLE INC,AAPL")
    with pytest.raises(InputError, match=r"spy.csv: line 7: expected 8 fields as in the header on line 5, got 2"):
        parse_spdr_holdings(text, origin="spy.csv")


@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is not None, reason="openpyxl installed")
def test_spdr_xlsx_needs_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "holdings-daily-us-en-spy.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=r"needs the openpyxl package .* save the sheet as CSV"):
        read_holdings(path)


# -- plain membership ------------------------------------------------------------------------


def test_sample_membership_matches_pandas() -> None:
    path = sample_paths()["membership"]
    got = read_membership(path)
    raw = pd.read_csv(path)
    raw["weight"] = raw["weight"] / raw.groupby("segment")["weight"].transform("sum")
    pd.testing.assert_frame_equal(got, raw[["segment", "ticker", "weight"]])
    assert set(got["segment"]) == {"large-caps", "midcap", "growth", "value", "tech"}


def test_membership_equal_weights_and_normalised_tickers() -> None:
    got = parse_membership_csv("Segment,Ticker\nvalue,brk.b\nvalue,JPM\nTech,aapl\n", origin="m.csv")
    assert list(got["ticker"]) == ["BRK-B", "JPM", "AAPL"]
    assert list(got["segment"]) == ["value", "value", "tech"]
    np.testing.assert_allclose(got["weight"], [0.5, 0.5, 1.0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("segment,weight\nvalue,1\n", r"m.csv: line 1: missing column\(s\) ticker"),
        ("segment,ticker,weight\nvalue,JPM,2\nvalue,jpm,3\n", r"m.csv: line 3: JPM is listed twice in segment 'value' \(first on line 2\)"),
        ("segment,ticker,weight\nvalue,JPM,2\nvalue,XOM,\n", r"m.csv: line 3: blank weight in segment 'value'"),
        ("segment,ticker,weight\nvalue,JPM,-2\n", r"m.csv: line 2: negative weight -2 for JPM"),
        ("segment,ticker,weight\nvalue,JPM,two\n", r"m.csv: line 2: weight is not a number: 'two'"),
        ("segment,ticker,weight\nvalue,,2\n", r"m.csv: line 2: blank segment or ticker"),
        ("segment,ticker,weight\nvalue,JPM\n", r"m.csv: line 2: expected 3 fields as in the header, got 2"),
        ("segment,ticker,weight\n", r"m.csv: no membership rows"),
    ],
)  # fmt: skip
def test_membership_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_membership_csv(text, origin="m.csv")


def test_combine_memberships() -> None:
    a = parse_membership_csv("segment,ticker\nvalue,JPM\n", origin="a")
    b = parse_membership_csv("segment,ticker\ntech,AAPL\n", origin="b")
    both = combine_memberships([a, b])
    assert list(both["segment"]) == ["value", "tech"]
    with pytest.raises(InputError, match="segment 'value' is given by more than one"):
        combine_memberships([a, a])
    iwm = read_holdings(sample_paths()["IWM"])
    from_holdings = combine_memberships({"small-caps": iwm})
    assert len(from_holdings) == len(iwm.frame)


@pytest.mark.parametrize(
    ("raw", "clean"), [("brk.b", "BRK-B"), (" BF/B ", "BF-B"), ("AAPL", "AAPL"), ("RDS A", "RDS-A")]
)
def test_normalize_ticker(raw: str, clean: str) -> None:
    assert normalize_ticker(raw) == clean
