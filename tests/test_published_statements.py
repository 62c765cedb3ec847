"""Published statements about US index moves, checked twice: against the data, and against
what rotascope says by default.

The statements are in ``tests/reference/published_statements.toml`` (quotes and addresses of
public pages: wire stories, newspapers, research notes). For each one:

1. **The data check.** An independent plain-pandas computation on the files in
   ``../shared/data`` must give the ``data_value``, ``data_since`` (and ``data_rank``,
   ``data_state``) recorded in the file, and the ``verdict`` on the journalist must follow
   from comparing the quoted claim with them (``correct`` when every part of the claim holds,
   otherwise ``differs`` or ``wrong`` with a ``note`` saying why).
2. **The rotascope check.** rotascope's notable facts for the subject (and ``versus``) on the
   statement's date, with the default windows, must state the claim when ``reproduced = true``:
   same window or period, the value at the quoted precision (the fact's value or a number of
   its sentence), the horizon's month and year (or year) in a "since ..." of the sentence, the
   rank as an ordinal in the sentence. A statement marked ``reproduced = false`` carries
   ``why``; it must not be reproduced (when it is, the test says which ids to flip).

Closes as of a date are used, close to close, price indices (not total return), as journalists
quote them.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from rotascope.data.loader import DataSource
from rotascope.data.universe import load_universe
from rotascope.errors import InputError
from rotascope.narrative.collect import collect_facts
from rotascope.narrative.fact import Fact
from rotascope.pipeline.resolve import segment_subjects, stored_subject
from rotascope.pipeline.subjects import Subject, parse_windows

REFERENCE = Path(__file__).parent / "reference" / "published_statements.toml"
STATEMENTS: list[dict[str, Any]] = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))["statement"]
IDS = [s["id"] for s in STATEMENTS]

#: The files behind each subject, read here with plain pandas (independently of rotascope).
FILES = {
    "sp500-index": ("prices/^GSPC.csv", "Close"),
    "nasdaq-100-index": ("prices/^NDX.csv", "Close"),
    "russell-2000-index": ("prices/^RUT.csv", "^RUT"),
    "large-caps": ("prices/SPY.csv", "Close"),
    "small-caps": ("prices/IWM.csv", "Close"),
    "tech": ("prices/QQQ.csv", "Close"),
    "vix": ("macro/VIXCLS.csv", "VIXCLS"),
}
FREQ = {"week": "W-FRI", "month": "M", "mtd": "M", "quarter": "Q", "qtd": "Q", "year": "Y",
        "ytd": "Y"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
            8: "eighth", 9: "ninth", 10: "tenth"}


# --------------------------------------------------------------------------- the data check
@functools.cache
def _read(root: str, subject: str) -> pd.Series:
    path, column = FILES[subject]
    frame = pd.read_csv(Path(root) / path, index_col=0, parse_dates=True)
    return pd.to_numeric(frame[column], errors="coerce").dropna().sort_index()


def _extreme(values: pd.Series, v: float) -> pd.Series:
    """The values at least as extreme as ``v`` in its direction."""
    return values[values <= v] if v < 0 else values[values >= v]


def _rank(values: pd.Series, v: float) -> int:
    """1 + the number of values strictly more extreme than ``v`` in its direction."""
    return 1 + int((values < v).sum() if v < 0 else (values > v).sum())


def _period_table(s: pd.Series, window: str) -> pd.Series:
    """Returns of the calendar periods, last close over the last close of the period before,
    indexed by each period's last trading day; first halves only for ``first_half``."""
    if window == "first_half":
        year_end = s.groupby(s.index.year).last()
        june = s[s.index.month <= 6]
        h1_last = june.groupby(june.index.year).apply(lambda x: x.index[-1])
        h1 = june.groupby(june.index.year).last() / year_end.shift(1).reindex(h1_last.index) - 1
        return pd.Series(h1.to_numpy(), index=pd.DatetimeIndex(h1_last.to_numpy())).dropna()
    if window == "half":
        key = s.index.year * 2 + (s.index.month > 6)
    else:
        key = s.index.to_period(FREQ[window])
    groups = s.groupby(key)
    last = groups.last()
    dates = groups.apply(lambda x: x.index[-1])
    out = pd.Series((last / last.shift(1) - 1).to_numpy(), index=pd.DatetimeIndex(dates.to_numpy()))
    return out.dropna()


def _rows(window: str) -> int:
    """N of an N-day window (``5d``), 0 for a calendar period."""
    return int(window[:-1]) if re.fullmatch(r"\d+d", window) else 0


