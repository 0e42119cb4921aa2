"""The evaluation engine end to end on the golden cases (../shared/cases copied to tests/data)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.rules.catalog import lookup
from clearmyrecord_desktop.rules.engine import evaluate, ruleset_hash

CASES = Path(__file__).parents[2] / "data" / "cases"
AS_OF = dt.date(2020, 7, 1)


def _expected():
    return list(csv.DictReader((CASES / "statutory_expected.csv").read_text(encoding="utf-8").splitlines()))


def _set(text):
    return set(filter(None, (text or "").split(";")))


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    from clearmyrecord_desktop.store.database import open_workspace

    ws = open_workspace(tmp_path_factory.mktemp("golden") / "ws.duckdb")
    import_files(ws, [CASES / "statutory_cases.csv"])
    run_id = evaluate(ws, "LOS ANGELES", AS_OF, "statutory")
    rows = {(r["subject_id"], r["cnt_order"]): r
            for r in ws.query_dicts("SELECT * FROM count_result WHERE run_id = ?", [run_id])}
    yield ws, run_id, rows
    ws.close()


def test_evaluated_counts_are_exactly_the_expected_ones(golden):
    _, _, rows = golden
    assert set(rows) == {(e["subject_id"], e["cnt_order"]) for e in _expected()}


@pytest.mark.parametrize("expected", _expected(), ids=lambda e: e["notes"].split(":")[0])
def test_golden_case(golden, expected):
    _, _, rows = golden
    got = rows[(expected["subject_id"], expected["cnt_order"])]
    assert got["statutory_determination"] == expected["statutory_determination"], got["statutory_reason"]
    assert got["relief_path"] == expected["relief_path"]
    assert _set(got["unknown_facts"]) == _set(expected["unknown_facts"])
    assert _set(got["disqualifiers"]) == _set(expected["disqualifiers"])
    assert got["code_section"] == expected["code_section"]
    # the statutory preset's final determination is the statutory floor
    assert got["determination"] == got["statutory_determination"]
    assert got["reason"] and got["statutory_reason"]


def test_every_emitted_rule_id_is_in_the_catalog(golden):
    _, _, rows = golden
    for row in rows.values():
        for rule_id in (row["statutory_rule_ids"] + ";" + row["rule_ids"]).split(";"):
            assert lookup(rule_id).citation


def test_run_record_is_reproducible(golden):
    ws, run_id, _ = golden
    run = ws.query_dicts("SELECT * FROM eval_run WHERE run_id = ?", [run_id])[0]
    assert run["ruleset_hash"] == ruleset_hash() and len(run["ruleset_hash"]) == 64
    assert run["as_of"] == AS_OF and run["filing_county"] == "LOS ANGELES"
    assert run["policy_id"] == "statutory" and len(run["policy_sha256"]) == 64
    assert run["app_version"] and '"sha256"' in run["inputs"]


def test_rerun_creates_a_new_run_and_keeps_the_old(golden):
    ws, run_id, rows = golden
    second = evaluate(ws, "LOS ANGELES", AS_OF, "los_angeles_2020")
    assert second == run_id + 1
    assert ws.query("SELECT count(*) FROM count_result WHERE run_id = ?", [run_id])[0][0] == len(rows)
    routed = ws.query("SELECT count(*) FROM count_result WHERE run_id = ? AND review_route = 'city_attorney'",
                      [second])[0][0]
    assert routed > 0


def _file(tmp_path, *rows: dict) -> Path:
    lines = []
    for values in rows:
        row = {c: "" for c in DOJ_COLUMNS}
        row.update({"SUBJECT_ID": "90000001", "CNT_ORDER": "001002001000", "PRI_NAME": "TEST,PERSON",
                    "DISP_DESCR": "CONVICTED-PROBATION", "STP_TYPE_DESCR": "COURT ACTION",
                    "STP_ORI_CNTY_NAME": "LOS ANGELES", "STP_ORI_DESCR": "CASC LOS ANGELES",
                    "CYC_DATE": "20100101", "STP_EVENT_DATE": "20100301", "PRI_DOB": "19700101",
                    "OFFENSE_DESCR": "11357(B) HS-POSSESS", "CONV_STAT_DESCR": "MISDEMEANOR", "OFN": "BA1",
                    "SENT_LOC_DESCR": "PROBATION", "SENT_LENGTH": "12", "SENT_TIME_CODE": "M",
                    "END_OF_REC": "#"})
        row.update(values)
        lines.append(",".join(f'"{row[c]}"' if "," in row[c] else row[c] for c in DOJ_COLUMNS))
    path = tmp_path / "one.dat"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _decide(workspace, tmp_path, **values):
    import_files(workspace, [_file(tmp_path, values)])
    run_id = evaluate(workspace, "Los Angeles", AS_OF)
    return workspace.query_dicts("SELECT * FROM count_result WHERE run_id = ?", [run_id])[0]


def test_adult_11357b_misdemeanor_is_dismissed(workspace, tmp_path):
    row = _decide(workspace, tmp_path)
    assert row["statutory_determination"] == "dismiss_and_seal"
    assert row["relief_path"] == "redesignation"


def test_unknown_dob_and_age_never_grant_dismissal(workspace, tmp_path):
    row = _decide(workspace, tmp_path, PRI_DOB="", CYC_AGE="")
    assert row["statutory_determination"] == "reduce_to_infraction"
    assert "age_unknown" in row["unknown_facts"]


def test_unknown_level_goes_to_review(workspace, tmp_path):
    row = _decide(workspace, tmp_path, CONV_STAT_DESCR="", OFFENSE_TOC="")
    assert row["statutory_determination"] == "hand_review" and row["level"] == "unknown"


def test_no_dates_at_all_goes_to_review(workspace, tmp_path):
    row = _decide(workspace, tmp_path, CYC_DATE="", STP_EVENT_DATE="", DISP_DATE="")
    assert row["statutory_determination"] == "hand_review"
    assert _set(row["unknown_facts"]) >= {"offense_date_unknown", "conviction_date_unknown"}


def test_post_prop64_offense_gets_no_relief(workspace, tmp_path):
    row = _decide(workspace, tmp_path, CYC_DATE="20170101", STP_EVENT_DATE="20170301")
    assert row["statutory_determination"] == "no_relief"
    assert row["statutory_rule_ids"] == "stat.date.post_prop64"


def test_other_county_is_history_only(workspace, tmp_path):
    import_files(workspace, [_file(tmp_path, {"STP_ORI_CNTY_NAME": "ORANGE"})])
    run_id = evaluate(workspace, "LOS ANGELES", AS_OF)
    assert workspace.query("SELECT count(*) FROM count_result WHERE run_id = ?", [run_id])[0][0] == 0


def test_progress_moves_forward_to_the_end(tmp_path):
    from clearmyrecord_desktop.jobs.progress import RecordingProgress
    from clearmyrecord_desktop.store.database import open_workspace

    ws = open_workspace(tmp_path / "ws.duckdb")
    try:
        import_files(ws, [CASES / "statutory_cases.csv"])
        progress = RecordingProgress()
        evaluate(ws, "LOS ANGELES", AS_OF, "statutory", progress=progress)
    finally:
        ws.close()
    fractions = [done / total for done, total, _ in progress.updates]
    assert all(0 <= f <= 1 for f in fractions) and fractions == sorted(fractions)
    assert fractions[-1] == 1
    assert [m for _, _, m in progress.updates][0] == "Reading records"
    assert [m for _, _, m in progress.updates][-1] == "Saving results"


def test_records_changed_during_the_run_stop_the_save(workspace, tmp_path, monkeypatch):
    """A count whose first row is gone when the results are saved (the records changed while the
    rules ran) never gets another count's facts: the run is not saved, and the user is told."""
    from clearmyrecord_desktop.errors import WorkspaceError
    from clearmyrecord_desktop.rules.results import ResultWriter

    import_files(workspace, [_file(tmp_path, {}, {"SUBJECT_ID": "90000002", "PRI_NAME": "OTHER,PERSON"})])
    real = ResultWriter.load

    def load_after_a_change(self, cur, *args, **kw):
        cur.execute("DELETE FROM doj_row WHERE d_subject_id = '90000001'")
        return real(self, cur, *args, **kw)
    monkeypatch.setattr(ResultWriter, "load", load_after_a_change)
    with pytest.raises(WorkspaceError, match="changed while the evaluation ran"):
        evaluate(workspace, "LOS ANGELES", AS_OF)
    assert workspace.query("SELECT count(*) FROM eval_run")[0][0] == 0
    assert workspace.query("SELECT count(*) FROM doj_row")[0][0] == 2  # the change was rolled back too
