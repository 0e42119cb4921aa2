"""The engine loads only the counts the rules can read (statutory.may_be_read) and takes the rest
from SQL totals (rules/totals.py). Both shortcuts must change nothing: the SQL totals equal the
sums over all loaded counts, and every evaluated count is decided the same from the kept counts as
from all of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.rules.derive import classify, iter_people
from clearmyrecord_desktop.rules.statutory import decide, may_be_read
from clearmyrecord_desktop.rules.totals import of_counts
from clearmyrecord_desktop.store.database import open_workspace

DATA = Path(__file__).parents[2] / "data"
AS_OFS = (dt.date(2020, 7, 1), dt.date(2012, 2, 29), dt.date(2026, 12, 2))


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from clearmyrecord_desktop.synth.generator import generate

    folder = tmp_path_factory.mktemp("totals")
    synthetic = folder / "synthetic.csv"
    generate(synthetic, people=400, seed=11, county="LOS ANGELES", dirty=True)
    ws = open_workspace(folder / "ws.duckdb")
    import_files(ws, [DATA / "cases" / "statutory_cases.csv", synthetic])
    yield ws
    ws.close()


def _people(ws, **kw):
    reader = ws.cursor(macros=True)
    try:
        people = {p.subject_id: p for p in iter_people(reader, "LOS ANGELES", **kw)}
    finally:
        reader.close()
    for p in people.values():
        classify(p)
    return people


@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_sql_totals_equal_the_sums_over_all_counts(ws, as_of):
    whole = _people(ws)
    kept = _people(ws, keep=may_be_read, as_of=as_of)
    assert kept and set(kept) <= set(whole)
    some_left_out = False
    for subject, person in kept.items():
        assert person.totals == of_counts(whole[subject].counts, as_of), subject
        some_left_out |= len(person.counts) < len(whole[subject].counts)
    assert some_left_out  # the shortcut is exercised


def test_counts_left_out_are_never_read_and_decisions_do_not_change(ws):
    whole = _people(ws)
    kept = _people(ws, keep=may_be_read, as_of=AS_OFS[0])
    decided = 0
    for subject, all_of in whole.items():
        person = kept.get(subject)
        orders = {c.cnt_order for c in person.counts} if person else set()
        for c in all_of.counts:
            if c.cnt_order not in orders:
                assert not c.is_prop64, (subject, c.cnt_order)
        if person is None:
            continue
        by_order = {c.cnt_order: c for c in all_of.counts}
        for c in person.counts:
            if not c.is_prop64:
                continue
            full, part = decide(by_order[c.cnt_order], all_of), decide(c, person)
            assert (part.determination, part.rule_ids, part.reason, part.unknown_facts) == \
                (full.determination, full.rule_ids, full.reason, full.unknown_facts)
            assert [t.token_string() for t in part.tokens] == [t.token_string() for t in full.tokens]
            decided += 1
    assert decided > 100
