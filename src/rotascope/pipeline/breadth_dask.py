"""The breadth scan on Dask (``dask.distributed``): the same kernel per block, in the workers.

Needs the optional extra ``rotascope[dask]``. ``scheduler`` is ``"local"`` / ``"local:N"``
(start a :class:`distributed.LocalCluster` of N worker processes, one thread each, on
127.0.0.1, closed afterwards) or ``"tcp://HOST:PORT"`` (connect to a running scheduler).

The panel reader (a path and its dates and tickers, not the data) is scattered to the workers
once; each task reads its own block of tickers from the file inside the worker and runs
:func:`rotascope.pipeline.breadth.scan_block`, so prices never travel from the client. Workers
need the panel's path to be readable where they run (a shared file system for a real cluster).
Tasks return the block's per-date counts (int32) and per-series values; the client sums the
counts in block order, so results are identical to the local path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rotascope.data.panel import PanelReader
from rotascope.errors import InputError
from rotascope.kernels.breadth import BreadthScan

__all__ = ["dask_client", "dask_scan", "open_client", "parse_scheduler"]


def parse_scheduler(scheduler: str) -> tuple[str, int | str]:
    """``"local"`` -> ("local", cpu count), ``"local:3"`` -> ("local", 3), ``"tcp://h:p"`` ->
    ("tcp", "tcp://h:p").

    Raises
    ------
    InputError
        Anything else, naming the option and the accepted spellings.
    """
    text = scheduler.strip()
    if text == "local":
        return "local", os.cpu_count() or 1
    if text.startswith("local:"):
        n = text.split(":", 1)[1]
        if n.isdigit() and int(n) >= 1:
            return "local", int(n)
    if text.startswith("tcp://") and ":" in text[len("tcp://"):]:
        return "tcp", text
    raise InputError(
        f"--scheduler must be local, local:N (N workers) or tcp://HOST:PORT (got {scheduler!r})"
    )


def open_client(scheduler: str, memory_limit: str | None = None) -> tuple[Any, Any, int]:
    """Return ``(client, cluster or None, numba threads per task)`` for ``scheduler``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--scheduler needs Dask: pip install 'rotascope[dask]'"
        ) from None
    kind, arg = parse_scheduler(scheduler)
    if kind == "local":
        n = int(arg)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               host="127.0.0.1", scheduler_kwargs={"dashboard": False},
                               memory_limit=memory_limit or "auto")  # fmt: skip
        threads = max(1, (os.cpu_count() or 1) // n)
        return Client(cluster), cluster, threads
    try:
        client = Client(str(arg), timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler {arg}: cannot connect to the Dask scheduler ({exc})"
                         ) from None
    return client, None, 0


@contextmanager
def dask_client(scheduler: str, memory_limit: str | None = None) -> Iterator[tuple[Any, int]]:
    """``(client, numba threads per task)`` for ``scheduler``; a local cluster is closed on exit."""
    client, cluster, threads = open_client(scheduler, memory_limit)
    try:
        yield client, threads
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_scan(
    panel: PanelReader,
    blocks: Sequence[Sequence[str]],
    rows: int,
    scheduler: str | tuple[Any, int],
    progress: Callable[[int, int], None] | None = None,
    memory_limit: str | None = None,
) -> list[BreadthScan]:
    """Scan every block on Dask workers; return the block results in block order.

    ``scheduler`` is a scheduler string (a client is opened and closed for this call) or the
    ``(client, threads)`` of :func:`dask_client`. ``memory_limit`` (e.g. ``"1GB"``) applies to
    the workers of a local cluster started here.
    """
    if isinstance(scheduler, str):
        with dask_client(scheduler, memory_limit) as opened:
            return dask_scan(panel, blocks, rows, opened, progress)
    from distributed import as_completed

    from rotascope.pipeline.breadth import scan_block

    client, threads = scheduler
    remote = client.scatter(panel, broadcast=True)
    futures = [client.submit(scan_block, remote, list(b), rows, threads or None,
                             pure=False, key=f"breadth-block-{i}-{os.getpid()}-{id(blocks)}")
               for i, b in enumerate(blocks)]  # fmt: skip
    order = {f.key: i for i, f in enumerate(futures)}
    out: list[BreadthScan | None] = [None] * len(futures)
    for done, fut in enumerate(as_completed(futures), start=1):
        out[order[fut.key]] = fut.result()
        fut.release()
        if progress is not None:
            progress(done, len(futures))
    return [s for s in out if s is not None]
