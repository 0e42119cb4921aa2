"""export_all end to end on the synthetic run (motion-packets §3–§9, acceptance checks §13)."""

import hashlib
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import docx_text as dt
import packet_builders as pb
import pytest

from clearmyrecord_desktop.documents import manifest as mf
from clearmyrecord_desktop.documents.export import build_export, check_gates, export_all
from clearmyrecord_desktop.documents.packet import count_key
from clearmyrecord_desktop.documents.pdf import find_soffice
from clearmyrecord_desktop.documents.templates import TemplateRegistry
from clearmyrecord_desktop.documents.verify import verify_folder
from clearmyrecord_desktop.errors import Cancelled, ExportGateError
from clearmyrecord_desktop.exporters.court_data import iter_xlsx_rows, read_csv_rows
from clearmyrecord_desktop.exporters.delivery import staging_root
from clearmyrecord_desktop.jobs.progress import CancelToken

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "documents"
UPDATE = os.environ.get("CMR_UPDATE_GOLDEN") == "1"
DRAFT_MARK = "DRAFT \u2014 NOT FOR FILING"


def _hashes(root: Path) -> dict[str, str]:
    return {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in mf.walk_files(root)}


def _packet_dirs(result) -> dict[str, Path]:
    return {p.name.split("-")[1]: p for p in sorted((result.export_dir / "packets").iterdir())}


def _module_export(tmp_path_factory, kind: str):
    from clearmyrecord_desktop import paths

    root = tmp_path_factory.mktemp(f"module_{kind}")
    paths.set_basedir(root / "userhome")
    w = pb.build_workspace(root / "ws.duckdb", with_open=(kind == "draft"))
    (root / "usb").mkdir()
    result = export_all(w, 1, root / "usb", kind=kind, settings=pb.make_settings(), clock=pb.fixed_clock())
    paths.set_basedir(None)
    return w, result


@pytest.fixture(scope="module")
def final_module(tmp_path_factory):
    w, result = _module_export(tmp_path_factory, "final")
    yield w, result
    w.close()


@pytest.fixture(scope="module")
def draft_module(tmp_path_factory):
    w, result = _module_export(tmp_path_factory, "draft")
    yield w, result
    w.close()


@pytest.fixture
def final_export(final_module):
    return final_module[1]


@pytest.fixture
def draft_export(draft_module):
    return draft_module[1]


def test_final_export_layout(final_module):
    ws_final, r = final_module
    assert r.export_dir.name == "CMR-LA-20200703-101530"
    assert r.verified and not r.problems
    assert sorted(p.split("-")[1] for p in r.packet_ids) == ["LAC", "LB", "VNY"]
    assert all(re.fullmatch(r"LA-[A-Z]+-20200701-[0-9A-F]{6}", p) for p in r.packet_ids)
    vny = _packet_dirs(r)["VNY"]
    assert sorted(p.name for p in vny.iterdir()) == [
        "00_README_for_clerk.txt", "01_cover_sheet.docx", "02_notice_and_motion.docx", "03_proposed_order.docx",
        "04_exhibit_A_dismiss_and_seal.docx", "05_exhibit_B_reduce_to_misdemeanor.docx",
        "06_exhibit_C_reduce_to_infraction.docx", "07_challenge_list.docx", "08_proof_of_service.docx",
        "SHA256SUMS", "court_data.csv", "court_data.xlsx", "manifest.json"]
    lac = _packet_dirs(r)["LAC"]
    assert not (lac / "07_challenge_list.docx").exists()          # no challenged counts there
    assert not (lac / "06_exhibit_C_reduce_to_infraction.docx").exists()   # empty exhibit not written
    for rel in r.files:
        assert re.fullmatch(r"[A-Za-z0-9_.\-/]+", rel) and len(rel) < 160
        assert all(len(part) < 64 for part in rel.split("/"))
    rec = ws_final.query("SELECT kind, packet_ids, verified FROM export_record")
    assert rec[0][0] == "final" and json.loads(rec[0][1]) == r.packet_ids and rec[0][2] is True
    assert not any((r.export_dir.parent.parent / "userhome" / "staging").iterdir())


