"""Pass 1 of the DOJ import: streaming reads of the file in Python.

A quick prepass hashes the file and decides the encoding. The scan then finds the header,
classifies every physical line (blank, header, structurally bad, or candidate row) and writes
the candidate rows, each prefixed with its physical line number, as normalised UTF-8 that DuckDB
then parses. Blocks of lines that need no careful look (the common case) are handled whole, in
C-speed bytes operations; others line by line. Nothing here holds more than one chunk in memory.

Structural checks done here (doj-research-file.md 2 and 5, checks 1-3): NUL characters, strict
RFC 4180 quoting, exactly 95 fields. Field checks (subject, CNT_ORDER, dates) are done in SQL.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import BinaryIO, Callable

from ..domain.doj_columns import DOJ_COLUMNS, N_COLUMNS
from ..errors import ImportFileError

CHUNK = 8 * 1024 * 1024
#: A lone CR (not before LF) is ordinary data; DuckDB would take it as a line end, so it travels
#: through the temporary file as this private-use character and is restored in SQL.
CR_PLACEHOLDER = "\ue00d"
_CR_PLACEHOLDER_BYTES = CR_PLACEHOLDER.encode("utf-8")
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive or Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word file (.xls/.doc)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
BOM = b"\xef\xbb\xbf"


@dataclass
class BadLine:
    line_no: int
    reason: str
    message: str
    raw: str


@dataclass
class ScanResult:
    sha256: str
    size: int
    encoding: str  # "utf-8" or "iso-8859-1"
    has_header: bool
    lines_total: int = 0
    blank_lines: int = 0
    candidate_rows: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)
    lone_cr: bool = False
    #: length in bytes of the longest candidate row written (DuckDB's max_line_size follows it)
    longest_row: int = 0
    warnings: list[str] = field(default_factory=list)


def _quote_problem_parts(parts: list[bytes]) -> bool:
    """True if a line, split on '"', breaks strict RFC 4180 quoting (doj-research-file.md 2.3).

    Even parts lie outside quotes, odd parts inside. Valid iff the first outside part is empty or
    ends with ',', the last is empty or starts with ',', and every middle outside part is empty
    (a doubled quote) or starts and ends with ','.
    """
    if len(parts) == 1:
        return False
    if len(parts) % 2 == 0:
        return True
    first, last = parts[0], parts[-1]
    if first and first[-1] != 44:
        return True
    if last and last[0] != 44:
        return True
    for part in parts[2:-1:2]:
        if part and (part[0] != 44 or part[-1] != 44):
            return True
    return False


_QUOTE_MSG = ("quotes are not closed, or a quote stands inside an unquoted field or is not "
              "followed by a comma")


def _structure_problem(line: bytes) -> tuple[str, str] | None:
    """Checks 1-3 of section 5 in one split: NUL, quoting, field count. None when fine."""
    if b"\x00" in line:
        return ("bad_characters", "the line contains a NUL character")
    parts = line.split(b'"')
    if len(parts) == 1:
        n_fields = line.count(b",") + 1
    else:
        if _quote_problem_parts(parts):
            return ("bad_quote", _QUOTE_MSG)
        n_fields = line.count(b",") + 1 - sum(p.count(b",") for p in parts[1::2])
    if n_fields != N_COLUMNS:
        return ("wrong_field_count", f"{n_fields} fields, expected 95")
    return None


def _field_count(line: bytes) -> int:
    parts = line.split(b'"')
    return sum(p.count(b",") for p in parts[::2]) + 1


def _first_field(text: str) -> str:
    """The first field, unquoted and trimmed (header detection, section 2.4)."""
    if text.startswith('"'):
        end = text.find('"', 1)
        value = text[1:end] if end > 0 else text[1:]
    else:
        value = text.split(",", 1)[0]
    return value.strip(" \t\r\n\v\f")


def check_header(text: str, line_no: int, file_name: str) -> None:
    """Raise ``header_mismatch`` unless ``text`` lists the 95 names (one empty extra field ok)."""
    try:
        names = next(csv.reader([text], strict=True))
    except csv.Error:
        names = text.split(",")
    names = [n.strip(" \t\r\n\v\f") for n in names]
    if len(names) == N_COLUMNS + 1 and names[-1] == "":
        names = names[:-1]
    problem = None
    for i, expected in enumerate(DOJ_COLUMNS):
        if i >= len(names):
            problem = f"{expected} missing"
            break
        if names[i].upper() != expected:
            problem = f"column {i + 1} is '{names[i][:40]}', expected '{expected}'"
            break
    if problem is None and len(names) != N_COLUMNS:
        problem = f"extra column '{names[N_COLUMNS][:40]}' after END_OF_REC"
    if problem:
        raise ImportFileError(
            f"{file_name}, line {line_no}: header_mismatch — {_field_count(text.encode('utf-8'))} "
            f"fields, expected 95; {problem}. The file has a different layout; nothing was imported.",
            code="header_mismatch", file=file_name, line=line_no,
        )


@dataclass(frozen=True)
class Prepass:
    sha256: str
    utf8: bool


def prepass(path: Path, check_cancel: Callable[[], None] | None = None) -> Prepass:
    """One quick read before the real pass: the file's SHA-256 (so a duplicate is refused before
    anything is stored) and whether it is valid UTF-8 (else it is read as ISO-8859-1)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if check_cancel:
                check_cancel()
            digest.update(chunk)
            # an ASCII chunk is valid UTF-8 (checked far faster than decoded) unless a sequence
            # begun in the chunk before is still open
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return Prepass(digest.hexdigest(), utf8)


