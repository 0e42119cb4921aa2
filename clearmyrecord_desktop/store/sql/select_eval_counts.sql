-- The counts of temp table eval_count (create_eval_counts.sql) that the engine reads: all of them,
-- or ({kept} filled in by rules/derive.py) only those whose charge facts are in eval_count_text;
-- with their case number (doj-research-file.md 6.4: the count's own OFN, else the first OFN of its
-- case's court action rows, else the court case number), looked up only for the counts read.
-- Ordered by subject, then file order. Column order is relied on by rules/derive.py (_count); dates
-- are given as day numbers (cmr_day).
WITH e AS (
    SELECT * FROM eval_count {kept}
), court_case AS (
    SELECT d_subject_id, substr(d_cnt_order, 1, 6) AS case6, arg_min(d_ofn, row_seq) AS court_ofn
    FROM doj_row
    WHERE d_step_type = 'COURT ACTION'
      AND (d_subject_id, substr(d_cnt_order, 1, 6)) IN (SELECT subject_id, substr(cnt_order, 1, 6) FROM e WHERE ofn IS NULL)
    GROUP BY d_subject_id, substr(d_cnt_order, 1, 6)
)
SELECT e.subject_id, e.cnt_order, e.row_seq, e.charge_text, e.from_comment, e.comment_text, e.level,
       cmr_day(e.cyc_lo), cmr_day(e.cyc_hi), e.cyc_recorded, cmr_day(e.conv_lo), cmr_day(e.conv_hi), e.county,
       coalesce(e.ofn, c.court_ofn, e.court_case_number), e.cyc_age, e.conflicting,
       e.n_parts, e.n_invalid, cmr_day(e.end_lo), cmr_day(e.end_hi)
FROM e
LEFT JOIN court_case c ON c.d_subject_id = e.subject_id AND c.case6 = substr(e.cnt_order, 1, 6)
ORDER BY e.subject_id, e.row_seq;
