"""Export a run: motion packets per courthouse, the summary report, manifests, then the copy to the
chosen folder (motion-packets.md sections 3–9).

``export_all`` = plan → gates → build in staging (read rows once for packet ids and page plans, then
stream them into the exhibits, the court data CSV and XLSX) → optional PDFs → manifests and SHA256SUMS →
deliver (atomic copy with verify-after-write) → export record. Same run, settings, templates and clock
give the same bytes.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import Cancelled, ExportGateError, KnownError
from ..exporters import delivery
from ..exporters.court_data import (CHALLENGE_CSV_NAME, CSV_NAME, XLSX_NAME, ChallengeCsv, CourtDataCsv,
                                    CourtDataXlsx)
from ..jobs.progress import NullProgress
from ..settings import Settings, document_settings_sha256, load_settings
from . import manifest as mf
from .contexts import (challenge_context, court_data_ctx, cover_context, exhibit_context, fmt_int, fmt_time,
                       motion_context, order_context, plural, pos_context)
from .gates import GateReport
from .gates import check_gates as _check_gates
from .packet import (EXHIBIT_TITLES, RELIEF_WORDS, ExportPlan, PacketPlan, RowSource, agency_for, first_pass,
                     iter_packet_rows, packet_template_ids, plan_export)
from .stamping import StampedDocument, document_xml_of, normalise_docx
from .templates import TemplateInfo, TemplateRegistry, render_template

log = logging.getLogger("cmr.export")  # ids, counts and timings only; never record data

APP = {"name": "ClearMyRecord Desktop", "version": __version__}
WHAT = ("all", "packets", "report")
KINDS = ("final", "draft")


@dataclass
class ExportResult:
    export_dir: Path                 # the final export set folder at the destination
    packet_ids: list[str]
    files: list[str]                 # every file of the export set, relative, with /
    problems: list[str]              # non-fatal problems (e.g. a PDF that could not be made)
    export_id: str = ""
    kind: str = "final"
    manifest_sha256: str = ""
    verified: bool = False
    timings: dict[str, float] = field(default_factory=dict)


class _Stages:
    """Overall progress across stages, and timings."""

    def __init__(self, progress, total_units: int):
        self.progress = progress or NullProgress()
        self.total = max(1, total_units)
        self.done = 0
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def step(self, message: str, units: int = 1) -> None:
        self.done += units
        self.progress.update(min(self.done, self.total), self.total, message)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self._t
        self._t = now


def _default_clock() -> datetime:
    return datetime.now(timezone.utc).astimezone()


def export_id_for(s: Settings, when: datetime) -> str:
    return f"CMR-{(s.county.code or 'XX').upper()}-{when.strftime('%Y%m%d')}-{when.strftime('%H%M%S')}"


# -- public API ---------------------------------------------------------------------------------------

def export_all(ws, run_id: int, out_dir: str | Path, *, what: str = "all", kind: str = "final",
               settings: Settings | None = None, clock: Callable[[], datetime] | None = None, progress=None,
               cancel=None, pdf: bool = False, operator: str | None = None,
               registry: TemplateRegistry | None = None, fs: delivery.FileOps | None = None) -> ExportResult:
    """Build and deliver one export set into ``out_dir``.

    Raises :class:`ExportGateError` (with ``.report``, a :class:`GateReport`) when a gate fails,
    :class:`DiskFullError` / :class:`DriveRemovedError` / :class:`KnownError` when the copy fails (the
    staged export is kept: ``err.staging_dir`` can be passed to :func:`deliver_staged` for another
    drive), :class:`Cancelled` on cancel (nothing final is left anywhere)."""
    staged, build = build_export(ws, run_id, what=what, kind=kind, settings=settings, clock=clock,
                                 progress=progress, cancel=cancel, pdf=pdf, registry=registry)
    try:
        result = deliver_staged(ws, staged, out_dir, progress=progress, cancel=cancel, operator=operator, fs=fs,
                                clock=clock)
    except Cancelled:
        delivery.remove_staging(staged)
        raise
    except KnownError as exc:
        exc.staging_dir = staged  # type: ignore[attr-defined]
        raise
    result.problems = build.problems + result.problems
    result.timings = {**build.timings, **result.timings}
    return result


GATE_NAMES = {
    1: "The run is current",
    2: "No open counts",
    3: "Courthouses and required settings",
    4: "Policy authority paragraph",
    5: "Templates load and render",
    6: "No formula-like values",
}


def check_gates(ws, run_id: int, *, kind: str = "final", settings: Settings | None = None,
                registry: TemplateRegistry | None = None) -> list[dict]:
    """The §5 gates for the export dialog: one dict per gate 1–6 with ``gate``, ``ok``, ``message``,
    ``fix`` (rerun | review | settings | templates | data), ``items`` (shown in the dialog only) and
    ``keys`` (settings to fill in). Gates a draft skips are reported as passing."""
    s = settings if settings is not None else load_settings(ws)
    registry = registry or TemplateRegistry()
    plan = plan_export(ws, run_id, s, kind=kind)
    ids = sorted({t for p in plan.packets for t in packet_template_ids(p)} | {"summary_report"})
    report = _check_gates(ws, plan, s, registry, kind=kind, template_ids=ids)
    failed = {f.gate: f for f in report.failures}
    out = []
    for gate, name in GATE_NAMES.items():
        f = failed.get(gate)
        out.append({"gate": gate, "name": name, "ok": f is None, "message": f.message if f else name,
                    "fix": f.fix if f else "", "items": list(f.items) if f else [], "keys": list(f.keys) if f else []})
    return out


@dataclass
class BuildInfo:
    export_id: str
    kind: str
    packet_ids: list[str]
    problems: list[str]
    timings: dict[str, float]
    gates: GateReport


def build_export(ws, run_id: int, *, what: str = "all", kind: str = "final", settings: Settings | None = None,
                 clock: Callable[[], datetime] | None = None, progress=None, cancel=None, pdf: bool = False,
                 registry: TemplateRegistry | None = None, staging_dir: Path | None = None) -> tuple[Path, BuildInfo]:
    """Build the export set in a staging folder (nothing touches the destination). Returns the staged
    export folder and build information."""
    if what not in WHAT:
        raise ValueError(f"what must be one of {WHAT}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    s = settings if settings is not None else load_settings(ws)
    registry = registry or TemplateRegistry()
    when = (clock or _default_clock)()
    export_id = export_id_for(s, when)
    plan = plan_export(ws, run_id, s, kind=kind)
    packets = plan.packets if what in ("all", "packets") else []
    template_ids = sorted({t for p in packets for t in packet_template_ids(p)}
                          | ({"summary_report"} if what in ("all", "report") else set()))
    report = _check_gates(ws, plan, s, registry, kind=kind, template_ids=template_ids)
    if what == "report":
        report.failures = [f for f in report.failures if f.gate in (1, 5)]
    if not report.ok:
        err = ExportGateError(_gate_summary(report))
        err.report = report  # type: ignore[attr-defined]
        raise err
    stages = _Stages(progress, 2 * len(packets) + 4)
    staged = staging_dir or delivery.new_staging_dir(export_id)
    problems: list[str] = []
    plan.source = RowSource(ws, plan, cancel=cancel) if packets else None
    try:
        settings_sha = document_settings_sha256(s)
        # pass 1: packet ids, statistics and page plans
        for i, p in enumerate(packets):
            if cancel is not None:
                cancel.check()
            first_pass(ws, plan, p, registry, template_ids=packet_template_ids(p), settings_sha=settings_sha,
                       cancel=cancel)
            stages.step(f"Reading rows ({i + 1} of {len(packets)} packets)")
        _link_challenge_packets(packets)
        stages.mark("read_rows")
        # pass 2: documents and court data
        outputs: dict[str, dict] = {}
        for i, p in enumerate(packets):
            if cancel is not None:
                cancel.check()
            outputs[p.packet_id] = _write_packet(ws, plan, p, staged / "packets" / p.packet_id, registry, s,
                                                 when=when, cancel=cancel)
            stages.step(f"Writing packet {p.packet_id} ({i + 1} of {len(packets)})")
        stages.mark("packets")
        summary_files: list[str] = []
        if what in ("all", "report"):
            from .summary import write_summary

            packet_ids: dict[str, list[str]] = {}
            for p in packets:
                packet_ids.setdefault(p.ch_code, []).append(p.packet_id)
            plist = [{"id": p.packet_id, "courthouse": f"{p.ch_code} {_ch_name(s, p.ch_code)}",
                      "granted": fmt_int(p.granted), "challenged": fmt_int(p.challenged)} for p in packets]
            summary_files = write_summary(staged / "summary", ws, run_id, s, registry, kind=kind, when=when,
                                          export_id=export_id, plan=plan, packet_ids=packet_ids, packets=plist,
                                          cancel=cancel)
            stages.step("Summary report written")
            stages.mark("summary")
        if pdf:
            problems += _make_pdfs(staged, packets, summary_files, s, progress, cancel)
            stages.mark("pdf")
        # manifests
        inputs = [{"name": f["name"], "bytes": f["bytes"], "sha256": f["sha256"]} for f in plan.run.input_files(ws)]
        templates_all = registry.manifest_entries(template_ids)
        for p in packets:
            _write_packet_manifest(staged / "packets" / p.packet_id, plan, p, registry, s, when=when,
                                   inputs=inputs, settings_sha=settings_sha, court_data=outputs[p.packet_id])
        _write_export_set_files(staged, plan, packets, s, when=when, export_id=export_id, inputs=inputs,
                                templates=templates_all, settings_sha=settings_sha, what=what)
        stages.step("Manifests written")
        stages.mark("manifests")
    except BaseException:
        if staging_dir is None:
            delivery.remove_staging(staged)
        raise
    finally:
        if plan.source is not None:
            plan.source.close()
            plan.source = None
    log.info("export %s built: %d packet(s), kind %s, stages %s", export_id, len(packets), kind,
             {k: round(v, 2) for k, v in stages.timings.items()})
    return staged, BuildInfo(export_id=export_id, kind=kind, packet_ids=[p.packet_id for p in packets],
                             problems=problems, timings=stages.timings, gates=report)


def deliver_staged(ws, staged: str | Path, out_dir: str | Path, *, progress=None, cancel=None,
                   operator: str | None = None, fs: delivery.FileOps | None = None,
                   clock: Callable[[], datetime] | None = None) -> ExportResult:
    """Copy a staged export set to ``out_dir`` (atomic, verified), record it, delete the staging folder."""
    from .verify import verify_folder

    staged = Path(staged)
    t0 = time.perf_counter()
    em = mf.load_json(staged / mf.EXPORT_MANIFEST)
    result = delivery.deliver(staged, out_dir, export_id=em["export_id"], fs=fs, progress=progress, cancel=cancel)
    t1 = time.perf_counter()
    check = verify_folder(result.final_path, deep=False)
    t2 = time.perf_counter()
    _, man_sha = mf.sha256_file(result.final_path / mf.EXPORT_MANIFEST)
    packet_ids = [p["packet_id"] for p in em.get("packets", [])]
    when = (clock or _default_clock)()
    with ws.write() as cur:
        cur.execute(
            """INSERT OR REPLACE INTO export_record (export_id, run_id, created_at, operator, kind, destination,
                   packet_ids, manifest_sha256, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [em["export_id"], em.get("run_id"), when.astimezone(timezone.utc).replace(tzinfo=None),
             operator or _operator(), em.get("kind"), str(result.final_path), json.dumps(packet_ids), man_sha,
             check.ok])
    files = mf.walk_files(result.final_path)
    delivery.remove_staging(staged)
    log.info("export %s delivered: %d files, %d bytes, verified %s", em["export_id"], result.files, result.bytes,
             check.ok)
    problems = [] if check.ok else [check.message]
    return ExportResult(export_dir=result.final_path, packet_ids=packet_ids, files=files, problems=problems,
                        export_id=em["export_id"], kind=em.get("kind", ""), manifest_sha256=man_sha,
                        verified=check.ok, timings={"copy": t1 - t0, "verify": t2 - t1})


