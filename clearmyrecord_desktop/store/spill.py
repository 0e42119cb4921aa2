"""A spill folder of its own for each open workspace connection.

DuckDB writes what does not fit in its memory budget to ``temp_directory``. A folder shared by
every process would let one process see another's spill files: DuckDB then refuses
``temp_file_encryption`` for an encrypted workspace ("existing temporary files found"), and two
processes could trip over each other's files. So each connection gets
``<user folder>/spill/<pid>-<random>``, removed when the workspace closes; folders left by a
process that no longer runs (a crash or kill) are removed the next time any workspace opens.

Whether a folder's owner still runs is read from its ``.owner`` file, which the owner keeps open
for as long as the folder is in use: on Windows an open file cannot be deleted (so a folder whose
owner file can be deleted is stale), elsewhere the owner holds an exclusive ``flock`` on it (so a
folder whose owner file can be locked is stale). Neither test can be fooled by a process id used
again. Folders without an owner file (older versions) fall back to asking whether the process id
still runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path
from typing import IO

from ..paths import user_dir

OWNER = ".owner"
#: the open owner files of this process's folders
_held: dict[Path, IO[bytes]] = {}


def _root() -> Path:
    return user_dir("spill")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return False  # os.kill would end the process; an in-use file cannot be removed anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. permission denied: it exists
        return True
    return True


def _in_use(folder: Path) -> bool:
    if folder in _held:
        return True
    owner = folder / OWNER
    if not owner.exists():
        pid_text = folder.name.split("-", 1)[0]
        return pid_text.isdigit() and _pid_alive(int(pid_text))
    if os.name == "nt":
        try:
            owner.unlink()
        except FileNotFoundError:
            return False
        except PermissionError:
            return True  # open in the process that owns the folder
        return False
    import fcntl

    try:
        fd = os.open(owner, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # locked by the process that owns the folder
    finally:
        os.close(fd)  # releases the lock taken here
    return False


def remove_stale() -> None:
    """Remove spill folders (and loose files of older versions) no running process owns."""
    for entry in _root().iterdir():
        if entry.is_dir() and _in_use(entry):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def new_folder() -> Path:
    """A fresh, empty spill folder for one connection, owned by this process until :func:`remove`."""
    remove_stale()
    folder = _root() / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    handle = open(folder / OWNER, "wb")  # noqa: SIM115 - held open while the folder is in use
    if os.name != "nt":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    _held[folder] = handle
    return folder


def remove(folder: Path) -> None:
    handle = _held.pop(folder, None)
    if handle is not None:
        with contextlib.suppress(OSError):
            handle.close()
    shutil.rmtree(folder, ignore_errors=True)
