"""court_data.csv and court_data.xlsx formats (motion-packets §6.7)."""

import hashlib
import zipfile
from datetime import date, datetime

import packet_builders as pb
from openpyxl import load_workbook

from clearmyrecord_desktop.exporters.court_data import (COLUMN_NAMES, CourtDataCsv, CourtDataXlsx, iter_xlsx_rows,
                                                        read_csv_rows)

ROW = ["LA-VNY-20200701-ABCDEF", "A", 1, "A-00001", "0123456789abcdef", "VNY", "Van Nuys", "CA019015J", "LA10",
       'O\'BRIEN & "SONS", MARY <JR>', "1950-03", "A0123", "1000002", 1, "002003001000", "11360(A) HS", "felony",
       "2010-05-04", "completed", "redesignation", "dismiss_and_seal", "policy", "policy.criterion.age_50",
       "reduce_to_misdemeanor"]


def test_csv_exact_bytes(tmp_path):
    w = CourtDataCsv(tmp_path / "c.csv")
    w.write(ROW)
    w.write(["P", "B", 2, "B-00002", "k", "VNY", "Van Nuys", "", "", "ONE,TWO", "", "", "1", "", "001", "11359 HS",
             "felony", "", "unknown", "unknown", "reduce_to_misdemeanor", "statute", "", "reduce_to_misdemeanor"])
    sha = w.close()
    data = (tmp_path / "c.csv").read_bytes()
    assert sha == hashlib.sha256(data).hexdigest()
    lines = data.split(b"\r\n")
    assert lines[0] == ",".join(COLUMN_NAMES).encode()
    assert lines[1] == ('LA-VNY-20200701-ABCDEF,A,1,A-00001,0123456789abcdef,VNY,Van Nuys,CA019015J,LA10,'
                        '"O\'BRIEN & ""SONS"", MARY <JR>",1950-03,A0123,1000002,1,002003001000,11360(A) HS,felony,'
                        '2010-05-04,completed,redesignation,dismiss_and_seal,policy,policy.criterion.age_50,'
                        'reduce_to_misdemeanor').encode()
    assert lines[2].startswith(b'P,B,2,B-00002,k,VNY,Van Nuys,,,"ONE,TWO",,,1,,001,')
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")
    assert not data.startswith(b"\xef\xbb\xbf")


def test_csv_bom_and_verbatim_values(tmp_path):
    w = CourtDataCsv(tmp_path / "c.csv", bom=True)
    row = list(ROW)
    row[9] = "-JONES"          # never prefixed (gate 6 keeps such values out instead)
    w.write(row)
    w.close()
    data = (tmp_path / "c.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpacket_id,")
    assert b",-JONES," in data
    header, rows = read_csv_rows(tmp_path / "c.csv")
    assert header == list(COLUMN_NAMES) and rows[0][9] == "-JONES"


def _xlsx(tmp_path, rows):
    w = CourtDataXlsx(tmp_path / "c.xlsx")
    for r in rows:
        w.write(r)
    w.close(packet_rows=[("packet_id", "LA-VNY-X"), ("court_data_rows", len(rows)), ("court_data_csv_sha256", "ab")],
            when=pb.FIXED_NOW, as_of=date(2020, 7, 1))
    return tmp_path / "c.xlsx"


def test_xlsx_sheets_cells_and_view(tmp_path):
    row2 = list(ROW)
    row2[9] = "=1+1"
    row2[17] = "2013-02"
    path = _xlsx(tmp_path, [ROW, row2])
    wb = load_workbook(path)
    assert wb.sheetnames == ["court_data", "columns", "packet"]
    ws = wb["court_data"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:X3"
    assert [c.value for c in ws[1]] == list(COLUMN_NAMES)
    assert ws["J2"].value == 'O\'BRIEN & "SONS", MARY <JR>' and ws["J2"].data_type == "s"
    assert ws["J3"].value == "=1+1" and ws["J3"].data_type == "s"        # text, never a formula
    assert ws["C2"].value == 1 and ws["N2"].value == 1
    assert ws["R2"].value == datetime(2010, 5, 4) and ws["R2"].number_format == "mm/dd/yyyy"
    assert ws["K2"].value == "1950-03" and ws["K2"].data_type == "s"     # partial date stays text
    assert ws["R3"].value == "2013-02"
    assert ws["W3"].value == "policy.criterion.age_50"
    assert [c.value for c in wb["columns"]["A"]][:3] == ["column", "packet_id", "exhibit"]
    pk = {r[0].value: r[1].value for r in wb["packet"].iter_rows()}
    assert pk["as_of_date"] == datetime(2020, 7, 1) and pk["packet_id"] == "LA-VNY-X" and pk["court_data_rows"] == 2
    wb.close()
    rows = list(iter_xlsx_rows(path))
    assert rows[1][17] == "2010-05-04" and rows[2][17] == "2013-02"


def test_xlsx_and_csv_hold_the_same_values(tmp_path):
    c = CourtDataCsv(tmp_path / "c.csv")
    c.write(ROW)
    c.close()
    path = _xlsx(tmp_path, [ROW])
    _, csv_rows = read_csv_rows(tmp_path / "c.csv")
    assert list(iter_xlsx_rows(path))[1] == csv_rows[0]


def test_xlsx_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _xlsx(tmp_path / "a", [ROW] * 50)
    b = _xlsx(tmp_path / "b", [ROW] * 50)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2020-07-03T17:15:30Z" in zf.read("docProps/core.xml").decode()


def test_empty_court_data(tmp_path):
    path = _xlsx(tmp_path, [])
    assert list(iter_xlsx_rows(path)) == [list(COLUMN_NAMES)]
