"""Template registry and validation (§6.0, gate 5), stamping, pagination and deterministic archives (§12)."""

import io
import shutil
import zipfile
from datetime import datetime, timezone

import pytest

from clearmyrecord_desktop.documents import stamping as st
from clearmyrecord_desktop.documents.contexts import sample_contexts
from clearmyrecord_desktop.documents.templates import (ColumnSpec, TableSpec, TemplateRegistry, render_template,
                                                       undeclared_names)
from clearmyrecord_desktop.errors import TemplateError

REQUIRED_IDS = {"cover_sheet", "notice_and_motion", "proposed_order", "exhibit", "challenge_list", "proof_of_service",
                "summary_report", "per_case_motion_and_order"}


def _edit_docx(path, old: bytes, new: bytes, part="word/document.xml"):
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def test_registry_lists_every_template_with_metadata():
    reg = TemplateRegistry(office_dir=False)
    assert set(reg.ids()) == REQUIRED_IDS
    ex = reg.get("exhibit")
    assert ex.orientation == "landscape" and ex.table is not None
    assert ex.table.keys == ("row_no", "courthouse", "case_number", "name", "dob", "cii", "subject_id", "count",
                             "code_section", "level", "conv_date", "sentence", "relief", "path", "basis")
    assert reg.get("challenge_list").table.keys[-2:] == ("ground", "evidence")
    assert reg.get("notice_and_motion").orientation == "portrait"
    assert all(len(i.sha256) == 64 and i.source == "builtin" for i in reg.all())
    with pytest.raises(TemplateError):
        reg.get("nope")


def test_builtin_templates_validate(settings):
    reg = TemplateRegistry(office_dir=False)
    assert reg.validate(sample_contexts(reg, settings)) == []


def test_templates_use_only_declared_names():
    reg = TemplateRegistry(office_dir=False)
    for info in reg.all():
        assert undeclared_names(info) <= set(info.required), info.id


def test_office_override_with_unknown_placeholder_fails(tmp_path, settings):
    reg = TemplateRegistry(office_dir=False)
    office = tmp_path / "office"
    office.mkdir()
    shutil.copy(reg.get("proposed_order").path, office / "03_proposed_order.docx")
    _edit_docx(office / "03_proposed_order.docx", b"The court has read", b"{{ judge_name }} has read")
    reg2 = TemplateRegistry(office_dir=office)
    assert reg2.get("proposed_order").source == "office"
    assert reg2.get("proposed_order").sha256 != reg.get("proposed_order").sha256
    problems = reg2.validate(sample_contexts(reg2, settings), ids=["proposed_order"])
    assert problems and "unknown placeholder(s): judge_name" in problems[0]


def test_missing_attribute_fails_the_test_render(tmp_path, settings):
    reg = TemplateRegistry(office_dir=False)
    office = tmp_path / "office"
    office.mkdir()
    shutil.copy(reg.get("proposed_order").path, office / "03_proposed_order.docx")
    _edit_docx(office / "03_proposed_order.docx", b"The court has read", b"{{ office.fax }} has read")
    reg2 = TemplateRegistry(office_dir=office)
    problems = reg2.validate(sample_contexts(reg2, settings), ids=["proposed_order"])
    assert problems and "test render failed" in problems[0] and "fax" in problems[0]


def test_broken_table_row_is_reported(tmp_path, settings):
    reg = TemplateRegistry(office_dir=False)
    office = tmp_path / "office"
    office.mkdir()
    shutil.copy(reg.get("exhibit").path, office / "exhibit.docx")
    _edit_docx(office / "exhibit.docx", b"[[basis]]", b"[[bas</w:t></w:r><w:r><w:t>is]]")
    reg2 = TemplateRegistry(office_dir=office)
    problems = reg2.validate(sample_contexts(reg2, settings), ids=["exhibit"])
    assert problems and "[[basis]]" in problems[0]


