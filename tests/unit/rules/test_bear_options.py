"""BEAR ``eligibility_options.json`` and the derived ``bear_compatible`` policy (eligibility.md §11.2)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from clearmyrecord_desktop.errors import PolicyError
from clearmyrecord_desktop.rules import policy as pm
from clearmyrecord_desktop.rules.policy import (
    BearOptions,
    Criterion,
    FelonyRule,
    MisdemeanorRule,
    StatutoryBars,
    load_policy,
    parse_policy,
    policy_to_toml,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "gogen"
GOGEN_OPTIONS = DATA / "eligibility_options.json"
PRESET = pm.preset_path("bear_compatible").read_bytes()


def with_options(options: str | bytes) -> pm.Policy:
    data = options.encode("utf-8") if isinstance(options, str) else options
    return parse_policy(PRESET, "bear_compatible.toml", data, "options.json")


def option_problems(options: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        with_options(options)
    lines = [str(p) for p in info.value.problems]
    for line in lines:
        assert line in str(info.value)
    return lines


def extra(**values) -> str:
    return json.dumps({"baselineEligibility": {"dismiss": ["11357"]}, "additionalRelief": values})


# --- the preset's own options ---------------------------------------------------------------------


def test_preset_defaults_derive_bear_defaults():
    p = load_policy("bear_compatible")
    assert p.bear == BearOptions(
        dismiss=("11357", "11358", "11359", "11360"),
        reduce=(),
        subject_under_21_at_conviction=False,
        subject_age_threshold=0,
        years_since_conviction_threshold=5,
        years_crime_free_threshold=5,
        subject_is_deceased=False,
        subject_has_only_prop64_charges=True,
    )
    assert p.statutory_bars == StatutoryBars("grant_anyway", "grant_anyway")
    assert p.misdemeanors == MisdemeanorRule("dismiss", "Misdemeanor or Infraction")
    assert p.felonies["11360"] == FelonyRule("dismiss", "Dismiss all HS 11360 convictions")
    assert [(c.id, c.reason, c.when) for c in p.criteria] == [
        ("years_since_conviction_threshold", "Conviction occurred 5 or more years ago",
         {"conviction_years_before_as_of_at_least": 5}),
        ("years_crime_free_threshold", "No convictions in the past 5 years", {"no_conviction_within_years": 5}),
        ("subject_has_only_prop64_charges", "Only has 11357-60 charges", {"only_prop64_convictions": True}),
    ]


# --- gogen's options file -------------------------------------------------------------------------


def test_gogen_options_file():
    p = load_policy("bear_compatible", GOGEN_OPTIONS)
    assert p.bear == BearOptions(
        dismiss=("11357", "11358"),
        reduce=("11359", "11360"),
        subject_under_21_at_conviction=True,
        subject_age_threshold=57,
        years_since_conviction_threshold=10,
        years_crime_free_threshold=0,  # missing key → 0
        subject_is_deceased=True,
        subject_has_only_prop64_charges=True,
    )
    assert p.felonies == {
        "11357": FelonyRule("dismiss", "Dismiss all HS 11357 convictions"),
        "11358": FelonyRule("dismiss", "Dismiss all HS 11358 convictions"),
        "11359": FelonyRule("criteria", fallback="reduce", fallback_reason="Reduce all HS 11359 convictions"),
        "11360": FelonyRule("criteria", fallback="reduce", fallback_reason="Reduce all HS 11360 convictions"),
    }
    # criteria in the order of the §11.2 table (gogen's order), with its exact strings
    assert p.criteria == (
        Criterion("subject_under_21_at_conviction", "dismiss_and_seal", "21 years or younger",
                  {"under_21_at_conviction": True}),
        Criterion("subject_age_threshold", "dismiss_and_seal", "57 years or older", {"age_at_as_of_at_least": 57}),
        Criterion("years_since_conviction_threshold", "dismiss_and_seal", "Conviction occurred 10 or more years ago",
                  {"conviction_years_before_as_of_at_least": 10}),
        Criterion("subject_has_only_prop64_charges", "dismiss_and_seal", "Only has 11357-60 charges",
                  {"only_prop64_convictions": True}),
        Criterion("subject_is_deceased", "dismiss_and_seal", "Individual is deceased", {"deceased": True}),
    )
    options = GOGEN_OPTIONS.read_bytes()
    assert p.sha256 == hashlib.sha256(PRESET + options).hexdigest()
    assert p.source_text == (PRESET + options).decode("utf-8")


def test_options_round_trip_through_the_editor():
    p = load_policy("bear_compatible", GOGEN_OPTIONS)
    again = parse_policy(policy_to_toml(p).encode(), "saved.toml")
    assert again == p
    assert "subjectAgeThreshold = 57" in policy_to_toml(p)


def test_all_six_criteria_in_table_order():
    p = with_options(json.dumps({
        "additionalRelief": {
            "subjectIsDeceased": True, "subjectHasOnlyProp64Charges": True, "yearsCrimeFreeThreshold": 7,
            "yearsSinceConvictionThreshold": 3, "subjectAgeThreshold": 40, "subjectUnder21AtConviction": True,
        }
    }))
    assert [c.reason for c in p.criteria] == [
        "21 years or younger",
        "40 years or older",
        "Conviction occurred 3 or more years ago",
        "No convictions in the past 7 years",
        "Only has 11357-60 charges",
        "Individual is deceased",
    ]


def test_section_in_neither_list_falls_back_to_none():
    p = with_options('{"baselineEligibility": {"dismiss": ["11357"], "reduce": ["11359"]}}')
    assert p.felonies["11358"] == FelonyRule("criteria", fallback="none")
    assert p.felonies["11360"] == FelonyRule("criteria", fallback="none")
    assert p.felonies["11359"].fallback == "reduce"


def test_section_in_both_lists_is_dismissed():
    p = with_options('{"baselineEligibility": {"dismiss": ["11359"], "reduce": ["11359", "11360"]}}')
    assert p.felonies["11359"] == FelonyRule("dismiss", "Dismiss all HS 11359 convictions")
    assert p.felonies["11360"].fallback == "reduce"


# --- reading rules: case, unknown keys, missing, null, duplicates ---------------------------------


def test_keys_case_insensitive_and_unknown_ignored():
    p = with_options(json.dumps({
        "BASELINEELIGIBILITY": {"Dismiss": ["11358"], "REDUCE": ["11360"], "other": 5},
        "additionalrelief": {"SUBJECTAGETHRESHOLD": 50, "subjectisdeceased": True, "extraBearKey": "x"},
        "bearWritesThis": {"anything": [1, 2.5, None]},
    }))
    assert p.bear.dismiss == ("11358",)
    assert p.bear.reduce == ("11360",)
    assert p.bear.subject_age_threshold == 50
    assert p.bear.subject_is_deceased is True


def test_missing_and_null_mean_false_zero_empty():
    for text in ("{}", '{"baselineEligibility": null, "additionalRelief": null}',
                 '{"baselineEligibility": {"dismiss": null, "reduce": null}, "additionalRelief": '
                 '{"subjectAgeThreshold": null, "subjectIsDeceased": null}}'):
        p = with_options(text)
        assert p.bear == BearOptions()
        assert p.criteria == ()
        assert all(r == FelonyRule("criteria", fallback="none") for r in p.felonies.values())


def test_duplicate_key_last_wins_whatever_the_case():
    p = with_options('{"additionalRelief": {"subjectAgeThreshold": 99, "SubjectAgeThreshold": 45}}')
    assert p.bear.subject_age_threshold == 45
    p = with_options('{"baselineEligibility": {"dismiss": ["11357"]}, "baselineEligibility": {"reduce": ["11360"]}}')
    assert p.bear.dismiss == () and p.bear.reduce == ("11360",)
    # a bad value that is overwritten is no error
    p = with_options('{"additionalRelief": {"subjectAgeThreshold": 5.5, "subjectAgeThreshold": 0}}')
    assert p.bear.subject_age_threshold == 0


def test_byte_order_mark_accepted_and_hashed():
    data = b"\xef\xbb\xbf" + GOGEN_OPTIONS.read_bytes()
    p = with_options(data)
    assert p.bear.subject_age_threshold == 57
    assert p.sha256 == hashlib.sha256(PRESET + data).hexdigest()


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    ('"11357(a)"', '"11357(a)"'),
    ('"11357 "', '"11357 "'),
    ('"HS 11358"', '"HS 11358"'),
    ('"11361"', '"11361"'),
    ("11357", "11357"),
    ("null", "null"),
])
@pytest.mark.parametrize("where", ["dismiss", "reduce"])
def test_unknown_code_section_message(value, shown, where):
    lines = option_problems(f'{{"baselineEligibility": {{"{where}": ["11358", {value}]}}}}')
    assert lines == [
        f"options.json: baselineEligibility.{where}: Unknown code section {shown} in baselineEligibility.{where}; "
        "expected 11357, 11358, 11359 or 11360"
    ]


def test_exact_message_from_the_spec():
    lines = option_problems('{"baselineEligibility": {"dismiss": ["11357(a)"]}}')
    assert lines[0].endswith(
        'Unknown code section "11357(a)" in baselineEligibility.dismiss; expected 11357, 11358, 11359 or 11360'
    )


def test_section_list_not_an_array():
    lines = option_problems('{"baselineEligibility": {"dismiss": "11357"}}')
    assert lines[0].startswith("options.json: baselineEligibility.dismiss: expected an array")


def test_baseline_not_an_object():
    lines = option_problems('{"baselineEligibility": ["11357"]}')
    assert lines[0].startswith("options.json: baselineEligibility: expected an object")
    lines = option_problems('{"additionalRelief": true}')
    assert lines[0].startswith("options.json: additionalRelief: expected an object")


@pytest.mark.parametrize("literal", ["5.0", "5e1", "50.5", "1E2", "true", '"50"', "[50]"])
@pytest.mark.parametrize("key", ["subjectAgeThreshold", "yearsSinceConvictionThreshold", "yearsCrimeFreeThreshold"])
def test_integers_must_be_json_integers(literal, key):
    lines = option_problems(f'{{"additionalRelief": {{"{key}": {literal}}}}}')
    assert len(lines) == 1
    assert lines[0].startswith(f"options.json: additionalRelief.{key}: expected a whole number")
    if literal[0].isdigit():
        assert lines[0].endswith(f"got {literal}")  # shown as written


@pytest.mark.parametrize("literal", ["1", "0", '"true"', "[]"])
@pytest.mark.parametrize("key", ["subjectUnder21AtConviction", "subjectIsDeceased", "subjectHasOnlyProp64Charges"])
def test_booleans_must_be_json_booleans(literal, key):
    lines = option_problems(f'{{"additionalRelief": {{"{key}": {literal}}}}}')
    assert lines == [f"options.json: additionalRelief.{key}: expected true or false, got {literal if literal[0] != '[' else 'an array'}"]


AGE = "SubjectAgeThreshold should be between 40 and 65, or 0"
SINCE = "YearsSinceConvictionThreshold should be between 1 and 15, or 0"
FREE = "YearsCrimeFreeThreshold should be between 1 and 15, or 0"


@pytest.mark.parametrize("key, value, message", [
    ("subjectAgeThreshold", 39, AGE), ("subjectAgeThreshold", 66, AGE), ("subjectAgeThreshold", -1, AGE),
    ("subjectAgeThreshold", 1, AGE),
    ("yearsSinceConvictionThreshold", 16, SINCE), ("yearsSinceConvictionThreshold", -5, SINCE),
    ("yearsCrimeFreeThreshold", 16, FREE), ("yearsCrimeFreeThreshold", -1, FREE),
    ("yearsCrimeFreeThreshold", 10**30, FREE),
])
def test_range_errors_use_gogen_messages(key, value, message):
    lines = option_problems(extra(**{key: value}))
    assert lines == [f"options.json: additionalRelief.{key}: {message}"]


@pytest.mark.parametrize("key, value", [
    ("subjectAgeThreshold", 0), ("subjectAgeThreshold", 40), ("subjectAgeThreshold", 65),
    ("yearsSinceConvictionThreshold", 1), ("yearsSinceConvictionThreshold", 15),
    ("yearsCrimeFreeThreshold", 0), ("yearsCrimeFreeThreshold", 1), ("yearsCrimeFreeThreshold", 15),
])
def test_range_bounds_accepted(key, value):
    with_options(extra(**{key: value}))


def test_all_option_errors_collected():
    lines = option_problems(json.dumps({
        "baselineEligibility": {"dismiss": ["11357(a)", "11358"], "reduce": ["x"]},
        "additionalRelief": {"subjectAgeThreshold": 30, "yearsSinceConvictionThreshold": 2.0, "subjectIsDeceased": "yes"},
    }))
    assert [line.split(": ")[1] for line in lines] == [
        "baselineEligibility.dismiss",
        "baselineEligibility.reduce",
        "additionalRelief.subjectAgeThreshold",
        "additionalRelief.yearsSinceConvictionThreshold",
        "additionalRelief.subjectIsDeceased",
    ]


@pytest.mark.parametrize("text, key", [
    ('{"additionalRelief": {', "(JSON syntax)"),
    ("", "(JSON syntax)"),
    ('{"additionalRelief": {"subjectAgeThreshold": NaN}}', "(JSON syntax)"),
    ('["11357"]', "(top level)"),
])
def test_not_a_json_object(text, key):
    lines = option_problems(text)
    assert lines[0].startswith(f"options.json: {key}: ")


def test_options_file_not_utf8():
    with pytest.raises(PolicyError, match=r"options.json: \(file\): not UTF-8"):
        with_options(b'{"a": "\xff"}')


def test_options_need_a_policy_with_bear_options():
    with pytest.raises(PolicyError) as info:
        load_policy("los_angeles_2020", GOGEN_OPTIONS)
    assert f"{GOGEN_OPTIONS}: (file): a BEAR options file applies only to a policy with [bear_options]" in str(
        info.value
    )


def test_missing_options_file(tmp_path):
    with pytest.raises(PolicyError, match="cannot read the BEAR options file"):
        load_policy("bear_compatible", tmp_path / "none.json")


def test_options_apply_to_a_custom_bear_policy(tmp_path):
    custom = PRESET.decode().replace('id = "bear_compatible"', 'id = "county_bear"').replace(
        'disqualifier = "grant_anyway"', 'disqualifier = "hand_review"'
    )
    path = tmp_path / "county.toml"
    path.write_text(custom, encoding="utf-8")
    p = load_policy(path, GOGEN_OPTIONS)
    assert p.id == "county_bear"
    assert p.statutory_bars.disqualifier == "hand_review"
    assert p.bear.subject_age_threshold == 57
    assert p.sha256 == hashlib.sha256(path.read_bytes() + GOGEN_OPTIONS.read_bytes()).hexdigest()


# --- [bear_options] in a TOML policy: TOML strictness, same value checks ---------------------------


def toml_problems(bear_table: str) -> list[str]:
    text = PRESET.decode()
    text = text[: text.index("[bear_options]")] + "[bear_options]\n" + bear_table
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode(), "county.toml")
    return [str(p) for p in info.value.problems]


def test_toml_bear_options_errors():
    assert toml_problems('baselineeligibility = { dismiss = ["11357"] }\n') == [
        "county.toml: bear_options.baselineeligibility: unknown key; expected one of baselineEligibility, additionalRelief"
    ]
    assert toml_problems('baselineEligibility = { dismiss = ["11357"], keep = [] }\n') == [
        "county.toml: bear_options.baselineEligibility.keep: unknown key; expected one of dismiss, reduce"
    ]
    assert toml_problems("additionalRelief = { subjectAgeThreshold = 50.0 }\n") == [
        "county.toml: bear_options.additionalRelief.subjectAgeThreshold: expected a whole number "
        "(an integer, no fraction or exponent), got 50.0"
    ]
    assert toml_problems("additionalRelief = { yearsCrimeFreeThreshold = 20 }\n") == [
        f"county.toml: bear_options.additionalRelief.yearsCrimeFreeThreshold: {FREE}"
    ]
    assert toml_problems('baselineEligibility = { reduce = ["11360(b)"] }\n') == [
        'county.toml: bear_options.baselineEligibility.reduce: Unknown code section "11360(b)" in '
        "baselineEligibility.reduce; expected 11357, 11358, 11359 or 11360"
    ]
    assert toml_problems('baselineEligibility = "all"\n') == [
        'county.toml: bear_options.baselineEligibility: expected a table [bear_options.baselineEligibility], got "all"'
    ]


def test_toml_bear_options_missing_keys_default():
    text = PRESET.decode()
    text = text[: text.index("[bear_options]")] + "[bear_options]\n"
    p = parse_policy(text.encode(), "county.toml")
    assert p.bear == BearOptions()
