"""The main window's actions (with their shortcuts), its menus, which actions are enabled, and Help."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ... import APP_NAME
from .. import core_api
from ..message_bridge import show_info

PRESET_KEYS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "no_relief", "hand_review")


def _add_actions(menu: QMenu, *actions: QAction | None) -> None:
    """Add ``actions`` to ``menu`` in order; None adds a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


class MenusMixin:
    """For MainWindow: the slots are the other mixins' methods."""

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.new_action = a("&New workspace…", self.choose_new_workspace, "Ctrl+Shift+N")
        self.new_encrypted_action = a("New &encrypted workspace…", self.choose_new_encrypted_workspace)
        self.open_action = a("&Open workspace…", self.choose_workspace, QKeySequence.StandardKey.Open)
        self.close_action = a("&Close workspace", self.close_workspace)
        self.import_action = a("&Import DOJ files…", self.choose_import_files, "Ctrl+I")
        self.export_action = a("&Export packets…", self.open_export_dialog, "Ctrl+E")
        self.verify_action = a("&Verify packet…", self.choose_verify_folder)
        self.settings_action = a("Office &settings…", self.open_settings_dialog,
                                 tip="Office, attorney, court and courthouses: what fills the court documents")
        self.quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.evaluate_action = a("&Evaluate…", self.open_evaluate_dialog, "F5")
        self.policy_action = a("&Policy editor…", self.open_policy_editor)
        self.next_action = a("&Next open case", lambda: self._go_open(True), "Ctrl+N")
        self.prev_action = a("&Previous open case", lambda: self._go_open(False), "Ctrl+P")
        self.override_action = a("&Override…", lambda: self.override_current(), "F2")
        self.preset_actions = []
        from ...review.words import DETERMINATION_WORDS
        for number, code in enumerate(PRESET_KEYS, start=1):
            self.preset_actions.append(a(f"{DETERMINATION_WORDS[code]}…",
                                         lambda c=code: self.override_current(c), f"Ctrl+{number}",
                                         tip=f"Override as: {DETERMINATION_WORDS[code].lower()}"))
        self.withdraw_action = a("&Withdraw decision…", self.withdraw_current, "Ctrl+Shift+W")
        self.full_record_action = a("Open the person's &full record", self.open_full_record, "Ctrl+R")
        self.per_case_action = a("Per-case &motion and order…", self.choose_per_case_folder)
        self.find_action = a("&Find…", self._focus_search, QKeySequence.StandardKey.Find)
        self.reviewer_action = a("&Reviewer name…", self.edit_reviewer)
        self.about_action = a("&About", self.show_about)
        self.keys_action = a("&Keyboard shortcuts", self.show_shortcuts, "F1")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        _add_actions(file_menu, self.new_action, self.new_encrypted_action, self.open_action)
        self.recent_menu = file_menu.addMenu("&Recent workspaces")
        _add_actions(file_menu, self.close_action, None, self.import_action, self.export_action, self.verify_action,
                     None, self.settings_action, None, self.quit_action)
        _add_actions(bar.addMenu("&Run"), self.evaluate_action, self.policy_action)
        _add_actions(bar.addMenu("Re&view"), self.next_action, self.prev_action, self.find_action,
                     None, self.override_action, *self.preset_actions, self.withdraw_action,
                     None, self.full_record_action, self.per_case_action,
                     None, self.reviewer_action)
        _add_actions(bar.addMenu("&Help"), self.keys_action, self.about_action)

    def _update_actions(self) -> None:
        has_ws = self.ws is not None
        has_run = bool(self.review_view and self.review_view.current_run() is not None)
        for action in (self.close_action, self.import_action, self.evaluate_action, self.settings_action):
            action.setEnabled(has_ws)
        for action in (self.export_action, self.next_action, self.prev_action, self.override_action,
                       self.withdraw_action, self.find_action, self.full_record_action, *self.preset_actions):
            action.setEnabled(has_run)
        self.per_case_action.setEnabled(has_run and core_api.available("write_per_case_document"))

    # == help ======================================================================================
    def show_about(self) -> None:
        from ... import __version__
        show_info("About", f"{APP_NAME} {__version__}\nWorks offline. Nothing leaves this computer.", self)

    def show_shortcuts(self) -> None:
        """Every action that has a shortcut, in the order the actions are defined (made from the
        actions themselves, so the list cannot drift from what the keys do)."""
        rows = [(a.shortcut().toString(QKeySequence.SequenceFormat.NativeText), a.statusTip())
                for a in self.actions() if not a.shortcut().isEmpty()]
        width = max(len(keys) for keys, _ in rows)
        show_info("Keyboard shortcuts", "\n".join(f"{keys:<{width}}   {what}" for keys, what in rows), self)
