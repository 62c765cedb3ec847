"""Universe files: the built-in universes and the errors a bad file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotascope.data.universe import builtin_universe_names, load_universe
from rotascope.errors import InputError

REQUIRED_US = [
    "large-caps", "small-caps", "small-caps-sp600", "russell-1000", "tech", "midcap",
    "midcap-growth", "growth", "value", "equal-weight", "ff-market", "ff-size", "ff-value",
    "ff-quality", "ff-investment", "ff-momentum",
]
SECTORS = ["XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY"]


def test_builtin_universes_load() -> None:
    for name in builtin_universe_names():
        u = load_universe(name)
        assert u.segments and u.pairs
        for p in u.pairs:
            assert u.has_segment(p.a) and u.has_segment(p.b)


def test_us_universe_covers_the_issue_list() -> None:
    u = load_universe("us")
    names = {s.name for s in u.segments}
    assert set(REQUIRED_US) <= names
    assert u.segment("nasdaq-100").name == "tech"
    assert u.segment("IWM").display == "Russell 2000"
    yahoo = {s.series.get("yahoo") for s in u.segments if s.group == "sector"}
    assert set(SECTORS) == yahoo
    pairs = {(p.a, p.b) for p in u.pairs}
    assert {("small-caps", "large-caps"), ("value", "growth"), ("equal-weight", "large-caps"),
            ("tech", "large-caps"), ("midcap-growth", "large-caps")} <= pairs


def test_us_files_entries_exist_in_shared_data(shared_data: Path) -> None:
    u = load_universe("us")
    for s in u.segments:
        path = s.series["files"].split("#")[0]
        assert (shared_data / path).is_file(), f"{s.name}: {path} missing"


def test_sample_universe_uses_sample_provider() -> None:
    u = load_universe("sample")
    assert u.provider == "sample"
    assert all("sample" in s.series for s in u.segments)


def test_unknown_segment_lists_names() -> None:
    u = load_universe("us")
    with pytest.raises(InputError, match="unknown segment 'nope'.*small-caps"):
        u.segment("nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\n', "at least one"),
        ('name = "x"\n[[segments]]\nname = "A b"\nseries = {stooq = "a"}\n', "lower-case"),
        ('name = "x"\n[[segments]]\nname = "a"\n', "series"),
        ('name = "x"\n[[segments]]\nname = "a"\nseries = {stooq = "a"}\n'
         '[[pairs]]\nname = "p"\na = "a"\nb = "zz"\n', "unknown segment 'zz'"),
        ('name = "x"\n[[segments]]\nname = "a"\nseries = {stooq = "a"}\n'
         '[[segments]]\nname = "b"\naliases = ["a"]\nseries = {stooq = "b"}\n', "already used"),
        ('name = "x"\n[[segments]]\nname = "a"\nkind = "level"\nseries = {stooq = "a"}\n', "kind"),
        ("name = \n", "invalid TOML"),
    ],
)
def test_bad_universe_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "u.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        load_universe(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_a_universe_file_saved_with_a_bom_loads(tmp_path: Path) -> None:
    text = 'name = "x"\n[[segments]]\nname = "a"\nseries = {stooq = "a"}\n'
    path = tmp_path / "u.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # as Notepad saves "UTF-8 with BOM"
    assert [s.name for s in load_universe(path).segments] == ["a"]


def test_unknown_universe_name() -> None:
    with pytest.raises(InputError, match="unknown universe 'mars'"):
        load_universe("mars")
