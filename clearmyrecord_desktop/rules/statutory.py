"""The statutory determination of one evaluated count (eligibility.md 5-7, steps S1-S8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import reasons
from .citation import parse_citation
from .classify import (PROP64_ACCESSORY, PROP64_ATTEMPT, PROP64_CODE_UNCLEAR, PROP64_COMMENT_CONFLICT,
                       PROP64_UNREADABLE)
from .dates import UNKNOWN, age_range, format_date, lt, offense_before_cutoff, range_brackets, range_text
from .derive import Count, Person, classified
from .disqualifier_lists import match_d1_d2
from .predicates import register
from .table_a import DqToken, decide_s8, table_key

_PARSE_RULES = {
    PROP64_UNREADABLE: "stat.parse.unreadable",
    PROP64_CODE_UNCLEAR: "stat.parse.code_unclear",
    PROP64_COMMENT_CONFLICT: "stat.parse.comment_conflict",
}
_D4 = {("WC", s) for s in ("1052", "13260", "13264", "13272", "13387")} | {
    ("FG", s) for s in ("5650", "5652", "1602")}
#: the only sections of a same-cycle conviction that ``_same_cycle`` can find a token for
_SAME_CYCLE_SECTIONS = frozenset({s for _, s in _D4} | {"374.8", "11361"})


@dataclass
class StatResult:
    determination: str
    rule_ids: list[str]
    reason: str
    unknown_facts: set[str] = field(default_factory=set)
    tokens: list[DqToken] = field(default_factory=list)
    brackets: list[str] = field(default_factory=list)
    age_text: str = "unknown"


def _prior(p: Count, c: Count) -> bool | None:
    return lt(p.conviction, c.offense)


@lru_cache(maxsize=1 << 16)
def _d1_d2(charge_text: str, level: str) -> tuple[tuple[str, str], ...]:
    """``match_d1_d2`` of a count's citation (parsed from its charge text, as derive.classify
    does), cached per distinct text and level: a run looks at ~10^5 prior counts."""
    cit = parse_citation(charge_text)
    return tuple(match_d1_d2(cit, level)) if cit is not None else ()


def may_be_read(charge_text: str, from_comment: bool, comment_text: str, level: str) -> bool:
    """Whether the rules can read a count with these facts of its first row: it may be a Prop 64
    count (evaluated, or a same-section prior of 6.5), or it may give a disqualifier token (6.3-6.6:
    :func:`disqualifiers` looks at no other count). The engine loads only these counts
    (derive.iter_people ``keep``); the rest enter only through their totals (rules/totals.py)."""
    if classified(charge_text, from_comment, comment_text, False)[2] \
            or classified(charge_text, from_comment, comment_text, True)[2]:
        return True
    if _d1_d2(charge_text, level):
        return True
    cit = parse_citation(charge_text)
    return cit is not None and cit.kind == "plain" and cit.section in _SAME_CYCLE_SECTIONS


@register("statutory.disqualifiers")
def disqualifiers(c: Count, person: Person, age_brackets: list[str]) -> list[DqToken]:
    """Evidence tokens of 6.2-6.6 for count ``c`` (empty where disqualifiers do not apply)."""
    section = c.cls.section if c.cls else None
    if section not in ("11358", "11359", "11360"):
        return []
    subs = c.cls.subsections if c.cls else ()
    if section == "11360" and subs[:1] == ("B",):
        return []
    if not ({"young_adult", "adult"} & set(age_brackets)):
        return []
    tokens: list[DqToken] = []
    d3_definite, d3_possible = [], []
    cycle = c.cycle
    for p in person.counts:
        cit = p.cit
        if p is c or cit is None:
            continue
        # the date comparison only for the few counts that could give a token (most give none)
        matches = _d1_d2(p.charge_text, p.level)
        d3 = (p.cls is not None and p.cls.count_class == "prop64" and p.cls.section == section
              and not (section == "11360" and p.cls.subsections[:1] == ("B",)))
        if matches or d3:
            prior = _prior(p, c)
            if prior is not False:
                for code, certainty in matches:
                    if prior is None or certainty == "possible":
                        why = "facts" if certainty == "possible" else "date"
                        tokens.append(_token(code, "possible", p, why))
                    else:
                        tokens.append(_token(code, "definite", p, None))
                if d3:
                    (d3_definite if prior else d3_possible).append(p)
        if cit.kind == "plain" and cit.section in _SAME_CYCLE_SECTIONS and p.cycle == cycle:
            tokens.extend(_same_cycle(section, p))
    for reg in person.registrations:
        if lt(reg.date, c.offense) is not False:
            tokens.append(DqToken("D2", "possible", "290 PC REGISTRATION", format_date(reg.date),
                                  reg.case_number, reg.cnt_order, why_possible="facts"))
    if len(d3_definite) >= 2:
        tokens += [_token("D3", "definite", p, None) for p in d3_definite]
        tokens += [_token("D3", "possible", p, "date") for p in d3_possible]
    elif len(d3_definite) + len(d3_possible) >= 2:
        tokens += [_token("D3", "possible", p, "date") for p in d3_definite + d3_possible]
    return tokens


def _same_cycle(section: str, p: Count) -> list[DqToken]:
    cit = p.cit
    sec, code, subs = cit.section, cit.code, cit.subsections
    found = []
    if section == "11358" and ((code, sec) in _D4 or (sec == "374.8" and code in (None, "PC"))):
        found.append("D4")
    if sec == "11361" and code in (None, "HS"):
        if section == "11359":
            if subs[:1] in ((), ("B",)):
                found.append("D5a")
            elif subs[:1] == ("A",):
                found.append("D5b")
        elif section == "11360" and subs[:1] in ((), ("B",)):
            found.append("D6a")
    return [DqToken(code_, "definite", cit.text, format_date(p.conviction), p.case_number, p.cnt_order,
                    same_cycle=True) for code_ in found]


def _token(code: str, certainty: str, p: Count, why: str | None) -> DqToken:
    return DqToken(code, certainty, p.cit.text if p.cit else p.code_section, format_date(p.conviction),
                   p.case_number, p.cnt_order, why_possible=why)


@dataclass
class _Ctx:
    """What the step predicates read: the count, the person, ages, tokens and base facts."""

    c: Count
    person: Person
    brackets: list[str]
    age: str
    tokens: list[DqToken]
    facts: set[str]


def decide(c: Count, person: Person) -> StatResult:
    """Steps S1-S8 of 7.1 in order (first match decides), with the facts of 5 and the tokens of 6."""
    rng = age_range(person.dob, c.offense, c.cyc_age)  # once for both the brackets and the text
    age_brackets = range_brackets(rng)
    ctx = _Ctx(c, person, age_brackets, range_text(rng), disqualifiers(c, person, age_brackets), set())
    if not (c.cyc_recorded and c.cyc.is_exact):
        ctx.facts.add("offense_date_unknown")
    for step in STEPS:
        res = step(ctx)
        if res is not None:
            break
    res.tokens = ctx.tokens
    res.brackets = age_brackets
    res.age_text = ctx.age
    return res


@register("statutory.s1_conflicting_rows")
def s1_conflicting_rows(x: _Ctx) -> StatResult | None:
    if x.c.conflicts:
        return StatResult("hand_review", ["stat.data.conflicting_rows"],
                          reasons.conflicting_rows_reason(x.c.conflicts), x.facts | {"conflicting_rows"})
    return None


@register("statutory.s2_law_in_force")
def s2_law_in_force(x: _Ctx) -> StatResult | None:
    c = x.c
    before = offense_before_cutoff(c.cyc if c.cyc_recorded else UNKNOWN, c.conviction)
    if before is False:
        return StatResult("no_relief", ["stat.date.post_prop64"],
                          reasons.post_prop64_reason(format_date(c.offense)), x.facts)
    if before is None:
        f = x.facts | {"offense_date_unknown"}
        if c.conviction.is_unknown:
            f.add("conviction_date_unknown")
        return StatResult("hand_review", ["stat.date.offense_unknown"],
                          reasons.offense_unknown_reason(format_date(c.cyc) if c.cyc_recorded else "unknown",
                                                         format_date(c.conviction)), f)
    return None


@register("statutory.s3_parse")
def s3_parse(x: _Ctx) -> StatResult | None:
    rule = _PARSE_RULES.get(x.c.cls.count_class)
    if rule:
        return StatResult("hand_review", [rule], reasons.parse_reason(rule, x.c.charge_text, x.c.comment_text),
                          x.facts | {"code_section_unclear"})
    return None


@register("statutory.s4_inchoate")
def s4_inchoate(x: _Ctx) -> StatResult | None:
    cls = x.c.cls.count_class
    if cls == PROP64_ATTEMPT:
        return StatResult("hand_review", ["stat.attempt"], reasons.attempt_reason(x.c.cls.section or ""), x.facts)
    if cls == PROP64_ACCESSORY:
        return StatResult("hand_review", ["stat.accessory"], reasons.accessory_reason(), x.facts)
    return None


@register("statutory.s5_level_unknown")
def s5_level_unknown(x: _Ctx) -> StatResult | None:
    if x.c.level == "unknown":
        return StatResult("hand_review", ["stat.level_unknown"], reasons.level_unknown_reason(),
                          x.facts | {"level_unknown"})
    return None


@register("statutory.s6_record_incomplete")
def s6_record_incomplete(x: _Ctx) -> StatResult | None:
    if x.person.quarantined_lines:
        return StatResult("hand_review", ["stat.data.record_incomplete"],
                          reasons.record_incomplete_reason(x.person.quarantined_lines),
                          x.facts | {"record_incomplete"})
    return None


@register("statutory.s7_11357_subsection")
def s7_11357_subsection(x: _Ctx) -> StatResult | None:
    if table_key(x.c.cls.section, x.c.cls.subsections) is None:
        return StatResult("hand_review", ["stat.11357.subsection_unknown"],
                          reasons.subsection_unknown_reason(x.c.code_section), x.facts | {"subsection_unknown"})
    return None


@register("statutory.s8_table_a")
def s8_table_a(x: _Ctx) -> StatResult:
    c = x.c
    s8 = decide_s8(table_key(c.cls.section, c.cls.subsections), c.level, x.brackets, x.tokens)
    reason = reasons.s8_reason(s8, citation=c.code_section, offense_date=format_date(c.offense), age=x.age,
                               section=c.cls.section, tokens=x.tokens, extra_facts=x.facts)
    return StatResult(s8.determination, list(s8.rule_ids), reason, set(s8.unknown_facts) | x.facts)


#: Steps of 7.1 in order; the first that returns a result decides.
STEPS = (s1_conflicting_rows, s2_law_in_force, s3_parse, s4_inchoate, s5_level_unknown,
         s6_record_incomplete, s7_11357_subsection, s8_table_a)
