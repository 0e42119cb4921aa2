"""Synthetic DOJ research file generator: format contract, determinism, dirty lines, summary."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from clearmyrecord_desktop.domain.doj_columns import COLUMN_INDEX as COL
from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS
from clearmyrecord_desktop.synth.generator import generate, people_for_rows

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "resources" / "sample" / "sample_doj_extract.csv"
DATE_COLUMNS = ("PRI_DOB", "CYC_DATE", "STP_EVENT_DATE", "DISP_DATE")

# plain Prop 64 citation with code HS or none (eligibility.md §4, doj-research-file.md §4.7)
_PROP64_PLAIN = re.compile(
    r"^(11357|11358|11359|11360)(?![\d.])(?:\([A-Z0-9]{1,3}\))*\s*"
    r"(H&S|HSC|HS|PC|VC|BP|B&P|FG|F&G|WIC|W&I|WI|WC|GC|MV)?(?![A-Z&])(?=$|[\s\-:,;])"
)


def strict_fields(line: str) -> list[str]:
    """Split one line exactly as doj-research-file.md §2.3 prescribes; ValueError on bad quoting."""
    fields: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            parts, j = [], i + 1
            while True:
                k = line.find('"', j)
                if k < 0:
                    raise ValueError("unclosed quote")
                if k + 1 < n and line[k + 1] == '"':
                    parts.append(line[j:k + 1])
                    j = k + 2
                    continue
                parts.append(line[j:k])
                i = k + 1
                break
            fields.append("".join(parts))
            if i == n:
                return fields
            if line[i] != ",":
                raise ValueError("text after closing quote")
            i += 1
        else:
            k = line.find(",", i)
            field = line[i:] if k < 0 else line[i:k]
            if '"' in field:
                raise ValueError("quote in unquoted field")
            fields.append(field)
            if k < 0:
                return fields
            i = k + 1


def date_ok(value: str) -> bool:
    """Exact, partial or not-recorded date (doj-research-file.md §4.3)."""
    v = value.strip()
    if v == "" or set(v) <= {"x", "X"} or set(v) == {"0"}:
        return True
    if len(v) != 8 or not v.isdigit():
        return False
    y, m, d = int(v[:4]), int(v[4:6]), int(v[6:])
    if not 1800 <= y <= 2100:
        return False
    if m == 0:
        return d == 0
    if d == 0:
        return 1 <= m <= 12
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def line_problem(line: str) -> str | None:
    """The quarantine reason the importer should give a data line, or None if it is valid."""
    try:
        fields = strict_fields(line)
    except ValueError:
        return "bad_quote"
    if len(fields) != 95:
        return "wrong_field_count"
    if not fields[COL["SUBJECT_ID"]].strip():
        return "missing_subject_id"
    cnt = fields[COL["CNT_ORDER"]].strip()
    if len(cnt) != 12 or not cnt.isdigit():
        return "bad_cnt_order"
    for name in DATE_COLUMNS:
        if not date_ok(fields[COL[name]]):
            return "bad_date"
    return None


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("synth") / "clean.csv"
    return path, generate(path, people=150, seed=11)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled sample's parameters (also checked against the committed file)."""
    path = tmp_path_factory.mktemp("synth") / "dirty.csv"
    return path, generate(path, people=300, seed=2016, county="LOS ANGELES", dirty=True)


def test_header_is_exactly_the_95_names(clean):
    path, _ = clean
    with open(path, encoding="utf-8", newline="") as fh:
        first = fh.readline()
    assert first == ",".join(DOJ_COLUMNS) + "\n"


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    sa = generate(a, people=60, seed=3, dirty=True)
    sb = generate(b, people=60, seed=3, dirty=True)
    generate(c, people=60, seed=4, dirty=True)
    assert a.read_bytes() == b.read_bytes()
    assert sa == {**sb, "path": sa["path"]}
    assert a.read_bytes() != c.read_bytes()
    assert not (tmp_path / "a.csv.part").exists()


def test_every_line_has_95_fields_with_csv_module(clean):
    path, summary = clean
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, strict=True))
    assert len(rows) == summary["lines"]
    assert {len(r) for r in rows} == {95}


def test_clean_file_has_no_malformed_lines(clean):
    path, summary = clean
    raw = path.read_bytes()
    assert b"\r" not in raw and b"\x00" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == ""                       # final LF, nothing after it
    data = lines[1:-1]
    assert len(data) == summary["data_lines"] == summary["rows"]
    assert summary["malformed_lines"] == 0 and summary["blank_lines"] == 0
    for line in data:
        assert line.strip(), "blank line in a clean file"
        assert line_problem(line) is None, line
        fields = strict_fields(line)
        assert re.fullmatch(r"\d{8}", fields[COL["SUBJECT_ID"]])
        assert re.fullmatch(r"\d{12}", fields[COL["CNT_ORDER"]])
        assert fields[COL["CNT_ORDER"]].endswith("000")
        assert fields[COL["END_OF_REC"]] == "#"
        for sep in ("REQ_SEG_SEP", "PII_SEG_SEP", "PDR_SEG_SEP", "CYC_SEG_SEP", "STP_SEG_SEP",
                    "CNT_SEG_SEP", "SENT_SEG_SEP"):
            assert fields[COL[sep]] == "#"


