"""Packet manifests, export manifests, SHA256SUMS and the clerk README (motion-packets.md 6.8–6.10)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

MANIFEST_VERSION = 1
MANIFEST = "manifest.json"
EXPORT_MANIFEST = "export_manifest.json"
SUMS = "SHA256SUMS"
PARTIAL_MARKER = ".cmr-partial"
OS_CLUTTER = frozenset({"thumbs.db", ".ds_store", "desktop.ini"})

ROLES = {
    "00_README_for_clerk.txt": "readme",
    "01_cover_sheet.docx": "cover_sheet",
    "02_notice_and_motion.docx": "notice_and_motion",
    "03_proposed_order.docx": "proposed_order",
    "07_challenge_list.docx": "challenge_list",
    "08_proof_of_service.docx": "proof_of_service",
    "court_data.csv": "court_data_csv",
    "court_data.xlsx": "court_data_xlsx",
    "challenge_list.csv": "challenge_list_csv",
    "README.txt": "readme",
    "summary_report.docx": "summary_report",
    "summary_report.pdf": "pdf",
    "summary_tables.xlsx": "summary_tables",
    MANIFEST: "packet_manifest",
    SUMS: "sha256sums",
}


def is_clutter(name: str) -> bool:
    return name.lower() in OS_CLUTTER


def role_for(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("pdf/") or "/pdf/" in rel:
        return "pdf"
    if rel.startswith("per_case/") or "/per_case/" in rel:
        return "per_case"
    if "/charts/" in rel or rel.startswith("charts/"):
        return "chart"
    if name.startswith(("04_exhibit_", "05_exhibit_", "06_exhibit_")):
        return "exhibit"
    return ROLES.get(name, "file")


def sha256_file(path: str | Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def walk_files(root: str | Path) -> list[str]:
    """Relative paths (with /) of every file under root, sorted."""
    root = Path(root)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            full = Path(dirpath) / name
            out.append(full.relative_to(root).as_posix())
    return sorted(out)


def file_entries(root: str | Path, rels: Iterable[str]) -> list[dict]:
    root = Path(root)
    entries = []
    for rel in sorted(set(rels)):
        size, sha = sha256_file(root / rel)
        entries.append({"path": rel, "role": role_for(rel), "bytes": size, "sha256": sha})
    return entries


def dumps(data) -> str:
    """UTF-8 JSON, 2-space indent, LF, keys in insertion order."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path: str | Path, data) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(data))


def sums_text(entries: Iterable[tuple[str, str]]) -> str:
    """``<64 hex>  <relative path>`` per line, LF, sorted by path."""
    return "".join(f"{sha}  {path}\n" for path, sha in sorted(entries))


def write_sums(root: str | Path, entries: list[dict]) -> None:
    """SHA256SUMS over ``entries`` plus the manifest file next to it."""
    root = Path(root)
    pairs = [(e["path"], e["sha256"]) for e in entries]
    for name in (MANIFEST, EXPORT_MANIFEST):
        if (root / name).exists():
            pairs.append((name, sha256_file(root / name)[1]))
    with open(root / SUMS, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(sums_text(pairs))


def parse_sums(text: str) -> tuple[dict[str, str], list[str]]:
    """(path -> sha256, malformed lines)."""
    out, bad = {}, []
    for line in text.splitlines():
        if not line.strip():
            continue
        if len(line) > 66 and line[64:66] in ("  ", " *"):
            sha, path = line[:64], line[66:]
            if all(c in "0123456789abcdef" for c in sha.lower()):
                out[path] = sha.lower()
                continue
        bad.append(line)
    return out, bad


def packet_manifest(*, kind: str, packet_id: str, generated_at: str, app: dict, county: dict, courthouse: dict,
                    filing_agency: str, as_of_date: str, run_id: int, ruleset_hash: str, policy: dict,
                    templates: list[dict], settings_sha256: str, inputs: list[dict], rows: dict,
                    court_data: dict, files: list[dict]) -> dict:
    """The packet manifest with the keys in the order of §6.8."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "kind": kind,
        "packet_id": packet_id,
        "generated_at": generated_at,
        "app": app,
        "county": county,
        "courthouse": courthouse,
        "filing_agency": filing_agency,
        "as_of_date": as_of_date,
        "run_id": run_id,
        "ruleset": {"hash": ruleset_hash},
        "policy": policy,
        "templates": templates,
        "settings_sha256": settings_sha256,
        "inputs": inputs,
        "rows": rows,
        "court_data": court_data,
        "files": files,
    }


def load_json(path: str | Path):
    with open(path, "r", encoding="utf-8") as fh:
        return json.load(fh)
