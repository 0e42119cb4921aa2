"""Policy files: the county's layer over the statutory floor (eligibility.md §9–§11).

A policy is one UTF-8 TOML file (schema 1, §10), or the ``bear_compatible`` preset driven by a BEAR
``eligibility_options.json`` (§11.2). This module reads, validates, derives and writes policies; it
decides nothing about a count (that is ``rules/precedence.py``).

Validation is strict (§10): unknown keys are errors, every problem names the file, the key and what
was expected, and all problems are collected and raised together as one
:class:`~clearmyrecord_desktop.errors.PolicyError` (``err.problems`` holds them one by one).
Key paths in messages read like the file: ``felonies."11359".fallback``,
``criteria[2].when.age_at_as_of_at_least`` (criteria entries counted from 1, in file order),
``additionalRelief.subjectAgeThreshold`` (BEAR options file).

The policy's SHA-256 is that of the file bytes; for a BEAR options file, of the policy (preset) bytes
followed by the options-file bytes (§10). ``source_text`` is the same bytes as text, so
``sha256(source_text.encode("utf-8")) == sha256``.

Nothing here reads record data, so nothing here can log it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from clearmyrecord_desktop.errors import PolicyError

# --- vocabulary (§3.1, §9.2, §9.3, §10) ------------------------------------------------------

SCHEMA_VERSION = 1
PRESETS: tuple[str, ...] = ("statutory", "bear_compatible", "los_angeles_2020")
DEFAULT_PRESET = "statutory"

SECTIONS: tuple[str, ...] = ("11357", "11358", "11359", "11360")
SUBSECTION_SECTIONS: tuple[str, ...] = ("11357", "11360")
SUBSECTION_LETTERS: tuple[str, ...] = ("A", "B", "C", "D", "E")

BAR_SETTINGS: tuple[str, ...] = ("no_relief", "hand_review", "grant_anyway")
MISDEMEANOR_ACTIONS: tuple[str, ...] = ("dismiss", "statutory", "city_attorney_review")
FELONY_ACTIONS: tuple[str, ...] = ("dismiss", "hand_review", "criteria")
SUBSECTION_ACTIONS: tuple[str, ...] = ("dismiss", "hand_review", "criteria")
FALLBACKS: tuple[str, ...] = ("reduce", "statutory", "hand_review", "none")
CRITERION_OUTCOMES: tuple[str, ...] = ("dismiss_and_seal", "hand_review", "no_relief")
DISQUALIFIER_CODES: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5a", "D5b", "D6a")

#: §9.3 conditions whose only value is ``true``.
BOOLEAN_CONDITIONS: tuple[str, ...] = (
    "under_21_at_offense",
    "under_21_at_conviction",
    "only_prop64_convictions",
    "sentence_completed",
    "currently_serving",
    "all_sentences_completed",
    "deceased",
    "post_prop64",
)
#: §9.3 conditions taking an integer N, with the allowed range (inclusive).
INTEGER_CONDITIONS: dict[str, tuple[int, int]] = {
    "age_at_as_of_at_least": (18, 120),
    "conviction_years_before_as_of_at_least": (1, 100),
    "no_conviction_within_years": (1, 100),
}
LIST_CONDITIONS: tuple[str, ...] = ("disqualifier_any_of",)
CONDITIONS: tuple[str, ...] = (
    BOOLEAN_CONDITIONS[:2]
    + tuple(INTEGER_CONDITIONS)
    + BOOLEAN_CONDITIONS[2:]
    + LIST_CONDITIONS
)

_ID_RE = re.compile(r"[a-z0-9_]+")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")

# --- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatutoryBars:
    """``[statutory_bars]`` (§10): what P5 does when relief meets a bar (§9.2)."""

    disqualifier: str
    post_prop64: str


@dataclass(frozen=True)
class MisdemeanorRule:
    """``[misdemeanors]``: one action for every misdemeanor and infraction count (§9.2 P1, P3a, P3d)."""

    action: str
    reason: str | None = None


@dataclass(frozen=True)
class FelonyRule:
    """``[felonies."<section>"]`` (§10). ``subsections`` maps a letter A–E to an action."""

    action: str
    reason: str | None = None
    fallback: str | None = None
    fallback_reason: str | None = None
    subsections: dict[str, str] = field(default_factory=dict)
    subsection_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "subsections", dict(self.subsections or {}))


@dataclass(frozen=True)
class Criterion:
    """One ``[[criteria]]`` entry (§10); ``when`` maps §9.3 condition keys to their values."""

    id: str
    outcome: str
    reason: str
    when: dict[str, Any]

    def __post_init__(self) -> None:
        when = {k: (tuple(v) if isinstance(v, list | tuple) else v) for k, v in dict(self.when).items()}
        object.__setattr__(self, "when", when)


@dataclass(frozen=True)
class BearOptions:
    """BEAR's ``eligibility_options.json`` (§11.2), as read; missing values are false / 0 / empty."""

    dismiss: tuple[str, ...] = ()
    reduce: tuple[str, ...] = ()
    subject_under_21_at_conviction: bool = False
    subject_age_threshold: int = 0
    years_since_conviction_threshold: int = 0
    years_crime_free_threshold: int = 0
    subject_is_deceased: bool = False
    subject_has_only_prop64_charges: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "dismiss", tuple(self.dismiss))
        object.__setattr__(self, "reduce", tuple(self.reduce))


