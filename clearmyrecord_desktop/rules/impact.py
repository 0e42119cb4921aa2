"""Impact figures of a run (issue 'impact figures'; motion-packets.md 8 definitions).

Each figure is computed twice: with the statutory determinations only and with the policy
determinations. A count that is not evaluated, or not granted, always counts as remaining.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from .dates import add_years
from .derive import Person

RELIEFS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction")


class ImpactCounter:
    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self.window_start = add_years(as_of, -7)
        self.layers = {name: _Layer() for name in ("statutory", "policy")}
        self.people_evaluated = 0

    def add_person(self, person: Person, decisions: dict[str, tuple[str, str]]) -> None:
        """``decisions``: cnt_order -> (statutory, policy) determination of each evaluated count."""
        self.people_evaluated += 1
        counts = person.counts
        facts = _PersonCounts(
            evaluated=[(c.cnt_order, c.level, c.cls.section) for c in counts
                       if c.is_prop64 and c.cnt_order in decisions],
            felonies=[c.cnt_order for c in counts if c.level == "felony"],
            recent=[c.cnt_order for c in counts
                    if c.conviction.lo is not None and c.conviction.lo > self.window_start],
            orders=[c.cnt_order for c in counts])
        for index, layer in enumerate(self.layers.values()):
            layer.add(facts, {k: v[index] for k, v in decisions.items()})

    def result(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "people_evaluated": self.people_evaluated,
                **{name: layer.result() for name, layer in self.layers.items()}}


class _PersonCounts(NamedTuple):
    """The cnt_orders of a person's counts a figure looks at (all counties, all sections)."""

    evaluated: list[tuple[str, str, str | None]]  # evaluated Prop 64 counts: (cnt_order, level, section)
    felonies: list[str]
    recent: list[str]  # convicted (surely) after the window start: as_of - 7 years
    orders: list[str]


class _Layer:
    def __init__(self) -> None:
        self.by_determination: Counter = Counter()
        self.granted_by_level: Counter = Counter()
        self.by_section: Counter = Counter()
        self.people_affected = 0
        self.no_felony_left = 0
        self.no_conviction_left = 0
        self.no_conviction_7y = 0

    def add(self, person: "_PersonCounts", decided: dict[str, str]) -> None:
        affected = False
        for order, level, section in person.evaluated:
            d = decided[order]
            self.by_determination[d] += 1
            if d in RELIEFS:
                affected = True
                self.granted_by_level[level] += 1
                self.by_section[f"{section}|{d}"] += 1
        if not affected:
            return
        self.people_affected += 1
        get = decided.get
        if person.felonies and all(get(o) in RELIEFS for o in person.felonies):
            self.no_felony_left += 1
        if all(get(o) == "dismiss_and_seal" for o in person.orders):
            self.no_conviction_left += 1
        if person.recent and all(get(o) == "dismiss_and_seal" for o in person.recent):
            self.no_conviction_7y += 1

    def result(self) -> dict:
        return {
            "by_determination": dict(sorted(self.by_determination.items())),
            "granted_by_level": dict(sorted(self.granted_by_level.items())),
            "granted_by_section": dict(sorted(self.by_section.items())),
            "people_affected": self.people_affected,
            "people_no_felony_left": self.no_felony_left,
            "people_no_conviction_left": self.no_conviction_left,
            "people_no_conviction_last_7_years": self.no_conviction_7y,
        }
