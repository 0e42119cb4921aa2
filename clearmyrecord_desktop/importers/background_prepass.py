"""The prepass (``line_scan.prepass``: SHA-256 and UTF-8 check) in a thread, beside pass 1.

On its own the prepass is a read of the whole file on one processor while the other stands idle
(half a second for a 1M-row file). Run beside pass 1 it costs almost nothing: hashlib works
without the interpreter lock, so the hash goes on while pass 1 scans. Pass 1 meanwhile assumes
UTF-8 (nearly every file); a file that turns out not to be UTF-8 is scanned again as ISO-8859-1.
The duplicate check waits for the hash; it still comes before anything is stored.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .line_scan import Prepass, prepass


class _Stopped(Exception):
    """The prepass was told to stop (pass 1 failed or was cancelled)."""


class BackgroundPrepass:
    """``prepass(path)`` running in a daemon thread from construction on."""

    def __init__(self, path: Path):
        self._path = path
        self._stop = threading.Event()
        self._result: Prepass | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cmr-prepass", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = prepass(self._path, self._check_stop)
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asks for the result
            self._error = exc

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise _Stopped

    def result(self, check_cancel=None) -> Prepass:
        """Wait for the prepass; re-raises its error (e.g. an OSError reading the file). Cancel
        stays possible while waiting."""
        while self._thread.is_alive():
            if check_cancel:
                try:
                    check_cancel()
                except BaseException:
                    self.stop()
                    raise
            self._thread.join(0.1)
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise RuntimeError("the prepass was stopped before it finished")
        return self._result

    def stop(self) -> None:
        """Stop the prepass (if it still runs) and wait for its thread."""
        self._stop.set()
        self._thread.join()
