"""The numba shim: compile a kernel with numba when it is installed, else run the plain Python.

Every jitted kernel in :mod:`rotascope.kernels` is written as a plain-Python function (suffix
``_py``) that only uses numpy and loops, so that numba can compile it *and* Python can run it. The
compiled version is made with :func:`jit`. When numba is missing, :func:`jit` returns the plain
function wrapped so that each call emits a :class:`~rotascope.errors.RotascopeWarning` (Python's
warning filters show it once per call site); results are the same, only slower.

numba is imported at a kernel's **first call**, not when the kernels are imported: importing
numba costs about 0.35 s, and commands that run no kernel (``facts --series``, ``data``,
``universe``) should not pay it. :func:`jit` therefore returns a :class:`LazyKernel`, called like
the function; its first call imports numba and makes the numba dispatcher (``numba.njit``). A
kernel that calls other kernels finds them by their module-level names when numba compiles it,
so before the dispatcher is made, every :class:`LazyKernel` its code names is made a dispatcher
first and bound under that name in the kernel's module, and a ``prange`` it names is bound to
``numba.prange`` (``range`` until numba is imported; the same loop in plain Python).

Compiled kernels are cached on disk (``cache=True``: next to the sources in ``__pycache__``, or
in ``NUMBA_CACHE_DIR``, or in the user's cache folder), so that only the first run compiles. When
numba finds no writable cache folder (a system-wide install run by a service account, a read-only
``NUMBA_CACHE_DIR``), caching is turned off with one :class:`~rotascope.errors.RotascopeWarning`
and every run compiles instead of failing.

What is decided once is memoised, not mutable state: whether numba is installed (at import, from
its package's presence, without importing it), and, at the first kernel call, numba itself and
whether it can cache (one probe compilation request: nothing is compiled, numba looks for its
cache folder when a function is decorated).
"""

from __future__ import annotations

import functools
import importlib.util
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import CodeType, ModuleType
from typing import Any, TypeVar, cast

from rotascope.errors import RotascopeWarning

__all__ = ["HAVE_NUMBA", "LazyKernel", "can_cache", "jit", "make_jit", "num_threads",
           "numba_module", "on_numba_load", "prange"]

F = TypeVar("F", bound=Callable[..., Any])

HAVE_NUMBA: bool = importlib.util.find_spec("numba") is not None
prange: Callable[..., Iterable[int]] = range  # numba.prange once a kernel needs it (see above)

# callbacks to run when numba is first imported by a kernel (the CLI's compile note), per context
_ON_LOAD: ContextVar[tuple[Callable[[ModuleType], None], ...]] = ContextVar("on_numba_load",
                                                                           default=())
_MAKING = threading.RLock()  # two threads calling a kernel first make one dispatcher


@contextmanager
def on_numba_load(callback: Callable[[ModuleType], None]) -> Iterator[None]:
    """While active, call ``callback(numba)`` if a kernel imports numba (its first call).

    For the CLI's one-line compile note: the listener it installs needs numba, which a command
    imports only when it runs a kernel. Nothing is called when numba was imported before.
    """
    token = _ON_LOAD.set((*_ON_LOAD.get(), callback))
    try:
        yield
    finally:
        _ON_LOAD.reset(token)


@functools.cache
def numba_module() -> ModuleType | None:
    """numba, imported at the first kernel call (None when it is not installed or not importable).

    Runs the callbacks of :func:`on_numba_load` active in this context.
    """
    if not HAVE_NUMBA:
        return None
    try:
        import numba
    except ImportError as exc:  # pragma: no cover - a broken install
        warnings.warn(f"numba could not be imported ({exc}): running the plain-Python kernels",
                      RotascopeWarning, stacklevel=2)
        return None
    for callback in _ON_LOAD.get():
        callback(numba)
    return numba


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