def test_manifest_contents(final_export):
    vny = _packet_dirs(final_export)["VNY"]
    m = json.loads((vny / "manifest.json").read_text(encoding="utf-8"))
    assert list(m) == ["manifest_version", "kind", "packet_id", "generated_at", "app", "county", "courthouse",
                       "filing_agency", "as_of_date", "run_id", "ruleset", "policy", "templates", "settings_sha256",
                       "inputs", "rows", "court_data", "files"]
    assert m["kind"] == "final" and m["generated_at"] == "2020-07-03T10:15:30-07:00"
    assert m["rows"]["A"] == {"total": 2, "statute": 1, "policy": 1}
    assert m["rows"]["challenge"] == 2 and m["rows"]["people"] == 5
    assert m["court_data"]["csv_rows"] == 4
    assert {t["id"] for t in m["templates"]} >= {"exhibit", "notice_and_motion", "cover_sheet"}
    assert all(t["source"] == "builtin" for t in m["templates"])
    assert [f["path"] for f in m["files"]] == sorted(f["path"] for f in m["files"])
    assert "manifest.json" not in [f["path"] for f in m["files"]]
    sums = (vny / "SHA256SUMS").read_text(encoding="utf-8")
    assert sums.endswith("\n") and "\r" not in sums
    assert "  manifest.json\n" in sums
    raw = (vny / "manifest.json").read_bytes()
    assert b"\r" not in raw and raw.startswith(b'{\n  "manifest_version": 1,')


def test_court_data_rows_equal_exhibit_rows(final_export):
    for code, pdir in _packet_dirs(final_export).items():
        header, csv_rows = read_csv_rows(pdir / "court_data.csv")
        col = {c: i for i, c in enumerate(header)}
        from_docs = []
        for ex in sorted(pdir.glob("0[4-6]_exhibit_*.docx")):
            letter = ex.name.split("_")[2]
            for values in dt.data_rows(ex):
                from_docs.append((letter, values[0], values[2], values[3], values[5], values[6], values[7], values[8]))
        from_csv = [(r[col["exhibit"]], r[col["row_no"]], r[col["court_case_number"]], r[col["name"]],
                     r[col["cii_number"]], r[col["subject_id"]], r[col["count"]], r[col["code_section"]])
                    for r in csv_rows]
        assert from_docs == from_csv, code
        assert [r[col["row_id"]] for r in csv_rows] == [f"{r[0]}-{int(r[1]):05d}" for r in from_csv]
        xlsx = list(iter_xlsx_rows(pdir / "court_data.xlsx"))
        assert xlsx[0] == header
        assert [x + [""] * (len(header) - len(x)) for x in xlsx[1:]] == csv_rows


def test_every_granted_count_appears_exactly_once(final_module):
    ws_final, final_export = final_module
    keys = []
    for pdir in _packet_dirs(final_export).values():
        header, rows = read_csv_rows(pdir / "court_data.csv")
        keys += [r[header.index("count_key")] for r in rows]
    granted = ws_final.query("""SELECT subject_id, cnt_order FROM count_final WHERE run_id = 1 AND final_determination
                                IN ('dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction')""")
    assert sorted(keys) == sorted(count_key(s, c) for s, c in granted)
    assert len(keys) == len(set(keys))


def test_fresh_export_verifies(final_export):
    result = verify_folder(final_export.export_dir)
    assert result.ok and result.code == 0, result.message
    for pdir in _packet_dirs(final_export).values():
        res = verify_folder(pdir)
        assert res.ok, res.message
        assert res.message.startswith(f"Packet {pdir.name} is complete and intact (")


