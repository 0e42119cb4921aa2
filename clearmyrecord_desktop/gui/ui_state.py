"""What the window remembers between sessions (QSettings in the user config folder).

Geometry, splitter and column state, recent workspaces, last folders, the reviewer's name and
initials. Office settings and records are not kept here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..paths import user_dir

MAX_RECENT = 8


class UiState:
    def __init__(self, path: str | Path | None = None):
        path = Path(path) if path else user_dir("config") / "ui_state.ini"
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    # -- generic ------------------------------------------------------------------------------
    def value(self, key: str, default=None):
        return self._settings.value(key, default)

    def set_value(self, key: str, value) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()

    # -- window -------------------------------------------------------------------------------
    def geometry(self, name: str) -> QByteArray | None:
        value = self._settings.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, data: QByteArray) -> None:
        self._settings.setValue(f"window/{name}", data)

    # -- recent workspaces and folders ----------------------------------------------------------
    def recent_workspaces(self) -> list[str]:
        value = self._settings.value("recent/workspaces", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]

    def add_recent_workspace(self, path: str | Path) -> None:
        path = str(Path(path))
        items = [p for p in self.recent_workspaces() if p != path]
        self._settings.setValue("recent/workspaces", [path, *items][:MAX_RECENT])

    def remove_recent_workspace(self, path: str | Path) -> None:
        items = [p for p in self.recent_workspaces() if p != str(Path(path))]
        self._settings.setValue("recent/workspaces", items)

    def last_folder(self, kind: str) -> str:
        value = self._settings.value(f"folders/{kind}", "")
        if value and Path(value).is_dir():
            return str(value)
        return str(Path.home())

    def set_last_folder(self, kind: str, path: str | Path) -> None:
        path = Path(path)
        self._settings.setValue(f"folders/{kind}", str(path if path.is_dir() else path.parent))

    # -- reviewer -----------------------------------------------------------------------------
    @property
    def reviewer_name(self) -> str:
        return str(self._settings.value("reviewer/name", "") or "")

    @reviewer_name.setter
    def reviewer_name(self, value: str) -> None:
        self._settings.setValue("reviewer/name", value.strip())

    @property
    def reviewer_initials(self) -> str:
        value = str(self._settings.value("reviewer/initials", "") or "")
        if value:
            return value
        return "".join(part[0] for part in self.reviewer_name.split() if part).upper()

    @reviewer_initials.setter
    def reviewer_initials(self, value: str) -> None:
        self._settings.setValue("reviewer/initials", value.strip())
