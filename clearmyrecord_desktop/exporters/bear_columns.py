"""Pure pieces of the BEAR/gogen compatibility export (eligibility.md §11.2): column layouts, gogen's
CSV quoting, the ``Possible Other P64 Charges`` hint and the per-person result columns.

Nothing here touches the workspace; :mod:`.bear_compat` streams the rows and uses these helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..domain.doj_columns import DOJ_COLUMNS
from ..rules.dates import CUTOFF
from ..rules.derive import PROP64_SECTIONS, Person
from ..rules.disqualifier_lists import match_d1_d2

__all__ = [
    "RESULT_COLUMNS",
    "CONDENSED_DOJ_COLUMNS",
    "FULL_HEADER",
    "CONDENSED_HEADER",
    "CONFLICT_COLUMNS",
    "SPACE_CHARS",
    "quote_field",
    "csv_line",
    "possible_other_p64",
    "years_since",
    "conviction_date_text",
    "occurred_after",
    "PersonColumns",
    "PERSON_TABLE_COLUMNS",
    "person_columns",
    "count_columns",
    "EMPTY_RESULT_TAIL",
    "hint_only_tail",
]

#: The 18 result columns, gogen 0.2.13's headers, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "Case Number",
    "# of convictions on record",
    "Possible Other P64 Charges",
    "Occurred after 11/9/2016",
    "Superstrike Code Section(s)",
    "PC290 Code Section(s)",
    "PC290 Registration",
    "Date of Conviction",
    "Years Since This Conviction",
    "Years Since Any Conviction",
    "# of Prop 64 convictions",
    "# of HS 11357 convictions",
    "# of HS 11358 convictions",
    "# of HS 11359 convictions",
    "# of HS 11360 convictions",
    "Deceased",
    "Eligibility Determination",
    "Eligibility Reason",
)
_P64_INDEX = RESULT_COLUMNS.index("Possible Other P64 Charges")

#: The 20 raw DOJ columns of ``All_Results_Condensed.csv``.
CONDENSED_DOJ_COLUMNS: tuple[str, ...] = (
    "CII_NUMBER", "PRI_NAME", "GENDER", "PRI_DOB", "RACE_DESCR", "CYC_DATE", "STP_EVENT_DATE",
    "STP_ORI_DESCR", "STP_ORI_CNTY_NAME", "DISP_DATE", "OFN", "OFFENSE_DESCR", "DISP_DESCR",
    "CONV_STAT_DESCR", "SENT_LOC_DESCR", "SENT_LENGTH", "SENT_TIME_CODE", "CYC_AGE", "COMMENT_TEXT",
    "END_OF_REC",
)
FULL_HEADER: tuple[str, ...] = DOJ_COLUMNS + RESULT_COLUMNS
CONDENSED_HEADER: tuple[str, ...] = CONDENSED_DOJ_COLUMNS + RESULT_COLUMNS

#: ``Statutory_Conflicts.csv``.
CONFLICT_COLUMNS: tuple[str, ...] = (
    "subject_id", "cnt_order", "line", "eligibility_determination", "eligibility_reason",
    "statutory_determination", "statutory_rule_ids", "conflict_details",
)

# --- CSV ---------------------------------------------------------------------------------------

#: White-space characters that force quoting when a field begins with one: Unicode White_Space, as
#: gogen's Go ``encoding/csv`` tests it (``unicode.IsSpace``). U+001C–U+001F are not among them.
SPACE_CHARS: str = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_NEEDS_QUOTES_RE = re.compile('[,"\r\n]|^[' + re.escape(SPACE_CHARS) + "]")


def quote_field(value: str) -> str:
    """One field as gogen writes it (§11.2 "CSV format"): quoted, with ``"`` doubled, when it contains
    ``,``, ``"``, CR or LF, equals ``\\.``, or begins with a white-space character; else as is."""
    if value and (_NEEDS_QUOTES_RE.search(value) is not None or value == "\\."):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(fields) -> str:
    """A whole record (no line end)."""
    return ",".join(quote_field(f) for f in fields)


# --- Possible Other P64 Charges ------------------------------------------------------------------

_DOJ_WS = " \t\r\n\v\f"
_P64_RE = re.compile(r"11357|11358|11359|11360")
_11357_SUB_RE = re.compile(r"11357\(([A-D])\)")
_AB, _CD = frozenset("AB"), frozenset("CD")


def possible_other_p64(offense_descr: str | None, comment_text: str | None) -> str:
    """The hint column, on the raw ``OFFENSE_DESCR`` and ``COMMENT_TEXT`` with gogen's unanchored
    reading (§11.2): the raw comment when it names a Prop 64 section the offense text does not
    (or, for 11357, a subsection of the other group); else empty."""
    od = offense_descr or ""
    ct = comment_text or ""
    trimmed = od.strip(_DOJ_WS)
    if not trimmed or trimmed == "SEE COMMENT FOR CHARGE":
        return ""
    mc = _P64_RE.search(ct)
    if mc is None:
        return ""
    mo = _P64_RE.search(od)
    if mo is None or mo.group() != mc.group():
        return ct
    if mo.group() == "11357":
        a = _11357_SUB_RE.search(od)
        b = _11357_SUB_RE.search(ct)
        if a is not None and b is not None:
            x, y = a.group(1), b.group(1)
            return ct if (x in _AB and y in _CD) or (x in _CD and y in _AB) else ""
        if b is not None:
            return ct
    return ""


