"""Opening an encrypted workspace in the window asks for the passphrase (and again after a wrong one)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_passphrase_prompt(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from clearmyrecord_desktop.gui.main_window import MainWindow
    from clearmyrecord_desktop.store.database import open_workspace

    path = tmp_path / "secret.duckdb"
    open_workspace(path, passphrase="correct horse battery").close()
    answers = iter([("wrong passphrase", True), ("correct horse battery", True)])
    asked = []

    def fake_get_text(parent, title, label, mode):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_workspace(path) is True
    assert len(asked) == 2 and "wrong" in asked[1].lower()
    window.close_workspace()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("", False)))
    assert window.open_workspace(path) is False


def test_create_encrypted_workspace(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from clearmyrecord_desktop.gui.main_window import MainWindow

    path = tmp_path / "new_secret.duckdb"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    answers = iter([("s3cret passphrase", True), ("s3cret passphrase", True), ("s3cret passphrase", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: next(answers)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.choose_new_encrypted_workspace()
    assert window.ws is not None and window.ws.encrypted
    window.close_workspace()
