"""Edit a county policy (eligibility.md §10) and save it as TOML with ``save_policy``."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QMessageBox, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget)

from ...errors import KnownError
from .. import core_api
from .criterion_editor import CriterionEditor

ACTION_WORDS = {"dismiss": "Dismiss all", "hand_review": "Hand review", "criteria": "Use the criteria",
                "statutory": "Statutory floor", "city_attorney_review": "Refer to the City Attorney",
                "reduce": "Reduce to a misdemeanor", "none": "No rule (hand review)",
                "no_relief": "Withhold relief", "grant_anyway": "Grant anyway (flag conflict)"}


def _combo(values, name: str, with_none: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    if with_none:
        combo.addItem("—", None)
    for value in values:
        combo.addItem(ACTION_WORDS.get(value, value), value)
    return combo


def _set(combo: QComboBox, value) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class _SectionBox(QGroupBox):
    def __init__(self, pm, section: str):
        super().__init__(f"H&&S {section} felonies")
        self.section = section
        form = QFormLayout(self)
        self.action = _combo(pm.FELONY_ACTIONS, f"{section} action")
        self.reason = QLineEdit()
        self.reason.setAccessibleName(f"{section} reason")
        self.fallback = _combo(pm.FALLBACKS, f"{section} fallback", with_none=True)
        self.fallback_reason = QLineEdit()
        self.fallback_reason.setAccessibleName(f"{section} fallback reason")
        form.addRow("Action:", self.action)
        form.addRow("Reason:", self.reason)
        form.addRow("Fallback:", self.fallback)
        form.addRow("Fallback reason:", self.fallback_reason)
        self.subsections: dict[str, QComboBox] = {}
        if section in pm.SUBSECTION_SECTIONS:
            row = QHBoxLayout()
            for letter in pm.SUBSECTION_LETTERS:
                combo = _combo(pm.SUBSECTION_ACTIONS, f"{section}({letter}) action", with_none=True)
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(5)
                row.addWidget(QLabel(f"({letter})"))
                row.addWidget(combo)
                self.subsections[letter] = combo
            form.addRow("Subsections:", row)
            self.subsection_reason = QLineEdit()
            self.subsection_reason.setAccessibleName(f"{section} subsection reason")
            form.addRow("Subsection reason:", self.subsection_reason)
        self.action.currentIndexChanged.connect(self._update)

    def _update(self, *_args) -> None:
        criteria = self.action.currentData() == "criteria"
        self.fallback.setEnabled(criteria)
        self.fallback_reason.setEnabled(criteria)

    def load(self, rule) -> None:
        _set(self.action, rule.action)
        self.reason.setText(rule.reason or "")
        _set(self.fallback, rule.fallback)
        self.fallback_reason.setText(rule.fallback_reason or "")
        for letter, combo in self.subsections.items():
            _set(combo, rule.subsections.get(letter))
        if self.subsections:
            self.subsection_reason.setText(rule.subsection_reason or "")
        self._update()

    def rule(self, pm):
        criteria = self.action.currentData() == "criteria"
        subsections = {k: c.currentData() for k, c in self.subsections.items() if c.currentData()}
        return pm.FelonyRule(
            action=self.action.currentData(), reason=self.reason.text().strip() or None,
            fallback=self.fallback.currentData() if criteria else None,
            fallback_reason=(self.fallback_reason.text().strip() or None) if criteria else None,
            subsections=subsections,
            subsection_reason=(self.subsection_reason.text().strip() or None) if self.subsections else None)


class PolicyEditorDialog(QDialog):
    def __init__(self, ui_state, source: str = "statutory", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Policy editor")
        self.setAccessibleName("Policy editor")
        self.resize(860, 640)
        self._ui = ui_state
        self.saved_path: str | None = None
        self._pm = core_api.get("policy_module")
        pm = self._pm
        layout = QVBoxLayout(self)
        load_row = QHBoxLayout()
        load_row.addWidget(QLabel("Start from:"))
        self.source_combo = QComboBox()
        self.source_combo.setAccessibleName("Start from preset")
        for name in pm.list_presets():
            self.source_combo.addItem(name, name)
        load_row.addWidget(self.source_combo)
        load_button = QPushButton("&Load")
        open_button = QPushButton("&Open file…")
        load_row.addWidget(load_button)
        load_row.addWidget(open_button)
        load_row.addStretch(1)
        layout.addLayout(load_row)
        self.note_label = QLabel("")
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)

        tabs = QTabWidget()
        general = QWidget()
        form = QFormLayout(general)
        self.id_edit, self.name_edit, self.version_edit, self.description_edit = (
            QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit())
        for label, edit in (("Id ([a-z0-9_]):", self.id_edit), ("Name:", self.name_edit),
                            ("Version:", self.version_edit), ("Description:", self.description_edit)):
            edit.setAccessibleName(label.rstrip(":"))
            form.addRow(label, edit)
        self.bar_dq = _combo(pm.BAR_SETTINGS, "When relief meets a disqualifier")
        self.bar_post = _combo(pm.BAR_SETTINGS, "When relief meets a post-Prop-64 offense")
        form.addRow("Disqualifier bar:", self.bar_dq)
        form.addRow("Post-Prop-64 bar:", self.bar_post)
        self.misd_action = _combo(pm.MISDEMEANOR_ACTIONS, "Misdemeanor and infraction treatment")
        self.misd_reason = QLineEdit()
        self.misd_reason.setAccessibleName("Misdemeanor reason")
        form.addRow("Misdemeanors / infractions:", self.misd_action)
        form.addRow("Misdemeanor reason:", self.misd_reason)
        tabs.addTab(general, "&General")

        felonies = QWidget()
        grid = QGridLayout(felonies)
        self.section_boxes = {s: _SectionBox(pm, s) for s in pm.SECTIONS}
        for i, box in enumerate(self.section_boxes.values()):
            grid.addWidget(box, i, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(felonies)
        tabs.addTab(scroll, "&Felonies (dismiss / reduce per section)")

        criteria = QWidget()
        row = QHBoxLayout(criteria)
        left = QVBoxLayout()
        self.criteria_list = QListWidget()
        self.criteria_list.setAccessibleName("Criteria in evaluation order")
        left.addWidget(QLabel("Criteria (first match wins):"))
        left.addWidget(self.criteria_list, 1)
        buttons = QHBoxLayout()
        self.add_button, self.remove_button = QPushButton("Add"), QPushButton("Remove")
        self.up_button, self.down_button = QPushButton("Up"), QPushButton("Down")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        left.addLayout(buttons)
        row.addLayout(left, 1)
        self.criterion_editor = CriterionEditor(pm)
        row.addWidget(self.criterion_editor, 2)
        tabs.addTab(criteria, "&Criteria")
        layout.addWidget(tabs, 1)
        self.problem_label = QLabel("")
        self.problem_label.setStyleSheet("color: #8f1d1d;")
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("&Save as…")
        box.accepted.connect(self.save_as)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        self._criteria: list = []
        self._current = -1
        load_button.clicked.connect(lambda: self.load(self.source_combo.currentData()))
        open_button.clicked.connect(self._open_file)
        self.criteria_list.currentRowChanged.connect(self._select_criterion)
        self.criterion_editor.changed.connect(self._criterion_edited)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.load(source or "statutory")

    # -- load -------------------------------------------------------------------------------------
    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a policy file", self._ui.last_folder("policy"),
                                              "Policy files (*.toml)")
        if path:
            self.load(path)

    def load(self, source: str) -> None:
        try:
            policy = self._pm.load_policy(source)
        except KnownError as exc:
            self.problem_label.setText(str(exc))
            return
        self.note_label.setText(
            "This policy is derived from BEAR options; saving writes the derived rules as a plain policy."
            if policy.bear is not None else "")
        self.id_edit.setText(policy.id if policy.bear is None else f"{policy.id}_custom")
        self.name_edit.setText(policy.name)
        self.version_edit.setText(policy.version)
        self.description_edit.setText(policy.description)
        self.description_edit.setCursorPosition(0)        # show the start of a long description
        self.description_edit.setToolTip(policy.description)
        _set(self.bar_dq, policy.statutory_bars.disqualifier)
        _set(self.bar_post, policy.statutory_bars.post_prop64)
        _set(self.misd_action, policy.misdemeanors.action)
        self.misd_reason.setText(policy.misdemeanors.reason or "")
        for section, box in self.section_boxes.items():
            box.load(policy.felonies[section])
        index = self.source_combo.findData(source)
        if index >= 0:
            self.source_combo.setCurrentIndex(index)
        self._criteria = list(policy.criteria)
        self._refresh_list(0 if self._criteria else -1)
        self.problem_label.setText("")

    # -- criteria list ----------------------------------------------------------------------------
    def _refresh_list(self, select: int) -> None:
        self.criteria_list.blockSignals(True)
        self.criteria_list.clear()
        for c in self._criteria:
            self.criteria_list.addItem(f"{c.id} → {c.outcome}")
        self.criteria_list.blockSignals(False)
        self._current = -1
        if 0 <= select < len(self._criteria):
            self.criteria_list.setCurrentRow(select)
        self.criterion_editor.setEnabled(bool(self._criteria))

    def _select_criterion(self, row: int) -> None:
        self._current = row
        if 0 <= row < len(self._criteria):
            self.criterion_editor.set_criterion(self._criteria[row])

    def _criterion_edited(self) -> None:
        if 0 <= self._current < len(self._criteria):
            self._criteria[self._current] = self.criterion_editor.criterion()
            c = self._criteria[self._current]
            self.criteria_list.item(self._current).setText(f"{c.id} → {c.outcome}")

    def _add(self) -> None:
        n = len(self._criteria) + 1
        self._criteria.append(self._pm.Criterion(id=f"criterion_{n}", outcome="dismiss_and_seal",
                                                 reason="Describe the criterion", when={"deceased": True}))
        self._refresh_list(len(self._criteria) - 1)

    def _remove(self) -> None:
        if 0 <= self._current < len(self._criteria):
            del self._criteria[self._current]
            self._refresh_list(min(self._current, len(self._criteria) - 1))

    def _move(self, step: int) -> None:
        i, j = self._current, self._current + step
        if 0 <= i < len(self._criteria) and 0 <= j < len(self._criteria):
            self._criteria[i], self._criteria[j] = self._criteria[j], self._criteria[i]
            self._refresh_list(j)

    # -- save -------------------------------------------------------------------------------------
    def policy(self):
        pm = self._pm
        return pm.Policy(
            id=self.id_edit.text().strip(), name=self.name_edit.text().strip(),
            version=self.version_edit.text().strip(), description=self.description_edit.text().strip(),
            statutory_bars=pm.StatutoryBars(disqualifier=self.bar_dq.currentData(),
                                            post_prop64=self.bar_post.currentData()),
            misdemeanors=pm.MisdemeanorRule(action=self.misd_action.currentData(),
                                            reason=self.misd_reason.text().strip() or None),
            felonies={s: box.rule(pm) for s, box in self.section_boxes.items()},
            criteria=tuple(self._criteria))

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the policy", self._ui.last_folder("policy"),
                                              "Policy files (*.toml)")
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        if not path.lower().endswith(".toml"):
            path += ".toml"
        try:
            self._pm.save_policy(self.policy(), path)
        except KnownError as exc:
            self.problem_label.setText(str(exc))
            return False
        except (TypeError, ValueError) as exc:
            QMessageBox.warning(self, "Policy not saved", str(exc))
            return False
        self._ui.set_last_folder("policy", path)
        self.saved_path = path
        self.accept()
        return True
