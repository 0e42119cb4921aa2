"""Choose the filing county, as-of date and policy for a new evaluation run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QVBoxLayout, QWidget)

from .. import core_api
from ..counties import CALIFORNIA_COUNTIES

DEFAULT_AS_OF = dt.date(2020, 7, 1)
PRESET_WORDS = {"statutory": "Statutory floor (H&S § 11361.8)",
                "bear_compatible": "BEAR-compatible (gogen 0.2.13 configurable flow)",
                "los_angeles_2020": "Los Angeles County 2020 pilot criteria"}


def _path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    widget = QWidget()
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return widget


class EvaluateDialog(QDialog):
    def __init__(self, ui_state, default_county: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Evaluate eligibility")
        self.setAccessibleName("Evaluate eligibility")
        self._ui = ui_state
        layout = QVBoxLayout(self)
        intro = QLabel("A new run decides every Prop 64 conviction of the filing county. Earlier runs "
                       "and all reviewer decisions are kept.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.county_combo = QComboBox()
        self.county_combo.setAccessibleName("Filing county")
        self.county_combo.addItems([c.title() for c in CALIFORNIA_COUNTIES])
        county = (default_county or ui_state.value("evaluate/county") or "LOS ANGELES").upper()
        if county in CALIFORNIA_COUNTIES:
            self.county_combo.setCurrentIndex(CALIFORNIA_COUNTIES.index(county))
        form.addRow("Filing &county:", self.county_combo)
        self.as_of_edit = QDateEdit(QDate(DEFAULT_AS_OF.year, DEFAULT_AS_OF.month, DEFAULT_AS_OF.day))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setAccessibleName("As-of date")
        self.as_of_edit.setToolTip("Default 2020-07-01, the AB 1793 review deadline")
        form.addRow("&As-of date:", self.as_of_edit)

        self.preset_radio = QRadioButton("&Preset:")
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Policy preset")
        try:
            presets = core_api.get("list_presets")()
        except core_api.FeatureMissingError:
            presets = list(PRESET_WORDS)
        for name in presets:
            self.preset_combo.addItem(PRESET_WORDS.get(name, name), name)
        self.custom_radio = QRadioButton("Custom &file:")
        self.policy_edit = QLineEdit()
        self.policy_edit.setAccessibleName("Custom policy file")
        policy_browse = QPushButton("Browse…")
        policy_browse.setAccessibleName("Choose a policy file")
        policy_browse.clicked.connect(self._browse_policy)
        form.addRow(self.preset_radio, self.preset_combo)
        form.addRow(self.custom_radio, _path_row(self.policy_edit, policy_browse))
        self.options_edit = QLineEdit()
        self.options_edit.setAccessibleName("BEAR options file")
        self.options_edit.setPlaceholderText("optional: eligibility_options.json from BEAR")
        options_browse = QPushButton("Browse…")
        options_browse.setAccessibleName("Choose a BEAR options file")
        options_browse.clicked.connect(self._browse_options)
        form.addRow("&BEAR options:", _path_row(self.options_edit, options_browse))
        layout.addLayout(form)
        self.edit_button = QPushButton("Policy &editor…")
        self.edit_button.setAccessibleName("Open the policy editor")
        self.edit_button.clicked.connect(self._edit_policy)
        layout.addWidget(self.edit_button)
        self.problem_label = QLabel("")
        self.problem_label.setStyleSheet("color: #8f1d1d;")
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("E&valuate")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.preset_radio.setChecked(True)
        self.policy_edit.textEdited.connect(lambda _t: self.custom_radio.setChecked(True))

    def _browse_policy(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a policy file", self._ui.last_folder("policy"),
                                              "Policy files (*.toml);;All files (*)")
        if path:
            self._ui.set_last_folder("policy", path)
            self.policy_edit.setText(path)
            self.custom_radio.setChecked(True)

    def _browse_options(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a BEAR options file", self._ui.last_folder("policy"),
                                              "BEAR options (*.json);;All files (*)")
        if path:
            self.options_edit.setText(path)

    def _edit_policy(self) -> None:
        from .policy_editor_dialog import PolicyEditorDialog
        dialog = PolicyEditorDialog(self._ui, self.policy_source(), self)
        if dialog.exec() and dialog.saved_path:
            self.policy_edit.setText(dialog.saved_path)
            self.custom_radio.setChecked(True)

    def policy_source(self) -> str:
        if self.custom_radio.isChecked() and self.policy_edit.text().strip():
            return self.policy_edit.text().strip()
        return self.preset_combo.currentData()

    def values(self) -> dict:
        qdate = self.as_of_edit.date()
        options = self.options_edit.text().strip() or None
        return {
            "county": CALIFORNIA_COUNTIES[self.county_combo.currentIndex()],
            "as_of": dt.date(qdate.year(), qdate.month(), qdate.day()),
            "policy": self.policy_source(),
            "options_path": options,
        }

    def _accept(self) -> None:
        v = self.values()
        if self.custom_radio.isChecked() and not Path(v["policy"]).is_file():
            self.problem_label.setText("Choose an existing policy file, or pick a preset.")
            return
        if v["options_path"] and not Path(v["options_path"]).is_file():
            self.problem_label.setText("The BEAR options file does not exist.")
            return
        try:
            core_api.get("load_policy")(v["policy"], v["options_path"])
        except core_api.FeatureMissingError:
            pass
        except Exception as exc:  # noqa: BLE001 - PolicyError lists every problem; show them here
            self.problem_label.setText(str(exc))
            return
        self._ui.set_value("evaluate/county", v["county"])
        self.accept()
