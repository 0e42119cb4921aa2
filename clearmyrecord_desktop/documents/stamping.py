"""Render a frame once, stamp table rows from a pre-rendered row, paginate by a line budget, and write
deterministic DOCX/XLSX archives (motion-packets.md sections 6.0 and 12).

A stamped table in a template is a table whose body row holds sentinels ``[[key]]`` (one per column)
and is preceded by a paragraph holding ``[[rows_caption]]``. After docxtpl has rendered the frame, the
sentinel row's XML is cut out and used as a pattern: each data row is the pattern with XML-escaped
values in place of the sentinels. Each page of rows is its own table (the header row repeated, then the
rows) after its own "Rows a–b of n" caption; pages after the first start with a page break.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import TemplateError
from .templates import ROWS_CAPTION, TableSpec

ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: Characters XML 1.0 forbids (and lone surrogates / non-characters).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WS = re.compile(r"[^\S\u00a0]+")


def clean_text(value: object) -> str:
    """A value as one line of printable text: XML-forbidden characters removed, white space collapsed."""
    if value is None:
        return ""
    text = _FORBIDDEN.sub("", str(value))
    return _WS.sub(" ", text).strip()


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- line estimates and pagination ---------------------------------------------------------------

# Advance widths of Times New Roman / Liberation Serif in em (the standard Times metrics), for the
# line estimate. Unknown characters count as a wide letter.
_TIMES_EM = {
    " ": .25, "!": .333, '"': .408, "#": .5, "$": .5, "%": .833, "&": .778, "'": .18, "(": .333, ")": .333,
    "*": .5, "+": .564, ",": .25, "-": .333, ".": .25, "/": .278, ":": .278, ";": .278, "<": .564, "=": .564,
    ">": .564, "?": .444, "@": .921, "[": .333, "\\": .278, "]": .333, "_": .5, "|": .2,
    "A": .722, "B": .667, "C": .667, "D": .722, "E": .611, "F": .556, "G": .722, "H": .722, "I": .333,
    "J": .389, "K": .722, "L": .611, "M": .889, "N": .722, "O": .722, "P": .556, "Q": .722, "R": .667,
    "S": .556, "T": .611, "U": .722, "V": .722, "W": .944, "X": .722, "Y": .722, "Z": .611,
    "a": .444, "b": .5, "c": .444, "d": .5, "e": .444, "f": .333, "g": .5, "h": .5, "i": .278, "j": .278,
    "k": .5, "l": .278, "m": .778, "n": .5, "o": .5, "p": .5, "q": .5, "r": .333, "s": .389, "t": .278,
    "u": .5, "v": .5, "w": .722, "x": .5, "y": .5, "z": .444, "\u2014": 1.0, "\u2013": .5, "\u00a7": .5,
}
for _d in "0123456789":
    _TIMES_EM[_d] = .5
#: Width in digit widths (half an em), as the registry's ``chars`` counts them.
_UNITS = {ch: em * 2 for ch, em in _TIMES_EM.items()}
_WIDE = 1.5
#: Word and LibreOffice wrap a little earlier than the sum of advance widths.
SAFETY = 0.96


def _width(text: str) -> float:
    get = _UNITS.get
    return sum(get(c, _WIDE) for c in text)


@functools.lru_cache(maxsize=1 << 16)
def text_lines(text: str, capacity: float) -> int:
    """How many lines ``text`` needs in a column of ``capacity`` digit-width units (greedy word wrap)."""
    if not text:
        return 1
    capacity = capacity * SAFETY
    if len(text) * 1.9 <= capacity:
        return 1
    lines = 1
    used = 0.0
    for word in text.split(" "):
        w = _width(word)
        if used == 0.0:
            need = w
        else:
            need = used + 0.5 + w
        if need <= capacity:
            used = need
            continue
        if used > 0.0:
            lines += 1
        # break an over-long word across lines
        while w > capacity:
            lines += 1
            w -= capacity
        used = w
    return lines


def row_lines(values: Sequence[str], capacities: Sequence[float]) -> int:
    """Lines the row needs: its tallest cell."""
    return max(text_lines(v, c) for v, c in zip(values, capacities))


class Paginator:
    """Packs rows into pages by the line budget of a table template."""

    def __init__(self, spec: TableSpec):
        self.spec = spec
        self.capacities = [float(c.chars) for c in spec.columns]
        self.pages: list[int] = []     # rows per page
        self._used = 0.0
        self._count = 0

    def add(self, values: Sequence[str]) -> None:
        cost = row_lines(values, self.capacities) + self.spec.row_padding
        budget = self.spec.first_page_lines if len(self.pages) == 0 else self.spec.lines_per_page
        if self._count > 0 and self._used + cost > budget:
            self.pages.append(self._count)
            self._count = 0
            self._used = 0.0
        self._used += cost
        self._count += 1

    def finish(self) -> list[int]:
        if self._count:
            self.pages.append(self._count)
            self._count = 0
            self._used = 0.0
        return self.pages


def page_ranges(pages: Sequence[int]) -> list[tuple[int, int]]:
    """1-based (first, last) row numbers of each page."""
    out, start = [], 1
    for n in pages:
        out.append((start, start + n - 1))
        start += n
    return out


def rows_caption(first: int, last: int, total: int) -> str:
    return f"Rows {first:,}\u2013{last:,} of {total:,}"


# -- the stamped table -----------------------------------------------------------------------------

_P_START = re.compile(r"<w:p[ >]")


@dataclass
class StampedDocument:
    """document.xml of a rendered frame, cut around its stamped table."""
    prefix: str
    caption_before: str     # caption paragraph up to the caption text
    caption_after: str      # caption paragraph after the caption text
    caption_break_at: int   # offset in caption_before where a page-break run goes
    table_head: str         # <w:tbl> … header row(s)
    row_parts: list         # literal strings at even positions, column indexes at odd ones
    table_tail: str         # </w:tbl>
    suffix: str

    @classmethod
    def parse(cls, xml: str, keys: Sequence[str]) -> "StampedDocument":
        cap_token = f"[[{ROWS_CAPTION}]]"
        first_key = f"[[{keys[0]}]]"
        ci = xml.find(cap_token)
        ri = xml.find(first_key)
        if ci < 0 or ri < 0 or ri < ci:
            raise TemplateError("The stamped table (caption [[rows_caption]] followed by a table row with "
                                "[[…]] placeholders) was not found in the template.")
        p_start = None
        for m in _P_START.finditer(xml, 0, ci):
            p_start = m.start()
        p_end = xml.find("</w:p>", ci) + len("</w:p>")
        caption = xml[p_start:p_end]
        local = caption.find(cap_token)
        before, after = caption[:local], caption[local + len(cap_token):]
        ppr_end = before.find("</w:pPr>")
        if ppr_end >= 0:
            brk = ppr_end + len("</w:pPr>")
        else:
            brk = before.find(">") + 1
        tbl_start = xml.find("<w:tbl>", p_end)
        if tbl_start < 0 or tbl_start > ri:
            raise TemplateError("The [[rows_caption]] paragraph must come right before the stamped table.")
        tr_start = max(xml.rfind("<w:tr>", tbl_start, ri), xml.rfind("<w:tr ", tbl_start, ri))
        tr_end = xml.find("</w:tr>", ri) + len("</w:tr>")
        tbl_end = xml.find("</w:tbl>", tr_end) + len("</w:tbl>")
        between = xml[p_end:tbl_start]
        if between.strip():
            raise TemplateError("Nothing may stand between the [[rows_caption]] paragraph and the stamped table.")
        row = xml[tr_start:tr_end]
        parts: list = []
        pos = 0
        index = {k: i for i, k in enumerate(keys)}
        seen = set()
        for m in re.finditer(r"\[\[([a-z0-9_]+)\]\]", row):
            key = m.group(1)
            if key not in index:
                raise TemplateError(f"Unknown table placeholder [[{key}]] in the template row.")
            parts.append(row[pos:m.start()])
            parts.append(index[key])
            seen.add(key)
            pos = m.end()
        parts.append(row[pos:])
        missing = [k for k in keys if k not in seen]
        if missing:
            raise TemplateError("The template row lacks placeholder(s) "
                                + ", ".join(f"[[{k}]]" for k in missing) + ".")
        return cls(
            prefix=xml[:p_start], caption_before=before, caption_after=after, caption_break_at=brk,
            table_head=xml[tbl_start:tr_start], row_parts=parts, table_tail=xml[tr_end:tbl_end],
            suffix=xml[tbl_end:],
        )

    def row_xml(self, values: Sequence[str]) -> str:
        parts = self.row_parts
        out = []
        for i, part in enumerate(parts):
            out.append(xml_escape(values[part]) if i % 2 else part)
        return "".join(out)

    def caption_xml(self, text: str, page_break: bool) -> str:
        before = self.caption_before
        if page_break:
            at = self.caption_break_at
            before = before[:at] + '<w:r><w:br w:type="page"/></w:r>' + before[at:]
        return before + xml_escape(text) + self.caption_after

    def iter_xml(self, rows: Iterator[Sequence[str]], pages: Sequence[int], total: int | None = None,
                 *, caption: Callable[[int, int, int], str] = rows_caption,
                 on_page: Callable[[int], None] | None = None) -> Iterator[str]:
        """The whole document.xml in chunks: one chunk per page."""
        total = sum(pages) if total is None else total
        yield self.prefix
        first = 1
        for page_no, n in enumerate(pages):
            chunk = [self.caption_xml(caption(first, first + n - 1, total), page_no > 0), self.table_head]
            for _ in range(n):
                chunk.append(self.row_xml(next(rows)))
            chunk.append(self.table_tail)
            yield "".join(chunk)
            first += n
            if on_page is not None:
                on_page(page_no)
        yield self.suffix


# -- deterministic archives -------------------------------------------------------------------------

def core_properties_xml(title: str, when: datetime, *, creator: str = "ClearMyRecord Desktop") -> str:
    stamp = when.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_escape(clean_text(title))}</dc:title>"
        f"<dc:creator>{xml_escape(creator)}</dc:creator>"
        f"<cp:lastModifiedBy>{xml_escape(creator)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _ordered(names: Iterable[str]) -> list[str]:
    names = list(names)
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    return first + sorted(n for n in names if n not in first)


def _zinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def write_archive(src: bytes, out, *, replace: dict | None = None) -> None:
    """Rewrite a zip archive deterministically: fixed entry order, fixed timestamps. ``replace`` maps an
    entry name to bytes, str, or an iterable of str chunks (streamed)."""
    replace = dict(replace or {})
    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        names = zin.namelist()
        for extra in replace:
            if extra not in names:
                names.append(extra)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
            for name in _ordered(names):
                info = _zinfo(name)
                if name in replace:
                    value = replace[name]
                    if isinstance(value, (bytes, str)):
                        zout.writestr(info, value.encode("utf-8") if isinstance(value, str) else value)
                    else:
                        with zout.open(info, "w") as fh:
                            for chunk in value:
                                fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                else:
                    zout.writestr(info, zin.read(name))


def normalise_docx(frame: bytes, out, *, title: str, when: datetime, document_xml=None) -> None:
    """Write a rendered DOCX deterministically, with core properties from the injected clock."""
    replace = {"docProps/core.xml": core_properties_xml(title, when)}
    if document_xml is not None:
        replace["word/document.xml"] = document_xml
    write_archive(frame, out, replace=replace)


def document_xml_of(frame: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(frame)) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def pages_needed(n_rows: int, spec: TableSpec) -> int:
    """Rough page count for one-line rows (used only for estimates in the GUI)."""
    if n_rows <= 0:
        return 0
    first = int(spec.first_page_lines // (1 + spec.row_padding))
    rest = int(spec.lines_per_page // (1 + spec.row_padding))
    return 1 + max(0, math.ceil((n_rows - first) / rest))
