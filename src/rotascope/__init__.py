"""rotascope: detect, measure and explain equity market rotations."""

from __future__ import annotations

from rotascope.errors import (
    DataError,
    InputError,
    ProviderError,
    RotascopeError,
    RotascopeWarning,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "InputError",
    "ProviderError",
    "RotascopeError",
    "RotascopeWarning",
    "StoreError",
    "__version__",
]
