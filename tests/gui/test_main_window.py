"""The real main window, offscreen: import, evaluate, filter, open a case, override, re-evaluate,
audit chain (verifies, then detects a tampered row)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from clearmyrecord_desktop.gui.main_window import MainWindow
from clearmyrecord_desktop.gui.models.columns import column_index
from conftest import AS_OF, CASES_FILE

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
    view.select_row(0)
    values = view.current_values()
    with qtbot.waitSignal(window.decision_recorded, timeout=10000):
        window.record_decision(1, values["subject_id"], values["cnt_order"],
                               {"determination": "no_relief", "reason": "danger", "reviewer": "Dana Reviewer",
                                "ground": "Unreasonable risk", "evidence": "Declaration"})
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
    view = window.review_view
    view.select_row(3)
    values = view.current_values()
    with qtbot.waitSignal(window.decision_recorded, timeout=10000):
        window.record_decision(1, values["subject_id"], values["cnt_order"],
                               {"determination": "hand_review", "reason": "check the file", "reviewer": "Dana"})
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


def test_real_engine_if_present(qtbot, window, workspace_path):
    pytest.importorskip("clearmyrecord_desktop.rules.engine")
    _open_and_import(qtbot, window, workspace_path)
    run_id = _evaluate(qtbot, window)
    assert run_id is not None and window.review_view.model.rowCount() > 0
