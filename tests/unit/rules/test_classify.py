"""Which counts are Prop 64 counts (eligibility.md §4)."""

from __future__ import annotations

import pytest

from clearmyrecord_desktop.rules.citation import charge_text, normalise_charge_text, parse_citation
from clearmyrecord_desktop.rules.classify import (
    PROP64_CLASSES,
    Classification,
    classify_count,
    is_prop64_class,
)


def classify(od: str, ct: str = "", same_cycle: bool = False) -> Classification:
    """Classify a count from its OFFENSE_DESCR and COMMENT_TEXT, as the engine does."""
    text, from_comment = charge_text(od, ct)
    norm = normalise_charge_text(text)
    return classify_count(parse_citation(norm), norm, from_comment, ct, same_cycle)


@pytest.mark.parametrize(
    ("od", "expected"),
    [
        # prop64: plain, Prop 64 section, HS or no code
        ("11358 HS-CULTIVATE MARIJUANA", ("prop64", "11358", ())),
        ("11357(C)HS-POSSESS MARIJUANA", ("prop64", "11357", ("C",))),
        ("11359-POSSESS FOR SALE", ("prop64", "11359", ())),
        ("11357(b) hs-possess marijuana", ("prop64", "11357", ("B",))),
        ("11360(A)(3)(D) HS-IMPORT", ("prop64", "11360", ("A", "3", "D"))),
        ("11359 H&S", ("prop64", "11359", ())),
        ("11359 HSC", ("prop64", "11359", ())),
        # code unclear
        ("11358 PC-CULTIVATE MARIJUANA", ("prop64_code_unclear", "11358", ())),
        ("11357(B) VC", ("prop64_code_unclear", "11357", ("B",))),
        # attempt
        ("664/11360 HS-ATTEMPT TRANSPORT/SELL MARIJUANA", ("prop64_attempt", "11360", ())),
        ("664-11359(A) PC", ("prop64_attempt", "11359", ("A",))),
        ("664/187(A) PC-ATTEMPTED MURDER", ("other", None, ())),
        ("664/11357.5 HS", ("other", None, ())),
        # accessory with a target
        ("32/11359 HS", ("prop64_accessory", "11359", ())),
        ("32/459 PC", ("other", None, ())),
        # unreadable but mentions a Prop 64 section
        ("HS 11359-POSSESS MARIJUANA FOR SALE", ("prop64_unreadable", "11359", ())),
        ("664.11357(C) HS", ("prop64_unreadable", "11357", ("C",))),
        ("POSS MARIJ 11359", ("prop64_unreadable", "11359", ())),
        # compound with a Prop 64 element
        ("11359/12022(A) HS", ("prop64_unreadable", "11359", ())),
        ("12022/11360(B)/11359 HS", ("prop64_unreadable", "11360", ("B",))),
        # other
        ("182(A)(1)/11359 PC-CONSPIRACY: POSSESS MARIJUANA FOR SALE", ("other", None, ())),
        ("182 PC", ("other", None, ())),
        ("11357.5(A) HS-POSSESS SYNTHETIC CANNABINOID", ("other", None, ())),
        ("11361(B) HS-FURNISH MARIJUANA TO MINOR", ("other", None, ())),
        ("11379.6 HS-MANUFACTURE CONTROLLED SUBSTANCE", ("other", None, ())),
        ("4573.6 PC-POSSESS CONTROLLED SUBSTANCE IN PRISON", ("other", None, ())),
        ("4573.8 PC", ("other", None, ())),
        ("32 PC-ACCESSORY", ("other", None, ())),
        ("11350 HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", ("other", None, ())),
        ("237(A) PC-FALSE IMPRISONMENT", ("other", None, ())),
        ("111357 HS", ("other", None, ())),
        ("11357A HS", ("other", None, ())),
        ("POSSESSION OF A CONTROLLED SUBSTANCE", ("other", None, ())),
        ("", ("other", None, ())),
    ],
)
def test_classes(od, expected):
    assert tuple(classify(od)) == expected


def test_accessory_without_target_linked_by_same_cycle():
    # T31: the same cycle has a (dismissed) 11359 charge
    assert tuple(classify("32 PC-ACCESSORY", same_cycle=True)) == ("prop64_accessory", None, ())
    assert classify("32 PC-ACCESSORY", same_cycle=False).count_class == "other"


