"""Editor for one policy criterion: id, outcome, reason and its conditions (eligibility.md §9.3)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget)

CONDITION_WORDS = {
    "under_21_at_offense": "Under 21 at the offense",
    "under_21_at_conviction": "Under 21 at the conviction",
    "age_at_as_of_at_least": "Age at the as-of date at least",
    "conviction_years_before_as_of_at_least": "Conviction at least N years before the as-of date",
    "no_conviction_within_years": "No conviction within N years",
    "only_prop64_convictions": "Only Prop 64 convictions on record",
    "sentence_completed": "This count's sentence completed",
    "currently_serving": "Currently serving this count's sentence",
    "all_sentences_completed": "All sentences completed",
    "deceased": "Deceased",
    "post_prop64": "Offense on or after 9 Nov 2016",
}
OUTCOME_WORDS = {"dismiss_and_seal": "Dismiss and seal", "hand_review": "Hand review",
                 "no_relief": "No relief"}


class CriterionEditor(QWidget):
    changed = Signal()

    def __init__(self, policy_module, parent: QWidget | None = None):
        super().__init__(parent)
        self._pm = policy_module
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.id_edit = QLineEdit()
        self.id_edit.setAccessibleName("Criterion id")
        self.outcome_combo = QComboBox()
        self.outcome_combo.setAccessibleName("Criterion outcome")
        for value in policy_module.CRITERION_OUTCOMES:
            self.outcome_combo.addItem(OUTCOME_WORDS.get(value, value), value)
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Criterion reason")
        form.addRow("Id:", self.id_edit)
        form.addRow("Outcome:", self.outcome_combo)
        form.addRow("Reason:", self.reason_edit)
        layout.addLayout(form)
        box = QGroupBox("When all of these hold")
        grid = QGridLayout(box)
        self.bool_checks: dict[str, QCheckBox] = {}
        self.int_checks: dict[str, tuple[QCheckBox, QSpinBox]] = {}
        row = 0
        for key in policy_module.CONDITIONS:
            if key in policy_module.BOOLEAN_CONDITIONS:
                check = QCheckBox(CONDITION_WORDS.get(key, key))
                check.setAccessibleName(CONDITION_WORDS.get(key, key))
                self.bool_checks[key] = check
                grid.addWidget(check, row, 0, 1, 2)
                check.toggled.connect(self.changed)
            elif key in policy_module.INTEGER_CONDITIONS:
                lo, hi = policy_module.INTEGER_CONDITIONS[key]
                check = QCheckBox(CONDITION_WORDS.get(key, key))
                spin = QSpinBox()
                spin.setRange(lo, hi)
                spin.setMaximumWidth(90)
                spin.setAccessibleName(f"{CONDITION_WORDS.get(key, key)} (value)")
                self.int_checks[key] = (check, spin)
                grid.addWidget(check, row, 0)
                grid.addWidget(spin, row, 1)
                check.toggled.connect(self.changed)
                spin.valueChanged.connect(self.changed)
            else:
                continue
            row += 1
        dq_row = QHBoxLayout()
        self.dq_checks: dict[str, QCheckBox] = {}
        for code in policy_module.DISQUALIFIER_CODES:
            check = QCheckBox(code)
            check.setAccessibleName(f"Definite disqualifier {code}")
            self.dq_checks[code] = check
            dq_row.addWidget(check)
            check.toggled.connect(self.changed)
        grid.addWidget(QLabel("Has a definite disqualifier of:"), row, 0, 1, 2)
        grid.addLayout(dq_row, row + 1, 0, 1, 2)
        layout.addWidget(box)
        for widget in (self.id_edit, self.reason_edit):
            widget.textChanged.connect(self.changed)
        self.outcome_combo.currentIndexChanged.connect(self.changed)

    def set_criterion(self, criterion) -> None:
        self.blockSignals(True)
        self.id_edit.setText(criterion.id)
        self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(criterion.outcome)))
        self.reason_edit.setText(criterion.reason)
        when = dict(criterion.when)
        for key, check in self.bool_checks.items():
            check.setChecked(bool(when.get(key)))
        for key, (check, spin) in self.int_checks.items():
            check.setChecked(key in when)
            if key in when:
                spin.setValue(int(when[key]))
        codes = set(when.get("disqualifier_any_of", ()))
        for code, check in self.dq_checks.items():
            check.setChecked(code in codes)
        self.blockSignals(False)

    def criterion(self):
        when: dict = {}
        for key, check in self.bool_checks.items():
            if check.isChecked():
                when[key] = True
        for key, (check, spin) in self.int_checks.items():
            if check.isChecked():
                when[key] = spin.value()
        codes = [c for c, check in self.dq_checks.items() if check.isChecked()]
        if codes:
            when["disqualifier_any_of"] = codes
        return self._pm.Criterion(id=self.id_edit.text().strip(), outcome=self.outcome_combo.currentData(),
                                  reason=self.reason_edit.text().strip(), when=when)
