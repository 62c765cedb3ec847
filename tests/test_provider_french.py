"""FrenchLibraryProvider against a local server serving zipped library CSV files, with every fault."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from httpserver import FAULT_CAUSES, Reply, ScriptedServer, fault_replies, serve
from rotascope.data.http import HttpClient
from rotascope.data.providers.base import Provider
from rotascope.data.providers.french_library import (
    FrenchLibraryProvider,
    FrenchSymbol,
    parse_french_symbol,
)
from rotascope.errors import InputError, ProviderError

BASE = "/pages/faculty/ken.french/ftp/"
MOM = "F-F_Momentum_Factor_daily"
# The library's original layout (CRLF, text header, blank-named date column, copyright footer).
MOM_DAILY = "\r\n".join(
    [
        "This file was created by using the 202604 CRSP database.  It",
        "contains a momentum factor, constructed from six value-weight portfolios formed",
        "using independent sorts on size and prior return of NYSE, AMEX, and NASDAQ stocks.",
        "",
        "Missing data are indicated by -99.99 or -999.",
        "",
        ",Mom",
        "20200309,   2.17",
        "20200310,  -1.05",
        "20200311,   0.38",
        "20200312, -99.99",
        "20200313,  -3.40",
        "",
        "Copyright 2026 Eugene F. Fama and Kenneth R. French",
        "",
    ]
)
SIX = "6_Portfolios_2x3"
SIX_PORTFOLIOS = "\r\n".join(
    [
        "This file was created by CMPT_ME_BEME_OP_INV_RETS using the 202412 CRSP database.",
        "",
        "Missing data are indicated by -99.99 or -999.",
        "",
        "",
        "  Average Value Weighted Returns -- Monthly",
        ",SMALL LoBM,ME1 BM2,SMALL HiBM,BIG LoBM,ME2 BM2,BIG HiBM",
        "192607,   1.0874,   0.9081,  -0.0695,   5.7168,   1.8971,   2.0066",
        "192608,   0.7030,   1.5075,   5.3842,   2.7154,   2.7196,   5.6796",
        "",
        "",
        "  For portfolios formed in June of year t",
        "  Value Weight Average of BE/ME Calculated for June of t to June of t+1 as: ",
        "  Sum[ME(Mth) * BE(Fiscal Year t-1) / ME(Dec t-1)] / Sum[ME(Mth)]",
        ",SMALL LoBM,ME1 BM2,SMALL HiBM,BIG LoBM,ME2 BM2,BIG HiBM",
        "192607,   0.5070,   1.0809,   3.1784,   0.4517,   1.0146,   2.2390",
        "192608,   0.5044,   1.0798,   3.2414,   0.4550,   1.0150,   2.2241",
        "",
        "Copyright 2024 Eugene F. Fama and Kenneth R. French",
        "",
    ]
)


def make_zip(member: str, text: str | bytes) -> bytes:
    """A zip like the library's: one CSV member named ``<DATASET>.CSV``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def zip_path(dataset: str) -> str:
    return f"{BASE}{dataset}_CSV.zip"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    yield from serve(monkeypatch)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def provider_for(server: ScriptedServer, sleeps: list[float], **kw: float) -> FrenchLibraryProvider:
    options: dict = {"timeout": 0.3, "retries": 2, "backoff": 0.5}
    options.update(kw)
    return FrenchLibraryProvider(
        HttpClient(sleep=sleeps.append, **options), base_url=server.url + BASE
    )


def serve_zip(server: ScriptedServer, dataset: str, text: str | bytes) -> None:
    server.route(
        zip_path(dataset),
        Reply(body=make_zip(f"{dataset}.CSV", text), content_type="application/zip"),
    )


def test_is_a_provider() -> None:
    assert isinstance(FrenchLibraryProvider(), Provider)


@pytest.mark.parametrize(
    ("symbol", "parsed"),
    [
        ("F-F_Momentum_Factor_daily#Mom", FrenchSymbol(MOM, "Mom", None)),
        (MOM, FrenchSymbol(MOM, None, None)),
        (
            "6_Portfolios_2x3#SMALL HiBM@Value Weight Average of BE/ME",
            FrenchSymbol(SIX, "SMALL HiBM", "Value Weight Average of BE/ME"),
        ),
        ("6_Portfolios_2x3@BE/ME#BIG HiBM", FrenchSymbol(SIX, "BIG HiBM", "BE/ME")),
        ("F-F_Momentum_Factor_daily_CSV.zip#Mom", FrenchSymbol(MOM, "Mom", None)),
    ],
)
def test_parse_symbol(symbol: str, parsed: FrenchSymbol) -> None:
    assert parse_french_symbol(symbol) == parsed


