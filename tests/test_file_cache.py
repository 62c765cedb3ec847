"""A job parses each file once: FileCache, read_file(cache=...), DataSource and the report build."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import rotascope.data.providers.files as files_module
from rotascope.data.file_cache import FileCache
from rotascope.data.loader import DataSource
from rotascope.data.providers.files import read_file
from rotascope.data.universe import load_universe
from rotascope.narrative.pair_facts import pair_facts
from rotascope.pipeline.pairs import analyse_pair
from rotascope.pipeline.subjects import Subject
from rotascope.report.build import build_report

FIVE = "F-F_Research_Data_5_Factors_2x3_daily.csv"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the real French parses (the real parser runs; only the calls are recorded)."""
    seen: list[str] = []
    real = files_module.parse_french_csv

    def counting(text: str, *, origin: str):  # type: ignore[no-untyped-def]
        seen.append(Path(origin).name)
        return real(text, origin=origin)

    monkeypatch.setattr(files_module, "parse_french_csv", counting)
    return seen


@pytest.mark.realdata
def test_columns_of_one_file_share_one_parse(shared_data: Path, parses: list[str]) -> None:
    path = shared_data / "french" / FIVE
    cache = FileCache()
    smb = read_file(path, column="SMB", cache=cache)
    hml = read_file(path, column="HML", cache=cache)
    again = read_file(path, column="SMB", cache=cache)
    assert parses == [FIVE]
    assert (cache.misses, cache.hits) == (3, 2)  # SMB, the sections, HML; sections, SMB again
    for ts, column in ((smb, "SMB"), (hml, "HML"), (again, "SMB")):
        plain = read_file(path, column=column)
        pd.testing.assert_series_equal(ts.data, plain.data)
        assert ts.meta.replace(fetched_at=plain.meta.fetched_at) == plain.meta
    assert len(parses) == 4  # reads without a cache parse every time


def test_a_changed_file_is_read_again_and_callers_cannot_spoil_the_memo(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Date,Close\n2024-01-02,10\n2024-01-03,11\n")
    cache = FileCache()
    first = read_file(path, cache=cache)
    first.data.iloc[0] = -1.0  # a caller scribbling on its copy
    assert read_file(path, cache=cache).data.iloc[0] == 10.0
    path.write_text("Date,Close\n2024-01-02,20\n2024-01-03,21\n2024-01-04,22\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert read_file(path, cache=cache).data.tolist() == [20.0, 21.0, 22.0]
    assert len(cache) == 2


def test_errors_are_not_memoised(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Date,Close\n2024-01-02,oops\n")
    cache = FileCache()
    for _ in range(2):
        with pytest.raises(ValueError, match="bad.csv"):
            read_file(path, cache=cache)
    assert len(cache) == 0 and cache.misses == 0


@pytest.mark.realdata
def test_a_report_build_parses_each_french_file_once(shared_data: Path, parses: list[str]) -> None:
    build_report(load_universe("us"), DataSource(data_dir=shared_data), pd.Timestamp("2025-09-24"))
    assert parses, "the us report reads Ken French files"
    assert sorted(parses) == sorted(set(parses)), parses


@pytest.mark.realdata
def test_shared_pair_analysis_gives_the_same_facts(shared_data: Path) -> None:
    when = pd.Timestamp("2025-09-24")
    a, b = (Subject(n, n, read_file(shared_data / "prices" / f"{n}.csv").data, "file", "daily")
            for n in ("IWM", "SPY"))
    done = analyse_pair(a, b, when)
    assert done.analogs is not None and not done.episodes.empty
    assert [f.to_dict() for f in pair_facts(a, b, when, done)] == \
        [f.to_dict() for f in pair_facts(a, b, when)]
