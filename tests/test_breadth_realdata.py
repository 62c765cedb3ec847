"""Breadth on the real panel (../shared/data/universe) against independent pandas computations.

The panel and the scans are built once per session (module fixtures); each check recomputes a
measure from the panel with plain pandas on each member's own rows.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.panel_members import SegmentMembers, read_members
from rotascope.data.panel_readers import open_panel
from rotascope.errors import RotascopeWarning
from rotascope.jsonutil import jsonable
from rotascope.pipeline.breadth import BreadthResult, compute_breadth
from rotascope.report.sections.breadth import breadth_json, build_breadth

pytestmark = pytest.mark.realdata

DATES = ("2020-03-23", "2024-07-16", "2025-04-08")
PANEL = "universe/us_stocks.parquet"
HOLDINGS = {"IWM": "universe/IWM_holdings_2026-05-05.csv",
            "IWB": "universe/IWB_holdings_2026-07-17.csv"}


@pytest.fixture(scope="module")
def members(shared_data: Path) -> list[SegmentMembers]:
    return [m for f in HOLDINGS.values() for m in read_members(shared_data / f)]


@pytest.fixture(scope="module")
def prices(shared_data: Path, members: list[SegmentMembers]) -> pd.DataFrame:
    """The members' columns of the panel (read once), up to the last test date."""
    import pyarrow.parquet as pq

    names = set(pq.read_schema(shared_data / PANEL).names)
    cols = sorted({t for m in members for t in m.tickers if t in names})
    return _read(shared_data / PANEL, cols).loc[: max(DATES)].astype("float64")


@pytest.fixture(scope="module")
def scans(shared_data: Path, members: list[SegmentMembers]) -> dict[str, BreadthResult]:
    panel = open_panel(shared_data / PANEL)
    out = {}
    for day in DATES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RotascopeWarning)
            out[day] = compute_breadth(panel, members, pd.Timestamp(day))
        assert len([w for w in caught if issubclass(w.category, RotascopeWarning)]) <= 1
    return out


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    """Columns of the wide panel with its date index (pyarrow: much faster than pandas here)."""
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[*columns, "Date"]).to_pandas()


def _own_rows(prices: pd.DataFrame, ticker: str, day: str) -> pd.Series:
    s = prices[ticker].loc[:day]
    return s[s > 0]  # zero/negative closes and gaps (NaN) are not rows


def _expected(prices: pd.DataFrame, tickers: list[str], day: str) -> dict[str, float]:
    """Every breadth measure on ``day`` for ``tickers``, the obvious pandas way."""
    d = pd.Timestamp(day)
    n = {"with": 0, "adv": 0, "dec": 0, "unch": 0, "hl": 0, "hi": 0, "lo": 0, "rec": 0}
    ma = {w: [0, 0] for w in (20, 50, 200)}
    rec = {(w, side): 0 for w in (1, 5, 21) for side in ("gains", "drops")}
    for t in tickers:
        if t not in prices:
            continue
        s = _own_rows(prices, t, day)
        if s.empty or s.index[-1] != d:
            continue
        v = s.to_numpy()  # the member's own closes, oldest first
        n["with"] += 1
        close = v[-1]
        for w in ma:
            if len(v) >= w:
                ma[w][1] += 1
                ma[w][0] += int(close > v[-w:].mean())
        if len(v) >= 2:
            n["adv" if close > v[-2] else "dec" if close < v[-2] else "unch"] += 1
        if len(v) >= 252:
            n["hl"] += 1
            n["hi"] += int(close == v[-252:].max())
            n["lo"] += int(close == v[-252:].min())
        if len(v) >= 504:
            n["rec"] += 1
            for w in (1, 5, 21):
                r = v[w:] / v[:-w] - 1
                for side, hits in (("gains", np.flatnonzero(r[:-1] >= r[-1])),
                                   ("drops", np.flatnonzero(r[:-1] <= r[-1]))):
                    if not len(hits) or len(r) - 1 - hits[-1] >= 252:
                        rec[(w, side)] += 1
    out: dict[str, float] = {"with_data": n["with"], "advancers": n["adv"],
                             "decliners": n["dec"], "unchanged": n["unch"],
                             "hl_eligible": n["hl"], "new_highs": n["hi"], "new_lows": n["lo"],
                             "record_eligible": n["rec"]}
    for w, (above, eligible) in ma.items():
        out[f"above_ma_{w}"] = above / eligible
        out[f"ma_eligible_{w}"] = eligible
    for (w, side), count in rec.items():
        out[f"record_{side}_{w}d"] = count
    return out


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("fund", ["IWM", "IWB"])
def test_every_measure_matches_pandas(prices: pd.DataFrame, scans: dict[str, BreadthResult],
                                      day: str, fund: str) -> None:
    seg = next(s for s in scans[day].segments if s.members.segment == fund)
    assert seg.as_of == pd.Timestamp(day)
    tickers = [seg.matched[t] for t in seg.members.tickers if t in seg.matched]
    want = _expected(prices, tickers, day)
    snap = seg.snapshot
    for key, value in want.items():
        assert snap[key] == pytest.approx(value, abs=0), key


