"""Pass 2 of the BEAR/gogen export (bear_compat.py): the rows of ``All_Results.csv``,
``All_Results_Condensed.csv`` and ``Prop64_Results.csv``.

A small temporary table holds the first rows of the run's evaluated counts (compat strings and
conviction dates from ``count_result``, case numbers, the person columns of pass 1). Python writes
the 18 result columns of those rows and of the few rows that may carry a hint into another
(``bear_tail``); every other row has the same empty 18 columns. DuckDB then builds each row's
finished line in SQL (gogen's quoting as the ``bear_q`` macro) and writes the files itself (COPY
with quoting off), in windows of 400,000 lines in file order, so it never sorts a whole county
file; the windows are appended to the files.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.doj_columns import DOJ_COLUMNS
from ..errors import ExportGateError
from ..jobs.progress import CancelToken
from ..store.database import Workspace
from .bear_columns import (
    CONDENSED_DOJ_COLUMNS,
    CONDENSED_HEADER,
    EMPTY_RESULT_TAIL,
    FULL_HEADER,
    PERSON_TABLE_COLUMNS,
    SPACE_CHARS,
    count_columns,
    csv_line,
    hint_only_tail,
    possible_other_p64,
)

if TYPE_CHECKING:
    from .bear_compat import _Run

_BATCH = 10000
_ROW_SEQ_BATCH = 10_000_000_000   # row_seq = batch_id * 10^10 + line_no (0001_initial.sql)

# gogen's quoting (bear_columns.quote_field) as a DuckDB macro, so the 95 raw values of a million
# rows are quoted and joined in the database, not in a Python loop.
_SQL_SPACES = " || ".join(f"chr({ord(c)})" for c in SPACE_CHARS)
QUOTE_MACRO = f"""
CREATE OR REPLACE TEMP MACRO bear_q(v) AS (
    CASE WHEN coalesce(v, '') = '' THEN ''
         WHEN contains(v, ',') OR contains(v, '"') OR contains(v, chr(13)) OR contains(v, chr(10))
              OR v = '\\.' OR contains({_SQL_SPACES}, left(v, 1))
         THEN '"' || replace(v, '"', '""') || '"'
         ELSE v END)"""

# Only rows whose comment names a Prop 64 section can carry a hint (bear_columns.possible_other_p64).
_HINT_FILTER = "regexp_matches(coalesce(r.\"COMMENT_TEXT\", ''), '11357|11358|11359|11360')"


def _joined(columns) -> str:
    return "concat_ws(',', " + ", ".join(f'bear_q(r."{c}")' for c in columns) + ")"


_PERSON_SELECT = ", ".join(f"p.{name}" for name, _ in PERSON_TABLE_COLUMNS[1:])

# The first rows of the run's evaluated counts with everything their 18 columns need (one row per
# count: small), so the ordered scan of all rows below joins a small table.
_FIRST_ROWS_SQL = f"""
CREATE OR REPLACE TEMP TABLE bear_first AS
WITH cr AS (
    SELECT row_seq, subject_id, cnt_order, conviction_lo, conviction_hi,
           coalesce(compat_determination, '') AS det, coalesce(compat_reason, '') AS reason
    FROM count_result WHERE run_id = $run_id
), court AS (
    SELECT subject_id, case6, string_agg(ofn, '; ' ORDER BY first_seq) AS case_number
    FROM (SELECT d_subject_id AS subject_id, substr(d_cnt_order, 1, 6) AS case6, "OFN" AS ofn,
                 min(row_seq) AS first_seq
          FROM doj_row
          WHERE d_step_type = 'COURT ACTION' AND coalesce("OFN", '') <> ''
            AND d_subject_id IN (SELECT subject_id FROM cr)
          GROUP BY 1, 2, 3)
    GROUP BY 1, 2
)
SELECT cr.row_seq, cr.conviction_lo, cr.conviction_hi, cr.det, cr.reason,
       coalesce(court.case_number, '') AS case_number, {_PERSON_SELECT}
FROM cr
LEFT JOIN court ON court.subject_id = cr.subject_id AND court.case6 = substr(cr.cnt_order, 1, 6)
LEFT JOIN bear_person p ON p.subject_id = cr.subject_id
"""

# The rows whose 18 columns Python writes: the first rows of evaluated counts and the rows that may
# carry a hint. Every other row gets EMPTY_RESULT_TAIL.
_TAIL_ROWS_SQL = f"""
SELECT r.row_seq,
       CASE WHEN {_HINT_FILTER} THEN r."OFFENSE_DESCR" END AS od,
       CASE WHEN {_HINT_FILTER} THEN r."COMMENT_TEXT" END AS ct,
       f.row_seq IS NOT NULL AS first_row,
       f.conviction_lo, f.conviction_hi, f.det, f.case_number, f.convictions, f.superstrike,
       f.pc290, f.registration, f.years_since_any, f.prop64, f.n_11357, f.n_11358, f.n_11359, f.n_11360,
       f.deceased
