-- Helper macros defined on every cursor (TEMP: they live with the connection, not the file).
-- cmr_trim: the white space of doj-research-file.md ("value"): space, tab, CR, LF, VT, FF.
-- (trim with that set of six characters is slow in DuckDB: it runs only on a value whose first or
-- last character is one of the six, which nearly no value has; any other value is already trimmed.
-- The first character is tested with two ranges, not an IN list: DuckDB makes an IN list of
-- constants in a macro into a join, four times slower here.)
CREATE OR REPLACE TEMP MACRO cmr_trim(s) AS
    CASE WHEN ascii(s) BETWEEN 9 AND 13 OR ascii(s) = 32 OR ends_with(s, ' ') OR ends_with(s, chr(9))
              OR ends_with(s, chr(10)) OR ends_with(s, chr(11)) OR ends_with(s, chr(12)) OR ends_with(s, chr(13))
         THEN trim(s, ' ' || chr(9) || chr(13) || chr(10) || chr(11) || chr(12))
         ELSE coalesce(s, '') END;
-- Upper case, trimmed, internal white space collapsed (county names, code words).
-- (The regexp_replace runs only where it would change something: a run of two white-space
-- characters or one other than a space; RE2's \s is [\t\n\f\r ]. Most values skip it.)
CREATE OR REPLACE TEMP MACRO cmr_squeeze(t) AS
    CASE WHEN regexp_matches(t, '\s\s|[\t\n\f\r]') THEN regexp_replace(t, '\s+', ' ', 'g') ELSE t END;
-- (A value with no white space at either end, no run of two and none but spaces, nearly every one,
-- is only upper-cased: one regexp test in place of the trim and squeeze tests.)
CREATE OR REPLACE TEMP MACRO cmr_norm(s) AS
    CASE WHEN regexp_matches(s, '^[\t-\r ]|[\t-\r ]$|\s\s|[\t\n\f\r]') THEN upper(cmr_squeeze(cmr_trim(s)))
         ELSE upper(coalesce(s, '')) END;
-- Date values (doj-research-file.md 4.3): kind is exact | month | year | none | bad.
CREATE OR REPLACE TEMP MACRO cmr_date_kind(v) AS (
    CASE
        WHEN cmr_trim(v) = '' OR regexp_full_match(cmr_trim(v), '[xX]+') OR regexp_full_match(cmr_trim(v), '0+')
            THEN 'none'
        WHEN NOT regexp_full_match(cmr_trim(v), '[0-9]{8}') THEN 'bad'
        WHEN CAST(substr(cmr_trim(v), 1, 4) AS INTEGER) NOT BETWEEN 1800 AND 2100 THEN 'bad'
        WHEN substr(cmr_trim(v), 5, 4) = '0000' THEN 'year'
        WHEN substr(cmr_trim(v), 7, 2) = '00' AND CAST(substr(cmr_trim(v), 5, 2) AS INTEGER) BETWEEN 1 AND 12 THEN 'month'
        WHEN try_strptime(cmr_trim(v), '%Y%m%d') IS NOT NULL THEN 'exact'
        ELSE 'bad'
    END);
CREATE OR REPLACE TEMP MACRO cmr_date_lo(v) AS (
    CASE cmr_date_kind(v)
        WHEN 'exact' THEN CAST(strptime(cmr_trim(v), '%Y%m%d') AS DATE)
        WHEN 'month' THEN make_date(CAST(substr(cmr_trim(v), 1, 4) AS INTEGER), CAST(substr(cmr_trim(v), 5, 2) AS INTEGER), 1)
        WHEN 'year' THEN make_date(CAST(substr(cmr_trim(v), 1, 4) AS INTEGER), 1, 1)
    END);
CREATE OR REPLACE TEMP MACRO cmr_date_hi(v) AS (
    CASE cmr_date_kind(v)
        WHEN 'exact' THEN CAST(strptime(cmr_trim(v), '%Y%m%d') AS DATE)
        WHEN 'month' THEN last_day(make_date(CAST(substr(cmr_trim(v), 1, 4) AS INTEGER), CAST(substr(cmr_trim(v), 5, 2) AS INTEGER), 1))
        WHEN 'year' THEN make_date(CAST(substr(cmr_trim(v), 1, 4) AS INTEGER), 12, 31)
    END);
-- Formatted date text of results: YYYY-MM-DD, YYYY-MM, YYYY; NULL when not recorded.
CREATE OR REPLACE TEMP MACRO cmr_date_text(v) AS (
    CASE cmr_date_kind(v)
        WHEN 'exact' THEN substr(cmr_trim(v), 1, 4) || '-' || substr(cmr_trim(v), 5, 2) || '-' || substr(cmr_trim(v), 7, 2)
        WHEN 'month' THEN substr(cmr_trim(v), 1, 4) || '-' || substr(cmr_trim(v), 5, 2)
        WHEN 'year' THEN substr(cmr_trim(v), 1, 4)
    END);
-- Level (doj-research-file.md 4.2): CONV_STAT_DESCR, else OFFENSE_TOC, else unknown.
CREATE OR REPLACE TEMP MACRO cmr_level_word(v) AS (
    CASE cmr_norm(v)
        WHEN 'FELONY' THEN 'felony' WHEN 'F' THEN 'felony'
        WHEN 'MISDEMEANOR' THEN 'misdemeanor' WHEN 'M' THEN 'misdemeanor'
        WHEN 'INFRACTION' THEN 'infraction' WHEN 'I' THEN 'infraction'
    END);
-- Fast forms for already trimmed values v (used by the importer on millions of rows); p is
-- try_strptime(v, '%Y%m%d'), parsed once per value and shared by kind, lo and hi.
-- (The first branch is the common case, an exact date, decided at once; it holds only where every
-- later branch before 'exact' fails: eight digits, a year within 1800-2100, neither 0000 nor 00 in
-- month and day, and a real date. tests/unit/store/test_macros.py checks it against the plain form.)
CREATE OR REPLACE TEMP MACRO cmr_kind(v, p) AS (
    CASE
        WHEN p IS NOT NULL AND length(v) = 8 AND regexp_full_match(v, '[0-9]+')
             AND substr(v, 1, 4) BETWEEN '1800' AND '2100' AND substr(v, 5, 4) <> '0000'
             AND substr(v, 7, 2) <> '00' THEN 'exact'
        WHEN v = '' OR ltrim(v, 'xX') = '' OR ltrim(v, '0') = '' THEN 'none'
        WHEN length(v) <> 8 OR NOT regexp_full_match(v, '[0-9]+') THEN 'bad'
        WHEN substr(v, 1, 4) < '1800' OR substr(v, 1, 4) > '2100' THEN 'bad'
        WHEN substr(v, 5, 4) = '0000' THEN 'year'
        WHEN substr(v, 7, 2) = '00' THEN CASE WHEN substr(v, 5, 2) BETWEEN '01' AND '12' THEN 'month' ELSE 'bad' END
        WHEN p IS NOT NULL THEN 'exact'
        ELSE 'bad'
    END);
CREATE OR REPLACE TEMP MACRO cmr_lo(v, k, p) AS (
    CASE k
        WHEN 'exact' THEN CAST(p AS DATE)
        WHEN 'month' THEN CAST(strptime(substr(v, 1, 6) || '01', '%Y%m%d') AS DATE)
        WHEN 'year' THEN CAST(strptime(substr(v, 1, 4) || '0101', '%Y%m%d') AS DATE)
    END);
CREATE OR REPLACE TEMP MACRO cmr_hi(v, k, p) AS (
    CASE k
        WHEN 'exact' THEN CAST(p AS DATE)
        WHEN 'month' THEN last_day(CAST(strptime(substr(v, 1, 6) || '01', '%Y%m%d') AS DATE))
        WHEN 'year' THEN CAST(strptime(substr(v, 1, 4) || '1231', '%Y%m%d') AS DATE)
    END);
-- (an exact date's text is written from its parsed value p: cheaper than three substrings; the
-- kind check has put its year within 1800-2100, so it is the same text)
CREATE OR REPLACE TEMP MACRO cmr_text(v, k, p) AS (
    CASE k
        WHEN 'exact' THEN strftime(p, '%Y-%m-%d')
        WHEN 'month' THEN substr(v, 1, 4) || '-' || substr(v, 5, 2)
        WHEN 'year' THEN substr(v, 1, 4)
    END);
CREATE OR REPLACE TEMP MACRO cmr_isleap(y) AS ((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0);
-- Add n days, months or years to d (eligibility.md 5.2: months clamp to the month's last day;
-- 29 February plus years becomes 1 March in a non-leap year).
CREATE OR REPLACE TEMP MACRO cmr_add(d, n, unit) AS (
    CASE unit
        WHEN 'D' THEN CAST(d + to_days(n) AS DATE)
        WHEN 'M' THEN CAST(d + to_months(n) AS DATE)
        WHEN 'Y' THEN CASE WHEN month(d) = 2 AND day(d) = 29 AND NOT cmr_isleap(year(d) + n)
                           THEN make_date(year(d) + n, 3, 1)
                           ELSE CAST(d + to_years(n) AS DATE) END
    END);
-- A date as its proleptic Gregorian ordinal (Python's date.toordinal: 0001-01-01 is 1): the queries
-- rules/derive.py reads give dates so, as plain integers are far cheaper to fetch and to hand to
-- another process than date objects (derive.py makes each distinct date once).
CREATE OR REPLACE TEMP MACRO cmr_day(d) AS (CAST(d - DATE '0001-01-01' AS INTEGER) + 1);