@dataclass(frozen=True, kw_only=True)
class Policy:
    """A validated policy.

    ``sha256`` and ``source_text`` describe the file(s) it was read from and take no part in ``==``:
    two policies are equal when they decide alike, so ``load_policy(save(p)) == p``.
    For a BEAR-derived policy ``bear`` is set and ``misdemeanors``, ``felonies`` and ``criteria`` are
    derived from it (:func:`derive_bear_rules`).
    """

    id: str
    name: str
    version: str
    description: str = ""
    sha256: str = field(default="", compare=False)
    statutory_bars: StatutoryBars
    misdemeanors: MisdemeanorRule
    felonies: dict[str, FelonyRule]
    criteria: tuple[Criterion, ...] = ()
    bear: BearOptions | None = None
    source_text: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "felonies", dict(self.felonies))
        object.__setattr__(self, "criteria", tuple(self.criteria))


class PolicyProblem(NamedTuple):
    """One validation problem: the file, the key path and what was expected."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


# --- public API -------------------------------------------------------------------------------


def list_presets() -> list[str]:
    """The shipped presets (§11), the default first."""
    return list(PRESETS)


def preset_path(name: str):
    """The shipped file of preset ``name`` (an importlib.resources Traversable)."""
    if name not in PRESETS:
        _raise([PolicyProblem(f"{name}.toml", "(preset)", f"unknown preset; expected one of {', '.join(PRESETS)}")])
    return resources.files("clearmyrecord_desktop.rules") / "policies" / f"{name}.toml"


def load_policy(
    path_or_name: str | os.PathLike[str],
    options_path: str | os.PathLike[str] | None = None,
) -> Policy:
    """Load a preset (by name, e.g. ``"statutory"``) or a policy file (by path).

    ``options_path``: a BEAR ``eligibility_options.json`` replacing the ``[bear_options]`` of the
    policy (the ``bear_compatible`` preset or any policy with ``[bear_options]``) (§11.2).
    Raises :class:`PolicyError` listing every problem.
    """
    if isinstance(path_or_name, str) and path_or_name in PRESETS:
        file_name = f"{path_or_name}.toml"
        data = preset_path(path_or_name).read_bytes()
    else:
        path = Path(path_or_name)
        if isinstance(path_or_name, str) and not path.suffix and len(path.parts) == 1 and not path.exists():
            _raise([PolicyProblem(
                path_or_name, "(file)", f"not a policy preset and no such file; expected one of "
                f"{', '.join(PRESETS)} or the path of a policy file",
            )])
        file_name = str(path)
        data = _read_bytes(path, "policy file")
    options_data = options_name = None
    if options_path is not None:
        options_name = str(Path(options_path))
        options_data = _read_bytes(Path(options_path), "BEAR options file")
    return parse_policy(data, file_name, options_data, options_name)


def parse_policy(
    data: bytes,
    file_name: str,
    options_data: bytes | None = None,
    options_name: str | None = None,
) -> Policy:
    """Validate policy bytes (and optional BEAR options bytes) already in memory."""
    problems: list[PolicyProblem] = []
    text = _decode(data, file_name, problems)
    options_text = json_bear = None
    options_problems: list[PolicyProblem] = []  # reported after the policy file's own problems
    if options_data is not None:
        options_name = options_name or "eligibility_options.json"
        options_text = _decode(options_data, options_name, options_problems)
        if options_text is not None:
            json_bear = _Reader(options_name, options_problems).bear_json(options_text)
    doc: dict[str, Any] | None = None
    if text is not None:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(PolicyProblem(file_name, "(TOML syntax)", f"{exc}; expected a valid TOML file"))
    if doc is None:
        _raise(problems + options_problems)
    fields = _Reader(file_name, problems).document(doc)
    bear = fields.pop("bear", None)
    if options_data is not None:
        if "bear_options" not in doc:
            options_problems.insert(
                0,
                PolicyProblem(
                    options_name,
                    "(file)",
                    f"a BEAR options file applies only to a policy with [bear_options] "
                    f"(such as bear_compatible); expected such a policy, got {file_name}",
                )
            )
        bear = json_bear
    problems += options_problems
    if problems:
        _raise(problems)
    if bear is not None:
        fields["misdemeanors"], fields["felonies"], fields["criteria"] = derive_bear_rules(bear)
    full_bytes = data + (options_data or b"")
    return Policy(
        **fields,
        bear=bear,
        sha256=hashlib.sha256(full_bytes).hexdigest(),
        source_text=text + (options_text or ""),
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


def save_policy(policy: Policy, path: str | os.PathLike[str]) -> Policy:
    """Validate and write ``policy`` to ``path`` (UTF-8, LF); return it as read back from the file.

    Nothing is written if the policy is invalid (:class:`PolicyError`, naming ``path``).
    The file is replaced atomically.
    """
    path = Path(path)
    data = policy_to_toml(policy).encode("utf-8")
    saved = parse_policy(data, str(path))
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _raise([PolicyProblem(str(path), "(file)", f"cannot write the policy file ({exc.strerror or exc})")])
    return saved


# --- reading ----------------------------------------------------------------------------------


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        _raise([PolicyProblem(str(path), "(file)", f"cannot read the {what} ({exc.strerror or exc})")])


def _decode(data: bytes, file_name: str, problems: list[PolicyProblem]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            PolicyProblem(file_name, "(file)", f"not UTF-8 text (byte {exc.start}); expected a UTF-8 file")
        )
        return None


def _raise(problems: list[PolicyProblem]) -> NoReturn:
    n = len(problems)
    head = f"The policy cannot be used: {n} problem{'s' if n != 1 else ''}."
    err = PolicyError(head + "\n" + "\n".join(f"- {p}" for p in problems))
    err.problems = tuple(problems)  # type: ignore[attr-defined]
    raise err


def _show(value: Any) -> str:
    """A value as the user wrote it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, _JsonNumber):
        return value.text
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    if value is None:
        return "null"
    return f"{value} ({type(value).__name__})"


