"""Write the built-in DOCX templates from code (python-docx), so every template is reviewable as a diff.

Run from the repository root:  python templates/build_templates.py

The output is deterministic (fixed zip timestamps and core properties), so rebuilding without a change
gives the same bytes and the same template SHA-256 (which is part of every packet id).

Conventions used by the renderer (clearmyrecord_desktop/documents):
- Jinja placeholders ({{ }}, {%p %}, {%tr %}) are rendered once per document by docxtpl with a strict
  environment and autoescaping.
- A table whose body row holds sentinels ``[[key]]`` (one per column of the registry) is a stamped table:
  the renderer cuts that row out and stamps one copy per data row, paginated by the line budget of the
  registry. The paragraph holding ``[[rows_caption]]`` becomes the "Rows a–b of n" caption of each page.
- Pleading documents (motion, order, proof of service, per-case) carry line numbers 1–28 in the left
  margin (a text box anchored in the header), a double rule left of the text and a single rule right of
  it, and body text on an exact 24-point grid (Cal. Rules of Court, rules 2.100–2.119; counsel confirms
  local rules).
"""

from __future__ import annotations

import io
import sys
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt

HERE = Path(__file__).resolve().parent
VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
REGISTRY = tomllib.loads((HERE / "templates.toml").read_text(encoding="utf-8"))
TEMPLATES = {t["id"]: t for t in REGISTRY["template"]}

