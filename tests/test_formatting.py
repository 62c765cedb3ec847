"""One formatting module and one JSON encoder: the same number prints the same way in a
sentence, a table and the terminal, and every JSON output is strict with null for missing."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from rotascope.formatting import format_number, format_pct, format_pp, one_line
from rotascope.jsonutil import dumps, jsonable
from rotascope.narrative.wording import pct, pp, signed_pct


@pytest.mark.parametrize("x", [-0.0004, -0.00049, 0.0004, 0.0, -0.0])
def test_a_move_that_rounds_to_zero_prints_the_same_in_a_sentence_and_a_table(x: float) -> None:
    assert signed_pct(x) == format_pct(x) == "0.0%"
    assert pct(x) == format_pct(abs(x), signed=False) == "0.0%"


@pytest.mark.parametrize("x", [0.1153, -0.031, 0.02, -0.0005001, 1.23456, -12.0])
def test_sentence_and_table_agree_on_every_sign(x: float) -> None:
    assert signed_pct(x) == format_pct(x)
    assert pct(x) == format_pct(x, signed=x > 0).lstrip("+-")
    assert pp(x).removesuffix(" percentage points") == format_pp(abs(x)).removesuffix(" pp").lstrip("+")


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, pd.NaT, np.float32("nan")])
def test_missing_prints_na_everywhere(missing: object) -> None:
    assert format_pct(missing) == format_number(missing) == signed_pct(missing) == "n/a"  # type: ignore[arg-type]


def test_one_encoder_gives_null_for_every_missing_kind_and_strict_json() -> None:
    frame = pd.DataFrame({"x": [1.0, math.nan, math.inf], "n": pd.array([1, pd.NA, 3], dtype="Int64"),
                          "d": [pd.Timestamp("2024-07-17"), pd.NaT, pd.Timestamp("2024-07-18")]})
    text = dumps({"rows": frame, "na": pd.NA, "ninf": -math.inf, "set": {"b", "a"}})
    doc = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    assert doc["na"] is None and doc["ninf"] is None and doc["set"] == ["a", "b"]
    # a plain row-number index is not data: no "index" field (the CLI printed 0, 1, 2 before)
    assert doc["rows"] == [{"x": 1.0, "n": 1, "d": "2024-07-17"},
                           {"x": None, "n": None, "d": None},
                           {"x": None, "n": 3, "d": "2024-07-18"}]
    dated = pd.DataFrame({"v": [1.5]}, index=pd.DatetimeIndex(["2020-03-16"], name="date"))
    assert jsonable(dated) == [{"date": "2020-03-16", "v": 1.5}]


def test_one_line_of_an_error() -> None:
    assert one_line(OSError("disk\n full  now")) == "disk full now"
    assert one_line(RuntimeError()) == "RuntimeError"