def _choices(options: tuple[str, ...]) -> str:
    quoted = [json.dumps(o) for o in options]
    return "one of " + ", ".join(quoted)


def _join(path: str, key: str, quote: bool = False) -> str:
    part = f'"{key}"' if quote or not _BARE_KEY_RE.fullmatch(key) else key
    return f"{path}.{part}" if path else part


class _JsonNumber:
    """A JSON number with a fraction or exponent, kept as written (BEAR integers must be integers)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


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


class _Reader:
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
                self.add(_join(path, key, quote), f"unknown key; expected one of {shown}")

    def table(self, parent: dict, key: str, path: str, required: bool, quote: bool = False) -> dict | None:
        where = _join(path, key, quote)
        if key not in parent:
            if required:
                self.add(where, f"missing; expected a table [{where}]")
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.add(where, f"expected a table [{where}], got {_show(value)}")
            return None
        return value

    def string(self, table: dict, key: str, path: str, required: bool, nonempty: bool = False) -> str | None:
        where = _join(path, key)
        if key not in table:
            if required:
                self.add(where, "missing; expected a string")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.add(where, f"expected a string, got {_show(value)}")
            return None
        if nonempty and not value.strip():
            self.add(where, "expected a non-empty string")
            return None
        return value

    def choice(
        self, table: dict, key: str, path: str, options: tuple[str, ...], required: bool,
        what: str = "",
    ) -> str | None:
        where = _join(path, key)
        if key not in table:
            if required:
                self.add(where, f"missing; expected {_choices(options)}")
            return None
        value = table[key]
        if isinstance(value, str) and value in options:
            return value
        hint = ""
        if value == "reduce" and "reduce" not in options:
            hint = ' ("reduce" is allowed only as a felony fallback)'
        self.add(where, f"expected {_choices(options)}{what}, got {_show(value)}{hint}")
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
                f"expected {SCHEMA_VERSION} (the policy schema this version reads), got {_show(doc['schema'])}",
            )
        pid = self.string(doc, "id", "", required=True)
        if pid is not None and not _ID_RE.fullmatch(pid):
            self.add("id", f"expected lower-case letters, digits and _ only ([a-z0-9_]+), got {_show(pid)}")
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
            fields["bear"] = self.bear_toml(doc)
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
                self.add(_join("felonies", key, quote=True), f"unknown section; expected {_choices(SECTIONS)}")
        for section in SECTIONS:
            sub = self.table(table, section, "felonies", required=True, quote=True)
            if sub is not None:
                rules[section] = self.felony(sub, section)
        return rules

    def felony(self, table: dict, section: str) -> FelonyRule:
        path = _join("felonies", section, quote=True)
        keys = ("action", "reason", "fallback", "fallback_reason", "subsections", "subsection_reason")
        self.unknown_keys(table, keys, path)
        action = self.choice(table, "action", path, FELONY_ACTIONS, required=True)
        reason = self.string(table, "reason", path, required=False)
        subsections: dict[str, str] = {}
        if "subsections" in table:
            where = _join(path, "subsections")
            raw = table["subsections"]
            if section not in SUBSECTION_SECTIONS:
                self.add(where, f"only allowed for 11357 and 11360; expected no subsections for {section}")
            elif not isinstance(raw, dict):
                self.add(where, f"expected a table such as {{ A = \"dismiss\" }}, got {_show(raw)}")
            else:
                for letter in raw:
                    if letter not in SUBSECTION_LETTERS:
                        self.add(_join(where, letter), "expected a single letter A–E as the key")
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
                _join(path, "fallback"),
                f'allowed only when action (or a subsection) is "criteria"; expected no fallback for '
                f"action {_show(action)}",
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
            self.add("criteria", f"expected an array of tables ([[criteria]]), got {_show(raw)}")
            return ()
        result: list[Criterion] = []
        seen: dict[str, str] = {}
        for number, entry in enumerate(raw, start=1):
            path = f"criteria[{number}]"
            if not isinstance(entry, dict):
                self.add(path, f"expected a table ([[criteria]]), got {_show(entry)}")
                continue
            self.unknown_keys(entry, ("id", "outcome", "reason", "when"), path)
            cid = self.string(entry, "id", path, required=True)
            if cid is not None:
                if not _ID_RE.fullmatch(cid):
                    self.add(_join(path, "id"), f"expected [a-z0-9_]+, got {_show(cid)}")
                elif cid in seen:
                    self.add(_join(path, "id"), f"{_show(cid)} is already used by {seen[cid]}; expected a unique id")
                else:
                    seen[cid] = path
            outcome = self.choice(entry, "outcome", path, CRITERION_OUTCOMES, required=True)
            reason = self.string(entry, "reason", path, required=True)
            when = self.when(entry, path)
            result.append(Criterion(cid or "", outcome or "hand_review", reason or "", when))
        return tuple(result)

    def when(self, entry: dict, path: str) -> dict[str, Any]:
        where = _join(path, "when")
        if "when" not in entry:
            self.add(where, "missing; expected a table of one or more conditions")
            return {}
        raw = entry["when"]
        if not isinstance(raw, dict):
            self.add(where, f"expected a table of one or more conditions, got {_show(raw)}")
            return {}
        if not raw:
            self.add(where, f"expected one or more conditions ({', '.join(CONDITIONS)})")
        conditions: dict[str, Any] = {}
        for key, value in raw.items():
            at = _join(where, key)
            if key in BOOLEAN_CONDITIONS:
                if value is not True:
                    self.add(at, f"expected true, got {_show(value)}")
                    continue
            elif key in INTEGER_CONDITIONS:
                low, high = INTEGER_CONDITIONS[key]
                if type(value) is not int:
                    self.add(at, f"expected a whole number from {low} to {high}, got {_show(value)}")
                    continue
                if not low <= value <= high:
                    self.add(at, f"expected a whole number from {low} to {high}, got {value}")
                    continue
            elif key in LIST_CONDITIONS:
                codes = ", ".join(DISQUALIFIER_CODES)
                if not isinstance(value, list) or not value:
                    self.add(at, f"expected a non-empty array of disqualifier codes ({codes}), got {_show(value)}")
                    continue
                bad = [v for v in value if not (isinstance(v, str) and v in DISQUALIFIER_CODES)]
                if bad:
                    self.add(at, f"expected disqualifier codes ({codes}), got {', '.join(_show(b) for b in bad)}")
                    continue
                value = tuple(value)
            else:
                self.add(at, f"unknown condition; expected one of {', '.join(CONDITIONS)}")
                continue
            conditions[key] = value
        return conditions

    # -- BEAR options (§11.2) --

    def bear_toml(self, doc: dict) -> BearOptions | None:
        """``[bear_options]`` in a TOML policy: same values as the JSON file, TOML strictness on keys."""
        table = self.table(doc, "bear_options", "", required=True)
        if table is None:
            return None
        self.unknown_keys(table, ("baselineEligibility", "additionalRelief"), "bear_options")
        lowered: dict[str, Any] = {}
        for key, allowed in (("baselineEligibility", _BEAR_BASE_KEYS), ("additionalRelief", _BEAR_EXTRA_KEYS)):
            sub = self.table(table, key, "bear_options", required=False)
            if sub is not None:
                self.unknown_keys(sub, allowed, _join("bear_options", key))
                lowered[key.lower()] = {k.lower(): v for k, v in sub.items() if k in allowed}
        return self.bear_values(lowered, "bear_options.")

    def bear_json(self, text: str) -> BearOptions | None:
        """A BEAR ``eligibility_options.json``: keys case-insensitive, unknown keys ignored,
        missing or null = false / 0 / [], a repeated key: the last one wins."""
        try:
            obj = json.loads(
                text.lstrip("\ufeff"),
                object_pairs_hook=_case_insensitive_object,
                parse_float=_JsonNumber,
                parse_constant=_reject_constant,
            )
        except ValueError as exc:
            self.add("(JSON syntax)", f"{exc}; expected a valid JSON object")
            return None
        if not isinstance(obj, dict):
            self.add("(top level)", f"expected a JSON object, got {_show(obj)}")
            return None
        return self.bear_values(obj, "")

    def bear_values(self, obj: dict, prefix: str) -> BearOptions | None:
        """Common checks on lower-cased keys (types, sections, gogen's range messages)."""
        start = len(self.problems)
        values: dict[str, Any] = {}
        base = obj.get("baselineeligibility")
        if base is None:
            base = {}
        elif not isinstance(base, dict):
            self.add(prefix + "baselineEligibility", f"expected an object, got {_show(base)}")
            base = {}
        for key in _BEAR_BASE_KEYS:
            name = f"baselineEligibility.{key}"
            items = base.get(key)
            if items is None:
                items = []
            if not isinstance(items, list):
                self.add(prefix + name, f"expected an array of code sections such as [\"11357\"], got {_show(items)}")
                continue
            sections: list[str] = []
            for item in items:
                if isinstance(item, str) and item in SECTIONS:
                    sections.append(item)
                else:
                    self.add(
                        prefix + name,
                        f"Unknown code section {_show(item)} in {name}; expected 11357, 11358, 11359 or 11360",
                    )
            values[key] = tuple(sections)
        extra = obj.get("additionalrelief")
        if extra is None:
            extra = {}
        elif not isinstance(extra, dict):
            self.add(prefix + "additionalRelief", f"expected an object, got {_show(extra)}")
            extra = {}
        for key in _BEAR_EXTRA_KEYS:
            where = prefix + f"additionalRelief.{key}"
            value = extra.get(key.lower())
            if key in _BEAR_BOOL_KEYS:
                value = False if value is None else value
                if type(value) is not bool:
                    self.add(where, f"expected true or false, got {_show(value)}")
                    continue
                values[_BEAR_BOOL_KEYS[key]] = value
                continue
            attr, low, high, message = _BEAR_INT_KEYS[key]
            value = 0 if value is None else value
            if type(value) is not int:
                self.add(where, f"expected a whole number (an integer, no fraction or exponent), got {_show(value)}")
            elif value != 0 and not low <= value <= high:
                self.add(where, message)
            else:
                values[attr] = value
        if len(self.problems) > start:
            return None
        return BearOptions(**values)


def _case_insensitive_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        result[key.lower()] = value  # the last occurrence wins, whatever its case
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# --- writing ----------------------------------------------------------------------------------

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
    items = ", ".join(f"{_join('', k)} = {_toml_value(v)}" for k, v in table.items())
    return "{ " + items + " }"
