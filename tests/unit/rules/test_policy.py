"""Policy files: presets, strict validation, round trip (eligibility.md §10, §11)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearmyrecord_desktop.errors import PolicyError
from clearmyrecord_desktop.rules import policy as pm
from clearmyrecord_desktop.rules.policy import (
    BearOptions,
    Criterion,
    FelonyRule,
    MisdemeanorRule,
    Policy,
    StatutoryBars,
    list_presets,
    load_policy,
    parse_policy,
    policy_to_toml,
    save_policy,
)

REPO = Path(__file__).resolve().parents[3]
PRESET_DIR = REPO / "clearmyrecord_desktop" / "rules" / "policies"
SPEC = Path("/work/shared/spec/eligibility.md")

VALID = """\
schema = 1
id = "my_county_2024"
name = "My County 2024 policy"
version = "1.0.0"
description = "test"

[statutory_bars]
disqualifier = "hand_review"
post_prop64 = "no_relief"

[misdemeanors]
action = "dismiss"
reason = "Misdemeanor or infraction: dismissed by county policy"

[felonies."11357"]
action = "dismiss"
reason = "All 11357 felonies dismissed by county policy"

[felonies."11358"]
action = "dismiss"

[felonies."11359"]
action = "criteria"
fallback = "reduce"
fallback_reason = "11359 felonies reduced by county policy"

[felonies."11360"]
action = "criteria"
fallback = "statutory"

[[criteria]]
id = "under_21"
outcome = "dismiss_and_seal"
reason = "Under 21 at the offense"
when = { under_21_at_offense = true }

