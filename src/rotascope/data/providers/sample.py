"""Embedded offline sample: real public data shipped inside packages rotascope depends on.

Nothing is downloaded: the values come from data files installed with ``arch`` (``arch.data``:
S&P 500 and NASDAQ Composite daily prices 1999-2018, VIX 2014-2019, Moody's AAA/BAA yields and
core CPI, monthly Fama-French factors 1926-2018) and ``linearmodels``
(``linearmodels.datasets.french``: monthly factors, 12 industry portfolios and 3x3 size/value and
size/momentum portfolios, 1949-2017). Every series keeps its source (``sample:<module> [<column>]``)
so a reader can check it.

The data files are read straight from the installed packages (located with
:func:`importlib.util.find_spec`, which does not import them: importing ``arch`` or
``linearmodels`` takes seconds) with rotascope's own parsers; a test checks that the values equal
what the packages' ``load()`` functions return.

Units as the packages ship them: arch's prices in index points, yields and VIX as printed by FRED
(percent, index points), arch's Fama-French factors in percent (converted here to fractions, and
its broken index, ``YYYYMM`` integers read as nanoseconds, converted to month-start dates), and
linearmodels' returns already in fractions.
"""

from __future__ import annotations

import bz2
import difflib
import gzip
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO

import pandas as pd

from rotascope.data.formats.csv_layouts import parse_csv_text
from rotascope.data.formats.french import parse_french_csv
from rotascope.data.series import Frequency, Kind, SeriesMeta, TimeSeries
from rotascope.data.validate import validate_values
from rotascope.errors import InputError, ProviderError

__all__ = ["SAMPLE_SYMBOLS", "SampleProvider"]

_OFFLINE = "embedded offline sample data"


@dataclass(frozen=True)
class _Sample:
    symbol: str
    module: str  # the package module whose load() returns these data (named in ``source``)
    file: str  # the data file, relative to the module's folder
    column: str
    kind: Kind
    frequency: Frequency
    units: str
    what: str
    yyyymm: bool = False  # arch's frenchdata: YYYYMM dates and percents, a French-library table
    plus: str = ""  # a second column added to the first (market total return = MktRF + RF)

    @property
    def label(self) -> str:
        """The column(s) the values come from, as shown in ``source``."""
        return f"{self.column} + {self.plus}" if self.plus else self.column


_ARCH_FF = "arch.data.frenchdata"
_LM_FF = "linearmodels.datasets.french"
_LM_FILE = "french.csv.bz2"

_INDUSTRIES = (
    ("NoDur", "consumer non-durables"),
    ("Durbl", "consumer durables"),
    ("Manuf", "manufacturing"),
    ("Enrgy", "energy"),
    ("Chems", "chemicals"),
    ("BusEq", "business equipment"),
    ("Telcm", "telecoms"),
    ("Utils", "utilities"),
    ("Shops", "retail"),
    ("Hlth", "health care"),
    ("Money", "finance"),
    ("Other", "other industries"),
)
_SIZE = MappingProxyType({"1": "small", "3": "mid-size", "5": "large"})
_VALUE = MappingProxyType(
    {"1": "growth (low BE/ME)", "3": "neutral BE/ME", "5": "value (high BE/ME)"}
)
_MOMENTUM = MappingProxyType({"1": "losers", "3": "neutral prior return", "5": "winners"})


def _catalogue() -> tuple[_Sample, ...]:
    samples = [
        _Sample(
            "sp500",
            "arch.data.sp500",
            "sp500.csv.gz",
            "Adj Close",
            "price",
            "daily",
            "index points",
            "S&P 500 index, daily adjusted close 1999-2018",
        ),
        _Sample(
            "nasdaq",
            "arch.data.nasdaq",
            "nasdaq.csv.gz",
            "Adj Close",
            "price",
            "daily",
            "index points",
            "NASDAQ Composite index, daily adjusted close 1999-2018",
        ),
        _Sample(
            "vix",
            "arch.data.vix",
            "vix.csv.gz",
            "vix",
            "macro",
            "daily",
            "index points",
            "CBOE VIX volatility index, daily 2014 to January 2019",
        ),
        _Sample(
            "aaa",
            "arch.data.default",
            "default.csv.gz",
            "AAA",
            "macro",
            "monthly",
            "percent",
            "Moody's seasoned AAA corporate bond yield, monthly 1919-2018",
        ),
        _Sample(
            "baa",
            "arch.data.default",
            "default.csv.gz",
            "BAA",
            "macro",
            "monthly",
            "percent",
            "Moody's seasoned BAA corporate bond yield, monthly 1919-2018",
        ),
        _Sample(
            "core-cpi",
            "arch.data.core_cpi",
            "core-cpi.csv.gz",
            "CPILFESL",
            "macro",
            "monthly",
            "index 1982-84=100",
            "US CPI less food and energy (CPILFESL), monthly 1957-2018",
        ),
    ]
    for sym, col, what in (
        ("mkt", "MktRF", "market excess return (Mkt-RF)"),
        ("smb", "SMB", "size factor SMB (small minus big)"),
        ("hml", "HML", "value factor HML (high minus low BE/ME)"),
        ("mom", "Mom", "momentum factor (winners minus losers)"),
        ("rf", "RF", "one-month T-bill return"),
    ):
        samples.append(
            _Sample(
                f"ff-{sym}",
                _LM_FF,
                _LM_FILE,
                col,
                "return",
                "monthly",
                "fraction",
                f"Fama-French {what}, monthly 1949-2017",
            )
        )
    samples.append(
        _Sample(
            "ff-mkt-total",
            _LM_FF,
            _LM_FILE,
            "MktRF",
            "return",
            "monthly",
            "fraction",
            "Fama-French value-weighted US market total return (Mkt-RF + RF), monthly 1949-2017",
            plus="RF",
        )
    )
    for sym, col, what in (
        ("mkt", "Mkt-RF", "market excess return (Mkt-RF)"),
        ("smb", "SMB", "size factor SMB"),
        ("hml", "HML", "value factor HML"),
        ("rf", "RF", "one-month T-bill return"),
    ):
        samples.append(
            _Sample(
                f"ff3-{sym}",
                _ARCH_FF,
                "frenchdata.csv.gz",
                col,
                "return",
                "monthly",
                "fraction",
                f"Fama-French {what}, monthly 1926-2018 (older vintage)",
                yyyymm=True,
            )
        )
    for col, what in _INDUSTRIES:
        samples.append(
            _Sample(
                f"ind-{col.lower()}",
                _LM_FF,
                _LM_FILE,
                col,
                "return",
                "monthly",
                "fraction",
                f"12-industry portfolio: {what}, monthly return 1949-2017",
            )
        )
    for s in "135":
        for v in "135":
            samples.append(
                _Sample(
                    f"s{s}v{v}",
                    _LM_FF,
                    _LM_FILE,
                    f"S{s}V{v}",
                    "return",
                    "monthly",
                    "fraction",
                    f"{_SIZE[s]} {_VALUE[v]} portfolio, monthly return 1949-2017",
                )
            )
    for s in "135":
        for m in "135":
            samples.append(
                _Sample(
                    f"s{s}m{m}",
                    _LM_FF,
                    _LM_FILE,
                    f"S{s}M{m}",
                    "return",
                    "monthly",
                    "fraction",
                    f"{_SIZE[s]} {_MOMENTUM[m]} portfolio, monthly return 1949-2017",
                )
            )
    return tuple(samples)