def test_reexport_is_byte_identical(ws_final, settings, clock, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    r1 = export_all(ws_final, 1, a, kind="final", settings=settings, clock=clock)
    r2 = export_all(ws_final, 1, b, kind="final", settings=settings, clock=clock)
    assert r1.packet_ids == r2.packet_ids
    assert _hashes(r1.export_dir) == _hashes(r2.export_dir)


def test_template_word_change_changes_packet_id(ws, settings, clock, tmp_path, out_dir):
    base = TemplateRegistry(office_dir=False)
    r1 = export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock, registry=base, what="packets")
    copy = tmp_path / "tpl"
    shutil.copytree(base.builtin_dir, copy, ignore=shutil.ignore_patterns("*.py"))
    motion = copy / "02_notice_and_motion.docx"
    with zipfile.ZipFile(motion) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"The People consent", b"The People agree")
    with zipfile.ZipFile(motion, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    other = tmp_path / "usb2"
    other.mkdir()
    r2 = export_all(ws, 1, other, kind="draft", settings=settings, clock=clock,
                    registry=TemplateRegistry(builtin_dir=copy, office_dir=False), what="packets")
    assert set(r1.packet_ids).isdisjoint(r2.packet_ids)
    assert [p.rsplit("-", 2)[0] for p in r1.packet_ids] == [p.rsplit("-", 2)[0] for p in r2.packet_ids]
    text = dt.body_text(next((r2.export_dir / "packets").glob("LA-VNY-*")) / "02_notice_and_motion.docx")
    assert "The People agree" in text


def test_office_template_override_is_recorded(ws, settings, clock, out_dir, isolated_user_folders):
    from clearmyrecord_desktop import paths

    base = TemplateRegistry(office_dir=False)
    shutil.copy(base.builtin_dir / "08_proof_of_service.docx", paths.user_dir("templates") / "08_proof_of_service.docx")
    r = export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock)
    m = json.loads((next((r.export_dir / "packets").iterdir()) / "manifest.json").read_text(encoding="utf-8"))
    sources = {t["id"]: t["source"] for t in m["templates"]}
    assert sources["proof_of_service"] == "office" and sources["exhibit"] == "builtin"


def test_settings_change_changes_packet_id_only_when_on_paper(ws, settings, clock, tmp_path):
    def ids(s, name):
        d = tmp_path / name
        d.mkdir()
        return export_all(ws, 1, d, kind="draft", settings=s, clock=clock, what="packets").packet_ids

    first = ids(settings, "a")
    settings.output.pdf = True           # not on paper
    settings.summary.suppress_below = 5  # not in packets
    assert ids(settings, "b") == first
    settings.office.phone = "(213) 555-0199"
    assert set(ids(settings, "c")).isdisjoint(first)


def test_final_refused_with_open_counts(ws, settings, clock, out_dir):
    with pytest.raises(ExportGateError) as info:
        export_all(ws, 1, out_dir, kind="final", settings=settings, clock=clock)
    report = info.value.report
    gate2 = [f for f in report.failures if f.gate == 2]
    assert gate2 and "1 open count" in gate2[0].message
    assert "LA99" in gate2[0].items[0] and "Possible disqualifier" in gate2[0].items[0]
    assert "LA99" not in str(info.value)          # no record data in the error message itself
    assert list(out_dir.iterdir()) == []
    assert list(staging_root().iterdir()) == []


def test_check_gates_for_the_dialog(ws, settings):
    gates = check_gates(ws, 1, kind="final", settings=settings)
    assert [g["gate"] for g in gates] == [1, 2, 3, 4, 5, 6]
    assert [g["ok"] for g in gates] == [True, False, True, True, True, True]
    assert all(g["ok"] for g in check_gates(ws, 1, kind="draft", settings=settings))


