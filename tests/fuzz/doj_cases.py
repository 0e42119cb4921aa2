"""Malformed DOJ research files, made from a random source, with what their import must show.

``make_case(rng)`` builds one file (bytes) from intact synthetic lines and damage of every kind
doj-research-file.md sections 2 and 5 talk about: wrong field counts, stray and unclosed quotes,
NULs, Latin-1 and invalid UTF-8 bytes, byte-order marks (at the start, doubled, inside lines),
huge fields, bad and placeholder dates, bad CNT_ORDER, empty SUBJECT_ID, truncated lines, random
bytes, CR/LF/CRLF mixes (a lone CR joins two lines into one, as the spec says), blank lines,
headers that are right, padded, with a trailing comma, or wrong.

``check_case(template, folder, case)`` imports it into a fresh copy of an empty workspace and
returns ``(crashed, problems)``: a crash is any exception out of the importer (the contract is a
summary, never an exception per line); problems are broken promises:
- header + blank + imported + quarantined = lines total, and lines total is the true line count;
- the database holds exactly the summary's rows and quarantine records;
- every intact line is imported with its values verbatim (SUBJECT_ID, CNT_ORDER, PRI_NAME);
- every line damaged in a known way is quarantined with that reason;
- a wrong header rejects the file (``header_mismatch``), a file of blank lines is ``empty_file``,
  and a rejected file leaves nothing behind;
- the encoding is reported right (``not_utf8`` exactly when the file is not valid UTF-8).

Used by tests/fuzz/test_import_fuzz.py (hypothesis drives ``rng``) and bench/fuzz_soak.py.
"""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Known importer bug (reported): a *quarantined* line holding a lone CR and no comma around it
#: (e.g. the two lines ``a<CR>b<LF>``) makes DuckDB's CSV reader fail while the quarantine records
#: are stored, so import_file raises instead of returning a summary. While True, the generator puts
#: lone CRs only inside intact lines (where they import fine); tests/fuzz/test_import_fuzz.py keeps a
#: strict xfail for the bug, and ``bench/fuzz_soak.py --include-known-bugs`` counts it.
AVOID_KNOWN_BUGS = False

_POOL: list[list[str]] | None = None


def good_pool() -> list[list[str]]:
    """Intact data lines (as 95 field values) from the synthetic generator."""
    global _POOL
    if _POOL is None:
        from clearmyrecord_desktop.synth.generator import generate

        folder = Path(tempfile.mkdtemp(prefix="cmr-fuzz-pool-"))
        try:
            path = folder / "pool.csv"
            generate(path, people=12, seed=99, county="LOS ANGELES", dirty=False)
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh, strict=True))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        _POOL = [r for r in rows[1:] if len(r) == 95]
    return _POOL


def _columns():
    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS

    return DOJ_COLUMNS


COLS = None
I_SUBJECT = I_CNT = I_NAME = I_DOB = I_CYC = I_STP = I_DISP = I_COMMENT = 0
DATE_COLS: dict[str, int] = {}


def _init_columns() -> None:
    global COLS, I_SUBJECT, I_CNT, I_NAME, I_DOB, I_CYC, I_STP, I_DISP, I_COMMENT, DATE_COLS
    if COLS is None:
        COLS = _columns()
        idx = COLS.index
        I_SUBJECT, I_CNT, I_NAME = idx("SUBJECT_ID"), idx("CNT_ORDER"), idx("PRI_NAME")
        I_DOB, I_CYC, I_STP, I_DISP = idx("PRI_DOB"), idx("CYC_DATE"), idx("STP_EVENT_DATE"), idx("DISP_DATE")
        I_COMMENT = idx("COMMENT_TEXT")
        DATE_COLS = {"PRI_DOB": I_DOB, "CYC_DATE": I_CYC, "STP_EVENT_DATE": I_STP, "DISP_DATE": I_DISP}


BAD_DATES = ["20191345", "2019-01-01", "19990230", "17990101", "ABCDEFGH", "2019013", "201901011",
             "20191300", "21010101", "1999 0101"]
PLACEHOLDER_DATES = ["", "        ", "x       ", "X", "xxxxxxxx", "00000000", "0", "  19990101  ",
                     "19990100", "19990000"]
BAD_CNT = ["12345", "00100100100X", "0010010010001", "", "   ", "001 01001000", "００１００１００１０００"]
NAME_BITS_UTF8 = ["É", "ñ", "ü", "Ø", "ß", "\u00a0", "\ufeff", "\u200b", "€", "😀", "漢", "\x01", "\x01\x02", "\x7f"]
NAME_BITS_LATIN1 = ["É", "ñ", "ü", "Ø", "ß", "\u00a0", "\xff", "\xe9", "\x85"]