@functools.cache
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
    writable. Decorating :func:`_probe` asks exactly that question and compiles nothing. Imports
    numba (see :func:`numba_module`); asked once per process, with one warning when it cannot.
    """
    numba = numba_module()
    if numba is None:
        return False, "numba is not installed"
    try:
        numba.njit(cache=True)(_probe)
    except RuntimeError as exc:  # numba: "cannot cache function ...: no locator available ..."
        why_not = " ".join(str(exc).split())  # no rotascope.formatting here: no pandas
        warnings.warn(
            f"numba cannot cache compiled kernels ({why_not}); compiling them in every run "
            "instead (set NUMBA_CACHE_DIR to a writable folder to cache them)",
            RotascopeWarning,
            stacklevel=2,
        )
        return False, why_not
    return True, ""


def num_threads() -> int:
    """The threads numba's parallel loops run on now (``numba.get_num_threads()``, which follows
    ``numba.set_num_threads``); 1 without numba. Imports numba, as a kernel's first call does."""
    numba = numba_module()
    return int(numba.get_num_threads()) if numba is not None else 1


def _names(code: CodeType) -> Iterator[str]:
    """The global names ``code`` (and the functions defined in it) may look up."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _names(const)


class LazyKernel:
    """A kernel that numba compiles on its first call; numba is imported then, not before.

    Called like the plain function ``py_func``. ``options`` are ``numba.njit``'s; ``cache=None``
    caches when numba can (:func:`can_cache`).
    """

    def __init__(self, py_func: Callable[..., Any], options: dict[str, Any]) -> None:
        self.py_func = py_func
        self._options = options
        self._dispatcher: Any = None
        functools.update_wrapper(self, py_func)

    def dispatcher(self) -> Any:
        """The numba dispatcher (made at the first call), or the plain function without numba."""
        if self._dispatcher is not None:
            return self._dispatcher
        with _MAKING:
            if self._dispatcher is None:
                numba = numba_module()
                if numba is None:  # pragma: no cover - numba present but not importable
                    self._dispatcher = _plain(self.py_func)
                else:
                    self._bind_globals(numba)
                    options = dict(self._options)
                    if options.get("cache") is None:
                        options["cache"] = can_cache()[0]
                    self._dispatcher = numba.njit(**options)(self.py_func)
        return self._dispatcher

    def _bind_globals(self, numba: ModuleType) -> None:
        """Bind the kernels (and ``prange``) this kernel's code names to what numba compiles."""
        module = self.py_func.__globals__
        for name in set(_names(self.py_func.__code__)):
            value = module.get(name)
            if isinstance(value, LazyKernel):
                module[name] = value.dispatcher()
            elif name == "prange" and value is range:
                module[name] = numba.prange

    @property
    def signatures(self) -> list[Any]:
        """The compiled signatures (numba's dispatcher attribute; makes the dispatcher)."""
        return list(getattr(self.dispatcher(), "signatures", []))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.dispatcher()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<LazyKernel {self.py_func.__module__}.{self.py_func.__qualname__}>"


def make_jit(use_numba: bool, cache: bool | None = True) -> Callable[..., Any]:
    """Return a ``jit`` decorator that compiles with numba (``use_numba=True``) or falls back.

    Parameters
    ----------
    use_numba : bool
        Compile with ``numba.njit``; must be False when numba is not installed.
    cache : bool or None, default True
        Cache the compiled code on disk (``njit(cache=True)``). False: every process compiles
        on first use. None: cache when numba has a writable cache folder (:func:`can_cache`),
        asked at the first call; :data:`jit` uses None.

    Returns
    -------
    callable
        ``decorator(func, *, parallel=False, error_model="python", inline=False)``;
        ``error_model="numpy"`` lets a float division by zero give inf/NaN instead of raising,
        which takes the zero check out of the loop so that numba can vectorise it;
        ``inline=True`` inlines a small helper into the numba kernels that call it (numba's
        ``inline="always"``). The plain function is the same either way.
    """
    if use_numba and not HAVE_NUMBA:
        raise ImportError("numba is not installed: use make_jit(False)")

    def decorator(
        func: F | None = None, *, parallel: bool = False, error_model: str = "python",
        inline: bool = False,
    ) -> Any:
        def wrap(f: F) -> F:
            if use_numba:
                # called like ``f``; numba compiles it at the first call
                return cast(F, LazyKernel(f, {"cache": cache, "parallel": parallel,
                                              "error_model": error_model,
                                              "inline": "always" if inline else "never"}))
            return _plain(f)

        return wrap if func is None else wrap(func)

    return decorator


def __getattr__(name: str) -> Any:
    """``CAN_CACHE``: whether numba can cache (asked at first use: it imports numba)."""
    if name == "CAN_CACHE":
        return can_cache()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


jit = make_jit(HAVE_NUMBA, cache=None)
