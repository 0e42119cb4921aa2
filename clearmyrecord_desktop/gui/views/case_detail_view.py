"""One person's record with the selected count's decision, side by side (eligibility.md §12.2)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from .. import core_api
from .case_html import render
from .case_queries import load_person


def _browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    browser.anchorClicked.connect(lambda url: browser.scrollToAnchor(url.fragment()))
    return browser


class PersonRecordDialog(QDialog):
    """The person's whole record in a large, resizable window (the side panel is narrow)."""

    def __init__(self, data: dict, cnt_order: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        name = data.get("name") or "Name not recorded"
        self.setWindowTitle(f"Whole record — {name}")
        self.setAccessibleName("The person's whole record")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.resize(1180, 680)
        layout = QVBoxLayout(self)
        self.browser = _browser("The person's whole record, in date order, and the selected count's decision")
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_record(data, cnt_order)

    def show_record(self, data: dict, cnt_order: str | None) -> None:
        self.browser.setHtml(render(data, cnt_order, wide=True))

    def current_html(self) -> str:
        return self.browser.toHtml()


class CaseDetailView(QWidget):
    override_requested = Signal()
    withdraw_requested = Signal()
    per_case_requested = Signal()

    def __init__(self, ws, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._generation = 0
        self._data: dict | None = None
        self._cnt_order: str | None = None
        self._case_number: str | None = None
        self.record_dialog: PersonRecordDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.title = QLabel("<b>Case detail</b>")
        top.addWidget(self.title)
        top.addStretch(1)
        self.override_button = QPushButton("&Override… (F2)")
        self.override_button.setAccessibleName("Override this count's decision")
        self.withdraw_button = QPushButton("&Withdraw decision")
        self.withdraw_button.setAccessibleName("Withdraw the reviewer's decision")
        self.override_button.clicked.connect(self.override_requested)
        self.withdraw_button.clicked.connect(self.withdraw_requested)
        top.addWidget(self.override_button)
        top.addWidget(self.withdraw_button)
        layout.addLayout(top)
        more = QHBoxLayout()
        self.full_record_button = QPushButton("Open &full record… (Ctrl+R)")
        self.full_record_button.setAccessibleName("Open the person's whole record in a large window")
        self.full_record_button.setToolTip("The whole record, in date order, in a large window")
        self.full_record_button.clicked.connect(self.open_full_record)
        self.per_case_button = QPushButton("Per-case &motion and order…")
        self.per_case_button.setAccessibleName("Write the per-case motion and order for this court case")
        self.per_case_button.setToolTip("One motion and proposed order for this person's court case (DOCX)")
        self.per_case_button.clicked.connect(self.per_case_requested)
        more.addWidget(self.full_record_button)
        more.addWidget(self.per_case_button)
        more.addStretch(1)
        layout.addLayout(more)
        self.per_case_button.setHidden(not core_api.available("write_per_case_document"))
        self.browser = _browser("Case detail: the person's record and the count's decision")
        layout.addWidget(self.browser, 1)
        self.show_nothing()

    def show_nothing(self) -> None:
        self._generation += 1
        self._data = None
        self.browser.setHtml("<p style='color:#5f6368'>Select a conviction in the table to see the "
                             "person's whole record here.</p>")
        for button in (self.override_button, self.withdraw_button, self.full_record_button, self.per_case_button):
            button.setEnabled(False)

    def show_count(self, run_id: int, values: dict | None) -> None:
        if values is None or run_id is None:
            self.show_nothing()
            return
        subject_id, cnt_order = values["subject_id"], values["cnt_order"]
        self._case_number = values.get("case_number")
        self.override_button.setEnabled(True)
        self.withdraw_button.setEnabled(values.get("decision_id") is not None)
        self.per_case_button.setEnabled(bool(self._case_number))
        if self._data is not None and self._data["subject_id"] == subject_id and self._data.get("run") == run_id \
                and not values.get("_reload"):
            self._show(self._data, cnt_order)
            return
        self._generation += 1
        generation = self._generation
        ws = self._ws
        self.full_record_button.setEnabled(False)
        self.browser.setHtml("<p style='color:#5f6368'>Loading the record…</p>")

        def job(progress, cancel):
            return load_person(ws, run_id, subject_id, cancel)

        def done(outcome):
            if generation != self._generation or outcome.error is not None:
                return
            data = outcome.result
            data["run"] = run_id
            self._show(data, cnt_order)

        self._runner.start("Loading the person's record", job, on_done=done)

    def _show(self, data: dict, cnt_order: str) -> None:
        self._data, self._cnt_order = data, cnt_order
        self.browser.setHtml(render(data, cnt_order))
        self.full_record_button.setEnabled(True)
        if self.record_dialog is not None and self.record_dialog.isVisible():
            self.record_dialog.show_record(data, cnt_order)

    def open_full_record(self) -> PersonRecordDialog | None:
        if self._data is None:
            return None
        if self.record_dialog is None:
            self.record_dialog = PersonRecordDialog(self._data, self._cnt_order, self.window())
        else:
            self.record_dialog.show_record(self._data, self._cnt_order)
        self.record_dialog.show()
        self.record_dialog.raise_()
        self.record_dialog.activateWindow()
        return self.record_dialog

    def current_html(self) -> str:
        return self.browser.toHtml()
