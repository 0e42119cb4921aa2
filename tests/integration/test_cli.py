"""The headless CLI contract (issue: foundation / engine): JSON keys and exit codes automation uses."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parents[1] / "data"


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clearmyrecord_desktop", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


def test_version():
    done = cli("--version")
    assert done.returncode == 0 and "ClearMyRecord Desktop" in done.stdout


def test_import_json_summary(tmp_path):
    ws = tmp_path / "w.duckdb"
    done = cli("import", "--workspace", ws, DATA / "cases" / "statutory_cases.csv",
               DATA / "gogen" / "bad.csv", "--json")
    summary = json.loads(done.stdout)
    assert done.returncode == 1  # one file was rejected
    assert summary["rows_imported"] == 254 and summary["rows_quarantined"] == 2
    assert [f["status"] for f in summary["files"]] == ["imported", "rejected"]
    issues = {(i["file"], i["line"], i["reason"]) for i in summary["issues"]}
    assert ("statutory_cases.csv", 247, "bad_cnt_order") in issues
    assert ("bad.csv", 1, "header_mismatch") in issues


def test_evaluate_and_export_results(tmp_path):
    ws = tmp_path / "w.duckdb"
    assert cli("import", "--workspace", ws, DATA / "cases" / "statutory_cases.csv").returncode == 0
    done = cli("evaluate", "--workspace", ws, "--county", "LOS ANGELES", "--as-of", "2020-07-01", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["run_id"] == 1 and summary["counts"] == 97
    assert summary["by_determination"] == {"dismiss_and_seal": 9, "hand_review": 16, "no_relief": 21,
                                           "reduce_to_infraction": 14, "reduce_to_misdemeanor": 37}
    assert len(summary["ruleset_hash"]) == 64 and summary["policy"]["id"] == "statutory"
    out = tmp_path / "out"
    assert cli("export", "--workspace", ws, "--out", out, "--what", "results").returncode == 0
    rows = list(csv.DictReader((out / "results.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 97
    for column in ("subject_id", "cnt_order", "name", "dob", "cii_number", "county", "courthouse",
                   "case_number", "code_section", "level", "offense_date", "conviction_date",
                   "statutory_determination", "determination", "relief_path", "rule_ids", "reason",
                   "unknown_facts", "disqualifiers"):
        assert column in rows[0]


def test_bad_date_and_missing_workspace_are_clear_errors(tmp_path):
    done = cli("evaluate", "--workspace", tmp_path / "none.duckdb", "--county", "X")
    assert done.returncode == 2 and "No workspace file" in done.stderr
    done = cli("evaluate", "--workspace", tmp_path / "none.duckdb", "--county", "X", "--as-of", "2020-13-01")
    assert done.returncode == 2 and "not a date" in done.stderr


def test_run_bear_compatible(tmp_path):
    out = tmp_path / "bear"
    done = cli("run", DATA / "gogen" / "configurable_flow_input.csv", "--county", "SACRAMENTO",
               "--as-of", "2019-11-11", "--policy", "bear_compatible",
               "--options", DATA / "gogen" / "eligibility_options.json", "--out", out)
    assert done.returncode == 0, done.stderr
    expected = DATA / "gogen" / "configurable_flow_expected_All_Results.csv"
    assert (out / "All_Results.csv").read_bytes() == expected.read_bytes()
    assert (out / "results.csv").exists() and (out / "gogen.json").exists()


def test_generate_is_deterministic(tmp_path):
    a, b = tmp_path / "a.dat", tmp_path / "b.dat"
    for path in (a, b):
        assert cli("generate", "--people", 20, "--seed", 7, "--out", path).returncode == 0
    assert a.read_bytes() == b.read_bytes()
