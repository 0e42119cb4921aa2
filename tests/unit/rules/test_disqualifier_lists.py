"""D1 super-strike and D2 PC 290(c) lists (eligibility.md §6.3, §6.4)."""

from __future__ import annotations

import hashlib

import pytest

from clearmyrecord_desktop.rules.citation import parse_citation
from clearmyrecord_desktop.rules.disqualifier_lists import (
    LISTS_PATH,
    DisqualifierListError,
    load_lists,
    lists_sha256,
    match_d1_d2,
)

DD = [("D1", "definite"), ("D2", "definite")]
D1 = [("D1", "definite")]
D1P = [("D1", "possible")]
D2 = [("D2", "definite")]
D2P = [("D2", "possible")]


def m(text: str, level: str = "felony") -> list[tuple[str, str]]:
    cit = parse_citation(text)
    assert cit is not None, text
    return match_d1_d2(cit, level)


# --- D1 definite --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["187 PC", "187(A) PC", "188 PC", "189 PC", "189.5 PC", "190 PC", "190.2(A)(17) PC", "190.25 PC", "191 PC",
     "191.5(A) PC", "191.5", "191.5(B) PC"],
)
def test_homicide_range(text):
    assert m(text) == D1


@pytest.mark.parametrize("text", ["191.55 PC", "186.9 PC", "192 PC", "192.5 PC", "190A PC", "187A PC", "1870 PC",
                                  "87 PC", "187 HS", "187 VC"])
def test_outside_homicide_range(text):
    assert m(text) == []


def test_homicide_attempts_are_definite():
    assert m("664/187(A) PC-ATTEMPTED MURDER") == D1
    assert m("664-190 PC") == D1
    assert m("664/191.5 PC") == D1


def test_other_attempts_and_accessories_are_not_d1():
    assert m("664/37 PC") == []
    assert m("664/209 PC") == []
    assert m("664/245(D)(3) PC") == []
    assert m("32/187 PC") == []
    assert m("32 PC") == []
    assert m("664 PC") == []


@pytest.mark.parametrize(
    "text",
    ["37 PC", "128 PC", "205 PC", "209(B)(1) PC", "209.5 PC", "218 PC", "219 PC", "264.1 PC", "269(A)(1) PC",
     "273AB(A) PC", "451.5 PC", "667.61 PC", "667.7 PC", "667.71 PC", "4500 PC", "12308 PC", "12310 PC",
     "18745 PC", "18755 PC", "217.1(B) PC", "11418(B)(1) PC", "11418(B)(2)", "1672(A) MV", "245(D)(3) PC",
     "11418(A)(1) PC", "653F(B) PC", "288(A) PC", "288(B)(1) PC", "286(C)(1) PC", "287(C)(1) PC",
     "288A(C)(1) PC", "289(J) PC", "261(A)(2) PC", "261(A)(6) PC", "262(A)(2) PC", "262(A)(4) PC",
     "286(C)(2) PC", "286(C)(3) PC", "286(D) PC", "287(C)(2) PC", "287(C)(3) PC", "287(D) PC",
     "288A(C)(2) PC", "288A(C)(3) PC", "288A(D) PC", "289(A)(1) PC", "289(A)(2)(C) PC"],
)
def test_d1_definite_entries(text):
    assert ("D1", "definite") in m(text)


@pytest.mark.parametrize(
    "text", ["237 PC", "137 PC", "2370 PC", "37.5 PC", "1205 PC", "2090 PC", "209 VC", "37 HS", "451 PC",
             "217 PC", "11418(C) PC", "245(D)(2) PC", "245 PC", "653G PC", "1672 MV",
             "1672(B) MV", "1672(A) PC", "1672(A)", "273A PC", "273 PC"],
)
def test_not_d1(text):
    assert all(code != "D1" for code, _ in m(text))


