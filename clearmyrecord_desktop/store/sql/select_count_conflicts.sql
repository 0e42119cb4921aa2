-- The disagreeing values of the rows of every conflicting count that the engine reads
-- (doj-research-file.md 6.3): the counts of temp table eval_count flagged `conflicting`, or ({kept},
-- filled in by rules/derive.py) only those whose charge facts are in eval_count_text. One pass over
-- doj_row for all of them (rules/derive.py makes the disagreements from these lists).
SELECT d_subject_id, d_cnt_order,
       list(DISTINCT d_level ORDER BY d_level),
       list(DISTINCT coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, 'unknown')),
       list(DISTINCT d_charge_text)
FROM doj_row
WHERE d_is_conviction
  AND (d_subject_id, d_cnt_order) IN (SELECT subject_id, cnt_order FROM eval_count {kept} WHERE conflicting)
GROUP BY d_subject_id, d_cnt_order;
