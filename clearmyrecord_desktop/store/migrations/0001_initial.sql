-- 0001_initial: workspace schema (imports, quarantine, runs, results, review, audit, exports)

CREATE TABLE workspace_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One imported DOJ file (doj-research-file.md section 7).
CREATE TABLE import_batch (
    batch_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    file_path VARCHAR,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL UNIQUE,
    encoding VARCHAR NOT NULL,
    has_header BOOLEAN NOT NULL,
    lines_total BIGINT NOT NULL,
    blank_lines BIGINT NOT NULL,
    data_lines BIGINT NOT NULL,
    rows_imported BIGINT NOT NULL,
    lines_quarantined BIGINT NOT NULL,
    quarantine_by_reason VARCHAR NOT NULL,   -- JSON object reason -> lines
    warnings VARCHAR NOT NULL,               -- JSON list of warning codes
    imported_at TIMESTAMP NOT NULL,
    duration_s DOUBLE
);

-- One imported line: the 95 raw values verbatim, then derived values (prefix d_).
CREATE TABLE doj_row (
    batch_id INTEGER NOT NULL,
    line_no BIGINT NOT NULL,
    row_seq BIGINT NOT NULL,                 -- batch_id * 10^10 + line_no: global file order
    "RECORD_ID" VARCHAR,
    "SUBJECT_STATUS" VARCHAR,
    "SUBJECT_ID" VARCHAR,
    "REQ_SEG_SEP" VARCHAR,
    "REQ_CII_NUMBER" VARCHAR,
    "REQ_NAME" VARCHAR,
    "REQ_GENDER" VARCHAR,
    "REQ_DOB" VARCHAR,
    "REQ_CDL" VARCHAR,
    "REQ_SSN" VARCHAR,
    "PII_SEG_SEP" VARCHAR,
    "CII_NUMBER" VARCHAR,
    "PRI_NAME" VARCHAR,
    "GENDER" VARCHAR,
    "PRI_DOB" VARCHAR,
    "PRI_SSN" VARCHAR,
    "PRI_CDL" VARCHAR,
    "PRI_IDN" VARCHAR,
    "PRI_INN" VARCHAR,
    "FBI_NUMBER" VARCHAR,
    "PDR_SEG_SEP" VARCHAR,
    "RACE_CODE" VARCHAR,
    "RACE_DESCR" VARCHAR,
    "EYE_COLOR_CODE" VARCHAR,
    "EYE_COLOR_DESCR" VARCHAR,
    "HAIR_COLOR_CODE" VARCHAR,
    "HAIR_COLOR_DESCR" VARCHAR,
    "HEIGHT" VARCHAR,
    "WEIGHT" VARCHAR,
    "SINGLE_SOURCE" VARCHAR,
    "MULTI_SOURCE" VARCHAR,
    "POB_CODE" VARCHAR,
    "POB_NAME" VARCHAR,
    "POB_TYPE" VARCHAR,
    "CITIZENSHIP_LIST" VARCHAR,
    "CYC_SEG_SEP" VARCHAR,
    "CYC_ORDER" VARCHAR,
    "CYC_DATE" VARCHAR,
    "STP_SEG_SEP" VARCHAR,
    "STP_ORDER" VARCHAR,
    "STP_EVENT_DATE" VARCHAR,
    "STP_TYPE_CODE" VARCHAR,
    "STP_TYPE_DESCR" VARCHAR,
    "STP_ORI_TYPE" VARCHAR,
    "STP_ORI_TYPE_DESCR" VARCHAR,
    "STP_ORI_CODE" VARCHAR,
    "STP_ORI_DESCR" VARCHAR,
    "STP_ORI_CNTY_CODE" VARCHAR,
    "STP_ORI_CNTY_NAME" VARCHAR,
    "CNT_SEG_SEP" VARCHAR,
    "CNT_ORDER" VARCHAR,
    "DISP_DATE" VARCHAR,
    "OFN" VARCHAR,
    "OFFENSE_CODE" VARCHAR,
    "OFFENSE_DESCR" VARCHAR,
    "OFFENSE_TOC" VARCHAR,
    "OFFENSE_QUAL_LST" VARCHAR,
    "DISP_OFFENSE_CODE" VARCHAR,
    "DISP_OFFENSE_DESCR" VARCHAR,
    "DISP_OFFENSE_TOC" VARCHAR,
    "DISP_OFFENSE_QUAL_LST" VARCHAR,
    "CONV_OFFENSE_ORDER" VARCHAR,
    "CONV_OFFENSE_CODE" VARCHAR,
    "CONV_OFFENSE_DESCR" VARCHAR,
    "CONV_OFFENSE_TOC" VARCHAR,
    "CONV_OFFENSE_QUAL_LST" VARCHAR,
    "FE_NUM_ORDER" VARCHAR,
    "FE_NUM_ARR_AGY" VARCHAR,
    "FE_NUM_BNCH_WARR" VARCHAR,
    "FE_NUM_CITE" VARCHAR,
    "FE_NUM_DOCKET" VARCHAR,
    "FE_NUM_INCIDENT" VARCHAR,
    "FE_NUM_BOOKING" VARCHAR,
    "FE_NUM_NUMBER" VARCHAR,
    "FE_NUM_REMAND" VARCHAR,
    "FE_NUM_OOS_INN" VARCHAR,
    "FE_NUM_CRT_CASE" VARCHAR,
    "FE_NUM_WARRANT" VARCHAR,
    "DISP_ORDER" VARCHAR,
    "DISP_CODE" VARCHAR,
    "DISP_DESCR" VARCHAR,
    "CONV_STAT_CODE" VARCHAR,
    "CONV_STAT_DESCR" VARCHAR,
    "SENT_SEG_SEP" VARCHAR,
    "SENT_ORDER" VARCHAR,
    "SENT_LOC_CODE" VARCHAR,
    "SENT_LOC_DESCR" VARCHAR,
    "SENT_LENGTH" VARCHAR,
    "SENT_TIME_CODE" VARCHAR,
    "SENT_TIME_DESCR" VARCHAR,
    "CYC_AGE" VARCHAR,
    "CII_TYPE" VARCHAR,
    "CII_TYPE_ALPHA" VARCHAR,
    "COMMENT_TEXT" VARCHAR,
    "END_OF_REC" VARCHAR,
    d_subject_id VARCHAR NOT NULL,
    d_cnt_order VARCHAR NOT NULL,
    d_dob_lo DATE, d_dob_hi DATE, d_dob_text VARCHAR,
    d_cyc_lo DATE, d_cyc_hi DATE, d_cyc_text VARCHAR,
    d_stp_lo DATE, d_stp_hi DATE, d_stp_text VARCHAR,
    d_disp_lo DATE, d_disp_hi DATE, d_disp_text VARCHAR,
    d_step_type VARCHAR,                     -- STP_TYPE_DESCR trimmed, upper case
    d_is_conviction BOOLEAN NOT NULL,        -- DISP_DESCR starts with CONVICTED
    d_level VARCHAR NOT NULL,                -- felony | misdemeanor | infraction | unknown
    d_county VARCHAR,                        -- STP_ORI_CNTY_NAME upper, white space collapsed
    d_charge_text VARCHAR,                   -- OFFENSE_DESCR, or COMMENT_TEXT when blank/SEE COMMENT
    d_charge_from_comment BOOLEAN NOT NULL,
    d_cyc_age INTEGER,                       -- NULL when unusable
    d_ofn VARCHAR,                           -- OFN trimmed; NULL when empty or NULL
    d_reject VARCHAR                         -- import-time only: reasons of a line being quarantined
);

