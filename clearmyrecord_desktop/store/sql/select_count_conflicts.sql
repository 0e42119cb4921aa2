-- The disagreeing values of one count's rows (doj-research-file.md 6.3); only for flagged counts.
SELECT list(DISTINCT d_level ORDER BY d_level),
       list(DISTINCT coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, 'unknown')),
       list(DISTINCT d_charge_text)
FROM doj_row
WHERE d_is_conviction AND d_subject_id = ? AND d_cnt_order = ?;
