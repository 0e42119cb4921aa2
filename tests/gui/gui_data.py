"""Shared GUI test data (a module of its own: several test folders have a conftest.py, so
importing names from "conftest" depends on collection order)."""

import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "gui"
CASES_FILE = DATA / "statutory_cases.csv"
AS_OF = dt.date(2020, 7, 1)


def fill_count_results(ws, n: int, run_id: int = 1) -> None:
    """``n`` synthetic evaluated counts (no DOJ rows), generated in SQL."""
    with ws.write() as cur:
        cur.execute(
            "INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name, "
            "policy_version, policy_sha256, ruleset_hash, app_version, inputs) VALUES (?, now(), "
            "'LOS ANGELES', DATE '2020-07-01', 'statutory', 'Statutory', '1', 'x', 'h', '0', '[]')", [run_id])
        cur.execute(SYNTH_SQL, [run_id, n])


SYNTH_SQL = """
INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq, name, cii_number, county, courthouse,
    case_number, code_section, section, level, conviction_date, conviction_lo, relief_path,
    statutory_determination, statutory_reason, determination, reason, rule_ids)
SELECT ?, lpad(CAST(i // 2 AS VARCHAR), 8, '0'),
    CASE WHEN i % 2 = 0 THEN '001002001000' ELSE '002002001000' END, i,
    'PERSON ' || CAST((i * 7919) % 100003 AS VARCHAR) || ',TEST', 'A' || lpad(CAST(i AS VARCHAR), 8, '0'),
    'LOS ANGELES', ['CASC LOS ANGELES', 'CASC VAN NUYS', 'CASC LONG BEACH'][1 + i % 3],
    'BA' || lpad(CAST((i * 104729) % 1000000 AS VARCHAR), 6, '0'),
    ['11357(B) HS', '11358 HS', '11359 HS', '11360(A) HS'][1 + i % 4],
    ['11357', '11358', '11359', '11360'][1 + i % 4], ['felony', 'misdemeanor'][1 + i % 2],
    '2010-01-01', DATE '2010-01-01', 'redesignation',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'statutory reason',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'policy reason', 'stat.x'
FROM range(?) t(i)
"""
