"""Counts and people read from the workspace for one evaluation (eligibility.md 4-6).

SQL (store/sql/select_*.sql) does the grouping over millions of rows; this module turns the
result into small Python objects per person and attaches what only Python can read: the parsed
citation and the class of every count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Callable, Iterator

from ..store import queries
from .citation import Citation, normalise_charge_text, parse_citation
from .classify import Classification, classify_count, is_prop64_class
from .dates import UNKNOWN, DateValue, from_day
from .totals import Totals, of_counts, totals_of, totals_rows

PROP64_SECTIONS = ("11357", "11358", "11359", "11360")


@dataclass(slots=True)
class Count:
    """One conviction count with the facts of its first row that the rules read (the facts only
    shown in the results are added in SQL when the results are saved: rules/results.py)."""

    subject_id: str
    cnt_order: str
    row_seq: int
    charge_text: str
    from_comment: bool
    comment_text: str
    level: str
    cyc: DateValue
    cyc_recorded: bool
    conviction: DateValue
    county: str
    case_number: str
    cyc_age: int | None
    conflicts: dict[str, list[str]]
    sentence: tuple  # (n_parts, n_invalid, end_lo, end_hi) from SQL
    cit: Citation | None = None
    cls: Classification | None = None
    #: the class is one of the Prop 64 classes (set with ``cls`` by :func:`classify`)
    is_prop64: bool = False
    #: relief path and sentence end text: set by the engine for the counts it evaluates
    path: str = "unknown"
    sentence_end: str = "unknown"

    @property
    def cycle(self) -> str:
        return self.cnt_order[:3]

    @property
    def code_section(self) -> str:
        return self.cit.text if self.cit else normalise_charge_text(self.charge_text)

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
    #: sums over all the person's counts, set when only some counts are loaded (iter_people)
    totals: Totals | None = None

    def totals_at(self, as_of: date) -> Totals:
        """The sums over all counts: as loaded from SQL, else made from ``counts`` (all loaded)."""
        return self.totals if self.totals is not None else of_counts(self.counts, as_of)


def _count(r: tuple, conflicts_of, dv) -> Count:
    """A Count from one row of select_eval_counts.sql (column order documented there; dates as day
    numbers); ``dv`` makes the date values (one shared object per distinct (lo, hi))."""
    c = Count(r[0], r[1], r[2], r[3] or "", bool(r[4]), r[5] or "", r[6], dv(r[7], r[8]), bool(r[9]),
              dv(r[10], r[11]), r[12] or "", r[13] or "", r[14], {},
              (r[16], r[17], from_day(r[18]), from_day(r[19])))
    if r[15]:
        c.conflicts = conflicts_of(c.subject_id, c.cnt_order)
    return c


def date_values() -> Callable[[int | None, int | None], DateValue]:
    """``dv(lo, hi)``: the DateValue of a (lo, hi) pair of day numbers from SQL (``cmr_day``;
    UNKNOWN when lo is NULL), made once per distinct pair (a run reads ~10^5 distinct pairs for
    ~10^6 dates), so that its text (dates.format_date, kept on the value) is made once too."""
    cache: dict = {}
    get = cache.get

    def dv(lo: int | None, hi: int | None) -> DateValue:
        if lo is None:
            return UNKNOWN
        found = get((lo, hi))
        if found is None:
            found = cache[(lo, hi)] = DateValue(from_day(lo), from_day(hi))
        return found
    return dv


def _conflicts_of(cur, kept: str) -> Callable[[str, str], dict[str, list[str]]]:
    """``conflicts_of(subject_id, cnt_order)``: the disagreements of a conflicting count read
    (select_count_conflicts.sql, one query for all of them)."""
    found = {(r[0], r[1]): r[2:] for r in cur.execute(
        queries.sql("select_count_conflicts").replace("{kept}", kept)).fetchall()}
    return lambda subject_id, cnt_order: _conflicts(*found.get((subject_id, cnt_order), ((), (), ())))


def _conflicts(levels: list, dates: list, texts: list) -> dict[str, list[str]]:
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
    """Citation, class and ``is_prop64`` of every count of the person."""
    for c in person.counts:
        c.cit, c.cls, c.is_prop64 = classified(c.charge_text, c.from_comment, c.comment_text,
                                                c.cycle in person.cycles_with_prop64_plain)


@lru_cache(maxsize=1 << 16)
def classified(charge_text: str, from_comment: bool, comment_text: str,
                cycle_has_prop64_plain: bool) -> tuple[Citation | None, Classification, bool]:
    """(citation, class, is a Prop 64 class) of a count: pure, so cached per distinct input."""
    cit = parse_citation(charge_text)
    same_cycle = False
    if cit is not None and cit.kind == "accessory" and not cit.targets:
        same_cycle = cycle_has_prop64_plain
    cls = classify_count(cit, normalise_charge_text(charge_text), from_comment, comment_text, same_cycle)
    return cit, cls, is_prop64_class(cls)


#: ``keep(charge_text, from_comment, comment_text, level)``: whether the rules can read a count
#: with these facts (statutory.may_be_read)
Keep = Callable[[str, bool, str, str], bool]


#: What is read of a person before their counts, as plain values (cheap to keep for ~10^5 people and
#: to hand to another process; :func:`make_person` makes the Person when it is needed):
#: [select_persons.sql row, registrations (cnt_order, lo, hi, case number) or None, quarantined lines
#: (file name, line) or None, cycles with a plain Prop 64 citation or None, totals row or None]
#: (dates as day numbers)
Shell = list

#: ``take(shell, rows, conflicts_of)``: whether another decider takes the person of ``shell``, whose
#: counts are the ``rows`` of select_eval_counts.sql (``conflicts_of(subject_id, cnt_order)`` reads a
#: conflicting count's disagreements); the person is then not made here
Take = Callable[[Shell, list, Callable[[str, str], dict]], bool]


def iter_people(cur, county: str, batch: int = 20000, *, keep: Keep | None = None,
                as_of: date | None = None, on_people: Callable[[int], None] | None = None,
                take: Take | None = None) -> Iterator[Person]:
    """People who may have an evaluated count, with all their counts (all counties), or with
    ``keep`` only the counts it accepts (decided once per distinct value) plus, as
    ``Person.totals`` at ``as_of``, the sums over all their counts. ``on_people`` is told how many
    people there may be (an upper bound: people without a count read are not given) before the
    first is given; people ``take`` accepts are not given (rules/decide_split.py)."""
    cur.execute(queries.sql("select_eval_subjects"), {"county": county})
    shells: dict[str, Shell] = {r[0]: [r, None, None, None, None]
                                for r in cur.execute(queries.sql("select_persons")).fetchall()}
    for subject, cnt_order, text, lo, hi, ofn in cur.execute(queries.sql("select_registrations")).fetchall():
        cit = parse_citation(text or "")
        if cit and (cit.section == "290" or cit.section.startswith("290.")):
            _add(shells[subject], 1, (cnt_order, lo, hi, ofn or ""))
    for subject, file_name, line in cur.execute(
            "SELECT q.subject_guess, b.file_name, q.line_no FROM quarantine q "
            "JOIN import_batch b USING (batch_id) "
            "WHERE q.subject_guess IN (SELECT subject_id FROM eval_subjects) ORDER BY b.batch_id, q.line_no"
    ).fetchall():
        _add(shells[subject], 2, (file_name, line))
    for subject, cycle, text in cur.execute(queries.sql("select_accessory_cycles")).fetchall():
        if _prop64_plain(text):
            shell = shells[subject]
            if shell[3] is None:
                shell[3] = set()
            shell[3].add(cycle)
    if on_people is not None:
        on_people(len(shells))
    cur.execute(queries.sql("create_eval_counts"))
    kept = ""
    if keep is not None:
        if as_of is None:
            raise ValueError("iter_people: keep needs as_of (for the totals)")
        for row in totals_rows(cur, as_of):
            shells[row[0]][4] = row
        kept = _kept_counts(cur, keep)
    conflicts_of = _conflicts_of(cur, kept)
    res = cur.execute(queries.sql("select_eval_counts").replace("{kept}", kept))
    yield from _people(res, shells, conflicts_of, batch, take)


def _add(shell: Shell, slot: int, value: tuple) -> None:
    if shell[slot] is None:
        shell[slot] = []
    shell[slot].append(value)


def make_person(shell: Shell, dv) -> Person:
    """The Person of a shell (without counts; ``dv``: :func:`date_values`)."""
    (subject_id, n_dob, dob_lo, dob_hi, deceased, race), regs, quarantined, cycles, totals = shell
    person = Person(subject_id, dob=dv(dob_lo, dob_hi) if n_dob == 1 else UNKNOWN, dob_conflict=n_dob > 1,
                    deceased=bool(deceased), race=race or "")
    if regs:
        person.registrations = [Registration(cnt_order, dv(lo, hi), case) for cnt_order, lo, hi, case in regs]
    if quarantined:
        person.quarantined_lines = quarantined
    if cycles:
        person.cycles_with_prop64_plain = cycles
    if totals is not None:
        person.totals = totals_of(totals)
    return person


def _kept_counts(cur, keep: Keep) -> str:
    """The filter of eval_count to the counts ``keep`` accepts (their charge facts are left in
    temp table eval_count_text)."""
    cur.execute(queries.sql("create_count_texts"))
    kept = [text_id for text_id, text, from_comment, comment, level in cur.execute(
        "SELECT text_id, charge_text, from_comment, comment_text, level FROM eval_count_text").fetchall()
        if keep(text or "", bool(from_comment), comment or "", level)]
    cur.execute("DELETE FROM eval_count_text WHERE NOT list_contains(?, text_id)", [kept])
    return ("SEMI JOIN eval_count_text t ON eval_count.charge_text IS NOT DISTINCT FROM t.charge_text "
            "AND eval_count.from_comment IS NOT DISTINCT FROM t.from_comment "
            "AND eval_count.comment_text IS NOT DISTINCT FROM t.comment_text "
            "AND eval_count.level IS NOT DISTINCT FROM t.level")


def _people(res, shells: dict[str, Shell], conflicts_of, batch: int, take: Take | None = None) -> Iterator[Person]:
    """The people of ``shells`` with the count rows of ``res`` (ordered by subject), each made and
    given up once its counts are read (memory stays per person); a person ``take`` accepts (with
    its rows) is not made here."""
    dv = date_values()
    current: Shell | None = None
    rows: list[tuple] = []
    pending: list[Person] = []

    def finish(shell: Shell) -> None:
        if take is None or not take(shell, rows, conflicts_of):
            pending.append(build_person(make_person(shell, dv), rows, conflicts_of, dv))

    subject = None
    while True:
        chunk = res.fetchmany(batch)
        if not chunk:
            break
        for row in chunk:
            if row[0] != subject:
                if current is not None:
                    finish(current)
                    rows = []
                subject = row[0]
                current = shells.pop(subject)  # drop it from the index: memory stays per person
            rows.append(row)
        yield from pending
        pending = []
    if current is not None:
        finish(current)
        yield from pending


def build_person(person: Person, rows: list[tuple], conflicts_of, dv) -> Person:
    """``person`` with the counts of its rows of select_eval_counts.sql (as given to a ``take``)."""
    person.counts = [_count(r, conflicts_of, dv) for r in rows]
    return person
