-- Person facts (doj-research-file.md 6.1, 6.5) for the subjects in temp table eval_subjects (dates as
-- day numbers, cmr_day). Column order is relied on by rules/derive.py (make_person).
SELECT d_subject_id AS subject_id,
       count(DISTINCT d_dob_text) AS n_dob,
       cmr_day(min(d_dob_lo)) AS dob_lo, cmr_day(min(d_dob_hi)) AS dob_hi,
       bool_or(d_step_type = 'DECEASED') AS deceased,
       arg_min(cmr_trim("RACE_DESCR"), row_seq) AS race
FROM doj_row
WHERE d_subject_id IN (SELECT subject_id FROM eval_subjects)
GROUP BY d_subject_id;
