-- The results of an evaluation run (temp view eval_result over the CSV files written by rules/results.py,
-- one row per evaluated count) saved into count_result in file order (row_seq). The facts of a count
-- that the rules do not decide are taken here from its first row (row_seq), as the engine used to read
-- them: source file and line, name, CII, county, courthouse, charge text, conviction date interval and
-- where the offense date came from.
-- Both sides sorted by row_seq (unique) are put side by side (POSITIONAL JOIN): far cheaper than a hash
-- join, which would copy the long reason texts of every result into its table. A result whose first row
-- is gone (the records changed during the run) puts the sides out of step and stops the save (error());
-- rules/results.py says so.
INSERT INTO count_result BY NAME
SELECT r.* EXCLUDE (row_seq),
       CASE WHEN r.row_seq IS DISTINCT FROM f.row_seq THEN error('cmr: results out of step with the records')
            ELSE r.row_seq END AS row_seq,
       $run_id AS run_id, $policy_id AS policy_id, $policy_version AS policy_version,
       f.* EXCLUDE (row_seq)
FROM (SELECT * FROM eval_result ORDER BY row_seq) r
POSITIONAL JOIN (
    SELECT f.row_seq, coalesce(b.file_name, '') AS source_file, f.line_no AS source_line,
           regexp_replace(cmr_trim(f."PRI_NAME"), '\s+', ' ', 'g') AS name,
           cmr_trim(f."CII_NUMBER") AS cii_number,
           coalesce(f.d_county, '') AS county,
           cmr_trim(f."STP_ORI_DESCR") AS courthouse, cmr_trim(f."STP_ORI_CODE") AS court_ori,
           coalesce(f.d_charge_text, '') AS charge_text,
           CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_lo ELSE f.d_disp_lo END AS conviction_lo,
           CASE WHEN f.d_stp_text IS NOT NULL THEN f.d_stp_hi ELSE f.d_disp_hi END AS conviction_hi,
           CASE WHEN f.d_cyc_text IS NOT NULL THEN 'CYC_DATE'
                WHEN f.d_stp_text IS NOT NULL THEN 'STP_EVENT_DATE'
                WHEN f.d_disp_text IS NOT NULL THEN 'DISP_DATE'
                ELSE 'none' END AS offense_date_source
    FROM doj_row f
    LEFT JOIN import_batch b ON b.batch_id = f.batch_id
    WHERE f.row_seq IN (SELECT row_seq FROM eval_result)
    ORDER BY f.row_seq
) f;
