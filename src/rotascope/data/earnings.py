"""Earnings, estimate revisions and segment fundamentals from documented CSV layouts.

Layouts (header names are case-insensitive; columns may come in any order; other columns are
ignored; dates are ``YYYY-MM-DD``; blank, ``-`` or ``NA`` mean missing):

**Earnings** (one row per company and report)::

    ticker,report_date,period,eps_actual,eps_estimate,sales_actual,sales_estimate
    AAPL,2026-10-29,2026Q3,1.85,1.77,102450,101200

``report_date`` is the day the results were published (the day a report after the close belongs
to); ``period`` the fiscal period reported, free text (optional). ``eps_*`` in currency per
share, ``sales_*`` in any unit that is the same for actual and estimate (millions in the
samples). A row with a blank ``eps_actual`` and ``sales_actual`` is a scheduled report that has
not happened yet. ``sales_actual`` and ``sales_estimate`` may be left out.

**Revisions**, one of two layouts:

- events, one row per analyst estimate change::

      ticker,date,period,old,new
      AAPL,2026-11-03,0q,1.62,1.66

- counts, the number of analysts who raised (``up``) or cut (``down``) their estimate over the
  7 and 30 days before ``date`` (Yahoo's "EPS revisions" table)::

      ticker,date,period,up_7d,down_7d,up_30d,down_30d
      AAPL,2026-11-20,0q,3,0,9,1

``period`` follows yfinance's naming: ``0q`` the current fiscal quarter (the next one to be
reported), ``+1q`` the quarter after it, ``0y`` the current fiscal year, ``+1y`` the next fiscal
year.

**Fundamentals** (segment-level inputs of the scorecard, e.g. exported from a terminal)::

    segment,date,metric,value
    midcap-growth,2026-11-20,forward_pe,18.2

``metric`` is a lower-case name (letters, digits, underscores) such as ``forward_pe``,
``forward_pe_percentile_20y`` (a fraction 0-1), ``net_debt_to_ebitda``, ``debt_to_equity``,
``earnings_growth_vol``, ``share_positive_earnings`` (a fraction), ``price_vs_200d``,
``momentum_3m``, ``momentum_6m``, ``rrg_quadrant``; the same layout with ``ticker`` instead of
``segment`` holds company-level values. Rows with a blank value are skipped.

Every loader raises :class:`~rotascope.errors.InputError` with one line naming the file, the
line and the problem. Tickers are normalised (:func:`~rotascope.data.holdings.normalize_ticker`).

The sample files (made-up data in these layouts and the issuers' holdings layouts) are listed by
:func:`sample_paths` and loaded by :func:`load_sample`.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import pandas as pd

from rotascope.data.holdings import (
    Holdings,
    combine_memberships,
    normalize_ticker,
    read_holdings,
    read_membership,
    read_text,
)
from rotascope.data.universe import load_universe
from rotascope.errors import InputError

__all__ = [
    "EARNINGS_COLUMNS",
    "FUNDAMENTALS_COLUMNS",
    "PERIODS",
    "REVISION_COUNT_COLUMNS",
    "REVISION_EVENT_COLUMNS",
    "SAMPLE_AS_OF",
    "SAMPLE_FUNDS",
    "SAMPLE_LABEL",
    "EarningsSample",
    "RevisionsLayout",
    "load_sample",
    "parse_earnings_csv",
    "parse_fundamentals_csv",
    "parse_revisions_csv",
    "read_earnings",
    "read_fundamentals",
    "read_revisions",
    "sample_paths",
]

#: Columns of an earnings frame.
EARNINGS_COLUMNS: tuple[str, ...] = (
    "ticker", "report_date", "period", "eps_actual", "eps_estimate", "sales_actual",
    "sales_estimate",
)  # fmt: skip
#: Columns of a revisions frame in the events layout.
REVISION_EVENT_COLUMNS: tuple[str, ...] = ("ticker", "date", "period", "old", "new")
#: Columns of a revisions frame in the counts layout.
REVISION_COUNT_COLUMNS: tuple[str, ...] = (
    "ticker", "date", "period", "up_7d", "down_7d", "up_30d", "down_30d",
)  # fmt: skip
#: Columns of a fundamentals frame (``ticker`` replaces ``segment`` for company-level files).
FUNDAMENTALS_COLUMNS: tuple[str, ...] = ("segment", "date", "metric", "value")
#: Estimate periods, named as yfinance names them.
PERIODS: tuple[str, ...] = ("0q", "+1q", "0y", "+1y")

RevisionsLayout = Literal["events", "counts"]

_MISSING = frozenset({"", "-", "--", "na", "n/a", "nan", "null", "none"})
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")

#: What every sample file is, written into sources and report captions.
SAMPLE_LABEL = "made-up sample data shipped with rotascope, not market data"
#: The date the sample files describe.
SAMPLE_AS_OF = pd.Timestamp("2026-11-20")
#: Sample holdings files: fund ticker -> file name.
SAMPLE_FUNDS: Mapping[str, str] = MappingProxyType(
    {"IWM": "IWM_holdings.csv", "IJK": "IJK_holdings.csv", "IWB": "IWB_holdings.csv"}
)
_SAMPLE_FILES: Mapping[str, str] = MappingProxyType(
    {
        "readme": "README.md",
        "membership": "membership.csv",
        "earnings": "earnings.csv",
        "revisions": "revisions.csv",
        "fundamentals": "fundamentals.csv",
        "technicals": "technicals.csv",
        **SAMPLE_FUNDS,
    }
)


# -- generic reading --------------------------------------------------------------------------


def _records(
    text: str, origin: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: text})`` for every non-blank data row of a CSV text.

    The header is the first non-blank line; its names are matched case-insensitively.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    names: list[str] | None = None
    keep: dict[str, int] = {}
    for parts in reader:
        line = reader.line_num
        if not any(p.strip() for p in parts):
            continue
        if names is None:
            names = [p.strip().lower() for p in parts]
            missing = [c for c in required if c not in names]
            if missing:
                raise InputError(
                    f"{origin}: line {line}: missing column(s) {', '.join(missing)} "
                    f"(expected {','.join(required)})"
                )
            keep = {c: names.index(c) for c in (*required, *optional) if c in names}
            continue
        if len(parts) != len(names):
            raise InputError(
                f"{origin}: line {line}: expected {len(names)} fields as in the header, "
                f"got {len(parts)}"
            )
        yield line, {c: parts[i].strip() for c, i in keep.items()}
    if names is None:
        raise InputError(f"{origin}: empty file (expected a header {','.join(required)})")


def _float(value: str, origin: str, line: int, column: str) -> float:
    text = value.replace(",", "")
    if text.lower() in _MISSING:
        return math.nan
    try:
        out = float(text)
    except ValueError:
        raise InputError(f"{origin}: line {line}: {column} is not a number: {value!r}") from None
    if math.isinf(out):
        raise InputError(f"{origin}: line {line}: {column} is not a finite number: {value!r}")
    return out


def _count(value: str, origin: str, line: int, column: str) -> float:
    out = _float(value, origin, line, column)
    if not math.isnan(out) and (out < 0 or out != int(out)):
        raise InputError(
            f"{origin}: line {line}: {column} must be a whole number >= 0 (got {value!r})"
        )
    return out


def _date(value: str, origin: str, line: int, column: str) -> pd.Timestamp:
    if (len(value) == 10 and value.isascii() and value[4] == "-" and value[7] == "-"
            and value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit()
            and 1678 <= int(value[:4]) <= 2261):
        # plain YYYY-MM-DD (nearly every row): the same Timestamp as the ISO parser below, at
        # a fraction of its cost per call; an impossible day (2026-02-30) goes the slow way
        try:
            return pd.Timestamp(datetime.datetime.fromisoformat(value))
        except ValueError:
            pass
    out: pd.Timestamp | None
    try:
        out = pd.Timestamp(pd.to_datetime(value, format="ISO8601"))
    except (ValueError, TypeError):
        out = None
    if out is None or out is pd.NaT or pd.isna(out):
        raise InputError(
            f"{origin}: line {line}: {column} is not a date like 2026-11-20: {value!r}"
        )
    if out.tzinfo is not None:
        out = out.tz_localize(None)
    return out.normalize()


def _ticker(value: str, origin: str, line: int) -> str:
    ticker = normalize_ticker(value)
    if not ticker:
        raise InputError(f"{origin}: line {line}: blank ticker")
    return ticker


def _period(value: str, origin: str, line: int) -> str:
    period = value.strip().lower()
    if period not in PERIODS:
        raise InputError(
            f"{origin}: line {line}: period must be one of: {', '.join(PERIODS)} (got {value!r})"
        )
    return period


def _no_duplicates(keys: list[tuple[object, ...]], lines: list[int], origin: str, what: str) -> None:
    seen: dict[tuple[object, ...], int] = {}
    for key, line in zip(keys, lines, strict=True):
        if key in seen:
            shown = ", ".join(
                k.date().isoformat() if isinstance(k, pd.Timestamp) else str(k) for k in key
            )
            raise InputError(
                f"{origin}: line {line}: {what} ({shown}) repeats line {seen[key]}"
            )
        seen[key] = line


def _frame(rows: list[dict[str, object]], columns: Sequence[str], dates: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for col in dates:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    return frame


# -- earnings -----------------------------------------------------------------------------------


def parse_earnings_csv(text: str, *, origin: str) -> pd.DataFrame:
    """Parse an earnings CSV (layout in the module notes).

    Returns
    -------
    pandas.DataFrame
        :data:`EARNINGS_COLUMNS`; ``report_date`` datetime64 (tz-naive), numbers float64 with
        NaN for missing, ``period`` a string (``""`` when absent); sorted by report date and
        ticker.

    Raises
    ------
    InputError
        Missing columns, a bad date or number, a repeated (ticker, report_date); naming the line.
    """
    rows: list[dict[str, object]] = []
    lines: list[int] = []
    numbers = ("eps_actual", "eps_estimate", "sales_actual", "sales_estimate")
    for line, rec in _records(
        text, origin, ("ticker", "report_date", "eps_actual", "eps_estimate"),
        ("period", "sales_actual", "sales_estimate"),
    ):  # fmt: skip
        row: dict[str, object] = {
            "ticker": _ticker(rec["ticker"], origin, line),
            "report_date": _date(rec["report_date"], origin, line, "report_date"),
            "period": rec.get("period", ""),
        }
        for col in numbers:
            row[col] = _float(rec.get(col, ""), origin, line, col)
        rows.append(row)
        lines.append(line)
    _no_duplicates(
        [(r["ticker"], r["report_date"]) for r in rows], lines, origin, "ticker and report_date"
    )
    frame = _frame(rows, EARNINGS_COLUMNS, ("report_date",))
    frame[list(numbers)] = frame[list(numbers)].astype("float64")
    frame["period"] = frame["period"].astype(str)
    return frame.sort_values(["report_date", "ticker"], kind="mergesort").reset_index(drop=True)


def read_earnings(path: str | Path) -> pd.DataFrame:
    """Read an earnings CSV file (see :func:`parse_earnings_csv`)."""
    text, origin = read_text(path)
    return parse_earnings_csv(text, origin=origin)


# -- revisions ----------------------------------------------------------------------------------


def parse_revisions_csv(text: str, *, origin: str) -> pd.DataFrame:
    """Parse a revisions CSV in the events or the counts layout (module notes).

    Returns
    -------
    pandas.DataFrame
        :data:`REVISION_EVENT_COLUMNS` (``old``, ``new`` float64) or
        :data:`REVISION_COUNT_COLUMNS` (counts float64, NaN when blank); ``date`` datetime64;
        sorted by date, ticker and period. The header decides the layout.

    Raises
    ------
    InputError
        A header with neither ``old,new`` nor the four count columns, a bad date, period, number
        or count (negative or fractional), a repeated (ticker, date, period) in the counts
        layout; naming the line.
    """
    head = next((ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()), "")
    names = {p.strip().lower() for p in next(csv.reader([head]), [])}
    if {"old", "new"} <= names:
        layout: RevisionsLayout = "events"
        columns = REVISION_EVENT_COLUMNS
        convert: Callable[[str, str, int, str], float] = _float
    elif {"up_7d", "down_7d", "up_30d", "down_30d"} <= names:
        layout = "counts"
        columns = REVISION_COUNT_COLUMNS
        convert = _count
    else:
        raise InputError(
            f"{origin}: line 1: a revisions file needs the columns ticker,date,period,old,new "
            "or ticker,date,period,up_7d,down_7d,up_30d,down_30d"
        )
    values = columns[3:]
    rows: list[dict[str, object]] = []
    lines: list[int] = []
    for line, rec in _records(text, origin, columns):
        row: dict[str, object] = {
            "ticker": _ticker(rec["ticker"], origin, line),
            "date": _date(rec["date"], origin, line, "date"),
            "period": _period(rec["period"], origin, line),
        }
        for col in values:
            row[col] = convert(rec[col], origin, line, col)
        rows.append(row)
        lines.append(line)
    if layout == "counts":
        _no_duplicates(
            [(r["ticker"], r["date"], r["period"]) for r in rows], lines, origin,
            "ticker, date and period",
        )  # fmt: skip
    frame = _frame(rows, columns, ("date",))
    frame[list(values)] = frame[list(values)].astype("float64")
    return frame.sort_values(["date", "ticker", "period"], kind="mergesort").reset_index(drop=True)


def read_revisions(path: str | Path) -> pd.DataFrame:
    """Read a revisions CSV file (see :func:`parse_revisions_csv`)."""
    text, origin = read_text(path)
    return parse_revisions_csv(text, origin=origin)


# -- fundamentals -------------------------------------------------------------------------------


def parse_fundamentals_csv(text: str, *, origin: str) -> pd.DataFrame:
    """Parse a fundamentals CSV ``segment,date,metric,value`` (or ``ticker,...``).

    Returns
    -------
    pandas.DataFrame
        ``segment`` (or ``ticker``), ``date``, ``metric``, ``value`` (float64); rows with a
        blank value left out; sorted by the first column, metric and date.

    Raises
    ------
    InputError
        Neither a ``segment`` nor a ``ticker`` column, a bad date, metric name or number, or a
        repeated (segment, date, metric); naming the line.
    """
    head = next((ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()), "")
    names = [p.strip().lower() for p in next(csv.reader([head]), [])]
    key = "segment" if "segment" in names else "ticker" if "ticker" in names else "segment"
    columns = (key, "date", "metric", "value")
    rows: list[dict[str, object]] = []
    lines: list[int] = []
    for line, rec in _records(text, origin, columns):
        entity = rec[key].strip()
        if not entity:
            raise InputError(f"{origin}: line {line}: blank {key}")
        metric = rec["metric"].strip().lower()
        if not _METRIC.match(metric):
            raise InputError(
                f"{origin}: line {line}: metric must be a lower-case name of letters, digits "
                f"and underscores (got {rec['metric']!r})"
            )
        value = _float(rec["value"], origin, line, "value")
        row = {
            key: normalize_ticker(entity) if key == "ticker" else entity.lower(),
            "date": _date(rec["date"], origin, line, "date"),
            "metric": metric,
            "value": value,
        }
        rows.append(row)
        lines.append(line)
    _no_duplicates(
        [(r[key], r["date"], r["metric"]) for r in rows], lines, origin, f"{key}, date and metric"
    )
    frame = _frame(rows, columns, ("date",))
    frame["value"] = frame["value"].astype("float64")
    frame = frame[frame["value"].notna()]
    return frame.sort_values([key, "metric", "date"], kind="mergesort").reset_index(drop=True)


def read_fundamentals(path: str | Path) -> pd.DataFrame:
    """Read a fundamentals CSV file (see :func:`parse_fundamentals_csv`)."""
    text, origin = read_text(path)
    return parse_fundamentals_csv(text, origin=origin)


# -- samples ------------------------------------------------------------------------------------


def sample_paths() -> dict[str, Path]:
    """Paths of the sample files shipped in ``rotascope/data/samples/earnings/``.

    Returns
    -------
    dict
        ``readme``, ``membership``, ``earnings``, ``revisions``, ``fundamentals``,
        ``technicals`` and one entry per fund of :data:`SAMPLE_FUNDS` (``IWM``, ``IJK``,
        ``IWB``). Every file holds made-up values (:data:`SAMPLE_LABEL`); the README in the
        folder describes them.
    """
    folder = resources.files("rotascope.data") / "samples" / "earnings"
    base = Path(str(folder))
    if not base.is_dir():  # pragma: no cover - only for zipped installs
        raise InputError(f"the sample folder {base} is missing from this installation")
    return {key: base / name for key, name in _SAMPLE_FILES.items()}


@dataclass(frozen=True, eq=False)
class EarningsSample:
    """The sample files, loaded.

    Attributes
    ----------
    holdings : mapping
        Segment name -> :class:`~rotascope.data.holdings.Holdings` of the sample funds (IWM for
        ``small-caps``, IJK for ``midcap-growth``, IWB for ``russell-1000`` in the ``us``
        universe).
    membership : pandas.DataFrame
        ``segment, ticker, weight``: the holdings files' members plus ``membership.csv``.
    earnings, revisions, fundamentals, technicals : pandas.DataFrame
        As returned by :func:`read_earnings`, :func:`read_revisions` and
        :func:`read_fundamentals`.
    as_of : pandas.Timestamp
        The date the sample describes (:data:`SAMPLE_AS_OF`).
    label : str
        :data:`SAMPLE_LABEL`.
    paths : mapping
        :func:`sample_paths`.
    """

    holdings: Mapping[str, Holdings]
    membership: pd.DataFrame
    earnings: pd.DataFrame
    revisions: pd.DataFrame
    fundamentals: pd.DataFrame
    technicals: pd.DataFrame
    as_of: pd.Timestamp
    label: str
    paths: Mapping[str, Path]

    def source(self, key: str) -> str:
        """A source string for facts and captions: ``"sample:<file> (made-up ...)"``."""
        return f"sample:{self.paths[key].name} ({self.label})"


def load_sample(universe: str | Path = "us") -> EarningsSample:
    """Load every sample file, with the funds mapped to segments of ``universe``.

    Parameters
    ----------
    universe : str or Path, default "us"
        The universe whose segment aliases name the sample funds (``iwm`` -> ``small-caps``).

    Raises
    ------
    InputError
        When a sample fund is not an alias of a segment of ``universe``.
    """
    paths = sample_paths()
    uni = load_universe(universe)
    holdings = {
        uni.segment(fund).name: read_holdings(paths[fund], fund=fund) for fund in SAMPLE_FUNDS
    }
    membership = combine_memberships(
        [*(h.membership(seg) for seg, h in holdings.items()), read_membership(paths["membership"])]
    )
    return EarningsSample(
        holdings=MappingProxyType(holdings),
        membership=membership,
        earnings=read_earnings(paths["earnings"]),
        revisions=read_revisions(paths["revisions"]),
        fundamentals=read_fundamentals(paths["fundamentals"]),
        technicals=read_fundamentals(paths["technicals"]),
        as_of=SAMPLE_AS_OF,
        label=SAMPLE_LABEL,
        paths=MappingProxyType(paths),
    )
