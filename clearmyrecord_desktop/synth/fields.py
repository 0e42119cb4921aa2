"""Small formatting helpers for synthetic DOJ fields: dates, quoting, padding.

DOJ files quote a field when it holds a comma (names) and, often, when it is padded with spaces
(``"MONTHS   "``, ``"              "``); just as often padded values are written unquoted
(``DAYS      ``). Both are valid RFC 4180. None of the generated values contains a ``"``.
"""

from __future__ import annotations

from datetime import date

#: first and last day any generated event may fall on
FIRST_DAY = date(1961, 1, 1).toordinal()
LAST_DAY = date(2023, 12, 31).toordinal()
#: Prop 64's cut-off (offenses before it are judged under the old law)
CUTOFF = date(2016, 11, 9).toordinal()


class DateText:
    """``YYYYMMDD`` text of ordinals, cached (a county file reuses a few tens of thousands of days)."""

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def __call__(self, ordinal: int) -> str:
        text = self._cache.get(ordinal)
        if text is None:
            d = date.fromordinal(ordinal)
            text = self._cache[ordinal] = f"{d.year:04d}{d.month:02d}{d.day:02d}"
        return text


def age_on(dob: date, ordinal: int) -> int:
    """Completed years from ``dob`` to the day ``ordinal``."""
    d = date.fromordinal(ordinal)
    return d.year - dob.year - ((d.month, d.day) < (dob.month, dob.day))


def quoted(value: str) -> str:
    """RFC 4180 quoting (values never contain a quote, but stay correct if one does)."""
    return '"' + value.replace('"', '""') + '"'


def padded_variants(word: str, width: int) -> tuple[str, str, str]:
    """The three ways DOJ writes a padded code word: plain, quoted padded, unquoted padded."""
    return word, quoted(word.ljust(width)), word.ljust(width + 3)


#: blank-but-padded fields as DOJ writes them (quoted runs of spaces)
BLANK_PADS: tuple[str, ...] = tuple(quoted(" " * n) for n in (10, 14, 18, 23, 24, 29))