def test_rendering_is_strict_and_autoescaped(settings):
    reg = TemplateRegistry(office_dir=False)
    info = reg.get("proof_of_service")
    ctx = sample_contexts(reg, settings)["proof_of_service"]()
    ctx["service"]["server_name"] = "Smith & <Jones>"
    data = render_template(info, ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "Smith &amp; &lt;Jones&gt;" in xml
    del ctx["service"]["server_name"]
    with pytest.raises(TemplateError, match="missing placeholder value"):
        render_template(info, ctx)


def test_clean_text_removes_forbidden_characters():
    assert st.clean_text("A\x00B\x01C\x0bD\ufffe  E\tF\nG") == "ABCD E F G"
    assert st.clean_text(None) == ""
    assert st.clean_text("\u00a7\u00a0667") == "\u00a7\u00a0667"
    assert st.xml_escape("a&b<c>") == "a&amp;b&lt;c&gt;"


def test_line_estimate():
    assert st.text_lines("", 10) == 1
    assert st.text_lines("05/04/2010", 9.72) == 1
    assert st.text_lines("Policy: 50 years or older; floor: Reduce to misd.", 17.46) == 3
    assert st.text_lines("X" * 40, 10) >= 4


def _spec(lines_per_page=10, first=6):
    return TableSpec(line_pt=9.5, lines_per_page=lines_per_page, first_page_lines=first, row_padding=0.0,
                     columns=(ColumnSpec("a", "A", 1.0, 10.0), ColumnSpec("b", "B", 1.0, 10.0)))


def test_paginator_packs_by_line_budget():
    pag = st.Paginator(_spec())
    for i in range(20):
        pag.add(["x", "word " * (4 if i % 5 == 0 else 1)])
    pages = pag.finish()
    assert sum(pages) == 20
    assert pages[0] <= 6 and all(n <= 10 for n in pages)
    assert st.page_ranges([3, 4]) == [(1, 3), (4, 7)]
    assert st.rows_caption(1, 44, 1234) == "Rows 1\u201344 of 1,234"


def test_stamped_document_pages(settings):
    reg = TemplateRegistry(office_dir=False)
    info = reg.get("exhibit")
    frame = render_template(info, sample_contexts(reg, settings)["exhibit"]())
    doc = st.StampedDocument.parse(st.document_xml_of(frame), info.table.keys)
    rows = [[str(i)] + ["v&<" if k == "name" else k for k in info.table.keys[1:]] for i in range(1, 8)]
    xml = "".join(doc.iter_xml(iter(rows), [3, 4]))
    assert xml.count("<w:tbl>") == 2
    assert xml.count('<w:br w:type="page"/>') == 1
    assert "Rows 1\u20133 of 7" in xml and "Rows 4\u20137 of 7" in xml
    assert "v&amp;&lt;" in xml and "[[" not in xml
    with pytest.raises(TemplateError):
        st.StampedDocument.parse("<w:document/>", info.table.keys)


def test_archives_are_deterministic(settings):
    reg = TemplateRegistry(office_dir=False)
    info = reg.get("cover_sheet")
    frame = render_template(info, sample_contexts(reg, settings)["cover_sheet"]())
    when = datetime(2020, 7, 3, 10, 0, tzinfo=timezone.utc)
    a, b = io.BytesIO(), io.BytesIO()
    st.normalise_docx(frame, a, title="T", when=when)
    st.normalise_docx(render_template(info, sample_contexts(reg, settings)["cover_sheet"]()), b, title="T", when=when)
    assert a.getvalue() == b.getvalue()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2020-07-03T10:00:00Z" in core


def test_build_script_is_deterministic(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(TemplateRegistry(office_dir=False).builtin_dir) / "build_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    reg = TemplateRegistry(office_dir=False)
    for info in reg.all():
        assert (tmp_path / info.file).read_bytes() == info.path.read_bytes(), \
            f"{info.file}: committed template differs from build_templates.py output"
