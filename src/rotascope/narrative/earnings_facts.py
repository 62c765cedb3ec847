"""Facts about an earnings season: beat rates, revision breadth, and the season compared.

Inputs are the tables of :mod:`rotascope.analytics.earnings`; each fact carries its numbers in
``details`` and one plain sentence, e.g. "EPS beat rates are weakest among small caps: 55.6% vs
81.0% for the S&P 500 (10 of 18 vs 17 of 21 reports so far in the Q3 2026 season)."

Segment names in sentences come from ``names`` (segment -> display name); without an entry the
segment name is written in words (``small-caps`` -> "small caps"). A display name that starts
with a capital and holds a digit is an index and takes "the" ("the S&P 500", "the Russell
2000").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import cast

import pandas as pd

from rotascope.analytics.earnings import season_label
from rotascope.narrative.fact import Fact
from rotascope.narrative.wording import pct
from rotascope.pipeline.earnings import EarningsRun

__all__ = [
    "PERIOD_WORDS",
    "beat_rate_facts",
    "earnings_facts",
    "phrase",
    "revision_breadth_facts",
    "season_comparison_facts",
    "season_facts",
]

#: Estimate period -> adjective used in sentences.
PERIOD_WORDS: Mapping[str, str] = MappingProxyType(
    {"0q": "next-quarter", "+1q": "following-quarter", "0y": "current-year", "+1y": "next-year"}
)

_METRIC_WORDS: Mapping[str, str] = MappingProxyType({"eps": "EPS", "sales": "Sales"})


def phrase(segment: str, names: Mapping[str, str] | None = None) -> str:
    """How a segment is named in a sentence (module notes)."""
    name = (names or {}).get(segment) or segment.replace("-", " ")
    if name[:1].isupper() and any(ch.isdigit() for ch in name) and not name.startswith("The "):
        return f"the {name}"
    return name


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _signed(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:+.2f}"


def _ok(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def beat_rate_facts(
    season: pd.DataFrame,
    *,
    benchmark: str = "large-caps",
    metric: str = "eps",
    names: Mapping[str, str] | None = None,
    source: str = "",
    min_compared: int = 5,
) -> list[Fact]:
    """The segments with the weakest and the strongest beat rate, against the benchmark.

    Parameters
    ----------
    season : pandas.DataFrame
        :func:`~rotascope.analytics.earnings.earnings_season` output.
    benchmark : str
        Segment compared against (its own beat rate is not a "weakest" or "strongest" fact).
    metric : {"eps", "sales"}
    names : mapping, optional
        Segment -> display name.
    source : str
        Where the earnings and membership data come from.
    min_compared : int, default 5
        Segments with fewer compared reports are left out (their rate says little).

    Returns
    -------
    list of Fact
        Kind ``"earnings_beat_rate"``: at most two facts (weakest, then strongest segment).
    """
    rate_col, n_col, b_col = f"{metric}_beat_rate", f"{metric}_compared", f"{metric}_beats"
    ok = season[(season[n_col] >= min_compared) & season[rate_col].notna()]
    if ok.empty:
        return []
    # season is indexed by unique segment names, so .loc of a label is a row (a Series)
    bench = cast(pd.Series, season.loc[benchmark]) if benchmark in season.index else None
    bench_ok = bench is not None and _ok(bench[rate_col]) and bench[n_col] >= min_compared
    start, end = pd.Timestamp(season["start"].iloc[0]), pd.Timestamp(season["end"].iloc[0])
    label = season_label(start)
    word = _METRIC_WORDS[metric]
    candidates = ok.drop(index=benchmark, errors="ignore")
    if candidates.empty:
        return []
    picks = [("weakest", cast(str, candidates[rate_col].idxmin()))]
    strongest = cast(str, candidates[rate_col].idxmax())
    if strongest != picks[0][1]:
        picks.append(("strongest", strongest))
    facts: list[Fact] = []
    for how, seg in picks:
        row = cast(pd.Series, season.loc[seg])
        who = phrase(str(seg), names)
        evidence = f"{int(row[b_col])} of {int(row[n_col])}"
        if bench_ok:
            assert bench is not None
            versus = benchmark
            sentence = (
                f"{word} beat rates are {how} among {who}: {pct(row[rate_col])} vs "
                f"{pct(bench[rate_col])} for {phrase(benchmark, names)} ({evidence} vs "
                f"{int(bench[b_col])} of {int(bench[n_col])} reports so far in the {label} "
                "season)."
            )
        else:
            versus = ""
            sentence = (
                f"{word} beat rates are {how} among {who}: {pct(row[rate_col])} ({evidence} "
                f"reports so far in the {label} season), the {'lowest' if how == 'weakest' else 'highest'} "
                f"of {len(ok)} segments."
            )
        details = {
            "metric": metric,
            "rank": how,
            "season": label,
            "reported": int(row["reported"]),
            "compared": int(row[n_col]),
            "beats": int(row[b_col]),
            "no_estimate": int(row[f"{metric}_no_estimate"]),
            "beat_rate_weighted": float(row[f"{metric}_beat_rate_weighted"]),
            "median_surprise": float(row[f"median_{metric}_surprise"]),
            "median_surprise_weighted": float(row[f"median_{metric}_surprise_weighted"]),
            "segments_compared": len(ok),
        }
        if bench_ok:
            assert bench is not None
            details.update(
                benchmark_beat_rate=float(bench[rate_col]),
                benchmark_compared=int(bench[n_col]),
                benchmark_beats=int(bench[b_col]),
                benchmark_beat_rate_weighted=float(bench[f"{metric}_beat_rate_weighted"]),
                spread=float(row[rate_col] - bench[rate_col]),
            )
        facts.append(
            Fact(
                kind="earnings_beat_rate",
                subject=str(seg),
                versus=versus,
                window=f"since:{start.date().isoformat()}",
                as_of=end,
                value=float(row[rate_col]),
                sentence=sentence,
                source=source,
                start=start,
                end=end,
                details=details,
            )
        )
    return facts


def revision_breadth_facts(
    breadth: pd.DataFrame,
    *,
    benchmark: str = "large-caps",
    names: Mapping[str, str] | None = None,
    source: str = "",
    min_revisions: int = 10,
) -> list[Fact]:
    """The segments with the most negative and most positive revision breadth of one period.

    Parameters
    ----------
    breadth : pandas.DataFrame
        :func:`~rotascope.analytics.earnings.revision_breadth` output (one period).
    min_revisions : int, default 10
        Segments with fewer revisions (``up + down``) are left out.

    Returns
    -------
    list of Fact
        Kind ``"revision_breadth"``: at most two facts.
    """
    if breadth.empty:
        return []
    total = breadth["up"] + breadth["down"]
    ok = breadth[(total >= min_revisions) & breadth["breadth"].notna()]
    candidates = ok.drop(index=benchmark, errors="ignore")
    if candidates.empty:
        return []
    period = str(breadth["period"].iloc[0])
    days = int(breadth["days"].iloc[0])
    as_of = pd.Timestamp(breadth["as_of"].iloc[0])
    # breadth is indexed by unique segment names, so .loc of a label is a row (a Series)
    bench = cast(pd.Series, ok.loc[benchmark]) if benchmark in ok.index else None
    picks = [("most negative", cast(str, candidates["breadth"].idxmin()))]
    top = cast(str, candidates["breadth"].idxmax())
    if top != picks[0][1]:
        picks.append(("most positive", top))
    facts: list[Fact] = []
    for how, seg in picks:
        row = cast(pd.Series, breadth.loc[seg])
        evidence = f"{int(row['up'])} up, {int(row['down'])} down over {days} days"
        sentence = (
            f"{_cap(PERIOD_WORDS.get(period, period))} EPS revisions are {how} for "
            f"{phrase(str(seg), names)}: breadth {_signed(row['breadth'])} ({evidence})"
        )
        if bench is not None:
            sentence += f" vs {_signed(bench['breadth'])} for {phrase(benchmark, names)}"
        sentence += "."
        details = {
            "period": period,
            "days": days,
            "rank": how,
            "up": int(row["up"]),
            "down": int(row["down"]),
            "companies": int(row["companies"]),
            "members": int(row["members"]),
            "breadth_weighted": float(row["breadth_weighted"]),
            "segments_compared": len(ok),
        }
        if bench is not None:
            details.update(
                spread=float(row["breadth"] - bench["breadth"]),
                benchmark_breadth=float(bench["breadth"]),
                benchmark_up=int(bench["up"]),
                benchmark_down=int(bench["down"]),
            )
        facts.append(
            Fact(
                kind="revision_breadth",
                subject=str(seg),
                versus=benchmark if bench is not None else "",
                window=f"{days}d",
                as_of=as_of,
                value=float(row["breadth"]),
                sentence=sentence,
                source=source,
                start=as_of - pd.Timedelta(days=days),
                end=as_of,
                details=details,
            )
        )
    return facts


def season_comparison_facts(
    comparison: pd.DataFrame,
    *,
    segments: list[str] | None = None,
    metric: str = "eps",
    names: Mapping[str, str] | None = None,
    source: str = "",
    min_compared: int = 5,
) -> list[Fact]:
    """Each segment's beat rate so far against the same point of the previous season with data.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`~rotascope.analytics.earnings.season_comparison` output.
    segments : list of str, optional
        Segments to state (default: all with both seasons).

    Returns
    -------
    list of Fact
        Kind ``"earnings_season_comparison"``, value the current beat rate, ``details`` the
        earlier one and the difference.
    """
    rate_col, n_col = f"{metric}_beat_rate", f"{metric}_compared"
    word = _METRIC_WORDS[metric]
    facts: list[Fact] = []
    wanted = segments if segments is not None else list(dict.fromkeys(comparison["segment"]))
    for seg in wanted:
        rows = comparison[comparison["segment"] == seg].sort_values("seasons_back")
        now = rows[rows["seasons_back"] == 0]
        before = rows[(rows["seasons_back"] > 0) & (rows[n_col] >= min_compared)]
        if now.empty or before.empty:
            continue
        cur, old = now.iloc[0], before.iloc[0]
        if cur[n_col] < min_compared or not (_ok(cur[rate_col]) and _ok(old[rate_col])):
            continue
        diff = float(cur[rate_col] - old[rate_col])
        where = "above" if diff > 0 else "below" if diff < 0 else "level with"
        who = phrase(str(seg), names)
        owner = f"{who}'" if who.endswith("s") else f"{who}'s"
        sentence = (
            f"{_cap(owner)} {word} beat rate is {pct(cur[rate_col])} after "
            f"{int(cur['days_in'])} days of the {cur['season']} season, {where} the "
            f"{pct(old[rate_col])} at the same point of the {old['season']} season."
        )
        facts.append(
            Fact(
                kind="earnings_season_comparison",
                subject=str(seg),
                window=f"since:{pd.Timestamp(cur['start']).date().isoformat()}",
                as_of=pd.Timestamp(cur["end"]),
                value=float(cur[rate_col]),
                sentence=sentence,
                source=source,
                start=pd.Timestamp(cur["start"]),
                end=pd.Timestamp(cur["end"]),
                details={
                    "metric": metric,
                    "season": str(cur["season"]),
                    "days_in": int(cur["days_in"]),
                    "compared": int(cur[n_col]),
                    "earlier_season": str(old["season"]),
                    "earlier_beat_rate": float(old[rate_col]),
                    "earlier_compared": int(old[n_col]),
                    "earlier_start": pd.Timestamp(old["start"]),
                    "earlier_end": pd.Timestamp(old["end"]),
                    "change": diff,
                },
            )
        )
    return facts


def earnings_facts(
    season: pd.DataFrame,
    *,
    breadth: Mapping[str, pd.DataFrame] | None = None,
    comparison: pd.DataFrame | None = None,
    benchmark: str = "large-caps",
    names: Mapping[str, str] | None = None,
    source: str = "",
) -> list[Fact]:
    """All earnings-season facts: EPS and sales beat rates, revision breadth per period, and the
    benchmark's and the weakest segment's season-over-season comparison.

    Parameters
    ----------
    season : pandas.DataFrame
        :func:`~rotascope.analytics.earnings.earnings_season` output.
    breadth : mapping, optional
        Period -> :func:`~rotascope.analytics.earnings.revision_breadth` output (e.g. ``0q`` and
        ``+1y``).
    comparison : pandas.DataFrame, optional
        :func:`~rotascope.analytics.earnings.season_comparison` output.
    """
    facts = beat_rate_facts(season, benchmark=benchmark, names=names, source=source)
    facts += beat_rate_facts(
        season, benchmark=benchmark, metric="sales", names=names, source=source
    )
    for table in (breadth or {}).values():
        facts += revision_breadth_facts(table, benchmark=benchmark, names=names, source=source)
    if comparison is not None:
        segments = [benchmark] + [f.subject for f in facts[:1] if f.subject != benchmark]
        facts += season_comparison_facts(comparison, segments=segments, names=names, source=source)
    return facts


def season_facts(run: EarningsRun) -> list[Fact]:
    """:func:`earnings_facts` of an :func:`~rotascope.pipeline.earnings.earnings_run`."""
    return earnings_facts(run.table, breadth=run.breadth, comparison=run.comparison,
                          benchmark=run.benchmark, names=run.names, source=run.source)
