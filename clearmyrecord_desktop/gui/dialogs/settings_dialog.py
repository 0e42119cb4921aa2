"""File ▸ Office settings…: the office settings that fill the court documents (``settings.py``).

The form is generated from the settings declaration: each dataclass field becomes a widget chosen by
its type (text, lines of text, true/false, whole number, one of its ``choices``), labelled with a
required mark and carrying its help text. Saving validates strictly (every problem listed together),
stores the settings in the workspace through the write pool, and records the change in the audit log.
Sections the dialog does not show (filing agencies) are kept as they are.
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ...errors import SettingsError
from ...review import audit
from ... import settings as cfg

#: Labels where the field name alone would be unclear (dotted keys); others are derived from the name.
LABELS = {
    "office.agency_name": "Office (filing agency)",
    "office.head_name": "Head of the office",
    "office.head_title": "Head's title",
    "office.address": "Office address",
    "office.email": "E-mail",
    "office.signature_block": "Signature block (optional)",
    "office.attorney.name": "Signing attorney",
    "office.attorney.title": "Attorney's title",
    "office.attorney.bar_number": "State Bar number",
    "signature.mode": "Signature line",
    "county.name": "County name",
    "county.code": "County code",
    "court.name": "Court name",
    "public_defender.name": "Public defender office",
    "public_defender.service_email": "Service e-mail",
    "marking.confidential_text": "Confidentiality marking",
    "marking.extra_line": "Second header line",
    "policy.authority_text": "Policy authority paragraph",
    "service.server_name": "Person who serves the papers",
    "court_data.bom": "Byte-order mark",
    "court_data.challenges_csv": "Challenge list",
    "output.pdf": "PDF copies",
    "libreoffice.path": "soffice program",
    "summary.suppress_below": "Hide small numbers",
    "order.registration_relief": "Registration",
    "packets.split_by_relief": "Split packets",
    "service.server_address": "Server's address",
    "ori_codes": "ORI codes",
    "description_match": "Court descriptions",
    "misc_case_number": "Misc. case number",
    "per_case_orders": "Per-case orders",
    "court_name": "Court name (if not the default)",
}
CHOICE_WORDS = {
    "blank": "Blank line, signed by hand", "conformed": "Conformed (/s/ name printed)",
    "combined": "Combined (statute and policy rows together)", "separate": "Separate statute and policy parts",
    "served": "Served (on the service list)", "filing": "Files its own packets",
}
MULTILINE = {"signature_block", "confidential_text", "authority_text"}
TABS = (  # (title, sections)
    ("&Office", ("office", "signature")),
    ("&Court and courthouses", ("county", "court")),
    ("&Public defender and service", ("public_defender", "service")),
    ("&Document text", ("marking", "policy")),
    ("Other &options", ("packets", "court_data", "order", "output", "libreoffice", "summary")),
)
SECTION_TITLES = {"signature": "Signature", "service": "Service of the papers", "packets": "Packets",
                  "court_data": "Court data spreadsheet", "order": "Proposed order", "output": "Output",
                  "libreoffice": "LibreOffice (for PDFs)", "summary": "Summary report", "marking": "Page headers",
                  "policy": "Office policy (needed when relief goes beyond the statutory floor)",
                  "public_defender": "Public defender (needed when any count is challenged)",
                  "county": "County", "court": "Court"}


def _label_for(key: str, field: dataclasses.Field) -> str:
    """The field's label; ``*`` marks a field that is always required (conditions are in the tooltip)."""
    name = key.rsplit(".", 1)[-1]
    text = LABELS.get(key) or LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{text} *" if field.metadata.get("required") == "yes" else text


class FieldEditor:
    """One widget bound to one settings field, chosen by the field's type."""

    def __init__(self, key: str, field: dataclasses.Field, tp):
        self.key, self.field, self.tp = key, field, tp
        help_text = field.metadata.get("help", "")
        required = field.metadata.get("required", "")
        choices = field.metadata.get("choices") or ()
        tip = help_text + ("" if not required else " (required)" if required == "yes" else
                           " (at least one ORI code or description is required)" if required == "one match" else
                           f" (required {required})")
        if choices:
            widget = QComboBox()
            for choice in choices:
                widget.addItem(CHOICE_WORDS.get(choice, choice), choice)
        elif tp is bool:
            widget = QCheckBox(help_text)
        elif tp is int:
            widget = QSpinBox()
            widget.setRange(0, 1_000_000)
        elif typing.get_origin(tp) is list or field.name in MULTILINE:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(64 if field.name not in MULTILINE else 78)
            lines = typing.get_origin(tp) is list and "one line per entry" not in help_text
            widget.setPlaceholderText(help_text + (" — one line per entry" if lines else ""))
        else:
            widget = QLineEdit()
            widget.setPlaceholderText(help_text)
        widget.setToolTip(tip)
        widget.setAccessibleName(_label_for(key, field).rstrip(" *"))
        widget.setAccessibleDescription(tip)
        self.widget = widget

    def set(self, value) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("\n".join(value) if isinstance(value, list) else (value or ""))
        else:
            w.setText(value or "")

    def get(self):
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if typing.get_origin(self.tp) is list:
                return [line.strip() for line in text.splitlines() if line.strip()]
            return text.strip()
        return w.text().strip()