-- A line that failed validation: never a row, always shown (doj-research-file.md section 5).
CREATE TABLE quarantine (
    batch_id INTEGER NOT NULL,
    line_no BIGINT NOT NULL,
    reasons VARCHAR NOT NULL,                -- reason codes joined by ';'
    message VARCHAR NOT NULL,
    subject_guess VARCHAR,
    raw_line VARCHAR NOT NULL
);

-- An evaluation run (eligibility.md section 2).
CREATE TABLE eval_run (
    run_id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    filing_county VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    policy_id VARCHAR NOT NULL,
    policy_name VARCHAR NOT NULL,
    policy_version VARCHAR NOT NULL,
    policy_sha256 VARCHAR NOT NULL,
    policy_text VARCHAR,                     -- the policy file(s) as used, for reproduction
    ruleset_hash VARCHAR NOT NULL,
    app_version VARCHAR NOT NULL,
    inputs VARCHAR NOT NULL,                 -- JSON list of {batch_id, name, bytes, sha256}
    impact VARCHAR,                          -- JSON impact figures
    duration_s DOUBLE
);

-- One evaluated count of a run (eligibility.md section 12.1).
CREATE TABLE count_result (
    run_id INTEGER NOT NULL,
    subject_id VARCHAR NOT NULL,
    cnt_order VARCHAR NOT NULL,
    row_seq BIGINT NOT NULL,
    source_file VARCHAR, source_line BIGINT,
    name VARCHAR, dob VARCHAR, cii_number VARCHAR,
    county VARCHAR, courthouse VARCHAR, court_ori VARCHAR, case_number VARCHAR,
    code_section VARCHAR, section VARCHAR, charge_text VARCHAR, count_class VARCHAR,
    level VARCHAR,
    offense_date VARCHAR, offense_date_source VARCHAR,
    conviction_date VARCHAR, conviction_lo DATE, conviction_hi DATE,
    age_at_offense VARCHAR,
    sentence_end VARCHAR, relief_path VARCHAR,
    statutory_determination VARCHAR NOT NULL, statutory_rule_ids VARCHAR, statutory_reason VARCHAR,
    unknown_facts VARCHAR, disqualifiers VARCHAR,
    determination VARCHAR NOT NULL, rule_ids VARCHAR, reason VARCHAR,
    review_route VARCHAR,
    floor_applied BOOLEAN, policy_conflict BOOLEAN, conflict_details VARCHAR,
    compat_determination VARCHAR, compat_reason VARCHAR,
    policy_id VARCHAR, policy_version VARCHAR,
    basis VARCHAR,                           -- statute | policy (for relief), else NULL
    criterion_label VARCHAR,                 -- deciding policy criterion label, if any
    PRIMARY KEY (run_id, subject_id, cnt_order)
);

