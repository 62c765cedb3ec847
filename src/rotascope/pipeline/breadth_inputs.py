"""Resolve the inputs of a breadth scan: a panel and segments, from options or a universe file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rotascope.data.panel import PanelReader
from rotascope.data.panel_members import SegmentMembers, read_members
from rotascope.data.panel_readers import open_panel
from rotascope.data.universe import Universe
from rotascope.errors import InputError

__all__ = ["breadth_inputs"]


def _path(text: str, data_dir: Path | None) -> str | Path:
    if text.startswith("store:"):  # a panel of the panel store, not a file
        return text
    p = Path(text).expanduser()
    return p if p.is_absolute() or data_dir is None else data_dir / p


def breadth_inputs(
    prices: str | Path | None,
    members: Sequence[str | Path],
    universe: Universe | None = None,
    data_dir: Path | None = None,
) -> tuple[PanelReader, list[SegmentMembers]] | None:
    """The panel and the segments to scan; None when neither options nor universe name any.

    ``prices`` and ``members`` (holdings files; a plain ``segment,ticker`` CSV may hold several
    segments) win over the universe's ``[breadth]`` table, whose paths are relative to
    ``data_dir``.

    Raises
    ------
    InputError
        Only one of ``prices`` and ``members`` given, a segment named twice, unreadable files.
    """
    if prices is not None or members:
        if prices is None or not members:
            raise InputError("breadth needs both --prices (a panel) and --members (holdings)")
        panel = open_panel(prices)
        segments = [s for m in members for s in read_members(m)]
    elif universe is not None and universe.breadth is not None:
        settings = universe.breadth
        panel = open_panel(_path(settings.prices, data_dir))
        segments = []
        for ref in settings.segments:
            found = read_members(Path(_path(ref.members, data_dir)))
            if len(found) != 1:
                raise InputError(f"{ref.members}: holds {len(found)} segments; name one file per "
                                 f"[[breadth.segments]] entry")  # fmt: skip
            display = ref.display or (universe.segment(ref.segment).display
                                      if universe.has_segment(ref.segment) else found[0].display)
            segments.append(replace(found[0], segment=ref.segment, display=display))
    else:
        return None
    names = [s.segment for s in segments]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise InputError(f"segment {twice!r} is given twice (two holdings files of one fund?)")
    return panel, segments
