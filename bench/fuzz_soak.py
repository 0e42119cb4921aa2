"""Fuzz soak of the DOJ importer: import N malformed files (tests/fuzz/doj_cases.py) and count crashes.

    python bench/fuzz_soak.py                         # 10,000 files, 2 worker processes
    python bench/fuzz_soak.py --files 500 --seed 7
    python bench/fuzz_soak.py --include-known-bugs    # also generate the patterns of known, reported bugs

A *crash* is an exception out of ``import_file`` (its contract is a summary, never an exception);
a *broken promise* is a summary or database that breaks doj-research-file.md (line accounting,
intact lines kept verbatim, damaged lines quarantined with their reason, file-level rejections).
Prints one line per 500 files and ends with ``files=N crashes=C broken_promises=B``; exits 1 if
either is non-zero. Failing files are kept in --keep (default bench/out/fuzz_failures/).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))


def _work(args: tuple[int, int, int, bool, str]) -> dict:
    worker, start, count, include_known, keep = args
    import doj_cases

    out = {"files": 0, "crashes": 0, "broken": 0, "bytes": 0, "lines": 0, "failures": [],
           "kinds": collections.Counter()}
    with tempfile.TemporaryDirectory(prefix=f"cmr-fuzz-{worker}-") as tmp:
        root = Path(tmp)
        template = doj_cases.empty_template(root / "template")
        from clearmyrecord_desktop.store.database import Workspace

        ws = Workspace(template)  # reused, emptied after every file
        for seed in range(start, start + count):
            case = doj_cases.make_case(random.Random(seed), avoid_known_bugs=not include_known)
            crashed, problems = doj_cases.check_case(template, root / "case", case, ws=ws)
            out["files"] += 1
            out["bytes"] += len(case.data)
            out["lines"] += case.lines_total
            out["kinds"]["rejected" if case.rejected else "imported"] += 1
            if crashed or problems:
                out["crashes" if crashed else "broken"] += 1
                keep_dir = Path(keep)
                keep_dir.mkdir(parents=True, exist_ok=True)
                (keep_dir / f"seed_{seed}.csv").write_bytes(case.data)
                first = problems[0].strip().splitlines()[-1] if crashed else problems[0]
                out["failures"].append((seed, "crash" if crashed else "broken", first[:300], case.describe()))
        ws.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0, help="first seed; file i uses seed + i")
    p.add_argument("--workers", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    p.add_argument("--chunk", type=int, default=500)
    p.add_argument("--include-known-bugs", action="store_true")
    p.add_argument("--keep", default=str(ROOT / "bench" / "out" / "fuzz_failures"))
    args = p.parse_args(argv)

    jobs = []
    for i, start in enumerate(range(args.seed, args.seed + args.files, args.chunk)):
        jobs.append((i, start, min(args.chunk, args.seed + args.files - start), args.include_known_bugs, args.keep))
    totals = {"files": 0, "crashes": 0, "broken": 0, "bytes": 0, "lines": 0}
    kinds: collections.Counter = collections.Counter()
    failures = []
    started = time.monotonic()
    ctx = mp.get_context("spawn")
    with ctx.Pool(args.workers) as pool:
        for res in pool.imap_unordered(_work, jobs):
            for k in totals:
                totals[k] += res[k]
            kinds.update(res["kinds"])
            failures += res["failures"]
            print(f"{totals['files']:6} files  {totals['crashes']} crashes  {totals['broken']} broken promises  "
                  f"{time.monotonic() - started:6.0f} s", flush=True)
    seconds = time.monotonic() - started
    print(f"\n{totals['files']:,} files, {totals['lines']:,} lines, {totals['bytes'] / 1e6:,.1f} MB; "
          f"{kinds['imported']:,} expected to import, {kinds['rejected']:,} expected to be rejected; "
          f"{seconds:.0f} s ({totals['files'] / max(seconds, 1e-9):.1f} files/s)")
    for seed, kind, first, desc in sorted(failures)[:20]:
        print(f"  seed {seed}: {kind}: {first}\n      {desc}")
    print(f"files={totals['files']} crashes={totals['crashes']} broken_promises={totals['broken']}")
    return 1 if totals["crashes"] or totals["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