def test_gang_compound():
    # GANG: 136.1/186.22(B)(4) PC
    assert m("136.1/186.22(B)(4) PC-DISSUADE WITNESS FOR GANG") == D1
    for other in ("215", "213(A)(1)(A)", "246", "519", "12022.55"):
        assert m(f"{other}/186.22(B)(4) PC") == D1, other
        assert m(f"186.22(B)(4)(C)-{other} PC") == D1, other
    assert m("136.1/186.22(B)(1) PC") == []
    assert m("136.1/186.22 PC") == []
    assert m("213(A)(1)(B)/186.22(B)(4) PC") == []
    assert m("211/186.22(B)(4) PC") == []
    assert m("136.1 PC") == []
    assert m("186.22(B)(4) PC") == []
    assert m("136.1/186.22(B)(4) HS") == []


def test_compound_matched_by_element():
    assert m("261(A)(2)/667.61 PC") == DD
    assert m("187(A)/12022.53(D) PC") == D1
    assert m("459/12022.53 PC") == []


# --- D1 possible ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["207 PC", "207(A) PC", "220 PC", "220(A)(1) PC", "262 PC", "262(A)(3) PC", "286 PC", "287(B)(1) PC",
     "288A PC", "289(B) PC", "288 PC", "288.5 PC", "288.5(A) PC", "288.7(A) PC", "653F PC", "653F(C) PC",
     "217.1 PC", "217.1(A) PC", "261 PC", "261(A)(1) PC", "261(A)(3) PC"],
)
def test_d1_possible_entries(text):
    assert ("D1", "possible") in m(text)


def test_288_only_without_subsection_is_possible():
    assert m("288 PC") == [("D1", "possible"), ("D2", "definite")]
    assert m("288(C)(1) PC") == D2
    assert m("288(A)(1) PC") == DD  # prefix match of (A)


def test_conspiracy_to_definite_entry_is_possible():
    assert m("182(A)(1)/187 PC") == D1P
    assert m("182/37 PC") == D1P
    assert m("182/136.1/186.22(B)(4) PC") == D1P
    assert m("182/207 PC") == []  # target is only a possible entry
    assert m("182 PC") == []


# --- D2 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["236.1(B) PC", "236.1(C)(1) PC", "243.4 PC", "243.4(E)(1) PC", "261(A)(1) PC", "261(A)(3) PC",
     "261(A)(4) PC", "264.1 PC", "266 PC", "266C PC", "266H(B)(1) PC", "266I(B) PC", "266J PC", "267 PC",
     "269 PC", "285 PC", "286 PC", "287(A) PC", "288(C)(1) PC", "288A PC", "288.3(A) PC", "288.4(B) PC",
     "288.5 PC", "288.7 PC", "289 PC", "311.1(A) PC", "311.2(B) PC", "311.2(C) PC", "311.2(D) PC", "311.3 PC",
     "311.4(A) PC", "311.10 PC", "311.11(A) PC", "314(1) PC", "314(2) PC", "647.6(A) PC", "647.6 PC", "647A PC",
     "653F(C) PC"],
)
def test_d2_definite_entries(text):
    assert ("D2", "definite") in m(text, "misdemeanor")


@pytest.mark.parametrize(
    "text",
    ["236.1(A) PC", "243 PC", "266H(A) PC", "266I(A) PC", "311.2(A) PC", "311.5 PC", "314 PC", "314(3) PC",
     "647 PC", "647(B) PC", "647.6 HS", "653F(A) PC", "311 PC", "288.1 PC", "290 PC"],
)
def test_not_d2(text):
    assert all(code != "D2" for code, _ in m(text))


def test_d2_possible_entries():
    assert m("261 PC") == [("D1", "possible"), ("D2", "possible")]
    assert m("261(A)(5) PC") == [("D1", "possible"), ("D2", "possible")]
    assert m("262(A)(1) PC") == [("D1", "possible"), ("D2", "possible")]
    assert m("262 PC") == [("D1", "possible"), ("D2", "possible")]
    assert m("262(A)(3) PC") == D1P
    assert m("272 PC") == D2P
    assert m("272(A)(1) PC") == D2P