def test_cnt_order_parts_match_cycle_and_step(clean):
    path, _ = clean
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    for r in rows:
        cnt = r[COL["CNT_ORDER"]]
        assert cnt[:3] == r[COL["CYC_ORDER"]]
        assert cnt[3:6] == r[COL["STP_ORDER"]]
        age = r[COL["CYC_AGE"]]
        assert age == "" or (age.isdigit() and 13 <= int(age) <= 95)


def test_structure_and_summary_counts(clean):
    path, summary = clean
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    subjects = {r[COL["SUBJECT_ID"]] for r in rows}
    assert len(subjects) == summary["people"] == 150
    steps = {r[COL["STP_TYPE_DESCR"]] for r in rows}
    assert {"ARREST/DETAINED/CITED", "COURT ACTION"} <= steps
    disps = {r[COL["DISP_DESCR"]] for r in rows}
    assert {"CONVICTED-PROBATION", "CONVICTED-JAIL", "CONVICTED-PRISON", "DISMISSED/CHARGE DROPPED"} <= disps
    # multi-part sentences: the same count repeated with SENT_ORDER 001, 002
    parts: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        if r[COL["DISP_DESCR"]].startswith("CONVICTED"):
            parts.setdefault((r[COL["SUBJECT_ID"]], r[COL["CNT_ORDER"]]), set()).add(r[COL["SENT_ORDER"]])
    assert any(v >= {"001", "002"} for v in parts.values())
    # plain Prop 64 convictions in the filing county, counted from the file
    found: set[tuple[str, str]] = set()
    p64_people: set[str] = set()
    for r in rows:
        if not r[COL["DISP_DESCR"]].strip().upper().startswith("CONVICTED"):
            continue
        if " ".join(r[COL["STP_ORI_CNTY_NAME"]].split()).upper() != "LOS ANGELES":
            continue
        text = r[COL["OFFENSE_DESCR"]].strip()
        if not text or " ".join(text.split()).upper() == "SEE COMMENT FOR CHARGE":
            text = r[COL["COMMENT_TEXT"]].strip()
        m = _PROP64_PLAIN.match(text)
        if m and m.group(2) in (None, "HS", "H&S", "HSC"):
            found.add((r[COL["SUBJECT_ID"]], r[COL["CNT_ORDER"]]))
            p64_people.add(r[COL["SUBJECT_ID"]])
    assert len(found) == summary["prop64_counts_in_county_by_class"]["prop64"]
    assert summary["prop64_counts_in_county"] >= len(found)
    assert p64_people == subjects                 # why DOJ sent each record
    assert summary["conviction_counts"] == len(parts)


def test_dirty_file_has_the_announced_malformed_lines(dirty):
    path, summary = dirty
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    assert lines[0] == ",".join(DOJ_COLUMNS)
    blank = [ln for ln in lines[1:] if not ln.strip()]
    reasons: dict[str, int] = {}
    for line in lines[1:]:
        if line.strip():
            problem = line_problem(line)
            if problem:
                reasons[problem] = reasons.get(problem, 0) + 1
    assert len(lines) == summary["lines"]
    assert len(blank) == summary["blank_lines"]
    assert sum(reasons.values()) == summary["malformed_lines"] > 0
    assert reasons == summary["malformed_by_kind"]
    assert summary["rows"] == summary["data_lines"] - summary["malformed_lines"]


def test_other_filing_county_gets_its_own_courthouses(tmp_path):
    path = tmp_path / "sac.csv"
    summary = generate(path, people=40, seed=9, county="Sacramento")
    assert summary["county"] == "SACRAMENTO"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    courts = {r[COL["STP_ORI_DESCR"]] for r in rows
              if r[COL["STP_TYPE_DESCR"]] == "COURT ACTION" and r[COL["STP_ORI_CNTY_NAME"]] == "SACRAMENTO"}
    assert courts and all(c.startswith("CASC SACRAMENTO") for c in courts)
    assert summary["prop64_counts_in_county"] >= 40


def test_progress_is_reported(tmp_path):
    seen = []
    generate(tmp_path / "p.csv", people=30, seed=1, progress=lambda d, t, m: seen.append((d, t)))
    assert seen and seen[-1] == (30, 30)


def test_people_for_rows_is_about_right():
    assert 40_000 < people_for_rows(1_000_000) < 60_000


def test_bundled_sample_is_reproducible(dirty):
    """The committed demo file is exactly generate(people=300, seed=2016, dirty=True)."""
    path, summary = dirty
    assert SAMPLE.read_bytes() == path.read_bytes(), "regenerate resources/sample (see README.txt)"
    assert set(summary["malformed_by_kind"]) == {"wrong_field_count", "bad_quote", "bad_date",
                                                 "bad_cnt_order", "missing_subject_id"}
    assert summary["blank_lines"] >= 2
