-- Every conviction count (doj-research-file.md 6.3) of the subjects in temp table eval_subjects,
-- with the facts of its first row (file order) that the rules read, disagreement checks over all
-- its rows, its sentence (eligibility.md 8: parts run concurrently from the conviction date; end
-- computed here for the first and last possible conviction day) and the parts of its case number
-- (6.4: completed by select_eval_counts.sql for the counts read).
-- Facts only shown in the results (name, CII, courthouse, source line ...) are not read here:
-- insert_count_results.sql takes them from the count's first row when the results are saved.
-- Kept as temp table eval_count: select_eval_counts.sql reads it for rules/derive.py (all counts, or
-- only those the rules can read) and select_count_totals.sql sums it up per person.
CREATE OR REPLACE TEMP TABLE eval_count AS
WITH conv AS MATERIALIZED (
    -- only the columns used below (doj_row is ~125 columns wide)
    SELECT d_subject_id, d_cnt_order, row_seq, d_charge_text, d_charge_from_comment, "COMMENT_TEXT",
           d_level, d_cyc_lo, d_cyc_hi, d_cyc_text, d_county, d_ofn, "FE_NUM_CRT_CASE", d_cyc_age,
           CASE WHEN d_stp_text IS NOT NULL THEN d_stp_lo ELSE d_disp_lo END AS conv_lo,
           CASE WHEN d_stp_text IS NOT NULL THEN d_stp_hi ELSE d_disp_hi END AS conv_hi,
           coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, '?') AS conv_text,
           "SENT_LENGTH", "SENT_TIME_CODE", "SENT_TIME_DESCR", "SENT_LOC_DESCR"
    FROM doj_row
    WHERE d_is_conviction AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
), agg AS (
    SELECT d_subject_id, d_cnt_order, min(row_seq) AS first_seq, count(*) AS n_rows
    FROM conv GROUP BY d_subject_id, d_cnt_order
), disagree AS (
    -- only a count of more than one row can disagree (most have one: their text values are not
    -- compared); "more than one distinct value" as min <> max: NULLs are ignored, as by
    -- count(DISTINCT ...)
    SELECT d_subject_id, d_cnt_order,
           coalesce(min(d_level) <> max(d_level) OR min(conv_text) <> max(conv_text)
                    OR min(d_charge_text) <> max(d_charge_text), false) AS conflicting
    FROM conv
    SEMI JOIN (SELECT d_subject_id, d_cnt_order FROM agg WHERE n_rows > 1) USING (d_subject_id, d_cnt_order)
    GROUP BY d_subject_id, d_cnt_order
), first_row AS (
    SELECT c.*, coalesce(d.conflicting, false) AS conflicting
    FROM conv c
    JOIN agg a ON c.row_seq = a.first_seq
    LEFT JOIN disagree d ON d.d_subject_id = c.d_subject_id AND d.d_cnt_order = c.d_cnt_order
), parts AS (
    -- each sentence field trimmed once (the filter and the unit read the trimmed values)
    SELECT d_subject_id, d_cnt_order, len,
           CASE WHEN code <> '' THEN CASE upper(code) WHEN 'D' THEN 'D' WHEN 'M' THEN 'M' WHEN 'Y' THEN 'Y' END
                ELSE CASE upper(descr) WHEN 'DAYS' THEN 'D' WHEN 'MONTHS' THEN 'M' WHEN 'YEARS' THEN 'Y' END
           END AS unit
    FROM (SELECT d_subject_id, d_cnt_order, cmr_trim("SENT_LENGTH") AS len, cmr_trim("SENT_TIME_CODE") AS code,
                 cmr_trim("SENT_TIME_DESCR") AS descr, cmr_trim("SENT_LOC_DESCR") AS loc
          FROM conv)
    WHERE len <> '' OR code <> '' OR descr <> '' OR loc <> ''
), part_ok AS (
    SELECT *, (regexp_full_match(len, '[0-9]{1,4}') AND unit IS NOT NULL) AS valid FROM parts
), sentence AS (
    -- the longest valid part of each unit: adding n days, months or years never gives an earlier
    -- date for a larger n, so the latest end over the parts is the latest of these three ends
    -- (taken in the final SELECT; greatest skips NULLs as max does)
    SELECT d_subject_id, d_cnt_order,
           count(*) AS n_parts,
           count(*) FILTER (WHERE NOT valid) AS n_invalid,
           max(CASE WHEN valid AND unit = 'D' THEN CAST(len AS INTEGER) END) AS n_days,
           max(CASE WHEN valid AND unit = 'M' THEN CAST(len AS INTEGER) END) AS n_months,
           max(CASE WHEN valid AND unit = 'Y' THEN CAST(len AS INTEGER) END) AS n_years
    FROM part_ok
    GROUP BY d_subject_id, d_cnt_order
)
SELECT f.d_subject_id AS subject_id, f.d_cnt_order AS cnt_order, f.row_seq,
       f.d_charge_text AS charge_text, f.d_charge_from_comment AS from_comment,
       cmr_trim(f."COMMENT_TEXT") AS comment_text,
       f.d_level AS level,
       f.d_cyc_lo AS cyc_lo, f.d_cyc_hi AS cyc_hi, f.d_cyc_text IS NOT NULL AS cyc_recorded,
       f.conv_lo, f.conv_hi,
       f.d_county AS county,
       f.d_ofn AS ofn, nullif(cmr_trim(f."FE_NUM_CRT_CASE"), '') AS court_case_number,
       f.d_cyc_age AS cyc_age,
       f.conflicting,
       coalesce(s.n_parts, 0) AS n_parts, coalesce(s.n_invalid, 0) AS n_invalid,
       greatest(cmr_add(f.conv_lo, s.n_days, 'D'), cmr_add(f.conv_lo, s.n_months, 'M'), cmr_add(f.conv_lo, s.n_years, 'Y')) AS end_lo,
       greatest(cmr_add(f.conv_hi, s.n_days, 'D'), cmr_add(f.conv_hi, s.n_months, 'M'), cmr_add(f.conv_hi, s.n_years, 'Y')) AS end_hi
FROM first_row f
LEFT JOIN sentence s USING (d_subject_id, d_cnt_order);
