"""The main window: the welcome page or the open workspace's tabs, menus, status bar and jobs.

The window's work is split by responsibility into the mixins of ``gui/window/``: ``menus``,
``jobs``, ``workspace_actions``, ``tabs``, ``import_actions``, ``evaluate_actions``,
``review_actions`` and ``export_actions``. This module holds the window shell: its signals, its
construction, the status bar and closing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QPushButton, QStackedWidget

from .. import APP_NAME
from .runner import Runner
from .ui_state import UiState
from .views.review_view import ReviewView
from .views.welcome_view import WelcomeView
from .window.evaluate_actions import EvaluateActionsMixin
from .window.export_actions import ExportActionsMixin
from .window.import_actions import ImportActionsMixin
from .window.jobs import JobsMixin
from .window.menus import MenusMixin
from .window.review_actions import ReviewActionsMixin
from .window.tabs import WorkspaceTabsMixin
from .window.workspace_actions import WorkspaceActionsMixin


class MainWindow(MenusMixin, JobsMixin, WorkspaceActionsMixin, WorkspaceTabsMixin, ImportActionsMixin,
                 EvaluateActionsMixin, ReviewActionsMixin, ExportActionsMixin, QMainWindow):
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
        self.policy_dialog = None
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

    def closeEvent(self, event) -> None:  # Qt override
        self.ui.set_geometry("main", self.saveGeometry())
        self.close_workspace()
        self.ui.sync()
        super().closeEvent(event)
