"""The office's full results export, results.csv (eligibility.md 12.1): one row per evaluated count,
in file order of first rows. UTF-8 without BOM, RFC 4180 quoting as needed, values verbatim."""

from __future__ import annotations

import csv
from pathlib import Path

from ..store.database import Workspace

RESULTS_COLUMNS = (
    "run_id", "subject_id", "cnt_order", "source_file", "source_line", "name", "dob", "cii_number",
    "county", "courthouse", "case_number", "code_section", "charge_text", "level", "offense_date",
    "offense_date_source", "conviction_date", "age_at_offense", "sentence_end", "relief_path",
    "statutory_determination", "statutory_rule_ids", "statutory_reason", "unknown_facts",
    "disqualifiers", "determination", "rule_ids", "reason", "review_route", "floor_applied",
    "policy_conflict", "conflict_details", "compat_determination", "compat_reason", "policy_id",
    "policy_version",
)


def latest_run(ws: Workspace) -> int | None:
    row = ws.query("SELECT max(run_id) FROM eval_run")
    return row[0][0] if row else None


def write_results_csv(ws: Workspace, run_id: int, out_path: str | Path, batch: int = 10000) -> int:
    """Write results.csv for ``run_id``; returns the number of rows."""
    out_path = Path(out_path)
    cols = ", ".join(RESULTS_COLUMNS)
    cur = ws.cursor()
    n = 0
    try:
        res = cur.execute(f"SELECT {cols} FROM count_result WHERE run_id = ? ORDER BY row_seq", [run_id])
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(RESULTS_COLUMNS)
            while rows := res.fetchmany(batch):
                for row in rows:
                    writer.writerow(["" if v is None else _text(v) for v in row])
                n += len(rows)
    finally:
        cur.close()
    return n


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
