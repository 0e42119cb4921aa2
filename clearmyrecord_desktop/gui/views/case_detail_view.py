"""One person's record with the selected count's decision, side by side (eligibility.md §12.2)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from .case_html import render
from .case_queries import load_person


class CaseDetailView(QWidget):
    override_requested = Signal()
    withdraw_requested = Signal()

    def __init__(self, ws, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._generation = 0
        self._data: dict | None = None
        self._cnt_order: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.title = QLabel("<b>Case detail</b>")
        buttons.addWidget(self.title)
        buttons.addStretch(1)
        self.override_button = QPushButton("&Override… (F2)")
        self.override_button.setAccessibleName("Override this count's decision")
        self.withdraw_button = QPushButton("&Withdraw decision")
        self.withdraw_button.setAccessibleName("Withdraw the reviewer's decision")
        self.override_button.clicked.connect(self.override_requested)
        self.withdraw_button.clicked.connect(self.withdraw_requested)
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.withdraw_button)
        layout.addLayout(buttons)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Case detail: the person's record and the count's decision")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(lambda url: self.browser.scrollToAnchor(url.fragment()))
        layout.addWidget(self.browser, 1)
        self.show_nothing()

    def show_nothing(self) -> None:
        self._generation += 1
        self._data = None
        self.browser.setHtml("<p style='color:#5f6368'>Select a conviction in the table to see the "
                             "person's whole record here.</p>")
        self.override_button.setEnabled(False)
        self.withdraw_button.setEnabled(False)

    def show_count(self, run_id: int, values: dict | None) -> None:
        if values is None or run_id is None:
            self.show_nothing()
            return
        subject_id, cnt_order = values["subject_id"], values["cnt_order"]
        self.override_button.setEnabled(True)
        self.withdraw_button.setEnabled(values.get("decision_id") is not None)
        if self._data is not None and self._data["subject_id"] == subject_id and self._data.get("run") == run_id \
                and not values.get("_reload"):
            self._cnt_order = cnt_order
            self.browser.setHtml(render(self._data, cnt_order))
            return
        self._generation += 1
        generation = self._generation
        ws = self._ws
        self.browser.setHtml("<p style='color:#5f6368'>Loading the record…</p>")

        def job(progress, cancel):
            return load_person(ws, run_id, subject_id, cancel)

        def done(outcome):
            if generation != self._generation or outcome.error is not None:
                return
            data = outcome.result
            data["run"] = run_id
            self._data, self._cnt_order = data, cnt_order
            self.browser.setHtml(render(data, cnt_order))

        self._runner.start("Loading the person's record", job, on_done=done)

    def current_html(self) -> str:
        return self.browser.toHtml()