def test_288_2_depends_on_level():
    assert m("288.2 PC", "felony") == D2
    assert m("288.2(A) PC", "felony") == D2
    for level in ("misdemeanor", "infraction", "unknown"):
        assert m("288.2 PC", level) == D2P


def test_d2_attempts_and_conspiracies():
    assert m("664/647.6 PC", "misdemeanor") == D2
    assert m("182(A)(1)/311.11 PC") == D2
    assert m("664/272 PC") == D2P
    assert m("182/262(A)(1) PC") == D2P
    assert m("664/288.2 PC", "felony") == D2
    assert m("664/288.2 PC", "misdemeanor") == D2P
    assert m("32/647.6 PC") == []
    # attempt of 288(A): D2 definite, but not D1 (attempts only of homicide)
    assert m("664/288(A) PC") == D2


def test_288a_is_d1_and_d2():
    # eligibility.md §12.3: 288(A) PC gives two tokens
    assert m("288(A) PC-LEWD ACT WITH CHILD UNDER 14") == DD


def test_no_prop64_section_matches():
    for text in ("11357(B) HS", "11358 HS", "11359 HS", "11360(A) HS", "11361(B) HS"):
        assert m(text) == []


def test_result_is_a_fresh_list():
    a = m("288(A) PC")
    a.append(("X", "y"))
    assert m("288(A) PC") == DD


# --- the data file -----------------------------------------------------------------------------------


def test_lists_sha256_is_file_hash():
    assert lists_sha256() == hashlib.sha256(LISTS_PATH.read_bytes()).hexdigest()


def test_every_entry_has_a_clause_comment():
    for line in LISTS_PATH.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("{"):
            assert "#" in line and line.split("#", 1)[1].strip(), line


def test_load_lists_default():
    lists = load_lists()
    assert lists is load_lists()
    assert len(lists.d1.definite) >= 40
    assert lists.d1.compound and lists.d1.compound[0].certainty == "definite"


_MINIMAL = """
schema = 1
[d1]
definite = [{ section = "187" }]
possible = []
[d2]
definite = []
possible = []
"""


def test_load_lists_from_path(tmp_path):
    p = tmp_path / "l.toml"
    p.write_text(_MINIMAL, encoding="utf-8")
    lists = load_lists(p)
    assert lists.d1.definite[0].section == "187"
    assert lists.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('{ section = "187" }', '{ section = "187", why = "x" }', "unknown key 'why'"),
        ("schema = 1", "schema = 1\nextra = 2", "unknown key 'extra'"),
        ("schema = 1", "schema = 2", "schema"),
        ("[d2]\ndefinite = []", "[d2]\ncompound = []\ndefinite = []", "unknown key 'compound'"),
        ('{ section = "187" }', '{ range = ["187"] }', "range"),
        ('{ section = "187" }', '{ section = "187", range = ["1", "2"] }', "exactly one"),
        ('{ section = "187" }', "{ }", "exactly one"),
        ('{ section = "187" }', '{ section = "187 PC" }', "section"),
        ('{ section = "187" }', '{ section = "187", subsections = ["a"] }', "subsections"),
        ('{ section = "187" }', '{ section = "187", code = "XX" }', "code"),
        ('{ section = "187" }', '{ section = "187", level = "high" }', "level"),
        ('{ section = "187" }', '{ section = "187", attempts = "yes" }', "attempts"),
        ('{ section = "187" }', '{ section = "187", no_subsections = true, subsections = ["A"] }', "no_subsections"),
        ("possible = []\n[d2]", "[d2]", "d1.possible"),
        ("schema = 1", "schema = 1\n[d3]", "unknown key 'd3'"),
        ("schema = 1", "schema = [", "TOML"),
    ],
)
def test_load_lists_is_strict(tmp_path, old, new, message):
    assert old in _MINIMAL
    p = tmp_path / "l.toml"
    p.write_text(_MINIMAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DisqualifierListError, match=message):
        load_lists(p)
