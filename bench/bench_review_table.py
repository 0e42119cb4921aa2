"""Review table at county-plus scale: 1,000,000 evaluated counts (synthetic, generated in SQL).

    QT_QPA_PLATFORM=offscreen python bench/bench_review_table.py [--rows 1000000]

Measures, with the real model and view (offscreen): first paint after model creation, the display
tables built in the background, sorts, filters, page reads and scroll repaints, each as wall time and
process CPU time (the machine may be busy with other work: compare CPU time then).
Targets: first paint < 1 s; sort/filter < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYNTH_SQL = """
INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq, name, cii_number, county, courthouse,
    case_number, code_section, section, level, conviction_date, conviction_lo, relief_path,
    statutory_determination, statutory_reason, determination, reason, rule_ids)
SELECT 1, lpad(CAST(i // 2 AS VARCHAR), 8, '0'),
    CASE WHEN i % 2 = 0 THEN '001002001000' ELSE '002002001000' END, i,
    'PERSON ' || CAST((i * 7919) % 100003 AS VARCHAR) || ',TEST', 'A' || lpad(CAST(i AS VARCHAR), 8, '0'),
    'LOS ANGELES', ['CASC LOS ANGELES', 'CASC VAN NUYS', 'CASC LONG BEACH', 'CASC COMPTON'][1 + i % 4],
    'BA' || lpad(CAST((i * 104729) % 1000000 AS VARCHAR), 6, '0'),
    ['11357(B) HS', '11358 HS', '11359 HS', '11360(A) HS'][1 + i % 4],
    ['11357', '11358', '11359', '11360'][1 + i % 4], ['felony', 'misdemeanor'][1 + i % 2],
    '2010-01-01', DATE '2010-01-01', 'redesignation',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'Statutory reason text of ordinary length for a count',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'Policy reason text of ordinary length for a count', 'stat.x'
FROM range(?) t(i)
"""


def build(path: Path, rows: int) -> None:
    from clearmyrecord_desktop.store.database import open_workspace
    ws = open_workspace(path)
    with ws.write() as cur:
        cur.execute(
            "INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name, "
            "policy_version, policy_sha256, ruleset_hash, app_version, inputs) VALUES (1, now(), "
            "'LOS ANGELES', DATE '2020-07-01', 'statutory', 'Statutory', '1', 'x', 'h', '0', '[]')")
        cur.execute(SYNTH_SQL, [rows])
        # a thousand reviewer decisions, so the review join has work to do
        cur.execute("INSERT INTO review_decision SELECT row_number() OVER (), subject_id, cnt_order, "
                    "'dismiss_and_seal', 'bench', NULL, NULL, NULL, 'Bench', now(), 1, determination, TRUE "
                    "FROM count_result WHERE row_seq % 1000 = 7")
    ws.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="workspace file to reuse/keep")
    args = parser.parse_args()
    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "bench.duckdb"
    if not path.exists():
        started = time.perf_counter()
        build(path, args.rows)
        print(f"built {args.rows:,} count_result rows in {time.perf_counter() - started:.1f} s")

    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication, QTableView
    from clearmyrecord_desktop.gui.models.columns import column_index
    from clearmyrecord_desktop.gui.models.review_snapshot import ReviewFilter
    from clearmyrecord_desktop.gui.models.review_table_model import ReviewTableModel
    from clearmyrecord_desktop.gui.runner import Runner
    from clearmyrecord_desktop.store.database import open_workspace

    app = QApplication.instance() or QApplication([])
    ws = open_workspace(path)
    runner = Runner()
    results: list[tuple[str, float, float, float | None]] = []   # label, wall s, CPU s, target s

    def clocks() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(start: tuple[float, float]) -> tuple[float, float]:
        return time.perf_counter() - start[0], time.process_time() - start[1]

    def block_until(signal, done: list) -> None:
        """Wait in a real event loop (no busy polling: the GUI thread must not take a core from DuckDB)."""
        if done:
            return
        loop = QEventLoop()
        signal.connect(loop.quit)
        if not done:
            loop.exec()
        signal.disconnect(loop.quit)

    def wait_for(signal, action) -> tuple[float, float]:
        done = []
        slot = lambda *a: done.append(1)  # noqa: E731
        signal.connect(slot)
        start = clocks()
        action()
        block_until(signal, done)
        view.viewport().repaint()
        elapsed = since(start)
        signal.disconnect(slot)
        return elapsed

    def measure(label, action, target=0.3):
        results.append((label, *wait_for(model.snapshot_ready, action), target))

    model = ReviewTableModel(ws, runner)
    view = QTableView()
    view.resize(1300, 700)
    view.setModel(model)
    view.show()
    ready = []
    model.display_ready.connect(lambda ms: ready.append(clocks()))
    start = clocks()
    measure("first paint after model creation", lambda: model.set_run(1), 1.0)
    assert model.rowCount() > 0
    block_until(model.display_ready, ready)
    results.append(("display table ready (background, from start)", ready[0][0] - start[0],
                    ready[0][1] - start[1], None))
    col = column_index
    for label, key, order in (("sort by name", "name", Qt.SortOrder.AscendingOrder),
                              ("sort by name, descending", "name", Qt.SortOrder.DescendingOrder),
                              ("sort by decision", "final", Qt.SortOrder.AscendingOrder),
                              ("sort by courthouse", "courthouse", Qt.SortOrder.AscendingOrder),
                              ("sort by conviction date", "conviction_date", Qt.SortOrder.AscendingOrder),
                              ("sort by court case", "case_number", Qt.SortOrder.AscendingOrder)):
        measure(label, lambda k=key, o=order: model.sort(col(k), o))
    measure("back to file order", lambda: model.sort(-1))
    measure("filter: decision = hand review", lambda: model.set_filter(ReviewFilter(determination="hand_review")))
    measure("filter: courthouse + section",
            lambda: model.set_filter(ReviewFilter(courthouse="CASC VAN NUYS", section="11359")))
    measure("filter: free text 'PERSON 4711'", lambda: model.set_filter(ReviewFilter(text="PERSON 4711")))
    measure("filter: reviewed", lambda: model.set_filter(ReviewFilter(review_state="reviewed")))
    measure("filter: open + sort by name", lambda: (model.set_filter(ReviewFilter(review_state="open")),
                                                    model.sort(col("name"), Qt.SortOrder.AscendingOrder)))
    wait_for(model.snapshot_ready, lambda: model.set_filter(ReviewFilter()))
    wait_for(model.snapshot_ready, lambda: model.sort(col("name"), Qt.SortOrder.AscendingOrder))
    pages = list(range(0, model.rowCount() // 256, max(1, model.rowCount() // 256 // 20)))[:20]
    model._pages.clear()
    start = clocks()
    for page in pages:
        model._page(page)
    wall, cpu = since(start)
    results.append(("page read (256 rows, sorted by name)", wall / len(pages), cpu / len(pages), None))
    bar = view.verticalScrollBar()
    start = clocks()
    for i in range(20):
        bar.setValue(bar.maximum() * i // 20 + 7)
        view.viewport().repaint()
    wall, cpu = since(start)
    results.append(("scroll jump + repaint (sorted)", wall / 20, cpu / 20, None))
    start = clocks()
    for i in range(50):
        bar.setValue(bar.value() + 3)
        view.viewport().repaint()
    wall, cpu = since(start)
    results.append(("scroll step + repaint (cached page)", wall / 50, cpu / 50, None))
    start = clocks()
    row = model.next_open_row(model.rowCount() // 2, True)
    wall, cpu = since(start)
    results.append(("next open case (sorted, GUI thread)", wall, cpu, None))
    start = clocks()
    model.find_row(*model.key_at(row))
    wall, cpu = since(start)
    results.append(("find a count's row (sorted, GUI thread)", wall, cpu, None))

    print(f"\nReview table, {model.rowCount():,} rows in view, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("CPU = process CPU time (all threads, DuckDB's included) during the measure.\n")
    print(f"{'measure':46} {'wall':>9} {'CPU':>9} {'target':>10}  ok")
    for label, wall, cpu, target in results:
        tgt = f"< {target * 1000:.0f} ms" if target else "—"
        ok = "" if target is None else ("yes" if wall < target else "NO")
        print(f"{label:46} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms {tgt:>10}  {ok}")
    model.close()
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
