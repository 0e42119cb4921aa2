"""Workspace actions: create (plain or encrypted), open (asking an encrypted one's passphrase),
the recent workspaces, and close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from ... import APP_NAME
from ...store.database import open_workspace
from ..message_bridge import show_error

WORKSPACE_FILTER = "ClearMyRecord workspace (*.duckdb)"
PASSPHRASE_TITLE = "Workspace passphrase"


class WorkspaceActionsMixin:
    """For MainWindow: sets ``ws``; builds and removes the workspace's tabs (``tabs`` mixin)."""

    def choose_new_workspace(self) -> None:
        path = self._ask_new_workspace_path("Create a workspace")
        if path:
            self.open_workspace(path, create=True)

    def choose_new_encrypted_workspace(self) -> None:
        """A workspace encrypted at rest: the passphrase is asked twice and never stored."""
        path = self._ask_new_workspace_path("Create an encrypted workspace")
        if not path:
            return
        first = self._ask_passphrase("Passphrase for the new workspace (at least 8 characters). "
                                     "Without it the workspace cannot be opened; it cannot be recovered.")
        if first is None:
            return
        second = self._ask_passphrase("Type the passphrase again.")
        if second is None:
            return
        if first != second:
            QMessageBox.warning(self, PASSPHRASE_TITLE, "The two passphrases differ. Nothing was created.")
            return
        self.close_workspace()
        try:
            open_workspace(path, create=True, passphrase=first).close()
        except Exception as exc:  # noqa: BLE001 - known errors become messages
            show_error(exc, self)
            return
        self.open_workspace(path, create=False)

    def _ask_new_workspace_path(self, title: str) -> str | None:
        """A path for a new workspace (``.duckdb`` added when missing), or None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(self, title, self.ui.last_folder("workspace"), WORKSPACE_FILTER)
        if not path:
            return None
        if not path.lower().endswith(".duckdb"):
            path += ".duckdb"
        return path

    def _ask_passphrase(self, label: str) -> str | None:
        """The passphrase typed (hidden), or None when cancelled."""
        text, ok = QInputDialog.getText(self, PASSPHRASE_TITLE, label, QLineEdit.EchoMode.Password)
        return text if ok else None

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a workspace", self.ui.last_folder("workspace"),
                                              f"{WORKSPACE_FILTER};;All files (*)")
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
        from ...store.encryption import PassphraseError

        passphrase = None
        while True:
            try:
                return open_workspace(path, create=create, passphrase=passphrase)
            except PassphraseError as exc:
                if exc.code not in ("passphrase_required", "wrong_passphrase"):
                    raise
                passphrase = self._ask_passphrase(str(exc))
                if passphrase is None:
                    return None

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.ui.recent_workspaces()
        for path in recent:
            self.recent_menu.addAction(path).triggered.connect(
                lambda _c=False, p=path: self.open_workspace(p, create=False))
        self.recent_menu.setEnabled(bool(recent))
        self.welcome.set_recent(recent)

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