# --- dates ---------------------------------------------------------------------------------------


def years_since(as_of: date, d: date | None) -> str:
    """``(as_of − d)`` in days / 365.25 with one decimal (C ``%.1f``); empty when ``d`` is None."""
    if d is None:
        return ""
    return "%.1f" % ((as_of - d).days / 365.25)


def conviction_date_text(lo: date | None, hi: date | None) -> str:
    """``MM/DD/YYYY`` for an exact date, else empty."""
    if lo is None or lo != hi:
        return ""
    return f"{lo.month:02d}/{lo.day:02d}/{lo.year:04d}"


def occurred_after(lo: date | None) -> str:
    """``Y`` when the conviction date is known and its first possible day is after 9 Nov 2016."""
    return "Y" if lo is not None and lo > CUTOFF else "N"


# --- per person ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonColumns:
    """What the result columns and the summary need from one person (all counties, all sections)."""

    subject_id: str
    convictions: int
    superstrike: str
    pc290: str
    registration: str
    years_since_any: str
    prop64: int
    by_section: tuple[int, int, int, int]   # 11357, 11358, 11359, 11360
    deceased: str
    recent: int            # counts whose conviction date (lo) is later than as-of minus 7 years
    felonies: int          # counts with level felony

    def row(self) -> tuple:
        return (self.subject_id, self.convictions, self.superstrike, self.pc290, self.registration,
                self.years_since_any, self.prop64, *self.by_section, self.deceased, self.recent,
                self.felonies)


#: Column names and DuckDB types of :meth:`PersonColumns.row`.
PERSON_TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("subject_id", "VARCHAR"), ("convictions", "BIGINT"), ("superstrike", "VARCHAR"),
    ("pc290", "VARCHAR"), ("registration", "VARCHAR"), ("years_since_any", "VARCHAR"),
    ("prop64", "BIGINT"), ("n_11357", "BIGINT"), ("n_11358", "BIGINT"), ("n_11359", "BIGINT"),
    ("n_11360", "BIGINT"), ("deceased", "VARCHAR"), ("recent", "BIGINT"), ("felonies", "BIGINT"),
)


def person_columns(person: Person, as_of: date) -> PersonColumns:
    """Person-level result columns of a classified person (``rules.derive.classify`` done).

    Super-strike / PC 290 columns: the normalised citations of the person's counts (this one
    included) matching D1 / D2, definite or possible (§6.3, §6.4), in count order (file order of
    first rows), joined by ``;``. The latest conviction date uses the last possible day of a
    partial date. Counts, felonies, recent convictions and the latest date are the person's
    totals over all counts (``Person.totals_at``); the person may hold only the counts the rules
    read (``derive.iter_people`` with ``keep``), which include every Prop 64 count and every
    count matching D1 or D2.
    """
    d1: list[str] = []
    d2: list[str] = []
    sections = dict.fromkeys(PROP64_SECTIONS, 0)
    prop64 = 0
    for c in person.counts:
        if c.cit is not None:
            codes = {code for code, _certainty in match_d1_d2(c.cit, c.level)}
            if "D1" in codes:
                d1.append(c.cit.text)
            if "D2" in codes:
                d2.append(c.cit.text)
        if c.is_prop64:
            prop64 += 1
            if c.cls.section in sections:
                sections[c.cls.section] += 1
    sums = person.totals_at(as_of)
    return PersonColumns(
        subject_id=person.subject_id,
        convictions=sums.counts,
        superstrike=";".join(d1) or "-",
        pc290=";".join(d2) or "-",
        registration="Yes" if person.registrations else "-",
        years_since_any=years_since(as_of, sums.latest_known_hi),
        prop64=prop64,
        by_section=tuple(sections[s] for s in PROP64_SECTIONS),
        deceased="Deceased" if person.deceased else "-",
        recent=sums.recent,
        felonies=sums.felonies,
    )


def count_columns(*, case_number: str, convictions: int, p64_hint: str, conviction_lo: date | None,
                  conviction_hi: date | None, superstrike: str, pc290: str, registration: str,
                  years_since_any: str, prop64: int, by_section, deceased: str, determination: str,
                  reason: str, as_of: date) -> list[str]:
    """The 18 values on the first row of an evaluated count, in :data:`RESULT_COLUMNS` order."""
    exact = conviction_lo if conviction_lo is not None and conviction_lo == conviction_hi else None
    return [
        case_number,
        str(convictions),
        p64_hint,
        occurred_after(conviction_lo),
        superstrike,
        pc290,
        registration,
        conviction_date_text(conviction_lo, conviction_hi),
        years_since(as_of, exact),
        years_since_any,
        str(prop64),
        *(str(n) for n in by_section),
        deceased,
        determination,
        reason,
    ]


#: The 18 columns of a row that is not the first row of an evaluated count and has no hint.
EMPTY_RESULT_TAIL: str = "," * (len(RESULT_COLUMNS) - 1)


def hint_only_tail(p64_hint: str) -> str:
    """The 18 columns of any other row: all empty except ``Possible Other P64 Charges``."""
    if not p64_hint:
        return EMPTY_RESULT_TAIL
    return "," * _P64_INDEX + quote_field(p64_hint) + "," * (len(RESULT_COLUMNS) - 1 - _P64_INDEX)
