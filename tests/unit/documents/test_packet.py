"""Splitting into packets and exhibits, row order, identity and formats (motion-packets §3, §4, §6.4)."""

import hashlib

import packet_builders as pb
import pytest

from clearmyrecord_desktop.documents import packet as pk
from clearmyrecord_desktop.documents.templates import TemplateRegistry
from clearmyrecord_desktop.settings import AgencySettings, document_settings_sha256


def test_natural_key_orders_digit_runs_as_numbers():
    values = ["LA10", "LA2", "LA2000", "BA 100", "LA02", "A9", "A10B", "A10A", "", "LA2A"]
    ordered = sorted(values, key=pk.natural_key)
    assert ordered.index("LA2") < ordered.index("LA2A") < ordered.index("LA10") < ordered.index("LA2000")
    assert ordered.index("A9") < ordered.index("A10A") < ordered.index("A10B")


def test_natural_key_sql_matches_python(ws):
    values = ["LA10", "LA2", "LA2000", "BA 100", "LA02", "A9", "A10B", "A10A", "", "X0", "X00001", "99", "9A",
              "12345678901234567890123", "a-1", "Z"]
    cur = ws.cursor()
    try:
        rows = cur.execute(
            f"SELECT v FROM (SELECT unnest(?::VARCHAR[]) AS v) ORDER BY {pk.natural_key_sql('v')}, v",
            [values]).fetchall()
    finally:
        cur.close()
    assert [r[0] for r in rows] == sorted(values, key=lambda v: (pk.natural_key(v), v))


def test_count_key_and_row_id():
    assert pk.count_key("1000001", "001002001000") == hashlib.sha256(b"1000001|001002001000").hexdigest()[:16]
    assert pk.row_id("A", 17) == "A-00017"
    assert pk.row_id("A2", 4) == "A2-00004"
    assert pk.row_id("CH", 3) == "CH-00003"
    assert pk.row_id("A", 123456) == "A-123456"
    assert pk.count_number("001002013000") == 13


@pytest.mark.parametrize("value, printed, data", [
    ("2010-05-04", "05/04/2010", "2010-05-04"),
    ("1950-03", "03/1950", "1950-03"),
    ("1996", "1996", "1996"),
    ("unknown", "\u2014", ""),
    ("", "\u2014", ""),
    (None, "\u2014", ""),
    ("19850600", "06/1985", "1985-06"),
])
def test_date_formats(value, printed, data):
    assert pk.print_date(value) == printed
    assert pk.data_date(value) == data


def _plan(ws, s, kind="draft"):
    return pk.plan_export(ws, 1, s, kind=kind)


def test_one_packet_per_courthouse_with_fixed_exhibit_letters(ws, settings):
    plan = _plan(ws, settings)
    by_ch = {p.ch_code: p for p in plan.packets}
    assert sorted(by_ch) == ["LAC", "LB", "VNY"]
    vny = by_ch["VNY"]
    assert [(e.id, e.total) for e in vny.exhibits] == [("A", 2), ("B", 1), ("C", 1)]
    assert vny.challenge.total == 2
    lb = by_ch["LB"]
    # reviewer: hand_review -> dismiss (A); engine dismiss -> reviewer challenge (CH)
    assert [(e.id, e.total) for e in lb.exhibits] == [("A", 2), ("C", 1)]
    assert lb.challenge.total == 1
    assert by_ch["LAC"].challenge is None
    assert plan.open_total == 1 and plan.referred == 1
    assert plan.open_by_courthouse == {"VNY": 1}
    assert not plan.unmapped


def test_exhibit_file_names():
    assert pk.ExhibitPlan("A", "A").file_name == "04_exhibit_A_dismiss_and_seal.docx"
    assert pk.ExhibitPlan("B2", "B").file_name == "05_exhibit_B2_reduce_to_misdemeanor.docx"
    assert pk.ExhibitPlan("C", "C").file_name == "06_exhibit_C_reduce_to_infraction.docx"
    assert pk.ExhibitPlan("CH", "CH").file_name == "07_challenge_list.docx"


