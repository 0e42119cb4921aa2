"""Append-only audit log with a SHA-256 hash chain.

Every row's ``hash`` is ``sha256(prev_hash + canonical_json(row fields))`` where the fields are
``seq, logged_at, actor, action, subject_id, cnt_order, old_value, new_value, reason``; the first
row's ``prev_hash`` is 64 zeros. Changing, inserting or deleting a row in the middle breaks the chain
at that row; :func:`verify_chain` finds the first broken row.

How to log (other subsystems)::

    from clearmyrecord_desktop.review import audit
    audit.append(ws, actor, audit.IMPORT, new_value="file.csv sha256=…", reason="12 rows")
    # inside your own write transaction, pass its cursor so the audit row commits with your work:
    with ws.write() as cur:
        ...
        audit.append(ws, actor, audit.EVALUATE, new_value=f"run {run_id}", cur=cur)

Values are records of the office's work (they may name a count by subject id and count order); they
never go to the application log.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

GENESIS_HASH = "0" * 64

# Actions (stable strings; shown in the audit viewer).
IMPORT = "import"
EVALUATE = "evaluate"
OVERRIDE = "override"
WITHDRAW = "withdraw"
EXPORT = "export"
VERIFY = "verify"
SETTINGS = "settings"

FIELDS = ("seq", "logged_at", "actor", "action", "subject_id", "cnt_order",
          "old_value", "new_value", "reason")
CSV_COLUMNS = FIELDS + ("prev_hash", "hash")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def canonical_json(fields: dict[str, Any]) -> str:
    """The bytes that are hashed: sorted keys, no white space, timestamps in ISO form."""
    clean = {}
    for key in FIELDS:
        value = fields.get(key)
        if isinstance(value, datetime):
            value = value.isoformat(timespec="microseconds")
        clean[key] = value
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def append(ws, actor: str, action: str, *, subject_id: str | None = None,
           cnt_order: str | None = None, old_value: Any = None, new_value: Any = None,
           reason: str | None = None, cur=None) -> int:
    """Add one audit row and return its ``seq``.

    ``cur``: a cursor of an open ``ws.write()`` transaction (the row then commits or rolls back with
    the caller's work). Without it the row is written in its own transaction.
    """
    if not actor or not str(actor).strip():
        raise ValueError("audit.append needs an actor")
    if not action or not str(action).strip():
        raise ValueError("audit.append needs an action")
    if cur is not None:
        return _append(cur, actor, action, subject_id, cnt_order, old_value, new_value, reason)
    with ws.write() as own:
        return _append(own, actor, action, subject_id, cnt_order, old_value, new_value, reason)


def _append(cur, actor, action, subject_id, cnt_order, old_value, new_value, reason) -> int:
    last = cur.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    seq, prev_hash = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS_HASH)
    fields = {
        "seq": seq, "logged_at": _now(), "actor": str(actor).strip(), "action": str(action),
        "subject_id": _text(subject_id), "cnt_order": _text(cnt_order),
        "old_value": _text(old_value), "new_value": _text(new_value), "reason": _text(reason),
    }
    digest = row_hash(prev_hash, fields)
    cur.execute(
        "INSERT INTO audit_log (seq, logged_at, actor, action, subject_id, cnt_order, old_value,"
        " new_value, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [fields[k] for k in FIELDS] + [prev_hash, digest],
    )
    return seq


def _iter_rows(ws, batch: int = 2000):
    cur = ws.cursor()
    try:
        res = cur.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM audit_log ORDER BY seq")
        while True:
            rows = res.fetchmany(batch)
            if not rows:
                break
            for row in rows:
                yield dict(zip(CSV_COLUMNS, row))
    finally:
        cur.close()


def verify_chain(ws) -> tuple[bool, int | None]:
    """Recompute the chain. Returns ``(True, None)`` if intact, else ``(False, seq)`` of the first
    row that does not match (a changed row, a removed row's successor, or a broken link)."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for row in _iter_rows(ws):
        seq = row["seq"]
        if seq != expected_seq or row["prev_hash"] != prev_hash:
            return False, seq
        if row_hash(prev_hash, row) != row["hash"]:
            return False, seq
        prev_hash = row["hash"]
        expected_seq += 1
    return True, None


def count_rows(ws) -> int:
    return ws.query("SELECT count(*) FROM audit_log")[0][0]


def export_audit_csv(ws, path: str | Path) -> int:
    """Write the whole log (with hashes, so the chain can be re-checked) as UTF-8 CSV. Returns the
    number of rows. Values are written verbatim."""
    path = Path(path)
    n = 0
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in _iter_rows(ws):
            values = []
            for key in CSV_COLUMNS:
                value = row[key]
                if isinstance(value, datetime):
                    value = value.isoformat(timespec="microseconds")
                values.append("" if value is None else value)
            writer.writerow(values)
            n += 1
    tmp.replace(path)
    return n
