"""The real main window, offscreen: import, evaluate, filter, open a case, override, re-evaluate,
audit chain (verifies, then detects a tampered row)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from clearmyrecord_desktop.gui.main_window import MainWindow
from clearmyrecord_desktop.gui.models.columns import column_index
from gui_data import AS_OF, CASES_FILE

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ui_state):
    win = MainWindow(ui_state)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close_workspace()


def _open_and_import(qtbot, window, workspace_path):
    pytest.importorskip("clearmyrecord_desktop.importers.doj_research_file")
    assert window.open_workspace(workspace_path, create=True)
    with qtbot.waitSignal(window.import_finished, timeout=60000) as blocker:
        window.import_paths([str(CASES_FILE)])
    return blocker.args[0]


def _evaluate(qtbot, window):
    with qtbot.waitSignal(window.evaluate_finished, timeout=60000) as blocker:
        window.evaluate("LOS ANGELES", AS_OF, "statutory")
    assert window.wait_until_idle(20)
    return blocker.args[0]


def _record_on_row(qtbot, window, row, decision):
    """Select ``row`` of run 1, record ``decision`` for its count and wait for it; the row's values."""
    window.review_view.select_row(row)
    values = window.review_view.current_values()
    with qtbot.waitSignal(window.decision_recorded, timeout=10000):
        window.record_decision(1, values["subject_id"], values["cnt_order"], decision)
    return values