_SAMPLES: tuple[_Sample, ...] = _catalogue()
_BY_SYMBOL: Mapping[str, _Sample] = MappingProxyType({s.symbol: s for s in _SAMPLES})

#: Symbol -> description of every embedded sample series (read-only).
SAMPLE_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {s.symbol: f"{s.what} ({_OFFLINE}, {s.module.split('.')[0]} package)" for s in _SAMPLES}
)


def _data_file(sample: _Sample) -> Path:
    """Locate a sample's data file without importing its (slow to import) package."""
    top, *parts = sample.module.split(".")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        raise ProviderError(
            f"sample: the {top} package is not installed (pip install {top}); "
            f"needed for {sample.symbol}"
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts, sample.file)
    if not path.is_file():
        raise ProviderError(f"sample: {path} is missing from the installed {top} package")
    return path


def _read_text(path: Path) -> str:
    openers: dict[str, Callable[..., IO[str]]] = {".gz": gzip.open, ".bz2": bz2.open}
    opener = openers.get(path.suffix)
    if opener is None:
        return path.read_text(encoding="utf-8")
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read()


def _load(sample: _Sample) -> pd.Series:
    """Read, parse and validate one sample series (nothing is cached)."""
    path = _data_file(sample)
    text = _read_text(path)
    origin = f"sample:{sample.module} ({path})"
    if sample.yyyymm:
        # Ken French table: YYYYMM dates, percents. arch's own loader reads these dates as
        # nanoseconds since 1970; parse_french_csv gives month-start dates and fractions.
        (section,) = parse_french_csv(text, origin=origin)
        values = section.frame[sample.column]
        values = values[values.notna()]
    else:
        # blank (".") VIX rows on exchange holidays are dropped by the macro kind
        values, _ = parse_csv_text(text, origin=origin, column=sample.column, kind=sample.kind)
        if sample.plus:
            other, _ = parse_csv_text(text, origin=origin, column=sample.plus, kind=sample.kind)
            # round away the binary noise of the sum (0.0023 + 0.001 -> 0.0033)
            values = (values + other).round(10)
    values = values.rename(None)
    values.index.name = "date"
    return values


def _unknown(symbol: str) -> InputError:
    known = list(SAMPLE_SYMBOLS)
    close = difflib.get_close_matches(symbol.lower(), known, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    shown = ", ".join(known[:12])
    return InputError(
        f"sample: unknown symbol {symbol!r}{hint}; known: {shown}, ... "
        f"({len(known)} in all; also ind-*, s[135]v[135], s[135]m[135])"
    )


class SampleProvider:
    """Provider of the embedded offline sample series (see :data:`SAMPLE_SYMBOLS`).

    Examples
    --------
    >>> ts = SampleProvider().fetch("sp500", start=pd.Timestamp("2018-01-01"))
    >>> ts.meta.source, str(ts.last_date.date())
    ('sample:arch.data.sp500 [Adj Close]', '2018-12-31')
    """

    name: str = "sample"

    def __repr__(self) -> str:
        return "SampleProvider()"

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return the sample series ``symbol`` with ``start <= date <= end`` (bounds optional).

        Parameters
        ----------
        symbol : str
            One of :data:`SAMPLE_SYMBOLS` (case-insensitive).
        start, end : pandas.Timestamp, optional
            Inclusive bounds.

        Raises
        ------
        InputError
            Unknown symbol; the message lists known symbols.
        """
        sample = _BY_SYMBOL.get(symbol.strip().lower())
        if sample is None:
            raise _unknown(symbol)
        origin = f"sample:{sample.module} [{sample.label}]"
        values = validate_values(_load(sample), kind=sample.kind, origin=origin)
        meta = SeriesMeta(
            name=sample.symbol,
            kind=sample.kind,
            frequency=sample.frequency,
            units=sample.units,
            source=origin,
            symbol=sample.symbol,
        )
        return TimeSeries(values, meta).between(start, end)
