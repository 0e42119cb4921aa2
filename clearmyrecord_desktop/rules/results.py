"""One evaluated count's output row (eligibility.md 12.1) and its bulk write into count_result."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path

#: columns of count_result written by the engine, in table order
RESULT_COLUMNS = (
    "run_id", "subject_id", "cnt_order", "row_seq", "source_file", "source_line", "name", "dob",
    "cii_number", "county", "courthouse", "court_ori", "case_number", "code_section", "section",
    "charge_text", "count_class", "level", "offense_date", "offense_date_source", "conviction_date",
    "conviction_lo", "conviction_hi", "age_at_offense", "sentence_end", "relief_path",
    "statutory_determination", "statutory_rule_ids", "statutory_reason", "unknown_facts",
    "disqualifiers", "determination", "rule_ids", "reason", "review_route", "floor_applied",
    "policy_conflict", "conflict_details", "compat_determination", "compat_reason", "policy_id",
    "policy_version", "basis", "criterion_label",
)
_TYPES = {"run_id": "INTEGER", "row_seq": "BIGINT", "source_line": "BIGINT", "conviction_lo": "DATE",
          "conviction_hi": "DATE", "floor_applied": "BOOLEAN", "policy_conflict": "BOOLEAN"}
_NULL = "\x01"


class ResultWriter:
    """Buffers rows in a temporary CSV next to the workspace, then loads them in one statement."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = open(self.path, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh, lineterminator="\n")
        self.count = 0

    def add(self, row: dict) -> None:
        """``row`` maps RESULT_COLUMNS to values; None is NULL, booleans and dates are converted."""
        get = row.get
        self._writer.writerow([_NULL if (v := get(c)) is None else _CONVERT.get(type(v), str)(v)
                               for c in RESULT_COLUMNS])
        self.count += 1

    def load(self, cur) -> None:
        self._fh.close()
        if not self.count:
            return
        columns = "{" + ", ".join(f"'{c}': '{_TYPES.get(c, 'VARCHAR')}'" for c in RESULT_COLUMNS) + "}"
        select = ", ".join(f"replace({c}, '{_CR}', chr(13)) AS {c}" if _TYPES.get(c, "VARCHAR") == "VARCHAR"
                           else c for c in RESULT_COLUMNS)
        cur.execute(
            f"INSERT INTO count_result BY NAME SELECT {select} FROM read_csv(?, header = false, "
            f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', new_line = '\\n', "
            f"nullstr = '{_NULL}', max_line_size = 104857600, columns = {columns})", [str(self.path)])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._fh.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


#: a CR inside a value would end the record for DuckDB's reader: it travels as this placeholder
_CR = "\ue00d"
_CONVERT = {str: lambda v: v.replace("\r", _CR) if "\r" in v else v,
            bool: lambda v: "true" if v else "false", int: str}
