"""Synthetic DOJ research files (``doj-research-file.md``) at any scale, deterministic per seed.

``generate(path, people, seed)`` writes a header line and, per invented person, the rows DOJ would
deliver: one row per count × step, extra rows for multi-part sentences, registration and death
steps. Every person has at least one Prop 64 conviction in the filing county (that is why DOJ sent
their record) plus a criminal history of other charges, other counties and odd charge texts.

The file is written line by line through a buffer (memory does not grow with ``people``) to
``<path>.part`` and renamed when complete. All randomness comes from one ``random.Random(seed)``:
the same arguments always give the same bytes.

With ``dirty=True`` about 0.1 % of the data lines are malformed the ways the importer must
quarantine (wrong field count, broken quote, bad date, short ``CNT_ORDER``, blank ``SUBJECT_ID``) and
a few blank lines are added (data lines 37–229 of any dirty file always carry one of each kind, so
a small demo file shows every reason); the summary counts them per kind.

The tuning targets a Los Angeles-scale delivery: ``people=53_000`` gives about 1.1 million rows and
about 66,000 Prop 64 convictions in the filing county.

This module lays out the rows of each cycle and keeps the summary; the rest is shared out:
``people.py`` invents a person (name, descriptors, identifiers), ``cycles.py`` plans their history
from the charges of ``offenses.py``, ``agencies.py`` draws courts, police agencies and case numbers,
``count_fields.py`` the irregular fields of a count row (charge text, level, disposition, sentence),
``rows.py`` numbers the lines and, in a dirty file, malforms some; ``fields.py`` formats dates and
padding. All of them draw from one :class:`~.dice.Dice`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..domain.doj_columns import DOJ_COLUMNS
from .agencies import Agencies, county_code
from .count_fields import ARREST_ONLY_DISPS, DISMISSALS, LEVEL_WORD, CountFields
from .cycles import CyclePlanner
from .dice import Dice
from .fields import BLANK_PADS, CUTOFF, LAST_DAY, DateText, age_on, quoted
from .offenses import REGISTRATION_TEXT
from .people import invent_person
from .rows import RowWriter

#: bump when the output for a given (people, seed, county, dirty) changes (bench cache key)
GENERATOR_VERSION = "1"

#: measured data lines per person (clean file, Los Angeles); used to size a file by rows
ROWS_PER_PERSON = 20.9

HEADER = ",".join(DOJ_COLUMNS) + "\n"

#: SUBJECT_IDs are 8 digits, handed out in increasing order with gaps
MAX_PEOPLE = 5_000_000

#: a crime cycle reaches court (the anchor always does)
P_COURT = 0.85

ProgressLike = Any  # an object with .update(done, total, message) or a callable(done, total, msg)


def _progress_fn(progress: ProgressLike | None) -> Callable[[int, int, str], None] | None:
    if progress is None:
        return None
    if hasattr(progress, "update"):
        return progress.update
    return progress


def people_for_rows(rows: int) -> int:
    """How many people give a (clean) file of about ``rows`` data lines."""
    return max(1, round(rows / ROWS_PER_PERSON))


def generate(out_path: str | os.PathLike, people: int, seed: int, county: str = "LOS ANGELES",
             dirty: bool = False, progress: ProgressLike | None = None) -> dict:
    """Write a synthetic DOJ research file and return its summary.

    Summary keys: ``path``, ``bytes``, ``lines`` (physical lines), ``header_lines``, ``blank_lines``,
    ``data_lines``, ``rows`` (data lines that should import), ``malformed_lines``,
    ``malformed_by_kind``, ``people``, ``people_with_malformed_lines``, ``cycles``,
    ``conviction_counts``, ``prop64_counts_in_county`` (convictions of any ``prop64…`` class,
    ``eligibility.md`` §4, in the filing county and with at least one intact row),
    ``prop64_counts_in_county_by_class``, ``prop64_counts_other_counties``,
    ``prop64_counts_in_county_pre_cutoff`` (offense before 9 Nov 2016 by cycle date), ``deceased``,
    ``registrations``, and the arguments.
    """
    if not 0 <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between 0 and {MAX_PEOPLE:,}")
    out = Path(out_path)
    tmp = out.with_name(out.name + ".part")
    report = _progress_fn(progress)
    gen = _Generator(seed, county, dirty)
    step = max(1, min(5000, people // 100 or 1))
    buf = gen.rows.buf
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            fh.write(HEADER)
            for i in range(people):
                gen.person()
                if len(buf) >= 4096:
                    fh.write("".join(buf))
                    buf.clear()
                if report is not None and (i + 1) % step == 0:
                    report(i + 1, people, "Generating synthetic DOJ file")
            fh.write("".join(buf))
            buf.clear()
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if report is not None:
        report(people, people, "Generated")
    return gen.summary(out, people)


class _Generator:
    """State of one generation run: the dice, the helpers drawing from them, the counters."""

    def __init__(self, seed: int, county: str, dirty: bool):
        self.dice = dice = Dice(seed)
        self.rng, self.rnd, self.below = dice.rng, dice.rnd, dice.below
        self.seed = seed
        self.county = county.strip().upper()
        self.dirty = dirty
        self.dt = DateText()
        self.rows = RowWriter(dice, dirty)
        self.next_subject = 10_000_000 + int(self.rnd() * 5_000_000)
        self.subject_gap = 1
        self.agencies = Agencies(dice)
        self.planner = CyclePlanner(dice, self.county)
        self.fields = CountFields(dice)
        # counters
        self.people_malformed = 0
        self.cycles = 0
        self.convictions = 0
        self.p64_in: dict[str, int] = {}
        self.p64_other = 0
        self.p64_in_pre = 0
        self.deceased = 0
        self.registrations = 0

    # -- one person ------------------------------------------------------------------------------
    def person(self) -> None:
        """Plan and write every line of one invented person."""
        self.next_subject += self.subject_gap
        sid = f"{self.next_subject:08d}"
        self.subject_gap = 1 + int(self.rnd() * 12)
        self.rows.person_malformed = False
        prefix, dob = invent_person(self.dice, self.dt, sid)
        plans = self.planner.plan(dob)
        for number, plan in enumerate(plans, start=1):
            self.cycles += 1
            self._write_cycle(prefix, sid, number, plan, dob)
        if self.rows.person_malformed:
            self.people_malformed += 1

    # -- writing ----------------------------------------------------------------------------------
    def _date_text(self, day: int, placeholders: bool) -> str:
        if placeholders:
            r = self.rnd()
            if r < 0.035:
                dt = self.dt(day)
                if r < 0.015:
                    return "x       "
                if r < 0.02:
                    return "00000000"
                if r < 0.03:
                    return dt[:4] + "0000"
                return dt[:6] + "00"
        return self.dt(day)

    def _write_cycle(self, prefix: str, sid: str, number: int, plan: tuple, dob: date) -> None:
        day, kind, county, counts, anchor = plan
        rng, rnd, below = self.rng, self.rnd, self.below
        emit, fields = self.rows.emit, self.fields
        cyc_no = f"{number:03d}"
        cyc_seg = f"{cyc_no},{self._date_text(day, kind == 'crime')},#"
        age = age_on(dob, day)
        age_text = str(age) if 0 <= age <= 120 and rnd() > 0.02 else ""
        cnty_code = county_code(county)

        if kind != "crime":
            self._write_event(prefix, cyc_no, cyc_seg, day, kind, county, cnty_code, age_text)
            return

        has_court = anchor or rnd() < P_COURT
        has_arrest = not has_court or rnd() < 0.95
        step = 0
        if has_arrest:
            step += 1
            agency = self.agencies.police(county)
            stp_seg = (f"{step:03d},{self.dt(day)},,ARREST/DETAINED/CITED,P,POLICE DEPARTMENT,"
                       f"{agency.ori},{agency.descr},{cnty_code},{county},#")
            disp = "" if has_court else ARREST_ONLY_DISPS(rnd)
            booking = f"{cnty_code}{below(100_000_000):08d}"
            for c, (offense, level) in enumerate(counts, start=1):
                descr, comment = fields.charge_text(offense)
                stat = LEVEL_WORD[level] if rnd() < 0.05 else ""
                cnt_seg = (f"{cyc_no}{step:03d}{c:03d}000,,,{offense.code},{descr},{level},"
                           f"{fields.qual()},,,,,,,,,,,,,,,,{booking},,,,,,,,{disp},,{stat},#")
                emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,{comment},#")
        if not has_court:
            return

        step += 1
        court = self.agencies.court(county)
        court_day = min(LAST_DAY, day + int(rng.expovariate(1 / 60.0)))
        court_text = self.dt(court_day)
        stp_text = court_text if rnd() > 0.004 else "00000000"
        county_text = county if rnd() > 0.005 else quoted(county.title() + " ")
        stp_seg = (f"{step:03d},{stp_text},,COURT ACTION,C,COURT,{court.ori},{court.descr},"
                   f"{cnty_code},{county_text},#")
        case = self.agencies.case_number(court, max(counts, key=lambda c: "IMF".index(c[1]))[1], court_day)
        r = rnd()
        if r < 0.02:
            ofn, crt_case = "NULL", case
        elif r < 0.025:
            ofn, crt_case = "NULL  ", case
        elif r < 0.03:
            ofn, crt_case = "", case
        elif r < 0.032:
            ofn, crt_case = "", ""
        else:
            ofn, crt_case = case, case
        plain_p64_in_cycle = any(o.p64 in ("prop64", "prop64_code_unclear") for o, _ in counts)
        in_county = county == self.county
        for c, (offense, level) in enumerate(counts, start=1):
            if c == 1:
                convicted = anchor or rnd() < 0.8
            else:
                convicted = rnd() < 0.45
            descr, comment = fields.charge_text(offense)
            cnt_order = f"{cyc_no}{step:03d}{c:03d}000"
            if not convicted:
                cnt_seg = (f"{cnt_order},{court_text},{ofn},{offense.code},{descr},{level},"
                           f"{fields.qual()},,,,,,,,,,,,,,,,,,,,{crt_case},,001,,{DISMISSALS(rnd)},,,#")
                emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,{comment},#")
                continue
            disp, parts = fields.sentence(level, offense)
            toc, stat = fields.level_fields(level)
            cnt_seg = (f"{cnt_order},{court_text},{ofn},{offense.code},{descr},{toc},"
                       f"{fields.qual()},,,,,,,,,,,,,,,,,,,,{crt_case},,001,,{disp},"
                       f"{BLANK_PADS[0] if rnd() < 0.1 else ''},{stat},#")
            tail = f"{age_text},,,{comment},#"
            intact = False
            if not parts:
                intact = emit(prefix, cyc_seg, stp_seg, cnt_seg,
                              ",,,,," if rnd() < 0.7 else ",,,,," + BLANK_PADS[2], tail)
            for order, part in enumerate(parts, start=1):
                ok = emit(prefix, cyc_seg, stp_seg, cnt_seg, f"{order:03d},{part}", tail)
                intact = intact or ok
            if not intact:
                continue
            self.convictions += 1
            cls = offense.p64
            if cls is None and plain_p64_in_cycle and offense.text.startswith("32 PC"):
                cls = "prop64_accessory"
            if cls is not None:
                if in_county:
                    self.p64_in[cls] = self.p64_in.get(cls, 0) + 1
                    if day < CUTOFF:
                        self.p64_in_pre += 1
                else:
                    self.p64_other += 1

    def _write_event(self, prefix: str, cyc_no: str, cyc_seg: str, day: int, kind: str,
                     county: str, cnty_code: str, age_text: str) -> None:
        """A one-row cycle: PC 290 registration or death."""
        day_text = self.dt(day)
        if kind == "registration":
            self.registrations += 1
            agency = self.agencies.police(county)
            stp_seg = (f"001,{day_text},,REGISTRATION,S,SHERIFF,{agency.ori},{agency.descr},"
                       f"{cnty_code},{county},#")
            cnt_seg = ",".join((f"{cyc_no}001001000", day_text, "", "", REGISTRATION_TEXT,
                                *[""] * 28, "#"))
        else:
            self.deceased += 1
            stp_seg = (f"001,{day_text},,DECEASED,O,CORONER,CA0{cnty_code}0007,CACO {county},"
                       f"{cnty_code},{county},#")
            cnt_seg = ",".join((f"{cyc_no}001001000", day_text, *[""] * 31, "#"))
        self.rows.emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,,#")

    # -- summary -----------------------------------------------------------------------------------
    def summary(self, path: Path, people: int) -> dict:
        malformed = sum(self.rows.malformed.values())
        p64_in = sum(self.p64_in.values())
        return {
            "path": str(path),
            "bytes": path.stat().st_size,
            "lines": 1 + self.rows.blank_lines + self.rows.data_lines,
            "header_lines": 1,
            "blank_lines": self.rows.blank_lines,
            "data_lines": self.rows.data_lines,
            "rows": self.rows.data_lines - malformed,
            "malformed_lines": malformed,
            "malformed_by_kind": {k: v for k, v in self.rows.malformed.items() if v},
            "people": people,
            "people_with_malformed_lines": self.people_malformed,
            "cycles": self.cycles,
            "conviction_counts": self.convictions,
            "prop64_counts_in_county": p64_in,
            "prop64_counts_in_county_by_class": dict(sorted(self.p64_in.items())),
            "prop64_counts_in_county_pre_cutoff": self.p64_in_pre,
            "prop64_counts_other_counties": self.p64_other,
            "registrations": self.registrations,
            "deceased": self.deceased,
            "seed": self.seed,
            "county": self.county,
            "dirty": self.dirty,
            "generator_version": GENERATOR_VERSION,
        }
