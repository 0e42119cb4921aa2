-- Every conviction count (doj-research-file.md 6.3) of the subjects in temp table eval_subjects,
-- with the facts of its first row (file order) that the rules read, disagreement checks over all
-- its rows (a count of one row never disagrees: min = max), its sentence (eligibility.md 8: parts
-- run concurrently from the conviction date; end computed here for the first and last possible
-- conviction day) and the parts of its case number (6.4: completed by select_eval_counts.sql for
-- the counts read).
-- Facts only shown in the results (name, CII, courthouse, source line ...) are not read here:
-- insert_count_results.sql takes them from the count's first row when the results are saved.
-- Kept as temp table eval_count: select_eval_counts.sql reads it for rules/derive.py (all counts, or
-- only those the rules can read) and select_count_totals.sql sums it up per person.
-- One pass: a single GROUP BY per count gives the first row's facts (arg_min of one struct), the
-- disagreement checks and the sentence parts (a part: a row with any sentence field; valid: a length
-- of 1-4 digits and a known unit). The longest valid part of each unit: adding n days, months or
-- years never gives an earlier date for a larger n, so the latest end over the parts is the latest
-- of these three ends (greatest skips NULLs as max does).
CREATE OR REPLACE TEMP TABLE eval_count AS
WITH conv AS (
    -- only the columns used below (doj_row is ~125 columns wide); each sentence field trimmed once
    SELECT d_subject_id, d_cnt_order, row_seq, d_level, d_charge_text,
           coalesce(CASE WHEN d_stp_text IS NOT NULL THEN d_stp_text ELSE d_disp_text END, '?') AS conv_text,
           struct_pack(charge_text := d_charge_text, from_comment := d_charge_from_comment,
                       comment_text := "COMMENT_TEXT", level := d_level, cyc_lo := d_cyc_lo, cyc_hi := d_cyc_hi,
                       cyc_text := d_cyc_text, county := d_county, ofn := d_ofn, court_case := "FE_NUM_CRT_CASE",
                       cyc_age := d_cyc_age,
                       conv_lo := CASE WHEN d_stp_text IS NOT NULL THEN d_stp_lo ELSE d_disp_lo END,
                       conv_hi := CASE WHEN d_stp_text IS NOT NULL THEN d_stp_hi ELSE d_disp_hi END) AS f,
           cmr_trim("SENT_LENGTH") AS len, cmr_trim("SENT_TIME_CODE") AS code,
           cmr_trim("SENT_TIME_DESCR") AS descr, cmr_trim("SENT_LOC_DESCR") AS loc
    FROM doj_row
    WHERE d_is_conviction AND d_subject_id IN (SELECT subject_id FROM eval_subjects)
), part AS (
    SELECT *, (len <> '' OR code <> '' OR descr <> '' OR loc <> '') AS is_part,
           CASE WHEN code <> '' THEN CASE upper(code) WHEN 'D' THEN 'D' WHEN 'M' THEN 'M' WHEN 'Y' THEN 'Y' END
                ELSE CASE upper(descr) WHEN 'DAYS' THEN 'D' WHEN 'MONTHS' THEN 'M' WHEN 'YEARS' THEN 'Y' END
           END AS unit
    FROM conv
), valid AS (
    SELECT *, is_part AND regexp_full_match(len, '[0-9]{1,4}') AND unit IS NOT NULL AS valid FROM part
), sized AS (
    SELECT *, CASE WHEN valid THEN CAST(len AS INTEGER) END AS n FROM valid
), per_count AS (
    SELECT d_subject_id, d_cnt_order,
           min(row_seq) AS row_seq, arg_min(f, row_seq) AS f,
           coalesce(min(d_level) <> max(d_level) OR min(conv_text) <> max(conv_text)
                    OR min(d_charge_text) <> max(d_charge_text), false) AS conflicting,
           count(*) FILTER (WHERE is_part) AS n_parts,
           count(*) FILTER (WHERE is_part AND NOT valid) AS n_invalid,
           max(n) FILTER (WHERE unit = 'D') AS n_days,
           max(n) FILTER (WHERE unit = 'M') AS n_months,
           max(n) FILTER (WHERE unit = 'Y') AS n_years
    FROM sized
    GROUP BY d_subject_id, d_cnt_order
)
SELECT d_subject_id AS subject_id, d_cnt_order AS cnt_order, row_seq,
       f.charge_text, f.from_comment,
       cmr_trim(f.comment_text) AS comment_text,
       f.level,
       f.cyc_lo, f.cyc_hi, f.cyc_text IS NOT NULL AS cyc_recorded,
       f.conv_lo, f.conv_hi,
       f.county,
       f.ofn, nullif(cmr_trim(f.court_case), '') AS court_case_number,
       f.cyc_age,
       conflicting,
       n_parts, n_invalid,
       greatest(cmr_add(f.conv_lo, n_days, 'D'), cmr_add(f.conv_lo, n_months, 'M'), cmr_add(f.conv_lo, n_years, 'Y')) AS end_lo,
       greatest(cmr_add(f.conv_hi, n_days, 'D'), cmr_add(f.conv_hi, n_months, 'M'), cmr_add(f.conv_hi, n_years, 'Y')) AS end_hi
FROM per_count;
