"""Read DOCX files back as normalised text (for golden files and content checks)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _par_text(p) -> str:
    """Text of a paragraph; a field shows as {INSTRUCTION} instead of its cached result."""
    out = []
    state = "text"          # text | instr | result
    for el in p.iter():
        if el.tag == W + "fldChar":
            kind = el.get(W + "fldCharType")
            state = {"begin": "instr", "separate": "result", "end": "text"}.get(kind, state)
        elif el.tag == W + "instrText":
            out.append("{" + (el.text or "").strip() + "}")
        elif el.tag == W + "t" and state == "text":
            out.append(el.text or "")
        elif el.tag == W + "br" and el.get(W + "type") == "page":
            out.append("<PAGE BREAK>")
        elif el.tag == W + "tab":
            out.append("\t")
    return "".join(out)


def _block_lines(root) -> list[str]:
    lines = []
    for child in root:
        if child.tag == W + "p":
            lines.append(_par_text(child))
        elif child.tag == W + "tbl":
            for tr in child.findall(W + "tr"):
                cells = [" / ".join(_par_text(p) for p in tc.iter(W + "p")) for tc in tr.findall(W + "tc")]
                head = tr.find(f"{W}trPr/{W}tblHeader") is not None
                lines.append(("H| " if head else "| ") + " | ".join(cells))
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                lines += _block_lines(content)
    return lines


def _parts(path: Path, prefix: str) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if n.startswith(prefix) and n.endswith(".xml"))


def part_lines(path: str | Path, name: str) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read(name))
    body = root.find(W + "body")
    return _block_lines(body if body is not None else root)


def normalised_text(path: str | Path) -> str:
    """Body, headers and footers as text lines; blank lines squeezed; VML text boxes included."""
    path = Path(path)
    out = ["=== body"]
    out += part_lines(path, "word/document.xml")
    for name in _parts(path, "word/header"):
        out.append(f"=== {name.split('/')[-1]}")
        out += part_lines(path, name)
    for name in _parts(path, "word/footer"):
        out.append(f"=== {name.split('/')[-1]}")
        out += part_lines(path, name)
    squeezed = []
    for line in out:
        line = line.rstrip()
        if line == "" and squeezed and squeezed[-1] == "":
            continue
        squeezed.append(line)
    return "\n".join(squeezed).strip() + "\n"


def body_text(path: str | Path) -> str:
    return "\n".join(part_lines(path, "word/document.xml"))


def header_texts(path: str | Path) -> list[str]:
    return ["\n".join(part_lines(path, n)) for n in _parts(Path(path), "word/header")]


def footer_texts(path: str | Path) -> list[str]:
    return ["\n".join(part_lines(path, n)) for n in _parts(Path(path), "word/footer")]


def data_rows(path: str | Path) -> list[list[str]]:
    """The body rows of every stamped table (header rows left out), in document order."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    rows = []
    for tbl in root.iter(W + "tbl"):
        for tr in tbl.findall(W + "tr"):
            if tr.find(f"{W}trPr/{W}tblHeader") is not None:
                continue
            rows.append([" ".join(_par_text(p) for p in tc.iter(W + "p")) for tc in tr.findall(W + "tc")])
    return rows


def all_text(path: str | Path) -> str:
    """Every text node of every XML part (for "never printed" checks)."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".xml"):
                out.append(zf.read(name).decode("utf-8", "replace"))
    return "\n".join(out)
