"""Import DOJ research files into a workspace (doj-research-file.md sections 2, 5, 7).

Per file: a prepass (``line_scan.prepass``) hashes the file and decides its encoding, so a
duplicate is refused before anything is stored (beside pass 1, in a thread: ``background_prepass``,
unless a file of the same size was imported before); pass 1 (``line_scan``; a large file's second half
in a second process, ``scan_split``) then streams it in Python — header, blank lines, structural
checks — and writes the candidate rows to normalised temporary files; DuckDB's CSV reader parses
them in parallel into ``doj_row`` with trimmed and typed ``d_*`` values, and lines failing a field
check move to ``quarantine``. The batch record, its rows and its quarantine records are written in
ONE transaction: a crash, kill or Cancel leaves no trace.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import logging
import os
import time
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..domain.doj_columns import DOJ_COLUMNS
from ..errors import DuplicateFileError, ImportFileError
from ..jobs.progress import CancelToken, NullProgress, Progress
from ..store import queries, query_progress
from ..store.csv_limits import max_line_size
from ..store.database import Workspace, translate_error
from .base import FileImportSummary, ImportIssue
from .background_prepass import BackgroundPrepass
from .line_scan import CR_PLACEHOLDER, BadLine, Prepass, ScanResult, prepass, sniff_not_doj
from .scan_split import scan_in_two

log = logging.getLogger("cmr.import")

_FIELD_MESSAGES = {
    "missing_subject_id": "SUBJECT_ID is empty",
    "bad_cnt_order": "CNT_ORDER is not exactly 12 digits",
}


def _insert_sql(lone_cr: bool, longest_row: int = 0) -> str:
    columns = "{'line_no': 'BIGINT', " + ", ".join(f"'{c}': 'VARCHAR'" for c in DOJ_COLUMNS) + "}"
    if lone_cr:
        raw = ", ".join(f"replace(\"{c}\", '{CR_PLACEHOLDER}', chr(13)) AS \"{c}\"" for c in DOJ_COLUMNS)
    else:
        raw = ", ".join(f'"{c}"' for c in DOJ_COLUMNS)
    return (queries.sql("insert_doj_rows").replace("{columns}", columns).replace("{raw_select}", raw)
            .replace("{max_line_size}", str(max_line_size(longest_row))))


def subject_guess(raw_line: str) -> str:
    """The quarantined line's subject: third comma piece, trimmed, one pair of quotes removed."""
    pieces = raw_line.split(",")
    if len(pieces) < 3:
        return ""
    value = pieces[2].strip(" \t\r\n\v\f")
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
    return value


def _read_lines(path: Path, wanted: set[int], encoding: str) -> dict[int, str]:
    """Raw text of the given physical lines (a second, rare pass for SQL-quarantined lines)."""
    found: dict[int, str] = {}
    if not wanted:
        return found
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if n in wanted:
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                found[n] = raw.rstrip(b"\n").removesuffix(b"\r").decode(
                    "utf-8" if encoding == "utf-8" else "iso-8859-1", "replace")
                if len(found) == len(wanted):
                    break
    return found


def _field_message(reasons: str, values: dict[str, str]) -> str:
    parts = []
    for reason in reasons.split(";"):
        if reason.startswith("bad_date:"):
            column = reason.split(":", 1)[1]
            parts.append(f"{column} '{values.get(column, '').strip()[:20]}' is not a date "
                         "(YYYYMMDD, YYYYMM00, YYYY0000 or a placeholder)")
        elif reason == "bad_cnt_order":
            parts.append(f"CNT_ORDER '{values.get('CNT_ORDER', '').strip()[:20]}' is not exactly 12 digits")
        else:
            parts.append(_FIELD_MESSAGES.get(reason, reason))
    return "; ".join(parts)