def _operator() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name available
        return ""


def _gate_summary(report: GateReport) -> str:
    lines = [f"The {report.kind} export cannot start:"]
    lines += [f"- Gate {f.gate}: {f.message}" for f in report.failures]
    return "\n".join(lines)


def _ch_name(s: Settings, code: str) -> str:
    ch = s.courthouses.get(code)
    return ch.name if ch else code


def _link_challenge_packets(packets: list[PacketPlan]) -> None:
    by_ch = {(p.ch_code, p.agency_code): p.packet_id for p in packets if p.segment == "CH"}
    for p in packets:
        if p.segment and p.segment != "CH":
            p.related_challenge_packet = by_ch.get((p.ch_code, p.agency_code), "")


# -- one packet ---------------------------------------------------------------------------------------

def _write_stamped(info: TemplateInfo, ctx: dict, rows, pages: list[int], total: int, path: Path, *, title: str,
                   when: datetime) -> None:
    frame = render_template(info, ctx)
    doc = StampedDocument.parse(document_xml_of(frame), info.table.keys)
    with open(path, "wb") as fh:
        normalise_docx(frame, fh, title=title, when=when, document_xml=doc.iter_xml(rows, pages, total))


def _write_plain(info: TemplateInfo, ctx: dict, path: Path, *, title: str, when: datetime) -> None:
    frame = render_template(info, ctx)
    with open(path, "wb") as fh:
        normalise_docx(frame, fh, title=title, when=when)


