"""Incremental refresh of stored series from a provider, with fallback to the stored copy.

A refresh of a stored series asks the provider only for the last ``overlap_days`` calendar days
before the last stored date and onwards, then merges: new dates are added and the overlapping
dates are overwritten (providers revise recent values). A series that is not stored yet, or a
``full`` refresh, fetches everything and replaces the stored copy.

When the provider fails (:class:`~rotascope.errors.ProviderError`) and the series is stored,
the refresh does not raise: it returns the stored state with ``used_stored_copy=True`` and emits
a :class:`~rotascope.errors.RotascopeWarning`. The same happens when an incremental answer
revises stored values by more than the provider's plausibility bound (its ``revision_bound``
attribute, 5% for the network and files providers): such an answer is more likely another symbol's prices than a revision. After any
failure the store holds exactly what it held before.

The store is closed while the provider fetches: a slow server never holds the store's lock.
:func:`refresh_many` refreshes several targets, each falling back on its own.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import pandas as pd

from rotascope.data.providers.base import Provider
from rotascope.data.series import TimeSeries
from rotascope.data.store import DateLike, Store, check_name
from rotascope.errors import (
    InputError,
    ProviderError,
    RotascopeError,
    RotascopeWarning,
    StoreError,
)
from rotascope.formatting import one_line

__all__ = [
    "DEFAULT_REVISION_BOUND",
    "RefreshResult",
    "TargetOutcome",
    "refresh",
    "refresh_many",
]

#: Largest relative change of a stored value an incremental answer of a network provider may
#: bring (5%): the ``revision_bound`` the Stooq, FRED, Yahoo and files providers declare. A
#: provider without the attribute (or with None) has no bound.
DEFAULT_REVISION_BOUND = 0.05
_SHOWN_DATES = 5


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
    store.close()  # never hold the store (and its lock) while waiting on the network
    stored = rows_before > 0
    incremental = stored and not full
    fetched_from = lo
    if incremental:
        assert last_before is not None
        fetched_from = last_before - pd.Timedelta(days=overlap_days)
        if lo is not None:
            fetched_from = min(fetched_from, lo)

    def keep_stored(message: str) -> RefreshResult:
        warnings.warn(message, RotascopeWarning, stacklevel=3)
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

    upto = "" if last_before is None else f" up to {last_before:%Y-%m-%d}"
    try:
        fetched = provider.fetch(symbol, fetched_from, hi)
    except ProviderError as exc:
        if not stored:
            raise
        return keep_stored(f"{origin} failed ({exc}); using the stored copy{upto}")
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

    bound = getattr(provider, "revision_bound", None)
    if incremental and bound is not None:
        revised = _implausible_revisions(store, name, fetched, float(bound))
        if revised:
            return keep_stored(
                f"{origin}: the answer revises {revised} by more than {float(bound):.0%} "
                f"(another symbol's prices, or a new split adjustment?); kept the stored "
                f"rows{upto}; a full refresh (`rotascope data fetch --full`) replaces them"
            )

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


def _implausible_revisions(store: Store, name: str, fetched: TimeSeries, bound: float) -> str:
    """Describe the stored values ``fetched`` changes by more than ``bound``, or ``""``.

    A price's change is relative, ``|new / old - 1|``; other kinds (returns, yields) change
    relative to the typical size of the stored overlap, ``|new - old| / median(|old|)``.
    """
    new = fetched.data
    old = store.read(name, start=new.index[0], end=new.index[-1]).data
    common = old.index.intersection(new.index)
    if common.empty:
        return ""
    before = old.loc[common].to_numpy(dtype="float64")
    after = new.loc[common].to_numpy(dtype="float64")
    ok = np.isfinite(before) & np.isfinite(after)
    if fetched.meta.kind == "price":
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.abs(after / before - 1.0)
    else:
        scale = float(np.median(np.abs(before[ok]))) if ok.any() else 0.0
        change = np.abs(after - before) / max(scale, 1e-12)
    bad = np.flatnonzero(ok & (change > bound))
    if bad.size == 0:
        return ""
    shown = ", ".join(
        f"{common[k]:%Y-%m-%d} {before[k]:.6g} -> {after[k]:.6g}" for k in bad[:_SHOWN_DATES]
    )
    more = f" and {bad.size - _SHOWN_DATES} more" if bad.size > _SHOWN_DATES else ""
    return f"{bad.size} stored value(s) ({shown}{more})"


Outcome = Literal["updated", "unchanged", "stored copy", "failed"]


@dataclass(frozen=True)
class TargetOutcome:
    """What :func:`refresh_many` did for one target.

    Parameters
    ----------
    name, provider, symbol : str
        Stored name, provider name and the provider's symbol.
    outcome : {"updated", "unchanged", "stored copy", "failed"}
        New rows stored; nothing new; the provider failed or answered something unusable and
        the stored copy is kept; failed with nothing stored to fall back to.
    result : RefreshResult or None
        The refresh's result (None when it failed).
    message : str or None
        The warning (stored copy) or the error (failed), one line.
    unavailable : bool
        A failure of the provider (network, HTTP, a payload that is not data), as opposed to a
        target that cannot be used as given (an unknown symbol, a bad payload for it).
    """

    name: str
    provider: str
    symbol: str
    outcome: Outcome
    result: RefreshResult | None = None
    message: str | None = None
    unavailable: bool = False


def refresh_many(
    store: Store,
    targets: Sequence[tuple[str, Provider, str]],
    *,
    full: bool = False,
    on_target: Callable[[str, str], None] | None = None,
) -> list[TargetOutcome]:
    """Refresh every target in turn; a failure of one never stops the others.

    Parameters
    ----------
    store : Store
        The local store (written to).
    targets : sequence of (name, provider, symbol)
        What to refresh, in order.
    full : bool, default False
        Passed to :func:`refresh`.
    on_target : callable, optional
        Called with ``(provider name, symbol)`` before each target (a progress bar).

    Returns
    -------
    list of TargetOutcome
        One per target, in order.

    Raises
    ------
    StoreError
        The store itself cannot be read or written: no later target could be stored either.

    Notes
    -----
    Beyond :func:`refresh`'s own fallback (provider faults, implausible revisions), a payload
    the provider rejects (:class:`InputError`: an HTML portal page, NaN rows, an unknown
    symbol) also keeps the stored copy, with a warning, when the target is stored.
    """
    out: list[TargetOutcome] = []
    for name, provider, symbol in targets:
        pname = str(getattr(provider, "name", type(provider).__name__))
        if on_target is not None:
            on_target(pname, symbol)
        origin = f"{pname}:{symbol}"
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RotascopeWarning)
                result = refresh(store, provider, symbol, name=name, full=full)
        except StoreError:
            raise
        except RotascopeError as exc:
            text = one_line(exc)
            if origin not in text and symbol not in text:
                text = f"{origin}: {text}"
            rows, _, last = _stored_rows(store, name) if isinstance(exc, InputError) else (0, None, None)
            if rows:
                upto = "" if last is None else f" up to {last:%Y-%m-%d}"
                message = f"{origin} failed ({text}); using the stored copy{upto}"
                warnings.warn(message, RotascopeWarning, stacklevel=2)
                out.append(TargetOutcome(name, pname, symbol, "stored copy", None, message))
            else:
                out.append(TargetOutcome(name, pname, symbol, "failed", None, text,
                                         unavailable=isinstance(exc, ProviderError)))
            continue
        except Exception as exc:  # a provider bug: name the target, go on with the others
            text = f"{origin}: {type(exc).__name__}: {one_line(exc)}"
            out.append(TargetOutcome(name, pname, symbol, "failed", None, text))
            continue
        for warning in caught:  # re-emit to the caller's filters, in order
            warnings.warn(warning.message, RotascopeWarning, stacklevel=2)
        if result.used_stored_copy:
            outcome: Outcome = "stored copy"
        else:
            outcome = "updated" if result.rows_fetched else "unchanged"
        out.append(TargetOutcome(name, pname, symbol, outcome, result, result.warning))
    return out
