"""Evaluation runs (eligibility.md 2): statutory floor, then the county policy, for every Prop 64
count in the filing county; results, run record and impact figures written in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from pathlib import Path

from .. import __version__
from ..jobs.progress import CancelToken, NullProgress, Progress
from ..store.database import Workspace
from . import impact
from .catalog import catalog_sha256
from .dates import format_date
from .derive import Count, Person, classify, iter_people
from .disqualifier_lists import lists_sha256
from .policy import Policy, load_policy
from .precedence import PolicyFacts, apply_policy
from .results import ResultWriter
from .sentence import relief_path
from .statutory import StatResult, decide

log = logging.getLogger("cmr.engine")


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
    try:
        reader, aux = ws.cursor(macros=True), ws.cursor()
        cancel.add_interrupt(reader.interrupt)
        try:
            run_id = reader.execute("SELECT coalesce(max(run_id), 0) + 1 FROM eval_run").fetchone()[0]
            files = dict(reader.execute("SELECT batch_id, file_name FROM import_batch").fetchall())
            total = max(1, reader.execute("SELECT count(DISTINCT d_subject_id) FROM doj_row").fetchone()[0])
            progress.update(0, total, "Reading records")
            done = 0
            for person in iter_people(reader, aux, county):
                _evaluate_person(person, county, as_of, policy, run_id, files, writer, figures)
                done += 1
                if done % 2000 == 0:
                    cancel.check()
                    progress.update(done, total, "Deciding counts")
        finally:
            cancel.remove_interrupt(reader.interrupt)
            reader.close()
            aux.close()
        cancel.check()
        progress.update(total, total, "Saving results")
        inputs = ws.query_dicts("SELECT batch_id, file_name AS name, size_bytes AS bytes, sha256 "
                                "FROM import_batch ORDER BY batch_id")
        with ws.write() as cur:
            cancel.add_interrupt(cur.interrupt)
            try:
                writer.load(cur)
                cur.execute(
                    "INSERT INTO eval_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, dt.datetime.now().replace(microsecond=0), county, as_of, policy.id, policy.name,
                     policy.version, policy.sha256, policy.source_text, ruleset_hash(), __version__,
                     json.dumps(inputs), json.dumps(figures.result()), round(time.monotonic() - started, 3)])
                _audit(cur, ws, run_id, county, as_of, policy, writer.count, actor)
                cancel.check()
            finally:
                cancel.remove_interrupt(cur.interrupt)
    finally:
        writer.close()
    log.info("evaluation run %s: %d counts, %.2f s", run_id, writer.count, time.monotonic() - started)
    return run_id


def _evaluate_person(person: Person, county: str, as_of: dt.date, policy: Policy, run_id: int,
                     files: dict, writer: ResultWriter, figures: "impact.ImpactCounter") -> None:
    classify(person)
    for c in person.counts:
        c.path, c.sentence_end = relief_path(*c.sentence, not c.conviction.is_unknown, as_of)
    evaluated = [c for c in person.counts if c.is_prop64 and c.county == county]
    if not evaluated:
        return
    person_facts = _person_facts(person)
    decisions = {}
    for c in evaluated:
        stat = decide(c, person)
        pol = apply_policy(policy, _policy_facts(c, person, stat, as_of, person_facts))
        decisions[c.cnt_order] = (stat.determination, pol.determination)
        writer.add(_row(run_id, c, person, stat, pol, policy, files))
    figures.add_person(person, decisions)


def _person_facts(person: Person) -> dict:
    his = [c.conviction.hi for c in person.counts]
    known = all(h is not None for h in his)
    return {
        "person_latest_conviction_hi": max(his) if known and his else None,
        "person_conviction_dates_known": known,
        "only_prop64_convictions": all(c.is_prop64 for c in person.counts),
        "all_sentences_completed": all(c.path == "redesignation" for c in person.counts),
        "deceased": person.deceased,
    }


def _policy_facts(c: Count, person: Person, stat: StatResult, as_of: dt.date, pf: dict) -> PolicyFacts:
    subs = c.cls.subsections
    return PolicyFacts(
        level=c.level, count_class=c.cls.count_class, section=c.cls.section,
        first_subsection_letter=subs[0] if subs and subs[0].isalpha() else None,
        statutory_determination=stat.determination, statutory_rule_ids=tuple(stat.rule_ids),
        statutory_reason=stat.reason, as_of=as_of,
        disqualifier_tokens=tuple((t.token_string(), t.code, t.certainty) for t in stat.tokens),
        age_brackets=frozenset(stat.brackets), dob=person.dob, conviction=c.conviction,
        relief_path=c.path, **pf)


def _row(run_id, c: Count, person: Person, stat: StatResult, pol, policy: Policy, files: dict) -> dict:
    if c.cyc_recorded:
        source = "CYC_DATE"
    else:
        source = c.conviction_source or "none"
    return {
        "run_id": run_id, "subject_id": c.subject_id, "cnt_order": c.cnt_order, "row_seq": c.row_seq,
        "source_file": files.get(c.batch_id, ""), "source_line": c.line_no, "name": c.name,
        "dob": format_date(person.dob), "cii_number": c.cii_number, "county": c.county,
        "courthouse": c.courthouse, "court_ori": c.court_ori, "case_number": c.case_number,
        "code_section": c.code_section, "section": c.cls.section, "charge_text": c.charge_text,
        "count_class": c.cls.count_class, "level": c.level,
        "offense_date": format_date(c.offense), "offense_date_source": source,
        "conviction_date": format_date(c.conviction), "conviction_lo": c.conviction.lo,
        "conviction_hi": c.conviction.hi, "age_at_offense": stat.age_text,
        "sentence_end": c.sentence_end, "relief_path": c.path,
        "statutory_determination": stat.determination, "statutory_rule_ids": ";".join(stat.rule_ids),
        "statutory_reason": stat.reason, "unknown_facts": ";".join(sorted(stat.unknown_facts)),
        "disqualifiers": ";".join(sorted(t.token_string() for t in stat.tokens)),
        "determination": pol.determination, "rule_ids": ";".join(pol.rule_ids),
        "reason": pol.reason, "review_route": pol.review_route, "floor_applied": pol.floor_applied,
        "policy_conflict": pol.policy_conflict, "conflict_details": ";".join(pol.conflict_details),
        "compat_determination": pol.compat_determination, "compat_reason": pol.compat_reason,
        "policy_id": policy.id, "policy_version": policy.version, "basis": pol.basis,
        "criterion_label": pol.criterion_label,
    }


def _audit(cur, ws: Workspace, run_id: int, county: str, as_of: dt.date, policy: Policy, n: int,
           actor: str | None) -> None:
    """The audit row of a run, in the run's own transaction (both commit or neither)."""
    import os

    from ..review.audit import append
    append(ws, actor=actor or os.environ.get("USERNAME") or os.environ.get("USER") or "unknown", action="evaluate",
           new_value=json.dumps({"run_id": run_id, "county": county, "as_of": as_of.isoformat(),
                                 "policy": f"{policy.id} {policy.version}", "counts": n}), cur=cur)
