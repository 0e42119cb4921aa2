"""The precedence policy P1–P5 and the §9.3 conditions (eligibility.md §9)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearmyrecord_desktop.rules import policy as pm
from clearmyrecord_desktop.rules.catalog import load_catalog
from clearmyrecord_desktop.rules.dates import DateValue
from clearmyrecord_desktop.rules.policy import (
    Criterion,
    FelonyRule,
    MisdemeanorRule,
    Policy,
    StatutoryBars,
    load_policy,
)
from clearmyrecord_desktop.rules.precedence import (
    RANK,
    RELIEFS,
    DisqualifierToken,
    PolicyFacts,
    PolicyResult,
    apply_policy,
    condition_holds,
)

AS_OF = date(2020, 7, 1)
GOGEN_OPTIONS = Path(__file__).resolve().parents[2] / "data" / "gogen" / "eligibility_options.json"
CATALOG = Path(pm.__file__).resolve().parent / "catalog"

STATUTORY = load_policy("statutory")
LA = load_policy("los_angeles_2020")
BEAR = load_policy("bear_compatible", GOGEN_OPTIONS)

D1_DEF = DisqualifierToken("D1|definite|187(A) PC|2000-11-20|BA041776|001002001000", "D1", "definite")
D1_POS = DisqualifierToken("D1|possible|220 PC|1998-05-04|757392|101001021000", "D1", "possible")
D2_POS = DisqualifierToken("D2|possible|290 PC REGISTRATION|1979-06-01|678544|101001009000", "D2", "possible")
D3_A = DisqualifierToken("D3|definite|11359 HS|2010-03-05|140195|101001025000", "D3", "definite")
D3_B = DisqualifierToken("D3|definite|11359 HS|1991-04-11|222344|101001026000", "D3", "definite")

def facts(**kw) -> PolicyFacts:
    base = dict(
        level="felony",
        count_class="prop64",
        section="11358",
        first_subsection_letter=None,
        statutory_determination="reduce_to_misdemeanor",
        statutory_rule_ids=("stat.11358.felony.adult.reduce_m",),
        statutory_reason="11358 HS felony: misdemeanor today.",
        as_of=AS_OF,
        age_brackets={"adult"},
    )
    base.update(kw)
    return PolicyFacts(**base)


def run(policy: Policy, f: PolicyFacts) -> PolicyResult:
    result = apply_policy(policy, f)
    for rule_id in result.rule_ids:  # every rule id a test produces has a catalog entry
        assert rule_id in policy_catalog(), rule_id
    return result


_CATALOG_CACHE = []


def policy_catalog():
    """The policy.* entries of the rule catalog, loaded on their own (rules/catalog.py)."""
    if not _CATALOG_CACHE:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="policy_catalog_"))
        for path in CATALOG.glob("policy.*.toml"):
            shutil.copy(path, folder / path.name)
        _CATALOG_CACHE.append(load_catalog(folder))
        shutil.rmtree(folder)
    return _CATALOG_CACHE[0]


def custom(
    misdemeanors=MisdemeanorRule("statutory"),
    felonies=None,
    criteria=(),
    disqualifier="no_relief",
    post_prop64="no_relief",
) -> Policy:
    base = {s: FelonyRule("criteria", fallback="statutory") for s in pm.SECTIONS}
    base.update(felonies or {})
    return Policy(
        id="custom", name="Custom", version="1",
        statutory_bars=StatutoryBars(disqualifier, post_prop64),
        misdemeanors=misdemeanors, felonies=base, criteria=criteria,
    )


def misdemeanor(**kw) -> PolicyFacts:
    kw.setdefault("statutory_determination", "dismiss_and_seal")
    kw.setdefault("statutory_rule_ids", ("stat.11357b.misdemeanor.adult.dismiss",))
    kw.setdefault("section", "11357")
    kw.setdefault("first_subsection_letter", "B")
    kw.setdefault("level", "misdemeanor")
    return facts(**kw)


# --- P1 routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["misdemeanor", "infraction"])
def test_p1_la_misdemeanor_routed_to_city_attorney(level):
    r = run(LA, misdemeanor(level=level))
    assert r == PolicyResult(
        "hand_review", ("policy.route.city_attorney",), "To be reviewed by City Attorneys",
        review_route="city_attorney",
    )


def test_p1_routes_before_the_guard():
    r = run(LA, misdemeanor(count_class="prop64_attempt", statutory_determination="hand_review",
                            statutory_rule_ids=("stat.attempt",)))
    assert r.rule_ids == ("policy.route.city_attorney",)


def test_p1_default_reason():
    p = custom(misdemeanors=MisdemeanorRule("city_attorney_review"))
    assert run(p, misdemeanor()).reason == "To be reviewed by City Attorneys"


@pytest.mark.parametrize("level", ["felony", "unknown"])
def test_p1_does_not_route_felony_or_unknown_level(level):
    f = facts(level=level, statutory_determination="hand_review", statutory_rule_ids=("stat.level_unknown",)) \
        if level == "unknown" else facts()
    r = run(LA, f)
    assert r.review_route is None
    assert "policy.route.city_attorney" not in r.rule_ids


# --- P2 statutory guard --------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id, count_class", [
    ("stat.data.conflicting_rows", "prop64"),
    ("stat.parse.unreadable", "prop64_unreadable"),
    ("stat.parse.code_unclear", "prop64_code_unclear"),
    ("stat.parse.comment_conflict", "prop64_comment_conflict"),
    ("stat.attempt", "prop64_attempt"),
    ("stat.accessory", "prop64_accessory"),
    ("stat.data.record_incomplete", "prop64"),
])
def test_p2_guard_review_only(rule_id, count_class):
    f = facts(section="11357", first_subsection_letter="A", count_class=count_class,
              statutory_determination="hand_review", statutory_rule_ids=(rule_id,), statutory_reason="Why.")
    for policy in (LA, BEAR, STATUTORY):
        r = run(policy, f)
        assert r == PolicyResult("hand_review", ("policy.guard.statutory",), "Statutory determination stands: Why.")


def test_p2_guard_level_unknown():
    f = facts(level="unknown", statutory_determination="hand_review", statutory_rule_ids=("stat.level_unknown",))
    assert run(BEAR, f).rule_ids == ("policy.guard.statutory",)
    assert run(BEAR, f).compat_determination == ""


def test_p2_guard_class_not_prop64_after_s2():
    f = facts(count_class="prop64_code_unclear", statutory_determination="no_relief",
              statutory_rule_ids=("stat.date.post_prop64",), statutory_reason="Offense on or after 9 Nov 2016.")
    r = run(BEAR, f)
    assert r.determination == "no_relief"
    assert r.rule_ids == ("policy.guard.statutory",)
    assert (r.compat_determination, r.compat_reason, r.policy_conflict) == ("", "", False)


@pytest.mark.parametrize("rule_id", ["stat.date.offense_unknown", "stat.11357.subsection_unknown", "stat.dq.possible"])
def test_p2_policy_resolvable_rules_pass_the_guard(rule_id):
    f = facts(section="11357", statutory_determination="hand_review", statutory_rule_ids=(rule_id,))
    r = run(LA, f)
    assert r.rule_ids[0] != "policy.guard.statutory"


# --- P3a / P3d misdemeanors ----------------------------------------------------------------------


def test_p3a_misdemeanor_dismiss():
    p = custom(misdemeanors=MisdemeanorRule("dismiss"))
    r = run(p, misdemeanor(statutory_determination="no_relief",
                           statutory_rule_ids=("stat.11357c.misdemeanor.adult.none",)))
    assert (r.determination, r.rule_ids, r.basis) == ("dismiss_and_seal", ("policy.misdemeanor.dismiss",), "policy")
    assert r.reason == "Misdemeanor or infraction: dismissed by county policy"


def test_p3d_misdemeanor_statutory():
    r = run(STATUTORY, misdemeanor(statutory_reason="Lawful today."))
    assert (r.determination, r.rule_ids, r.reason, r.basis) == (
        "dismiss_and_seal", ("policy.misdemeanor.statutory",), "Lawful today.", "statute"
    )


def test_p3c_criteria_apply_to_misdemeanors_under_statutory_action():
    crit = Criterion("deceased", "dismiss_and_seal", "Deceased", {"deceased": True})
    p = custom(criteria=(crit,))
    f = misdemeanor(statutory_determination="no_relief", statutory_rule_ids=("stat.11357c.misdemeanor.adult.none",))
    assert run(p, f).rule_ids == ("policy.misdemeanor.statutory",)
    r = run(p, misdemeanor(statutory_determination="no_relief", deceased=True,
                           statutory_rule_ids=("stat.11357c.misdemeanor.adult.none",)))
    assert (r.determination, r.rule_ids, r.criterion_label) == (
        "dismiss_and_seal", ("policy.criterion.deceased",), "Deceased"
    )


# --- P3b sections and subsections ----------------------------------------------------------------


def felony_11357(letter, **kw):
    kw.setdefault("statutory_determination", "reduce_to_misdemeanor")
    kw.setdefault("statutory_rule_ids", (f"stat.11357{(letter or 'c').lower()}.felony.adult.reduce_m",))
    return facts(section="11357", first_subsection_letter=letter, **kw)


@pytest.mark.parametrize("letter", ["A", "B"])
def test_p3b_la_11357_dismiss_by_subsection(letter):
    r = run(LA, felony_11357(letter))
    assert r.determination == "dismiss_and_seal"
    assert r.rule_ids == (f"policy.section.11357({letter}).dismiss",)
    assert r.reason == "11357(a) or 11357(b)"
    assert r.basis == "policy"
    assert r.criterion_label is None


@pytest.mark.parametrize("letter", ["C", "D", "E", None])
def test_p3b_la_other_11357_hand_review(letter):
    r = run(LA, felony_11357(letter))
    assert (r.determination, r.rule_ids, r.reason) == ("hand_review", ("policy.section.11357.hand_review",), "Other 11357")


def test_p3b_subsection_ignored_when_subsection_unknown():
    f = felony_11357("B", statutory_determination="hand_review", statutory_rule_ids=("stat.11357.subsection_unknown",))
    assert run(LA, f).rule_ids == ("policy.section.11357.hand_review",)


def test_p3b_subsection_hand_review_and_criteria():
    p = custom(felonies={"11360": FelonyRule("dismiss", subsections={"A": "hand_review", "B": "criteria"},
                                             fallback="reduce")})
    a = facts(section="11360", first_subsection_letter="A")
    assert run(p, a).rule_ids == ("policy.section.11360(A).hand_review",)
    assert run(p, a).reason == "HS 11360(a) felony: reviewed by county policy"
    b = facts(section="11360", first_subsection_letter="B", statutory_determination="reduce_to_infraction",
              statutory_rule_ids=("stat.11360b.felony.young_adult.reduce_i",))
    r = run(p, b)
    assert r.rule_ids == ("policy.fallback.11360.reduce", "policy.floor")
    assert run(p, facts(section="11360", first_subsection_letter="C")).rule_ids == ("policy.section.11360.dismiss",)


def test_p3b_bear_section_dismiss():
    r = run(BEAR, facts(section="11358"))
    assert (r.determination, r.rule_ids, r.reason) == (
        "dismiss_and_seal", ("policy.section.11358.dismiss",), "Dismiss all HS 11358 convictions"
    )
    assert (r.compat_determination, r.compat_reason) == ("Eligible for Dismissal", "Dismiss all HS 11358 convictions")


# --- P3c criteria --------------------------------------------------------------------------------

OLD_DOB = DateValue(date(1960, 1, 1), date(1960, 1, 1))


def test_p3c_la_criteria_order_disqualifier_before_age():
    f = facts(dob=OLD_DOB, disqualifier_tokens=[D1_DEF], statutory_determination="no_relief",
              statutory_rule_ids=("stat.dq.superstrike",))
    r = run(LA, f)
    assert (r.determination, r.rule_ids, r.reason, r.criterion_label) == (
        "no_relief", ("policy.criterion.superstrike",), "PC 667(e)(2)(c)(iv)", "PC 667(e)(2)(c)(iv)"
    )
    assert r.basis is None


def test_p3c_la_first_matching_criterion_wins():
    f = facts(dob=OLD_DOB, person_latest_conviction_hi=date(1990, 1, 1), person_conviction_dates_known=True)
    r = run(LA, f)
    assert r.rule_ids == ("policy.criterion.age_50",)
    assert r.criterion_label == "50 years or older"
    f = facts(person_latest_conviction_hi=date(1990, 1, 1), person_conviction_dates_known=True)
    assert run(LA, f).rule_ids == ("policy.criterion.crime_free_10",)


def test_p3c_la_all_conditions_of_a_criterion_must_hold():
    f = facts(only_prop64_convictions=True, all_sentences_completed=False)
    assert run(LA, f).rule_ids == ("policy.fallback.11358.hand_review",)
    f = facts(only_prop64_convictions=True, all_sentences_completed=True)
    r = run(LA, f)
    assert r.rule_ids == ("policy.criterion.only_prop64_completed",)
    assert r.reason == "Only has 11357-60 charges and completed sentence"


def test_p3c_la_post_prop64_and_currently_serving():
    f = facts(statutory_determination="no_relief", statutory_rule_ids=("stat.date.post_prop64",))
    r = run(LA, f)
    assert (r.determination, r.rule_ids, r.reason) == ("no_relief", ("policy.criterion.occurred_after",),
                                                       "Occurred after 11/09/2016")
    r = run(LA, facts(relief_path="resentencing"))
    assert (r.determination, r.rule_ids) == ("hand_review", ("policy.criterion.currently_serving",))


def test_p3c_la_no_criterion_falls_back_to_review():
    r = run(LA, facts())
    assert (r.determination, r.rule_ids, r.reason) == (
        "hand_review", ("policy.fallback.11358.hand_review",), "No applicable eligibility criteria"
    )


# --- P3d felony fallbacks ------------------------------------------------------------------------


def test_p3d_fallbacks():
    p = custom(felonies={
        "11357": FelonyRule("criteria", fallback="none"),
        "11358": FelonyRule("criteria", fallback="reduce"),
        "11359": FelonyRule("criteria", fallback="hand_review"),
        "11360": FelonyRule("criteria", fallback="statutory", fallback_reason="County follows the statute"),
    })
    r = run(p, facts(section="11357", first_subsection_letter="B", statutory_determination="dismiss_and_seal",
                     statutory_rule_ids=("stat.11357b.felony.adult.dismiss",)))
    assert (r.determination, r.rule_ids, r.reason) == ("hand_review", ("policy.fallback.none",), "No applicable policy rule")
    r = run(p, facts(section="11358", statutory_determination="no_relief", statutory_rule_ids=("stat.dq.two_priors",),
                     disqualifier_tokens=[D3_A, D3_B]))
    assert r.determination == "no_relief"  # reduce withheld by the definite bar (P5)
    r = run(p, facts(section="11358", statutory_determination="hand_review", statutory_rule_ids=("stat.dq.possible",)))
    assert (r.determination, r.rule_ids) == ("reduce_to_misdemeanor", ("policy.fallback.11358.reduce",))
    assert r.reason == "HS 11358 felony: reduced to a misdemeanor by county policy"
    r = run(p, facts(section="11359"))
    assert r.rule_ids == ("policy.fallback.11359.hand_review",)
    r = run(p, facts(section="11360", statutory_reason="Misdemeanor today."))
    assert (r.determination, r.rule_ids, r.reason, r.basis) == (
        "reduce_to_misdemeanor", ("policy.fallback.11360.statutory",),
        "County follows the statute: Misdemeanor today.", "statute",
    )


def test_p3d_bear_reduce_and_neither_list():
    r = run(BEAR, facts(section="11360"))
    assert (r.determination, r.rule_ids) == ("reduce_to_misdemeanor", ("policy.fallback.11360.reduce",))
    assert (r.compat_determination, r.compat_reason) == ("Eligible for Reduction", "Reduce all HS 11360 convictions")
    bear = load_policy("bear_compatible")
    neither = pm.parse_policy(pm.preset_path("bear_compatible").read_bytes(), "bear_compatible.toml",
                              b'{"baselineEligibility": {"dismiss": ["11357"]}}', "o.json")
    assert bear.felonies["11359"].action == "dismiss"
    r = run(neither, facts(section="11359"))
    assert (r.determination, r.rule_ids, r.compat_determination, r.compat_reason) == (
        "hand_review", ("policy.fallback.none",), "", ""
    )


# --- P4 floor ------------------------------------------------------------------------------------


def test_p4_floor_raises_bear_reduction_for_a_minor():
    f = facts(section="11359", age_brackets={"minor"}, statutory_determination="reduce_to_infraction",
              statutory_rule_ids=("stat.11359.felony.minor.reduce_i",))
    r = run(BEAR, f)
    assert r.determination == "reduce_to_infraction"
    assert r.rule_ids == ("policy.fallback.11359.reduce", "policy.floor")
    assert r.reason == "Reduce all HS 11359 convictions; raised to the statutory floor"
    assert r.floor_applied and r.basis == "statute"
    # P4 never changes the compat strings
    assert (r.compat_determination, r.compat_reason) == ("Eligible for Reduction", "Reduce all HS 11359 convictions")


def test_p4_floor_raises_a_no_relief_criterion():
    p = custom(criteria=(Criterion("old", "no_relief", "Old conviction", {"conviction_years_before_as_of_at_least": 1}),))
    f = facts(conviction=date(2000, 1, 1))
    r = run(p, f)
    assert (r.determination, r.rule_ids, r.floor_applied) == (
        "reduce_to_misdemeanor", ("policy.criterion.old", "policy.floor"), True
    )
    assert r.criterion_label == "Old conviction"


def test_p4_floor_not_applied():
    # X not lower
    assert not run(BEAR, facts(section="11358")).floor_applied
    # hand_review is never raised
    r = run(LA, facts())
    assert (r.determination, r.floor_applied) == ("hand_review", False)
    # statutory hand_review has no rank
    p = custom(felonies={"11358": FelonyRule("criteria", fallback="reduce")})
    r = run(p, facts(statutory_determination="hand_review", statutory_rule_ids=("stat.date.offense_unknown",)))
    assert not r.floor_applied
    # a bar blocks the floor (facts the statutory layer would not produce, to isolate the rule)
    p = custom(criteria=(Criterion("x", "no_relief", "X", {"deceased": True}),))
    r = run(p, facts(deceased=True, disqualifier_tokens=[D1_POS]))
    assert (r.determination, r.floor_applied) == ("no_relief", False)


# --- P5 bars -------------------------------------------------------------------------------------


def test_p5_definite_bar_no_relief():
    f = felony_11357("A", statutory_determination="no_relief", statutory_rule_ids=("stat.date.post_prop64",))
    r = run(LA, f)
    assert r.determination == "no_relief"
    assert r.rule_ids == ("policy.section.11357(A).dismiss", "policy.bar.no_relief")
    assert r.reason == "11357(a) or 11357(b); statutory bar: post_prop64 — withheld"
    assert not r.policy_conflict and r.basis is None


def test_p5_possible_bar_no_relief_counts_as_review():
    f = felony_11357("B", statutory_determination="hand_review", statutory_rule_ids=("stat.date.offense_unknown",))
    r = run(LA, f)
    assert r.determination == "hand_review"
    assert r.rule_ids == ("policy.section.11357(B).dismiss", "policy.bar.hand_review")
    assert r.reason.endswith("; statutory bar: post_prop64? — routed to review")


def test_p5_possible_disqualifier_la():
    f = facts(dob=OLD_DOB, statutory_determination="hand_review", statutory_rule_ids=("stat.dq.possible",),
              disqualifier_tokens=[D1_POS])
    r = run(LA, f)
    assert (r.determination, r.rule_ids) == ("hand_review", ("policy.criterion.age_50", "policy.bar.hand_review"))
    assert r.criterion_label == "50 years or older"


def test_p5_hand_review_setting():
    p = custom(misdemeanors=MisdemeanorRule("dismiss"), disqualifier="hand_review")
    r = run(p, misdemeanor(section="11359", statutory_determination="no_relief",
                           statutory_rule_ids=("stat.dq.two_priors",), disqualifier_tokens=[D3_A]))
    assert (r.determination, r.rule_ids[-1], r.policy_conflict) == ("hand_review", "policy.bar.hand_review", False)


def test_p5_grant_anyway_records_the_conflict():
    # gogen fixture line 29: a misdemeanor 11359 with two definite priors (§11.2, peer/gogen/README.md)
    f = misdemeanor(section="11359", first_subsection_letter=None, statutory_determination="no_relief",
                    statutory_rule_ids=("stat.11359.misdemeanor.adult.none",), disqualifier_tokens=[D3_A, D3_B])
    r = run(BEAR, f)
    assert r.determination == "dismiss_and_seal"
    assert r.rule_ids == ("policy.misdemeanor.dismiss", "policy.bar.grant_anyway")
    assert r.policy_conflict
    assert r.conflict_details == (D3_B.token, D3_A.token)  # byte order
    assert r.reason == (f"Misdemeanor or Infraction; statutory bar: {D3_B.token}, {D3_A.token} — "
                        "granted by policy (conflict)")
    assert (r.compat_determination, r.compat_reason) == ("Eligible for Dismissal", "Misdemeanor or Infraction")
    assert r.basis == "policy"


def test_p5_gogen_fixture_conflicts():
    # line 11: 57 years or older despite a possible PC 290 registration
    f = facts(section="11359", dob=OLD_DOB, statutory_determination="hand_review",
              statutory_rule_ids=("stat.dq.possible",), disqualifier_tokens=[D2_POS])
    r = run(BEAR, f)
    assert (r.determination, r.compat_reason, r.conflict_details) == (
        "dismiss_and_seal", "57 years or older", (D2_POS.token,)
    )
    # line 26: reduced despite a possible super strike
    f = facts(section="11359", dob=DateValue(date(1975, 1, 1), date(1975, 1, 1)), statutory_determination="hand_review",
              statutory_rule_ids=("stat.dq.possible",), disqualifier_tokens=[D1_POS])
    r = run(BEAR, f)
    assert (r.determination, r.compat_determination, r.conflict_details) == (
        "reduce_to_misdemeanor", "Eligible for Reduction", (D1_POS.token,)
    )
    # line 39: offense date unknown, 11358 dismissed
    f = facts(section="11358", statutory_determination="hand_review", statutory_rule_ids=("stat.date.offense_unknown",))
    r = run(BEAR, f)
    assert (r.determination, r.compat_reason, r.conflict_details) == (
        "dismiss_and_seal", "Dismiss all HS 11358 convictions", ("post_prop64?",)
    )
    assert r.rule_ids == ("policy.section.11358.dismiss", "policy.bar.grant_anyway")


def test_p5_strictest_setting_wins():
    p = custom(misdemeanors=MisdemeanorRule("dismiss"), disqualifier="grant_anyway", post_prop64="hand_review")
    f = misdemeanor(section="11359", statutory_determination="hand_review",
                    statutory_rule_ids=("stat.date.offense_unknown",), disqualifier_tokens=[D3_A])
    r = run(p, f)
    assert (r.determination, r.rule_ids[-1], r.policy_conflict) == ("hand_review", "policy.bar.hand_review", False)
    assert r.reason.endswith(f"; statutory bar: {D3_A.token}, post_prop64? — routed to review")
    p = custom(misdemeanors=MisdemeanorRule("dismiss"), disqualifier="no_relief", post_prop64="grant_anyway")
    r = run(p, f)
    assert r.determination == "no_relief"
    p = custom(misdemeanors=MisdemeanorRule("dismiss"), disqualifier="grant_anyway", post_prop64="grant_anyway")
    r = run(p, f)
    assert r.conflict_details == (D3_A.token, "post_prop64?")


def test_p5_not_applied():
    # no bar
    r = run(BEAR, facts(section="11358"))
    assert r.rule_ids == ("policy.section.11358.dismiss",) and not r.policy_conflict
    # X is not a relief
    f = facts(disqualifier_tokens=[D1_DEF], statutory_determination="no_relief", statutory_rule_ids=("stat.dq.superstrike",))
    assert run(LA, f).rule_ids == ("policy.criterion.superstrike",)


def test_d5b_bars_only_when_an_adult_bracket_is_possible():
    d5b = DisqualifierToken("D5b|definite|11361(A) HS|2001-01-01|C1|001001002000", "D5b", "definite")
    young = facts(section="11359", age_brackets={"young_adult"}, disqualifier_tokens=[d5b])
    assert run(STATUTORY, young).determination == "reduce_to_misdemeanor"
    assert run(BEAR, young).policy_conflict is False
    p = custom(felonies={"11359": FelonyRule("dismiss")})
    assert run(p, young).determination == "dismiss_and_seal"
    adult = facts(section="11359", age_brackets={"young_adult", "adult"}, disqualifier_tokens=[d5b],
                  statutory_determination="no_relief", statutory_rule_ids=("stat.dq.hire_minor",))
    r = run(p, adult)
    assert (r.determination, r.rule_ids[-1]) == ("no_relief", "policy.bar.no_relief")


# --- §9.3 conditions -----------------------------------------------------------------------------


def exact(y, m, d):
    return DateValue(date(y, m, d), date(y, m, d))


@pytest.mark.parametrize("brackets, expected", [
    ({"minor"}, True), ({"minor", "young_adult"}, True), ({"young_adult"}, True),
    ({"young_adult", "adult"}, False), ({"minor", "young_adult", "adult"}, False), (set(), False),
])
def test_under_21_at_offense(brackets, expected):
    assert condition_holds("under_21_at_offense", True, facts(age_brackets=brackets)) is expected


@pytest.mark.parametrize("dob, conviction, expected", [
    (exact(2000, 1, 1), exact(2020, 12, 31), True),
    (exact(2000, 1, 1), exact(2021, 1, 1), False),
    (DateValue(date(2000, 1, 1), date(2000, 12, 31)), exact(2020, 12, 31), True),   # uses DOB.lo
    (DateValue(date(2000, 1, 1), date(2000, 12, 31)), exact(2021, 6, 1), False),
    (exact(2000, 1, 1), DateValue(date(2020, 1, 1), date(2020, 12, 31)), True),      # uses conviction.hi
    (exact(2000, 1, 1), DateValue(date(2020, 1, 1), date(2021, 12, 31)), False),
    (exact(2000, 2, 29), exact(2021, 2, 28), True),                                  # 21 on 1 March 2021
    (exact(2000, 2, 29), exact(2021, 3, 1), False),
    (DateValue(None, None), exact(2010, 1, 1), False),
    (exact(2000, 1, 1), DateValue(None, None), False),
])
def test_under_21_at_conviction(dob, conviction, expected):
    assert condition_holds("under_21_at_conviction", True, facts(dob=dob, conviction=conviction)) is expected


@pytest.mark.parametrize("dob, as_of, n, expected", [
    (exact(1970, 7, 1), date(2020, 7, 1), 50, True),
    (exact(1970, 7, 2), date(2020, 7, 1), 50, False),
    (exact(1972, 2, 29), date(2022, 2, 28), 50, False),
    (exact(1972, 2, 29), date(2022, 3, 1), 50, True),
    (DateValue(date(1970, 1, 1), date(1970, 12, 31)), date(2020, 7, 1), 50, False),  # uses DOB.hi
    (DateValue(date(1970, 1, 1), date(1970, 12, 31)), date(2020, 12, 31), 50, True),
    (DateValue(None, None), date(2020, 7, 1), 18, False),
])
def test_age_at_as_of_at_least(dob, as_of, n, expected):
    assert condition_holds("age_at_as_of_at_least", n, facts(dob=dob, as_of=as_of)) is expected


@pytest.mark.parametrize("conviction, expected", [
    (exact(2010, 7, 1), True), (exact(2010, 7, 2), False),
    (DateValue(date(2010, 1, 1), date(2010, 12, 31)), False), (DateValue(date(2010, 6, 1), date(2010, 6, 30)), True),
    (DateValue(None, None), False),
])
def test_conviction_years_before_as_of_at_least(conviction, expected):
    assert condition_holds("conviction_years_before_as_of_at_least", 10, facts(conviction=conviction)) is expected


@pytest.mark.parametrize("latest, known, expected", [
    (date(2010, 6, 30), True, True), (date(2010, 7, 1), True, False), (date(2010, 6, 30), False, False),
    (None, True, False),
])
def test_no_conviction_within_years(latest, known, expected):
    f = facts(person_latest_conviction_hi=latest, person_conviction_dates_known=known)
    assert condition_holds("no_conviction_within_years", 10, f) is expected


@pytest.mark.parametrize("key, field, true_value, false_value", [
    ("only_prop64_convictions", "only_prop64_convictions", True, False),
    ("all_sentences_completed", "all_sentences_completed", True, False),
    ("deceased", "deceased", True, False),
    ("sentence_completed", "relief_path", "redesignation", "unknown"),
    ("currently_serving", "relief_path", "resentencing", "redesignation"),
])
def test_flag_conditions(key, field, true_value, false_value):
    assert condition_holds(key, True, facts(**{field: true_value})) is True
    assert condition_holds(key, True, facts(**{field: false_value})) is False


def test_disqualifier_any_of_needs_a_definite_token():
    assert condition_holds("disqualifier_any_of", ("D1",), facts(disqualifier_tokens=[D1_DEF]))
    assert not condition_holds("disqualifier_any_of", ("D1",), facts(disqualifier_tokens=[D1_POS]))
    assert not condition_holds("disqualifier_any_of", ("D2", "D3"), facts(disqualifier_tokens=[D1_DEF]))
    assert condition_holds("disqualifier_any_of", ("D2", "D3"), facts(disqualifier_tokens=[D1_DEF, D3_A]))


def test_post_prop64_condition():
    f = facts(statutory_determination="no_relief", statutory_rule_ids=("stat.date.post_prop64",))
    assert condition_holds("post_prop64", True, f)
    f = facts(statutory_determination="hand_review", statutory_rule_ids=("stat.date.offense_unknown",))
    assert not condition_holds("post_prop64", True, f)


def test_unknown_condition_is_a_bug():
    with pytest.raises(ValueError):
        condition_holds("favourite_colour", True, facts())


# --- PolicyFacts ---------------------------------------------------------------------------------


def test_facts_derivations_read_every_rule_id():
    f = facts(statutory_determination="hand_review",
              statutory_rule_ids=("stat.11358.felony.adult.reduce_m", "stat.dq.possible"))
    assert f.review_only_statutory is False


def test_facts_derive_date_bar_and_review_only():
    f = facts(statutory_determination="no_relief", statutory_rule_ids=["stat.date.post_prop64"])
    assert (f.date_bar, f.review_only_statutory, f.statutory_rule_ids) == ("post_prop64", False, ("stat.date.post_prop64",))
    f = facts(statutory_determination="hand_review", statutory_rule_ids=("stat.date.offense_unknown",))
    assert (f.date_bar, f.review_only_statutory) == ("post_prop64?", False)
    f = facts(statutory_determination="hand_review", statutory_rule_ids=("stat.accessory",))
    assert (f.date_bar, f.review_only_statutory) == (None, True)
    f = facts(disqualifier_tokens=[("D1|definite|x|2000|c|1", "D1", "definite")])
    assert f.disqualifier_tokens[0].code == "D1"


@pytest.mark.parametrize("kw", [
    dict(date_bar="post_prop64"),
    dict(review_only_statutory=True),
    dict(level="felonious"),
    dict(statutory_determination="dismiss"),
    dict(statutory_rule_ids=()),
    dict(relief_path="done"),
    dict(age_brackets={"child"}),
    dict(disqualifier_tokens=[("t", "D1", "likely")]),
])
def test_facts_reject_inconsistent_values(kw):
    with pytest.raises(ValueError):
        facts(**kw)


# --- rule catalog --------------------------------------------------------------------------------


EXAMPLE_RULE_IDS = {
    "policy.route.city_attorney": "policy.route.city_attorney",
    "policy.guard.statutory": "policy.guard.statutory",
    "policy.misdemeanor.dismiss": "policy.misdemeanor.dismiss",
    "policy.misdemeanor.statutory": "policy.misdemeanor.statutory",
    "policy.section.11357.dismiss": "policy.section.dismiss",
    "policy.section.11357(A).dismiss": "policy.section.dismiss",
    "policy.section.11358.hand_review": "policy.section.hand_review",
    "policy.section.11360(B).hand_review": "policy.section.hand_review",
    "policy.criterion.age_50": "policy.criterion",
    "policy.fallback.11359.reduce": "policy.fallback.reduce",
    "policy.fallback.11360.statutory": "policy.fallback.statutory",
    "policy.fallback.11358.hand_review": "policy.fallback.hand_review",
    "policy.fallback.none": "policy.fallback.none",
    "policy.floor": "policy.floor",
    "policy.bar.no_relief": "policy.bar.no_relief",
    "policy.bar.hand_review": "policy.bar.hand_review",
    "policy.bar.grant_anyway": "policy.bar.grant_anyway",
}


def test_catalog_covers_every_policy_rule_id():
    catalog = policy_catalog()
    assert len(catalog.entries) == 15
    for rule_id, entry_id in EXAMPLE_RULE_IDS.items():
        assert catalog.lookup(rule_id).id == entry_id
    assert set(EXAMPLE_RULE_IDS.values()) == set(catalog.entries)


# --- properties ----------------------------------------------------------------------------------

REVIEW_ONLY_RULES = ("stat.data.conflicting_rows", "stat.parse.unreadable", "stat.parse.code_unclear",
                     "stat.parse.comment_conflict", "stat.attempt", "stat.accessory", "stat.level_unknown",
                     "stat.data.record_incomplete")
DQ_RULES = ("stat.dq.superstrike", "stat.dq.pc290", "stat.dq.two_priors", "stat.dq.environmental",
            "stat.dq.minor", "stat.dq.hire_minor")
CELL = {"dismiss_and_seal": "dismiss", "reduce_to_infraction": "reduce_i", "reduce_to_misdemeanor": "reduce_m",
        "no_relief": "none"}
CLASSES = ("prop64", "prop64_code_unclear", "prop64_attempt", "prop64_accessory", "prop64_unreadable",
           "prop64_comment_conflict")
# a few dates around the thresholds the conditions use (as-of 2020-07-01 / 2019-11-11, ages 21 and 50…)
SOME_DATES = sorted({date(y, m, d) for y in (1960, 1970, 1972, 1999, 2000, 2009, 2010, 2016, 2019, 2020, 2021)
                     for m, d in ((1, 1), (2, 29), (3, 1), (7, 1), (11, 11), (12, 31)) if (m, d) != (2, 29) or y % 4 == 0})
dates = st.sampled_from(SOME_DATES)
date_values = st.one_of(
    st.just(DateValue(None, None)),
    dates.map(lambda d: DateValue(d, d)),
    dates.map(lambda d: DateValue(date(d.year, 1, 1), date(d.year, 12, 31))),
)
TOKEN_LIST = [
    DisqualifierToken(f"{code}|{certainty}|X {n}|2000-01-01|c|{n:012d}", code, certainty)
    for code in pm.DISQUALIFIER_CODES for certainty in ("definite", "possible") for n in (1, 2)
]
tokens = st.sampled_from(TOKEN_LIST)
d5b_tokens = st.sampled_from([t for t in TOKEN_LIST if t.code == "D5b"])


STATUTORY_OUTCOMES = (
    [(rule, "hand_review") for rule in REVIEW_ONLY_RULES]
    + [("stat.date.post_prop64", "no_relief"), ("stat.date.offense_unknown", "hand_review"),
       ("stat.11357.subsection_unknown", "hand_review"), ("stat.dq.possible", "hand_review")]
    + [(rule, "no_relief") for rule in DQ_RULES]
    + [(f"stat.11358.felony.adult.{cell}", det) for det, cell in CELL.items()]
)
_FACT_FIELDS = st.fixed_dictionaries({
    # weighted towards counts the policy reaches (prop64, level known)
    "level": st.one_of(st.sampled_from(("felony", "misdemeanor", "infraction")), st.sampled_from(("felony", "unknown"))),
    "count_class": st.one_of(st.just("prop64"), st.just("prop64"), st.sampled_from(CLASSES)),
    "section": st.sampled_from(pm.SECTIONS),
    "first_subsection_letter": st.sampled_from((None, "A", "B", "C", "D", "E", "F")),
    "more_rule_ids": st.lists(st.sampled_from(DQ_RULES), max_size=2),
    "as_of": dates,
    "tokens": st.lists(st.one_of(tokens, d5b_tokens), max_size=2),
    "age_brackets": st.sets(st.sampled_from(("minor", "young_adult", "adult"))),
    "dob": date_values,
    "conviction": date_values,
    "relief_path": st.sampled_from(("redesignation", "resentencing", "unknown")),
    "person_latest_conviction_hi": st.none() | dates,
    "person_conviction_dates_known": st.booleans(),
    "only_prop64_convictions": st.booleans(),
    "all_sentences_completed": st.booleans(),
    "deceased": st.booleans(),
})


def _layer_facts(args) -> PolicyFacts:
    (rule, det), kw = args
    kw = dict(kw)
    more = kw.pop("more_rule_ids")
    bar_tokens = kw.pop("tokens")
    if det in RELIEFS:  # only a D5b token can come with a relief: when no adult bracket is possible
        bar_tokens = [] if "adult" in kw["age_brackets"] else [t for t in bar_tokens if t.code == "D5b"]
    return PolicyFacts(
        statutory_determination=det,
        statutory_rule_ids=(rule, *more),
        statutory_reason="reason",
        disqualifier_tokens=bar_tokens,
        **kw,
    )


#: Random counts as the statutory layer can produce them: a statutory relief never has a bar (§7.3).
statutory_layer_facts = st.tuples(st.sampled_from(STATUTORY_OUTCOMES), _FACT_FIELDS).map(_layer_facts)
#: Counts with a statutory relief that the policy reaches (prop64, level known).
relief_facts = st.tuples(
    st.sampled_from([(rule, det) for rule, det in STATUTORY_OUTCOMES if det in RELIEFS]),
    _FACT_FIELDS.map(lambda kw: {**kw, "count_class": "prop64", "level": "misdemeanor" if kw["level"] == "unknown"
                                 else kw["level"]}),
).map(_layer_facts)

PRESET_POLICIES = (STATUTORY, LA, BEAR, load_policy("bear_compatible"))
_conditions = st.one_of(
    st.sampled_from(pm.BOOLEAN_CONDITIONS).map(lambda k: (k, True)),
    st.sampled_from([(k, n) for k, (lo, hi) in pm.INTEGER_CONDITIONS.items() for n in (lo, 10, 50, hi)]),
    st.lists(st.sampled_from(pm.DISQUALIFIER_CODES), min_size=1, max_size=3).map(lambda v: ("disqualifier_any_of", v)),
)
_felony_plain = st.builds(
    lambda action, fallback: FelonyRule(action, fallback=fallback),
    st.sampled_from(pm.FELONY_ACTIONS), st.sampled_from(pm.FALLBACKS),
)
_felony_subs = st.builds(
    lambda action, fallback, subs: FelonyRule(action, fallback=fallback, subsections=subs),
    st.sampled_from(pm.FELONY_ACTIONS), st.sampled_from(pm.FALLBACKS),
    st.dictionaries(st.sampled_from(pm.SUBSECTION_LETTERS), st.sampled_from(pm.SUBSECTION_ACTIONS), max_size=3),
)
_criteria = st.lists(
    st.tuples(st.sampled_from(pm.CRITERION_OUTCOMES), st.lists(_conditions, min_size=1, max_size=2)), max_size=4
).map(lambda items: [Criterion(f"c{i}", outcome, f"C{i}", dict(conds)) for i, (outcome, conds) in enumerate(items)])
_custom_policies = st.builds(
    lambda mis, f57, f58, f59, f60, criteria, dq, post: custom(
        misdemeanors=MisdemeanorRule(mis), felonies={"11357": f57, "11358": f58, "11359": f59, "11360": f60},
        criteria=criteria, disqualifier=dq, post_prop64=post,
    ),
    st.sampled_from(pm.MISDEMEANOR_ACTIONS), _felony_subs, _felony_plain, _felony_plain, _felony_subs,
    _criteria, st.sampled_from(pm.BAR_SETTINGS), st.sampled_from(pm.BAR_SETTINGS),
)
any_policy = st.one_of(st.sampled_from(PRESET_POLICIES), _custom_policies)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statutory_layer_facts)
def test_statutory_preset_returns_the_statutory_determination(f):
    r = apply_policy(STATUTORY, f)
    assert r.determination == f.statutory_determination
    assert not r.floor_applied and not r.policy_conflict and r.review_route is None
    assert r.basis == ("statute" if f.statutory_determination in RELIEFS else None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_policy, statutory_layer_facts)
def test_any_policy_keeps_the_floor_and_never_hides_a_bar(policy, f):
    r = apply_policy(policy, f)
    has_bar = f.date_bar is not None or any(
        t.code != "D5b" or "adult" in f.age_brackets for t in f.disqualifier_tokens
    )
    # never less relief than the floor, except by routing to review
    if f.statutory_determination in RANK and not has_bar and r.determination != "hand_review":
        assert RANK[r.determination] >= RANK[f.statutory_determination]
    # never silently relief over a bar
    if r.determination in RELIEFS and has_bar:
        assert r.policy_conflict and r.rule_ids[-1] == "policy.bar.grant_anyway"
    # the possible bars never deny outright
    if r.rule_ids[-1] == "policy.bar.no_relief":
        assert any(t.certainty == "definite" for t in f.disqualifier_tokens) or f.date_bar == "post_prop64"
    if r.rule_ids[-1] == "policy.bar.grant_anyway":
        assert r.conflict_details and r.policy_conflict
    # compat strings only for BEAR-derived policies, and only BEAR's own values
    if policy.bear is None:
        assert (r.compat_determination, r.compat_reason) == ("", "")
    assert r.compat_determination in ("", "Eligible for Dismissal", "Eligible for Reduction")
    assert bool(r.compat_determination) == bool(r.compat_reason)
    assert r.basis == (None if r.determination not in RELIEFS else
                       "statute" if r.determination == f.statutory_determination else "policy")
    assert all(rule_id in policy_catalog() for rule_id in r.rule_ids)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_policy, relief_facts)
def test_no_policy_gives_less_than_a_statutory_relief(policy, f):
    r = apply_policy(policy, f)
    assert r.determination == "hand_review" or RANK[r.determination] >= RANK[f.statutory_determination]
    assert r.floor_applied == ("policy.floor" in r.rule_ids)
    if r.floor_applied:
        assert r.determination == f.statutory_determination and r.basis == "statute"
