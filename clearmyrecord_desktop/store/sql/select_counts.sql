-- Every conviction count (doj-research-file.md 6.3) of the subjects in temp table eval_subjects,
-- with the facts of its first row (file order), disagreement checks over all its rows, its
-- sentence (eligibility.md 8: parts run concurrently from the conviction date; end computed here
-- for the first and last possible conviction day) and its case number (6.4).
-- Ordered by subject, then file order. Column order is relied on by rules/derive.py (COUNT_COLUMNS).
WITH conv AS (
    SELECT * FROM doj_row
    WHERE d_is_conviction AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
), agg AS (
    SELECT d_subject_id, d_cnt_order,
           min(row_seq) AS first_seq,
           count(DISTINCT d_level) AS n_levels,
           count(DISTINCT coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, '?')) AS n_conv_dates,
           count(DISTINCT d_charge_text) AS n_texts
    FROM conv GROUP BY d_subject_id, d_cnt_order
), first_row AS (
    SELECT c.* FROM conv c JOIN agg a ON c.row_seq = a.first_seq
), parts AS (
    SELECT d_subject_id, d_cnt_order,
           cmr_trim("SENT_LENGTH") AS len,
           CASE WHEN cmr_trim("SENT_TIME_CODE") <> '' THEN
                    CASE upper(cmr_trim("SENT_TIME_CODE")) WHEN 'D' THEN 'D' WHEN 'M' THEN 'M' WHEN 'Y' THEN 'Y' END
                ELSE CASE upper(cmr_trim("SENT_TIME_DESCR")) WHEN 'DAYS' THEN 'D' WHEN 'MONTHS' THEN 'M' WHEN 'YEARS' THEN 'Y' END
           END AS unit
    FROM conv
    WHERE cmr_trim("SENT_LENGTH") <> '' OR cmr_trim("SENT_TIME_CODE") <> ''
       OR cmr_trim("SENT_TIME_DESCR") <> '' OR cmr_trim("SENT_LOC_DESCR") <> ''
), part_ok AS (
    SELECT *, (regexp_full_match(len, '[0-9]{1,4}') AND unit IS NOT NULL) AS valid FROM parts
), sentence AS (
    SELECT p.d_subject_id, p.d_cnt_order,
           count(*) AS n_parts,
           count(*) FILTER (WHERE NOT p.valid) AS n_invalid,
           max(cmr_add(f.conv_lo, CASE WHEN p.valid THEN CAST(p.len AS INTEGER) END, p.unit)) AS end_lo,
           max(cmr_add(f.conv_hi, CASE WHEN p.valid THEN CAST(p.len AS INTEGER) END, p.unit)) AS end_hi
    FROM part_ok p
    JOIN (SELECT d_subject_id, d_cnt_order,
                 CASE WHEN d_stp_text IS NOT NULL THEN d_stp_lo ELSE d_disp_lo END AS conv_lo,
                 CASE WHEN d_stp_text IS NOT NULL THEN d_stp_hi ELSE d_disp_hi END AS conv_hi
          FROM first_row) f USING (d_subject_id, d_cnt_order)
    GROUP BY p.d_subject_id, p.d_cnt_order
), court_case AS (
    SELECT d_subject_id, substr(d_cnt_order, 1, 6) AS case6, arg_min(d_ofn, row_seq) AS court_ofn
    FROM doj_row
    WHERE d_step_type = 'COURT ACTION' AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
    GROUP BY d_subject_id, substr(d_cnt_order, 1, 6)
)
SELECT f.d_subject_id, f.d_cnt_order, f.row_seq, f.batch_id, f.line_no,
       f.d_charge_text, f.d_charge_from_comment, cmr_trim(f."COMMENT_TEXT"),
       f.d_level,
       f.d_cyc_lo, f.d_cyc_hi, f.d_cyc_text IS NOT NULL,
       CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_lo ELSE f.d_disp_lo END,
       CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_hi ELSE f.d_disp_hi END,
       CASE WHEN f.d_stp_text IS NOT NULL THEN 'STP_EVENT_DATE'
            WHEN f.d_disp_text IS NOT NULL THEN 'DISP_DATE' END,
       f.d_county,
       cmr_trim(f."STP_ORI_DESCR"), cmr_trim(f."STP_ORI_CODE"),
       coalesce(f.d_ofn, c.court_ofn, nullif(cmr_trim(f."FE_NUM_CRT_CASE"), '')),
       f.d_cyc_age,
       regexp_replace(cmr_trim(f."PRI_NAME"), '\s+', ' ', 'g'),
       cmr_trim(f."CII_NUMBER"),
       (a.n_levels > 1 OR a.n_conv_dates > 1 OR a.n_texts > 1),
       coalesce(s.n_parts, 0), coalesce(s.n_invalid, 0), s.end_lo, s.end_hi
FROM first_row f
JOIN agg a USING (d_subject_id, d_cnt_order)
LEFT JOIN sentence s USING (d_subject_id, d_cnt_order)
LEFT JOIN court_case c ON c.d_subject_id = f.d_subject_id AND c.case6 = substr(f.d_cnt_order, 1, 6)
ORDER BY f.d_subject_id, f.row_seq;