def test_gate_1_run_not_current(ws_final, settings, clock, out_dir):
    pb.insert_reviews_from(ws_final, [("3000004", "001002001000")], 50)
    ws_final.query("SELECT 1")
    with ws_final.write() as cur:
        cur.execute("UPDATE review_decision SET decided_at = TIMESTAMP '2020-07-02 12:00:00' WHERE decision_id = 51")
    with pytest.raises(ExportGateError) as info:
        export_all(ws_final, 1, out_dir, kind="final", settings=settings, clock=clock)
    assert [f.gate for f in info.value.report.failures] == [1]
    export_all(ws_final, 1, out_dir, kind="draft", settings=settings, clock=clock, what="packets")  # drafts skip gate 1


def test_gates_3_4_6(ws_final, settings, clock, out_dir):
    settings.policy.authority_text = ""
    settings.public_defender.service_email = ""
    del settings.courthouses["LB"]
    with ws_final.write() as cur:
        cur.execute("UPDATE count_result SET name = '=HYPERLINK(1)' WHERE subject_id = '3000003'")
    with pytest.raises(ExportGateError) as info:
        export_all(ws_final, 1, out_dir, kind="final", settings=settings, clock=clock)
    failures = {f.gate: f for f in info.value.report.failures}
    assert sorted(failures) == [3, 4, 6]
    assert any("CASC LONG BEACH" in i for i in failures[3].items)
    assert "public_defender.service_email" in failures[3].keys
    assert "policy.authority_text" in failures[4].keys
    assert "name" in failures[6].items[0]
    with pytest.raises(ExportGateError) as info:
        export_all(ws_final, 1, out_dir, kind="draft", settings=settings, clock=clock)
    assert sorted(f.gate for f in info.value.report.failures) == [3, 6]


def test_draft_is_marked_everywhere(draft_export):
    r = draft_export
    assert all(p.endswith("-DRAFT") for p in r.packet_ids)
    docs = list(r.export_dir.rglob("*.docx"))
    assert len(docs) > 10
    for doc in docs:
        headers = dt.header_texts(doc)
        assert headers and all(DRAFT_MARK in h for h in headers), doc.name
    vny = _packet_dirs(r)["VNY"]
    assert json.loads((vny / "manifest.json").read_text(encoding="utf-8"))["kind"] == "draft"
    cover = dt.body_text(vny / "01_cover_sheet.docx")
    assert "counts awaiting review (open) left out of this packet: 1" in cover
    # open counts are left out of drafts
    _, rows = read_csv_rows(vny / "court_data.csv")
    assert "LA99" not in {r[8] for r in rows}
    assert DRAFT_MARK in (vny / "00_README_for_clerk.txt").read_text(encoding="utf-8")


def test_final_is_not_marked_draft(final_export):
    for doc in final_export.export_dir.rglob("*.docx"):
        assert all("DRAFT" not in h for h in dt.header_texts(doc)), doc.name


def test_confidential_marking_on_documents_that_list_people(final_export, settings):
    vny = _packet_dirs(final_export)["VNY"]
    marked = ["01_cover_sheet.docx", "04_exhibit_A_dismiss_and_seal.docx", "07_challenge_list.docx",
              "08_proof_of_service.docx"]
    for name in marked:
        assert any(settings.marking.confidential_text in h for h in dt.header_texts(vny / name)), name
    for doc in vny.glob("*.docx"):
        footers = dt.footer_texts(doc)
        assert any(re.search(r"Packet LA-VNY-\S+ \u00b7 .+ \u00b7 Page \{PAGE\} of \{NUMPAGES\}", f) for f in footers)


def test_repeated_header_rows_and_pagination(final_export):
    vny = _packet_dirs(final_export)["VNY"]
    for name in ("04_exhibit_A_dismiss_and_seal.docx", "07_challenge_list.docx"):
        with zipfile.ZipFile(vny / name) as zf:
            xml = zf.read("word/document.xml").decode()
        assert xml.count("<w:tblHeader/>") == xml.count("<w:tbl>") >= 1
        assert re.search(r"Rows 1\u2013\d+ of \d+", xml)


