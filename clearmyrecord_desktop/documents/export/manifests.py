"""Manifests and checksums: each packet's manifest.json and SHA256SUMS, and the export set's README.txt,
export_manifest.json and SHA256SUMS."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ...settings import Settings
from .. import manifest as mf
from ..contexts import fmt_time
from ..packet import ExportPlan, PacketPlan, agency_for, packet_template_ids
from ..templates import TemplateRegistry
from .shared import APP, CRLF, _ch_name, _manifest_rows


def _write_packet_manifest(pdir: Path, plan: ExportPlan, packet: PacketPlan, registry: TemplateRegistry,
                           s: Settings, *, when: datetime, inputs: list[dict], settings_sha: str,
                           court_data: dict) -> None:
    rels = [r for r in mf.walk_files(pdir) if r not in (mf.MANIFEST, mf.SUMS)]
    entries = mf.file_entries(pdir, rels)
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    ch = s.courthouses.get(packet.ch_code)
    run = plan.run
    data = mf.packet_manifest(
        kind=plan.kind, packet_id=packet.packet_id, generated_at=when.isoformat(timespec="seconds"), app=APP,
        county={"name": s.county.name, "code": s.county.code},
        courthouse={"code": packet.ch_code, "name": ch.name if ch else packet.ch_code,
                    "ori_codes": list(ch.ori_codes) if ch else []},
        filing_agency=agency.name if agency else s.office.agency_name,
        as_of_date=run.as_of.isoformat(), run_id=run.run_id, ruleset_hash=run.ruleset_hash,
        policy={"id": run.policy_id, "name": run.policy_name, "version": run.policy_version,
                "sha256": run.policy_sha256},
        templates=registry.manifest_entries(packet_template_ids(packet)), settings_sha256=settings_sha,
        inputs=inputs, rows=_manifest_rows(packet), court_data=court_data, files=entries)
    mf.write_json(pdir / mf.MANIFEST, data)
    mf.write_sums(pdir, entries)


def _write_export_set_files(staged: Path, plan: ExportPlan, packets: list[PacketPlan], s: Settings, *,
                            when: datetime, export_id: str, inputs: list[dict], templates: list[dict],
                            settings_sha: str, what: str) -> None:
    run = plan.run
    readme = [f"ClearMyRecord Desktop \u2014 export set {export_id}", "=" * 60, "",
              f"County: {s.county.name}    As-of date: {run.as_of.isoformat()}    Kind: "
              + ("DRAFT \u2014 NOT FOR FILING" if plan.kind == "draft" else "Final"),
              f"Generated: {fmt_time(when)}    Policy: {run.policy_name} {run.policy_version}", "",
              s.marking.confidential_text, "",
              "packets/<packet id>/   one motion packet per courthouse (see 00_README_for_clerk.txt inside)",
              "summary/               summary report, the tables behind it, and its charts",
              "export_manifest.json   lists the packets, the summary files, the inputs and every file's SHA-256",
              "SHA256SUMS             SHA-256 of every file of this export set", "",
              "An export set is complete only if no folder in its path ends in \".partial\" and verification",
              "passes: File > Verify packet... in ClearMyRecord Desktop, `clearmyrecord verify <folder>`, or",
              "`sha256sum -c SHA256SUMS` inside this folder.", "", "Packets:"]
    readme += [f"  {p.packet_id}  {p.ch_code} {_ch_name(s, p.ch_code)}: {p.granted} granted, {p.challenged} challenged"
               for p in packets] or ["  (none)"]
    (staged / "README.txt").write_bytes((CRLF.join(readme) + CRLF).encode("utf-8"))
    rels = [r for r in mf.walk_files(staged) if r not in (mf.EXPORT_MANIFEST, mf.SUMS)]
    entries = mf.file_entries(staged, rels)
    by_path = {e["path"]: e for e in entries}
    packet_list = []
    for p in packets:
        man = by_path.get(f"packets/{p.packet_id}/{mf.MANIFEST}", {})
        packet_list.append({"packet_id": p.packet_id, "path": f"packets/{p.packet_id}",
                            "courthouse": p.ch_code, "granted": p.granted, "challenged": p.challenged,
                            "manifest_sha256": man.get("sha256", "")})
    data = {
        "manifest_version": mf.MANIFEST_VERSION,
        "kind": plan.kind,
        "export_id": export_id,
        "what": what,
        "generated_at": when.isoformat(timespec="seconds"),
        "app": APP,
        "county": {"name": s.county.name, "code": s.county.code},
        "as_of_date": run.as_of.isoformat(),
        "run_id": run.run_id,
        "ruleset": {"hash": run.ruleset_hash},
        "policy": {"id": run.policy_id, "name": run.policy_name, "version": run.policy_version,
                   "sha256": run.policy_sha256},
        "templates": templates,
        "settings_sha256": settings_sha,
        "inputs": inputs,
        "packets": packet_list,
        "summary": [e["path"] for e in entries if e["path"].startswith("summary/")],
        "counts": {"open": plan.open_total, "referred": plan.referred},
        "files": entries,
    }
    mf.write_json(staged / mf.EXPORT_MANIFEST, data)
    mf.write_sums(staged, entries)