FROM doj_row r
LEFT JOIN bear_first f ON f.row_seq = r.row_seq
WHERE f.row_seq IS NOT NULL OR {_HINT_FILTER}
"""

# Python's part of each such row (for a first row all but the last column, the reason, which is
# quoted here from bear_first) into temp table bear_tail; $1 row_seq, $2 the 18 columns' text.
_TAILS_SQL = """
CREATE OR REPLACE TEMP TABLE bear_tail AS
SELECT u.row_seq, CASE WHEN f.row_seq IS NULL THEN u.head ELSE u.head || ',' || bear_q(f.reason) END AS tail
FROM (SELECT unnest($1) AS row_seq, unnest($2) AS head) u
LEFT JOIN bear_first f ON f.row_seq = u.row_seq
"""

# One window of the run's rows in file order (row_seq = batch_id * 10^10 + line_no): each row as
# one finished line, quoted and joined in SQL, that DuckDB writes itself (COPY without quoting).
# Windows keep DuckDB's sort small whatever the size of the file.
def _lines_sql(columns, lo: int | None = None, hi: int | None = None) -> str:
    """Rows ``lo <= row_seq < hi``, or (no window) the first rows of the evaluated counts."""
    if lo is None:
        source = "doj_row r JOIN bear_first f ON f.row_seq = r.row_seq"
        where = "true"
    else:
        source, where = "doj_row r", f"r.row_seq >= {int(lo)} AND r.row_seq < {int(hi)}"
    return (f"SELECT {_joined(columns)} || ',' || coalesce(t.tail, '{EMPTY_RESULT_TAIL}') "
            f"FROM {source} LEFT JOIN bear_tail t ON t.row_seq = r.row_seq WHERE {where} ORDER BY r.row_seq")


_WINDOW_LINES = 400_000


def _windows(cur, batch_ids: list[int]):
    """``(lo, hi)`` row_seq windows covering the run's rows in file order."""
    for batch_id in sorted(batch_ids):
        first, last = cur.execute("SELECT min(line_no), max(line_no) FROM doj_row WHERE batch_id = ?",
                                  [batch_id]).fetchone()
        if first is None:
            continue
        base = batch_id * _ROW_SEQ_BATCH
        for start in range(first, last + 1, _WINDOW_LINES):
            yield base + start, base + min(start + _WINDOW_LINES, last + 1)


def write_rows(ws: Workspace, cur, run: "_Run", full: Path, condensed: Path, prop64: Path,
               cancel: CancelToken) -> tuple[int, int]:
    """Write the three files (``cur``: doj_row limited to the run's files, temp table bear_person
    made, macro bear_q defined); returns (rows, first rows of evaluated counts)."""
    cur.execute(_FIRST_ROWS_SQL, {"run_id": run.run_id})
    n_counts = _load_tails(cur, run, cancel)
    expected = cur.execute("SELECT count(*) FROM bear_first").fetchone()[0]
    if n_counts != expected:
        raise ExportGateError(f"The records of run {run.run_id} have changed since it was evaluated; "
                              "evaluate again before exporting.")
    for path, header in ((full, FULL_HEADER), (condensed, CONDENSED_HEADER), (prop64, FULL_HEADER)):
        path.write_text(csv_line(header) + "\n", encoding="utf-8", newline="")
    n_rows = 0
    for lo, hi in _windows(cur, run.batch_ids):
        n_rows += _append_copy(ws, cur, _lines_sql(DOJ_COLUMNS, lo, hi), full)
        _append_copy(ws, cur, _lines_sql(CONDENSED_DOJ_COLUMNS, lo, hi), condensed)
        cancel.check()
    written = _append_copy(ws, cur, _lines_sql(DOJ_COLUMNS), prop64)
    if written != n_counts:
        raise ExportGateError(f"The records of run {run.run_id} have changed since it was evaluated; "
                              "evaluate again before exporting.")
    return n_rows, n_counts


def _load_tails(cur, run: "_Run", cancel: CancelToken) -> int:
    """Temp table bear_tail: the 18 columns of the rows that do not get EMPTY_RESULT_TAIL. Returns
    the number of first rows of evaluated counts."""
    as_of = run.as_of
    seqs: list[int] = []
    heads: list[str] = []
    n_first = 0
    res = cur.execute(_TAIL_ROWS_SQL)
    while rows := res.fetchmany(_BATCH):
        for (row_seq, od, ct, first, conv_lo, conv_hi, det, case_number, convictions, superstrike, pc290,
             registration, years_any, prop64, n57, n58, n59, n60, deceased) in rows:
            hint = possible_other_p64(od, ct) if ct is not None else ""
            if first:
                if convictions is None:
                    raise ExportGateError(
                        f"The records of run {run.run_id} have changed since it was evaluated; "
                        "evaluate again before exporting.")
                head = csv_line(count_columns(
                    case_number=case_number, convictions=convictions, p64_hint=hint,
                    conviction_lo=conv_lo, conviction_hi=conv_hi, superstrike=superstrike or "",
                    pc290=pc290 or "", registration=registration or "",
                    years_since_any=years_any or "", prop64=prop64,
                    by_section=(n57, n58, n59, n60), deceased=deceased or "",
                    determination=det, reason="", as_of=as_of))[:-1]  # the reason: added in SQL
                n_first += 1
            else:
                head = hint_only_tail(hint)
                if head == EMPTY_RESULT_TAIL:
                    continue
            seqs.append(row_seq)
            heads.append(head)
        cancel.check()
    cur.execute(_TAILS_SQL, [seqs, heads])
    return n_first


def _append_copy(ws: Workspace, cur, select: str, target: Path) -> int:
    """Append the one-column result of ``select`` to ``target``, one value per line, exactly as
    given (COPY with quoting off), through a temporary file next to the workspace; returns the rows."""
    tmp = ws.temp_path("bear")
    try:
        path = str(tmp).replace("'", "''")
        n = cur.execute(f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER false, QUOTE '')").fetchone()[0]
        with open(tmp, "rb") as src, open(target, "ab") as dst:
            shutil.copyfileobj(src, dst, 8 * 1024 * 1024)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return int(n)
