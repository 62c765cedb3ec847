"""Parse each local file once per job, however many of its columns the job reads.

A report reads the same files many times: a Ken French file for five factors and for the
segments built from them, three portfolios of one file for a BE/ME composite, each factor once as
a segment and once for the factor monitor. A :class:`FileCache` belongs to one job (one
:class:`~rotascope.data.loader.DataSource`, one report build); it is never module state. Entries
are keyed by the file's absolute path, size and modification time, so a file changed on disk
is read again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar, cast

__all__ = ["FileCache"]

T = TypeVar("T")


class FileCache:
    """Memo of what was parsed from local files, for one job.

    Examples
    --------
    >>> from rotascope.data.providers.files import read_file
    >>> cache = FileCache()
    >>> smb = read_file("F-F_Research_Data_5_Factors_2x3_daily.csv", column="SMB",
    ...                 cache=cache)  # doctest: +SKIP
    >>> hml = read_file("F-F_Research_Data_5_Factors_2x3_daily.csv", column="HML",
    ...                 cache=cache)  # doctest: +SKIP
    >>> cache.misses, cache.hits  # one parse of the file, reused for HML  # doctest: +SKIP
    (3, 1)
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int, int, Hashable], object] = {}
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"FileCache(entries={len(self._entries)}, hits={self.hits}, misses={self.misses})"

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, path: Path, part: Hashable, make: Callable[[], T]) -> T:
        """Return what ``make()`` gives for ``part`` of ``path``, computing it at most once.

        Parameters
        ----------
        path : Path
            The file (must exist).
        part : hashable
            What is memoised (e.g. ``("french",)`` for the parsed sections, or the arguments of
            a read).
        make : callable
            Computes the value on a miss. Errors propagate and nothing is stored.

        Returns
        -------
        object
            The stored or new value; callers must not modify it in place.
        """
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, part)
        if key in self._entries:
            self.hits += 1
            return cast(T, self._entries[key])
        value = make()
        self.misses += 1
        self._entries[key] = value
        return value
