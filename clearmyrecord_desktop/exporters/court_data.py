"""The court data file: ``court_data.csv`` and ``court_data.xlsx`` (motion-packets.md section 6.7).

Both are written row by row while the exhibits are stamped, so they hold exactly the exhibit rows in the
same order with the same ``row_id``s. Values are written verbatim (gate 6 keeps formula-like values out);
XLSX text cells are typed as text so nothing can evaluate, and the archive is rewritten with fixed
timestamps so the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..documents.packet import CHALLENGE_CSV_COLUMNS, COURT_DATA_COLUMNS, exact_date
from ..documents.stamping import core_properties_xml, write_archive

CSV_NAME = "court_data.csv"
XLSX_NAME = "court_data.xlsx"
CHALLENGE_CSV_NAME = "challenge_list.csv"
COLUMN_NAMES = tuple(c for c, _ in COURT_DATA_COLUMNS)
DATE_COLUMNS = {"dob", "conviction_date"}
INT_COLUMNS = {"row_no", "count"}
DATE_FORMAT = "mm/dd/yyyy"

_WIDTHS = {"packet_id": 26, "exhibit": 8, "row_no": 7, "row_id": 10, "count_key": 18, "courthouse_code": 10,
           "courthouse_name": 22, "court_ori": 12, "court_case_number": 16, "name": 28, "dob": 11,
           "cii_number": 12, "subject_id": 12, "count": 7, "cnt_order": 14, "code_section": 14, "level": 11,
           "conviction_date": 12, "sentence_status": 11, "relief_path": 14, "relief": 22, "basis": 8,
           "policy_rule": 26, "statutory_floor": 22}


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class CsvWriter:
    """UTF-8 (optional BOM), comma, header row, CRLF, quoted only when needed."""

    def __init__(self, path: str | Path, columns: Sequence[str], *, bom: bool = False):
        self.path = Path(path)
        self._raw = open(self.path, "wb")
        if bom:
            self._raw.write(b"\xef\xbb\xbf")
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        self._csv = csv.writer(self._text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._csv.writerow(columns)
        self.rows = 0

    def write(self, values: Sequence) -> None:
        self._csv.writerow(["" if v is None else v for v in values])
        self.rows += 1

    def close(self) -> str:
        """Close the file and return its SHA-256."""
        self._text.flush()
        self._text.close()
        return sha256_file(self.path)


class CourtDataCsv(CsvWriter):
    def __init__(self, path: str | Path, *, bom: bool = False):
        super().__init__(path, COLUMN_NAMES, bom=bom)


class ChallengeCsv(CsvWriter):
    def __init__(self, path: str | Path, *, bom: bool = False):
        super().__init__(path, CHALLENGE_CSV_COLUMNS, bom=bom)


_DATE_STYLE_TOKEN = b"\x00CMR-DATE-STYLE\x00"
_EPOCH = date(1899, 12, 30)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CourtDataXlsx:
    """Sheet ``court_data`` (frozen header, autofilter, text cells typed as inline strings, dates as date
    cells shown MM/DD/YYYY), then ``columns`` and ``packet``.

    The workbook is made by openpyxl in write-only mode. The ``court_data`` rows themselves are
    serialised here, straight into a temporary file, in the same SpreadsheetML openpyxl writes (inline
    strings, numbers, date serials with the date style): at county scale openpyxl's per-cell writer is
    the slowest step of the whole export. At close the rows are streamed into the archive."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._rows = tempfile.TemporaryFile()
        self._letters = [get_column_letter(i) for i in range(1, len(COLUMN_NAMES) + 1)]
        self._kinds = ["date" if n in DATE_COLUMNS else "int" if n in INT_COLUMNS else "text" for n in COLUMN_NAMES]
        self.rows = 0

    def write(self, values: Sequence) -> None:
        r = self.rows + 2
        out = [f'<row r="{r}">']
        for letter, kind, v in zip(self._letters, self._kinds, values):
            if v is None or v == "":
                continue
            if kind == "int":
                out.append(f'<c r="{letter}{r}" t="n"><v>{int(v)}</v></c>')
                continue
            if kind == "date":
                d = exact_date(v)
                if d is not None:
                    out.append(f'<c r="{letter}{r}" s="\x00CMR-DATE-STYLE\x00" t="n"><v>{(d - _EPOCH).days}</v></c>')
                    continue
            text = str(v)
            space = ' xml:space="preserve"' if text != text.strip() else ""
            out.append(f'<c r="{letter}{r}" t="inlineStr"><is><t{space}>{_esc(text)}</t></is></c>')
        out.append("</row>")
        self._rows.write("".join(out).encode("utf-8"))
        self.rows += 1

    def close(self, *, packet_rows: Sequence[tuple[str, object]], when: datetime, title: str = "Court data",
              as_of: date | None = None) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("court_data")
        ws.freeze_panes = "A2"
        for i, name in enumerate(COLUMN_NAMES, 1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 12)
        ws.auto_filter.ref = f"A1:{self._letters[-1]}{self.rows + 1}"
        ws.append([_text(ws, name, bold=True) for name in COLUMN_NAMES])
        cols = wb.create_sheet("columns")
        cols.column_dimensions["A"].width = 20
        cols.column_dimensions["B"].width = 90
        cols.append([_text(cols, "column", bold=True), _text(cols, "meaning", bold=True)])
        for name, meaning in COURT_DATA_COLUMNS:
            cols.append([_text(cols, name), _text(cols, meaning)])
        pk = wb.create_sheet("packet")
        pk.column_dimensions["A"].width = 24
        pk.column_dimensions["B"].width = 70
        # the first row holds a date cell: it registers the MM/DD/YYYY style the court_data dates use
        probe = WriteOnlyCell(pk, value=as_of or when.date())
        probe.number_format = DATE_FORMAT
        pk.append([_text(pk, "as_of_date"), probe])
        for key, value in packet_rows:
            if key == "as_of_date":
                continue
            pk.append([_text(pk, key), value if isinstance(value, (int, float)) and not isinstance(value, bool)
                       else _text(pk, str(value))])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            sheets = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
            main = zf.read(sheets[0]).decode("utf-8")          # court_data: the first sheet created
            packet_xml = zf.read(sheets[2]).decode("utf-8")    # packet
        m = re.search(r'<c r="B1"[^>]*\ss="(\d+)"', packet_xml)
        style = (m.group(1) if m else "0").encode("ascii")
        head, sep, rest = main.partition("</row>")            # end of the header row
        if not sep:
            raise ValueError("unexpected worksheet layout")
        tail = rest[rest.index("</sheetData>"):]
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{self._letters[-1]}{self.rows + 1}"/>',
                      head, count=1)

        def chunks():
            yield (head + sep).encode("utf-8")
            self._rows.seek(0)
            yield from _replace_stream(self._rows, _DATE_STYLE_TOKEN, style)
            yield tail.encode("utf-8")

        try:
            with open(self.path, "wb") as fh:
                write_archive(data, fh, replace={sheets[0]: chunks(),
                                                 "docProps/core.xml": core_properties_xml(title, when)})
        finally:
            self._rows.close()


