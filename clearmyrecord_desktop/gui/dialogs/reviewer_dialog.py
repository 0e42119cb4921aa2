"""The reviewer's name and initials (remembered on this computer, recorded with every decision)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget


class ReviewerDialog(QDialog):
    def __init__(self, name: str, initials: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Reviewer")
        self.setAccessibleName("Reviewer name and initials")
        form = QFormLayout(self)
        form.addRow(QLabel("Your name is recorded with every decision and in the audit log."))
        self.name_edit = QLineEdit(name)
        self.name_edit.setAccessibleName("Reviewer name")
        self.initials_edit = QLineEdit(initials)
        self.initials_edit.setAccessibleName("Reviewer initials")
        self.initials_edit.setMaxLength(6)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Initials:", self.initials_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
