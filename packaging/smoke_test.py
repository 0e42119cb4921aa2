"""Smoke test of the frozen app (architecture.md 13): run the built executable the way a user would.

    python packaging/smoke_test.py [dist/ClearMyRecord]

1. ``--version`` prints the package version;
2. ``selftest --basedir <tmp>``: imports the bundled synthetic sample, evaluates, exports draft
   packets and verifies them;
3. a command-line pipeline on a generated file (generate → import → evaluate → export results),
   which exercises the bundled SQL, rule catalog and policy files one by one;
4. ``gui --screenshot <tmp>/s.png`` offscreen: the main window starts, renders and quits.

Fails on a non-zero exit, a missing output, or any crash file in the user log folder. Needs only
the standard library (run it with any Python 3.9+). On Windows it runs ClearMyRecord-cli.exe (the
console twin) for steps 1–3 and ClearMyRecord.exe for step 4.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"


def _version() -> str:
    tree = ast.parse((ROOT / "clearmyrecord_desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__version__":
            return node.value.value
    return ""


class Smoke:
    def __init__(self, bundle: Path, tmp: Path):
        self.bundle = bundle
        self.cli = bundle / ("ClearMyRecord-cli.exe" if WINDOWS else "ClearMyRecord")
        self.gui = bundle / ("ClearMyRecord.exe" if WINDOWS else "ClearMyRecord")
        self.tmp = tmp
        self.home = tmp / "home"
        self.env = dict(os.environ)
        self.env["CLEARMYRECORD_HOME"] = str(self.home)
        self.env.setdefault("QT_QPA_PLATFORM", "offscreen")
        self.env.pop("PYTHONPATH", None)  # the bundle must not lean on a source tree
        self.failures: list[str] = []

    def run(self, name: str, args: list[str], exe: Path | None = None, timeout: int = 600,
            expect_out: str | None = None) -> subprocess.CompletedProcess | None:
        started = time.monotonic()
        try:
            proc = subprocess.run([str(exe or self.cli), *args], env=self.env, cwd=self.tmp,
                                  capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.fail(name, f"did not run: {exc}")
            return None
        seconds = time.monotonic() - started
        ok = proc.returncode == 0 and (expect_out is None or expect_out in proc.stdout)
        print(f"{'PASS' if ok else 'FAIL'}  {name}  ({seconds:.1f} s, exit {proc.returncode})")
        if not ok:
            self.fail(name, f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-2000:]}\n"
                            f"--- stderr ---\n{proc.stderr[-3000:]}")
        return proc

    def fail(self, name: str, detail: str) -> None:
        self.failures.append(f"{name}: {detail}")

    def crash_files(self) -> list[Path]:
        found = []
        for base in (self.home, self.tmp / "base"):
            logs = base / "logs"
            if logs.is_dir():
                found += sorted(logs.glob("crash-*"))
        return found


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else ROOT / "dist" / "ClearMyRecord").resolve()
    if not bundle.is_dir():
        print(f"no bundle at {bundle}; build it first: bash packaging/build.sh", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cmr-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        s = Smoke(bundle, tmp)
        if not s.cli.exists():
            print(f"no executable {s.cli}", file=sys.stderr)
            return 2
        version = _version()
        s.run("--version", ["--version"], timeout=120, expect_out=version or None)
        s.run("selftest", ["--basedir", str(tmp / "base"), "selftest"], expect_out="selftest passed")

        src = tmp / "extract.csv"
        ws = tmp / "pipeline.duckdb"
        out = tmp / "out"
        if s.run("generate", ["generate", "--people", "25", "--seed", "3", "--out", str(src)]):
            proc = s.run("import", ["import", "--workspace", str(ws), str(src), "--json"])
            if proc and proc.returncode == 0 and json.loads(proc.stdout)["rows_imported"] <= 0:
                s.fail("import", "no rows imported")
            proc = s.run("evaluate", ["evaluate", "--workspace", str(ws), "--county", "LOS ANGELES", "--json"])
            if proc and proc.returncode == 0 and json.loads(proc.stdout)["counts"] <= 0:
                s.fail("evaluate", "no counts evaluated")
            s.run("export results", ["export", "--workspace", str(ws), "--out", str(out), "--what", "results"])
            if not (out / "results.csv").is_file():
                s.fail("export results", "results.csv missing")

        shot = tmp / "s.png"
        s.run("gui --screenshot", ["gui", "--workspace", str(ws), "--screenshot", str(shot)], exe=s.gui,
              timeout=300)
        if not shot.is_file() or shot.stat().st_size < 1000:
            s.fail("gui --screenshot", f"no screenshot at {shot}")

        crashes = s.crash_files()
        if crashes:
            s.fail("crash files", "\n".join(f"{c.name}:\n{c.read_text(errors='replace')[:2000]}" for c in crashes))
        print(f"{'PASS' if not crashes else 'FAIL'}  no crash file")
        if s.failures:
            print("\nSMOKE TEST FAILED", file=sys.stderr)
            for f in s.failures:
                print(f"- {f}", file=sys.stderr)
            return 1
        print("smoke test passed")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
