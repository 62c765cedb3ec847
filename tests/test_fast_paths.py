"""The fast paths of issue 14 give what the slower code they skip gives.

- Ken French sections read by pandas' C tokenizer (``french._fast_section``) equal the line
  reader's, bit for bit, on every real library file, and bad rows still get the line reader's
  message;
- a header name without a digit is settled without the date parser (``_may_be_date``) only when
  the date parser would not read it;
- calendar-period bounds computed for all periods at once equal the one-day computation (by
  calendar arithmetic);
- the pipeline's ``without_nan`` (a slice when the NaN rows lead) is ``dropna``, and the
  Shiller test's first lines of a prefix are the first lines of the text;
- calendar windows' months-before by calendar arithmetic is ``pd.DateOffset``'s.
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics import periods
from rotascope.data.formats import french
from rotascope.data.formats.csv_layouts import _may_be_date, _parse_dates
from rotascope.errors import InputError
from rotascope.pipeline.series import without_nan


def _line_reader_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(french, "_fast_section", lambda *args, **kwargs: None)


@pytest.mark.parametrize("name", ["F-F_Research_Data_5_Factors_2x3_daily.csv",
                                  "6_Portfolios_2x3.CSV", "F-F_Momentum_Factor_daily.csv"])
def test_french_fast_sections_equal_the_line_reader(shared_data: Path, name: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = (shared_data / "french" / name).read_text(encoding="latin-1")
    used = []
    real = french._fast_section

    def counting(*args: object, **kwargs: object) -> object:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        used.append(out is not None)
        return out

    monkeypatch.setattr(french, "_fast_section", counting)
    fast = french.parse_french_csv(text, origin=name)
    assert any(used)  # the C tokenizer read some sections
    _line_reader_only(monkeypatch)
    slow = french.parse_french_csv(text, origin=name)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert (a.title, a.frequency, a.percent, a.first_line) == (
            b.title, b.frequency, b.percent, b.first_line)
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
        assert np.array_equal(a.frame.to_numpy().view(np.int64), b.frame.to_numpy().view(np.int64))


def _french_text(rows: list[str]) -> str:
    return "This file was created by CMPT_ME_BEME_RETS using the 202401 CRSP database.\n\n" + \
        "  ,Mkt-RF,SMB\n" + "\n".join(rows) + "\n\n Copyright 2024 Kenneth R. French\n"


@pytest.mark.parametrize("bad, message", [
    ("2.5x", "unparseable number '2.5x'"),
    ("", "1 value(s), expected 2"),
    ("1_000", None),  # float() reads it: no error, the same value either way
])
def test_french_bad_field_same_outcome(bad: str, message: str | None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    days = pd.bdate_range("2000-01-03", periods=400)
    rows = [f"{d:%Y%m%d},{0.01 * (k % 7):.2f},{-0.02:.2f}" for k, d in enumerate(days)]
    rows[300] = rows[300].rsplit(",", 1)[0] + ("," + bad if bad else ",")
    text = _french_text(rows)
    outcomes = []
    for fast in (True, False):
        if not fast:
            _line_reader_only(monkeypatch)
        try:
            outcomes.append(french.parse_french_csv(text, origin="f.csv")[0].frame)
        except InputError as exc:
            outcomes.append(str(exc))
    if message is None:
        pd.testing.assert_frame_equal(outcomes[0], outcomes[1], check_exact=True)
    else:
        assert outcomes[0] == outcomes[1]
        assert message in outcomes[0] and "line 304" in outcomes[0]


def test_digitless_header_names_that_skip_the_date_parser_are_no_dates() -> None:
    words = ["Date", "date", "observation_date", "Price", "Ticker", "NaT", "nan", "None",
             "infinity", "epoch", "tomorrow", "yesterday", "Now", "TODAY", "now", "today",
             " today ", "Time", "Unnamed: 0", "January", "noon", ""]
    words += list(string.ascii_letters + string.punctuation)
    words += ["".join(p) for p in itertools.product("TZtz-+./ :", repeat=2)]
    for word in words:
        if not _may_be_date(word):
            assert _parse_dates([word])[1].all(), word
    assert _may_be_date("now") and _may_be_date("2024-01-02")


@pytest.mark.parametrize("period", periods.PERIODS)
def test_period_bounds_at_once_equal_one_day_at_a_time(period: str) -> None:
    days = pd.DatetimeIndex(pd.date_range("1899-12-25", "2031-01-10", freq="3D"))
    start, end = periods._bounds(days, period)
    one = [periods._bounds_of(d, period) for d in days]  # calendar arithmetic, day by day
    assert list(start) == [b[0] for b in one]
    assert list(end) == [b[1] for b in one]
    assert start.unit == one[0][0].unit and end.unit == one[0][1].unit


def test_without_nan_is_dropna() -> None:
    rng = np.random.default_rng(3)
    index = pd.date_range("2020-01-01", periods=40)
    cases = [pd.Series(np.arange(40.0), index), pd.Series(np.full(40, np.nan), index),
             pd.Series([], dtype="float64", index=pd.DatetimeIndex([])),
             pd.Series(np.arange(40), index)]  # integers: no NaN to look for
    for _ in range(50):
        x = rng.normal(size=40)
        x[: int(rng.integers(0, 40))] = np.nan  # leading NaN, as N-row returns have
        if rng.random() < 0.5:
            x[int(rng.integers(0, 40))] = np.nan  # and sometimes one later
        cases.append(pd.Series(x, index, name="r"))
    for s in cases:
        got = without_nan(s)
        pd.testing.assert_series_equal(got, s.dropna(), check_freq=False)
        assert got is not s


def test_shiller_first_lines_are_splitlines() -> None:
    """is_shiller_csv reads the first lines of a prefix: the same as splitting the whole text,
    whatever the line breaks and wherever a line crosses the prefix's end."""
    from rotascope.data.formats.shiller import _first_lines

    rng = np.random.default_rng(5)
    breaks = ["\n", "\r\n", "\r", "\x0b", "\x1c", "\x85", "\u2028", ""]
    for _ in range(400):
        text = "".join("x" * int(rng.choice([0, 3, 4094, 4095, 4096, 33000]))
                       + str(rng.choice(breaks)) for _ in range(int(rng.integers(0, 7))))
        for n in (1, 3):
            assert _first_lines(text, n) == text.splitlines()[:n]


def test_months_before_is_the_date_offset() -> None:
    """Calendar windows step back months by calendar arithmetic: the same timestamps (and
    units) as subtracting ``pd.DateOffset(months=...)`` or ``(years=...)``."""
    from rotascope.analytics.windows import _months_before

    days = list(pd.date_range("1871-01-01", "2035-12-31", freq="11D"))
    days += [pd.Timestamp("2024-02-29 15:30:12.5"), pd.Timestamp("2024-03-31").as_unit("s"),
             pd.Timestamp("2000-02-29").as_unit("ns")]
    for day in days:
        for months in (1, 3, 6, 13, 240):
            got, want = _months_before(day, months), day - pd.DateOffset(months=months)
            assert got == want and got.unit == want.unit, (day, months)
        for years in (1, 5):
            assert _months_before(day, 12 * years) == day - pd.DateOffset(years=years), day
