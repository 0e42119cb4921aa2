-- Charge texts of every row (convicted or not) in the cycles where a subject of eval_subjects has
-- an accessory (PC 32) conviction: the same-cycle cannabis link of eligibility.md 4.
SELECT DISTINCT d_subject_id, substr(d_cnt_order, 1, 3), d_charge_text
FROM doj_row
WHERE (d_subject_id, substr(d_cnt_order, 1, 3)) IN (
    SELECT d_subject_id, substr(d_cnt_order, 1, 3) FROM doj_row
    WHERE d_is_conviction AND regexp_matches(d_charge_text, '^\s*32(\D|$)')
      AND d_subject_id IN (SELECT subject_id FROM eval_subjects));
