"""Bounded reads for one person (the case detail panel). Runs as a read job on its own cursor."""

from __future__ import annotations

TIMELINE_SQL = """
SELECT row_seq, line_no, "CYC_ORDER", d_cyc_text, "STP_ORDER", d_stp_text, d_disp_text,
       "STP_TYPE_DESCR", "STP_ORI_DESCR", d_county, "CNT_ORDER", d_charge_text, "DISP_DESCR",
       d_level, "SENT_LOC_DESCR", "SENT_LENGTH", COALESCE(NULLIF(trim("SENT_TIME_DESCR"), ''), "SENT_TIME_CODE"),
       COALESCE(NULLIF(trim("OFN"), ''), "FE_NUM_CRT_CASE"), d_is_conviction
FROM doj_row WHERE d_subject_id = ?
ORDER BY COALESCE(d_stp_lo, d_disp_lo, d_cyc_lo) NULLS LAST, d_cyc_lo NULLS LAST, row_seq
"""
TIMELINE_FIELDS = ("row_seq", "line_no", "cyc_order", "cyc_date", "stp_order", "stp_date", "disp_date",
                   "step", "agency", "county", "cnt_order", "charge", "disposition", "level",
                   "sent_loc", "sent_length", "sent_unit", "case_number", "is_conviction")

PERSON_SQL = """
SELECT any_value("PRI_NAME") FILTER (WHERE trim(COALESCE("PRI_NAME", '')) <> ''),
       any_value("CII_NUMBER") FILTER (WHERE trim(COALESCE("CII_NUMBER", '')) <> ''),
       list(DISTINCT d_dob_text) FILTER (WHERE d_dob_text IS NOT NULL),
       any_value("GENDER"), any_value("RACE_DESCR"),
       bool_or(d_step_type = 'DECEASED'), count(*)
FROM doj_row WHERE d_subject_id = ?
"""

COUNTS_SQL = """
SELECT * FROM count_final WHERE run_id = ? AND subject_id = ? ORDER BY row_seq
"""

QUARANTINE_SQL = """
SELECT q.line_no, b.file_name, q.reasons FROM quarantine q JOIN import_batch b USING (batch_id)
WHERE q.subject_guess = ? ORDER BY b.batch_id, q.line_no
"""


def load_person(ws, run_id: int, subject_id: str, cancel=None) -> dict:
    cur = ws.cursor()
    if cancel is not None:
        cancel.add_interrupt(cur.interrupt)
    try:
        timeline = [dict(zip(TIMELINE_FIELDS, r)) for r in cur.execute(TIMELINE_SQL, [subject_id]).fetchall()]
        person = cur.execute(PERSON_SQL, [subject_id]).fetchall()[0]
        res = cur.execute(COUNTS_SQL, [run_id, subject_id])
        names = [d[0] for d in res.description]
        counts = [dict(zip(names, r)) for r in res.fetchall()]
        quarantined = cur.execute(QUARANTINE_SQL, [subject_id]).fetchall()
        history = cur.execute(
            "SELECT cnt_order, determination, reason, basis, ground, evidence, reviewer, decided_at, active,"
            " engine_determination FROM review_decision WHERE subject_id = ? ORDER BY decision_id DESC",
            [subject_id]).fetchall()
    finally:
        cur.close()
    return {
        "subject_id": subject_id,
        "name": person[0], "cii_number": person[1], "dobs": list(person[2] or []),
        "gender": person[3], "race": person[4], "deceased": bool(person[5]), "row_count": person[6],
        "timeline": timeline, "counts": counts, "quarantined": quarantined, "history": history,
    }
