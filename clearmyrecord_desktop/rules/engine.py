"""Evaluation runs (eligibility.md 2): statutory floor, then the county policy, for every Prop 64
count in the filing county; results, run record and impact figures written in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import time
from typing import Iterator

from .. import __version__
from ..jobs.progress import CancelToken, NullProgress, Progress
from ..store.database import Workspace
from . import decide_split, impact
from .catalog import catalog_sha256
from .dates import format_date
from .derive import Count, Person, Shell, classify, iter_people
from .disqualifier_lists import lists_sha256
from .policy import Policy, load_policy
from .precedence import DisqualifierToken, PolicyFacts, apply_policy
from .results import NULL, SAME_REASON, ResultWriter, WrittenRows
from .sentence import relief_path
from .statutory import StatResult, decide, may_be_read
from .totals import Totals

log = logging.getLogger("cmr.engine")
#: people decided between two looks at Cancel (and two progress updates)
_CHECK_EVERY = 2000


def ruleset_hash() -> str:
    """SHA-256 over the rule catalog hash and the disqualifier-list hash (2)."""
    return hashlib.sha256(f"{catalog_sha256()}\n{lists_sha256()}".encode()).hexdigest()


def normalise_county(name: str) -> str:
    return " ".join(name.split()).upper()


def evaluate(ws: Workspace, county: str, as_of: dt.date, policy: str | Policy = "statutory",
             options_path: str | None = None, progress: Progress | None = None,
             cancel: CancelToken | None = None, actor: str | None = None) -> int:
    """Run an evaluation and return the new run id. Old runs stay as they are. ``actor`` (the
    reviewer's name) goes into the audit log; default: the operating-system user."""
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    if not isinstance(policy, Policy):
        policy = load_policy(policy, options_path)
    county = normalise_county(county)
    started = time.monotonic()
    writer = ResultWriter(ws.temp_path("results"))
    figures = impact.ImpactCounter(as_of)
    split: decide_split.DecideSplit | None = None
    others: list[WrittenRows] = []
    try:
        reader = ws.cursor(macros=True)
        cancel.add_interrupt(reader.interrupt)
        try:
            run_id = reader.execute("SELECT coalesce(max(run_id), 0) + 1 FROM eval_run").fetchone()[0]
            progress.update(0, 1, "Reading records")
            total = 1  # the people who may have an evaluated count: iter_people tells before the first

            def expect(n: int) -> None:
                nonlocal total, split
                total = max(1, n)
                if decide_split.worth_splitting(n):  # the helper starts while the SQL runs
                    split = decide_split.DecideSplit.start(policy, county, as_of, ws.temp_path("results"), n)

            seen = 0  # people read (each passes here), decided here or by the helper

            def take(shell: Shell, rows: list, conflicts_of) -> bool:
                nonlocal seen
                seen += 1
                return split is not None and split.take(shell, rows, conflicts_of)

            def decide_here(person: Person) -> None:
                decide_person(person, county, as_of, policy, writer, figures)
            done = 0
            with _gc_paused():
                # rows fetched 1,000 at a time: a helper gets its next batch without waiting long
                for person in iter_people(reader, county, 1000, keep=may_be_read, as_of=as_of,
                                          on_people=expect, take=take):
                    decide_here(person)
                    done += 1
                    if done % _CHECK_EVERY == 0:
                        cancel.check()
                        progress.update(seen, total, "Deciding counts")
                if split is not None:
                    progress.update(total, total, "Deciding counts")
                    helped = split.finish(decide_here, cancel.check)
                    if helped is not None:
                        others.append(helped[0])
                        figures.merge(helped[1])
        finally:
            cancel.remove_interrupt(reader.interrupt)
            reader.close()
        cancel.check()
        progress.update(total, total, "Saving results")
        counted = writer.count + sum(o.count for o in others)
        inputs = ws.query_dicts("SELECT batch_id, file_name AS name, size_bytes AS bytes, sha256 "
                                "FROM import_batch ORDER BY batch_id")
        with ws.write(macros=True) as cur:
            cancel.add_interrupt(cur.interrupt)
            try:
                writer.load(cur, run_id, policy.id, policy.version, others)
                cur.execute(
                    "INSERT INTO eval_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, dt.datetime.now().replace(microsecond=0), county, as_of, policy.id, policy.name,
                     policy.version, policy.sha256, policy.source_text, ruleset_hash(), __version__,
                     json.dumps(inputs), json.dumps(figures.result()), round(time.monotonic() - started, 3)])
                _audit(cur, ws, run_id, county, as_of, policy, counted, actor)
                cancel.check()
            finally:
                cancel.remove_interrupt(cur.interrupt)
    finally:
        writer.close()
        if split is not None:
            split.close()
    log.info("evaluation run %s: %d counts, %.2f s", run_id, counted, time.monotonic() - started)
    return run_id


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while people are decided: the run makes millions of small,
    short-lived objects (freed by reference counting; the rules make no reference cycles) and the
    collector's passes over them cost about a fifth of the run. Restored afterwards if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decide_person(person: Person, county: str, as_of: dt.date, policy: Policy, writer: ResultWriter,
                     figures: "impact.ImpactCounter") -> None:
    classify(person)
    evaluated = [c for c in person.counts if c.is_prop64 and c.county == county]
    if not evaluated:
        return
    for c in evaluated:
        c.path, c.sentence_end = _relief_path(c, as_of)
    sums = person.totals_at(as_of)
    person_facts = _person_facts(person, sums)
    decided = []
    for c in evaluated:
        stat = decide(c, person)
        pol = apply_policy(policy, _policy_facts(c, person, stat, as_of, person_facts))
        decided.append((c, stat.determination, pol.determination))
        writer.add(_row(c, person, stat, pol))
    figures.add_person(sums, decided)