@dataclass
class Line:
    kind: str                 # good | bad | blank | unknown | header
    data: bytes = b""
    term: bytes = b"\n"
    reason: str = ""          # expected reason code for kind 'bad'
    values: dict[str, bytes] = field(default_factory=dict)  # expected raw values for kind 'good'
    fields: list[bytes] | None = None                        # a good line's values, to re-render
    quoted: set[int] = field(default_factory=set)
    prefix: bytes = b""


@dataclass
class Case:
    data: bytes
    lines_total: int
    has_header: bool
    utf8: bool
    rejected: str | None                       # header_mismatch | empty_file | None
    good: dict[int, dict[str, bytes]]          # physical line -> expected raw values
    bad: dict[int, str]                        # physical line -> expected reason code
    blank: int | None                          # expected blank lines, None when not known exactly
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"{len(self.data)} bytes, {self.lines_total} lines, header={self.has_header}, utf8={self.utf8}, "
                f"rejected={self.rejected}, good={len(self.good)}, bad={len(self.bad)}; {'; '.join(self.notes)}")


def _encode(text: str, encoding: str) -> bytes:
    return text.encode("latin-1" if encoding == "latin1" else "utf-8")


def _render(values: list[bytes], quoted: set[int]) -> bytes:
    out = []
    for i, v in enumerate(values):
        if i in quoted or b"," in v or b'"' in v:
            out.append(b'"' + v.replace(b'"', b'""') + b'"')
        else:
            out.append(v)
    return b",".join(out)


def _pool_values(rng: random.Random, encoding: str) -> tuple[list[bytes], set[int]]:
    values = [_encode(v, encoding) for v in rng.choice(good_pool())]
    quoted = {i for i, v in enumerate(values) if v and (v != v.strip() or rng.random() < 0.03)}
    return values, quoted


