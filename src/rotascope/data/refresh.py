"""Incremental refresh of stored series from a provider, with fallback to the stored copy.

A refresh of a stored series asks the provider only for the last ``overlap_days`` calendar days
before the last stored date and onwards, then merges: new dates are added and the overlapping
dates are overwritten (providers revise recent values). A series that is not stored yet, or a
``full`` refresh, fetches everything and replaces the stored copy.

When the provider fails (:class:`~rotascope.errors.ProviderError`) and the series is stored,
the refresh does not raise: it returns the stored state with ``used_stored_copy=True`` and emits
a :class:`~rotascope.errors.RotascopeWarning`. After any failure the store holds exactly what it
held before.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from rotascope.data.providers.base import Provider
from rotascope.data.series import TimeSeries
from rotascope.data.store import DateLike, Store, check_name
from rotascope.errors import InputError, ProviderError, RotascopeWarning

__all__ = ["RefreshResult", "refresh"]


@dataclass(frozen=True)
class RefreshResult:
    """What one :func:`refresh` did.

    Parameters
    ----------
    name : str
        Name of the series in the store.
    symbol : str
        Symbol asked of the provider.
    provider : str
        The provider's name (``"stooq"``, ``"fred"``, ...).
    rows_before, rows_after : int
        Stored rows before and after the refresh (0 when the series was not stored).
    rows_fetched : int
        Rows the provider returned (0 when it failed).
    first, last : pandas.Timestamp or None
        First and last stored dates after the refresh.
    fetched_from : pandas.Timestamp or None
        The start date asked of the provider (None: from the beginning of its history).
    used_stored_copy : bool
        True when the provider failed and the stored copy was kept as is.
    warning : str or None
        The warning emitted when the stored copy was used.
    """

    name: str
    symbol: str
    provider: str
    rows_before: int
    rows_after: int
    rows_fetched: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    fetched_from: pd.Timestamp | None
    used_stored_copy: bool = False
    warning: str | None = None


def _timestamp(value: DateLike | None, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a date (got {value!r}: {exc})") from None
    if stamp is pd.NaT:
        raise InputError(f"{what} must be a date (got {value!r})")
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


def _stored_rows(store: Store, name: str) -> tuple[int, pd.Timestamp | None, pd.Timestamp | None]:
    listing = store.list()
    row = listing[listing["name"] == name]
    if row.empty:
        return 0, None, None
    first, last = row["first"].iloc[0], row["last"].iloc[0]
    return int(row["rows"].iloc[0]), pd.Timestamp(first), pd.Timestamp(last)


def refresh(
    store: Store,
    provider: Provider,
    symbol: str,
    *,
    name: str | None = None,
    overlap_days: int = 7,
    start: DateLike | None = None,
    end: DateLike | None = None,
    full: bool = False,
) -> RefreshResult:
    """Fetch ``symbol`` from ``provider`` and update the stored series.

    Parameters
    ----------
    store : Store
        The local store.
    provider : Provider
        Where to fetch from.
    symbol : str
        The provider's symbol (``"^spx"``, ``"DGS2"``, ...).
    name : str, optional
        Name of the stored series; ``symbol`` when omitted.
    overlap_days : int, default 7
        Calendar days before the last stored date that an incremental refresh fetches again,
        to pick up revised values.
    start : date-like, optional
        First date to fetch for a full refresh (or a series not stored yet). For an incremental
        refresh the fetch starts at ``min(start, last stored date - overlap_days)``, so the stored
        history never gets a gap.
    end : date-like, optional
        Last date to fetch.
    full : bool, default False
        Fetch everything from ``start`` and replace the stored series.

    Returns
    -------
    RefreshResult

    Raises
    ------
    ProviderError
        The provider failed and nothing is stored under ``name`` to fall back to.
    InputError
        Bad arguments, an unknown symbol, invalid values, or an empty answer for a series that
        is not stored (or a ``full`` refresh).
    StoreError
        The store could not be read or written.

    Warns
    -----
    RotascopeWarning
        The provider failed and the stored copy is used.

    Notes
    -----
    The metadata written comes from the provider's answer, renamed to ``name`` and stamped
    with the current UTC time as ``fetched_at``. Whatever fails, the store keeps exactly what it
    held before the call.
    """
    name = check_name(symbol if name is None else name)
    if isinstance(overlap_days, bool) or not isinstance(overlap_days, int) or overlap_days < 0:
        raise InputError(f"overlap_days must be a whole number >= 0 (got {overlap_days!r})")
    lo, hi = _timestamp(start, "start"), _timestamp(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"start {lo:%Y-%m-%d} is after end {hi:%Y-%m-%d}")
    provider_name = str(getattr(provider, "name", type(provider).__name__))
    origin = f"{provider_name}:{symbol}"

    rows_before, first_before, last_before = _stored_rows(store, name)
    stored = rows_before > 0
    incremental = stored and not full
    fetched_from = lo
    if incremental:
        assert last_before is not None
        fetched_from = last_before - pd.Timedelta(days=overlap_days)
        if lo is not None:
            fetched_from = min(fetched_from, lo)

    try:
        fetched = provider.fetch(symbol, fetched_from, hi)
    except ProviderError as exc:
        if not stored:
            raise
        upto = "" if last_before is None else f" up to {last_before:%Y-%m-%d}"
        message = f"{origin} failed ({exc}); using the stored copy{upto}"
        warnings.warn(message, RotascopeWarning, stacklevel=2)
        return RefreshResult(
            name=name,
            symbol=symbol,
            provider=provider_name,
            rows_before=rows_before,
            rows_after=rows_before,
            rows_fetched=0,
            first=first_before,
            last=last_before,
            fetched_from=fetched_from,
            used_stored_copy=True,
            warning=message,
        )
    if not isinstance(fetched, TimeSeries):
        raise InputError(f"{origin}: provider returned {type(fetched).__name__}, not a TimeSeries")

    if fetched.data.empty:
        if incremental:
            return RefreshResult(
                name=name,
                symbol=symbol,
                provider=provider_name,
                rows_before=rows_before,
                rows_after=rows_before,
                rows_fetched=0,
                first=first_before,
                last=last_before,
                fetched_from=fetched_from,
            )
        raise InputError(f"{origin}: no data rows")

    meta = fetched.meta.replace(
        name=name,
        symbol=fetched.meta.symbol or symbol,
        source=fetched.meta.source or origin,
        fetched_at=datetime.now(UTC).replace(microsecond=0),
    )
    written = store.write(
        TimeSeries(fetched.data, meta), mode="merge" if incremental else "replace"
    )
    return RefreshResult(
        name=name,
        symbol=symbol,
        provider=provider_name,
        rows_before=rows_before,
        rows_after=written.rows_total,
        rows_fetched=len(fetched.data),
        first=written.first,
        last=written.last,
        fetched_from=fetched_from,
    )