def test_accessory_without_target_linked_by_comment():
    assert tuple(classify("32 PC-ACCESSORY", "ACCESSORY TO 11359 HS")) == ("prop64_accessory", None, ())
    assert classify("32 PC-ACCESSORY", "ACCESSORY TO 11357.5 HS").count_class == "other"
    # the comment counts only when the charge came from OFFENSE_DESCR
    assert classify("SEE COMMENT FOR CHARGE", "32 PC ACCESSORY 11359").count_class == "other"
    assert classify("SEE COMMENT FOR CHARGE", "32 PC ACCESSORY 11359", same_cycle=True).count_class == (
        "prop64_accessory"
    )


def test_charge_from_comment():
    # T42: SEE COMMENT FOR CHARGE
    assert tuple(classify("SEE COMMENT FOR CHARGE", "11360(A) HS-SELL MARIJ")) == ("prop64", "11360", ("A",))
    assert classify("", "11357.5 HS").count_class == "other"


# --- comment conflict --------------------------------------------------------------------------------


def test_comment_conflict_other_becomes_conflict():
    # DT18: offense text says 11350, comment names 11357(b); section is the comment's
    c = classify("11350 HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "11357(B) HS-POSS MARIJ 28.5 GRAMS OR LESS")
    assert tuple(c) == ("prop64_comment_conflict", "11357", ("B",))
    # unreadable text without a Prop 64 mention, comment with a plain Prop 64 citation
    c = classify("POSSESSION", "11359 HS")
    assert tuple(c) == ("prop64_comment_conflict", "11359", ())
    # no code in the comment is fine
    assert classify("11350 HS", "11359-POSS").count_class == "prop64_comment_conflict"


@pytest.mark.parametrize(
    "od",
    [
        "182(A)(1)/11359 PC",
        "182 PC",
        "11357.5 HS",
        "11361(B) HS",
        "11379.6 HS",
        "4573.6 PC",
        "4573.8 PC",
        "664/11350 HS",
        "32/459 PC",
        "11379.6/11366 HS",
    ],
)
def test_comment_conflict_exclusions(od):
    assert classify(od, "11359 HS-POSS MARIJ FOR SALE").count_class == "other"


@pytest.mark.parametrize(
    "comment",
    [
        "",
        "11359 PC-POSS",  # code other than HS
        "POSS 11359 HS",  # not at the start
        "664/11359 HS",  # not plain
        "11357.5 HS",  # not a Prop 64 section
        "CASE DISMISSED",
    ],
)
def test_comment_that_cannot_conflict(comment):
    assert classify("11350 HS-POSS", comment).count_class == "other"
    assert tuple(classify("11359 HS-POSS", comment)) == ("prop64", "11359", ())


def test_prop64_with_comment_naming_another_section():
    c = classify("11359 HS-POSS FOR SALE", "11360(A) HS-SELL")
    assert tuple(c) == ("prop64_comment_conflict", "11359", ())


def test_11357_first_subsection_letters():
    assert tuple(classify("11357(C) HS", "11357(B) HS-POSS")) == ("prop64_comment_conflict", "11357", ("C",))
    assert tuple(classify("11357(B) HS", "11357(B)(2) HS")) == ("prop64", "11357", ("B",))
    assert tuple(classify("11357(B) HS", "11357(B) HS-28.5 G")) == ("prop64", "11357", ("B",))
    # a missing letter on either side is not a contradiction
    assert tuple(classify("11357 HS", "11357(B) HS")) == ("prop64", "11357", ())
    assert tuple(classify("11357(B) HS", "11357 HS")) == ("prop64", "11357", ("B",))
    # other sections: subsections never conflict
    assert classify("11360(A) HS", "11360(B) HS").count_class == "prop64"


def test_comment_never_conflicts_when_the_charge_came_from_it():
    assert classify("SEE COMMENT FOR CHARGE", "11350 HS").count_class == "other"


@pytest.mark.parametrize(
    "od",
    ["11358 PC-CULTIVATE", "664/11360 HS", "32/11359 HS", "HS 11359-POSS", "11359/12022 HS"],
)
def test_comment_does_not_change_other_prop64_classes(od):
    before = classify(od)
    assert classify(od, "11357(B) HS") == before


def test_is_prop64_class():
    for cls in PROP64_CLASSES:
        assert is_prop64_class(cls)
        assert is_prop64_class(Classification(cls, None, ()))
    assert not is_prop64_class("other")
    assert not is_prop64_class(classify("11350 HS"))
    assert len(PROP64_CLASSES) == 6
