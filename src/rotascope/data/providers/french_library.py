"""Ken French data library: zipped CSV files of factor and portfolio returns.

Symbols read ``DATASET[#COLUMN][@SECTION]``:

- ``F-F_Momentum_Factor_daily#Mom`` (the only column may be left out: ``F-F_Momentum_Factor_daily``),
- ``F-F_Research_Data_5_Factors_2x3_daily#SMB``,
- ``6_Portfolios_2x3#SMALL HiBM@Value Weight Average of BE/ME`` (a section picked by part of its
  title, case-insensitive; default the first section).

The provider downloads ``<base_url>/<DATASET>_CSV.zip`` (one CSV file inside, named like
``F-F_Momentum_Factor_daily.CSV``) and parses it with
:func:`rotascope.data.formats.french.parse_french_csv`. Percent sections become kind ``"return"``
in fractions (0.01 = 1%); BE/ME and the other ratio sections become kind ``"valuation"``. Rows
the library marks missing (``-99.99``, ``-999``) are dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from rotascope.data.fetch import as_timestamp, clip_range
from rotascope.data.formats.french import FrenchSection, parse_french_csv, select_section
from rotascope.data.http import HttpClient
from rotascope.data.limits import SizeLimitError, read_zip_member
from rotascope.data.series import SeriesMeta, TimeSeries
from rotascope.data.validate import validate_values
from rotascope.errors import InputError, ProviderError

__all__ = ["FrenchLibraryProvider", "FrenchSymbol", "parse_french_symbol"]

#: Caps of a library download: the zip itself (the largest files are a few MB) and its CSV file.
MAX_ZIP_BYTES = 32 << 20
MAX_UNZIPPED_BYTES = 256 << 20
DEFAULT_BASE_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"

_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_SUFFIX = re.compile(r"(_CSV\.zip|\.zip|\.csv)$", re.IGNORECASE)


@dataclass(frozen=True)
class FrenchSymbol:
    """A parsed ``DATASET[#COLUMN][@SECTION]`` symbol."""

    dataset: str
    column: str | None = None
    section: str | None = None


def parse_french_symbol(symbol: str) -> FrenchSymbol:
    """Split ``DATASET[#COLUMN][@SECTION]`` (either order of ``#`` and ``@``).

    Parameters
    ----------
    symbol : str
        E.g. ``"6_Portfolios_2x3#SMALL HiBM@Value Weight Average of BE/ME"``.

    Returns
    -------
    FrenchSymbol
        Dataset (a trailing ``_CSV.zip`` or ``.csv`` is removed), column and section.

    Raises
    ------
    InputError
        Empty or malformed symbol.

    Examples
    --------
    >>> parse_french_symbol("F-F_Momentum_Factor_daily#Mom")
    FrenchSymbol(dataset='F-F_Momentum_Factor_daily', column='Mom', section=None)
    """
    parts = re.split(r"([#@])", symbol.strip())
    dataset = _SUFFIX.sub("", parts[0].strip())
    found: dict[str, str] = {}
    for marker, value in zip(parts[1::2], parts[2::2], strict=True):
        key = "column" if marker == "#" else "section"
        if key in found or not value.strip():
            raise InputError(
                f"french: symbol {symbol!r} must read DATASET[#COLUMN][@SECTION] "
                "(each part once, not empty)"
            )
        found[key] = value.strip()
    if not _DATASET.match(dataset):
        raise InputError(
            f"french: symbol {symbol!r} must start with a dataset name such as "
            "F-F_Research_Data_Factors_daily (letters, digits, _ - .)"
        )
    return FrenchSymbol(dataset, found.get("column"), found.get("section"))


def _kind_and_units(section: FrenchSection) -> tuple[str, str]:
    if section.percent:
        return "return", "fraction"
    title = section.title.lower()
    if "number of firms" in title:
        return "valuation", "count"
    if "market cap" in title or "firm size" in title:
        return "valuation", "USD millions"
    return "valuation", "ratio"


class FrenchLibraryProvider:
    """Factor and portfolio series from the Ken French data library.

    Parameters
    ----------
    client : HttpClient, optional
        The HTTP client (timeouts, retries); a default :class:`HttpClient` when omitted.
    max_bytes, max_unzipped : int
        Caps of the downloaded zip (32 MiB) and of its inflated CSV file (256 MiB).
    base_url : str
        Folder holding the ``*_CSV.zip`` files (tests point it at a local server).
    reuse_downloads : bool, default True
        Parse each dataset once per provider instance, so fetching SMB, HML and RMW from the same
        file downloads it once. A new provider instance downloads afresh.

    Examples
    --------
    >>> mom = FrenchLibraryProvider().fetch("F-F_Momentum_Factor_daily#Mom")  # doctest: +SKIP
    >>> mom.meta.source  # doctest: +SKIP
    'french:F-F_Momentum_Factor_daily [Mom]'
    """

    name = "french"
    #: No revision bound: the library recomputes its whole history every year.
    revision_bound: float | None = None

    def __init__(
        self,
        client: HttpClient | None = None,
        base_url: str = DEFAULT_BASE_URL,
        reuse_downloads: bool = True,
        max_bytes: int = MAX_ZIP_BYTES,
        max_unzipped: int = MAX_UNZIPPED_BYTES,
    ) -> None:
        self.client = client if client is not None else HttpClient()
        self.base_url = base_url
        self.reuse_downloads = reuse_downloads
        self.max_bytes = int(max_bytes)
        self.max_unzipped = int(max_unzipped)
        self._parsed: dict[str, list[FrenchSection]] = {}

    def __repr__(self) -> str:
        return f"FrenchLibraryProvider(base_url={self.base_url!r})"

    def url(self, dataset: str) -> str:
        """Address of a dataset's zip file."""
        return f"{self.base_url.rstrip('/')}/{quote(dataset)}_CSV.zip"

    def fetch_sections(self, dataset: str) -> list[FrenchSection]:
        """Download and parse every section of ``dataset``.

        Parameters
        ----------
        dataset : str
            Dataset name, e.g. ``"6_Portfolios_2x3"`` (a ``#COLUMN``/``@SECTION`` suffix is
            ignored).

        Returns
        -------
        list of FrenchSection
            In file order; percent sections already in fractions.

        Raises
        ------
        ProviderError
            Unknown dataset (HTTP 404), network faults after the last retry, HTML or truncated
            bodies, a zip without a CSV file.
        InputError
            The CSV file does not parse.
        """
        name = parse_french_symbol(dataset).dataset
        if self.reuse_downloads and name in self._parsed:
            return list(self._parsed[name])
        origin = f"french:{name}"
        blob = self.client.get_bytes(self.url(name), origin=origin, expect="zip",
                                     max_bytes=self.max_bytes, max_unzipped=self.max_unzipped)
        text, member = _read_zip(blob, name, origin, self.max_unzipped)
        sections = parse_french_csv(text, origin=f"{origin} ({member})")
        if self.reuse_downloads:
            self._parsed[name] = sections
        return list(sections)

    def fetch(
        self,
        symbol: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> TimeSeries:
        """Return one column of one section of a dataset, with ``start <= date <= end``.

        Parameters
        ----------
        symbol : str
            ``DATASET[#COLUMN][@SECTION]``; the column may be left out when the section has one.
        start, end : Timestamp, optional
            Inclusive date bounds (monthly rows are dated the first day of the month).

        Returns
        -------
        TimeSeries
            kind ``"return"`` (fractions) for percent sections, ``"valuation"`` otherwise;
            source ``"french:<DATASET> [<COLUMN>]"``, followed by ``@<section title>`` when the
            file has several sections.

        Raises
        ------
        InputError
            Malformed symbol, unknown section or column (the message lists those available).
        ProviderError
            As :meth:`fetch_sections`.
        """
        parsed = parse_french_symbol(symbol)
        first = as_timestamp(start, name="start")
        last = as_timestamp(end, name="end")
        origin = f"french:{parsed.dataset}"
        sections = self.fetch_sections(parsed.dataset)
        section = select_section(sections, parsed.section, origin=origin)
        column = _choose_column(section, parsed.column, origin)
        kind, units = _kind_and_units(section)
        source = f"{origin} [{column}]"
        if len(sections) > 1:
            source += f" @{section.title or '(untitled)'}"
        values = section.frame[column].dropna()
        values = validate_values(values, kind=kind, origin=source)
        values = clip_range(values, first, last)
        meta = SeriesMeta(
            name=symbol.strip(),
            kind=kind,  # type: ignore[arg-type]
            frequency=section.frequency,
            units=units,
            source=source,
            symbol=symbol.strip(),
        )
        return TimeSeries(values.rename(column), meta)


def _choose_column(section: FrenchSection, column: str | None, origin: str) -> str:
    names = [str(c) for c in section.frame.columns]
    where = f"section {section.title!r}" if section.title else "the first section"
    if column is None:
        if len(names) == 1:
            return names[0]
        raise InputError(
            f"{origin}: {where} has several columns; add #COLUMN to the symbol, one of: "
            f"{', '.join(names)}"
        )
    if column in names:
        return column
    folded = [n for n in names if n.lower() == column.lower()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"{origin}: no column {column!r} in {where}; columns: {', '.join(names)}")


def _read_zip(blob: bytes, dataset: str, origin: str, limit: int) -> tuple[str, str]:
    """The text of the CSV file in a library zip and its member name."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".txt"))]
            if not members:
                raise ProviderError(
                    f"{origin}: the zip file holds no CSV file ({', '.join(archive.namelist())})"
                )
            exact = [m for m in members if m.rsplit("/", 1)[-1].lower() == f"{dataset.lower()}.csv"]
            member = (exact or members)[0]
            raw = read_zip_member(archive, member, limit, origin)
    except SizeLimitError as exc:
        raise ProviderError(str(exc)) from None
    except zipfile.BadZipFile as exc:  # get_bytes(expect="zip") already checked; belt and braces
        raise ProviderError(f"{origin}: truncated or corrupt zip file ({exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text, member
