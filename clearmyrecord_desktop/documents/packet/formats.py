"""Keys and formats of packet rows: natural sort key (Python and SQL), count key, row id, count number,
and the date forms of court documents, the court data file and the caption."""

from __future__ import annotations

import hashlib
import re
from datetime import date

_RUN_RE = re.compile(r"[0-9]+|[^0-9]+")


def natural_key(text: str | None) -> str:
    """Sort key comparing digit runs as numbers (same as :data:`NATURAL_KEY_SQL`)."""
    out = []
    for part in _RUN_RE.findall(text or ""):
        if "0" <= part[0] <= "9":
            digits = part.lstrip("0") or "0"
            out.append(f"\x01{len(digits):03d}{digits}")
        else:
            out.append(part)
    return "".join(out)


def natural_key_sql(expr: str) -> str:
    return (
        f"array_to_string(list_transform(regexp_extract_all({expr}, '[0-9]+|[^0-9]+'), "
        "lambda x: CASE WHEN regexp_full_match(x, '[0-9]+') THEN "
        "chr(1) || lpad(CAST(length(CASE WHEN ltrim(x, '0') = '' THEN '0' ELSE ltrim(x, '0') END) AS VARCHAR), 3, '0') "
        "|| CASE WHEN ltrim(x, '0') = '' THEN '0' ELSE ltrim(x, '0') END ELSE x END), '')"
    )


def count_key(subject_id: str, cnt_order: str) -> str:
    return hashlib.sha256(f"{subject_id}|{cnt_order}".encode("utf-8")).hexdigest()[:16]


def row_id(exhibit: str, row_no: int) -> str:
    return f"{exhibit}-{row_no:05d}"


def count_number(cnt_order: str | None) -> int | None:
    digits = (cnt_order or "")[6:9]
    return int(digits) if len(digits) == 3 and digits.isdigit() else None


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date_parts(value: str | None) -> tuple[str, str, str] | None:
    text = (value or "").strip()
    if not text or text.lower() == "unknown":
        return None
    m = _DATE_RE.match(text)
    if m:
        return m.group(1), m.group(2) or "", m.group(3) or ""
    m = _COMPACT_RE.match(text)
    if m:
        y, mo, d = m.groups()
        if mo == "00":
            return y, "", ""
        if d == "00":
            return y, mo, ""
        return y, mo, d
    return None


def _date_text(value: str | None, *, unknown: str, sep: str, month_first: bool) -> str:
    """The known parts of a (possibly partial) date joined by ``sep``; ``unknown`` when there is no date."""
    parts = _date_parts(value)
    if parts is None:
        return unknown
    y, mo, d = parts
    return sep.join(filter(None, (mo, d, y) if month_first else (y, mo, d)))


def print_date(value: str | None) -> str:
    """Court-document date: MM/DD/YYYY, partial MM/YYYY or YYYY, unknown —."""
    return _date_text(value, unknown="\u2014", sep="/", month_first=True)


def data_date(value: str | None) -> str:
    """Court-data date: YYYY-MM-DD, partial YYYY-MM or YYYY, unknown empty."""
    return _date_text(value, unknown="", sep="-", month_first=False)


def exact_date(value: str | None) -> date | None:
    parts = _date_parts(value)
    if parts is None or not parts[2]:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def long_date(d: date | str | None) -> str:
    if d is None:
        return "\u2014"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.strftime('%B')} {d.day}, {d.year}"
