"""Impact figures of a run (issue 'impact figures'; motion-packets.md 8 definitions).

Each figure is computed twice: with the statutory determinations only and with the policy
determinations. A count that is not evaluated, or not granted, always counts as remaining.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

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
        self.people_evaluated += 1
        for index, name in enumerate(("statutory", "policy")):
            granted = {k: v[index] for k, v in decisions.items()}
            self.layers[name].add(person, granted, self.window_start)

    def result(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "people_evaluated": self.people_evaluated,
                **{name: layer.result() for name, layer in self.layers.items()}}


class _Layer:
    def __init__(self) -> None:
        self.by_determination: Counter = Counter()
        self.granted_by_level: Counter = Counter()
        self.by_section: Counter = Counter()
        self.people_affected = 0
        self.no_felony_left = 0
        self.no_conviction_left = 0
        self.no_conviction_7y = 0

    def add(self, person: Person, decided: dict[str, str], window_start: dt.date) -> None:
        affected = False
        for c in person.counts:
            d = decided.get(c.cnt_order) if c.is_prop64 else None
            if d is None:
                continue
            self.by_determination[d] += 1
            if d in RELIEFS:
                affected = True
                self.granted_by_level[c.level] += 1
                self.by_section[f"{c.cls.section}|{d}"] += 1
        if not affected:
            return
        self.people_affected += 1
        felonies = [c for c in person.counts if c.level == "felony"]
        if felonies and all(decided.get(c.cnt_order) in RELIEFS for c in felonies):
            self.no_felony_left += 1
        if all(decided.get(c.cnt_order) == "dismiss_and_seal" for c in person.counts):
            self.no_conviction_left += 1
        recent = [c for c in person.counts if c.conviction.lo is not None and c.conviction.lo > window_start]
        if recent and all(decided.get(c.cnt_order) == "dismiss_and_seal" for c in recent):
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