def _write_packet(ws, plan: ExportPlan, packet: PacketPlan, pdir: Path, registry: TemplateRegistry, s: Settings, *,
                  when: datetime, cancel=None) -> dict:
    pdir.mkdir(parents=True, exist_ok=True)
    pid = packet.packet_id
    rows = iter_packet_rows(ws, plan, packet, cancel=cancel)
    csv_w = CourtDataCsv(pdir / CSV_NAME, bom=s.court_data.bom)
    xlsx_w = CourtDataXlsx(pdir / XLSX_NAME)
    ch_csv = ChallengeCsv(pdir / CHALLENGE_CSV_NAME, bom=s.court_data.bom) \
        if (s.court_data.challenges_csv and packet.challenge) else None
    try:
        for e in packet.exhibits:
            info = registry.get("exhibit")

            def gen(e=e):
                for _ in range(e.total):
                    r = next(rows)
                    if r.exhibit != e.id:
                        raise ExportGateError("The run's results changed during the export. Export again.")
                    values = r.court_data_values(pid)
                    csv_w.write(values)
                    xlsx_w.write(values)
                    yield r.exhibit_values()

            _write_stamped(info, exhibit_context(s, plan, packet, e, info), gen(), e.pages, e.total,
                           pdir / e.file_name, title=f"Exhibit {e.id} \u2014 {pid}", when=when)
            if cancel is not None:
                cancel.check()
        if packet.challenge:
            e = packet.challenge
            info = registry.get("challenge_list")

            def gen_ch():
                for _ in range(e.total):
                    r = next(rows)
                    if r.exhibit != "CH":
                        raise ExportGateError("The run's results changed during the export. Export again.")
                    if ch_csv is not None:
                        ch_csv.write(r.challenge_csv_values(pid))
                    yield r.challenge_values()

            _write_stamped(info, challenge_context(s, plan, packet, e, info), gen_ch(), e.pages, e.total,
                           pdir / e.file_name, title=f"Notice of challenge \u2014 {pid}", when=when)
        if next(rows, None) is not None:
            raise ExportGateError("The run's results changed during the export. Export again.")
    finally:
        rows.close()
    csv_rows = csv_w.rows
    csv_sha = csv_w.close()
    if ch_csv is not None:
        ch_csv.close()
    rows_counts = _manifest_rows(packet)
    xlsx_w.close(packet_rows=[
        ("packet_id", pid), ("kind", plan.kind),
        ("courthouse_code", packet.ch_code), ("courthouse_name", _ch_name(s, packet.ch_code)),
        *[(f"rows_{k}", v["total"]) for k, v in rows_counts.items() if isinstance(v, dict)],
        ("rows_challenge", packet.challenged), ("court_data_rows", csv_rows),
        ("court_data_csv_sha256", csv_sha)], when=when, title=f"Court data \u2014 {pid}", as_of=plan.run.as_of)
    cd = court_data_ctx(CSV_NAME, csv_rows, csv_sha)
    docs_served = []
    if packet.exhibits:
        info = registry.get("notice_and_motion")
        ref = (f"packet {packet.related_challenge_packet}" if packet.related_challenge_packet
               else "07_challenge_list.docx of this packet")
        _write_plain(info, motion_context(s, plan, packet, info, generated_at=when, inputs=plan.run.input_files(ws),
                                          court_data=cd, challenge_ref=ref),
                     pdir / "02_notice_and_motion.docx", title=f"Notice and motion \u2014 {pid}", when=when)
        info = registry.get("proposed_order")
        _write_plain(info, order_context(s, plan, packet, info, court_data=cd), pdir / "03_proposed_order.docx",
                     title=f"Proposed order \u2014 {pid}", when=when)
    if packet.challenge:
        docs_served.append(f"Notice of Challenge (07_challenge_list.docx, "
                           f"{plural(packet.challenged, 'conviction')}), packet {pid}")
    if packet.exhibits:
        docs_served.append(f"As a courtesy: People\u2019s Notice of Non-Challenge and Motion "
                           f"(02_notice_and_motion.docx), packet {pid}")
    info = registry.get("proof_of_service")
    _write_plain(info, pos_context(s, plan, packet, info, documents=docs_served),
                 pdir / "08_proof_of_service.docx", title=f"Proof of service \u2014 {pid}", when=when)
    per_case_files: list[str] = []
    if packet.per_case:
        from .per_case import write_packet_per_case

        per_case_files = write_packet_per_case(ws, plan, packet, pdir, registry, when=when, cancel=cancel)
    _write_readme(pdir, plan, packet, s, cd, per_case_files)
    index = _index(pdir, packet, csv_rows, per_case_files, s)
    info = registry.get("cover_sheet")
    _write_plain(info, cover_context(s, plan, packet, info, generated_at=when, index=index, court_data=cd),
                 pdir / "01_cover_sheet.docx", title=f"Cover sheet \u2014 {pid}", when=when)
    return {"csv_rows": csv_rows, "csv_sha256": csv_sha}


