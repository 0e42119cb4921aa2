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


@dataclass(slots=True)
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
    sentence: tuple  # (n_parts, n_invalid, end_lo, end_hi) from SQL
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
    #: cycles with any row (convicted or not) whose citation is plain with a Prop 64 section,
    #: filled only for cycles holding an accessory (PC 32) conviction (4)
    cycles_with_prop64_plain: set[str] = field(default_factory=set)


def _dv(lo: date | None, hi: date | None) -> DateValue:
    return DateValue(lo, hi) if lo is not None else UNKNOWN


def _count(r: tuple, conflicts_of) -> Count:
    """A Count from one row of select_counts.sql (column order documented there)."""
    cyc = DateValue(r[9], r[10]) if r[9] is not None else UNKNOWN
    conviction = DateValue(r[12], r[13]) if r[12] is not None else UNKNOWN
    c = Count(
        subject_id=r[0], cnt_order=r[1], row_seq=r[2], batch_id=r[3], line_no=r[4],
        charge_text=r[5] or "", from_comment=bool(r[6]), comment_text=r[7] or "", level=r[8],
        cyc=cyc, cyc_recorded=bool(r[11]), conviction=conviction, conviction_source=r[14],
        county=r[15] or "", courthouse=r[16] or "", court_ori=r[17] or "", case_number=r[18] or "",
        cyc_age=r[19], name=r[20] or "", cii_number=r[21] or "", conflicts={},
        sentence=(r[23], r[24], r[25], r[26]),
    )
    if r[22]:
        c.conflicts = conflicts_of(c.subject_id, c.cnt_order)
    return c


def _conflicts(cur, subject_id: str, cnt_order: str) -> dict[str, list[str]]:
    levels, dates, texts = cur.execute(queries.sql("select_count_conflicts"), [subject_id, cnt_order]).fetchone()
    conflicts: dict[str, list[str]] = {}
    if len(levels) > 1:
        conflicts["level"] = sorted(levels)
    if len(dates) > 1:
        conflicts["conviction date"] = sorted(dates)
    texts = [t for t in texts if t is not None]
    if len(texts) > 1:
        cits = {(c.text if (c := parse_citation(t)) else normalise_charge_text(t)) for t in texts}
        if len(cits) > 1:
            conflicts["code section"] = sorted(cits)
    return conflicts


def _prop64_plain(text: str | None) -> bool:
    cit = parse_citation(text or "")
    return bool(cit and cit.kind == "plain" and cit.section in PROP64_SECTIONS)


def classify(person: Person) -> None:
    for c in person.counts:
        c.cit = parse_citation(c.charge_text)
        same_cycle = False
        if c.cit is not None and c.cit.kind == "accessory" and not c.cit.targets:
            same_cycle = c.cycle in person.cycles_with_prop64_plain
        c.cls = classify_count(c.cit, normalise_charge_text(c.charge_text), c.from_comment,
                               c.comment_text, same_cycle)


def iter_people(cur, aux, county: str, batch: int = 20000) -> Iterator[Person]:
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
    for subject, cycle, text in cur.execute(queries.sql("select_accessory_cycles")).fetchall():
        if _prop64_plain(text):
            persons[subject].cycles_with_prop64_plain.add(cycle)
    res = cur.execute(queries.sql("select_counts"))
    current: Person | None = None
    conflicts_of = lambda subject, cnt: _conflicts(aux, subject, cnt)  # noqa: E731
    pending: list[Person] = []
    while True:
        chunk = res.fetchmany(batch)
        if not chunk:
            break
        for row in chunk:
            if current is None or current.subject_id != row[0]:
                if current is not None:
                    pending.append(current)
                current = persons.pop(row[0])  # drop it from the index: memory stays per person
            current.counts.append(_count(row, conflicts_of))
        yield from pending
        pending = []
    if current is not None:
        yield current


def _dicts(cur, sql: str) -> list[dict]:
    res = cur.execute(sql)
    names = [d[0] for d in res.description]
    return [dict(zip(names, r)) for r in res.fetchall()]
