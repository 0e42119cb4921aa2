"""Fixtures shared by the document and export tests: isolated user folders, synthetic workspaces,
settings, a fixed clock and a destination folder (imported by both folders' conftest.py)."""

import pytest

import packet_builders as pb


from clearmyrecord_desktop import paths


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
