"""Fuzz tests: the `slow` soak runs only with ``-m slow`` (the default run keeps a small profile)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("markexpr", "") or ""
    if "slow" in markexpr and "not slow" not in markexpr:
        return
    skip = pytest.mark.skip(reason="soak test: run with `pytest -m slow tests/fuzz`")
    for item in items:
        if item.get_closest_marker("slow") and Path(str(item.fspath)).parent.name == "fuzz":
            item.add_marker(skip)