def test_full_review_flow(qtbot, window, workspace_path, fake_engine, ui_state):
    results = _open_and_import(qtbot, window, workspace_path)
    assert [r["status"] for r in results] == ["imported"]
    assert results[0]["rows_quarantined"] == 2
    assert window.import_view.quarantine_model.rowCount() == 2
    assert window.import_view.results_table.item(0, 1).text() == "Imported"

    run_id = _evaluate(qtbot, window)
    view = window.review_view
    assert run_id == 1 and view.current_run() == 1
    assert view.model.rowCount() > 50
    assert "convictions" in view.counts_bar.total_label.text()

    # filter to the hand-review queue and walk it with the keyboard
    with qtbot.waitSignal(view.model.snapshot_ready, timeout=10000):
        view.decision_filter.setCurrentIndex(view.decision_filter.findData("hand_review"))
    open_rows = view.model.rowCount()
    assert open_rows > 0
    assert all(view.model.row_values(r)["final"] == "hand_review" for r in range(open_rows))
    with qtbot.waitSignal(view.model.snapshot_ready, timeout=10000):
        view.clear_filters()
    view.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    values = view.current_values()
    assert values["final"] == "hand_review"
    subject, cnt = values["subject_id"], values["cnt_order"]

    # the case detail panel shows the person's record
    qtbot.waitUntil(lambda: window.detail_view is not None and
                    "Whole record" in window.detail_view.current_html(), timeout=10000)
    assert "Statutory floor" in window.detail_view.current_html()

    # override with a reason through the dialog
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    dialog = window.override_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.determination() == "dismiss_and_seal"
    assert not ok.isEnabled()                     # a reason is required
    dialog.reason_edit.setPlainText("Simple possession, 1990s; office policy dismisses")
    assert ok.isEnabled()
    with qtbot.waitSignal(window.decision_recorded, timeout=10000):
        ok.click()
    row = view.model.find_row(subject, cnt)
    assert view.model.row_values(row)["final"] == "dismiss_and_seal"
    assert view.model.data(view.model.index(row, column_index("review"))).startswith("✎")
    assert window.ws.query("SELECT determination FROM count_result WHERE subject_id = ? AND cnt_order = ?",
                           [subject, cnt]) == [("hand_review",)]

    # re-evaluate with a changed engine result for that person: override kept, flagged
    fake_engine["flip"] = (subject,)
    run2 = _evaluate(qtbot, window)
    assert run2 == 2 and view.current_run() == 2
    row = view.model.find_row(subject, cnt)
    values = view.model.row_values(row)
    assert values["final"] == "dismiss_and_seal" and values["engine"] == "no_relief"
    assert view.model.data(view.model.index(row, column_index("review"), ), Qt.ItemDataRole.UserRole) == "changed"
    with qtbot.waitSignal(view.model.snapshot_ready, timeout=10000):
        view.state_filter.setCurrentIndex(view.state_filter.findData("changed"))
    assert view.model.rowCount() == 1
    assert "changed" in window.statusBar().currentMessage()

    # the audit log: every step is there, the chain verifies, tampering is detected
    window.show_tab("audit")
    audit_view = window.audit_view
    actions = [a for (a,) in window.ws.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[0] == "import" and actions.count("evaluate") == 2 and "override" in actions
    assert audit_view.verify() == (True, None)
    assert "intact" in audit_view.result_label.text()
    with window.ws.write() as cur:
        cur.execute("UPDATE audit_log SET reason = 'nothing to see' WHERE action = 'override'")
    ok_chain, bad = audit_view.verify()
    assert not ok_chain and bad == actions.index("override") + 1
    assert "broken" in audit_view.result_label.text()


def test_withdraw_decision(qtbot, window, workspace_path, fake_engine):
    _open_and_import(qtbot, window, workspace_path)
    _evaluate(qtbot, window)
    view = window.review_view
    values = _record_on_row(qtbot, window, 0, {"determination": "no_relief", "reason": "danger",
                                               "reviewer": "Dana Reviewer", "ground": "Unreasonable risk",
                                               "evidence": "Declaration"})
    assert view.model.row_values(0)["decision_id"] is not None
    with qtbot.waitSignal(window.decision_recorded, timeout=10000):
        window.withdraw_decision(values["subject_id"], values["cnt_order"], "entered on the wrong person")
    assert view.model.row_values(0)["decision_id"] is None


def test_quarantine_and_audit_csv_export(qtbot, window, workspace_path, fake_engine, tmp_path):
    _open_and_import(qtbot, window, workspace_path)
    out = tmp_path / "q.csv"
    assert window.import_view.export_quarantine(str(out)) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,reason,message,raw_line" and "bad_cnt_order" in lines[1]
    window.show_tab("audit")
    assert window.audit_view.export_csv(str(tmp_path / "a.csv")) >= 1


def test_reopen_workspace_keeps_decisions(qtbot, window, workspace_path, fake_engine, ui_state):
    _open_and_import(qtbot, window, workspace_path)
    _evaluate(qtbot, window)
    values = _record_on_row(qtbot, window, 3, {"determination": "hand_review", "reason": "check the file",
                                               "reviewer": "Dana"})
    window.close_workspace()
    assert str(workspace_path) in ui_state.recent_workspaces()
    assert window.open_workspace(workspace_path)
    window.wait_until_idle(10)
    row = window.review_view.model.find_row(values["subject_id"], values["cnt_order"])
    assert window.review_view.model.row_values(row)["reviewer"] == "Dana"


def test_drop_files_imports_them(qtbot, window, workspace_path):
    pytest.importorskip("clearmyrecord_desktop.importers.doj_research_file")
    window.open_workspace(workspace_path, create=True)
    with qtbot.waitSignal(window.import_finished, timeout=60000):
        window.handle_dropped([str(CASES_FILE)])
    assert window.ws.query("SELECT count(*) FROM doj_row")[0][0] == 254


def test_drop_files_imports_them_with_the_two_process_scan(qtbot, window, workspace_path, monkeypatch):
    """The import job runs off the UI thread; the helper process of pass 1 starts from there."""
    from clearmyrecord_desktop.importers import scan_split
    from clearmyrecord_desktop.jobs import helper_process

    monkeypatch.setattr(scan_split, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(helper_process.os, "cpu_count", lambda: 2)
    started = []
    real = scan_split._start_child
    monkeypatch.setattr(scan_split, "_start_child", lambda *a: started.append(1) or real(*a))
    window.open_workspace(workspace_path, create=True)
    with qtbot.waitSignal(window.import_finished, timeout=60000):
        window.handle_dropped([str(CASES_FILE)])
    assert started and window.ws.query("SELECT count(*) FROM doj_row")[0][0] == 254


def test_real_engine_if_present(qtbot, window, workspace_path):
    pytest.importorskip("clearmyrecord_desktop.rules.engine")
    _open_and_import(qtbot, window, workspace_path)
    run_id = _evaluate(qtbot, window)
    assert run_id is not None and window.review_view.model.rowCount() > 0


def test_real_engine_with_the_two_process_decisions(qtbot, window, workspace_path, monkeypatch):
    """The evaluation job runs off the UI thread; the helper process that decides part of the
    people starts from there and the run is the same as in one process."""
    from clearmyrecord_desktop.jobs import helper_process
    from clearmyrecord_desktop.rules import decide_split

    monkeypatch.setattr(decide_split, "MIN_PEOPLE", 0)
    monkeypatch.setattr(decide_split, "BATCH", 2)
    monkeypatch.setattr(helper_process.os, "cpu_count", lambda: 2)
    started = []
    real = decide_split.DecideSplit.start.__func__
    monkeypatch.setattr(decide_split.DecideSplit, "start",
                        classmethod(lambda cls, *a: started.append(1) or real(cls, *a)))
    _open_and_import(qtbot, window, workspace_path)
    run_id = _evaluate(qtbot, window)
    assert started and run_id is not None and window.review_view.model.rowCount() > 0
    with monkeypatch.context() as m:
        m.setenv(decide_split.ENV, "1")
        from clearmyrecord_desktop.rules.engine import evaluate
        ws = window.ws
        one = evaluate(ws, "LOS ANGELES", AS_OF, "statutory")
    rows = [ws.query("SELECT * EXCLUDE (run_id) FROM count_result WHERE run_id = ? ORDER BY row_seq", [r])
            for r in (run_id, one)]
    assert rows[0] == rows[1]


def test_full_record_dialog_and_timeline(qtbot, window, workspace_path, fake_engine):
    _open_and_import(qtbot, window, workspace_path)
    _evaluate(qtbot, window)
    view = window.review_view
    target = window.ws.query("SELECT subject_id, cnt_order FROM count_result WHERE run_id = 1 AND disqualifiers "
                             "IS NOT NULL ORDER BY row_seq LIMIT 1")[0]
    assert view.select_key(*target)
    qtbot.waitUntil(lambda: window.detail_view is not None and window.detail_view.full_record_button.isEnabled(),
                    timeout=10000)
    panel = window.detail_view.current_html()
    assert "count 001002" not in panel
    assert _date_lines(window.detail_view.browser) == {1}       # no date wraps in the side panel
    dialog = window.open_full_record()
    assert dialog is not None and dialog.isVisible() and dialog.width() >= 1100
    html = dialog.current_html()
    assert "Whole record, in date order" in html and "Court case" in html and "Sentence" in html
    assert html.index("Whole record") < html.index("Statutory floor")   # the record first, then the decision
    from clearmyrecord_desktop.gui.style import EVIDENCE_BACKGROUND
    assert EVIDENCE_BACKGROUND in html                                  # the evidence stays highlighted
    assert _date_lines(dialog.browser) == {1}
    # following the selection: another person's count updates the open dialog
    other = window.ws.query("SELECT subject_id, cnt_order FROM count_result WHERE run_id = 1 AND subject_id <> ? "
                            "ORDER BY row_seq LIMIT 1", [target[0]])[0]
    name = window.ws.query("SELECT name FROM count_result WHERE run_id = 1 AND subject_id = ? LIMIT 1",
                           [other[0]])[0][0]
    view.select_key(*other)
    qtbot.waitUntil(lambda: name.split(",")[0] in dialog.current_html(), timeout=10000)
    window.close_workspace()
    assert not dialog.isVisible()


def _date_lines(browser) -> set[int]:
    """Line counts of the laid-out date cells of the timeline."""
    import re
    browser.viewport().repaint()
    found, block = set(), browser.document().begin()
    while block.isValid():
        if re.fullmatch(r"(▶\s)?\d{4}-\d{2}-\d{2}", block.text().replace("\xa0", " ")):
            found.add(block.layout().lineCount())
        block = block.next()
    return found


def test_count_label_words():
    from clearmyrecord_desktop.gui.views.case_html import count_label
    assert count_label("001002003000") == "count 3" and count_label("X") == "count X"


def test_per_case_motion_from_the_case_detail(qtbot, window, workspace_path, fake_engine, tmp_path, monkeypatch):
    pytest.importorskip("clearmyrecord_desktop.documents.per_case")
    from PySide6.QtWidgets import QFileDialog

    from clearmyrecord_desktop.gui.window import review_actions
    _open_and_import(qtbot, window, workspace_path)
    _evaluate(qtbot, window)
    row = window.ws.query("SELECT subject_id, cnt_order, case_number FROM count_result WHERE run_id = 1 AND "
                          "determination = 'dismiss_and_seal' AND case_number IS NOT NULL ORDER BY row_seq LIMIT 1")[0]
    window.review_view.select_key(row[0], row[1])
    qtbot.waitUntil(lambda: window.detail_view is not None, timeout=10000)
    assert window.detail_view.per_case_button.isEnabled() and window.per_case_action.isEnabled()
    shown = []
    monkeypatch.setattr(review_actions, "show_info", lambda title, text, parent=None: shown.append(text))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path)))
    with qtbot.waitSignal(window.per_case_written, timeout=60000) as blocker:
        window.detail_view.per_case_button.click()
    result = blocker.args[0]
    assert result.path.exists() and result.path.parent == tmp_path and result.spot_check
    assert result.manifest_path.exists() and "SPOT-CHECK" in shown[0]


