"""The chart modules' embedded data (report.svg.explore): what report.js reads."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from rotascope.formatting import format_number, format_pct
from rotascope.narrative.valuation_facts import value_text
from rotascope.report.svg import frame_chart, line_chart
from rotascope.report.svg.explore import _render, number_spec


def _data(svg: str) -> dict:
    match = re.search(r" data-chart='([^']*)'", svg)
    assert match is not None
    return json.loads(html.unescape(match.group(1)))


def _print(v: float, spec: dict) -> str:
    """Python twin of fmtNum in report.js, decimals by magnitude included."""
    d = spec["d"]
    if "dd" in spec:
        k = int(np.floor(np.log10(abs(v * spec["m"])))) if v else -99
        d = next((dec for dk, dec in spec["dd"] if dk <= k), spec["dd"][-1][1])
    return _render(v, spec["m"], d, bool(spec["s"]), spec["u"], bool(spec["g"]))


@pytest.mark.parametrize("fmt", [
    format_pct,
    lambda v: format_pct(v, decimals=2),
    lambda v: format_pct(v, signed=False),
    lambda v: format_number(v, decimals=1),
    lambda v: format_number(v, decimals=2),
    lambda v: value_text(v, ""),
    lambda v: value_text(v, "fraction"),
    lambda v: value_text(v, "percent"),
])
def test_number_spec_reproduces_the_report_formats(fmt) -> None:
    spec = number_spec(fmt)
    assert spec is not None
    for v in (0.0, 0.004, -0.0371, 0.5, 2.25, 9.87, -15.5, 42.42, 150.0, 98765.4):
        assert _print(v, spec) == fmt(v), v


def test_line_chart_embeds_dates_values_and_episodes() -> None:
    idx = pd.bdate_range("2010-01-01", periods=6000)
    rs = pd.Series(100 + np.cumsum(np.sin(np.arange(6000) / 50)), index=idx)
    svg = line_chart(rs, chart_id="c", title="T", reference=100.0)
    data = _data(svg)
    days = np.cumsum(data["t"])
    assert len(days) == 4000 and data["x"] == "d" and data["r"] == 100.0
    assert pd.Timestamp(int(days[0]), unit="D") == idx[0]
    assert pd.Timestamp(int(days[-1]), unit="D") == idx[-1]
    assert len(data["s"]) == 1 and len(data["s"][0]["y"]) == 4000
    assert data["s"][0]["y"][-1] == pytest.approx(rs.iloc[-1], abs=0.01)
    # the static drawing is the same with or without the embedded data
    plain = line_chart(rs, chart_id="c", title="T", reference=100.0, explorable=False)
    assert "data-chart" not in plain and re.sub(r" data-chart='[^']*'", "", svg) == plain


def test_frame_chart_embeds_every_line_on_shared_rows() -> None:
    idx = pd.bdate_range("1990-01-01", periods=9000)
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(9000, 3)).cumsum(axis=0), index=idx,
                         columns=["a", "b", "c"])
    data = _data(frame_chart(frame, chart_id="f", title="F", value_format=format_pct))
    assert len(data["s"]) == 3 and len({len(s["y"]) for s in data["s"]}) == 1
    assert len(data["t"]) <= 4000 + 6
    assert data["fv"] == {"m": 100, "d": 1, "s": 1, "u": "%", "g": 0}
    path = pd.DataFrame({"x": [0.01, -0.02, 0.03]}, index=[-1, 0, 1])
    numeric = _data(frame_chart(path, chart_id="p", title="P", x_format=lambda k: f"day {k}"))
    assert numeric["x"] == "n" and numeric["t"] == [-1, 0, 1] and numeric["xs"][0] == "day -1"
