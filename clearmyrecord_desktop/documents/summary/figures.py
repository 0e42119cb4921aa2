"""The numbers of the summary report, all computed in DuckDB: headline impact (statutory floor only vs
final decisions), breakdowns by section, decade, courthouse and race as recorded, challenge grounds and
other counts. The 7-year window is anchored on the run's as-of date, never on the computer's clock."""

from __future__ import annotations

from datetime import date

from ...settings import Settings
from ..packet import ExportPlan, RunInfo, challenge_ground, courthouse_mapping, scope_sql
from .data import SummaryData

R = "('dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction')"
RELIEF_COLS = (("ds", "dismiss_and_seal"), ("rm", "reduce_to_misdemeanor"), ("ri", "reduce_to_infraction"))
SECTION_ORDER = ["11357(a)", "11357(b)", "11357(c)", "11357(d)", "11357(e)", "11357 (subsection not recorded)",
                 "11358", "11359", "11360(a)", "11360(b)", "11360 (other or no subsection)"]


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def compute_summary(ws, run_id: int, s: Settings, *, plan: ExportPlan | None = None,
                    packet_ids: dict[str, list[str]] | None = None, cancel=None) -> SummaryData:
    run = plan.run if plan else RunInfo.load(ws, run_id)
    mapping = plan.mapping if plan else courthouse_mapping(ws, run_id, s)[0]
    t7 = years_before(run.as_of, 7)
    cur = ws.cursor()
    try:
        if cancel is not None:
            cancel.add_interrupt(cur.interrupt)

        def one(sql, params):
            row = cur.execute(sql, params).fetchall()
            return row[0] if row else None

        def many(sql, params):
            return cur.execute(sql, params).fetchall()

        ev = f"""ev AS (SELECT subject_id, cnt_order, level, conviction_lo, statutory_determination AS sd,
                        final_determination AS fd, review_route, reviewed, policy_conflict, code_section, section
                 FROM count_final WHERE run_id = ?)"""
        c = one(f"""WITH {ev} SELECT
            count(*),
            count(*) FILTER (WHERE sd = 'dismiss_and_seal'), count(*) FILTER (WHERE sd = 'reduce_to_misdemeanor'),
            count(*) FILTER (WHERE sd = 'reduce_to_infraction'), count(*) FILTER (WHERE sd = 'no_relief'),
            count(*) FILTER (WHERE sd = 'hand_review'),
            count(*) FILTER (WHERE fd = 'dismiss_and_seal'), count(*) FILTER (WHERE fd = 'reduce_to_misdemeanor'),
            count(*) FILTER (WHERE fd = 'reduce_to_infraction'), count(*) FILTER (WHERE fd = 'no_relief'),
            count(*) FILTER (WHERE fd = 'hand_review' AND review_route IS NULL),
            count(*) FILTER (WHERE fd = 'hand_review' AND review_route IS NOT NULL),
            count(*) FILTER (WHERE sd IN {R} AND level = 'felony'), count(*) FILTER (WHERE sd IN {R} AND level = 'misdemeanor'),
            count(*) FILTER (WHERE sd IN {R} AND level = 'infraction'),
            count(*) FILTER (WHERE fd IN {R} AND level = 'felony'), count(*) FILTER (WHERE fd IN {R} AND level = 'misdemeanor'),
            count(*) FILTER (WHERE fd IN {R} AND level = 'infraction'),
            count(DISTINCT subject_id) FILTER (WHERE sd IN {R}), count(DISTINCT subject_id) FILTER (WHERE fd IN {R}),
            count(*) FILTER (WHERE reviewed), count(*) FILTER (WHERE fd IN {R} AND policy_conflict)
            FROM ev""", [run_id])
        (total, s_ds, s_rm, s_ri, s_nr, s_hr, f_ds, f_rm, f_ri, f_nr, f_open, f_ref, s_fel, s_mis, s_inf,
         f_fel, f_mis, f_inf, s_people, f_people, n_reviewed, n_conflict) = c
        p = one(f"""WITH {ev},
            people AS (SELECT DISTINCT subject_id FROM ev),
            rec AS (SELECT d_subject_id AS subject_id, d_cnt_order AS cnt_order, arg_min(d_level, row_seq) AS level,
                           arg_min(coalesce(d_stp_lo, d_disp_lo), row_seq) AS lo
                    FROM doj_row WHERE d_is_conviction AND d_subject_id IN (SELECT subject_id FROM people)
                    GROUP BY 1, 2),
            allc AS (SELECT coalesce(e.subject_id, r.subject_id) AS subject_id, coalesce(e.level, r.level) AS level,
                            coalesce(e.conviction_lo, r.lo) AS lo, e.sd, e.fd
                     FROM ev e FULL OUTER JOIN rec r ON e.subject_id = r.subject_id AND e.cnt_order = r.cnt_order),
            per AS (SELECT subject_id, bool_or(coalesce(sd IN {R}, FALSE)) AS s_aff, bool_or(coalesce(fd IN {R}, FALSE)) AS f_aff,
                           count(*) AS n_all, count(*) FILTER (WHERE level = 'felony') AS n_fel,
                           count(*) FILTER (WHERE level = 'felony' AND sd IN {R}) AS s_fel_ok,
                           count(*) FILTER (WHERE level = 'felony' AND fd IN {R}) AS f_fel_ok,
                           count(*) FILTER (WHERE sd = 'dismiss_and_seal') AS s_ds,
                           count(*) FILTER (WHERE fd = 'dismiss_and_seal') AS f_ds,
                           count(*) FILTER (WHERE lo > ?) AS n_recent,
                           count(*) FILTER (WHERE lo > ? AND sd = 'dismiss_and_seal') AS s_recent,
                           count(*) FILTER (WHERE lo > ? AND fd = 'dismiss_and_seal') AS f_recent
                    FROM allc GROUP BY 1)
            SELECT count(*) FILTER (WHERE n_fel > 0 AND s_fel_ok = n_fel), count(*) FILTER (WHERE n_fel > 0 AND f_fel_ok = n_fel),
                   count(*) FILTER (WHERE n_all > 0 AND s_ds = n_all), count(*) FILTER (WHERE n_all > 0 AND f_ds = n_all),
                   count(*) FILTER (WHERE s_aff AND n_recent > 0 AND s_recent = n_recent),
                   count(*) FILTER (WHERE f_aff AND n_recent > 0 AND f_recent = n_recent)
            FROM per""", [run_id, t7, t7, t7])
        s_nofel, f_nofel, s_noconv, f_noconv, s_no7, f_no7 = p
        headline = [
            ("ds", "Convictions to be dismissed and sealed", s_ds, f_ds),
            ("rm", "Convictions to be reduced to misdemeanors", s_rm, f_rm),
            ("ri", "Convictions to be reduced to infractions", s_ri, f_ri),
            ("granted", "Convictions granted relief (total)", s_ds + s_rm + s_ri, f_ds + f_rm + f_ri),
            ("challenged", "Convictions challenged (no relief)", s_nr, f_nr),
            ("open", "Convictions awaiting review (open)", s_hr, f_open),
            ("referred", "Convictions referred to another agency", 0, f_ref),
            ("evaluated", "Convictions evaluated (total)", total, total),
            ("felony", "Granted: felonies as recorded", s_fel, f_fel),
            ("misdemeanor", "Granted: misdemeanors as recorded", s_mis, f_mis),
            ("infraction", "Granted: infractions as recorded", s_inf, f_inf),
            ("people", "People affected", s_people, f_people),
            ("no_felony", "People with no felony left", s_nofel, f_nofel),
            ("no_conviction", "People with no conviction left", s_noconv, f_noconv),
            ("no_conviction_7y", "People with no conviction in the last 7 years", s_no7, f_no7),
        ]
        # by section and decade (final granted)
        sec_expr = """CASE coalesce(section, substr(code_section, 1, 5))
            WHEN '11357' THEN CASE WHEN regexp_matches(coalesce(code_section, ''), '^11357\\([A-E]\\)')
                                   THEN '11357(' || lower(substr(code_section, 7, 1)) || ')'
                                   ELSE '11357 (subsection not recorded)' END
            WHEN '11360' THEN CASE WHEN regexp_matches(coalesce(code_section, ''), '^11360\\([AB]\\)')
                                   THEN '11360(' || lower(substr(code_section, 7, 1)) || ')'
                                   ELSE '11360 (other or no subsection)' END
            ELSE coalesce(section, substr(code_section, 1, 5), 'Unknown') END"""
        rel_cols = ", ".join(f"count(*) FILTER (WHERE fd = '{v}')" for _, v in RELIEF_COLS)
        sec_rows = many(f"WITH {ev} SELECT {sec_expr} AS k, {rel_cols} FROM ev WHERE fd IN {R} GROUP BY 1", [run_id])
        sections = sorted(((k, a, b, c2) for k, a, b, c2 in sec_rows),
                          key=lambda r: (SECTION_ORDER.index(r[0]) if r[0] in SECTION_ORDER else 99, r[0]))
        dec_rows = many(f"""WITH {ev} SELECT CASE WHEN conviction_lo IS NULL THEN 'Date unknown'
                                 ELSE CAST(CAST(floor(year(conviction_lo) / 10) * 10 AS INTEGER) AS VARCHAR) || 's' END AS k,
                              {rel_cols} FROM ev WHERE fd IN {R} GROUP BY 1""", [run_id])
        decades = sorted(dec_rows, key=lambda r: (r[0] == "Date unknown", r[0]))
        # by courthouse
        scope = scope_sql(run_id, mapping, {}, separate=False, categories="all")
        ch_rows = many(scope.sql + f"""
            SELECT coalesce(ch_code, ''), coalesce(any_value(trim(courthouse)), ''),
                   count(*) FILTER (WHERE final_determination IN {R}),
                   count(*) FILTER (WHERE final_determination = 'no_relief'),
                   count(DISTINCT subject_id) FILTER (WHERE final_determination IN {R} OR final_determination = 'no_relief')
            FROM s GROUP BY ch_code ORDER BY 1, 2""", scope.params)
        courthouses = []
        for code, descr, g, chl, ppl in ch_rows:
            if not g and not chl:
                continue
            if code:
                name = s.courthouses[code].name if code in s.courthouses else code
                label = f"{code} {name}"
            else:
                label = descr or "Courthouse not recorded"
            ids = ", ".join((packet_ids or {}).get(code, [])) or "\u2014"
            courthouses.append((label, g, chl, ppl, ids))
        # by race/ethnicity as recorded
        race = many(f"""WITH {ev}, people AS (SELECT DISTINCT subject_id FROM ev),
            race AS (SELECT d_subject_id AS subject_id, arg_min(nullif(trim("RACE_DESCR"), ''), row_seq) AS race
                     FROM doj_row WHERE d_subject_id IN (SELECT subject_id FROM people) GROUP BY 1)
            SELECT coalesce(race.race, 'Not recorded') AS grp,
                   count(DISTINCT ev.subject_id) FILTER (WHERE fd IN {R}), count(*) FILTER (WHERE fd IN {R})
            FROM ev LEFT JOIN race USING (subject_id) GROUP BY 1 ORDER BY 3 DESC, 1""", [run_id])
        race = [(g, a, b) for g, a, b in race if a or b]
        # challenged by ground (final)
        grounds: dict[str, int] = {}
        res = cur.execute(
            """SELECT reviewed, review_ground, review_evidence, final_determination, determination, disqualifiers,
                      section, statutory_rule_ids, rule_ids, statutory_determination, level, code_section,
                      conviction_date, offense_date, criterion_label, reason
               FROM count_final WHERE run_id = ? AND final_determination = 'no_relief'""", [run_id])
        names = [d[0] for d in res.description]
        while True:
            if cancel is not None:
                cancel.check()
            chunk = res.fetchmany(10_000)
            if not chunk:
                break
            for values in chunk:
                g, _ = challenge_ground(dict(zip(names, values)))
                grounds[g] = grounds.get(g, 0) + 1
        ground_rows = sorted(grounds.items(), key=lambda kv: (-kv[1], kv[0]))
        basis = one(scope_sql(run_id, mapping, {}, separate=False, categories="all").sql + f"""
            SELECT count(*) FILTER (WHERE final_determination IN {R} AND fbasis = 'statute'),
                   count(*) FILTER (WHERE final_determination IN {R} AND fbasis = 'policy') FROM s""", scope.params)
        not_eval = one("""SELECT count(*) FROM (SELECT DISTINCT d_subject_id, d_cnt_order FROM doj_row
                          WHERE d_is_conviction) d
                          WHERE NOT EXISTS (SELECT 1 FROM count_result r WHERE r.run_id = ?
                                            AND r.subject_id = d.d_subject_id AND r.cnt_order = d.d_cnt_order)""",
                       [run_id])[0]
    finally:
        if cancel is not None:
            cancel.remove_interrupt(cur.interrupt)
        cur.close()
    other = [
        ("Referred to another agency (not in the office's packets)", f_ref),
        ("Open: awaiting review (not in any final packet)", f_open),
        ("Convictions in the DOJ file not evaluated (other counties or offenses)", not_eval),
        ("Decided by the rules (no reviewer decision)", total - n_reviewed),
        ("Decided or confirmed by a reviewer", n_reviewed),
        ("Granted on the statutory floor (basis statute)", basis[0]),
        ("Granted beyond the statutory floor (basis policy)", basis[1]),
        ("Granted over a statutory bar (policy conflict)", n_conflict),
    ]
    return SummaryData(run=run, inputs=run.input_files(ws), headline=headline, sections=sections, decades=decades,
                       courthouses=courthouses, race=race, grounds=ground_rows, other=other,
                       extra={"t_minus_7": t7})
