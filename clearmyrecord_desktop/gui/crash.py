"""Crash reports: a text file in the user log folder, with no personal data.

The report holds the traceback's frames (file, line, function, source line), the exception's class
with its message **redacted** (database errors can quote record values), versions and the log tail
when the application keeps one. Never local variables.
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..errors import KnownError
from ..paths import user_dir


def redacted_traceback(exc: BaseException) -> str:
    frames = traceback.format_tb(exc.__traceback__)
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    message = str(exc) if isinstance(exc, KnownError) else "(message not shown: it may quote record data)"
    return "Traceback (most recent call last):\n" + "".join(frames) + f"{kind}: {message}\n"


def versions() -> str:
    parts = [f"ClearMyRecord Desktop {__version__}", f"Python {platform.python_version()}",
             f"{platform.system()} {platform.release()}"]
    try:
        import PySide6
        from PySide6.QtCore import qVersion
        parts.append(f"PySide6 {PySide6.__version__} (Qt {qVersion()})")
    except ImportError:
        pass
    try:
        import duckdb
        parts.append(f"DuckDB {duckdb.__version__}")
    except ImportError:
        pass
    return "\n".join(parts)


def log_tail() -> str:
    try:
        from .. import log as app_log  # ring buffer, when the build has one
    except ImportError:
        return "(no in-app log in this build)"
    tail = getattr(app_log, "tail", None)
    try:
        return "\n".join(tail(50)) if callable(tail) else "(no in-app log in this build)"
    except Exception:  # noqa: BLE001 - a broken log must not hide the crash
        return "(the in-app log could not be read)"


def build_report(exc: BaseException) -> str:
    return (f"{versions()}\nTime: {datetime.now().isoformat(timespec='seconds')}\n\n"
            f"{redacted_traceback(exc)}\nLog tail:\n{log_tail()}\n")


def write_crash_file(report: str) -> Path | None:
    try:
        folder = user_dir("logs")
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        path.write_text(report, encoding="utf-8")
        return path
    except OSError:
        print(report, file=sys.stderr)
        return None
