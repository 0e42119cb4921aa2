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
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..domain.doj_columns import DOJ_COLUMNS
from . import catalog as cat
from .fields import (BLANK_PADS, CUTOFF, FIRST_DAY, LAST_DAY, DateText, age_on, padded_variants,
                     quoted)

#: bump when the output for a given (people, seed, county, dirty) changes (bench cache key)
GENERATOR_VERSION = "1"

#: measured data lines per person (clean file, Los Angeles); used to size a file by rows
ROWS_PER_PERSON = 20.9

HEADER = ",".join(DOJ_COLUMNS) + "\n"

#: SUBJECT_IDs are 8 digits, handed out in increasing order with gaps
MAX_PEOPLE = 5_000_000

#: malformation kinds of ``dirty`` files and their relative weights
DIRTY_KINDS = cat.Picker([
    ("wrong_field_count", 25), ("bad_quote", 15), ("bad_date", 25), ("bad_cnt_order", 15),
    ("missing_subject_id", 10),
])
DIRTY_RATE = 0.001
BLANK_LINE_RATE = 0.0002
#: in dirty files these data lines (by RECORD_ID) are always malformed, so even a small demo file
#: shows every quarantine reason; ``None`` puts a blank line before that record instead
FORCED_DIRTY: dict[int, str | None] = {
    37: "bad_date", 61: None, 83: "wrong_field_count", 131: "bad_quote", 177: "bad_cnt_order",
    229: "missing_subject_id", 263: None,
}
BAD_DATES = ("20151345", "19850230", "2015-02-14", "2015021", "1985021A", "20101345")

# -- distribution knobs -------------------------------------------------------------------------
MEAN_EXTRA_CYCLES = 8.0         # cycles per person = 1 + exponential(mean)
MAX_CYCLES = 40
MEAN_GAP_DAYS = 650             # between cycles
P_MARIJUANA_CYCLE = 0.05        # a non-anchor cycle is a cannabis case
P_OTHER_COUNTY = 0.14           # a non-anchor cycle is in another county
P_COURT = 0.85                  # a cycle reaches court
P_DISQUALIFYING = 0.004         # a count is a super strike / sex offense
P_DECEASED = 0.005
P_LONE_REGISTRATION = 0.002     # registration without a registrable conviction in the file

