"""The SQL helper macros (store/sql/macros.sql) give the values the spec's words describe."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", [
    "", "LOS ANGELES", "  los   angeles ", "LOS\tANGELES", "LOS\u000bANGELES", "LOS\u000cANGELES",
    "LOS\r\nANGELES", "SEE  COMMENT\tFOR CHARGE", " \t ", "A B C", "A\u00a0B",
])
def test_cmr_norm_equals_the_plain_regexp_form(workspace, text):
    """cmr_norm skips regexp_replace where it would change nothing; the value must not change."""
    cur = workspace.cursor(macros=True)
    got, plain = cur.execute(
        "SELECT cmr_norm($t), upper(regexp_replace(cmr_trim($t), '\\s+', ' ', 'g'))", {"t": text}).fetchone()
    assert got == plain


def test_cmr_norm_on_random_white_space(workspace):
    """The fast path of cmr_norm (upper case only) gives the full form's value on values of random
    white space, letters and other spaces."""
    import random

    rng = random.Random(11)
    alphabet = [" ", "\t", "\r", "\n", "\u000b", "\u000c", "a", "B", "\u00a0", "\u2003", "\u0085"]
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(5000)] + [None]
    cur = workspace.cursor(macros=True)
    got, plain = cur.execute(
        "SELECT list(cmr_norm(v) ORDER BY i), list(upper(cmr_squeeze(cmr_trim(v))) ORDER BY i) "
        "FROM (SELECT unnest($v) AS v, generate_subscripts($v, 1) AS i)", {"v": values}).fetchone()
    assert got == plain


def test_cmr_trim_strips_exactly_the_six_white_space_characters(workspace):
    """cmr_trim trims only a value that begins or ends with white space (a fast path); either way
    the value is the spec's: space, tab, CR, LF, VT and FF stripped at both ends, nothing else (not
    NBSP, not the other Unicode spaces); NULL is the empty value."""
    import random

    rng = random.Random(7)
    alphabet = [" ", "\t", "\r", "\n", "\u000b", "\u000c", "a", "é", "0", "\u00a0", "\u001c", "\u2003", "\u0085"]
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7))) for _ in range(5000)]
    cur = workspace.cursor(macros=True)
    got = cur.execute("SELECT list(cmr_trim(v) ORDER BY i) FROM (SELECT unnest($v) AS v, "
                      "generate_subscripts($v, 1) AS i)", {"v": values}).fetchone()[0]
    assert got == [v.strip(" \t\r\n\u000b\u000c") for v in values]
    assert cur.execute("SELECT cmr_trim(NULL)").fetchone()[0] == ""


def test_cmr_kind_fast_branch_gives_the_plain_kinds(workspace):
    """cmr_kind decides an exact date in its first branch; over awkward values (all zeros, x's, years
    at and past the 1800-2100 bounds, month or day 00, impossible days, short and long values) it
    gives what the plain chain of checks gives."""
    import itertools
    import random
    import re

    from clearmyrecord_desktop.store import queries

    rng = random.Random(3)
    values = ["", "0", "00000000", "xxxxxxxx", "XXXXXXXX", "xX", "1987", "198702", "1987021", "198702150",
              "18000101", "17991231", "21001231", "21010101", "19870000", "19870200", "19871300", "19870230",
              "20000229", "19000229", "19870015", "1987-2-1", "abcdefgh", "0000000x", "0x000000"]
    for y, m, d in itertools.product(["1799", "1800", "1987", "2100", "2101", "0000"],
                                     ["00", "01", "02", "12", "13"], ["00", "01", "28", "29", "30", "31", "32"]):
        values.append(y + m + d)
    values += ["".join(rng.choice("0123456789xX ") for _ in range(rng.randint(0, 9))) for _ in range(3000)]
    cur = workspace.cursor(macros=True)
    # the plain form: cmr_kind without its first (fast) branch, so the two can only differ there
    body = queries.sql("macros").split("CREATE OR REPLACE TEMP MACRO cmr_kind(v, p) AS")[1].split(";")[0]
    plain, n = re.subn(r"CASE\s+WHEN p IS NOT NULL AND .*?THEN 'exact'\s+WHEN", "CASE WHEN", body, count=1, flags=re.S)
    assert n == 1
    cur.execute(f"CREATE OR REPLACE TEMP MACRO kind_plain(v, p) AS {plain}")
    differ = cur.execute(
        "SELECT v, cmr_kind(v, try_strptime(v, '%Y%m%d')), kind_plain(v, try_strptime(v, '%Y%m%d')) "
        "FROM (SELECT unnest($v) AS v) WHERE cmr_kind(v, try_strptime(v, '%Y%m%d')) "
        "IS DISTINCT FROM kind_plain(v, try_strptime(v, '%Y%m%d'))", {"v": values}).fetchall()
    assert differ == []
    kinds = {k for (k,) in cur.execute("SELECT DISTINCT cmr_kind(v, try_strptime(v, '%Y%m%d')) "
                                       "FROM (SELECT unnest($v) AS v)", {"v": values}).fetchall()}
    assert kinds == {"none", "bad", "year", "month", "exact"}
