"""The crash dialog: what happened, where the report is, and a button to copy it."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)


class CrashDialog(QDialog):
    def __init__(self, report: str, crash_file: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("ClearMyRecord — unexpected error")
        self.setAccessibleName("Unexpected error")
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        where = f"A report was saved to:\n{crash_file}" if crash_file else "The report could not be saved."
        intro = QLabel(
            "<b>Something went wrong inside ClearMyRecord.</b><br>Your workspace is safe: every change "
            "is saved in one transaction, and an unfinished one was rolled back.<br>Give this report "
            "to your IT contact. It contains no names, dates of birth or case numbers.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        path_label = QLabel(where)
        path_label.setWordWrap(True)
        layout.addWidget(path_label)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Error report")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setAccessibleName("Copy report to clipboard")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText("Copied")