def _relief_path(c: Count, as_of: dt.date) -> tuple[str, str]:
    return relief_path(*c.sentence, not c.conviction.is_unknown, as_of)


def _person_facts(person: Person, sums: Totals) -> dict:
    return {
        "person_latest_conviction_hi": sums.latest_hi,
        "person_conviction_dates_known": sums.latest_hi is not None,
        # the counts not loaded are not Prop 64 counts (statutory.may_be_read)
        "only_prop64_convictions": sums.counts == len(person.counts) and all([c.is_prop64 for c in person.counts]),
        "all_sentences_completed": sums.all_completed,
        "deceased": person.deceased,
    }


def _policy_facts(c: Count, person: Person, stat: StatResult, as_of: dt.date, pf: dict) -> PolicyFacts:
    subs = c.cls.subsections
    return PolicyFacts.trusted(
        level=c.level, count_class=c.cls.count_class, section=c.cls.section,
        first_subsection_letter=subs[0] if subs and subs[0].isalpha() else None,
        statutory_determination=stat.determination, statutory_rule_ids=tuple(stat.rule_ids),
        statutory_reason=stat.reason, as_of=as_of,
        disqualifier_tokens=tuple([DisqualifierToken(t.token_string(), t.code, t.certainty) for t in stat.tokens])
        if stat.tokens else (),
        age_brackets=_frozen(tuple(stat.brackets)), dob=person.dob, conviction=c.conviction,
        relief_path=c.path, **pf)


@functools.lru_cache(maxsize=64)
def _frozen(brackets: tuple[str, ...]) -> frozenset[str]:
    return frozenset(brackets)


def _row(c: Count, person: Person, stat: StatResult, pol) -> tuple:
    """The values of results.RESULT_COLUMNS for one evaluated count (as text, None as NULL)."""
    section = c.cls.section
    return (
        c.subject_id, c.cnt_order, str(c.row_seq), format_date(person.dob), c.case_number, c.code_section,
        NULL if section is None else section, c.cls.count_class, c.level, format_date(c.offense),
        format_date(c.conviction), stat.age_text, c.sentence_end, c.path,
        stat.determination, ";".join(stat.rule_ids), stat.reason,
        ";".join(sorted(stat.unknown_facts)) if stat.unknown_facts else "",
        ";".join(sorted([t.token_string() for t in stat.tokens])) if stat.tokens else "",
        pol.determination, ";".join(pol.rule_ids), SAME_REASON if pol.reason == stat.reason else pol.reason,
        _text(pol.review_route),
        "true" if pol.floor_applied else "false", "true" if pol.policy_conflict else "false",
        ";".join(pol.conflict_details), pol.compat_determination, pol.compat_reason,
        _text(pol.basis), _text(pol.criterion_label),
    )


def _text(v: str | None) -> str:
    return NULL if v is None else v


def _audit(cur, ws: Workspace, run_id: int, county: str, as_of: dt.date, policy: Policy, n: int,
           actor: str | None) -> None:
    """The audit row of a run, in the run's own transaction (both commit or neither)."""
    import os

    from ..review.audit import append
    append(ws, actor=actor or os.environ.get("USERNAME") or os.environ.get("USER") or "unknown", action="evaluate",
           new_value=json.dumps({"run_id": run_id, "county": county, "as_of": as_of.isoformat(),
                                 "policy": f"{policy.id} {policy.version}", "counts": n}), cur=cur)
