"""The top-level ``__all__`` stays sorted and honest."""

from __future__ import annotations

import rotascope


def test_all_is_sorted_and_resolves() -> None:
    names = rotascope.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(rotascope, name), name
    public = {n for n in vars(rotascope) if not n.startswith("_") and n not in ("annotations",)}
    public -= {"analytics", "data", "errors", "narrative", "kernels", "jsonutil", "cli", "report"}
    assert public <= set(names), public - set(names)