FONT = "Times New Roman"
FIXED_TIME = datetime(2020, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# -- low-level helpers ------------------------------------------------------------------------------


def _set_fonts(rpr_parent, name: str = FONT) -> None:
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def make_style(doc, name, *, size=12, bold=False, italic=False, align=None, exact=None, before=0, after=0,
               first_indent=None, left_indent=None, keep_next=False, font=FONT, caps=False):
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = styles["Normal"]
    st.font.name = font
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = italic
    st.font.all_caps = caps
    _set_fonts(st.element.get_or_add_rPr(), font)
    pf = st.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = Inches(first_indent)
    if left_indent is not None:
        pf.left_indent = Inches(left_indent)
    pf.keep_with_next = keep_next
    pf.widow_control = True
    return st


def base_styles(doc):
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name in ("Header", "Footer"):
        try:
            st = doc.styles[name]
            st.font.name = FONT
            _set_fonts(st.element.get_or_add_rPr())
        except KeyError:
            pass
    C = WD_ALIGN_PARAGRAPH.CENTER
    make_style(doc, "CMR Marking", size=8, bold=True, align=C)
    make_style(doc, "CMR Draft", size=11, bold=True, align=C)
    make_style(doc, "CMR Footer", size=8.5, align=C)
    make_style(doc, "CMR Title", size=12, bold=True, align=C, before=0, after=0, caps=True)
    make_style(doc, "CMR Big Title", size=15, bold=True, align=C, after=2)
    make_style(doc, "CMR Subtitle", size=11, bold=True, align=C, after=2)
    make_style(doc, "CMR Info", size=9, align=C, after=4)
    make_style(doc, "CMR Legend", size=7.5, after=1)
    make_style(doc, "CMR Caption Rows", size=8, italic=True, before=2, after=2, keep_next=True)
    make_style(doc, "CMR Cell", size=8, exact=9.5)
    make_style(doc, "CMR Cell Head", size=8, bold=True, exact=9.5, keep_next=True)
    make_style(doc, "CMR Cell 10", size=10, exact=12)
    make_style(doc, "CMR Cell 10 Head", size=10, bold=True, exact=12, keep_next=True)
    make_style(doc, "CMR Small", size=9, after=0)
    make_style(doc, "CMR Small Cell", size=9, exact=11)
    make_style(doc, "CMR Small Head", size=9, bold=True, exact=11)
    make_style(doc, "CMR Mono", size=8.5, font="Courier New")
    make_style(doc, "CMR Heading", size=12, bold=True, before=10, after=4, keep_next=True)
    make_style(doc, "CMR Text", size=11, after=6)
    make_style(doc, "CMR Bullet", size=11, after=3, left_indent=0.3, first_indent=-0.2)
    # pleading grid: 24-point lines, 12-point for the caption block (two lines per numbered line)
    make_style(doc, "CMR Pleading", size=12, exact=24, first_indent=0.5)
    make_style(doc, "CMR Pleading Flush", size=12, exact=24)
    make_style(doc, "CMR Pleading Center", size=12, exact=24, align=C, bold=True)
    make_style(doc, "CMR Caption Line", size=12, exact=12)
    make_style(doc, "CMR Court Title", size=12, exact=24, align=C, bold=True, caps=True)
    make_style(doc, "CMR Signature", size=12, exact=24, left_indent=3.25)
    make_style(doc, "CMR Signature Tight", size=12, exact=12, left_indent=3.25)
    make_style(doc, "CMR Line Number", size=12, exact=24, align=WD_ALIGN_PARAGRAPH.RIGHT)
    make_style(doc, "CMR Pleading Cell", size=11, exact=12)
    make_style(doc, "CMR Pleading Cell Head", size=11, exact=12, bold=True)


def setup_section(doc, orientation: str, *, pleading: bool = False):
    sec = doc.sections[0]
    if orientation == "landscape":
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Inches(11), Inches(8.5)
        sec.left_margin = sec.right_margin = Inches(0.4)
        sec.top_margin = Inches(0.8)
        sec.bottom_margin = Inches(0.6)
        sec.header_distance = Inches(0.3)
        sec.footer_distance = Inches(0.25)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Inches(8.5), Inches(11)
        if pleading:
            sec.left_margin = Inches(1.4)
            sec.right_margin = Inches(0.6)
            sec.top_margin = Inches(1.0)
            sec.bottom_margin = Inches(0.66)
            sec.header_distance = Inches(0.3)
            sec.footer_distance = Inches(0.2)
        else:
            sec.left_margin = sec.right_margin = Inches(1.0)
            sec.top_margin = Inches(1.0)
            sec.bottom_margin = Inches(0.8)
            sec.header_distance = Inches(0.35)
            sec.footer_distance = Inches(0.3)
    if pleading:
        sectpr = sec._sectPr
        borders = parse_xml(
            f'<w:pgBorders {nsdecls("w")} w:offsetFrom="text">'
            '<w:left w:val="double" w:sz="4" w:space="6" w:color="auto"/>'
            '<w:right w:val="single" w:sz="4" w:space="6" w:color="auto"/>'
            "</w:pgBorders>"
        )
        pgmar = sectpr.find(qn("w:pgMar"))
        pgmar.addnext(borders)
    return sec


def add_par(container, text: str = "", style: str | None = None, *, bold=None, italic=None, size=None,
            align=None, keep_next=False, indent=None):
    p = container.add_paragraph(style=style)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    if indent is not None:
        p.paragraph_format.left_indent = Inches(indent)
    if text:
        r = p.add_run(text)
        if bold is not None:
            r.bold = bold
        if italic is not None:
            r.italic = italic
        if size is not None:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def head_par(container, head: str, text: str, style: str):
    """A numbered paragraph whose heading phrase is bold: ``head`` bold, then ``text``."""
    p = container.add_paragraph(style=style)
    r = p.add_run(head)
    r.bold = True
    p.add_run(text)
    return p


def tight_pair(container, a: str, b: str, *, style="CMR Signature Tight", keep_next=True, indent=None):
    """Two 12-point lines: together they fill one numbered 24-point line, so the grid stays aligned."""
    add_par(container, a, style, keep_next=True, indent=indent)
    add_par(container, b, style, keep_next=keep_next, indent=indent)


def add_runs(p, parts):
    """parts: list of (text, {'bold': True, ...})."""
    for text, fmt in parts:
        r = p.add_run(text)
        r.bold = fmt.get("bold")
        r.italic = fmt.get("italic")
        if fmt.get("size"):
            r.font.size = Pt(fmt["size"])
    return p


def add_field(p, instr: str, placeholder: str = "1"):
    """A Word field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""
    def run(xml):
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{xml}</w:r>'))
    run('<w:fldChar w:fldCharType="begin"/>')
    run(f'<w:instrText xml:space="preserve"> {instr} </w:instrText>')
    run('<w:fldChar w:fldCharType="separate"/>')
    run(f"<w:t>{placeholder}</w:t>")
    run('<w:fldChar w:fldCharType="end"/>')


def set_cell_width(cell, inches: float):
    tcpr = cell._tc.get_or_add_tcPr()
    w = tcpr.find(qn("w:tcW"))
    if w is None:
        w = parse_xml(f'<w:tcW {nsdecls("w")}/>')
        tcpr.insert(0, w)
    w.set(qn("w:w"), str(int(round(inches * 1440))))
    w.set(qn("w:type"), "dxa")


def table_props(table, widths, *, borders=True, cell_margin_in=0.04, layout_fixed=True, indent_in=0.0):
    tbl = table._tbl
    tblpr = tbl.tblPr
    for tag in ("w:tblW", "w:tblBorders", "w:tblLayout", "w:tblCellMar", "w:tblInd"):
        old = tblpr.find(qn(tag))
        if old is not None:
            tblpr.remove(old)
    total = int(round(sum(widths) * 1440))
    tblpr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>'))
    if indent_in:
        tblpr.append(parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{int(indent_in * 1440)}" w:type="dxa"/>'))
    if borders:
        tblpr.append(parse_xml(
            f'<w:tblBorders {nsdecls("w")}>'
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>"))
    else:
        tblpr.append(parse_xml(
            f'<w:tblBorders {nsdecls("w")}>'
            + "".join(f'<w:{side} w:val="nil"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>"))
    if layout_fixed:
        tblpr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    m = int(round(cell_margin_in * 1440))
    tblpr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="0" w:type="dxa"/><w:left w:w="{m}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar>'))
    # schema order inside tblPr: tblStyle, …, tblW, jc, …, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    order = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
             "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
             "tblLook", "tblCaption", "tblDescription"]
    children = list(tblpr)
    children.sort(key=lambda e: order.index(e.tag.split("}")[1]) if e.tag.split("}")[1] in order else 99)
    for c in children:
        tblpr.remove(c)
        tblpr.append(c)
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(int(round(w * 1440))))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            set_cell_width(cell, w)


def _tr_pr(row):
    tr = row._tr
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = parse_xml(f'<w:trPr {nsdecls("w")}/>')
        tr.insert(0, trpr)
    return trpr


def mark_header_row(row):
    trpr = _tr_pr(row)
    trpr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def cant_split(row):
    _tr_pr(row).append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))


def shade(cell, fill="D9D9D9"):
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def cell_text(cell, text, style, *, bold=None, align=None):
    p = cell.paragraphs[0]
    p.style = style
    if text:
        r = p.add_run(text)
        if bold is not None:
            r.bold = bold
    if align is not None:
        p.alignment = align
    return p


def cell_borders(cell, **sides):
    tcpr = cell._tc.get_or_add_tcPr()
    xml = "".join(
        f'<w:{side} w:val="{val}" w:sz="4" w:space="0" w:color="000000"/>' if val != "nil"
        else f'<w:{side} w:val="nil"/>'
        for side, val in sides.items())
    tcpr.append(parse_xml(f'<w:tcBorders {nsdecls("w")}>{xml}</w:tcBorders>'))


def kv_table(container, rows, widths=(1.9, 4.6), style="CMR Small Cell", head_style="CMR Small Head"):
    """Key/value table; values may hold Jinja placeholders."""
    t = container.add_table(rows=0, cols=2)
    for k, v in rows:
        r = t.add_row()
        cell_text(r.cells[0], k, head_style)
        cell_text(r.cells[1], v, style)
        cant_split(r)
    table_props(t, list(widths), cell_margin_in=0.06)
    return t


def loop_table(container, headers, cells, loop: str, widths, *, style="CMR Small Cell",
               head_style="CMR Small Head", aligns=None):
    """A table with a header row and one docxtpl row loop (``{%tr for … %}``)."""
    n = len(headers)
    t = container.add_table(rows=4, cols=n)
    for i, h in enumerate(headers):
        cell_text(t.rows[0].cells[i], h, head_style)
        shade(t.rows[0].cells[i])
    mark_header_row(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr " + loop + " %}", style)
    for i, c in enumerate(cells):
        al = aligns[i] if aligns else None
        cell_text(t.rows[2].cells[i], c, style, align=al)
    cant_split(t.rows[2])
    cell_text(t.rows[3].cells[0], "{%tr endfor %}", style)
    table_props(t, list(widths), cell_margin_in=0.06)
    return t


# -- header and footer -----------------------------------------------------------------------------

LINE_NUMBERS_VML = (
    '<w:r {ns}><w:pict><v:rect id="CMRLineNumbers" o:spid="_x0000_s1025" '
    'style="position:absolute;margin-left:{left}pt;margin-top:{top}pt;width:{width}pt;height:{height}pt;'
    'z-index:-251657216;mso-position-horizontal-relative:page;mso-position-vertical-relative:page" '
    'filled="f" stroked="f"><v:textbox inset="0,0,0,0"><w:txbxContent>{pars}</w:txbxContent>'
    '</v:textbox></v:rect></w:pict></w:r>'
)

WATERMARK_VML = (
    '<w:r {ns}><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="CMRWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:468pt;height:78pt;rotation:315;'
    'z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#c0c0c0" stroked="f">'
    '<v:fill opacity=".45"/><v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt" '
    'string="SPOT-CHECK COPY \u2014 NOT FOR FILING"/></v:shape></w:pict></w:r>'
)


def line_numbers_run(sec):
    ns = nsdecls("w") + " " + VML_NS
    pars = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="CMRLineNumber"/></w:pPr><w:r><w:t>{i}</w:t></w:r></w:p>'
        for i in range(1, 29))
    top = sec.top_margin.pt
    return parse_xml(LINE_NUMBERS_VML.format(ns=ns, left=48, top=top, width=36, height=28 * 24, pars=pars))


def build_header(doc, sec, *, confidential: bool, pleading: bool = False, watermark: bool = False,
                 spot_check_line: bool = False):
    hdr = sec.header
    hdr.is_linked_to_previous = False
    first = hdr.paragraphs[0]
    first.style = "CMR Draft"
    first.add_run("{%p if doc.draft %}")
    add_par(hdr, "DRAFT \u2014 NOT FOR FILING", "CMR Draft")
    add_par(hdr, "{%p endif %}", "CMR Draft")
    if spot_check_line:
        add_par(hdr, "{%p if doc.spot_check %}", "CMR Draft")
        add_par(hdr, "SPOT-CHECK COPY \u2014 NOT FOR FILING", "CMR Draft")
        add_par(hdr, "{%p endif %}", "CMR Draft")
    if confidential:
        add_par(hdr, "{%p for line in marking %}", "CMR Marking")
        add_par(hdr, "{{ line }}", "CMR Marking")
        add_par(hdr, "{%p endfor %}", "CMR Marking")
    anchor = add_par(hdr, "", "CMR Marking")
    if pleading:
        anchor._p.append(line_numbers_run(sec))
    if watermark:
        add_par(hdr, "{%p if doc.spot_check %}", "CMR Marking")
        wm = add_par(hdr, "", "CMR Marking")
        wm._p.append(parse_xml(WATERMARK_VML.format(ns=nsdecls("w") + " " + VML_NS)))
        add_par(hdr, "{%p endif %}", "CMR Marking")


def build_footer(sec, label="Packet"):
    ftr = sec.footer
    ftr.is_linked_to_previous = False
    p = ftr.paragraphs[0]
    p.style = "CMR Footer"
    # top rule above the footer line
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr>'))
    p.add_run(label + " {{ packet.id }} \u00b7 {{ doc.short_name }} \u00b7 Page ")
    add_field(p, "PAGE")
    p.add_run(" of ")
    add_field(p, "NUMPAGES")


def new_doc(tid: str, *, confidential: bool, pleading: bool = False, watermark=False, spot_check_line=False,
            footer_label="Packet"):
    doc = Document()
    base_styles(doc)
    sec = setup_section(doc, TEMPLATES[tid]["orientation"], pleading=pleading)
    build_header(doc, sec, confidential=confidential, pleading=pleading, watermark=watermark,
                 spot_check_line=spot_check_line)
    build_footer(sec, footer_label)
    # python-docx starts with one empty paragraph: use it as the first body paragraph
    return doc


def first_par(doc, text="", style=None):
    return add_par(doc, text, style)


# -- pleading caption ------------------------------------------------------------------------------

def pleading_caption(doc, title_lines: list[str], *, case_line="Case No.: {{ court.case_number_line }}",
                     caption_left: list[str] | None = None, extra_right: list[str] | None = None):
    """Attorney block (lines 1–7), court title (line 8), caption box with title on the right."""
    first_par(doc, "{{ office.head_name }}", "CMR Caption Line")
    add_par(doc, "{{ office.head_title }}", "CMR Caption Line")
    add_par(doc, "{{ office.attorney.name }}, {{ office.attorney.title }} (SBN {{ office.attorney.bar_number }})",
            "CMR Caption Line")
    add_par(doc, "{{ office.agency_name }}", "CMR Caption Line")
    add_par(doc, "{%p for line in office.address %}", "CMR Caption Line")
    add_par(doc, "{{ line }}", "CMR Caption Line")
    add_par(doc, "{%p endfor %}", "CMR Caption Line")
    add_par(doc, "Telephone: {{ office.phone }}", "CMR Caption Line")
    add_par(doc, "E-mail: {{ office.email }}", "CMR Caption Line")
    add_par(doc, "", "CMR Caption Line")
    add_par(doc, "Attorneys for Plaintiff, the People of the State of California", "CMR Caption Line")
    add_par(doc, "{%p for pad in office.caption_padding %}", "CMR Caption Line")
    add_par(doc, "", "CMR Caption Line")
    add_par(doc, "{%p endfor %}", "CMR Caption Line")
    add_par(doc, "", "CMR Pleading Flush")
    add_par(doc, "{{ court.title_line1 }}", "CMR Court Title")
    add_par(doc, "{{ court.title_line2 }}", "CMR Court Title")
    add_par(doc, "{{ court.courthouse_line }}", "CMR Pleading Center")
    t = doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    lp = left.paragraphs[0]
    lp.style = "CMR Pleading Cell"
    lines = caption_left or [
        "In re Convictions Identified Under Health and Safety Code Section 11361.9",
        "",
        "Packet {{ packet.id }}",
        "",
        "THE PEOPLE OF THE STATE OF CALIFORNIA,",
        "Plaintiff.",
    ]
    lp.add_run(lines[0])
    for line in lines[1:]:
        add_par(left, line, "CMR Pleading Cell")
    add_par(left, "", "CMR Pleading Cell")
    rp = right.paragraphs[0]
    rp.style = "CMR Pleading Cell"
    rp.add_run(case_line)
    add_par(right, "", "CMR Pleading Cell")
    for i, line in enumerate(title_lines):
        add_par(right, line, "CMR Pleading Cell Head")
    for line in extra_right or []:
        add_par(right, "", "CMR Pleading Cell")
        add_par(right, line, "CMR Pleading Cell")
    table_props(t, [3.3, 3.2], borders=False, cell_margin_in=0.08)
    trpr = _tr_pr(t.rows[0])
    trpr.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="{7 * 24 * 20}" w:hRule="atLeast"/>'))
    trpr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell_borders(left, right="single", bottom="single")
    add_par(doc, "", "CMR Pleading Flush")


def signature_block(doc, *, dated=True):
    F = "CMR Pleading Flush"
    add_par(doc, "{%p if signature.custom %}", F)
    if dated:
        add_par(doc, "Dated: {{ signature.date_line }}", F, keep_next=True)
    add_par(doc, "{%p for line in signature.custom_lines %}", "CMR Signature Tight")
    add_par(doc, "{{ line }}", "CMR Signature Tight", keep_next=True)
    add_par(doc, "{%p endfor %}", "CMR Signature Tight")
    add_par(doc, "{%p if signature.custom_lines|length is odd %}", "CMR Signature Tight")
    add_par(doc, "", "CMR Signature Tight")
    add_par(doc, "{%p endif %}", "CMR Signature Tight")
    add_par(doc, "{%p else %}", F)
    if dated:
        add_par(doc, "Dated: {{ signature.date_line }}", F, keep_next=True)
    add_par(doc, "Respectfully submitted,", "CMR Signature", keep_next=True)
    tight_pair(doc, "{{ office.head_name }}", "{{ office.head_title }}")
    add_par(doc, "", "CMR Signature", keep_next=True)
    add_par(doc, "By: {{ signature.line }}", "CMR Signature", keep_next=True)
    tight_pair(doc, "{{ office.attorney.name }}",
               "{{ office.attorney.title }} (SBN {{ office.attorney.bar_number }})", keep_next=False)
    add_par(doc, "{%p endif %}", F)


def judge_signature(doc, title="Judge of the Superior Court"):
    add_par(doc, "Dated: ____________________", "CMR Pleading Flush", keep_next=True)
    add_par(doc, "______________________________", "CMR Signature", keep_next=True)
    tight_pair(doc, title, "", keep_next=False)


# -- the documents ---------------------------------------------------------------------------------

def build_cover_sheet():
    doc = new_doc("cover_sheet", confidential=True)
    first_par(doc, "{{ court.name }}", "CMR Subtitle")
    add_par(doc, "{{ court.courthouse_line }}", "CMR Subtitle")
    add_par(doc, "Motion packet \u2014 cover sheet and index", "CMR Big Title")
    add_par(doc, "Packet {{ packet.id }} ({{ packet.kind_label }})", "CMR Info")
    add_par(doc, "Packet", "CMR Heading")
    kv_table(doc, [
        ("County", "{{ court.county_name }}"),
        ("Court", "{{ court.name }}"),
        ("Courthouse", "{{ court.courthouse_name }} ({{ court.courthouse_code }})"),
        ("Courthouse address", "{{ court.courthouse_address }}"),
        ("Filing agency", "{{ office.agency_name }}"),
        ("Contact", "{{ office.attorney.name }}, {{ office.attorney.title }} \u00b7 {{ office.phone }} \u00b7 {{ office.email }}"),
        ("Packet id", "{{ packet.id }}"),
        ("Kind", "{{ packet.kind_label }}"),
        ("Generated", "{{ run.generated_at }}"),
        ("As-of date", "{{ run.as_of }}"),
        ("Policy", "{{ run.policy_name }}, version {{ run.policy_version }}"),
        ("Ruleset hash", "{{ run.ruleset_short }} (full value in manifest.json)"),
        ("Application", "ClearMyRecord Desktop {{ run.app_version }}"),
    ])
    add_par(doc, "Index of documents", "CMR Heading")
    loop_table(doc, ["Document", "File", "Rows", "Pages"],
               ["{{ d.title }}", "{{ d.file }}", "{{ d.rows }}", "{{ d.pages }}"],
               "for d in index", [2.3, 2.9, 0.6, 0.7],
               aligns=[None, None, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT])
    add_par(doc, "Row counts", "CMR Heading")
    loop_table(doc, ["Exhibit", "Relief", "Rows", "Statute", "Policy"],
               ["{{ e.id }}", "{{ e.relief }}", "{{ e.total }}", "{{ e.statute }}", "{{ e.policy }}"],
               "for e in counts.exhibits", [0.8, 3.2, 0.8, 0.85, 0.85],
               aligns=[None, None] + [WD_ALIGN_PARAGRAPH.RIGHT] * 3)
    add_par(doc, "", "CMR Small")
    kv_table(doc, [
        ("Challenged (notice of challenge)", "{{ counts.challenge }}"),
        ("Total rows", "{{ counts.total }}"),
        ("Distinct people", "{{ counts.people }}"),
        ("Distinct court cases", "{{ counts.cases }}"),
        ("Rows with path \u201cUnknown\u201d", "{{ counts.path_unknown }}"),
        ("Rows without a court case number", "{{ counts.no_case_number }}"),
    ], widths=(3.0, 3.5))
    add_par(doc, "{%p if doc.draft %}", "CMR Text")
    add_par(doc, "DRAFT: counts awaiting review (open) left out of this packet: {{ counts.open_left_out }}.",
            "CMR Text", bold=True).paragraph_format.space_before = Pt(6)
    add_par(doc, "{%p endif %}", "CMR Text")
    add_par(doc, "Court data file", "CMR Heading")
    kv_table(doc, [
        ("File", "{{ court_data.file }}"),
        ("Rows", "{{ court_data.rows }}"),
        ("SHA-256", "{{ court_data.sha256 }}"),
    ], widths=(1.0, 5.5))
    add_par(doc, "Handling", "CMR Heading")
    add_par(doc, "{%p for h in handling %}", "CMR Bullet")
    add_par(doc, "\u2022\u00a0{{ h }}", "CMR Bullet")
    add_par(doc, "{%p endfor %}", "CMR Bullet")
    return doc


def build_notice_and_motion():
    doc = new_doc("notice_and_motion", confidential=False, pleading=True)
    pleading_caption(doc, [
        "PEOPLE\u2019S NOTICE OF NON-CHALLENGE AND MOTION FOR ORDERS RECALLING OR DISMISSING "
        "SENTENCES, DISMISSING AND SEALING, AND REDESIGNATING CONVICTIONS",
        "(Health & Saf. Code, \u00a7\u00a7\u00a011361.8, 11361.9)",
    ], extra_right=["No hearing requested"])
    add_par(doc, "TO THE COURT:", "CMR Pleading Flush")
    P = "CMR Pleading"
    head_par(doc, "1.\u00a0\u00a0Statutory basis. ",
             "Health and Safety Code section 11361.9 required the California Department of Justice (DOJ) to "
             "identify convictions potentially eligible for relief under section 11361.8 and required the People "
             "to review them, to inform the court and the public defender of any conviction the People challenge, "
             "and to inform the court of every conviction the People do not challenge. The court shall reduce or "
             "dismiss each conviction that is not challenged (\u00a7\u00a011361.9, subd. (f)).", P)
    head_par(doc, "2.\u00a0\u00a0The review performed. ",
             "The People received the DOJ records in the following file(s): {{ motion.inputs_text }}. Applying the "
             "policy \u201c{{ run.policy_name }}\u201d, version {{ run.policy_version }}, as of {{ run.as_of }}, the "
             "People reviewed {{ motion.reviewed }} in cases of the {{ court.courthouse_name }}. A reviewer made or "
             "confirmed {{ motion.reviewer_decisions }} of these decisions; the others follow the rules of the "
             "policy.", P)
    head_par(doc, "3.\u00a0\u00a0Non-challenge. ",
             "The People do not challenge the {{ motion.granted }} listed in the exhibits to this motion "
             "({{ motion.exhibits_text }}) and ask the court to grant the relief stated on each row. The exhibits "
             "identify each conviction by row; they are lodged as the court directs and are not part of the "
             "public file.", P)
    add_par(doc, "{%p if motion.policy.any %}", P)
    head_par(doc, "4.\u00a0\u00a0Relief by office policy. ",
             "The relief stated in {{ motion.policy.total }} of the exhibits rests on the People\u2019s policy "
             "and not on the statutory minimum ({{ motion.policy.by_exhibit }}). The policy criteria applied are: "
             "{{ motion.policy.criteria_text }}.{% if motion.policy.conflicts %} Relief in "
             "{{ motion.policy.conflicts }} of these, marked \u201c(bar)\u201d, is granted although the DOJ record "
             "shows a statutory bar to relief as of right; they are counted separately here.{% endif %} As to "
             "these rows the People request relief under {{ motion.policy.authority }}.", P)
    add_par(doc, "{%p endif %}", P)
    head_par(doc, "{{ motion.n_path }}.\u00a0\u00a0Relief path. ",
             "Rows marked \u201cResent.\u201d ({{ motion.resent }}) concern persons currently serving a "
             "sentence; as to them the People request that the sentence be recalled and the person resentenced, "
             "or the conviction dismissed (\u00a7\u00a011361.8, subds. (a)\u2013(d)). Rows marked "
             "\u201cRedesig.\u201d ({{ motion.redesig }}) concern persons who have completed their sentence; as "
             "to them the People request redesignation, or dismissal and sealing (\u00a7\u00a011361.8, subds. "
             "(e)\u2013(h)). Rows marked \u201cUnknown\u201d ({{ motion.path_unknown }}) concern convictions for "
             "which the DOJ record does not show whether the sentence has been completed; as to them the People "
             "request the relief stated under whichever of those provisions applies.", P)
    add_par(doc, "{%p if motion.challenged %}", P)
    head_par(doc, "{{ motion.n_challenge }}.\u00a0\u00a0Challenges. ",
             "The People challenge {{ motion.challenged }} in cases of this courthouse. They are listed in the "
             "Notice of Challenge served on the court and the public defender ({{ motion.challenge_ref }}) and "
             "are not part of this motion.", P)
    add_par(doc, "{%p endif %}", P)
    head_par(doc, "{{ motion.n_judge }}.\u00a0\u00a0Judge and hearing. ",
             "The People consent to the presiding judge, or a judge the presiding judge designates, ruling on "
             "this motion. The People do not request a hearing.", P)
    keep = head_par(doc, "{{ motion.n_data }}.\u00a0\u00a0Court data. ",
             "The court data file {{ court_data.file }} ({{ court_data.rows_text }}; SHA-256 "
             "{{ court_data.sha256 }}) holds the same rows, in the same order and with the same row identifiers, "
             "as the exhibits, for entry in the court\u2019s case-management system.", P)
    keep.paragraph_format.keep_with_next = True
    signature_block(doc)
    return doc


def build_proposed_order():
    doc = new_doc("proposed_order", confidential=False, pleading=True)
    pleading_caption(doc, [
        "[PROPOSED] ORDER RECALLING OR DISMISSING SENTENCES, DISMISSING AND SEALING, AND "
        "REDESIGNATING CONVICTIONS",
        "(Health & Saf. Code, \u00a7\u00a7\u00a011361.8, 11361.9)",
    ])
    P = "CMR Pleading"
    add_par(doc, "The court has read the People\u2019s notice of non-challenge and motion in packet "
            "{{ packet.id }}. The People do not challenge the convictions listed in the exhibits to that "
            "motion. Good cause appearing, IT IS ORDERED:", P)
    add_par(doc, "(a)\u00a0\u00a0{% if order.A %}Each conviction listed in {{ order.A.label }} ({{ order.A.rows }}) is dismissed as legally invalid and sealed (Health & Saf. Code, \u00a7\u00a011361.8). A sealed "
            "record shall not be open to inspection except by order of the court.{% else %}No conviction is "
            "listed in Exhibit A.{% endif %}", P)
    add_par(doc, "(b)\u00a0\u00a0{% if order.B %}Each conviction listed in {{ order.B.label }} ({{ order.B.rows }}) is redesignated as a misdemeanor, or the sentence is recalled and the person resentenced "
            "to a misdemeanor, for all purposes.{% else %}No conviction is listed in Exhibit B.{% endif %}", P)
    add_par(doc, "(c)\u00a0\u00a0{% if order.C %}Each conviction listed in {{ order.C.label }} ({{ order.C.rows }}) is redesignated as an infraction, or the sentence is recalled and the person resentenced "
            "to an infraction, for all purposes.{% else %}No conviction is listed in Exhibit C.{% endif %}", P)
    add_par(doc, "(d)\u00a0\u00a0As to each row marked \u201cResent.\u201d ({{ order.resent }}), the sentence "
            "is recalled and the person is resentenced as stated on the row, or the conviction is dismissed, "
            "with credit for time served. A conviction on this path that is dismissed as legally invalid is "
            "also sealed as stated in paragraph (a).", P)
    add_par(doc, "(e)\u00a0\u00a0The clerk shall update the court\u2019s records for each conviction listed in the "
            "exhibits and shall notify the Department of Justice of each conviction dismissed, sealed, "
            "redesignated or resentenced by this order (\u00a7\u00a011361.9, subd. (g)).", P)
    add_par(doc, "{%p if order.registration_relief %}", P)
    add_par(doc, "(f)\u00a0\u00a0Any registration requirement resting solely on a conviction listed in the "
            "exhibits is terminated.", P)
    add_par(doc, "{%p endif %}", P)
    add_par(doc, "This order covers the {{ order.total }} listed in the exhibits to packet {{ packet.id }}, which "
            "are the rows of the court data file {{ court_data.file }} ({{ court_data.rows_text }}; SHA-256 "
            "{{ court_data.sha256 }}).", P)
    add_par(doc, "", "CMR Pleading Flush", keep_next=True)
    judge_signature(doc)
    add_par(doc, "", "CMR Pleading Flush", keep_next=True)
    add_par(doc, "CLERK\u2019S CERTIFICATE", "CMR Pleading Center", keep_next=True)
    add_par(doc, "I certify that the foregoing is a true copy of the order entered in this matter.", P,
            keep_next=True)
    add_par(doc, "Dated: ____________________", "CMR Pleading Flush", keep_next=True)
    tight_pair(doc, "Clerk of the Superior Court", "")
    add_par(doc, "By: ___________________________, Deputy", "CMR Signature")
    return doc


NUMERIC = {"row_no", "count", "cnt_count"}


def stamped_table(doc, tid: str, *, caption_style="CMR Caption Rows", cell_style="CMR Cell",
                  head_style="CMR Cell Head"):
    spec = TEMPLATES[tid]["table"]
    cols = spec["columns"]
    widths = [c["width_in"] for c in cols]
    add_par(doc, "[[rows_caption]]", caption_style)
    t = doc.add_table(rows=2, cols=len(cols))
    R = WD_ALIGN_PARAGRAPH.RIGHT
    for i, c in enumerate(cols):
        al = R if c["key"] in NUMERIC else None
        cell_text(t.rows[0].cells[i], c["header"], head_style, align=al)
        shade(t.rows[0].cells[i])
        cell_text(t.rows[1].cells[i], f"[[{c['key']}]]", cell_style, align=al)
    mark_header_row(t.rows[0])
    cant_split(t.rows[1])
    table_props(t, widths)
    return t


LEGEND = (
    "Legend. Level: F felony, M misdemeanor, I infraction. Sentence: status at the as-of date, estimated "
    "from DOJ sentence rows. Path: Redesig. = sentence completed, redesignation or dismissal and sealing "
    "(Health & Saf. Code, \u00a7\u00a011361.8, subds. (e)\u2013(h)); Resent. = currently serving, recall and "
    "resentencing or dismissal (\u00a7\u00a011361.8, subds. (a)\u2013(d)); Unknown = the DOJ record does not "
    "show. Basis: Statute = relief required by \u00a7\u00a011361.8; Policy = relief beyond the statutory minimum "
    "by office policy (criterion named) or by a reviewer, with the statutory floor shown; (bar) = granted "
    "although the DOJ record shows a statutory bar to relief as of right. Dates MM/DD/YYYY (partial dates "
    "MM/YYYY or YYYY); \u2014 = not recorded. Count = count number within the court case."
)


def build_exhibit():
    doc = new_doc("exhibit", confidential=True)
    first_par(doc, "EXHIBIT {{ exhibit.id }}", "CMR Big Title")
    add_par(doc, "{{ exhibit.title }}", "CMR Subtitle")
    add_par(doc, "{{ court.name }} \u00b7 {{ courthouse.code }} {{ courthouse.name }} \u00b7 Packet {{ packet.id }} "
            "\u00b7 {{ exhibit.rows_text }}{{ exhibit.note }}", "CMR Info")
    add_par(doc, LEGEND, "CMR Legend")
    stamped_table(doc, "exhibit")
    add_par(doc, "End of Exhibit {{ exhibit.id }}: {{ exhibit.rows_text }}.", "CMR Legend")
    return doc


def build_challenge_list():
    doc = new_doc("challenge_list", confidential=True)
    first_par(doc, "NOTICE OF CHALLENGE", "CMR Big Title")
    add_par(doc, "(Health & Saf. Code, \u00a7\u00a011361.9)", "CMR Subtitle")
    add_par(doc, "{{ court.name }} \u00b7 {{ courthouse.code }} {{ courthouse.name }} \u00b7 Packet {{ packet.id }} "
            "\u00b7 {{ challenge.rows_text }}", "CMR Info")
    add_par(doc, "TO THE COURT AND TO THE PUBLIC DEFENDER, {{ challenge.pd_name }}: Under Health and Safety Code "
            "section 11361.9, the People challenge the {{ challenge.convictions }} listed below. For each "
            "conviction the ground of the challenge and the evidence the People will offer are stated. These "
            "convictions are not part of the People\u2019s motion in this packet. "
            "Abbreviations as in the legend of the exhibits (Level F/M/I; dates MM/DD/YYYY; \u2014 = not recorded).",
            "CMR Small")
    stamped_table(doc, "challenge_list")
    add_par(doc, "End of Notice of Challenge: {{ challenge.rows_text }}.", "CMR Legend")
    add_par(doc, "", "CMR Small")
    add_par(doc, "Dated: {{ signature.date_line }}\u2003\u2003{{ office.agency_name }}", "CMR Small")
    add_par(doc, "By: {{ signature.line }}\u2003{{ office.attorney.name }}, {{ office.attorney.title }} "
            "(SBN {{ office.attorney.bar_number }})", "CMR Small")
    return doc


def build_proof_of_service():
    doc = new_doc("proof_of_service", confidential=True, pleading=True)
    pleading_caption(doc, ["PROOF OF SERVICE", "(Health & Saf. Code, \u00a7\u00a011361.9)"])
    P = "CMR Pleading"
    F = "CMR Pleading Flush"
    add_par(doc, "1.\u00a0\u00a0I am at least 18 years old and not a party to this proceeding. My business address "
            "is: {{ service.server_address }}.", P)
    add_par(doc, "2.\u00a0\u00a0On ____________________ (date), I served the following documents of packet "
            "{{ packet.id }}:", P)
    add_par(doc, "{%p for d in service.documents %}", F)
    add_par(doc, "\u2022\u00a0{{ d }}", F, indent=0.7).paragraph_format.first_line_indent = Inches(-0.2)
    add_par(doc, "{%p endfor %}", F)
    add_par(doc, "3.\u00a0\u00a0I served them on:", P)
    add_par(doc, "{%p for s in service.served %}", F)
    add_par(doc, "{{ s.name }}{% if s.role %} ({{ s.role }}){% endif %}", F, indent=0.5, keep_next=True)
    add_par(doc, "{{ s.address }}{% if s.email %}; e-mail: {{ s.email }}{% endif %}", F, indent=0.5)
    add_par(doc, "{%p endfor %}", F)
    add_par(doc, "4.\u00a0\u00a0By (check one):", P, keep_next=True)
    add_par(doc, "\u2610\u00a0personal delivery", F, indent=0.5, keep_next=True)
    add_par(doc, "\u2610\u00a0first-class mail, postage prepaid, addressed as stated above", F, indent=0.5,
            keep_next=True)
    add_par(doc, "\u2610\u00a0electronic service to the e-mail address stated above", F, indent=0.5)
    add_par(doc, "I declare under penalty of perjury under the laws of the State of California that the "
            "foregoing is true and correct.", P, keep_next=True)
    add_par(doc, "Dated: ____________________", F, keep_next=True)
    add_par(doc, "______________________________", "CMR Signature", keep_next=True)
    tight_pair(doc, "{{ service.server_name }}", "(name of the person serving, and signature)", keep_next=False)
    return doc


def _granted_by(doc, heading: str, first_column: str, key: str) -> None:
    """A report section: granted counts by relief for each ``report.<key>`` row, then its chart."""
    add_par(doc, heading, "CMR Heading")
    loop_table(doc, [first_column, "Dismiss & seal", "Reduce to misd.", "Reduce to infr.", "Total"],
               ["{{ r.label }}", "{{ r.ds }}", "{{ r.rm }}", "{{ r.ri }}", "{{ r.total }}"],
               f"for r in report.{key}", [2.5, 1.0, 1.0, 1.0, 1.0],
               aligns=[None] + [WD_ALIGN_PARAGRAPH.RIGHT] * 4)
    add_par(doc, "{{ charts.%s }}" % key, "CMR Text")


def build_summary_report():
    doc = new_doc("summary_report", confidential=True, footer_label="Export")
    first_par(doc, "{{ report.title }}", "CMR Big Title")
    add_par(doc, "{{ report.county }} \u00b7 as of {{ report.as_of }} \u00b7 generated {{ report.generated_at }}",
            "CMR Info")
    add_par(doc, "{%p if report.suppression_note %}", "CMR Text")
    add_par(doc, "{{ report.suppression_note }}", "CMR Text", italic=True)
    add_par(doc, "{%p endif %}", "CMR Text")
    add_par(doc, "Run and rules", "CMR Heading")
    loop_table(doc, ["Item", "Value"], ["{{ f.label }}", "{{ f.value }}"], "for f in report.front",
               [1.9, 4.6])
    add_par(doc, "Input files", "CMR Heading")
    loop_table(doc, ["File", "Bytes", "SHA-256", "Rows", "Quarantined"],
               ["{{ i.name }}", "{{ i.bytes }}", "{{ i.sha256 }}", "{{ i.rows }}", "{{ i.quarantined }}"],
               "for i in report.inputs", [1.4, 0.8, 2.6, 0.8, 0.9])
    add_par(doc, "Headline impact", "CMR Heading")
    add_par(doc, "Each figure is shown for the statutory floor only (the run\u2019s statutory determinations; a "
            "count awaiting review counts as not granted) and with the final decisions (office policy and "
            "review).", "CMR Text")
    loop_table(doc, ["Figure", "Statutory floor only", "Final decisions"],
               ["{{ h.label }}", "{{ h.statutory }}", "{{ h.final }}"], "for h in report.headline",
               [3.5, 1.5, 1.5], aligns=[None, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT])
    add_par(doc, "{{ charts.relief }}", "CMR Text")
    _granted_by(doc, "By code section (granted counts, final decisions)", "Section", "sections")
    _granted_by(doc, "By decade of conviction (granted counts)", "Decade", "decades")
    add_par(doc, "By courthouse", "CMR Heading")
    loop_table(doc, ["Courthouse", "Granted", "Challenged", "People", "Packet"],
               ["{{ r.label }}", "{{ r.granted }}", "{{ r.challenged }}", "{{ r.people }}", "{{ r.packet }}"],
               "for r in report.courthouses", [2.0, 0.8, 0.9, 0.8, 2.0],
               aligns=[None] + [WD_ALIGN_PARAGRAPH.RIGHT] * 3 + [None])
    add_par(doc, "{{ charts.courthouses }}", "CMR Text")
    add_par(doc, "By race/ethnicity as recorded by DOJ", "CMR Heading")
    add_par(doc, "Taken from the DOJ RACE_DESCR value as recorded (blank: \u201cNot recorded\u201d). Race never "
            "appears in any court document.", "CMR Text")
    loop_table(doc, ["Group (as recorded by DOJ)", "People affected", "Share", "Granted counts", "Share"],
               ["{{ r.label }}", "{{ r.people }}", "{{ r.people_share }}", "{{ r.granted }}", "{{ r.granted_share }}"],
               "for r in report.race", [2.5, 1.0, 0.8, 1.2, 0.8],
               aligns=[None] + [WD_ALIGN_PARAGRAPH.RIGHT] * 4)
    add_par(doc, "{{ charts.race }}", "CMR Text")
    add_par(doc, "Challenged counts by ground", "CMR Heading")
    loop_table(doc, ["Ground", "Counts"], ["{{ r.label }}", "{{ r.n }}"], "for r in report.grounds", [5.0, 1.5],
               aligns=[None, WD_ALIGN_PARAGRAPH.RIGHT])
    add_par(doc, "Counts not in any packet, and how counts were decided", "CMR Heading")
    loop_table(doc, ["Item", "Counts"], ["{{ r.label }}", "{{ r.n }}"], "for r in report.other", [5.0, 1.5],
               aligns=[None, WD_ALIGN_PARAGRAPH.RIGHT])
    add_par(doc, "Packets", "CMR Heading")
    loop_table(doc, ["Packet", "Courthouse", "Granted", "Challenged"],
               ["{{ p.id }}", "{{ p.courthouse }}", "{{ p.granted }}", "{{ p.challenged }}"],
               "for p in report.packets", [2.6, 2.0, 0.9, 1.0],
               aligns=[None, None, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT])
    add_par(doc, "Definitions", "CMR Heading")
    add_par(doc, "{%p for d in report.definitions %}", "CMR Bullet")
    add_par(doc, "\u2022\u00a0{{ d.term }}: {{ d.text }}", "CMR Bullet")
    add_par(doc, "{%p endfor %}", "CMR Bullet")
    add_par(doc, "Known limits of the data", "CMR Heading")
    add_par(doc, "{%p for d in report.limits %}", "CMR Bullet")
    add_par(doc, "\u2022\u00a0{{ d }}", "CMR Bullet")
    add_par(doc, "{%p endfor %}", "CMR Bullet")
    return doc


def build_per_case():
    doc = new_doc("per_case_motion_and_order", confidential=True, pleading=True, watermark=True,
                  spot_check_line=True)
    pleading_caption(
        doc,
        ["PEOPLE\u2019S MOTION AND ORDER FOR RELIEF UNDER HEALTH AND SAFETY CODE SECTION 11361.8",
         "(Health & Saf. Code, \u00a7\u00a7\u00a011361.8, 11361.9)"],
        case_line="Case No(s).: [[pc_case_numbers]]",
        caption_left=["THE PEOPLE OF THE STATE OF CALIFORNIA,", "Plaintiff,", "v.", "[[pc_name]],",
                      "Defendant.", "", "DOB: [[pc_dob]]", "CII: [[pc_cii]]"],
        extra_right=["Packet {{ packet.id }}"],
    )
    P = "CMR Pleading"
    F = "CMR Pleading Flush"
    add_par(doc, "The People move for relief under Health and Safety Code section 11361.8 as to the convictions "
            "in this case listed below:", P)
    add_par(doc, "[[box_b]]\u00a0Petition for recall and resentencing or dismissal of a sentence being served "
            "(\u00a7\u00a011361.8, subd. (b)).", F, indent=0.5)
    add_par(doc, "[[box_f]]\u00a0Application to redesignate, or to dismiss and seal, a conviction whose sentence "
            "is completed (\u00a7\u00a011361.8, subd. (f)).", F, indent=0.5)
    add_par(doc, "[[path_note]]", F)
    stamped_table(doc, "per_case_motion_and_order", caption_style="CMR Legend", cell_style="CMR Cell 10",
                  head_style="CMR Cell 10 Head")
    add_par(doc, "", F)
    add_par(doc, "The People do not challenge the convictions for which relief is stated above. Convictions marked "
            "\u201cnot included\u201d are challenged (see the Notice of Challenge) and are not part of this "
            "request.", P)
    signature_block(doc)
    add_par(doc, "", "CMR Pleading Flush")
    add_par(doc, "ORDER", "CMR Pleading Center", keep_next=True)
    add_par(doc, "Good cause appearing, IT IS ORDERED that relief is granted as stated above for each conviction "
            "listed with a relief. Convictions dismissed as legally invalid on the completed-sentence path are "
            "sealed. The clerk shall update the court\u2019s records and notify the Department of Justice.", P)
    judge_signature(doc)
    return doc


BUILDERS = {
    "cover_sheet": build_cover_sheet,
    "notice_and_motion": build_notice_and_motion,
    "proposed_order": build_proposed_order,
    "exhibit": build_exhibit,
    "challenge_list": build_challenge_list,
    "proof_of_service": build_proof_of_service,
    "summary_report": build_summary_report,
    "per_case_motion_and_order": build_per_case,
}


def _deterministic(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    ordered = first + sorted(n for n in names if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()


def build(tid: str) -> bytes:
    doc = BUILDERS[tid]()
    cp = doc.core_properties
    cp.author = "ClearMyRecord Desktop"
    cp.last_modified_by = "ClearMyRecord Desktop"
    cp.title = TEMPLATES[tid]["title"]
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    cp.comments = ""
    cp.subject = ""
    cp.keywords = ""
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic(buf.getvalue())


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    for tid, spec in TEMPLATES.items():
        data = build(tid)
        (out_dir / spec["file"]).write_bytes(data)
        print(f"{spec['file']}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
