-- What the rules need of all the counts of a person in temp table eval_count (create_eval_counts.sql),
-- most of which they never read one by one (rules/totals.py has the same sums over loaded counts):
-- how many counts, felonies and convictions surely after $window_start (as-of date - 7 years);
-- the latest last-possible conviction day when every conviction date is known, and among the known
-- ones (a date is unknown when its first day is: derive.py makes it UNKNOWN); whether every
-- sentence surely ended by $as_of (rules/sentence.py all_completed). Dates as day numbers (cmr_day).
SELECT subject_id,
       count(*) AS n_counts,
       count(*) FILTER (WHERE level = 'felony') AS felonies,
       count(*) FILTER (WHERE conv_lo > $window_start) AS recent,
       cmr_day(CASE WHEN bool_and(conv_lo IS NOT NULL AND conv_hi IS NOT NULL) THEN max(conv_hi) END) AS latest_hi,
       cmr_day(max(conv_hi) FILTER (WHERE conv_lo IS NOT NULL)) AS latest_known_hi,
       bool_and(n_parts > 0 AND n_invalid = 0 AND conv_lo IS NOT NULL AND end_lo IS NOT NULL
                AND end_hi IS NOT NULL AND end_hi <= $as_of) AS all_completed
FROM eval_count
GROUP BY subject_id;
