"""Test-wide setup: offscreen Qt, isolated user folders, shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("cmr_home")
    monkeypatch.setenv("CLEARMYRECORD_HOME", str(home))
    from clearmyrecord_desktop import paths

    paths.set_basedir(None)
    yield home


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def workspace(tmp_path):
    from clearmyrecord_desktop.store.database import open_workspace

    ws = open_workspace(tmp_path / "ws.duckdb")
    yield ws
    ws.close()
