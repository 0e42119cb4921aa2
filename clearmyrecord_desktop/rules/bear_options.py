"""BEAR compatibility (eligibility.md §11.2): BEAR's ``eligibility_options.json`` (or the
``[bear_options]`` table of a policy file), read and checked, and the policy rules it stands for.

The reading functions work for a :class:`~clearmyrecord_desktop.rules.policy_schema.PolicyReader`,
which collects the problems. In the JSON file keys are case-insensitive and unknown keys are ignored;
key paths in messages read like the file (``additionalRelief.subjectAgeThreshold``), and the range
messages are gogen's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from clearmyrecord_desktop.rules.policy_model import (
    SECTIONS,
    BearOptions,
    Criterion,
    FelonyRule,
    JsonNumber,
    MisdemeanorRule,
    key_path,
    show_value,
)

if TYPE_CHECKING:
    from clearmyrecord_desktop.rules.policy_schema import PolicyReader

_BEAR_BASE_KEYS = ("dismiss", "reduce")
_BEAR_BOOL_KEYS = {
    "subjectUnder21AtConviction": "subject_under_21_at_conviction",
    "subjectIsDeceased": "subject_is_deceased",
    "subjectHasOnlyProp64Charges": "subject_has_only_prop64_charges",
}
_BEAR_INT_KEYS = {
    # key: (field, low, high, gogen's range message)
    "subjectAgeThreshold": (
        "subject_age_threshold", 40, 65, "SubjectAgeThreshold should be between 40 and 65, or 0"
    ),
    "yearsSinceConvictionThreshold": (
        "years_since_conviction_threshold", 1, 15,
        "YearsSinceConvictionThreshold should be between 1 and 15, or 0",
    ),
    "yearsCrimeFreeThreshold": (
        "years_crime_free_threshold", 1, 15, "YearsCrimeFreeThreshold should be between 1 and 15, or 0"
    ),
}
_BEAR_EXTRA_KEYS = (
    "subjectUnder21AtConviction",
    "subjectAgeThreshold",
    "yearsSinceConvictionThreshold",
    "yearsCrimeFreeThreshold",
    "subjectIsDeceased",
    "subjectHasOnlyProp64Charges",
)


def derive_bear_rules(
    bear: BearOptions,
) -> tuple[MisdemeanorRule, dict[str, FelonyRule], tuple[Criterion, ...]]:
    """The policy rules BEAR's options stand for — the 'Derived policy' table of §11.2.

    The reason strings are BEAR's compat reasons, exactly; criteria run in the table's order.
    """
    misdemeanors = MisdemeanorRule("dismiss", "Misdemeanor or Infraction")
    felonies: dict[str, FelonyRule] = {}
    for section in SECTIONS:
        if section in bear.dismiss:
            felonies[section] = FelonyRule("dismiss", f"Dismiss all HS {section} convictions")
        elif section in bear.reduce:
            felonies[section] = FelonyRule(
                "criteria", fallback="reduce", fallback_reason=f"Reduce all HS {section} convictions"
            )
        else:
            felonies[section] = FelonyRule("criteria", fallback="none")
    criteria: list[Criterion] = []

    def add(cid: str, reason: str, when: dict[str, Any]) -> None:
        criteria.append(Criterion(cid, "dismiss_and_seal", reason, when))

    if bear.subject_under_21_at_conviction:
        add("subject_under_21_at_conviction", "21 years or younger", {"under_21_at_conviction": True})
    if bear.subject_age_threshold:
        n = bear.subject_age_threshold
        add("subject_age_threshold", f"{n} years or older", {"age_at_as_of_at_least": n})
    if bear.years_since_conviction_threshold:
        n = bear.years_since_conviction_threshold
        add(
            "years_since_conviction_threshold",
            f"Conviction occurred {n} or more years ago",
            {"conviction_years_before_as_of_at_least": n},
        )
    if bear.years_crime_free_threshold:
        n = bear.years_crime_free_threshold
        add(
            "years_crime_free_threshold",
            f"No convictions in the past {n} years",
            {"no_conviction_within_years": n},
        )
    if bear.subject_has_only_prop64_charges:
        add("subject_has_only_prop64_charges", "Only has 11357-60 charges", {"only_prop64_convictions": True})
    if bear.subject_is_deceased:
        add("subject_is_deceased", "Individual is deceased", {"deceased": True})
    return misdemeanors, felonies, tuple(criteria)


# --- reading ----------------------------------------------------------------------------------


def read_bear_toml(reader: PolicyReader, doc: dict) -> BearOptions | None:
    """``[bear_options]`` in a TOML policy: same values as the JSON file, TOML strictness on keys."""
    table = reader.table(doc, "bear_options", "", required=True)
    if table is None:
        return None
    reader.unknown_keys(table, ("baselineEligibility", "additionalRelief"), "bear_options")
    lowered: dict[str, Any] = {}
    for key, allowed in (("baselineEligibility", _BEAR_BASE_KEYS), ("additionalRelief", _BEAR_EXTRA_KEYS)):
        sub = reader.table(table, key, "bear_options", required=False)
        if sub is not None:
            reader.unknown_keys(sub, allowed, key_path("bear_options", key))
            lowered[key.lower()] = {k.lower(): v for k, v in sub.items() if k in allowed}
    return bear_values(reader, lowered, "bear_options.")


def read_bear_json(reader: PolicyReader, text: str) -> BearOptions | None:
    """A BEAR ``eligibility_options.json``: keys case-insensitive, unknown keys ignored,
    missing or null = false / 0 / [], a repeated key: the last one wins."""
    try:
        obj = json.loads(
            text.lstrip("\ufeff"),
            object_pairs_hook=_case_insensitive_object,
            parse_float=JsonNumber,
            parse_constant=_reject_constant,
        )
    except ValueError as exc:
        reader.add("(JSON syntax)", f"{exc}; expected a valid JSON object")
        return None
    if not isinstance(obj, dict):
        reader.add("(top level)", f"expected a JSON object, got {show_value(obj)}")
        return None
    return bear_values(reader, obj, "")


def bear_values(reader: PolicyReader, obj: dict, prefix: str) -> BearOptions | None:
    """Common checks on lower-cased keys (types, sections, gogen's range messages)."""
    start = len(reader.problems)
    values: dict[str, Any] = {}
    base = _object(reader, obj, "baselineEligibility", prefix)
    for key in _BEAR_BASE_KEYS:
        name = f"baselineEligibility.{key}"
        items = base.get(key)
        if items is None:
            items = []
        if not isinstance(items, list):
            reader.add(prefix + name, f"expected an array of code sections such as [\"11357\"], got {show_value(items)}")
            continue
        sections: list[str] = []
        for item in items:
            if isinstance(item, str) and item in SECTIONS:
                sections.append(item)
            else:
                reader.add(
                    prefix + name,
                    f"Unknown code section {show_value(item)} in {name}; expected 11357, 11358, 11359 or 11360",
                )
        values[key] = tuple(sections)
    extra = _object(reader, obj, "additionalRelief", prefix)
    for key in _BEAR_EXTRA_KEYS:
        where = prefix + f"additionalRelief.{key}"
        value = extra.get(key.lower())
        if key in _BEAR_BOOL_KEYS:
            value = False if value is None else value
            if type(value) is not bool:
                reader.add(where, f"expected true or false, got {show_value(value)}")
                continue
            values[_BEAR_BOOL_KEYS[key]] = value
            continue
        attr, low, high, message = _BEAR_INT_KEYS[key]
        value = 0 if value is None else value
        if type(value) is not int:
            reader.add(where, f"expected a whole number (an integer, no fraction or exponent), got {show_value(value)}")
        elif value != 0 and not low <= value <= high:
            reader.add(where, message)
        else:
            values[attr] = value
    if len(reader.problems) > start:
        return None
    return BearOptions(**values)


def _object(reader: PolicyReader, obj: dict, key: str, prefix: str) -> dict:
    """The object under ``key`` (looked up lower-cased): missing or null = empty; not an object = a problem."""
    value = obj.get(key.lower())
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.add(prefix + key, f"expected an object, got {show_value(value)}")
        return {}
    return value


def _case_insensitive_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        result[key.lower()] = value  # the last occurrence wins, whatever its case
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
