"""A reviewer's override of a count's determination, and its withdrawal.

Decisions live in ``review_decision``, apart from engine results (``count_result`` is never touched),
and are keyed by the count (``subject_id``, ``cnt_order``) so they carry over to later runs. At most
one decision per count is active; recording a new one deactivates the previous one. Every change is
written to the audit log in the same transaction.

The view ``count_final`` applies the active decision to a run's results; its column
``engine_changed`` is true when the engine's determination differs from the one the reviewer saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import KnownError
from . import audit

DETERMINATIONS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction",
                  "no_relief", "hand_review")
RELIEF = ("dismiss_and_seal", "reduce_to_infraction", "reduce_to_misdemeanor")
RANK = {"dismiss_and_seal": 3, "reduce_to_infraction": 2, "reduce_to_misdemeanor": 1, "no_relief": 0}
BASES = ("statute", "policy")


class OverrideError(KnownError):
    title = "Decision not recorded"


@dataclass(frozen=True)
class Decision:
    decision_id: int
    subject_id: str
    cnt_order: str
    determination: str
    reason: str
    basis: str | None
    ground: str | None
    evidence: str | None
    reviewer: str
    decided_at: datetime
    run_id: int | None
    engine_determination: str | None
    active: bool


_DECISION_COLUMNS = ("decision_id, subject_id, cnt_order, determination, reason, basis, ground, "
                     "evidence, reviewer, decided_at, run_id, engine_determination, active")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def default_basis(determination: str, statutory_determination: str | None) -> str | None:
    """``statute`` when the relief is no more than the statutory floor, else ``policy``."""
    if determination not in RELIEF:
        return None
    floor = RANK.get(statutory_determination or "", -1)
    return "statute" if RANK[determination] <= floor else "policy"


def _engine_row(cur, run_id: int, subject_id: str, cnt_order: str):
    rows = cur.execute(
        "SELECT determination, statutory_determination FROM count_result "
        "WHERE run_id = ? AND subject_id = ? AND cnt_order = ?",
        [run_id, subject_id, cnt_order],
    ).fetchall()
    if not rows:
        raise OverrideError(f"Run {run_id} has no evaluated count {subject_id} / {cnt_order}.")
    return rows[0]


def _active(cur, subject_id: str, cnt_order: str):
    rows = cur.execute(
        f"SELECT {_DECISION_COLUMNS} FROM review_decision "
        "WHERE active AND subject_id = ? AND cnt_order = ? ORDER BY decision_id DESC",
        [subject_id, cnt_order],
    ).fetchall()
    return Decision(*rows[0]) if rows else None


def record_override(ws, run_id: int, subject_id: str, cnt_order: str, determination: str,
                    reason: str, reviewer: str, basis: str | None = None,
                    ground: str | None = None, evidence: str | None = None) -> int:
    """Record the reviewer's decision for one count and return its ``decision_id``.

    Rules: ``reason`` and ``reviewer`` must not be empty; ``determination`` is one of
    :data:`DETERMINATIONS`; for relief, ``basis`` is ``statute`` or ``policy`` (derived from the
    statutory floor when not given); a reviewer-entered ``ground`` (a challenge) needs ``evidence``.
    """
    reason, reviewer = _clean(reason), _clean(reviewer)
    basis, ground, evidence = _clean(basis), _clean(ground), _clean(evidence)
    if determination not in DETERMINATIONS:
        raise OverrideError(f"Unknown determination {determination!r}.")
    if not reason:
        raise OverrideError("Give a reason for the decision; it is kept in the audit log.")
    if not reviewer:
        raise OverrideError("Enter the reviewer's name before deciding.")
    if basis is not None and basis not in BASES:
        raise OverrideError(f"Basis must be 'statute' or 'policy', not {basis!r}.")
    if determination not in RELIEF:
        basis = None
    if ground and not evidence:
        raise OverrideError("A challenge ground entered by the reviewer needs the evidence the "
                            "People will offer.")
    if determination != "no_relief" and (ground or evidence):
        raise OverrideError("A ground and evidence are only recorded for a challenge (no relief).")
    with ws.write() as cur:
        engine, statutory = _engine_row(cur, run_id, subject_id, cnt_order)
        if determination in RELIEF and basis is None:
            basis = default_basis(determination, statutory)
        previous = _active(cur, subject_id, cnt_order)
        cur.execute(
            "UPDATE review_decision SET active = FALSE WHERE active AND subject_id = ? AND cnt_order = ?",
            [subject_id, cnt_order],
        )
        decision_id = cur.execute(
            "SELECT COALESCE(max(decision_id), 0) + 1 FROM review_decision").fetchall()[0][0]
        cur.execute(
            f"INSERT INTO review_decision ({_DECISION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
            [decision_id, subject_id, cnt_order, determination, reason, basis, ground, evidence,
             reviewer, datetime.now(timezone.utc).replace(tzinfo=None), run_id, engine],
        )
        old = previous.determination if previous else engine
        audit.append(ws, reviewer, audit.OVERRIDE, subject_id=subject_id, cnt_order=cnt_order,
                     old_value=old, new_value=_describe(determination, basis, ground),
                     reason=_reason_with_evidence(reason, evidence), cur=cur)
    return decision_id


def _describe(determination: str, basis: str | None, ground: str | None) -> str:
    text = determination
    if basis:
        text += f" (basis: {basis})"
    if ground:
        text += f" (ground: {ground})"
    return text


def _reason_with_evidence(reason: str, evidence: str | None) -> str:
    return f"{reason} | evidence: {evidence}" if evidence else reason


def withdraw_override(ws, run_id: int | None, subject_id: str, cnt_order: str, reason: str,
                      reviewer: str) -> bool:
    """Withdraw the active decision (the engine result applies again). Returns False when there was
    no active decision. Needs a reason and the reviewer's name, like an override."""
    reason, reviewer = _clean(reason), _clean(reviewer)
    if not reason:
        raise OverrideError("Give a reason for withdrawing the decision.")
    if not reviewer:
        raise OverrideError("Enter the reviewer's name before withdrawing a decision.")
    with ws.write() as cur:
        previous = _active(cur, subject_id, cnt_order)
        if previous is None:
            return False
        cur.execute(
            "UPDATE review_decision SET active = FALSE WHERE active AND subject_id = ? AND cnt_order = ?",
            [subject_id, cnt_order],
        )
        engine = None
        if run_id is not None:
            rows = cur.execute(
                "SELECT determination FROM count_result WHERE run_id = ? AND subject_id = ? "
                "AND cnt_order = ?", [run_id, subject_id, cnt_order]).fetchall()
            engine = rows[0][0] if rows else None
        audit.append(ws, reviewer, audit.WITHDRAW, subject_id=subject_id, cnt_order=cnt_order,
                     old_value=previous.determination, new_value=engine or "engine result",
                     reason=reason, cur=cur)
    return True


