"""The numba shim: compile a kernel with numba when it is installed, else run the plain Python.

Every jitted kernel in :mod:`rotascope.kernels` is written as a plain-Python function (suffix
``_py``) that only uses numpy and loops, so that numba can compile it *and* Python can run it. The
compiled version is made with :func:`jit`. When numba is missing, :func:`jit` returns the plain
function wrapped so that each call emits a :class:`~rotascope.errors.RotascopeWarning` (Python's
warning filters show it once per call site); results are the same, only slower.

Compiled kernels are cached on disk (``cache=True``: next to the sources in ``__pycache__``, or
in ``NUMBA_CACHE_DIR``, or in the user's cache folder), so that only the first run compiles. When
numba finds no writable cache folder (a system-wide install run by a service account, a read-only
``NUMBA_CACHE_DIR``), caching is turned off with one :class:`~rotascope.errors.RotascopeWarning`
and every run compiles instead of failing.

No state is kept here: whether numba is available, and whether it can cache, is decided once, at
import, from the import itself and from one probe compilation request (nothing is compiled: numba
looks for its cache folder when a function is decorated).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, TypeVar, cast

from rotascope.errors import RotascopeWarning

__all__ = ["CAN_CACHE", "HAVE_NUMBA", "can_cache", "jit", "make_jit", "prange"]

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


def _probe(x: float) -> float:  # pragma: no cover - only decorated, never called
    return x


def can_cache() -> tuple[bool, str]:
    """Whether numba finds a writable cache folder for the kernels, and why not.

    Returns
    -------
    ok : bool
        True when ``numba.njit(cache=True)`` accepts a function defined in this package's folder
        (every kernel lives there, so they share the answer). False when numba is missing.
    reason : str
        numba's message when it cannot cache, else ``""``.

    Notes
    -----
    numba looks for a cache folder when a function is decorated with ``cache=True`` (the
    ``__pycache__`` folder beside the source, ``NUMBA_CACHE_DIR``, the user's cache folder) and
    raises ``RuntimeError("cannot cache function ...: no locator available ...")`` when none is
    writable. Decorating :func:`_probe` asks exactly that question and compiles nothing.
    """
    if _numba is None:
        return False, "numba is not installed"
    try:
        _numba.njit(cache=True)(_probe)
    except RuntimeError as exc:  # numba: "cannot cache function ...: no locator available ..."
        from rotascope.formatting import one_line  # imports pandas: kernels must not, at import

        return False, one_line(exc)
    return True, ""


def make_jit(use_numba: bool, cache: bool = True) -> Callable[..., Any]:
    """Return a ``jit`` decorator that compiles with numba (``use_numba=True``) or falls back.

    Parameters
    ----------
    use_numba : bool
        Compile with ``numba.njit``; must be False when numba is not installed.
    cache : bool, default True
        Cache the compiled code on disk (``njit(cache=True)``). False when numba has no writable
        cache folder (see :func:`can_cache`): every process then compiles on first use.

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
                return cast(F, _numba.njit(cache=cache, parallel=parallel)(f))
            return _plain(f)

        return wrap if func is None else wrap(func)

    return decorator


CAN_CACHE, _why_not = can_cache() if HAVE_NUMBA else (False, "")
if HAVE_NUMBA and not CAN_CACHE:  # pragma: no cover - depends on the file system
    warnings.warn(
        f"numba cannot cache compiled kernels ({_why_not}); compiling them in every run instead "
        "(set NUMBA_CACHE_DIR to a writable folder to cache them)",
        RotascopeWarning,
        stacklevel=2,
    )
jit = make_jit(HAVE_NUMBA, cache=CAN_CACHE)
