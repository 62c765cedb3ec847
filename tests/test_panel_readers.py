"""Panel readers (wide/long Parquet, long CSV, per-ticker CSV folder), tickers and members."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.panel import excluded_rows_warning, match_tickers, panel_ticker, rows_until
from rotascope.data.panel_members import read_members, survivorship_caveat
from rotascope.data.panel_readers import open_panel, read_ticker_csv
from rotascope.errors import InputError, RotascopeWarning
from rotascope.pipeline.breadth import compute_breadth

DATES = pd.bdate_range("2023-01-02", periods=30)


def _frame(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = np.exp(np.cumsum(rng.standard_normal((30, 3)) * 0.02, axis=0)) * 50
    frame = pd.DataFrame(x.astype(np.float32), index=pd.DatetimeIndex(DATES, name="Date"),
                         columns=["AAA", "BRK.B", "CCC"])
    frame.iloc[:5, 2] = np.nan  # CCC starts later
    frame.iloc[10, 0] = 0.0  # a bad close
    return frame


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.stack().rename("close").reset_index()
    out.columns = ["date", "ticker", "close"]
    return out


def test_wide_long_and_folder_panels_read_the_same(tmp_path: Path) -> None:
    frame = _frame()
    frame.to_parquet(tmp_path / "wide.parquet")
    _long(frame).to_parquet(tmp_path / "long.parquet")
    _long(frame).to_csv(tmp_path / "long.csv", index=False)
    folder = tmp_path / "folder"
    folder.mkdir()
    for col in frame:
        s = frame[col].dropna()
        pd.DataFrame({"Date": s.index.strftime("%Y-%m-%d"), "Close": s.to_numpy()}).to_csv(
            folder / f"{col}.csv", index=False)
    want = frame.to_numpy()
    for path in ("wide.parquet", "long.parquet", "long.csv", "folder"):
        panel = open_panel(tmp_path / path)
        assert panel.tickers == ("AAA", "BRK-B", "CCC") or sorted(panel.tickers) == [
            "AAA", "BRK-B", "CCC"], path
        assert list(panel.dates) == list(DATES), path
        got = panel.read(["AAA", "BRK-B", "CCC"], 30)
        assert got.dtype == np.float32 and got.flags.f_contiguous
        np.testing.assert_array_equal(got, want, err_msg=path)
        np.testing.assert_array_equal(panel.read(["CCC"], 12), want[:12, 2:], err_msg=path)
        assert pickle.loads(pickle.dumps(panel)).tickers == panel.tickers


def test_ticker_spellings() -> None:
    assert {panel_ticker(t) for t in ("BRK.B", "brk/b", "BRK-B", "BRK B")} == {"BRK-B"}
    assert panel_ticker("BRKB") == "BRK-B"  # the iShares spelling
    assert match_tickers(["BRKB", "BFB", "AAPL", "XYZ"], ["AAPL", "BRK-B", "BF-B"]) == {
        "BRKB": "BRK-B", "BFB": "BF-B", "AAPL": "AAPL"}
    assert match_tickers(["ABC"], ["AB-C", "A-BC"]) == {}  # ambiguous without separators


def test_yahoo_and_semicolon_csv_layouts(tmp_path: Path) -> None:
    (tmp_path / "y.csv").write_text(
        "Date,Open,High,Low,Close,Adj Close,Volume\n"
        "2024-01-02,1,1,1,10,5,100\n2024-01-03,1,1,1,11,null,100\n\n2024-01-04,1,1,1,12,6,1\n")
    s = read_ticker_csv(tmp_path / "y.csv")
    assert s.name == "Y"
    np.testing.assert_array_equal(s.to_numpy(), [5.0, np.nan, 6.0])
    (tmp_path / "s.csv").write_text("date;close\n02.01.2024;3.5\n03.01.2024;4\n")
    assert read_ticker_csv(tmp_path / "s.csv").index[0] == pd.Timestamp("2024-01-02")


@pytest.mark.parametrize(("text", "message"), [
    ("Date,Close\n2024-01-02,1\n2024-01-02,2\n", r"x.csv: line 3: date 2024-01-02 is duplicated"),
    ("Date,Close\n2024-01-03,1\n2024-01-02,2\n", r"x.csv: line 3: .*unsorted"),
    ("Date,Close\n2024-01-02,1\nnot a date,2\n", r"x.csv: line 3: unparseable date 'not a date'"),
    ("Date,Close\n2024-01-02,1\n2024-01-03,abc\n", r"x.csv: line 3: unparseable number 'abc'"),
    ("Date,Open,High\n2024-01-02,1,2\n", r"x.csv: no close column"),
])
def test_bad_ticker_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "x.csv").write_text(text)
    with pytest.raises(InputError, match=message):
        read_ticker_csv(tmp_path / "x.csv")


def test_bad_panels(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such panel"):
        open_panel(tmp_path / "missing.parquet")
    frame = _frame()
    frame.columns = ["AAA", "BRK.B", "BRK-B"]
    frame.to_parquet(tmp_path / "dup.parquet")
    with pytest.raises(InputError, match="ticker BRK-B appears twice"):
        open_panel(tmp_path / "dup.parquet")
    (tmp_path / "l.csv").write_text("date,ticker,close\n2024-01-02,A,1\n2024-01-02,A,2\n")
    with pytest.raises(InputError, match="row 2: ticker A has the date 2024-01-02 twice"):
        open_panel(tmp_path / "l.csv")
    (tmp_path / "w.csv").write_text("when,what\n2024-01-02,1\n")
    with pytest.raises(InputError, match="needs columns date, ticker, close"):
        open_panel(tmp_path / "w.csv")
    frame = _frame().iloc[[1, 0, 2]]
    frame.to_parquet(tmp_path / "unsorted.parquet")
    with pytest.raises(InputError, match="data row 2: date 2023-01-02 is unsorted"):
        open_panel(tmp_path / "unsorted.parquet")


def test_rows_until() -> None:
    assert rows_until(DATES, pd.Timestamp("2023-01-04")) == 3
    assert rows_until(DATES, pd.Timestamp("2022-12-31")) == 0
    assert rows_until(DATES, None) == 30


def test_scan_warns_once_naming_tickers_and_dates(tmp_path: Path) -> None:
    _frame().to_parquet(tmp_path / "wide.parquet")
    (tmp_path / "m.csv").write_text("segment,ticker\nsmall,AAA\nsmall,BRKB\nsmall,ZZZ\n"
                                    "big,AAA\nbig,CCC\n")
    segments = read_members(tmp_path / "m.csv")
    assert [s.segment for s in segments] == ["small", "big"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RotascopeWarning)
        res = compute_breadth(open_panel(tmp_path / "wide.parquet"), segments)
    texts = [str(w.message) for w in caught if issubclass(w.category, RotascopeWarning)]
    assert len(texts) == 1  # AAA is in both segments: still one warning
    assert "AAA: 1 date with a zero or negative close (2023-01-16 to 2023-01-16)" in texts[0]
    small = res.segments[0]
    assert small.matched == {"AAA": "AAA", "BRKB": "BRK-B"}  # the panel spells it BRK.B
    assert small.missing == ["ZZZ"]
    assert int(small.snapshot["with_data"]) == 2
    assert small.per_member.set_index("ticker").loc["AAA", "rows"] == 29


def test_excluded_rows_warning_limits_the_list() -> None:
    from rotascope.data.panel import ExcludedRows

    many = [ExcludedRows(f"T{i:02d}", i + 1, 0, None, None) for i in range(30)]
    text = excluded_rows_warning("p.parquet", many, limit=3)
    assert text.startswith("p.parquet: 30 tickers with rows excluded")
    assert "T29: 30 dates" in text and text.endswith("and 27 more")


def test_members_from_ishares_holdings_and_caveat(tmp_path: Path) -> None:
    text = (
        "\ufeffiShares Russell 2000 ETF\nFund Holdings as of,\"May 05, 2026\"\n \n"
        "Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,"
        "Location,Exchange,Currency,FX Rate,Market Currency,Accrual Date\n"
        '"AAA","A CORP","Industrials","Equity","1,000.00","0.60","1","1","1","US","N","USD","1",'
        '"USD","-"\n'
        '"BRKB","B CORP","Financials","Equity","500.00","0.30","1","1","1","US","N","USD","1",'
        '"USD","-"\n'
        '"USD","CASH","Cash","Cash","10.00","0.10","1","1","1","US","-","USD","1","USD","-"\n'
    )
    (tmp_path / "IWM_holdings_2026-05-05.csv").write_text(text)
    (seg,) = read_members(tmp_path / "IWM_holdings_2026-05-05.csv")
    assert (seg.segment, seg.display) == ("IWM", "iShares Russell 2000 ETF")
    assert seg.as_of == pd.Timestamp("2026-05-05")
    assert seg.tickers == ["AAA", "BRK-B"]
    assert seg.frame["weight"].sum() == pytest.approx(1.0)
    line = survivorship_caveat(seg, pd.Timestamp("2014-01-02"))
    assert line.startswith("Members: iShares Russell 2000 ETF holdings as of 2026-05-05;")
    assert "survivorship" in line
    assert "survivorship" not in survivorship_caveat(seg, pd.Timestamp("2026-06-01"))
