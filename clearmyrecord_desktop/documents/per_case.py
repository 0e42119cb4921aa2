"""Per-case motion and order (motion-packets.md section 11): on demand for one court case from the review
screen, and in bulk inside packets of courthouses with ``per_case_orders = true``.

The frame (office, court, signature, headers) is rendered once by docxtpl; each case is then stamped
from it: the person's caption values replace sentinels, and one table row per count is stamped from the
template row. Documents from a run with no final packet carry the watermark
``SPOT-CHECK COPY — NOT FOR FILING`` and come with a small manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import ExportGateError
from ..settings import Settings, document_settings_sha256, draft_courthouse_entries, load_settings
from .contexts import court_ctx, courthouse_ctx, doc_ctx, marking_lines, office_ctx, packet_ctx, signature_ctx
from .manifest import dumps, sha256_file
from .packet import (RELIEF_WORDS, ExportPlan, PacketPlan, PacketRow, agency_for,
                     courthouse_mapping, first_pass, iter_cases, iter_packet_rows, packet_template_ids,
                     plan_export, print_date)
from .stamping import StampedDocument, clean_text, document_xml_of, normalise_docx, xml_escape
from .templates import TemplateInfo, TemplateRegistry, render_template

TEMPLATE_ID = "per_case_motion_and_order"
FILES_PER_FOLDER = 1000
PERSON_KEYS = ("pc_name", "pc_case_numbers", "pc_dob", "pc_cii", "box_b", "box_f", "path_note")
CHECKED, UNCHECKED = "\u2612", "\u2610"
LEVEL_WORDS = {"felony": "Felony", "misdemeanor": "Misdemeanor", "infraction": "Infraction"}


def per_case_frame_context(s: Settings, ch_code: str, packet_id: str, info: TemplateInfo, *, kind: str,
                           spot_check: bool, agency_code: str = "") -> dict:
    agency = agency_for(s, agency_code) if agency_code else None
    return {
        "doc": doc_ctx(info, kind, spot_check=spot_check),
        "packet": packet_ctx(packet_id, kind),
        "marking": marking_lines(s),
        "office": office_ctx(s, agency),
        "court": court_ctx(s, ch_code),
        "courthouse": courthouse_ctx(s, ch_code),
        "case": {},
        "signature": signature_ctx(s, agency),
    }


def safe_name(text: str, limit: int = 40) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text or "").strip("_")
    return (name or "NOCASE")[:limit]


class PerCaseStamper:
    """A rendered per-case frame, ready to stamp one document per case."""

    def __init__(self, info: TemplateInfo, context: dict, *, title: str):
        frame = render_template(info, context)
        self.frame = frame
        self.info = info
        self.title = title
        self.doc = StampedDocument.parse(document_xml_of(frame), info.table.keys)

    def write(self, rows: list[PacketRow], out_path: Path, when: datetime) -> None:
        first = rows[0]
        granted = [r for r in rows if r.exhibit != "CH"]
        paths = {r.relief_path for r in granted}
        cases = sorted({r.case_number for r in rows if r.case_number})
        person = {
            "pc_name": first.name or "\u2014",
            "pc_case_numbers": ", ".join(cases) or "\u2014",
            "pc_dob": print_date(first.dob),
            "pc_cii": first.cii or "\u2014",
            "box_b": CHECKED if "resentencing" in paths else UNCHECKED,
            "box_f": CHECKED if "redesignation" in paths else UNCHECKED,
            "path_note": ("For counts whose relief path is unknown, the People request relief under whichever "
                          "subdivision applies." if "unknown" in paths else ""),
        }
        values = []
        for r in rows:
            if r.exhibit == "CH":
                relief, basis = "Not included; see Notice of Challenge", ""
            else:
                relief, basis = RELIEF_WORDS.get(r.relief, r.relief), r.basis_text
            values.append(["" if r.count is None else str(r.count), r.code_section,
                           LEVEL_WORDS.get(r.level, r.level or "\u2014"), print_date(r.conviction_date), relief,
                           basis])

        def fill(text: str) -> str:
            for key, val in person.items():
                text = text.replace(f"[[{key}]]", xml_escape(clean_text(val)))
            return text

        d = self.doc
        stamped = StampedDocument(
            prefix=fill(d.prefix), caption_before=d.caption_before, caption_after=d.caption_after,
            caption_break_at=d.caption_break_at, table_head=d.table_head, row_parts=d.row_parts,
            table_tail=d.table_tail, suffix=fill(d.suffix))
        chunks = stamped.iter_xml(iter(values), [len(values)], caption=lambda a, b, n: f"Counts in this case: {n}")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with open(out_path, "wb") as fh:
            normalise_docx(self.frame, fh, title=self.title, when=when, document_xml=chunks)


def write_packet_per_case(ws, plan: ExportPlan, packet: PacketPlan, packet_dir: Path, registry: TemplateRegistry,
                          *, when: datetime, cancel=None, progress=None) -> list[str]:
    """Bulk per-case documents of one packet into ``per_case/NNNN/`` (at most 1,000 per folder)."""
    s = plan.settings
    info = registry.get(TEMPLATE_ID)
    ctx = per_case_frame_context(s, packet.ch_code, packet.packet_id, info, kind=plan.kind, spot_check=False,
                                 agency_code=packet.agency_code)
    stamper = PerCaseStamper(info, ctx, title="Per-case motion and order")
    written: list[str] = []
    used: set[str] = set()
    for i, rows in enumerate(iter_cases(iter_packet_rows(ws, plan, packet, cancel=cancel, order="case"))):
        if cancel is not None and i % 200 == 0:
            cancel.check()
        folder = f"per_case/{i // FILES_PER_FOLDER + 1:04d}"
        name = f"{safe_name(rows[0].case_number)}_{rows[0].count_key}.docx"
        rel = f"{folder}/{name}"
        if rel in used:  # cannot happen with count keys, but never overwrite
            rel = f"{folder}/{safe_name(rows[0].case_number)}_{rows[0].count_key}_{i}.docx"
        used.add(rel)
        stamper.write(rows, packet_dir / rel, when)
        written.append(rel)
    return written


@dataclass
class PerCaseResult:
    path: Path
    manifest_path: Path | None
    spot_check: bool
    counts: int
    count_keys: list[str] = field(default_factory=list)


def run_has_final_packet(ws, run_id: int) -> bool:
    rows = ws.query("SELECT count(*) FROM export_record WHERE run_id = ? AND kind = 'final'", [run_id])
    return bool(rows and rows[0][0])


def write_per_case_document(ws, run_id: int, subject_id: str, case_number: str, out_dir: str | Path, *,
                            settings: Settings | None = None, clock: Callable[[], datetime] | None = None,
                            registry: TemplateRegistry | None = None,
                            spot_check: bool | None = None) -> PerCaseResult:
    """On demand: one motion-and-order DOCX for one person's court case (the review screen's
    "Per-case motion and order…"). Returns the file written (and its manifest when spot-check)."""
    s = settings or load_settings(ws)
    now = (clock or (lambda: datetime.now(timezone.utc).astimezone()))()
    registry = registry or TemplateRegistry()
    if spot_check is None:
        spot_check = not run_has_final_packet(ws, run_id)
    # courts without a settings entry get their draft entry, so a spot check never fails on settings
    mapping, unmapped = courthouse_mapping(ws, run_id, s)
    if unmapped:
        s = _with_drafts(s, ws, run_id)
    plan = plan_export(ws, run_id, s, kind="draft" if spot_check else "final")
    want_case = re.sub(r"\s+", " ", (case_number or "").strip())
    rows: list[PacketRow] = []
    target: PacketPlan | None = None
    for packet in plan.packets:
        for r in iter_packet_rows(ws, plan, packet, order="case"):
            if r.subject_id == subject_id and r.case_number == want_case:
                rows.append(r)
                target = packet
        if rows:
            break
    if not rows or target is None:
        raise ExportGateError("There are no granted or challenged counts for this court case in the run.")
    info = registry.get(TEMPLATE_ID)
    run = plan.run
    if spot_check:
        pid = f"{(s.county.code or 'XX').upper()}-{target.ch_code.upper()}-{run.as_of.strftime('%Y%m%d')}-SPOTCHECK"
    else:
        first_pass(ws, plan, target, registry, template_ids=packet_template_ids(target),
                   settings_sha=document_settings_sha256(s))
        pid = target.packet_id
    ctx = per_case_frame_context(s, target.ch_code, pid, info, kind="final", spot_check=spot_check,
                                 agency_code=target.agency_code)
    stamper = PerCaseStamper(info, ctx, title="Per-case motion and order")
    out_dir = Path(out_dir)
    name = f"{safe_name(want_case)}_{rows[0].count_key}.docx"
    path = out_dir / name
    stamper.write(rows, path, now)
    manifest_path = None
    if spot_check:
        size, sha = sha256_file(path)
        manifest = {
            "manifest_version": 1,
            "kind": "spot_check",
            "generated_at": now.isoformat(timespec="seconds"),
            "app": {"name": "ClearMyRecord Desktop", "version": __version__},
            "run_id": run.run_id,
            "as_of_date": run.as_of.isoformat(),
            "ruleset": {"hash": run.ruleset_hash},
            "policy": {"id": run.policy_id, "name": run.policy_name, "version": run.policy_version,
                       "sha256": run.policy_sha256},
            "templates": [info.manifest_entry()],
            "count_keys": [r.count_key for r in rows],
            "files": [{"path": name, "role": "per_case", "bytes": size, "sha256": sha}],
        }
        manifest_path = out_dir / (name[:-5] + ".manifest.json")
        manifest_path.write_text(dumps(manifest), encoding="utf-8", newline="\n")
    return PerCaseResult(path=path, manifest_path=manifest_path, spot_check=spot_check, counts=len(rows),
                         count_keys=[r.count_key for r in rows])


def _with_drafts(s: Settings, ws, run_id: int) -> Settings:
    import copy

    s2 = copy.deepcopy(s)
    for code, entry in draft_courthouse_entries(ws, run_id, settings=s).items():
        s2.courthouses.setdefault(code, entry)
    return s2
