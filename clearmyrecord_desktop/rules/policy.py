"""Policy files: the county's layer over the statutory floor (eligibility.md §9–§11).

A policy is one UTF-8 TOML file (schema 1, §10), or the ``bear_compatible`` preset driven by a BEAR
``eligibility_options.json`` (§11.2). This module is the public face of policies — load, parse,
save — and every public name of the policy modules can be imported from it; it decides nothing
about a count (that is ``rules/precedence.py``). The work is done in:

- ``policy_model.py``: the vocabulary, the frozen dataclasses, how a problem is worded;
- ``policy_schema.py``: the strict reader of a TOML policy (:class:`PolicyReader`);
- ``bear_options.py``: BEAR's options, read and checked, and :func:`derive_bear_rules`;
- ``policy_toml.py``: :func:`policy_to_toml`, the writer used by the policy editor.

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
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from clearmyrecord_desktop.errors import PolicyError
from clearmyrecord_desktop.rules.bear_options import derive_bear_rules, read_bear_json
from clearmyrecord_desktop.rules.policy_model import (
    BAR_SETTINGS,
    BOOLEAN_CONDITIONS,
    CONDITIONS,
    CRITERION_OUTCOMES,
    DEFAULT_PRESET,
    DISQUALIFIER_CODES,
    FALLBACKS,
    FELONY_ACTIONS,
    INTEGER_CONDITIONS,
    LIST_CONDITIONS,
    MISDEMEANOR_ACTIONS,
    PRESETS,
    SCHEMA_VERSION,
    SECTIONS,
    SUBSECTION_ACTIONS,
    SUBSECTION_LETTERS,
    SUBSECTION_SECTIONS,
    BearOptions,
    Criterion,
    FelonyRule,
    MisdemeanorRule,
    Policy,
    PolicyProblem,
    StatutoryBars,
)
from clearmyrecord_desktop.rules.policy_schema import PolicyReader
from clearmyrecord_desktop.rules.policy_toml import policy_to_toml

__all__ = [
    # vocabulary
    "SCHEMA_VERSION", "PRESETS", "DEFAULT_PRESET", "SECTIONS", "SUBSECTION_SECTIONS", "SUBSECTION_LETTERS",
    "BAR_SETTINGS", "MISDEMEANOR_ACTIONS", "FELONY_ACTIONS", "SUBSECTION_ACTIONS", "FALLBACKS",
    "CRITERION_OUTCOMES", "DISQUALIFIER_CODES", "BOOLEAN_CONDITIONS", "INTEGER_CONDITIONS", "LIST_CONDITIONS",
    "CONDITIONS",
    # the model
    "StatutoryBars", "MisdemeanorRule", "FelonyRule", "Criterion", "BearOptions", "Policy", "PolicyProblem",
    # the API
    "list_presets", "preset_path", "load_policy", "parse_policy", "derive_bear_rules", "policy_to_toml",
    "save_policy",
]

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
            json_bear = read_bear_json(PolicyReader(options_name, options_problems), options_text)
    doc: dict[str, Any] | None = None
    if text is not None:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(PolicyProblem(file_name, "(TOML syntax)", f"{exc}; expected a valid TOML file"))
    if doc is None:
        _raise(problems + options_problems)
    fields = PolicyReader(file_name, problems).document(doc)
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