def _index(pdir: Path, packet: PacketPlan, csv_rows: int, per_case: list[str], s: Settings) -> list[dict]:
    items = [("README for the clerk", "00_README_for_clerk.txt", "", ""),
             ("Cover sheet and index", "01_cover_sheet.docx", "", "")]
    if packet.exhibits:
        items += [("Notice of non-challenge and motion", "02_notice_and_motion.docx", "", ""),
                  ("Proposed order", "03_proposed_order.docx", "", "")]
    for e in packet.exhibits:
        items.append((f"Exhibit {e.id}: {RELIEF_WORDS[e.relief].lower()}", e.file_name, fmt_int(e.total),
                      fmt_int(len(e.pages))))
    if packet.challenge:
        items.append(("Notice of challenge", packet.challenge.file_name, fmt_int(packet.challenge.total),
                      fmt_int(len(packet.challenge.pages))))
    items.append(("Proof of service", "08_proof_of_service.docx", "", ""))
    items += [("Court data (CSV)", CSV_NAME, fmt_int(csv_rows), ""),
              ("Court data (Excel)", XLSX_NAME, fmt_int(csv_rows), "")]
    if s.court_data.challenges_csv and packet.challenge:
        items.append(("Challenge list data (CSV)", CHALLENGE_CSV_NAME, fmt_int(packet.challenged), ""))
    if per_case:
        items.append(("Per-case motions and orders", f"per_case/ ({fmt_int(len(per_case))} files)", "", ""))
    items += [("Manifest", mf.MANIFEST, "", ""), ("Checksums", mf.SUMS, "", "")]
    return [{"title": t, "file": f, "rows": r, "pages": pg} for t, f, r, pg in items]


