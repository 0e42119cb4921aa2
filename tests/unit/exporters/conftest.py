"""Fixtures for the document and export tests: isolated user folders, synthetic workspaces, settings."""

import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[2] / "helpers"
if str(HELPERS) not in sys.path:
    sys.path.insert(0, str(HELPERS))

import packet_builders as pb  # noqa: E402

from clearmyrecord_desktop import paths  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path):
    paths.set_basedir(tmp_path / "userhome")
    yield tmp_path / "userhome"
    paths.set_basedir(None)


@pytest.fixture
def settings():
    return pb.make_settings()


@pytest.fixture
def ws(tmp_path):
    """The standard synthetic run, with one open count (drafts only)."""
    w = pb.build_workspace(tmp_path / "ws.duckdb")
    yield w
    w.close()


@pytest.fixture
def ws_final(tmp_path):
    """The standard synthetic run with no open count (a final export may run)."""
    w = pb.build_workspace(tmp_path / "ws_final.duckdb", with_open=False)
    yield w
    w.close()


@pytest.fixture
def clock():
    return pb.fixed_clock()


@pytest.fixture
def out_dir(tmp_path):
    d = tmp_path / "usb"
    d.mkdir()
    return d
