"""The strict reader of a schema-1 policy file (eligibility.md §10).

Unknown keys are errors; every problem names the file, the key and what was expected, and a
:class:`PolicyReader` collects them all instead of stopping at the first. Key paths read like the
file: ``felonies."11359".fallback``, ``criteria[2].when.age_at_as_of_at_least`` (criteria entries
counted from 1, in file order). ``[bear_options]`` is read by ``rules/bear_options.py``.
"""

from __future__ import annotations

import re
from typing import Any

from clearmyrecord_desktop.rules.bear_options import read_bear_toml
from clearmyrecord_desktop.rules.policy_model import (
    BAR_SETTINGS,
    BOOLEAN_CONDITIONS,
    CONDITIONS,
    CRITERION_OUTCOMES,
    DISQUALIFIER_CODES,
    FALLBACKS,
    FELONY_ACTIONS,
    INTEGER_CONDITIONS,
    LIST_CONDITIONS,
    MISDEMEANOR_ACTIONS,
    SCHEMA_VERSION,
    SECTIONS,
    SUBSECTION_ACTIONS,
    SUBSECTION_LETTERS,
    SUBSECTION_SECTIONS,
    Criterion,
    FelonyRule,
    MisdemeanorRule,
    PolicyProblem,
    StatutoryBars,
    key_path,
    one_of,
    show_value,
)

_ID_RE = re.compile(r"[a-z0-9_]+")


