"""The courthouses page of the office settings: a table of entries (code, name, what it matches) with a
form for the selected entry, and draft entries for the courts found in a run."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from ... import settings as cfg
from .settings_form import FieldEditor, build_form


def _matches(ch: cfg.CourthouseSettings) -> str:
    """What an entry matches, for the table's third column."""
    return ", ".join(ch.ori_codes + ch.description_match) or "— nothing yet"


class CourthousesEditor(QWidget):
    """The courthouse table (code, name, what it matches) with a form for the selected entry."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.courthouses: dict[str, cfg.CourthouseSettings] = {}
        self._current: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel("Each courthouse that receives a packet needs an entry. A count goes to the courthouse whose "
                       "ORI code (or court description) matches its DOJ row; give each entry at least one.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Code", "Name", "Matches"])
        self.table.setAccessibleName("Courthouses")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 90)
        self.table.setMinimumWidth(260)
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add a courthouse")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove the selected courthouse")
        self.found_button = QPushButton("Add courthouses &found in this run")
        self.found_button.setMinimumWidth(self.found_button.sizeHint().width())
        self.found_button.setAccessibleName("Add the courthouses found in this run")
        self.found_button.setToolTip("Adds a draft entry (code = ORI code, name = court description) for every "
                                     "court of the run that no entry matches yet; check the names and addresses.")
        for button in (self.add_button, self.remove_button, self.found_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_blank)
        self.remove_button.clicked.connect(self.remove_current)
        splitter.addWidget(left)

        self.form_box = QGroupBox("Selected courthouse")
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)      # labels above: the pane is narrow
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("Courthouse code")
        self.code_edit.setPlaceholderText("1–16 letters, digits or _ (used in packet ids)")
        self.code_edit.setToolTip("Short code used in packet ids, e.g. VNY")
        self.code_edit.editingFinished.connect(self._rename)
        form.addRow("Code *", self.code_edit)
        self.editors: dict[str, FieldEditor] = {}
        build_form(form, cfg.CourthouseSettings, "", self.editors)
        for editor in self.editors.values():
            signal = getattr(editor.widget, "textChanged", None) or getattr(editor.widget, "toggled", None)
            signal.connect(self._store)
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form_box)
        splitter.addWidget(form_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 480])
        layout.addWidget(splitter, 1)
        self._refresh_table()

    def set_courthouses(self, courthouses: dict[str, cfg.CourthouseSettings]) -> None:
        self.courthouses = copy.deepcopy(courthouses)
        self._current = None
        self._refresh_table()

    def add_entries(self, entries: dict[str, cfg.CourthouseSettings]) -> list[str]:
        """Add entries whose code is new; returns the codes added."""
        added = [code for code in sorted(entries) if code not in self.courthouses]
        for code in added:
            self.courthouses[code] = copy.deepcopy(entries[code])
        if added:
            self._refresh_table(select=added[0])
            self.changed.emit()
        return added

    def add_blank(self) -> None:
        n = 1
        while f"NEW{n}" in self.courthouses:
            n += 1
        self.courthouses[f"NEW{n}"] = cfg.CourthouseSettings()
        self._refresh_table(select=f"NEW{n}")
        self.code_edit.setFocus()
        self.code_edit.selectAll()
        self.changed.emit()

    def remove_current(self) -> None:
        if self._current in self.courthouses:
            del self.courthouses[self._current]
            self._current = None
            self._refresh_table()
            self.changed.emit()

    def _refresh_table(self, select: str | None = None) -> None:
        codes = sorted(self.courthouses)
        self.table.blockSignals(True)
        self.table.setRowCount(len(codes))
        for row, code in enumerate(codes):
            ch = self.courthouses[code]
            matches = _matches(ch)
            for col, text in enumerate((code, ch.name, matches)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        target = select if select in self.courthouses else (self._current if self._current in self.courthouses
                                                             else (codes[0] if codes else None))
        if target is not None:
            self.table.setCurrentCell(codes.index(target), 0)
            self._select(codes.index(target))
        else:
            self._select(-1)

    def _select(self, row: int) -> None:
        codes = sorted(self.courthouses)
        self._current = codes[row] if 0 <= row < len(codes) else None
        self.form_box.setEnabled(self._current is not None)
        self.remove_button.setEnabled(self._current is not None)
        ch = self.courthouses.get(self._current) if self._current else cfg.CourthouseSettings()
        self._loading = True
        self.code_edit.setText(self._current or "")
        for name, editor in self.editors.items():
            editor.set(getattr(ch, name))
        self._loading = False

    def _store(self, *_args) -> None:
        if getattr(self, "_loading", False) or self._current not in self.courthouses:
            return
        ch = self.courthouses[self._current]
        for name, editor in self.editors.items():
            setattr(ch, name, editor.get())
        row = sorted(self.courthouses).index(self._current)
        if self.table.item(row, 1) is not None:
            self.table.item(row, 1).setText(ch.name)
            self.table.item(row, 2).setText(_matches(ch))
        self.changed.emit()

    def _rename(self) -> None:
        new = self.code_edit.text().strip()
        old = self._current
        if not old or not new or new == old:
            return
        if new in self.courthouses:
            self.code_edit.setText(old)
            return
        self.courthouses[new] = self.courthouses.pop(old)
        self._current = new
        self._refresh_table(select=new)
        self.changed.emit()