SENT_UNIT = {
    "D": padded_variants("DAYS", 7),
    "M": padded_variants("MONTHS", 9),
    "Y": padded_variants("YEARS", 8),
}
DISMISSALS = cat.Picker([
    ("DISMISSED/CHARGE DROPPED", 70), ("DISMISSED-FURTHERANCE OF JUSTICE", 15),
    ("PROS REL-INSUFFICIENT EVIDENCE", 7), ("ACQUITTED", 3), ("", 5),
])
ARREST_ONLY_DISPS = cat.Picker([
    ("", 80), ("REL/TOT OTHER JURIS/AUTH", 6), ("RELEASED-DETENTION ONLY", 7),
    ("DA REFUSED TO PROSECUTE", 7),
])
LEVEL_WORD = {"F": "FELONY", "M": "MISDEMEANOR", "I": "INFRACTION"}
NOISE_COMMENTS = ("RECORD CORRECTED PER COURT", "DA REJECT", "PER MINUTE ORDER", "SEE ALSO CII")


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
    buf = gen.buf
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
    """State of one generation run: the RNG, counters, per-county agency tables."""

    def __init__(self, seed: int, county: str, dirty: bool):
        self.rng = random.Random(seed)
        self.rnd = rnd = self.rng.random

        def pick(seq):
            """``random.choice`` with one ``random()`` call (much cheaper than ``_randbelow``)."""
            return seq[int(rnd() * len(seq))]

        def below(n: int) -> int:
            return int(rnd() * n)

        self.pick, self.below = pick, below
        self.seed = seed
        self.county = county.strip().upper()
        self.dirty = dirty
        self.buf: list[str] = []
        self.dt = DateText()
        self.record_id = 0
        self.next_subject = 10_000_000 + int(self.rnd() * 5_000_000)
        self.subject_gap = 1
        self.courts = {self.county: cat.Picker([(c, c.weight) for c in cat.courts_for(self.county)])}
        self.police = {self.county: cat.Picker([(c, c.weight) for c in cat.police_for(self.county)])}
        self.other_counties = cat.Picker([
            (name, cat.COUNTY_WEIGHTS.get(name, 0.3)) for name in cat.COUNTY_CODES
            if name != self.county
        ])
        # counters
        self.blank_lines = 0
        self.data_lines = 0
        self.malformed: dict[str, int] = {kind: 0 for kind in DIRTY_KINDS.items}
        self.people_malformed = 0
        self.cycles = 0
        self.convictions = 0
        self.p64_in: dict[str, int] = {}
        self.p64_other = 0
        self.p64_in_pre = 0
        self.deceased = 0
        self.registrations = 0
        # per-person scratch
        self._person_malformed = False

    # -- agencies ---------------------------------------------------------------------------------
    def _court(self, county: str) -> cat.Court:
        picker = self.courts.get(county)
        if picker is None:
            picker = self.courts[county] = cat.Picker([(c, c.weight) for c in cat.courts_for(county)])
        return picker(self.rnd)

    def _agency(self, county: str) -> cat.Court:
        picker = self.police.get(county)
        if picker is None:
            picker = self.police[county] = cat.Picker([(c, c.weight) for c in cat.police_for(county)])
        return picker(self.rnd)

    # -- one person ------------------------------------------------------------------------------
    def person(self) -> None:
        """Plan and write every line of one invented person."""
        rng, rnd = self.rng, self.rnd
        self.next_subject += self.subject_gap
        sid = f"{self.next_subject:08d}"
        self.subject_gap = 1 + int(rnd() * 12)
        self._person_malformed = False

        gender = "M" if rnd() < 0.82 else "F"
        if rnd() < 0.003:
            gender = ""
        year = int(rng.triangular(1930, 2003, 1972))
        dob = date.fromordinal(date(year, 1, 1).toordinal() + int(rnd() * 365))
        r = rnd()
        dob_text = self.dt(dob.toordinal()) if r > 0.006 else (f"{dob.year}0000" if r > 0.003 else "")

        prefix = self._subject_segment(sid, gender, dob_text)
        plans = self._plan_cycles(dob)
        for number, plan in enumerate(plans, start=1):
            self.cycles += 1
            self._write_cycle(prefix, sid, number, plan, dob)
        if self._person_malformed:
            self.people_malformed += 1

    def _subject_segment(self, sid: str, gender: str, dob_text: str) -> str:
        """Columns 2–36 (``SUBJECT_STATUS`` … ``CYC_SEG_SEP``), the same on every row of the person."""
        rnd, pick, below = self.rnd, self.pick, self.below
        if rnd() < 0.004:
            last = pick(cat.ODD_LAST_NAMES)
        else:
            last = pick(cat.LAST_NAMES)
        female = gender == "F"
        first = pick(cat.FEMALE_FIRST if female else cat.MALE_FIRST)
        middles = cat.FEMALE_MIDDLE if female else cat.MALE_MIDDLE
        r = rnd()
        if r < 0.45:
            name = f"{last},{first} {pick(middles)[0]}"
        elif r < 0.75:
            name = f"{last},{first} {pick(middles)}"
        elif r < 0.78:
            name = f"{last},{first} {pick(cat.SUFFIXES)}"
        else:
            name = f"{last},{first}"
        cii = f"{'A' if rnd() < 0.6 else '0'}{below(100_000_000):08d}"
        fbi = f"{below(1_000_000):06d}{pick('ABCDEFGHJK')}{pick('ABCDE')}{below(10)}"
        race_code, race_descr = cat.RACES(rnd)
        eye_c, eye_d = cat.EYES(rnd)
        hair_c, hair_d = cat.HAIR(rnd)
        height = f"{pick('456')}{below(12):02d}" if rnd() < 0.97 else ""
        weight = str(110 + below(180)) if rnd() < 0.97 else ""
        pob_code, pob_name, pob_type = cat.BIRTHPLACES(rnd)
        citizen = "US" if pob_type != "C" else ("" if rnd() < 0.5 else pob_code)
        ssn = f"9{below(100_000_000):08d}" if rnd() < 0.4 else ""  # 9xx: never a valid SSN
        cdl = f"X{below(10_000_000):07d}" if rnd() < 0.5 else ""
        req_cii = cii if rnd() < 0.98 else ""
        return ",".join((
            "", sid, "#", req_cii, "", "", "", "", "", "#", cii, quoted(name), gender, dob_text,
            ssn, cdl, "", "", fbi, "#", race_code, race_descr, eye_c, eye_d, hair_c, hair_d, height,
            weight, "", "", pob_code, pob_name, pob_type, citizen, "#",
        ))

    # -- planning ---------------------------------------------------------------------------------
    def _plan_cycles(self, dob: date) -> list[tuple]:
        """Dated cycles of the person, in date order: ``(ordinal, kind, county, counts, anchor)``.

        ``counts`` is a list of :class:`catalog.Offense` and level letters; dispositions are drawn
        when written. Exactly one crime cycle is the *anchor*: a Prop 64 conviction in the filing
        county.
        """
        rng, rnd, pick, below = self.rng, self.rnd, self.pick, self.below
        dob_ord = dob.toordinal()
        n = 1 + min(MAX_CYCLES - 1, int(rng.expovariate(1.0 / MEAN_EXTRA_CYCLES)))
        if rnd() < 0.03:
            start_age = 15 + rnd() * 3
        else:
            start_age = 18 + min(45.0, rng.expovariate(1 / 7.0))
        day = dob_ord + int(start_age * 365.25)
        if day < FIRST_DAY:
            day = FIRST_DAY + int(rnd() * 900)
        dates = []
        while len(dates) < n and day <= LAST_DAY:
            dates.append(day)
            day += 1 + int(rng.expovariate(1.0 / MEAN_GAP_DAYS))
        if not dates:
            lo = max(FIRST_DAY, dob_ord + 15 * 366)
            dates.append(lo + int(rnd() * max(1, LAST_DAY - lo)))

        pre = [i for i, d in enumerate(dates) if d < CUTOFF]
        anchor = pick(pre) if pre and rnd() < 0.96 else below(len(dates))

        plans: list[tuple] = []
        registrable_on = None
        for i, d in enumerate(dates):
            if i == anchor:
                county = self.county
                counts = self._anchor_counts(d)
            else:
                county = self.county if rnd() >= P_OTHER_COUNTY else self.other_counties(rnd)
                counts = self._counts(d)
            if registrable_on is None and any(o.registrable for o, _ in counts):
                registrable_on = d
            plans.append((d, "crime", county, counts, i == anchor))
        if registrable_on is None and rnd() < P_LONE_REGISTRATION:
            registrable_on = dates[0]
        if registrable_on is not None:
            reg_day = registrable_on + 30 + int(rnd() * 400)
            for _ in range(1 + int(rnd() * 3)):
                if reg_day > LAST_DAY:
                    break
                plans.append((reg_day, "registration", self.county, [], False))
                reg_day += 300 + int(rnd() * 500)
        if rnd() < P_DECEASED:
            last = max(p[0] for p in plans)
            death = last + 200 + int(rnd() * 3000)
            if death <= LAST_DAY:
                plans.append((death, "deceased", self.county, [], False))
        plans.sort(key=lambda p: p[0])
        return plans

    def _anchor_counts(self, day: int) -> list[tuple[cat.Offense, str]]:
        rnd, pick = self.rnd, self.pick
        table = cat.PROP64_OLD if day < CUTOFF else cat.PROP64_NEW
        main = table(rnd)
        counts = [(main, pick(main.levels))]
        if rnd() < 0.16:
            extra = table(rnd)
            counts.append((extra, pick(extra.levels)))
        self._more_counts(counts, 0.3)
        return counts

    def _counts(self, day: int) -> list[tuple[cat.Offense, str]]:
        rnd, pick = self.rnd, self.pick
        r = rnd()
        if r < P_MARIJUANA_CYCLE:
            table = cat.PROP64_OLD if day < CUTOFF else cat.PROP64_NEW
            main = table(rnd) if rnd() < 0.93 else cat.PROP64_ODD(rnd)
        elif r < P_MARIJUANA_CYCLE + P_DISQUALIFYING:
            main = cat.DISQUALIFYING(rnd)
        else:
            main = cat.GENERAL(rnd)
        counts = [(main, pick(main.levels))]
        self._more_counts(counts, 0.4)
        return counts

    def _more_counts(self, counts: list, p_more: float) -> None:
        rnd, pick = self.rnd, self.pick
        while len(counts) < 8 and rnd() < p_more:
            extra = cat.GENERAL(rnd) if rnd() < 0.97 else cat.PROP64_ODD(rnd)
            counts.append((extra, pick(extra.levels)))
            p_more *= 0.6

    # -- writing ----------------------------------------------------------------------------------
    def _emit(self, prefix: str, cyc: str, stp: str, cnt: str, sent: str, tail: str) -> bool:
        """Append one line; in dirty mode maybe malform it. True if the line stays valid."""
        rnd = self.rnd
        self.record_id += 1
        self.data_lines += 1
        if self.dirty:
            forced = FORCED_DIRTY.get(self.record_id, "")
            if forced is None or rnd() < BLANK_LINE_RATE:
                self.buf.append("   \n" if rnd() < 0.5 else "\n")
                self.blank_lines += 1
            if forced or rnd() < DIRTY_RATE:
                return self._emit_bad(prefix, cyc, stp, cnt, sent, tail, forced)
        self.buf.append(f"{self.record_id:07d},{prefix},{cyc},{stp},{cnt},{sent},{tail}\n")
        return True

    def _emit_bad(self, prefix: str, cyc: str, stp: str, cnt: str, sent: str, tail: str,
                  kind: str | None = None) -> bool:
        """Append a malformed version of the line (``kind`` or a random kind); always False."""
        rnd, pick = self.rnd, self.pick
        kind = kind or DIRTY_KINDS(rnd)
        self.malformed[kind] += 1
        if kind != "missing_subject_id":
            self._person_malformed = True
        if kind == "missing_subject_id":
            prefix = "," + ("  " if rnd() < 0.5 else "") + prefix[prefix.index(",", 1):]
        elif kind == "bad_cnt_order":
            cnt = pick(("10100", cnt[:10], cnt[:11], "")) + cnt[12:]
        elif kind == "bad_date":
            bad = pick(BAD_DATES)
            where = rnd()
            if where < 0.4:
                cyc = cyc[:4] + bad + cyc[cyc.index(",", 4):]
            elif where < 0.7:
                stp = stp[:4] + bad + stp[stp.index(",", 4):]
            else:
                cnt = cnt[:13] + bad + cnt[cnt.index(",", 13):]
        line = f"{self.record_id:07d},{prefix},{cyc},{stp},{cnt},{sent},{tail}"
        if kind == "wrong_field_count":
            line = line[:-2] if rnd() < 0.6 else line + ","
        elif kind == "bad_quote":
            start = line.index(',"') + 2
            end = line.index('"', start)
            line = line[:end] + line[end + 1:]          # name quote never closed
        self.buf.append(line + "\n")
        return False

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
        cyc_no = f"{number:03d}"
        cyc_seg = f"{cyc_no},{self._date_text(day, kind == 'crime')},#"
        age = age_on(dob, day)
        age_text = str(age) if 0 <= age <= 120 and rnd() > 0.02 else ""
        cnty_code = cat.county_code(county)

        if kind != "crime":
            self._write_event(prefix, cyc_no, cyc_seg, day, kind, county, cnty_code, age_text)
            return

        has_court = anchor or rnd() < P_COURT
        has_arrest = not has_court or rnd() < 0.95
        step = 0
        if has_arrest:
            step += 1
            agency = self._agency(county)
            stp_seg = (f"{step:03d},{self.dt(day)},,ARREST/DETAINED/CITED,P,POLICE DEPARTMENT,"
                       f"{agency.ori},{agency.descr},{cnty_code},{county},#")
            disp = "" if has_court else ARREST_ONLY_DISPS(rnd)
            booking = f"{cnty_code}{below(100_000_000):08d}"
            for c, (offense, level) in enumerate(counts, start=1):
                descr, comment = self._charge_text(offense)
                stat = LEVEL_WORD[level] if rnd() < 0.05 else ""
                cnt_seg = (f"{cyc_no}{step:03d}{c:03d}000,,,{offense.code},{descr},{level},"
                           f"{self._qual()},,,,,,,,,,,,,,,,{booking},,,,,,,,{disp},,{stat},#")
                self._emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,{comment},#")
        if not has_court:
            return

        step += 1
        court = self._court(county)
        court_day = min(LAST_DAY, day + int(rng.expovariate(1 / 60.0)))
        court_text = self.dt(court_day)
        stp_text = court_text if rnd() > 0.004 else "00000000"
        county_text = county if rnd() > 0.005 else quoted(county.title() + " ")
        stp_seg = (f"{step:03d},{stp_text},,COURT ACTION,C,COURT,{court.ori},{court.descr},"
                   f"{cnty_code},{county_text},#")
        case = self._case_number(court, max(counts, key=lambda c: "IMF".index(c[1]))[1], court_day)
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
            descr, comment = self._charge_text(offense)
            cnt_order = f"{cyc_no}{step:03d}{c:03d}000"
            if not convicted:
                cnt_seg = (f"{cnt_order},{court_text},{ofn},{offense.code},{descr},{level},"
                           f"{self._qual()},,,,,,,,,,,,,,,,,,,,{crt_case},,001,,{DISMISSALS(rnd)},,,#")
                self._emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,{comment},#")
                continue
            disp, parts = self._sentence(level, offense)
            toc, stat = self._level_fields(level)
            cnt_seg = (f"{cnt_order},{court_text},{ofn},{offense.code},{descr},{toc},"
                       f"{self._qual()},,,,,,,,,,,,,,,,,,,,{crt_case},,001,,{disp},"
                       f"{BLANK_PADS[0] if rnd() < 0.1 else ''},{stat},#")
            tail = f"{age_text},,,{comment},#"
            intact = False
            if not parts:
                intact = self._emit(prefix, cyc_seg, stp_seg, cnt_seg,
                                    ",,,,," if rnd() < 0.7 else ",,,,," + BLANK_PADS[2], tail)
            for order, part in enumerate(parts, start=1):
                ok = self._emit(prefix, cyc_seg, stp_seg, cnt_seg, f"{order:03d},{part}", tail)
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
            agency = self._agency(county)
            stp_seg = (f"001,{day_text},,REGISTRATION,S,SHERIFF,{agency.ori},{agency.descr},"
                       f"{cnty_code},{county},#")
            cnt_seg = ",".join((f"{cyc_no}001001000", day_text, "", "", cat.REGISTRATION_TEXT,
                                *[""] * 28, "#"))
        else:
            self.deceased += 1
            stp_seg = (f"001,{day_text},,DECEASED,O,CORONER,CA0{cnty_code}0007,CACO {county},"
                       f"{cnty_code},{county},#")
            cnt_seg = ",".join((f"{cyc_no}001001000", day_text, *[""] * 31, "#"))
        self._emit(prefix, cyc_seg, stp_seg, cnt_seg, ",,,,,", f"{age_text},,,,#")

    # -- field helpers ----------------------------------------------------------------------------
    def _charge_text(self, offense: cat.Offense) -> tuple[str, str]:
        """(``OFFENSE_DESCR``, ``COMMENT_TEXT``): usually the text; sometimes the charge is only in
        the comment (``SEE COMMENT FOR CHARGE`` or blank), rarely an unrelated note."""
        r = self.rnd()
        if r < 0.988:
            return offense.text, ""
        if r < 0.996:
            return cat.SEE_COMMENT, cat.short_comment(offense)
        if r < 0.998:
            return "", cat.short_comment(offense)
        return offense.text, self.pick(NOISE_COMMENTS)

    def _qual(self) -> str:
        r = self.rnd()
        return BLANK_PADS[1 + int(r * 16)] if r < 0.3 else ""

    def _level_fields(self, level: str) -> tuple[str, str]:
        """(``OFFENSE_TOC``, ``CONV_STAT_DESCR``) of a conviction row, with DOJ's irregularities."""
        r = self.rnd()
        word = LEVEL_WORD[level]
        if r < 0.92:
            return level, word
        if r < 0.94:
            return level, word + " "
        if r < 0.95:
            return level, quoted("  " + word + "  ")
        if r < 0.985:
            return level, ""                 # level only in OFFENSE_TOC
        if r < 0.9985:
            return ("", level)               # the letter in CONV_STAT_DESCR, TOC blank
        return "", ""                        # level unknown

    def _sentence(self, level: str, offense: cat.Offense) -> tuple[str, list[str]]:
        """(``DISP_DESCR``, sentence parts as ``LOC_CODE,LOC_DESCR,LENGTH,UNIT,UNIT_DESCR``)."""
        rnd, pick = self.rnd, self.pick
        if offense.severe:
            if rnd() < 0.5:
                return "CONVICTED-PRISON", ["S,PRISON,,,LIFE"]
            return "CONVICTED-PRISON", [self._part("S", "PRISON", pick((15, 25, 30)), "Y")]
        r = rnd()
        if level == "F":
            if r < 0.5:
                parts = [self._part("P", "PROBATION", *pick(((36, "M"), (60, "M"), (3, "Y"),
                                                                    (5, "Y"), (24, "M"))))]
                if rnd() < 0.6:
                    parts.append(self._part("J", "JAIL", pick((90, 120, 180, 270, 365)), "D"))
                return "CONVICTED-PROBATION", parts
            if r < 0.8:
                length, unit = pick(((16, "M"), (2, "Y"), (3, "Y"), (4, "Y"), (5, "Y"), (6, "Y"),
                                           (8, "Y"), (32, "M")))
                return "CONVICTED-PRISON", [self._part("S", "PRISON", length, unit)]
            parts = [self._part("J", "JAIL", *pick(((90, "D"), (180, "D"), (365, "D"),
                                                           (6, "M"), (12, "M"))))]
            if rnd() < 0.3:
                parts.append(self._part("P", "PROBATION", 36, "M"))
            return "CONVICTED-JAIL", parts
        if level == "M":
            if r < 0.45:
                parts = [self._part("P", "PROBATION", pick((12, 24, 36)), "M")]
                if rnd() < 0.5:
                    parts.append(self._part("J", "JAIL", pick((1, 2, 10, 30, 45, 60, 90, 180)), "D"))
                return "CONVICTED-PROBATION", parts
            if r < 0.85:
                return "CONVICTED-JAIL", [self._part("J", "JAIL", pick((1, 5, 10, 30, 60, 90, 120,
                                                                              180, 365)), "D")]
            return "CONVICTED-FINE", []
        if r < 0.9:
            return "CONVICTED-FINE", []
        return "CONVICTED-PROBATION", [self._part("P", "PROBATION", 12, "M")]

    def _part(self, loc_code: str, loc_descr: str, length: int, unit: str) -> str:
        r = self.rnd()
        variants = SENT_UNIT[unit]
        descr = variants[0] if r < 0.4 else (variants[1] if r < 0.8 else variants[2])
        code = unit if r < 0.98 else ""
        return f"{loc_code},{loc_descr},{length},{code},{descr}"

    def _case_number(self, court: cat.Court, level: str, day: int) -> str:
        below = self.below
        year = date.fromordinal(day).year
        if len(court.fel_prefix) == 2:        # Los Angeles styles: BA123456 / 6CJ40037
            if level == "F":
                return f"{court.fel_prefix}{below(1_000_000):06d}"
            return f"{year % 10}{court.misd_code}{below(100_000):05d}"
        kind = "F" if level == "F" else "M"
        return f"{year % 100:02d}{kind}{below(100_000):05d}"

    # -- summary -----------------------------------------------------------------------------------
    def summary(self, path: Path, people: int) -> dict:
        malformed = sum(self.malformed.values())
        p64_in = sum(self.p64_in.values())
        return {
            "path": str(path),
            "bytes": path.stat().st_size,
            "lines": 1 + self.blank_lines + self.data_lines,
            "header_lines": 1,
            "blank_lines": self.blank_lines,
            "data_lines": self.data_lines,
            "rows": self.data_lines - malformed,
            "malformed_lines": malformed,
            "malformed_by_kind": {k: v for k, v in self.malformed.items() if v},
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
