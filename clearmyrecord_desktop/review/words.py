"""Plain-language wording of the eligibility vocabulary (eligibility.md §3, §13), for screens and
documents. Core code: no Qt."""

from __future__ import annotations

from dataclasses import dataclass

DETERMINATION_WORDS = {
    "dismiss_and_seal": "Dismiss and seal",
    "reduce_to_misdemeanor": "Reduce to a misdemeanor",
    "reduce_to_infraction": "Reduce to an infraction",
    "no_relief": "No relief (challenge)",
    "hand_review": "Hand review",
}

DETERMINATION_SHORT = {
    "dismiss_and_seal": "Dismiss",
    "reduce_to_misdemeanor": "Reduce → M",
    "reduce_to_infraction": "Reduce → I",
    "no_relief": "No relief",
    "hand_review": "Hand review",
}

RELIEF_PATH_WORDS = {
    "redesignation": "Sentence completed — application to redesignate or dismiss (H&S § 11361.8(e)–(h))",
    "resentencing": "Still serving — petition for recall and resentencing (H&S § 11361.8(a)–(d))",
    "unknown": "The DOJ sentence data do not tell whether the sentence is complete",
}

UNKNOWN_FACT_WORDS = {
    "quantity_unknown": "The amount (8 g of concentrated cannabis) would decide between outcomes and is not in the data",
    "plant_count_unknown": "The number of plants (six) would decide between outcomes and is not in the data",
    "transport_purpose_unknown": "Whether the transport was for sale (or a gift of 28.5 g or less) is not in the data",
    "subsection_unknown": "The subsection that decides the outcome is missing or unreadable",
    "offense_date_unknown": "The offense date is not recorded exactly",
    "conviction_date_unknown": "The conviction date is not recorded either",
    "age_unknown": "The age at the offense cannot be fixed to one bracket (under 18 / 18–20 / 21+)",
    "level_unknown": "The record does not say felony, misdemeanor or infraction",
    "prior_date_unknown": "A possible disqualifier exists only because dates cannot be ordered",
    "disqualifier_facts_unknown": "A possible disqualifier depends on facts not in the data",
    "code_section_unclear": "The charge text cannot be read as a Prop 64 citation with certainty",
    "record_incomplete": "Another line of this person was quarantined at import; the record may be incomplete",
    "conflicting_rows": "The DOJ rows of this count disagree",
}

DISQUALIFIER_WORDS = {
    "D1": "Prior super strike (PC § 667(e)(2)(C)(iv))",
    "D2": "Prior offense requiring sex-offender registration (PC § 290(c))",
    "D3": "Two or more prior convictions of the same offense",
    "D4": "Environmental violation in the cultivation (H&S § 11358(d)(3))",
    "D5a": "Sale or furnishing to a minor (H&S § 11359(c)(3))",
    "D5b": "Using a person 20 or younger (H&S § 11359(d))",
    "D6a": "Sale or furnishing to a minor (H&S § 11360(a)(3)(C))",
}

LEVEL_WORDS = {"felony": "Felony", "misdemeanor": "Misdemeanor", "infraction": "Infraction",
               "unknown": "Level unknown"}

REVIEW_ROUTE_WORDS = {"city_attorney": "Referred to the City Attorney"}

RELIEF_PATH_NOTE = ("The relief path is an estimate from the DOJ sentence rows: they do not show "
                    "parole or PRCS after prison, nor early termination of probation.")

#: Rule-id prefixes (or exact ids) where the law is unsettled (eligibility.md §13).
_UNCERTAIN_RULES = {
    "stat.attempt": "No appellate decision says whether an attempt (PC § 664) of a Prop 64 offense "
                    "qualifies; probably a lesser offense today.",
    "stat.accessory": "Accessory (PC § 32) is not categorically ineligible (People v. Boatwright "
                      "(2019)); the facts decide.",
    "stat.dq.possible": "A possible disqualifier depends on facts not in the DOJ data; counsel should "
                        "check the lists against PC §§ 667(e)(2)(C)(iv) and 290(c) as in force at the offense.",
    "stat.dq.environmental": "The D4 list of environmental offenses comes from the statute's "
                             "cross-references and must be verified.",
    "stat.date.offense_unknown": "Without an offense date it cannot be told whether the pre-Prop-64 "
                                 "law applied.",
    "stat.11357.subsection_unknown": "The old 11357 subsections differ in substance; pre-1976 felony "
                                     "possession also appears as 11357.",
}
_UNCERTAIN_FACTS = {
    "quantity_unknown": "H&S § 11361.8 presumes eligibility; the statutory layer gives the lesser relief "
                        "and a policy may grant more.",
    "plant_count_unknown": "H&S § 11361.8 presumes eligibility; the statutory layer gives the lesser "
                           "relief and a policy may grant more.",
    "transport_purpose_unknown": "Transport of a personal amount by an adult may be lawful today "
                                 "(H&S § 11360(c)); the floor stays a reduction.",
}


@dataclass(frozen=True)
class Token:
    """A disqualifier evidence token ``code|certainty|code_section|date|case_number|cnt_order``."""
    code: str
    certainty: str
    code_section: str
    date: str
    case_number: str
    cnt_order: str

    @property
    def words(self) -> str:
        what = DISQUALIFIER_WORDS.get(self.code, self.code)
        case = f", case {self.case_number}" if self.case_number else ""
        return f"{what}: {self.code_section} on {self.date or 'unknown date'}{case} ({self.certainty})"


def split_list(value: str | None) -> list[str]:
    return [part for part in (value or "").split(";") if part.strip()]


def parse_token(text: str) -> Token | None:
    parts = text.strip().split("|")
    if len(parts) != 6:
        return None
    return Token(*parts)


def parse_tokens(value: str | None) -> list[Token]:
    return [t for t in (parse_token(p) for p in split_list(value)) if t is not None]


def determination_words(value: str | None) -> str:
    return DETERMINATION_WORDS.get(value or "", value or "")


def fact_words(value: str | None) -> list[str]:
    return [UNKNOWN_FACT_WORDS.get(f, f) for f in split_list(value)]


def uncertainty_notes(rule_ids: str | None, unknown_facts: str | None, tokens: list[Token]) -> list[str]:
    """Sentences saying where the law (not only the data) is uncertain for this count."""
    notes: list[str] = []
    for rule in split_list(rule_ids):
        for key, note in _UNCERTAIN_RULES.items():
            if rule == key or rule.startswith(key + "."):
                if note not in notes:
                    notes.append(note)
    for fact in split_list(unknown_facts):
        note = _UNCERTAIN_FACTS.get(fact)
        if note and note not in notes:
            notes.append(note)
    if any(t.code_section == "290 PC REGISTRATION" for t in tokens):
        notes.append("A PC 290 registration is evidence of, not the same as, a registrable conviction.")
    return notes
