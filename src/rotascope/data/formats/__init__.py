"""Parsers for the file layouts rotascope reads: price/macro CSV layouts and Ken French CSV files.

Parsers take text (never paths or sockets) so that file, network and store code share them; every
problem raises :class:`~rotascope.errors.InputError` with one line naming the origin and the line
number in the file.
"""

from __future__ import annotations

from rotascope.data.formats.csv_layouts import CsvLayout, parse_csv_text, sniff_csv
from rotascope.data.formats.french import (
    FrenchSection,
    is_french_csv,
    is_percent_title,
    parse_french_csv,
    select_section,
)

__all__ = [
    "CsvLayout",
    "FrenchSection",
    "is_french_csv",
    "is_percent_title",
    "parse_csv_text",
    "parse_french_csv",
    "select_section",
    "sniff_csv",
]
