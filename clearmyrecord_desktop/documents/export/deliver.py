"""Deliver a staged export set: atomic copy to the chosen folder with verify-after-write, the export
record in the workspace, then the staging folder is removed."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ...exporters import delivery
from .. import manifest as mf
from .build import _default_clock

log = logging.getLogger("cmr.export")  # ids, counts and timings only; never record data


@dataclass
class ExportResult:
    export_dir: Path                 # the final export set folder at the destination
    packet_ids: list[str]
    files: list[str]                 # every file of the export set, relative, with /
    problems: list[str]              # non-fatal problems (e.g. a PDF that could not be made)
    export_id: str = ""
    kind: str = "final"
    manifest_sha256: str = ""
    verified: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def deliver_staged(ws, staged: str | Path, out_dir: str | Path, *, progress=None, cancel=None,
                   operator: str | None = None, fs: delivery.FileOps | None = None,
                   clock: Callable[[], datetime] | None = None) -> ExportResult:
    """Copy a staged export set to ``out_dir`` (atomic, verified), record it, delete the staging folder."""
    from ..verify import verify_folder

    staged = Path(staged)
    t0 = time.perf_counter()
    em = mf.load_json(staged / mf.EXPORT_MANIFEST)
    result = delivery.deliver(staged, out_dir, export_id=em["export_id"], fs=fs, progress=progress, cancel=cancel)
    t1 = time.perf_counter()
    check = verify_folder(result.final_path, deep=False)
    t2 = time.perf_counter()
    _, man_sha = mf.sha256_file(result.final_path / mf.EXPORT_MANIFEST)
    packet_ids = [p["packet_id"] for p in em.get("packets", [])]
    when = (clock or _default_clock)()
    with ws.write() as cur:
        cur.execute(
            """INSERT OR REPLACE INTO export_record (export_id, run_id, created_at, operator, kind, destination,
                   packet_ids, manifest_sha256, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [em["export_id"], em.get("run_id"), when.astimezone(timezone.utc).replace(tzinfo=None),
             operator or _operator(), em.get("kind"), str(result.final_path), json.dumps(packet_ids), man_sha,
             check.ok])
    files = mf.walk_files(result.final_path)
    delivery.remove_staging(staged)
    log.info("export %s delivered: %d files, %d bytes, verified %s", em["export_id"], result.files, result.bytes,
             check.ok)
    problems = [] if check.ok else [check.message]
    return ExportResult(export_dir=result.final_path, packet_ids=packet_ids, files=files, problems=problems,
                        export_id=em["export_id"], kind=em.get("kind", ""), manifest_sha256=man_sha,
                        verified=check.ok, timings={"copy": t1 - t0, "verify": t2 - t1})


def _operator() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name available
        return ""
