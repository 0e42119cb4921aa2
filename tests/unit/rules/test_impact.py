"""Impact figures per person (rules/impact.py): which people are left with no felony, no
conviction, no recent conviction, per layer."""

from datetime import date
from types import SimpleNamespace

from clearmyrecord_desktop.rules.dates import UNKNOWN, DateValue
from clearmyrecord_desktop.rules.derive import Count, Person
from clearmyrecord_desktop.rules.impact import ImpactCounter

AS_OF = date(2020, 7, 1)


def _count(order: str, level: str, convicted: date | None, section: str | None = "11359") -> Count:
    conviction = DateValue(convicted, convicted) if convicted else UNKNOWN
    c = Count("S1", order, 1, "", False, "", level, UNKNOWN, False, conviction, "LOS ANGELES", "", None, {},
              (0, 0, None, None))
    c.cls, c.is_prop64 = SimpleNamespace(section=section), section is not None
    return c


def test_person_figures_per_layer():
    old = _count("001", "felony", date(2001, 1, 1))
    recent = _count("002", "felony", date(2019, 1, 1), "11360")
    other = _count("003", "misdemeanor", date(2018, 1, 1), None)  # not evaluated
    person = Person("S1", counts=[old, recent, other])
    figures = ImpactCounter(AS_OF)
    figures.add_person(person.totals_at(AS_OF), [(old, "reduce_to_misdemeanor", "dismiss_and_seal"),
                                (recent, "no_relief", "dismiss_and_seal")])
    r = figures.result()
    assert r["people_evaluated"] == 1
    stat, pol = r["statutory"], r["policy"]
    assert stat["by_determination"] == {"no_relief": 1, "reduce_to_misdemeanor": 1}
    assert stat["granted_by_section"] == {"11359|reduce_to_misdemeanor": 1}
    assert (stat["people_affected"], stat["people_no_felony_left"]) == (1, 0)
    assert pol["granted_by_level"] == {"felony": 2}
    assert pol["granted_by_section"] == {"11359|dismiss_and_seal": 1, "11360|dismiss_and_seal": 1}
    assert pol["people_no_felony_left"] == 1
    # the misdemeanor not evaluated is a conviction left, and a recent one
    assert (pol["people_no_conviction_left"], pol["people_no_conviction_last_7_years"]) == (0, 0)


def test_all_counts_dismissed():
    a = _count("001", "misdemeanor", date(2019, 5, 1))
    b = _count("002", "misdemeanor", None)
    figures = ImpactCounter(AS_OF)
    figures.add_person(Person("S1", counts=[a, b]).totals_at(AS_OF), [(a, "dismiss_and_seal", "dismiss_and_seal"),
                                                     (b, "dismiss_and_seal", "hand_review")])
    stat, pol = figures.result()["statutory"], figures.result()["policy"]
    assert (stat["people_no_felony_left"], stat["people_no_conviction_left"],
            stat["people_no_conviction_last_7_years"]) == (0, 1, 1)
    assert (pol["people_affected"], pol["people_no_conviction_left"], pol["people_no_conviction_last_7_years"]) \
        == (1, 0, 1)


def test_merged_counters_give_the_figures_of_one():
    """Two processes count different people (rules/decide_split.py): merged, their figures are
    those of one counter over everybody."""
    people = []
    for i, (level, d1, d2) in enumerate([("felony", "reduce_to_misdemeanor", "dismiss_and_seal"),
                                         ("misdemeanor", "dismiss_and_seal", "dismiss_and_seal"),
                                         ("felony", "no_relief", "hand_review"),
                                         ("infraction", "dismiss_and_seal", "no_relief")]):
        c = _count("001", level, date(2010 + i, 1, 1), "11357" if i % 2 else "11359")
        people.append((Person(f"S{i}", counts=[c]), [(c, d1, d2)]))
    whole, first, second = ImpactCounter(AS_OF), ImpactCounter(AS_OF), ImpactCounter(AS_OF)
    for i, (person, decided) in enumerate(people):
        whole.add_person(person.totals_at(AS_OF), decided)
        (first if i < 2 else second).add_person(person.totals_at(AS_OF), decided)
    first.merge(second)
    assert first.result() == whole.result()
