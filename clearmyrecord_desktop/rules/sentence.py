"""Relief path from the DOJ sentence rows (eligibility.md section 8)."""

from __future__ import annotations

from datetime import date

from .dates import add_days, add_months, add_years

_UNIT_CODES = {"D": "D", "M": "M", "Y": "Y"}
_UNIT_WORDS = {"DAYS": "D", "MONTHS": "M", "YEARS": "Y"}


def _part(part: list[str]) -> tuple[int, str] | None:
    length, code, descr, _loc = part
    if not (1 <= len(length) <= 4 and length.isdigit() and length.isascii()):
        return None
    unit = _UNIT_CODES.get(code.upper()) if code else _UNIT_WORDS.get(descr.upper())
    if unit is None:
        return None
    return int(length), unit


def _end(start: date, parts: list[tuple[int, str]]) -> date:
    ends = []
    for n, unit in parts:
        if unit == "D":
            ends.append(add_days(start, n))
        elif unit == "M":
            ends.append(add_months(start, n))
        else:
            ends.append(add_years(start, n))
    return max(ends)


def relief_path(parts: list[list[str]] | None, conv_lo: date | None, conv_hi: date | None,
                as_of: date) -> tuple[str, str]:
    """(path, sentence end text). Parts run concurrently from the conviction date."""
    if not parts or conv_lo is None or conv_hi is None:
        return "unknown", "unknown"
    valid = [_part(p) for p in parts]
    if any(v is None for v in valid):
        return "unknown", "unknown"
    try:
        end_hi = _end(conv_hi, valid)  # type: ignore[arg-type]
        end_lo = _end(conv_lo, valid)  # type: ignore[arg-type]
    except (OverflowError, ValueError):
        return "unknown", "unknown"
    end_text = end_hi.isoformat() if end_lo == end_hi else f"{end_lo.isoformat()}..{end_hi.isoformat()}"
    if end_hi <= as_of:
        return "redesignation", end_text
    if end_lo > as_of:
        return "resentencing", end_text
    return "unknown", end_text
