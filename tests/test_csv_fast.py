"""The C-tokenizer path of parse_csv_text gives exactly what the line reader gives: the same
values, dates and column, or the same one-line error with the same line number."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotascope.data.formats import csv_layouts
from rotascope.data.formats.csv_fast import MIN_LINES
from rotascope.errors import InputError


def outcome(text: str, kind: str, sep: str | None = None, fast: bool = True) -> object:
    """``parse_csv_text`` (fast path first), or the line reader alone: result or error text."""
    try:
        if fast:
            return csv_layouts.parse_csv_text(text, origin="f.csv", kind=kind, sep=sep)
        layout = csv_layouts.sniff_csv(text.lstrip("\ufeff"), origin="f.csv", sep=sep)
        return csv_layouts._parse_lines(text.lstrip("\ufeff"), layout, origin="f.csv",
                                        column=None, kind=kind)
    except InputError as exc:
        return f"InputError: {exc}"


def assert_same(a: object, b: object) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    sa, na = a  # type: ignore[misc]
    sb, nb = b  # type: ignore[misc]
    assert na == nb
    pd.testing.assert_series_equal(sa, sb, check_exact=True)
    assert np.array_equal(sa.to_numpy().view(np.int64), sb.to_numpy().view(np.int64))


def table(n: int, seed: int, sep: str = ",", header: str = "Date,Close") -> list[str]:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2001-01-02", periods=n).strftime("%Y-%m-%d")
    closes = 100 * np.exp(np.cumsum(rng.standard_normal(n) * 0.01))
    return [header.replace(",", sep)] + [f"{d}{sep}{float(c)!r}" for d, c in zip(days, closes,
                                                                          strict=True)]


MUTATIONS = st.sampled_from([
    "none", "crlf", "pad", "trailing_blank", "blank_inside", "short_row", "long_row", "quote",
    "bad_number", "bad_date", "missing_dot", "missing_nan", "plus_nan", "unsorted", "duplicate",
    "zero_price", "lone_cr", "underscore", "whitespace_row", "inf",
])


def mutate(lines: list[str], what: str, at: int, sep: str) -> str:
    lines = list(lines)
    date, value = lines[at].split(sep)
    if what == "pad":
        lines[at] = f"  {date} {sep} {value}  "
    elif what == "blank_inside":
        lines.insert(at, "")
    elif what == "short_row":
        lines[at] = date
    elif what == "long_row":
        lines[at] = f"{date}{sep}{value}{sep}7"
    elif what == "quote":
        lines[at] = f'"{date}"{sep}{value}'
    elif what == "bad_number":
        lines[at] = f"{date}{sep}12x"
    elif what == "bad_date":
        lines[at] = f"2001-13-45{sep}{value}"
    elif what == "missing_dot":
        lines[at] = f"{date}{sep}."
    elif what == "missing_nan":
        lines[at] = f"{date}{sep}NaN"
    elif what == "plus_nan":
        lines[at] = f"{date}{sep}+nan"
    elif what == "unsorted":
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif what == "duplicate":
        lines[at + 1] = lines[at]
    elif what == "zero_price":
        lines[at] = f"{date}{sep}0"
    elif what == "underscore":
        lines[at] = f"{date}{sep}1_000.5"
    elif what == "whitespace_row":
        lines[at] = f"  {sep} "
    elif what == "inf":
        lines[at] = f"{date}{sep}inf"
    text = "\n".join(lines) + "\n"
    if what == "crlf":
        text = text.replace("\n", "\r\n")
    elif what == "trailing_blank":
        text += "\n  \n\n"
    elif what == "lone_cr":
        text = text.replace("\n", "\r", 3)
    return text


@settings(max_examples=120, deadline=None)
@given(what=MUTATIONS, at=st.integers(1, MIN_LINES + 40), kind=st.sampled_from(["price", "macro"]),
       sep=st.sampled_from([",", ";", "\t"]), seed=st.integers(0, 3))
def test_fast_path_equals_line_reader(what: str, at: int, kind: str, sep: str, seed: int) -> None:
    text = mutate(table(MIN_LINES + 60, seed, sep), what, at, sep)
    assert_same(outcome(text, kind), outcome(text, kind, fast=False))
    plain = {"none", "crlf", "pad", "trailing_blank", "underscore", "plus_nan", "inf",
             "unsorted", "duplicate", "zero_price"}
    if what in plain or (kind == "macro" and what in ("missing_dot", "missing_nan")):
        layout = csv_layouts.sniff_csv(text, origin="f.csv")
        try:  # the C path answers (or validation raises inside it): not the line reader
            answer = csv_layouts._parse_fast(text, layout, origin="f.csv", column=None,
                                             kind=kind)
        except InputError:
            answer = "raised"
        assert answer is not None, what


def test_decimal_comma_and_fred_holidays_take_the_fast_path() -> None:
    lines = table(MIN_LINES + 5, 1, ";")
    lines = [lines[0]] + [ln.replace(".", ",") for ln in lines[1:]]
    text = "\n".join(lines) + "\n"
    layout = csv_layouts.sniff_csv(text, origin="f.csv")
    fast = csv_layouts._parse_fast(text, layout, origin="f.csv", column=None, kind="price")
    assert fast is not None
    assert_same(fast, outcome(text, "price", fast=False))
    fred = ["observation_date,DGS2"] + [f"{d},{'.' if k % 5 == 0 else '4.25'}"
                                        for k, d in enumerate(pd.bdate_range(
                                            "2001-01-02", periods=MIN_LINES + 5).strftime(
                                            "%Y-%m-%d"))]
    text = "\n".join(fred) + "\n"
    layout = csv_layouts.sniff_csv(text, origin="f.csv")
    fast = csv_layouts._parse_fast(text, layout, origin="f.csv", column=None, kind="macro")
    assert fast is not None and len(fast[0]) == MIN_LINES + 5 - (MIN_LINES + 5 + 4) // 5
    assert_same(fast, outcome(text, "macro", fast=False))


def test_an_error_deep_in_a_large_file_names_its_line() -> None:
    lines = table(5000, 2)
    lines[3210] = lines[3210].split(",")[0] + ",abc"
    result = outcome("\n".join(lines) + "\n", "price")
    assert result == "InputError: f.csv: line 3211: unparseable number 'abc' in column 'Close'"


@pytest.mark.realdata
def test_every_shared_csv_takes_the_fast_path_with_the_same_result(shared_data: Path) -> None:
    files = sorted((shared_data / "prices").glob("*.csv")) + sorted(
        (shared_data / "macro").glob("*.csv"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8").lstrip("\ufeff")
        kind = "macro" if path.parent.name == "macro" else "price"
        layout = csv_layouts.sniff_csv(text, origin=str(path))
        fast = csv_layouts._parse_fast(text, layout, origin=str(path), column=None, kind=kind)
        assert fast is not None, path
        assert_same(fast, csv_layouts._parse_lines(text, layout, origin=str(path), column=None,
                                                   kind=kind))


def test_a_clean_large_file_takes_the_fast_path() -> None:
    text = "\n".join(table(MIN_LINES + 1, 0)) + "\n"
    layout = csv_layouts.sniff_csv(text, origin="f.csv")
    fast = csv_layouts._parse_fast(text, layout, origin="f.csv", column=None, kind="price")
    assert fast is not None and len(fast[0]) == MIN_LINES + 1
    assert_same(fast, outcome(text, "price", fast=False))
