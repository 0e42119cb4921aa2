"""Overrides and withdrawals: rules, storage in review_decision, audit rows, changed underneath."""

import pytest

from clearmyrecord_desktop.review import audit, decisions
from clearmyrecord_desktop.review.decisions import OverrideError
from clearmyrecord_desktop.store.database import open_workspace


def _run(cur, run_id, rows):
    cur.execute(
        "INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name,"
        " policy_version, policy_sha256, ruleset_hash, app_version, inputs)"
        " VALUES (?, now(), 'LOS ANGELES', DATE '2020-07-01', 'statutory', 'Statutory', '1', 'x',"
        " 'h', '0', '[]')", [run_id])
    for seq, (subject, cnt, det, stat) in enumerate(rows):
        cur.execute(
            "INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq,"
            " statutory_determination, determination) VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, subject, cnt, seq, stat, det])


@pytest.fixture
def ws(tmp_path):
    workspace = open_workspace(tmp_path / "w.duckdb")
    with workspace.write() as cur:
        _run(cur, 1, [("S1", "001002001000", "hand_review", "hand_review"),
                      ("S2", "001002001000", "reduce_to_misdemeanor", "reduce_to_misdemeanor")])
    yield workspace
    workspace.close()


def test_override_is_stored_apart_from_results_and_audited(ws):
    decision_id = decisions.record_override(ws, 1, "S1", "001002001000", "dismiss_and_seal",
                                            "Only possession, 1990", "J. Doe")
    assert decision_id == 1
    assert ws.query("SELECT determination FROM count_result WHERE subject_id='S1'") == [("hand_review",)]
    final = ws.query_dicts("SELECT final_determination, reviewed, engine_changed, review_basis "
                           "FROM count_final WHERE run_id=1 AND subject_id='S1'")[0]
    assert final == {"final_determination": "dismiss_and_seal", "reviewed": True,
                     "engine_changed": False, "review_basis": "policy"}
    row = ws.query_dicts("SELECT actor, action, subject_id, old_value, new_value, reason FROM audit_log")[0]
    assert row["actor"] == "J. Doe" and row["action"] == audit.OVERRIDE
    assert row["old_value"] == "hand_review" and row["new_value"].startswith("dismiss_and_seal")


@pytest.mark.parametrize("reason,reviewer", [("", "J. Doe"), ("   ", "J. Doe"), ("ok", ""), ("ok", None)])
def test_override_needs_reason_and_reviewer(ws, reason, reviewer):
    with pytest.raises(OverrideError):
        decisions.record_override(ws, 1, "S1", "001002001000", "no_relief", reason, reviewer)
    assert ws.query("SELECT count(*) FROM review_decision")[0][0] == 0
    assert ws.query("SELECT count(*) FROM audit_log")[0][0] == 0


def test_override_rejects_unknown_count_and_determination(ws):
    with pytest.raises(OverrideError):
        decisions.record_override(ws, 1, "NOPE", "001002001000", "no_relief", "r", "me")
    with pytest.raises(OverrideError):
        decisions.record_override(ws, 1, "S1", "001002001000", "pardon", "r", "me")


def test_challenge_ground_needs_evidence(ws):
    with pytest.raises(OverrideError):
        decisions.record_override(ws, 1, "S1", "001002001000", "no_relief", "danger", "me",
                                  ground="Unreasonable risk of danger to public safety")
    decisions.record_override(ws, 1, "S1", "001002001000", "no_relief", "danger", "me",
                              ground="Unreasonable risk", evidence="Declaration of officer")
    d = decisions.active_decision(ws, "S1", "001002001000")
    assert d.ground == "Unreasonable risk" and d.evidence == "Declaration of officer"


def test_new_decision_replaces_previous_and_withdraw(ws):
    first = decisions.record_override(ws, 1, "S2", "001002001000", "dismiss_and_seal", "a", "me")
    second = decisions.record_override(ws, 1, "S2", "001002001000", "reduce_to_infraction", "b", "me")
    active = ws.query("SELECT decision_id FROM review_decision WHERE active")
    assert active == [(second,)] and first != second
    assert [d.decision_id for d in decisions.decision_history(ws, "S2", "001002001000")] == [second, first]
    assert decisions.withdraw_override(ws, 1, "S2", "001002001000", "mistake", "me") is True
    assert decisions.active_decision(ws, "S2", "001002001000") is None
    assert decisions.withdraw_override(ws, 1, "S2", "001002001000", "again", "me") is False
    actions = [r[0] for r in ws.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["override", "override", "withdraw"]
    assert audit.verify_chain(ws) == (True, None)


def test_basis_default_statute_when_at_floor(ws):
    decisions.record_override(ws, 1, "S2", "001002001000", "reduce_to_misdemeanor", "agree", "me")
    assert decisions.active_decision(ws, "S2", "001002001000").basis == "statute"
    decisions.record_override(ws, 1, "S2", "001002001000", "no_relief", "challenge", "me",
                              basis="policy")
    assert decisions.active_decision(ws, "S2", "001002001000").basis is None


def test_changed_underneath_after_new_run(ws):
    decisions.record_override(ws, 1, "S1", "001002001000", "dismiss_and_seal", "ok", "me")
    decisions.record_override(ws, 1, "S2", "001002001000", "dismiss_and_seal", "ok", "me")
    with ws.write() as cur:
        _run(cur, 2, [("S1", "001002001000", "no_relief", "no_relief"),
                      ("S2", "001002001000", "reduce_to_misdemeanor", "reduce_to_misdemeanor")])
    assert decisions.changed_underneath(ws, 1) == []
    changed = decisions.changed_underneath(ws, 2)
    assert [(c["subject_id"], c["engine_then"], c["engine_now"]) for c in changed] == [
        ("S1", "hand_review", "no_relief")]
    flags = ws.query("SELECT subject_id, final_determination, engine_changed FROM count_final "
                     "WHERE run_id = 2 ORDER BY subject_id")
    assert flags == [("S1", "dismiss_and_seal", True), ("S2", "dismiss_and_seal", False)]
