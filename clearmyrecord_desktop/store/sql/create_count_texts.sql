-- The distinct charge facts of the counts in temp table eval_count (create_eval_counts.sql), numbered:
-- Python decides once per distinct value which counts the rules can read (rules/derive.py).
CREATE OR REPLACE TEMP TABLE eval_count_text AS
SELECT row_number() OVER () AS text_id, *
FROM (SELECT DISTINCT charge_text, from_comment, comment_text, level FROM eval_count);
