"""Table A — offenses before 9 November 2016 — and step S8 (eligibility.md §7.1–§7.3).

:data:`TABLE_A` holds the cells (outcome + unknown facts) and :data:`WHY` the new-law comparison of each
cell; :func:`decide_s8` applies them per possible age bracket, with the disqualifiers of §7.3, and
combines the brackets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Protocol

from .dates import BRACKETS

__all__ = [
    "Cell",
    "TABLE_A",
    "TABLE_KEYS",
    "LEVELS",
    "OUTCOME_DETERMINATION",
    "RANK",
    "WHY",
    "KEY_TITLES",
    "DQ_KEYS",
    "DQ_RULES",
    "DQ_POSSIBLE_RULE",
    "SUBSECTION_UNKNOWN_RULE",
    "TokenLike",
    "DqToken",
    "BracketResult",
    "S8Result",
    "table_key",
    "cell_rule_id",
    "all_cell_rule_ids",
    "decide_s8",
]

LEVELS: tuple[str, str, str] = ("felony", "misdemeanor", "infraction")

#: Rule-id outcome word → determination (§3.1, §7.1).
OUTCOME_DETERMINATION: dict[str, str] = {
    "dismiss": "dismiss_and_seal",
    "reduce_i": "reduce_to_infraction",
    "reduce_m": "reduce_to_misdemeanor",
    "none": "no_relief",
}

#: Relief rank (§3.1); ``hand_review`` has none.
RANK: dict[str, int] = {"dismiss_and_seal": 3, "reduce_to_infraction": 2, "reduce_to_misdemeanor": 1, "no_relief": 0}

SUBSECTION_UNKNOWN_RULE = "stat.11357.subsection_unknown"
DQ_POSSIBLE_RULE = "stat.dq.possible"

#: Definite-disqualifier rule ids, in the order of §7.3 (one per rule present).
DQ_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("stat.dq.superstrike", frozenset({"D1"})),
    ("stat.dq.pc290", frozenset({"D2"})),
    ("stat.dq.two_priors", frozenset({"D3"})),
    ("stat.dq.environmental", frozenset({"D4"})),
    ("stat.dq.minor", frozenset({"D5a", "D6a"})),
    ("stat.dq.hire_minor", frozenset({"D5b"})),
)

#: Table keys whose cells the disqualifiers can change (§7.3).
DQ_KEYS: frozenset[str] = frozenset({"11358", "11359", "11360a", "11360x"})

_FACT_LETTERS = {
    "Q": "quantity_unknown",
    "P": "plant_count_unknown",
    "T": "transport_purpose_unknown",
    "S": "subsection_unknown",
}
_OUTCOME_LETTERS = {"DS": "dismiss", "RI": "reduce_i", "RM": "reduce_m", "NR": "none"}


class Cell(NamedTuple):
    """A Table A cell: rule-id outcome word (``dismiss``/``reduce_i``/``reduce_m``/``none``) and the
    unknown facts listed with it."""

    outcome: str
    facts: frozenset[str]

    @property
    def determination(self) -> str:
        return OUTCOME_DETERMINATION[self.outcome]


# §7.2, verbatim: per key and level, the cells for minor, young_adult, adult.
_TABLE_TEXT = """
11357a felony      | RI | RM Q   | RM Q
11357a misdemeanor | RI | NR Q   | NR Q
11357a infraction  | NR | NR     | NR Q
11357b felony      | RI | RI     | DS
11357b misdemeanor | RI | RI     | DS
11357b infraction  | NR | NR     | DS
11357c felony      | RI | RM     | RM
11357c misdemeanor | RI | NR     | NR
11357c infraction  | NR | NR     | NR
11357d felony      | RI | RM     | RM
11357d misdemeanor | RI | NR     | NR
11357d infraction  | NR | NR     | NR
11357e felony      | RI | RI     | RI
11357e misdemeanor | RI | RI     | RI
11357e infraction  | NR | NR     | NR
11358 felony       | RI | RM P   | RM P
11358 misdemeanor  | RI | NR P   | NR P
11358 infraction   | NR | NR     | NR P
11359 felony       | RI | RM     | RM
11359 misdemeanor  | RI | NR     | NR
11359 infraction   | NR | NR     | NR
11360a felony      | RI | RM T   | RM T
11360a misdemeanor | RI | NR T   | NR T
11360a infraction  | NR | NR     | NR T
11360b felony      | RI | RI     | DS
11360b misdemeanor | RI | RI     | DS
11360b infraction  | NR | NR     | DS
11360x felony      | RI S | RM S T | RM S T
11360x misdemeanor | RI S | NR S T | NR S T
11360x infraction  | NR S | NR S   | NR S T
"""


def _build_table() -> dict[str, dict[str, dict[str, Cell]]]:
    table: dict[str, dict[str, dict[str, Cell]]] = {}
    for line in _TABLE_TEXT.strip().splitlines():
        head, *cells = (part.split() for part in line.split("|"))
        key, level = head
        row = {}
        for bracket, (out, *facts) in zip(BRACKETS, cells, strict=True):
            row[bracket] = Cell(_OUTCOME_LETTERS[out], frozenset(_FACT_LETTERS[f] for f in facts))
        table.setdefault(key, {})[level] = row
    return table


#: ``TABLE_A[key][level][bracket] -> Cell`` (§7.2).
TABLE_A: dict[str, dict[str, dict[str, Cell]]] = _build_table()
TABLE_KEYS: tuple[str, ...] = tuple(TABLE_A)

#: Old-law offense of each key, for reason texts.
KEY_TITLES: dict[str, str] = {
    "11357a": "possession of concentrated cannabis, former H&S § 11357(a)",
    "11357b": "possession of 28.5 g or less, former H&S § 11357(b)",
    "11357c": "possession of more than 28.5 g, former H&S § 11357(c)",
    "11357d": "possession on K–12 school grounds, 18 or older, former H&S § 11357(d)",
    "11357e": "possession on K–12 school grounds, under 18, former H&S § 11357(e)",
    "11358": "cultivation, former H&S § 11358",
    "11359": "possession for sale, former H&S § 11359",
    "11360a": "sale, transport, gift or import, former H&S § 11360(a)",
    "11360b": "gift or transport of 28.5 g or less, former H&S § 11360(b)",
    "11360x": "sale or transport, subsection not readable, former H&S § 11360",
}

#: The new-law offense each cell compares with (§7.2 "Why"), per key and bracket.
WHY: dict[str, dict[str, str]] = {
    "11357a": {
        "minor": "infraction, new H&S § 11357(a)(1)/(b)(1)",
        "young_adult": "infraction if 8 g or less (H&S § 11357(a)(2)), else misdemeanor (H&S § 11357(b)(2))",
        "adult": "lawful if 8 g or less (H&S § 11362.1(a)(2)), else misdemeanor (H&S § 11357(b)(2))",
    },
    "11357b": {
        "minor": "infraction, H&S § 11357(a)(1)",
        "young_adult": "$100 infraction, H&S § 11357(a)(2)",
        "adult": "lawful, H&S § 11362.1(a)(1)",
    },
    "11357c": {
        "minor": "infraction, H&S § 11357(b)(1)",
        "young_adult": "misdemeanor, H&S § 11357(b)(2)",
        "adult": "misdemeanor, H&S § 11357(b)(2) (lawful only for a home harvest, H&S § 11362.1(a)(3) — "
        "never presumed)",
    },
    "11357d": {
        "minor": "infraction, H&S § 11357(d)",
        "young_adult": "misdemeanor, H&S § 11357(c)",
        "adult": "misdemeanor, H&S § 11357(c)",
    },
    "11357e": {
        "minor": "infraction, H&S § 11357(d)",
        "young_adult": "infraction, H&S § 11357(d) (the subsection itself establishes the age under 18)",
        "adult": "infraction, H&S § 11357(d) (the subsection itself establishes the age under 18)",
    },
    "11358": {
        "minor": "infraction, H&S § 11358(a)",
        "young_adult": "infraction if 6 plants or fewer (H&S § 11358(b)), else misdemeanor (H&S § 11358(c))",
        "adult": "lawful if 6 plants or fewer (H&S § 11362.1(a)(3)), else misdemeanor (H&S § 11358(c))",
    },
    "11359": {
        "minor": "infraction, H&S § 11359(a)",
        "young_adult": "misdemeanor, H&S § 11359(b)",
        "adult": "misdemeanor, H&S § 11359(b) — possession for sale is never lawful, so never dismissal as "
        "of right",
    },
    "11360a": {
        "minor": "infraction, H&S § 11360(a)(1)",
        "young_adult": "misdemeanor, H&S § 11360(a)(2); transport not for sale of 28.5 g or less → "
        "infraction, H&S § 11360(b)",
        "adult": "misdemeanor, H&S § 11360(a)(2); transport not for sale or a gift of 28.5 g or less to an "
        "adult → lawful (H&S §§ 11360(c), 11362.1(a)(1))",
    },
    "11360b": {
        "minor": "infraction, H&S § 11360(b)",
        "young_adult": "infraction, H&S § 11360(b)",
        "adult": "lawful, H&S § 11362.1(a)(1)",
    },
}
WHY["11360x"] = {
    b: f"the lesser of former (a) — {WHY['11360a'][b]} — and former (b) — {WHY['11360b'][b]}" for b in BRACKETS
}


def table_key(section: str, subsections: Iterable[str]) -> str | None:
    """Table A key of a count (§7.1 "Table key").

    11357 → ``11357a``…``11357e`` when the subsections are exactly one letter A–E, else ``None``
    (subsection unknown: step S7, ``stat.11357.subsection_unknown``; ``11357(B)(2)`` is a post-2016 form);
    11358 / 11359 → the section (letters ignored); 11360 → ``11360a`` / ``11360b`` from the first
    subsection, otherwise ``11360x``. Any other section → ``ValueError``.
    """
    subs = tuple(subsections)
    if section == "11357":
        if len(subs) == 1 and subs[0] in ("A", "B", "C", "D", "E"):
            return "11357" + subs[0].lower()
        return None
    if section in ("11358", "11359"):
        return section
    if section == "11360":
        first = subs[0] if subs else ""
        if first == "A":
            return "11360a"
        if first == "B":
            return "11360b"
        return "11360x"
    raise ValueError(f"not a Prop 64 section: {section!r}")


def cell_rule_id(key: str, level: str, bracket: str) -> str:
    """``stat.<key>.<level>.<bracket>.<outcome>`` of a Table A cell."""
    return f"stat.{key}.{level}.{bracket}.{TABLE_A[key][level][bracket].outcome}"


def all_cell_rule_ids() -> list[str]:
    """Every Table A rule id the engine can emit (one per cell)."""
    return [cell_rule_id(k, lv, b) for k in TABLE_A for lv in LEVELS for b in BRACKETS]


class TokenLike(Protocol):
    """What :func:`decide_s8` reads from a disqualifier evidence token (§6, §12.3).

    ``code`` ``D1``…``D6a``; ``certainty`` ``definite``/``possible``; ``why_possible`` for a possible
    token: ``'date'`` (possible only because dates cannot be ordered) or ``'facts'`` (the section is
    conditional, or a registration), ``None`` for definite tokens.
    """

    code: str
    certainty: str
    why_possible: str | None


@dataclass(frozen=True, slots=True)
class DqToken:
    """A disqualifier evidence token (§12.3) — a convenient :class:`TokenLike`.

    ``date`` is already formatted (``YYYY-MM-DD``/``YYYY-MM``/``YYYY``/``unknown``); ``same_cycle`` is
    True for the D4/D5/D6 same-cycle convictions; ``code_section`` is ``290 PC REGISTRATION`` for a
    registration event.
    """

    code: str
    certainty: str
    code_section: str
    date: str
    case_number: str = ""
    cnt_order: str = ""
    why_possible: str | None = None
    same_cycle: bool = False

    def token_string(self) -> str:
        """``D1|definite|187(A) PC|2000-11-20|BA041776|001002001000``."""
        return "|".join((self.code, self.certainty, self.code_section, self.date, self.case_number, self.cnt_order))


class BracketResult(NamedTuple):
    """The result of one possible age bracket (§7.3)."""

    bracket: str
    determination: str
    rule_ids: tuple[str, ...]
    facts: frozenset[str]
    cell: Cell
    #: Disqualifier codes that changed the cell: definite codes (→ NR) or possible codes (→ hand review).
    dq_codes: tuple[str, ...] = ()


class S8Result(NamedTuple):
    """Step S8's determination (§7.3). ``bracket`` is the bracket whose rule ids were taken;
    ``per_bracket`` the result of every possible bracket, youngest first. ``rule_ids`` is a fresh list."""

    determination: str
    rule_ids: list[str]
    unknown_facts: frozenset[str]
    bracket: str
    per_bracket: tuple[BracketResult, ...]
    key: str
    level: str


def _bracket_result(key: str, level: str, bracket: str, sig: tuple[tuple[str, str, str | None], ...]) -> BracketResult:
    cell = TABLE_A[key][level][bracket]
    cell_id = f"stat.{key}.{level}.{bracket}.{cell.outcome}"
    if cell.outcome == "none" or key not in DQ_KEYS or bracket == "minor" or not sig:
        return BracketResult(bracket, cell.determination, (cell_id,), cell.facts, cell)
    applicable = [t for t in sig if t[0] != "D5b" or bracket == "adult"]
    definite = {code for code, cert, _ in applicable if cert == "definite"}
    if definite:
        ids = tuple(rid for rid, codes in DQ_RULES if codes & definite)
        codes = tuple(sorted(definite))
        return BracketResult(bracket, "no_relief", ids, cell.facts, cell, codes)
    possible = [t for t in applicable if t[1] == "possible"]
    if possible:
        facts = set(cell.facts)
        for _, _, why in possible:
            facts.add("prior_date_unknown" if why == "date" else "disqualifier_facts_unknown")
        codes = tuple(sorted({t[0] for t in possible}))
        return BracketResult(bracket, "hand_review", (DQ_POSSIBLE_RULE,), frozenset(facts), cell, codes)
    return BracketResult(bracket, cell.determination, (cell_id,), cell.facts, cell)


@lru_cache(maxsize=4096)
def _decide(key: str, level: str, brs_in: tuple[str, ...], sig: tuple[tuple[str, str, str | None], ...]) -> tuple:
    """The cached core of :func:`decide_s8` (validates its inputs; exceptions are not cached)."""
    if key not in TABLE_A:
        raise ValueError(f"not a Table A key: {key!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    wanted = set(brs_in)
    if not wanted or not wanted <= set(BRACKETS):
        raise ValueError(f"brackets must be a non-empty subset of {BRACKETS}, got {sorted(wanted)}")
    for _, cert, why in sig:
        if cert not in ("definite", "possible"):
            raise ValueError(f"token certainty must be definite or possible, got {cert!r}")
        if cert == "possible" and why not in ("date", "facts"):
            raise ValueError(f"a possible token needs why_possible 'date' or 'facts', got {why!r}")
    results = tuple(_bracket_result(key, level, b, sig) for b in BRACKETS if b in wanted)
    if len(results) == 1:
        r = results[0]
        return r.determination, r.rule_ids, r.facts, r.bracket, results
    facts = frozenset().union(*(r.facts for r in results)) | {"age_unknown"}
    oldest_first = results[::-1]
    review = [r for r in oldest_first if r.determination == "hand_review"]
    if review:
        chosen = review[0]
    else:
        low = min(RANK[r.determination] for r in results)
        chosen = next(r for r in oldest_first if RANK[r.determination] == low)
    return chosen.determination, chosen.rule_ids, facts, chosen.bracket, results


def _why_key(t: tuple[str, str, str | None]) -> tuple[str, str, str]:
    return t[0], t[1], t[2] or ""


def decide_s8(key: str, level: str, brackets: Iterable[str], tokens: Iterable[TokenLike] = ()) -> S8Result:
    """Step S8 (§7.3) for Table A key ``key`` (see :func:`table_key`), level ``felony`` /
    ``misdemeanor`` / ``infraction``, the possible age brackets, and the count's disqualifier tokens.

    Per bracket: the Table A cell; for keys 11358, 11359, 11360a, 11360x in ``young_adult``/``adult``
    with a cell other than NR: a definite disqualifier (``D5b`` only for ``adult``) → ``no_relief`` with
    the ``stat.dq.*`` ids in the order superstrike, pc290, two_priors, environmental, minor, hire_minor
    (the cell's facts stay); else a possible one → ``hand_review``, ``stat.dq.possible``, adding
    ``prior_date_unknown`` (token possible because of dates) / ``disqualifier_facts_unknown`` (because of
    the section or a registration). Several brackets: any ``hand_review`` → ``hand_review`` with the ids
    of the oldest such bracket; else the lowest rank, ties → the oldest bracket; facts = union +
    ``age_unknown``. Raises ``ValueError`` on an unknown key, level, bracket or token certainty.
    """
    if tokens:
        found = {(t.code, t.certainty, t.why_possible if t.certainty == "possible" else None) for t in tokens}
        sig = tuple(sorted(found, key=_why_key))
    else:
        sig = ()
    det, ids, facts, bracket, results = _decide(key, level, tuple(brackets), sig)
    return S8Result(det, list(ids), facts, bracket, results, key, level)
