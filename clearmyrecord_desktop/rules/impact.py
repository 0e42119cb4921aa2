"""Impact figures of a run (issue 'impact figures'; motion-packets.md 8 definitions).

Each figure is computed twice: with the statutory determinations only and with the policy
determinations. A count that is not evaluated, or not granted, always counts as remaining.

A person is summed up by their totals over all their counts (rules/totals.py: how many felonies
and recent convictions there are) and one pass per layer over the evaluated counts: a person is left
with no felony (no conviction, no recent conviction) when every such count of theirs is an
evaluated count granted the relief the figure asks for (cnt_order is unique per person).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Sequence

from .derive import Count
from .totals import Totals, window_start

RELIEFS = frozenset(("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction"))
_DISMISS = "dismiss_and_seal"


class ImpactCounter:
    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self.window_start = window_start(as_of)
        self.statutory = _Layer()
        self.policy = _Layer()
        self.people_evaluated = 0

    def add_person(self, sums: Totals, decided: Sequence[tuple[Count, str, str]]) -> None:
        """``sums``: the totals over all the person's counts (at this counter's as-of date);
        ``decided``: (count, statutory determination, policy determination) of each evaluated
        count of the person."""
        self.people_evaluated += 1
        start = self.window_start
        # (level, section, convicted within the window) of each evaluated count, then its determination
        facts = [(c.level, c.cls.section, c.conviction.lo is not None and c.conviction.lo > start)
                 for c, _, _ in decided]
        self.statutory.add(sums, facts, [s for _, s, _ in decided])
        self.policy.add(sums, facts, [p for _, _, p in decided])

    def merge(self, other: "ImpactCounter") -> None:
        """Add the people of ``other`` (a counter of the same as-of date, over other people)."""
        if other.as_of != self.as_of:
            raise ValueError("impact counters of different as-of dates")
        self.people_evaluated += other.people_evaluated
        self.statutory.merge(other.statutory)
        self.policy.merge(other.policy)

    def result(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "people_evaluated": self.people_evaluated,
                "statutory": self.statutory.result(), "policy": self.policy.result()}


class _Layer:
    def __init__(self) -> None:
        self.by_determination: Counter = Counter()
        self.granted_by_level: Counter = Counter()
        self.by_section: Counter = Counter()  # (section, determination) -> granted counts
        self.people_affected = 0
        self.no_felony_left = 0
        self.no_conviction_left = 0
        self.no_conviction_7y = 0

    def add(self, whole: Totals, facts: list[tuple[str, str | None, bool]], decided: list[str]) -> None:
        """``facts[i]``: (level, section, recent) of the i-th evaluated count, ``decided[i]`` its
        determination in this layer."""
        self.by_determination.update(decided)
        granted_felonies = dismissed = dismissed_recent = 0
        affected = False
        for (level, section, recent), d in zip(facts, decided):
            if d in RELIEFS:
                affected = True
                self.granted_by_level[level] += 1
                self.by_section[section, d] += 1
                if level == "felony":
                    granted_felonies += 1
                if d == _DISMISS:
                    dismissed += 1
                    if recent:
                        dismissed_recent += 1
        if not affected:
            return
        self.people_affected += 1
        if whole.felonies and granted_felonies == whole.felonies:
            self.no_felony_left += 1
        if dismissed == whole.counts:
            self.no_conviction_left += 1
        if whole.recent and dismissed_recent == whole.recent:
            self.no_conviction_7y += 1

    def merge(self, other: "_Layer") -> None:
        self.by_determination.update(other.by_determination)
        self.granted_by_level.update(other.granted_by_level)
        self.by_section.update(other.by_section)
        self.people_affected += other.people_affected
        self.no_felony_left += other.no_felony_left
        self.no_conviction_left += other.no_conviction_left
        self.no_conviction_7y += other.no_conviction_7y

    def result(self) -> dict:
        by_section = Counter()
        for (section, d), n in self.by_section.items():
            by_section[f"{section}|{d}"] += n
        return {
            "by_determination": dict(sorted(self.by_determination.items())),
            "granted_by_level": dict(sorted(self.granted_by_level.items())),
            "granted_by_section": dict(sorted(by_section.items())),
            "people_affected": self.people_affected,
            "people_no_felony_left": self.no_felony_left,
            "people_no_conviction_left": self.no_conviction_left,
            "people_no_conviction_last_7_years": self.no_conviction_7y,
        }