@pytest.mark.parametrize("bad", ["", "#Mom", "X#a#b", "X@", "bad name#x", "X@a@b"])
def test_parse_symbol_errors(bad: str) -> None:
    with pytest.raises(InputError, match="french: symbol"):
        parse_french_symbol(bad)


def test_fetch_inline_momentum(server: ScriptedServer, sleeps: list[float]) -> None:
    serve_zip(server, MOM, MOM_DAILY)
    ts = provider_for(server, sleeps).fetch(f"{MOM}#Mom")
    assert server.requests[0].path == f"{BASE}{MOM}_CSV.zip"
    assert ts.meta.source == "french:F-F_Momentum_Factor_daily [Mom]"
    assert (ts.meta.kind, ts.meta.frequency, ts.meta.units) == ("return", "daily", "fraction")
    assert (ts.meta.name, ts.meta.symbol) == (f"{MOM}#Mom", f"{MOM}#Mom")
    # -99.99 on 2020-03-12 means missing: the row is dropped
    assert list(ts.data.index.day) == [9, 10, 11, 13]
    np.testing.assert_allclose(ts.data.to_numpy(), [0.0217, -0.0105, 0.0038, -0.034], atol=1e-15)
    assert ts.data.index.name == "date"


def test_single_column_may_be_left_out(server: ScriptedServer, sleeps: list[float]) -> None:
    serve_zip(server, MOM, MOM_DAILY)
    ts = provider_for(server, sleeps).fetch(MOM, end=pd.Timestamp("2020-03-10"))
    assert ts.meta.source == "french:F-F_Momentum_Factor_daily [Mom]"
    assert list(ts.data.index.day) == [9, 10]


def test_sections_and_valuation(server: ScriptedServer, sleeps: list[float]) -> None:
    serve_zip(server, SIX, SIX_PORTFOLIOS)
    provider = provider_for(server, sleeps)
    sections = provider.fetch_sections(SIX)
    assert [s.title for s in sections] == [
        "Average Value Weighted Returns -- Monthly",
        "Value Weight Average of BE/ME",
    ]
    bm = provider.fetch(f"{SIX}#SMALL HiBM@Value Weight Average of BE/ME")
    assert (bm.meta.kind, bm.meta.frequency, bm.meta.units) == ("valuation", "monthly", "ratio")
    assert bm.meta.source == "french:6_Portfolios_2x3 [SMALL HiBM] @Value Weight Average of BE/ME"
    assert list(bm.data) == [3.1784, 3.2414]
    assert list(bm.data.index) == [pd.Timestamp("1926-07-31"), pd.Timestamp("1926-08-31")]
    ret = provider.fetch(f"{SIX}#BIG HiBM")  # default: the first section
    assert ret.meta.kind == "return"
    np.testing.assert_allclose(ret.data.to_numpy(), [0.020066, 0.056796], atol=1e-15)
    assert server.count() == 1  # the dataset was downloaded once for the three calls


def test_reuse_can_be_turned_off(server: ScriptedServer, sleeps: list[float]) -> None:
    serve_zip(server, SIX, SIX_PORTFOLIOS)
    provider = FrenchLibraryProvider(
        HttpClient(sleep=sleeps.append), base_url=server.url + BASE, reuse_downloads=False
    )
    provider.fetch(f"{SIX}#BIG HiBM")
    provider.fetch(f"{SIX}#SMALL HiBM")
    assert server.count() == 2


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        (f"{SIX}", "section .* has several columns; add #COLUMN to the symbol, one of: SMALL LoBM"),
        (f"{SIX}#Nope", "no column 'Nope' in section 'Average Value Weighted Returns -- Monthly'"),
        (f"{SIX}#BIG HiBM@Dividend", "no section matching 'Dividend'; sections:"),
    ],
)
def test_bad_column_or_section(
    symbol: str, message: str, server: ScriptedServer, sleeps: list[float]
) -> None:
    serve_zip(server, SIX, SIX_PORTFOLIOS)
    with pytest.raises(InputError, match=f"^french:{SIX}: " + message.replace("(", r"\(")):
        provider_for(server, sleeps).fetch(symbol)


def test_unknown_dataset_404(server: ScriptedServer, sleeps: list[float]) -> None:
    with pytest.raises(
        ProviderError, match=r"french:Nope_daily: not found \(HTTP 404\) at .*Nope_daily_CSV\.zip"
    ):
        provider_for(server, sleeps).fetch("Nope_daily#X")
    assert server.count() == 1


def test_zip_without_csv(server: ScriptedServer, sleeps: list[float]) -> None:
    server.route(
        zip_path(MOM), Reply(body=make_zip("readme.md", "hello"), content_type="application/zip")
    )
    with pytest.raises(
        ProviderError, match="french:F-F_Momentum_Factor_daily: the zip file holds no CSV"
    ):
        provider_for(server, sleeps).fetch(MOM)


