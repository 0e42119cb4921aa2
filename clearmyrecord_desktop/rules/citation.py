"""Charge text and legal citations (doj-research-file.md §4.7).

The citation is read only at the *start* of the charge text, with the anchored regular expression of
§4.7. Everything here is pure and cached: the engine parses each distinct charge text once.

Regular expressions are compiled once at import, with ``re.ASCII`` so that ``\\d`` and ``\\s`` mean the
ASCII digits and the six white-space characters of doj-research-file.md (a Unicode digit such as
``١`` is never read as part of a section number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "Element",
    "Citation",
    "CitationKind",
    "PROP64_SECTIONS",
    "normalise_charge_text",
    "parse_citation",
    "mentions_prop64",
    "first_prop64_mention",
    "charge_text",
    "trim_value",
]

CitationKind = Literal["plain", "attempt", "conspiracy", "accessory", "compound"]

#: Section numbers that are "Prop 64 sections" (eligibility.md §4): compared exactly.
PROP64_SECTIONS: frozenset[str] = frozenset({"11357", "11358", "11359", "11360"})

#: White space of a DOJ value (doj-research-file.md, "value"): space, tab, CR, LF, VT, FF.
_WS = " \t\r\n\v\f"

_SEE_COMMENT = "SEE COMMENT FOR CHARGE"

_CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class Element:
    """One element of a citation: section number (with letter suffix) and subsections."""

    section: str
    subsections: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``11357(B)``: the section followed by ``(X)`` per subsection."""
        return self.section + "".join(f"({s})" for s in self.subsections)


@dataclass(frozen=True, slots=True)
class Citation:
    """A readable citation (§4.7 step 3–5). ``text`` is the normalised citation (``code_section``)."""

    elements: tuple[Element, ...]
    code: str | None
    kind: CitationKind
    text: str

    @property
    def section(self) -> str:
        """Section of the first element (for a plain citation: *the* section)."""
        return self.elements[0].section

    @property
    def subsections(self) -> tuple[str, ...]:
        """Subsections of the first element."""
        return self.elements[0].subsections

    @property
    def targets(self) -> tuple[Element, ...]:
        """For attempt / conspiracy / accessory: the elements after the first (may be empty)."""
        if self.kind in ("attempt", "conspiracy", "accessory"):
            return self.elements[1:]
        return ()


# --- the regular expression of §4.7, spelled out exactly --------------------------------------------

# "longest alternative first"
_CODES = ("H&S", "HSC", "B&P", "F&G", "WIC", "W&I", "HS", "PC", "VC", "BP", "FG", "WI", "WC", "GC", "MV")
_CODE = "(?:" + "|".join(re.escape(c) for c in _CODES) + ")"
_NUM = r"\d{1,6}(?:\.\d{1,3})?"
_SUF = r"(?:(?!" + _CODE + r"(?![A-Z&]))[A-Z]{1,2}(?![A-Z]))"
_SUBS = r"(?:\([A-Z0-9]{1,3}\))*"
_ELEM = _NUM + _SUF + "?" + _SUBS
_SEP = r"\s*[/+\-]\s*"
_CIT = r"^(" + _ELEM + r"(?:" + _SEP + _ELEM + r")*)\s*(" + _CODE + r")?(?![A-Z&])(?=$|[\s\-:,;])"

_CIT_RE = re.compile(_CIT, re.ASCII)
_ELEM_PARTS_RE = re.compile(r"(" + _NUM + _SUF + r"?)(" + _SUBS + r")", re.ASCII)

_CODE_NORMAL = {"H&S": "HS", "HSC": "HS", "B&P": "BP", "F&G": "FG", "W&I": "WI", "WIC": "WI"}

# --- normalisation -----------------------------------------------------------------------------------

_WS_RUN_RE = re.compile(r"[ \t\r\n\v\f]+")
_NEEDS_COLLAPSE_RE = re.compile(r"[\t\r\n\v\f]|  ")
_PAREN_WS_RE = re.compile(r" \(|\( | \)|\([^()]* [^()]*\)")
_PAREN_GROUP_RE = re.compile(r" ?\(([^()]*)\)")
_OPEN_PAREN_RE = re.compile(r" ?\( ?")
_CLOSE_PAREN_RE = re.compile(r" \)")

# Prop 64 mention (§4.7, last paragraph): not preceded by a digit; not followed by a digit or ".digit".
_MENTION_RE = re.compile(r"(?<![0-9])(1135[789]|11360)(?![0-9])(?!\.[0-9])((?:\([A-Z0-9]{1,3}\))*)", re.ASCII)


