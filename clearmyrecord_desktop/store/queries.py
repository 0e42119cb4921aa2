"""Loads the named .sql files of store/sql (and macros) through importlib.resources."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def sql(name: str) -> str:
    """The text of ``store/sql/<name>.sql``."""
    return (resources.files("clearmyrecord_desktop.store") / "sql" / f"{name}.sql").read_text(
        encoding="utf-8"
    )


def split_statements(text: str) -> list[str]:
    """Split a .sql file on ';' at line ends (our files never put ';' inside strings at a line end)."""
    parts, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            stmt = "\n".join(current).strip()
            if stmt:
                parts.append(stmt)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        parts.append(rest)
    return parts
