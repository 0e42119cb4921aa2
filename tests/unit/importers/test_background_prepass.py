"""The prepass beside pass 1 (importers/background_prepass.py): the same outcomes as a prepass run
first, whatever the encoding, the order of files, an error or a Cancel."""

from __future__ import annotations

import threading

import pytest

from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
from clearmyrecord_desktop.errors import Cancelled
from clearmyrecord_desktop.importers import background_prepass, doj_research_file
from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.importers.line_scan import prepass
from clearmyrecord_desktop.jobs.progress import CancelToken, RecordingProgress

from test_doj_import import _line  # the test directory is on sys.path (pytest prepend import mode)


def _prepass_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cmr-prepass"]


def test_the_batch_holds_the_files_sha256(workspace, tmp_path):
    path = tmp_path / "one.dat"
    path.write_text(_line() + "\n")
    result = import_files(workspace, [path])[0]
    assert result["status"] == "imported"
    assert workspace.query("SELECT sha256 FROM import_batch")[0][0] == prepass(path).sha256
    assert _prepass_threads() == []


def test_a_latin1_header_error_names_the_latin1_text(workspace, tmp_path):
    """Pass 1 first reads as UTF-8; the header error a user sees comes from the ISO-8859-1 read."""
    path = tmp_path / "latin_header.dat"
    names = list(DOJ_COLUMNS)
    names[5] = "REQ_NAMÉ"
    path.write_bytes((",".join(names) + "\n" + _line() + "\n").encode("iso-8859-1"))
    result = import_files(workspace, [path])[0]
    assert result["status"] == "rejected" and result["issues"][0]["reason"] == "header_mismatch"
    assert "'REQ_NAMÉ'" in result["message"]


def test_a_latin1_file_after_a_utf8_file_of_another_size(workspace, tmp_path):
    first, second = tmp_path / "a.dat", tmp_path / "b.dat"
    first.write_text(_line(SUBJECT_ID="111") + "\n")
    second.write_bytes((_line(SUBJECT_ID="222", PRI_NAME="MUÑOZ,ANA") + "\n").encode("iso-8859-1"))
    results = import_files(workspace, [first, second])
    assert [r["status"] for r in results] == ["imported", "imported"]
    assert "not_utf8" in results[1]["warnings"] and "not_utf8" not in results[0]["warnings"]
    assert workspace.query("SELECT \"PRI_NAME\" FROM doj_row WHERE d_subject_id = '222'")[0][0] == "MUÑOZ,ANA"


def test_a_file_of_a_size_seen_before_is_hashed_first_and_imported(workspace, tmp_path, monkeypatch):
    """Same size, other content: the quick duplicate check finds no twin and the file imports."""
    first, second = tmp_path / "a.dat", tmp_path / "b.dat"
    first.write_text(_line(SUBJECT_ID="111") + "\n")
    second.write_text(_line(SUBJECT_ID="222") + "\n")
    assert first.stat().st_size == second.stat().st_size
    started = []
    monkeypatch.setattr(doj_research_file, "BackgroundPrepass",
                        lambda path: started.append(path) or background_prepass.BackgroundPrepass(path))
    results = import_files(workspace, [first, second])
    assert [r["status"] for r in results] == ["imported", "imported"]
    assert started == [first]
    again = import_files(workspace, [second])[0]
    assert again["status"] == "duplicate" and started == [first]


def test_a_read_error_in_the_prepass_is_an_unreadable_file(workspace, tmp_path, monkeypatch):
    path = tmp_path / "one.dat"
    path.write_text(_line() + "\n")

    def broken(path, check=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(background_prepass, "prepass", broken)
    result = import_files(workspace, [path])[0]
    assert result["status"] == "rejected" and result["issues"][0]["reason"] == "unreadable_file"
    assert "Permission denied" in result["message"]
    assert workspace.query("SELECT count(*) FROM import_batch")[0][0] == 0


def test_cancel_while_reading_stops_the_prepass(workspace, tmp_path, monkeypatch):
    path = tmp_path / "one.dat"
    path.write_text("\n".join(_line(SUBJECT_ID=str(i)) for i in range(200)) + "\n")
    release = threading.Event()
    real = background_prepass.prepass

    def slow(path, check):
        while not release.wait(0.01):  # a prepass still reading its first chunk
            check()
        return real(path, check)

    monkeypatch.setattr(background_prepass, "prepass", slow)
    token = CancelToken()

    class CancelOnRead(RecordingProgress):
        def update(self, done, total, message=""):
            if message.startswith("Reading"):
                token.cancel()

    try:
        with pytest.raises(Cancelled):
            import_files(workspace, [path], CancelOnRead(), token)
    finally:
        release.set()
    assert _prepass_threads() == []
    assert workspace.query("SELECT count(*) FROM import_batch")[0][0] == 0
    assert list(workspace.path.parent.glob(".cmr-*")) == []