def test_office_settings_from_the_export_dialog(qtbot, window, workspace_path, fake_engine):
    pytest.importorskip("clearmyrecord_desktop.documents.export")
    _open_and_import(qtbot, window, workspace_path)
    _evaluate(qtbot, window)
    window.open_export_dialog()
    export = window.export_dialog
    qtbot.waitUntil(lambda: bool(export.gates) and not export.settings_button.isHidden(), timeout=30000)
    export.settings_button.click()
    settings = window.settings_dialog
    assert settings is not None and settings.isVisible() and settings.parent() is export
    from clearmyrecord_desktop.settings import demo_settings
    settings.set_settings(demo_settings(window.ws, 1))
    with qtbot.waitSignal(window.settings_saved, timeout=10000):
        settings.save()
    qtbot.waitUntil(lambda: export.settings_button.isHidden(), timeout=30000)
    assert not any(gate[2] == "settings" for gate in export.gates if not gate[0])
    export.reject()


def test_file_menu_offers_every_workspace_action(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    for wanted in ("&New workspace…", "New &encrypted workspace…", "&Open workspace…"):
        assert wanted in texts


def test_keyboard_shortcuts_list_every_shortcut(window, monkeypatch):
    from clearmyrecord_desktop.gui.window import menus

    shown = []
    monkeypatch.setattr(menus, "show_info", lambda title, text, parent=None: shown.append(text))
    window.show_shortcuts()
    text = shown[0]
    for keys, what in (("Ctrl+N", "Next open case"), ("F2", "Override"), ("Ctrl+3", "Override as:"),
                       ("Ctrl+Shift+W", "Withdraw decision"), ("F5", "Evaluate"), ("Ctrl+I", "Import DOJ files")):
        line = next(ln for ln in text.splitlines() if ln.startswith(keys + " "))
        assert what in line
