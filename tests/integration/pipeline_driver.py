"""Runs the whole product pipeline in one process, for tests that watch it from outside.

    python pipeline_driver.py --source FILE --work DIR [--gui] [--passphrase-env VAR]

import → evaluate → results CSV → draft packets + summary report (export_all, delivered and verified)
→ optionally the GUI on the new workspace, rendered offscreen to DIR/screen.png. User folders come
from CLEARMYRECORD_HOME; logging is set up exactly as the CLI does. Prints one JSON line at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--county", default="LOS ANGELES")
    p.add_argument("--gui", action="store_true")
    p.add_argument("--passphrase-env")
    args = p.parse_args(argv)

    from clearmyrecord_desktop import log as cmr_log

    cmr_log.setup()
    from clearmyrecord_desktop.documents.export import export_all
    from clearmyrecord_desktop.documents.verify import verify_folder
    from clearmyrecord_desktop.exporters.results import write_results_csv
    from clearmyrecord_desktop.importers.doj_research_file import import_files
    from clearmyrecord_desktop.rules.engine import evaluate
    from clearmyrecord_desktop.settings import demo_settings, save_settings
    from clearmyrecord_desktop.store.database import Workspace

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    ws_path = work / "workspace.duckdb"
    passphrase = os.environ[args.passphrase_env] if args.passphrase_env else None
    out: dict = {}
    with Workspace(ws_path, create=True, passphrase=passphrase) as ws:
        imported = import_files(ws, [args.source])
        out["rows_imported"] = sum(r["rows_imported"] for r in imported)
        run_id = evaluate(ws, args.county, dt.date(2020, 7, 1), "statutory")
        out["run_id"] = run_id
        out["results_rows"] = write_results_csv(ws, run_id, work / "results.csv")
        save_settings(ws, demo_settings(ws, run_id))
        exports = work / "exports"
        exports.mkdir(exist_ok=True)
        result = export_all(ws, run_id, exports, what="all", kind="draft")
        out["export_dir"] = str(result.export_dir)
        out["packets"] = len(result.packet_ids)
        check = verify_folder(result.export_dir)
        out["verified"] = bool(check.ok)
    if args.gui:
        from clearmyrecord_desktop.gui.app import run_gui

        shot = work / "screen.png"
        out["gui_exit"] = run_gui(workspace=None if passphrase else str(ws_path), screenshot=str(shot))
        out["screenshot_bytes"] = shot.stat().st_size if shot.exists() else 0
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
