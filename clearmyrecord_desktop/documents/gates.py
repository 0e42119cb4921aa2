"""Gates before an export (motion-packets.md section 5).

A final export needs all six gates; a draft skips gates 1, 2 and 4. Every failed gate is reported
(the export dialog lists them all, each with a ``fix`` hint the GUI maps to a fix-it link):

1. the run is current (nothing imported, re-evaluated or reviewed since) — fix ``rerun``
2. no open counts in scope — fix ``review``
3. every courthouse in scope has a settings entry and every required setting is filled in — ``settings``
4. policy rows need ``policy.authority_text`` — fix ``settings``
5. all templates load and the test render succeeds — fix ``templates``
6. no row value starts with ``=``, ``+``, ``-`` or ``@`` — fix ``data``
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..settings import Settings, required_missing
from .contexts import sample_contexts
from .packet import ExportPlan, agency_routes, scope_sql
from .templates import TemplateRegistry

MAX_ITEMS = 500
FORMULA_COLUMNS = ("name", "case_number", "cii_number", "subject_id", "code_section", "review_ground",
                   "review_evidence", "criterion_label", "court_ori")


@dataclass
class GateFailure:
    gate: int
    message: str
    fix: str                                   # rerun | review | settings | templates | data
    items: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)   # settings keys to fill in (gates 3, 4)


@dataclass
class GateReport:
    kind: str
    failures: list[GateFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def message(self) -> str:
        if self.ok:
            return "All gates pass."
        lines = [f"The {self.kind} export cannot start:"]
        for f in self.failures:
            lines.append(f"- Gate {f.gate}: {f.message}")
            lines += [f"    {item}" for item in f.items[:20]]
            if len(f.items) > 20:
                lines.append(f"    … and {len(f.items) - 20} more")
        return "\n".join(lines)


def check_gates(ws, plan: ExportPlan, s: Settings, registry: TemplateRegistry, *, kind: str | None = None,
                template_ids: list[str] | None = None) -> GateReport:
    kind = kind or plan.kind
    report = GateReport(kind=kind)
    run = plan.run
    run_id = run.run_id
    final = kind == "final"

    # 1. the run is current
    if final:
        reasons = []
        newer = ws.query("SELECT count(*) FROM eval_run WHERE run_id <> ? AND (created_at > ? OR run_id > ?)",
                         [run_id, run.created_at, run_id])[0][0]
        if newer:
            reasons.append("a newer evaluation run exists")
        if run.created_at is not None:
            imported = ws.query("SELECT count(*) FROM import_batch WHERE imported_at > ?", [run.created_at])[0][0]
            if imported:
                reasons.append(f"{imported} file(s) were imported after the run")
            reviewed = ws.query("SELECT count(*) FROM review_decision WHERE decided_at > ?", [run.created_at])[0][0]
            if reviewed:
                reasons.append(f"{reviewed} review decision(s) were recorded after the run")
        if reasons:
            report.failures.append(GateFailure(1, "The run is not current: " + "; ".join(reasons)
                                               + ". Re-run the evaluation to include them.", "rerun"))

    # 2. no open counts in scope
    if final and plan.open_total:
        rows = ws.query(
            """SELECT coalesce(regexp_replace(trim(case_number), '\\s+', ' ', 'g'), ''), cnt_order,
                      coalesce(courthouse, ''), coalesce(reason, '')
               FROM count_final WHERE run_id = ? AND final_determination = 'hand_review' AND review_route IS NULL
               ORDER BY courthouse, case_number, subject_id, cnt_order LIMIT ?""", [run_id, MAX_ITEMS])
        items = [f"{ch}: case {case or '(no case number)'}, count {int(co[6:9]) if co[6:9].isdigit() else co}"
                 f" \u2014 {reason}" for case, co, ch, reason in rows]
        report.failures.append(GateFailure(2, f"{plan.open_total} open count(s) still need review.", "review",
                                           items=items))

    # 3. courthouses and required settings
    items, keys = [], []
    for ori, descr, n in plan.unmapped:
        items.append(f"Court {descr or '(no name)'} ({ori or 'no ORI code'}): {n} count(s) have no courthouse "
                     "entry in the settings")
        keys.append("courthouses")
    codes = sorted({p.ch_code for p in plan.packets})
    need_pd = any(p.challenge for p in plan.packets)
    agency_codes = sorted({p.agency_code for p in plan.packets if p.agency_code})
    for m in required_missing(s, codes, need_pd, False, agency_codes=agency_codes):
        items.append(m.message)
        keys.append(m.key)
    if items:
        report.failures.append(GateFailure(3, "Courthouse entries or required settings are missing.", "settings",
                                           items=items, keys=keys))

    # 4. policy authority
    if final and not s.policy.authority_text.strip():
        if any(e.policy for p in plan.packets for e in p.exhibits):
            report.failures.append(GateFailure(
                4, "Some granted rows rest on office policy: fill in the policy authority paragraph "
                   "(policy.authority_text).", "settings", keys=["policy.authority_text"]))

    # 5. templates
    ids = template_ids if template_ids is not None else registry.ids()
    problems = registry.validate(sample_contexts(registry, s), ids=ids)
    if problems:
        report.failures.append(GateFailure(5, "Templates do not load or do not render.", "templates",
                                           items=problems))

    # 6. formula-like values
    scope = scope_sql(run_id, plan.mapping, agency_routes(s), separate=False)
    tests = [f"regexp_matches(ltrim(coalesce({c}, '')), '^[=+\\-@]')" for c in FORMULA_COLUMNS]
    conds = " OR ".join(tests)
    names = ", ".join(f"CASE WHEN {t} THEN '{c}' END" for t, c in zip(tests, FORMULA_COLUMNS))
    sql = (scope.sql + "\nSELECT coalesce(trim(courthouse), ''), coalesce(case_norm, ''), cnt_order, "
           f"list_filter([{names}], lambda x: x IS NOT NULL) FROM s WHERE ch_code IS NOT NULL AND ({conds}) "
           "ORDER BY 1, 2, 3 LIMIT ?")
    rows = ws.query(sql, scope.params + [MAX_ITEMS])
    items = [f"{ch}: case {case or '(no case number)'}, count {co[6:9]}: {', '.join(cols)} starts with = + - or @"
             for ch, case, co, cols in rows]
    for code, ch in s.courthouses.items():
        for label, value in (("name", ch.name), ("misc case number", ch.misc_case_number)):
            if value.lstrip()[:1] in ("=", "+", "-", "@"):
                items.append(f"Courthouse {code}: the {label} starts with = + - or @")
    if items:
        report.failures.append(GateFailure(6, "Some values start with =, +, - or @ (a data error to look at; "
                                              "they would act as formulas in spreadsheets).", "data",
                                           items=items))
    return report
