"""Headless front end over the core: import, generate, evaluate, export, run, demo, verify, gui.

This contract is used by automation; keep option names and JSON keys stable. Known errors print
one clear line to stderr and exit 2; bugs print a traceback (never record data) and exit 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from . import APP_NAME, __version__
from .errors import CmrError

log = logging.getLogger("cmr.cli")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="clearmyrecord", description=f"{APP_NAME} {__version__}")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--basedir", help="use this folder for settings, logs and staging (portable mode)")
    p.add_argument("--passphrase-env", metavar="VAR",
                   help="open or create an encrypted workspace; the passphrase is read from this "
                        "environment variable (never from the command line, where others could see it)")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("import", help="import DOJ research files into a workspace")
    s.add_argument("--workspace", required=True)
    s.add_argument("files", nargs="+")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("generate", help="write a synthetic DOJ research file")
    s.add_argument("--people", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--county", default="LOS ANGELES")
    s.add_argument("--out", required=True)
    s.add_argument("--dirty", action="store_true", help="include some malformed lines")

    s = sub.add_parser("evaluate", help="run the eligibility rules")
    _eval_args(s)
    s.add_argument("--workspace", required=True)
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="write results, BEAR-compatible files, packets or the report")
    s.add_argument("--workspace", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--what", default="results",
                   choices=["results", "bear", "packets", "report", "all"])
    s.add_argument("--run", type=int, help="run id (default: the latest)")
    s.add_argument("--draft", action="store_true", help="draft packets (skip the final-export gates)")
    s.add_argument("--pdf", action="store_true", help="also create PDFs (needs LibreOffice)")

    s = sub.add_parser("run", help="import + evaluate + export results in one go")
    s.add_argument("files", nargs="+")
    _eval_args(s)
    s.add_argument("--out", required=True)
    s.add_argument("--workspace", help="workspace file (default: OUT/workspace.duckdb)")

    s = sub.add_parser("demo", help="run the whole job on the bundled synthetic sample")
    s.add_argument("--out", default="demo-output")

    s = sub.add_parser("verify", help="check a packet or export folder (exit 0 only if intact)")
    s.add_argument("folder")

    s = sub.add_parser("gui", help="open the desktop app")
    s.add_argument("--workspace")
    s.add_argument("--screenshot", help="render the main window to this PNG and exit")

    s = sub.add_parser("selftest", help="import the sample, evaluate, export one packet, verify")
    return p


def _eval_args(s: argparse.ArgumentParser) -> None:
    s.add_argument("--county", required=True)
    s.add_argument("--as-of", type=_date, default=dt.date(2020, 7, 1))
    s.add_argument("--policy", default="statutory", help="preset name or policy TOML file")
    s.add_argument("--options", help="BEAR eligibility_options.json (bear_compatible policy)")


def run_cli(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from . import log as cmr_log
    from . import paths

    global _PASSPHRASE_ENV
    _PASSPHRASE_ENV = args.passphrase_env
    if args.basedir:
        paths.set_basedir(args.basedir)
    cmr_log.setup()
    command = args.command or "gui"
    try:
        return _COMMANDS[command](args)
    except CmrError as exc:
        print(f"{exc.title}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        return 0
    except Exception as exc:  # a bug: where it happened, but not the message (it may quote data)
        import traceback

        frames = traceback.extract_tb(exc.__traceback__)
        print(f"Internal error ({type(exc).__name__}); this is a bug. Where it happened:", file=sys.stderr)
        for frame in frames[-6:]:
            print(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}", file=sys.stderr)
        log.error("internal error %s at %s", type(exc).__name__,
                  "; ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames[-6:]))
        return 3


_PASSPHRASE_ENV: str | None = None


def _open(path: str, create: bool = True):
    import os

    from .store.database import open_workspace

    key = None
    if _PASSPHRASE_ENV:
        key = os.environ.get(_PASSPHRASE_ENV)
        if not key:
            raise CmrError(f"--passphrase-env {_PASSPHRASE_ENV}: that environment variable is empty or not set.")
    return open_workspace(path, create=create, passphrase=key)


class _Console:
    """Progress on stderr, at most a line per stage change (quiet when not a terminal)."""

    def __init__(self) -> None:
        self.last = ""

    def update(self, done: float, total: float, message: str = "") -> None:
        if message != self.last:
            self.last = message
            if sys.stderr.isatty():
                print(f"  {message}", file=sys.stderr)


def cmd_import(args) -> int:
    from .importers.doj_research_file import import_files

    with _open(args.workspace) as ws:
        results = import_files(ws, args.files, _Console())
    summary = {
        "workspace": str(Path(args.workspace)),
        "rows_imported": sum(r["rows_imported"] for r in results),
        "rows_quarantined": sum(r["rows_quarantined"] for r in results),
        "files": [{k: r[k] for k in ("file", "status", "message", "rows_imported", "rows_quarantined",
                                     "blank_lines", "lines_total", "sha256", "encoding", "has_header",
                                     "quarantine_by_reason", "warnings")} for r in results],
        "issues": [{"file": i["file"], "line": i["line"], "reason": i["reason"]}
                   for r in results for i in r["issues"]],
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for r in results:
            print(r["message"])
    return 0 if all(r["status"] == "imported" for r in results) else 1


def cmd_generate(args) -> int:
    from .synth.generator import generate

    info = generate(args.out, people=args.people, seed=args.seed, county=args.county, dirty=args.dirty)
    print(json.dumps(info, indent=2, default=str))
    return 0


def _evaluate(ws, args) -> dict:
    from .rules.engine import evaluate

    run_id = evaluate(ws, args.county, args.as_of, args.policy, args.options, _Console())
    return run_summary(ws, run_id)


def run_summary(ws, run_id: int) -> dict:
    run = ws.query_dicts("SELECT * FROM eval_run WHERE run_id = ?", [run_id])[0]
    by_det = dict(ws.query("SELECT determination, count(*) FROM count_result WHERE run_id = ? "
                           "GROUP BY 1 ORDER BY 1", [run_id]))
    by_stat = dict(ws.query("SELECT statutory_determination, count(*) FROM count_result WHERE run_id = ? "
                            "GROUP BY 1 ORDER BY 1", [run_id]))
    people = ws.query("SELECT count(DISTINCT subject_id) FROM count_result WHERE run_id = ?", [run_id])[0][0]
    conflicts = ws.query("SELECT count(*) FROM count_result WHERE run_id = ? AND policy_conflict",
                         [run_id])[0][0]
    return {
        "run_id": run_id, "county": run["filing_county"], "as_of": run["as_of"].isoformat(),
        "policy": {"id": run["policy_id"], "name": run["policy_name"], "version": run["policy_version"],
                   "sha256": run["policy_sha256"]},
        "ruleset_hash": run["ruleset_hash"], "app_version": run["app_version"],
        "counts": sum(by_det.values()), "people": people, "by_determination": by_det,
        "by_statutory_determination": by_stat, "policy_conflicts": conflicts,
        "impact": json.loads(run["impact"] or "{}"),
    }


def cmd_evaluate(args) -> int:
    with _open(args.workspace, create=False) as ws:
        summary = _evaluate(ws, args)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"Run {summary['run_id']}: {summary['counts']:,} convictions of {summary['people']:,} people "
              f"in {summary['county']} as of {summary['as_of']} ({summary['policy']['name']}).")
        for det, n in summary["by_determination"].items():
            print(f"  {det:24} {n:8,}")
    return 0


def _export(ws, out: Path, what: str, run_id: int | None, draft: bool = False, pdf: bool = False) -> dict:
    from .exporters.results import latest_run, write_results_csv

    run_id = run_id or latest_run(ws)
    if run_id is None:
        raise CmrError("The workspace has no evaluation run yet. Run `clearmyrecord evaluate` first.")
    out.mkdir(parents=True, exist_ok=True)
    done: dict = {"run_id": run_id, "out": str(out)}
    if what in ("results", "all"):
        done["results_rows"] = write_results_csv(ws, run_id, out / "results.csv")
    if what == "bear":
        from .exporters.bear_compat import write_bear_export

        done["bear"] = write_bear_export(ws, run_id, out)
    if what in ("packets", "report", "all"):
        from .documents.export import export_all

        result = export_all(ws, run_id, out, what=what, kind="draft" if draft else "final",
                            progress=_Console(), pdf=pdf)
        done["export_dir"] = str(result.export_dir)
        done["packet_ids"] = list(result.packet_ids)
        done["problems"] = list(getattr(result, "problems", []) or [])
    return done


def cmd_export(args) -> int:
    with _open(args.workspace, create=False) as ws:
        done = _export(ws, Path(args.out), args.what, args.run, args.draft, args.pdf)
    print(json.dumps(done, indent=2, default=str))
    return 0


def cmd_run(args) -> int:
    from .importers.doj_research_file import import_files

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with _open(args.workspace or str(out / "workspace.duckdb")) as ws:
        imported = import_files(ws, args.files, _Console())
        for r in imported:
            print(r["message"], file=sys.stderr)
        summary = _evaluate(ws, args)
        what = "bear" if summary["policy"]["id"] == "bear_compatible" else "results"
        done = _export(ws, out, "results", summary["run_id"])
        if what == "bear":
            done.update(_export(ws, out, "bear", summary["run_id"]))
    print(json.dumps({"evaluation": summary, "export": done}, indent=2, default=str))
    return 0


def cmd_demo(args) -> int:
    from . import paths
    from .importers.doj_research_file import import_files

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    workspace = out / "demo_workspace.duckdb"
    for stale in (workspace, workspace.with_suffix(".duckdb.wal")):
        if stale.exists():
            stale.unlink()
    sample = paths.sample_extract()
    print(f"{APP_NAME} {__version__} — demo on the bundled synthetic extract {sample.name}")
    with _open(str(workspace)) as ws:
        for r in import_files(ws, [sample]):
            print(f"  import: {r['message']}")
        ns = argparse.Namespace(county="LOS ANGELES", as_of=dt.date(2020, 7, 1), policy="statutory",
                                options=None)
        summary = _evaluate(ws, ns)
        print(f"  evaluate: run {summary['run_id']}, {summary['counts']} Prop 64 convictions of "
              f"{summary['people']} people in LOS ANGELES as of 2020-07-01 (statutory floor)")
        for det, n in summary["by_determination"].items():
            print(f"      {det:24} {n:6}")
        done = _export(ws, out, "results", summary["run_id"])
        print(f"  results: {done['results_rows']} rows -> {out / 'results.csv'}")
        try:
            _demo_packets(ws, out, summary["run_id"])
        except ImportError as exc:  # packets module not installed in this build
            print(f"  packets: skipped ({exc})")
    print(f"Done. Open the workspace in the app: clearmyrecord gui --workspace {workspace}")
    return 0


def _demo_packets(ws, out: Path, run_id: int) -> None:
    from .documents.export import export_all
    from .settings import demo_settings, save_settings

    save_settings(ws, demo_settings(ws, run_id))
    (out / "packets").mkdir(exist_ok=True)
    result = export_all(ws, run_id, out / "packets", what="all", kind="draft")
    print(f"  packets: {len(result.packet_ids)} draft packets + summary report -> {result.export_dir}")
    from .documents.verify import verify_folder

    check = verify_folder(result.export_dir)
    print(f"  verify: {check.message}")
    if not check.ok:
        raise CmrError(f"The demo export did not verify: {check.message}")


def cmd_verify(args) -> int:
    from .documents.verify import main as verify_main

    return verify_main([args.folder])


def cmd_gui(args) -> int:
    from .gui.app import run_gui

    return run_gui(workspace=args.workspace, screenshot=args.screenshot)


def cmd_selftest(args) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ns = argparse.Namespace(out=tmp)
        code = cmd_demo(ns)
    print("selftest passed" if code == 0 else "selftest FAILED")
    return code


_COMMANDS = {
    "import": cmd_import, "generate": cmd_generate, "evaluate": cmd_evaluate, "export": cmd_export,
    "run": cmd_run, "demo": cmd_demo, "verify": cmd_verify, "gui": cmd_gui, "selftest": cmd_selftest,
}
