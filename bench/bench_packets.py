"""County-scale packet export benchmark (motion-packets.md §12).

Builds a synthetic run of 66,000 granted/challenged counts over 30 courthouses (written straight into
count_result; no engine needed), then times export_all (all packets, court data, summary report) and a
deep verify of the result, and prints a table.

    python bench/bench_packets.py [--counts 66000] [--courthouses 30] [--pdf] [--per-case] [--keep DIR]

Budget (2-core, 8 GB Windows PC with SSD): packets + court data + report < 2 min without the copy to USB,
verify-after-write < 30 s, peak memory < 1.5 GB. Not a unit test: run it by hand or in a perf job.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))

from clearmyrecord_desktop import paths  # noqa: E402


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _size(path: Path, pattern: str) -> float:
    return sum(p.stat().st_size for p in path.rglob(pattern)) / (1 << 20)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counts", type=int, default=66_000)
    ap.add_argument("--courthouses", type=int, default=30)
    ap.add_argument("--pdf", action="store_true", help="also time the optional PDF stage")
    ap.add_argument("--per-case", action="store_true", help="also write per-case documents for every case")
    ap.add_argument("--keep", type=Path, help="keep the workspace and export in this folder")
    args = ap.parse_args(argv)

    import packet_builders as pb

    from clearmyrecord_desktop.documents.export import export_all
    from clearmyrecord_desktop.documents.verify import verify_folder

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cmr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    paths.set_basedir(work / "userhome")
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    out = work / "usb"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    t0 = time.perf_counter()
    ws = pb.build_big_workspace(db, n_counts=args.counts, n_courthouses=args.courthouses)
    t_build = time.perf_counter() - t0
    s = pb.big_settings(args.courthouses)
    if args.per_case:
        for ch in s.courthouses.values():
            ch.per_case_orders = True

    t0, c0 = time.perf_counter(), _cpu()
    result = export_all(ws, 1, out, kind="final", settings=s, clock=pb.fixed_clock(), pdf=args.pdf)
    t_export, cpu_export = time.perf_counter() - t0, _cpu() - c0
    t0, c0 = time.perf_counter(), _cpu()
    check = verify_folder(result.export_dir, deep=True)
    t_verify, cpu_verify = time.perf_counter() - t0, _cpu() - c0
    ws.close()

    tm = result.timings
    build = t_export - tm.get("copy", 0.0) - tm.get("verify", 0.0)
    rows = [
        ("synthetic workspace (not timed)", f"{t_build:7.1f} s", f"{args.counts:,} counts, {args.courthouses} courthouses"),
        ("gates + plan", f"{build - sum(v for k, v in tm.items() if k not in ('copy', 'verify')):7.1f} s", ""),
        ("read rows (pass 1: ids, page plans)", f"{tm.get('read_rows', 0):7.1f} s", ""),
        ("packets (DOCX, CSV, XLSX)", f"{tm.get('packets', 0):7.1f} s", f"{len(result.packet_ids)} packets"),
        ("summary report + charts", f"{tm.get('summary', 0):7.1f} s", ""),
        ("PDFs (optional)", f"{tm.get('pdf', 0):7.1f} s", "on" if args.pdf else "off"),
        ("manifests + SHA256SUMS", f"{tm.get('manifests', 0):7.1f} s", ""),
        ("= build without the copy", f"{build:7.1f} s", "budget 120 s" + (" (PDFs excluded)" if args.pdf else "")),
        ("  CPU time of the whole export (this process)", f"{cpu_export:7.1f} s",
         "wall time above includes waiting when the machine is busy"),
        ("copy to destination + verify after write", f"{tm.get('copy', 0) + tm.get('verify', 0):7.1f} s", ""),
        ("deep verify (checks 1-6, reads XLSX)", f"{t_verify:7.1f} s",
         f"CPU {cpu_verify:.1f} s; budget 30 s; " + ("ok" if check.ok else "FAILED")),
        ("peak memory (RSS)", f"{_rss_mb():7.0f} MB", "budget 1,536 MB"),
        ("exhibit + notice DOCX", f"{_size(result.export_dir / 'packets', '0[4-7]_*.docx'):7.1f} MB", ""),
        ("court_data.csv", f"{_size(result.export_dir, 'court_data.csv'):7.1f} MB", ""),
        ("court_data.xlsx", f"{_size(result.export_dir, 'court_data.xlsx'):7.1f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'stage'.ljust(width)}  {'value':>10}  note")
    print("-" * (width + 40))
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>10}  {note}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
