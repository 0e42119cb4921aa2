"""The BEAR/gogen compatibility export (eligibility.md §11.2), byte-compatible with gogen 0.2.13.

:func:`write_bear_export` writes, for one ``bear_compatible`` evaluation run:

- ``All_Results.csv`` — every imported row of the run's files in file order: the 95 raw DOJ values,
  then the 18 result columns (:data:`.bear_columns.RESULT_COLUMNS`);
- ``All_Results_Condensed.csv`` — the same rows, 20 raw DOJ columns + the 18;
- ``Prop64_Results.csv`` — the full layout, first rows of evaluated counts only;
- ``gogen.json`` — gogen's summary;
- ``Statutory_Conflicts.csv`` — the counts granted relief over a statutory bar (§9.2 P5).

How it scales (a county file is ~1M rows): two passes, neither holding rows in Python.

1. People. The engine's own derivation (``rules.derive.iter_people`` + ``classify``, loading only
   the counts the rules read plus per-person totals, as the engine does) is replayed on a cursor
   where ``doj_row`` is shadowed by a temporary view limited to the run's files, for the people
   with an evaluated count in the run; their person-level columns (convictions on record,
   super-strike / PC 290 sections, registration, latest conviction, Prop 64 counts, deceased, and
   the figures the summary needs) go to a temporary DuckDB table through a temporary CSV next to
   the workspace (as ``rules.results.ResultWriter`` does).
2. Rows. A small temporary table holds the first rows of the evaluated counts (compat strings and
   conviction dates from ``count_result``, case numbers, person columns). Python writes the 18
   result columns of those rows and of the few rows with a hint into another (``bear_tail``); every
   other row has the same empty 18 columns. DuckDB then builds each row's finished line in SQL and
   writes the three CSVs itself (COPY with quoting off), in windows of 100,000 lines in file order
   (so it never sorts a whole county file); the windows are appended to the files.

The summary (``bear_summary``) and the conflicts list are SQL over ``count_result`` and the person
table. Files are written as ``*.part`` and renamed when all five are complete.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import re
import shutil
from datetime import date
from pathlib import Path

from ..domain.doj_columns import DOJ_COLUMNS
from ..errors import ExportGateError, PolicyError
from ..jobs.progress import CancelToken, NullProgress, Progress
from ..rules.derive import classify, iter_people
from ..rules.policy import BearOptions, parse_policy
from ..rules.statutory import may_be_read
from ..store.csv_limits import max_line_size
from ..store.database import CATALOG, Workspace
from .bear_columns import (
    CONDENSED_DOJ_COLUMNS,
    CONDENSED_HEADER,
    CONFLICT_COLUMNS,
    EMPTY_RESULT_TAIL,
    FULL_HEADER,
    PERSON_TABLE_COLUMNS,
    SPACE_CHARS,
    count_columns,
    csv_line,
    hint_only_tail,
    person_columns,
    possible_other_p64,
)
from .bear_summary import write_summary

log = logging.getLogger("cmr.export.bear")

ALL_RESULTS = "All_Results.csv"
CONDENSED = "All_Results_Condensed.csv"
PROP64_RESULTS = "Prop64_Results.csv"
SUMMARY = "gogen.json"
CONFLICTS = "Statutory_Conflicts.csv"
FILES: tuple[str, ...] = (ALL_RESULTS, CONDENSED, PROP64_RESULTS, SUMMARY, CONFLICTS)

_BATCH = 10000
_ROW_SEQ_BATCH = 10_000_000_000   # row_seq = batch_id * 10^10 + line_no (0001_initial.sql)
_NULL = "\x01"

# gogen's quoting (bear_columns.quote_field) as a DuckDB macro, so the 95 raw values of a million
# rows are quoted and joined in the database, not in a Python loop.
_SQL_SPACES = " || ".join(f"chr({ord(c)})" for c in SPACE_CHARS)
_QUOTE_MACRO = f"""
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


# --- the run -------------------------------------------------------------------------------------


