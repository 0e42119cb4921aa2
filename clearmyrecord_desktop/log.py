"""Logging setup. Loggers are named ``cmr.*``; messages carry counts, codes, files and timings —
never names, dates of birth, CII or case numbers (architecture.md 1.4)."""

from __future__ import annotations

import collections
import logging
import logging.handlers
import threading

from . import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False
RING_SIZE = 500
MAX_LINE = 2000


class RingBufferHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted lines in memory for the crash dialog (like qutebrowser's RAM
    handler). The lines are the ``cmr.*`` log lines, which carry no record data."""

    def __init__(self, capacity: int = RING_SIZE):
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._guard = threading.Lock()
        self.setFormatter(logging.Formatter(_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - a bad log call must not break the caller
            return
        with self._guard:
            self._lines.append(line[:MAX_LINE])

    def tail(self, n: int) -> list[str]:
        with self._guard:
            lines = list(self._lines)
        return lines[-n:] if n > 0 else []


_ring = RingBufferHandler()


def tail(n: int = 50) -> list[str]:
    """The last ``n`` log lines kept in memory (oldest first); empty before :func:`setup`."""
    return _ring.tail(n)


def setup(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    root = logging.getLogger("cmr")
    root.setLevel(level)
    root.addHandler(_ring)
    try:
        handler = logging.handlers.RotatingFileHandler(
            paths.user_dir("logs") / "clearmyrecord.log", maxBytes=2_000_000, backupCount=3,
            encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    except OSError:
        pass
    _configured = True
