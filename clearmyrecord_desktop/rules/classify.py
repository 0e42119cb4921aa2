"""Which counts are Prop 64 counts (eligibility.md §4).

:func:`classify_count` turns a count's citation (doj-research-file.md §4.7) into one of the classes of
§4 and picks the count's *section* and *subsections* used by the rules.
"""

from __future__ import annotations

from typing import NamedTuple

from .citation import (
    PROP64_SECTIONS,
    Citation,
    first_prop64_mention,
    normalise_charge_text,
    parse_citation,
)

__all__ = [
    "Classification",
    "PROP64",
    "PROP64_CODE_UNCLEAR",
    "PROP64_ATTEMPT",
    "PROP64_ACCESSORY",
    "PROP64_UNREADABLE",
    "PROP64_COMMENT_CONFLICT",
    "OTHER",
    "PROP64_CLASSES",
    "NOT_COVERED_SECTIONS",
    "classify_count",
    "is_prop64_class",
]

PROP64 = "prop64"
PROP64_CODE_UNCLEAR = "prop64_code_unclear"
PROP64_ATTEMPT = "prop64_attempt"
PROP64_ACCESSORY = "prop64_accessory"
PROP64_UNREADABLE = "prop64_unreadable"
PROP64_COMMENT_CONFLICT = "prop64_comment_conflict"
OTHER = "other"

PROP64_CLASSES: frozenset[str] = frozenset(
    {PROP64, PROP64_CODE_UNCLEAR, PROP64_ATTEMPT, PROP64_ACCESSORY, PROP64_UNREADABLE, PROP64_COMMENT_CONFLICT}
)

#: Cannabis-related sections outside Prop 64 relief (§1 "Not covered"); a comment naming a Prop 64
#: section never turns these into a comment conflict (§4).
NOT_COVERED_SECTIONS: frozenset[str] = frozenset({"11357.5", "11361", "11379.6", "4573.6", "4573.8"})

_PLAIN_CODES = (None, "HS")


class Classification(NamedTuple):
    """Class of a count (§4) and the section/subsections the rules use (``None`` / ``()`` if none)."""

    count_class: str
    section: str | None
    subsections: tuple[str, ...]


_OTHER = Classification(OTHER, None, ())


def is_prop64_class(c: Classification | str) -> bool:
    """True for every ``prop64…`` class (the count is a Prop 64 count, §4)."""
    if isinstance(c, Classification):
        c = c.count_class
    return c in PROP64_CLASSES


def _first_prop64_element(elements) -> tuple[str, tuple[str, ...]] | None:
    for e in elements:
        if e.section in PROP64_SECTIONS:
            return e.section, e.subsections
    return None


def _base_class(
    cit: Citation | None,
    text: str,
    from_comment: bool,
    comment_norm: str,
    same_cycle_has_prop64_plain: bool,
) -> Classification:
    """Classification from the charge text alone (the table of §4, before the comment rule)."""
    if cit is None:
        found = first_prop64_mention(text)
        if found is not None:
            return Classification(PROP64_UNREADABLE, found[0], found[1])
        return _OTHER
    kind = cit.kind
    if kind == "plain":
        e = cit.elements[0]
        if e.section in PROP64_SECTIONS:
            cls = PROP64 if cit.code in _PLAIN_CODES else PROP64_CODE_UNCLEAR
            return Classification(cls, e.section, e.subsections)
        return _OTHER
    if kind == "attempt":
        found = _first_prop64_element(cit.elements[1:])
        return Classification(PROP64_ATTEMPT, *found) if found else _OTHER
    if kind == "accessory":
        if len(cit.elements) > 1:
            found = _first_prop64_element(cit.elements[1:])
            return Classification(PROP64_ACCESSORY, *found) if found else _OTHER
        # "32" without a target: a cannabis link in the comment or in the same cycle.
        linked = same_cycle_has_prop64_plain or (
            not from_comment and first_prop64_mention(comment_norm) is not None
        )
        return Classification(PROP64_ACCESSORY, None, ()) if linked else _OTHER
    if kind == "compound":
        found = _first_prop64_element(cit.elements)
        return Classification(PROP64_UNREADABLE, *found) if found else _OTHER
    return _OTHER  # conspiracy: never a Prop 64 count (People v. Medina)


def classify_count(
    cit: Citation | None,
    charge_text_normalised: str,
    from_comment: bool,
    comment_text: str | None,
    same_cycle_has_prop64_plain: bool,
) -> Classification:
    """Classify one count (§4).

    ``cit`` is ``parse_citation`` of the charge text (``None`` = unreadable), ``charge_text_normalised``
    the normalised charge text, ``from_comment`` whether the charge text came from ``COMMENT_TEXT``,
    ``comment_text`` the count's ``COMMENT_TEXT`` value (raw or normalised), and
    ``same_cycle_has_prop64_plain`` whether the person has, in the same cycle (``CNT_ORDER[0:3]``), any
    row (convicted or not) whose citation is plain with a Prop 64 section.

    Comment conflict (§4): only when the charge text came from ``OFFENSE_DESCR`` and ``COMMENT_TEXT``
    starts with a plain Prop 64 citation with code ``HS`` or none —
    an ``other`` count that is not a conspiracy / attempt / accessory and has no element in
    :data:`NOT_COVERED_SECTIONS` becomes ``prop64_comment_conflict`` (section: the comment's); a
    ``prop64`` count whose comment names another section, or another first subsection of 11357 (both
    present and different), becomes ``prop64_comment_conflict`` (section: its own).
    """
    comment_norm = "" if from_comment or not comment_text else normalise_charge_text(comment_text)
    base = _base_class(cit, charge_text_normalised, from_comment, comment_norm, same_cycle_has_prop64_plain)
    if from_comment or not comment_norm or base.count_class not in (OTHER, PROP64):
        return base
    com = parse_citation(comment_norm)
    if com is None or com.kind != "plain" or com.code not in _PLAIN_CODES or com.section not in PROP64_SECTIONS:
        return base
    if base.count_class == OTHER:
        if cit is not None and (
            cit.kind in ("conspiracy", "attempt", "accessory")
            or any(e.section in NOT_COVERED_SECTIONS for e in cit.elements)
        ):
            return base
        return Classification(PROP64_COMMENT_CONFLICT, com.section, com.subsections)
    # base is prop64
    if com.section != base.section:
        return Classification(PROP64_COMMENT_CONFLICT, base.section, base.subsections)
    if base.section == "11357" and base.subsections and com.subsections:
        if base.subsections[0] != com.subsections[0]:
            return Classification(PROP64_COMMENT_CONFLICT, base.section, base.subsections)
    return base
