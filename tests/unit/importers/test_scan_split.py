"""Pass 1 on two processors (importers/scan_split.py): the rows written and the result are exactly
those of one sequential scan, whatever the file; Cancel, a refused header and a child that cannot
start are handled."""

from __future__ import annotations

import io
from dataclasses import asdict
from pathlib import Path

import pytest

from clearmyrecord_desktop.errors import ImportFileError
from clearmyrecord_desktop.importers import line_scan, scan_split
from clearmyrecord_desktop.jobs import helper_process
from clearmyrecord_desktop.jobs.progress import CancelToken, Cancelled

DATA = Path(__file__).parents[2] / "data"
FIXTURES = [DATA / "cases" / "statutory_cases.csv", DATA / "cases" / "import_edge_cases.csv",
            DATA / "gogen" / "bad.csv", DATA / "gogen" / "no_headers.csv"]


@pytest.fixture(autouse=True)
def _split_everything(monkeypatch):
    monkeypatch.setattr(scan_split, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(helper_process.os, "cpu_count", lambda: 2)


def _sequential(path: Path):
    out = io.BytesIO()
    result = line_scan.scan(path, out, file_name=path.name)
    return out.getvalue(), result


def _split(path: Path, tmp_path: Path, **kw):
    second = tmp_path / "second.tmp"
    out = io.BytesIO()
    result, was_split = scan_split.scan_in_two(path, out, second, file_name=path.name,
                                               pre=line_scan.prepass(path), **kw)
    written = out.getvalue() + (second.read_bytes() if was_split else b"")
    return written, result, was_split


def _outcome(scan, *args):
    try:
        written, result = scan(*args)[:2]
    except ImportFileError as exc:
        return str(exc)
    return written, asdict(result)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_split_scan_writes_what_one_scan_writes(path, tmp_path):
    # bad.csv has a wrong header: both refuse it with the same message
    assert _outcome(_split, path, tmp_path) == _outcome(_sequential, path)


def _file(tmp_path: Path, lines: list[bytes]) -> Path:
    path = tmp_path / "f.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _header() -> bytes:
    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
    return ",".join(DOJ_COLUMNS).encode()


def _row(subject: str = "12345678") -> bytes:
    fields = [""] * 95
    fields[2], fields[12], fields[-1] = subject, '"DOE,JANE"', "#"
    return ",".join(fields).encode()


def test_first_half_of_blank_lines_falls_back_to_one_scan(tmp_path):
    # the header (the first line with data) lies in the second half
    path = _file(tmp_path, [b""] * 5000 + [_header()] + [_row()] * 3)
    expected_out, expected = _sequential(path)
    written, result, was_split = _split(path, tmp_path)
    assert not was_split
    assert (written, asdict(result)) == (expected_out, asdict(expected))
    assert result.has_header


def test_header_refused_in_the_first_half_stops_the_child(tmp_path):
    path = _file(tmp_path, [_header().replace(b"OFFENSE_DESCR", b"OFFENSE")] + [_row()] * 50)
    with pytest.raises(ImportFileError, match="header_mismatch"):
        _split(path, tmp_path)


def test_cancel_while_scanning_stops_the_child(tmp_path):
    path = _file(tmp_path, [_header()] + [_row()] * 200)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        _split(path, tmp_path, check_cancel=token.check)


def test_child_that_cannot_start_means_one_scan(tmp_path, monkeypatch):
    def refuse(self):
        raise OSError("process creation blocked")
    monkeypatch.setattr(helper_process.multiprocessing.get_context("spawn").Process, "start", refuse)
    path = FIXTURES[0]
    expected_out, expected = _sequential(path)
    written, result, was_split = _split(path, tmp_path)
    assert not was_split and written == expected_out and asdict(result) == asdict(expected)


def test_switched_off_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(scan_split.ENV, "1")
    assert not _split(FIXTURES[0], tmp_path)[2]


def test_import_of_a_split_file_stores_the_same_rows(tmp_path):
    from clearmyrecord_desktop.importers.doj_research_file import import_files
    from clearmyrecord_desktop.store.database import open_workspace

    def stored(name: str, split: bool):
        scan_split.SPLIT_MIN_BYTES = 0 if split else 1 << 62
        ws = open_workspace(tmp_path / f"{name}.duckdb")
        try:
            summary = import_files(ws, [DATA / "cases" / "statutory_cases.csv", DATA / "cases" / "import_edge_cases.csv"])
            rows = ws.query("SELECT * EXCLUDE (batch_id) FROM doj_row ORDER BY row_seq")
            quarantine = ws.query("SELECT line_no, reasons, message, raw_line FROM quarantine ORDER BY batch_id, line_no")
        finally:
            ws.close()
        return [(s["rows_imported"], s["rows_quarantined"]) for s in summary], rows, quarantine

    assert stored("split", True) == stored("whole", False)


def test_child_stops_when_the_import_process_is_gone(tmp_path, monkeypatch):
    class Gone:
        def is_alive(self):
            return False

    class Sender:
        sent = []

        def send(self, item):
            self.sent.append(item)

        def close(self):
            pass

    monkeypatch.setattr(helper_process.multiprocessing, "parent_process", lambda: Gone())
    path = FIXTURES[0]
    with pytest.raises(SystemExit):
        scan_split._second_half(Sender(), str(path), 0, path.stat().st_size, str(tmp_path / "out.tmp"), "utf-8",
                                path.name)
    assert Sender.sent == []  # nothing reported: nobody is listening


def test_child_that_dies_without_a_result_means_the_half_is_read_here(tmp_path, monkeypatch):
    monkeypatch.setattr(scan_split, "_second_half", _die_at_once)
    path = FIXTURES[0]
    expected_out, expected = _sequential(path)
    written, result, was_split = _split(path, tmp_path)
    assert not was_split and written == expected_out and asdict(result) == asdict(expected)


def _die_at_once(sender, *args):
    """A child that ends before it reports (module level: the spawn child imports it by name)."""
    import os
    os._exit(3)
