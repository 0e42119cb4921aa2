"""The SQL scope of an export: a run's ``count_final`` rows with courthouse and agency codes, final basis
and exhibit id; the per-packet filter and the §4.3 row order."""

from __future__ import annotations

from dataclasses import dataclass

from .formats import natural_key_sql
from .plans import ExportPlan, PacketPlan

_FINAL_BASIS_SQL = """CASE WHEN f.final_determination NOT IN ('dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction') THEN NULL
     ELSE coalesce(f.review_basis,
                   CASE WHEN f.reviewed AND f.final_determination IS DISTINCT FROM f.determination THEN NULL ELSE f.basis END,
                   CASE WHEN f.final_determination = f.statutory_determination THEN 'statute' ELSE 'policy' END) END"""

_ROW_COLUMNS = (
    "subject_id", "cnt_order", "name", "dob", "cii_number", "court_ori", "courthouse", "case_norm", "code_section",
    "section", "level", "offense_date", "conviction_date", "relief_path", "statutory_determination",
    "statutory_rule_ids", "disqualifiers", "determination", "final_determination", "rule_ids", "reason",
    "review_route", "policy_conflict", "criterion_label", "reviewed", "review_ground", "review_evidence",
    "fbasis", "ch_code", "agency_code", "exhibit_id", "count_no",
)


@dataclass
class ScopeSql:
    """The shared FROM clause: count_final of one run with courthouse and agency codes."""
    sql: str
    params: list


def scope_sql(run_id: int, mapping: dict[tuple[str, str], str], routes: dict[str, str], *, separate: bool,
              categories: str = "packets") -> ScopeSql:
    """``categories``: "packets" (granted and challenged) or "all"."""
    params: list = []
    if mapping:
        values = ", ".join("(?, ?, ?)" for _ in mapping)
        for (ori, descr), code in sorted(mapping.items()):
            params += [ori, descr, code]
    else:
        values = "(NULL, NULL, NULL)"
    if routes:
        rvalues = ", ".join("(?, ?)" for _ in routes)
        for route, code in sorted(routes.items()):
            params += [route, code]
    else:
        rvalues = "(NULL, NULL)"
    where = ""
    if categories == "packets":
        where = ("AND f.final_determination IN ('dismiss_and_seal', 'reduce_to_misdemeanor', "
                 "'reduce_to_infraction', 'no_relief')")
    sql = f"""
WITH m(ori, descr, ch_code) AS (VALUES {values}),
ag(route, agency_code) AS (VALUES {rvalues}),
b AS (
  SELECT f.*, m.ch_code, coalesce(ag.agency_code, '') AS agency_code,
         regexp_replace(trim(coalesce(f.case_number, '')), '\\s+', ' ', 'g') AS case_norm,
         TRY_CAST(substr(f.cnt_order, 7, 3) AS INTEGER) AS count_no,
         {_FINAL_BASIS_SQL} AS fbasis,
         CASE f.final_determination WHEN 'dismiss_and_seal' THEN 'A' WHEN 'reduce_to_misdemeanor' THEN 'B'
              WHEN 'reduce_to_infraction' THEN 'C' WHEN 'no_relief' THEN 'CH' ELSE NULL END AS letter
  FROM count_final f
  LEFT JOIN m ON coalesce(trim(f.court_ori), '') = m.ori AND coalesce(trim(f.courthouse), '') = m.descr
  LEFT JOIN ag ON f.review_route = ag.route
  WHERE f.run_id = ? {where}
),
s AS (
  SELECT b.*, CASE WHEN letter IS NULL THEN NULL
                   WHEN {'TRUE' if separate else 'FALSE'} AND letter <> 'CH'
                   THEN letter || CASE WHEN fbasis = 'statute' THEN '1' ELSE '2' END
                   ELSE letter END AS exhibit_id
  FROM b
)"""
    params.append(run_id)
    return ScopeSql(sql, params)


def _packet_filter(packet: PacketPlan) -> tuple[str, list]:
    where = "ch_code = ? AND agency_code = ?"
    params: list = [packet.ch_code, packet.agency_code]
    if packet.segment == "CH":
        where += " AND exhibit_id = 'CH'"
    elif packet.segment:
        where += " AND exhibit_id <> 'CH' AND substr(exhibit_id, 1, 1) = ?"
        params.append(packet.segment)
    return where, params


def _order_by(order: str, natkey: str) -> str:
    case_order = f"case_norm = '', {natkey}, case_norm"
    if order == "exhibit":
        return f"exhibit_id, {case_order}, count_no NULLS LAST, subject_id, cnt_order"
    return f"{case_order}, subject_id, exhibit_id = 'CH', count_no NULLS LAST, cnt_order"  # per court case


def packet_rows_sql(plan: ExportPlan, packet: PacketPlan, *, order: str = "exhibit") -> tuple[str, list]:
    scope = scope_sql(plan.run.run_id, plan.mapping, plan.routes, separate=plan.separate)
    where, wparams = _packet_filter(packet)
    sql = (f"{scope.sql}\nSELECT {', '.join(_ROW_COLUMNS)} FROM s WHERE {where} "
           f"ORDER BY {_order_by(order, natural_key_sql('case_norm'))}")
    return sql, list(scope.params) + wparams
