"""Import actions: DOJ research files chosen in a file dialog or dropped on the window (a dropped
workspace is opened instead), imported on the write thread, the results shown on the Import tab."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ...review import audit
from ..message_bridge import show_info

DOJ_SUFFIXES = {".csv", ".txt", ".dat", ".tsv"}
WORKSPACE_SUFFIXES = {".duckdb", ".cmr"}


class ImportActionsMixin:
    """For MainWindow: uses the ``jobs`` mixin to run the import."""

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
        job = self._reviewer_job("import_files", paths)
        if job is None:
            return
        before = self._audit_count(audit.IMPORT)

        def done(results):
            imported_files = [r for r in results if r.get("status") == "imported"]
            for i, r in enumerate(imported_files):  # one audit row per imported file
                self._ensure_logged(audit.IMPORT, before + i, new_value=Path(str(r["file"])).name,
                                    reason=f"{r.get('rows_imported', 0)} rows imported")
            self.import_view.show_results(results)
            self.show_tab("import")
            self._refresh_audit()
            self.statusBar().showMessage(f"{len(imported_files)} of {len(results)} files imported.", 10000)
            self.import_finished.emit(results)

        self._start_job("Importing DOJ files", job, done, write=True)

    # == drag and drop =============================================================================
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
