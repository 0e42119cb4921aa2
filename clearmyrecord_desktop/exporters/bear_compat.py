"""The BEAR/gogen compatibility export (eligibility.md §11.2), byte-compatible with gogen 0.2.13.

:func:`write_bear_export` writes, for one ``bear_compatible`` evaluation run:

- ``All_Results.csv`` — every imported row of the run's files in file order: the 95 raw DOJ values,
  then the 18 result columns (:data:`.bear_columns.RESULT_COLUMNS`);
- ``All_Results_Condensed.csv`` — the same rows, 20 raw DOJ columns + the 18;
- ``Prop64_Results.csv`` — the full layout, first rows of evaluated counts only;
- ``gogen.json`` — gogen's summary;
- ``Statutory_Conflicts.csv`` — the counts granted relief over a statutory bar (§9.2 P5).

How it scales (a county file is ~1M rows): two passes, neither holding rows in Python.

1. People. The engine's own derivation (``rules.derive.iter_people`` + ``classify``, loading only
   the counts the rules read plus per-person totals, as the engine does) is replayed on a cursor
   where ``doj_row`` is shadowed by a temporary view limited to the run's files, for the people
   with an evaluated count in the run; their person-level columns (convictions on record,
   super-strike / PC 290 sections, registration, latest conviction, Prop 64 counts, deceased, and
   the figures the summary needs) go to a temporary DuckDB table through a temporary CSV next to
   the workspace (as ``rules.results.ResultWriter`` does).
2. Rows (``bear_rows``): Python writes the 18 result columns of the first rows of evaluated counts
   and of the rows with a hint; DuckDB builds every row's line and writes the three CSVs itself.

The summary (``bear_summary``) and the conflicts list are SQL over ``count_result`` and the person
table. Files are written as ``*.part`` and renamed when all five are complete.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import re
from datetime import date
from pathlib import Path

from ..errors import ExportGateError, PolicyError
from ..jobs.progress import CancelToken, NullProgress, Progress
from ..rules.derive import classify, iter_people
from ..rules.policy import BearOptions, parse_policy
from ..rules.statutory import may_be_read
from ..store.csv_limits import max_line_size
from ..store.database import CATALOG, Workspace
from .bear_columns import CONFLICT_COLUMNS, PERSON_TABLE_COLUMNS, csv_line, person_columns
from .bear_rows import QUOTE_MACRO, write_rows
from .bear_summary import write_summary

log = logging.getLogger("cmr.export.bear")

ALL_RESULTS = "All_Results.csv"
CONDENSED = "All_Results_Condensed.csv"
PROP64_RESULTS = "Prop64_Results.csv"
SUMMARY = "gogen.json"
CONFLICTS = "Statutory_Conflicts.csv"
FILES: tuple[str, ...] = (ALL_RESULTS, CONDENSED, PROP64_RESULTS, SUMMARY, CONFLICTS)

_NULL = "\x01"


# --- the run -------------------------------------------------------------------------------------


class _Run:
    """What the export needs from ``eval_run``: county, as-of, BEAR options, files, run time."""

    def __init__(self, ws: Workspace, run_id: int):
        rows = ws.query_dicts(
            "SELECT filing_county, as_of, policy_id, policy_text, inputs, duration_s FROM eval_run "
            "WHERE run_id = ?", [run_id])
        if not rows:
            raise ExportGateError(f"There is no evaluation run {run_id} in this workspace.")
        r = rows[0]
        self.run_id = run_id
        self.county: str = r["filing_county"]
        self.as_of: date = r["as_of"] if isinstance(r["as_of"], date) else date.fromisoformat(r["as_of"])
        self.duration_s = r["duration_s"]
        self.bear = bear_options_of(r["policy_text"] or "")
        if self.bear is None:
            raise ExportGateError(
                f"Run {run_id} was evaluated with the policy {r['policy_id']!r}. The BEAR compatibility "
                "export needs a run with the bear_compatible policy (or another policy with BEAR options).")
        self.batch_ids = _run_batches(ws, run_id, r["inputs"])


def bear_options_of(policy_text: str) -> BearOptions | None:
    """The BEAR options a run was evaluated with, from ``eval_run.policy_text``.

    That text is the policy file, followed — when a BEAR ``eligibility_options.json`` was loaded — by
    the options file (rules/policy.py ``source_text``); the options file is the JSON object at the end.
    ``None`` when the policy has no BEAR options.
    """
    with contextlib.suppress(PolicyError):
        return parse_policy(policy_text.encode("utf-8"), "policy.toml").bear
    for m in re.finditer(r"\{", policy_text):
        tail = policy_text[m.start():]
        try:
            json.loads(tail)
        except ValueError:
            continue
        with contextlib.suppress(PolicyError):
            return parse_policy(policy_text[:m.start()].encode("utf-8"), "policy.toml",
                                tail.encode("utf-8"), "eligibility_options.json").bear
    return None


def _run_batches(ws: Workspace, run_id: int, inputs_json: str | None) -> list[int]:
    """The import batches of the run's files (matched by SHA-256, which is unique per workspace)."""
    try:
        inputs = json.loads(inputs_json or "[]")
    except ValueError:
        inputs = []
    by_sha = dict(ws.query("SELECT sha256, batch_id FROM import_batch"))
    ids = []
    for item in inputs:
        batch = by_sha.get(item.get("sha256")) if item.get("sha256") else None
        if batch is None and not item.get("sha256") and item.get("batch_id") in by_sha.values():
            batch = item["batch_id"]
        if batch is None:
            raise ExportGateError(
                f"The file {item.get('name', '?')} of run {run_id} is no longer in this workspace; "
                "evaluate again before exporting.")
        ids.append(int(batch))
    return ids


