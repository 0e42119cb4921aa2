"""Crash-safety tests: shared fixtures, and the rule that `slow` soak tests here and in tests/fuzz
run only when asked for with ``-m slow`` (the default run keeps a small subset)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

_SOAK_DIRS = ("crash",)


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("markexpr", "") or ""
    if "slow" in markexpr and "not slow" not in markexpr:
        return
    skip = pytest.mark.skip(reason="soak test: run with `pytest -m slow tests/crash tests/fuzz`")
    for item in items:
        if item.get_closest_marker("slow") and Path(str(item.fspath)).parent.name in _SOAK_DIRS:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def kill_fixtures(tmp_path_factory):
    """Default run: 1,500 people for import/evaluate (a few seconds each), 5 for export."""
    import kill_harness

    return kill_harness.Fixtures(tmp_path_factory.mktemp("kill_points"), import_people=1500, export_people=5)


@pytest.fixture(scope="session")
def kill_fixtures_soak(tmp_path_factory):
    """Soak run: 3,000 people (~62,000 lines, 25 MB) for import/evaluate, 10 people for export."""
    import kill_harness

    return kill_harness.Fixtures(tmp_path_factory.mktemp("kill_soak"), import_people=3000, export_people=10)
