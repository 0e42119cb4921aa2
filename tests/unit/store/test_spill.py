"""Each open workspace spills to a folder of its own; folders of ended processes are removed."""

from __future__ import annotations

import subprocess
import sys

from clearmyrecord_desktop.paths import user_dir
from clearmyrecord_desktop.store.database import open_workspace


def _spill_root():
    return user_dir("spill")


def test_each_workspace_has_its_own_spill_folder_removed_on_close(tmp_path):
    a = open_workspace(tmp_path / "a.duckdb")
    b = open_workspace(tmp_path / "b.duckdb")
    folders = {a._spill, b._spill}
    assert len(folders) == 2 and all(f.is_dir() and f.parent == _spill_root() for f in folders)
    a.close()
    b.close()
    assert not any(f.exists() for f in folders)


def test_folders_of_ended_processes_go_and_live_ones_stay(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = _spill_root() / f"{ended.stdout.strip()}-abc"
    dead.mkdir(parents=True)
    (dead / "duckdb_temp_storage-0.tmp").write_bytes(b"x")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = _spill_root() / f"{sleeper.pid}-def"
        live.mkdir()
        (live / "duckdb_temp_storage-0.tmp").write_bytes(b"x")
        with open_workspace(tmp_path / "w.duckdb"):
            assert not dead.exists()
            assert live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_encrypted_workspace_opens_while_another_process_spills(tmp_path):
    """The bug this layout fixes: DuckDB refuses temp_file_encryption when its temp folder already
    holds files, which a shared folder did whenever another process was spilling."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        other = _spill_root() / f"{sleeper.pid}-0123"
        other.mkdir(parents=True)
        (other / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 4096)
        path = tmp_path / "secret.duckdb"
        open_workspace(path, passphrase="correct horse battery").close()
        with open_workspace(path, create=False, passphrase="correct horse battery") as ws:
            assert ws.encrypted
    finally:
        sleeper.kill()
        sleeper.wait()
