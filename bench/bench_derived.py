"""The import's derived columns alone: how long DuckDB takes to compute the ``d_*`` values of
store/sql/insert_doj_rows.sql for the cached 1M-row file, with the CSV parse and the table write
taken out (the input is an in-memory table of the columns they read).

    python bench/bench_derived.py [--rows 1000000] [--repeat 5]

Whole-import times drift by ±10% within the hour on a busy machine; this isolates the SQL
expressions (cmr_* macros in store/sql/macros.sql), so a rewrite can be compared with the current
form by running it before and after. Prints one table: rows, best, median and worst seconds.
Run ``python bench/run.py`` first once: it generates and caches the file.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

#: the raw columns the derived values read
READ = ("SUBJECT_ID", "CNT_ORDER", "PRI_DOB", "CYC_DATE", "STP_EVENT_DATE", "DISP_DATE", "OFFENSE_DESCR",
        "CYC_AGE", "OFN", "STP_TYPE_DESCR", "DISP_DESCR", "CONV_STAT_DESCR", "OFFENSE_TOC",
        "STP_ORI_CNTY_NAME", "COMMENT_TEXT")


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
    from clearmyrecord_desktop.store import queries

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    ns = p.parse_args(argv)
    cached = sorted((BENCH / "cache").glob(f"doj_rows{ns.rows}_*.csv"))
    if not cached:
        print(f"no cached {ns.rows:,}-row file in bench/cache: run `python bench/run.py --rows {ns.rows}` first")
        return 2
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(queries.sql("macros"))
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in DOJ_COLUMNS) + "}"
    read = ", ".join(f'"{c}"' for c in READ)
    con.execute(f"CREATE TEMP TABLE r AS SELECT 0::BIGINT AS line_no, {read} "
                f"FROM read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                f"columns = {columns})", [str(cached[-1])])
    rows = con.execute("SELECT count(*) FROM r").fetchone()[0]
    sql = queries.sql("insert_doj_rows")
    body = sql[sql.index("WITH t AS"):].replace("{raw_select}", read)
    body = re.sub(r"FROM read_csv\(\$path.*?columns = \{columns\}\)", "FROM r", body, flags=re.S)
    body = body.replace("$batch_id", "1").rstrip().rstrip(";")
    times = []
    for _ in range(ns.repeat):
        t0 = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TEMP TABLE derived AS {body}")
        times.append(time.perf_counter() - t0)
    print(f"{'what':<34} {'rows':>10} {'best s':>7} {'median s':>9} {'worst s':>8}")
    print(f"{'derived d_* values (in memory)':<34} {rows:>10,} {min(times):>7.2f} {statistics.median(times):>9.2f} "
          f"{max(times):>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
