"""Counts and people read from the workspace for one evaluation (eligibility.md 4-6).

SQL (store/sql/select_*.sql) does the grouping over millions of rows; this module turns the
result into small Python objects per person and attaches what only Python can read: the parsed
citation and the class of every count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from ..store import queries
from .citation import Citation, normalise_charge_text, parse_citation
from .classify import Classification, classify_count, is_prop64_class
from .dates import UNKNOWN, DateValue

PROP64_SECTIONS = ("11357", "11358", "11359", "11360")


@dataclass
class Count:
    subject_id: str
    cnt_order: str
    row_seq: int
    batch_id: int
    line_no: int
    charge_text: str
    from_comment: bool
    comment_text: str
    level: str
    cyc: DateValue
    cyc_recorded: bool
    conviction: DateValue
    conviction_source: str | None
    county: str
    courthouse: str
    court_ori: str
    case_number: str
    cyc_age: int | None
    name: str
    cii_number: str
    conflicts: dict[str, list[str]]
    sentence_parts: list[list[str]]
    cit: Citation | None = None
    cls: Classification | None = None
    path: str = "unknown"
    sentence_end: str = "unknown"

    @property
    def cycle(self) -> str:
        return self.cnt_order[:3]

    @property
    def code_section(self) -> str:
        return self.cit.text if self.cit else normalise_charge_text(self.charge_text)

    @property
    def is_prop64(self) -> bool:
        return self.cls is not None and is_prop64_class(self.cls)

    @property
    def offense(self) -> DateValue:
        """CYC_DATE when recorded, else the conviction date stands in (5.3)."""
        return self.cyc if self.cyc_recorded else self.conviction


@dataclass
class Registration:
    cnt_order: str
    date: DateValue
    case_number: str


@dataclass
class Person:
    subject_id: str
    dob: DateValue = UNKNOWN
    dob_conflict: bool = False
    deceased: bool = False
    race: str = ""
    counts: list[Count] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    quarantined_lines: list[tuple[str, int]] = field(default_factory=list)


def _dv(lo: date | None, hi: date | None) -> DateValue:
    return DateValue(lo, hi) if lo is not None else UNKNOWN


def _count(row: dict) -> Count:
    conflicts: dict[str, list[str]] = {}
    if row["n_levels"] > 1:
        conflicts["level"] = sorted(row["levels"])
    if row["n_conv_dates"] > 1:
        conflicts["conviction date"] = sorted(row["conv_dates"])
    texts = [t for t in row["charge_texts"] if t is not None]
    if len(texts) > 1:
        cits = {(c.text if (c := parse_citation(t)) else normalise_charge_text(t)) for t in texts}
        if len(cits) > 1:
            conflicts["code section"] = sorted(cits)
    return Count(
        subject_id=row["subject_id"], cnt_order=row["cnt_order"], row_seq=row["row_seq"],
        batch_id=row["batch_id"], line_no=row["line_no"], charge_text=row["charge_text"] or "",
        from_comment=bool(row["from_comment"]), comment_text=row["comment_text"] or "",
        level=row["level"], cyc=_dv(row["cyc_lo"], row["cyc_hi"]),
        cyc_recorded=row["cyc_text"] is not None,
        conviction=_dv(row["conv_lo"], row["conv_hi"]), conviction_source=row["conv_source"],
        county=row["county"] or "", courthouse=row["courthouse"] or "", court_ori=row["court_ori"] or "",
        case_number=row["case_number"] or "", cyc_age=row["cyc_age"], name=row["name"] or "",
        cii_number=row["cii_number"] or "", conflicts=conflicts,
        sentence_parts=row["sentence_parts"] or [],
    )


def _same_cycle_prop64_plain(cur, subject_id: str, cycle: str) -> bool:
    """Any row (convicted or not) of the person in the cycle with a plain Prop 64 citation (4)."""
    rows = cur.execute(
        "SELECT DISTINCT d_charge_text FROM doj_row WHERE d_subject_id = ? AND substr(d_cnt_order, 1, 3) = ?",
        [subject_id, cycle]).fetchall()
    for (text,) in rows:
        cit = parse_citation(text or "")
        if cit and cit.kind == "plain" and cit.section in PROP64_SECTIONS and cit.code in (None, "HS"):
            return True
    return False


def classify(cur, person: Person) -> None:
    for c in person.counts:
        c.cit = parse_citation(c.charge_text)
        same_cycle = False
        if c.cit is not None and c.cit.kind == "accessory" and not c.cit.targets:
            same_cycle = _same_cycle_prop64_plain(cur, c.subject_id, c.cycle)
        c.cls = classify_count(c.cit, normalise_charge_text(c.charge_text), c.from_comment,
                               c.comment_text, same_cycle)


def iter_people(cur, county: str, batch: int = 20000) -> Iterator[Person]:
    """People who may have an evaluated count, with all their counts (all counties)."""
    cur.execute(queries.sql("select_eval_subjects"), {"county": county})
    persons: dict[str, Person] = {}
    for row in _dicts(cur, queries.sql("select_persons")):
        n_dob = row["n_dob"]
        persons[row["subject_id"]] = Person(
            subject_id=row["subject_id"],
            dob=_dv(row["dob_lo"], row["dob_hi"]) if n_dob == 1 else UNKNOWN,
            dob_conflict=n_dob > 1, deceased=bool(row["deceased"]), race=row["race"] or "")
    for row in _dicts(cur, queries.sql("select_registrations")):
        cit = parse_citation(row["charge_text"] or "")
        if cit and (cit.section == "290" or cit.section.startswith("290.")):
            persons[row["subject_id"]].registrations.append(
                Registration(row["cnt_order"], _dv(row["lo"], row["hi"]), row["ofn"] or ""))
    for subject, file_name, line in cur.execute(
            "SELECT q.subject_guess, b.file_name, q.line_no FROM quarantine q "
            "JOIN import_batch b USING (batch_id) "
            "WHERE q.subject_guess IN (SELECT subject_id FROM eval_subjects) ORDER BY b.batch_id, q.line_no"
    ).fetchall():
        persons[subject].quarantined_lines.append((file_name, line))
    res = cur.execute(queries.sql("select_counts"))
    names = [d[0] for d in res.description]
    current: Person | None = None
    pending: list[Person] = []
    while True:
        chunk = res.fetchmany(batch)
        if not chunk:
            break
        for values in chunk:
            row = dict(zip(names, values))
            if current is None or current.subject_id != row["subject_id"]:
                if current is not None:
                    pending.append(current)
                current = persons[row["subject_id"]]
            current.counts.append(_count(row))
        yield from pending
        pending = []
    if current is not None:
        yield current


def _dicts(cur, sql: str) -> list[dict]:
    res = cur.execute(sql)
    names = [d[0] for d in res.description]
    return [dict(zip(names, r)) for r in res.fetchall()]
