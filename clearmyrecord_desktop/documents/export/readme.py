"""The clerk's README of a packet (00_README_for_clerk.txt): what the packet is, its files and row
counts, how to use the court data, how to verify the copy, confidentiality and contact."""

from __future__ import annotations

from pathlib import Path

from ...exporters.court_data import CHALLENGE_CSV_NAME, CSV_NAME, XLSX_NAME
from ...settings import Settings
from .. import manifest as mf
from ..packet import EXHIBIT_TITLES, RELIEF_WORDS, ExportPlan, PacketPlan, agency_for
from .shared import CRLF, _manifest_rows


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
