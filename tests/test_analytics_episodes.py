"""Rotation episodes and analogs against plain pandas re-computations, and without look-ahead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.analytics import EPISODE_COLUMNS, analogs, rotation_episodes
from rotascope.errors import InputError

# ---------------------------------------------------------------------------------------------
# plain pandas re-computations: row by row, as a reader would check them by hand


def pandas_episodes(a: pd.Series, b: pd.Series, n: int = 5, k: float = 2.0,
                    lookback: int = 1260, min_periods: int = 252,
                    cooloff: int = 10) -> pd.DataFrame:
    df = pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna()
    rel = (df.a / df.a.shift(n)) / (df.b / df.b.shift(n)) - 1
    roll = rel.rolling(lookback, min_periods=min_periods)
    z = (rel - roll.mean()) / roll.std()
    episodes: list[dict] = []
    for i in range(len(rel)):
        zi = z.iloc[i]
        if not (zi > k or zi < -k):
            continue
        sign = "a_leads" if zi > k else "b_leads"
        # the last episode ends at the most recent flagged row: extend it when the direction is
        # the same and the row follows it directly or within the cool-off
        last = episodes[-1] if episodes else None
        if last is not None and last["direction"] == sign and i - last["end_i"] <= max(cooloff, 1):
            last["end_i"] = i
            last["flagged"] += 1
        else:
            episodes.append({"start_i": i, "end_i": i, "direction": sign, "flagged": 1})
    rows = []
    for e in episodes:
        seg = rel.iloc[e["start_i"] : e["end_i"] + 1]
        peak = seg.idxmax() if e["direction"] == "a_leads" else seg.idxmin()
        rows.append({
            "start": rel.index[e["start_i"]], "end": rel.index[e["end_i"]],
            "peak_date": peak, "peak_move": seg[peak], "peak_zscore": z[peak],
            "duration": e["end_i"] - e["start_i"] + 1, "flagged": e["flagged"],
            "direction": e["direction"], "ongoing": e["end_i"] == len(rel) - 1,
        })
    return pd.DataFrame(rows)


def pandas_analogs(a: pd.Series, b: pd.Series, n: int, as_of: str,
                   horizons: dict[str, int]) -> tuple[float, pd.DataFrame]:
    df = pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna().loc[:as_of]
    rel = (df.a / df.a.shift(n)) / (df.b / df.b.shift(n)) - 1
    last = len(df) - 1
    move = rel.iloc[-1]
    taken: list[int] = []
    for i in range(last):
        v = rel.iloc[i]
        bigger = v >= move if move >= 0 else v <= move
        if not bigger or i + n >= last:  # the window must also not overlap the current one
            continue
        if taken and i - taken[-1] <= n:
            continue
        taken.append(i)
    rows = []
    for i in taken:
        row = {"date": df.index[i], "move": rel.iloc[i]}
        for label, h in horizons.items():
            row[label] = ((df.a.iloc[i + h] / df.a.iloc[i]) / (df.b.iloc[i + h] / df.b.iloc[i])
                          - 1) if i + h <= last else np.nan
        rows.append(row)
    return move, pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# synthetic


def _synthetic() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(9)
    idx = pd.bdate_range("2010-01-01", periods=2500)
    ra = rng.normal(0, 0.01, 2500)
    rb = rng.normal(0, 0.01, 2500)
    ra[1500:1504] += 0.03  # a burst of A outperformance
    rb[2000:2004] += 0.03  # B leads
    a = pd.Series(100 * np.exp(np.cumsum(ra)), index=idx, name="A")
    b = pd.Series(100 * np.exp(np.cumsum(rb)), index=idx, name="B")
    return a, b


def test_episodes_equal_the_pandas_recomputation() -> None:
    a, b = _synthetic()
    ours = rotation_episodes(a, b)
    ref = pandas_episodes(a, b)
    assert list(ours.columns) == list(EPISODE_COLUMNS)
    assert len(ours) == len(ref) > 0
    for col in ("start", "end", "peak_date", "duration", "flagged", "direction", "ongoing"):
        assert ours[col].tolist() == ref[col].tolist(), col
    np.testing.assert_allclose(ours["peak_move"], ref["peak_move"], rtol=1e-10)
    np.testing.assert_allclose(ours["peak_zscore"], ref["peak_zscore"], rtol=1e-8)
    burst = ours[ours["start"] >= a.index[1500]].iloc[0]
    assert burst["direction"] == "a_leads" and burst["start"] <= a.index[1505]
    assert (ours["flagged"] < ours["duration"]).any()  # some runs were merged
    assert (ours["direction"] == "b_leads").any()


@pytest.mark.parametrize("cooloff", [0, 3, 30])
def test_cooloff_merging_matches_pandas(cooloff: int) -> None:
    a, b = _synthetic()
    ours = rotation_episodes(a, b, k=1.5, cooloff=cooloff, lookback=500, min_periods=100)
    ref = pandas_episodes(a, b, k=1.5, cooloff=cooloff, lookback=500, min_periods=100)
    assert ours["start"].tolist() == ref["start"].tolist()
    assert ours["end"].tolist() == ref["end"].tolist()
    if cooloff == 0:  # no merging: every episode is one run
        assert (ours["flagged"] == ours["duration"]).all()


def test_episode_arguments_are_checked() -> None:
    a, b = _synthetic()
    with pytest.raises(InputError, match="k must be a positive number"):
        rotation_episodes(a, b, k=0)
    with pytest.raises(InputError, match="cooloff must be a whole number >= 0"):
        rotation_episodes(a, b, cooloff=-1)
    with pytest.raises(InputError, match="must not exceed lookback"):
        rotation_episodes(a, b, lookback=100, min_periods=200)
    empty = rotation_episodes(a, b, k=50)
    assert empty.empty and list(empty.columns) == list(EPISODE_COLUMNS)


def test_analogs_equal_the_pandas_recomputation() -> None:
    a, b = _synthetic()
    hz = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
    for as_of in ("2016-03-01", "2018-07-20", "2019-07-31"):
        res = analogs(a, b, "5d", as_of)
        move, ref = pandas_analogs(a, b, 5, as_of, hz)
        assert res.current_move == pytest.approx(move, rel=1e-12)
        assert res.threshold == res.current_move
        assert res.direction == ("a_leads" if move >= 0 else "b_leads")
        assert res.episodes["date"].tolist() == ref["date"].tolist()
        for label in hz:
            np.testing.assert_allclose(res.episodes[label], ref[label], rtol=1e-10)
            v = ref[label].dropna()
            s = res.summary.loc[label]
            assert s["count"] == len(v)
            if len(v):
                up = move >= 0
                assert s["mean"] == pytest.approx(v.mean(), rel=1e-10)
                assert s["median"] == pytest.approx(v.median(), rel=1e-10)
                assert s["hit_rate"] == pytest.approx(((v > 0) if up else (v < 0)).mean())
                # worst and best: the lowest and highest relative return, whatever the direction
                assert s["worst"] == pytest.approx(v.min(), rel=1e-10)
                assert s["best"] == pytest.approx(v.max(), rel=1e-10)
        assert res.selection == "at_least" and len(ref) >= 5  # enough cases: no fallback


def test_analogs_spacing_threshold_and_checks() -> None:
    a, b = _synthetic()
    res = analogs(a, b, "5d", "2019-07-31", threshold=0.01, spacing=21)
    dates = res.episodes["date"]
    pos = a.index.get_indexer(dates)
    assert (np.diff(pos) > 21).all() and (res.episodes["move"] >= 0.01).all()
    assert res.direction == "a_leads" and res.spacing == 21
    res = analogs(a, b, "5d", "2019-07-31", threshold=-0.01)
    assert res.direction == "b_leads" and (res.episodes["move"] <= -0.01).all()
    with pytest.raises(InputError, match="spacing must be at least the window"):
        analogs(a, b, "5d", spacing=2)
    with pytest.raises(InputError, match="calendar window"):
        analogs(a, b, "1m")
    with pytest.raises(InputError, match="horizons must name"):
        analogs(a, b, "5d", horizons={})


def test_no_look_ahead_in_episodes_and_analogs() -> None:
    a, b = _synthetic()
    cut = "2017-11-15"
    full = rotation_episodes(a, b, as_of=cut)
    head = rotation_episodes(a.loc[:cut], b.loc[:cut])
    pd.testing.assert_frame_equal(full, head)
    r_full, r_head = analogs(a, b, "5d", cut), analogs(a.loc[:cut], b.loc[:cut], "5d")
    assert r_full.as_of == r_head.as_of and r_full.current_move == r_head.current_move
    pd.testing.assert_frame_equal(r_full.episodes, r_head.episodes)
    pd.testing.assert_frame_equal(r_full.summary, r_head.summary)
    # forward windows past as_of are NaN, never filled from later data
    last = r_full.episodes.iloc[-1]
    assert np.isnan(last["12m"])


# ---------------------------------------------------------------------------------------------
# real data


def _close(shared_data: Path, name: str) -> pd.Series:
    df = pd.read_csv(shared_data / "prices" / f"{name}.csv", index_col=0, parse_dates=True)
    return df["Close"].rename(name)


@pytest.mark.realdata
def test_iwm_vs_spy_episodes_against_pandas(shared_data: Path) -> None:
    iwm, spy = _close(shared_data, "IWM"), _close(shared_data, "SPY")
    ours = rotation_episodes(iwm, spy)
    ref = pandas_episodes(iwm, spy)
    assert len(ours) == len(ref) > 50
    for col in ("start", "end", "peak_date", "duration", "direction"):
        assert ours[col].tolist() == ref[col].tolist(), col
    np.testing.assert_allclose(ours["peak_move"], ref["peak_move"], rtol=1e-10)
    july = ours[(ours["start"] >= "2024-07-01") & (ours["start"] <= "2024-07-31")]
    assert len(july) == 1 and july.iloc[0]["direction"] == "a_leads"
    assert july.iloc[0]["peak_move"] > 0.09


@pytest.mark.realdata
def test_iwm_vs_spy_analogs_against_pandas(shared_data: Path) -> None:
    iwm, spy = _close(shared_data, "IWM"), _close(shared_data, "SPY")
    hz = {"1m": 21, "3m": 63, "6m": 126, "12m": 252}
    for as_of in ("2020-11-13", "2025-04-04"):
        res = analogs(iwm, spy, "5d", as_of)
        move, ref = pandas_analogs(iwm, spy, 5, as_of, hz)
        assert res.current_move == pytest.approx(move, rel=1e-12)
        assert res.episodes["date"].tolist() == ref["date"].tolist()
        for label in hz:
            np.testing.assert_allclose(res.episodes[label], ref[label], rtol=1e-10)
            assert res.summary.loc[label, "count"] == ref[label].notna().sum()
        cut = pd.Timestamp(as_of)
        trunc = analogs(iwm.loc[:cut], spy.loc[:cut], "5d")
        pd.testing.assert_frame_equal(res.episodes, trunc.episodes)
        pd.testing.assert_frame_equal(res.summary, trunc.summary)
