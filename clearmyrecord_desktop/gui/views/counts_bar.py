"""Determination counts of the run, always visible above the review table. Each chip filters."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from ..flow_layout import FlowLayout, flow_policy

from ...review.words import DETERMINATION_SHORT, DETERMINATION_WORDS
from ..style import BADGE_COLOURS, CHANGED_COLOUR, REVIEWED_COLOUR

ORDER = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "no_relief", "hand_review")


class CountsBar(QWidget):
    determination_clicked = Signal(str)
    state_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = FlowLayout(self, spacing=5)      # wraps onto a second line in a narrow window
        self.setSizePolicy(flow_policy())
        self.total_label = QLabel("No run")
        self.total_label.setAccessibleName("Number of convictions in the run")
        layout.addWidget(self.total_label)
        self.chips: dict[str, QPushButton] = {}
        for code in ORDER:
            fg, bg = BADGE_COLOURS[code]
            chip = self._chip(fg, bg)
            chip.clicked.connect(lambda _=False, c=code: self.determination_clicked.emit(c))
            chip.setToolTip(f"Show only: {DETERMINATION_WORDS[code]}")
            self.chips[code] = chip
            layout.addWidget(chip)
        for state, colour in (("open", BADGE_COLOURS["hand_review"][0]), ("reviewed", REVIEWED_COLOUR),
                              ("changed", CHANGED_COLOUR)):
            chip = self._chip(colour, "#ffffff")
            chip.clicked.connect(lambda _=False, s=state: self.state_clicked.emit(s))
            self.chips[state] = chip
            layout.addWidget(chip)
        self.chips["open"].setToolTip("Counts that still need a hand review (Ctrl+N goes to the next)")
        self.chips["reviewed"].setToolTip("Counts decided by a reviewer")
        self.chips["changed"].setToolTip("Reviewed counts whose engine result changed since the decision")
        self.set_counts(None)

    @staticmethod
    def _chip(fg: str, bg: str) -> QPushButton:
        chip = QPushButton()
        chip.setFlat(True)
        chip.setStyleSheet(f"QPushButton {{ color: {fg}; background: {bg}; border: 1px solid {fg};"
                           f" border-radius: 9px; padding: 2px 7px; font-weight: 600; }}"
                           f"QPushButton:focus {{ border: 2px solid #000; }}")
        return chip

    def set_counts(self, counts: dict | None) -> None:
        """``counts``: {determination: n, 'open': n, 'reviewed': n, 'changed': n, 'total': n}."""
        if counts is None:
            self.total_label.setText("No evaluation run yet")
            for chip in self.chips.values():
                chip.setVisible(False)
            return
        self.total_label.setText(f"<b>{counts.get('total', 0):,}</b> convictions:")
        for code in ORDER:
            n = counts.get(code, 0)
            chip = self.chips[code]
            chip.setText(f"{DETERMINATION_SHORT[code]}  {n:,}")
            chip.setAccessibleName(f"{DETERMINATION_WORDS[code]}: {n}")
            chip.setVisible(True)
        for state, label, short in (("open", "Open", "Open"), ("reviewed", "Reviewed", "✎ Reviewed"),
                                    ("changed", "Changed underneath", "⚠ Changed")):
            n = counts.get(state, 0)
            chip = self.chips[state]
            chip.setText(f"{short}  {n:,}")
            chip.setAccessibleName(f"{label}: {n}")
            chip.setVisible(state != "changed" or n > 0)
