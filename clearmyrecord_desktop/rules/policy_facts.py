"""What the policy layer knows about one evaluated count, and the §9.3 conditions over it
(eligibility.md §9.1, §9.3).

:class:`PolicyFacts` is built by the engine from the statutory result and the person's record
(``PolicyFacts.trusted``: valid by construction, not checked again); built directly, it checks
itself against the statutory rule ids. :func:`condition_holds` decides one ``when`` condition
of a ``[[criteria]]`` entry. How the facts and a policy combine is ``rules/precedence.py``.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from clearmyrecord_desktop.rules.dates import BRACKETS, DateValue, UNKNOWN, add_years

DETERMINATIONS = (
    "dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "no_relief", "hand_review",
)
LEVELS = ("felony", "misdemeanor", "infraction", "unknown")
RELIEF_PATHS = ("redesignation", "resentencing", "unknown")
CERTAINTIES = ("definite", "possible")

#: Statutory hand reviews a policy may resolve (◆ in §7.1); every other statutory hand review is
#: review-only and stops at the guard (P2).
POLICY_RESOLVABLE_RULES = frozenset(
    ("stat.date.offense_unknown", "stat.11357.subsection_unknown", "stat.dq.possible")
)
POST_PROP64_RULE = "stat.date.post_prop64"
OFFENSE_UNKNOWN_RULE = "stat.date.offense_unknown"
SUBSECTION_UNKNOWN_RULE = "stat.11357.subsection_unknown"


class DisqualifierToken(NamedTuple):
    """A disqualifier finding: its evidence token (§12.3), code (§3.4) and certainty."""

    token: str
    code: str
    certainty: str


@dataclass(frozen=True, kw_only=True)
class PolicyFacts:
    """Everything the policy layer needs about one evaluated count (no names, no raw lines).

    Statutory layer: ``statutory_determination``, ``statutory_rule_ids`` (the deciding rule first),
    ``statutory_reason``; ``review_only_statutory`` (a ``hand_review`` from a rule not marked ◆ in §7.1)
    and ``date_bar`` (``post_prop64`` / ``post_prop64?`` from the S2 rules) are derived from the rule ids
    when left ``None``, and checked against them when given.

    For §9.3: ``age_brackets`` = possible brackets at the offense (§5.5, with the ``CYC_AGE``
    fallback); ``dob`` = ``PRI_DOB`` only; ``conviction`` = this count's conviction date;
    ``person_latest_conviction_hi`` = the latest ``hi`` over every count of the person (all counties,
    all sections, this one included) and ``person_conviction_dates_known`` = every one of those dates
    is known; ``only_prop64_convictions``, ``all_sentences_completed``, ``deceased`` per person.

    Invariant of the statutory layer relied on by "the statutory preset returns the statutory
    determination": a statutory relief never comes with a bar (§7.3: an applicable disqualifier token
    or a date bar leaves ``no_relief`` or ``hand_review``; a ``D5b`` token without a possible ``adult``
    bracket is not a bar, see ``precedence._bars``).
    """

    level: str
    count_class: str
    section: str | None
    first_subsection_letter: str | None
    statutory_determination: str
    statutory_rule_ids: tuple[str, ...]
    statutory_reason: str
    as_of: date
    review_only_statutory: bool | None = None
    disqualifier_tokens: tuple[DisqualifierToken, ...] = ()
    date_bar: str | None = None
    age_brackets: frozenset[str] = frozenset(BRACKETS)
    dob: DateValue = UNKNOWN
    conviction: DateValue = UNKNOWN
    relief_path: str = "unknown"
    person_latest_conviction_hi: date | None = None
    person_conviction_dates_known: bool = False
    only_prop64_convictions: bool = False
    all_sentences_completed: bool = False
    deceased: bool = False

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "statutory_rule_ids", tuple(self.statutory_rule_ids))
        put(self, "disqualifier_tokens", tuple(DisqualifierToken(*t) for t in self.disqualifier_tokens))
        put(self, "age_brackets", frozenset(self.age_brackets))
        put(self, "dob", _date_value(self.dob))
        put(self, "conviction", _date_value(self.conviction))
        if self.level not in LEVELS:
            raise ValueError(f"level {self.level!r}; expected one of {LEVELS}")
        if self.statutory_determination not in DETERMINATIONS:
            raise ValueError(f"statutory determination {self.statutory_determination!r}")
        if not self.statutory_rule_ids:
            raise ValueError("statutory_rule_ids is empty; the deciding rule comes first")
        if self.relief_path not in RELIEF_PATHS:
            raise ValueError(f"relief path {self.relief_path!r}; expected one of {RELIEF_PATHS}")
        if not self.age_brackets <= set(BRACKETS):
            raise ValueError(f"age brackets {sorted(self.age_brackets)}; expected a subset of {BRACKETS}")
        for t in self.disqualifier_tokens:
            if t.certainty not in CERTAINTIES:
                raise ValueError(f"token certainty {t.certainty!r}; expected one of {CERTAINTIES}")
        date_bar, review_only = _derived(self.statutory_determination, self.statutory_rule_ids)
        if self.date_bar is None:
            put(self, "date_bar", date_bar)
        elif self.date_bar != date_bar:
            raise ValueError(f"date_bar {self.date_bar!r} does not match the statutory rule ids")
        if self.review_only_statutory is None:
            put(self, "review_only_statutory", review_only)
        elif self.review_only_statutory != review_only:
            raise ValueError("review_only_statutory does not match the statutory rule ids")

    @classmethod
    def trusted(cls, **values: object) -> "PolicyFacts":
        """Facts given in their final types (tuples, :class:`DisqualifierToken`, a frozenset, date
        values) and valid by construction, as the engine builds them: made without the conversions
        and checks of ``__post_init__`` (a noticeable share of an evaluation run); ``date_bar`` and
        ``review_only_statutory`` are derived from the rule ids as there."""
        facts = object.__new__(cls)
        attrs = facts.__dict__
        attrs.update(_DEFAULTS)
        attrs.update(values)
        attrs["date_bar"], attrs["review_only_statutory"] = _derived(
            attrs["statutory_determination"], attrs["statutory_rule_ids"])
        return facts


_DEFAULTS = {f.name: f.default for f in fields(PolicyFacts) if f.default is not MISSING}


@lru_cache(maxsize=1024)
def _derived(statutory_determination: str, rule_ids: tuple[str, ...]) -> tuple[str | None, bool]:
    """(``date_bar``, ``review_only_statutory``) implied by the statutory rule ids."""
    rules = set(rule_ids)
    date_bar = (
        "post_prop64" if POST_PROP64_RULE in rules else "post_prop64?" if OFFENSE_UNKNOWN_RULE in rules else None
    )
    return date_bar, statutory_determination == "hand_review" and not rules & POLICY_RESOLVABLE_RULES


def condition_holds(key: str, value: object, facts: PolicyFacts) -> bool:
    """One §9.3 condition. Unknown never satisfies a condition; T = ``facts.as_of``."""
    t = facts.as_of
    if key == "under_21_at_offense":
        return bool(facts.age_brackets) and facts.age_brackets <= {"minor", "young_adult"}
    if key == "under_21_at_conviction":
        dob_lo, conv_hi = facts.dob.lo, facts.conviction.hi
        if dob_lo is None or conv_hi is None:
            return False
        turns_21 = _shift(dob_lo, 21)
        return turns_21 is None or turns_21 > conv_hi  # None: beyond the calendar, so later
    if key == "age_at_as_of_at_least":
        if facts.dob.hi is None:
            return False
        reached = _shift(facts.dob.hi, int(value))
        return reached is not None and reached <= t
    if key == "conviction_years_before_as_of_at_least":
        if facts.conviction.hi is None:
            return False
        limit = _shift(t, -int(value))
        return limit is not None and facts.conviction.hi <= limit
    if key == "no_conviction_within_years":
        latest = facts.person_latest_conviction_hi
        if not facts.person_conviction_dates_known or latest is None:
            return False
        limit = _shift(t, -int(value))
        return limit is not None and latest < limit
    if key == "only_prop64_convictions":
        return facts.only_prop64_convictions
    if key == "sentence_completed":
        return facts.relief_path == "redesignation"
    if key == "currently_serving":
        return facts.relief_path == "resentencing"
    if key == "all_sentences_completed":
        return facts.all_sentences_completed
    if key == "deceased":
        return facts.deceased
    if key == "disqualifier_any_of":
        codes = set(value)  # type: ignore[arg-type]
        return any(t.certainty == "definite" and t.code in codes for t in facts.disqualifier_tokens)
    if key == "post_prop64":
        return POST_PROP64_RULE in facts.statutory_rule_ids
    raise ValueError(f"unknown policy condition {key!r}")


def _shift(d: date, years: int) -> date | None:
    """``add_years`` (§5.2), or ``None`` past the ends of the calendar."""
    try:
        return add_years(d, years)
    except (ValueError, OverflowError):
        return None


def _date_value(v: DateValue | date | None) -> DateValue:
    if v is None:
        return UNKNOWN
    if isinstance(v, date):
        return DateValue(v, v)
    return v
