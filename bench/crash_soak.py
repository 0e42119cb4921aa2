"""Crash soak: SIGKILL import, evaluate and export at N points spread over their runtime and check
that the workspace and the export folder hold all of each step's work or none of it.

    python bench/crash_soak.py                      # 60 kill points (20 per step), 3,000 people
    python bench/crash_soak.py --points 150 --people 3000 --steps import,evaluate
    python bench/crash_soak.py --json out.json      # also write every outcome

Prints one line per kill point and a summary table; exits 1 if any kill point left an inconsistent
workspace or a final-named export folder that does not verify. POSIX only. See
tests/crash/kill_harness.py for the invariants; tests/crash/test_kill_points.py runs 12 (default)
or 52 (``-m slow``) of these in CI.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "crash"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import kill_harness as kh  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=60, help="kill points in total (split evenly over the steps)")
    p.add_argument("--people", type=int, default=3000, help="people in the synthetic file for import/evaluate")
    p.add_argument("--export-people", type=int, default=10)
    p.add_argument("--steps", default="import,evaluate,export")
    p.add_argument("--jitter", type=float, default=0.0, help="random shift of each fraction (0..0.5 of a slice)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workdir", help="keep data here (default: a temporary folder)")
    p.add_argument("--json", help="write every outcome to this file")
    args = p.parse_args(argv)
    if sys.platform == "win32":
        print("kill points need SIGKILL (POSIX)", file=sys.stderr)
        return 2
    steps = [s for s in args.steps.split(",") if s]
    for s in steps:
        if s not in kh.STEPS:
            p.error(f"unknown step {s}")
    per_step = {s: args.points // len(steps) + (1 if i < args.points % len(steps) else 0) for i, s in enumerate(steps)}
    rng = random.Random(args.seed)

    tmp = None
    if args.workdir:
        root = Path(args.workdir)
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="cmr-crash-soak-")
        root = Path(tmp.name)
    fx = kh.Fixtures(root, import_people=args.people, export_people=args.export_people)
    outcomes: list[kh.Outcome] = []
    started = time.monotonic()
    print(f"{'step':9} {'at':>6} {'delay s':>8} {'killed':>6} {'state':>12}  problems / notes")
    for step in steps:
        ref = fx.reference(step)
        print(f"# {step}: uninterrupted step takes {ref.seconds:.2f} s")
        n = per_step[step]
        for f in kh.spread(n):
            if args.jitter:
                f = min(0.999, max(0.001, f + rng.uniform(-args.jitter, args.jitter) / n))
            o = fx.kill_point(step, f)
            outcomes.append(o)
            detail = "; ".join(o.problems) or ("; ".join(o.notes) if o.notes else "")
            print(f"{o.step:9} {o.fraction:6.1%} {o.delay:8.2f} {'yes' if o.killed else 'no':>6} "
                  f"{o.state:>12}  {'INCONSISTENT: ' if o.problems else ''}{detail}", flush=True)
    total = time.monotonic() - started

    print("\nSummary")
    print(f"{'step':9} {'points':>6} {'killed':>6} {'none':>5} {'whole':>5} {'deliv.':>6} {'incons.':>7}")
    for step in steps:
        mine = [o for o in outcomes if o.step == step]
        states = collections.Counter(o.state for o in mine)
        print(f"{step:9} {len(mine):6} {sum(o.killed for o in mine):6} {states['none']:5} {states['whole']:5} "
              f"{states['delivered']:6} {sum(not o.consistent for o in mine):7}")
    notes = collections.Counter(n for o in outcomes for n in o.notes)
    if notes:
        print("\nNotes (not failures):")
        for note, count in notes.most_common():
            print(f"  {count:4} x {note}")
    bad = [o for o in outcomes if not o.consistent]
    print(f"\nkill points={len(outcomes)} inconsistencies={len(bad)} time={total:.0f} s")
    if args.json:
        Path(args.json).write_text(kh.summary_json(outcomes), encoding="utf-8")
    if tmp is not None and not bad:
        tmp.cleanup()
    elif bad:
        print(f"evidence kept in {root}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
