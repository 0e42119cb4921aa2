"""Per-case documents (§11) and the office settings (§7)."""

import json

import docx_text as dt
import packet_builders as pb
import pytest

from clearmyrecord_desktop import settings as st
from clearmyrecord_desktop.documents.export import export_all
from clearmyrecord_desktop.documents.per_case import write_per_case_document
from clearmyrecord_desktop.errors import ExportGateError, SettingsError


def test_spot_check_document_has_watermark_and_manifest(ws, settings, clock, tmp_path):
    r = write_per_case_document(ws, 1, "1000001", "LA10", tmp_path, settings=settings, clock=clock)
    assert r.spot_check and r.counts == 2 and r.path.name == f"LA10_{r.count_keys[0]}.docx"
    headers = "\n".join(dt.header_texts(r.path))
    assert "SPOT-CHECK COPY \u2014 NOT FOR FILING" in headers
    assert "SPOT-CHECK COPY \u2014 NOT FOR FILING" in dt.all_text(r.path)   # the watermark shape
    body = dt.body_text(r.path)
    assert "SMITH, JOHN" in body and "LA10" in body and "01/02/1970" in body and "A01234567" in body
    assert "\u2612\u00a0Petition for recall" in body and "\u2612\u00a0Application to redesignate" in body
    rows = dt.data_rows(r.path)[1:]            # the first table is the caption
    assert [row[0] for row in rows] == ["1", "2"]
    assert rows[1][4] == "Reduce to misdemeanor"
    m = json.loads(r.manifest_path.read_text(encoding="utf-8"))
    assert m["kind"] == "spot_check" and m["count_keys"] == r.count_keys
    assert m["files"][0]["path"] == r.path.name


def test_challenged_counts_are_listed_as_not_included(ws, settings, clock, tmp_path):
    r = write_per_case_document(ws, 1, "2000004", "NA9", tmp_path, settings=settings, clock=clock)
    assert dt.data_rows(r.path)[1][4] == "Not included; see Notice of Challenge"


def test_no_watermark_once_the_run_has_a_final_packet(ws_final, settings, clock, tmp_path):
    (tmp_path / "usb").mkdir()
    export = export_all(ws_final, 1, tmp_path / "usb", kind="final", settings=settings, clock=clock, what="packets")
    r = write_per_case_document(ws_final, 1, "1000001", "LA10", tmp_path, settings=settings, clock=clock)
    assert not r.spot_check and r.manifest_path is None
    assert "SPOT-CHECK" not in "\n".join(dt.header_texts(r.path))
    vny_id = next(p for p in export.packet_ids if "-VNY-" in p)
    assert vny_id in "\n".join(dt.footer_texts(r.path))


def test_unknown_case_is_refused(ws, settings, tmp_path):
    with pytest.raises(ExportGateError):
        write_per_case_document(ws, 1, "1000001", "NOPE", tmp_path, settings=settings)


# -- settings -------------------------------------------------------------------------------------------

def test_defaults():
    s = st.Settings()
    assert s.marking.confidential_text == st.DEFAULT_CONFIDENTIAL_TEXT
    assert s.signature.mode == "blank" and s.packets.policy_exhibits == "combined"
    assert s.summary.suppress_below == 0 and s.court_data.bom is False


def test_save_and_load_round_trip(ws, settings):
    assert st.load_settings(ws) == st.Settings()
    st.save_settings(ws, settings)
    assert st.load_settings(ws) == settings
    rows = dict(ws.query("SELECT key, value FROM setting"))
    assert json.loads(rows["settings.schema_version"]) == 1
    assert json.loads(rows["settings.county"]) == {"code": "LA", "name": "Los Angeles"}
    with ws.write() as cur:
        cur.execute("INSERT INTO setting VALUES ('ui.something', '1')")   # other owners' keys are ignored
    assert st.load_settings(ws) == settings


def test_strict_loading_reports_every_problem():
    data = st.settings_to_dict(st.Settings())
    data["office"]["fax"] = "x"
    data["signature"]["mode"] = "wet"
    data["summary"]["suppress_below"] = "5"
    data["bogus"] = {}
    with pytest.raises(SettingsError) as info:
        st.settings_from_dict(data)
    msg = str(info.value)
    for part in ("office.fax: unknown setting", "signature.mode: must be one of", "summary.suppress_below: expected",
                 "bogus: unknown setting"):
        assert part in msg


def test_newer_schema_is_refused():
    with pytest.raises(SettingsError, match="newer version"):
        st.settings_from_dict({"schema_version": 2})


def test_stored_bad_json_is_a_settings_error(ws):
    with ws.write() as cur:
        cur.execute("INSERT INTO setting VALUES ('settings.office', '{oops')")
    with pytest.raises(SettingsError):
        st.load_settings(ws)


def test_json_file_round_trip(settings):
    assert st.settings_from_json(st.settings_to_json(settings)) == settings
    with pytest.raises(SettingsError):
        st.settings_from_json("[1]")


def test_required_missing():
    s = st.Settings()
    keys = [m.key for m in st.required_missing(s, ["VNY"], need_pd=True, need_authority=True)]
    for key in ("office.agency_name", "office.attorney.bar_number", "county.code", "court.name", "courthouses.VNY",
                "public_defender.service_email", "policy.authority_text"):
        assert key in keys
    assert "marking.confidential_text" not in keys          # has a default
    full = pb.make_settings()
    assert st.required_missing(full, ["VNY", "LB", "LAC"], need_pd=True, need_authority=True) == []
    full.courthouses["VNY"].ori_codes = []
    assert [m.key for m in st.required_missing(full, ["VNY"], False, False)] == ["courthouses.VNY.ori_codes"]


def test_document_settings_hash():
    a = pb.make_settings()
    h = st.document_settings_sha256(a)
    a.output.pdf = True
    a.libreoffice.path = "/x"
    a.summary.suppress_below = 10
    assert st.document_settings_sha256(a) == h
    a.marking.extra_line = "SEALED RECORDS"
    assert st.document_settings_sha256(a) != h


def test_draft_courthouse_entries(ws, settings):
    drafts = st.draft_courthouse_entries(ws, 1)
    assert set(drafts) == {"CA019015J", "CA019025J", "CASC_LOS_A"}
    assert drafts["CA019015J"].name == "CASC VAN NUYS" and drafts["CA019015J"].ori_codes == ["CA019015J"]
    assert drafts["CASC_LOS_A"].description_match == ["CASC LOS ANGELES"]
    assert st.draft_courthouse_entries(ws, 1, settings=settings) == {}
    assert st.match_courthouse(settings, " ca019015j ", None) == "VNY"
    assert st.match_courthouse(settings, "", "casc  los angeles") == "LAC"


def test_demo_settings_are_complete_and_fake(ws):
    s = st.demo_settings(ws, 1)
    assert "DEMO" in s.office.agency_name and s.office.email.endswith(".invalid")
    assert st.required_missing(s, list(s.courthouses), need_pd=True, need_authority=True) == []
    st.save_settings(ws, s)
    assert st.load_settings(ws) == s


def test_invalid_codes():
    s = pb.make_settings()
    s.courthouses["VN-Y"] = s.courthouses.pop("VNY")
    s.agencies = [st.AgencySettings(name="X", role="filing", code="CH")]
    with pytest.raises(SettingsError) as info:
        st.settings_from_dict(st.settings_to_dict(s))
    assert "courthouses.VN-Y" in str(info.value) and "reserved" in str(info.value)
