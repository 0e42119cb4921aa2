"""The BEAR/gogen compatibility export (eligibility.md §11.2) against gogen 0.2.13's golden fixtures
(copied from ../shared/peer/gogen to tests/data/gogen; MIT, see LICENSE-gogen-fixtures.txt)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from clearmyrecord_desktop.errors import ExportGateError
from clearmyrecord_desktop.exporters.bear_columns import (
    EMPTY_RESULT_TAIL,
    FULL_HEADER,
    RESULT_COLUMNS,
    conviction_date_text,
    csv_line,
    hint_only_tail,
    occurred_after,
    possible_other_p64,
    quote_field,
    years_since,
)
from clearmyrecord_desktop.exporters.bear_compat import FILES, bear_options_of, write_bear_export
from clearmyrecord_desktop.exporters.bear_rows import QUOTE_MACRO
from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.rules.engine import evaluate
from clearmyrecord_desktop.rules.policy import load_policy

GOGEN = Path(__file__).resolve().parents[2] / "data" / "gogen"
OPTIONS = GOGEN / "eligibility_options.json"
AS_OF = dt.date(2019, 11, 11)
CSVS = ("All_Results.csv", "All_Results_Condensed.csv", "Prop64_Results.csv")


def _run(tmp_path, inputs, county, policy="bear_compatible", options=OPTIONS):
    from clearmyrecord_desktop.store.database import open_workspace

    ws = open_workspace(tmp_path / "ws.duckdb")
    for name in inputs:
        (result,) = import_files(ws, [GOGEN / name])
        assert (result["status"], result["rows_imported"], result["rows_quarantined"]) == ("imported", 38, 0)
    run_id = evaluate(ws, county, AS_OF, policy, str(options) if options else None)
    return ws, run_id


def _export(tmp_path_factory, name, county):
    tmp = tmp_path_factory.mktemp(name.replace(".", "_"))
    ws, run_id = _run(tmp, [name], county)
    try:
        written = write_bear_export(ws, run_id, tmp / "out")
    finally:
        ws.close()
    return tmp / "out", written


@pytest.fixture(scope="module")
def configurable(tmp_path_factory):
    return _export(tmp_path_factory, "configurable_flow_input.csv", "SACRAMENTO")


@pytest.fixture(scope="module")
def extra_comma(tmp_path_factory):
    return _export(tmp_path_factory, "extra_comma.csv", "SAN JOAQUIN")


@pytest.fixture(scope="module")
def no_headers(tmp_path_factory):
    return _export(tmp_path_factory, "no_headers.csv", "San Joaquin ")


def _conflicts(out: Path) -> list[dict]:
    text = (out / "Statutory_Conflicts.csv").read_bytes().decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    return list(csv.DictReader(text.splitlines()))


# --- golden files, byte for byte --------------------------------------------------------------------


@pytest.mark.parametrize("file", CSVS)
def test_configurable_flow_is_byte_identical(configurable, file):
    out, _ = configurable
    assert (out / file).read_bytes() == (GOGEN / f"configurable_flow_expected_{file}").read_bytes()


@pytest.mark.parametrize("file", CSVS)
def test_extra_comma_is_byte_identical(extra_comma, file):
    out, _ = extra_comma
    assert (out / file).read_bytes() == (GOGEN / f"extra_comma_expected_{file}").read_bytes()


@pytest.mark.parametrize("file", CSVS)
def test_no_headers_gives_the_extra_comma_bytes(no_headers, file):
    out, _ = no_headers
    assert (out / file).read_bytes() == (GOGEN / f"extra_comma_expected_{file}").read_bytes()


def test_returned_row_counts_and_no_leftovers(configurable, extra_comma):
    out, written = configurable
    assert written == {"All_Results.csv": 38, "All_Results_Condensed.csv": 38, "Prop64_Results.csv": 18,
                       "gogen.json": 1, "Statutory_Conflicts.csv": 4}
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert extra_comma[1]["Prop64_Results.csv"] == 15
    # no temporary files left next to the workspace either
    assert not list(out.parent.glob(".cmr-*"))


def test_summary_equals_gogen_ignoring_run_time(configurable):
    out, _ = configurable
    got = json.loads((out / "gogen.json").read_text(encoding="utf-8"))
    want = json.loads((GOGEN / "configurable_flow_expected_summary.json").read_text(encoding="utf-8"))
    assert list(got) == list(want)  # keys in gogen's order
    assert isinstance(got.pop("processingTimeInSeconds"), float)
    want.pop("processingTimeInSeconds")
    assert got == want
    for key, value in got.items():  # nested maps sorted by key
        if isinstance(value, dict):
            assert list(value) == sorted(value), key


# --- Statutory_Conflicts.csv -------------------------------------------------------------------------


def test_configurable_flow_conflicts_are_the_readme_four(configurable):
    rows = _conflicts(configurable[0])
    assert list(rows[0]) == ["subject_id", "cnt_order", "line", "eligibility_determination",
                             "eligibility_reason", "statutory_determination", "statutory_rule_ids",
                             "conflict_details"]
    got = [(r["line"], r["subject_id"], r["cnt_order"], r["eligibility_determination"], r["eligibility_reason"],
            r["statutory_determination"], r["statutory_rule_ids"], set(r["conflict_details"].split(";")))
           for r in rows]
    assert got == [
        ("11", "17954908", "101001010000", "Eligible for Dismissal", "57 years or older", "hand_review",
         "stat.dq.possible", {"D2|possible|290 PC REGISTRATION|1979-06-01|678544|101001009000"}),
        ("26", "84734892", "101001024000", "Eligible for Reduction", "Reduce all HS 11359 convictions",
         "hand_review", "stat.dq.possible", {"D1|possible|220 PC|1998-05-04|757392|101001021000"}),
        ("29", "14575654", "101001027000", "Eligible for Dismissal", "Misdemeanor or Infraction", "no_relief",
         "stat.11359.misdemeanor.adult.none",
         {"D3|definite|11359 HS|1991-04-11|222344|101001026000",
          "D3|definite|11359 HS|2010-03-05|140195|101001025000"}),
        ("39", "313458", "101001027000", "Eligible for Dismissal", "Dismiss all HS 11358 convictions",
         "hand_review", "stat.date.offense_unknown", {"post_prop64?"}),
    ]


@pytest.mark.parametrize("fixture, offset", [("extra_comma", 0), ("no_headers", 1)])
def test_extra_comma_conflicts(request, fixture, offset):
    rows = _conflicts(request.getfixturevalue(fixture)[0])
    got = [(int(r["line"]) + offset, r["subject_id"], r["cnt_order"], r["eligibility_determination"],
            r["eligibility_reason"], set(r["conflict_details"].split(";"))) for r in rows]
    assert got == [
        (22, "90675321", "101001019000", "Eligible for Dismissal", "Misdemeanor or Infraction",
         {"D2|definite|314(1) PC|1981-04-11||101001018000", "post_prop64?"}),
        (28, "84734892", "101001024000", "Eligible for Reduction", "Reduce all HS 11359 convictions",
         {"D1|possible|220 PC|1998-05-04||101001021000"}),
        (31, "14575654", "101001027000", "Eligible for Dismissal", "Misdemeanor or Infraction",
         {"D3|definite|11359 HS|1991-04-11||101001025000", "D3|definite|11359 HS|1991-04-11||101001026000"}),
    ]


# --- the run's files only ----------------------------------------------------------------------------


def test_export_covers_only_the_runs_files(tmp_path):
    """A file imported after the run (here with the same people) changes nothing in its export."""
    ws, run_id = _run(tmp_path, ["configurable_flow_input.csv"], "SACRAMENTO")
    try:
        (later,) = import_files(ws, [GOGEN / "extra_comma.csv"])
        assert later["status"] == "imported"
        written = write_bear_export(ws, run_id, tmp_path / "out")
        # a run over both files merges the people (and sees 76 lines)
        both = evaluate(ws, "SACRAMENTO", AS_OF, "bear_compatible", str(OPTIONS))
        merged = write_bear_export(ws, both, tmp_path / "merged")
    finally:
        ws.close()
    assert written["All_Results.csv"] == 38
    for file in CSVS:
        assert (tmp_path / "out" / file).read_bytes() == \
            (GOGEN / f"configurable_flow_expected_{file}").read_bytes()
    assert json.loads((tmp_path / "out" / "gogen.json").read_text())["lineCount"] == 38
    assert merged["All_Results.csv"] == 76
    assert json.loads((tmp_path / "merged" / "gogen.json").read_text())["lineCount"] == 76
    assert (tmp_path / "merged" / "All_Results.csv").read_bytes() != \
        (GOGEN / "configurable_flow_expected_All_Results.csv").read_bytes()


def test_export_replaces_old_files(tmp_path):
    ws, run_id = _run(tmp_path, ["configurable_flow_input.csv"], "SACRAMENTO")
    try:
        out = tmp_path / "out"
        out.mkdir()
        (out / "All_Results.csv").write_text("old\n")
        write_bear_export(ws, run_id, out)
    finally:
        ws.close()
    assert (out / "All_Results.csv").read_bytes() == \
        (GOGEN / "configurable_flow_expected_All_Results.csv").read_bytes()
    assert not list(out.glob("*.part"))


def test_a_run_without_bear_options_is_refused(tmp_path):
    ws, run_id = _run(tmp_path, ["configurable_flow_input.csv"], "SACRAMENTO", policy="statutory", options=None)
    try:
        with pytest.raises(ExportGateError, match="bear_compatible"):
            write_bear_export(ws, run_id, tmp_path / "out")
        with pytest.raises(ExportGateError, match="no evaluation run 99"):
            write_bear_export(ws, 99, tmp_path / "out")
    finally:
        ws.close()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_bear_options_are_recovered_from_the_stored_policy_text():
    with_file = load_policy("bear_compatible", OPTIONS)
    assert bear_options_of(with_file.source_text) == with_file.bear
    assert with_file.bear.dismiss == ("11357", "11358") and with_file.bear.reduce == ("11359", "11360")
    preset = load_policy("bear_compatible")
    assert bear_options_of(preset.source_text) == preset.bear
    assert preset.bear.dismiss == ("11357", "11358", "11359", "11360")
    assert bear_options_of(load_policy("statutory").source_text) is None
    assert bear_options_of(load_policy("los_angeles_2020").source_text) is None


# --- CSV quoting (gogen's Go encoding/csv) -----------------------------------------------------------

QUOTING = [
    ("", ""),
    ("x       ", "x       "),
    ("NULL  ", "NULL  "),
    ("         x", '"         x"'),
    ("\tx", '"\tx"'),
    ("\u3000x", '"\u3000x"'),
    ("\xa0x", '"\xa0x"'),
    ("\x1fx", "\x1fx"),  # not white space for Go's unicode.IsSpace
    ("SKYWALKER,LUKE S", '"SKYWALKER,LUKE S"'),
    ('say "hi"', '"say ""hi"""'),
    ("a\rb", '"a\rb"'),
    ("a\nb", '"a\nb"'),
    ("\\.", '"\\."'),
    ("\\.x", "\\.x"),
    ("a b", "a b"),
    ("# of convictions on record", "# of convictions on record"),
]


