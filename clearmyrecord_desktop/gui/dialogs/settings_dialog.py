"""File ▸ Office settings…: the office settings that fill the court documents (the ``settings`` package).

The form is generated from the settings declaration (``settings_form``): each dataclass field becomes a
widget chosen by its type, labelled with a required mark and carrying its help text; courthouses have
their own page (``courthouses_editor``). Saving validates strictly (every problem listed together),
stores the settings in the workspace through the write pool, and records the change in the audit log.
Sections the dialog does not show (filing agencies) are kept as they are.
"""

from __future__ import annotations

import copy
import typing
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget)

from ...errors import SettingsError
from ...review import audit
from ... import settings as cfg
from .courthouses_editor import CourthousesEditor
from .settings_form import FieldEditor, _get_path, _set_path, build_form

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