@pytest.mark.parametrize("day", DATES)
def test_leaders_and_laggards_match_pandas(prices: pd.DataFrame, scans: dict[str, BreadthResult],
                                           day: str) -> None:
    seg = next(s for s in scans[day].segments if s.members.segment == "IWM")
    tickers = [seg.matched[t] for t in seg.members.tickers if t in seg.matched]
    d = pd.Timestamp(day)
    rets, since = {}, {}
    for t in tickers:
        s = _own_rows(prices, t, day)
        if len(s) > 5 and s.index[-1] == d:
            v = s.to_numpy()
            r = v[5:] / v[:-5] - 1
            rets[t] = r[-1]
            hits = np.flatnonzero(r[:-1] >= r[-1])
            since[t] = s.index[hits[-1] + 5] if len(hits) else pd.NaT
    table = pd.Series(rets).sort_values(ascending=False, kind="stable")
    top = table.head(10)
    got = seg.leaders["5d"]
    assert list(got["ticker"]) == list(top.index)
    np.testing.assert_allclose(got["return"], top.to_numpy(), rtol=1e-12)
    assert [None if pd.isna(x) else x for x in got["since"]] == \
           [None if pd.isna(since[t]) else since[t] for t in top.index]
    bottom = table.sort_values(kind="stable").head(10)
    assert list(seg.laggards["5d"]["ticker"]) == list(bottom.index)


def test_history_records_match_pandas(scans: dict[str, BreadthResult]) -> None:
    """The history of a later scan agrees with earlier scans, and its record horizon with
    pandas."""
    late = next(s for s in scans["2025-04-08"].segments if s.members.segment == "IWM")
    for day in ("2020-03-23", "2024-07-16"):
        early = next(s for s in scans[day].segments if s.members.segment == "IWM")
        pd.testing.assert_series_equal(late.history.loc[day], early.snapshot, check_names=False)
    series = late.history["above_ma_50"].dropna()
    v = series.iloc[-1]
    rec = late.records["above_ma_50"]
    pct = ((series < v).sum() + 0.5 * (series == v).sum()) / len(series)
    assert rec.percentile == pytest.approx(pct)
    earlier = series.iloc[:-1]
    hits = earlier[earlier >= v] if pct >= 0.5 else earlier[earlier <= v]
    assert rec.since == (hits.index[-1] if len(hits) else None)


def test_readme_known_facts(shared_data: Path) -> None:
    """2,703 tickers have a close on 2024-07-16; their median 5-day return is +9.5%."""
    panel = open_panel(shared_data / PANEL)
    everyone = SegmentMembers("all", "all tickers", None,
                              pd.DataFrame({"ticker": list(panel.tickers), "name": "",
                                            "sector": "", "weight": 1.0 / len(panel.tickers)}),
                              "panel")  # fmt: skip
    with pytest.warns(RotascopeWarning, match="DEC"):
        res = compute_breadth(panel, [everyone], pd.Timestamp("2024-07-16"))
    seg = res.segments[0]
    assert int(seg.snapshot["with_data"]) == 2703
    r5 = seg.per_member["return_5d"].dropna()
    assert len(r5) == 2703
    assert round(float(r5.median()) * 100, 1) == 9.5


def test_dec_zero_prices_warn_and_give_no_numbers(shared_data: Path,
                                                  prices: pd.DataFrame) -> None:
    panel = open_panel(shared_data / PANEL)
    seg = SegmentMembers("dec", "DEC and two others", None,
                         pd.DataFrame({"ticker": ["DEC", "AAPL", "MSFT"], "name": "",
                                       "sector": "", "weight": 1 / 3}), "test")  # fmt: skip
    zeros = int((prices["DEC"].loc[:"2023-06-01"] == 0).sum())
    assert zeros > 0
    with pytest.warns(RotascopeWarning, match=rf"DEC: {zeros} dates with a zero or negative"):
        res = compute_breadth(panel, [seg], pd.Timestamp("2023-06-01"))
    s = res.segments[0]
    dec = s.per_member.set_index("ticker").loc["DEC"]
    assert dec["rows"] == 0
    assert np.isnan(dec[["return_1d", "return_5d", "return_21d"]].astype(float)).all()
    assert int(s.snapshot["with_data"]) == 2
    assert "DEC" in s.missing
    assert all("DEC" not in f["ticker"] for f in s.leaders["1d"].to_dict("records"))
    # later, DEC's numbers come from its positive closes only
    with pytest.warns(RotascopeWarning, match="DEC: 732 dates"):
        res = compute_breadth(panel, [seg], pd.Timestamp("2024-07-16"))
    dec = res.segments[0].per_member.set_index("ticker").loc["DEC"]
    own = _own_rows(prices, "DEC", "2024-07-16")
    assert dec["rows"] == len(own)
    assert dec["return_1d"] == pytest.approx(own.iloc[-1] / own.iloc[-2] - 1, rel=1e-12)


def test_as_of_equals_a_truncated_panel(shared_data: Path, tmp_path: Path,
                                        members: list[SegmentMembers]) -> None:
    """--as-of D gives the same JSON as a panel that ends on D."""
    day = "2024-07-16"
    some = members[0].frame.iloc[:400]  # 400 Russell 2000 members (DEC among them) keep it fast
    some = pd.concat([some, members[0].frame[members[0].frame["ticker"] == "DEC"]])
    iwm = [SegmentMembers("IWM", members[0].display, members[0].as_of, some, "test")]
    panel = open_panel(shared_data / PANEL)
    cols = [t for t in panel.tickers if t in set(some["ticker"])]
    cut = _read(shared_data / PANEL, cols).loc[:day]
    cut.to_parquet(tmp_path / "cut.parquet")
    with pytest.warns(RotascopeWarning):
        full = compute_breadth(panel, iwm, pd.Timestamp(day))
    with pytest.warns(RotascopeWarning):
        short = compute_breadth(open_panel(tmp_path / "cut.parquet"), iwm, None)
    a = jsonable(breadth_json(build_breadth(full), show_all=True))
    b = jsonable(breadth_json(build_breadth(short), show_all=True))
    a.pop("source")
    b.pop("source")
    for seg in (*a["segments"], *b["segments"]):
        for f in seg["facts"]:
            f.pop("source")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
