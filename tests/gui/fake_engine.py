"""A stand-in for ``rules.engine.evaluate`` (same signature) so the GUI can be driven end to end.

It evaluates the Prop 64 conviction rows of the filing county with the expected statutory results
of the golden cases (``tests/data/gui/statutory_expected.csv``) and ``hand_review`` for anything else.
``flip`` names subject ids whose determination is changed, to simulate an engine change between runs.
"""

from __future__ import annotations

import json
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "gui" / "statutory_expected.csv"

INSERT = """
INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq, source_file, source_line, name, dob,
    cii_number, county, courthouse, court_ori, case_number, code_section, section, charge_text, count_class,
    level, offense_date, offense_date_source, conviction_date, conviction_lo, conviction_hi, age_at_offense,
    sentence_end, relief_path, statutory_determination, statutory_rule_ids, statutory_reason, unknown_facts,
    disqualifiers, determination, rule_ids, reason, review_route, floor_applied, policy_conflict,
    policy_id, policy_version, basis)
WITH first AS (
    SELECT r.*, row_number() OVER (PARTITION BY d_subject_id, d_cnt_order ORDER BY row_seq) AS k
    FROM doj_row r
    WHERE d_is_conviction AND d_county = ? AND regexp_matches(upper(d_charge_text), '^\\s*1136?[0-9]{2}')
      AND regexp_extract(d_charge_text, '(1135[7-9]|11360)') <> ''
), e AS (SELECT * FROM read_csv(?, all_varchar = true, header = true))
SELECT ?, f.d_subject_id, f.d_cnt_order, f.row_seq, b.file_name, f.line_no, f."PRI_NAME", f.d_dob_text,
    f."CII_NUMBER", f.d_county, f."STP_ORI_DESCR", f."STP_ORI_CODE", NULLIF(trim(f."OFN"), ''),
    COALESCE(e.code_section, f.d_charge_text), regexp_extract(f.d_charge_text, '(1135[7-9]|11360)'),
    f.d_charge_text, 'prop64', f.d_level, f.d_cyc_text, 'CYC_DATE',
    COALESCE(f.d_stp_text, f.d_disp_text), COALESCE(f.d_stp_lo, f.d_disp_lo), COALESCE(f.d_stp_hi, f.d_disp_hi),
    CAST(f.d_cyc_age AS VARCHAR), NULL, COALESCE(e.relief_path, 'unknown'),
    COALESCE(e.statutory_determination, 'hand_review'), 'stat.fake', COALESCE(e.notes, 'Not in the golden cases'),
    NULLIF(e.unknown_facts, ''), NULLIF(e.disqualifiers, ''),
    CASE WHEN list_contains(?, f.d_subject_id) THEN
         CASE WHEN COALESCE(e.statutory_determination, '') = 'no_relief' THEN 'dismiss_and_seal' ELSE 'no_relief' END
         ELSE COALESCE(e.statutory_determination, 'hand_review') END,
    'policy.guard.statutory', 'Statutory determination stands: ' || COALESCE(e.notes, 'not in the golden cases'),
    NULL, FALSE, FALSE, ?, '1.0.0',
    CASE WHEN COALESCE(e.statutory_determination, '') IN ('dismiss_and_seal', 'reduce_to_misdemeanor',
         'reduce_to_infraction') THEN 'statute' END
FROM first f JOIN import_batch b USING (batch_id)
LEFT JOIN e ON e.subject_id = f.d_subject_id AND e.cnt_order = f.d_cnt_order
WHERE f.k = 1
"""


def fake_evaluate(ws, county, as_of, policy="statutory", options_path=None, progress=None, cancel=None,
                  flip=()):
    policy_id = policy if isinstance(policy, str) else getattr(policy, "id", "custom")
    with ws.write() as cur:
        run_id = cur.execute("SELECT COALESCE(max(run_id), 0) + 1 FROM eval_run").fetchall()[0][0]
        inputs = cur.execute("SELECT file_name, size_bytes, sha256, batch_id FROM import_batch").fetchall()
        cur.execute(
            "INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name, "
            "policy_version, policy_sha256, ruleset_hash, app_version, inputs, impact, duration_s) "
            "VALUES (?, now(), ?, ?, ?, ?, '1.0.0', ?, ?, '0.1.0', ?, NULL, 0.1)",
            [run_id, county.upper(), as_of, str(policy_id)[:40], f"{policy_id} (test engine)", "ab" * 32,
             "cd" * 32, json.dumps([{"batch_id": b, "name": n, "bytes": s, "sha256": h} for n, s, h, b in inputs])])
        if progress is not None:
            progress.update(1, 2, "Evaluating counts")
        if cancel is not None:
            cancel.check()
        cur.execute(INSERT, [county.upper(), str(EXPECTED), run_id, list(flip), str(policy_id)])
    if progress is not None:
        progress.update(2, 2, "Done")
    return run_id