class PolicyReader:
    """Walks one parsed file, collecting problems instead of stopping at the first."""

    def __init__(self, file_name: str, problems: list[PolicyProblem]):
        self.file = file_name
        self.problems = problems

    def add(self, key: str, message: str) -> None:
        self.problems.append(PolicyProblem(self.file, key, message))

    # -- generic helpers --

    def unknown_keys(self, table: dict, allowed: tuple[str, ...], path: str, quote: bool = False) -> None:
        for key in table:
            if key not in allowed:
                shown = ", ".join(allowed)
                self.add(key_path(path, key, quote), f"unknown key; expected one of {shown}")

    def table(self, parent: dict, key: str, path: str, required: bool, quote: bool = False) -> dict | None:
        where = key_path(path, key, quote)
        if key not in parent:
            if required:
                self.add(where, f"missing; expected a table [{where}]")
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.add(where, f"expected a table [{where}], got {show_value(value)}")
            return None
        return value

    def string(self, table: dict, key: str, path: str, required: bool, nonempty: bool = False) -> str | None:
        where = key_path(path, key)
        if key not in table:
            if required:
                self.add(where, "missing; expected a string")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.add(where, f"expected a string, got {show_value(value)}")
            return None
        if nonempty and not value.strip():
            self.add(where, "expected a non-empty string")
            return None
        return value

    def choice(
        self, table: dict, key: str, path: str, options: tuple[str, ...], required: bool,
        what: str = "",
    ) -> str | None:
        where = key_path(path, key)
        if key not in table:
            if required:
                self.add(where, f"missing; expected {one_of(options)}")
            return None
        value = table[key]
        if isinstance(value, str) and value in options:
            return value
        hint = ""
        if value == "reduce" and "reduce" not in options:
            hint = ' ("reduce" is allowed only as a felony fallback)'
        self.add(where, f"expected {one_of(options)}{what}, got {show_value(value)}{hint}")
        return None

    # -- the document (§10) --

    def document(self, doc: dict) -> dict[str, Any]:
        top = (
            "schema", "id", "name", "version", "description",
            "statutory_bars", "misdemeanors", "felonies", "criteria", "bear_options",
        )
        self.unknown_keys(doc, top, "")
        if "schema" not in doc:
            self.add("schema", f"missing; expected {SCHEMA_VERSION}")
        elif type(doc["schema"]) is not int or doc["schema"] != SCHEMA_VERSION:
            self.add(
                "schema",
                f"expected {SCHEMA_VERSION} (the policy schema this version reads), got {show_value(doc['schema'])}",
            )
        pid = self.string(doc, "id", "", required=True)
        if pid is not None and not _ID_RE.fullmatch(pid):
            self.add("id", f"expected lower-case letters, digits and _ only ([a-z0-9_]+), got {show_value(pid)}")
        fields: dict[str, Any] = {
            "id": pid or "",
            "name": self.string(doc, "name", "", required=True, nonempty=True) or "",
            "version": self.string(doc, "version", "", required=True, nonempty=True) or "",
            "description": self.string(doc, "description", "", required=False) or "",
        }
        is_bear = "bear_options" in doc
        fields["statutory_bars"] = self.statutory_bars(doc, is_bear)
        if is_bear:
            for key in ("misdemeanors", "felonies", "criteria"):
                if key in doc:
                    self.add(key, "not allowed with [bear_options] (derived from it); expected no such key")
            fields["bear"] = read_bear_toml(self, doc)
        else:
            fields["misdemeanors"] = self.misdemeanors(doc)
            fields["felonies"] = self.felonies(doc)
            fields["criteria"] = self.criteria(doc)
        return fields

    def statutory_bars(self, doc: dict, is_bear: bool) -> StatutoryBars:
        keys = ("disqualifier", "post_prop64")
        table = self.table(doc, "statutory_bars", "", required=not is_bear)
        if table is None:
            return StatutoryBars("grant_anyway", "grant_anyway")
        self.unknown_keys(table, keys, "statutory_bars")
        values = []
        for key in keys:
            value = self.choice(table, key, "statutory_bars", BAR_SETTINGS, required=not is_bear)
            values.append(value if value is not None else "grant_anyway")
        return StatutoryBars(*values)

    def misdemeanors(self, doc: dict) -> MisdemeanorRule:
        table = self.table(doc, "misdemeanors", "", required=True)
        if table is None:
            return MisdemeanorRule("statutory")
        self.unknown_keys(table, ("action", "reason"), "misdemeanors")
        action = self.choice(table, "action", "misdemeanors", MISDEMEANOR_ACTIONS, required=True)
        reason = self.string(table, "reason", "misdemeanors", required=False)
        return MisdemeanorRule(action or "statutory", reason)

    def felonies(self, doc: dict) -> dict[str, FelonyRule]:
        table = self.table(doc, "felonies", "", required=True)
        rules: dict[str, FelonyRule] = {}
        if table is None:
            return rules
        for key in table:
            if key not in SECTIONS:
                self.add(key_path("felonies", key, quote=True), f"unknown section; expected {one_of(SECTIONS)}")
        for section in SECTIONS:
            sub = self.table(table, section, "felonies", required=True, quote=True)
            if sub is not None:
                rules[section] = self.felony(sub, section)
        return rules

    def felony(self, table: dict, section: str) -> FelonyRule:
        path = key_path("felonies", section, quote=True)
        keys = ("action", "reason", "fallback", "fallback_reason", "subsections", "subsection_reason")
        self.unknown_keys(table, keys, path)
        action = self.choice(table, "action", path, FELONY_ACTIONS, required=True)
        reason = self.string(table, "reason", path, required=False)
        subsections: dict[str, str] = {}
        if "subsections" in table:
            where = key_path(path, "subsections")
            raw = table["subsections"]
            if section not in SUBSECTION_SECTIONS:
                self.add(where, f"only allowed for 11357 and 11360; expected no subsections for {section}")
            elif not isinstance(raw, dict):
                self.add(where, f"expected a table such as {{ A = \"dismiss\" }}, got {show_value(raw)}")
            else:
                for letter in raw:
                    if letter not in SUBSECTION_LETTERS:
                        self.add(key_path(where, letter), "expected a single letter A–E as the key")
                        continue
                    value = self.choice(raw, letter, where, SUBSECTION_ACTIONS, required=True)
                    if value is not None:
                        subsections[letter] = value
        subsection_reason = self.string(table, "subsection_reason", path, required=False)
        reaches_criteria = action == "criteria" or "criteria" in subsections.values()
        fallback = None
        if reaches_criteria:
            fallback = self.choice(
                table, "fallback", path, FALLBACKS, required=True,
                what=' (required when action or a subsection is "criteria")',
            )
        elif "fallback" in table and action is not None:
            self.add(
                key_path(path, "fallback"),
                f'allowed only when action (or a subsection) is "criteria"; expected no fallback for '
                f"action {show_value(action)}",
            )
        fallback_reason = self.string(table, "fallback_reason", path, required=False)
        return FelonyRule(
            action or "hand_review", reason, fallback, fallback_reason, subsections, subsection_reason
        )

    def criteria(self, doc: dict) -> tuple[Criterion, ...]:
        if "criteria" not in doc:
            return ()
        raw = doc["criteria"]
        if not isinstance(raw, list):
            self.add("criteria", f"expected an array of tables ([[criteria]]), got {show_value(raw)}")
            return ()
        result: list[Criterion] = []
        seen: dict[str, str] = {}
        for number, entry in enumerate(raw, start=1):
            path = f"criteria[{number}]"
            if not isinstance(entry, dict):
                self.add(path, f"expected a table ([[criteria]]), got {show_value(entry)}")
                continue
            self.unknown_keys(entry, ("id", "outcome", "reason", "when"), path)
            cid = self.string(entry, "id", path, required=True)
            if cid is not None:
                if not _ID_RE.fullmatch(cid):
                    self.add(key_path(path, "id"), f"expected [a-z0-9_]+, got {show_value(cid)}")
                elif cid in seen:
                    self.add(key_path(path, "id"), f"{show_value(cid)} is already used by {seen[cid]}; expected a unique id")
                else:
                    seen[cid] = path
            outcome = self.choice(entry, "outcome", path, CRITERION_OUTCOMES, required=True)
            reason = self.string(entry, "reason", path, required=True)
            when = self.when(entry, path)
            result.append(Criterion(cid or "", outcome or "hand_review", reason or "", when))
        return tuple(result)

    def when(self, entry: dict, path: str) -> dict[str, Any]:
        where = key_path(path, "when")
        if "when" not in entry:
            self.add(where, "missing; expected a table of one or more conditions")
            return {}
        raw = entry["when"]
        if not isinstance(raw, dict):
            self.add(where, f"expected a table of one or more conditions, got {show_value(raw)}")
            return {}
        if not raw:
            self.add(where, f"expected one or more conditions ({', '.join(CONDITIONS)})")
        conditions: dict[str, Any] = {}
        for key, value in raw.items():
            at = key_path(where, key)
            if key in BOOLEAN_CONDITIONS:
                if value is not True:
                    self.add(at, f"expected true, got {show_value(value)}")
                    continue
            elif key in INTEGER_CONDITIONS:
                low, high = INTEGER_CONDITIONS[key]
                if type(value) is not int:
                    self.add(at, f"expected a whole number from {low} to {high}, got {show_value(value)}")
                    continue
                if not low <= value <= high:
                    self.add(at, f"expected a whole number from {low} to {high}, got {value}")
                    continue
            elif key in LIST_CONDITIONS:
                codes = ", ".join(DISQUALIFIER_CODES)
                if not isinstance(value, list) or not value:
                    self.add(at, f"expected a non-empty array of disqualifier codes ({codes}), got {show_value(value)}")
                    continue
                bad = [v for v in value if not (isinstance(v, str) and v in DISQUALIFIER_CODES)]
                if bad:
                    self.add(at, f"expected disqualifier codes ({codes}), got {', '.join(show_value(b) for b in bad)}")
                    continue
                value = tuple(value)
            else:
                self.add(at, f"unknown condition; expected one of {', '.join(CONDITIONS)}")
                continue
            conditions[key] = value
        return conditions