def sniff_not_doj(path: Path) -> str | None:
    """Name the kind of file if it is obviously not a text extract (xlsx, pdf, …)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    for signature, what in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            return what
    return None


def scan(path: Path, out: BinaryIO, *, file_name: str, pre: Prepass | None = None,
         on_bytes: Callable[[int], None] | None = None,
         check_cancel: Callable[[], None] | None = None) -> ScanResult:
    """Stream ``path``; write ``<line_no>,<line>\\n`` for each candidate row into ``out``, whole
    rows per ``write`` call."""
    size = path.stat().st_size
    result = new_result(path, pre or prepass(path, check_cancel))
    scan_segment(path, 0, size, out, result, Position(0, False), file_name=file_name, on_bytes=on_bytes,
                 check_cancel=check_cancel)
    return result


def new_result(path: Path, pre: Prepass) -> ScanResult:
    """The empty result of a scan of ``path``, with what the prepass found."""
    result = ScanResult(sha256=pre.sha256, size=path.stat().st_size, encoding="utf-8" if pre.utf8 else "iso-8859-1",
                        has_header=False)
    if not pre.utf8:
        result.warnings.append("not_utf8")
    return result


@dataclass
class Position:
    """Where a scan stands: lines read so far and whether one of them was not blank (the first
    such line is the header or the first data line)."""

    line_no: int
    seen_nonblank: bool


def scan_segment(path: Path, start: int, end: int, out: BinaryIO, result: ScanResult, at: Position, *,
                 file_name: str, on_bytes: Callable[[int], None] | None = None,
                 check_cancel: Callable[[], None] | None = None) -> Position:
    """Scan bytes ``[start, end)`` of ``path`` (``start`` 0 or just after a line feed; ``end`` the
    file size or just after a line feed) from position ``at``, adding to ``result``; returns the
    position after the segment. ``on_bytes`` gets the bytes of the segment read so far."""
    utf8 = result.encoding == "utf-8"
    line_no, seen_nonblank = at.line_no, at.seen_nonblank
    rest = b""
    first_chunk = start == 0
    done = 0
    bad = result.bad_lines
    with open(path, "rb") as fh:
        fh.seek(start)
        while True:
            chunk = fh.read(min(CHUNK, end - start - done))
            if check_cancel:
                check_cancel()
            final = not chunk
            if chunk:
                done += len(chunk)
                if first_chunk:
                    first_chunk = False
                    if chunk.startswith(BOM):
                        chunk = chunk[3:]
                data = rest + chunk
                cut = data.rfind(b"\n")
                block, rest = (data[:cut], data[cut + 1:]) if cut >= 0 else (None, data)
            else:
                block, rest = (rest or None), b""
            out_lines = _fast_rows(block, line_no, utf8) if seen_nonblank and block is not None else None
            if out_lines is not None:
                line_no += len(out_lines)
                result.longest_row = max(result.longest_row, max(map(len, out_lines)))
            else:
                out_lines = []
                for raw in (block.split(b"\n") if block is not None else ()):
                    line_no += 1
                    line = raw[:-1] if raw.endswith(b"\r") else raw
                    if not utf8 and not line.isascii():
                        line = line.decode("iso-8859-1").encode("utf-8")
                    if not line.strip():
                        result.blank_lines += 1
                        continue
                    if not seen_nonblank:
                        seen_nonblank = True
                        text = line.decode("utf-8", "replace")
                        if _first_field(text).upper() == "RECORD_ID":
                            check_header(text, line_no, file_name)
                            result.has_header = True
                            continue
                    problem = _structure_problem(line)
                    if problem is not None:
                        bad.append(BadLine(line_no, problem[0], problem[1], _text(line)))
                        continue
                    if b"\r" in line:
                        result.lone_cr = True
                        line = line.replace(b"\r", _CR_PLACEHOLDER_BYTES)
                    row = b"%d,%b" % (line_no, line)
                    result.longest_row = max(result.longest_row, len(row))
                    out_lines.append(row)
            if out_lines:
                result.candidate_rows += len(out_lines)
                out_lines.append(b"")  # the last row's line end, in the same write
                out.write(b"\n".join(out_lines))
            if on_bytes:
                on_bytes(done)
            if final:
                break
    result.lines_total = line_no
    return Position(line_no, seen_nonblank)


#: a quoted field, not the first on its line, with no quote or line end inside and a comma or the
#: line end after it: the only quoting DOJ writes ("SMITH,JOHN")
_SIMPLE_QUOTED = re.compile(rb',"[^"\n]*"(?=,|\n|\Z)')


def _fast_rows(block: bytes, last_line_no: int, utf8: bool) -> list[bytes] | None:
    """The candidate rows of a block of whole lines (joined by LF, no final LF) when none of them
    needs a line-by-line look, else None. A block qualifies when it has no NUL, no CR except CRLF
    endings, only simple quoted fields, and exactly 95 fields on every line (which also rules out
    blank lines). The rows are byte for byte those the careful loop of ``scan`` writes."""
    if b"\x00" in block:
        return None
    n_cr = block.count(b"\r")
    if n_cr:
        if n_cr != block.count(b"\r\n") + block.endswith(b"\r"):
            return None
        block = block.replace(b"\r\n", b"\n").removesuffix(b"\r")
    fields = _SIMPLE_QUOTED.sub(b",", block) if b'"' in block else block
    if b'"' in fields or set(map(bytes.count, fields.split(b"\n"), repeat(b","))) != {N_COLUMNS - 1}:
        return None
    if not utf8 and not block.isascii():
        block = block.decode("iso-8859-1").encode("utf-8")
    return [b"%d,%b" % pair for pair in enumerate(block.split(b"\n"), last_line_no + 1)]


def _text(line: bytes) -> str:
    return line.decode("utf-8", "replace").replace("\x00", "\\0")
