"""Render every screen offscreen to PNG (for the README and for looking at them).

    QT_QPA_PLATFORM=offscreen python tests/gui/make_screenshots.py docs/screenshots

Uses the synthetic golden cases (invented people) and the real rules engine when the build has it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clearmyrecord_desktop import paths  # noqa: E402

SIZE = (1366, 768)


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="cmr-shots-"))
    paths.set_basedir(tmp / "user")
    from clearmyrecord_desktop import log as app_log
    app_log.setup()                    # as the app does: the crash dialog shows the log tail
    from PySide6.QtWidgets import QApplication
    from clearmyrecord_desktop.gui.app import create_app
    from clearmyrecord_desktop.gui import core_api
    from clearmyrecord_desktop.gui.main_window import MainWindow
    from clearmyrecord_desktop.gui.ui_state import UiState
    app = create_app()
    app.setStyle("Fusion")
    if not core_api.available("evaluate"):
        from fake_engine import fake_evaluate
        real_get = core_api.get
        core_api.get = lambda name: fake_evaluate if name == "evaluate" else real_get(name)

    def save(widget, name):
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))
        print("wrote", out / f"{name}.png")

    ui = UiState()
    ui.reviewer_name = "Dana Reviewer"
    ws_path = tmp / "los_angeles_2020.duckdb"
    ui.add_recent_workspace(tmp / "orange_county_2019.duckdb")
    win = MainWindow(ui)
    win.resize(*SIZE)
    win.show()
    win.wait_until_idle()
    save(win, "01_welcome")

    win.open_workspace(ws_path, create=True)
    win.import_paths([str(ROOT / "tests" / "data" / "gui" / "statutory_cases.csv")])
    win.wait_until_idle(60)
    save(win, "02_import")

    win.evaluate("LOS ANGELES", dt.date(2020, 7, 1), "statutory")
    win.wait_until_idle(60)
    view = win.review_view
    # a few reviewer decisions, then a second run with another policy
    for row, (det, reason) in enumerate([("dismiss_and_seal", "Possession only, 1990s"),
                                         ("hand_review", "Ask the records unit for the court file")]):
        v = view.model.row_values(row)
        win.record_decision(view.current_run(), v["subject_id"], v["cnt_order"],
                            {"determination": det, "reason": reason, "reviewer": "Dana Reviewer"})
        win.wait_until_idle()
    win.evaluate("LOS ANGELES", dt.date(2020, 7, 1), "los_angeles_2020")
    win.wait_until_idle(60)
    for row in range(view.model.rowCount()):
        v = view.model.row_values(row)
        if v["engine"] != v["statutory"] and v["decision_id"] is None:
            win.record_decision(view.current_run(), v["subject_id"], v["cnt_order"],
                                {"determination": "dismiss_and_seal", "reason": "Office policy: 11359 before 2005",
                                 "reviewer": "Dana Reviewer", "basis": "policy"})
            win.wait_until_idle()
            break
    win.evaluate("LOS ANGELES", dt.date(2020, 7, 1), "statutory")
    win.wait_until_idle(60)

    target = win.ws.query("SELECT subject_id, cnt_order FROM count_result WHERE run_id = ? AND disqualifiers "
                          "LIKE '%D1|definite%' ORDER BY row_seq LIMIT 1", [view.current_run()])
    if target:
        view.select_key(*target[0])
    win.wait_until_idle()
    save(win, "03_review")

    if win.detail_view is not None:
        anchor = (f"cnt-{win.ws.query('SELECT split_part(split_part(disqualifiers, chr(59), 1), chr(124), 6) FROM count_result WHERE run_id = ? AND subject_id = ? AND cnt_order = ?', [view.current_run(), *target[0]])[0][0]}"
                  if target else "")
        win.detail_view.browser.scrollToAnchor(anchor)
        save(win, "04_case_detail_evidence")
        record = win.open_full_record()
        if record is not None:
            record.resize(1180, 680)
            app.processEvents()
            save(record, "04b_full_record")
            record.close()

    view.state_filter.setCurrentIndex(view.state_filter.findData("reviewed"))
    win.wait_until_idle()
    save(win, "05_review_reviewed_filter")
    view.clear_filters()
    win.wait_until_idle()

    view.go_to_open(True)
    win.wait_until_idle()
    win.override_current("no_relief")
    dlg = win.override_dialog
    dlg.reason_edit.setPlainText("Prior conviction shows danger to public safety; resentencing path")
    dlg.ground_edit.setCurrentIndex(1)
    dlg.evidence_edit.setPlainText("Probation report of 2016; declaration of the arresting officer")
    save(dlg, "06_override_dialog")
    dlg.reject()

    win.open_evaluate_dialog()
    save(win.evaluate_dialog, "07_evaluate_dialog")
    win.evaluate_dialog.reject()

    from clearmyrecord_desktop.gui.dialogs.policy_editor_dialog import PolicyEditorDialog
    editor = PolicyEditorDialog(ui, "los_angeles_2020", win)
    editor.show()
    tabs = editor.findChild(__import__("PySide6.QtWidgets", fromlist=["QTabWidget"]).QTabWidget)
    for i, name in enumerate(("08_policy_editor_general", "09_policy_editor_felonies", "10_policy_editor_criteria")):
        tabs.setCurrentIndex(i)
        save(editor, name)
    editor.reject()

    win.show_tab("dashboard")
    win.wait_until_idle(60)
    save(win, "11_dashboard")

    win.show_tab("audit")
    win.audit_view.verify()
    save(win, "12_audit_log")

    win.show_tab("review")
    win.open_export_dialog()
    win.wait_until_idle(60)
    save(win.export_dialog, "13_export_dialog")
    win.export_dialog.reject()

    settings = win.open_settings_dialog()
    if settings is not None:
        settings.courthouses.found_button.click()
        win.wait_until_idle()
        from clearmyrecord_desktop.settings import demo_settings
        demo = demo_settings()
        for key in ("office.agency_name", "office.head_name", "office.head_title", "office.attorney.name",
                    "office.attorney.title", "office.attorney.bar_number", "office.address", "office.phone",
                    "office.email", "county.name", "county.code", "court.name"):
            parts, value = key.split("."), demo
            for part in parts:
                value = getattr(value, part)
            settings.editors[key].set(value)
        settings._show_missing(settings.settings())
        for i, name in enumerate(("16_settings_office", "17_settings_courthouses")):
            settings.tabs.setCurrentIndex(i)
            save(settings, name)
        settings.reject()

    from clearmyrecord_desktop.gui import crash
    from clearmyrecord_desktop.gui.dialogs.crash_dialog import CrashDialog
    def failing_query(value):
        raise RuntimeError(f"Conversion Error: could not convert {value!r} to DATE")
    try:
        failing_query("GARCIA,MARIA")
    except RuntimeError as exc:
        report = crash.build_report(exc)
    crash_dialog = CrashDialog(report, str(tmp / "user" / "logs" / "crash-20200701-101500.txt"), win)
    crash_dialog.show()
    save(crash_dialog, "14_crash_dialog")
    crash_dialog.reject()

    if core_api.available("export_all") and core_api.available("verify_folder"):
        from clearmyrecord_desktop.gui.window import export_actions, jobs
        export_actions.show_info = lambda *a, **k: None              # no modal boxes in a script
        jobs.show_error = lambda exc, parent=None: print("export/verify:", type(exc).__name__, exc)
        try:
            from clearmyrecord_desktop.settings import demo_settings, save_settings
            save_settings(win.ws, demo_settings(win.ws, view.current_run()))
        except ImportError:
            pass
        export_dir = tmp / "usb"
        export_dir.mkdir()
        win.export(view.current_run(), str(export_dir), "draft", "packets")
        win.wait_until_idle(300)
        app.processEvents()
        sets = [p for p in export_dir.iterdir() if p.is_dir()]
        if sets:
            for widget in app.topLevelWidgets():
                if widget.windowTitle() == "Export finished":
                    widget.close()
            win.verify_packet(str(sets[0]))
            win.wait_until_idle(120)
            for widget in app.topLevelWidgets():
                if widget.windowTitle() == "Verify packet" and widget.isVisible():
                    save(widget, "15_verify_packet")
                    widget.close()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
