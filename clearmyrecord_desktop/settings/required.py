"""Export gates 3 and 4: every required setting that is empty for the courthouses, public defender,
policy paragraph and filing agencies in scope."""

from __future__ import annotations

from functools import reduce
from typing import Any, Iterable

from .schema import MissingSetting, Settings


#: Settings a final export always needs: (dotted key, what to fill in), in the order they are reported.
_ALWAYS_REQUIRED = (
    ("office.agency_name", "the office (filing agency) name"),
    ("office.head_name", "the name of the head of the office"),
    ("office.head_title", "the title of the head of the office"),
    ("office.attorney.name", "the signing attorney's name"),
    ("office.attorney.title", "the signing attorney's title"),
    ("office.attorney.bar_number", "the signing attorney's bar number"),
    ("office.address", "the office address"),
    ("office.phone", "the office telephone"),
    ("office.email", "the office e-mail"),
    ("county.name", "the county name"),
    ("county.code", "the county code"),
    ("court.name", "the court name"),
    ("marking.confidential_text", "the confidentiality marking"),
)


def required_missing(s: Settings, courthouse_codes: Iterable[str], need_pd: bool, need_authority: bool,
                     *, agency_codes: Iterable[str] = ()) -> list[MissingSetting]:
    """Every required setting that is empty, for the courthouses (and filing agencies) in scope."""
    missing: list[MissingSetting] = []

    def need(key: str, value: Any, what: str) -> None:
        empty = (not value) or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, list) and not any(str(v).strip() for v in value))
        if empty:
            missing.append(MissingSetting(key, f"Fill in {what}."))

    for key, what in _ALWAYS_REQUIRED:
        need(key, reduce(getattr, key.split("."), s), what)
    for code in sorted(set(courthouse_codes)):
        ch = s.courthouses.get(code)
        if ch is None:
            missing.append(MissingSetting(f"courthouses.{code}", f"Add a settings entry for courthouse {code}."))
            continue
        need(f"courthouses.{code}.name", ch.name, f"the name of courthouse {code}")
        if not ch.ori_codes and not ch.description_match:
            missing.append(MissingSetting(f"courthouses.{code}.ori_codes",
                                          f"Give courthouse {code} at least one ORI code or description to match."))
    if need_pd:
        p = s.public_defender
        need("public_defender.name", p.name, "the public defender's name")
        need("public_defender.address", p.address, "the public defender's address")
        need("public_defender.service_email", p.service_email, "the public defender's service e-mail")
    if need_authority:
        need("policy.authority_text", s.policy.authority_text,
             "the authority for relief beyond the statutory floor (policy paragraph of the motion)")
    agencies = {a.code: (i, a) for i, a in enumerate(s.agencies) if a.role == "filing"}
    for code in sorted(set(agency_codes)):
        if code not in agencies:
            missing.append(MissingSetting("agencies", f"Add a filing agency with code {code}."))
            continue
        i, a = agencies[code]
        need(f"agencies[{i}].name", a.name, f"the name of filing agency {code}")
        need(f"agencies[{i}].attorney_name", a.attorney_name, f"the signing attorney of agency {code}")
        need(f"agencies[{i}].address", a.address, f"the address of agency {code}")
    return missing