def import_file(ws: Workspace, path: str | os.PathLike, progress: Progress | None = None,
                cancel: CancelToken | None = None, actor: str | None = None) -> FileImportSummary:
    """Import one file. Known problems come back as a summary with status ``rejected`` or
    ``duplicate``; only bugs raise (and Cancel raises :class:`Cancelled`)."""
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    path = Path(path)
    name = path.name
    started = time.monotonic()
    summary = FileImportSummary(file=name, status="rejected")
    try:
        if not path.is_file():
            raise ImportFileError(f"{name}: the file cannot be found or is not a file.",
                                  code="unreadable_file", file=name)
        try:
            size = path.stat().st_size
            kind = sniff_not_doj(path)
        except OSError as exc:
            raise ImportFileError(f"{name}: the file cannot be read ({exc.strerror}).",
                                  code="unreadable_file", file=name) from None
        if kind:
            raise ImportFileError(
                f"{name} is not a DOJ research file: it looks like {kind}. Choose the text (.dat or "
                ".csv) file DOJ delivered.", code="unreadable_file", file=name)
        summary.size_bytes = size
        _import(ws, path, summary, progress, cancel, actor)
    except ImportFileError as exc:
        summary.status = "duplicate" if isinstance(exc, DuplicateFileError) else "rejected"
        summary.message = str(exc)
        summary.issues.append(ImportIssue(name, exc.line, exc.code, str(exc)))
    summary.seconds = round(time.monotonic() - started, 3)
    log.info("import of one file finished: status=%s rows=%d quarantined=%d seconds=%.2f",
             summary.status, summary.rows_imported, summary.rows_quarantined, summary.seconds)
    return summary


def _import(ws: Workspace, path: Path, summary: FileImportSummary, progress: Progress,
            cancel: CancelToken, actor: str | None) -> None:
    name = path.name
    size = summary.size_bytes
    tmp, tmp_second = ws.temp_path("import"), ws.temp_path("import")
    try:
        result, split = _read(ws, path, tmp, tmp_second, progress, cancel)
        summary.sha256 = result.sha256
        progress.update(size, size * 2 or 1, f"Storing {name}")
        with ws.write(macros=True) as cur:
            cancel.add_interrupt(cur.interrupt)
            try:
                batch_id = cur.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchone()[0]
                with query_progress.reporting(
                        cur, lambda f: progress.update(size * (1 + f), size * 2 or 1, f"Storing {name}")):
                    _insert_rows(ws, cur, [tmp, tmp_second] if split else [tmp], result, batch_id, cancel)
                _finish(ws, cur, path, batch_id, result, summary, cancel, actor)
            finally:
                cancel.remove_interrupt(cur.interrupt)
    finally:
        for leftover in (tmp, tmp_second):
            with contextlib.suppress(OSError):
                leftover.unlink()
    _summarise(summary, name, batch_id, result, progress)


def _read(ws: Workspace, path: Path, tmp: Path, tmp_second: Path, progress: Progress,
          cancel: CancelToken) -> tuple[ScanResult, bool]:
    """The prepass and pass 1: (result, whether ``tmp_second`` holds rows). A file of a size
    imported before may be a duplicate: it is hashed first, so the refusal is quick. Any other file
    is hashed beside pass 1 (``background_prepass``), which meanwhile reads it as UTF-8, and reads it
    again as ISO-8859-1 if it is not UTF-8."""
    name = path.name
    if ws.query("SELECT 1 FROM import_batch WHERE size_bytes = ? LIMIT 1", [path.stat().st_size]):
        try:
            pre = prepass(path, cancel.check)
        except OSError as exc:
            raise _unreadable(name, exc) from None
        _refuse_duplicate(ws, name, pre.sha256)
        return _pass1(path, tmp, tmp_second, pre, progress, cancel)
    background = BackgroundPrepass(path)
    try:
        try:
            read = _pass1(path, tmp, tmp_second, Prepass(sha256="", utf8=True), progress, cancel)
        except ImportFileError:
            if _prepass_of(background, name, cancel).utf8:
                raise
            read = None  # a header checked in text read with the wrong encoding: read it again
        pre = _prepass_of(background, name, cancel)
    finally:
        background.stop()
    if read is None or not pre.utf8:
        read = _pass1(path, tmp, tmp_second, pre, progress, cancel)
    read[0].sha256 = pre.sha256
    _refuse_duplicate(ws, name, pre.sha256)  # (a twin has the same size: not reached, kept as a guard)
    return read


def _pass1(path: Path, tmp: Path, tmp_second: Path, pre: Prepass, progress: Progress,
           cancel: CancelToken) -> tuple[ScanResult, bool]:
    """Pass 1 into the temporary files (written afresh): (result, whether ``tmp_second`` holds rows)."""
    size = path.stat().st_size
    with open(tmp, "wb") as out:
        try:
            return scan_in_two(path, out, tmp_second, file_name=path.name, pre=pre, check_cancel=cancel.check,
                               on_bytes=lambda done: progress.update(done, size * 2 or 1, f"Reading {path.name}"))
        except OSError as exc:
            raise _unreadable(path.name, exc) from None


