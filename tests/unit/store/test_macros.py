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


def test_cmr_trim_strips_exactly_the_six_white_space_characters(workspace):
    """cmr_trim trims spaces only unless a value holds one of the other five characters (a fast
    path); either way the value is the spec's: space, tab, CR, LF, VT and FF stripped at both ends,
    nothing else (not NBSP, not the other Unicode spaces); NULL is the empty value."""
    import random

    rng = random.Random(7)
    alphabet = [" ", "\t", "\r", "\n", "\u000b", "\u000c", "a", "é", "0", "\u00a0", "\u001c", "\u2003", "\u0085"]
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7))) for _ in range(5000)]
    cur = workspace.cursor(macros=True)
    got = cur.execute("SELECT list(cmr_trim(v) ORDER BY i) FROM (SELECT unnest($v) AS v, "
                      "generate_subscripts($v, 1) AS i)", {"v": values}).fetchone()[0]
    assert got == [v.strip(" \t\r\n\u000b\u000c") for v in values]
    assert cur.execute("SELECT cmr_trim(NULL)").fetchone()[0] == ""