def _manifest_rows(packet: PacketPlan) -> dict:
    rows: dict = {}
    for letter in ("A", "B", "C"):
        parts = [e for e in packet.exhibits if e.letter == letter]
        rows[letter] = {"total": sum(e.total for e in parts), "statute": sum(e.statute for e in parts),
                        "policy": sum(e.policy for e in parts)}
    st = packet.stats
    rows.update({"challenge": packet.challenged, "people": st.people, "cases": st.cases,
                 "path_unknown": st.path_unknown, "no_case_number": st.no_case_number})
    return rows


CRLF = "\r\n"


def _write_readme(pdir: Path, plan: ExportPlan, packet: PacketPlan, s: Settings, cd: dict, per_case: list[str]):
    agency = agency_for(s, packet.agency_code) if packet.agency_code else None
    ch = s.courthouses.get(packet.ch_code)
    kind = "DRAFT \u2014 NOT FOR FILING" if plan.kind == "draft" else "Final"
    rows = _manifest_rows(packet)
    L = [f"ClearMyRecord Desktop \u2014 motion packet {packet.packet_id}", "=" * 60, ""]
    if plan.kind == "draft":
        L += ["DRAFT \u2014 NOT FOR FILING", ""]
    L += [f"Court:        {s.courthouse_court_name(packet.ch_code)}",
          f"Courthouse:   {packet.ch_code} {ch.name if ch else ''}".rstrip(),
          f"County:       {s.county.name}",
          f"Filing agency: {agency.name if agency else s.office.agency_name}",
          f"As-of date:   {plan.run.as_of.isoformat()}",
          f"Kind:         {kind}", "",
          s.marking.confidential_text, ""]
    if s.marking.extra_line:
        L += [s.marking.extra_line, ""]
    L += ["What this packet is", "-------------------",
          "The People's filing for this courthouse under Health and Safety Code sections 11361.8 and 11361.9:",
          "a notice of non-challenge and motion with a proposed order, exhibits listing each conviction to be",
          "dismissed and sealed (A), reduced to a misdemeanor (B) or reduced to an infraction (C), a notice of",
          "challenge listing the convictions the People challenge, and the same exhibit rows as data the court",
          "can load into its case-management system.", "",
          "Files", "-----"]
    files = [("00_README_for_clerk.txt", "this file"),
             ("01_cover_sheet.docx", "cover sheet and index; shows the court data file's SHA-256")]
    if packet.exhibits:
        files += [("02_notice_and_motion.docx", "the People's notice of non-challenge and motion (no personal data)"),
                  ("03_proposed_order.docx", "the proposed order (no personal data)")]
    for e in packet.exhibits:
        files.append((e.file_name, f"Exhibit {e.id}: {EXHIBIT_TITLES[e.letter].lower()} ({e.total} rows)"))
    if packet.challenge:
        files.append((packet.challenge.file_name, f"notice of challenge ({packet.challenged} rows)"))
    files.append(("08_proof_of_service.docx", "proof of service on the public defender"))
    files += [(CSV_NAME, "court data: one row per exhibit row (UTF-8, comma, CRLF)"),
              (XLSX_NAME, "the same court data as an Excel workbook")]
    if s.court_data.challenges_csv and packet.challenge:
        files.append((CHALLENGE_CSV_NAME, "the challenged counts as data, with ground and evidence"))
    if per_case:
        files.append(("per_case/", f"one motion and order per court case ({len(per_case)} files)"))
    files += [("pdf/", "PDF copies (if made)"), (mf.MANIFEST, "list of every file with its size and SHA-256"),
              (mf.SUMS, "SHA-256 of every file, for checking without this application")]
    width = max(len(f) for f, _ in files) + 2
    L += [f"{f.ljust(width)}{d}" for f, d in files]
    L += ["", "Row counts", "----------"]
    for letter in ("A", "B", "C"):
        r = rows[letter]
        L.append(f"Exhibit {letter} ({RELIEF_WORDS[{'A': 'dismiss_and_seal', 'B': 'reduce_to_misdemeanor', 'C': 'reduce_to_infraction'}[letter]].lower()}): "
                 f"{r['total']} (statute {r['statute']}, policy {r['policy']})")
    L += [f"Challenged: {rows['challenge']}", f"Distinct people: {rows['people']}",
          f"Distinct court cases: {rows['cases']}", f"Rows with relief path unknown: {rows['path_unknown']}",
          f"Rows without a court case number: {rows['no_case_number']}",
          f"court_data.csv: {cd['rows']} rows, SHA-256 {cd['sha256']}", ""]
    L += ["Using court_data", "----------------",
          "- One row per count (conviction): the same rows, in the same order and with the same row_id, as",
          "  Exhibits A-C. Challenged counts are NOT in court_data: never enter them as relief.",
          "- Match each row on court_case_number first, then on name and dob.",
          "- relief: dismiss_and_seal = dismiss as legally invalid and seal; reduce_to_misdemeanor = redesignate",
          "  or resentence as a misdemeanor; reduce_to_infraction = redesignate or resentence as an infraction.",
          "- relief_path: redesignation = sentence completed (H&S 11361.8(e)-(h)); resentencing = currently",
          "  serving (H&S 11361.8(a)-(d)); unknown = the DOJ record does not show.",
          "- row_id (for example A-00017) is the reference to quote back to the office; count_key stays the",
          "  same for the same conviction in every export.",
          "- Dates are YYYY-MM-DD (partial: YYYY-MM or YYYY; empty when not recorded).", "",
          "Is this copy complete and unaltered?", "------------------------------------",
          "A packet is complete only if no folder in its path ends in \".partial\" and verification passes.",
          "- With ClearMyRecord Desktop: File > Verify packet..., or on the command line:",
          "    clearmyrecord verify <this folder>",
          "- Without it, inside this folder:",
          "    Linux or macOS:      sha256sum -c SHA256SUMS",
          "    Windows PowerShell:  Get-FileHash -Algorithm SHA256 <file>",
          "    Windows cmd:         certutil -hashfile <file> SHA256",
          "  and compare each result with the line for that file in SHA256SUMS.",
          "Hashes detect damage and accidental change. The tie to the signed filing is the court data SHA-256",
          "printed on the cover sheet and in the order.", "",
          "Confidentiality", "---------------",
          "The exhibits, the notice of challenge, the court data files and the per-case documents contain",
          "criminal offender record information. Keep them only where authorised, lodge or file them as the",
          "court directs, and never in the public file.", "",
          "Contact", "-------"]
    if agency:
        L += [agency.name, f"{agency.attorney_name}, {agency.attorney_title}".strip(", "),
              f"Telephone: {agency.phone}", f"E-mail: {agency.email}"]
    else:
        o = s.office
        L += [o.agency_name, f"{o.attorney.name}, {o.attorney.title}", *o.address, f"Telephone: {o.phone}",
              f"E-mail: {o.email}"]
    text = CRLF.join(L) + CRLF
    (pdir / "00_README_for_clerk.txt").write_bytes(text.encode("utf-8"))


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


def _make_pdfs(staged: Path, packets: list[PacketPlan], summary_files: list[str], s: Settings, progress,
               cancel) -> list[str]:
    from .pdf import convert_to_pdf, find_soffice

    exe = find_soffice(s.libreoffice.path)
    if exe is None:
        return ["PDF copies were not made: LibreOffice was not found."]
    docs: list[Path] = []
    for p in packets:
        pdir = staged / "packets" / p.packet_id
        docs += sorted(pdir.glob("*.docx"))
    if "summary_report.docx" in summary_files:
        docs.append(staged / "summary" / "summary_report.docx")

    def out_dir_for(doc: Path) -> Path:
        return doc.parent if doc.parent.name == "summary" else doc.parent / "pdf"

    result = convert_to_pdf(docs, out_dir_for, soffice=exe, progress=progress, cancel=cancel)
    return [f"PDF not made for {src.name}: {why}" for src, why in result.failed]
