"""Import panel: imported files, this session's per-file results, and the quarantine list."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from ..models.query_table_model import QueryTableModel

BATCH_SQL = ("SELECT file_name, imported_at, rows_imported, lines_quarantined, lines_total, encoding, "
             "sha256 FROM import_batch ORDER BY batch_id")
BATCH_HEADERS = ["File", "Imported", "Rows", "Quarantined", "Lines", "Encoding", "SHA-256"]
QUARANTINE_SQL = ("SELECT b.file_name, q.line_no, q.reasons, q.message, q.raw_line FROM quarantine q "
                  "JOIN import_batch b USING (batch_id) ORDER BY b.batch_id, q.line_no")
QUARANTINE_HEADERS = ["File", "Line", "Reason", "Message", "Raw line"]
STATUS_WORDS = {"imported": "Imported", "duplicate": "Already imported", "rejected": "Rejected"}


class ImportView(QWidget):
    import_requested = Signal()

    def __init__(self, ws, ui_state, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._ui = ws, ui_state
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.import_button = QPushButton("&Import DOJ files… (Ctrl+I)")
        self.import_button.setAccessibleName("Import DOJ research files")
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.import_button)
        hint = QLabel("or drop the files on this window. Each file is imported whole or not at all; "
                      "a bad line is quarantined, never dropped.")
        hint.setWordWrap(True)
        top.addWidget(hint, 1)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical)
        session = QWidget()
        session_layout = QVBoxLayout(session)
        session_layout.setContentsMargins(0, 0, 0, 0)
        session_layout.addWidget(QLabel("<b>This session's imports</b>"))
        self.results_table = QTableWidget(0, 5)
        self.results_table.setAccessibleName("Results of this session's imports")
        self.results_table.setHorizontalHeaderLabels(["File", "Result", "Rows", "Quarantined", "Message"])
        self.results_table.horizontalHeader().setStretchLastSection(True)
        self.results_table.verticalHeader().setVisible(False)
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        session_layout.addWidget(self.results_table)
        splitter.addWidget(session)

        batches = QWidget()
        batch_layout = QVBoxLayout(batches)
        batch_layout.setContentsMargins(0, 0, 0, 0)
        batch_layout.addWidget(QLabel("<b>Files in this workspace</b>"))
        self.batch_model = QueryTableModel(ws, BATCH_SQL, [], BATCH_HEADERS, parent=self)
        self.batch_table = self._table(self.batch_model, "Files imported into this workspace")
        batch_layout.addWidget(self.batch_table)
        splitter.addWidget(batches)

        quarantine = QWidget()
        q_layout = QVBoxLayout(quarantine)
        q_layout.setContentsMargins(0, 0, 0, 0)
        q_top = QHBoxLayout()
        self.quarantine_label = QLabel()
        q_top.addWidget(self.quarantine_label, 1)
        self.export_button = QPushButton("Export quarantine as &CSV…")
        self.export_button.setAccessibleName("Export the quarantine list as CSV")
        self.export_button.clicked.connect(self.export_quarantine)
        q_top.addWidget(self.export_button)
        q_layout.addLayout(q_top)
        self.quarantine_model = QueryTableModel(ws, QUARANTINE_SQL, [], QUARANTINE_HEADERS, parent=self)
        self.quarantine_table = self._table(self.quarantine_model, "Quarantined lines")
        q_layout.addWidget(self.quarantine_table)
        splitter.addWidget(quarantine)
        splitter.setSizes([140, 160, 260])
        layout.addWidget(splitter, 1)
        self.reload()

    @staticmethod
    def _table(model, name: str) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setWordWrap(False)
        return table

    def reload(self) -> None:
        self.batch_model.reload()
        self.quarantine_model.reload()
        n = self.quarantine_model.rowCount()
        self.quarantine_label.setText(f"<b>Quarantined lines</b> ({n:,}) — not imported; shown so they "
                                      "can be checked and fixed")
        self.export_button.setEnabled(n > 0)
        for column, width in enumerate((170, 140, 60, 90, 60, 80)):
            self.batch_table.setColumnWidth(column, width)
        for column, width in enumerate((170, 50, 200, 360)):
            self.quarantine_table.setColumnWidth(column, width)

    def show_results(self, results: list[dict]) -> None:
        for r in results:
            row = self.results_table.rowCount()
            self.results_table.insertRow(row)
            issues = r.get("issues") or []
            message = r.get("message") or ""
            if issues and r.get("status") == "rejected":
                message += " " + "; ".join(f"line {i.get('line')}: {i.get('reason')}" for i in issues[:3])
            values = [str(r.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1],
                      STATUS_WORDS.get(r.get("status"), r.get("status")),
                      f"{r.get('rows_imported', 0):,}", f"{r.get('rows_quarantined', 0):,}", message]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 1 and r.get("status") == "rejected":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.results_table.setItem(row, column, item)
        for column in range(self.results_table.columnCount() - 1):   # the message column keeps stretching
            self.results_table.resizeColumnToContents(column)
        self.reload()

    def export_quarantine(self, path: str | None = None) -> int:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export the quarantine list",
                                                  self._ui.last_folder("export") + "/quarantine.csv",
                                                  "CSV files (*.csv)")
            if not path:
                return 0
            self._ui.set_last_folder("export", path)
        cur = self._ws.cursor()
        n = 0
        try:
            res = cur.execute(QUARANTINE_SQL)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(["file", "line", "reason", "message", "raw_line"])
                while rows := res.fetchmany(1000):
                    writer.writerows(rows)
                    n += len(rows)
        finally:
            cur.close()
        return n

    def close_models(self) -> None:
        self.batch_model.close()
        self.quarantine_model.close()