@pytest.mark.parametrize("fault", list(FAULT_CAUSES))
def test_faults(fault: str, server: ScriptedServer, sleeps: list[float]) -> None:
    good = make_zip(f"{MOM}.CSV", MOM_DAILY * 20)  # big enough that half of it is no zip
    server.route(zip_path(MOM), *fault_replies(fault, good, content_type="application/zip"))
    provider = provider_for(server, sleeps)
    cause = FAULT_CAUSES[fault]
    if cause is None:
        assert len(provider.fetch(f"{MOM}#Mom").data) == 4
        assert server.count() == 2
        assert sleeps == [1.0]
        return
    with pytest.raises(ProviderError) as info:
        provider.fetch(f"{MOM}#Mom")
    message = str(info.value)
    assert message.startswith(f"french:{MOM}: could not fetch {server.url}{zip_path(MOM)} ")
    assert f"after 3 tries ({cause}" in message
    assert "\n" not in message
    assert server.count() == 3
    assert sleeps == [0.5, 1.0]


def test_truncated_zip_without_content_length(server: ScriptedServer, sleeps: list[float]) -> None:
    good = make_zip(f"{MOM}.CSV", MOM_DAILY * 20)
    server.route(
        zip_path(MOM),
        Reply(body=good[: len(good) - 30], content_length=False),
        Reply(body=good),
    )
    assert len(provider_for(server, sleeps).fetch(f"{MOM}#Mom").data) == 4
    assert server.count() == 2


# -- real files -------------------------------------------------------------------------------


def read_table(path: Path, title: str | None, date_format: str) -> pd.DataFrame:
    """Independent read of one table of a library file with plain pandas."""
    lines = path.read_text().splitlines()
    start = 0 if title is None else next(i for i, ln in enumerate(lines) if title in ln)
    header = next(i for i in range(start, len(lines)) if lines[i].startswith((",", "Date,")))
    end = next((i for i in range(header + 1, len(lines)) if not lines[i].strip()), len(lines))
    frame = pd.read_csv(
        path, skiprows=header, nrows=end - header - 1, index_col=0, skipinitialspace=True
    )
    frame.index = pd.to_datetime(frame.index.astype(str), format=date_format)
    frame.columns = [c.strip() for c in frame.columns]
    return frame.replace([-99.99, -999.0], np.nan)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("file", "symbol", "column", "title", "date_format", "kind"),
    [
        ("F-F_Momentum_Factor_daily.csv", MOM, "Mom", None, "%Y%m%d", "return"),
        (
            "F-F_Research_Data_5_Factors_2x3_daily.csv",
            "F-F_Research_Data_5_Factors_2x3_daily#SMB",
            "SMB",
            None,
            "%Y-%m-%d",
            "return",
        ),
        (
            "6_Portfolios_2x3.CSV",
            f"{SIX}#SMALL HiBM@Value Weight Average of BE/ME",
            "SMALL HiBM",
            "Value Weight Average of BE/ME",
            "%Y%m",
            "valuation",
        ),
        (
            "6_Portfolios_2x3.CSV",
            f"{SIX}#BIG LoBM@Equal Weighted Returns -- Annual",
            "BIG LoBM",
            "Average Equal Weighted Returns -- Annual",
            "%Y",
            "return",
        ),
    ],
)
def test_real_files_match_pandas(
    file: str,
    symbol: str,
    column: str,
    title: str | None,
    date_format: str,
    kind: str,
    server: ScriptedServer,
    sleeps: list[float],
    shared_data: Path,
) -> None:
    source = shared_data / "french" / file
    dataset = parse_french_symbol(symbol).dataset
    serve_zip(server, dataset, source.read_bytes())
    ts = provider_for(server, sleeps, timeout=10.0).fetch(symbol)
    expected = read_table(source, title, date_format)[column].dropna()
    if kind == "return":
        expected = expected / 100.0
    assert ts.meta.kind == kind
    assert len(ts.data) == len(expected) > 90
    # monthly and annual rows are stamped on the period's end
    if date_format in ("%Y", "%Y%m"):
        offset = pd.offsets.YearEnd(0) if date_format == "%Y" else pd.offsets.MonthEnd(0)
        expected.index = expected.index + offset
    np.testing.assert_array_equal(ts.data.index.to_numpy(), expected.index.to_numpy())
    np.testing.assert_allclose(ts.data.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)


@pytest.mark.realdata
def test_real_sections(server: ScriptedServer, sleeps: list[float], shared_data: Path) -> None:
    serve_zip(server, SIX, (shared_data / "french" / "6_Portfolios_2x3.CSV").read_bytes())
    sections = provider_for(server, sleeps, timeout=10.0).fetch_sections(SIX)
    titles = [s.title for s in sections]
    assert len(titles) == 10
    assert "Value Weight Average of BE/ME" in titles
    assert [s.percent for s in sections[:4]] == [True] * 4
