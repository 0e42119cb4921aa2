"""Logging setup. Loggers are named ``cmr.*``; messages carry counts, codes, files and timings —
never names, dates of birth, CII or case numbers (architecture.md 1.4)."""

from __future__ import annotations

import logging
import logging.handlers

from . import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False


def setup(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    root = logging.getLogger("cmr")
    root.setLevel(level)
    try:
        handler = logging.handlers.RotatingFileHandler(
            paths.user_dir("logs") / "clearmyrecord.log", maxBytes=2_000_000, backupCount=3,
            encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    except OSError:
        pass
    _configured = True
