"""DOJ research-file import: the outcomes doj-research-file.md 5, 7 and 8 name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
from clearmyrecord_desktop.errors import Cancelled
from clearmyrecord_desktop.importers.doj_research_file import import_files, subject_guess
from clearmyrecord_desktop.jobs.progress import CancelToken, RecordingProgress

CASES = Path(__file__).parents[2] / "data" / "cases"
GOGEN = Path(__file__).parents[2] / "data" / "gogen"


def _csv(path):
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _one(ws, path):
    return import_files(ws, [path])[0]


def _line(**values) -> str:
    row = {c: "" for c in DOJ_COLUMNS}
    row.update({"SUBJECT_ID": "12345678", "CNT_ORDER": "001002001000", "PRI_NAME": "DOE,JANE",
                "DISP_DESCR": "CONVICTED-PROBATION", "END_OF_REC": "#"})
    row.update(values)
    out = []
    for c in DOJ_COLUMNS:
        v = row[c]
        out.append(f'"{v}"' if "," in v else v)
    return ",".join(out)


def test_edge_cases_match_expected_status_of_every_line(workspace):
    result = _one(workspace, CASES / "import_edge_cases.csv")
    expected = _csv(CASES / "import_edge_cases_expected.csv")
    quarantined = {i["line"]: i["reason"] for i in result["issues"]}
    imported = {r[0] for r in workspace.query("SELECT line_no FROM doj_row")}
    for e in expected:
        line = int(e["line"])
        if e["status"] == "quarantined":
            assert quarantined.get(line) == e["reason"], line
        elif e["status"] == "imported":
            assert line in imported, line
        elif e["status"] == "header":
            assert result["has_header"] and line == 1
        elif e["status"] == "blank":
            assert line not in imported and line not in quarantined
    assert result["lines_total"] == len(expected)
    assert (1 + result["blank_lines"] + result["rows_imported"] + result["rows_quarantined"]
            == result["lines_total"])


def test_padded_values_are_trimmed_but_raw_values_kept(workspace):
    _one(workspace, CASES / "import_edge_cases.csv")
    raw, level, county = workspace.query(
        "SELECT \"CONV_STAT_DESCR\", d_level, d_county FROM doj_row WHERE line_no = 3")[0]
    assert raw == "  FELONY\t" and level == "felony" and county == "LOS ANGELES"


def test_placeholder_and_partial_dates(workspace):
    _one(workspace, CASES / "import_edge_cases.csv")
    rows = dict(workspace.query("SELECT line_no, d_cyc_text FROM doj_row WHERE line_no IN (12, 13)"))
    assert rows[12] is None
    dob = workspace.query("SELECT d_dob_text, d_dob_lo, d_dob_hi FROM doj_row WHERE line_no = 13")[0]
    assert dob[0] == "1980" and dob[1].isoformat() == "1980-01-01" and dob[2].isoformat() == "1980-12-31"


def test_statutory_cases_quarantine_exactly_the_listed_lines(workspace):
    result = _one(workspace, CASES / "statutory_cases.csv")
    expected = {(int(r["line"]), r["reason"]) for r in
                _csv(CASES / "statutory_quarantine_expected.csv")}
    assert {(i["line"], i["reason"]) for i in result["issues"]} == expected
    assert result["rows_imported"] + result["rows_quarantined"] + 1 == result["lines_total"]


def test_bad_csv_is_rejected_as_a_whole(workspace):
    result = _one(workspace, GOGEN / "bad.csv")
    assert result["status"] == "rejected"
    assert result["issues"][0]["reason"] == "header_mismatch" and result["issues"][0]["line"] == 1
    assert "94 fields, expected 95" in result["message"] and "END_OF_REC missing" in result["message"]
    assert workspace.query("SELECT count(*) FROM doj_row")[0][0] == 0
    assert workspace.query("SELECT count(*) FROM import_batch")[0][0] == 0


@pytest.mark.parametrize("name", ["extra_comma.csv", "no_headers.csv", "configurable_flow_input.csv"])
def test_gogen_fixtures_import_38_rows(workspace, name):
    result = _one(workspace, GOGEN / name)
    assert (result["status"], result["rows_imported"], result["rows_quarantined"]) == ("imported", 38, 0)


def test_no_headers_gives_the_same_rows_as_extra_comma(tmp_path):
    from clearmyrecord_desktop.store.database import open_workspace

    values = []
    for name in ("extra_comma.csv", "no_headers.csv"):
        with open_workspace(tmp_path / f"{name}.duckdb") as ws:
            _one(ws, GOGEN / name)
            cols = ", ".join(f'"{c}"' for c in DOJ_COLUMNS)
            values.append(ws.query(f"SELECT {cols} FROM doj_row ORDER BY line_no"))
    assert values[0] == values[1]


def test_same_file_twice_is_refused(workspace):
    assert _one(workspace, CASES / "statutory_cases.csv")["status"] == "imported"
    again = _one(workspace, CASES / "statutory_cases.csv")
    assert again["status"] == "duplicate" and "already imported" in again["message"]
    assert workspace.query("SELECT count(*) FROM import_batch")[0][0] == 1


def test_empty_and_blank_files_are_rejected(workspace, tmp_path):
    empty = tmp_path / "empty.dat"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.dat"
    blank.write_bytes(b"\n  \r\n\t\n")
    for path in (empty, blank):
        result = _one(workspace, path)
        assert result["status"] == "rejected" and result["issues"][0]["reason"] == "empty_file"


def test_renamed_xlsx_gets_one_clear_error(workspace, tmp_path):
    fake = tmp_path / "extract.dat"
    fake.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    result = _one(workspace, fake)
    assert result["status"] == "rejected" and "Excel" in result["message"]


def test_missing_file_is_unreadable(workspace, tmp_path):
    result = _one(workspace, tmp_path / "nope.dat")
    assert result["status"] == "rejected" and result["issues"][0]["reason"] == "unreadable_file"


def test_latin1_file_is_read_with_a_warning(workspace, tmp_path):
    path = tmp_path / "latin.dat"
    path.write_bytes((_line(PRI_NAME="MUÑOZ,JOSÉ") + "\n").encode("iso-8859-1"))
    result = _one(workspace, path)
    assert result["rows_imported"] == 1 and "not_utf8" in result["warnings"]
    assert workspace.query('SELECT "PRI_NAME" FROM doj_row')[0][0] == "MUÑOZ,JOSÉ"


def test_crlf_and_lone_cr(workspace, tmp_path):
    path = tmp_path / "crlf.dat"
    text = _line(COMMENT_TEXT="A\rB") + "\r\n" + _line(CNT_ORDER="001002002000") + "\r\n"
    path.write_bytes(text.encode())
    result = _one(workspace, path)
    assert result["rows_imported"] == 2
    assert workspace.query('SELECT "COMMENT_TEXT" FROM doj_row WHERE line_no = 1')[0][0] == "A\rB"


def test_a_line_longer_than_duckdbs_default_limit_imports(workspace, tmp_path):
    # DuckDB's max_line_size follows the longest row (kept small otherwise, for parallel reading)
    long_comment = "SEE 11357 HS " + "X" * (3 * 1024 * 1024)
    path = tmp_path / "long.dat"
    path.write_text(_line() + "\n" + _line(CNT_ORDER="001002002000", COMMENT_TEXT=long_comment) + "\n",
                    encoding="utf-8")
    result = _one(workspace, path)
    assert (result["rows_imported"], result["rows_quarantined"]) == (2, 0)
    assert workspace.query('SELECT length("COMMENT_TEXT") FROM doj_row WHERE line_no = 2')[0][0] == len(long_comment)


def test_a_long_bad_line_is_quarantined_whole(workspace, tmp_path):
    bad = _line(COMMENT_TEXT='"' + "Y" * (3 * 1024 * 1024)) + ","
    path = tmp_path / "long_bad.dat"
    path.write_text(_line() + "\n" + bad + "\n", encoding="utf-8")
    result = _one(workspace, path)
    assert (result["rows_imported"], result["rows_quarantined"]) == (1, 1)
    assert workspace.query("SELECT raw_line FROM quarantine")[0][0] == bad


def test_structural_problems_are_quarantined_with_line_numbers(workspace, tmp_path):
    good = _line()
    lines = [
        good,
        good.replace("DOE,JANE", 'DOE,"JANE'),              # quote inside a quoted field: bad
        good + ",",                                           # 96 fields
        good.replace("\"DOE,JANE\"", "\"DOE,JANE\" "),       # space after closing quote
        good.replace("12345678", "  \"12345678\""),          # quote after leading spaces
        good.replace("DOE,JANE", "DOE\x00JANE"),
        "",
        _line(CNT_ORDER="001002003000", PRI_NAME='SMITH ""JR"",JOHN'),  # escaped quotes: fine
    ]
    path = tmp_path / "bad.dat"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = _one(workspace, path)
    got = {i["line"]: i["reason"] for i in result["issues"]}
    assert got == {2: "bad_quote", 3: "wrong_field_count", 4: "bad_quote", 5: "bad_quote",
                   6: "bad_characters"}
    assert result["rows_imported"] == 2 and result["blank_lines"] == 1
    assert workspace.query('SELECT "PRI_NAME" FROM doj_row WHERE line_no = 8')[0][0] == 'SMITH "JR",JOHN'
    msg = workspace.query("SELECT message FROM quarantine WHERE line_no = 3")[0][0]
    assert msg == "96 fields, expected 95"


def test_quarantined_subject_guess():
    assert subject_guess('1,,"123",x') == "123"
    assert subject_guess("1,, 456 ,x") == "456"
    assert subject_guess("1,2") == ""


def test_cancel_leaves_no_batch(workspace):
    token = CancelToken()

    class CancelOnStore(RecordingProgress):
        def update(self, done, total, message=""):
            if message.startswith("Storing"):
                token.cancel()

    with pytest.raises(Cancelled):
        import_files(workspace, [CASES / "statutory_cases.csv"], CancelOnStore(), token)
    assert workspace.query("SELECT count(*) FROM doj_row")[0][0] == 0
    assert workspace.query("SELECT count(*) FROM import_batch")[0][0] == 0
    assert workspace.integrity_check() == []
    leftovers = list(workspace.path.parent.glob(".cmr-*"))
    assert leftovers == []


def test_several_files_one_workspace(workspace):
    results = import_files(workspace, [CASES / "statutory_cases.csv", GOGEN / "extra_comma.csv"])
    assert [r["status"] for r in results] == ["imported", "imported"]
    batches = workspace.query("SELECT batch_id, rows_imported FROM import_batch ORDER BY 1")
    assert batches == [(1, 254), (2, 38)]
    assert workspace.integrity_check() == []


def test_storing_reports_duckdb_progress(workspace, monkeypatch):
    """The long INSERT moves the bar (DuckDB's estimate, polled); here the poll is made frequent."""
    from clearmyrecord_desktop.store import query_progress

    seen = []
    real = query_progress.reporting
    monkeypatch.setattr(query_progress, "reporting",
                        lambda cur, report, every_s=0.25: real(cur, lambda f: (seen.append(f), report(f)), 0.001))
    progress = RecordingProgress()
    import_files(workspace, [CASES / "statutory_cases.csv"], progress)
    storing = [u for u in progress.updates if u[2].startswith("Storing")]
    assert storing and all(0 <= f <= 1 for f in seen)
    assert all(done <= total for done, total, _ in storing)
