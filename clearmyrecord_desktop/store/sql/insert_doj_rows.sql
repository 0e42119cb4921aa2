-- Parse the normalised temporary files of one import (line_no + 95 fields per line) into doj_row.
-- Parameters: $batch_id, $path (a list of files). {columns}, {raw_select} are filled in by the importer from the
-- 95-column list (identifiers only, never data). Trimmed values and parsed dates are computed once
-- (t), date kinds once (k), so each value is looked at a single time.
INSERT INTO doj_row BY NAME
WITH t AS NOT MATERIALIZED (
    SELECT
        line_no,
        {raw_select},
        cmr_trim("SUBJECT_ID") AS v_subject, cmr_trim("CNT_ORDER") AS v_cnt,
        cmr_trim("PRI_DOB") AS v_dob, cmr_trim("CYC_DATE") AS v_cyc,
        cmr_trim("STP_EVENT_DATE") AS v_stp, cmr_trim("DISP_DATE") AS v_disp,
        cmr_trim("OFFENSE_DESCR") AS v_od, cmr_trim("CYC_AGE") AS v_age, cmr_trim("OFN") AS v_ofn,
        try_strptime(cmr_trim("PRI_DOB"), '%Y%m%d') AS p_dob, try_strptime(cmr_trim("CYC_DATE"), '%Y%m%d') AS p_cyc,
        try_strptime(cmr_trim("STP_EVENT_DATE"), '%Y%m%d') AS p_stp, try_strptime(cmr_trim("DISP_DATE"), '%Y%m%d') AS p_disp
    FROM read_csv($path, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  new_line = '\n', strict_mode = true, nullstr = '\u0001\u0002', max_line_size = {max_line_size},
                  columns = {columns})
), k AS NOT MATERIALIZED (
    SELECT *,
        cmr_kind(v_dob, p_dob) AS k_dob, cmr_kind(v_cyc, p_cyc) AS k_cyc, cmr_kind(v_stp, p_stp) AS k_stp,
        cmr_kind(v_disp, p_disp) AS k_disp,
        (v_od = '' OR upper(cmr_squeeze(v_od)) = 'SEE COMMENT FOR CHARGE') AS from_comment
    FROM t
)
SELECT
    $batch_id AS batch_id,
    line_no,
    $batch_id::BIGINT * 10000000000 + line_no AS row_seq,
    COLUMNS(lambda c: c NOT IN ('line_no', 'from_comment') AND NOT starts_with(c, 'v_') AND NOT starts_with(c, 'k_')
                       AND NOT starts_with(c, 'p_')),
    v_subject AS d_subject_id,
    v_cnt AS d_cnt_order,
    cmr_lo(v_dob, k_dob, p_dob) AS d_dob_lo, cmr_hi(v_dob, k_dob, p_dob) AS d_dob_hi, cmr_text(v_dob, k_dob, p_dob) AS d_dob_text,
    cmr_lo(v_cyc, k_cyc, p_cyc) AS d_cyc_lo, cmr_hi(v_cyc, k_cyc, p_cyc) AS d_cyc_hi, cmr_text(v_cyc, k_cyc, p_cyc) AS d_cyc_text,
    cmr_lo(v_stp, k_stp, p_stp) AS d_stp_lo, cmr_hi(v_stp, k_stp, p_stp) AS d_stp_hi, cmr_text(v_stp, k_stp, p_stp) AS d_stp_text,
    cmr_lo(v_disp, k_disp, p_disp) AS d_disp_lo, cmr_hi(v_disp, k_disp, p_disp) AS d_disp_hi, cmr_text(v_disp, k_disp, p_disp) AS d_disp_text,
    cmr_norm("STP_TYPE_DESCR") AS d_step_type,
    starts_with(upper(ltrim(cmr_trim("DISP_DESCR"))), 'CONVICTED') AS d_is_conviction,
    coalesce(cmr_level_word("CONV_STAT_DESCR"), cmr_level_word("OFFENSE_TOC"), 'unknown') AS d_level,
    cmr_norm("STP_ORI_CNTY_NAME") AS d_county,
    CASE WHEN from_comment THEN cmr_trim("COMMENT_TEXT") ELSE v_od END AS d_charge_text,
    from_comment AS d_charge_from_comment,
    CASE WHEN length(v_age) BETWEEN 1 AND 3 AND regexp_full_match(v_age, '[0-9]+') AND CAST(v_age AS INTEGER) <= 120
         THEN CAST(v_age AS INTEGER) END AS d_cyc_age,
    CASE WHEN v_ofn = '' OR upper(v_ofn) = 'NULL' THEN NULL ELSE v_ofn END AS d_ofn,
    nullif(concat_ws(';',
        CASE WHEN v_subject = '' THEN 'missing_subject_id' END,
        CASE WHEN length(v_cnt) <> 12 OR NOT regexp_full_match(v_cnt, '[0-9]+') THEN 'bad_cnt_order' END,
        CASE WHEN k_dob = 'bad' THEN 'bad_date:PRI_DOB' END,
        CASE WHEN k_cyc = 'bad' THEN 'bad_date:CYC_DATE' END,
        CASE WHEN k_stp = 'bad' THEN 'bad_date:STP_EVENT_DATE' END,
        CASE WHEN k_disp = 'bad' THEN 'bad_date:DISP_DATE' END
    ), '') AS d_reject
FROM k;
