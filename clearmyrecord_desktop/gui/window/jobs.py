"""Work off the GUI thread for the main window: one way to start a job (status-bar progress with
Cancel, the result or the error back on the GUI thread), the core features looked up when needed,
and the audit-log rows the GUI adds when the core did not."""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QEventLoop

from ...review import audit
from .. import core_api
from ..message_bridge import show_error
from ..runner import Job, JobHandle, JobOutcome


class JobsMixin:
    """For MainWindow: uses ``runner``, ``ws``, ``ui``, ``_visible_jobs`` and the status bar's
    ``job_label``, ``progress_bar`` and ``cancel_button``."""

    def _start_job(self, title: str, job: Job, on_result: Callable[[Any], None], *, write: bool = False,
                   visible: bool = True, on_failed: Callable[[], None] | None = None) -> JobHandle:
        """Run ``job(progress, cancel)`` on a worker (``write``: on the one write thread).

        ``on_result(result)`` runs on the GUI thread when the job succeeded. A failure is shown (a
        cancel becomes a status message) and then ``on_failed()`` runs. A ``visible`` job shows its
        title, progress and the Cancel button in the status bar while it runs."""
        def done(outcome: JobOutcome) -> None:
            if outcome.error is not None:
                self._on_job_error(outcome)
                if on_failed is not None:
                    on_failed()
                return
            on_result(outcome.result)

        handle = self.runner.start(title, job, write=write, on_done=done)
        if visible:
            self._visible_jobs[handle.job_id] = handle
            self.job_label.setText(f"{title}…")
            self.progress_bar.setRange(0, 0)
            self._show_progress(True)
        return handle

    def _core_feature(self, name: str):
        """The core function ``name`` (gui/core_api.py), or None after telling the user this build lacks it."""
        try:
            return core_api.get(name)
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return None

    def _reviewer_job(self, name: str, *args, **kwargs) -> Job | None:
        """The job that runs core function ``name`` on the open workspace with ``args``, the job's progress
        and cancel, and the reviewer as ``actor`` when the function takes one (so the audit log names
        them); None after telling the user this build lacks the function."""
        func = self._core_feature(name)
        if func is None:
            return None
        ws = self.ws
        who = core_api.actor_kwargs(func, self.ui.reviewer_name)
        return lambda progress, cancel: func(ws, *args, progress=progress, cancel=cancel, **kwargs, **who)

    def _show_progress(self, visible: bool) -> None:
        for widget in (self.job_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)

    def _on_job_progress(self, handle, done: float, total: float, message: str) -> None:
        if handle.job_id not in self._visible_jobs:
            return
        if total > 0:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * min(done / total, 1.0)))
        if message:
            self.job_label.setText(message)

    def _on_job_finished(self, handle, _outcome) -> None:
        self._visible_jobs.pop(handle.job_id, None)
        if not self._visible_jobs:
            self._show_progress(False)

    def cancel_visible_jobs(self) -> None:
        for handle in list(self._visible_jobs.values()):
            handle.cancel()
        self.job_label.setText("Cancelling…")

    def _on_job_error(self, outcome: JobOutcome) -> None:
        if outcome.cancelled:
            self.statusBar().showMessage("Cancelled. Nothing was changed.", 8000)
            return
        show_error(outcome.error, self)

    def _audit_count(self, action: str) -> int:
        return self.ws.query("SELECT count(*) FROM audit_log WHERE action = ?", [action])[0][0]

    def _ensure_logged(self, action: str, before: int, **fields) -> None:
        """Log ``action`` unless the core already did during the job (``before``: the number of
        such rows there were before, plus the ones this job has already made sure of)."""
        if self._audit_count(action) == before:
            audit.append(self.ws, self.ui.reviewer_name or "unknown", action, **fields)

    def wait_until_idle(self, timeout_s: float = 30.0) -> bool:
        """Process events until no job runs (used by the screenshot mode and tests)."""
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        while time.monotonic() < deadline:
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if not self.runner.running():
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                if not self.runner.running():
                    return True
            time.sleep(0.01)
        return False
