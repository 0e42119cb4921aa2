"""A spill folder of its own for each open workspace connection.

DuckDB writes what does not fit in its memory budget to ``temp_directory``. A folder shared by
every process would let one process see another's spill files: DuckDB then refuses
``temp_file_encryption`` for an encrypted workspace ("existing temporary files found"), and two
processes could trip over each other's files. So each connection gets
``<user folder>/spill/<pid>-<random>``, removed when the workspace closes; folders left by a
process that no longer runs (a crash or kill) are removed the next time any workspace opens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

from ..paths import user_dir


def _root() -> Path:
    return user_dir("spill")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        # os.kill would end the process on Windows; there a folder in use cannot be removed
        # anyway (the files are open), so removal itself is the safe test
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. permission denied: it exists
        return True
    return True


def remove_stale() -> None:
    """Remove spill folders (and loose files of older versions) of processes that have ended."""
    for entry in _root().iterdir():
        pid_text = entry.name.split("-", 1)[0]
        if entry.is_dir() and pid_text.isdigit() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def new_folder() -> Path:
    """A fresh, empty spill folder for one connection."""
    remove_stale()
    folder = _root() / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    return folder


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
