-- REGISTRATION step rows (candidates for PC 290 registration events, 6.5) of subjects in eval_subjects
-- (dates as day numbers, cmr_day).
SELECT d_subject_id AS subject_id, d_cnt_order AS cnt_order, d_charge_text AS charge_text,
       cmr_day(coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_lo END,
                        CASE WHEN d_disp_text IS NOT NULL THEN d_disp_lo END, d_cyc_lo)) AS lo,
       cmr_day(coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_hi END,
                        CASE WHEN d_disp_text IS NOT NULL THEN d_disp_hi END, d_cyc_hi)) AS hi,
       d_ofn AS ofn
FROM doj_row
WHERE d_step_type = 'REGISTRATION' AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
ORDER BY d_subject_id, row_seq;
