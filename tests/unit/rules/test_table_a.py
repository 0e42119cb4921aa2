"""Table A, step S8 and the reason texts (eligibility.md §7.1–§7.4)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from clearmyrecord_desktop.rules import reasons
from clearmyrecord_desktop.rules.citation import parse_citation
from clearmyrecord_desktop.rules.table_a import (
    RANK,
    TABLE_A,
    WHY,
    DqToken,
    all_cell_rule_ids,
    cell_rule_id,
    decide_s8,
    table_key,
)

# §7.2 copied verbatim from the spec (independent of the code's own transcription).
SPEC_TABLE = """
| `11357a` | felony | RI | RM [Q] | RM [Q] |
| `11357a` | misdemeanor | RI | NR [Q] | NR [Q] |
| `11357a` | infraction | NR | NR | NR [Q] |
| `11357b` | felony | RI | RI | DS |
| `11357b` | misdemeanor | RI | RI | DS |
| `11357b` | infraction | NR | NR | DS |
| `11357c` | felony | RI | RM | RM |
| `11357c` | misdemeanor | RI | NR | NR |
| `11357c` | infraction | NR | NR | NR |
| `11357d` | felony | RI | RM | RM |
| `11357d` | misdemeanor | RI | NR | NR |
| `11357d` | infraction | NR | NR | NR |
| `11357e` | felony | RI | RI | RI |
| `11357e` | misdemeanor | RI | RI | RI |
| `11357e` | infraction | NR | NR | NR |
| `11358` | felony | RI | RM [P] | RM [P] |
| `11358` | misdemeanor | RI | NR [P] | NR [P] |
| `11358` | infraction | NR | NR | NR [P] |
| `11359` | felony | RI | RM | RM |
| `11359` | misdemeanor | RI | NR | NR |
| `11359` | infraction | NR | NR | NR |
| `11360a` | felony | RI | RM [T] | RM [T] |
| `11360a` | misdemeanor | RI | NR [T] | NR [T] |
| `11360a` | infraction | NR | NR | NR [T] |
| `11360b` | felony | RI | RI | DS |
| `11360b` | misdemeanor | RI | RI | DS |
| `11360b` | infraction | NR | NR | DS |
| `11360x` | felony | RI [S] | RM [S,T] | RM [S,T] |
| `11360x` | misdemeanor | RI [S] | NR [S,T] | NR [S,T] |
| `11360x` | infraction | NR [S] | NR [S] | NR [S,T] |
"""
_DET = {"DS": "dismiss_and_seal", "RI": "reduce_to_infraction", "RM": "reduce_to_misdemeanor", "NR": "no_relief"}
_WORD = {"DS": "dismiss", "RI": "reduce_i", "RM": "reduce_m", "NR": "none"}
_FACT = {
    "Q": "quantity_unknown",
    "P": "plant_count_unknown",
    "T": "transport_purpose_unknown",
    "S": "subsection_unknown",
}
BRACKETS = ("minor", "young_adult", "adult")


def _spec_cells():
    for line in SPEC_TABLE.strip().splitlines():
        parts = [p.strip() for p in line.strip("|").split("|")]
        key, level, cells = parts[0].strip("`"), parts[1], parts[2:]
        for bracket, cell in zip(BRACKETS, cells, strict=True):
            m = re.fullmatch(r"(DS|RI|RM|NR)(?: \[([A-Z,]+)\])?", cell)
            facts = frozenset(_FACT[f] for f in (m.group(2) or "").split(",") if f)
            yield key, level, bracket, m.group(1), facts


SPEC_CELLS = list(_spec_cells())


def test_spec_table_covers_every_cell():
    assert len(SPEC_CELLS) == 90
    assert {(k, lv, b) for k, lv, b, _, _ in SPEC_CELLS} == {
        (k, lv, b) for k in TABLE_A for lv in TABLE_A[k] for b in TABLE_A[k][lv]
    }


@pytest.mark.parametrize(("key", "level", "bracket", "out", "facts"), SPEC_CELLS)
def test_every_cell(key, level, bracket, out, facts):
    r = decide_s8(key, level, [bracket])
    assert r.determination == _DET[out]
    assert r.rule_ids == [f"stat.{key}.{level}.{bracket}.{_WORD[out]}"]
    assert r.unknown_facts == facts
    assert "age_unknown" not in r.unknown_facts
    assert cell_rule_id(key, level, bracket) == r.rule_ids[0]


def test_11360x_is_the_lesser_of_a_and_b():
    for level in ("felony", "misdemeanor", "infraction"):
        for b in BRACKETS:
            a, bb, x = (TABLE_A[k][level][b] for k in ("11360a", "11360b", "11360x"))
            lesser = a if RANK[a.determination] <= RANK[bb.determination] else bb
            assert x.outcome == lesser.outcome
            assert x.facts == lesser.facts | {"subsection_unknown"}


def test_all_cell_rule_ids():
    ids = all_cell_rule_ids()
    assert len(ids) == len(set(ids)) == 90
    assert "stat.11357b.misdemeanor.adult.dismiss" in ids
    assert "stat.11360x.felony.adult.reduce_m" in ids


def test_why_covers_every_key_and_bracket():
    for key in TABLE_A:
        assert set(WHY[key]) == set(BRACKETS)


# --- table key (§7.1) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "subs", "key"),
    [
        ("11357", ("A",), "11357a"),
        ("11357", ("B",), "11357b"),
        ("11357", ("C",), "11357c"),
        ("11357", ("D",), "11357d"),
        ("11357", ("E",), "11357e"),
        ("11357", (), None),
        ("11357", ("F",), None),
        ("11357", ("B", "2"), None),  # post-2016 paragraph → S7
        ("11357", ("1",), None),
        ("11357", ("AB",), None),
        ("11357", ("A", "B"), None),
        ("11358", (), "11358"),
        ("11358", ("D",), "11358"),
        ("11359", ("C",), "11359"),
        ("11359", ("D", "1"), "11359"),
        ("11360", ("A",), "11360a"),
        ("11360", ("A", "3", "D"), "11360a"),
        ("11360", ("B",), "11360b"),
        ("11360", ("B", "1"), "11360b"),
        ("11360", (), "11360x"),
        ("11360", ("C",), "11360x"),
        ("11360", ("1",), "11360x"),
    ],
)
def test_table_key(section, subs, key):
    assert table_key(section, subs) == key


def test_table_key_rejects_other_sections():
    with pytest.raises(ValueError):
        table_key("11357.5", ())


# --- §7.3 ------------------------------------------------------------------------------------------


def test_spec_example_age_unknown():
    r = decide_s8("11357b", "misdemeanor", ["minor", "young_adult", "adult"])
    assert r.determination == "reduce_to_infraction"
    assert r.rule_ids == ["stat.11357b.misdemeanor.young_adult.reduce_i"]
    assert r.unknown_facts == {"age_unknown"}
    assert r.bracket == "young_adult"


def test_tie_goes_to_the_oldest_bracket():
    # DT9: 11359 felony, no age at all
    r = decide_s8("11359", "felony", ["minor", "young_adult", "adult"])
    assert (r.determination, r.rule_ids, r.unknown_facts) == (
        "reduce_to_misdemeanor", ["stat.11359.felony.adult.reduce_m"], {"age_unknown"}
    )
    # DT7: 20 or 21
    r = decide_s8("11357b", "misdemeanor", ["young_adult", "adult"])
    assert r.rule_ids == ["stat.11357b.misdemeanor.young_adult.reduce_i"]


def test_facts_union_over_brackets():
    r = decide_s8("11358", "infraction", ["young_adult", "adult"])
    assert r.determination == "no_relief"
    assert r.rule_ids == ["stat.11358.infraction.adult.none"]
    assert r.unknown_facts == {"plant_count_unknown", "age_unknown"}
    r = decide_s8("11357a", "felony", ["minor", "young_adult"])
    assert r.determination == "reduce_to_misdemeanor"
    assert r.unknown_facts == {"quantity_unknown", "age_unknown"}


def test_bracket_order_of_input_does_not_matter():
    a = decide_s8("11357b", "misdemeanor", ["adult", "minor", "young_adult"])
    b = decide_s8("11357b", "misdemeanor", ("minor", "young_adult", "adult"))
    assert a == b


def tok(code, certainty="definite", why=None):
    return DqToken(code, certainty, "X PC", "2000-01-01", "BA1", "001002001000", why_possible=why)


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("D1", "stat.dq.superstrike"),
        ("D2", "stat.dq.pc290"),
        ("D3", "stat.dq.two_priors"),
        ("D4", "stat.dq.environmental"),
        ("D5a", "stat.dq.minor"),
        ("D6a", "stat.dq.minor"),
        ("D5b", "stat.dq.hire_minor"),
    ],
)
def test_definite_disqualifier(code, rule):
    r = decide_s8("11359", "felony", ["adult"], [tok(code)])
    assert (r.determination, r.rule_ids, r.unknown_facts) == ("no_relief", [rule], frozenset())


def test_definite_disqualifier_keeps_cell_facts():
    # T: 11358 with a prior murder: no relief, plant count still listed
    r = decide_s8("11358", "felony", ["adult"], [tok("D1")])
    assert (r.determination, r.rule_ids, r.unknown_facts) == (
        "no_relief", ["stat.dq.superstrike"], {"plant_count_unknown"}
    )
    r = decide_s8("11360x", "felony", ["young_adult"], [tok("D6a")])
    assert r.rule_ids == ["stat.dq.minor"]
    assert r.unknown_facts == {"subsection_unknown", "transport_purpose_unknown"}


def test_rule_ids_order_one_per_rule():
    toks = [tok(c) for c in ("D5b", "D6a", "D5a", "D4", "D3", "D2", "D1", "D1")]
    r = decide_s8("11359", "felony", ["adult"], toks)
    assert r.rule_ids == [
        "stat.dq.superstrike", "stat.dq.pc290", "stat.dq.two_priors", "stat.dq.environmental",
        "stat.dq.minor", "stat.dq.hire_minor",
    ]


def test_d5b_only_for_adults():
    r = decide_s8("11359", "felony", ["young_adult"], [tok("D5b")])
    assert (r.determination, r.rule_ids) == ("reduce_to_misdemeanor", ["stat.11359.felony.young_adult.reduce_m"])
    r = decide_s8("11359", "felony", ["young_adult", "adult"], [tok("D5b")])
    assert (r.determination, r.rule_ids, r.bracket) == ("no_relief", ["stat.dq.hire_minor"], "adult")
    r = decide_s8("11359", "felony", ["young_adult"], [tok("D5b", "possible", "facts")])
    assert r.determination == "reduce_to_misdemeanor"


def test_disqualifiers_do_not_touch_minor_bracket_and_other_keys():
    for key in ("11357a", "11357b", "11357c", "11357d", "11357e", "11360b"):
        for level in ("felony", "misdemeanor", "infraction"):
            for b in BRACKETS:
                plain = decide_s8(key, level, [b])
                with_tokens = decide_s8(key, level, [b], [tok("D1"), tok("D2", "possible", "facts")])
                assert with_tokens.rule_ids == plain.rule_ids
    r = decide_s8("11359", "felony", ["minor"], [tok("D1")])
    assert r.rule_ids == ["stat.11359.felony.minor.reduce_i"]


def test_nr_cell_keeps_its_rule_id():
    r = decide_s8("11359", "misdemeanor", ["adult"], [tok("D1")])
    assert (r.determination, r.rule_ids) == ("no_relief", ["stat.11359.misdemeanor.adult.none"])
    r = decide_s8("11360a", "misdemeanor", ["adult"], [tok("D3", "possible", "date")])
    assert (r.determination, r.rule_ids, r.unknown_facts) == (
        "no_relief", ["stat.11360a.misdemeanor.adult.none"], {"transport_purpose_unknown"}
    )


def test_possible_disqualifier():
    # POSS1: prior 220 PC
    r = decide_s8("11359", "felony", ["adult"], [tok("D1", "possible", "facts")])
    assert (r.determination, r.rule_ids, r.unknown_facts) == (
        "hand_review", ["stat.dq.possible"], {"disqualifier_facts_unknown"}
    )
    # DT21 / DT22: dates cannot be ordered
    r = decide_s8("11359", "felony", ["adult"], [tok("D3", "possible", "date"), tok("D3", "possible", "date")])
    assert r.unknown_facts == {"prior_date_unknown"}
    r = decide_s8("11358", "felony", ["adult"], [tok("D1", "possible", "date"), tok("D2", "possible", "facts")])
    assert r.unknown_facts == {"plant_count_unknown", "prior_date_unknown", "disqualifier_facts_unknown"}


def test_definite_beats_possible():
    r = decide_s8("11359", "felony", ["adult"], [tok("D2", "possible", "facts"), tok("D1")])
    # T: 288(A) prior + later registration — the registration is listed but the definite decides
    assert (r.determination, r.rule_ids, r.unknown_facts) == ("no_relief", ["stat.dq.superstrike"], frozenset())


def test_hand_review_wins_across_brackets_with_oldest_ids():
    r = decide_s8("11359", "felony", ["minor", "young_adult", "adult"], [tok("D1", "possible", "facts")])
    assert (r.determination, r.rule_ids, r.bracket) == ("hand_review", ["stat.dq.possible"], "adult")
    assert r.unknown_facts == {"disqualifier_facts_unknown", "age_unknown"}
    # possible D5b: only the adult bracket is affected
    r = decide_s8("11359", "felony", ["young_adult", "adult"], [tok("D5b", "possible", "facts")])
    assert (r.determination, r.rule_ids, r.bracket) == ("hand_review", ["stat.dq.possible"], "adult")


def test_no_relief_bracket_is_the_floor():
    # age 17–18 with a prior super strike: minor RI, young_adult NR → NR
    r = decide_s8("11359", "felony", ["minor", "young_adult"], [tok("D1")])
    assert (r.determination, r.rule_ids, r.unknown_facts) == ("no_relief", ["stat.dq.superstrike"], {"age_unknown"})


def test_result_lists_are_fresh():
    a = decide_s8("11359", "felony", ["adult"])
    a.rule_ids.append("x")
    assert decide_s8("11359", "felony", ["adult"]).rule_ids == ["stat.11359.felony.adult.reduce_m"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("11357", "felony", ["adult"]), "Table A key"),
        (("11359", "unknown", ["adult"]), "level"),
        (("11359", "felony", []), "brackets"),
        (("11359", "felony", ["old"]), "brackets"),
        (("11359", "felony", ["adult"], [tok("D1", "maybe")]), "certainty"),
        (("11359", "felony", ["adult"], [tok("D1", "possible", None)]), "why_possible"),
    ],
)
def test_decide_s8_validates(args, message):
    with pytest.raises(ValueError, match=message):
        decide_s8(*args)


def test_token_string():
    t = DqToken("D1", "definite", "187(A) PC", "2000-11-20", "BA041776", "001002001000")
    assert t.token_string() == "D1|definite|187(A) PC|2000-11-20|BA041776|001002001000"


# --- cross-check with the golden cases ---------------------------------------------------------------

_GOLDEN = Path("/work/shared/cases/statutory_expected.csv")


@pytest.mark.skipif(not _GOLDEN.exists(), reason="golden cases not available")
def test_golden_cell_rule_ids_are_consistent():
    """Every golden note naming a Table A cell id names a cell of this table, whose key is the key of
    the expected code_section, and whose determination is the expected one (single-bracket cases)."""
    checked = 0
    with _GOLDEN.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        m = re.search(r"\((stat\.(113\d\d[a-ex]?)\.(\w+)\.(\w+)\.(\w+))\)", row["notes"])
        if not m:
            continue
        rid, key, level, bracket, _ = m.groups()
        assert rid in all_cell_rule_ids(), rid
        cit = parse_citation(row["code_section"])
        assert table_key(cit.section, cit.subsections) == key, row["notes"]
        if not row["disqualifiers"] and "age_unknown" not in row["unknown_facts"]:
            r = decide_s8(key, level, [bracket])
            assert r.determination == row["statutory_determination"], row["notes"]
            assert r.unknown_facts <= set(row["unknown_facts"].split(";")) | {""}, row["notes"]
        checked += 1
    assert checked > 50


# --- reason texts (§7.4) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "text"),
    [
        (DqToken("D1", "definite", "187(A) PC", "2000-11-20", "BA041776", "001002001000"),
         "prior 187(A) PC on 2000-11-20, case BA041776"),
        (DqToken("D1", "possible", "187 PC", "unknown", "BA043922", "001002001000", why_possible="date"),
         "prior 187 PC on an unknown date, case BA043922"),
        (DqToken("D2", "possible", "290 PC REGISTRATION", "2004-03-01", "", "002001001000", why_possible="facts"),
         "PC 290 registration on 2004-03-01"),
        (DqToken("D6a", "definite", "11361(B) HS", "2013-05-05", "BA042960", "001002002000", same_cycle=True),
         "same-case 11361(B) HS, case BA042960"),
    ],
)
def test_format_token(token, text):
    assert reasons.format_token(token) == text


def _s8(key, level, brs, toks=(), **kw):
    r = decide_s8(key, level, brs, toks)
    text = reasons.s8_reason(
        r, citation=kw.get("citation", "11359 HS"), offense_date="2014-01-01", age=kw.get("age", "34"),
        section=kw.get("section", "11359"), tokens=toks, extra_facts=kw.get("extra", ()),
    )
    return r, text


@pytest.mark.parametrize(("key", "level", "bracket", "out", "facts"), SPEC_CELLS)
def test_cell_reason_names_basis_and_facts(key, level, bracket, out, facts):
    r, text = _s8(key, level, [bracket], citation="CIT", section=key[:5])
    assert text.startswith(f"CIT {level} (")
    assert "H&S § 11361.8" in text
    assert WHY[key][bracket] in text
    assert reasons.DETERMINATION_WORDS[r.determination] in text
    for f in facts:
        assert reasons.FACT_WORDS[f] in text


def test_s8_reason_age_unknown_names_every_bracket():
    r, text = _s8("11357b", "misdemeanor", list(BRACKETS), citation="11357(B) HS", age="unknown",
                  extra=("offense_date_unknown",))
    for rid in ("stat.11357b.misdemeanor.minor.reduce_i", "stat.11357b.misdemeanor.young_adult.reduce_i",
                "stat.11357b.misdemeanor.adult.dismiss"):
        assert rid in text
    assert reasons.FACT_WORDS["age_unknown"] in text
    assert reasons.FACT_WORDS["offense_date_unknown"] in text


def test_s8_reason_definite_disqualifier():
    toks = [
        DqToken("D1", "definite", "288(A) PC", "1998-04-02", "BA040814", "001002001000"),
        DqToken("D2", "definite", "288(A) PC", "1998-04-02", "BA040814", "001002001000"),
        DqToken("D2", "possible", "290 PC REGISTRATION", "2004-03-01", "", "002001001000", why_possible="facts"),
    ]
    r, text = _s8("11359", "felony", ["adult"], toks)
    assert r.rule_ids == ["stat.dq.superstrike", "stat.dq.pc290"]
    assert text.startswith("No relief as of right: prior 288(A) PC on 1998-04-02, case BA040814 — prior super strike")
    assert "H&S § 11359(c)(1)" in text
    assert "PC § 290(c)" in text
    assert "PC 290 registration on 2004-03-01" in text  # listed too


def test_s8_reason_same_cycle_and_statute_per_section():
    toks = [DqToken("D4", "definite", "5650(A)(1) FG", "2014-09-15", "BA040370", "001002002000", same_cycle=True)]
    r, text = _s8("11358", "felony", ["adult"], toks, section="11358", citation="11358 HS")
    assert "same-case 5650(A)(1) FG" in text and "H&S § 11358(d)(3)" in text
    assert reasons.FACT_WORDS["plant_count_unknown"] in text
    toks = [DqToken("D5b", "definite", "11361(A) HS", "2012-08-08", "BA042997", "001002002000", same_cycle=True)]
    _, text = _s8("11359", "felony", ["adult"], toks)
    assert "H&S § 11359(d)" in text


def test_s8_reason_possible_disqualifier():
    toks = [
        DqToken("D3", "possible", "11359 HS", "2005-07-07", "BA043996", "001002001000", why_possible="date"),
        DqToken("D3", "possible", "11359 HS", "unknown", "33CF4033", "002002001000", why_possible="date"),
    ]
    r, text = _s8("11359", "felony", ["adult"], toks)
    assert text.startswith("Possible disqualifier — prior 11359 HS on 2005-07-07, case BA043996")
    assert "prior 11359 HS on an unknown date, case 33CF4033" in text
    assert "Review before relief." in text
    assert reasons.FACT_WORDS["prior_date_unknown"] in text


def test_s8_reason_lists_tokens_of_nr_cells():
    toks = [DqToken("D1", "definite", "187 PC", "2000-01-01", "BA1", "001")]
    _, text = _s8("11359", "misdemeanor", ["adult"], toks)
    assert "prior 187 PC on 2000-01-01, case BA1" in text


def test_other_reasons():
    assert "9 Nov 2016 (2017-03-01)" in reasons.post_prop64_reason("2017-03-01")
    assert "H&S § 11361.8" in reasons.post_prop64_reason("2017-03-01")
    text = reasons.offense_unknown_reason("unknown", "unknown")
    assert text.startswith("Offense date not recorded; conviction date unknown")
    assert "2017-02-01" in reasons.offense_unknown_reason("unknown", "2017-02-01")
    assert "partly recorded (2016)" in reasons.offense_unknown_reason("2016", "2017-02-01")
    text = reasons.parse_reason("stat.parse.unreadable", "HS 11359-POSSESS MARIJUANA FOR SALE")
    assert text.startswith('Charge text "HS 11359-POSSESS MARIJUANA FOR SALE" cannot be read')
    assert "11359" in text
    assert "compound" in reasons.parse_reason("stat.parse.unreadable", "11359/12022 HS")
    assert "code PC" in reasons.parse_reason("stat.parse.code_unclear", "11358 PC-CULTIVATE")
    assert "11357(B) HS" in reasons.parse_reason("stat.parse.comment_conflict", "11350 HS", "11357(B) HS-POSS")
    with pytest.raises(ValueError):
        reasons.parse_reason("stat.attempt", "x")
    assert "H&S § 11360" in reasons.attempt_reason("11360") and "PC § 664" in reasons.attempt_reason("11360")
    assert "Boatwright" in reasons.accessory_reason()
    assert "felony, misdemeanor or infraction" in reasons.level_unknown_reason()
    assert reasons.record_incomplete_reason([("cases.csv", 12)]).startswith("Line 12 of cases.csv")
    lines = [("b.csv", 3), ("a.csv", 14), ("a.csv", 12)]
    assert "12, 14 of a.csv; 3 of b.csv" in reasons.record_incomplete_reason(lines)
    assert "level: felony, misdemeanor" in reasons.conflicting_rows_reason({"level": ["felony", "misdemeanor"]})
    assert "11357(B)(2) HS" in reasons.subsection_unknown_reason("11357(B)(2) HS")


def test_complete_reason_names_every_fact():
    every = list(reasons.FACT_ORDER)
    text = reasons.complete_reason("Base.", every)
    for f in every:
        assert reasons.FACT_WORDS[f] in text
    assert reasons.complete_reason("Base.", ()) == "Base."