def _identifiers(ws):
    rows = ws.query("SELECT name, dob, cii_number, case_number FROM count_result WHERE run_id = 1")
    values = set()
    for name, dob, cii, case in rows:
        values.add(name.split(",")[0])
        values.add(cii)
        if case:
            values.add(case)
        if dob and len(dob) == 10:
            values.add(f"{dob[5:7]}/{dob[8:10]}/{dob[:4]}")
    return values


def test_motion_and_order_hold_no_personal_identifiers(final_module):
    ws_final, final_export = final_module
    idents = _identifiers(ws_final)
    for pdir in _packet_dirs(final_export).values():
        for name in ("02_notice_and_motion.docx", "03_proposed_order.docx"):
            text = dt.all_text(pdir / name)
            found = [v for v in idents if re.search(r"(?<![A-Za-z0-9])" + re.escape(v) + r"(?![A-Za-z0-9])", text)]
            assert not found, (pdir.name, name, found)


def test_never_printed_in_court_documents(tmp_path, settings, clock, out_dir):
    w = pb.build_workspace(tmp_path / "pii.duckdb", with_open=False)
    with w.write() as cur:
        cur.execute("""UPDATE doj_row SET "PRI_SSN" = '999-12-3456', "PRI_CDL" = 'CDLSENTINEL7', "FBI_NUMBER" = 'FBISENTINEL9',
                       "GENDER" = 'GENDERSENTINEL', "RACE_DESCR" = 'RACESENTINEL', "REQ_SSN" = '999-12-3456'
                       WHERE d_subject_id = '1000001'""")
    r = export_all(w, 1, out_dir, kind="final", settings=settings, clock=clock)
    sentinels = ["999-12-3456", "CDLSENTINEL7", "FBISENTINEL9", "GENDERSENTINEL", "RACESENTINEL", "WHITE", "HISPANIC"]
    for path in (r.export_dir / "packets").rglob("*"):
        if path.is_file():
            text = dt.all_text(path) if path.suffix in (".docx", ".xlsx") else path.read_text("utf-8", "replace")
            assert not [s for s in sentinels if s in text], path.name
    # race appears only in the summary report, labelled as recorded by DOJ
    summary = dt.body_text(r.export_dir / "summary" / "summary_report.docx")
    assert "RACESENTINEL" in summary and "as recorded by DOJ" in summary
    w.close()


def test_names_with_ampersand_and_angle_brackets(final_export):
    vny = _packet_dirs(final_export)["VNY"]
    rows = dt.data_rows(vny / "04_exhibit_A_dismiss_and_seal.docx")
    assert rows[1][3] == "O'BRIEN & SONS, MARY <JR>"


def test_cancel_leaves_nothing(ws, settings, clock, out_dir):
    token = CancelToken()

    class CancelAfter:
        n = 0

        def update(self, done, total, message=""):
            self.n += 1
            if self.n == 3:
                token.cancel()

    with pytest.raises(Cancelled):
        export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock, progress=CancelAfter(), cancel=token)
    assert list(out_dir.iterdir()) == []
    assert list(staging_root().iterdir()) == []


def test_per_case_documents_in_packet(ws, settings, clock, out_dir):
    settings.courthouses["LB"].per_case_orders = True
    r = export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock)
    lb = _packet_dirs(r)["LB"]
    files = sorted((lb / "per_case" / "0001").iterdir())
    assert [f.name.split("_")[0] for f in files] == ["NA0123", "NA0124", "NA0125", "NA9"]
    m = json.loads((lb / "manifest.json").read_text(encoding="utf-8"))
    assert sum(1 for f in m["files"] if f["role"] == "per_case") == 4
    text = dt.body_text(files[-1])
    assert "Not included; see Notice of Challenge" in text and "BROWN, ALEX" in text
    assert verify_folder(lb).ok


