"""Summary report figures (§8) and the chart functions shared with the GUI dashboard."""

import io
import subprocess
import sys
import zipfile

from openpyxl import load_workbook
from PIL import Image

from clearmyrecord_desktop.documents import charts
from clearmyrecord_desktop.documents.summary import (chart_data, compute_summary, dashboard_charts, render_charts,
                                                     write_summary)
from clearmyrecord_desktop.documents.templates import TemplateRegistry


def test_headline_figures(ws_final, settings):
    data = compute_summary(ws_final, 1, settings)
    h = data.headline_dict()
    assert h["ds"] == (4, 7) and h["rm"] == (4, 2) and h["ri"] == (3, 2)
    assert h["granted"] == (11, 11)
    assert h["challenged"] == (3, 3) and h["open"] == (1, 0) and h["referred"] == (0, 1)
    assert h["evaluated"] == (15, 15)
    assert h["people"] == (10, 10)
    assert h["no_felony"] == (5, 7)
    assert h["no_conviction"] == (3, 6)
    assert h["felony"][1] + h["misdemeanor"][1] + h["infraction"][1] == 11


def test_seven_year_figure_is_anchored_on_the_as_of_date(ws_final, settings):
    with ws_final.write() as cur:
        cur.execute("""UPDATE count_result SET conviction_date = '2015-03-03', conviction_lo = DATE '2015-03-03',
                       conviction_hi = DATE '2015-03-03' WHERE subject_id = '2000003'""")
    assert compute_summary(ws_final, 1, settings).headline_dict()["no_conviction_7y"] == (0, 1)
    with ws_final.write() as cur:
        cur.execute("UPDATE eval_run SET as_of = DATE '2023-07-01' WHERE run_id = 1")
    assert compute_summary(ws_final, 1, settings).headline_dict()["no_conviction_7y"] == (0, 0)


def test_breakdowns(ws_final, settings):
    data = compute_summary(ws_final, 1, settings)
    sections = {k: (a, b, c) for k, a, b, c in data.sections}
    assert sections["11357(b)"] == (2, 0, 0)
    assert sections["11357(a)"] == (0, 0, 2)
    assert sections["11360(a)"] == (1, 0, 0) and sections["11360(b)"] == (1, 0, 0)
    assert [k for k, *_ in data.sections][:2] == ["11357(a)", "11357(b)"]
    decades = [k for k, *_ in data.decades]
    assert decades[0] == "1960s" and decades[-1] == "Date unknown"
    assert data.race == [("WHITE", 5, 6), ("BLACK", 2, 2), ("HISPANIC", 2, 2), ("ASIAN", 1, 1)]
    ch = {label.split()[0]: (g, c, p) for label, g, c, p, _ in data.courthouses}
    assert ch == {"LAC": (4, 0, 4), "LB": (3, 1, 4), "VNY": (4, 2, 5)}
    grounds = dict(data.grounds)
    assert grounds["Offense on or after 9 Nov 2016"] == 1
    assert any(g.startswith("Unreasonable risk") for g in grounds)
    other = dict(data.other)
    assert other["Granted over a statutory bar (policy conflict)"] == 1
    assert other["Decided or confirmed by a reviewer"] == 2
    assert other["Convictions in the DOJ file not evaluated (other counties or offenses)"] == 1


def test_report_files_and_suppression(ws_final, settings, clock, tmp_path):
    settings.summary.suppress_below = 3
    reg = TemplateRegistry(office_dir=False)
    files = write_summary(tmp_path / "summary", ws_final, 1, settings, reg, kind="final", when=clock(),
                          export_id="CMR-LA-X")
    assert files == ["charts/01_relief.png", "charts/02_sections.png", "charts/03_decades.png",
                     "charts/04_courthouses.png", "charts/05_race.png", "summary_report.docx",
                     "summary_tables.xlsx"]
    with zipfile.ZipFile(tmp_path / "summary" / "summary_report.docx") as zf:
        xml = zf.read("word/document.xml").decode()
        assert sum(1 for n in zf.namelist() if n.startswith("word/media/")) == 5
    assert "below 3 is shown as &lt;3" in xml and "&lt;3" in xml
    for needed in ("2020-07-01", "Los Angeles County 2020 pilot criteria", "9f9f9f9f9f9f", "LA_DOJ_research_2019.csv",
                   "as recorded by DOJ"):
        assert needed in xml
    wb = load_workbook(tmp_path / "summary" / "summary_tables.xlsx")
    assert wb.sheetnames == ["front", "inputs", "headline", "by_section", "by_decade", "by_courthouse",
                             "by_race_as_recorded", "challenged_by_ground", "other"]
    race = [[c.value for c in row] for row in wb["by_race_as_recorded"].iter_rows(min_row=2)]
    assert race[0] == ["WHITE", 5, 6] and race[-1] == ["ASIAN", "<3", "<3"]
    wb.close()


def _png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


def test_chart_functions_shapes_and_size(ws_final, settings):
    data = compute_summary(ws_final, 1, settings)
    cd = chart_data(data)
    assert set(cd) == {"relief", "sections", "decades", "courthouses", "race"}
    assert cd["relief"]["Final decisions"]["Dismiss & seal"] == 7
    images = render_charts(data)
    assert all(_png_size(png) == (1300, 720) for png in images.values())
    assert _png_size(charts.bar_chart("t", ["a", "b"], {"x": [1, 2], "y": [3, 0]}, stacked=True)) == (1300, 720)
    assert _png_size(charts.race_chart({"A": 1}, suppress_below=5)) == (1300, 720)
    assert _png_size(charts.bar_chart("empty", [], {})) == (1300, 720)
    # deterministic bytes for the same data
    assert charts.relief_chart(cd["relief"]) == charts.relief_chart(cd["relief"])


def test_dashboard_charts(ws_final, settings):
    out = dashboard_charts(ws_final, 1, settings=settings)
    assert list(out) == ["Outcomes: statutory floor vs final", "By code section", "By decade of conviction",
                         "By courthouse", "People affected by race/ethnicity (as recorded by DOJ)"]
    assert charts.render_all(chart_data(compute_summary(ws_final, 1, settings))).keys() == out.keys()
    assert charts.render_all({"unknown": 1}) == {}


def test_no_qt_and_no_pyplot_when_importing_the_core():
    code = ("import sys; import clearmyrecord_desktop.documents.export, clearmyrecord_desktop.documents.charts, "
            "clearmyrecord_desktop.documents.summary, clearmyrecord_desktop.documents.verify, "
            "clearmyrecord_desktop.exporters.delivery, clearmyrecord_desktop.settings; "
            "from clearmyrecord_desktop.documents import charts; charts.race_chart({'A': 1}); "
            "bad = [m for m in sys.modules if m.startswith('PySide6') or m == 'matplotlib.pyplot' "
            "or 'backend_qt' in m]; print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
