"""Dates, three-valued comparisons, ages and the cut-off (eligibility.md §5; doj-research-file.md §4.3)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearmyrecord_desktop.rules.dates import (
    UNKNOWN,
    DateValue,
    add_days,
    add_months,
    add_years,
    age,
    age_range,
    format_date,
    lt,
    offense_before_cutoff,
    parse_doj_date,
    range_brackets,
    range_text,
)


def ex(y: int, m: int, d: int) -> DateValue:
    return DateValue(date(y, m, d), date(y, m, d))


def month(y: int, m: int) -> DateValue:
    v = parse_doj_date(f"{y:04d}{m:02d}00")
    assert isinstance(v, DateValue)
    return v


def year(y: int) -> DateValue:
    return DateValue(date(y, 1, 1), date(y, 12, 31))


# --- parsing (doj-research-file.md §4.3) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20150214", ex(2015, 2, 14)),
        ("18000101", ex(1800, 1, 1)),
        ("21001231", ex(2100, 12, 31)),
        ("20000229", ex(2000, 2, 29)),
        ("  20150214\t", ex(2015, 2, 14)),
        ("20150200", DateValue(date(2015, 2, 1), date(2015, 2, 28))),
        ("20160200", DateValue(date(2016, 2, 1), date(2016, 2, 29))),
        ("20151200", DateValue(date(2015, 12, 1), date(2015, 12, 31))),
        ("20090000", DateValue(date(2009, 1, 1), date(2009, 12, 31))),
        ("18000000", DateValue(date(1800, 1, 1), date(1800, 12, 31))),
        ("", UNKNOWN),
        ("   ", UNKNOWN),
        (None, UNKNOWN),
        ("x", UNKNOWN),
        ("x       ", UNKNOWN),
        ("XXXXXXXX", UNKNOWN),
        ("xXxX", UNKNOWN),
        ("00000000", UNKNOWN),
        ("0", UNKNOWN),
    ],
)
def test_parse(value, expected):
    assert parse_doj_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["2015-02-14", "20151345", "2015021", "19850230", "1985021A", "17991231", "21010101", "20150014",
     "201502140", "20150229", "x0", "00000001", "19850000x", "２０１５０２１４", "2015 214", "20150100 1",
     "00001231", "20140931", "-2015021"],
)
def test_parse_malformed(value):
    assert parse_doj_date(value) == "malformed"


def test_date_value_kinds():
    assert ex(2015, 1, 1).is_exact and not ex(2015, 1, 1).is_partial
    assert month(2015, 1).is_partial and not month(2015, 1).is_exact
    assert UNKNOWN.is_unknown and not UNKNOWN.is_exact and not UNKNOWN.is_partial
    assert DateValue.exact(date(2015, 1, 1)) == ex(2015, 1, 1)


# --- three-valued comparison (§5.1) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ex(2015, 1, 1), ex(2015, 1, 2), True),
        (ex(2015, 1, 2), ex(2015, 1, 1), False),
        (ex(2015, 1, 1), ex(2015, 1, 1), False),  # same day: not before
        (date(2015, 1, 1), date(2015, 1, 2), True),
        # partial and unknown
        (year(2014), year(2015), True),
        (year(2015), year(2015), None),  # overlap
        (year(2015), ex(2015, 6, 1), None),
        (ex(2015, 6, 1), year(2015), None),
        (ex(2014, 12, 31), year(2015), True),
        (ex(2015, 12, 31), year(2015), False),  # lo ≥ hi
        (ex(2016, 1, 1), year(2015), False),
        (month(2015, 5), ex(2015, 6, 1), True),
        (month(2015, 6), ex(2015, 6, 1), False),  # lo ≥ hi: never before 1 June
        (month(2015, 6), ex(2015, 6, 2), None),
        (UNKNOWN, ex(2015, 1, 1), None),
        (ex(2015, 1, 1), UNKNOWN, None),
        (UNKNOWN, UNKNOWN, None),
        (None, ex(2015, 1, 1), None),
    ],
)
def test_lt(a, b, expected):
    assert lt(a, b) is expected


_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def date_values(draw):
    kind = draw(st.sampled_from(["exact", "month", "year", "unknown"]))
    d = draw(_dates)
    if kind == "exact":
        return ex(d.year, d.month, d.day)
    if kind == "month":
        return month(d.year, d.month)
    if kind == "year":
        return year(d.year)
    return UNKNOWN


@settings(max_examples=500, deadline=None, database=None)
@given(date_values(), date_values())
def test_lt_is_consistent(a, b):
    r = lt(a, b)
    if r is True:
        assert lt(b, a) is False
        assert all(x < y for x in (a.lo, a.hi) for y in (b.lo, b.hi))
    if a.is_exact and b.is_exact:
        assert r is (a.lo < b.lo)
    if a.is_unknown or b.is_unknown:
        assert r is None


# --- arithmetic (§5.2) -------------------------------------------------------------------------------


ARITHMETIC = [
    (add_years, date(2000, 2, 29), 1, date(2001, 3, 1)),
    (add_years, date(2000, 2, 29), 4, date(2004, 2, 29)),
    (add_years, date(2000, 2, 29), 21, date(2021, 3, 1)),
    (add_years, date(2000, 2, 29), -1, date(1999, 3, 1)),
    (add_years, date(2020, 7, 1), -7, date(2013, 7, 1)),
    (add_years, date(2015, 3, 1), 1, date(2016, 3, 1)),
    (add_months, date(2014, 5, 1), 36, date(2017, 5, 1)),
    (add_months, date(2016, 2, 1), 60, date(2021, 2, 1)),
    (add_months, date(2015, 1, 31), 1, date(2015, 2, 28)),
    (add_months, date(2016, 1, 31), 1, date(2016, 2, 29)),
    (add_months, date(2015, 3, 31), 1, date(2015, 4, 30)),
    (add_months, date(2015, 12, 15), 1, date(2016, 1, 15)),
    (add_months, date(2015, 1, 15), -1, date(2014, 12, 15)),
    (add_months, date(2015, 3, 31), -1, date(2015, 2, 28)),
    (add_months, date(2015, 3, 31), 0, date(2015, 3, 31)),
    (add_days, date(2014, 5, 1), 180, date(2014, 10, 28)),
    (add_days, date(2016, 2, 28), 1, date(2016, 2, 29)),
]


@pytest.mark.parametrize(
    ("add", "start", "n", "expected"), ARITHMETIC, ids=[f"{f.__name__}({s},{n})" for f, s, n, _ in ARITHMETIC]
)
def test_date_arithmetic(add, start, n, expected):
    assert add(start, n) == expected


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (date(2000, 2, 29), date(2021, 2, 28), 20),  # leap-day birthday
        (date(2000, 2, 29), date(2021, 3, 1), 21),  # §5.2 example
        (date(2000, 2, 29), date(2020, 2, 28), 19),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
        (date(2000, 2, 29), date(2000, 2, 29), 0),
        (date(1988, 7, 1), date(2009, 6, 30), 20),
        (date(1988, 7, 1), date(2009, 7, 1), 21),
        (date(1990, 1, 1), date(1989, 12, 31), -1),
    ],
)
def test_age(dob, on, expected):
    assert age(dob, on) == expected


@settings(max_examples=500, deadline=None, database=None)
@given(_dates, _dates)
def test_age_is_the_largest_n(dob, d):
    n = age(dob, d)
    assert add_years(dob, n) <= d
    assert add_years(dob, n + 1) > d


# --- brackets (§5.5) ---------------------------------------------------------------------------------


def brackets(dob: DateValue, offense: DateValue, cyc_age: int | None) -> list[str]:
    """The possible brackets at the offense, as rules/statutory.py derives them."""
    return range_brackets(age_range(dob, offense, cyc_age))


def age_text(dob: DateValue, offense: DateValue, cyc_age: int | None) -> str:
    """The age at the offense as text, as rules/statutory.py derives it."""
    return range_text(age_range(dob, offense, cyc_age))


def test_brackets_spec_example():
    # born 1988-07-01, offense some day in 2009 → 20 or 21 → two brackets
    dob = ex(1988, 7, 1)
    off = year(2009)
    assert age_range(dob, off, None) == (20, 21)
    assert brackets(dob, off, None) == ["young_adult", "adult"]
    assert age_text(dob, off, None) == "20-21"


def test_brackets_exact():
    assert brackets(ex(1980, 1, 1), ex(2014, 1, 1), None) == ["adult"]
    assert age_text(ex(1980, 1, 1), ex(2014, 1, 1), None) == "34"
    assert brackets(ex(1995, 1, 1), ex(2014, 1, 1), None) == ["young_adult"]
    assert brackets(ex(1997, 1, 2), ex(2014, 1, 1), None) == ["minor"]
    assert brackets(ex(1996, 1, 1), ex(2014, 1, 1), None) == ["young_adult"]  # 18th birthday
    assert brackets(ex(1993, 1, 2), ex(2014, 1, 1), None) == ["young_adult"]  # 20
    assert brackets(ex(1993, 1, 1), ex(2014, 1, 1), None) == ["adult"]  # 21st birthday


def test_brackets_partial_dob():
    # DT6: partial DOB 1994, offense 2014-06-01 → 19 or 20
    assert age_range(year(1994), ex(2014, 6, 1), None) == (19, 20)
    assert brackets(year(1994), ex(2014, 6, 1), None) == ["young_adult"]
    # a 17–18 range
    assert brackets(year(1996), ex(2014, 6, 1), None) == ["minor", "young_adult"]


def test_brackets_cyc_age_fallback_and_unknown():
    assert brackets(UNKNOWN, ex(2014, 1, 1), 19) == ["young_adult"]  # DT8
    assert brackets(ex(1990, 1, 1), UNKNOWN, 30) == ["adult"]  # offense unknown → CYC_AGE
    assert brackets(UNKNOWN, ex(2014, 1, 1), None) == ["minor", "young_adult", "adult"]  # DT9/DT10
    assert age_text(UNKNOWN, ex(2014, 1, 1), None) == "unknown"
    assert brackets(UNKNOWN, UNKNOWN, 17) == ["minor"]
    assert brackets(ex(1990, 1, 1), ex(2014, 1, 1), 5) == ["adult"]  # DOB wins over CYC_AGE


def test_range_helpers():
    assert range_brackets(None) == ["minor", "young_adult", "adult"]
    assert range_brackets((10, 30)) == ["minor", "young_adult", "adult"]
    assert range_brackets((17, 17)) == ["minor"]
    assert range_brackets((20, 21)) == ["young_adult", "adult"]
    assert range_brackets((-1, 0)) == ["minor"]
    assert range_text((34, 34)) == "34"
    assert range_text((20, 21)) == "20-21"
    assert range_text(None) == "unknown"


@settings(max_examples=300, deadline=None, database=None)
@given(date_values(), date_values(), st.one_of(st.none(), st.integers(0, 120)))
def test_brackets_never_empty(dob, off, cyc):
    bs = brackets(dob, off, cyc)
    assert bs and bs == [b for b in ("minor", "young_adult", "adult") if b in bs]


# --- format (§12.1) ----------------------------------------------------------------------------------


def test_format_date():
    assert format_date(ex(2000, 11, 20)) == "2000-11-20"
    assert format_date(month(2015, 2)) == "2015-02"
    assert format_date(year(2009)) == "2009"
    assert format_date(UNKNOWN) == "unknown"
    assert format_date(None) == "unknown"
    assert format_date(date(1800, 1, 1)) == "1800-01-01"
    assert format_date(DateValue(date(2015, 1, 5), date(2015, 2, 1))) == "2015-01-05..2015-02-01"
    for v in ("20150214", "20150200", "20150000", "20160200", ""):
        assert format_date(parse_doj_date(v)) == {"20150214": "2015-02-14", "20150200": "2015-02",
                                                   "20150000": "2015", "20160200": "2016-02", "": "unknown"}[v]


# --- the law in force (§5.4) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyc", "conv", "expected"),
    [
        (ex(2016, 11, 8), ex(2017, 1, 1), True),
        (ex(2016, 11, 9), ex(2016, 11, 9), False),
        (ex(2016, 10, 1), ex(2017, 2, 1), True),  # old-law conviction entered later
        (ex(2017, 1, 1), UNKNOWN, False),
        (month(2016, 10), UNKNOWN, True),
        (month(2016, 12), UNKNOWN, False),
        (month(2016, 11), UNKNOWN, None),  # straddles the cut-off
        (month(2016, 11), ex(2016, 11, 8), True),  # conviction before the cut-off
        (month(2016, 11), ex(2016, 11, 20), None),
        (year(2016), ex(2016, 10, 1), True),
        (year(2016), ex(2017, 1, 1), None),
        (year(2015), UNKNOWN, True),  # DT5
        (UNKNOWN, ex(2015, 6, 1), True),  # DT2
        (UNKNOWN, ex(2017, 6, 1), None),  # DT1
        (UNKNOWN, ex(2016, 11, 9), None),
        (UNKNOWN, month(2016, 10), True),
        (UNKNOWN, year(2016), None),
        (UNKNOWN, UNKNOWN, None),  # DT3
    ],
)
def test_offense_before_cutoff(cyc, conv, expected):
    assert offense_before_cutoff(cyc, conv) is expected
