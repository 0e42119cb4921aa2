"""Record a reviewer's decision for one count: determination, reason (required), basis for relief,
ground and evidence for a challenge. The reviewer's name comes from the remembered UI state."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QRadioButton, QVBoxLayout, QWidget)

from ...review.decisions import RELIEF, default_basis
from ...review.words import DETERMINATION_WORDS
from ..style import badge_html

CHOICES = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "no_relief", "hand_review")
GROUND_SUGGESTIONS = (
    "",
    "Unreasonable risk of danger to public safety (resentencing path only)",
    "Prior super strike (PC § 667(e)(2)(C)(iv))",
    "Prior offense requiring registration (PC § 290(c))",
    "Two or more prior convictions of the same offense",
    "Offense on or after 9 Nov 2016",
    "Same offense level under current law",
)


class OverrideDialog(QDialog):
    def __init__(self, values: dict, reviewer: str, preset: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Override decision")
        self.setAccessibleName("Override decision")
        self._values = values
        layout = QVBoxLayout(self)
        summary = QLabel(
            f"<b>{values.get('name') or ''}</b> · {values.get('code_section') or ''} · case "
            f"{values.get('case_number') or '—'}<br>Statutory: "
            f"{badge_html(values.get('statutory'), DETERMINATION_WORDS.get(values.get('statutory') or '', '—'))}"
            f" &nbsp; Policy: {badge_html(values.get('engine'), DETERMINATION_WORDS.get(values.get('engine') or '', '—'))}")
        summary.setWordWrap(True)
        layout.addWidget(summary)

        box = QGroupBox("&Decision")
        box_layout = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for number, code in enumerate(CHOICES, start=1):
            radio = QRadioButton(f"&{number}  {DETERMINATION_WORDS[code]}")
            radio.setAccessibleName(DETERMINATION_WORDS[code])
            self.group.addButton(radio)
            self.radios[code] = radio
            box_layout.addWidget(radio)
            radio.toggled.connect(self._update)
        layout.addWidget(box)

        form = QFormLayout()
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason (required)")
        self.reason_edit.setPlaceholderText("Why? This is kept in the audit log forever.")
        self.reason_edit.setFixedHeight(70)
        self.reason_edit.setTabChangesFocus(True)
        form.addRow("&Reason (required):", self.reason_edit)
        basis_row = QHBoxLayout()
        self.basis_statute = QRadioButton("&Statute (the statutory floor)")
        self.basis_policy = QRadioButton("&Policy (beyond the floor; discretion)")
        self.basis_group = QButtonGroup(self)
        for radio in (self.basis_statute, self.basis_policy):
            self.basis_group.addButton(radio)
            basis_row.addWidget(radio)
        self.basis_widget = QWidget()
        self.basis_widget.setLayout(basis_row)
        basis_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("Basis for relief:", self.basis_widget)
        self.ground_edit = QComboBox()
        self.ground_edit.setEditable(True)
        self.ground_edit.addItems(GROUND_SUGGESTIONS)
        self.ground_edit.setAccessibleName("Ground for the challenge")
        form.addRow("&Ground (challenge):", self.ground_edit)
        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setAccessibleName("Evidence the People will offer")
        self.evidence_edit.setFixedHeight(54)
        self.evidence_edit.setTabChangesFocus(True)
        form.addRow("&Evidence:", self.evidence_edit)
        self.reviewer_edit = QLineEdit(reviewer)
        self.reviewer_edit.setAccessibleName("Reviewer name")
        form.addRow("Re&viewer:", self.reviewer_edit)
        layout.addLayout(form)
        self.problem_label = QLabel("")
        self.problem_label.setStyleSheet("color: #8f1d1d;")
        layout.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record decision")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.reviewer_edit.textChanged.connect(self._update)
        self.ground_edit.currentTextChanged.connect(self._update)
        self.evidence_edit.textChanged.connect(self._update)
        self.basis_group.buttonToggled.connect(self._update)
        current = values.get("decision") or preset or values.get("engine") or "hand_review"
        self.radios.get(preset or current, self.radios["hand_review"]).setChecked(True)
        self._update()
        self.reason_edit.setFocus()

    def determination(self) -> str:
        for code, radio in self.radios.items():
            if radio.isChecked():
                return code
        return "hand_review"

    def basis(self) -> str | None:
        if self.determination() not in RELIEF:
            return None
        if self.basis_statute.isChecked():
            return "statute"
        if self.basis_policy.isChecked():
            return "policy"
        return None

    def result_values(self) -> dict:
        challenge = self.determination() == "no_relief"
        return {
            "determination": self.determination(),
            "reason": self.reason_edit.toPlainText().strip(),
            "reviewer": self.reviewer_edit.text().strip(),
            "basis": self.basis(),
            "ground": self.ground_edit.currentText().strip() if challenge else None,
            "evidence": self.evidence_edit.toPlainText().strip() if challenge else None,
        }

    def _update(self, *_args) -> None:
        determination = self.determination()
        relief = determination in RELIEF
        self.basis_widget.setEnabled(relief)
        if relief and self.basis_group.checkedButton() is None:
            default = default_basis(determination, self._values.get("statutory"))
            (self.basis_statute if default == "statute" else self.basis_policy).setChecked(True)
        challenge = determination == "no_relief"
        self.ground_edit.setEnabled(challenge)
        self.evidence_edit.setEnabled(challenge)
        v = self.result_values()
        problem = ""
        if not v["reason"]:
            problem = "A reason is required."
        elif not v["reviewer"]:
            problem = "Enter the reviewer's name."
        elif challenge and v["ground"] and not v["evidence"]:
            problem = "A ground you enter needs the evidence the People will offer."
        self.problem_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
