"""Plan an export: map DOJ courts to the office's courthouses and review routes to filing agencies,
split the run into packets and exhibits with their row counts, and name the templates a packet uses."""

from __future__ import annotations

from ...settings import AgencySettings, Settings, match_courthouse
from .plans import ExhibitPlan, ExportPlan, PacketPlan, RunInfo
from .scope import scope_sql


def courthouse_mapping(ws, run_id: int, s: Settings) -> tuple[dict, list]:
    rows = ws.query(
        """SELECT coalesce(trim(court_ori), ''), coalesce(trim(courthouse), ''),
                  count(*) FILTER (WHERE final_determination IN ('dismiss_and_seal', 'reduce_to_misdemeanor',
                                   'reduce_to_infraction', 'no_relief', 'hand_review'))
           FROM count_final WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2""", [run_id])
    mapping, unmapped = {}, []
    for ori, descr, n in rows:
        code = match_courthouse(s, ori, descr)
        if code:
            mapping[(ori, descr)] = code
        elif n:
            unmapped.append((ori, descr, n))
    return mapping, unmapped


def agency_routes(s: Settings) -> dict[str, str]:
    return {a.route: a.code for a in s.agencies if a.role == "filing" and a.route and a.code}


def plan_export(ws, run_id: int, s: Settings, *, kind: str) -> ExportPlan:
    """Which packets and exhibits there are, with row counts (no row is read yet)."""
    run = RunInfo.load(ws, run_id)
    mapping, unmapped = courthouse_mapping(ws, run_id, s)
    routes = agency_routes(s)
    separate = s.packets.policy_exhibits == "separate"
    scope = scope_sql(run_id, mapping, routes, separate=separate, categories="all")
    agg = ws.query(
        scope.sql + """
SELECT ch_code, agency_code, exhibit_id, count(*), count(*) FILTER (WHERE fbasis = 'statute'),
       count(*) FILTER (WHERE fbasis = 'policy'), count(*) FILTER (WHERE reviewed),
       count(*) FILTER (WHERE final_determination = 'hand_review' AND review_route IS NULL),
       count(*) FILTER (WHERE final_determination = 'hand_review' AND review_route IS NOT NULL)
FROM s WHERE ch_code IS NOT NULL GROUP BY ALL ORDER BY ALL""", scope.params)
    split = s.packets.split_by_relief
    county_code = s.county.code or "XX"
    packets: dict[tuple, PacketPlan] = {}
    ch_totals: dict[tuple, list[int]] = {}
    open_by_ch: dict[str, int] = {}
    referred = open_total = 0
    for ch, agency, ex_id, n, statute, policy, reviewed, n_open, n_ref in agg:
        open_total += n_open
        referred += n_ref
        if n_open:
            open_by_ch[ch] = open_by_ch.get(ch, 0) + n_open
        if ex_id is None:
            continue
        letter = ex_id[0] if ex_id != "CH" else "CH"
        segment = letter if split else ""
        key = (ch, agency, segment)
        plan = packets.get(key)
        if plan is None:
            plan = packets[key] = PacketPlan(county_code=county_code, ch_code=ch, agency_code=agency,
                                             segment=segment, as_of=run.as_of, kind=kind)
            ch_cfg = s.courthouses.get(ch)
            plan.per_case = bool(ch_cfg and ch_cfg.per_case_orders)
        ex = ExhibitPlan(id=ex_id, letter=letter, total=n, statute=statute, policy=policy)
        if letter == "CH":
            plan.challenge = ex
        else:
            plan.exhibits.append(ex)
        tot = ch_totals.setdefault((ch, agency), [0, 0])
        tot[0] += n
        tot[1] += reviewed
    ordered = [packets[k] for k in sorted(packets, key=lambda k: (k[1], k[0], _segment_order(k[2])))]
    for p in ordered:
        p.exhibits.sort(key=lambda e: e.id)
        tot = ch_totals[(p.ch_code, p.agency_code)]
        p.courthouse_reviewed, p.courthouse_reviewer_decisions = tot
        p.open_left_out = open_by_ch.get(p.ch_code, 0) if kind == "draft" else 0
    return ExportPlan(run=run, kind=kind, settings=s, mapping=mapping, unmapped=unmapped, routes=routes,
                      packets=ordered, open_by_courthouse=open_by_ch, referred=referred, open_total=open_total,
                      separate=separate)


def _segment_order(seg: str) -> int:
    return {"": 0, "A": 1, "B": 2, "C": 3, "CH": 4}[seg]


def packet_template_ids(packet: PacketPlan) -> list[str]:
    ids = ["cover_sheet", "proof_of_service"]
    if packet.exhibits:
        ids += ["notice_and_motion", "proposed_order", "exhibit"]
    if packet.challenge:
        ids.append("challenge_list")
    if packet.per_case:
        ids.append("per_case_motion_and_order")
    return sorted(ids)


def agency_for(s: Settings, code: str) -> AgencySettings | None:
    for a in s.agencies:
        if a.role == "filing" and a.code == code:
            return a
    return None
