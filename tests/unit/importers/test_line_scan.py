"""Pass 1 of the import: the block fast path writes exactly what the careful line loop writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
from clearmyrecord_desktop.errors import ImportFileError
from clearmyrecord_desktop.importers import line_scan

DATA = Path(__file__).parents[2] / "data"
FIXTURES = sorted((DATA / "cases").glob("*.csv")) + sorted((DATA / "gogen").rglob("*.csv"))


def _row(name: str = '"DOE,JANE"', **values: str) -> bytes:
    fields = [""] * len(DOJ_COLUMNS)
    fields[2] = values.get("subject", "12345678")
    fields[12] = name
    fields[-1] = "#"
    return ",".join(fields).encode("latin-1")


def _scan(path: Path, *, fast: bool, chunk: int, monkeypatch) -> tuple[bytes, object]:
    """What pass 1 writes and returns (or the error it raises for a file it refuses). Small chunks
    put most lines in blocks after the first, which is where the fast path runs."""
    monkeypatch.setattr(line_scan, "CHUNK", chunk)
    if not fast:
        monkeypatch.setattr(line_scan, "_fast_rows", lambda *a: None)
    out = io.BytesIO()
    try:
        result = line_scan.scan(path, out, file_name=path.name)
    except ImportFileError as exc:
        result = str(exc)
    monkeypatch.undo()
    return out.getvalue(), result


def _same(path: Path, monkeypatch) -> None:
    for chunk in (97, 400, 1 << 23):
        fast_out, fast = _scan(path, fast=True, chunk=chunk, monkeypatch=monkeypatch)
        slow_out, slow = _scan(path, fast=False, chunk=chunk, monkeypatch=monkeypatch)
        assert fast_out == slow_out
        assert fast == slow


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fast_path_equals_careful_loop_on_every_fixture(path, monkeypatch):
    _same(path, monkeypatch)


@pytest.mark.parametrize("lines", [
    [_row()] * 3,                                            # the common case
    [_row().replace(b"#", b"#\r")] * 3,                      # CRLF endings
    [_row(), _row(name='"DOE ""JD"" JANE"'), _row()],        # doubled quotes: careful loop
    [_row(), b"", _row()],                                   # blank line
    [_row(), b"   \t", _row()],                              # white-space line
    [_row(), _row()[:-2], _row()],                           # 94 fields
    [_row(), _row(name="DOE\rJANE"), _row()],                # lone CR
    [_row(), _row(name="DOE\x00"), _row()],                  # NUL
    [_row(name="B\xc9LANGER")] * 2,                          # ISO-8859-1 text
    [_row(), _row(name='DOE"JANE'), _row()],                 # quote inside an unquoted field
    [_row(), _row(name='"DOE,JANE"X'), _row()],              # text after a closing quote
])
@pytest.mark.parametrize("final_newline", [True, False])
def test_fast_path_equals_careful_loop_on_awkward_blocks(tmp_path, monkeypatch, lines, final_newline):
    header = ",".join(DOJ_COLUMNS).encode()
    body = b"\n".join([header, *lines]) + (b"\n" if final_newline else b"")
    path = tmp_path / "extract.csv"
    path.write_bytes(body)
    _same(path, monkeypatch)


def test_fast_path_takes_the_common_block(tmp_path):
    block = b"\n".join([_row(), _row().replace(b"#", b"#\r"), _row(name='""')])
    rows = line_scan._fast_rows(block, 10, True)
    assert rows is not None and [r.split(b",", 1)[0] for r in rows] == [b"11", b"12", b"13"]
    assert rows[1].endswith(b"#")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
@pytest.mark.parametrize("text, utf8", [
    ("plain ascii\n" * 20, True),
    ("ÉLAN, José\n" + "ascii after a split sequence\n" * 5, True),
    ("x" * 10 + "é", True),                                  # ends on a whole sequence
    ("ascii\n".encode() + b"\xc3" + b"abc\n" * 10, False),   # sequence opened, then ASCII
    (b"abc\n" * 10 + b"\xe2\x82", False),                    # sequence left open at the end
    (b"caf\xe9\n" * 3, False),                               # ISO-8859-1
])
def test_prepass_encoding_whatever_the_chunk_boundaries(tmp_path, monkeypatch, chunk, text, utf8):
    """ASCII chunks skip the decoder, except after a chunk that ended inside a UTF-8 sequence."""
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    monkeypatch.setattr(line_scan, "CHUNK", chunk)
    assert line_scan.prepass(path).utf8 is utf8
