"""Workspace store: migrations, schema version, known errors."""

from __future__ import annotations

import pytest

from clearmyrecord_desktop.errors import SchemaTooNewError, WorkspaceError
from clearmyrecord_desktop.store.database import SCHEMA_MAJOR, open_workspace


def test_new_workspace_gets_the_current_schema(tmp_path):
    with open_workspace(tmp_path / "w.duckdb") as ws:
        major, minor = ws.schema_version()
        assert major == SCHEMA_MAJOR and minor >= 1
        assert ws.integrity_check() == []


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "w.duckdb"
    with open_workspace(path) as ws:
        with ws.write() as cur:
            cur.execute("INSERT INTO setting VALUES ('k', '1')")
    with open_workspace(path, create=False) as ws:
        assert ws.query("SELECT value FROM setting WHERE key = 'k'") == [("1",)]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    with open_workspace(path) as ws:
        with ws.write() as cur:
            cur.execute("UPDATE workspace_info SET value = ? WHERE key = 'schema_version'",
                        [f"{SCHEMA_MAJOR + 1}.0"])
    with pytest.raises(SchemaTooNewError, match="newer version"):
        open_workspace(path, create=False)


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(WorkspaceError, match="No workspace file"):
        open_workspace(tmp_path / "missing.duckdb", create=False)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError):
        open_workspace(junk, create=False)


def test_write_rolls_back_on_error(tmp_path):
    with open_workspace(tmp_path / "w.duckdb") as ws:
        with pytest.raises(RuntimeError):
            with ws.write() as cur:
                cur.execute("INSERT INTO setting VALUES ('k', '1')")
                raise RuntimeError("boom")
        assert ws.query("SELECT count(*) FROM setting") == [(0,)]
