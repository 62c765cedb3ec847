"""Shared fixtures: the real data folder, an isolated ROTASCOPE_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real market data folder ``../shared/data``; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (fresh clone): nothing to check against")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def rotascope_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty ROTASCOPE_HOME so the user's store is never touched."""
    home = tmp_path / "rotascope-home"
    monkeypatch.setenv("ROTASCOPE_HOME", str(home))
    return home