-- A reviewer's decision on a count; kept apart from engine results and across runs.
CREATE TABLE review_decision (
    decision_id INTEGER PRIMARY KEY,
    subject_id VARCHAR NOT NULL,
    cnt_order VARCHAR NOT NULL,
    determination VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    basis VARCHAR,                           -- statute | policy for relief
    ground VARCHAR, evidence VARCHAR,        -- for challenges
    reviewer VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    run_id INTEGER,                          -- run on screen when decided
    engine_determination VARCHAR,            -- engine result the reviewer saw
    active BOOLEAN NOT NULL DEFAULT TRUE     -- FALSE once replaced or withdrawn
);

-- Append-only audit log with a hash chain (each row's hash covers the previous hash).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    logged_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    subject_id VARCHAR, cnt_order VARCHAR,
    old_value VARCHAR, new_value VARCHAR,
    reason VARCHAR,
    prev_hash VARCHAR NOT NULL,
    hash VARCHAR NOT NULL
);

-- Office settings that fill the documents (typed and validated in settings.py).
CREATE TABLE setting (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL                   -- JSON
);

CREATE TABLE export_record (
    export_id VARCHAR PRIMARY KEY,
    run_id INTEGER,
    created_at TIMESTAMP NOT NULL,
    operator VARCHAR,
    kind VARCHAR,
    destination VARCHAR,
    packet_ids VARCHAR,                      -- JSON list
    manifest_sha256 VARCHAR,
    verified BOOLEAN
);

-- Engine result with the reviewer's active decision applied: the "final decision" of a count.
CREATE VIEW count_final AS
SELECT r.*,
       COALESCE(d.determination, r.determination) AS final_determination,
       d.decision_id IS NOT NULL AS reviewed,
       d.decision_id AS decision_id,
       d.reason AS review_reason,
       d.basis AS review_basis,
       d.ground AS review_ground,
       d.evidence AS review_evidence,
       d.reviewer AS reviewer,
       d.decided_at AS decided_at,
       (d.decision_id IS NOT NULL AND d.engine_determination IS DISTINCT FROM r.determination)
           AS engine_changed
FROM count_result r
LEFT JOIN review_decision d
       ON d.active AND d.subject_id = r.subject_id AND d.cnt_order = r.cnt_order;
