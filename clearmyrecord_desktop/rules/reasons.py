"""Reason texts of the statutory rules (eligibility.md §7.4).

Every reason names the rule's legal basis, and — through :func:`complete_reason` — every unknown fact
and every disqualifier token listed with the count, in words a deputy DA can read. Texts are built from
the count's own facts; nothing here logs or stores data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping, Protocol, Sequence

from .citation import first_prop64_mention, normalise_charge_text, parse_citation
from .table_a import DQ_POSSIBLE_RULE, KEY_TITLES, WHY, S8Result

__all__ = [
    "FACT_ORDER",
    "FACT_WORDS",
    "DETERMINATION_WORDS",
    "BRACKET_WORDS",
    "DQ_NAMES",
    "DQ_STATUTE",
    "STAT_RULE_IDS",
    "ReasonToken",
    "format_token",
    "facts_sentence",
    "complete_reason",
    "cell_reason",
    "s8_reason",
    "dq_definite_reason",
    "dq_possible_reason",
    "post_prop64_reason",
    "offense_unknown_reason",
    "parse_reason",
    "attempt_reason",
    "accessory_reason",
    "level_unknown_reason",
    "record_incomplete_reason",
    "conflicting_rows_reason",
    "subsection_unknown_reason",
]

#: Every statutory rule id other than the Table A cells (``stat.<key>.<level>.<bracket>.<outcome>``).
STAT_RULE_IDS: tuple[str, ...] = (
    "stat.data.conflicting_rows",
    "stat.date.post_prop64",
    "stat.date.offense_unknown",
    "stat.parse.unreadable",
    "stat.parse.code_unclear",
    "stat.parse.comment_conflict",
    "stat.attempt",
    "stat.accessory",
    "stat.level_unknown",
    "stat.data.record_incomplete",
    "stat.11357.subsection_unknown",
    "stat.dq.superstrike",
    "stat.dq.pc290",
    "stat.dq.two_priors",
    "stat.dq.environmental",
    "stat.dq.minor",
    "stat.dq.hire_minor",
    "stat.dq.possible",
)

#: Unknown facts (§3.3) in the order of that table, and their words.
FACT_ORDER: tuple[str, ...] = (
    "quantity_unknown",
    "plant_count_unknown",
    "transport_purpose_unknown",
    "subsection_unknown",
    "offense_date_unknown",
    "conviction_date_unknown",
    "age_unknown",
    "level_unknown",
    "prior_date_unknown",
    "disqualifier_facts_unknown",
    "code_section_unclear",
    "record_incomplete",
    "conflicting_rows",
)
FACT_WORDS: dict[str, str] = {
    "quantity_unknown": "the amount (whether the concentrated cannabis was 8 g or less)",
    "plant_count_unknown": "the number of plants (whether there were 6 or fewer)",
    "transport_purpose_unknown": "the purpose of the transport (whether it was for sale, or a gift of 28.5 g "
    "or less to an adult)",
    "subsection_unknown": "the subsection (missing or unreadable in the citation)",
    "offense_date_unknown": "the exact offense date (CYC_DATE not recorded or only partly recorded)",
    "conviction_date_unknown": "the conviction date (not recorded)",
    "age_unknown": "the age at the offense (under 18, 18–20 or 21 and older cannot be fixed)",
    "level_unknown": "the level (felony, misdemeanor or infraction is not recorded)",
    "prior_date_unknown": "the order of the dates (a possibly disqualifying conviction may or may not precede "
    "the offense)",
    "disqualifier_facts_unknown": "the facts that decide whether a listed conviction or registration "
    "disqualifies (not in the DOJ data)",
    "code_section_unclear": "the code section (the charge text cannot be read as a Prop 64 citation with "
    "certainty)",
    "record_incomplete": "the complete record (a line of this person was quarantined at import)",
    "conflicting_rows": "which DOJ row of the count is right (the rows disagree)",
}
#: Facts that decide between outcomes of a Table A cell: the lesser relief is given (§13).
_FLOOR_FACTS = frozenset({"quantity_unknown", "plant_count_unknown", "transport_purpose_unknown", "subsection_unknown"})

DETERMINATION_WORDS: dict[str, str] = {
    "dismiss_and_seal": "Dismiss and seal",
    "reduce_to_infraction": "Reduce to an infraction",
    "reduce_to_misdemeanor": "Reduce to a misdemeanor",
    "no_relief": "No relief as of right",
    "hand_review": "Hand review",
}
BRACKET_WORDS: dict[str, str] = {"minor": "under 18", "young_adult": "18–20", "adult": "21 or older"}

#: Disqualifier names (§3.4, §6).
DQ_NAMES: dict[str, str] = {
    "D1": "prior super strike (PC § 667(e)(2)(C)(iv))",
    "D2": "prior offense requiring registration (PC § 290(c))",
    "D3": "two or more prior convictions of the same offense",
    "D4": "environmental violation in the cultivation",
    "D5a": "sale or furnishing to a minor",
    "D5b": "using a person 20 or younger, by an offender 21 or older",
    "D6a": "sale or furnishing to a minor",
}
#: The statute that makes each disqualifier a felony today, per Prop 64 section.
DQ_STATUTE: dict[str, dict[str, str]] = {
    "11358": {"D1": "11358(d)(1)", "D2": "11358(d)(1)", "D3": "11358(d)(2)", "D4": "11358(d)(3)"},
    "11359": {"D1": "11359(c)(1)", "D2": "11359(c)(1)", "D3": "11359(c)(2)", "D5a": "11359(c)(3)", "D5b": "11359(d)"},
    "11360": {"D1": "11360(a)(3)(A)", "D2": "11360(a)(3)(A)", "D3": "11360(a)(3)(B)", "D6a": "11360(a)(3)(C)"},
}
_SAME_CYCLE_CODES = frozenset({"D4", "D5a", "D5b", "D6a"})
_REGISTRATION = "290 PC REGISTRATION"


class ReasonToken(Protocol):
    """What the reason texts read from a disqualifier evidence token (see ``table_a.DqToken``)."""

    code: str
    certainty: str
    code_section: str
    date: str
    case_number: str
    why_possible: str | None


def format_token(tok: ReasonToken) -> str:
    """``prior 187(A) PC on 2000-11-20, case BA041776``; ``same-case 11361(B) HS, case BA042960``;
    ``PC 290 registration on 2004-03-01``."""
    case = f", case {tok.case_number}" if tok.case_number else ""
    when = "an unknown date" if tok.date in ("", "unknown") else tok.date
    if tok.code_section == _REGISTRATION:
        return f"PC 290 registration on {when}{case}"
    if getattr(tok, "same_cycle", tok.code in _SAME_CYCLE_CODES):
        return f"same-case {tok.code_section}{case}"
    return f"prior {tok.code_section} on {when}{case}"


def _join(parts: Sequence[str]) -> str:
    return "; ".join(parts)


def _sorted_facts(facts: Iterable[str]) -> list[str]:
    order = {f: i for i, f in enumerate(FACT_ORDER)}
    return sorted(set(facts), key=lambda f: (order.get(f, len(order)), f))


def facts_sentence(facts: Iterable[str]) -> str:
    """``Unknown: the amount (…); the age at the offense (…).`` — empty if no facts."""
    return _facts_sentence(frozenset(facts))


@lru_cache(maxsize=1024)
def _facts_sentence(facts: frozenset[str]) -> str:
    fs = _sorted_facts(facts)
    if not fs:
        return ""
    text = "Unknown: " + _join([FACT_WORDS.get(f, f) for f in fs]) + "."
    if _FLOOR_FACTS.intersection(fs):
        text += (
            " Where an unknown fact decides between outcomes, the lesser relief is given"
            " (a county policy may grant more)."
        )
    return text


def complete_reason(
    base: str,
    facts: Iterable[str] = (),
    tokens: Sequence[ReasonToken] = (),
    named: Iterable[ReasonToken] = (),
) -> str:
    """``base`` + the unknown facts + every listed disqualifier token not already in ``named``.

    Use for every determination so that the reason names every unknown fact and disqualifier listed
    with the count (§7.4).
    """
    out = [base.rstrip()]
    fs = facts_sentence(facts)
    if fs:
        out.append(fs)
    if not tokens:
        return " ".join(out)
    done = {id(t) for t in named}
    rest = [t for t in tokens if id(t) not in done]
    if rest:
        out.append(
            "Disqualifiers also listed: "
            + _join([f"{format_token(t)} ({t.code} {t.certainty}, {DQ_NAMES.get(t.code, t.code)})" for t in rest])
            + "."
        )
    return " ".join(out)


# --- S8 -----------------------------------------------------------------------------------------------


def _comparison(key: str, brackets: Sequence[str]) -> str:
    if len(brackets) == 1:
        return "the same conduct today — " + WHY[key][brackets[0]]
    return "the same conduct today — " + _join([f"if {BRACKET_WORDS[b]}: {WHY[key][b]}" for b in brackets])


def cell_reason(
    citation: str,
    level: str,
    offense_date: str,
    age: str,
    key: str,
    brackets: Sequence[str],
    determination: str,
) -> str:
    """Table A cell (§7.4): ``{citation} {level}, offense {date}, age {age}: {new-law comparison}.
    {Determination in words} (H&S § 11361.8).`` (facts are added by :func:`complete_reason`)."""
    head, tail = _cell_parts(key, level, tuple(brackets), determination)
    return f"{citation}{head}{offense_date}, age {age}{tail}"


@lru_cache(maxsize=1024)
def _cell_parts(key: str, level: str, brackets: tuple[str, ...], determination: str) -> tuple[str, str]:
    words = DETERMINATION_WORDS[determination]
    if determination == "no_relief":
        words += ": not a lesser offense today on the facts in the DOJ data"
    if len(brackets) > 1:
        words += "; the lesser relief over the possible ages is the guaranteed floor"
    return (
        f" {level} ({KEY_TITLES[key]}), offense ",
        f": {_comparison(key, brackets)}. {words} (H&S § 11361.8).",
    )


def _statute(section: str | None, code: str) -> str:
    return DQ_STATUTE.get(section or "", {}).get(code, "")


def dq_definite_reason(tokens: Sequence[ReasonToken], codes: Iterable[str], section: str | None) -> str:
    """``stat.dq.*`` (§7.4): ``No relief as of right: {tokens} — {name} (H&S § …).``, one group per
    definite disqualifier code in ``codes``."""
    parts = []
    for code in sorted(set(codes), key=lambda c: list(DQ_NAMES).index(c) if c in DQ_NAMES else 99):
        toks = [t for t in tokens if t.code == code and t.certainty == "definite"]
        cite = _statute(section, code)
        cite_text = f" (H&S § {cite})" if cite else ""
        parts.append(f"{', '.join(format_token(t) for t in toks) or code} — {DQ_NAMES.get(code, code)}{cite_text}")
    return "No relief as of right: " + _join(parts) + "."


def dq_possible_reason(tokens: Sequence[ReasonToken], codes: Iterable[str], section: str | None) -> str:
    """``stat.dq.possible`` (§7.4): ``Possible disqualifier — {tokens}; {why uncertain}. Review before
    relief.``"""
    wanted = set(codes)
    toks = [t for t in tokens if t.code in wanted and t.certainty == "possible"]
    items = []
    for t in toks:
        cite = _statute(section, t.code)
        items.append(f"{format_token(t)} ({DQ_NAMES.get(t.code, t.code)}{', H&S § ' + cite if cite else ''})")
    listed = _join(items)
    why = []
    if any(t.why_possible == "date" for t in toks):
        why.append("the dates cannot show whether the conviction came before the offense")
    if any(t.why_possible != "date" for t in toks):
        why.append(
            "whether it disqualifies depends on facts not in the DOJ data (the section disqualifies only on "
            "certain facts, or a PC 290 registration without a registrable conviction on record)"
        )
    return f"Possible disqualifier — {listed}; {' and '.join(why)}. Review before relief."


def s8_reason(
    result: S8Result,
    *,
    citation: str,
    offense_date: str,
    age: str,
    section: str | None,
    tokens: Sequence[ReasonToken] = (),
    extra_facts: Iterable[str] = (),
) -> str:
    """Reason of an S8 determination: the deciding bracket's rule (Table A cell, ``stat.dq.*`` or
    ``stat.dq.possible``), the other brackets when the age is unknown, every unknown fact
    (``result.unknown_facts`` + ``extra_facts``) and every token listed."""
    chosen = next(r for r in result.per_bracket if r.bracket == result.bracket)
    level = result.level
    named: list[ReasonToken] = []
    if chosen.rule_ids[0] == DQ_POSSIBLE_RULE:
        base = dq_possible_reason(tokens, chosen.dq_codes, section)
        named = [t for t in tokens if t.code in chosen.dq_codes and t.certainty == "possible"]
    elif chosen.rule_ids[0].startswith("stat.dq."):
        base = dq_definite_reason(tokens, chosen.dq_codes, section)
        named = [t for t in tokens if t.code in chosen.dq_codes and t.certainty == "definite"]
    else:
        cell_brackets = [r.bracket for r in result.per_bracket if not r.dq_codes]
        base = cell_reason(
            citation, level, offense_date, age, result.key, cell_brackets or [chosen.bracket], result.determination
        )
    if len(result.per_bracket) > 1:
        if chosen.rule_ids[0].startswith("stat.dq."):
            base = f"{citation} {level}, offense {offense_date}, age {age}. " + base
        summary = _bracket_summary(result.per_bracket, result.determination)
        base += f" Age at the offense not fixed ({age}); by age: {summary}."
    facts = result.unknown_facts.union(extra_facts) if extra_facts else result.unknown_facts
    return complete_reason(base, facts, tokens, named)


@lru_cache(maxsize=1024)
def _bracket_summary(per_bracket: tuple, determination: str) -> str:
    summary = _join(
        [
            f"{BRACKET_WORDS[r.bracket]}: {DETERMINATION_WORDS[r.determination].lower()} ({r.rule_ids[0]})"
            for r in per_bracket
        ]
    )
    tail = "one of them needs review" if determination == "hand_review" else "the lesser relief applies"
    return f"{summary} — {tail}"


# --- the other statutory rules --------------------------------------------------------------------


def post_prop64_reason(offense_date: str) -> str:
    """``stat.date.post_prop64``."""
    return (
        f"Offense on or after 9 Nov 2016 ({offense_date}): sentenced under the law as amended by Prop 64; "
        "H&S § 11361.8 gives no relief."
    )


def offense_unknown_reason(cyc_date: str, conviction_date: str) -> str:
    """``stat.date.offense_unknown``: ``cyc_date`` is the formatted ``CYC_DATE`` (``unknown`` if not
    recorded), ``conviction_date`` the formatted conviction date."""
    conv = "date unknown" if conviction_date in ("", "unknown") else conviction_date
    if cyc_date in ("", "unknown"):
        head = "Offense date not recorded"
    else:
        head = f"Offense date only partly recorded ({cyc_date})"
    return (
        f"{head}; conviction {conv}: cannot tell whether the pre-Prop-64 law applied "
        "(offense before 9 Nov 2016)."
    )


def parse_reason(rule_id: str, raw_charge_text: str, comment_text: str = "") -> str:
    """``stat.parse.unreadable`` / ``stat.parse.code_unclear`` / ``stat.parse.comment_conflict``."""
    cit = parse_citation(raw_charge_text)
    if rule_id == "stat.parse.unreadable":
        if cit is not None and cit.kind == "compound":
            problem = f"a compound citation {cit.text} with a Prop 64 element"
        else:
            found = first_prop64_mention(normalise_charge_text(raw_charge_text))
            where = f"; it mentions H&S § {found[0]}" if found else ""
            problem = f"no citation at the start of the text{where}"
    elif rule_id == "stat.parse.code_unclear":
        code = cit.code if cit is not None else None
        problem = f"a Prop 64 section number with the code {code or 'missing'} instead of HS"
    elif rule_id == "stat.parse.comment_conflict":
        com = parse_citation(comment_text) if comment_text else None
        named = com.text if com is not None else comment_text.strip()
        problem = f"the comment names {named}"
    else:
        raise ValueError(f"not a parse rule: {rule_id!r}")
    return f'Charge text "{raw_charge_text}" cannot be read as a Prop 64 citation with certainty ({problem}).'


def attempt_reason(section: str) -> str:
    """``stat.attempt``."""
    return (
        f"Attempt (PC § 664) to commit H&S § {section}: not listed in H&S § 11361.8; likely a lesser "
        "offense today but unsettled."
    )


def accessory_reason() -> str:
    """``stat.accessory``."""
    return (
        "Accessory (PC § 32) to a cannabis offense: not categorically ineligible (People v. Boatwright "
        "(2019)); facts needed."
    )


def level_unknown_reason() -> str:
    """``stat.level_unknown``."""
    return "The DOJ record does not say whether this was a felony, misdemeanor or infraction."


def record_incomplete_reason(lines: Iterable[tuple[str, int]]) -> str:
    """``stat.data.record_incomplete``: ``lines`` are the quarantined (file name, physical line)."""
    items = sorted(set(lines), key=lambda fl: (fl[0], fl[1]))
    if not items:
        return "A line for this person was quarantined at import; the record may be incomplete."
    if len(items) == 1:
        f, n = items[0]
        return f"Line {n} of {f} for this person was quarantined at import; the record may be incomplete."
    by_file: dict[str, list[str]] = {}
    for f, n in items:
        by_file.setdefault(f, []).append(str(n))
    where = _join([f"{', '.join(ns)} of {f}" for f, ns in by_file.items()])
    return f"Lines {where} for this person were quarantined at import; the record may be incomplete."


def conflicting_rows_reason(conflicts: Mapping[str, Sequence[str]]) -> str:
    """``stat.data.conflicting_rows``: ``{field: [values…]}`` for each field the rows disagree on."""
    parts = [f"{field}: {', '.join(v if v else '(blank)' for v in values)}" for field, values in conflicts.items()]
    return f"The DOJ rows of this count disagree on {_join(parts) or 'their contents'}."


def subsection_unknown_reason(citation: str = "") -> str:
    """``stat.11357.subsection_unknown``."""
    shown = f" ({citation})" if citation else ""
    return (
        f"H&S § 11357 without a readable subsection{shown}; the old subsections (a)–(e) decide the outcome."
    )

