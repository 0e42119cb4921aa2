"""Office settings that fill the court documents (motion-packets.md section 7).

Settings are typed dataclasses declared once, with help text in the field metadata (the settings
dialog and the reference page are generated from it). They are stored in the workspace ``setting``
table as JSON, one row per section (``settings.office``, ``settings.courthouses`` …) plus
``settings.schema_version``. Rows whose key does not start with ``settings.`` belong to other parts of
the app and are ignored here.

Loading is strict: unknown keys, wrong types and invalid choices are errors, and all of them are
collected and reported together in one :class:`SettingsError`.

- ``schema``: the dataclasses, their field metadata, :class:`MissingSetting`.
- ``codec``: to and from plain data and JSON, validation, schema version, the document-settings hash.
- ``storage``: :func:`load_settings` and :func:`save_settings` (the workspace ``setting`` table).
- ``courthouses``: :func:`match_courthouse` and draft entries for a run's courts.
- ``required``: :func:`required_missing` (export gates 3 and 4).
- ``demo``: :func:`demo_settings`.
"""

from .codec import (SCHEMA_VERSION, document_settings_sha256, settings_from_dict, settings_from_json,
                    settings_to_dict, settings_to_json, to_dict)
from .courthouses import draft_courthouse_entries, match_courthouse
from .demo import demo_settings
from .required import required_missing
from .schema import (DEFAULT_CONFIDENTIAL_TEXT, NON_DOCUMENT_SECTIONS, AgencySettings, AttorneySettings,
                     CountySettings, CourtDataSettings, CourthouseSettings, CourtSettings, LibreOfficeSettings,
                     MarkingSettings, MissingSetting, OfficeSettings, OrderSettings, OutputSettings, PacketSettings,
                     PolicySettings, PublicDefenderSettings, ServiceSettings, Settings, SignatureSettings,
                     SummarySettings)
from .storage import KEY_PREFIX, load_settings, save_settings

__all__ = [
    "DEFAULT_CONFIDENTIAL_TEXT", "KEY_PREFIX", "NON_DOCUMENT_SECTIONS", "SCHEMA_VERSION", "AgencySettings",
    "AttorneySettings", "CountySettings", "CourtDataSettings", "CourtSettings", "CourthouseSettings",
    "LibreOfficeSettings", "MarkingSettings", "MissingSetting", "OfficeSettings", "OrderSettings", "OutputSettings",
    "PacketSettings", "PolicySettings", "PublicDefenderSettings", "ServiceSettings", "Settings", "SignatureSettings",
    "SummarySettings", "demo_settings", "document_settings_sha256", "draft_courthouse_entries", "load_settings",
    "match_courthouse", "required_missing", "save_settings", "settings_from_dict", "settings_from_json",
    "settings_to_dict", "settings_to_json", "to_dict",
]