def _prepass_of(background: BackgroundPrepass, name: str, cancel: CancelToken) -> Prepass:
    try:
        return background.result(cancel.check)
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _refuse_duplicate(ws: Workspace, name: str, sha256: str) -> None:
    earlier = ws.query("SELECT file_name, imported_at FROM import_batch WHERE sha256 = ?", [sha256])
    if earlier:
        raise DuplicateFileError(
            f"{name} was already imported (same content as {earlier[0][0]}, imported "
            f"{earlier[0][1]:%Y-%m-%d %H:%M}); it was not imported again.",
            code="duplicate_file", file=name)


def _unreadable(name: str, exc: OSError) -> ImportFileError:
    return ImportFileError(f"{name}: the file cannot be read ({exc.strerror}).", code="unreadable_file", file=name)


def _insert_rows(ws: Workspace, cur, tmp: list[Path], result: ScanResult, batch_id: int,
                 cancel: CancelToken) -> None:
    """DuckDB parses pass 1's rows (one or two files, in line order) into doj_row in ONE statement
    (several inserts into one table in a transaction cost DuckDB far more: the rows then go
    through the write-ahead log)."""
    if not result.candidate_rows:
        return
    # rows carry their own line_no: DuckDB need not keep file order, which lets it parse and
    # write in parallel within the memory budget
    cur.execute("SET preserve_insertion_order = false")
    try:
        cur.execute(_insert_sql(result.lone_cr, result.longest_row), {"batch_id": batch_id, "path": [str(p) for p in tmp]})
    except Exception as exc:  # translate disk-full and friends; cancel shows as interrupt
        cancel.check()
        raise translate_error(exc, ws.path) from None
    finally:
        cur.execute("RESET preserve_insertion_order")


def _finish(ws: Workspace, cur, path: Path, batch_id: int, result: ScanResult,
            summary: FileImportSummary, cancel: CancelToken, actor: str | None) -> None:
    """Field checks, quarantine, the accounting check, the batch record and its audit row."""
    name = path.name
    summary.encoding = result.encoding
    summary.has_header = result.has_header
    summary.lines_total = result.lines_total
    summary.blank_lines = result.blank_lines
    summary.warnings = list(result.warnings)
    if result.lines_total - result.blank_lines == 0:
        raise ImportFileError(f"{name} is empty: it has no lines with data.", code="empty_file", file=name)
    cancel.check()
    field_bad = cur.execute(
        "SELECT line_no, d_reject, \"SUBJECT_ID\", \"CNT_ORDER\", \"PRI_DOB\", \"CYC_DATE\", "
        "\"STP_EVENT_DATE\", \"DISP_DATE\" FROM doj_row WHERE batch_id = ? AND d_reject IS NOT NULL",
        [batch_id]).fetchall()
    bad: list[BadLine] = list(result.bad_lines)
    if field_bad:
        cur.execute("DELETE FROM doj_row WHERE batch_id = ? AND d_reject IS NOT NULL", [batch_id])
        raw = _read_lines(path, {r[0] for r in field_bad}, result.encoding)
        cols = ("SUBJECT_ID", "CNT_ORDER", "PRI_DOB", "CYC_DATE", "STP_EVENT_DATE", "DISP_DATE")
        for row in field_bad:
            values = dict(zip(cols, row[2:]))
            bad.append(BadLine(row[0], row[1], _field_message(row[1], values), raw.get(row[0], "")))
    bad.sort(key=lambda b: b.line_no)
    if bad:
        _insert_quarantine(cur, ws.temp_path("quarantine"), batch_id, bad)
    rows = cur.execute("SELECT count(*) FROM doj_row WHERE batch_id = ?", [batch_id]).fetchone()[0]
    by_reason = Counter()
    for b in bad:
        for reason in b.reason.split(";"):
            by_reason[reason] += 1
    header = 1 if result.has_header else 0
    data_lines = result.lines_total - header - result.blank_lines
    if data_lines == 0:
        summary.warnings.append("no_data_rows")
    if rows + len(bad) != data_lines:  # the invariant of section 7; a bug if broken
        raise RuntimeError("import accounting mismatch")
    cur.execute(
        "INSERT INTO import_batch VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [batch_id, name, str(path.resolve()), summary.size_bytes, result.sha256, result.encoding,
         result.has_header, result.lines_total, result.blank_lines, data_lines, rows, len(bad),
         json.dumps(dict(sorted(by_reason.items()))), json.dumps(summary.warnings),
         dt.datetime.now().replace(microsecond=0), None],
    )
    _audit_import(cur, ws, actor, {"file": name, "sha256": result.sha256, "rows": rows, "quarantined": len(bad)})
    cancel.check()
    summary.data_lines = data_lines
    summary.rows_imported = rows
    summary.rows_quarantined = len(bad)
    summary.quarantine_by_reason = dict(sorted(by_reason.items()))
    summary.issues = [ImportIssue(name, b.line_no, b.reason, b.message) for b in bad]


