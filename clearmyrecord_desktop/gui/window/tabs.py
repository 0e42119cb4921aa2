"""The open workspace's tabs: Review (the table beside the case detail), Import, and the Dashboard
and Audit log panels, built the first time their tab is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QWidget

from ..views.review_view import ReviewView


class WorkspaceTabsMixin:
    """For MainWindow: the widgets of the open workspace (``tabs``, ``review_view``, ``detail_view``…)."""

    def _build_workspace_ui(self) -> None:
        from ..views.import_view import ImportView
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

    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.dashboard_tab and self.dashboard_view is None:
            from ..views.dashboard_view import DashboardView
            self.dashboard_view = DashboardView(self.ws, self.runner)
            self._replace_tab(self.dashboard_tab, self.dashboard_view, "&Dashboard")
            self.dashboard_tab = self.dashboard_view
            self.dashboard_view.show_run(self.review_view.current_run())
        elif widget is self.audit_tab and self.audit_view is None:
            from ..views.audit_view import AuditView
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

    def _current_run(self) -> int | None:
        """The run shown for review, or None (no workspace open, or nothing evaluated yet)."""
        return self.review_view.current_run() if self.review_view else None

    def _ensure_detail(self):
        if self.detail_view is None:
            from ..views.case_detail_view import CaseDetailView
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

    def _refresh_audit(self) -> None:
        if self.audit_view is not None:
            self.audit_view.reload()