def _rows(ws, plan, code):
    packet = next(p for p in plan.packets if p.ch_code == code)
    return packet, list(pk.iter_packet_rows(ws, plan, packet))


def test_rows_are_in_spec_order_and_numbered(ws, settings):
    plan = _plan(ws, settings)
    _, rows = _rows(ws, plan, "VNY")
    assert [(r.exhibit, r.row_id, r.case_number, r.count) for r in rows] == [
        ("A", "A-00001", "LA10", 1),
        ("A", "A-00002", "LA2000", 1),
        ("B", "B-00001", "LA10", 2),
        ("C", "C-00001", "LA2", 1),
        ("CH", "CH-00001", "BA 100", 1),
        ("CH", "CH-00002", "LA77", 1),
    ]
    assert len({r.row_id for r in rows}) == len(rows)


def test_row_source_gives_the_same_rows(ws, settings):
    plan = _plan(ws, settings)
    direct = {p.ch_code: [r.canonical() for r in pk.iter_packet_rows(ws, plan, p)] for p in plan.packets}
    with pk.RowSource(ws, plan) as src:
        plan.source = src
        staged = {p.ch_code: [r.canonical() for r in pk.iter_packet_rows(ws, plan, p)] for p in plan.packets}
        # a consumer that stops early leaves the cursor usable
        first = next(iter(pk.iter_packet_rows(ws, plan, plan.packets[0])))
        assert first.row_no == 1
        again = [r.canonical() for r in pk.iter_packet_rows(ws, plan, plan.packets[0])]
    plan.source = None
    assert direct == staged
    assert again == direct[plan.packets[0].ch_code]


def test_row_formats(ws, settings):
    plan = _plan(ws, settings)
    _, rows = _rows(ws, plan, "VNY")
    a2 = rows[1]
    values = a2.exhibit_values()
    assert values[1] == "VNY Van Nuys"
    assert values[3] == "O'BRIEN & SONS, MARY <JR>"
    assert values[4] == "03/1950"
    assert values[9] == "F"
    assert values[12] == "Dismiss & seal"
    assert values[13] == "Redesig."
    assert values[14] == "Policy: 50 years or older; floor: Reduce to misd."
    assert a2.policy_rule == "policy.criterion.age_50"
    c1 = rows[3]
    assert c1.name == "GARCIA, ANA MARIA"          # spacing normalised
    assert c1.exhibit_values()[10] == "02/2013"
    b1 = rows[2]
    assert b1.exhibit_values()[11] == "Serving" and b1.exhibit_values()[13] == "Resent."
    csv = dict(zip([c for c, _ in pk.COURT_DATA_COLUMNS], a2.court_data_values("PID")))
    assert csv["dob"] == "1950-03" and csv["level"] == "felony" and csv["relief"] == "dismiss_and_seal"
    assert csv["statutory_floor"] == "reduce_to_misdemeanor" and csv["basis"] == "policy"


def test_challenge_grounds_and_evidence(ws, settings):
    plan = _plan(ws, settings)
    _, rows = _rows(ws, plan, "VNY")
    ch = [r for r in rows if r.exhibit == "CH"]
    assert ch[0].ground == "Prior super strike (PC \u00a7\u00a0667(e)(2)(C)(iv))"
    assert ch[0].evidence == "187(A) PC conviction 11/20/2000, case BA041776"
    assert ch[1].ground == "Offense on or after 9 Nov 2016"
    _, lb = _rows(ws, plan, "LB")
    reviewer = [r for r in lb if r.exhibit == "CH"][0]
    assert reviewer.ground.startswith("Unreasonable risk of danger")
    assert reviewer.evidence.startswith("Declaration of Officer Example")


