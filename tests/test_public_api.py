"""The top-level ``__all__`` stays sorted and honest."""

from __future__ import annotations

import rotascope


def test_all_is_sorted_and_resolves() -> None:
    names = rotascope.__all__
    assert names == sorted(names)
    for name in names:
        assert getattr(rotascope, name) is not None, name
    assert set(rotascope._LAZY) <= set(names)
