"""Child process of the kill-point tests: runs ONE step on a workspace, to be SIGKILLed midway.

    python kill_worker.py import|evaluate|export --workspace W [--source F] [--out DIR]

Prints ``READY`` once the modules are loaded and the workspace is open (the parent starts its kill
timer then), and ``DONE {json}`` after the step finished and the workspace was closed. User folders
(staging, logs) come from CLEARMYRECORD_HOME.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COUNTY = "LOS ANGELES"
AS_OF = dt.date(2020, 7, 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=["import", "evaluate", "export"])
    p.add_argument("--workspace", required=True)
    p.add_argument("--source")
    p.add_argument("--out")
    args = p.parse_args(argv)

    from clearmyrecord_desktop import log as cmr_log
    from clearmyrecord_desktop.store.database import Workspace

    cmr_log.setup()
    if args.step == "import":
        from clearmyrecord_desktop.importers import scan_split
        from clearmyrecord_desktop.importers.doj_research_file import import_files

        scan_split.SPLIT_MIN_BYTES = 0  # every kill point also hits the two-process pass 1
    elif args.step == "evaluate":
        from clearmyrecord_desktop.rules import decide_split
        from clearmyrecord_desktop.rules.engine import evaluate

        decide_split.MIN_PEOPLE = 0  # every kill point also hits the two-process decisions
        decide_split.BATCH = 8
    else:
        from clearmyrecord_desktop.documents.export import export_all
        from clearmyrecord_desktop.exporters.results import latest_run

    ws = Workspace(args.workspace)
    print("READY", flush=True)
    started = time.monotonic()
    info: dict = {"step": args.step}
    if args.step == "import":
        result = import_files(ws, [args.source])[0]
        info.update(status=result["status"], rows=result["rows_imported"], quarantined=result["rows_quarantined"])
    elif args.step == "evaluate":
        info["run_id"] = evaluate(ws, COUNTY, AS_OF, "statutory")
    else:
        result = export_all(ws, latest_run(ws), args.out, what="all", kind="draft")
        info.update(export_dir=str(result.export_dir), packets=len(result.packet_ids), verified=result.verified)
    ws.close()
    info["seconds"] = round(time.monotonic() - started, 3)
    print("DONE " + json.dumps(info), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