def trim_value(value: str | None) -> str:
    """A DOJ *value*: the raw value without leading/trailing space, tab, CR, LF, VT, FF."""
    if not value:
        return ""
    return value.strip(_WS)


@lru_cache(maxsize=_CACHE_SIZE)
def normalise_charge_text(text: str) -> str:
    """Normalise charge text (§4.7 step 1).

    Upper-case; trim; collapse runs of white space to one space; remove white space before and inside
    parentheses (``11357 (b)`` → ``11357(B)``, ``( A )`` → ``(A)``). Idempotent.
    """
    if not text:
        return ""
    s = text.upper()
    if _NEEDS_COLLAPSE_RE.search(s) is not None:
        s = _WS_RUN_RE.sub(" ", s)
    s = s.strip(" ")
    if ("(" in s or ")" in s) and _PAREN_WS_RE.search(s) is not None:
        # Balanced groups: drop the space before "(" and every space inside.
        s = _PAREN_GROUP_RE.sub(lambda m: "(" + m.group(1).replace(" ", "") + ")", s)
        # Unbalanced leftovers: space before/after "(" and before ")".
        s = _OPEN_PAREN_RE.sub("(", s)
        s = _CLOSE_PAREN_RE.sub(")", s)
    return s


def _subsections(subs: str) -> tuple[str, ...]:
    """``"(A)(1)"`` → ``("A", "1")`` (the text is a run of ``SUBS``, so this split is exact)."""
    return tuple(subs[1:-1].split(")(")) if subs else ()


@lru_cache(maxsize=_CACHE_SIZE)
def parse_citation(charge_text: str) -> Citation | None:
    """Read the citation at the start of ``charge_text`` (§4.7 steps 1–5); ``None`` if unreadable.

    The text is normalised first, so raw or normalised charge text may be passed. Never raises on a
    string.
    """
    m = _CIT_RE.match(normalise_charge_text(charge_text))
    if m is None:
        return None
    return _build(m.group(1), m.group(2))


@lru_cache(maxsize=_CACHE_SIZE)
def _build(elements_text: str, raw_code: str | None) -> Citation:
    """The citation of a matched group 1 and code (cached: equal citations are one object)."""
    # Each element of group 1 is matched greedily by _ELEM_PARTS_RE: an element is always followed by a
    # separator or the end of the group, so the greedy match is the element itself.
    parts = _ELEM_PARTS_RE.findall(elements_text)
    elements = tuple([Element(sec, _subsections(subs)) for sec, subs in parts])
    code = _CODE_NORMAL.get(raw_code, raw_code) if raw_code else None
    first = elements[0].section
    if len(elements) == 1:
        kind: CitationKind = "conspiracy" if first == "182" else "accessory" if first == "32" else "plain"
    elif first == "664":
        kind = "attempt"
    elif first == "182":
        kind = "conspiracy"
    elif first == "32":
        kind = "accessory"
    else:
        kind = "compound"
    text = "/".join([sec + subs for sec, subs in parts])
    if code:
        text += " " + code
    return Citation(elements, code, kind, text)


@lru_cache(maxsize=_CACHE_SIZE)
def first_prop64_mention(normalised_text: str) -> tuple[str, tuple[str, ...]] | None:
    """First Prop 64 section mentioned in the text (§4.7 last paragraph), with the subsections written
    right after it (``664.11357(C) HS`` → ``('11357', ('C',))``); ``None`` if none."""
    m = _MENTION_RE.search(normalised_text)
    if m is None:
        return None
    return m.group(1), _subsections(m.group(2))


def mentions_prop64(normalised_text: str) -> str | None:
    """First of 11357/11358/11359/11360 in the (normalised) text not preceded by a digit and not
    followed by a digit or by ``.``+digit (§4.7): ``664.11357(C)`` → ``11357``; ``11357.5`` → ``None``."""
    found = first_prop64_mention(normalised_text)
    return found[0] if found else None


def charge_text(offense_descr: str | None, comment_text: str | None) -> tuple[str, bool]:
    """Charge text of a row (§4.7) and whether it came from ``COMMENT_TEXT``.

    The value (trimmed) of ``OFFENSE_DESCR``; but if that is empty or equals ``SEE COMMENT FOR CHARGE``
    (internal white space collapsed, any case), the value of ``COMMENT_TEXT``.
    """
    od = trim_value(offense_descr)
    if not od or _WS_RUN_RE.sub(" ", od).upper() == _SEE_COMMENT:
        return trim_value(comment_text), True
    return od, False