def _summarise(summary: FileImportSummary, name: str, batch_id: int, result: ScanResult,
               progress: Progress) -> None:
    """After the commit: the summary says imported."""
    summary.status = "imported"
    summary.batch_id = batch_id
    summary.message = (f"{name}: {summary.rows_imported:,} rows imported, {summary.rows_quarantined:,} "
                       f"lines quarantined, {result.blank_lines:,} blank lines.")
    if "not_utf8" in summary.warnings:
        summary.message += " The file is not UTF-8; it was read as ISO-8859-1."
    progress.update(1, 1, f"Imported {name}")


def _insert_quarantine(cur, qpath: Path, batch_id: int, bad: list[BadLine]) -> None:
    """Bulk insert through a small CSV file (DuckDB's executemany is one statement per row)."""
    # a CSV record holds the raw line twice (raw and subject guess), quotes doubled, and a message
    longest = 4 * max((len(b.raw.encode("utf-8")) for b in bad), default=0) + 4096
    try:
        with open(qpath, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for b in bad:
                # a lone CR would end the record for DuckDB's reader: it travels as a placeholder
                writer.writerow([b.line_no] + [text.replace("\r", CR_PLACEHOLDER) for text in
                                               (b.reason, b.message, subject_guess(b.raw), b.raw)])
        cur.execute(
            "INSERT INTO quarantine SELECT ?, line_no, "
            + ", ".join(f"replace({c}, '{CR_PLACEHOLDER}', chr(13))"
                        for c in ("reasons", "message", "subject_guess", "raw_line")) + " "
            "FROM read_csv(?, header = false, auto_detect = false, delim = ',', quote = '\"', "
            "escape = '\"', new_line = '\\n', nullstr = '\\u0001', "
            f"max_line_size = {max_line_size(longest)}, "
            "columns = {'line_no': 'BIGINT', 'reasons': 'VARCHAR', 'message': 'VARCHAR', "
            "'subject_guess': 'VARCHAR', 'raw_line': 'VARCHAR'})",
            [batch_id, str(qpath)],
        )
    finally:
        with contextlib.suppress(OSError):
            qpath.unlink()


def import_files(ws: Workspace, paths: Iterable[str | os.PathLike], progress: Progress | None = None,
                 cancel: CancelToken | None = None, actor: str | None = None) -> list[dict]:
    """Import several files, each in its own transaction; one bad file never stops the others.
    ``actor`` (the reviewer's name) goes into the audit log; default: the operating-system user."""
    paths = list(paths)
    progress = progress or NullProgress()
    results = []
    for index, path in enumerate(paths):
        sub = _SubProgress(progress, index, len(paths))
        results.append(import_file(ws, path, sub, cancel, actor).to_dict())
    return results


def _audit_import(cur, ws: Workspace, actor: str | None, details: dict) -> None:
    """The audit row of an import, in the import's own transaction (both commit or neither)."""
    from ..review.audit import append

    append(ws, actor=actor or os.environ.get("USERNAME") or os.environ.get("USER") or "unknown",
           action="import", new_value=json.dumps(details), cur=cur)


class _SubProgress:
    def __init__(self, parent: Progress, index: int, count: int):
        self.parent, self.index, self.count = parent, index, count

    def update(self, done: float, total: float, message: str = "") -> None:
        frac = (done / total) if total else 0.0
        self.parent.update(self.index + frac, self.count, message)
