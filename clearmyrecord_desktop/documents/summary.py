"""The summary report (motion-packets.md section 8): headline impact (statutory floor only vs final
decisions), breakdowns, front matter with inputs and hashes, charts and ``summary_tables.xlsx``.

All figures are computed in DuckDB; the 7-year window is anchored on the run's as-of date, never on the
computer's clock. Race is read from DOJ ``RACE_DESCR`` as recorded and appears only here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .. import __version__
from ..settings import Settings
from . import charts
from .contexts import fmt_int, fmt_time, marking_lines
from .packet import (RELIEF_SHORT, ExportPlan, RunInfo, challenge_ground, courthouse_mapping, scope_sql)
from .stamping import core_properties_xml, normalise_docx, write_archive
from .templates import TemplateInfo, TemplateRegistry, render_template

R = "('dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction')"
RELIEF_COLS = (("ds", "dismiss_and_seal"), ("rm", "reduce_to_misdemeanor"), ("ri", "reduce_to_infraction"))
SECTION_ORDER = ["11357(a)", "11357(b)", "11357(c)", "11357(d)", "11357(e)", "11357 (subsection not recorded)",
                 "11358", "11359", "11360(a)", "11360(b)", "11360 (other or no subsection)"]
LIMITS = [
    "DOJ lists are both over- and under-inclusive: convictions may be missing from the file, and some "
    "listed convictions may not be eligible.",
    "Records destroyed under Health and Safety Code sections 11361.5 and 11361.7 may be missing.",
    "Sentence status (completed or serving) is estimated from the DOJ sentence rows; parole, PRCS and early "
    "termination of probation are not shown in them.",
    "Court case numbers come from the DOJ record and may differ from the court's own numbering.",
]
CHART_FILES = {"relief": "01_relief.png", "sections": "02_sections.png", "decades": "03_decades.png",
               "courthouses": "04_courthouses.png", "race": "05_race.png"}


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


@dataclass
class SummaryData:
    """The numbers of the report (unsuppressed); see :func:`compute_summary`."""
    run: RunInfo
    inputs: list[dict]
    headline: list[tuple[str, str, int, int]]            # key, label, statutory, final
    sections: list[tuple[str, int, int, int]]            # label, ds, rm, ri
    decades: list[tuple[str, int, int, int]]
    courthouses: list[tuple[str, int, int, int, str]]    # label, granted, challenged, people, packet ids
    race: list[tuple[str, int, int]]                     # group, people affected, granted counts
    grounds: list[tuple[str, int]]
    other: list[tuple[str, int]]
    extra: dict = field(default_factory=dict)

    def headline_dict(self) -> dict[str, tuple[int, int]]:
        return {k: (s, f) for k, _, s, f in self.headline}


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


# -- presentation ---------------------------------------------------------------------------------

def _cell(v: int, n: int) -> str:
    if n and v < n:
        return f"<{n}"
    return fmt_int(v)


def _share(v: int, total: int, n: int) -> str:
    if n and v < n:
        return "\u2014"
    return f"{(100.0 * v / total):.1f}%" if total else "\u2014"


DEFINITIONS = [
    ("T", "the run's as-of date; every date figure is anchored on it, never on the computer's clock"),
    ("Statutory floor only", "the run's statutory determinations (H&S § 11361.8 on the DOJ data); a count "
                             "awaiting review counts as not granted"),
    ("Final decisions", "the reviewer's decision where one is recorded, otherwise the policy determination"),
    ("Granted", "final decision is dismissal and sealing, or reduction to a misdemeanor or an infraction"),
    ("Challenged", "final decision is no relief; listed in a notice of challenge"),
    ("Open", "awaiting review (hand review with no review route); left out of drafts, blocks a final export"),
    ("Referred", "hand review routed to another agency (city attorney); not in the office's packets"),
    ("Record", "every conviction count of the person in the DOJ file, all counties"),
    ("People affected", "distinct persons with at least one granted count"),
    ("People with no felony left", "persons with at least one felony count on their record, every one of "
                                   "which is granted relief (dismissal or reduction)"),
    ("People with no conviction left", "persons every one of whose counts on record is granted dismissal and "
                                       "sealing"),
    ("People with no conviction in the last 7 years", "persons affected who have at least one count whose "
     "conviction date is after T minus 7 years, all of which are granted dismissal and sealing; counts not "
     "granted (challenged, open, referred, other counties, other offenses) always count as remaining"),
    ("Level", "felony, misdemeanor or infraction as recorded by DOJ"),
    ("Decade", "decade of the conviction date (earliest possible day of a partial date)"),
]


def summary_context(data: SummaryData, info: TemplateInfo, s: Settings, *, kind: str, generated_at: datetime,
                    export_id: str, packets: list[dict]) -> dict:
    n = s.summary.suppress_below
    run = data.run
    granted_total = sum(r[2] for r in data.race)
    people_total = sum(r[1] for r in data.race)
    front = [
        ("County", s.county.name or run.filing_county),
        ("Filing county (run)", run.filing_county),
        ("As-of date (T)", run.as_of.isoformat()),
        ("Generated", fmt_time(generated_at)),
        ("Kind", "DRAFT \u2014 not for filing" if kind == "draft" else "Final"),
        ("Export", export_id),
        ("Application", f"ClearMyRecord Desktop {__version__}"),
        ("Run id", str(run.run_id)),
        ("Run created", fmt_time(run.created_at) if isinstance(run.created_at, datetime) else str(run.created_at)),
        ("Policy", f"{run.policy_name} (id {run.policy_id}), version {run.policy_version}"),
        ("Policy SHA-256", run.policy_sha256),
        ("Ruleset hash", run.ruleset_hash),
        ("Engine version of the run", run.app_version),
    ]
    return {
        "doc": {"short_name": info.short_name, "title": info.title, "draft": kind == "draft", "spot_check": False},
        "packet": {"id": export_id, "kind_label": "Draft" if kind == "draft" else "Final"},
        "marking": marking_lines(s),
        "report": {
            "title": "Prop 64 relief \u2014 summary report",
            "county": s.county.name or run.filing_county,
            "as_of": run.as_of.isoformat(),
            "generated_at": fmt_time(generated_at),
            "suppression_note": (f"Small-cell suppression is on: every breakdown cell below {n} is shown as <{n}."
                                 if n else ""),
            "front": [{"label": k, "value": v} for k, v in front],
            "inputs": [{"name": i["name"], "bytes": fmt_int(i.get("bytes", 0)), "sha256": i.get("sha256", ""),
                        "rows": fmt_int(i["rows"]) if "rows" in i else "\u2014",
                        "quarantined": fmt_int(i["quarantined"]) if "quarantined" in i else "\u2014"}
                       for i in data.inputs],
            "headline": [{"label": label, "statutory": fmt_int(a) if key != "referred" else "\u2014",
                          "final": fmt_int(b)} for key, label, a, b in data.headline],
            "sections": [{"label": k, "ds": _cell(a, n), "rm": _cell(b, n), "ri": _cell(c, n),
                          "total": _cell(a + b + c, n)} for k, a, b, c in data.sections],
            "decades": [{"label": k, "ds": _cell(a, n), "rm": _cell(b, n), "ri": _cell(c, n),
                         "total": _cell(a + b + c, n)} for k, a, b, c in data.decades],
            "courthouses": [{"label": k, "granted": _cell(g, n), "challenged": _cell(c, n), "people": _cell(p, n),
                             "packet": ids} for k, g, c, p, ids in data.courthouses],
            "race": [{"label": g, "people": _cell(p, n), "people_share": _share(p, people_total, n),
                      "granted": _cell(c, n), "granted_share": _share(c, granted_total, n)} for g, p, c in data.race],
            "grounds": [{"label": g, "n": _cell(v, n)} for g, v in data.grounds] or [{"label": "None", "n": "0"}],
            "other": [{"label": k, "n": fmt_int(v)} for k, v in data.other],
            "packets": packets or [{"id": "\u2014", "courthouse": "", "granted": "", "challenged": ""}],
            "definitions": [{"term": t, "text": d} for t, d in DEFINITIONS],
            "limits": LIMITS,
        },
    }


def chart_data(data: SummaryData) -> dict[str, Any]:
    """The plain data behind each chart (the GUI dashboard can pass it to :mod:`charts`)."""
    h = data.headline_dict()
    cats = [("Dismiss & seal", "ds"), ("Reduce to misd.", "rm"), ("Reduce to infr.", "ri"),
            ("Challenged", "challenged"), ("Open", "open"), ("Referred", "referred")]
    relief = {"Statutory floor only": {label: h[k][0] for label, k in cats},
              "Final decisions": {label: h[k][1] for label, k in cats}}
    rl = [RELIEF_SHORT[v] for _, v in RELIEF_COLS]
    sections = {k: dict(zip(rl, (a, b, c))) for k, a, b, c in data.sections}
    decades = {k: dict(zip(rl, (a, b, c))) for k, a, b, c in data.decades}
    courthouses = {k: {"Granted": g, "Challenged": c} for k, g, c, _, _ in data.courthouses}
    race = {g: p for g, p, _ in data.race}
    return {"relief": relief, "sections": sections, "decades": decades, "courthouses": courthouses, "race": race}


def render_charts(data: SummaryData, suppress_below: int = 0) -> dict[str, bytes]:
    """The report's charts by key (relief, sections, decades, courthouses, race)."""
    by_title = charts.render_all(chart_data(data), suppress_below=suppress_below)
    return {key: by_title[title] for key, title in charts.DASHBOARD_TITLES.items()}


