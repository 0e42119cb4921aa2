-- Every conviction count (doj-research-file.md 6.3) of the subjects in temp table eval_subjects,
-- with the facts of its first row (file order), the disagreement checks over all its rows, its
-- sentence parts and its case number (6.4). Ordered by subject, then file order.
WITH conv AS (
    SELECT * FROM doj_row
    WHERE d_is_conviction AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
), first_row AS (
    SELECT * FROM conv
    QUALIFY row_number() OVER (PARTITION BY d_subject_id, d_cnt_order ORDER BY row_seq) = 1
), agg AS (
    SELECT d_subject_id, d_cnt_order,
           count(DISTINCT d_level) AS n_levels,
           list(DISTINCT d_level) AS levels,
           count(DISTINCT coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, '?')) AS n_conv_dates,
           list(DISTINCT coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, 'unknown')) AS conv_dates,
           list(DISTINCT d_charge_text) AS charge_texts,
           list([cmr_trim("SENT_LENGTH"), cmr_trim("SENT_TIME_CODE"), cmr_trim("SENT_TIME_DESCR"), cmr_trim("SENT_LOC_DESCR")] ORDER BY row_seq)
               FILTER (WHERE cmr_trim("SENT_LENGTH") <> '' OR cmr_trim("SENT_TIME_CODE") <> ''
                          OR cmr_trim("SENT_TIME_DESCR") <> '' OR cmr_trim("SENT_LOC_DESCR") <> '') AS sentence_parts
    FROM conv GROUP BY d_subject_id, d_cnt_order
), court_case AS (
    SELECT d_subject_id, substr(d_cnt_order, 1, 6) AS case6, d_ofn AS court_ofn
    FROM doj_row
    WHERE d_step_type = 'COURT ACTION' AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
    QUALIFY row_number() OVER (PARTITION BY d_subject_id, substr(d_cnt_order, 1, 6) ORDER BY row_seq) = 1
)
SELECT f.d_subject_id AS subject_id, f.d_cnt_order AS cnt_order, f.row_seq, f.batch_id, f.line_no,
       f.d_charge_text AS charge_text, f.d_charge_from_comment AS from_comment,
       cmr_trim(f."COMMENT_TEXT") AS comment_text,
       f.d_level AS level,
       f.d_cyc_lo AS cyc_lo, f.d_cyc_hi AS cyc_hi, f.d_cyc_text AS cyc_text,
       CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_lo ELSE f.d_disp_lo END AS conv_lo,
       CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_hi ELSE f.d_disp_hi END AS conv_hi,
       CASE WHEN f.d_stp_text IS NOT NULL THEN 'STP_EVENT_DATE'
            WHEN f.d_disp_text IS NOT NULL THEN 'DISP_DATE' END AS conv_source,
       f.d_county AS county,
       cmr_trim(f."STP_ORI_DESCR") AS courthouse, cmr_trim(f."STP_ORI_CODE") AS court_ori,
       coalesce(f.d_ofn, c.court_ofn, nullif(cmr_trim(f."FE_NUM_CRT_CASE"), '')) AS case_number,
       f.d_cyc_age AS cyc_age,
       regexp_replace(cmr_trim(f."PRI_NAME"), '\s+', ' ', 'g') AS name,
       cmr_trim(f."CII_NUMBER") AS cii_number,
       a.n_levels, a.levels, a.n_conv_dates, a.conv_dates, a.charge_texts, a.sentence_parts
FROM first_row f
JOIN agg a USING (d_subject_id, d_cnt_order)
LEFT JOIN court_case c ON c.d_subject_id = f.d_subject_id AND c.case6 = substr(f.d_cnt_order, 1, 6)
ORDER BY f.d_subject_id, f.row_seq;