def test_options_bom_and_challenge_csv(ws, settings, clock, out_dir):
    settings.court_data.bom = True
    settings.court_data.challenges_csv = True
    r = export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock, what="packets")
    vny = _packet_dirs(r)["VNY"]
    assert (vny / "court_data.csv").read_bytes().startswith(b"\xef\xbb\xbfpacket_id,")
    header, rows = read_csv_rows(vny / "challenge_list.csv")
    assert header[-2:] == ["ground", "evidence"] and len(rows) == 2
    assert not (r.export_dir / "summary").exists()
    assert verify_folder(r.export_dir).ok


def test_report_only_export(ws, settings, clock, out_dir):
    r = export_all(ws, 1, out_dir, kind="final", settings=settings, clock=clock, what="report")
    assert r.packet_ids == [] and not (r.export_dir / "packets").exists()
    assert (r.export_dir / "summary" / "summary_report.docx").is_file()
    assert verify_folder(r.export_dir).ok


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_optional_pdfs(ws, settings, clock, out_dir):
    settings.courthouses = {k: v for k, v in settings.courthouses.items()}
    r = export_all(ws, 1, out_dir, kind="draft", settings=settings, clock=clock, pdf=True)
    assert not r.problems, r.problems
    vny = _packet_dirs(r)["VNY"]
    pdfs = sorted(p.name for p in (vny / "pdf").iterdir())
    assert "04_exhibit_A_dismiss_and_seal.pdf" in pdfs and len(pdfs) == 8
    m = json.loads((vny / "manifest.json").read_text(encoding="utf-8"))
    assert sum(1 for f in m["files"] if f["role"] == "pdf") == 8
    assert (r.export_dir / "summary" / "summary_report.pdf").is_file()
    assert verify_folder(r.export_dir).ok


# -- golden text ---------------------------------------------------------------------------------------

GOLDEN_DOCS = {
    "VNY": ["01_cover_sheet.docx", "02_notice_and_motion.docx", "03_proposed_order.docx",
            "04_exhibit_A_dismiss_and_seal.docx", "05_exhibit_B_reduce_to_misdemeanor.docx",
            "06_exhibit_C_reduce_to_infraction.docx", "07_challenge_list.docx", "08_proof_of_service.docx",
            "00_README_for_clerk.txt", "court_data.csv"],
    "LAC": ["04_exhibit_A_dismiss_and_seal.docx", "02_notice_and_motion.docx"],
}


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), f"golden {name} differs (CMR_UPDATE_GOLDEN=1 to update)"


@pytest.mark.parametrize("code, name", [(c, n) for c, names in GOLDEN_DOCS.items() for n in names])
def test_golden_text(final_export, code, name):
    path = _packet_dirs(final_export)[code] / name
    if name.endswith(".docx"):
        text = dt.normalised_text(path)
    else:
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\u21b5\n")
    _golden(f"final_{code}_{name.rsplit('.', 1)[0]}.txt", text)


def test_golden_summary(final_export):
    _golden("final_summary_report.txt", dt.normalised_text(final_export.export_dir / "summary" / "summary_report.docx"))


def test_golden_export_manifest_shape(final_export):
    m = json.loads((final_export.export_dir / "export_manifest.json").read_text(encoding="utf-8"))
    assert m["export_id"] == "CMR-LA-20200703-101530" and m["kind"] == "final"
    assert [p["packet_id"] for p in m["packets"]] == final_export.packet_ids
    assert "summary/summary_report.docx" in m["summary"]
    assert {f["path"] for f in m["files"]} == set(final_export.files) - {"export_manifest.json", "SHA256SUMS"}


def test_build_without_delivery_keeps_destination_untouched(ws, settings, clock, out_dir):
    staged, info = build_export(ws, 1, kind="draft", settings=settings, clock=clock)
    assert staged.is_dir() and (staged / "export_manifest.json").is_file()
    assert list(out_dir.iterdir()) == []
    assert info.packet_ids and info.gates.ok
