"""The single bridge between plain-Python jobs and the GUI thread.

A job is any callable ``job(progress, cancel) -> result``. :class:`Runner` wraps it in a
``QRunnable`` and starts it on a ``QThreadPool``: the general pool for reads, a one-thread pool for
write jobs (so writes queue instead of blocking readers). Progress is throttled to about ten updates
a second and, like the result, is delivered on the GUI thread through the signals of an emitter that
was created on the GUI thread. Workers never touch widgets.

Cancel sets the job's :class:`CancelToken`; jobs register ``cursor.interrupt`` on it so a long
DuckDB query stops at once.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import Cancelled
from ..jobs.progress import CancelToken

log = logging.getLogger("cmr.gui")

Job = Callable[[Any, CancelToken], Any]
PROGRESS_INTERVAL_S = 0.1


class _Emitter(QObject):
    """Lives on the GUI thread; its signals are emitted from workers (queued to the GUI thread)."""

    progressed = Signal(int, float, float, str)
    finished = Signal(int, object, object)


class _ThrottledProgress:
    """The Progress handed to a job: forwards at most one update per interval (always the last)."""

    def __init__(self, emitter: _Emitter, job_id: int):
        self._emitter, self._job_id = emitter, job_id
        self._last = 0.0

    def update(self, done: float, total: float, message: str = "") -> None:
        now = time.monotonic()
        final = total and done >= total
        if final or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._emitter.progressed.emit(self._job_id, float(done), float(total or 0), message)


@dataclass
class JobOutcome:
    """What ``on_done`` receives: exactly one of ``result``/``error`` matters; ``cancelled`` is set
    when the job stopped because Cancel was pressed."""

    result: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    traceback_text: str = ""


@dataclass
class JobHandle:
    job_id: int
    title: str
    cancel_token: CancelToken = field(default_factory=CancelToken)
    done: bool = False

    def cancel(self) -> None:
        self.cancel_token.cancel()


class _Task(QRunnable):
    def __init__(self, job: Job, handle: JobHandle, emitter: _Emitter):
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._handle, self._emitter = job, handle, emitter

    def run(self) -> None:  # Qt override; runs on a worker thread
        progress = _ThrottledProgress(self._emitter, self._handle.job_id)
        outcome = JobOutcome()
        try:
            outcome.result = self._job(progress, self._handle.cancel_token)
        except Cancelled as exc:
            outcome.error, outcome.cancelled = exc, True
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, shown there
            outcome.error = exc
            outcome.traceback_text = traceback.format_exc()
        self._emitter.finished.emit(self._handle.job_id, outcome, None)


class Runner(QObject):
    """Create on the GUI thread. ``start`` returns a handle; callbacks run on the GUI thread."""

    job_started = Signal(object)         # JobHandle
    job_progressed = Signal(object, float, float, str)
    job_finished = Signal(object, object)  # JobHandle, JobOutcome

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("Runner must be created on the GUI thread")
        self._emitter = _Emitter(self)
        self._emitter.progressed.connect(self._on_progressed)
        self._emitter.finished.connect(self._on_finished)
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[JobHandle, Callable | None, Callable | None]] = {}

    def start(self, title: str, job: Job, *, write: bool = False,
              on_done: Callable[[JobOutcome], None] | None = None,
              on_progress: Callable[[float, float, str], None] | None = None) -> JobHandle:
        handle = JobHandle(next(self._ids), title)
        self._jobs[handle.job_id] = (handle, on_done, on_progress)
        (self._write_pool if write else self._read_pool).start(_Task(job, handle, self._emitter))
        self.job_started.emit(handle)
        return handle

    def running(self) -> list[JobHandle]:
        return [entry[0] for entry in self._jobs.values()]

    def cancel_all(self) -> None:
        for handle in self.running():
            handle.cancel()

    def wait_all(self, timeout_ms: int = 30000) -> bool:
        ok_read = self._read_pool.waitForDone(timeout_ms)
        ok_write = self._write_pool.waitForDone(timeout_ms)
        return ok_read and ok_write

    def _on_progressed(self, job_id: int, done: float, total: float, message: str) -> None:
        entry = self._jobs.get(job_id)
        if entry is None:
            return
        handle, _, on_progress = entry
        if on_progress is not None:
            on_progress(done, total, message)
        self.job_progressed.emit(handle, done, total, message)

    def _on_finished(self, job_id: int, outcome: JobOutcome, _unused: object) -> None:
        entry = self._jobs.pop(job_id, None)
        if entry is None:
            return
        handle, on_done, _ = entry
        handle.done = True
        if outcome.error is not None and not outcome.cancelled:
            log.info("job %s failed: %s", handle.title, type(outcome.error).__name__)
        try:
            if on_done is not None:
                on_done(outcome)
        finally:
            self.job_finished.emit(handle, outcome)
