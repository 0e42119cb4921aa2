"""Verify packet (motion-packets §10): result codes and the checks that name the file."""

import shutil
import subprocess

import packet_builders as pb
import pytest

from clearmyrecord_desktop.documents.export import export_all
from clearmyrecord_desktop.documents.verify import main, verify_folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from clearmyrecord_desktop import paths

    root = tmp_path_factory.mktemp("verify")
    paths.set_basedir(root / "userhome")
    w = pb.build_workspace(root / "ws.duckdb")
    (root / "usb").mkdir()
    r = export_all(w, 1, root / "usb", kind="draft", settings=pb.make_settings(), clock=pb.fixed_clock())
    paths.set_basedir(None)
    w.close()
    return r.export_dir


@pytest.fixture
def copy(exported, tmp_path):
    dst = tmp_path / exported.name
    shutil.copytree(exported, dst)
    return dst


def _packet(root):
    return sorted((root / "packets").iterdir())[-1]


def _failed(result):
    return [(c.number, c.file) for c in result.problems]


def test_fresh_copy_is_intact(copy):
    r = verify_folder(copy)
    assert (r.ok, r.code) == (True, 0)
    assert r.message.startswith("Export set CMR-LA-20200703-101530 is complete and intact (")
    assert {c.number for c in r.checks} == {1, 2, 3, 4, 5, 6}
    p = verify_folder(_packet(copy))
    assert p.ok and p.message == f"Packet {_packet(copy).name} is complete and intact (13 files)"


@pytest.mark.parametrize("name", ["04_exhibit_A_dismiss_and_seal.docx", "court_data.csv", "00_README_for_clerk.txt",
                                  "manifest.json"])
def test_one_changed_byte_is_found(copy, name):
    path = _packet(copy) / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    for root in (_packet(copy), copy):
        r = verify_folder(root)
        assert (r.ok, r.code) == (False, 1)
        assert any(name in c.file for c in r.problems), r.message
        assert name in r.message


def test_missing_file_is_found(copy):
    (_packet(copy) / "08_proof_of_service.docx").unlink()
    r = verify_folder(_packet(copy))
    assert r.code == 1 and (3, "08_proof_of_service.docx") in _failed(r)
    assert "missing" in r.message


def test_extra_file_is_found_but_os_clutter_is_ignored(copy):
    pdir = _packet(copy)
    (pdir / "Thumbs.db").write_bytes(b"x")
    (pdir / ".DS_Store").write_bytes(b"x")
    (copy / "desktop.ini").write_text("x")
    assert verify_folder(pdir).ok and verify_folder(copy).ok
    (pdir / "notes.txt").write_text("not part of it")
    r = verify_folder(pdir)
    assert r.code == 1 and (4, "notes.txt") in _failed(r)
    assert "not part of the packet" in r.message
    r = verify_folder(copy)
    assert r.code == 1 and any(c.file.endswith("notes.txt") and c.number == 4 for c in r.problems)


def test_sums_disagreeing_with_manifest(copy):
    pdir = _packet(copy)
    sums = (pdir / "SHA256SUMS").read_text().splitlines()
    sums = [("0" * 64 + line[64:]) if line.endswith("court_data.xlsx") else line for line in sums]
    (pdir / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    r = verify_folder(pdir)
    assert r.code == 1 and (2, "court_data.xlsx") in _failed(r)


def test_court_data_rows_must_match_manifest(copy):
    import json

    pdir = _packet(copy)
    m = json.loads((pdir / "manifest.json").read_text())
    m["rows"]["A"]["total"] += 1
    (pdir / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
    r = verify_folder(pdir)
    assert any(c.number == 5 and "exhibit A" in c.message for c in r.problems)


def test_partial_folder_fails_check_6(copy, tmp_path):
    partial = tmp_path / ".CMR-LA-20200703-101530.partial"
    copy.rename(partial)
    r = verify_folder(partial)
    assert r.code == 1 and any(c.number == 6 for c in r.problems)


def test_not_a_packet(tmp_path):
    assert verify_folder(tmp_path / "nope").code == 2
    (tmp_path / "x").mkdir()
    assert verify_folder(tmp_path / "x").code == 2
    (tmp_path / "x" / "manifest.json").write_text("{not json")
    r = verify_folder(tmp_path / "x")
    assert (r.ok, r.code) == (False, 2)
    (tmp_path / "x" / "manifest.json").write_text('{"manifest_version": 99, "files": []}')
    assert verify_folder(tmp_path / "x").code == 2


def test_cli_exit_codes(copy, tmp_path, capsys):
    assert main([str(copy)]) == 0
    assert "complete and intact" in capsys.readouterr().out
    (_packet(copy) / "extra.bin").write_bytes(b"1")
    assert main([str(copy)]) == 1
    assert main([str(tmp_path / "missing")]) == 2


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_sha256sum_c_passes(copy):
    for root in (copy, _packet(copy)):
        res = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=root, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
