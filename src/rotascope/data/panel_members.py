"""Segment members for breadth: from holdings files, with their as-of date, weights and sectors.

Reads the issuer layouts of :func:`rotascope.data.holdings.read_holdings` (iShares CSV, SPDR
``.xlsx`` or CSV) and plain ``segment,ticker[,weight]`` CSV files
(:func:`rotascope.data.holdings.parse_membership_csv`, one :class:`SegmentMembers` per segment,
no as-of date). The survivorship caveat is stated here once, for every output to quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rotascope.data.holdings import parse_membership_csv, read_holdings, read_text
from rotascope.errors import InputError

__all__ = ["SegmentMembers", "read_members", "survivorship_caveat"]

_FUND = re.compile(r"^([A-Za-z]{1,6})[_-]holdings", re.IGNORECASE)


@dataclass(frozen=True)
class SegmentMembers:
    """The members of one segment on one date.

    Attributes
    ----------
    segment : str
        Segment name (the fund ticker, ``"IWM"``, or the name a universe file gives).
    display : str
        How outputs name it (``"iShares Russell 2000 ETF"``).
    as_of : Timestamp or None
        Membership date (the holdings date); None when the file states none.
    frame : pandas.DataFrame
        ``ticker, name, sector, weight`` (weight a fraction summing to 1).
    source : str
        The file read.
    """

    segment: str
    display: str
    as_of: pd.Timestamp | None
    frame: pd.DataFrame
    source: str

    @property
    def tickers(self) -> list[str]:
        """Member tickers, largest weight first."""
        return list(self.frame["ticker"])


def survivorship_caveat(members: SegmentMembers, first: pd.Timestamp) -> str:
    """One line stating the membership date and, when history starts before it, the caveat.

    Examples
    --------
    ``Members: iShares Russell 2000 ETF holdings as of 2026-05-05; before that date breadth is
    measured on those members (survivorship: stocks that left the index are missing).``
    """
    when = "with no stated date" if members.as_of is None else f"as of {members.as_of:%Y-%m-%d}"
    line = f"Members: {members.display} holdings {when}"
    if members.as_of is None or first < members.as_of:
        line += ("; before that date breadth is measured on those members "
                 "(survivorship: stocks that left the index are missing)")  # fmt: skip
    return line + "."


def read_members(path: str | Path, segment: str | None = None) -> list[SegmentMembers]:
    """Read the segments of a holdings file (one) or of a plain membership CSV (one per segment).

    Parameters
    ----------
    path : str or Path
        An iShares or SPDR holdings file, or a ``segment,ticker[,weight]`` CSV.
    segment : str, optional
        Name of the segment (holdings files; default: the fund ticker from the file name, e.g.
        ``IWM`` for ``IWM_holdings_2026-05-05.csv``, else the file name). For a plain CSV it
        selects that segment.

    Raises
    ------
    InputError
        Unreadable file or layout (one line naming the file and line), or an unknown segment.
    """
    p = Path(path).expanduser()
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        text, origin = read_text(p)
        head = text.lstrip("\ufeff").lstrip().split("\n", 1)[0].lower()
        if head.startswith("segment,") or ",segment," in head or head.startswith("segment;"):
            frame = parse_membership_csv(text, origin=origin)
            out = [
                SegmentMembers(
                    segment=str(seg), display=str(seg), as_of=None, source=origin,
                    frame=g.assign(name="", sector="")[["ticker", "name", "sector", "weight"]]
                    .reset_index(drop=True),
                )
                for seg, g in frame.groupby("segment", sort=False)
            ]  # fmt: skip
            if segment is not None:
                out = [m for m in out if m.segment == segment.lower()]
                if not out:
                    raise InputError(f"{origin}: no segment {segment!r}")
            return out
    match = _FUND.match(p.name)
    fund = match.group(1).upper() if match else None
    holdings = read_holdings(p, fund=fund)
    name = segment or holdings.fund or p.stem
    frame = holdings.frame[["ticker", "name", "sector", "weight"]].reset_index(drop=True)
    return [SegmentMembers(segment=name, display=holdings.fund_name or name, as_of=holdings.as_of,
                           frame=frame, source=str(path))]
