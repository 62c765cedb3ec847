"""Tests of the incremental refresh and its fallback to the stored copy."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from rotascope.data.providers.base import Provider
from rotascope.data.refresh import RefreshResult, refresh
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.store import Store
from rotascope.errors import InputError, ProviderError, RotascopeWarning, StoreError


def history(values: list[float] | np.ndarray, start: str = "2026-06-01") -> pd.Series:
    """Daily (calendar) values from ``start``."""
    index = pd.date_range(start, periods=len(values), freq="D", name="date")
    return pd.Series(np.asarray(values, dtype="float64"), index=index)


@dataclass
class FakeProvider:
    """A provider answering from an in-memory history, or failing as told."""

    data: pd.Series
    name: str = "stooq"
    kind: str = "price"
    fail: Exception | None = None
    calls: list[tuple[str, pd.Timestamp | None, pd.Timestamp | None]] = field(default_factory=list)

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        self.calls.append((symbol, start, end))
        if self.fail is not None:
            raise self.fail
        meta = SeriesMeta(
            symbol,
            kind=self.kind,  # type: ignore[arg-type]
            units="index points",
            source=f"{self.name}:{symbol}",
            symbol=symbol,
            fetched_at=datetime(2000, 1, 1, tzinfo=UTC),
        )
        return TimeSeries(self.data, meta).between(start, end)


def snapshot(store: Store) -> tuple[pd.DataFrame, dict[str, pd.Series], dict[str, SeriesMeta]]:
    names = store.names()
    return (
        store.list(),
        {n: store.read(n).data for n in names},
        {n: store.meta(n) for n in names},
    )


def assert_same_snapshot(before: tuple, after: tuple) -> None:
    pd.testing.assert_frame_equal(before[0], after[0])
    assert before[1].keys() == after[1].keys()
    for name in before[1]:
        pd.testing.assert_series_equal(before[1][name], after[1][name])
    assert before[2] == after[2]


def values_of(store: Store, name: str) -> pd.Series:
    data = store.read(name).data
    return pd.Series(data.to_numpy(), index=data.index.as_unit("ns"))


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as opened:
        yield opened


@pytest.fixture
def stored(store: Store) -> Store:
    """A store holding ``^spx`` from 2026-06-01 to 2026-07-13 (43 days, values 1..43)."""
    refresh(store, FakeProvider(history(np.arange(1.0, 44.0))), "^spx")
    assert store.last_date("^spx") == pd.Timestamp("2026-07-13")
    return store


def test_fake_provider_implements_the_protocol() -> None:
    assert isinstance(FakeProvider(history([1.0])), Provider)


def test_first_refresh_fetches_everything_and_stores_it(store: Store) -> None:
    provider = FakeProvider(history([10.0, 11.0, 12.0]))
    before = datetime.now(UTC).replace(microsecond=0)
    result = refresh(store, provider, "^spx")
    after = datetime.now(UTC)
    assert provider.calls == [("^spx", None, None)]
    assert result == RefreshResult(
        name="^spx",
        symbol="^spx",
        provider="stooq",
        rows_before=0,
        rows_after=3,
        rows_fetched=3,
        first=pd.Timestamp("2026-06-01"),
        last=pd.Timestamp("2026-06-03"),
        fetched_from=None,
        used_stored_copy=False,
        warning=None,
    )
    meta = store.meta("^spx")
    assert (meta.name, meta.kind, meta.units, meta.source, meta.symbol) == (
        "^spx",
        "price",
        "index points",
        "stooq:^spx",
        "^spx",
    )
    assert before <= meta.fetched_at <= after  # stamped now, not the provider's time
    assert list(store.read("^spx").data) == [10.0, 11.0, 12.0]


def test_name_defaults_to_symbol_and_can_be_given(store: Store) -> None:
    provider = FakeProvider(history([10.0, 11.0]))
    result = refresh(store, provider, "^spx", name="large-caps", start="2026-06-02")
    assert result.name == "large-caps"
    assert provider.calls == [("^spx", pd.Timestamp("2026-06-02"), None)]
    assert store.names() == ["large-caps"]
    assert store.meta("large-caps").symbol == "^spx"
    assert list(store.read("large-caps").data) == [11.0]


def test_incremental_refresh_fetches_from_last_minus_overlap_and_merges(stored: Store) -> None:
    before = values_of(stored, "^spx")
    truth = history(np.arange(1.0, 49.0))  # five new days: Jul 14..18
    truth.loc["2026-07-10":"2026-07-13"] *= 1.5  # revised within the overlap
    truth.loc["2026-06-01":"2026-06-03"] = 999.0  # revised long ago: not refetched
    provider = FakeProvider(truth)
    result = refresh(stored, provider, "^spx", overlap_days=7)
    assert provider.calls == [("^spx", pd.Timestamp("2026-07-06"), None)]
    assert result.fetched_from == pd.Timestamp("2026-07-06")
    assert (result.rows_before, result.rows_fetched, result.rows_after) == (43, 13, 48)
    assert (result.first, result.last) == (pd.Timestamp("2026-06-01"), pd.Timestamp("2026-07-18"))
    after = values_of(stored, "^spx")
    expected = pd.concat([before.loc[:"2026-07-05"], truth.loc["2026-07-06":]])
    np.testing.assert_array_equal(after.to_numpy(), expected.to_numpy())
    assert after.index.equals(pd.DatetimeIndex(expected.index.as_unit("ns")))
    assert after.loc["2026-07-13"] == 43.0 * 1.5
    assert after.loc["2026-06-01"] == 1.0
    listing = stored.list().iloc[0]
    assert (listing["rows"], listing["last"]) == (48, pd.Timestamp("2026-07-18"))


@pytest.mark.parametrize(
    ("overlap", "start", "expected"),
    [
        (0, None, "2026-07-13"),
        (30, None, "2026-06-13"),
        (7, "2026-06-20", "2026-06-20"),  # an earlier start is honoured
        (7, "2026-07-10", "2026-07-06"),  # a later start would leave a gap: ignored
    ],
)
def test_incremental_fetch_start(
    stored: Store, overlap: int, start: str | None, expected: str
) -> None:
    provider = FakeProvider(history(np.arange(1.0, 50.0)))
    result = refresh(stored, provider, "^spx", overlap_days=overlap, start=start, end="2026-07-15")
    assert provider.calls == [("^spx", pd.Timestamp(expected), pd.Timestamp("2026-07-15"))]
    assert result.last == pd.Timestamp("2026-07-15")
    assert result.rows_after == 45


def test_full_refresh_replaces_everything(stored: Store) -> None:
    truth = history([5.0, 6.0, 7.0], start="2026-07-01")
    provider = FakeProvider(truth)
    result = refresh(stored, provider, "^spx", full=True)
    assert provider.calls == [("^spx", None, None)]
    assert (result.rows_before, result.rows_fetched, result.rows_after) == (43, 3, 3)
    np.testing.assert_array_equal(values_of(stored, "^spx").to_numpy(), truth.to_numpy())
    assert stored.read("^spx").data.index[0] == pd.Timestamp("2026-07-01")


def test_empty_incremental_answer_changes_nothing(stored: Store) -> None:
    before = snapshot(stored)
    provider = FakeProvider(history([1.0, 2.0]))  # nothing after the overlap start
    result = refresh(stored, provider, "^spx")
    assert (result.rows_fetched, result.rows_before, result.rows_after) == (0, 43, 43)
    assert result.last == pd.Timestamp("2026-07-13")
    assert not result.used_stored_copy
    assert_same_snapshot(before, snapshot(stored))


def test_empty_answer_for_a_new_series_or_full_refresh_raises(stored: Store) -> None:
    before = snapshot(stored)
    empty = FakeProvider(history([]))
    with pytest.raises(InputError, match=r"stooq:\^ndx: no data rows"):
        refresh(stored, empty, "^ndx")
    with pytest.raises(InputError, match=r"stooq:\^spx: no data rows"):
        refresh(stored, empty, "^spx", full=True)
    assert_same_snapshot(before, snapshot(stored))


# ---------------------------------------------------------------------- failures


def test_provider_failure_falls_back_to_the_stored_copy(stored: Store) -> None:
    before = snapshot(stored)
    provider = FakeProvider(history([1.0]), fail=ProviderError("HTTP 503 after 3 attempts"))
    with pytest.warns(RotascopeWarning) as caught:
        result = refresh(stored, provider, "^spx")
    message = (
        "stooq:^spx failed (HTTP 503 after 3 attempts); using the stored copy up to 2026-07-13"
    )
    assert [str(w.message) for w in caught] == [message]
    assert caught[0].filename == __file__  # points at the caller
    assert result == RefreshResult(
        name="^spx",
        symbol="^spx",
        provider="stooq",
        rows_before=43,
        rows_after=43,
        rows_fetched=0,
        first=pd.Timestamp("2026-06-01"),
        last=pd.Timestamp("2026-07-13"),
        fetched_from=pd.Timestamp("2026-07-06"),
        used_stored_copy=True,
        warning=message,
    )
    assert_same_snapshot(before, snapshot(stored))


def test_provider_failure_during_full_refresh_falls_back_too(stored: Store) -> None:
    before = snapshot(stored)
    provider = FakeProvider(history([1.0]), fail=ProviderError("timed out"))
    with pytest.warns(RotascopeWarning, match=r"stooq:\^spx failed \(timed out\)"):
        result = refresh(stored, provider, "^spx", full=True)
    assert result.used_stored_copy and result.fetched_from is None
    assert_same_snapshot(before, snapshot(stored))


def test_provider_failure_with_nothing_stored_raises(store: Store, rotascope_home: Path) -> None:
    provider = FakeProvider(history([1.0]), fail=ProviderError("stooq:^spx: HTTP 429"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ProviderError, match="HTTP 429"):
            refresh(store, provider, "^spx")
    assert store.names() == []
    assert not (rotascope_home / "store.duckdb").exists()


def test_provider_failure_for_another_name_raises(stored: Store) -> None:
    before = snapshot(stored)
    provider = FakeProvider(history([1.0]), fail=ProviderError("HTTP 500"))
    with pytest.raises(ProviderError):
        refresh(stored, provider, "^spx", name="not-stored")
    assert_same_snapshot(before, snapshot(stored))


def _bad_values() -> FakeProvider:
    truth = history(np.arange(1.0, 49.0))
    truth.iloc[-1] = np.nan
    return FakeProvider(truth)


def _negative_price() -> FakeProvider:
    truth = history(np.arange(1.0, 49.0))
    truth.iloc[-2] = -1.0
    return FakeProvider(truth)


@pytest.mark.parametrize(
    ("make_provider", "full", "error", "message"),
    [
        (
            lambda: FakeProvider(history([1.0]), fail=InputError("stooq: unknown symbol '^spx'")),
            False,
            InputError,
            "unknown symbol",
        ),
        (_bad_values, False, InputError, r"\^spx: row 13 \(2026-07-18\): missing"),
        (_bad_values, True, InputError, "missing or non-finite value"),
        (_negative_price, False, InputError, "non-positive price -1"),
        (
            lambda: FakeProvider(history(np.arange(1.0, 49.0)), kind="return"),
            False,
            InputError,
            "cannot merge return/daily values into stored price/daily",
        ),
    ],
)
def test_store_is_unchanged_after_failures(
    stored: Store, make_provider, full: bool, error: type[Exception], message: str
) -> None:
    before = snapshot(stored)
    with pytest.raises(error, match=message):
        refresh(stored, make_provider(), "^spx", full=full)
    assert_same_snapshot(before, snapshot(stored))


class DiskFull(duckdb.IOException):
    """Stands in for an I/O failure inside DuckDB."""


@pytest.mark.parametrize("full", [False, True])
def test_store_is_unchanged_after_a_failed_store_write(
    stored: Store, monkeypatch: pytest.MonkeyPatch, full: bool
) -> None:
    before = snapshot(stored)

    def fail(*args: object, **kwargs: object) -> None:
        raise DiskFull("IO Error: No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_insert_rows", fail)
        with pytest.raises(StoreError, match="No space left on device"):
            refresh(stored, FakeProvider(history(np.arange(1.0, 49.0))), "^spx", full=full)
    assert_same_snapshot(before, snapshot(stored))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"overlap_days": -1}, "overlap_days must be a whole number >= 0"),
        ({"overlap_days": 1.5}, "overlap_days must be a whole number >= 0"),
        ({"start": "2026-07-10", "end": "2026-07-01"}, "start 2026-07-10 is after end 2026-07-01"),
        ({"start": "soon"}, "start must be a date"),
        ({"name": ""}, "series name must be a non-empty string"),
    ],
)
def test_bad_arguments(stored: Store, kwargs: dict, message: str) -> None:
    provider = FakeProvider(history([1.0]))
    with pytest.raises(InputError, match=message):
        refresh(stored, provider, "^spx", **kwargs)
    assert provider.calls == []
