"""The audit log's hash chain: append, verify, detect tampering, export."""

import csv

import pytest

from clearmyrecord_desktop.review import audit
from clearmyrecord_desktop.store.database import open_workspace


@pytest.fixture
def ws(tmp_path):
    workspace = open_workspace(tmp_path / "w.duckdb")
    yield workspace
    workspace.close()


def _fill(ws, n=5):
    for i in range(n):
        audit.append(ws, "clerk", audit.IMPORT, new_value=f"file{i}.csv", reason=f"{i} rows")


def test_empty_chain_verifies(ws):
    assert audit.verify_chain(ws) == (True, None)


def test_chain_links_and_verifies(ws):
    _fill(ws)
    rows = ws.query("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq")
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == audit.GENESIS_HASH
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 5))
    assert audit.verify_chain(ws) == (True, None)


def test_hash_is_sha256_of_prev_and_canonical_json(ws):
    _fill(ws, 1)
    row = ws.query_dicts("SELECT * FROM audit_log")[0]
    import hashlib
    expected = hashlib.sha256((row["prev_hash"] + audit.canonical_json(row)).encode()).hexdigest()
    assert row["hash"] == expected


@pytest.mark.parametrize("sql,bad", [
    ("UPDATE audit_log SET reason = 'changed' WHERE seq = 3", 3),
    ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", 1),
    ("DELETE FROM audit_log WHERE seq = 2", 3),
    ("UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = 4", 4),
])
def test_tampering_is_detected(ws, sql, bad):
    _fill(ws)
    with ws.write() as cur:
        cur.execute(sql)
    assert audit.verify_chain(ws) == (False, bad)


def test_append_inside_caller_transaction_rolls_back_with_it(ws):
    with pytest.raises(RuntimeError):
        with ws.write() as cur:
            audit.append(ws, "clerk", audit.EVALUATE, new_value="run 1", cur=cur)
            raise RuntimeError("job failed")
    assert audit.count_rows(ws) == 0


def test_append_needs_actor(ws):
    with pytest.raises(ValueError):
        audit.append(ws, " ", audit.EXPORT)


def test_export_csv(ws, tmp_path):
    _fill(ws, 3)
    out = tmp_path / "audit.csv"
    assert audit.export_audit_csv(ws, out) == 3
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["seq"] for r in rows] == ["1", "2", "3"]
    assert list(rows[0]) == list(audit.CSV_COLUMNS)
    assert rows[2]["prev_hash"] == rows[1]["hash"]