@pytest.mark.parametrize("value, written", QUOTING)
def test_quote_field(value, written):
    assert quote_field(value) == written


def test_sql_quoting_macro_agrees_with_quote_field():
    import duckdb

    con = duckdb.connect()
    con.execute(QUOTE_MACRO)
    for value, written in QUOTING:
        assert con.execute("SELECT bear_q(?)", [value]).fetchone()[0] == written, repr(value)
    assert con.execute("SELECT bear_q(NULL)").fetchone()[0] == ""
    con.close()


def test_line_layouts():
    assert len(FULL_HEADER) == 113 and len(RESULT_COLUMNS) == 18
    assert EMPTY_RESULT_TAIL == "," * 17
    tail = hint_only_tail("11359 HS-OTHER CANNABIS")
    assert tail.split(",") == ["", "", "11359 HS-OTHER CANNABIS"] + [""] * 15
    assert hint_only_tail("") == EMPTY_RESULT_TAIL
    assert hint_only_tail(" 11359, x").split(",", 3)[2] == '" 11359'
    assert csv_line(["a", " b", "c,d"]) == 'a," b","c,d"'


# --- Possible Other P64 Charges ----------------------------------------------------------------------


@pytest.mark.parametrize("od, ct, hint", [
    ("11358 HS-CULTIVATE CANNABIS", "11359 HS-OTHER CANNABIS", "11359 HS-OTHER CANNABIS"),  # fixture line 14
    ("SEE COMMENT FOR CHARGE", "11358 HS-CULTIVATE CANNABIS", ""),
    ("  SEE COMMENT FOR CHARGE ", "11358 HS", ""),
    ("   ", "11358 HS", ""),
    ("", "11358 HS", ""),
    (None, "11358 HS", ""),
    ("11358 HS", "", ""),
    ("11358 HS", None, ""),
    ("11358 HS", "POSSESSION", ""),
    ("11358 HS", "11358 HS AGAIN", ""),
    ("459 PC-BURGLARY", " 11360 HS ", " 11360 HS "),            # o none → ct raw
    ("182/11359 HS", "664/11359", ""),                          # unanchored reading, same section
    ("11359.5 XX", "113578", "113578"),                         # unanchored: 11357 in ct, 11359 in od
    ("11357(A) HS", "11357(C) HS", "11357(C) HS"),
    ("11357(C) HS", "11357(B) HS", "11357(B) HS"),
    ("11357(A) HS", "11357(B) HS", ""),
    ("11357(C) HS", "11357(D) HS", ""),
    ("11357 HS", "11357(B) HS", "11357(B) HS"),                 # only b
    ("11357(A) HS", "11357 HS", ""),                            # only a
    ("11357 HS", "11357 HS", ""),
    ("11357(E) HS", "11357(b) HS", ""),                         # lower case / E are no subsection
    ("11357(A) 11358", "11358 then 11357(C)", "11358 then 11357(C)"),  # leftmost: 11357 vs 11358
])
def test_possible_other_p64(od, ct, hint):
    assert possible_other_p64(od, ct) == hint


