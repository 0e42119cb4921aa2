"""The one place that finds resources/, templates/ and the user's folders (source tree or frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_BASEDIR_OVERRIDE: Path | None = None


def set_basedir(path: str | os.PathLike | None) -> None:
    """Use ``path`` for all user folders (config, data, logs) instead of the OS defaults."""
    global _BASEDIR_OVERRIDE
    _BASEDIR_OVERRIDE = Path(path) if path else None


def install_root() -> Path:
    """Folder holding resources/ and templates/ (the repo root, or the PyInstaller bundle)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def package_dir() -> Path:
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    return install_root() / "resources"


def templates_dir() -> Path:
    return install_root() / "templates"


def sample_extract() -> Path:
    return resources_dir() / "sample" / "sample_doj_extract.csv"


def _user_base() -> Path:
    if _BASEDIR_OVERRIDE is not None:
        return _BASEDIR_OVERRIDE
    env = os.environ.get("CLEARMYRECORD_HOME")
    if env:
        return Path(env)
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / "ClearMyRecord"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "clearmyrecord"


def user_dir(kind: str) -> Path:
    """``kind`` is one of config, data, logs, spill (DuckDB's overflow files), staging (exports
    being built), templates. Created on demand."""
    if kind not in {"config", "data", "logs", "spill", "staging", "templates"}:
        raise ValueError(kind)
    path = _user_base() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path