def data_facts(entry: dict[str, Any], root: Path) -> dict[str, Any]:
    """What is true on the statement's date, from the files: ``value`` (percent, or the level
    of a level series), ``since`` (date of the last earlier value at least as extreme, of the
    record close a drawdown is measured from, of the record a new record beats), ``rank``."""
    day = pd.Timestamp(entry["date"])
    s = _read(str(root), entry["subject"])[:day]
    assert s.index[-1] == day, f"{entry['id']}: no close on {day:%Y-%m-%d}"
    measure, window = entry["measure"], entry.get("window", "")
    out: dict[str, Any] = {}
    if measure == "margin":
        b = _read(str(root), entry["versus"])[:day]
        both = pd.concat([s, b], axis=1, join="inner").dropna()
        if _rows(window):
            n = _rows(window)
            r = both / both.shift(n) - 1
        else:
            r = pd.concat([_period_table(both.iloc[:, 0], window),
                           _period_table(both.iloc[:, 1], window)], axis=1)
            n = 1
        m = (r.iloc[:, 0] - r.iloc[:, 1]).dropna() * 100
        v = float(m.iloc[-1])
        earlier = m.iloc[:-n]
        hit = _extreme(earlier, v)
        out.update(value=v, since=hit.index[-1] if len(hit) else None,
                   rank=_rank(m.iloc[:-1], v))
    elif measure == "return" and _rows(window):
        n = _rows(window)
        r = (s / s.shift(n) - 1).dropna() * 100
        v = float(r.iloc[-1])
        hit = _extreme(r.iloc[:-n], v)  # earlier windows that do not overlap this one
        earlier = r.iloc[:-1]
        if "rank_from" in entry:
            earlier = earlier[pd.Timestamp(entry["rank_from"]):]
        out.update(value=v, since=hit.index[-1] if len(hit) else None, rank=_rank(earlier, v))
    elif measure == "return":
        r = _period_table(s, window) * 100
        v = float(r.iloc[-1])
        earlier = r.iloc[:-1]
        hit = _extreme(earlier, v)
        if "rank_from" in entry:
            earlier = earlier[pd.Timestamp(entry["rank_from"]):]
        out.update(value=v, since=hit.index[-1] if len(hit) else None, rank=_rank(earlier, v))
    elif measure == "ytd_pair":
        b = _read(str(root), entry["versus"])[:day]
        out.update(value=float(_period_table(s, "ytd").iloc[-1] * 100),
                   value_b=float(_period_table(b, "ytd").iloc[-1] * 100))
    elif measure in ("drawdown", "record_close", "days_without_record"):
        prior = s.iloc[:-1]
        top = prior.idxmax()
        level = float(s.iloc[-1])
        below = (level / max(level, float(prior.max())) - 1) * 100
        state = ("record" if level > prior.max() else "bear" if below <= -20
                 else "correction" if below <= -10 else "none")
        value = {"drawdown": below, "record_close": level,
                 "days_without_record": float(len(s[top:].iloc[1:-1]))}[measure]
        out.update(value=value, since=top, state=state)
    elif measure in ("level_high", "level_low"):
        level = float(s.iloc[-1])
        prior = s.iloc[:-1]
        hit = prior[prior >= level] if measure == "level_high" else prior[prior <= level]
        out.update(value=level, since=hit.index[-1] if len(hit) else None)
    elif measure == "streak":
        r = (s / s.shift(1) - 1).dropna() * 100
        above = (r > entry["threshold"]).to_numpy()[::-1]
        out.update(value=float(np.argmin(above) if not above.all() else len(above)))
    else:  # pragma: no cover - a typo in the reference file
        raise AssertionError(f"{entry['id']}: unknown measure {measure!r}")
    if isinstance(out.get("since"), pd.Timestamp):
        out["since"] = out["since"].strftime("%Y-%m-%d")
    return out


def _value_ok(quoted: float, decimals: int, relation: str, actual: float) -> bool:
    """``actual`` says ``quoted``: rounded to the quoted decimals, within one unit of the last
    quoted digit ("about", "nearly"), or beyond it in the same direction ("more than")."""
    unit = 10.0 ** -decimals
    if relation == "more_than":
        return abs(actual) > abs(quoted) and (actual >= 0) == (quoted >= 0)
    tolerance = unit if relation == "about" else unit / 2
    return abs(actual - quoted) <= tolerance + 1e-9