# --- dates -------------------------------------------------------------------------------------------


def test_date_columns():
    assert years_since(AS_OF, dt.date(1981, 4, 11)) == "38.6"
    assert years_since(AS_OF, dt.date(1985, 11, 1)) == "34.0"
    assert years_since(AS_OF, AS_OF) == "0.0"
    assert years_since(AS_OF, None) == ""
    assert conviction_date_text(dt.date(1979, 6, 1), dt.date(1979, 6, 1)) == "06/01/1979"
    assert conviction_date_text(dt.date(1979, 6, 1), dt.date(1979, 6, 30)) == ""
    assert conviction_date_text(None, None) == ""
    assert occurred_after(dt.date(2016, 11, 9)) == "N"
    assert occurred_after(dt.date(2016, 11, 10)) == "Y"
    assert occurred_after(None) == "N"


def test_a_run_without_evaluated_counts(tmp_path):
    """Filing county with no Prop 64 count: every row, empty result columns, an all-zero summary."""
    ws, run_id = _run(tmp_path, ["configurable_flow_input.csv"], "ALAMEDA")
    try:
        written = write_bear_export(ws, run_id, tmp_path / "out")
    finally:
        ws.close()
    assert written == {"All_Results.csv": 38, "All_Results_Condensed.csv": 38, "Prop64_Results.csv": 0,
                       "gogen.json": 1, "Statutory_Conflicts.csv": 0}
    lines = (tmp_path / "out" / "All_Results.csv").read_text(encoding="utf-8").splitlines()
    expected = (GOGEN / "configurable_flow_expected_All_Results.csv").read_text(encoding="utf-8").splitlines()
    # raw part unchanged; result columns empty except the hint on line 14
    hint_rows = [i for i, line in enumerate(lines[1:], start=2) if not line.endswith(EMPTY_RESULT_TAIL)]
    assert hint_rows == [14]
    assert [r[:95] for r in csv.reader(lines)] == [r[:95] for r in csv.reader(expected)]
    assert (tmp_path / "out" / "Prop64_Results.csv").read_text(encoding="utf-8") == lines[0] + "\n"
    summary = json.loads((tmp_path / "out" / "gogen.json").read_text(encoding="utf-8"))
    assert summary["county"] == "ALAMEDA" and summary["earliestConviction"] is None
    assert summary["lineCount"] == 38 and summary["subjectsWithProp64ConvictionCountInCounty"] == 0
    assert summary["reliefWithCurrentEligibilityChoices"] == {
        "CountSubjectsNoConviction": 0, "CountSubjectsNoConvictionLast7Years": 0, "CountSubjectsNoFelony": 0}
    assert summary["prop64ConvictionsCountInCountyByCodeSection"] == {}
    assert summary["convictionDismissalCountByCodeSection"] == {"11357": 0, "11358": 0}
    assert summary["convictionReductionCountByCodeSection"] == {"11359": 0, "11360": 0}
    assert summary["convictionDismissalCountByAdditionalRelief"] == {}


