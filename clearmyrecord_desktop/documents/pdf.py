"""Optional PDF copies through LibreOffice (motion-packets.md sections 6.11 and 12).

A separate stage after the DOCX export: at most one LibreOffice process per core, each with its own
profile folder (``-env:UserInstallation``), headless, with a timeout per document; every process is
killed on cancel. Without LibreOffice the option is disabled with a one-line explanation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import Cancelled, KnownError

UNAVAILABLE = "PDF copies need LibreOffice, which was not found on this computer."

_CANDIDATES_WIN = [
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
]
_CANDIDATES_POSIX = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/usr/local/bin/soffice",
                     "/opt/libreoffice/program/soffice",
                     "/Applications/LibreOffice.app/Contents/MacOS/soffice"]


def find_soffice(configured: str = "") -> Path | None:
    """The LibreOffice executable: the configured path, then the standard install locations, then PATH."""
    if configured:
        p = Path(configured)
        return p if p.is_file() else None
    for c in (_CANDIDATES_WIN if sys.platform == "win32" else _CANDIDATES_POSIX):
        if Path(c).is_file():
            return Path(c)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def pdf_available(configured: str = "") -> tuple[bool, str]:
    """(available, one-line explanation when not) for the export dialog."""
    return (True, "") if find_soffice(configured) else (False, UNAVAILABLE)


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


class _Procs:
    def __init__(self):
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()

    def kill_all(self):
        with self.lock:
            for p in list(self.procs):
                try:
                    p.kill()
                except OSError:
                    pass


def convert_to_pdf(docx_files: Sequence[Path], out_dir_for, *, soffice: Path | None = None, configured: str = "",
                   workers: int | None = None, timeout_s: float = 600.0, progress=None, cancel=None) -> PdfResult:
    """Convert each DOCX into the folder ``out_dir_for(docx_path)``. Documents going to the same folder
    share one LibreOffice process (start-up costs about a second); the timeout is per document. Returns
    what was written and what failed (one failure does not stop the others; cancel does)."""
    exe = soffice or find_soffice(configured)
    if exe is None:
        raise KnownError(UNAVAILABLE, title="PDF not available")
    groups: dict[Path, list[Path]] = {}
    for f in docx_files:
        groups.setdefault(Path(out_dir_for(f)), []).append(Path(f))
    jobs = sorted(groups.items())
    total = sum(len(v) for v in groups.values())
    workers = max(1, min(workers or (os.cpu_count() or 1), len(jobs) or 1))
    result = PdfResult()
    procs = _Procs()
    done = [0]
    lock = threading.Lock()
    if cancel is not None:
        cancel.add_interrupt(procs.kill_all)
    profiles = [Path(tempfile.mkdtemp(prefix="cmr-lo-")) for _ in range(workers)]
    queue = list(reversed(jobs))

    def worker(idx: int):
        profile = profiles[idx].resolve().as_uri()
        while True:
            with lock:
                if not queue or (cancel is not None and cancel.cancelled):
                    return
                out_dir, srcs = queue.pop()
            out_dir.mkdir(parents=True, exist_ok=True)
            cmd = [str(exe), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *[str(x) for x in srcs]]
            try:
                p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError as exc:
                with lock:
                    result.failed += [(x, f"cannot start LibreOffice ({exc.strerror})") for x in srcs]
                continue
            with procs.lock:
                procs.procs.add(p)
            try:
                p.wait(timeout=timeout_s * len(srcs))
                why = f"LibreOffice exit code {p.returncode}"
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                why = f"timed out after {int(timeout_s * len(srcs))} s"
            finally:
                with procs.lock:
                    procs.procs.discard(p)
            with lock:
                for src in srcs:
                    pdf = out_dir / (src.stem + ".pdf")
                    if pdf.is_file():
                        result.written.append(pdf)
                    else:
                        result.failed.append((src, why))
                done[0] += len(srcs)
                if progress is not None:
                    progress.update(done[0], total, f"PDF {done[0]} of {total}")

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(worker, i) for i in range(workers)]
            for f in futures:
                f.result()
    finally:
        if cancel is not None:
            cancel.remove_interrupt(procs.kill_all)
        procs.kill_all()
        for prof in profiles:
            shutil.rmtree(prof, ignore_errors=True)
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    result.written.sort()
    return result


def render_pngs(pdf: Path, out_prefix: Path, *, dpi: int = 60, timeout_s: float = 120.0) -> list[Path]:
    """Page images of a PDF with poppler's ``pdftoppm`` (for looking at the output; not used in exports)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(out_prefix)], check=True, timeout=timeout_s,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))
