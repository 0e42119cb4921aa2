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
