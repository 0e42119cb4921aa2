"""Template contexts: the values each document template receives (the wording stays in the templates).

The same builders make the real contexts and the sample contexts of the template test render (gate 5),
so a template that renders with the sample renders with real data.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable

from .. import __version__
from ..settings import AgencySettings, Settings
from .packet import (RELIEF_WORDS, ExhibitPlan, ExportPlan, PacketPlan, PacketStats, RunInfo,
                     agency_for, long_date)
from .templates import TemplateInfo, TemplateRegistry

BLANK = "____________________"


def fmt_int(n: int) -> str:
    return f"{int(n):,}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{fmt_int(n)} " + (word if n == 1 else (words or word + "s"))


def rows_text(n: int) -> str:
    if not n:
        return "none"
    return plural(n, "row")


def court_data_ctx(file: str, rows: int, sha256: str) -> dict:
    return {"file": file, "rows": fmt_int(rows), "rows_text": plural(rows, "row"), "sha256": sha256}


def fmt_time(when: datetime) -> str:
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M:%S")
    off = when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M:%S ") + f"{off[:3]}:{off[3:]}"


def marking_lines(s: Settings) -> list[str]:
    lines = [s.marking.confidential_text.strip()]
    if s.marking.extra_line.strip():
        lines.append(s.marking.extra_line.strip())
    return [l for l in lines if l]


def doc_ctx(info: TemplateInfo, kind: str, *, short_name: str | None = None, spot_check: bool = False) -> dict:
    return {"short_name": short_name or info.short_name, "title": info.title, "draft": kind == "draft",
            "spot_check": spot_check}


def packet_ctx(packet_id: str, kind: str) -> dict:
    return {"id": packet_id, "kind_label": "DRAFT \u2014 not for filing" if kind == "draft" else "Final"}


def office_ctx(s: Settings, agency: AgencySettings | None = None) -> dict:
    if agency is not None:
        att = {"name": agency.attorney_name, "title": agency.attorney_title, "bar_number": agency.bar_number}
        ctx = {"agency_name": agency.name, "head_name": agency.attorney_name, "head_title": agency.attorney_title,
               "attorney": att, "address": list(agency.address), "phone": agency.phone, "email": agency.email}
    else:
        o = s.office
        ctx = {"agency_name": o.agency_name, "head_name": o.head_name, "head_title": o.head_title,
               "attorney": {"name": o.attorney.name, "title": o.attorney.title,
                            "bar_number": o.attorney.bar_number},
               "address": [l for l in o.address if l.strip()], "phone": o.phone, "email": o.email}
    # the caption block fills 12 half-lines (numbered lines 1–6); line 7 is blank; the court title is on line 8
    used = 8 + len(ctx["address"])
    ctx["caption_padding"] = list(range(max(0, 12 - used)))
    return ctx


_SUPERIOR = re.compile(r"^\s*superior court of (?:the state of )?california,?\s*(?:for the )?county of\s+(.+?)\s*$",
                       re.IGNORECASE)


def court_ctx(s: Settings, ch_code: str) -> dict:
    ch = s.courthouses.get(ch_code)
    name = s.courthouse_court_name(ch_code)
    m = _SUPERIOR.match(name or "")
    if m:
        line1, line2 = "Superior Court of the State of California", f"For the County of {m.group(1)}"
    else:
        line1, line2 = name, ""
    ch_name = ch.name if ch else ch_code
    return {
        "name": name,
        "title_line1": line1,
        "title_line2": line2,
        "courthouse_line": ch_name,
        "courthouse_name": ch_name,
        "courthouse_code": ch_code,
        "courthouse_address": ", ".join(l for l in (ch.address if ch else []) if l.strip()) or "\u2014",
        "county_name": s.county.name,
        "case_number_line": (ch.misc_case_number if ch and ch.misc_case_number else BLANK),
    }


def courthouse_ctx(s: Settings, ch_code: str) -> dict:
    ch = s.courthouses.get(ch_code)
    return {"code": ch_code, "name": ch.name if ch else ch_code}


def run_ctx(run: RunInfo, generated_at: datetime) -> dict:
    return {
        "as_of": long_date(run.as_of),
        "generated_at": fmt_time(generated_at),
        "policy_name": run.policy_name,
        "policy_version": run.policy_version,
        "ruleset_short": (run.ruleset_hash or "")[:12],
        "app_version": __version__,
        "run_id": run.run_id,
    }


def signature_ctx(s: Settings, agency: AgencySettings | None = None) -> dict:
    name = agency.attorney_name if agency else s.office.attorney.name
    custom = [] if agency else [l for l in s.office.signature_block.splitlines()]
    conformed = s.signature.mode == "conformed" and name
    return {
        "custom": bool(custom),
        "custom_lines": custom,
        "date_line": BLANK,
        "line": f"/s/ {name}" if conformed else "______________________________",
    }


def _common(s: Settings, info: TemplateInfo, packet: PacketPlan, kind: str, **doc_kw) -> dict:
    return {"doc": doc_ctx(info, kind, **doc_kw), "packet": packet_ctx(packet.packet_id, kind),
            "marking": marking_lines(s)}


def handling_lines(s: Settings) -> list[str]:
    return [
        s.marking.confidential_text.strip() or "Confidential.",
        "The exhibits and the notice of challenge list people and their criminal history: lodge or file "
        "them as the court directs, never in the public file. The notice and motion and the proposed order "
        "contain no personal identifiers.",
        "To check that this packet is complete and unaltered, follow 00_README_for_clerk.txt (Verify packet, "
        "or sha256sum -c SHA256SUMS). A packet is complete only if no folder in its path ends in .partial.",
    ]


def exhibit_label(e: ExhibitPlan) -> str:
    return f"Exhibit {e.id}"


def cover_context(s: Settings, plan: ExportPlan, packet: PacketPlan, info: TemplateInfo, *, generated_at: datetime,
                  index: list[dict], court_data: dict) -> dict:
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    exhibits = []
    for letter in ("A", "B", "C"):
        parts = [e for e in packet.exhibits if e.letter == letter]
        if not parts:
            if not packet.segment or packet.segment == letter:
                exhibits.append({"id": letter, "relief": RELIEF_WORDS[_relief(letter)], "total": "none",
                                 "statute": "", "policy": ""})
            continue
        for e in parts:
            exhibits.append({"id": e.id, "relief": RELIEF_WORDS[_relief(letter)], "total": fmt_int(e.total),
                             "statute": fmt_int(e.statute), "policy": fmt_int(e.policy)})
    total = packet.granted + packet.challenged
    st = packet.stats
    return {
        **_common(s, info, packet, plan.kind),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, packet.ch_code),
        "run": run_ctx(plan.run, generated_at),
        "index": index,
        "counts": {
            "exhibits": exhibits,
            "challenge": fmt_int(packet.challenged),
            "total": fmt_int(total),
            "people": fmt_int(st.people),
            "cases": fmt_int(st.cases),
            "path_unknown": fmt_int(st.path_unknown),
            "no_case_number": fmt_int(st.no_case_number),
            "open_left_out": fmt_int(packet.open_left_out),
        },
        "court_data": court_data,
        "handling": handling_lines(s),
    }


def _relief(letter: str) -> str:
    return {"A": "dismiss_and_seal", "B": "reduce_to_misdemeanor", "C": "reduce_to_infraction"}[letter]


def exhibits_text(packet: PacketPlan) -> str:
    parts = []
    letters = [packet.segment] if packet.segment and packet.segment != "CH" else ["A", "B", "C"]
    for letter in letters:
        found = [e for e in packet.exhibits if e.letter == letter]
        if not found:
            parts.append(f"Exhibit {letter}: none")
        for e in found:
            parts.append(f"Exhibit {e.id}: {rows_text(e.total)}")
    return "; ".join(parts)


def inputs_text(inputs: list[dict]) -> str:
    parts = []
    for f in inputs:
        when = f.get("imported_at")
        if isinstance(when, datetime):
            parts.append(f"{f['name']} (imported {when.strftime('%m/%d/%Y')})")
        elif isinstance(when, date):
            parts.append(f"{f['name']} (imported {when.strftime('%m/%d/%Y')})")
        else:
            parts.append(f["name"])
    return "; ".join(parts) if parts else "(none recorded)"


def motion_context(s: Settings, plan: ExportPlan, packet: PacketPlan, info: TemplateInfo, *, generated_at: datetime,
                   inputs: list[dict], court_data: dict, challenge_ref: str) -> dict:
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    st = packet.stats
    policy_total = sum(st.policy_by_exhibit.values())
    has_policy = policy_total > 0
    challenged = packet.challenged or _related_challenged(plan, packet)
    n_path = 5 if has_policy else 4
    n_challenge = n_path + 1
    n_judge = n_challenge + 1 if challenged else n_path + 1
    authority = s.policy.authority_text.strip() or "[authority to be stated \u2014 office settings, policy.authority_text]"
    criteria = "; ".join(f"{label} ({rows_text(n)})" for label, n in sorted(st.criteria.items()))
    by_ex = "; ".join(f"Exhibit {k}: {rows_text(v)}" for k, v in sorted(st.policy_by_exhibit.items()))
    return {
        **_common(s, info, packet, plan.kind),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, packet.ch_code),
        "run": run_ctx(plan.run, generated_at),
        "motion": {
            "inputs_text": inputs_text(inputs),
            "reviewed": plural(packet.courthouse_reviewed, "conviction"),
            "reviewer_decisions": fmt_int(packet.courthouse_reviewer_decisions),
            "granted": plural(packet.granted, "conviction"),
            "exhibits_text": exhibits_text(packet),
            "policy": {"any": has_policy, "total": plural(policy_total, "row"), "by_exhibit": by_ex,
                       "criteria_text": criteria, "conflicts": plural(st.conflicts, "row") if st.conflicts else "",
                       "authority": authority},
            "resent": fmt_int(st.resent),
            "redesig": fmt_int(st.redesig),
            "path_unknown": fmt_int(packet.granted - st.resent - st.redesig),
            "challenged": plural(challenged, "conviction") if challenged else "",
            "challenge_ref": challenge_ref,
            "n_path": str(n_path),
            "n_challenge": str(n_challenge),
            "n_judge": str(n_judge),
            "n_data": str(n_judge + 1),
        },
        "signature": signature_ctx(s, agency),
        "court_data": court_data,
    }


def _related_challenged(plan: ExportPlan, packet: PacketPlan) -> int:
    for p in plan.packets:
        if p.packet_id == packet.related_challenge_packet and p.challenge:
            return p.challenge.total
    return 0


def order_context(s: Settings, plan: ExportPlan, packet: PacketPlan, info: TemplateInfo, *,
                  court_data: dict) -> dict:
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    ex = {}
    for letter in ("A", "B", "C"):
        parts = [e for e in packet.exhibits if e.letter == letter]
        if parts:
            ids = [e.id for e in parts]
            label = "Exhibit " + ids[0] if len(ids) == 1 else "Exhibits " + " and ".join(ids)
            ex[letter] = {"label": label, "rows": plural(sum(e.total for e in parts), "row")}
        else:
            ex[letter] = None
    return {
        **_common(s, info, packet, plan.kind),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, packet.ch_code),
        "order": {**ex, "resent": plural(packet.stats.resent, "row"), "total": plural(packet.granted, "conviction"),
                  "registration_relief": s.order.registration_relief},
        "court_data": court_data,
    }


def exhibit_context(s: Settings, plan: ExportPlan, packet: PacketPlan, e: ExhibitPlan, info: TemplateInfo) -> dict:
    note = ""
    if e.id.endswith("1"):
        note = " \u00b7 basis: statute"
    elif e.id.endswith("2"):
        note = " \u00b7 basis: office policy"
    return {
        **_common(s, info, packet, plan.kind, short_name=exhibit_label(e)),
        "court": court_ctx(s, packet.ch_code),
        "courthouse": courthouse_ctx(s, packet.ch_code),
        "exhibit": {"id": e.id, "title": e.title, "rows": fmt_int(e.total), "rows_text": plural(e.total, "row"),
                    "note": note},
    }


def challenge_context(s: Settings, plan: ExportPlan, packet: PacketPlan, e: ExhibitPlan, info: TemplateInfo) -> dict:
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    return {
        **_common(s, info, packet, plan.kind),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, packet.ch_code),
        "courthouse": courthouse_ctx(s, packet.ch_code),
        "challenge": {"rows": fmt_int(e.total), "rows_text": plural(e.total, "row"),
                      "convictions": plural(e.total, "conviction"), "pd_name": s.public_defender.name or BLANK},
        "signature": signature_ctx(s, agency),
    }


def pos_context(s: Settings, plan: ExportPlan, packet: PacketPlan, info: TemplateInfo, *,
                documents: list[str]) -> dict:
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    served = []
    pd = s.public_defender
    if pd.name:
        served.append({"name": pd.name, "role": "public defender",
                       "address": ", ".join(l for l in pd.address if l.strip()) or BLANK,
                       "email": pd.service_email})
    for a in s.agencies:
        if a.role == "served" and a.name:
            served.append({"name": a.name, "role": "", "address": ", ".join(a.address) or BLANK,
                           "email": a.service_email or a.email})
    if not served:
        served.append({"name": BLANK, "role": "", "address": BLANK, "email": ""})
    return {
        **_common(s, info, packet, plan.kind),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, packet.ch_code),
        "service": {
            "server_name": s.service.server_name or BLANK,
            "server_address": ", ".join(l for l in s.service.server_address if l.strip()) or BLANK,
            "documents": documents,
            "served": served,
        },
    }


# -- samples for the template test render (gate 5) ---------------------------------------------------

def sample_plan(s: Settings) -> tuple[ExportPlan, PacketPlan]:
    run = RunInfo(run_id=1, created_at=datetime(2020, 7, 1, 9, 0), filing_county="SAMPLE", as_of=date(2020, 7, 1),
                  policy_id="sample", policy_name="Sample policy", policy_version="1.0.0", policy_sha256="0" * 64,
                  ruleset_hash="1" * 64, app_version=__version__, inputs=[])
    packet = PacketPlan(county_code="SMP", ch_code="SMP", agency_code="", segment="", as_of=run.as_of,
                        kind="draft")
    packet.exhibits = [ExhibitPlan("A", "A", 2, 1, 1, [2]), ExhibitPlan("B", "B", 1, 1, 0, [1])]
    packet.challenge = ExhibitPlan("CH", "CH", 1, 0, 0, [1])
    packet.stats = PacketStats(people=2, cases=2, path_unknown=1, no_case_number=0, resent=1, redesig=1,
                               reviewed=1, conflicts=1, criteria={"Sample criterion": 1}, policy_by_exhibit={"A": 1})
    packet.packet_id = "SMP-SMP-20200701-000000-DRAFT"
    plan = ExportPlan(run=run, kind="draft", settings=s, mapping={}, unmapped=[], routes={}, packets=[packet],
                      open_by_courthouse={}, referred=0, open_total=0, separate=False)
    return plan, packet


def sample_contexts(registry: TemplateRegistry, s: Settings) -> dict[str, Callable[[], dict]]:
    plan, packet = sample_plan(s)
    when = datetime(2020, 7, 1, 9, 0)
    cd = court_data_ctx("court_data.csv", 3, "0" * 64)
    index = [{"title": "Sample", "file": "sample.docx", "rows": "1", "pages": "1"}]
    get = registry.get
    out = {
        "cover_sheet": lambda: cover_context(s, plan, packet, get("cover_sheet"), generated_at=when, index=index,
                                             court_data=cd),
        "notice_and_motion": lambda: motion_context(s, plan, packet, get("notice_and_motion"), generated_at=when,
                                                    inputs=[{"name": "sample.csv"}], court_data=cd,
                                                    challenge_ref="07_challenge_list.docx"),
        "proposed_order": lambda: order_context(s, plan, packet, get("proposed_order"), court_data=cd),
        "exhibit": lambda: exhibit_context(s, plan, packet, packet.exhibits[0], get("exhibit")),
        "challenge_list": lambda: challenge_context(s, plan, packet, packet.challenge, get("challenge_list")),
        "proof_of_service": lambda: pos_context(s, plan, packet, get("proof_of_service"), documents=["Sample"]),
    }
    from .per_case import per_case_frame_context
    from .summary import sample_summary_context

    out["per_case_motion_and_order"] = lambda: per_case_frame_context(s, packet.ch_code, packet.packet_id,
                                                                      get("per_case_motion_and_order"),
                                                                      kind="draft", spot_check=True)
    out["summary_report"] = lambda: sample_summary_context(get("summary_report"), s)
    return out


__all__ = ["cover_context", "motion_context", "order_context", "exhibit_context",
           "challenge_context", "pos_context", "sample_contexts", "marking_lines", "fmt_int", "fmt_time"]
