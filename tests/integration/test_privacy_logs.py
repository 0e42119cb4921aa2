"""No personal data in logs or crash reports (architecture.md 1.4 and 9).

A small synthetic DOJ file carries one person with sentinel values (name, date of birth, CII number,
case number). The command line runs import → evaluate → export (results, draft packets and summary
report) → verify → GUI screenshot with CLEARMYRECORD_HOME in a temporary folder; then no file under
the logs folder (nor any command's stderr) may contain a sentinel. A crash report forced from an
error that quotes a sentinel must not contain it either. The sentinels must, however, reach the
exported results, or the test would prove nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

SENTINEL_NAME = "QZXWVUTS,PERSEPHONE QUILLON"
SENTINEL_CII = "S98765432"
SENTINEL_DOB = "19560229"
SENTINEL_CASE = "ZQ7741XK"


def _forms() -> list[str]:
    """Every way a sentinel could be written into a log."""
    last, first = SENTINEL_NAME.split(",")
    return [SENTINEL_NAME, last, first.split()[0], first.split()[1], SENTINEL_CII, SENTINEL_CASE,
            SENTINEL_DOB, "1956-02-29", "02/29/1956", "2/29/1956", "29.02.1956"]


@pytest.fixture(scope="module")
def sentinel_extract(tmp_path_factory) -> Path:
    """A synthetic extract in which one person with a Prop 64 count in the county gets the sentinels."""
    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
    from clearmyrecord_desktop.importers.doj_research_file import import_files
    from clearmyrecord_desktop.rules.engine import evaluate
    from clearmyrecord_desktop.store.database import Workspace
    from clearmyrecord_desktop.synth.generator import generate

    folder = tmp_path_factory.mktemp("privacy_src")
    source = folder / "source.csv"
    generate(source, people=10, seed=41, county="LOS ANGELES")
    with Workspace(folder / "scratch.duckdb", create=True) as ws:
        import_files(ws, [source])
        evaluate(ws, "LOS ANGELES", dt.date(2020, 7, 1))
        subject, name, cii, case = ws.query(
            "SELECT subject_id, name, cii_number, case_number FROM count_result "
            "WHERE name <> '' AND cii_number <> '' AND case_number <> '' ORDER BY subject_id, cnt_order LIMIT 1")[0]
        dob = ws.query("SELECT d_dob_lo FROM doj_row WHERE d_subject_id = ? AND d_dob_lo IS NOT NULL LIMIT 1",
                       [subject])[0][0]
    old_dob = dob.strftime("%Y%m%d")
    swap = {name: SENTINEL_NAME, cii: SENTINEL_CII, case: SENTINEL_CASE, old_dob: SENTINEL_DOB}
    i_subject = DOJ_COLUMNS.index("SUBJECT_ID")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    changed = 0
    with open(source, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if row[i_subject].strip() == subject:
                new = [swap.get(v.strip(), v) for v in row]
                changed += new != row
                row = new
            writer.writerow(row)
    assert changed > 0
    path = folder / "sentinel_extract.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    for value in (SENTINEL_NAME, SENTINEL_CII, SENTINEL_CASE, SENTINEL_DOB):
        assert value in text
    return path


def _cli(args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([PY, "-m", "clearmyrecord_desktop", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"{args[0]} failed:\n{proc.stderr[-3000:]}"
    return proc


def _leaks(text: str) -> list[str]:
    low = text.lower()
    return [f for f in _forms() if f.lower() in low]


def test_no_personal_data_in_logs(tmp_path, sentinel_extract):
    home = tmp_path / "home"
    env = dict(os.environ)
    env["CLEARMYRECORD_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    ws = tmp_path / "privacy.duckdb"
    out = tmp_path / "out"
    stderr = []
    stderr.append(_cli(["import", "--workspace", str(ws), str(sentinel_extract), "--json"], env, tmp_path).stderr)
    stderr.append(_cli(["evaluate", "--workspace", str(ws), "--county", "LOS ANGELES", "--json"], env, tmp_path).stderr)
    # office settings for the export gates (there is no CLI command for settings)
    code = ("import sys\nfrom clearmyrecord_desktop.store.database import Workspace\n"
            "from clearmyrecord_desktop.settings import demo_settings, save_settings\n"
            "from clearmyrecord_desktop.exporters.results import latest_run\n"
            "with Workspace(sys.argv[1]) as ws:\n    save_settings(ws, demo_settings(ws, latest_run(ws)))\n")
    subprocess.run([PY, "-c", code, str(ws)], env=env, check=True, timeout=120)
    stderr.append(_cli(["export", "--workspace", str(ws), "--out", str(out), "--what", "results"], env,
                       tmp_path).stderr)
    proc = _cli(["export", "--workspace", str(ws), "--out", str(out), "--what", "all", "--draft"], env, tmp_path)
    stderr.append(proc.stderr)
    export_dir = json.loads(proc.stdout)["export_dir"]
    stderr.append(_cli(["verify", export_dir], env, tmp_path).stderr)
    stderr.append(_cli(["gui", "--workspace", str(ws), "--screenshot", str(tmp_path / "s.png")], env,
                       tmp_path).stderr)

    # the sentinels did go through the pipeline
    results = (out / "results.csv").read_text(encoding="utf-8-sig")
    for value in (SENTINEL_NAME, SENTINEL_CII, SENTINEL_CASE):
        assert value in results

    logs = home / "logs"
    files = [p for p in logs.rglob("*") if p.is_file()]
    assert files, "the commands wrote no log at all"
    assert sum(p.stat().st_size for p in files) > 0
    for path in files:
        leaks = _leaks(path.read_text(encoding="utf-8", errors="replace"))
        assert leaks == [], f"{path.name} contains {leaks}"
    for text in stderr:
        assert _leaks(text) == [], f"stderr contains {_leaks(text)}:\n{text[-2000:]}"


def test_no_personal_data_in_a_forced_crash_report(_isolated_user_dirs):
    """A bug whose message and local variables hold record data: the crash file shows neither."""
    from clearmyrecord_desktop.gui.crash import build_report, write_crash_file
    from clearmyrecord_desktop.paths import user_dir

    def parse_row(name=SENTINEL_NAME, dob=SENTINEL_DOB, cii=SENTINEL_CII, case=SENTINEL_CASE):
        raise ValueError(f"Conversion Error: could not convert '{dob}' for {name} ({cii}, case {case})")

    try:
        parse_row()
    except ValueError as exc:
        path = write_crash_file(build_report(exc))
    assert path is not None and path.parent == user_dir("logs")
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text and "parse_row" in text
    assert _leaks(text) == []