class _Run:
    """What the export needs from ``eval_run``: county, as-of, BEAR options, files, run time."""

    def __init__(self, ws: Workspace, run_id: int):
        rows = ws.query_dicts(
            "SELECT filing_county, as_of, policy_id, policy_text, inputs, duration_s FROM eval_run "
            "WHERE run_id = ?", [run_id])
        if not rows:
            raise ExportGateError(f"There is no evaluation run {run_id} in this workspace.")
        r = rows[0]
        self.run_id = run_id
        self.county: str = r["filing_county"]
        self.as_of: date = r["as_of"] if isinstance(r["as_of"], date) else date.fromisoformat(r["as_of"])
        self.duration_s = r["duration_s"]
        self.bear = bear_options_of(r["policy_text"] or "")
        if self.bear is None:
            raise ExportGateError(
                f"Run {run_id} was evaluated with the policy {r['policy_id']!r}. The BEAR compatibility "
                "export needs a run with the bear_compatible policy (or another policy with BEAR options).")
        self.batch_ids = _run_batches(ws, run_id, r["inputs"])


def bear_options_of(policy_text: str) -> BearOptions | None:
    """The BEAR options a run was evaluated with, from ``eval_run.policy_text``.

    That text is the policy file, followed — when a BEAR ``eligibility_options.json`` was loaded — by
    the options file (rules/policy.py ``source_text``); the options file is the JSON object at the end.
    ``None`` when the policy has no BEAR options.
    """
    with contextlib.suppress(PolicyError):
        return parse_policy(policy_text.encode("utf-8"), "policy.toml").bear
    for m in re.finditer(r"\{", policy_text):
        tail = policy_text[m.start():]
        try:
            json.loads(tail)
        except ValueError:
            continue
        with contextlib.suppress(PolicyError):
            return parse_policy(policy_text[:m.start()].encode("utf-8"), "policy.toml",
                                tail.encode("utf-8"), "eligibility_options.json").bear
    return None


def _run_batches(ws: Workspace, run_id: int, inputs_json: str | None) -> list[int]:
    """The import batches of the run's files (matched by SHA-256, which is unique per workspace)."""
    try:
        inputs = json.loads(inputs_json or "[]")
    except ValueError:
        inputs = []
    by_sha = dict(ws.query("SELECT sha256, batch_id FROM import_batch"))
    ids = []
    for item in inputs:
        batch = by_sha.get(item.get("sha256")) if item.get("sha256") else None
        if batch is None and not item.get("sha256") and item.get("batch_id") in by_sha.values():
            batch = item["batch_id"]
        if batch is None:
            raise ExportGateError(
                f"The file {item.get('name', '?')} of run {run_id} is no longer in this workspace; "
                "evaluate again before exporting.")
        ids.append(int(batch))
    return ids


# --- public API ----------------------------------------------------------------------------------


def write_bear_export(ws: Workspace, run_id: int, out_dir: str | Path, *,
                      progress: Progress | None = None, cancel: CancelToken | None = None) -> dict[str, int]:
    """Write the five BEAR-compatible files of ``run_id`` into ``out_dir`` (created if missing).

    Returns ``{file name: data rows}`` (``gogen.json``: 1). Raises :class:`ExportGateError` when the
    run does not exist, was not evaluated with BEAR options, or its files are gone.
    """
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    run = _Run(ws, run_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = {name: out_dir / f"{name}.part" for name in FILES}
    cur = ws.cursor()
    cancel.add_interrupt(cur.interrupt)
    try:
        cur.execute(_QUOTE_MACRO)
        _restrict_to_run(cur, run.batch_ids)
        progress.update(0, 3, "Reading people")
        _person_table(ws, cur, run, cancel)
        cancel.check()
        progress.update(1, 3, "Writing rows")
        counts = _write_rows(ws, cur, run, parts, cancel)
        cancel.check()
        progress.update(2, 3, "Writing summary")
        counts[CONFLICTS] = _write_conflicts(cur, run, parts[CONFLICTS])
        write_summary(cur, run, parts[SUMMARY])
        counts[SUMMARY] = 1
        for name in FILES:
            os.replace(parts[name], out_dir / name)
        progress.update(3, 3, "Done")
    finally:
        cancel.remove_interrupt(cur.interrupt)
        cur.close()
        for path in parts.values():
            with contextlib.suppress(OSError):
                path.unlink()
    log.info("BEAR export of run %s: %s", run_id, counts)
    return {name: counts[name] for name in FILES}


# --- pass 1: people ------------------------------------------------------------------------------


def _restrict_to_run(cur, batch_ids: list[int]) -> None:
    """Shadow ``doj_row`` on this cursor by the run's rows (temporary objects are per cursor)."""
    ids = ", ".join(str(int(b)) for b in batch_ids) or "NULL"
    cur.execute(f"CREATE OR REPLACE TEMP VIEW doj_row AS "
                f"SELECT * FROM {CATALOG}.main.doj_row WHERE batch_id IN ({ids})")


def _person_table(ws: Workspace, cur, run: _Run, cancel: CancelToken) -> None:
    """Temp table ``bear_person`` on ``cur``: one row per person with an evaluated count in the run."""
    wanted = {s for (s,) in cur.execute(
        "SELECT DISTINCT subject_id FROM count_result WHERE run_id = ?", [run.run_id]).fetchall()}
    columns = ", ".join(f"{name} {kind}" for name, kind in PERSON_TABLE_COLUMNS)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE bear_person ({columns})")
    if not wanted:
        return
    tmp = ws.temp_path("bear")
    reader, aux = ws.cursor(macros=True), ws.cursor()   # iter_people needs the cmr_* macros
    cancel.add_interrupt(reader.interrupt)
    written = longest = 0
    try:
        _restrict_to_run(reader, run.batch_ids)
        _restrict_to_run(aux, run.batch_ids)
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for person in iter_people(reader, aux, run.county, keep=may_be_read, as_of=run.as_of):
                if person.subject_id not in wanted:
                    continue
                classify(person)
                longest = max(longest, writer.writerow(person_columns(person, run.as_of).row()))
                written += 1
                if written % 2000 == 0:
                    cancel.check()
        if written != len(wanted):
            raise ExportGateError(
                f"The records of run {run.run_id} have changed since it was evaluated "
                f"({len(wanted) - written} people not found); evaluate again before exporting.")
        types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in PERSON_TABLE_COLUMNS) + "}"
        cur.execute(
            f"INSERT INTO bear_person SELECT * FROM read_csv(?, header = false, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', new_line = '\\n', nullstr = '{_NULL}', "
            f"max_line_size = {max_line_size(4 * longest)}, columns = {types})", [str(tmp)])
    finally:
        cancel.remove_interrupt(reader.interrupt)
        reader.close()
        aux.close()
        with contextlib.suppress(OSError):
            tmp.unlink()


