"""The criminal history of an invented person: dated cycles (arrest and court events), which one is
the *anchor* Prop 64 conviction in the filing county, and the counts of each cycle.

A plan holds no text; ``generator.py`` writes each cycle's rows.
"""

from __future__ import annotations

from datetime import date

from .agencies import COUNTY_CODES, COUNTY_WEIGHTS
from .dice import Dice, Picker
from .fields import CUTOFF, FIRST_DAY, LAST_DAY
from .offenses import DISQUALIFYING, GENERAL, PROP64_NEW, PROP64_ODD, PROP64_OLD, Offense

# -- distribution knobs -------------------------------------------------------------------------
MEAN_EXTRA_CYCLES = 8.0         # cycles per person = 1 + exponential(mean)
MAX_CYCLES = 40
MEAN_GAP_DAYS = 650             # between cycles
P_MARIJUANA_CYCLE = 0.05        # a non-anchor cycle is a cannabis case
P_OTHER_COUNTY = 0.14           # a non-anchor cycle is in another county
P_DISQUALIFYING = 0.004         # a count is a super strike / sex offense
P_DECEASED = 0.005
P_LONE_REGISTRATION = 0.002     # registration without a registrable conviction in the file


class CyclePlanner:
    """Plans the cycles of each person of a run in the filing ``county``."""

    def __init__(self, dice: Dice, county: str):
        self.rng, self.rnd, self.pick, self.below = dice.rng, dice.rnd, dice.pick, dice.below
        self.county = county
        self.other_counties = Picker([
            (name, COUNTY_WEIGHTS.get(name, 0.3)) for name in COUNTY_CODES
            if name != self.county
        ])

    def plan(self, dob: date) -> list[tuple]:
        """Dated cycles of the person, in date order: ``(ordinal, kind, county, counts, anchor)``.

        ``counts`` is a list of :class:`offenses.Offense` and level letters; dispositions are drawn
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

    def _anchor_counts(self, day: int) -> list[tuple[Offense, str]]:
        rnd, pick = self.rnd, self.pick
        table = PROP64_OLD if day < CUTOFF else PROP64_NEW
        main = table(rnd)
        counts = [(main, pick(main.levels))]
        if rnd() < 0.16:
            extra = table(rnd)
            counts.append((extra, pick(extra.levels)))
        self._more_counts(counts, 0.3)
        return counts

    def _counts(self, day: int) -> list[tuple[Offense, str]]:
        rnd, pick = self.rnd, self.pick
        r = rnd()
        if r < P_MARIJUANA_CYCLE:
            table = PROP64_OLD if day < CUTOFF else PROP64_NEW
            main = table(rnd) if rnd() < 0.93 else PROP64_ODD(rnd)
        elif r < P_MARIJUANA_CYCLE + P_DISQUALIFYING:
            main = DISQUALIFYING(rnd)
        else:
            main = GENERAL(rnd)
        counts = [(main, pick(main.levels))]
        self._more_counts(counts, 0.4)
        return counts

    def _more_counts(self, counts: list, p_more: float) -> None:
        rnd, pick = self.rnd, self.pick
        while len(counts) < 8 and rnd() < p_more:
            extra = GENERAL(rnd) if rnd() < 0.97 else PROP64_ODD(rnd)
            counts.append((extra, pick(extra.levels)))
            p_more *= 0.6