def _since_ok(quoted: str, actual: str | None) -> bool:
    """Same year, and same month when the quote names one."""
    if actual is None:
        return False
    return actual[: len(quoted[:7])] == quoted[:7]


def journalist_checks(entry: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    """The parts of the quoted claim that the data contradict (empty: the journalist is right)."""
    bad = []
    if "value" in entry and not _value_ok(entry["value"], entry.get("decimals", 1),
                                          entry.get("relation", "round"), facts["value"]):
        bad.append(f"value {entry['value']} vs {facts['value']:.2f}")
    if "value_b" in entry and not _value_ok(entry["value_b"], entry.get("decimals", 1),
                                            entry.get("relation", "round"), facts["value_b"]):
        bad.append(f"value_b {entry['value_b']} vs {facts['value_b']:.2f}")
    if "since" in entry and not _since_ok(entry["since"], facts.get("since")):
        bad.append(f"since {entry['since']} vs {facts.get('since')}")
    if "rank" in entry and entry["rank"] != facts.get("rank"):
        bad.append(f"rank {entry['rank']} vs {facts.get('rank')}")
    if "direction" in entry and (facts["value"] >= 0) != (entry["direction"] == "gain"):
        bad.append(f"direction {entry['direction']} vs {facts['value']:.2f}")
    if "state" in entry and entry["state"] != facts.get("state"):
        bad.append(f"state {entry['state']} vs {facts.get('state')}")
    return bad


# ---------------------------------------------------------------------- the rotascope check
_SINCE = re.compile(r"(?:since|record close of) (?:the week ending )?(?:(" + "|".join(MONTHS)
                    + r")\.? (?:\d{1,2}, )?)?(\d{4})")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?=%| percentage point)")


def _horizon_matches(quoted: str, text: str) -> bool:
    """A sentence's horizon ``text`` (``YYYY`` or ``YYYY-MM``) says the quoted one: the same
    year, and the same month when the quote names a month."""
    if len(quoted) == 4:
        return text[:4] == quoted
    return text == quoted[:7]


_QUARTER = re.compile(r"since the (first|second|third|fourth) quarter of (\d{4})")
_QUARTERS = ["first", "second", "third", "fourth"]


def _fact_since_texts(sentence: str) -> list[str]:
    """The horizons of a sentence as ``YYYY`` or ``YYYY-MM`` ("since March 2020", "its record
    close of January 3, 2022"; a quarter as the month it ends)."""
    out = []
    for month, year in _SINCE.findall(sentence):
        out.append(f"{year}-{MONTHS.index(month) + 1:02d}" if month else year)
    for quarter, year in _QUARTER.findall(sentence):
        out.append(f"{year}-{3 * (_QUARTERS.index(quarter) + 1):02d}")
    return out


_KINDS = {
    "return": {"record_gain", "record_drop", "period_return", "window_return"},
    "margin": {"record_gain", "record_drop", "relative_return", "period_return"},
    "ytd_pair": {"relative_return", "window_return", "period_return"},
    "drawdown": {"level_record"}, "record_close": {"level_record"},
    "days_without_record": {"level_record"},
    "level_high": {"level_record", "record_gain"}, "level_low": {"level_record", "record_drop"},
    "streak": {"record_gain", "record_drop"},
}
_WINDOWS = {"mtd": {"month"}, "qtd": {"quarter"}, "first_half": {"half"}, "half": {"half"},
            "ytd": {"year", "ytd"}}


def _name(entry: dict[str, Any]) -> str:
    """The subject's name in rotascope: its ``series`` reference (``file:...``, as given to
    ``facts --series``) when it has one, else the segment."""
    return str(entry.get("series") or entry["subject"])


def _candidates(entry: dict[str, Any], facts: list[Fact], notable: bool = True) -> list[Fact]:
    measure, window = entry["measure"], entry.get("window", "")
    windows = _WINDOWS.get(window, {window}) if window else {"level", "ratio"}
    if measure in ("drawdown", "record_close", "days_without_record", "level_high", "level_low"):
        windows = {"level"}
    versus = entry.get("versus") if measure in ("margin", "ytd_pair") else None
    return [f for f in facts if f.notable == notable and f.subject == _name(entry)
            and (f.versus or None) == versus and f.kind in _KINDS[measure]
            and f.window in windows]


