"""The SPDR daily holdings spreadsheet read from a real .xlsx workbook (needs openpyxl)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from rotascope.data.holdings import read_holdings
from rotascope.errors import InputError
from test_holdings import SPDR_CSV

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) is not installed")


def write_workbook(path: Path, text: str) -> None:
    """Lay the SPDR sheet out cell by cell, as the issuer's workbook has it."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)


def test_spdr_xlsx_equals_its_csv(tmp_path: Path) -> None:
    xlsx = tmp_path / "holdings-daily-us-en-spy.xlsx"
    write_workbook(xlsx, SPDR_CSV)
    as_csv = tmp_path / "holdings-daily-us-en-spy.csv"
    as_csv.write_text(SPDR_CSV)
    a, b = read_holdings(xlsx), read_holdings(as_csv)
    assert (a.fund, a.as_of, a.tickers) == (b.fund, b.as_of, b.tickers)
    np.testing.assert_allclose(a.frame["weight"], b.frame["weight"])


def test_broken_workbook_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "spy.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError) as info:
        read_holdings(bad)
    assert "spy.xlsx" in str(info.value) and "\n" not in str(info.value)