[[criteria]]
id = "crime_free_10"
outcome = "dismiss_and_seal"
reason = "No conviction in the past 10 years"
when = { no_conviction_within_years = 10 }
"""


def problems_of(text: str, name: str = "county.toml") -> list[str]:
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode("utf-8"), name)
    err = info.value
    lines = [str(p) for p in err.problems]
    for line in lines:  # every problem names the file and is in the one message
        assert line.startswith(f"{name}: ")
        assert line in str(err)
    return lines


def replace(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --- presets ------------------------------------------------------------------------------------


def test_list_presets_default_first():
    assert list_presets() == ["statutory", "bear_compatible", "los_angeles_2020"]


@pytest.mark.parametrize("name", ["statutory", "bear_compatible", "los_angeles_2020"])
def test_preset_loads_and_sha_is_file_bytes(name):
    raw = (PRESET_DIR / f"{name}.toml").read_bytes()
    p = load_policy(name)
    assert p.id == name
    assert p.version == "1.0.0"
    assert p.sha256 == hashlib.sha256(raw).hexdigest()
    assert p.source_text == raw.decode("utf-8")
    # the editor writes a preset back byte for byte
    assert policy_to_toml(p) == raw.decode("utf-8")


@pytest.mark.skipif(not SPEC.exists(), reason="spec not available")
@pytest.mark.parametrize(
    "name, heading", [("statutory", "### 11.1"), ("bear_compatible", "### 11.2"), ("los_angeles_2020", "### 11.3")]
)
def test_preset_is_the_spec_text(name, heading):
    spec = SPEC.read_text(encoding="utf-8")
    part = spec[spec.index(heading):]
    block = part[part.index("```toml\n") + len("```toml\n"):]
    block = block[: block.index("```\n")]
    assert (PRESET_DIR / f"{name}.toml").read_text(encoding="utf-8") == block


def test_preset_by_path_equals_preset(tmp_path):
    target = tmp_path / "copy.toml"
    target.write_bytes((PRESET_DIR / "los_angeles_2020.toml").read_bytes())
    by_path, by_name = load_policy(target), load_policy("los_angeles_2020")
    assert by_path == by_name
    assert by_path.sha256 == by_name.sha256
    assert load_policy(str(target)) == by_name


def test_statutory_preset_content():
    p = load_policy("statutory")
    assert p.statutory_bars == StatutoryBars("no_relief", "no_relief")
    assert p.misdemeanors == MisdemeanorRule("statutory")
    assert list(p.felonies) == ["11357", "11358", "11359", "11360"]
    assert all(r == FelonyRule("criteria", fallback="statutory") for r in p.felonies.values())
    assert p.criteria == ()
    assert p.bear is None


def test_los_angeles_preset_content():
    p = load_policy("los_angeles_2020")
    assert p.misdemeanors == MisdemeanorRule("city_attorney_review", "To be reviewed by City Attorneys")
    f57 = p.felonies["11357"]
    assert f57.action == "hand_review" and f57.reason == "Other 11357"
    assert f57.subsections == {"A": "dismiss", "B": "dismiss"}
    assert f57.subsection_reason == "11357(a) or 11357(b)"
    assert [c.id for c in p.criteria] == [
        "occurred_after", "superstrike", "pc290", "two_priors", "other_disqualifier", "age_50",
        "under_21", "only_prop64_completed", "crime_free_10", "currently_serving", "deceased",
    ]
    assert p.criteria[4].when == {"disqualifier_any_of": ("D4", "D5a", "D5b", "D6a")}
    assert p.criteria[7].when == {"only_prop64_convictions": True, "all_sentences_completed": True}


def test_unknown_preset_name_and_missing_file(tmp_path):
    with pytest.raises(PolicyError, match="not a policy preset"):
        load_policy("county_x")
    with pytest.raises(PolicyError, match="cannot read the policy file"):
        load_policy(tmp_path / "nope.toml")


def test_valid_custom_policy():
    p = parse_policy(VALID.encode(), "county.toml")
    assert p.id == "my_county_2024"
    assert p.felonies["11359"].fallback == "reduce"
    assert [c.id for c in p.criteria] == ["under_21", "crime_free_10"]
    assert p.sha256 == hashlib.sha256(VALID.encode()).hexdigest()


# --- validation (§10): every error path -----------------------------------------------------------

ERROR_CASES = [
    # (old, new, key, fragment of the message)
    ('description = "test"', 'descripton = "test"', "descripton", "unknown key"),
    ("schema = 1", "", "schema", "missing; expected 1"),
    ("schema = 1", "schema = 2", "schema", "expected 1"),
    ("schema = 1", 'schema = "1"', "schema", "expected 1"),
    ('id = "my_county_2024"', "", "id", "missing; expected a string"),
    ('id = "my_county_2024"', 'id = "My-County"', "id", "[a-z0-9_]+"),
    ('id = "my_county_2024"', 'id = ""', "id", "[a-z0-9_]+"),
    ('name = "My County 2024 policy"', "", "name", "missing"),
    ('name = "My County 2024 policy"', 'name = " "', "name", "non-empty"),
    ('version = "1.0.0"', "", "version", "missing; expected a string"),
    ('version = "1.0.0"', "version = 1", "version", "expected a string, got 1"),
    ('description = "test"', "description = 5", "description", "expected a string"),
    ('disqualifier = "hand_review"', 'disqualifier = "deny"', "statutory_bars.disqualifier",
     'expected one of "no_relief", "hand_review", "grant_anyway", got "deny"'),
    ('post_prop64 = "no_relief"', "", "statutory_bars.post_prop64", "missing"),
    ('post_prop64 = "no_relief"', 'post_prop64 = "no_relief"\nextra = 1', "statutory_bars.extra", "unknown key"),
    ('action = "dismiss"\nreason = "Misdemeanor', 'action = "dismissed"\nreason = "Misdemeanor',
     "misdemeanors.action", 'expected one of "dismiss", "statutory", "city_attorney_review"'),
    ('action = "dismiss"\nreason = "Misdemeanor', 'action = "reduce"\nreason = "Misdemeanor',
     "misdemeanors.action", '"reduce" is allowed only as a felony fallback'),
    ('reason = "Misdemeanor or infraction: dismissed by county policy"', "reason = true",
     "misdemeanors.reason", "expected a string, got true"),
    ('reason = "Misdemeanor or infraction: dismissed by county policy"',
     'reason = "x"\nroute = "x"', "misdemeanors.route", "unknown key"),
    ('[felonies."11358"]\naction = "dismiss"\n', "", 'felonies."11358"', 'missing; expected a table [felonies."11358"]'),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\naction = "dismiss"\n[felonies."11361"]\naction = "dismiss"\n',
     'felonies."11361"', 'unknown section; expected one of "11357", "11358", "11359", "11360"'),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\nreason = "x"\n', 'felonies."11358".action',
     'missing; expected one of "dismiss", "hand_review", "criteria"'),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\naction = "reduce"\n', 'felonies."11358".action',
     '"reduce" is allowed only as a felony fallback'),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\naction = "dismiss"\nfalback = "x"\n',
     'felonies."11358".falback', "unknown key"),
    ('fallback = "reduce"\n', "", 'felonies."11359".fallback', "missing; expected one of"),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\naction = "dismiss"\nfallback = "reduce"\n',
     'felonies."11358".fallback', 'allowed only when action (or a subsection) is "criteria"'),
    ('fallback = "reduce"\n', 'fallback = "reduced"\n', 'felonies."11359".fallback',
     'expected one of "reduce", "statutory", "hand_review", "none"'),
    ('[felonies."11358"]\naction = "dismiss"\n', '[felonies."11358"]\naction = "dismiss"\nsubsections = { A = "dismiss" }\n',
     'felonies."11358".subsections', "only allowed for 11357 and 11360"),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = { F = "dismiss" }', 'felonies."11357".subsections.F', "single letter A–E"),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = { AB = "dismiss" }', 'felonies."11357".subsections.AB', "single letter A–E"),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = { a = "dismiss" }', 'felonies."11357".subsections.a', "single letter A–E"),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = { A = "reduce" }', 'felonies."11357".subsections.A',
     '"reduce" is allowed only as a felony fallback'),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = "A"', 'felonies."11357".subsections', "expected a table"),
    ('reason = "All 11357 felonies dismissed by county policy"',
     'reason = "x"\nsubsections = { C = "criteria" }', 'felonies."11357".fallback', "missing; expected one of"),
    ("felonies.\"11360\"]\naction", "felonies.\"11360\"]\nreason = 3\naction", 'felonies."11360".reason', "expected a string"),
    ('id = "under_21"', "", "criteria[1].id", "missing"),
    ('id = "under_21"', 'id = "Under 21"', "criteria[1].id", "[a-z0-9_]+"),
    ('id = "crime_free_10"', 'id = "under_21"', "criteria[2].id", '"under_21" is already used by criteria[1]'),
    ('outcome = "dismiss_and_seal"\nreason = "Under', 'outcome = "dismiss"\nreason = "Under', "criteria[1].outcome",
     'expected one of "dismiss_and_seal", "hand_review", "no_relief"'),
    ('outcome = "dismiss_and_seal"\nreason = "Under', 'outcome = "reduce_to_misdemeanor"\nreason = "Under',
     "criteria[1].outcome", "expected one of"),
    ('reason = "Under 21 at the offense"\n', "", "criteria[1].reason", "missing; expected a string"),
    ("when = { under_21_at_offense = true }", "", "criteria[1].when", "missing"),
    ("when = { under_21_at_offense = true }", "when = {}", "criteria[1].when", "one or more conditions"),
    ("when = { under_21_at_offense = true }", "when = 5", "criteria[1].when", "expected a table"),
    ("when = { under_21_at_offense = true }", "when = { under_21 = true }", "criteria[1].when.under_21",
     "unknown condition"),
    ("when = { under_21_at_offense = true }", "when = { under_21_at_offense = false }",
     "criteria[1].when.under_21_at_offense", "expected true, got false"),
    ("when = { under_21_at_offense = true }", "when = { deceased = 1 }", "criteria[1].when.deceased", "expected true"),
    ("when = { under_21_at_offense = true }", "when = { age_at_as_of_at_least = 17 }",
     "criteria[1].when.age_at_as_of_at_least", "from 18 to 120, got 17"),
    ("when = { under_21_at_offense = true }", "when = { age_at_as_of_at_least = 121 }",
     "criteria[1].when.age_at_as_of_at_least", "from 18 to 120"),
    ("when = { under_21_at_offense = true }", "when = { age_at_as_of_at_least = 50.0 }",
     "criteria[1].when.age_at_as_of_at_least", "got 50.0"),
    ("when = { under_21_at_offense = true }", "when = { age_at_as_of_at_least = true }",
     "criteria[1].when.age_at_as_of_at_least", "got true"),
    ("when = { under_21_at_offense = true }", "when = { conviction_years_before_as_of_at_least = 0 }",
     "criteria[1].when.conviction_years_before_as_of_at_least", "from 1 to 100"),
    ("when = { no_conviction_within_years = 10 }", "when = { no_conviction_within_years = 101 }",
     "criteria[2].when.no_conviction_within_years", "from 1 to 100"),
    ("when = { under_21_at_offense = true }", "when = { disqualifier_any_of = [] }",
     "criteria[1].when.disqualifier_any_of", "non-empty array"),
    ("when = { under_21_at_offense = true }", 'when = { disqualifier_any_of = ["D1", "D7"] }',
     "criteria[1].when.disqualifier_any_of", 'got "D7"'),
    ("when = { under_21_at_offense = true }", 'when = { disqualifier_any_of = "D1" }',
     "criteria[1].when.disqualifier_any_of", "non-empty array"),
    ('reason = "Under 21 at the offense"\n', 'reason = "x"\nnote = "y"\n', "criteria[1].note", "unknown key"),
]


@pytest.mark.parametrize("old, new, key, fragment", ERROR_CASES)
def test_validation_error(old, new, key, fragment):
    lines = problems_of(replace(old, new))
    assert any(line.startswith(f"county.toml: {key}: ") and fragment in line for line in lines), lines


def test_fallback_reduce_is_allowed_for_a_felony():
    parse_policy(VALID.encode(), "county.toml")  # 11359 uses fallback = "reduce"


def test_subsection_criteria_with_fallback_is_valid():
    text = replace(
        'reason = "All 11357 felonies dismissed by county policy"',
        'reason = "x"\nsubsections = { C = "criteria" }\nfallback = "hand_review"',
    )
    p = parse_policy(text.encode(), "county.toml")
    assert p.felonies["11357"].subsections == {"C": "criteria"}
    assert p.felonies["11357"].fallback == "hand_review"


def test_criteria_not_an_array():
    text = VALID[: VALID.index("[[criteria]]")].replace('description = "test"', 'description = "test"\ncriteria = 5')
    lines = problems_of(text)
    assert any(line.startswith("county.toml: criteria: expected an array of tables") for line in lines)


def test_missing_tables():
    text = "\n".join(line for line in VALID.splitlines()[:5])
    lines = problems_of(text)
    for key in ("statutory_bars", "misdemeanors", "felonies"):
        assert any(line.startswith(f"county.toml: {key}: missing; expected a table") for line in lines), key


def test_all_errors_are_collected_in_one_error():
    text = replace('id = "my_county_2024"', 'id = "Bad Id"')
    text = replace('disqualifier = "hand_review"', 'disqualifier = "maybe"', text)
    text = replace("when = { no_conviction_within_years = 10 }", "when = { no_conviction_within_years = 0 }", text)
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode(), "county.toml")
    err = info.value
    assert [p.key for p in err.problems] == [
        "id", "statutory_bars.disqualifier", "criteria[2].when.no_conviction_within_years"
    ]
    assert "3 problems" in str(err)
    assert err.title == "Policy file problem"
    assert all(p.file == "county.toml" for p in err.problems)


def test_toml_syntax_error():
    lines = problems_of('schema = 1\nid = "x\n')
    assert lines[0].startswith("county.toml: (TOML syntax): ")
    assert "expected a valid TOML file" in lines[0]


def test_not_utf8():
    with pytest.raises(PolicyError) as info:
        parse_policy(b'schema = 1\nname = "\xff"\n', "county.toml")
    assert "county.toml: (file): not UTF-8 text" in str(info.value)


def test_error_names_the_user_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(replace("schema = 1", "schema = 3"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert f"{path}: schema: expected 1" in str(info.value)


def test_bear_options_excludes_derived_tables():
    text = (PRESET_DIR / "bear_compatible.toml").read_text(encoding="utf-8")
    text += '\n[misdemeanors]\naction = "dismiss"\n'
    lines = problems_of(text)
    assert any(line.startswith("county.toml: misdemeanors: not allowed with [bear_options]") for line in lines)


def test_bear_policy_statutory_bars_optional():
    text = (PRESET_DIR / "bear_compatible.toml").read_text(encoding="utf-8")
    start = text.index("[statutory_bars]")
    text = text[:start] + text[text.index("[bear_options]"):]
    p = parse_policy(text.encode(), "county.toml")
    assert p.statutory_bars == StatutoryBars("grant_anyway", "grant_anyway")
    partial = text.replace("[bear_options]", '[statutory_bars]\ndisqualifier = "no_relief"\n\n[bear_options]')
    p = parse_policy(partial.encode(), "county.toml")
    assert p.statutory_bars == StatutoryBars("no_relief", "grant_anyway")


# --- writing: round trip for the policy editor ---------------------------------------------------


def test_round_trip_custom(tmp_path):
    p = parse_policy(VALID.encode(), "county.toml")
    saved = save_policy(p, tmp_path / "out.toml")
    assert saved == p
    assert saved.sha256 == hashlib.sha256((tmp_path / "out.toml").read_bytes()).hexdigest()
    assert load_policy(tmp_path / "out.toml") == p
    assert not list(tmp_path.glob("*.partial"))


def test_save_invalid_policy_writes_nothing(tmp_path):
    p = load_policy("statutory")
    bad = Policy(
        id="Bad Id",
        name=p.name,
        version=p.version,
        statutory_bars=p.statutory_bars,
        misdemeanors=MisdemeanorRule("reduce"),
        felonies=p.felonies,
    )
    target = tmp_path / "bad.toml"
    with pytest.raises(PolicyError) as info:
        save_policy(bad, target)
    assert f"{target}: id:" in str(info.value)
    assert f"{target}: misdemeanors.action:" in str(info.value)
    assert not target.exists()


def test_equality_ignores_sha_and_source():
    a = load_policy("statutory")
    b = parse_policy(policy_to_toml(a).encode() + b"# comment\n", "x.toml")
    assert a == b and a.sha256 != b.sha256


def test_lists_become_tuples():
    c = Criterion("x", "no_relief", "r", {"disqualifier_any_of": ["D1"]})
    assert c.when["disqualifier_any_of"] == ("D1",)
    p = load_policy("statutory")
    q = Policy(
        id=p.id, name=p.name, version=p.version, description=p.description,
        statutory_bars=p.statutory_bars, misdemeanors=p.misdemeanors, felonies=p.felonies, criteria=[],
    )
    assert q == p


# hypothesis: any valid policy the editor can build round-trips

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_reason = st.none() | _text


@st.composite
def _felony(draw, section):
    action = draw(st.sampled_from(pm.FELONY_ACTIONS))
    subs = {}
    if section in pm.SUBSECTION_SECTIONS:
        subs = draw(st.dictionaries(st.sampled_from(pm.SUBSECTION_LETTERS), st.sampled_from(pm.SUBSECTION_ACTIONS)))
    needs_fallback = action == "criteria" or "criteria" in subs.values()
    return FelonyRule(
        action,
        draw(_reason),
        draw(st.sampled_from(pm.FALLBACKS)) if needs_fallback else None,
        draw(_reason),
        subs,
        draw(_reason),
    )


_condition = st.one_of(
    st.sampled_from(pm.BOOLEAN_CONDITIONS).map(lambda k: (k, True)),
    st.sampled_from(sorted(pm.INTEGER_CONDITIONS)).flatmap(
        lambda k: st.integers(*pm.INTEGER_CONDITIONS[k]).map(lambda n: (k, n))
    ),
    st.lists(st.sampled_from(pm.DISQUALIFIER_CODES), min_size=1, max_size=3).map(
        lambda v: ("disqualifier_any_of", tuple(v))
    ),
)


@st.composite
def policies(draw):
    bars = StatutoryBars(draw(st.sampled_from(pm.BAR_SETTINGS)), draw(st.sampled_from(pm.BAR_SETTINGS)))
    common = dict(
        id=draw(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)),
        name=draw(_text.filter(str.strip)),
        version=draw(_text.filter(str.strip)),
        description=draw(_text),
        statutory_bars=bars,
    )
    if draw(st.booleans()):
        bear = BearOptions(
            dismiss=tuple(draw(st.lists(st.sampled_from(pm.SECTIONS), max_size=4))),
            reduce=tuple(draw(st.lists(st.sampled_from(pm.SECTIONS), max_size=4))),
            subject_under_21_at_conviction=draw(st.booleans()),
            subject_age_threshold=draw(st.sampled_from([0, 40, 57, 65])),
            years_since_conviction_threshold=draw(st.integers(0, 15)),
            years_crime_free_threshold=draw(st.integers(0, 15)),
            subject_is_deceased=draw(st.booleans()),
            subject_has_only_prop64_charges=draw(st.booleans()),
        )
        mis, fel, crit = pm.derive_bear_rules(bear)
        return Policy(**common, misdemeanors=mis, felonies=fel, criteria=crit, bear=bear)
    ids = draw(st.lists(st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True), unique=True, max_size=4))
    criteria = [
        Criterion(cid, draw(st.sampled_from(pm.CRITERION_OUTCOMES)), draw(_text),
                  dict(draw(st.lists(_condition, min_size=1, max_size=3))))
        for cid in ids
    ]
    return Policy(
        **common,
        misdemeanors=MisdemeanorRule(draw(st.sampled_from(pm.MISDEMEANOR_ACTIONS)), draw(_reason)),
        felonies={s: draw(_felony(s)) for s in pm.SECTIONS},
        criteria=criteria,
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies())
def test_round_trip_property(p):
    text = policy_to_toml(p)
    again = parse_policy(text.encode("utf-8"), "edited.toml")
    assert again == p
    assert policy_to_toml(again) == text
