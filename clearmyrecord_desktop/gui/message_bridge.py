"""Show a known error, or a bug, from anywhere on the GUI thread without holding a widget."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..errors import KnownError
from . import crash


def _parent() -> QWidget | None:
    app = QApplication.instance()
    return app.activeWindow() if app is not None else None


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    """A known error becomes a titled message; anything else is a bug and opens the crash dialog."""
    if isinstance(exc, KnownError):
        box = QMessageBox(QMessageBox.Icon.Warning, exc.title, str(exc),
                          QMessageBox.StandardButton.Ok, parent or _parent())
        box.setAccessibleName(exc.title)
        box.exec()
        return
    show_crash(exc, parent)


def show_crash(exc: BaseException, parent: QWidget | None = None) -> None:
    from .dialogs.crash_dialog import CrashDialog
    report = crash.build_report(exc)
    path = crash.write_crash_file(report)
    CrashDialog(report, str(path) if path else None, parent or _parent()).exec()


def show_info(title: str, text: str, parent: QWidget | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent or _parent())
    box.exec()
