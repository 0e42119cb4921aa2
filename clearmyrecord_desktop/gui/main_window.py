"""The main window: workspace, Review / Import / Dashboard / Audit tabs, menus, status and jobs."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QInputDialog, QLabel, QMainWindow,
                               QProgressBar, QPushButton, QSplitter, QStackedWidget, QTabWidget,
                               QWidget)

from .. import APP_NAME
from ..review import audit, decisions
from ..store.database import open_workspace
from . import core_api
from .message_bridge import show_error, show_info
from .runner import JobOutcome, Runner
from .ui_state import UiState
from .views.review_view import ReviewView
from .views.welcome_view import WelcomeView

DOJ_SUFFIXES = {".csv", ".txt", ".dat", ".tsv"}
WORKSPACE_SUFFIXES = {".duckdb", ".cmr"}
PRESET_KEYS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "no_relief", "hand_review")


class MainWindow(QMainWindow):
    workspace_opened = Signal(str)
    import_finished = Signal(object)
    evaluate_finished = Signal(object)
    decision_recorded = Signal(object)
    export_finished = Signal(object)
    verify_finished = Signal(object)
    settings_saved = Signal(object)
    per_case_written = Signal(object)

    def __init__(self, ui_state: UiState | None = None, runner: Runner | None = None):
        super().__init__()
        self.ui = ui_state or UiState()
        self.runner = runner or Runner(self)
        self.ws = None
        self.review_view: ReviewView | None = None
        self.detail_view = None
        self.import_view = None
        self.dashboard_view = None
        self.audit_view = None
        self.override_dialog = None
        self.evaluate_dialog = None
        self.export_dialog = None
        self.settings_dialog = None
        self._visible_jobs: dict[int, object] = {}
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.setAcceptDrops(True)
        self.resize(1366, 768)
        geometry = self.ui.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)

        self.stack = QStackedWidget()
        self.welcome = WelcomeView()
        self.welcome.create_requested.connect(self.choose_new_workspace)
        self.welcome.open_requested.connect(self.choose_workspace)
        self.welcome.recent_chosen.connect(lambda p: self.open_workspace(p, create=False))
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self.runner.job_progressed.connect(self._on_job_progress)
        self.runner.job_finished.connect(self._on_job_finished)
        self._refresh_recent()
        self._update_actions()

    # == actions and menus =========================================================================
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.new_action = a("&New workspace…", self.choose_new_workspace, "Ctrl+Shift+N")
        self.new_encrypted_action = a("New &encrypted workspace…", self.choose_new_encrypted_workspace)
        self.open_action = a("&Open workspace…", self.choose_workspace, QKeySequence.StandardKey.Open)
        self.close_action = a("&Close workspace", self.close_workspace)
        self.import_action = a("&Import DOJ files…", self.choose_import_files, "Ctrl+I")
        self.export_action = a("&Export packets…", self.open_export_dialog, "Ctrl+E")
        self.verify_action = a("&Verify packet…", self.choose_verify_folder)
        self.settings_action = a("Office &settings…", self.open_settings_dialog,
                                 tip="Office, attorney, court and courthouses: what fills the court documents")
        self.quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.evaluate_action = a("&Evaluate…", self.open_evaluate_dialog, "F5")
        self.policy_action = a("&Policy editor…", self.open_policy_editor)
        self.next_action = a("&Next open case", lambda: self._go_open(True), "Ctrl+N")
        self.prev_action = a("&Previous open case", lambda: self._go_open(False), "Ctrl+P")
        self.override_action = a("&Override…", lambda: self.override_current(), "F2")
        self.preset_actions = []
        from ..review.words import DETERMINATION_WORDS
        for number, code in enumerate(PRESET_KEYS, start=1):
            self.preset_actions.append(a(f"{DETERMINATION_WORDS[code]}…",
                                         lambda c=code: self.override_current(c), f"Ctrl+{number}"))
        self.withdraw_action = a("&Withdraw decision…", self.withdraw_current, "Ctrl+Shift+W")
        self.full_record_action = a("Open the person's &full record", self.open_full_record, "Ctrl+R")
        self.per_case_action = a("Per-case &motion and order…", self.choose_per_case_folder)
        self.find_action = a("&Find…", self._focus_search, QKeySequence.StandardKey.Find)
        self.reviewer_action = a("&Reviewer name…", self.edit_reviewer)
        self.about_action = a("&About", self.show_about)
        self.keys_action = a("&Keyboard shortcuts", self.show_shortcuts, "F1")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.new_action, self.open_action):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu("&Recent workspaces")
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        for action in (self.import_action, self.export_action, self.verify_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        run_menu = bar.addMenu("&Run")
        run_menu.addAction(self.evaluate_action)
        run_menu.addAction(self.policy_action)
        review_menu = bar.addMenu("Re&view")
        for action in (self.next_action, self.prev_action, self.find_action):
            review_menu.addAction(action)
        review_menu.addSeparator()
        review_menu.addAction(self.override_action)
        for action in self.preset_actions:
            review_menu.addAction(action)
        review_menu.addAction(self.withdraw_action)
        review_menu.addSeparator()
        review_menu.addAction(self.full_record_action)
        review_menu.addAction(self.per_case_action)
        review_menu.addSeparator()
        review_menu.addAction(self.reviewer_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.keys_action)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.workspace_label = QLabel("No workspace open")
        self.workspace_label.setAccessibleName("Workspace")
        self.job_label = QLabel("")
        self.job_label.setAccessibleName("Running task")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Progress")
        self.progress_bar.setMaximumWidth(260)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the running task")
        self.cancel_button.clicked.connect(self.cancel_visible_jobs)
        self.reviewer_button = QPushButton()
        self.reviewer_button.setFlat(True)
        self.reviewer_button.setAccessibleName("Reviewer name")
        self.reviewer_button.clicked.connect(self.edit_reviewer)
        status.addWidget(self.workspace_label, 1)
        status.addPermanentWidget(self.job_label)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.reviewer_button)
        self._show_progress(False)
        self._update_reviewer_label()

    def _update_reviewer_label(self) -> None:
        name = self.ui.reviewer_name
        self.reviewer_button.setText(f"Reviewer: {name}" if name else "Set reviewer name…")

    def _update_actions(self) -> None:
        has_ws = self.ws is not None
        has_run = bool(self.review_view and self.review_view.current_run() is not None)
        for action in (self.close_action, self.import_action, self.evaluate_action, self.settings_action):
            action.setEnabled(has_ws)
        for action in (self.export_action, self.next_action, self.prev_action, self.override_action,
                       self.withdraw_action, self.find_action, self.full_record_action, *self.preset_actions):
            action.setEnabled(has_run)
        self.per_case_action.setEnabled(has_run and core_api.available("write_per_case_document"))

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.ui.recent_workspaces()
        for path in recent:
            self.recent_menu.addAction(path).triggered.connect(
                lambda _c=False, p=path: self.open_workspace(p, create=False))
        self.recent_menu.setEnabled(bool(recent))
        self.welcome.set_recent(recent)

    # == workspace =================================================================================
    def choose_new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Create a workspace", self.ui.last_folder("workspace"),
                                              "ClearMyRecord workspace (*.duckdb)")
        if path:
            if not path.lower().endswith(".duckdb"):
                path += ".duckdb"
            self.open_workspace(path, create=True)

    def choose_new_encrypted_workspace(self) -> None:
        """A workspace encrypted at rest: the passphrase is asked twice and never stored."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

        path, _ = QFileDialog.getSaveFileName(self, "Create an encrypted workspace",
                                              self.ui.last_folder("workspace"),
                                              "ClearMyRecord workspace (*.duckdb)")
        if not path:
            return
        if not path.lower().endswith(".duckdb"):
            path += ".duckdb"
        first, ok = QInputDialog.getText(self, "Workspace passphrase",
                                         "Passphrase for the new workspace (at least 8 characters). "
                                         "Without it the workspace cannot be opened; it cannot be recovered.",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return
        second, ok = QInputDialog.getText(self, "Workspace passphrase", "Type the passphrase again.",
                                          QLineEdit.EchoMode.Password)
        if not ok:
            return
        if first != second:
            QMessageBox.warning(self, "Workspace passphrase", "The two passphrases differ. Nothing was created.")
            return
        self.close_workspace()
        try:
            open_workspace(path, create=True, passphrase=first).close()
        except Exception as exc:  # noqa: BLE001 - known errors become messages
            show_error(exc, self)
            return
        self.open_workspace(path, create=False)

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a workspace", self.ui.last_folder("workspace"),
                                              "ClearMyRecord workspace (*.duckdb);;All files (*)")
        if path:
            self.open_workspace(path, create=False)

    def open_workspace(self, path: str | Path, create: bool = False) -> bool:
        self.close_workspace()
        try:
            ws = self._open_with_passphrase(path, create)
            if ws is None:  # the user cancelled the passphrase prompt
                return False
        except Exception as exc:  # noqa: BLE001 - known errors become messages, bugs the crash dialog
            if not create and not Path(path).exists():
                self.ui.remove_recent_workspace(path)
                self._refresh_recent()
            show_error(exc, self)
            return False
        self.ws = ws
        self.ui.add_recent_workspace(path)
        self.ui.set_last_folder("workspace", path)
        self._refresh_recent()
        self._build_workspace_ui()
        self.workspace_label.setText(f"Workspace: {Path(path).name}")
        self.setWindowTitle(f"{Path(path).name} — {APP_NAME}")
        self.review_view.reload_runs()
        if self.review_view.current_run() is None:
            self.tabs.setCurrentWidget(self.import_tab)
        self._update_actions()
        self.workspace_opened.emit(str(path))
        return True

    def _open_with_passphrase(self, path: str | Path, create: bool):
        """Open the workspace; an encrypted one asks for its passphrase (again after a wrong one)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        from ..store.encryption import PassphraseError

        passphrase = None
        while True:
            try:
                return open_workspace(path, create=create, passphrase=passphrase)
            except PassphraseError as exc:
                if exc.code not in ("passphrase_required", "wrong_passphrase"):
                    raise
                text, ok = QInputDialog.getText(self, "Workspace passphrase", str(exc),
                                                QLineEdit.EchoMode.Password)
                if not ok:
                    return None
                passphrase = text

    def _build_workspace_ui(self) -> None:
        from .views.import_view import ImportView
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Workspace sections")
        self.review_view = ReviewView(self.ws, self.runner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.review_view)
        self.detail_placeholder = QLabel("Select a conviction to see the person's whole record.")
        self.detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_placeholder.setWordWrap(True)
        self.splitter.addWidget(self.detail_placeholder)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        state = self.ui.value("window/review_splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            # the case detail gets about 45 %: enough for the record's dates and charges to sit on one line
            self.splitter.setSizes([750, 616])
        self.tabs.addTab(self.splitter, "&Review")
        self.import_view = ImportView(self.ws, self.ui)
        self.import_view.import_requested.connect(self.choose_import_files)
        self.import_tab = self.import_view
        self.tabs.addTab(self.import_view, "&Import")
        self.dashboard_tab = QWidget()
        self.audit_tab = QWidget()
        self.tabs.addTab(self.dashboard_tab, "&Dashboard")
        self.tabs.addTab(self.audit_tab, "&Audit log")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.stack.addWidget(self.tabs)
        self.stack.setCurrentWidget(self.tabs)
        self.review_view.current_changed.connect(self._on_current_count)
        self.review_view.run_changed.connect(self._on_run_changed)
        self.review_view.override_button.clicked.connect(lambda: self.override_current())
        self.review_view.model.snapshot_failed.connect(self._on_job_error)

    def close_workspace(self) -> None:
        if self.ws is None:
            return
        self.runner.cancel_all()
        self.runner.wait_all(15000)
        if self.review_view is not None:
            self.ui.set_value("window/review_splitter", self.splitter.saveState())
            self.review_view.model.close()
        for dialog in (self.settings_dialog, getattr(self.detail_view, "record_dialog", None)):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.settings_dialog = None
        for view in (self.import_view, self.audit_view):
            if view is not None:
                view.close_models()
        self.stack.removeWidget(self.tabs)
        self.tabs.deleteLater()
        self.review_view = self.detail_view = self.import_view = None
        self.dashboard_view = self.audit_view = None
        self.ws.close()
        self.ws = None
        self.stack.setCurrentWidget(self.welcome)
        self.workspace_label.setText("No workspace open")
        self.setWindowTitle(APP_NAME)
        self._update_actions()

    # == lazy panels ===============================================================================
    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.dashboard_tab and self.dashboard_view is None:
            from .views.dashboard_view import DashboardView
            self.dashboard_view = DashboardView(self.ws, self.runner)
            self._replace_tab(self.dashboard_tab, self.dashboard_view, "&Dashboard")
            self.dashboard_tab = self.dashboard_view
            self.dashboard_view.show_run(self.review_view.current_run())
        elif widget is self.audit_tab and self.audit_view is None:
            from .views.audit_view import AuditView
            self.audit_view = AuditView(self.ws, self.ui)
            self._replace_tab(self.audit_tab, self.audit_view, "&Audit log")
            self.audit_tab = self.audit_view
        elif widget is self.audit_view and self.audit_view is not None:
            self.audit_view.reload()

    def _replace_tab(self, old: QWidget, new: QWidget, title: str) -> None:
        index = self.tabs.indexOf(old)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, new, title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        old.deleteLater()

    def show_tab(self, name: str) -> None:
        targets = {"review": self.splitter, "import": self.import_view, "dashboard": self.dashboard_tab,
                   "audit": self.audit_tab}
        self.tabs.setCurrentWidget(targets[name])

    def _ensure_detail(self):
        if self.detail_view is None:
            from .views.case_detail_view import CaseDetailView
            self.detail_view = CaseDetailView(self.ws, self.runner)
            self.detail_view.override_requested.connect(lambda: self.override_current())
            self.detail_view.withdraw_requested.connect(self.withdraw_current)
            self.detail_view.per_case_requested.connect(self.choose_per_case_folder)
            self.splitter.replaceWidget(1, self.detail_view)
            self.detail_placeholder.deleteLater()
        return self.detail_view

    def _on_current_count(self, values: dict | None) -> None:
        if values is None and self.detail_view is None:
            return
        self._ensure_detail().show_count(self.review_view.current_run(), values)

    def _on_run_changed(self, run_id) -> None:
        self._update_actions()
        if self.dashboard_view is not None:
            self.dashboard_view.show_run(run_id)

    # == jobs ======================================================================================
    def _start_visible(self, title: str, job, on_done, write: bool = False):
        handle = self.runner.start(title, job, write=write, on_done=on_done)
        self._visible_jobs[handle.job_id] = handle
        self.job_label.setText(f"{title}…")
        self.progress_bar.setRange(0, 0)
        self._show_progress(True)
        return handle

    def _show_progress(self, visible: bool) -> None:
        for widget in (self.job_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)

    def _on_job_progress(self, handle, done: float, total: float, message: str) -> None:
        if handle.job_id not in self._visible_jobs:
            return
        if total > 0:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * min(done / total, 1.0)))
        if message:
            self.job_label.setText(message)

    def _on_job_finished(self, handle, _outcome) -> None:
        self._visible_jobs.pop(handle.job_id, None)
        if not self._visible_jobs:
            self._show_progress(False)

    def cancel_visible_jobs(self) -> None:
        for handle in list(self._visible_jobs.values()):
            handle.cancel()
        self.job_label.setText("Cancelling…")

    def _on_job_error(self, outcome: JobOutcome) -> None:
        if outcome.cancelled:
            self.statusBar().showMessage("Cancelled. Nothing was changed.", 8000)
            return
        show_error(outcome.error, self)

    def _audit_count(self, action: str) -> int:
        return self.ws.query("SELECT count(*) FROM audit_log WHERE action = ?", [action])[0][0]

    def _ensure_logged(self, action: str, before: int, **fields) -> None:
        """Log ``action`` unless the core already did during the job."""
        if self._audit_count(action) == before:
            audit.append(self.ws, self.ui.reviewer_name or "unknown", action, **fields)

    def wait_until_idle(self, timeout_s: float = 30.0) -> bool:
        """Process events until no job runs (used by the screenshot mode and tests)."""
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        while time.monotonic() < deadline:
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if not self.runner.running():
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                if not self.runner.running():
                    return True
            time.sleep(0.01)
        return False

    # == import ====================================================================================
    def choose_import_files(self) -> None:
        if self.ws is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import DOJ research files", self.ui.last_folder("import"),
                                                "DOJ research files (*.csv *.txt *.dat);;All files (*)")
        if paths:
            self.ui.set_last_folder("import", paths[0])
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        if self.ws is None:
            show_info("Open a workspace first", "Create or open a workspace, then import the DOJ files.", self)
            return
        try:
            import_files = core_api.get("import_files")
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        ws = self.ws
        before = self._audit_count(audit.IMPORT)
        who = core_api.actor_kwargs(import_files, self.ui.reviewer_name)

        def job(progress, cancel):
            return import_files(ws, paths, progress=progress, cancel=cancel, **who)

        def done(outcome: JobOutcome):
            if outcome.error is not None:
                self._on_job_error(outcome)
                return
            results = outcome.result
            for r in results:
                if r.get("status") == "imported":
                    self._ensure_logged(audit.IMPORT, before, new_value=Path(str(r["file"])).name,
                                        reason=f"{r.get('rows_imported', 0)} rows imported")
            self.import_view.show_results(results)
            self.show_tab("import")
            self._refresh_audit()
            imported = sum(1 for r in results if r.get("status") == "imported")
            self.statusBar().showMessage(f"{imported} of {len(results)} files imported.", 10000)
            self.import_finished.emit(results)

        self._start_visible("Importing DOJ files", job, done, write=True)

    # == evaluate ==================================================================================
    def _default_county(self) -> str | None:
        rows = self.ws.query("SELECT d_county FROM doj_row WHERE d_is_conviction AND d_county IS NOT NULL "
                             "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        return rows[0][0] if rows else None

    def open_evaluate_dialog(self) -> None:
        if self.ws is None:
            return
        from .dialogs.evaluate_dialog import EvaluateDialog
        self.evaluate_dialog = EvaluateDialog(self.ui, self._default_county(), self)
        self.evaluate_dialog.accepted.connect(lambda: self.evaluate(**self.evaluate_dialog.values()))
        self.evaluate_dialog.open()

    def evaluate(self, county: str, as_of, policy, options_path=None) -> None:
        try:
            evaluate = core_api.get("evaluate")
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        ws = self.ws
        before = self._audit_count(audit.EVALUATE)
        who = core_api.actor_kwargs(evaluate, self.ui.reviewer_name)

        def job(progress, cancel):
            return evaluate(ws, county, as_of, policy, options_path=options_path, progress=progress, cancel=cancel,
                            **who)

        def done(outcome: JobOutcome):
            if outcome.error is not None:
                self._on_job_error(outcome)
                self.evaluate_finished.emit(None)
                return
            run_id = outcome.result
            self._ensure_logged(audit.EVALUATE, before, new_value=f"run {run_id}",
                                reason=f"{county}, as of {as_of}, policy {policy}")
            self.review_view.reload_runs(run_id)
            self.show_tab("review")
            changed = decisions.changed_underneath(self.ws, run_id)
            if changed:
                self.statusBar().showMessage(
                    f"Run {run_id} done. ⚠ {len(changed)} reviewed count(s) changed underneath: the engine "
                    "result differs from what the reviewer saw. Filter by “Changed underneath”.", 15000)
            else:
                self.statusBar().showMessage(f"Run {run_id} done.", 10000)
            self._refresh_audit()
            self.evaluate_finished.emit(run_id)

        self._start_visible("Evaluating", job, done, write=True)

    def open_policy_editor(self) -> None:
        try:
            from .dialogs.policy_editor_dialog import PolicyEditorDialog
            dialog = PolicyEditorDialog(self.ui, "statutory", self)
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        dialog.open()
        self.policy_dialog = dialog

    # == review ====================================================================================
    def _go_open(self, forward: bool) -> None:
        if self.review_view is not None:
            self.show_tab("review")
            self.review_view.go_to_open(forward)

    def _focus_search(self) -> None:
        if self.review_view is not None:
            self.show_tab("review")
            self.review_view.search_edit.setFocus()
            self.review_view.search_edit.selectAll()

    def override_current(self, preset: str | None = None) -> None:
        if self.review_view is None:
            return
        values = self.review_view.current_values()
        if values is None:
            self.statusBar().showMessage("Select a conviction first.", 5000)
            return
        from .dialogs.override_dialog import OverrideDialog
        run_id = self.review_view.current_run()
        self.override_dialog = OverrideDialog(values, self.ui.reviewer_name, preset, self)
        dialog = self.override_dialog
        dialog.accepted.connect(lambda: self.record_decision(run_id, values["subject_id"], values["cnt_order"],
                                                             dialog.result_values()))
        dialog.open()

    def record_decision(self, run_id: int, subject_id: str, cnt_order: str, v: dict) -> None:
        if v.get("reviewer") and v["reviewer"] != self.ui.reviewer_name:
            self.ui.reviewer_name = v["reviewer"]
            self._update_reviewer_label()
        ws = self.ws

        def job(progress, cancel):
            return decisions.record_override(ws, run_id, subject_id, cnt_order, v["determination"], v["reason"],
                                             v["reviewer"], basis=v.get("basis"), ground=v.get("ground"),
                                             evidence=v.get("evidence"))

        self.runner.start("Recording the decision", job, write=True,
                          on_done=lambda outcome: self._decision_done(outcome, subject_id, cnt_order))

    def _decision_done(self, outcome: JobOutcome, subject_id: str, cnt_order: str) -> None:
        if outcome.error is not None:
            self._on_job_error(outcome)
            return
        self._after_decision(subject_id, cnt_order)
        self.statusBar().showMessage("Decision recorded.", 5000)
        self.decision_recorded.emit((subject_id, cnt_order, outcome.result))

    def _after_decision(self, subject_id: str, cnt_order: str) -> None:
        self.review_view.refresh_count_rows([(subject_id, cnt_order)])
        if self.detail_view is not None:
            values = self.review_view.current_values()
            if values is not None:
                values = dict(values, _reload=True)
            self.detail_view.show_count(self.review_view.current_run(), values)
        self._refresh_audit()

    def withdraw_current(self) -> None:
        values = self.review_view.current_values() if self.review_view else None
        if values is None or values.get("decision_id") is None:
            self.statusBar().showMessage("The selected count has no reviewer decision to withdraw.", 5000)
            return
        reason, ok = QInputDialog.getText(self, "Withdraw decision", "Reason for withdrawing (required):")
        if ok:
            self.withdraw_decision(values["subject_id"], values["cnt_order"], reason)

    def withdraw_decision(self, subject_id: str, cnt_order: str, reason: str) -> None:
        ws, run_id, reviewer = self.ws, self.review_view.current_run(), self.ui.reviewer_name

        def job(progress, cancel):
            return decisions.withdraw_override(ws, run_id, subject_id, cnt_order, reason, reviewer)

        self.runner.start("Withdrawing the decision", job, write=True,
                          on_done=lambda outcome: self._decision_done(outcome, subject_id, cnt_order))

    def open_full_record(self):
        """The selected person's whole record in a large window (the side panel is narrow)."""
        if self.review_view is None or self.review_view.current_values() is None:
            self.statusBar().showMessage("Select a conviction first.", 5000)
            return None
        self.show_tab("review")
        return self._ensure_detail().open_full_record()

    def choose_per_case_folder(self) -> None:
        values = self.review_view.current_values() if self.review_view else None
        if values is None:
            self.statusBar().showMessage("Select a conviction first.", 5000)
            return
        if not values.get("case_number"):
            show_info("Per-case motion and order", "This count has no court case number, so there is no court "
                      "case to write a motion for.", self)
            return
        path = QFileDialog.getExistingDirectory(
            self, f"Choose the folder for the motion and order of case {values['case_number']}",
            self.ui.last_folder("per_case"))
        if path:
            self.ui.set_last_folder("per_case", path)
            self.write_per_case(self.review_view.current_run(), values["subject_id"], values["case_number"], path)

    def write_per_case(self, run_id: int, subject_id: str, case_number: str, out_dir: str) -> None:
        """One motion and proposed order for one person's court case (documents/per_case.py), on a worker."""
        try:
            write_document = core_api.get("write_per_case_document")
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        ws = self.ws

        def job(progress, cancel):
            progress.update(0, 1, "Writing the per-case motion and order…")
            return write_document(ws, run_id, subject_id, case_number, out_dir)

        def done(outcome: JobOutcome):
            if outcome.error is not None:
                self._on_job_error(outcome)
                return
            result = outcome.result
            text = f"The motion and proposed order for case {case_number} was written to:\n{result.path}"
            if getattr(result, "spot_check", False):
                text += ("\n\nNo final packet has been exported for this run, so the document is marked "
                         "SPOT-CHECK COPY — NOT FOR FILING. A manifest was written next to it.")
            self.statusBar().showMessage(f"Per-case motion and order written ({result.counts} count(s)).", 10000)
            show_info("Per-case motion and order", text, self)
            self.per_case_written.emit(result)

        self._start_visible("Writing the per-case motion and order", job, done)

    def open_settings_dialog(self, parent: QWidget | None = None):
        """``parent``: the dialog it was opened from (a window-modal dialog blocks its siblings)."""
        if self.ws is None:
            return None
        from .dialogs.settings_dialog import SettingsDialog
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return self.settings_dialog
        run_id = self.review_view.current_run() if self.review_view else None
        self.settings_dialog = SettingsDialog(self.ws, self.runner, run_id=run_id,
                                              actor=self.ui.reviewer_name or "unknown", parent=parent or self)
        self.settings_dialog.saved.connect(self._settings_saved)
        self.settings_dialog.open()
        return self.settings_dialog

    def _settings_saved(self, settings) -> None:
        self.statusBar().showMessage("Office settings saved.", 8000)
        self._refresh_audit()
        if self.export_dialog is not None and self.export_dialog.isVisible():
            self.export_dialog.recheck()
        self.settings_saved.emit(settings)

    def edit_reviewer(self) -> None:
        from .dialogs.reviewer_dialog import ReviewerDialog
        dialog = ReviewerDialog(self.ui.reviewer_name, self.ui.reviewer_initials, self)
        if dialog.exec():
            self.ui.reviewer_name = dialog.name_edit.text()
            self.ui.reviewer_initials = dialog.initials_edit.text()
            self._update_reviewer_label()

    def _refresh_audit(self) -> None:
        if self.audit_view is not None:
            self.audit_view.reload()

    # == export and verify =========================================================================
    def open_export_dialog(self) -> None:
        run_id = self.review_view.current_run() if self.review_view else None
        if run_id is None:
            return
        from .dialogs.export_dialog import ExportDialog
        self.export_dialog = ExportDialog(self.ws, run_id, self.ui, self.runner, self)
        dialog = self.export_dialog
        dialog.settings_requested.connect(lambda: self.open_settings_dialog(parent=dialog))
        self.export_dialog.accepted.connect(lambda: self.export(run_id, **self.export_dialog.values()))
        self.export_dialog.open()

    def export(self, run_id: int, out_dir: str, kind: str, what: str = "all") -> None:
        try:
            export_all = core_api.get("export_all")
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        ws, operator = self.ws, self.ui.reviewer_name or None
        before = self._audit_count(audit.EXPORT)

        def job(progress, cancel):
            return export_all(ws, run_id, out_dir, what=what, kind=kind, progress=progress, cancel=cancel,
                              operator=operator)

        def done(outcome: JobOutcome):
            if outcome.error is not None:
                self._on_job_error(outcome)
                return
            self._ensure_logged(audit.EXPORT, before, new_value=f"run {run_id} {kind} export",
                                reason=f"to {out_dir}")
            self._refresh_audit()
            result = outcome.result
            where = getattr(result, "export_dir", result)
            extra = ""
            if getattr(result, "verified", False):
                extra = "\nThe copy was verified after writing."
            problems = getattr(result, "problems", None) or []
            if problems:
                extra += "\n\nNotes:\n" + "\n".join(f"• {p}" for p in problems[:10])
            show_info("Export finished", f"The {kind} export was written to:\n{where}{extra}", self)
            self.export_finished.emit(outcome.result)

        self._start_visible("Exporting packets", job, done, write=True)

    def choose_verify_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the packet or export folder to verify",
                                                self.ui.last_folder("export"))
        if path:
            self.verify_packet(path)

    def verify_packet(self, path: str) -> None:
        try:
            verify_folder = core_api.get("verify_folder")
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return

        def done(outcome: JobOutcome):
            if outcome.error is not None:
                self._on_job_error(outcome)
                return
            from .dialogs.verify_dialog import VerifyDialog
            VerifyDialog(path, outcome.result, self).open()
            self.verify_finished.emit(outcome.result)

        self._start_visible("Verifying the packet", lambda p, c: verify_folder(path, progress=p, cancel=c), done)

    # == help ======================================================================================
    def show_about(self) -> None:
        from .. import __version__
        show_info("About", f"{APP_NAME} {__version__}\nWorks offline. Nothing leaves this computer.", self)

    def show_shortcuts(self) -> None:
        show_info("Keyboard shortcuts", "\n".join([
            "Ctrl+N / Ctrl+P   next / previous open case",
            "F2                override the selected count",
            "Ctrl+1 … Ctrl+5   override as: dismiss and seal, reduce to misdemeanor, reduce to infraction, "
            "no relief, hand review",
            "Ctrl+Shift+W      withdraw the reviewer's decision",
            "Ctrl+R            open the person's whole record in a large window",
            "Ctrl+F            search name, CII or case number",
            "Ctrl+I            import DOJ files        F5  evaluate        Ctrl+E  export packets",
            "Ctrl+O            open a workspace        Ctrl+Shift+N  new workspace",
        ]), self)

    # == window events =============================================================================
    def dragEnterEvent(self, event) -> None:  # Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # Qt override
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.handle_dropped(files)

    def handle_dropped(self, files: list[str]) -> None:
        workspaces = [f for f in files if Path(f).suffix.lower() in WORKSPACE_SUFFIXES]
        if workspaces:
            self.open_workspace(workspaces[0], create=False)
            return
        doj = [f for f in files if Path(f).suffix.lower() in DOJ_SUFFIXES or not Path(f).suffix]
        if doj:
            self.import_paths(doj)

    def closeEvent(self, event) -> None:  # Qt override
        self.ui.set_geometry("main", self.saveGeometry())
        self.close_workspace()
        self.ui.sync()
        super().closeEvent(event)
