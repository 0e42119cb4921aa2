"""The main window's one way to start a job (gui/window/jobs.py): status-bar progress with Cancel,
the result on the GUI thread, a cancel or a failure reported, a missing core feature named."""

import threading
import time

import pytest

from clearmyrecord_desktop.errors import KnownError
from clearmyrecord_desktop.gui import core_api
from clearmyrecord_desktop.gui.main_window import MainWindow
from clearmyrecord_desktop.gui.window import jobs

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, ui_state, monkeypatch):
    shown = []
    monkeypatch.setattr(jobs, "show_error", lambda exc, parent=None: shown.append(exc))
    win = MainWindow(ui_state)
    win.shown_errors = shown
    qtbot.addWidget(win)
    win.show()
    return win


def test_visible_job_shows_progress_and_returns_on_the_gui_thread(qtbot, window):
    threads, results = [], []

    def job(progress, cancel):
        threads.append(threading.current_thread())
        progress.update(1, 2, "half way")
        time.sleep(0.2)
        return 7

    window._start_job("Counting", job, lambda result: results.append((result, threading.current_thread())))
    assert window.job_label.isVisible() and window.cancel_button.isVisible()
    assert window.job_label.text() == "Counting…"
    assert window.wait_until_idle(10)
    assert results == [(7, threading.main_thread())] and threads[0] is not threading.main_thread()
    assert not window.job_label.isVisible() and not window.progress_bar.isVisible()


def test_cancel_is_a_status_message_and_failures_are_shown(qtbot, window):
    failed = []

    def slow(progress, cancel):
        for _ in range(500):
            cancel.check()
            time.sleep(0.01)
        return "finished"

    window._start_job("Waiting", slow, failed.append, on_failed=lambda: failed.append("cancelled"))
    window.cancel_button.click()
    assert window.job_label.text() == "Cancelling…"
    assert window.wait_until_idle(10)
    assert failed == ["cancelled"] and "Cancelled" in window.statusBar().currentMessage()
    assert window.shown_errors == []

    def broken(progress, cancel):
        raise KnownError("the disk is full")

    window._start_job("Breaking", broken, failed.append, visible=False)
    assert not window.job_label.isVisible()
    assert window.wait_until_idle(10)
    assert [str(e) for e in window.shown_errors] == ["the disk is full"] and failed == ["cancelled"]


def test_missing_core_feature_is_named(window, monkeypatch):
    def get(name):
        raise core_api.FeatureMissingError(f"This build cannot do {name} yet.")

    monkeypatch.setattr(core_api, "get", get)
    assert window._reviewer_job("evaluate", "LOS ANGELES") is None
    assert [str(e) for e in window.shown_errors] == ["This build cannot do evaluate yet."]


def test_every_imported_file_gets_an_audit_row_when_the_core_logs_none(qtbot, window, workspace_path,
                                                                      monkeypatch):
    """The GUI's fallback audit rows (for a core that does not log): one per imported file."""
    def import_files(ws, paths, progress=None, cancel=None, actor=None):
        return [{"file": p, "status": "imported", "rows_imported": 1} for p in paths]

    assert window.open_workspace(workspace_path, create=True)
    real_get = core_api.get
    monkeypatch.setattr(core_api, "get", lambda name: import_files if name == "import_files" else real_get(name))
    window.import_paths(["a.csv", "b.csv", "c.csv"])
    assert window.wait_until_idle(10)
    rows = window.ws.query("SELECT new_value FROM audit_log WHERE action = 'import' ORDER BY seq")
    assert [r[0] for r in rows] == ["a.csv", "b.csv", "c.csv"]
