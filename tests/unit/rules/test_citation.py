"""Charge text and citation parsing (doj-research-file.md §4.7)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearmyrecord_desktop.rules.citation import (
    Citation,
    Element,
    charge_text,
    first_prop64_mention,
    mentions_prop64,
    normalise_charge_text,
    parse_citation,
)

# --- the examples table of §4.7 ---------------------------------------------------------------------

SPEC_EXAMPLES = [
    ("11358 HS-CULTIVATE MARIJUANA", "11358 HS", "plain"),
    ("11357(C)HS-POSSESS MARIJUANA", "11357(C) HS", "plain"),
    ("11359HS-INTENT SELL CANNABIS", "11359 HS", "plain"),
    ("11359-POSSESS FOR SALE", "11359", "plain"),
    ("11357 (b) hs-poss", "11357(B) HS", "plain"),
    ("664/11360 HS-ATTEMPT SELL", "664/11360 HS", "attempt"),
    ("664-11360 HS-ATTEMPT SELL", "664/11360 HS", "attempt"),
    ("182(A)(1)/11359 HS-CONSPIRACY", "182(A)(1)/11359 HS", "conspiracy"),
    ("32 PC-ACCESSORY", "32 PC", "accessory"),
    ("136.1-186.22(B)(4) PC", "136.1/186.22(B)(4) PC", "compound"),
    ("288A PC", "288A PC", "plain"),
    ("653F PC", "653F PC", "plain"),
    ("273AB(A) PC", "273AB(A) PC", "plain"),
    ("237 PC-FALSE IMPRISONMENT", "237 PC", "plain"),
    ("11357.5 HS-SYNTHETIC", "11357.5 HS", "plain"),
]


@pytest.mark.parametrize(("text", "normalised", "kind"), SPEC_EXAMPLES)
def test_spec_examples(text, normalised, kind):
    cit = parse_citation(text)
    assert cit is not None
    assert cit.text == normalised
    assert cit.kind == kind


@pytest.mark.parametrize("text", ["664.11357(C) HS", "HS 11359-POSS", "POSS MARIJ 11359", "", "   ", "-11359 HS"])
def test_spec_unreadable(text):
    assert parse_citation(text) is None


def test_elements_and_code():
    cit = parse_citation("182(A)(1)/11359 HS-CONSPIRACY")
    assert cit == Citation(
        (Element("182", ("A", "1")), Element("11359", ())), "HS", "conspiracy", "182(A)(1)/11359 HS"
    )
    assert cit.targets == (Element("11359", ()),)
    assert parse_citation("11359-POSSESS FOR SALE").code is None


def test_237_is_never_37_and_11357_5_never_11357():
    assert parse_citation("237 PC-FALSE IMPRISONMENT").section == "237"
    assert parse_citation("137 PC").section == "137"
    assert parse_citation("11357.5 HS-SYNTHETIC").section == "11357.5"
    assert parse_citation("111357 HS").section == "111357"


def test_letter_suffix_is_part_of_section():
    assert parse_citation("288A PC").section == "288A"
    cit = parse_citation("273AB(A) PC")
    assert (cit.section, cit.subsections) == ("273AB", ("A",))
    assert parse_citation("647A PC").section == "647A"


def test_code_is_not_a_suffix():
    # SUF lookahead: "HS" right after the number is the code, not a letter suffix.
    cit = parse_citation("11359HS-INTENT SELL")
    assert (cit.section, cit.code) == ("11359", "HS")
    cit = parse_citation("11359PC")
    assert (cit.section, cit.code) == ("11359", "PC")
    cit = parse_citation("11359WIC")
    assert (cit.section, cit.code) == ("11359", "WI")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("H&S", "HS"),
        ("HSC", "HS"),
        ("HS", "HS"),
        ("PC", "PC"),
        ("VC", "VC"),
        ("BP", "BP"),
        ("B&P", "BP"),
        ("FG", "FG"),
        ("F&G", "FG"),
        ("WIC", "WI"),
        ("W&I", "WI"),
        ("WI", "WI"),
        ("WC", "WC"),
        ("GC", "GC"),
        ("MV", "MV"),
    ],
)
def test_code_normalisation(raw, code):
    cit = parse_citation(f"1052(A) {raw}-SOMETHING")
    assert cit.code == code
    assert cit.text == f"1052(A) {code}"
    assert parse_citation(f"1052(a){raw.lower()}").code == code


def test_lower_case_and_spaces():
    assert parse_citation("11357(b) hs-possess marijuana").text == "11357(B) HS"
    assert parse_citation("  11357 ( b ) ( 2 )   hs  ").text == "11357(B)(2) HS"
    assert parse_citation("664 / 11360 hs").text == "664/11360 HS"
    assert parse_citation("664 + 11360 HS").kind == "attempt"


@pytest.mark.parametrize(
    ("text", "kind", "sections"),
    [
        ("182 PC-CONSPIRACY", "conspiracy", ("182",)),
        ("182(A)(1) PC", "conspiracy", ("182",)),
        ("32 PC", "accessory", ("32",)),
        ("32/11359 HS", "accessory", ("32", "11359")),
        ("664 PC", "plain", ("664",)),
        ("664/187(A) PC", "attempt", ("664", "187")),
        ("11379/11359 HS", "compound", ("11379", "11359")),
        ("182.5 PC", "plain", ("182.5",)),
        ("320 PC", "plain", ("320",)),
    ],
)
def test_kinds(text, kind, sections):
    cit = parse_citation(text)
    assert cit.kind == kind
    assert tuple(e.section for e in cit.elements) == sections


@pytest.mark.parametrize(
    "text",
    [
        "11358 HS: CULTIVATE",
        "11358 HS,CULTIVATE",
        "11358 HS;CULTIVATE",
        "11358 HS CULTIVATE",
        "11358 HS",
    ],
)
def test_terminators(text):
    assert parse_citation(text).text == "11358 HS"


@pytest.mark.parametrize("text", ["11358.HS", "11358HS.", "11358 HS.", "11358/HS", "11358 H&SX"])
def test_bad_terminators_are_unreadable_or_codeless(text):
    cit = parse_citation(text)
    assert cit is None or cit.code is None


def test_suffix_of_three_letters_is_not_a_suffix():
    # "[A-Z]{1,2}(?![A-Z])": 3 letters cannot be a suffix; no code either.
    assert parse_citation("288ABC PC") is None


def test_normalise_charge_text():
    assert normalise_charge_text("  11357 (b)  hs-poss\tmarij ") == "11357(B) HS-POSS MARIJ"
    assert normalise_charge_text("11357( b )") == "11357(B)"
    assert normalise_charge_text("11357 ( b") == "11357(B"
    assert normalise_charge_text("") == ""
    assert normalise_charge_text("a\r\n\v\fb") == "A B"


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("664.11357(C) HS", "11357"),
        ("HS 11359-POSS", "11359"),
        ("POSS MARIJ 11359", "11359"),
        ("ABC11360X", "11360"),
        ("11359.", "11359"),
        ("11357.5 HS", None),
        ("111357 HS", None),
        ("113570", None),
        ("11357.5/11358", "11358"),
        ("NOTHING HERE", None),
        ("11361 HS", None),
    ],
)
def test_mentions_prop64(text, section):
    assert mentions_prop64(normalise_charge_text(text)) == section


def test_first_mention_carries_subsections():
    assert first_prop64_mention("664.11357(C) HS") == ("11357", ("C",))
    assert first_prop64_mention("HS 11360(B)(2) X") == ("11360", ("B", "2"))
    assert first_prop64_mention("HS 11359 X") == ("11359", ())


@pytest.mark.parametrize(
    ("od", "ct", "expected"),
    [
        ("11359 HS-POSS", "11357(B) HS", ("11359 HS-POSS", False)),
        ("  11359 HS-POSS  ", "", ("11359 HS-POSS", False)),
        ("SEE COMMENT FOR CHARGE", " 11360(A) HS-SELL MARIJ ", ("11360(A) HS-SELL MARIJ", True)),
        ("see  comment\tfor charge ", "11360(A) HS", ("11360(A) HS", True)),
        ("", "11360(A) HS", ("11360(A) HS", True)),
        ("   ", "11360(A) HS", ("11360(A) HS", True)),
        (None, None, ("", True)),
        ("SEE COMMENT FOR CHARGE", "", ("", True)),
        ("SEE COMMENTS FOR CHARGE", "11360", ("SEE COMMENTS FOR CHARGE", False)),
    ],
)
def test_charge_text(od, ct, expected):
    assert charge_text(od, ct) == expected


def test_results_are_cached_and_hashable():
    a = parse_citation("11357(B) HS-POSS")
    b = parse_citation("11357(B) HS-POSS")
    assert a is b
    assert hash(a) == hash(Citation(a.elements, a.code, a.kind, a.text))
    assert parse_citation.cache_info().hits >= 1
    with pytest.raises(AttributeError):
        a.code = "PC"  # frozen


def test_pathological_input_is_fast():
    texts = ["1-" * 5000 + "X", "1" * 10000, "(" * 5000 + "11357", "11357" + "(A)" * 3000 + "Q", "1/" * 4000]
    start = time.perf_counter()
    for t in texts:
        parse_citation(t)
        mentions_prop64(normalise_charge_text(t))
    assert time.perf_counter() - start < 2.0


_ALPHABET = st.sampled_from(list("0123456789ABCHPSVWGFIMXabhs&/+-.:,;() \t()") + ["\u0661", "\xa0", "é", "ß"])


@settings(max_examples=500, deadline=None, database=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    cit = parse_citation(text)
    assert cit is None or isinstance(cit, Citation)
    mentions_prop64(normalise_charge_text(text))


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_citation_properties(text):
    norm = normalise_charge_text(text)
    assert normalise_charge_text(norm) == norm
    cit = parse_citation(text)
    assert parse_citation(norm) == cit
    if cit is not None:
        # the normalised citation reads back as itself
        again = parse_citation(cit.text)
        assert again == cit
        assert all(e.section[0].isdigit() for e in cit.elements)


# --- reference implementation written straight from §4.7 ---------------------------------------------


_R_CODE = "H&S|HSC|B&P|F&G|WIC|W&I|HS|PC|VC|BP|FG|WI|WC|GC|MV"
_R_NUM = r"\d{1,6}(?:\.\d{1,3})?"
_R_SUF = r"(?:(?!(?:" + _R_CODE + r")(?![A-Z&]))[A-Z]{1,2}(?![A-Z]))"
_R_SUBS = r"(?:\([A-Z0-9]{1,3}\))*"
_R_ELEM = _R_NUM + _R_SUF + "?" + _R_SUBS
_R_SEP = r"\s*[/+\-]\s*"
_R_CIT = re.compile(
    r"^(" + _R_ELEM + r"(?:" + _R_SEP + _R_ELEM + r")*)\s*(" + _R_CODE + r")?(?![A-Z&])(?=$|[\s\-:,;])", re.ASCII
)
_R_NORMAL = {"H&S": "HS", "HSC": "HS", "B&P": "BP", "F&G": "FG", "W&I": "WI", "WIC": "WI"}


def _ref_normalise(text: str) -> str:
    s = re.sub(r"[ \t\r\n\v\f]+", " ", text.upper()).strip(" ")
    s = re.sub(r" ?\(([^()]*)\)", lambda m: "(" + m.group(1).replace(" ", "") + ")", s)
    s = re.sub(r" ?\( ?", "(", s)
    return re.sub(r" \)", ")", s)


def _ref_parse(text: str):
    m = _R_CIT.match(_ref_normalise(text))
    if m is None:
        return None
    elements = []
    for piece in re.split(_R_SEP, m.group(1), flags=re.ASCII):
        em = re.fullmatch("(" + _R_NUM + _R_SUF + "?)(" + _R_SUBS + ")", piece, re.ASCII)
        elements.append((em.group(1), tuple(re.findall(r"\(([A-Z0-9]{1,3})\)", em.group(2)))))
    code = _R_NORMAL.get(m.group(2), m.group(2)) if m.group(2) else None
    return tuple(elements), code


_CIT_ALPHABET = st.sampled_from(
    list("0123456789012345678901234567890123456789ABCDHPSX(((())))   //--+.&:,;\t") + ["HS", "PC", "H&S", "WIC", "MV"]
)


@settings(max_examples=1500, deadline=None, database=None)
@given(st.lists(_CIT_ALPHABET, max_size=25).map("".join))
def test_matches_reference_implementation(text):
    assert normalise_charge_text(text) == _ref_normalise(text)
    ref = _ref_parse(text)
    cit = parse_citation(text)
    if ref is None:
        assert cit is None
    else:
        assert cit is not None
        assert tuple((e.section, e.subsections) for e in cit.elements) == ref[0]
        assert cit.code == ref[1]


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(alphabet=" \t\r\n\v\fab()1", max_size=30))
def test_normalise_matches_reference_on_white_space(text):
    assert normalise_charge_text(text) == _ref_normalise(text)
