"""The report built end to end: sample data (what `make report` runs) and the real histories."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rotascope.cli.main import app
from rotascope.data.loader import DataSource
from rotascope.data.universe import load_universe
from rotascope.report.build import build_report
from rotascope.report.html import html_ids

runner = CliRunner()


def test_report_command_on_embedded_sample(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "embedded offline sample" in result.output
    assert "Report written to" in result.output
    html = out.read_text()
    for section in ("headline", "quotes", "performance", "pairs", "rrg", "analogs", "method"):
        assert f'id="{section}' in html
    assert "http://" not in html.split("<body", 1)[1].split("Method", 1)[0]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_report_other_formats(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    result = runner.invoke(app, ["report", "--universe", "sample", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    if fmt == "json":
        doc = json.loads(text)
        assert doc["facts"] and doc["tables"]["performance"]
    else:
        assert "## " in text


def test_bad_format_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--format" in result.output
    assert not (tmp_path / "x").exists()


@pytest.fixture(scope="module")
def real_model(shared_data: Path):  # type: ignore[no-untyped-def]
    return build_report(load_universe("us"), DataSource(data_dir=shared_data),
                        pd.Timestamp("2026-07-31"), data_note="test")


def _close(shared_data: Path, etf: str) -> pd.Series:
    frame = pd.read_csv(shared_data / "prices" / f"{etf}.csv", index_col="Date", parse_dates=True)
    return frame["Close"]


def test_real_report_has_every_section(real_model, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    m = real_model
    assert str(m.as_of) == "2026-07-31"
    assert m.headlines and m.quotes and m.pairs and m.analogs and m.rrg is not None
    assert len(m.rrg.table) == 11  # the SPDR sectors against the S&P 500
    assert set(m.performance["segment"]) >= {"small-caps", "large-caps", "tech", "energy"}
    from rotascope.report.html import render_html

    html = render_html(m)
    ids = html_ids(html)
    for h in m.headlines:
        assert h.anchor in ids


def test_real_report_numbers_match_pandas(real_model, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    perf = real_model.performance.set_index("segment")
    iwm = _close(shared_data, "IWM").loc[:"2026-07-31"]
    assert np.isclose(perf.loc["small-caps", "1d"], iwm.iloc[-1] / iwm.iloc[-2] - 1, atol=1e-12)
    assert np.isclose(perf.loc["small-caps", "5d"], iwm.iloc[-1] / iwm.iloc[-6] - 1, atol=1e-12)
    ytd_base = iwm.loc[:"2025-12-31"].iloc[-1]
    assert np.isclose(perf.loc["small-caps", "ytd"], iwm.iloc[-1] / ytd_base - 1, atol=1e-12)
    one_m = iwm.loc[: pd.Timestamp("2026-07-31") - pd.DateOffset(months=1)].iloc[-1]
    assert np.isclose(perf.loc["small-caps", "1m"], iwm.iloc[-1] / one_m - 1, atol=1e-12)
    spy = _close(shared_data, "SPY").loc[:"2026-07-31"]
    pair = next(p for p in real_model.pairs if p.key == "small-vs-large")
    both = pd.concat([iwm, spy], axis=1, join="inner")
    rs = both.iloc[:, 0] / both.iloc[:, 1]
    assert np.allclose(pair.rs.to_numpy(), (100 * rs / rs.iloc[0]).to_numpy(), atol=1e-9)
    rel5 = (both.iloc[-1, 0] / both.iloc[-6, 0]) / (both.iloc[-1, 1] / both.iloc[-6, 1]) - 1
    assert np.isclose(pair.move, rel5, atol=1e-12)
    # the rotations panel carries the one-day move (issue 11): its margin rA - rB
    assert [m["window"] for m in pair.moves] == ["1d", "5d", "21d", "63d"]
    one = pair.moves[0]
    ra, rb = both.iloc[-1] / both.iloc[-2] - 1
    assert np.isclose(one["spread"], ra - rb, atol=1e-12)
    assert np.isclose(one["relative_return"], (1 + ra) / (1 + rb) - 1, atol=1e-12)
    quote = next(q for q in real_model.quotes if q.segment == "small-caps")
    assert np.isclose(quote.level, iwm.iloc[-1]) and str(quote.date) == "2026-07-31"
    # the level says which series it is (the ETF's adjusted close, not the index) and the change
    # its real window (issue 9)
    assert quote.series == "IWM Close" and quote.window == "1 day"
