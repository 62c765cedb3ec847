"""Windowed returns over N rows: ``P[t] / P[t-N] - 1``.

Contract (as every module of :mod:`rotascope.kernels`): numpy arrays in and out, no pandas;
functions ending in ``_1d`` take a 1-D array, the others a 2-D ``(dates x series)`` array.
No loop is needed here, so these are plain vectorised numpy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rotascope.errors import InputError

__all__ = ["check_rows", "windowed_returns_1d", "windowed_returns_2d"]


def check_rows(n: object, name: str = "n") -> int:
    """Return ``n`` as an int if it is a whole number of rows >= 1, else raise InputError."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InputError(f"{name} must be a whole number of rows >= 1 (got {n!r})")
    return int(n)


def _returns(
    p: NDArray[np.float64], n: int, out: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    if out is None:
        out = np.empty_like(p)
    elif not isinstance(out, np.ndarray) or out.dtype != np.float64 or out.shape != p.shape:
        raise InputError(f"out must be a float64 array of shape {p.shape}")
    out[:n] = np.nan
    if n < p.shape[0]:
        np.divide(p[n:], p[:-n], out=out[n:])
        out[n:] -= 1.0
    return out


def windowed_returns_1d(prices: ArrayLike, n: int) -> NDArray[np.float64]:
    """N-row returns of a 1-D price array.

    Parameters
    ----------
    prices : array_like, 1-D
        Prices (levels), float64; NaN marks a missing row.
    n : int
        Window in rows, >= 1.

    Returns
    -------
    ndarray of float64, same length
        ``r[t] = P[t] / P[t-n] - 1``; NaN for ``t < n`` and wherever ``P[t]`` or ``P[t-n]`` is
        NaN (so also where ``t - n`` falls before the first valid row).

    Notes
    -----
    Rows are positions in the array: the caller decides what a row is (the series' own trading
    days). Missing rows are not skipped: a NaN row makes the returns ending there and starting
    there NaN.
    """
    n = check_rows(n)
    p = np.asarray(prices, dtype=np.float64)
    if p.ndim != 1:
        raise InputError(f"prices must be 1-D (got {p.ndim} dimensions)")
    return _returns(p, n)


def windowed_returns_2d(
    prices: ArrayLike, n: int, out: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """N-row returns of each column of a ``(dates x series)`` price array.

    Same definition as :func:`windowed_returns_1d`, column by column; the result keeps the memory
    order of the input (Fortran order in, Fortran order out). ``out``, a float64 array of the same
    shape, is written into and returned when given (reusing memory across calls).

    Parameters
    ----------
    prices : array_like, 2-D (dates x series)
        Prices (levels), converted to float64 (else InputError when not 2-D); NaN marks a
        missing row of a column.
    n : int
        Window in rows, a whole number >= 1 (else InputError; ``True`` is refused).
    out : ndarray of float64, optional
        Array of the same shape to write into (InputError for any other dtype or shape);
        any memory order.

    Returns
    -------
    ndarray of float64, (dates x series)
        ``out`` when given, else a new array in the memory order of ``prices``.
        ``r[t, j] = P[t, j] / P[t-n, j] - 1``; NaN for the first ``n`` rows (all rows when
        ``n`` >= the number of rows) and wherever ``P[t, j]`` or ``P[t-n, j]`` is NaN.

    Notes
    -----
    ``r[t, j] = P[t, j] / P[t-n, j] - 1``, as :func:`windowed_returns_1d` on each column; in
    pandas ``df / df.shift(n) - 1`` (``df.pct_change(n, fill_method=None)``). Rows are
    positions: a NaN row is not skipped, so the returns ending there and starting there are
    NaN. Prices are not checked: a zero price gives ``inf`` or NaN. Nothing after row t is
    read.
    """
    n = check_rows(n)
    p = np.asarray(prices, dtype=np.float64)
    if p.ndim != 2:
        raise InputError(f"prices must be 2-D (dates x series) (got {p.ndim} dimensions)")
    return _returns(p, n, out)
