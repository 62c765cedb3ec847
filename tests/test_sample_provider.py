"""The embedded offline sample provider: every symbol loads, is valid and plausible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotascope.data.formats import parse_french_csv
from rotascope.data.providers.base import Provider
from rotascope.data.providers.sample import SAMPLE_SYMBOLS, SampleProvider
from rotascope.data.validate import validate_values
from rotascope.errors import InputError


@pytest.fixture(scope="module")
def provider() -> SampleProvider:
    return SampleProvider()


def test_catalogue() -> None:
    assert isinstance(SampleProvider(), Provider)
    assert SampleProvider.name == "sample"
    expected = {"sp500", "nasdaq", "vix", "aaa", "baa", "core-cpi"}
    expected |= {f"ff-{f}" for f in ("mkt", "smb", "hml", "mom", "rf")}
    expected |= {"ind-nodur", "ind-hlth", "ind-money", "s1v1", "s5v5", "s1m1", "s5m5"}
    assert expected <= set(SAMPLE_SYMBOLS)
    assert sum(s.startswith("ind-") for s in SAMPLE_SYMBOLS) == 12
    assert all("embedded offline sample data" in d for d in SAMPLE_SYMBOLS.values())
    with pytest.raises(TypeError):
        SAMPLE_SYMBOLS["x"] = "y"  # type: ignore[index]


@pytest.mark.parametrize("symbol", list(SAMPLE_SYMBOLS))
def test_every_symbol(provider: SampleProvider, symbol: str) -> None:
    ts = provider.fetch(symbol)
    meta = ts.meta
    assert meta.name == symbol and meta.symbol == symbol
    assert meta.source.startswith("sample:") and meta.source.endswith("]")
    pd.testing.assert_series_equal(
        validate_values(ts.data, kind=meta.kind, origin=symbol), ts.data, check_names=False
    )
    assert ts.data.index.name == "date"
    values = ts.data.to_numpy()
    if meta.kind == "return":
        assert meta.units == "fraction" and meta.frequency == "monthly"
        assert np.abs(values).max() < 0.6  # fractions, not percents
        assert np.abs(values).mean() > 1e-4
        assert ts.data.index.is_month_end.all()  # period data stamped on the period's end
    elif meta.kind == "price":
        assert meta.frequency == "daily" and (values > 100).all()
    else:
        assert meta.kind == "macro" and (values > 0).all()
    assert len(ts.data) > 500


def test_known_values(provider: SampleProvider) -> None:
    sp500 = provider.fetch("sp500")
    assert sp500.first_date == pd.Timestamp("1999-01-04")
    assert sp500.last_date == pd.Timestamp("2018-12-31")
    assert sp500.data.iloc[-1] == pytest.approx(2506.85, abs=0.01)
    assert sp500.meta.source == "sample:arch.data.sp500 [Adj Close]"
    assert provider.fetch("NASDAQ").meta.source == "sample:arch.data.nasdaq [Adj Close]"
    assert not provider.fetch("vix").data.isna().any()  # blank holiday rows dropped
    assert provider.fetch("baa").data.loc["1919-01-31"] == 7.12  # January 1919, at its end
    ff3 = provider.fetch("ff3-mkt")  # arch's YYYYMM-as-nanoseconds index, fixed
    assert ff3.first_date == pd.Timestamp("1926-07-31")
    assert ff3.data.iloc[0] == 0.0296
    assert provider.fetch("ff-mkt").data.loc["1949-01-31"] == 0.0023
    total = provider.fetch("ff-mkt-total")  # MktRF + RF: 0.0023 + 0.0010
    assert total.data.loc["1949-01-31"] == 0.0033
    assert total.meta.source == "sample:linearmodels.datasets.french [MktRF + RF]"


def test_factors_match_the_real_library_file(provider: SampleProvider, shared_data: Path) -> None:
    path = shared_data / "french" / "F-F_Research_Data_Factors.CSV"
    monthly = parse_french_csv(path.read_text(), origin=str(path))[0].frame
    for symbol, column in (("ff-mkt", "Mkt-RF"), ("ff-hml", "HML"), ("ff3-smb", "SMB")):
        sample = provider.fetch(symbol).data
        real = monthly[column]
        real.index = real.index + pd.offsets.MonthEnd(0)  # period data: stamped on the month's end
        real = real.reindex(sample.index)
        # vintages differ slightly (the library is revised), the history is the same
        assert real.notna().all()
        assert np.corrcoef(sample, real)[0, 1] > 0.97, symbol
        assert (sample - real).abs().median() < 0.002, symbol


def test_start_end(provider: SampleProvider) -> None:
    ts = provider.fetch("sp500", start=pd.Timestamp("2008-09-01"), end=pd.Timestamp("2008-09-30"))
    assert ts.first_date == pd.Timestamp("2008-09-02")
    assert ts.last_date == pd.Timestamp("2008-09-30")
    assert len(ts.data) == 21
    monthly = provider.fetch("ff-smb", start=pd.Timestamp("2000-01-01"))
    assert monthly.first_date == pd.Timestamp("2000-01-31")  # January 2000, at its end
    assert monthly.last_date == pd.Timestamp("2017-03-31")


def test_unknown_symbol(provider: SampleProvider) -> None:
    with pytest.raises(InputError) as excinfo:
        provider.fetch("sp5000")
    message = str(excinfo.value)
    assert "\n" not in message
    assert "unknown symbol 'sp5000'" in message and "sp500" in message and "known:" in message
    assert len(message) < 400


@pytest.mark.slow
def test_values_equal_the_packages_loaders(provider: SampleProvider) -> None:
    """Reading the data files directly gives what arch's and linearmodels' load() return.

    Slow only because importing arch and linearmodels takes seconds (which is why the provider
    reads the files itself).
    """
    import importlib

    from rotascope.data.providers.sample import _BY_SYMBOL

    frames: dict[str, pd.DataFrame] = {}
    for symbol, sample in _BY_SYMBOL.items():
        if sample.module not in frames:
            frame = importlib.import_module(sample.module).load()
            if "dates" in frame.columns:  # linearmodels keeps the dates in a column
                frame = frame.set_index("dates")
            frames[sample.module] = frame
        loaded = frames[sample.module][sample.column].dropna()
        if sample.plus:
            loaded = loaded + frames[sample.module][sample.plus]
        ours = provider.fetch(symbol).data
        assert len(ours) == len(loaded), symbol
        if sample.yyyymm:  # arch's index holds YYYYMM integers read as nanoseconds
            codes = loaded.index.as_unit("ns").asi8
            assert list(codes) == list(ours.index.year * 100 + ours.index.month), symbol
            np.testing.assert_allclose(ours.to_numpy(), loaded.to_numpy() / 100, rtol=1e-12)
        else:  # monthly rows are stamped on the month's end, the package on its first day
            expected = loaded.index if provider.fetch(symbol).meta.frequency == "daily" else (
                pd.DatetimeIndex(loaded.index) + pd.offsets.MonthEnd(0))
            assert (ours.index == expected).all(), symbol
            np.testing.assert_allclose(ours.to_numpy(), loaded.to_numpy(), rtol=0, atol=1e-12)
