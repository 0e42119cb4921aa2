"""Pass 1 of a large file on two processors: the second half of the file is scanned by a child
process while this process scans the first half.

Pass 1 (``line_scan``) is plain Python and runs on one processor; on a county PC's two cores it
took a third of a 1M-row import while the other core stood idle. The file is cut just after the
line feed nearest its middle (a line feed never lies inside a UTF-8 sequence, and pass 1 reads
every physical line on its own, so the halves are independent). The child counts the lines of the
first half (fast, bytes only) to number its own, and writes its rows to a second temporary file;
DuckDB then reads both files in one statement. Everything written is byte for byte what one
sequential scan writes (a test checks it).

The child is started with ``spawn`` (never ``fork``: this process runs DuckDB's threads) and only
imports this module and ``line_scan``. It stops by itself if this process ends. Where a child
cannot be started or ends without a result (a locked-down PC), or the first half holds only blank
lines (its header position is then unknown), this process reads the second half itself, with the
same result.
``CLEARMYRECORD_SCAN_PROCESSES=1`` turns the split off.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO, Callable

from ..jobs import helper_process
from .line_scan import Position, Prepass, ScanResult, new_result, scan, scan_segment

log = logging.getLogger("cmr.import")

#: files smaller than this are scanned in one process (starting a child costs ~0.1-1 s)
SPLIT_MIN_BYTES = 64 * 1024 * 1024
ENV = "CLEARMYRECORD_SCAN_PROCESSES"
_POLL_SECONDS = 0.1


def scan_in_two(path: Path, out: BinaryIO, second_out: Path, *, file_name: str, pre: Prepass,
                on_bytes: Callable[[int], None] | None = None,
                check_cancel: Callable[[], None] | None = None) -> tuple[ScanResult, bool]:
    """Scan ``path`` as ``line_scan.scan`` does; the rows of the file's second half may go to
    ``second_out`` (created by the child). Returns the result and whether ``second_out`` was
    written (then both files hold rows, in this order)."""
    size = path.stat().st_size
    result = new_result(path, pre)
    middle = _middle(path, size) if _worth_splitting(size) else None
    child = receiver = None
    if middle is not None:
        child, receiver = _start_child(path, middle, size, second_out, result.encoding, file_name)
    if child is None:
        return scan(path, out, file_name=file_name, pre=pre, on_bytes=on_bytes, check_cancel=check_cancel), False
    try:
        at = scan_segment(path, 0, middle, out, result, Position(0, False), file_name=file_name,
                          on_bytes=(lambda done: on_bytes(min(size, 2 * done))) if on_bytes else None,
                          check_cancel=check_cancel)
        outcome = _child_result(child, receiver, check_cancel)
    finally:
        helper_process.stop(child, receiver)
    if outcome is None:
        log.warning("pass 1: the helper process ended without a result (exit code %s); "
                    "the second half is read here", child.exitcode)
    if outcome is None or not at.seen_nonblank or outcome[0] != at.line_no:
        # no result, or the first half was all blank lines (the header may be in the second half)
        # (the progress shown for the first half was doubled: it stays there, never going back)
        scan_segment(path, middle, size, out, result, at, file_name=file_name, check_cancel=check_cancel)
        return result, False
    part = outcome[1]
    result.lines_total = part.lines_total
    result.blank_lines += part.blank_lines
    result.candidate_rows += part.candidate_rows
    result.bad_lines.extend(part.bad_lines)
    result.lone_cr |= part.lone_cr
    result.longest_row = max(result.longest_row, part.longest_row)
    if on_bytes:
        on_bytes(size)
    return result, True


def _worth_splitting(size: int) -> bool:
    return size >= SPLIT_MIN_BYTES and helper_process.available(ENV)


def _middle(path: Path, size: int) -> int | None:
    """The offset just after the first line feed at or after the middle of the file, or None when
    that is the end of the file."""
    with open(path, "rb") as fh:
        fh.seek(size // 2)
        offset = size // 2
        while chunk := fh.read(1 << 16):
            found = chunk.find(b"\n")
            if found >= 0:
                cut = offset + found + 1
                return cut if cut < size else None
            offset += len(chunk)
    return None


def _start_child(path: Path, start: int, end: int, out_path: Path, encoding: str, file_name: str):
    """(process, receiving end of its pipe), or (None, None) when no process can be started."""
    child, receiver, _ = helper_process.start(
        _second_half, (str(path), start, end, str(out_path), encoding, file_name), name="cmr-scan", what="pass 1")
    return child, receiver


def _child_result(child, receiver, check_cancel: Callable[[], None] | None) -> tuple[int, ScanResult] | None:
    """Wait for the child's (lines before its half, its partial result); Cancel stays possible.
    None when the child ended without sending anything (it could not start Python or our code,
    e.g. a helper process blocked or killed from outside): the caller reads the half itself. An
    error the child reports (a read error of the file) is raised here."""
    while not receiver.poll(_POLL_SECONDS):
        if check_cancel:
            check_cancel()
        if not child.is_alive() and not receiver.poll():
            return None
    try:
        kind, payload = receiver.recv()
    except EOFError:
        return None
    if kind == "error":
        raise payload if isinstance(payload, BaseException) else RuntimeError(payload)
    return payload


def _second_half(sender, path: str, start: int, end: int, out_path: str, encoding: str, file_name: str) -> None:
    """The child: number the lines before ``start``, then scan ``[start, end)`` into ``out_path``."""
    try:
        check_parent = helper_process.parent_check()
        source = Path(path)
        lines_before = _count_lines(source, start, check_parent)
        part = ScanResult(sha256="", size=end - start, encoding=encoding, has_header=False)
        with open(out_path, "wb") as out:
            scan_segment(source, start, end, out, part, Position(lines_before, True), file_name=file_name,
                         check_cancel=check_parent)
        sender.send(("ok", (lines_before, part)))
    except Exception as exc:  # noqa: BLE001 - every failure goes to the parent, which raises it
        try:
            sender.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            sender.send(("error", f"{type(exc).__name__} in the second pass-1 process"))
    finally:
        sender.close()


def _count_lines(path: Path, end: int, check: Callable[[], None]) -> int:
    """Line feeds in bytes ``[0, end)``."""
    n = done = 0
    with open(path, "rb") as fh:
        while done < end:
            chunk = fh.read(min(8 * 1024 * 1024, end - done))
            if not chunk:
                break
            check()
            n += chunk.count(b"\n")
            done += len(chunk)
    return n