def test_module_does_not_load_qt():
    import subprocess
    import sys

    code = ("import sys, clearmyrecord_desktop.exporters.bear_compat; "
            "sys.exit(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_awkward_values_are_written_as_gogen_quotes_them(tmp_path):
    """DuckDB writes the rows itself (COPY without quoting): values with a lone CR, quotes, commas,
    a leading (Unicode) space or ``\\.`` come out exactly as gogen quotes them. (A line feed inside
    quotes is a broken line to the importer: such a row never reaches the export.)"""
    import csv
    import io

    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
    from clearmyrecord_desktop.exporters.bear_columns import csv_line

    awkward = ["A\rB", '"QUOTED", X', " LEADING", "\u00a0NBSP", "\\.", "PLAIN"]
    name_at = DOJ_COLUMNS.index("PRI_NAME")
    source = list(csv.reader(io.StringIO((GOGEN / "configurable_flow_input.csv").read_text(encoding="utf-8"),
                                         newline="")))
    header, rows = source[0], source[1:]
    for i, row in enumerate(rows):
        row[name_at] = awkward[i % len(awkward)]
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows([header] + rows)
    changed = tmp_path / "awkward.csv"
    changed.write_bytes(buf.getvalue().encode("utf-8"))

    from clearmyrecord_desktop.store.database import open_workspace

    ws = open_workspace(tmp_path / "ws.duckdb")
    try:
        (result,) = import_files(ws, [changed])
        assert (result["rows_imported"], result["rows_quarantined"]) == (38, 0)
        write_bear_export(ws, evaluate(ws, "SACRAMENTO", AS_OF, "bear_compatible", str(OPTIONS)), tmp_path / "out")
    finally:
        ws.close()
    for file, at in (("All_Results.csv", name_at), ("All_Results_Condensed.csv", 1)):
        golden = list(csv.reader(io.StringIO((GOGEN / f"configurable_flow_expected_{file}").read_text(
            encoding="utf-8"), newline="")))
        for i, row in enumerate(golden[1:]):
            row[at] = awkward[i % len(awkward)]
        expected = "".join(csv_line(row) + "\n" for row in golden)
        assert (tmp_path / "out" / file).read_bytes() == expected.encode("utf-8")
