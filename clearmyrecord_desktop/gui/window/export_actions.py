"""Export actions: the Export dialog and the export on the write thread, verifying a packet folder,
and the office settings that fill the court documents (opened from the menu or the Export dialog)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from ...review import audit
from ..message_bridge import show_info


class ExportActionsMixin:
    """For MainWindow: uses the ``jobs`` mixin to run the export and the check."""

    def open_export_dialog(self) -> None:
        run_id = self._current_run()
        if run_id is None:
            return
        from ..dialogs.export_dialog import ExportDialog
        self.export_dialog = ExportDialog(self.ws, run_id, self.ui, self.runner, self)
        dialog = self.export_dialog
        dialog.settings_requested.connect(lambda: self.open_settings_dialog(parent=dialog))
        self.export_dialog.accepted.connect(lambda: self.export(run_id, **self.export_dialog.values()))
        self.export_dialog.open()

    def export(self, run_id: int, out_dir: str, kind: str, what: str = "all") -> None:
        export_all = self._core_feature("export_all")
        if export_all is None:
            return
        ws, operator = self.ws, self.ui.reviewer_name or None
        before = self._audit_count(audit.EXPORT)

        def job(progress, cancel):
            return export_all(ws, run_id, out_dir, what=what, kind=kind, progress=progress, cancel=cancel,
                              operator=operator)

        def done(result):
            self._ensure_logged(audit.EXPORT, before, new_value=f"run {run_id} {kind} export",
                                reason=f"to {out_dir}")
            self._refresh_audit()
            where = getattr(result, "export_dir", result)
            extra = ""
            if getattr(result, "verified", False):
                extra = "\nThe copy was verified after writing."
            problems = getattr(result, "problems", None) or []
            if problems:
                extra += "\n\nNotes:\n" + "\n".join(f"• {p}" for p in problems[:10])
            show_info("Export finished", f"The {kind} export was written to:\n{where}{extra}", self)
            self.export_finished.emit(result)

        self._start_job("Exporting packets", job, done, write=True)

    def choose_verify_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the packet or export folder to verify",
                                                self.ui.last_folder("export"))
        if path:
            self.verify_packet(path)

    def verify_packet(self, path: str) -> None:
        verify_folder = self._core_feature("verify_folder")
        if verify_folder is None:
            return

        def done(result):
            from ..dialogs.verify_dialog import VerifyDialog
            VerifyDialog(path, result, self).open()
            self.verify_finished.emit(result)

        self._start_job("Verifying the packet", lambda p, c: verify_folder(path, progress=p, cancel=c), done)

    # == office settings ===========================================================================
    def open_settings_dialog(self, parent: QWidget | None = None):
        """``parent``: the dialog it was opened from (a window-modal dialog blocks its siblings)."""
        if self.ws is None:
            return None
        from ..dialogs.settings_dialog import SettingsDialog
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return self.settings_dialog
        self.settings_dialog = SettingsDialog(self.ws, self.runner, run_id=self._current_run(),
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
