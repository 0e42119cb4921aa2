"""The rule catalog (eligibility.md §3.5): one TOML file per rule id in ``rules/catalog/``.

Each file ``<id>.toml`` holds exactly the keys ``id``, ``version``, ``citation``, ``description`` and,
optionally, ``pattern``: a rule-id pattern for families whose ids are built at run time (for example
``pattern = "policy.criterion.*"``; ``*`` stands for one segment without a dot). Statutory ids
(``stat.*``) are all listed one file per id; policy ids (``policy.*``) live in the same folder.

:func:`catalog_sha256` is part of the run's ruleset hash (§2).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["CATALOG_DIR", "CatalogError", "CatalogEntry", "Catalog", "load_catalog", "catalog_sha256", "lookup"]

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"

_REQUIRED = ("id", "version", "citation", "description", "predicate")
_ALLOWED = frozenset(_REQUIRED) | {"pattern"}
_ID_RE = re.compile(r"(?:stat|policy)(?:\.[A-Za-z0-9_()]+)+", re.ASCII)
_PATTERN_RE = re.compile(r"(?:stat|policy)(?:\.(?:[A-Za-z0-9_()]+|\*))+", re.ASCII)


class CatalogError(ValueError):
    """A catalog file is malformed (names the file and the key)."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    version: str
    citation: str
    description: str
    file: str
    pattern: str | None = None
    predicate: str = ""


@dataclass(frozen=True, slots=True)
class Catalog:
    entries: dict[str, CatalogEntry]
    patterns: tuple[tuple[re.Pattern[str], CatalogEntry], ...]
    sha256: str

    def lookup(self, rule_id: str) -> CatalogEntry:
        """The entry of ``rule_id`` (exact id first, then the patterns in file-name order);
        ``KeyError`` if none."""
        e = self.entries.get(rule_id)
        if e is not None:
            return e
        for rx, entry in self.patterns:
            if rx.fullmatch(rule_id):
                return entry
        raise KeyError(rule_id)

    def __contains__(self, rule_id: str) -> bool:
        try:
            self.lookup(rule_id)
        except KeyError:
            return False
        return True


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_file() and p.name.endswith(".toml")), key=lambda p: p.name)


def _hash(files: list[Path], blobs: list[bytes]) -> str:
    """SHA-256 over the files in file-name order: for each, UTF-8 name, NUL, byte length, NUL, bytes."""
    h = hashlib.sha256()
    for p, data in zip(files, blobs):
        h.update(p.name.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return h.hexdigest()


def _entry(path: Path, data: bytes) -> CatalogEntry:
    name = path.name
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{name}: not valid UTF-8 TOML ({exc})") from None
    unknown = sorted(set(doc) - _ALLOWED)
    if unknown:
        raise CatalogError(f"{name}: unknown key {unknown[0]!r}; expected {', '.join(sorted(_ALLOWED))}")
    for key in _REQUIRED:
        v = doc.get(key)
        if not isinstance(v, str) or not v.strip():
            raise CatalogError(f"{name}: key {key!r} must be a non-empty string")
    rid = doc["id"]
    if _ID_RE.fullmatch(rid) is None:
        raise CatalogError(f"{name}: key 'id' must look like stat.… or policy.…, got {rid!r}")
    if name != rid + ".toml":
        raise CatalogError(f"{name}: key 'id' is {rid!r}; the file must be named {rid}.toml")
    pattern = doc.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or _PATTERN_RE.fullmatch(pattern) is None or "*" not in pattern:
            raise CatalogError(f"{name}: key 'pattern' must be a rule id with '*' segments, got {pattern!r}")
    return CatalogEntry(rid, doc["version"], doc["citation"], doc["description"], name, pattern, doc["predicate"])


def _pattern_re(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\.".join("[^.]+" if seg == "*" else re.escape(seg) for seg in pattern.split(".")))


def load_catalog(folder: str | Path | None = None) -> Catalog:
    """Load and validate every ``*.toml`` of the catalog folder (strict: unknown or missing keys,
    an id that differs from the file name, are errors). ``folder`` is for tests; the default catalog is
    loaded once."""
    if folder is None:
        return _default_catalog()
    return _load(Path(folder))


def _load(folder: Path) -> Catalog:
    files = _files(folder)
    blobs = [p.read_bytes() for p in files]
    entries: dict[str, CatalogEntry] = {}
    patterns = []
    for p, data in zip(files, blobs):
        e = _entry(p, data)
        entries[e.id] = e
        if e.pattern:
            patterns.append((_pattern_re(e.pattern), e))
    return Catalog(entries, tuple(patterns), _hash(files, blobs))


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return _load(CATALOG_DIR)


def catalog_sha256() -> str:
    """SHA-256 (hex) of the catalog: over the ``.toml`` files sorted by name, each as UTF-8 name, NUL,
    decimal byte length, NUL, file bytes."""
    return _default_catalog().sha256


def lookup(rule_id: str) -> CatalogEntry:
    """Catalog entry of a rule id (``KeyError`` if the id is not in the catalog)."""
    return _default_catalog().lookup(rule_id)
