"""Dates, three-valued comparison, ages and the law in force (eligibility.md §5;
doj-research-file.md §4.3).

A :class:`DateValue` is an interval ``[lo, hi]``: exact (``lo == hi``), partial (a month or a year) or
unknown (both ``None``). A partial date is never its first day; an unknown date never grants relief.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

__all__ = [
    "DateValue",
    "UNKNOWN",
    "MALFORMED",
    "CUTOFF",
    "BRACKETS",
    "parse_doj_date",
    "lt",
    "add_years",
    "add_months",
    "add_days",
    "age",
    "age_range",
    "range_brackets",
    "format_date",
    "range_text",
    "offense_before_cutoff",
]

#: Prop 64 in force (eligibility.md §5.4).
CUTOFF = date(2016, 11, 9)

#: Age brackets, youngest first (§5.5).
BRACKETS: tuple[str, str, str] = ("minor", "young_adult", "adult")

MALFORMED: Literal["malformed"] = "malformed"

_WS = " \t\r\n\v\f"


@dataclass(frozen=True, slots=True)
class DateValue:
    """``[lo, hi]``; exact ``lo == hi``; unknown ``lo is hi is None``.

    ``_text`` holds :func:`format_date` of the value once asked for (not part of equality): the
    values of a run are shared per distinct interval (rules/derive.py), so each is formatted once."""

    lo: date | None
    hi: date | None
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def exact(cls, d: date) -> "DateValue":
        return cls(d, d)

    @property
    def is_unknown(self) -> bool:
        return self.lo is None

    @property
    def is_exact(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    @property
    def is_partial(self) -> bool:
        return self.lo is not None and self.lo != self.hi


UNKNOWN = DateValue(None, None)


def from_day(n: int | None) -> date | None:
    """The date of a day number as the SQL macro ``cmr_day`` gives it (date.toordinal), or None."""
    return None if n is None else date.fromordinal(n)


def _as_value(v: DateValue | date | None) -> DateValue:
    if v is None:
        return UNKNOWN
    if isinstance(v, date):
        return DateValue(v, v)
    return v


@lru_cache(maxsize=1 << 17)
def parse_doj_date(value: str | None) -> DateValue | Literal["malformed"]:
    """Read a DOJ date value (doj-research-file.md §4.3).

    ``YYYYMMDD`` (real date, year 1800–2100) → exact; ``YYYYMM00`` → that month; ``YYYY0000`` → that
    year; empty, ``x``/``X`` repeated, or only zeros → :data:`UNKNOWN`; anything else → ``'malformed'``.
    The value is trimmed first.
    """
    s = value.strip(_WS) if value else ""
    if not s or s.strip("xX") == "" or s.strip("0") == "":
        return UNKNOWN
    if len(s) != 8 or not s.isascii() or not s.isdigit():
        return MALFORMED
    y, m, d = int(s[:4]), int(s[4:6]), int(s[6:])
    if not 1800 <= y <= 2100 or m > 12:
        return MALFORMED
    if m == 0:
        return DateValue(date(y, 1, 1), date(y, 12, 31)) if d == 0 else MALFORMED
    last = calendar.monthrange(y, m)[1]
    if d == 0:
        return DateValue(date(y, m, 1), date(y, m, last))
    if d > last:
        return MALFORMED
    x = date(y, m, d)
    return DateValue(x, x)


def lt(a: DateValue | date | None, b: DateValue | date | None) -> bool | None:
    """Three-valued ``a < b`` (§5.1): True if ``a.hi < b.lo``; False if ``a.lo ≥ b.hi``; else None
    (overlap, or either unknown)."""
    if a.__class__ is not DateValue:
        a = _as_value(a)
    if b.__class__ is not DateValue:
        b = _as_value(b)
    alo = a.lo
    blo = b.lo
    if alo is None or blo is None:
        return None
    if a.hi < blo:
        return True
    if alo >= b.hi:
        return False
    return None


def add_years(d: date, n: int) -> date:
    """Same month and day ``n`` years later (§5.2); 29 February → 1 March in a common year."""
    y = d.year + n
    if d.month == 2 and d.day == 29 and not calendar.isleap(y):
        return date(y, 3, 1)
    return d.replace(year=y)


def add_months(d: date, n: int) -> date:
    """Same day ``n`` months later (§5.2); the last day of the month if that day does not exist."""
    total = d.year * 12 + (d.month - 1) + n
    y, m0 = divmod(total, 12)
    m = m0 + 1
    last = calendar.monthrange(y, m)[1]
    return date(y, m, d.day if d.day <= last else last)


def add_days(d: date, n: int) -> date:
    """Calendar days (§5.2)."""
    return d + timedelta(days=n)


def age(dob: date, d: date) -> int:
    """The largest ``n`` with ``add_years(dob, n) ≤ d`` (§5.2); born 2000-02-29 → 21 on 2021-03-01."""
    # add_years(dob, n) > d  ⇔  (d.month, d.day) < (dob.month, dob.day): for a 29 February birthday in
    # a common year add_years gives 1 March, and no d in that year lies between 28 Feb and 1 Mar.
    n = d.year - dob.year
    if d.month < dob.month or (d.month == dob.month and d.day < dob.day):
        n -= 1
    return n


def age_range(dob: DateValue, offense: DateValue, cyc_age: int | None) -> tuple[int, int] | None:
    """``(a_min, a_max)`` at the offense (§5.5), or ``None`` if the age is unknown.

    DOB recorded and offense known → ``(age(DOB.hi, offense.lo), age(DOB.lo, offense.hi))``; else a
    usable ``CYC_AGE`` → ``(CYC_AGE, CYC_AGE)``; else ``None``. ``offense`` is the count's offense date
    (the conviction date standing in when ``CYC_DATE`` is not recorded, §5.3).
    """
    if dob.lo is not None and offense.lo is not None:
        return age(dob.hi, offense.lo), age(dob.lo, offense.hi)
    if cyc_age is not None:
        return cyc_age, cyc_age
    return None


def range_brackets(rng: tuple[int, int] | None) -> list[str]:
    """Possible brackets for an age range (§5.5), youngest first; all three when unknown."""
    return list(_range_brackets(rng))


@lru_cache(maxsize=4096)
def _range_brackets(rng: tuple[int, int] | None) -> tuple[str, ...]:
    if rng is None:
        return BRACKETS
    a_min, a_max = rng
    out = []
    if a_min < 18:
        out.append("minor")
    if a_min <= 20 and a_max >= 18:
        out.append("young_adult")
    if a_max >= 21:
        out.append("adult")
    return tuple(out)


def range_text(rng: tuple[int, int] | None) -> str:
    """``'34'``, ``'20-21'`` or ``'unknown'`` (eligibility.md §12.1 ``age_at_offense``)."""
    if rng is None:
        return "unknown"
    a_min, a_max = rng
    return str(a_min) if a_min == a_max else f"{a_min}-{a_max}"


def format_date(v: DateValue | date | None) -> str:
    """``YYYY-MM-DD`` exact, ``YYYY-MM`` a month, ``YYYY`` a year, ``unknown`` (§12.1).

    Any other interval (never produced by :func:`parse_doj_date`) is written ``lo..hi``. The text of
    a :class:`DateValue` is kept on it (made on the first call).
    """
    if v.__class__ is not DateValue:
        v = _as_value(v)
    text = v._text
    if text is None:
        text = _format(v.lo, v.hi)
        object.__setattr__(v, "_text", text)
    return text


def _format(lo: date | None, hi: date | None) -> str:
    if lo is None:
        return "unknown"
    if lo == hi:
        return lo.isoformat()
    if lo.day == 1 and hi.year == lo.year:
        if lo.month == 1 and hi.month == 12 and hi.day == 31:
            return f"{lo.year:04d}"
        if hi.month == lo.month and hi.day == calendar.monthrange(lo.year, lo.month)[1]:
            return f"{lo.year:04d}-{lo.month:02d}"
    return f"{lo.isoformat()}..{hi.isoformat()}"


def offense_before_cutoff(cyc: DateValue, conviction: DateValue) -> bool | None:
    """Was the offense before 9 November 2016? (§5.4, in this order)

    ``cyc`` is the count's own ``CYC_DATE`` value (:data:`UNKNOWN` when not recorded — *not* the
    conviction date standing in for it), ``conviction`` its conviction date.
    1. ``CYC_DATE`` recorded and ``hi < cut-off`` → True; 2. recorded and ``lo ≥ cut-off`` → False;
    3. conviction known and ``conviction.hi < cut-off`` → True; 4. otherwise None (unknown).
    """
    if cyc.lo is not None:
        if cyc.hi < CUTOFF:
            return True
        if cyc.lo >= CUTOFF:
            return False
    if conviction.lo is not None and conviction.hi < CUTOFF:
        return True
    return None
