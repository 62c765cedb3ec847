"""Exceptions and warnings of rotascope.

Every user mistake or data problem raises a subclass of :class:`RotascopeError` whose message is
one line naming the file, row, ticker or parameter and what is wrong. The CLI maps them to exit
code 2, or 3 for :class:`ProviderError` and :class:`StoreError` (data unavailable).
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "InputError",
    "MissingDataError",
    "ProviderError",
    "RotascopeError",
    "RotascopeWarning",
    "StoreError",
]


class RotascopeError(Exception):
    """Base class of every error rotascope raises on purpose."""


class InputError(RotascopeError, ValueError):
    """Bad user input: a file, argument, universe or series that cannot be used as given."""


class MissingDataError(InputError):
    """Nothing to read for a segment: neither stored nor in the data folder (not a bad file)."""


class DataError(RotascopeError):
    """Data could not be obtained or stored."""


class ProviderError(DataError):
    """A data provider failed (network fault, bad payload, unknown symbol)."""


class StoreError(DataError):
    """The local store could not be read or written."""


class RotascopeWarning(UserWarning):
    """Warnings rotascope emits on purpose (e.g. falling back to a stored copy)."""