def _replace_stream(fh, token: bytes, repl: bytes, size: int = 1 << 20):
    keep = len(token) - 1
    tail = b""
    while True:
        data = fh.read(size)
        if not data:
            if tail:
                yield tail.replace(token, repl)
            return
        buf = (tail + data).replace(token, repl)
        cut = max(0, len(buf) - keep)
        yield buf[:cut]
        tail = buf[cut:]


def _text(ws, value: str, *, bold: bool = False) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=value)
    c.data_type = "s"
    if bold:
        c.font = Font(bold=True)
    return c


# -- reading back (verify, tests) --------------------------------------------------------------------

def read_csv_rows(path: str | Path) -> tuple[list[str], list[list[str]]]:
    with open(path, "r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        return header, [row for row in reader]


def xlsx_cell_text(value) -> str:
    """An XLSX court_data cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SS_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DATE_FMT_IDS = set(range(14, 23)) | {45, 46, 47}


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    from lxml import etree

    if "xl/styles.xml" not in zf.namelist():
        return set()
    root = etree.fromstring(zf.read("xl/styles.xml"))
    custom = {}
    for nf in root.iter(_SS_NS + "numFmt"):
        code = re.sub(r'"[^"]*"|\[[^]]*\]', "", nf.get("formatCode", "")).lower()
        custom[int(nf.get("numFmtId"))] = any(c in code for c in "dy")
    xfs = root.find(_SS_NS + "cellXfs")
    out = set()
    for i, xf in enumerate(xfs.findall(_SS_NS + "xf") if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        if fid in _DATE_FMT_IDS or custom.get(fid):
            out.add(i)
    return out


def iter_xlsx_rows(path: str | Path, sheet: str = "court_data"):
    """Rows of a worksheet as the CSV writes them (dates ``YYYY-MM-DD``, whole numbers without ``.0``),
    read with a streaming XML parser (openpyxl's reader is too slow for verify at county scale)."""
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        wb = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        rid = next((sh.get(_REL_NS + "id") for sh in wb.iter(_SS_NS + "sheet") if sh.get("name") == sheet), None)
        if rid is None:
            raise KeyError(f"no sheet {sheet!r}")
        target = next(r.get("Target") for r in rels.iter(_PKG_REL_NS + "Relationship") if r.get("Id") == rid)
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sroot = etree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(_SS_NS + "t")) for si in sroot.iter(_SS_NS + "si")]
        dates = _date_styles(zf)
        with zf.open(target) as fh:
            for _, row in etree.iterparse(fh, tag=_SS_NS + "row"):
                values: dict[int, str] = {}
                for i, c in enumerate(row.iterchildren(_SS_NS + "c")):
                    ref = c.get("r")
                    col = _col_index(ref) if ref else i
                    t = c.get("t")
                    if t == "inlineStr":
                        values[col] = "".join(x.text or "" for x in c.iter(_SS_NS + "t"))
                        continue
                    v = c.findtext(_SS_NS + "v")
                    if v is None:
                        continue
                    if t == "s":
                        values[col] = shared[int(v)]
                    elif t in ("str", "e"):
                        values[col] = v
                    elif t == "b":
                        values[col] = "TRUE" if v == "1" else "FALSE"
                    else:
                        num = float(v)
                        style = int(c.get("s", "0"))
                        if style in dates:
                            values[col] = (_EPOCH + timedelta(days=int(num))).isoformat()
                        elif num.is_integer():
                            values[col] = str(int(num))
                        else:
                            values[col] = v
                width = max(values) + 1 if values else 0
                yield [values.get(k, "") for k in range(width)]
                row.clear()
