"""Shown when no workspace is open: create, open, recent workspaces, drop hint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)


class WelcomeView(QWidget):
    create_requested = Signal()
    open_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QFrame()
        box.setMaximumWidth(640)
        layout = QVBoxLayout(box)
        title = QLabel("<h1>ClearMyRecord Desktop</h1>"
                       "<p>Prop 64 relief from the DOJ research file — works offline; "
                       "everything stays in the workspace file you choose.</p>")
        title.setWordWrap(True)
        layout.addWidget(title)
        buttons = QHBoxLayout()
        self.create_button = QPushButton("&New workspace…")
        self.create_button.setAccessibleName("Create a new workspace")
        self.create_button.clicked.connect(self.create_requested)
        self.open_button = QPushButton("&Open workspace…")
        self.open_button.setAccessibleName("Open a workspace")
        self.open_button.clicked.connect(self.open_requested)
        for button in (self.create_button, self.open_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Recent workspaces</b> (Enter opens)"))
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent workspaces")
        self.recent_list.itemActivated.connect(
            lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.recent_list)
        hint = QLabel("Tip: drop DOJ research files (.csv, .txt) on this window to import them.")
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_recent(self, paths: list[str]) -> None:
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            if not Path(path).exists():
                item.setForeground(Qt.GlobalColor.gray)
                item.setText(item.text() + "   (not found)")
            self.recent_list.addItem(item)
        if paths:
            self.recent_list.setCurrentRow(0)
