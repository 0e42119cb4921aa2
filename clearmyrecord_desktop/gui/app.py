"""Start the GUI: the QApplication, the exception hook (crash dialog on the GUI thread only) and
``run_gui`` (also the screenshot mode used by ``clearmyrecord gui --screenshot``)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..errors import KnownError
from . import crash

_hook_bridge = None


class _HookBridge(QObject):
    """Made on the GUI thread; exceptions from other threads are queued to it."""

    raised = Signal(object)

    def __init__(self):
        super().__init__()
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._showing = False

    def _show(self, exc: BaseException) -> None:
        from .message_bridge import show_error
        if self._showing:
            return
        self._showing = True
        try:
            show_error(exc)
        finally:
            self._showing = False


def _excepthook(exc_type, exc, tb) -> None:
    if exc is None:
        exc = exc_type()
    if exc.__traceback__ is None:
        exc.__traceback__ = tb
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if _hook_bridge is not None:
        _hook_bridge.raised.emit(exc)   # the dialog (and the crash file) on the GUI thread
        return
    if not isinstance(exc, KnownError):
        crash.write_crash_file(crash.build_report(exc))
    sys.__excepthook__(exc_type, exc, tb)


def _thread_hook(args) -> None:
    _excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def install_exception_hook() -> None:
    global _hook_bridge
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("install the exception hook on the GUI thread")
    _hook_bridge = _HookBridge()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("ClearMyRecord")
    app.setApplicationVersion(__version__)
    return app


def run_gui(workspace: str | Path | None = None, screenshot: str | Path | None = None,
            size: tuple[int, int] = (1366, 768)) -> int:
    """Open the main window (optionally with a workspace). With ``screenshot`` the window shows the
    review table of the latest run, is saved to that PNG and the function returns without waiting
    for the user."""
    app = create_app()
    from .main_window import MainWindow
    window = MainWindow()
    if screenshot is None:
        install_exception_hook()
    if workspace:
        window.open_workspace(workspace, create=False)
    if screenshot is not None:
        window.resize(*size)
        window.show()
        window.wait_until_idle()
        if window.review_view is not None and window.review_view.model.rowCount():
            window.review_view.select_row(0)
            window.wait_until_idle()
        ok = window.grab().save(str(screenshot))
        window.close()
        return 0 if ok else 1
    window.show()
    return app.exec()


def main() -> int:
    """``python -m clearmyrecord_desktop.gui.app [workspace]``"""
    args = sys.argv[1:]
    return run_gui(args[0] if args else None)


if __name__ == "__main__":
    sys.exit(main())
