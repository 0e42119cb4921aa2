"""Export motion packets for a run: draft or final, what to write, and the gates a final export needs."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QVBoxLayout, QWidget)

from .. import core_api

WHAT = (("all", "Packets and summary report"), ("packets", "Motion packets only (one per courthouse)"),
        ("report", "Summary report only"))
FIX_WORDS = {"rerun": "Re-evaluate (Run ▸ Evaluate)", "review": "Work the open cases (Review ▸ Next open case)",
             "settings": "Fill in the office settings (File ▸ Office settings)",
             "templates": "Fix the document templates", "data": "Check the rows listed"}
SETTINGS_LINK = "settings"

Gate = tuple[bool, str, "str | None", list]   # (passed, text, fix code of a failed gate, items)
MAX_ITEMS_SHOWN = 3


def document_gates(ws, run_id: int, kind: str) -> list[Gate]:
    """Every gate of motion-packets.md §5, as the export itself checks them."""
    from ...documents.gates import check_gates
    from ...documents.packet import packet_template_ids, plan_export
    from ...documents.templates import TemplateRegistry
    from ...settings import load_settings
    s = load_settings(ws)
    plan = plan_export(ws, run_id, s, kind=kind)
    template_ids = sorted({t for p in plan.packets for t in packet_template_ids(p)} | {"summary_report"})
    report = check_gates(ws, plan, s, TemplateRegistry(), kind=kind, template_ids=template_ids)
    if report.ok:
        return [(True, f"All gates pass for a {kind} export.", None, [])]
    return [(False, f"Gate {f.gate}: {f.message}", f.fix, list(f.items)) for f in report.failures]


def basic_gates(ws, run_id: int) -> list[Gate]:
    """The gates the GUI can check itself (motion-packets.md §5, gates 1–2)."""
    latest = ws.query("SELECT max(run_id) FROM eval_run")[0][0]
    created = ws.query("SELECT created_at FROM eval_run WHERE run_id = ?", [run_id])[0][0]
    newer_import = ws.query("SELECT count(*) FROM import_batch WHERE imported_at > ?", [created])[0][0]
    newer_review = ws.query("SELECT count(*) FROM review_decision WHERE decided_at > ? AND run_id <> ?",
                            [created, run_id])[0][0]
    open_n = ws.query("SELECT count(*) FROM count_final WHERE run_id = ? AND final_determination = "
                      "'hand_review' AND COALESCE(review_route, '') = ''", [run_id])[0][0]
    current = latest == run_id and not newer_import and not newer_review
    return [
        (current, "The run is current (nothing imported, re-evaluated or reviewed in another run since)"
         if current else "The run is not current: re-evaluate, or export a draft", None if current else "rerun", []),
        (open_n == 0, "No open counts" if open_n == 0 else f"{open_n:,} counts still need a hand review",
         None if open_n == 0 else "review", []),
    ]


class ExportDialog(QDialog):
    settings_requested = Signal()          # the user followed the link to the office settings

    def __init__(self, ws, run_id: int, ui_state, runner=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export motion packets")
        self.setAccessibleName("Export motion packets")
        self._ws, self._run_id, self._ui = ws, run_id, ui_state
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>Run {run_id}</b>"))
        kinds = QHBoxLayout()
        self.draft_radio = QRadioButton("&Draft (marked DRAFT — NOT FOR FILING; open counts left out)")
        self.final_radio = QRadioButton("&Final (for filing)")
        self.kind_group = QButtonGroup(self)            # two separate choices: kind, and what to write
        for radio in (self.draft_radio, self.final_radio):
            self.kind_group.addButton(radio)
            kinds.addWidget(radio)
        kinds.addStretch(1)
        layout.addLayout(kinds)
        layout.addWidget(QLabel("<b>What to write</b>"))
        self.what_group = QButtonGroup(self)
        self.what_radios: dict[str, QRadioButton] = {}
        for key, text in WHAT:
            radio = QRadioButton(text)
            radio.setAccessibleName(text)
            self.what_group.addButton(radio)
            self.what_radios[key] = radio
            layout.addWidget(radio)
        self.what_radios["all"].setChecked(True)
        form = QFormLayout()
        self.folder_edit = QLineEdit(ui_state.last_folder("export"))
        self.folder_edit.setAccessibleName("Export folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        form.addRow("Folder (e.g. the USB drive):", row)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Before a final export</b>"))
        self.gates_label = QLabel()
        self.gates_label.setWordWrap(True)
        self.gates_label.setAccessibleName("Export gates")
        self.gates_label.setTextFormat(Qt.TextFormat.RichText)
        self.gates_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.gates_label.linkActivated.connect(self._link)
        layout.addWidget(self.gates_label)
        self.settings_button = QPushButton("Open &office settings…")
        self.settings_button.setAccessibleName("Open the office settings to fill in what is missing")
        self.settings_button.clicked.connect(self.settings_requested)
        self.settings_button.setVisible(False)
        fix_row = QHBoxLayout()
        fix_row.addWidget(self.settings_button)
        fix_row.addStretch(1)
        layout.addLayout(fix_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.draft_radio.setChecked(True)
        self.final_radio.setEnabled(False)
        self.gates: list[Gate] = []
        self._runner = runner
        self.recheck()

    def recheck(self) -> None:
        """Check the gates again (after the office settings were saved, for instance)."""
        ws, run_id = self._ws, self._run_id
        self.gates_label.setText("Checking the gates…")
        if not core_api.available("export_all"):
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            self._show_gates(basic_gates(ws, run_id), note="Packet export is not available in this build.")
            return
        if self._runner is None:
            self._show_gates(self._gates())
        else:
            self._runner.start("Checking the export gates", lambda p, c: self._gates(),
                               on_done=lambda o: self._show_gates(o.result if o.error is None
                                                                  else basic_gates(ws, run_id)))

    def _link(self, target: str) -> None:
        if target == SETTINGS_LINK:
            self.settings_requested.emit()

    def _show_gates(self, gates: list[Gate], note: str = "") -> None:
        self.gates = gates
        passed = all(gate[0] for gate in gates)
        self.final_radio.setEnabled(passed)
        if passed:
            self.final_radio.setChecked(True)
        lines = []
        for ok, t, fix, items in gates:
            line = f"<span style='color:{'#11612c' if ok else '#8f1d1d'}'>{'✔' if ok else '✘'}</span> {escape(t)}"
            for item in items[:MAX_ITEMS_SHOWN]:
                line += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;· {escape(item)}"
            if len(items) > MAX_ITEMS_SHOWN:
                line += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;… and {len(items) - MAX_ITEMS_SHOWN} more"
            if not ok and fix == SETTINGS_LINK:
                line += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;→ <a href='{SETTINGS_LINK}'>Open Office settings…</a>"
            elif not ok and fix in FIX_WORDS:
                line += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;→ {escape(FIX_WORDS[fix])}"
            lines.append(line)
        self.settings_button.setVisible(any(not gate[0] and gate[2] == SETTINGS_LINK for gate in gates))
        text = "<br>".join(lines)
        if not passed:
            text += "<br><i>A draft can still be exported: it is marked DRAFT — NOT FOR FILING.</i>"
        if note:
            text += f"<br><i>{escape(note)}</i>"
        self.gates_label.setText(text)
        self.adjustSize()

    def _gates(self) -> list[Gate]:
        try:
            return document_gates(self._ws, self._run_id, "final")
        except ImportError:
            return basic_gates(self._ws, self._run_id)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the export folder", self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)

    def values(self) -> dict:
        self._ui.set_last_folder("export", self.folder_edit.text())
        return {"out_dir": self.folder_edit.text().strip(),
                "kind": "final" if self.final_radio.isChecked() else "draft",
                "what": next(k for k, r in self.what_radios.items() if r.isChecked())}
