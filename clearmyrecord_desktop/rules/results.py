"""One evaluated count's output row (eligibility.md 12.1) and its bulk write into count_result.

Python writes only what the rules decide (plus the count's key); the facts read straight from the
count's first row (name, CII, courthouse, source line, ...) and the run's constants are added in
SQL when the rows are saved (store/sql/insert_count_results.sql), in file order.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import WorkspaceError
from ..store import queries
from ..store.csv_limits import max_line_size

#: the columns of count_result written by Python, in the order of the tuples given to ``add``
RESULT_COLUMNS = (
    "subject_id", "cnt_order", "row_seq", "dob", "case_number", "code_section", "section",
    "count_class", "level", "offense_date", "conviction_date", "age_at_offense", "sentence_end",
    "relief_path", "statutory_determination", "statutory_rule_ids", "statutory_reason",
    "unknown_facts", "disqualifiers", "determination", "rule_ids", "reason", "review_route",
    "floor_applied", "policy_conflict", "conflict_details", "compat_determination", "compat_reason",
    "basis", "criterion_label",
)
_TYPES = {"row_seq": "BIGINT", "floor_applied": "BOOLEAN", "policy_conflict": "BOOLEAN"}
_RECORDS_CHANGED = "The imported records changed while the evaluation ran; evaluate again."
#: NULL in the temporary CSV (None values must be given as this)
NULL = "\x01"
#: the policy ``reason`` when it is the statutory reason (most counts): the text is written once
SAME_REASON = "\x02"
#: a CR inside a value would end the record for DuckDB's reader: it travels as this placeholder
_CR = "\ue00d"
_FLUSH_ROWS = 4096
#: joins the quoted fields of a row (the row's own first and last quote are added when written)
_QSEP = '","'
#: the quotes of a joined row whose values hold none
_QUOTES = 2 * (len(RESULT_COLUMNS) - 1)


@dataclass(frozen=True)
class WrittenRows:
    """A finished temporary CSV of result rows (``longest``: characters of its longest line)."""

    path: Path
    count: int
    longest: int
    has_cr: bool


class ResultWriter:
    """Buffers rows in a temporary CSV next to the workspace, then loads them in one statement.

    Every field is quoted (a quoted NULL marker still reads as NULL). A row's values are joined
    with ``","`` in one call, which is much faster than ``csv.writer`` on rows of long reason
    texts; only a row with a quote inside a value (then more quotes than the joins put in) has
    its quotes doubled, field by field."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = open(self.path, "w", encoding="utf-8", newline="")
        self._lines: list[str] = []
        self._has_cr = False
        self._longest = 0  # characters; a UTF-8 character is at most 4 bytes
        self.count = 0

    def add(self, row: tuple[str, ...]) -> None:
        """``row``: the values of :data:`RESULT_COLUMNS` in order, all text (None given as
        :data:`NULL`, booleans as ``true``/``false``)."""
        line = _QSEP.join(row)
        if line.count('"') != _QUOTES:  # a value holds a quote: doubled, field by field
            line = _QSEP.join([v.replace('"', '""') for v in row])
        self._lines.append(line)
        self.count += 1
        if len(self._lines) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Write the buffered rows: each is wrapped in its outer quotes and ended here, by
        joining them with ``"\\n"`` (one copy of the text rather than one per row)."""
        lines = self._lines
        if not lines:
            return
        self._longest = max(self._longest, max(map(len, lines)) + 3)  # + the outer quotes and newline
        text = '"\n"'.join(lines)
        lines.clear()
        if "\r" in text or _CR in text:
            self._has_cr = True
            text = text.replace("\r", _CR)
        self._fh.write('"')
        self._fh.write(text)
        self._fh.write('"\n')

    def finish(self) -> WrittenRows:
        """Write what is buffered and close the file (no row can be added after this)."""
        self._flush()
        self._fh.close()
        return WrittenRows(self.path, self.count, self._longest, self._has_cr)

    def load(self, cur, run_id: int, policy_id: str, policy_version: str,
             others: Sequence[WrittenRows] = ()) -> None:
        """Insert the rows, and those of ``others`` (written by another process,
        rules/decide_split.py), into count_result (``cur`` needs the cmr_* macros)."""
        parts = [p for p in (self.finish(), *others) if p.count]
        if not parts:
            return
        columns = "{" + ", ".join(f"'{c}': '{_TYPES.get(c, 'VARCHAR')}'" for c in RESULT_COLUMNS) + "}"
        has_cr = any(p.has_cr for p in parts)
        select = ", ".join(_column_sql(c, has_cr) for c in RESULT_COLUMNS)
        paths = ", ".join("'" + str(p.path).replace("'", "''") + "'" for p in parts)
        longest = max(p.longest for p in parts)
        cur.execute(  # a view: the CSV is read once, by the INSERT
            f"CREATE OR REPLACE TEMP VIEW eval_result AS SELECT {select} "
            f"FROM read_csv([{paths}], header = false, auto_detect = false, delim = ',', quote = '\"', "
            f"escape = '\"', allow_quoted_nulls = true, new_line = '\\n', nullstr = '{NULL}', "
            f"max_line_size = {max_line_size(4 * longest)}, columns = {columns})")
        try:
            saved = cur.execute(queries.sql("insert_count_results"), {
                "run_id": run_id, "policy_id": policy_id, "policy_version": policy_version}).fetchone()[0]
        except Exception as exc:  # DuckDB's error() of insert_count_results.sql; anything else goes on
            if "cmr: results out of step" not in str(exc):
                raise
            saved = -1
        finally:
            with contextlib.suppress(Exception):  # the transaction may be aborted: it is rolled back
                cur.execute("DROP VIEW IF EXISTS eval_result")
        if saved != sum(p.count for p in parts):
            raise WorkspaceError(_RECORDS_CHANGED)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._fh.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


def _column_sql(column: str, has_cr: bool) -> str:
    """A column of the temporary CSV as saved: CR placeholders back to CR, SAME_REASON expanded."""
    value = f"replace({column}, '{_CR}', chr(13))" if has_cr and column not in _TYPES else column
    if column == "reason":
        statutory = _column_sql("statutory_reason", has_cr)
        value = f"CASE WHEN reason = '{SAME_REASON}' THEN {statutory} ELSE {value} END"
    return value if value == column else f"{value} AS {column}"
