-- Subjects that may have an evaluated count: a conviction row in the filing county whose charge
-- text (or comment) mentions a Prop 64 section number. A superset; Python decides exactly.
CREATE OR REPLACE TEMP TABLE eval_subjects AS
SELECT DISTINCT d_subject_id AS subject_id
FROM doj_row
WHERE d_is_conviction AND d_county = $county
  AND (regexp_matches(d_charge_text, '1135[789]|11360') OR regexp_matches("COMMENT_TEXT", '1135[789]|11360')
       OR regexp_matches(d_charge_text, '^\s*32'));