def _fact_says(entry: dict[str, Any], fact: Fact) -> list[str]:
    """What of the claim this fact does not say (empty: it says it all)."""
    missing = []
    numbers = [float(x) for x in _NUMBER.findall(fact.sentence)]
    level = entry["measure"] in ("record_close", "level_high", "level_low", "days_without_record",
                                 "streak")
    value = fact.value if level else fact.value * 100
    decimals, relation = entry.get("decimals", 1), entry.get("relation", "round")
    direction = entry.get("direction") or ("gain" if entry.get("value", 0) >= 0 else "drop")
    if entry["measure"] in ("return", "margin", "drawdown") and (
            "value" in entry or "direction" in entry) and (value >= 0) != (direction == "gain"):
        missing.append(f"direction {direction}")
    for key in ("value", "value_b"):
        if key not in entry or entry["measure"] in ("record_close",):
            continue
        quoted = entry[key]
        pool = [abs(x) for x in numbers] + ([abs(value)] if key == "value" else [])
        if entry["measure"] == "days_without_record":
            pool = [float(x) for x in re.findall(r"\d+", fact.sentence)]
        if not any(_value_ok(abs(quoted), decimals, relation, x) for x in pool):
            missing.append(f"{key} {quoted}")
    if "since" in entry and not any(_horizon_matches(entry["since"], text)
                                    for text in _fact_since_texts(fact.sentence)):
        missing.append(f"since {entry['since']}")
    if "rank" in entry:
        rank = entry["rank"]
        if rank == 1:
            if "on record" not in fact.sentence or fact.rank not in (1, None):
                missing.append("rank 1 (on record)")
        elif ORDINALS.get(rank, f"{rank}th") not in fact.sentence or fact.rank != rank:
            missing.append(f"rank {rank}")
        if "rank_from" in entry and entry["rank_from"][:4] not in fact.sentence:
            missing.append(f"rank since {entry['rank_from'][:4]}")
    state = entry.get("state")
    words = {"bear": "bear market", "correction": "correction", "record": "record"}
    if state and (words[state] not in fact.sentence or "ending a " + words[state] in fact.sentence):
        missing.append(f"state {state}")
    if entry["measure"] == "record_close" and "at a record" not in fact.sentence:
        missing.append("record close")
    return missing


def rotascope_says(entry: dict[str, Any], facts: list[Fact] | None) -> tuple[bool, str]:
    """Whether a notable fact states the claim, and what rotascope said instead."""
    if facts is None:
        return False, f"no segment or series {_name(entry)!r} in rotascope"
    found = _candidates(entry, facts)
    for fact in found:
        if not _fact_says(entry, fact):
            return True, fact.sentence
    said = "; ".join(f"{f.sentence} (lacks {', '.join(_fact_says(entry, f))})" for f in found)
    quiet = [f.sentence for f in _candidates(entry, facts, notable=False) if not _fact_says(entry, f)]
    if quiet:
        said = "; ".join([said, f"computed but not notable: {quiet[0]}"] if said
                         else [f"computed but not notable: {quiet[0]}"])
    return False, said or "no notable fact of that kind and window"


