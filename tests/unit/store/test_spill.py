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


_HOLD = ("import os, sys, time\n"
         "fh = open(sys.argv[1], 'wb')\n"
         "if os.name != 'nt':\n"
         "    import fcntl; fcntl.flock(fh.fileno(), fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "time.sleep(60)\n")


def test_the_owner_file_decides_not_the_process_id(tmp_path):
    """A folder whose owner file another running process holds stays; a folder named after a
    running process whose owner file nobody holds (its process id was used again) goes."""
    held = _spill_root() / "1-held"
    held.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(held / ".owner")], stdout=subprocess.PIPE, text=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert holder.stdout.readline().strip() == "held"
        reused = _spill_root() / f"{sleeper.pid}-reused"
        reused.mkdir()
        (reused / ".owner").write_bytes(b"")
        (reused / "duckdb_temp_storage-0.tmp").write_bytes(b"x")
        with open_workspace(tmp_path / "w.duckdb") as ws:
            assert held.exists() and not reused.exists()
            assert (ws._spill / ".owner").exists()
        holder.kill()
        holder.wait()
        with open_workspace(tmp_path / "w.duckdb", create=False):
            assert not held.exists()
    finally:
        for proc in (holder, sleeper):
            proc.kill()
            proc.wait()
        holder.stdout.close()