def build_form(form: QFormLayout, cls: type, prefix: str, editors: dict[str, FieldEditor]) -> None:
    """Add a row per field of ``cls`` (nested dataclasses get a sub-heading)."""
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        key = f"{prefix}.{field.name}" if prefix else field.name
        tp = hints[field.name]
        if dataclasses.is_dataclass(tp):
            heading = QLabel(f"<b>{escape(field.metadata.get('help') or field.name)}</b>")
            form.addRow(heading)
            build_form(form, tp, key, editors)
            continue
        editor = FieldEditor(key, field, tp)
        editors[key] = editor
        if isinstance(editor.widget, QCheckBox):
            form.addRow(_label_for(key, field), editor.widget)
        else:
            label = QLabel(_label_for(key, field))
            label.setBuddy(editor.widget)
            label.setToolTip(editor.widget.toolTip())
            form.addRow(label, editor.widget)


def _get_path(obj, key: str):
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _set_path(obj, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


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
            matches = ", ".join(ch.ori_codes + ch.description_match) or "— nothing yet"
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
            self.table.item(row, 2).setText(", ".join(ch.ori_codes + ch.description_match) or "— nothing yet")
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


class SettingsDialog(QDialog):
    saved = Signal(object)             # the Settings as stored

    def __init__(self, ws, runner, *, run_id: int | None = None, actor: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Office settings")
        self.setAccessibleName("Office settings")
        self.setSizeGripEnabled(True)
        self.resize(940, 660)
        self._ws, self._runner, self._run_id, self._actor = ws, runner, run_id, actor
        self.editors: dict[str, FieldEditor] = {}
        layout = QVBoxLayout(self)
        intro = QLabel("These settings fill the motions, orders and exhibits of this workspace. "
                       "Fields marked * are needed for a final export.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.load_problem = QLabel()
        self.load_problem.setWordWrap(True)
        self.load_problem.setStyleSheet("color: #8f1d1d")
        self.load_problem.setVisible(False)
        layout.addWidget(self.load_problem)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        layout.addWidget(self.tabs, 1)
        hints = typing.get_type_hints(cfg.Settings)
        for title, sections in TABS:
            page = QWidget()
            page_layout = QVBoxLayout(page)
            court_tab = "court" in sections
            row = QHBoxLayout() if court_tab else page_layout     # county and court side by side
            for section in sections:
                box = QGroupBox(SECTION_TITLES.get(section, "Office" if section == "office" else section))
                form = QFormLayout(box)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                build_form(form, hints[section], section, self.editors)
                row.addWidget(box, 1 if section == "county" else 2)
            if court_tab:
                page_layout.addLayout(row)
                self.courthouses = CourthousesEditor()
                self.courthouses.found_button.clicked.connect(self.add_found_courthouses)
                self.courthouses.found_button.setEnabled(run_id is not None)
                box = QGroupBox("Courthouses")
                QVBoxLayout(box).addWidget(self.courthouses)
                page_layout.addWidget(box, 1)
                self.tabs.addTab(page, title)       # fits without scrolling; the entry form scrolls
                continue
            page_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, title)

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setAccessibleName("Problems with the settings")
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problems_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import from file…")
        self.import_button.setToolTip("Read settings saved on another computer (a .json file)")
        self.export_button = QPushButton("E&xport to file…")
        self.export_button.setToolTip("Save these settings as a file, to set up other computers alike")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.import_button.clicked.connect(self._import_file)
        self.export_button.clicked.connect(self._export_file)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        try:
            self._base = cfg.load_settings(ws)
        except SettingsError as exc:
            self._base = cfg.Settings()
            self.load_problem.setText(f"The stored settings could not be read; the form starts from the defaults. "
                                      f"Saving replaces them.\n{exc}")
            self.load_problem.setVisible(True)
        self._stored_sha = cfg.document_settings_sha256(self._base)
        self.set_settings(self._base)

    # -- form <-> settings ----------------------------------------------------------------------
    def set_settings(self, s: cfg.Settings) -> None:
        self._base = copy.deepcopy(s)
        for key, editor in self.editors.items():
            editor.set(_get_path(s, key))
        self.courthouses.set_courthouses(s.courthouses)
        self._show_missing(s)

    def settings(self) -> cfg.Settings:
        """The settings as the form shows them (sections the form does not show are kept)."""
        s = copy.deepcopy(self._base)
        for key, editor in self.editors.items():
            _set_path(s, key, editor.get())
        s.courthouses = copy.deepcopy(self.courthouses.courthouses)
        return s

    def _show_missing(self, s: cfg.Settings, problems: str = "") -> None:
        missing = cfg.required_missing(s, s.courthouses, need_pd=False, need_authority=False)
        parts = []
        if problems:
            parts.append(f"<b style='color:#8f1d1d'>Not saved — please correct:</b><br>"
                         + "<br>".join(escape(line) for line in problems.splitlines()[1:] or [problems]))
        if missing:
            items = "; ".join(escape(m.message.rstrip(".")) for m in missing[:6])
            more = f" … and {len(missing) - 6} more" if len(missing) > 6 else ""
            parts.append(f"<span style='color:#7a4d00'>Still needed for a final export: {items}{more}.</span>")
        elif not problems:
            parts.append("<span style='color:#11612c'>✔ Every required setting is filled in.</span>")
        self.problems_label.setText("<br>".join(parts))

    # -- actions --------------------------------------------------------------------------------
    def add_found_courthouses(self) -> None:
        if self._run_id is None:
            return
        ws, run_id, current = self._ws, self._run_id, self.settings()
        self.courthouses.found_button.setEnabled(False)

        def job(progress, cancel):
            return cfg.draft_courthouse_entries(ws, run_id, settings=current)

        def done(outcome):
            self.courthouses.found_button.setEnabled(True)
            if outcome.error is not None:
                self.problems_label.setText(f"The courts of the run could not be read ({type(outcome.error).__name__}).")
                return
            added = self.courthouses.add_entries(outcome.result)
            self.found_added = added
            self._show_missing(self.settings())
            note = (f"Added {len(added)} courthouse(s) from run {run_id}: {', '.join(added)}. Check each name and "
                    "fill in the address." if added else f"Every court of run {run_id} already has an entry.")
            self.problems_label.setText(self.problems_label.text() + "<br>" + escape(note))

        self._runner.start("Finding the courthouses of the run", job, on_done=done)

    def validate(self) -> tuple[cfg.Settings | None, str]:
        s = self.settings()
        try:
            cfg.settings_from_dict(cfg.settings_to_dict(s))
        except SettingsError as exc:
            return None, str(exc)
        return s, ""

    def save(self) -> None:
        s, problems = self.validate()
        if s is None:
            self._show_missing(self.settings(), problems)
            return
        ws, actor, before = self._ws, self._actor or "unknown", self._stored_sha
        changed = [name for name in cfg.to_dict(s) if cfg.to_dict(s)[name] != cfg.to_dict(self._base).get(name)]
        self.buttons.setEnabled(False)

        def job(progress, cancel):
            cfg.save_settings(ws, s)
            after = cfg.document_settings_sha256(s)
            audit.append(ws, actor, audit.SETTINGS, old_value=f"document settings {before[:12]}",
                         new_value=f"document settings {after[:12]}",
                         reason="changed: " + (", ".join(changed) or "nothing on paper"))
            return s

        def done(outcome):
            self.buttons.setEnabled(True)
            if outcome.error is not None:
                if isinstance(outcome.error, SettingsError):
                    self._show_missing(s, str(outcome.error))
                    return
                from ..message_bridge import show_error
                show_error(outcome.error, self)
                return
            self._base = copy.deepcopy(outcome.result)
            self._stored_sha = cfg.document_settings_sha256(outcome.result)
            self.saved.emit(outcome.result)
            self.accept()

        self._runner.start("Saving the office settings", job, write=True, on_done=done)

    def _import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import office settings", str(Path.home()),
                                              "Settings file (*.json);;All files (*)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> bool:
        try:
            s = cfg.settings_from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self._show_missing(self.settings(), f"The file could not be read: {type(exc).__name__}.")
            return False
        except SettingsError as exc:
            self._show_missing(self.settings(), str(exc))
            return False
        self.set_settings(s)
        return True

    def _export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export office settings", str(Path.home() / "office_settings.json"),
                                              "Settings file (*.json)")
        if path:
            s, problems = self.validate()
            if s is None:
                self._show_missing(self.settings(), problems)
                return
            Path(path).write_text(cfg.settings_to_json(s), encoding="utf-8")