# ------------------------------------------------------------------------------- fixtures
def _groups() -> dict[tuple[str, str, str | None], list[dict[str, Any]]]:
    out: dict[tuple[str, str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for s in STATEMENTS:
        versus = s.get("versus") if s["measure"] in ("margin", "ytd_pair") else None
        out[(s["date"], _name(s), versus)].append(s)
    return out


def rotascope_verdicts(root: Path, universe_name: str = "us", with_windows: bool = False
                       ) -> dict[str, tuple[bool, str]]:
    """rotascope's verdict on every statement: its default notable facts of the subject (and
    pair) on the date, from the universe, each series cut at the date (point in time).
    ``with_windows``: only the statements with ``with_windows``, with those windows."""
    universe = load_universe(universe_name)
    names = sorted({n for s in STATEMENTS for n in (s["subject"], s.get("versus"))
                    if n and universe.has_segment(n)})
    source = DataSource(data_dir=root)
    subjects = segment_subjects(universe, source, names)
    for ref in sorted({s["series"] for s in STATEMENTS if "series" in s}):
        try:  # a file: series as `facts --series` reads it, where rotascope can
            subjects[ref] = stored_subject(ref, universe, source)
        except InputError:
            pass
    out: dict[str, tuple[bool, str]] = {}
    for (day, subject, versus), group in _groups().items():
        when = pd.Timestamp(day)
        entries = [e for e in group if "with_windows" in e] if with_windows else group
        if not entries:
            continue
        assert len({e.get("with_windows") for e in entries}) == 1 or not with_windows
        windows = parse_windows(entries[0]["with_windows"]) if with_windows else None
        needed = [n for n in (subject, versus) if n]
        if not all(n in subjects for n in needed):
            for e in entries:
                out[e["id"]] = rotascope_says(e, None)
            continue
        cut: dict[str, Subject] = {n: dataclasses.replace(subjects[n], prices=subjects[n].prices[:when])
                                   for n in needed}
        pairs = [(subject, versus)] if versus else []
        facts = collect_facts(cut, pairs, when, windows=windows)
        for e in entries:
            out[e["id"]] = rotascope_says(e, facts)
    return out


@pytest.fixture(scope="module")
def said(shared_data: Path) -> dict[str, tuple[bool, str]]:
    """:func:`rotascope_verdicts` of the built-in us universe, once for the module."""
    return rotascope_verdicts(shared_data)


# ---------------------------------------------------------------------------------- tests
def test_the_file_lists_enough_sourced_statements() -> None:
    """At least 30 statements, each with a unique id, an address, a quote and a publisher."""
    assert len(STATEMENTS) >= 30
    assert len(set(IDS)) == len(IDS)
    for s in STATEMENTS:
        assert s["url"].startswith(("http://", "https://")), s["id"]
        assert s["quote"].strip() and s["publisher"].strip(), s["id"]
        assert s["verdict"] in ("correct", "differs", "wrong"), s["id"]
        assert isinstance(s["reproduced"], bool), s["id"]
        assert s["reproduced"] or s.get("why", "").strip(), f"{s['id']}: not reproduced needs why"


@pytest.mark.parametrize("entry", STATEMENTS, ids=IDS)
def test_data_check(entry: dict[str, Any], shared_data: Path) -> None:
    """The recorded data values and the verdict on the journalist follow from the files."""
    facts = data_facts(entry, shared_data)
    assert math.isclose(entry["data_value"], round(facts["value"], 2), abs_tol=0.006), (
        f"{entry['id']}: data_value {entry['data_value']} but the files give {facts['value']:.4f}")
    if "value_b" in facts:
        assert math.isclose(entry["data_value_b"], round(facts["value_b"], 2), abs_tol=0.006)
    for key in ("since", "rank", "state"):
        if f"data_{key}" in entry or facts.get(key) is not None and key in entry:
            assert entry.get(f"data_{key}") == facts.get(key), (
                f"{entry['id']}: data_{key} {entry.get(f'data_{key}')!r} but the files give "
                f"{facts.get(key)!r}")
    bad = journalist_checks(entry, facts)
    if entry["verdict"] == "correct":
        assert not bad, f"{entry['id']}: marked correct but the data disagree: {bad}"
    else:
        assert bad or entry["verdict"] == "differs", f"{entry['id']}: marked wrong, data agree"
        assert entry.get("note", "").strip(), f"{entry['id']}: a {entry['verdict']} needs a note"


@pytest.mark.parametrize("entry", [s for s in STATEMENTS if s["reproduced"]],
                         ids=[s["id"] for s in STATEMENTS if s["reproduced"]])
def test_rotascope_states_the_reproduced_ones(entry: dict[str, Any],
                                              said: dict[str, tuple[bool, str]]) -> None:
    """Each statement marked reproduced is in rotascope's default notable facts."""
    ok, sentence = said[entry["id"]]
    assert ok, f"{entry['id']}: rotascope does not say {entry['quote']!r}; it said: {sentence}"


def test_the_others_are_still_not_said(said: dict[str, tuple[bool, str]]) -> None:
    """No statement marked not reproduced is stated (else flip it in the file), and the
    summary: how many rotascope states by default."""
    now_said = [s["id"] for s in STATEMENTS if not s["reproduced"] and said[s["id"]][0]]
    reproduced = sum(s["reproduced"] for s in STATEMENTS)
    print(f"\npublished statements: {len(STATEMENTS)}, reproduced by default: {reproduced}, "
          f"journalist wrong or differs: {sum(s['verdict'] != 'correct' for s in STATEMENTS)}")
    assert not now_said, f"rotascope now states these; set reproduced = true: {now_said}"


def test_the_windows_that_state_the_others(shared_data: Path) -> None:
    """The statements that name their ``with_windows`` are stated with ``--windows`` so."""
    said = rotascope_verdicts(shared_data, with_windows=True)
    for s in STATEMENTS:
        if "with_windows" in s:
            assert said[s["id"]][0], f"{s['id']}: not stated with --windows {s['with_windows']}: {said[s['id']][1]}"
