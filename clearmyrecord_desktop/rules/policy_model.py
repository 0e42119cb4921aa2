"""The policy model: its vocabulary (eligibility.md §3.1, §9.2, §9.3, §10), the validated policy as
frozen dataclasses, and how a validation problem is worded.

Callers import these names from ``rules/policy.py``, the public face of policies. Nothing here reads
a file or record data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


# --- wording of problems ----------------------------------------------------------------------

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def show_value(value: Any) -> str:
    """A value as the user wrote it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, JsonNumber):
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


def one_of(options: tuple[str, ...]) -> str:
    quoted = [json.dumps(o) for o in options]
    return "one of " + ", ".join(quoted)


def key_path(path: str, key: str, quote: bool = False) -> str:
    part = f'"{key}"' if quote or not _BARE_KEY_RE.fullmatch(key) else key
    return f"{path}.{part}" if path else part


class JsonNumber:
    """A JSON number with a fraction or exponent, kept as written (BEAR integers must be integers)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