# --- public API ----------------------------------------------------------------------------------


def write_bear_export(ws: Workspace, run_id: int, out_dir: str | Path, *,
                      progress: Progress | None = None, cancel: CancelToken | None = None) -> dict[str, int]:
    """Write the five BEAR-compatible files of ``run_id`` into ``out_dir`` (created if missing).

    Returns ``{file name: data rows}`` (``gogen.json``: 1). Raises :class:`ExportGateError` when the
    run does not exist, was not evaluated with BEAR options, or its files are gone.
    """
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    run = _Run(ws, run_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = {name: out_dir / f"{name}.part" for name in FILES}
    cur = ws.cursor()
    cancel.add_interrupt(cur.interrupt)
    try:
        cur.execute(QUOTE_MACRO)
        _restrict_to_run(cur, run.batch_ids)
        progress.update(0, 3, "Reading people")
        _person_table(ws, cur, run, cancel)
        cancel.check()
        progress.update(1, 3, "Writing rows")
        n_rows, n_counts = write_rows(ws, cur, run, parts[ALL_RESULTS], parts[CONDENSED], parts[PROP64_RESULTS],
                                      cancel)
        counts = {ALL_RESULTS: n_rows, CONDENSED: n_rows, PROP64_RESULTS: n_counts}
        cancel.check()
        progress.update(2, 3, "Writing summary")
        counts[CONFLICTS] = _write_conflicts(cur, run, parts[CONFLICTS])
        write_summary(cur, run, parts[SUMMARY])
        counts[SUMMARY] = 1
        for name in FILES:
            os.replace(parts[name], out_dir / name)
        progress.update(3, 3, "Done")
    finally:
        cancel.remove_interrupt(cur.interrupt)
        cur.close()
        for path in parts.values():
            with contextlib.suppress(OSError):
                path.unlink()
    log.info("BEAR export of run %s: %s", run_id, counts)
    return {name: counts[name] for name in FILES}


# --- pass 1: people ------------------------------------------------------------------------------


def _restrict_to_run(cur, batch_ids: list[int]) -> None:
    """Shadow ``doj_row`` on this cursor by the run's rows (temporary objects are per cursor)."""
    ids = ", ".join(str(int(b)) for b in batch_ids) or "NULL"
    cur.execute(f"CREATE OR REPLACE TEMP VIEW doj_row AS "
                f"SELECT * FROM {CATALOG}.main.doj_row WHERE batch_id IN ({ids})")


def _person_table(ws: Workspace, cur, run: _Run, cancel: CancelToken) -> None:
    """Temp table ``bear_person`` on ``cur``: one row per person with an evaluated count in the run."""
    wanted = {s for (s,) in cur.execute(
        "SELECT DISTINCT subject_id FROM count_result WHERE run_id = ?", [run.run_id]).fetchall()}
    columns = ", ".join(f"{name} {kind}" for name, kind in PERSON_TABLE_COLUMNS)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE bear_person ({columns})")
    if not wanted:
        return
    tmp = ws.temp_path("bear")
    reader = ws.cursor(macros=True)   # iter_people needs the cmr_* macros
    cancel.add_interrupt(reader.interrupt)
    written = longest = 0
    try:
        _restrict_to_run(reader, run.batch_ids)
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for person in iter_people(reader, run.county, keep=may_be_read, as_of=run.as_of):
                if person.subject_id not in wanted:
                    continue
                classify(person)
                longest = max(longest, writer.writerow(person_columns(person, run.as_of).row()))
                written += 1
                if written % 2000 == 0:
                    cancel.check()
        if written != len(wanted):
            raise ExportGateError(
                f"The records of run {run.run_id} have changed since it was evaluated "
                f"({len(wanted) - written} people not found); evaluate again before exporting.")
        types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in PERSON_TABLE_COLUMNS) + "}"
        cur.execute(
            f"INSERT INTO bear_person SELECT * FROM read_csv(?, header = false, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', new_line = '\\n', nullstr = '{_NULL}', "
            f"max_line_size = {max_line_size(4 * longest)}, columns = {types})", [str(tmp)])
    finally:
        cancel.remove_interrupt(reader.interrupt)
        reader.close()
        with contextlib.suppress(OSError):
            tmp.unlink()


# --- conflicts and summary -----------------------------------------------------------------------


def _write_conflicts(cur, run: _Run, path: Path) -> int:
    rows = cur.execute(
        "SELECT subject_id, cnt_order, CAST(source_line AS VARCHAR), coalesce(compat_determination, ''), "
        "coalesce(compat_reason, ''), statutory_determination, coalesce(statutory_rule_ids, ''), "
        "coalesce(conflict_details, '') FROM count_result WHERE run_id = ? AND policy_conflict "
        "ORDER BY row_seq", [run.run_id]).fetchall()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_line(CONFLICT_COLUMNS) + "\n")
        fh.writelines(csv_line(r) + "\n" for r in rows)
    return len(rows)
