"""Audit log viewer: every import, run, decision and export; verify the hash chain; export CSV."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from ...review import audit
from ..models.query_table_model import QueryTableModel

AUDIT_SQL = ("SELECT seq, logged_at, actor, action, subject_id, cnt_order, old_value, new_value, reason, "
             "hash FROM audit_log ORDER BY seq DESC")
AUDIT_HEADERS = ["#", "When (UTC)", "Who", "Action", "Subject", "Count", "Before", "After", "Reason", "Hash"]


class AuditView(QWidget):
    def __init__(self, ws, ui_state, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._ui = ws, ui_state
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.verify_button = QPushButton("&Verify chain")
        self.verify_button.setAccessibleName("Verify the audit log's hash chain")
        self.export_button = QPushButton("Export as &CSV…")
        self.export_button.setAccessibleName("Export the audit log as CSV")
        self.result_label = QLabel("The log is append-only; each entry's hash covers the one before it.")
        self.result_label.setAccessibleName("Audit chain status")
        self.result_label.setWordWrap(True)
        top.addWidget(self.verify_button)
        top.addWidget(self.export_button)
        top.addWidget(self.result_label, 1)
        layout.addLayout(top)
        self.model = QueryTableModel(ws, AUDIT_SQL, [], AUDIT_HEADERS, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit log entries, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        for column, width in enumerate((40, 140, 110, 75, 80, 105, 120, 170, 260)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(lambda: self.export_csv())

    def reload(self) -> None:
        self.model.reload()

    def verify(self) -> tuple[bool, int | None]:
        ok, bad = audit.verify_chain(self._ws)
        n = audit.count_rows(self._ws)
        if ok:
            self.result_label.setText(f"<span style='color:#11612c'><b>✔ Chain intact</b></span> — "
                                      f"{n:,} entries verified.")
        else:
            self.result_label.setText(f"<span style='color:#8f1d1d'><b>✘ Chain broken at entry {bad}</b></span>"
                                      " — that entry, or the one before it, was changed or removed "
                                      "outside ClearMyRecord.")
        return ok, bad

    def export_csv(self, path: str | None = None) -> int:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export the audit log",
                                                  self._ui.last_folder("export") + "/audit_log.csv",
                                                  "CSV files (*.csv)")
            if not path:
                return 0
            self._ui.set_last_folder("export", path)
        n = audit.export_audit_csv(self._ws, path)
        self.result_label.setText(f"Exported {n:,} entries to {path}.")
        return n

    def close_models(self) -> None:
        self.model.close()
