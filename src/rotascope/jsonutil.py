"""The one JSON encoder of rotascope: analytics results, facts and reports as strict JSON.

Every ``--json`` output of the CLI and the JSON report go through :func:`jsonable` and
:func:`dumps`: NaN, NA, NaT and infinities become ``null``, dates ``YYYY-MM-DD``, timestamps with
a time of day ISO 8601, numpy scalars Python numbers, DataFrames lists of records. The output is
strict JSON (``allow_nan=False``): a value that cannot be encoded is an error, never ``NaN``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["dumps", "jsonable", "records"]


def jsonable(value: Any) -> Any:
    """Return ``value`` as plain JSON values.

    Parameters
    ----------
    value : Any
        Scalars (numpy or Python), dates, timestamps, mappings, sequences, sets, dataclasses,
        Series or DataFrames.

    Returns
    -------
    Any
        ``None`` for NaN, NaT, ``pd.NA`` and infinities; ISO strings for dates (``2026-07-31``)
        and for timestamps with a time of day (``2026-08-01T07:30:00``); for a DataFrame, its
        :func:`records` (with the index as a first field unless it is a plain row number);
        ``{key: value}`` for a Series or mapping; sorted lists for sets; ``str`` for anything
        else.

    Examples
    --------
    >>> jsonable({"x": float("nan"), "d": pd.Timestamp("2024-07-17"), "n": pd.NA})
    {'x': None, 'd': '2024-07-17', 'n': None}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, pd.DataFrame):
        if isinstance(value.index, pd.RangeIndex) and value.index.name is None:
            return records(value)
        if isinstance(value.index, pd.MultiIndex):
            return records(value.reset_index())
        return records(value, index=str(value.index.name or "index"))
    if isinstance(value, pd.Series):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else str(jsonable(k)): jsonable(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return [jsonable(v) for v in items]
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return None
        if ts.tzinfo is None and ts == ts.normalize():
            return ts.strftime("%Y-%m-%d")
        return ts.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return jsonable(pd.Timestamp(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def records(
    frame: pd.DataFrame | None, *, index: str | None = None, **constants: Any
) -> list[dict[str, Any]]:
    """A DataFrame as a list of JSON-ready records.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        The table (None or empty gives ``[]``).
    index : str, optional
        When given, the index is kept as a first field of that name.
    **constants
        Fields prepended to every record (e.g. ``pair="small-caps/large-caps"``).

    Returns
    -------
    list of dict

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1, 2]}), pair="x")
    [{'pair': 'x', 'a': 1}, {'pair': 'x', 'a': 2}]
    """
    if frame is None or frame.empty:
        return []
    cols = [str(c) for c in frame.columns]
    columns = [frame.iloc[:, i].tolist() for i in range(frame.shape[1])]  # keeps ints as ints
    head = {k: jsonable(v) for k, v in constants.items()}
    out = []
    for pos, idx in enumerate(frame.index):
        rec: dict[str, Any] = dict(head)
        if index is not None:
            rec[index] = jsonable(idx)
        for col, values in zip(cols, columns, strict=True):
            rec[col] = jsonable(values[pos])
        out.append(rec)
    return out


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """``value`` as strict JSON text ending in a newline (:func:`jsonable` first; non-ASCII
    characters escaped, so the text survives any terminal or file encoding).

    Examples
    --------
    >>> dumps([1.5, float("inf")], indent=None)
    '[1.5, null]\\n'
    """
    return json.dumps(jsonable(value), indent=indent, allow_nan=False) + "\n"
