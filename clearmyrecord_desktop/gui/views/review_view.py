"""The review table with its run selector, counts, filters, search and hand-review queue."""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ...review.words import DETERMINATION_WORDS
from ..delegates.determination_delegate import DeterminationDelegate, ReviewMarkerDelegate
from ..models.columns import COLUMNS
from ..models.review_snapshot import ReviewFilter, counts_sql
from ..models.review_table_model import ReviewTableModel
from .counts_bar import ORDER, CountsBar

REVIEW_STATE_WORDS = {"open": "Open (needs hand review)", "reviewed": "Reviewed",
                      "changed": "Changed underneath", "conflict": "Policy over a statutory bar"}


def _combo(name: str, items: list[tuple[str, str | None]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class ReviewView(QWidget):
    current_changed = Signal(object)        # dict of the selected row, or None
    counts_changed = Signal(object)
    run_changed = Signal(object)            # run id or None

    def __init__(self, ws, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._pending_key: tuple[str, str] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        top = QHBoxLayout()
        top.addWidget(QLabel("&Run:"))
        self.run_combo = QComboBox()
        self.run_combo.setAccessibleName("Evaluation run")
        self.run_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_combo.setMinimumContentsLength(30)
        top.itemAt(0).widget().setBuddy(self.run_combo)
        top.addWidget(self.run_combo, 1)
        layout.addLayout(top)
        self.counts_bar = CountsBar()
        layout.addWidget(self.counts_bar)

        filters = QHBoxLayout()
        self.decision_filter = _combo("Filter by decision", [("All decisions", None)] +
                                      [(DETERMINATION_WORDS[c], c) for c in ORDER])
        self.section_filter = _combo("Filter by section", [("All sections", None)] +
                                     [(f"H&S {s}", s) for s in ("11357", "11358", "11359", "11360")])
        self.courthouse_filter = _combo("Filter by courthouse", [("All courthouses", None)])
        self.state_filter = _combo("Filter by review state", [("Any review state", None)] +
                                   [(w, k) for k, w in REVIEW_STATE_WORDS.items()])
        for combo in (self.decision_filter, self.section_filter, self.courthouse_filter, self.state_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search name, CII or case number (Ctrl+F)")
        self.search_edit.setAccessibleName("Search by name, CII number or court case number")
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear all filters")
        for widget in (self.decision_filter, self.section_filter, self.courthouse_filter,
                       self.state_filter):
            filters.addWidget(widget, 1)
            widget.currentIndexChanged.connect(self._apply_filter)
        layout.addLayout(filters)
        search = QHBoxLayout()                  # its own row: the placeholder says what it searches
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.clear_button)
        layout.addLayout(search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)

        queue = QHBoxLayout()
        self.prev_button = QPushButton("◀ Previous open (Ctrl+P)")
        self.prev_button.setAccessibleName("Previous open case")
        self.next_button = QPushButton("Next open ▶ (Ctrl+N)")
        self.next_button.setAccessibleName("Next open case")
        self.override_button = QPushButton("Override… (F2)")
        self.override_button.setAccessibleName("Override the decision of the selected count")
        self.status_label = QLabel("")
        self.status_label.setAccessibleName("Case list status")
        queue.addWidget(self.prev_button)
        queue.addWidget(self.next_button)
        queue.addWidget(self.override_button)
        queue.addStretch(1)
        queue.addWidget(self.status_label)
        layout.addLayout(queue)
        self.prev_button.clicked.connect(lambda: self.go_to_open(forward=False))
        self.next_button.clicked.connect(lambda: self.go_to_open(forward=True))

        self.model = ReviewTableModel(ws, runner, self)
        self.table = QTableView()
        self.table.setAccessibleName("Convictions to review")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self._badge_delegate = DeterminationDelegate(self.table)
        self._marker_delegate = ReviewMarkerDelegate(self.table)
        for index, column in enumerate(COLUMNS):
            self.table.setColumnWidth(index, column.width)
            if column.kind == "determination":
                self.table.setItemDelegateForColumn(index, self._badge_delegate)
            elif column.kind == "review":
                self.table.setItemDelegateForColumn(index, self._marker_delegate)
        layout.addWidget(self.table, 1)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.model.snapshot_started.connect(lambda: self.status_label.setText("Updating the list…"))
        self.model.snapshot_ready.connect(self._on_snapshot_ready)
        self.model.modelReset.connect(lambda: self.current_changed.emit(None))
        self.run_combo.currentIndexChanged.connect(self._on_run_chosen)
        self.counts_bar.determination_clicked.connect(
            lambda code: self.decision_filter.setCurrentIndex(self.decision_filter.findData(code)))
        self.counts_bar.state_clicked.connect(
            lambda state: self.state_filter.setCurrentIndex(self.state_filter.findData(state)))

    # -- runs -------------------------------------------------------------------------------------
    def reload_runs(self, select_run: int | None = None) -> None:
        runs = self._ws.query(
            "SELECT run_id, created_at, filing_county, as_of, policy_name FROM eval_run ORDER BY run_id DESC")
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run_id, created, county, as_of, policy in runs:
            self.run_combo.addItem(
                f"Run {run_id} · {county} · as of {as_of:%Y-%m-%d} · {policy} · {created:%Y-%m-%d %H:%M}",
                run_id)
        self.run_combo.blockSignals(False)
        if not runs:
            self.model.set_run(None)
            self.counts_bar.set_counts(None)
            self.run_changed.emit(None)
            return
        index = self.run_combo.findData(select_run) if select_run is not None else 0
        self.run_combo.setCurrentIndex(max(index, 0))
        self._on_run_chosen()

    def current_run(self) -> int | None:
        return self.run_combo.currentData()

    def _on_run_chosen(self, *_args) -> None:
        run_id = self.run_combo.currentData()
        self._reload_courthouses(run_id)
        self.model.set_run(run_id)
        self.refresh_counts()
        self.run_changed.emit(run_id)

    def _reload_courthouses(self, run_id: int | None) -> None:
        current = self.courthouse_filter.currentData()
        self.courthouse_filter.blockSignals(True)
        self.courthouse_filter.clear()
        self.courthouse_filter.addItem("All courthouses", None)
        if run_id is not None:
            for (name,) in self._ws.query("SELECT DISTINCT courthouse FROM count_result WHERE run_id = ? "
                                          "AND courthouse IS NOT NULL ORDER BY 1", [run_id]):
                self.courthouse_filter.addItem(name, name)
        self.courthouse_filter.setCurrentIndex(max(0, self.courthouse_filter.findData(current)))
        self.courthouse_filter.blockSignals(False)

    def refresh_counts(self) -> None:
        run_id = self.run_combo.currentData()
        if run_id is None:
            self.counts_bar.set_counts(None)
            return
        ws = self._ws

        def job(progress, cancel):
            cur = ws.cursor()
            cancel.add_interrupt(cur.interrupt)
            try:
                return cur.execute(counts_sql(), [run_id]).fetchall()
            finally:
                cur.close()

        def done(outcome):
            if outcome.error is not None or run_id != self.run_combo.currentData():
                return
            counts = {"total": 0, "open": 0, "reviewed": 0, "changed": 0}
            for determination, n, open_n, reviewed_n, changed_n in outcome.result:
                counts[determination] = n
                counts["total"] += n
                counts["open"] += open_n
                counts["reviewed"] += reviewed_n
                counts["changed"] += changed_n
            self.counts_bar.set_counts(counts)
            self.counts_changed.emit(counts)

        self._runner.start("Counting decisions", job, on_done=done)

    # -- filters ----------------------------------------------------------------------------------
    def current_filter(self) -> ReviewFilter:
        return ReviewFilter(
            determination=self.decision_filter.currentData(),
            section=self.section_filter.currentData(),
            courthouse=self.courthouse_filter.currentData(),
            review_state=self.state_filter.currentData(),
            text=self.search_edit.text().strip(),
        )

    def _apply_filter(self, *_args) -> None:
        self._search_timer.stop()
        self._pending_key = self.current_key()
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        for combo in (self.decision_filter, self.section_filter, self.courthouse_filter,
                      self.state_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._apply_filter()

    def _on_snapshot_ready(self, rows: int, elapsed_ms: float) -> None:
        filt = self.model.current_filter
        shown = f"{rows:,} shown" + ("" if filt.is_empty() else " (filtered)")
        self.status_label.setText(shown)
        key, self._pending_key = self._pending_key, None
        row = self.model.find_row(*key) if key else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.select_row(row)

    # -- selection and queue ----------------------------------------------------------------------
    def current_key(self) -> tuple[str, str] | None:
        index = self.table.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    def current_values(self) -> dict | None:
        index = self.table.currentIndex()
        return self.model.row_values(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def select_key(self, subject_id: str, cnt_order: str) -> bool:
        row = self.model.find_row(subject_id, cnt_order)
        if row is None:
            return False
        self.select_row(row)
        return True

    def go_to_open(self, forward: bool = True) -> bool:
        index = self.table.currentIndex()
        start = index.row() if index.isValid() else (-1 if forward else self.model.rowCount())
        row = self.model.next_open_row(start, forward)
        if row is None:
            self.status_label.setText("No more open cases in this direction." if forward else
                                      "No earlier open case.")
            return False
        self.select_row(row)
        self.table.setFocus()
        return True

    def _on_current_row(self, current, _previous) -> None:
        self.current_changed.emit(self.model.row_values(current.row()) if current.isValid() else None)

    def refresh_count_rows(self, keys: list[tuple[str, str]]) -> None:
        self.model.refresh_keys(keys)
        self.refresh_counts()
        self._on_current_row(self.table.currentIndex(), None)

    def close(self) -> bool:
        self.model.close()
        return super().close()


def run_impact(ws, run_id: int) -> dict | None:
    rows = ws.query("SELECT impact FROM eval_run WHERE run_id = ?", [run_id])
    if not rows or not rows[0][0]:
        return None
    try:
        return json.loads(rows[0][0])
    except ValueError:
        return None
