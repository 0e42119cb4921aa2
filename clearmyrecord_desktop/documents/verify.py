"""The "Verify packet" command (motion-packets.md section 10): shared by the GUI, the CLI and
verify-after-write. Needs no database; accepts a packet folder or a whole export set.

Exit codes: 0 complete and intact, 1 problems found, 2 not a packet or unreadable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import (EXPORT_MANIFEST, MANIFEST, MANIFEST_VERSION, SUMS, is_clutter, load_json, parse_sums,
                       sha256_file, walk_files)

CHECK_NAMES = {
    1: "manifest readable",
    2: "SHA256SUMS matches the manifest",
    3: "listed files present and unchanged",
    4: "no unlisted files",
    5: "court data matches the manifest",
    6: "not inside a .partial folder",
}


@dataclass
class Check:
    number: int
    name: str
    ok: bool
    file: str = ""
    message: str = ""

    def __str__(self) -> str:
        state = "pass" if self.ok else "FAIL"
        where = f" [{self.file}]" if self.file else ""
        text = f" \u2014 {self.message}" if self.message else ""
        return f"{self.number}. {self.name}: {state}{where}{text}"


@dataclass
class VerifyResult:
    ok: bool
    code: int                      # 0 intact, 1 problems, 2 not a packet / unreadable
    checks: list[Check] = field(default_factory=list)
    message: str = ""

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


class _Run:
    def __init__(self, progress=None, cancel=None):
        self.checks: list[Check] = []
        self.progress = progress
        self.cancel = cancel

    def ok(self, n: int, file: str = "", message: str = "") -> None:
        self.checks.append(Check(n, CHECK_NAMES[n], True, file, message))

    def fail(self, n: int, file: str, message: str) -> None:
        self.checks.append(Check(n, CHECK_NAMES[n], False, file, message))

    def tick(self) -> None:
        if self.cancel is not None:
            self.cancel.check()


def _not_a_packet(message: str, checks=None) -> VerifyResult:
    return VerifyResult(False, 2, checks or [], message)


def verify_folder(path: str | os.PathLike, *, deep: bool = True, progress=None, cancel=None) -> VerifyResult:
    """Verify a packet folder (``manifest.json``) or an export set (``export_manifest.json``).

    ``deep`` adds check 5 (court data CSV/XLSX against the manifest), which reads the XLSX files."""
    root = Path(path)
    if not root.is_dir():
        return _not_a_packet(f"{root.name or root} is not a folder.")
    if (root / EXPORT_MANIFEST).is_file():
        manifest_name = EXPORT_MANIFEST
    elif (root / MANIFEST).is_file():
        manifest_name = MANIFEST
    else:
        return _not_a_packet(f"{root.name} is not a ClearMyRecord packet or export set "
                             f"(no {MANIFEST} or {EXPORT_MANIFEST}).")
    run = _Run(progress, cancel)
    # check 6: no folder in the path ends in .partial
    partial = [p for p in [root.resolve(), *root.resolve().parents] if p.name.endswith(".partial")]
    if partial:
        run.fail(6, partial[0].name, "this copy is inside an unfinished (.partial) folder; it is not complete")
    else:
        run.ok(6)
    # check 1
    try:
        manifest = load_json(root / manifest_name)
    except (OSError, ValueError) as exc:
        run.fail(1, manifest_name, f"cannot be read ({type(exc).__name__})")
        return _not_a_packet(f"{manifest_name} cannot be read.", run.checks)
    if not isinstance(manifest, dict) or manifest.get("manifest_version") != MANIFEST_VERSION \
            or not isinstance(manifest.get("files"), list):
        run.fail(1, manifest_name, "unknown manifest version or layout")
        return _not_a_packet(f"{manifest_name} has an unknown version.", run.checks)
    run.ok(1, manifest_name)

    files = manifest["files"]
    _check_sums_and_files(run, root, manifest_name, files, "")
    if manifest_name == EXPORT_MANIFEST:
        packet_dirs = [p.get("path", "") for p in manifest.get("packets", [])]
        for rel in packet_dirs:
            pdir = root / rel
            try:
                pman = load_json(pdir / MANIFEST)
            except (OSError, ValueError):
                run.fail(1, f"{rel}/{MANIFEST}", "cannot be read")
                continue
            _check_sums_and_files(run, pdir, MANIFEST, pman.get("files", []), rel + "/", check_extra=False)
            if deep:
                _check_court_data(run, pdir, pman, rel + "/")
    elif deep:
        _check_court_data(run, root, manifest, "")

    problems = [c for c in run.checks if not c.ok]
    n_files = len(files) + 1  # + the manifest (SHA256SUMS covers it)
    if manifest_name == EXPORT_MANIFEST:
        label = f"Export set {manifest.get('export_id', root.name)}"
        n_files += 1
    else:
        label = f"Packet {manifest.get('packet_id', root.name)}"
        n_files += 1
    if not problems:
        return VerifyResult(True, 0, run.checks, f"{label} is complete and intact ({n_files} files)")
    lines = [f"{label}: {len(problems)} problem(s) found:"]
    lines += [f"- {c.file}: {c.message}" if c.file else f"- {c.message}" for c in problems]
    return VerifyResult(False, 1, run.checks, "\n".join(lines))


def _check_sums_and_files(run: _Run, root: Path, manifest_name: str, files: list, prefix: str,
                          check_extra: bool = True) -> None:
    listed = {}
    for entry in files:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            listed[entry["path"]] = entry
    # check 2: SHA256SUMS covers exactly the listed files plus the manifest, with the same hashes
    sums_path = root / SUMS
    ok2 = True
    try:
        sums, bad = parse_sums(sums_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        run.fail(2, prefix + SUMS, "missing or unreadable")
        sums, bad, ok2 = {}, [], False
    if ok2:
        for line in bad:
            run.fail(2, prefix + SUMS, f"malformed line: {line[:80]}")
            ok2 = False
        _, man_sha = sha256_file(root / manifest_name)
        if sums.get(manifest_name) != man_sha:
            run.fail(2, prefix + manifest_name, "its hash differs from the one in SHA256SUMS")
            ok2 = False
        for rel, entry in listed.items():
            if sums.get(rel) != entry.get("sha256"):
                run.fail(2, prefix + rel, "SHA256SUMS and the manifest disagree about this file")
                ok2 = False
        for rel in sums:
            if rel != manifest_name and rel not in listed:
                run.fail(2, prefix + rel, "listed in SHA256SUMS but not in the manifest")
                ok2 = False
        if ok2:
            run.ok(2, prefix + SUMS)
    # check 3: every listed file exists with the listed size and hash
    ok3 = True
    for rel, entry in sorted(listed.items()):
        run.tick()
        full = root / rel
        if not full.is_file():
            run.fail(3, prefix + rel, "missing")
            ok3 = False
            continue
        size, sha = sha256_file(full)
        if size != entry.get("bytes") or sha != entry.get("sha256"):
            run.fail(3, prefix + rel, "changed (size or SHA-256 differs from the manifest)")
            ok3 = False
    if ok3:
        run.ok(3, prefix or "", f"{len(listed)} files")
    # check 4: nothing unlisted
    if check_extra:
        ok4 = True
        known = set(listed) | {manifest_name, SUMS}
        for rel in walk_files(root):
            name = rel.rsplit("/", 1)[-1]
            if is_clutter(name) or rel in known:
                continue
            run.fail(4, prefix + rel, "not part of the packet")
            ok4 = False
        if ok4:
            run.ok(4)


def _check_court_data(run: _Run, root: Path, manifest: dict, prefix: str) -> None:
    from ..exporters.court_data import COLUMN_NAMES, iter_xlsx_rows, read_csv_rows

    csv_path = root / "court_data.csv"
    xlsx_path = root / "court_data.xlsx"
    if not csv_path.is_file():
        run.fail(5, prefix + "court_data.csv", "missing")
        return
    try:
        header, rows = read_csv_rows(csv_path)
    except (OSError, UnicodeDecodeError, ValueError):
        run.fail(5, prefix + "court_data.csv", "cannot be read")
        return
    if tuple(header) != COLUMN_NAMES:
        run.fail(5, prefix + "court_data.csv", "the header row is not the court data layout")
        return
    ok = True
    ex_col = COLUMN_NAMES.index("exhibit")
    per_letter: dict[str, int] = {}
    for r in rows:
        letter = r[ex_col][:1] if len(r) > ex_col else ""
        per_letter[letter] = per_letter.get(letter, 0) + 1
    want = manifest.get("rows", {})
    for letter in ("A", "B", "C"):
        expected = (want.get(letter) or {}).get("total", 0) if isinstance(want.get(letter), dict) else 0
        if per_letter.get(letter, 0) != expected:
            run.fail(5, prefix + "court_data.csv",
                     f"exhibit {letter}: {per_letter.get(letter, 0)} rows, the manifest says {expected}")
            ok = False
    extra = set(per_letter) - {"A", "B", "C"}
    if extra:
        run.fail(5, prefix + "court_data.csv", f"rows with an unknown exhibit ({', '.join(sorted(extra))})")
        ok = False
    cd = manifest.get("court_data", {})
    if cd.get("csv_rows") != len(rows):
        run.fail(5, prefix + "court_data.csv", f"{len(rows)} rows, the manifest says {cd.get('csv_rows')}")
        ok = False
    if not xlsx_path.is_file():
        run.fail(5, prefix + "court_data.xlsx", "missing")
        return
    try:
        width = len(COLUMN_NAMES)
        it = iter_xlsx_rows(xlsx_path)
        x_header = next(it, None)
        if x_header is None or tuple((x_header + [""] * width)[:width]) != COLUMN_NAMES:
            run.fail(5, prefix + "court_data.xlsx", "the header row differs from the CSV")
            return
        n = 0
        for x_row in it:
            if n % 5000 == 0:
                run.tick()
            x_row = (x_row + [""] * width)[:width]
            if n >= len(rows) or x_row != (rows[n] + [""] * width)[:width]:
                run.fail(5, prefix + "court_data.xlsx", f"row {n + 1} differs from the CSV")
                ok = False
                break
            n += 1
        else:
            if n != len(rows):
                run.fail(5, prefix + "court_data.xlsx", f"{n} rows, the CSV has {len(rows)}")
                ok = False
    except Exception as exc:  # noqa: BLE001 - a damaged workbook is a finding, not a crash
        run.fail(5, prefix + "court_data.xlsx", f"cannot be read ({type(exc).__name__})")
        return
    if ok:
        run.ok(5, prefix + "court_data.csv", f"{len(rows)} rows")


def main(argv: list[str] | None = None) -> int:
    """``clearmyrecord verify <folder>`` (the CLI module may call this)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: clearmyrecord verify <folder>", file=sys.stderr)
        return 2
    result = verify_folder(args[0])
    for check in result.checks:
        print(check)
    print(result.message)
    return result.code
