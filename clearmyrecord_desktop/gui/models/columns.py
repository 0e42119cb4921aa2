"""Declarative columns of the review table.

``sort_keys`` order the snapshot: integer keys of the per-run display tables (aliases: ``r`` = rows,
``t`` = text, ``dec`` = the reviewer decisions,
``rank_<column>`` = a rank table; see ``review_snapshot.py``). ``kind`` tells the delegate
how to paint: ``determination`` badges, ``review`` markers, plain ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort_keys: tuple[str, ...]
    tooltip: str
    width: int = 110
    kind: str = "text"
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


COLUMNS: tuple[Column, ...] = (
    Column("final", "Decision", ("COALESCE(dec.k_decision, r.k_engine)",),
           "Final decision: the reviewer's where one is recorded, else the policy determination",
           130, "determination"),
    Column("review", "Review", ("dec.id IS NOT NULL", "dec.id IS NOT NULL AND dec.k_then IS DISTINCT FROM r.k_engine"),
           "✎ decided by a reviewer · ⚠ the engine result changed since the decision", 70, "review"),
    Column("name", "Name", ("rank_name.k",), "Name on the DOJ record (PRI_NAME)", 170),
    Column("cii_number", "CII number", ("rank_cii_number.k",), "California identification number", 100),
    Column("case_number", "Court case", ("rank_case_number.k",), "Court case number", 105),
    Column("courthouse", "Courthouse", ("t.k_courthouse",), "Court location (STP_ORI_DESCR)", 140),
    Column("code_section", "Charge", ("t.k_code_section",), "Normalised citation", 105),
    Column("level", "Level", ("t.k_level",), "Felony, misdemeanor or infraction", 85),
    Column("conviction_date", "Convicted", ("t.k_conviction_date",),
           "Conviction date (partial dates as YYYY-MM or YYYY)", 90),
    Column("statutory", "Statutory", ("r.k_statutory",),
           "What H&S § 11361.8 guarantees (the statutory floor)", 130, "determination"),
    Column("policy", "Policy", ("r.k_engine",),
           "The county policy's determination (engine result)", 130, "determination"),
    Column("relief_path", "Path", ("t.k_relief_path",),
           "Relief path (estimate): redesignation, resentencing or unknown", 100),
    Column("reason", "Reason", ("rank_reason.k",), "Why the engine decided so", 320),
)

#: Values read with every page besides the columns (not shown as columns).
HIDDEN_FIELDS: tuple[str, ...] = ("subject_id", "cnt_order", "engine", "review_route", "policy_conflict",
                                  "decision_id", "decision", "reviewer", "review_reason", "engine_then")


def column_index(key: str) -> int:
    for index, column in enumerate(COLUMNS):
        if column.key == key:
            return index
    raise KeyError(key)