def dashboard_charts(ws, run_id: int, *, settings: Settings | None = None) -> dict[str, bytes]:
    """``{title: png}`` for the GUI dashboard: the same charts as the summary report."""
    from ..settings import load_settings

    s = settings if settings is not None else load_settings(ws)
    return charts.render_all(chart_data(compute_summary(ws, run_id, s)), suppress_below=s.summary.suppress_below)


def write_tables_xlsx(path: Path, data: SummaryData, s: Settings, *, when: datetime) -> None:
    n = s.summary.suppress_below
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def sheet(name, header, rows):
        ws = wb.create_sheet(name)
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for r in rows:
            ws.append(list(r))
            for c in ws[ws.max_row]:
                if isinstance(c.value, str):
                    c.data_type = "s"
        ws.freeze_panes = "A2"
        for i, _ in enumerate(header, 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = 18 if i > 1 else 48

    def sup(v):
        return f"<{n}" if n and v < n else v

    run = data.run
    sheet("front", ["item", "value"], [
        ("county", s.county.name or run.filing_county), ("as_of_date", run.as_of.isoformat()),
        ("run_id", run.run_id), ("policy_id", run.policy_id), ("policy_name", run.policy_name),
        ("policy_version", run.policy_version), ("policy_sha256", run.policy_sha256),
        ("ruleset_hash", run.ruleset_hash), ("app_version", __version__),
        ("suppress_below", n), ("t_minus_7_years", data.extra["t_minus_7"].isoformat())])
    sheet("inputs", ["name", "bytes", "sha256", "rows_imported", "lines_quarantined"],
          [(i["name"], i.get("bytes", 0), i.get("sha256", ""), i.get("rows", ""), i.get("quarantined", ""))
           for i in data.inputs])
    sheet("headline", ["figure", "label", "statutory_floor_only", "final_decisions"], data.headline)
    sheet("by_section", ["section", "dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "total"],
          [(k, sup(a), sup(b), sup(c), sup(a + b + c)) for k, a, b, c in data.sections])
    sheet("by_decade", ["decade", "dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "total"],
          [(k, sup(a), sup(b), sup(c), sup(a + b + c)) for k, a, b, c in data.decades])
    sheet("by_courthouse", ["courthouse", "granted", "challenged", "people", "packet_ids"],
          [(k, sup(g), sup(c), sup(p), ids) for k, g, c, p, ids in data.courthouses])
    sheet("by_race_as_recorded", ["race_descr_as_recorded_by_doj", "people_affected", "granted_counts"],
          [(g, sup(p), sup(c)) for g, p, c in data.race])
    sheet("challenged_by_ground", ["ground", "counts"], [(g, sup(v)) for g, v in data.grounds])
    sheet("other", ["item", "counts"], data.other)
    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as fh:
        write_archive(buf.getvalue(), fh, replace={"docProps/core.xml": core_properties_xml("Summary tables", when)})


def write_summary(out_dir: Path, ws, run_id: int, s: Settings, registry: TemplateRegistry, *, kind: str,
                  when: datetime, export_id: str, plan: ExportPlan | None = None,
                  packet_ids: dict[str, list[str]] | None = None, packets: list[dict] | None = None,
                  cancel=None) -> list[str]:
    """Write ``summary_report.docx``, ``summary_tables.xlsx`` and ``charts/*.png`` into ``out_dir``;
    return their paths relative to ``out_dir``."""
    data = compute_summary(ws, run_id, s, plan=plan, packet_ids=packet_ids, cancel=cancel)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "charts").mkdir(exist_ok=True)
    images = render_charts(data, s.summary.suppress_below)
    written = []
    for key, png in images.items():
        rel = f"charts/{CHART_FILES[key]}"
        (out_dir / rel).write_bytes(png)
        written.append(rel)
    write_tables_xlsx(out_dir / "summary_tables.xlsx", data, s, when=when)
    written.append("summary_tables.xlsx")
    info = registry.get("summary_report")
    ctx = summary_context(data, info, s, kind=kind, generated_at=when, export_id=export_id, packets=packets or [])
    frame = render_template(info, ctx, images=images)
    with open(out_dir / "summary_report.docx", "wb") as fh:
        normalise_docx(frame, fh, title="Summary report", when=when)
    written.append("summary_report.docx")
    return sorted(written)


def sample_summary_context(info: TemplateInfo, s: Settings) -> dict:
    run = RunInfo(run_id=1, created_at=datetime(2020, 7, 1), filing_county="SAMPLE", as_of=date(2020, 7, 1),
                  policy_id="sample", policy_name="Sample", policy_version="1", policy_sha256="0" * 64,
                  ruleset_hash="1" * 64, app_version=__version__, inputs=[])
    data = SummaryData(run=run, inputs=[{"name": "a.csv", "bytes": 1, "sha256": "0" * 64, "rows": 1, "quarantined": 0}],
                       headline=[("granted", "Granted", 1, 1)], sections=[("11357(b)", 1, 0, 0)],
                       decades=[("1990s", 1, 0, 0)], courthouses=[("SMP Sample", 1, 0, 1, "SMP-1")],
                       race=[("Not recorded", 1, 1)], grounds=[("Ground", 1)], other=[("Open", 0)],
                       extra={"t_minus_7": date(2013, 7, 1)})
    ctx = summary_context(data, info, s, kind="draft", generated_at=datetime(2020, 7, 1), export_id="CMR-SMP",
                          packets=[{"id": "SMP-1", "courthouse": "SMP", "granted": "1", "challenged": "0"}])
    ctx["charts"] = {k: "" for k in CHART_FILES}
    return ctx
