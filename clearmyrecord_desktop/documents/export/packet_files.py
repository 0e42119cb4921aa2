"""Write one packet's documents and data: the stamped exhibits and challenge list streamed together with
the court data CSV/XLSX, then the motion, proposed order, proof of service, per-case documents, README
and cover sheet with its index."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ...errors import ExportGateError
from ...exporters.court_data import (CHALLENGE_CSV_NAME, CSV_NAME, XLSX_NAME, ChallengeCsv, CourtDataCsv,
                                     CourtDataXlsx)
from ...settings import Settings
from .. import manifest as mf
from ..contexts import (challenge_context, court_data_ctx, cover_context, exhibit_context, fmt_int,
                        motion_context, order_context, plural, pos_context)
from ..packet import RELIEF_WORDS, ExportPlan, PacketPlan, iter_packet_rows
from ..stamping import StampedDocument, document_xml_of, normalise_docx
from ..templates import TemplateInfo, TemplateRegistry, render_template
from .readme import _write_readme
from .shared import _ch_name, _manifest_rows


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
        from ..per_case import write_packet_per_case

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
