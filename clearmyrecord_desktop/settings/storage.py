"""Settings in the workspace ``setting`` table: one JSON row per section (``settings.office``,
``settings.courthouses`` …) plus ``settings.schema_version``; other keys belong to other parts of the app."""

from __future__ import annotations

import json
from typing import Any

from ..errors import SettingsError
from .codec import settings_from_dict, settings_to_dict
from .schema import Settings

KEY_PREFIX = "settings."


def load_settings(ws) -> Settings:
    """Read the office settings from the workspace (defaults when none are stored)."""
    rows = ws.query("SELECT key, value FROM setting WHERE key LIKE 'settings.%' ORDER BY key")
    if not rows:
        return Settings()
    data: dict[str, Any] = {}
    errors = []
    for key, raw in rows:
        section = key[len(KEY_PREFIX):]
        try:
            data[section] = json.loads(raw)
        except ValueError:
            errors.append(f"{section}: stored value is not valid JSON")
    if errors:
        raise SettingsError("The office settings have problems:\n" + "\n".join(f"- {e}" for e in errors))
    return settings_from_dict(data)


def save_settings(ws, s: Settings) -> None:
    """Validate and store the settings in one transaction (replacing all ``settings.*`` rows)."""
    data = settings_to_dict(s)
    settings_from_dict(json.loads(json.dumps(data)))  # validate exactly what will be stored
    with ws.write() as cur:
        cur.execute("DELETE FROM setting WHERE key LIKE 'settings.%'")
        for section, value in data.items():
            cur.execute("INSERT INTO setting (key, value) VALUES (?, ?)",
                        [KEY_PREFIX + section, json.dumps(value, ensure_ascii=False, sort_keys=True)])
