"""Declarative columns of the review table.

``page_sql`` is read from the page query (aliases: ``c`` = count_result, ``d`` = the active
review_decision); ``sort_sql`` orders the snapshot (columns of the ``count_final`` view). ``kind``
tells the delegate how to paint: ``determination`` badges, ``review`` markers, plain ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    page_sql: str
    sort_sql: str
    tooltip: str
    width: int = 110
    kind: str = "text"
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


COLUMNS: tuple[Column, ...] = (
    Column("final", "Decision", "COALESCE(d.determination, c.determination)", "final_determination",
           "Final decision: the reviewer's where one is recorded, else the policy determination",
           130, "determination"),
    Column("review", "Review", "''", "reviewed, engine_changed",
           "✎ decided by a reviewer · ⚠ the engine result changed since the decision", 70, "review"),
    Column("name", "Name", "c.name", "name", "Name on the DOJ record (PRI_NAME)", 170),
    Column("cii_number", "CII number", "c.cii_number", "cii_number", "California identification number", 100),
    Column("case_number", "Court case", "c.case_number", "case_number", "Court case number", 105),
    Column("courthouse", "Courthouse", "c.courthouse", "courthouse", "Court location (STP_ORI_DESCR)", 140),
    Column("code_section", "Charge", "c.code_section", "code_section, section", "Normalised citation", 105),
    Column("level", "Level", "c.level", "level", "Felony, misdemeanor or infraction", 85),
    Column("conviction_date", "Convicted", "c.conviction_date", "conviction_lo, conviction_date",
           "Conviction date (partial dates as YYYY-MM or YYYY)", 90),
    Column("statutory", "Statutory", "c.statutory_determination", "statutory_determination",
           "What H&S § 11361.8 guarantees (the statutory floor)", 130, "determination"),
    Column("policy", "Policy", "c.determination", "determination",
           "The county policy's determination (engine result)", 130, "determination"),
    Column("relief_path", "Path", "c.relief_path", "relief_path",
           "Relief path (estimate): redesignation, resentencing or unknown", 100),
    Column("reason", "Reason", "c.reason", "reason", "Why the engine decided so", 320),
)

#: Extra values read with every page (not shown as columns).
HIDDEN_SQL: dict[str, str] = {
    "subject_id": "c.subject_id",
    "cnt_order": "c.cnt_order",
    "engine": "c.determination",
    "review_route": "c.review_route",
    "policy_conflict": "c.policy_conflict",
    "decision_id": "d.decision_id",
    "decision": "d.determination",
    "reviewer": "d.reviewer",
    "review_reason": "d.reason",
    "engine_then": "d.engine_determination",
    "unknown_facts": "c.unknown_facts",
    "disqualifiers": "c.disqualifiers",
}


def column_index(key: str) -> int:
    for index, column in enumerate(COLUMNS):
        if column.key == key:
            return index
    raise KeyError(key)
