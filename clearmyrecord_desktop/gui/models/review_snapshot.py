"""SQL of the review table: the ordered snapshot written on filter/sort change, and the page read.

The snapshot is a TEMP table of the pager cursor's connection: ``(subject_id, cnt_order, row_seq,
engine_open)`` in display order; its ``rowid`` is the row's position (a table filled by one ordered
``CREATE TABLE AS`` keeps insertion order, so rowids 0..n-1 follow the sort).
"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import COLUMNS, HIDDEN_SQL

REVIEW_STATES = ("open", "reviewed", "changed", "conflict")

_OPEN_FINAL = ("final_determination = 'hand_review' AND COALESCE(review_route, '') = ''")
_OPEN_ENGINE = ("determination = 'hand_review' AND COALESCE(review_route, '') = ''")


@dataclass(frozen=True)
class ReviewFilter:
    determination: str | None = None   # final determination
    section: str | None = None         # 11357 … 11360
    courthouse: str | None = None
    review_state: str | None = None    # one of REVIEW_STATES
    text: str = ""                      # name, CII number, court case number or subject id

    def is_empty(self) -> bool:
        return self == ReviewFilter()


def snapshot_sql(table: str, run_id: int, filt: ReviewFilter, sort_sql: str | None,
                 descending: bool) -> tuple[str, list]:
    where, params = ["run_id = ?"], [run_id]
    if filt.determination:
        where.append("final_determination = ?")
        params.append(filt.determination)
    if filt.section:
        where.append("section = ?")
        params.append(filt.section)
    if filt.courthouse:
        where.append("courthouse = ?")
        params.append(filt.courthouse)
    if filt.review_state == "open":
        where.append(_OPEN_FINAL)
    elif filt.review_state == "reviewed":
        where.append("reviewed")
    elif filt.review_state == "changed":
        where.append("engine_changed")
    elif filt.review_state == "conflict":
        where.append("COALESCE(policy_conflict, FALSE)")
    text = filt.text.strip()
    if text:
        like = f"%{text}%"
        where.append("(name ILIKE ? OR cii_number ILIKE ? OR case_number ILIKE ? OR subject_id = ?)")
        params += [like, like, like, text]
    order = "row_seq"
    if sort_sql:
        direction = " DESC" if descending else ""
        order = ", ".join(f"{part.strip()}{direction} NULLS LAST" for part in sort_sql.split(","))
        order += ", row_seq"
    # count_final joins the review decisions; read count_result alone when nothing needs them
    needs_review = bool(filt.determination or filt.review_state in ("open", "reviewed", "changed")) or any(
        key in order for key in ("final_determination", "reviewed", "engine_changed"))
    source = "count_final" if needs_review else "count_result"
    sql = (f"CREATE OR REPLACE TEMP TABLE {table} AS "
           f"SELECT subject_id, cnt_order, row_seq, ({_OPEN_ENGINE}) AS engine_open "
           f"FROM {source} WHERE {' AND '.join(where)} ORDER BY {order}")
    return sql, params


PAGE_FIELDS: tuple[str, ...] = tuple(c.key for c in COLUMNS) + tuple(HIDDEN_SQL)


def page_sql(table: str) -> str:
    """Rows ``[lo, hi]`` of the snapshot with their display values. The ``row_seq`` range narrows
    the scan of ``count_result`` (its zone maps skip row groups outside the page)."""
    select = ", ".join([c.page_sql for c in COLUMNS] + list(HIDDEN_SQL.values()))
    return (
        f"WITH page AS (SELECT rowid AS position, subject_id, cnt_order, row_seq "
        f"               FROM temp.{table} WHERE rowid BETWEEN ? AND ?) "
        f"SELECT p.position, {select} FROM page p "
        f"JOIN count_result c ON c.run_id = ? "
        f" AND c.row_seq BETWEEN (SELECT min(row_seq) FROM page) AND (SELECT max(row_seq) FROM page) "
        f" AND c.row_seq = p.row_seq AND c.subject_id = p.subject_id AND c.cnt_order = p.cnt_order "
        f"LEFT JOIN review_decision d ON d.active AND d.subject_id = p.subject_id "
        f" AND d.cnt_order = p.cnt_order "
        f"ORDER BY p.position"
    )


def next_open_sql(table: str, forward: bool) -> str:
    """Position of the next (or previous) open count after/before a position."""
    cmp, order = (">", "ASC") if forward else ("<", "DESC")
    return (
        f"SELECT s.rowid FROM temp.{table} s LEFT JOIN review_decision d "
        f" ON d.active AND d.subject_id = s.subject_id AND d.cnt_order = s.cnt_order "
        f"WHERE s.rowid {cmp} ? AND CASE WHEN d.decision_id IS NULL THEN s.engine_open "
        f" ELSE d.determination = 'hand_review' END "
        f"ORDER BY s.rowid {order} LIMIT 1"
    )


def find_sql(table: str) -> str:
    return f"SELECT rowid FROM temp.{table} WHERE subject_id = ? AND cnt_order = ? LIMIT 1"


def counts_sql() -> str:
    """Determination counts of a run plus open / reviewed / changed figures."""
    return (
        "SELECT final_determination, count(*) AS n, "
        f" count(*) FILTER (WHERE {_OPEN_FINAL}) AS open_n, "
        " count(*) FILTER (WHERE reviewed) AS reviewed_n, "
        " count(*) FILTER (WHERE engine_changed) AS changed_n "
        "FROM count_final WHERE run_id = ? GROUP BY final_determination"
    )
