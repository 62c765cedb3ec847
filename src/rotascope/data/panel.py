"""Price panels: (dates x securities) closes, read by blocks of securities without loading it all.

A panel reader knows its dates, its tickers and its source; :meth:`PanelReader.read` returns
the closes of some tickers over the first rows (those on or before an as-of date) as a float32
``(dates x tickers)`` array in Fortran order (one contiguous column per ticker, the layout the
kernels scan without a copy). Readers hold a path, not data, so that they can be sent to Dask
workers and each worker reads its own block (see :mod:`rotascope.pipeline.breadth_dask`).

Readers for each layout live in :mod:`rotascope.data.panel_readers`; :func:`open_panel` picks
one from the path.

Ticker spellings are normalised with :func:`panel_ticker` (upper case, ``.``/``/``/spaces to
``-``: ``BRK.B`` and ``BRK/B`` -> ``BRK-B``); :func:`match_tickers` also matches spellings that
differ only by the separator (iShares' ``BRKB``) when that is unambiguous.

Bad rows are not errors in a panel of thousands of stocks: a zero, negative or infinite close
(or a NaN hole between a stock's first and last close) is excluded from that stock's history by
the scan and reported once per scan by :func:`excluded_rows_warning`, naming the tickers and the
count of dates; nothing is computed from such a close. Structural problems (no date column,
unparseable, duplicated or unsorted dates, a ticker listed twice) are
:class:`~rotascope.errors.InputError` naming the file and the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rotascope.data.holdings import ISHARES_TICKERS
from rotascope.errors import InputError

__all__ = [
    "ExcludedRows",
    "PanelReader",
    "check_panel_dates",
    "compact_ticker",
    "excluded_rows_warning",
    "match_tickers",
    "panel_ticker",
    "rows_until",
]

_SEP = re.compile(r"[./\s_]+")


def panel_ticker(ticker: str) -> str:
    """Normalised spelling of a ticker: upper case, share-class separators as ``-``.

    Examples
    --------
    >>> [panel_ticker(t) for t in ("brk.b", "BRK/B", "BRK-B", " bf b ")]
    ['BRK-B', 'BRK-B', 'BRK-B', 'BF-B']
    """
    text = _SEP.sub("-", str(ticker).strip().upper()).strip("-")
    return ISHARES_TICKERS.get(text, text)


def compact_ticker(ticker: str) -> str:
    """The ticker without separators (``BRK-B`` -> ``BRKB``), to match spellings that omit them."""
    return panel_ticker(ticker).replace("-", "")


def match_tickers(wanted: Iterable[str], available: Sequence[str]) -> dict[str, str]:
    """Map each wanted ticker to the panel's spelling of it; unmatched tickers are left out.

    Exact normalised spellings match first; then spellings equal without separators
    (``BRKB`` -> ``BRK-B``), only when exactly one panel ticker has that compact form.

    Examples
    --------
    >>> match_tickers(["BRKB", "AAPL", "ZZZ"], ["AAPL", "BRK-B"])
    {'BRKB': 'BRK-B', 'AAPL': 'AAPL'}
    """
    exact = {panel_ticker(t): t for t in available}
    compact: dict[str, list[str]] = {}
    for t in available:
        compact.setdefault(compact_ticker(t), []).append(t)
    out: dict[str, str] = {}
    for w in wanted:
        key = panel_ticker(w)
        if key in exact:
            out[w] = exact[key]
            continue
        hits = compact.get(compact_ticker(w), [])
        if len(hits) == 1:
            out[w] = hits[0]
    return out


def check_panel_dates(
    dates: pd.DatetimeIndex, origin: str, lines: NDArray[np.int64] | None = None
) -> pd.DatetimeIndex:
    """Check that panel dates are valid, sorted and unique; return them normalised to days.

    Raises
    ------
    InputError
        A missing date, or a date not after the previous one, naming ``origin`` and the row
        (1-based data rows, or ``lines[i]`` of the file when given).
    """

    def where(i: int) -> str:
        return f"data row {i + 1}" if lines is None else f"line {int(lines[i])}"

    idx = pd.DatetimeIndex(dates)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    bad = np.flatnonzero(idx.isna())
    if len(bad):
        raise InputError(f"{origin}: {where(int(bad[0]))}: missing or unparseable date")
    idx = pd.DatetimeIndex(idx.normalize().astype("datetime64[ns]"))
    values = idx.asi8
    step = np.flatnonzero(np.diff(values) <= 0)
    if len(step):
        i = int(step[0]) + 1
        what = "duplicated" if values[i] == values[i - 1] else "unsorted (earlier than the row before)"
        raise InputError(f"{origin}: {where(i)}: date {idx[i]:%Y-%m-%d} is {what}")
    return pd.DatetimeIndex(idx, name="date")


def rows_until(dates: pd.DatetimeIndex, as_of: pd.Timestamp | None) -> int:
    """Number of leading rows dated on or before ``as_of`` (all rows when None)."""
    if as_of is None:
        return len(dates)
    return int(dates.searchsorted(pd.Timestamp(as_of), side="right"))


class PanelReader(Protocol):
    """What the breadth scan needs from a panel (every reader in :mod:`.panel_readers`).

    Attributes
    ----------
    source : str
        The file, folder or store name, for messages and provenance.
    dates : pandas.DatetimeIndex
        Sorted unique trading days of the panel.
    tickers : tuple of str
        Normalised tickers (:func:`panel_ticker`), unique.
    """

    @property
    def source(self) -> str: ...

    @property
    def dates(self) -> pd.DatetimeIndex: ...

    @property
    def tickers(self) -> tuple[str, ...]: ...

    def read(self, tickers: Sequence[str], rows: int) -> NDArray[np.float32]:
        """Closes of ``tickers`` over the first ``rows`` dates: float32 (rows x tickers),
        Fortran order; NaN where a ticker has no row."""
        ...


@dataclass(frozen=True)
class ExcludedRows:
    """Rows a scan left out of one ticker's history.

    ``bad`` counts zero, negative or infinite closes (``first``/``last`` their dates), ``holes``
    NaN rows between the ticker's first and last close.
    """

    ticker: str
    bad: int
    holes: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    def describe(self) -> str:
        """``DEC: 732 dates with a zero or negative close (2021-01-04 to 2023-11-29)``."""
        parts = []
        if self.bad:
            span = (f" ({self.first:%Y-%m-%d} to {self.last:%Y-%m-%d})"
                    if self.first is not None and self.last is not None else "")  # fmt: skip
            parts.append(f"{self.bad} date{'s' if self.bad != 1 else ''} with a zero or "
                         f"negative close{span}")
        if self.holes:
            parts.append(f"{self.holes} missing date{'s' if self.holes != 1 else ''} (gaps)")
        return f"{self.ticker}: {', '.join(parts)}"


def excluded_rows_warning(
    source: str, excluded: Sequence[ExcludedRows], limit: int = 25
) -> str:
    """One warning line naming every ticker with excluded rows and the count of dates.

    Up to ``limit`` tickers are spelled out (most excluded first), then ``and N more``.
    """
    ranked = sorted(excluded, key=lambda e: (-(e.bad + e.holes), e.ticker))
    shown = "; ".join(e.describe() for e in ranked[:limit])
    more = f"; and {len(ranked) - limit} more" if len(ranked) > limit else ""
    return (
        f"{source}: {len(ranked)} ticker{'s' if len(ranked) != 1 else ''} with rows excluded "
        f"from the scan (nothing is computed from them): {shown}{more}"
    )
