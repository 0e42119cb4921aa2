"""Kill points: run import, evaluate or export in a child process, SIGKILL it after a delay, and check
what the workspace and the destination folder hold afterwards.

Invariants checked (an *inconsistency* is any breach):
- the workspace opens (DuckDB replays or drops its WAL) and ``integrity_check()`` finds nothing;
- import: the workspace holds the whole batch (batch row, every row, every quarantine record, with
  matching counts) or none of it (doj-research-file.md 7);
- evaluate: the new run and all its results, or neither (eligibility.md 2);
- export: every folder at the destination without ``.partial`` in its name verifies as intact (a
  kill never leaves a half-written export under a final name); when the step finished, exactly one
  such folder exists; every export_record row points at an intact folder.

Also reported (not failures): leftover temporary files beside the workspace, partial folders,
staging folders, and a batch/run whose audit row is missing (the audit row is written in a second
transaction after the import/evaluation commits).

Used by tests/crash/test_kill_points.py and bench/crash_soak.py. POSIX only (SIGKILL).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORKER = HERE / "kill_worker.py"
STEPS = ("import", "evaluate", "export")


@dataclass
class Outcome:
    step: str
    fraction: float
    delay: float
    killed: bool = False
    finished: bool = False
    state: str = ""                      # none | whole | delivered | inconsistent
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def consistent(self) -> bool:
        return not self.problems


@dataclass
class Reference:
    """What an uninterrupted run of a step produced, and how long the step took."""
    step: str
    seconds: float
    rows: int = 0
    quarantined: int = 0
    counts: int = 0
    runs_before: int = 0
    results_before: int = 0


def worker_env(home: Path) -> dict:
    env = dict(os.environ)
    env["CLEARMYRECORD_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def run_worker(step: str, workspace: Path, home: Path, *, source: Path | None = None,
               out: Path | None = None, kill_after: float | None = None,
               timeout: float = 600.0) -> tuple[bool, bool, float, str]:
    """Start the worker; after READY wait ``kill_after`` seconds and SIGKILL it (None: let it finish).
    Returns (killed, finished, seconds since READY, stderr tail)."""
    cmd = [sys.executable, str(WORKER), step, "--workspace", str(workspace)]
    if source is not None:
        cmd += ["--source", str(source)]
    if out is not None:
        cmd += ["--out", str(out)]
    err_path = workspace.parent / f".worker-{step}-{os.getpid()}-{time.monotonic_ns()}.err"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=worker_env(home),
                                cwd=workspace.parent)
        try:
            ready = _wait_for_line(proc, b"READY", timeout=120)
            if not ready:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"worker never got ready:\n{err_path.read_text(errors='replace')[-3000:]}")
            t0 = time.monotonic()
            killed = False
            if kill_after is not None:
                end = t0 + kill_after
                while time.monotonic() < end and proc.poll() is None:
                    time.sleep(min(0.005, max(0.0, end - time.monotonic())))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    killed = True
            rest, _ = proc.communicate(timeout=timeout)
            seconds = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    tail = err_path.read_text(errors="replace")[-3000:]
    err_path.unlink(missing_ok=True)
    finished = (not killed) and proc.returncode == 0 and b"DONE " in (rest or b"")
    if not killed and proc.returncode != 0:
        raise RuntimeError(f"worker {step} failed (exit {proc.returncode}):\n{tail}")
    return killed, finished, seconds, tail


def _wait_for_line(proc: subprocess.Popen, token: bytes, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    buf = b""
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                return False
            buf += chunk
            if token in buf:
                return True
        elif proc.poll() is not None:
            return False
    return False


# -- state checks ------------------------------------------------------------------------------

def _open(path: Path, outcome: Outcome):
    from clearmyrecord_desktop.store.database import Workspace

    try:
        return Workspace(path)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        outcome.problems.append(f"workspace does not open after the kill: {type(exc).__name__}: {exc}")
        return None


def _leftovers(folder: Path, outcome: Outcome) -> None:
    temps = [p.name for p in folder.glob(".cmr-*")]
    if temps:
        outcome.notes.append(f"{len(temps)} temporary file(s) left beside the workspace")


def _inspect(ws_path: Path, outcome: Outcome, read):
    """Open the workspace after a kill, add its integrity problems, return ``read(ws)`` (None when
    it does not open: then the state is inconsistent)."""
    ws = _open(ws_path, outcome)
    if ws is None:
        outcome.state = "inconsistent"
        return None
    try:
        outcome.problems += ws.integrity_check()
        return read(ws)
    finally:
        ws.close()


def _conclude(ws_path: Path, outcome: Outcome, what: str) -> None:
    if outcome.finished and outcome.state != "whole":
        outcome.problems.append(f"the {what} finished but the workspace does not hold it")
    _leftovers(ws_path.parent, outcome)


def check_import(ws_path: Path, ref: Reference, outcome: Outcome) -> None:
    found = _inspect(ws_path, outcome, lambda ws: (
        ws.query("SELECT batch_id, rows_imported, lines_quarantined FROM import_batch"),
        ws.query("SELECT count(*) FROM doj_row")[0][0],
        ws.query("SELECT count(*) FROM quarantine")[0][0],
        ws.query("SELECT count(*) FROM audit_log WHERE action = 'import'")[0][0]))
    if found is None:
        return
    batches, rows, quarantined, audits = found
    if not batches and rows == 0 and quarantined == 0:
        outcome.state = "none"
    elif (len(batches) == 1 and batches[0][1] == rows == ref.rows
          and batches[0][2] == quarantined == ref.quarantined):
        outcome.state = "whole"
        if audits == 0:
            outcome.notes.append("imported batch without its audit row")
    else:
        outcome.state = "inconsistent"
        outcome.problems.append(f"partial import: {len(batches)} batch rows, {rows} rows, {quarantined} "
                                f"quarantined (expected {ref.rows}/{ref.quarantined} or nothing)")
    _conclude(ws_path, outcome, "import")


def _read_runs(ws, ref: Reference) -> tuple:
    runs = ws.query("SELECT run_id FROM eval_run ORDER BY run_id")
    results = ws.query("SELECT count(*) FROM count_result")[0][0]
    new_results = 0
    if len(runs) > ref.runs_before:
        new_results = ws.query("SELECT count(*) FROM count_result WHERE run_id = ?", [runs[-1][0]])[0][0]
    audits = ws.query("SELECT count(*) FROM audit_log WHERE action = 'evaluate'")[0][0]
    return runs, results, new_results, audits


def check_evaluate(ws_path: Path, ref: Reference, outcome: Outcome) -> None:
    found = _inspect(ws_path, outcome, lambda ws: _read_runs(ws, ref))
    if found is None:
        return
    runs, results, new_results, audits = found
    if len(runs) == ref.runs_before and results == ref.results_before:
        outcome.state = "none"
    elif len(runs) == ref.runs_before + 1 and new_results == ref.counts \
            and results == ref.results_before + ref.counts:
        outcome.state = "whole"
        if audits < len(runs):
            outcome.notes.append("evaluation run without its audit row")
    else:
        outcome.state = "inconsistent"
        outcome.problems.append(f"partial run: {len(runs)} runs, {results} results "
                                f"(before {ref.runs_before}/{ref.results_before}, run adds {ref.counts})")
    _conclude(ws_path, outcome, "evaluation")


def check_export(ws_path: Path, out: Path, home: Path, outcome: Outcome) -> None:
    from clearmyrecord_desktop.documents.manifest import PARTIAL_MARKER
    from clearmyrecord_desktop.documents.verify import verify_folder

    finals, partials = [], []
    if out.is_dir():
        for entry in sorted(out.iterdir()):
            if not entry.is_dir():
                outcome.problems.append(f"stray file at the destination: {entry.name}")
            elif entry.name.endswith(".partial"):
                partials.append(entry)
            else:
                finals.append(entry)
    for folder in finals:
        check = verify_folder(folder)
        if not check.ok:
            outcome.problems.append(f"folder {folder.name} has a final name but does not verify: {check.message}")
    for folder in partials:
        if not (folder / PARTIAL_MARKER).is_file():
            outcome.notes.append("partial folder without its marker (not cleaned up automatically)")
        else:
            outcome.notes.append("marked partial folder left at the destination")
    ws = _open(ws_path, outcome)
    records = []
    if ws is not None:
        try:
            outcome.problems += ws.integrity_check()
            records = ws.query("SELECT export_id, destination, verified FROM export_record")
        finally:
            ws.close()
    for export_id, destination, verified in records:
        if not Path(destination).is_dir() or not verified:
            outcome.problems.append(f"export record {export_id} without an intact folder")
    if outcome.finished and (len(finals) != 1 or len(records) != 1):
        outcome.problems.append(f"the export finished but left {len(finals)} final folders, {len(records)} records")
    if finals and not records:
        outcome.notes.append("delivered export without its export record (killed between rename and record)")
    staging = home / "staging"
    if staging.is_dir() and any(staging.iterdir()):
        outcome.notes.append("staging folder left (removed on the next start after 24 h)")
    outcome.state = ("inconsistent" if outcome.problems else
                     "whole" if finals and records else "delivered" if finals else "none")


# -- one kill point ----------------------------------------------------------------------------

class Fixtures:
    """Source file, prepared workspaces and reference timings, built once and copied per kill point."""

    def __init__(self, root: Path, *, import_people: int = 3000, export_people: int = 10, seed: int = 20):
        self.root = root
        self.import_people = import_people
        self.export_people = export_people
        self.seed = seed
        self._refs: dict[str, Reference] = {}
        self._n = 0

    def fresh_dir(self, label: str) -> Path:
        self._n += 1
        path = self.root / f"{label}-{self._n:03d}"
        path.mkdir(parents=True)
        return path

    # source data
    def big_source(self) -> Path:
        path = self.root / "src" / f"synthetic_{self.import_people}.csv"
        if not path.exists():
            from clearmyrecord_desktop.synth.generator import generate

            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, people=self.import_people, seed=self.seed, county="LOS ANGELES", dirty=True)
        return path

    def small_source(self) -> Path:
        path = self.root / "src" / f"synthetic_{self.export_people}.csv"
        if not path.exists():
            from clearmyrecord_desktop.synth.generator import generate

            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, people=self.export_people, seed=self.seed + 1, county="LOS ANGELES")
        return path

    def empty_workspace(self) -> Path:
        path = self.root / "prepared" / "empty.duckdb"
        if not path.exists():
            from clearmyrecord_desktop.store.database import Workspace

            path.parent.mkdir(parents=True, exist_ok=True)
            Workspace(path, create=True).close()
        return path

    def imported_workspace(self) -> Path:
        """The big file imported; reference for evaluate is measured on a copy of it."""
        path = self.root / "prepared" / "imported.duckdb"
        if not path.exists():
            self.reference("import")  # imports into prepared/import_ref.duckdb
            shutil.copy(self.root / "prepared" / "import_ref.duckdb", path)
        return path

    def export_workspace(self) -> Path:
        """A small file imported and evaluated, with demo office settings (export gates pass)."""
        path = self.root / "prepared" / "export.duckdb"
        if not path.exists():
            import datetime as dt

            from clearmyrecord_desktop.importers.doj_research_file import import_files
            from clearmyrecord_desktop.rules.engine import evaluate
            from clearmyrecord_desktop.settings import demo_settings, save_settings
            from clearmyrecord_desktop.store.database import Workspace

            path.parent.mkdir(parents=True, exist_ok=True)
            with Workspace(path, create=True) as ws:
                import_files(ws, [self.small_source()])
                run_id = evaluate(ws, "LOS ANGELES", dt.date(2020, 7, 1))
                save_settings(ws, demo_settings(ws, run_id))
        return path

    def reference(self, step: str) -> Reference:
        """Run the step once without a kill: expected outcome and its duration."""
        if step in self._refs:
            return self._refs[step]
        from clearmyrecord_desktop.store.database import Workspace

        prepared = self.root / "prepared"
        prepared.mkdir(parents=True, exist_ok=True)
        home = self.fresh_dir("ref-home")
        if step == "import":
            ws_path = prepared / "import_ref.duckdb"
            shutil.copy(self.empty_workspace(), ws_path)
            _, finished, seconds, tail = run_worker("import", ws_path, home, source=self.big_source())
            with Workspace(ws_path) as ws:
                rows = ws.query("SELECT count(*) FROM doj_row")[0][0]
                quarantined = ws.query("SELECT count(*) FROM quarantine")[0][0]
            ref = Reference(step, seconds, rows=rows, quarantined=quarantined)
        elif step == "evaluate":
            ws_path = prepared / "evaluate_ref.duckdb"
            shutil.copy(self.imported_workspace(), ws_path)
            with Workspace(ws_path) as ws:
                runs_before = ws.query("SELECT count(*) FROM eval_run")[0][0]
                results_before = ws.query("SELECT count(*) FROM count_result")[0][0]
            _, finished, seconds, tail = run_worker("evaluate", ws_path, home)
            with Workspace(ws_path) as ws:
                counts = ws.query("SELECT count(*) FROM count_result")[0][0] - results_before
            ref = Reference(step, seconds, counts=counts, runs_before=runs_before, results_before=results_before)
        else:
            work = self.fresh_dir("ref-export")
            ws_path = work / "ws.duckdb"
            shutil.copy(self.export_workspace(), ws_path)
            out = work / "out"
            out.mkdir()
            _, finished, seconds, tail = run_worker("export", ws_path, home, out=out)
            ref = Reference(step, seconds)
        if not finished:
            raise RuntimeError(f"reference {step} did not finish:\n{tail}")
        self._refs[step] = ref
        return ref

    def kill_point(self, step: str, fraction: float) -> Outcome:
        ref = self.reference(step)
        delay = round(fraction * ref.seconds, 3)
        outcome = Outcome(step, fraction, delay)
        work = self.fresh_dir(f"kill-{step}")
        home = work / "home"
        ws_path = work / "ws.duckdb"
        started = time.monotonic()
        if step == "import":
            shutil.copy(self.empty_workspace(), ws_path)
            outcome.killed, outcome.finished, _, _ = run_worker("import", ws_path, home, source=self.big_source(),
                                                                kill_after=delay)
            check_import(ws_path, ref, outcome)
        elif step == "evaluate":
            shutil.copy(self.imported_workspace(), ws_path)
            outcome.killed, outcome.finished, _, _ = run_worker("evaluate", ws_path, home, kill_after=delay)
            check_evaluate(ws_path, ref, outcome)
        else:
            shutil.copy(self.export_workspace(), ws_path)
            out = work / "out"
            out.mkdir()
            outcome.killed, outcome.finished, _, _ = run_worker("export", ws_path, home, out=out, kill_after=delay)
            check_export(ws_path, out, home, outcome)
        outcome.seconds = round(time.monotonic() - started, 2)
        if outcome.consistent:  # keep the evidence of a failure; otherwise keep the disk clean
            shutil.rmtree(work, ignore_errors=True)
        return outcome


def spread(n: int) -> list[float]:
    """``n`` kill fractions spread evenly over the step's runtime (midpoints of n equal slices)."""
    return [round((i + 0.5) / n, 4) for i in range(n)]


def summary_json(outcomes: list[Outcome]) -> str:
    return json.dumps([o.__dict__ for o in outcomes], indent=1)
