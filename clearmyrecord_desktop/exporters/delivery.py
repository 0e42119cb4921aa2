"""Writing an export to a USB drive (motion-packets.md section 9).

The export is built in a staging folder in the app's data directory. :func:`deliver` then:
pre-flight (free space ≥ size + 5 % + 1 MB) → copy into ``.<name>.partial/`` with a ``.cmr-partial``
marker, data files first and manifests/SHA256SUMS last, each flushed and fsynced → verify after write
(re-read and hash every file) → remove the marker and rename to the final name (retrying up to 10 s while
antivirus holds the files) → fsync the parent folder. The final name appears only after verification.

Every destination operation goes through a :class:`FileOps` object, so tests can inject ENOSPC, EIO or a
vanished drive. OS errors are translated into :class:`DiskFullError` / :class:`DriveRemovedError` with the
spec's messages; the partial folder is removed (and the message says so, or names it if removal failed).
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

from .. import paths
from ..errors import Cancelled, DiskFullError, DriveRemovedError, KnownError, VerificationError
from ..documents.manifest import EXPORT_MANIFEST, MANIFEST, PARTIAL_MARKER, SUMS, walk_files

CHUNK = 1 << 20
MB = 1 << 20
FULL_ERRNO = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
FULL_WINERROR = {112, 39}
REMOVED_ERRNO = {errno.EIO, errno.ENODEV, errno.ENOENT, errno.ENXIO}
REMOVED_WINERROR = {21, 31, 1167, 55, 1117}
BUSY_WINERROR = {5, 32, 33}
REMOVED_MESSAGE = ("The drive was removed or stopped responding while writing. Nothing on it is marked complete. "
                   "Re-insert it and export again.")


class FileOps:
    """Destination file operations (override in tests to simulate faults)."""

    def disk_free(self, path: Path) -> int:
        return shutil.disk_usage(path).free

    def mkdir(self, path: Path) -> None:
        os.mkdir(path)

    def open_write(self, path: Path):
        return open(path, "xb")

    def write(self, fh, data: bytes) -> None:
        fh.write(data)

    def fsync(self, fh) -> None:
        fh.flush()
        os.fsync(fh.fileno())

    def open_read(self, path: Path):
        return open(path, "rb")

    def rename(self, src: Path, dst: Path) -> None:
        os.rename(src, dst)

    def remove(self, path: Path) -> None:
        os.remove(path)

    def rmtree(self, path: Path) -> None:
        shutil.rmtree(path)

    def fsync_dir(self, path: Path) -> None:
        if sys.platform == "win32":
            return
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class DeliveryResult:
    final_path: Path
    files: int
    bytes: int
    seconds: float


def classify(exc: BaseException) -> str | None:
    """``"full"``, ``"removed"`` or None for an OS error (checks both errno and winerror)."""
    if not isinstance(exc, OSError):
        return None
    win = getattr(exc, "winerror", None)
    if exc.errno in FULL_ERRNO or win in FULL_WINERROR:
        return "full"
    if exc.errno in REMOVED_ERRNO or win in REMOVED_WINERROR:
        return "removed"
    return None


def _mb(n: int, *, up: bool = False) -> str:
    """Megabytes for messages: one decimal below 10 MB; rounded up for what is needed, down otherwise."""
    value = n / MB
    if value < 10:
        return f"{(math.ceil(value * 10) if up else math.floor(value * 10)) / 10:.1f}"
    return str(math.ceil(value) if up else math.floor(value))


def needed_bytes(total: int) -> int:
    return int(total * 1.05) + MB


def copy_order(rels: Iterable[str]) -> list[str]:
    """Data files first; packet manifests and sums next; the export manifest and its sums last."""
    def rank(rel: str) -> tuple:
        name = rel.rsplit("/", 1)[-1]
        top = "/" not in rel
        if top and name == SUMS:
            return (4, rel)
        if top and name == EXPORT_MANIFEST:
            return (3, rel)
        if name == SUMS:
            return (2, rel)
        if name in (MANIFEST, EXPORT_MANIFEST):
            return (1, rel)
        return (0, rel)
    return sorted(rels, key=rank)


def deliver(staged: str | Path, dest_parent: str | Path, *, export_id: str | None = None, fs: FileOps | None = None,
            progress=None, cancel=None, rename_timeout_s: float = 10.0) -> DeliveryResult:
    """Copy the staged export folder into ``dest_parent`` under the same name, atomically."""
    fs = fs or FileOps()
    staged = Path(staged)
    dest_parent = Path(dest_parent)
    name = staged.name
    export_id = export_id or name
    started = time.monotonic()
    rels = copy_order(walk_files(staged))
    sizes = {rel: (staged / rel).stat().st_size for rel in rels}
    total = sum(sizes.values())
    # 2. pre-flight
    try:
        if not dest_parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "not a folder", str(dest_parent))
        if not os.access(dest_parent, os.W_OK):
            raise KnownError(f"The folder {dest_parent} cannot be written to. Choose another folder or drive.",
                             title="Export failed")
        free = fs.disk_free(dest_parent)
    except OSError as exc:
        if classify(exc) == "removed":
            raise DriveRemovedError("The chosen drive or folder is not available. Re-insert the drive or choose "
                                    "another folder, and export again.") from None
        raise KnownError(f"The folder {dest_parent} cannot be used ({exc.strerror}).", title="Export failed") from None
    need = needed_bytes(total)
    if free < need:
        raise DiskFullError(f"The drive has {_mb(free)} MB free; this export needs {_mb(need, up=True)} MB.")
    final = dest_parent / name
    partial = dest_parent / f".{name}.partial"
    if final.exists():
        raise KnownError(f"A folder named {name} already exists in {dest_parent}.", title="Export failed")
    if partial.exists() and (partial / PARTIAL_MARKER).exists():
        shutil.rmtree(partial, ignore_errors=True)
    written = 0
    hashes: dict[str, str] = {}
    try:
        # 3. copy into the partial folder
        fs.mkdir(partial)
        _write_file(fs, partial / PARTIAL_MARKER, json.dumps({"export_id": export_id}).encode("utf-8") + b"\n")
        made = {partial}
        for i, rel in enumerate(rels):
            if cancel is not None:
                cancel.check()
            target = partial / rel
            folder = partial
            for part in rel.split("/")[:-1]:
                folder = folder / part
                if folder not in made:
                    fs.mkdir(folder)
                    made.add(folder)
            h = hashlib.sha256()
            with open(staged / rel, "rb") as src:
                fh = fs.open_write(target)
                try:
                    while True:
                        chunk = src.read(CHUNK)
                        if not chunk:
                            break
                        h.update(chunk)
                        fs.write(fh, chunk)
                        written += len(chunk)
                        if cancel is not None and written % (8 * CHUNK) < CHUNK:
                            cancel.check()
                    fs.fsync(fh)
                finally:
                    fh.close()
            hashes[rel] = h.hexdigest()
            if progress is not None:
                progress.update(written, total, f"Copying to the drive ({_mb(written)} of {_mb(total)} MB)")
        # 4. verify after write
        for j, rel in enumerate(rels):
            if cancel is not None:
                cancel.check()
            h = hashlib.sha256()
            with fs.open_read(partial / rel) as fh:
                for chunk in iter(lambda: fh.read(CHUNK), b""):
                    h.update(chunk)
            if h.hexdigest() != hashes[rel]:
                raise VerificationError(f"The copy of {rel} on the drive differs from the original. Nothing on "
                                        "the drive is marked complete; try another drive.")
            if progress is not None:
                progress.update(j + 1, len(rels), "Verifying the copy on the drive")
        # 5. commit
        fs.remove(partial / PARTIAL_MARKER)
        _rename_with_retry(fs, partial, final, rename_timeout_s)
        try:
            fs.fsync_dir(dest_parent)
        except OSError:
            pass
    except Cancelled:
        _cleanup(fs, partial)
        raise
    except VerificationError as exc:
        removed = _cleanup(fs, partial)
        raise VerificationError(str(exc) + _removal_note(removed, partial)) from None
    except OSError as exc:
        removed = _cleanup(fs, partial)
        kind = classify(exc)
        if kind == "full":
            raise DiskFullError(
                f"The drive became full after writing {_mb(written)} of {_mb(total, up=True)} MB. "
                + (f"The incomplete copy is named {partial.name} and has been removed." if removed else
                   f"The incomplete copy {partial} could not be removed; delete it before using the drive.")
            ) from None
        if kind == "removed":
            raise DriveRemovedError(REMOVED_MESSAGE + ("" if removed else
                                    f" The incomplete copy {partial} could not be removed.")) from None
        raise KnownError(f"Writing to {dest_parent} failed ({exc.strerror or type(exc).__name__})."
                         + _removal_note(removed, partial), title="Export failed") from None
    return DeliveryResult(final_path=final, files=len(rels), bytes=total, seconds=time.monotonic() - started)


def _removal_note(removed: bool, partial: Path) -> str:
    if removed:
        return f" The incomplete copy {partial.name} has been removed."
    return f" The incomplete copy {partial} could not be removed; delete it before using the drive."


def _write_file(fs: FileOps, path: Path, data: bytes) -> None:
    fh = fs.open_write(path)
    try:
        fs.write(fh, data)
        fs.fsync(fh)
    finally:
        fh.close()


def _cleanup(fs: FileOps, partial: Path) -> bool:
    """Remove the partial folder; True when it is gone."""
    try:
        if partial.exists():
            fs.rmtree(partial)
    except OSError:
        pass
    return not partial.exists()


def _rename_with_retry(fs: FileOps, src: Path, dst: Path, timeout_s: float) -> None:
    delay = 0.1
    waited = 0.0
    while True:
        try:
            fs.rename(src, dst)
            return
        except PermissionError as exc:
            busy = getattr(exc, "winerror", None) in BUSY_WINERROR or exc.errno in (errno.EACCES, errno.EBUSY)
            if not busy or waited >= timeout_s:
                raise
        except OSError as exc:
            if getattr(exc, "winerror", None) not in BUSY_WINERROR or waited >= timeout_s:
                raise
        fs.sleep(delay)
        waited += delay
        delay = min(delay * 2, 2.0)


# -- staging and leftovers -------------------------------------------------------------------------

def staging_root() -> Path:
    return paths.user_dir("staging")


def new_staging_dir(name: str) -> Path:
    """A fresh staging folder ``<staging>/<name>/<name>`` (the inner folder is what gets delivered)."""
    outer = staging_root() / name
    if outer.exists():
        shutil.rmtree(outer)
    inner = outer / name
    inner.mkdir(parents=True)
    return inner


def remove_staging(staged: Path) -> None:
    """Delete a staging folder (it holds criminal history data)."""
    outer = staged.parent if staged.parent.parent == staging_root() else staged
    shutil.rmtree(outer, ignore_errors=True)


def cleanup_stale_staging(max_age_hours: float = 24.0, *, now: datetime | None = None) -> list[Path]:
    """Delete staging folders older than ``max_age_hours`` (call on start-up and on quit with 0)."""
    root = staging_root()
    limit = (now or datetime.now()) - timedelta(hours=max_age_hours)
    removed = []
    for entry in sorted(root.iterdir()):
        try:
            mtime = datetime.fromtimestamp(entry.stat().st_mtime)
        except OSError:
            continue
        if mtime <= limit:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def find_partial_folders(dest_parent: str | Path) -> list[Path]:
    """``.partial`` folders in ``dest_parent`` that carry this app's marker."""
    dest_parent = Path(dest_parent)
    out = []
    try:
        entries = sorted(dest_parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.is_dir() and entry.name.endswith(".partial") and (entry / PARTIAL_MARKER).is_file():
            out.append(entry)
    return out


def remove_partial_folders(dest_parent: str | Path) -> list[Path]:
    removed = []
    for p in find_partial_folders(dest_parent):
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            removed.append(p)
    return removed
