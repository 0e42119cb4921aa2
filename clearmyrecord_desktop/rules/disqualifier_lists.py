"""D1 (super strike) and D2 (PC § 290(c)) conviction lists and matching (eligibility.md §6.3, §6.4).

The lists are data (``lists/disqualifier_lists.toml``); the matching rules are here:

- section numbers compared exactly (``37`` never matches ``237``); subsection conditions are prefix
  matches on the leading subsections; the homicide range 187–191.5 is a decimal compare of sections
  without a letter suffix; code ``PC`` or none unless the entry names another code (``MV 1672(A)``);
- definite entries are checked before possible ones;
- compound citations are matched element by element, plus the gang rule (``186.22(B)(4)`` together with
  ``136.1``, ``215``, ``213(A)(1)(A)``, ``246``, ``519`` or ``12022.55``);
- D1: attempts ``664/`` only of entries marked ``attempts`` (homicide) → definite; conspiracy ``182/``
  to a definite entry → possible; accessories and other attempts → none;
- D2: attempts and conspiracies of definite entries → definite, of possible entries → possible;
  accessories → none; ``288.2`` depends on the count's level (felony → definite, else possible).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .citation import Citation, Element

__all__ = [
    "LISTS_PATH",
    "DisqualifierListError",
    "Entry",
    "CompoundRule",
    "CodeList",
    "Lists",
    "load_lists",
    "lists_sha256",
    "match_d1_d2",
]

LISTS_PATH = Path(__file__).resolve().parent / "lists" / "disqualifier_lists.toml"

DEFINITE = "definite"
POSSIBLE = "possible"

_ENTRY_KEYS = frozenset({"section", "range", "subsections", "no_subsections", "code", "level", "attempts"})
_COMPOUND_KEYS = frozenset({"certainty", "all_of", "any_of"})
_LIST_KEYS = {"d1": frozenset({"definite", "possible", "compound"}), "d2": frozenset({"definite", "possible"})}
_TOP_KEYS = frozenset({"schema", "d1", "d2"})
_CODES = frozenset({"HS", "PC", "VC", "BP", "FG", "WI", "WC", "GC", "MV"})
_SECTION_RE = re.compile(r"\d{1,6}(?:\.\d{1,3})?[A-Z]{0,2}", re.ASCII)
_NUMERIC_RE = re.compile(r"\d{1,6}(?:\.\d{1,3})?", re.ASCII)
_SUB_RE = re.compile(r"[A-Z0-9]{1,3}", re.ASCII)


class DisqualifierListError(ValueError):
    """The list file is malformed (a packaging bug: the file ships with the product)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One list entry; see the header of the TOML file for the meaning of each field."""

    section: str | None = None
    range: tuple[Decimal, Decimal] | None = None
    subsections: tuple[str, ...] = ()
    no_subsections: bool = False
    code: str = "PC"
    level: str | None = None  # "felony" | "not_felony" | None
    attempts: bool = False

    def matches(self, e: Element, code: str | None, level: str) -> bool:
        if self.code == "PC":
            if code is not None and code != "PC":
                return False
        elif code != self.code:
            return False
        if self.section is not None:
            if e.section != self.section:
                return False
        else:
            if _NUMERIC_RE.fullmatch(e.section) is None:
                return False
            lo, hi = self.range
            if not lo <= Decimal(e.section) <= hi:
                return False
        if self.no_subsections:
            if e.subsections:
                return False
        elif self.subsections and e.subsections[: len(self.subsections)] != self.subsections:
            return False
        if self.level == "felony":
            return level == "felony"
        if self.level == "not_felony":
            return level != "felony"
        return True


@dataclass(frozen=True, slots=True)
class CompoundRule:
    """A multi-element rule: every ``all_of`` entry and at least one ``any_of`` entry match elements."""

    certainty: str
    all_of: tuple[Entry, ...]
    any_of: tuple[Entry, ...]

    def matches(self, elements: tuple[Element, ...], code: str | None, level: str) -> bool:
        return all(any(en.matches(e, code, level) for e in elements) for en in self.all_of) and any(
            en.matches(e, code, level) for en in self.any_of for e in elements
        )


@dataclass(frozen=True, slots=True)
class CodeList:
    definite: tuple[Entry, ...]
    possible: tuple[Entry, ...]
    compound: tuple[CompoundRule, ...] = ()
    _definite_index: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _possible_index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_definite_index", _index(self.definite))
        object.__setattr__(self, "_possible_index", _index(self.possible))

    def candidates(self, certainty: str, section: str) -> tuple[Entry, ...]:
        """The entries of ``certainty`` that can match ``section`` (same section, or a range), in file
        order within each group."""
        index = self._definite_index if certainty == DEFINITE else self._possible_index
        return index.get(section, ()) + index[_RANGE_KEY]


_RANGE_KEY = "\0range"


def _index(entries: tuple[Entry, ...]) -> dict[str, tuple[Entry, ...]]:
    """Entries by exact section; range entries under :data:`_RANGE_KEY`."""
    out: dict[str, list[Entry]] = {_RANGE_KEY: []}
    for en in entries:
        out.setdefault(en.section if en.section is not None else _RANGE_KEY, []).append(en)
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True, slots=True)
class Lists:
    d1: CodeList
    d2: CodeList
    sha256: str


# --- loading (strict) -------------------------------------------------------------------------------


def _err(where: str, msg: str) -> DisqualifierListError:
    return DisqualifierListError(f"{LISTS_PATH.name}: {where}: {msg}")


def _check_keys(obj: object, allowed: frozenset[str], where: str) -> dict:
    if not isinstance(obj, dict):
        raise _err(where, "expected a table")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise _err(where, f"unknown key {unknown[0]!r}; expected one of {', '.join(sorted(allowed))}")
    return obj


def _entry(obj: object, where: str) -> Entry:
    d = _check_keys(obj, _ENTRY_KEYS, where)
    if ("section" in d) == ("range" in d):
        raise _err(where, "expected exactly one of 'section' and 'range'")
    section = rng = None
    if "section" in d:
        section = d["section"]
        if not isinstance(section, str) or _SECTION_RE.fullmatch(section) is None:
            raise _err(where, f"'section' must be a section number such as \"288A\", got {section!r}")
    else:
        r = d["range"]
        if (
            not isinstance(r, list)
            or len(r) != 2
            or not all(isinstance(x, str) and _NUMERIC_RE.fullmatch(x) for x in r)
        ):
            raise _err(where, "'range' must be two decimal section numbers, e.g. [\"187\", \"191.5\"]")
        rng = (Decimal(r[0]), Decimal(r[1]))
        if rng[0] > rng[1]:
            raise _err(where, "'range' must be ascending")
    subs = d.get("subsections", [])
    if not isinstance(subs, list) or not all(isinstance(s, str) and _SUB_RE.fullmatch(s) for s in subs):
        raise _err(where, "'subsections' must be a list of 1–3 upper-case letters or digits")
    no_subs = d.get("no_subsections", False)
    if not isinstance(no_subs, bool) or (no_subs and subs):
        raise _err(where, "'no_subsections' must be true/false and not combined with 'subsections'")
    code = d.get("code", "PC")
    if code not in _CODES:
        raise _err(where, f"'code' must be one of {', '.join(sorted(_CODES))}")
    level = d.get("level")
    if level not in (None, "felony", "not_felony"):
        raise _err(where, "'level' must be \"felony\" or \"not_felony\"")
    attempts = d.get("attempts", False)
    if not isinstance(attempts, bool):
        raise _err(where, "'attempts' must be true or false")
    return Entry(section, rng, tuple(subs), no_subs, code, level, attempts)


def _entries(obj: object, where: str) -> tuple[Entry, ...]:
    if not isinstance(obj, list):
        raise _err(where, "expected an array of entries")
    return tuple(_entry(x, f"{where}[{i}]") for i, x in enumerate(obj))


def _parse(data: bytes) -> Lists:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _err("file", f"not valid UTF-8 TOML ({exc})") from None
    _check_keys(doc, _TOP_KEYS, "top level")
    if doc.get("schema") != 1:
        raise _err("schema", "expected schema = 1")
    out = {}
    for name in ("d1", "d2"):
        if name not in doc:
            raise _err(name, "missing table")
        t = _check_keys(doc[name], _LIST_KEYS[name], name)
        for req in ("definite", "possible"):
            if req not in t:
                raise _err(f"{name}.{req}", "missing")
        compound = []
        for i, c in enumerate(t.get("compound", [])):
            w = f"{name}.compound[{i}]"
            c = _check_keys(c, _COMPOUND_KEYS, w)
            if c.get("certainty") not in (DEFINITE, POSSIBLE):
                raise _err(w, "'certainty' must be \"definite\" or \"possible\"")
            if not c.get("all_of") or not c.get("any_of"):
                raise _err(w, "'all_of' and 'any_of' must both be non-empty")
            compound.append(
                CompoundRule(c["certainty"], _entries(c["all_of"], w + ".all_of"), _entries(c["any_of"], w + ".any_of"))
            )
        out[name] = CodeList(
            _entries(t["definite"], f"{name}.definite"), _entries(t["possible"], f"{name}.possible"), tuple(compound)
        )
    return Lists(out["d1"], out["d2"], hashlib.sha256(data).hexdigest())


def load_lists(path: str | Path | None = None) -> Lists:
    """Load and validate the list file (strict: unknown keys are errors). ``path`` is for tests; the
    product always uses :data:`LISTS_PATH` (cached)."""
    if path is None:
        return _default_lists()
    return _parse(Path(path).read_bytes())


@lru_cache(maxsize=1)
def _default_lists() -> Lists:
    return _parse(LISTS_PATH.read_bytes())


def lists_sha256() -> str:
    """SHA-256 (hex) of the list file's bytes (part of the run's ruleset hash, §2)."""
    return _default_lists().sha256


# --- matching ---------------------------------------------------------------------------------------


def _definite(cl: CodeList, elements: tuple[Element, ...], code: str | None, level: str, attempts_only: bool) -> bool:
    for e in elements:
        for en in cl.candidates(DEFINITE, e.section):
            if (not attempts_only or en.attempts) and en.matches(e, code, level):
                return True
    if not attempts_only:
        for rule in cl.compound:
            if rule.certainty == DEFINITE and rule.matches(elements, code, level):
                return True
    return False


def _certainty(cl: CodeList, elements: tuple[Element, ...], code: str | None, level: str) -> str | None:
    """Certainty for non-inchoate elements (a plain citation, a compound, or an inchoate's targets)."""
    if not elements:
        return None
    if _definite(cl, elements, code, level, False):
        return DEFINITE
    for e in elements:
        for en in cl.candidates(POSSIBLE, e.section):
            if en.matches(e, code, level):
                return POSSIBLE
    for rule in cl.compound:
        if rule.certainty == POSSIBLE and rule.matches(elements, code, level):
            return POSSIBLE
    return None


def _d1(cl: CodeList, cit: Citation, level: str) -> str | None:
    kind = cit.kind
    if kind in ("plain", "compound"):
        return _certainty(cl, cit.elements, cit.code, level)
    targets = cit.elements[1:]
    if not targets:
        return None
    if kind == "attempt":
        return DEFINITE if _definite(cl, targets, cit.code, level, True) else None
    if kind == "conspiracy":
        return POSSIBLE if _definite(cl, targets, cit.code, level, False) else None
    return None  # accessory


def _d2(cl: CodeList, cit: Citation, level: str) -> str | None:
    kind = cit.kind
    if kind in ("plain", "compound"):
        return _certainty(cl, cit.elements, cit.code, level)
    if kind in ("attempt", "conspiracy"):
        return _certainty(cl, cit.elements[1:], cit.code, level)
    return None  # accessory


def match_d1_d2(cit: Citation, level: str) -> list[tuple[str, str]]:
    """D1/D2 findings of one conviction: e.g. ``[('D1', 'definite'), ('D2', 'definite')]`` for
    ``288(A) PC``; ``[]`` if none. ``level`` is the conviction's level (``felony``, ``misdemeanor``,
    ``infraction``, ``unknown``)."""
    return list(_match(cit, level))


@lru_cache(maxsize=1 << 16)
def _match(cit: Citation, level: str) -> tuple[tuple[str, str], ...]:
    lists = _default_lists()
    out: list[tuple[str, str]] = []
    c1 = _d1(lists.d1, cit, level)
    if c1:
        out.append(("D1", c1))
    c2 = _d2(lists.d2, cit, level)
    if c2:
        out.append(("D2", c2))
    return tuple(out)