def active_decision(ws, subject_id: str, cnt_order: str) -> Decision | None:
    cur = ws.cursor()
    try:
        return _active(cur, subject_id, cnt_order)
    finally:
        cur.close()


def decision_history(ws, subject_id: str, cnt_order: str) -> list[Decision]:
    """Every decision ever recorded for the count, newest first."""
    rows = ws.query(
        f"SELECT {_DECISION_COLUMNS} FROM review_decision WHERE subject_id = ? AND cnt_order = ? "
        "ORDER BY decision_id DESC", [subject_id, cnt_order])
    return [Decision(*r) for r in rows]


def changed_underneath(ws, run_id: int) -> list[dict]:
    """Active overrides whose engine determination in ``run_id`` differs from the one the reviewer
    saw when deciding (the rules or the data changed since)."""
    return ws.query_dicts(
        "SELECT d.decision_id, d.subject_id, d.cnt_order, d.determination, d.reviewer, d.decided_at,"
        " d.run_id AS decided_in_run, d.engine_determination AS engine_then,"
        " r.determination AS engine_now"
        " FROM review_decision d JOIN count_result r"
        "   ON r.run_id = ? AND r.subject_id = d.subject_id AND r.cnt_order = d.cnt_order"
        " WHERE d.active AND d.engine_determination IS DISTINCT FROM r.determination"
        " ORDER BY r.row_seq",
        [run_id],
    )
