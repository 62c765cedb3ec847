"""The numba shim: compile a kernel with numba when it is installed, else run the plain Python.

Every jitted kernel in :mod:`rotascope.kernels` is written as a plain-Python function (suffix
``_py``) that only uses numpy and loops, so that numba can compile it *and* Python can run it. The
compiled version is made with :func:`jit`. When numba is missing, :func:`jit` returns the plain
function wrapped so that each call emits a :class:`~rotascope.errors.RotascopeWarning` (Python's
warning filters show it once per call site); results are the same, only slower.

No state is kept here: whether numba is available is decided once, at import, from the import
itself.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, TypeVar, cast

from rotascope.errors import RotascopeWarning

__all__ = ["HAVE_NUMBA", "jit", "make_jit", "prange"]

F = TypeVar("F", bound=Callable[..., Any])

_numba: ModuleType | None
prange: Callable[..., Iterable[int]]
try:  # pragma: no cover - depends on the environment
    import numba as _numba
    from numba import prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - depends on the environment
    _numba = None
    HAVE_NUMBA = False
    prange = range


def _plain(func: F) -> F:
    """Wrap the plain-Python ``func`` so that calling it warns that numba is missing."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(
            f"numba is not installed: running the plain-Python kernel {func.__name__}, "
            "which gives the same numbers but is much slower (pip install numba)",
            RotascopeWarning,
            stacklevel=2,
        )
        return func(*args, **kwargs)

    wrapper.py_func = func  # type: ignore[attr-defined]  # same attribute numba dispatchers have
    return wrapper  # type: ignore[return-value]


def make_jit(use_numba: bool) -> Callable[..., Any]:
    """Return a ``jit`` decorator that compiles with numba (``use_numba=True``) or falls back.

    Parameters
    ----------
    use_numba : bool
        Compile with ``numba.njit(cache=True)``; must be False when numba is not installed.

    Returns
    -------
    callable
        ``decorator(func, *, parallel=False)``.
    """
    if use_numba and not HAVE_NUMBA:
        raise ImportError("numba is not installed: use make_jit(False)")

    def decorator(func: F | None = None, *, parallel: bool = False) -> Any:
        def wrap(f: F) -> F:
            if use_numba and _numba is not None:
                # a numba dispatcher is called like ``f``
                return cast(F, _numba.njit(cache=True, parallel=parallel)(f))
            return _plain(f)

        return wrap if func is None else wrap(func)

    return decorator


jit = make_jit(HAVE_NUMBA)
