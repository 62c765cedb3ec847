"""What the commands share to read data: the data source of ``--data-dir`` and ``--as-of``, the
segments left out for lack of data (said once), and the two subjects of a pair command.
Names are resolved by :mod:`rotascope.pipeline.resolve`."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from rotascope.data.loader import DataSource
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import InputError, MissingDataError, RotascopeWarning
from rotascope.pipeline.resolve import resolve_subject
from rotascope.pipeline.subjects import Subject

__all__ = ["MissingSegments", "data_source", "pair_subjects"]


class MissingSegments:
    """Collects segments without data, then says so once (or fails when none has data).

    A segment whose file is bad (any :class:`InputError` other than "no data") is left out
    with its own warning naming the file and the problem, at once.

    Parameters
    ----------
    only_bad_files : bool, default False
        Segments asked for by name: a segment without any data still raises; only bad files
        are left out.
    """

    def __init__(self, only_bad_files: bool = False) -> None:
        self.names: list[str] = []
        self.bad: list[str] = []
        self.only_bad_files = only_bad_files

    def __call__(self, name: str, exc: Exception) -> None:
        if isinstance(exc, MissingDataError):
            if self.only_bad_files:
                raise exc
            self.names.append(name)
            return
        self.bad.append(name)
        warnings.warn(f"segment {name!r} left out: {exc}", RotascopeWarning, stacklevel=2)

    def report(self, universe: Universe, loaded: int) -> None:
        """Raise when nothing loaded; else one warning naming the segments left out."""
        if loaded == 0 and self.bad and not self.names:
            raise InputError(
                f"no segment of universe {universe.name!r} could be read "
                f"({len(self.bad)} left out for bad files, see the warnings)"
            )
        if not self.names:
            return
        shown = ", ".join(self.names[:8]) + (f" and {len(self.names) - 8} more" if len(self.names) > 8 else "")
        if loaded == 0:
            raise InputError(
                f"no segment of universe {universe.name!r} has data: run `rotascope data fetch` "
                "(or `--provider files --data-dir DIR`), pass --data-dir, or use --universe sample"
            )
        warnings.warn(
            f"{len(self.names)} segments of universe {universe.name!r} have no data and are left "
            f"out: {shown} (run `rotascope data fetch SEGMENT` or pass --data-dir)",
            RotascopeWarning,
            stacklevel=2,
        )


def data_source(data_dir: Path | None, as_of: pd.Timestamp | None = None) -> DataSource:
    """The data source for CLI commands: rows known on ``as_of`` only, when given."""
    if data_dir is not None and not data_dir.is_dir():
        raise InputError(f"{data_dir}: --data-dir is not a folder")
    return DataSource(data_dir=data_dir, as_of=as_of)


def pair_subjects(a: str, b: str, universe: str, data_dir: Path | None,
                  as_of: pd.Timestamp | None = None) -> tuple[Subject, Subject]:
    """Subjects A and B of a pair command (``analogs``, ``episodes``); they must differ."""
    u = load_universe(universe)
    source = data_source(data_dir, as_of)
    sa, sb = resolve_subject(a, u, source), resolve_subject(b, u, source)
    if sa.name == sb.name:
        same = f"{a!r}" if a == b else f"{a!r} and {b!r}"
        raise InputError(f"A and B must differ: {same} name the same series twice "
                         f"({sa.name!r}); a series against itself has no relative move")
    return sa, sb