# --- pass 2: rows --------------------------------------------------------------------------------


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


def _write_rows(ws: Workspace, cur, run: _Run, parts: dict[str, Path], cancel: CancelToken) -> dict[str, int]:
    cur.execute(_FIRST_ROWS_SQL, {"run_id": run.run_id})
    n_counts = _load_tails(cur, run, cancel)
    expected = cur.execute("SELECT count(*) FROM bear_first").fetchone()[0]
    if n_counts != expected:
        raise ExportGateError(f"The records of run {run.run_id} have changed since it was evaluated; "
                              "evaluate again before exporting.")
    for name, header in ((ALL_RESULTS, FULL_HEADER), (CONDENSED, CONDENSED_HEADER), (PROP64_RESULTS, FULL_HEADER)):
        parts[name].write_text(csv_line(header) + "\n", encoding="utf-8", newline="")
    n_rows = 0
    for lo, hi in _windows(cur, run.batch_ids):
        n_rows += _append_copy(ws, cur, _lines_sql(DOJ_COLUMNS, lo, hi), parts[ALL_RESULTS])
        _append_copy(ws, cur, _lines_sql(CONDENSED_DOJ_COLUMNS, lo, hi), parts[CONDENSED])
        cancel.check()
    written = _append_copy(ws, cur, _lines_sql(DOJ_COLUMNS), parts[PROP64_RESULTS])
    if written != n_counts:
        raise ExportGateError(f"The records of run {run.run_id} have changed since it was evaluated; "
                              "evaluate again before exporting.")
    return {ALL_RESULTS: n_rows, CONDENSED: n_rows, PROP64_RESULTS: n_counts}


def _load_tails(cur, run: _Run, cancel: CancelToken) -> int:
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


# --- conflicts and summary -----------------------------------------------------------------------


def _write_conflicts(cur, run: _Run, path: Path) -> int:
    rows = cur.execute(
        "SELECT subject_id, cnt_order, CAST(source_line AS VARCHAR), coalesce(compat_determination, ''), "
        "coalesce(compat_reason, ''), statutory_determination, coalesce(statutory_rule_ids, ''), "
        "coalesce(conflict_details, '') FROM count_result WHERE run_id = ? AND policy_conflict "
        "ORDER BY row_seq", [run.run_id]).fetchall()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_line(CONFLICT_COLUMNS) + "\n")
        fh.writelines(csv_line(r) + "\n" for r in rows)
    return len(rows)
