"""Shared fixtures: the real data folder, the report built from it, an isolated ROTASCOPE_HOME."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real market data folder ``../shared/data``; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (fresh clone): nothing to check against")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_report(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The `us` report on the real histories as of 2025-09-24, built once for every module that
    checks it (with rotascope's warnings raised as errors: a clean build warns of nothing)."""
    import warnings

    from rotascope.data.loader import DataSource
    from rotascope.data.universe import load_universe
    from rotascope.errors import RotascopeWarning
    from rotascope.report.build import build_report

    home = tmp_path_factory.mktemp("real-report-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("ROTASCOPE_HOME", str(home))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RotascopeWarning)
            return build_report(load_universe("us"), DataSource(data_dir=shared_data),
                                pd.Timestamp("2025-09-24"), data_note="real histories")
    finally:
        mp.undo()


@pytest.fixture(autouse=True)
def rotascope_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty ROTASCOPE_HOME so the user's store is never touched."""
    home = tmp_path / "rotascope-home"
    monkeypatch.setenv("ROTASCOPE_HOME", str(home))
    return home
