"""Writing a policy as a schema-1 TOML file (eligibility.md §10), for the policy editor.

The layout follows the shipped presets, so a preset is written back byte for byte.
"""

from __future__ import annotations

from typing import Any

from clearmyrecord_desktop.rules.policy_model import SCHEMA_VERSION, Policy, key_path


def policy_to_toml(policy: Policy) -> str:
    """The policy as a schema-1 TOML file (for the policy editor).

    The layout follows the presets, so a shipped preset is written back byte for byte. A BEAR-derived
    policy is written with its ``[bear_options]`` (the derived tables are not written).
    """
    out: list[str] = [
        f"schema = {SCHEMA_VERSION}",
        f"id = {_toml_str(policy.id)}",
        f"name = {_toml_str(policy.name)}",
        f"version = {_toml_str(policy.version)}",
    ]
    if policy.description:
        out.append(f"description = {_toml_str(policy.description)}")
    out += [
        "",
        "[statutory_bars]",
        f"disqualifier = {_toml_str(policy.statutory_bars.disqualifier)}",
        f"post_prop64 = {_toml_str(policy.statutory_bars.post_prop64)}",
    ]
    if policy.bear is not None:
        b = policy.bear
        base = _inline({"dismiss": list(b.dismiss), "reduce": list(b.reduce)})
        extra = _inline(
            {
                "subjectUnder21AtConviction": b.subject_under_21_at_conviction,
                "subjectAgeThreshold": b.subject_age_threshold,
                "yearsSinceConvictionThreshold": b.years_since_conviction_threshold,
                "yearsCrimeFreeThreshold": b.years_crime_free_threshold,
                "subjectIsDeceased": b.subject_is_deceased,
                "subjectHasOnlyProp64Charges": b.subject_has_only_prop64_charges,
            }
        )
        out += ["", "[bear_options]", f"baselineEligibility = {base}", f"additionalRelief = {extra}"]
        return "\n".join(out) + "\n"
    out += ["", "[misdemeanors]", f"action = {_toml_str(policy.misdemeanors.action)}"]
    if policy.misdemeanors.reason is not None:
        out.append(f"reason = {_toml_str(policy.misdemeanors.reason)}")
    for section, rule in policy.felonies.items():
        out += ["", f"[felonies.{_toml_str(section)}]", f"action = {_toml_str(rule.action)}"]
        for key in ("reason", "fallback", "fallback_reason"):
            value = getattr(rule, key)
            if value is not None:
                out.append(f"{key} = {_toml_str(value)}")
        if rule.subsections:
            out.append(f"subsections = {_inline(rule.subsections)}")
        if rule.subsection_reason is not None:
            out.append(f"subsection_reason = {_toml_str(rule.subsection_reason)}")
    for crit in policy.criteria:
        out += [
            "",
            "[[criteria]]",
            f"id = {_toml_str(crit.id)}",
            f"outcome = {_toml_str(crit.outcome)}",
            f"reason = {_toml_str(crit.reason)}",
            f"when = {_inline(crit.when)}",
        ]
    return "\n".join(out) + "\n"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_str(value: str) -> str:
    parts = []
    for ch in value:
        if ch in _ESCAPES:
            parts.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            parts.append(f"\\u{ord(ch):04X}")
        else:
            parts.append(ch)
    return '"' + "".join(parts) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return _inline(value)
    raise TypeError(f"cannot write {type(value).__name__} to a policy file")


def _inline(table: dict[str, Any]) -> str:
    if not table:
        return "{}"
    items = ", ".join(f"{key_path('', k)} = {_toml_value(v)}" for k, v in table.items())
    return "{ " + items + " }"