def _good_line(rng: random.Random, encoding: str) -> Line:
    _init_columns()
    values, quoted = _pool_values(rng, encoding)
    r = rng.random()
    if r < 0.25:  # non-ASCII name
        bits = NAME_BITS_LATIN1 if encoding == "latin1" else NAME_BITS_UTF8
        name = values[I_NAME]
        for _ in range(rng.randint(1, 3)):
            pos = rng.randint(0, len(name))
            name = name[:pos] + _encode(rng.choice(bits), encoding) + name[pos:]
        values[I_NAME] = name
    elif r < 0.32:  # quotes inside a quoted name
        values[I_NAME] = values[I_NAME].replace(b",", b',"', 1) + b'"'
    elif r < 0.38:  # lone CR inside the name (data, not a line end)
        values[I_NAME] = values[I_NAME][:2] + b"\r" + values[I_NAME][2:]
        if rng.random() < 0.5:
            quoted.add(I_NAME)
    elif r < 0.43:  # huge field
        size = rng.choice([5_000, 70_000, 300_000, 1_200_000])
        unit = values[I_NAME] + b" "
        values[I_NAME] = (unit * (size // len(unit) + 1))[:size]
    elif r < 0.55:  # placeholder / padded dates stay valid
        col = rng.choice(list(DATE_COLS.values()))
        values[col] = _encode(rng.choice(PLACEHOLDER_DATES), encoding)
    elif r < 0.6:  # padded subject and CNT_ORDER (trimmed for the checks, raw kept)
        values[I_SUBJECT] = b" " + values[I_SUBJECT] + b"\t"
        values[I_CNT] = values[I_CNT] + b"   "
    line = Line("good", fields=values, quoted=quoted)
    if rng.random() < 0.03 and encoding != "latin1":
        line.prefix = "\ufeff".encode()  # a BOM character inside the file is data of the first field,
        quoted.discard(0)  # which is then unquoted (a quote after the BOM would be a stray quote)
    _finish_good(line)
    return line


def _finish_good(line: Line) -> None:
    line.data = line.prefix + _render(line.fields, line.quoted)
    line.values = {"SUBJECT_ID": line.fields[I_SUBJECT], "CNT_ORDER": line.fields[I_CNT],
                   "PRI_NAME": line.fields[I_NAME]}


def _bad_line(rng: random.Random, encoding: str) -> Line:
    _init_columns()
    values, quoted = _pool_values(rng, encoding)
    kind = rng.choice(["nul", "quote", "unclosed", "fields_minus", "fields_plus", "trailing_comma", "subject",
                       "cnt", "date", "date2", "header_again"])
    if kind in ("nul", "quote", "unclosed"):
        text = _render(values, quoted)
        pos = rng.randint(0, len(text))
        if kind == "nul":
            return Line("bad", text[:pos] + b"\x00" + text[pos:], reason="bad_characters")
        if kind == "quote":  # one stray quote makes the count odd: never valid
            return Line("bad", text[:pos] + b'"' + text[pos:], reason="bad_quote")
        cut = text.rfind(b",")
        return Line("bad", text[:cut + 1] + b'"' + text[cut + 1:], reason="bad_quote")
    if kind == "fields_minus":
        del values[rng.randrange(len(values))]
        return Line("bad", _render(values, set()), reason="wrong_field_count")
    if kind == "fields_plus":
        for _ in range(rng.randint(1, 3)):
            values.insert(rng.randint(0, len(values)), rng.choice([b"", b"X", b"00", b"a,b"]))
        return Line("bad", _render(values, set()), reason="wrong_field_count")
    if kind == "trailing_comma":
        return Line("bad", _render(values, quoted) + b",", reason="wrong_field_count")
    if kind == "subject":
        values[I_SUBJECT] = rng.choice([b"", b" ", b"\t \t"])
        return Line("bad", _render(values, quoted), reason="missing_subject_id")
    if kind == "cnt":
        values[I_CNT] = _encode(rng.choice(BAD_CNT), "utf8") if encoding != "latin1" else \
            rng.choice([b"12345", b"00100100100X", b"", b"   "])
        return Line("bad", _render(values, quoted), reason="bad_cnt_order")
    if kind in ("date", "date2"):
        col = rng.choice(list(DATE_COLS))
        values[DATE_COLS[col]] = rng.choice(BAD_DATES).encode()
        return Line("bad", _render(values, quoted), reason=f"bad_date:{col}")
    # a second header inside the data is a data line with a bad CNT_ORDER and dates
    return Line("bad", ",".join(_columns()).encode(), reason="bad_cnt_order")


def _unknown_line(rng: random.Random, encoding: str) -> Line:
    kind = rng.random()
    if kind < 0.5:  # truncated intact line: outcome depends on where it was cut
        values, quoted = _pool_values(rng, encoding)
        text = _render(values, quoted)
        return Line("unknown", text[:rng.randint(0, len(text))])
    if kind < 0.8:  # random bytes, no LF
        n = rng.choice([1, 5, 50, 400, 3000])
        alphabet = b'abcXYZ019 ,,,""\t\r\x00\xff\xfe\xc3\xa9\xef\xbb\xbf'
        return Line("unknown", bytes(rng.choice(alphabet) for _ in range(n)))
    # random field count of short values
    return Line("unknown", b",".join(rng.choice([b"", b"1", b"x", b'"q"', b"  "])
                                     for _ in range(rng.randint(1, 200))))


def _header(rng: random.Random, mode: str) -> Line:
    names = list(_columns())
    if mode == "ok":
        return Line("header", ",".join(names).encode())
    if mode == "trailing_comma":
        return Line("header", (",".join(names) + ",").encode())
    if mode == "padded":
        padded = [rng.choice(["", " ", "\t"]) + (n.lower() if rng.random() < 0.3 else n) + rng.choice(["", "  "])
                  for n in names]
        if rng.random() < 0.3:
            padded[0] = '"' + padded[0].strip() + '"'
        return Line("header", ",".join(padded).encode())
    choice = rng.random()  # broken
    if choice < 0.3:
        del names[rng.randrange(1, len(names))]
    elif choice < 0.6:
        names[rng.randrange(1, len(names))] = "SOMETHING_ELSE"
    elif choice < 0.8:
        names.append("EXTRA")
    else:
        names = names[:rng.randint(1, 40)]
    return Line("header", ",".join(names).encode(), reason="header_mismatch")


def _physical_lines(after_bom: bytes) -> list[bytes]:
    if not after_bom:
        return []
    parts = after_bom.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return parts


def make_case(rng: random.Random, avoid_known_bugs: bool | None = None) -> Case:
    _init_columns()
    avoid = AVOID_KNOWN_BUGS if avoid_known_bugs is None else avoid_known_bugs
    encoding = rng.choices(["utf8", "utf8_bom", "double_bom", "latin1", "invalid_utf8", "utf16_bom"],
                           weights=[40, 15, 4, 15, 15, 3])[0]
    enc = "latin1" if encoding == "latin1" else "utf8"
    header_mode = rng.choices(["none", "ok", "trailing_comma", "padded", "broken"], weights=[30, 35, 15, 10, 10])[0]
    line_end = rng.choices(["lf", "crlf", "mixed", "mixed_cr"], weights=[35, 30, 20, 15])[0]
    n = rng.choice([0, 1, 2, 5, 10, 20, 40])
    notes = [f"encoding={encoding}", f"header={header_mode}", f"ends={line_end}", f"lines={n}"]

    def term(allow_cr: bool) -> bytes:
        if line_end == "lf":
            return b"\n"
        if line_end == "crlf":
            return b"\r\n"
        extra = [b"\r", b"\r\r\n"] if line_end == "mixed_cr" and allow_cr and not avoid else []
        return rng.choice([b"\n", b"\r\n", *extra])

    lines: list[Line] = []
    for _ in range(rng.choice([0, 0, 0, 1, 2])):  # blank lines before the header
        lines.append(Line("blank", rng.choice([b"", b" ", b"\t", b"  \t "]), term(False)))
    if header_mode != "none":
        h = _header(rng, header_mode)
        h.term = term(False)
        lines.append(h)
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            line = _good_line(rng, enc)
        elif r < 0.8:
            line = _bad_line(rng, enc)
        elif r < 0.9:
            line = Line("blank", rng.choice([b"", b" ", b"\t", b"   "]))
        else:
            line = _unknown_line(rng, enc)
        line.term = term(True)
        lines.append(line)
    if header_mode == "none":  # a data line that looks like a header would be taken as one
        for line in lines:
            if line.kind == "blank":
                continue
            if line.kind == "bad" and line.data.startswith(b"RECORD_ID,"):
                line.kind, line.reason = "header", ""  # the full column list: a real header after all
                line.term = b"\n"
            break
    if avoid:
        for line in lines:
            if line.kind in ("bad", "unknown") and b"\r" in line.data:
                line.data = line.data.replace(b"\r", b"")
    if encoding == "invalid_utf8":
        goods = [ln for ln in lines if ln.kind == "good"]
        if goods and rng.random() < 0.7:  # raw invalid bytes inside an intact line's PRI_NAME
            g = rng.choice(goods)
            g.fields[I_NAME] += rng.choice([b"\xff", b"\xc3", b"\xe9t\xe9", b"\x80\x81", b"\xed\xa0\x80"])
            _finish_good(g)
        else:
            lines.append(Line("unknown", b"\xff\xfe broken \xc3", b"\n"))
    if lines and rng.random() < 0.3:
        lines[-1].term = b""  # no line break at the end

    prefix = {"utf8_bom": b"\xef\xbb\xbf", "double_bom": b"\xef\xbb\xbf\xef\xbb\xbf",
              "utf16_bom": b"\xff\xfe"}.get(encoding, b"")
    body = bytearray()
    physical = 1
    good: dict[int, dict[str, bytes]] = {}
    bad: dict[int, str] = {}
    blank = 0
    exact_blank = True
    header_seen = has_header = False
    rejected = None
    for i, line in enumerate(lines):
        if line.term == b"" and line.data == b"":
            continue  # nothing after the last line break: not a line
        merged = i > 0 and lines[i - 1].term == b"\r"
        merged_next = line.term == b"\r"
        clean = not merged and not merged_next and line.term != b"\r\r\n"
        if line.kind == "header" and not header_seen:
            header_seen = True
            has_header = line.reason == ""
            rejected = line.reason or None
        elif line.kind == "good" and clean:
            good[physical] = line.values
        elif line.kind == "bad" and clean:
            bad[physical] = line.reason
        if line.kind == "blank" and not merged and not merged_next:
            blank += 1
        elif line.kind in ("blank", "unknown"):
            exact_blank = False
        body += line.data + line.term
        physical += line.term.count(b"\n")
    data = prefix + bytes(body)
    after_bom = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    physical_lines = _physical_lines(after_bom)
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if encoding in ("double_bom", "utf16_bom"):
        # line 1 starts with a BOM that is not removed: it is never blank and never a header, so the
        # real header (if any) becomes a data line too
        has_header = False
        rejected = None
        good.pop(1, None)
        bad.pop(1, None)
        exact_blank = False
        notes.append("second BOM hides the header")
    if rejected is None and not has_header and all(not ln.strip() for ln in physical_lines):
        rejected = "empty_file"
    return Case(data=data, lines_total=len(physical_lines), has_header=has_header, utf8=utf8, rejected=rejected,
                good=good, bad=bad, blank=blank if exact_blank else None, notes=notes)


# -- checking --------------------------------------------------------------------------------------

def check_case(template: Path, folder: Path, case: Case, ws=None) -> tuple[bool, list[str]]:
    """Import ``case`` and check it; (crashed, problems). Into a fresh copy of ``template`` inside
    ``folder``, or, for speed, into the open workspace ``ws`` (emptied again afterwards)."""
    from clearmyrecord_desktop.importers.doj_research_file import import_file
    from clearmyrecord_desktop.store.database import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    src = folder / "fuzz_extract.csv"
    src.write_bytes(case.data)
    own = ws is None
    if own:
        ws_path = folder / "fuzz.duckdb"
        shutil.copy(template, ws_path)
        ws = Workspace(ws_path)
    problems: list[str] = []
    try:
        try:
            s = import_file(ws, src)
        except BaseException:  # noqa: BLE001 - the finding
            return True, ["importer raised:\n" + traceback.format_exc(limit=8)]
        rows = ws.query("SELECT line_no, \"SUBJECT_ID\", \"CNT_ORDER\", \"PRI_NAME\" FROM doj_row")
        quarantine = ws.query("SELECT line_no, reasons FROM quarantine")
        batches = ws.query("SELECT rows_imported, lines_quarantined, lines_total, blank_lines FROM import_batch")
    finally:
        if own:
            ws.close()
        else:
            with ws.write() as cur:
                for table in ("quarantine", "doj_row", "import_batch"):
                    cur.execute(f"DELETE FROM {table}")
        for p in folder.iterdir():  # (a reused ``ws`` lives outside ``folder``)
            if p.is_file():
                p.unlink()

    if case.rejected:
        if s.status != "rejected":
            problems.append(f"expected rejection {case.rejected}, got status {s.status}")
        elif not any(i.reason == case.rejected for i in s.issues):
            problems.append(f"expected {case.rejected}, got {[i.reason for i in s.issues]}")
        if rows or quarantine or batches:
            problems.append("a rejected file left rows, quarantine records or a batch")
        return False, problems
    if s.status != "imported":
        problems.append(f"expected an import, got {s.status}: {s.message}")
        return False, problems
    header = 1 if s.has_header else 0
    if s.has_header != case.has_header:
        problems.append(f"header detected={s.has_header}, expected {case.has_header}")
    if s.lines_total != case.lines_total:
        problems.append(f"lines_total {s.lines_total}, the file has {case.lines_total}")
    if header + s.blank_lines + s.rows_imported + s.rows_quarantined != s.lines_total:
        problems.append(f"accounting: {header} header + {s.blank_lines} blank + {s.rows_imported} imported + "
                        f"{s.rows_quarantined} quarantined != {s.lines_total} lines")
    if case.blank is not None and s.blank_lines != case.blank:
        problems.append(f"blank lines {s.blank_lines}, expected {case.blank}")
    if len(rows) != s.rows_imported or len(quarantine) != s.rows_quarantined:
        problems.append(f"database holds {len(rows)} rows / {len(quarantine)} quarantined, summary says "
                        f"{s.rows_imported} / {s.rows_quarantined}")
    if len(batches) != 1 or batches[0][0] != s.rows_imported or batches[0][1] != s.rows_quarantined:
        problems.append(f"import_batch {batches} does not match the summary")
    if (s.encoding == "utf-8") != case.utf8 or (("not_utf8" in s.warnings) == case.utf8):
        problems.append(f"encoding {s.encoding} / warnings {s.warnings}, file utf8={case.utf8}")
    decode = (lambda b: b.decode("utf-8")) if case.utf8 else (lambda b: b.decode("iso-8859-1"))
    by_line = {r[0]: r for r in rows}
    q_by_line = {q[0]: q[1] for q in quarantine}
    for line_no, values in sorted(case.good.items()):
        if line_no not in by_line:
            problems.append(f"intact line {line_no} not imported (quarantined as {q_by_line.get(line_no)})")
            continue
        got = by_line[line_no]
        for name, pos in (("SUBJECT_ID", 1), ("CNT_ORDER", 2), ("PRI_NAME", 3)):
            want = decode(values[name])
            if got[pos] != want:
                problems.append(f"line {line_no} {name}: stored {got[pos]!r:.80}, file has {want!r:.80}")
    for line_no, reason in sorted(case.bad.items()):
        if line_no not in q_by_line:
            problems.append(f"damaged line {line_no} ({reason}) not quarantined")
        elif reason not in q_by_line[line_no].split(";"):
            problems.append(f"line {line_no} quarantined as {q_by_line[line_no]}, expected {reason}")
    return False, problems


def empty_template(folder: Path) -> Path:
    from clearmyrecord_desktop.store.database import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "template.duckdb"
    if not path.exists():
        Workspace(path, create=True).close()
    return path