def test_reviewer_grant_and_bar_marking(ws, settings):
    plan = _plan(ws, settings)
    _, lb = _rows(ws, plan, "LB")
    granted = {r.subject_id: r for r in lb if r.exhibit != "CH"}
    assert granted["2000002"].basis_text == "Policy: reviewer; floor: none"
    assert granted["2000002"].policy_rule == "reviewer"
    _, lac = _rows(ws, plan, "LAC")
    bar = [r for r in lac if r.subject_id == "3000001"][0]
    assert bar.basis_text.endswith("(bar)")
    no_case = [r for r in lac if r.subject_id == "3000002"][0]
    assert no_case.case_number == "" and lac[-1] is not no_case or True
    # rows without a case number sort after those with one
    a_rows = [r for r in lac if r.exhibit == "A"]
    assert a_rows[-1].subject_id == "3000002"


def test_first_pass_sets_ids_and_stats(ws, settings):
    plan = _plan(ws, settings)
    reg = TemplateRegistry()
    sha = document_settings_sha256(settings)
    for p in plan.packets:
        pk.first_pass(ws, plan, p, reg, template_ids=pk.packet_template_ids(p), settings_sha=sha)
    vny = next(p for p in plan.packets if p.ch_code == "VNY")
    assert vny.packet_id.startswith("LA-VNY-20200701-") and vny.packet_id.endswith("-DRAFT")
    assert len(vny.packet_id.split("-")[3]) == 6
    assert vny.stats.people == 5 and vny.stats.cases == 5
    assert vny.stats.criteria == {"50 years or older": 1}
    assert [sum(e.pages) for e in vny.all_exhibits] == [e.total for e in vny.all_exhibits]


def test_split_by_relief_and_separate_policy_exhibits(ws, settings):
    settings.packets.split_by_relief = True
    settings.packets.policy_exhibits = "separate"
    plan = _plan(ws, settings)
    vny = [p for p in plan.packets if p.ch_code == "VNY"]
    assert [p.segment for p in vny] == ["A", "B", "C", "CH"]
    a = vny[0]
    assert [(e.id, e.total) for e in a.exhibits] == [("A1", 1), ("A2", 1)]
    assert a.exhibits[0].file_name == "04_exhibit_A1_dismiss_and_seal.docx"
    assert a.id_prefix() == "LA-VNY-A"
    assert vny[3].id_prefix() == "LA-VNY-CH" and vny[3].exhibits == []


def test_filing_agency_packets_are_never_mixed(tmp_path, settings):
    counts = pb.standard_counts(with_open=False)
    counts.append(pb.Count("4000001", "001002001000", "VNY", "CA1", "ROUTED, PERSON", "hand_review",
                           statutory="reduce_to_infraction", review_route="city_attorney"))
    reviews = pb.standard_reviews() + [pb.Review("4000001", "001002001000", "dismiss_and_seal", "City attorney grants",
                                                 basis="policy", engine="hand_review")]
    w = pb.build_workspace(tmp_path / "agency.duckdb", counts=counts, reviews=reviews)
    settings.agencies = [AgencySettings(name="Office of the City Attorney (TEST)", role="filing", code="CA",
                                        route="city_attorney", attorney_name="Robin Cityatty",
                                        attorney_title="Deputy City Attorney", bar_number="654321",
                                        address=["200 N Main St"], phone="(213) 555-0200")]
    plan = pk.plan_export(w, 1, settings, kind="draft")
    agency = [p for p in plan.packets if p.agency_code == "CA"]
    assert len(agency) == 1 and agency[0].ch_code == "VNY" and agency[0].granted == 1
    assert agency[0].id_prefix() == "LA-VNY-CA"
    office_vny = next(p for p in plan.packets if p.ch_code == "VNY" and not p.agency_code)
    assert office_vny.granted == 4
    w.close()


def test_unmapped_courthouse_is_reported(ws, settings):
    del settings.courthouses["LAC"]
    plan = _plan(ws, settings)
    assert plan.unmapped == [("", "CASC LOS ANGELES", 4)]
    assert "LAC" not in {p.ch_code for p in plan.packets}
