"""Settings to and from plain data: strict loading (unknown keys, wrong types and invalid choices are all
collected into one :class:`SettingsError`), validation, schema versions, JSON files and the hash of the
settings that change anything on paper."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import typing
from typing import Any

from ..errors import SettingsError
from .schema import NON_DOCUMENT_SECTIONS, Settings

SCHEMA_VERSION = 1

_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,10}$")          # courthouse codes
_AGENCY_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,8}$")     # keeps packet ids and paths short (FAT32)
_COUNTY_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")


def to_dict(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_dict(v) for v in obj]
    return obj


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list of text lines"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {str: "text", bool: "true or false", int: "a whole number"}.get(tp, str(tp))


def _convert(tp: Any, value: Any, key: str, errors: list[str]) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            errors.append(f"{key}: expected a table, got {type(value).__name__}")
            return tp()
        return _from_dict(tp, value, key, errors)
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            errors.append(f"{key}: expected {_type_name(tp)}")
            return []
        return [_convert(item_tp, v, f"{key}[{i}]", errors) for i, v in enumerate(value)]
    if origin is dict:
        _, val_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            errors.append(f"{key}: expected a table")
            return {}
        return {str(k): _convert(val_tp, v, f"{key}.{k}", errors) for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            errors.append(f"{key}: expected true or false")
            return False
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{key}: expected a whole number")
            return 0
        return value
    if tp is str:
        if not isinstance(value, str):
            errors.append(f"{key}: expected text")
            return ""
        return value
    raise TypeError(tp)  # pragma: no cover - schema bug


def _from_dict(cls: type, data: dict, prefix: str, errors: list[str]) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key in data:
        if key not in names:
            errors.append(f"{prefix + '.' if prefix else ''}{key}: unknown setting")
    for name, f in names.items():
        if name not in data:
            continue
        full = f"{prefix}.{name}" if prefix else name
        value = _convert(hints[name], data[name], full, errors)
        choices = f.metadata.get("choices") or ()
        if choices and value not in choices:
            errors.append(f"{full}: must be one of {', '.join(map(repr, choices))}")
            continue
        kwargs[name] = value
    return cls(**kwargs)


def _validate(s: Settings, errors: list[str]) -> None:
    if s.county.code and not _COUNTY_CODE_RE.match(s.county.code):
        errors.append("county.code: use 1-8 letters or digits")
    for code in s.courthouses:
        if not _CODE_RE.match(code):
            errors.append(f"courthouses.{code}: a courthouse code uses 1-10 letters, digits or _")
    for i, a in enumerate(s.agencies):
        if a.role == "filing":
            if not _AGENCY_CODE_RE.match(a.code or ""):
                errors.append(f"agencies[{i}].code: a filing agency needs a code of 1-8 letters, digits or _")
            if a.code.upper() in {"A", "B", "C", "CH"}:
                errors.append(f"agencies[{i}].code: {a.code} is reserved")
    if s.summary.suppress_below < 0:
        errors.append("summary.suppress_below: must be 0 or more")


def settings_from_dict(data: dict) -> Settings:
    """Strictly build settings from a plain dict (all problems reported together)."""
    errors: list[str] = []
    data = dict(data)
    version = data.pop("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise SettingsError(
                f"These settings were written by a newer version (settings schema {version}); "
                f"this version reads schema {SCHEMA_VERSION}."
            )
        data = _upgrade(version, data, errors)
    s = _from_dict(Settings, data, "", errors)
    _validate(s, errors)
    if errors:
        raise SettingsError("The office settings have problems:\n" + "\n".join(f"- {e}" for e in errors))
    return s


def settings_to_dict(s: Settings) -> dict:
    return {"schema_version": SCHEMA_VERSION, **to_dict(s)}


def _upgrade(version: Any, data: dict, errors: list[str]) -> dict:
    """Version-tagged upgrade steps go here (none yet: schema 1 is the first)."""
    errors.append(f"schema_version: unknown settings schema {version!r}")
    return data


def settings_to_json(s: Settings) -> str:
    """Settings as a file, to set up several machines alike."""
    return json.dumps(settings_to_dict(s), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def settings_from_json(text: str) -> Settings:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SettingsError(f"The settings file is not valid JSON (line {getattr(exc, 'lineno', '?')}).") from None
    if not isinstance(data, dict):
        raise SettingsError("The settings file must contain a JSON object.")
    return settings_from_dict(data)


def document_settings_sha256(s: Settings) -> str:
    """SHA-256 of the settings that change anything on paper (part of every packet id)."""
    data = to_dict(s)
    for name in NON_DOCUMENT_SECTIONS:
        data.pop(name, None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
