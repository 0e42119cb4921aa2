"""Progress reporting and cancellation shared by every job (core code; no Qt).

A job calls ``progress.update(done, total, message)`` between batches and ``cancel.check()`` at safe
points; ``check`` raises :class:`Cancelled`. The GUI runner passes a throttled bridge, the CLI a
console printer, tests a recording fake.
"""

from __future__ import annotations

import threading
from typing import Callable, Protocol

from ..errors import Cancelled


class Progress(Protocol):
    def update(self, done: float, total: float, message: str = "") -> None: ...


class NullProgress:
    def update(self, done: float, total: float, message: str = "") -> None:
        pass


class RecordingProgress:
    """Keeps every update (for tests)."""

    def __init__(self) -> None:
        self.updates: list[tuple[float, float, str]] = []

    def update(self, done: float, total: float, message: str = "") -> None:
        self.updates.append((done, total, message))


class CancelToken:
    """Set from any thread; checked by the job. Interrupt hooks (e.g. a DuckDB cursor's
    ``interrupt``) run when cancel is requested so a long query stops at once."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._hooks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            hooks = list(self._hooks)
        for hook in hooks:
            try:
                hook()
            except Exception:  # noqa: BLE001 - a failing interrupt must not stop cancellation
                pass

    def add_interrupt(self, hook: Callable[[], None]) -> None:
        with self._lock:
            self._hooks.append(hook)

    def remove_interrupt(self, hook: Callable[[], None]) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
