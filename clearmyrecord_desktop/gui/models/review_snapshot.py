"""SQL of the review table: per-run display tables, the ordered snapshot and the page reads.

Per run, the model materialises **display tables** once, in the connection's in-memory catalog
(``memory.main``: shared by the cursors of this workspace's connection, never written to the file):

``rows``   (built first; all it needs is integers, so the first paint is quick)
    one row per evaluated count in file order: ``rowid`` is the row's *id* (0..n-1). Integer sort
    and filter keys: ``k_engine``, ``k_statutory`` (codes of :data:`DETERMINATIONS`), ``k_section``,
    ``routed``, ``conflict``, and ``row_seq`` to reach ``count_result``.
``dec``    the active reviewer decisions of the run's counts, by id (small; kept current by the
    model after each decision).
``text``   (built next, in the background) row-aligned with ``rows`` (same rowid): the displayed
    text columns, and codes of the low-variety columns (courthouse, charge, level, conviction date,
    relief path) whose values live in the small ``dict`` table and are decoded in Python; the code
    order is the sort order.
``rank_<column>``  (built last, in the background, or by the first sort that needs one) row-aligned
    single-column tables: the rank of a high-variety column's value (name, CII number, case number,
    reason), so that sorting by it sorts integers.

A **snapshot** is a table ``(id, k_engine, routed)`` in display order (``rowid`` = position), written
by a job on filter or sort change by sorting on the integer keys. With no filter and no sort the
snapshot is the identity (position = id) and is not written at all.

A **page read** takes the ids of a position range (one range scan of the snapshot), then fetches
those ids from ``rows`` and ``text`` by rowid. Before ``text`` exists, the text values come from
``count_result`` by ``row_seq`` (quick in file order: its zone maps skip the other row groups).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Determination codes in display order (the vocabulary of eligibility.md §3). 0 = anything else.
DETERMINATIONS: tuple[str, ...] = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction",
                                   "no_relief", "hand_review")
HAND_REVIEW = DETERMINATIONS.index("hand_review") + 1
SECTIONS: tuple[str, ...] = ("11357", "11358", "11359", "11360")
REVIEW_STATES = ("open", "reviewed", "changed", "conflict")

#: Low-variety text columns stored as codes (decoded in Python); the ORDER BY gives each code's rank.
DICT_COLUMNS: dict[str, str] = {
    "courthouse": "v",
    "code_section": "v",
    "level": "CASE v WHEN 'felony' THEN 1 WHEN 'misdemeanor' THEN 2 WHEN 'infraction' THEN 3 ELSE 4 END, v",
    "conviction_date": "min(lo) NULLS LAST, v",
    "relief_path": "v",
}
#: High-variety text columns sorted by a rank table; the first three are ranked in the background.
RANKED_COLUMNS: tuple[str, ...] = ("name", "cii_number", "case_number", "reason")
BACKGROUND_RANKS: tuple[str, ...] = ("name", "cii_number", "case_number")

_OPEN_FINAL = ("final_determination = 'hand_review' AND COALESCE(review_route, '') = ''")


def _code(expr: str, values: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values, start=1))
    return f"CAST(CASE {expr} {whens} ELSE 0 END AS UTINYINT)"


@dataclass(frozen=True)
class ReviewFilter:
    determination: str | None = None   # final determination
    section: str | None = None         # 11357 … 11360
    courthouse: str | None = None
    review_state: str | None = None    # one of REVIEW_STATES
    text: str = ""                      # name, CII number, court case number or subject id

    def is_empty(self) -> bool:
        return self == ReviewFilter()

    @property
    def needs_text(self) -> bool:
        return bool(self.courthouse or self.text.strip())


@dataclass(frozen=True)
class DisplayTables:
    """Names of one run's display tables (``prefix`` is unique per model and run)."""

    run_id: int
    prefix: str

    @property
    def rows(self) -> str:
        return f"memory.main.{self.prefix}_rows"

    @property
    def text(self) -> str:
        return f"memory.main.{self.prefix}_text"

    @property
    def dict(self) -> str:
        return f"memory.main.{self.prefix}_dict"

    @property
    def dec(self) -> str:
        return f"memory.main.{self.prefix}_dec"

    def rank(self, column: str) -> str:
        return f"memory.main.{self.prefix}_rank_{column}"

    def snapshot(self, number: int) -> str:
        return f"memory.main.{self.prefix}_snap{number}"

    def all(self) -> tuple[str, ...]:
        return (self.rows, self.text, self.dict, self.dec, *(self.rank(c) for c in RANKED_COLUMNS))


# -- building the display tables ---------------------------------------------------------------

def build_rows_sql(t: DisplayTables) -> tuple[str, list]:
    sql = (f"CREATE OR REPLACE TABLE {t.rows} AS SELECT row_seq, "
           f"{_code('determination', DETERMINATIONS)} AS k_engine, "
           f"{_code('statutory_determination', DETERMINATIONS)} AS k_statutory, "
           f"{_code('section', SECTIONS)} AS k_section, "
           "COALESCE(review_route, '') <> '' AS routed, COALESCE(policy_conflict, FALSE) AS conflict "
           "FROM count_result WHERE run_id = ? ORDER BY row_seq")
    return sql, [t.run_id]


_DEC_SELECT = (f"SELECT r.rowid AS id, d.decision_id, {_code('d.determination', DETERMINATIONS)} AS k_decision, "
               f"{_code('d.engine_determination', DETERMINATIONS)} AS k_then, d.subject_id, d.cnt_order "
               "FROM review_decision d JOIN count_result c ON c.run_id = ? AND c.subject_id = d.subject_id "
               " AND c.cnt_order = d.cnt_order JOIN {rows} r ON r.row_seq = c.row_seq WHERE d.active")


def build_dec_sql(t: DisplayTables) -> tuple[str, list]:
    return f"CREATE OR REPLACE TABLE {t.dec} AS " + _DEC_SELECT.format(rows=t.rows), [t.run_id]


def refresh_dec_sql(t: DisplayTables) -> list[tuple[str, list]]:
    """Statements that bring ``dec`` up to date for one count (subject_id, cnt_order appended)."""
    return [(f"DELETE FROM {t.dec} WHERE subject_id = ? AND cnt_order = ?", []),
            (f"INSERT INTO {t.dec} " + _DEC_SELECT.format(rows=t.rows)
             + " AND d.subject_id = ? AND d.cnt_order = ?", [t.run_id])]


def build_dict_sql(t: DisplayTables) -> tuple[str, list]:
    parts = []
    for column, order in DICT_COLUMNS.items():
        lo = "conviction_lo" if column == "conviction_date" else "NULL"
        parts.append(
            f"SELECT '{column}' AS col, v, CAST(row_number() OVER (ORDER BY {order}) AS INTEGER) AS k FROM "
            f"(SELECT {column} AS v, {lo} AS lo FROM count_result WHERE run_id = ? AND {column} IS NOT NULL) "
            "GROUP BY v")
    return f"CREATE OR REPLACE TABLE {t.dict} AS " + " UNION ALL ".join(parts), [t.run_id] * len(parts)


def build_text_sql(t: DisplayTables) -> tuple[str, list]:
    codes = "".join(f", d_{column} AS (SELECT v, k FROM {t.dict} WHERE col = '{column}')" for column in DICT_COLUMNS)
    dict_cols = ", ".join(DICT_COLUMNS)
    select = ", ".join(f"d_{column}.k AS k_{column}" for column in DICT_COLUMNS)
    joins = " ".join(f"LEFT JOIN d_{column} ON d_{column}.v = c.{column}" for column in DICT_COLUMNS)
    sql = (f"CREATE OR REPLACE TABLE {t.text} AS "
           f"WITH c AS (SELECT row_seq, subject_id, cnt_order, name, cii_number, case_number, reason, review_route, "
           f"{dict_cols} FROM count_result WHERE run_id = ?){codes} "
           f"SELECT c.subject_id, c.cnt_order, c.name, c.cii_number, c.case_number, c.reason, c.review_route, "
           f"{select} FROM c {joins} ORDER BY c.row_seq")
    return sql, [t.run_id]


def build_rank_sql(t: DisplayTables, column: str) -> str:
    """``rank_<column>``: the rank of each row's value among the distinct values (NULL stays NULL)."""
    assert column in RANKED_COLUMNS
    return (f"CREATE OR REPLACE TABLE {t.rank(column)} AS "
            f"WITH d AS (SELECT v, CAST(row_number() OVER (ORDER BY v) AS INTEGER) AS k "
            f"           FROM (SELECT DISTINCT {column} AS v FROM {t.text} WHERE {column} IS NOT NULL)) "
            f"SELECT d.k FROM {t.text} x LEFT JOIN d ON d.v = x.{column} ORDER BY x.rowid")


def load_dict_sql(t: DisplayTables) -> str:
    return f"SELECT col, k, v FROM {t.dict}"


# -- snapshot -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SnapshotSpec:
    """What a snapshot needs: SQL pieces over ``r`` (rows), ``t`` (text), ``dec`` and ``rank_<column>``."""

    where: tuple[str, ...]
    params: tuple
    order: str | None            # None: file order
    needs_text: bool             # the text table must be built (ranks are built from it)
    needs_dec: bool
    ranks: tuple[str, ...] = ()
    joins_text: bool = False     # the SQL reads the text table

    @property
    def identity(self) -> bool:
        return not self.where and self.order is None


def snapshot_spec(filt: ReviewFilter, sort_keys: tuple[str, ...] = (), descending: bool = False,
                  courthouse_code: int | None = None) -> SnapshotSpec:
    """``sort_keys``: key expressions over r/t/dec (a column's ``sort_keys``)."""
    where: list[str] = []
    params: list = []
    if filt.determination:
        code = DETERMINATIONS.index(filt.determination) + 1 if filt.determination in DETERMINATIONS else -1
        where.append("COALESCE(dec.k_decision, r.k_engine) = ?")
        params.append(code)
    if filt.section:
        where.append("r.k_section = ?")
        params.append(SECTIONS.index(filt.section) + 1 if filt.section in SECTIONS else -1)
    if filt.courthouse:
        where.append("t.k_courthouse = ?")
        params.append(-1 if courthouse_code is None else courthouse_code)
    if filt.review_state == "open":
        where.append(f"COALESCE(dec.k_decision, r.k_engine) = {HAND_REVIEW} AND NOT r.routed")
    elif filt.review_state == "reviewed":
        where.append("dec.id IS NOT NULL")
    elif filt.review_state == "changed":
        where.append("dec.id IS NOT NULL AND dec.k_then IS DISTINCT FROM r.k_engine")
    elif filt.review_state == "conflict":
        where.append("r.conflict")
    text = filt.text.strip()
    if text:
        like = f"%{text}%"
        where.append("(t.name ILIKE ? OR t.cii_number ILIKE ? OR t.case_number ILIKE ? OR t.subject_id = ?)")
        params += [like, like, like, text]
    order = None
    if sort_keys:
        direction = " DESC" if descending else ""
        order = ", ".join(f"{key}{direction} NULLS LAST" for key in sort_keys)
    pieces = " ".join(where) + " " + (order or "")
    ranks = tuple(dict.fromkeys(re.findall(r"\brank_(\w+)\.", pieces)))
    joins_text = bool(re.search(r"\bt\.", pieces))
    return SnapshotSpec(tuple(where), tuple(params), order, joins_text or bool(ranks),
                        bool(re.search(r"\bdec\.", pieces)), ranks, joins_text)


def snapshot_sql(t: DisplayTables, table: str, spec: SnapshotSpec) -> tuple[str, list]:
    source = f"{t.rows} r"
    if spec.joins_text:
        source += f" POSITIONAL JOIN {t.text} t"
    for column in spec.ranks:
        source += f" POSITIONAL JOIN {t.rank(column)} rank_{column}"
    if spec.needs_dec:
        source += f" LEFT JOIN {t.dec} dec ON dec.id = r.rowid"
    where = f" WHERE {' AND '.join(spec.where)}" if spec.where else ""
    order = f"{spec.order}, r.rowid" if spec.order else "r.rowid"
    sql = (f"CREATE OR REPLACE TABLE {table} AS SELECT CAST(r.rowid AS INTEGER) AS id, r.k_engine, r.routed "
           f"FROM {source}{where} ORDER BY {order}")
    return sql, list(spec.params)


# -- page reads and positions (short reads on the GUI thread) ----------------------------------------

def page_ids_sql(table: str) -> str:
    return f"SELECT id FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"


_DECISION = ("d.decision_id, d.determination, d.reviewer, d.reason, d.engine_determination")


def page_sql(t: DisplayTables) -> str:
    """Rows of the given ids (``$1``), from the display tables. Dict columns come back as codes."""
    codes = ", ".join(f"t.k_{column}" for column in DICT_COLUMNS)
    return (
        "SELECT r.id, r.k_engine, r.k_statutory, r.conflict, t.subject_id, t.cnt_order, t.name, t.cii_number, "
        f"t.case_number, t.reason, t.review_route, {codes}, {_DECISION} "
        f"FROM (SELECT rowid AS id, k_engine, k_statutory, conflict FROM {t.rows} WHERE rowid = ANY($1)) r "
        f"JOIN (SELECT rowid AS id, * FROM {t.text} WHERE rowid = ANY($1)) t ON t.id = r.id "
        "LEFT JOIN review_decision d ON d.active AND d.subject_id = t.subject_id AND d.cnt_order = t.cnt_order"
    )


def page_fallback_sql(t: DisplayTables) -> str:
    """The same rows before ``text`` exists: text values from ``count_result`` (``$1`` ids, ``$2`` run)."""
    values = ", ".join(f"c.{column}" for column in DICT_COLUMNS)
    return (
        f"WITH r AS (SELECT rowid AS id, row_seq, k_engine, k_statutory, conflict FROM {t.rows} "
        "            WHERE rowid = ANY($1)) "
        "SELECT r.id, r.k_engine, r.k_statutory, r.conflict, c.subject_id, c.cnt_order, c.name, c.cii_number, "
        f"c.case_number, c.reason, c.review_route, {values}, {_DECISION} "
        "FROM r JOIN count_result c ON c.run_id = $2 AND c.row_seq = r.row_seq "
        " AND c.row_seq BETWEEN (SELECT min(row_seq) FROM r) AND (SELECT max(row_seq) FROM r) "
        "LEFT JOIN review_decision d ON d.active AND d.subject_id = c.subject_id AND d.cnt_order = c.cnt_order"
    )


def find_id_sql(t: DisplayTables) -> str:
    """Id of a count (the primary key of ``count_result`` finds its ``row_seq``)."""
    return (f"SELECT rowid FROM {t.rows} WHERE row_seq = (SELECT row_seq FROM count_result "
            "WHERE run_id = ? AND subject_id = ? AND cnt_order = ?)")


def position_of_id_sql(table: str) -> str:
    return f"SELECT rowid FROM {table} WHERE id = ? LIMIT 1"


def next_open_sql(t: DisplayTables, table: str | None, forward: bool) -> str:
    """Position of the next (or previous) open count after/before a position (``table`` None: identity)."""
    cmp, order = (">", "ASC") if forward else ("<", "DESC")
    source = (f"(SELECT rowid AS pos, CAST(rowid AS INTEGER) AS id, k_engine, routed FROM {t.rows})" if table is None
              else f"(SELECT rowid AS pos, id, k_engine, routed FROM {table})")
    return (
        f"SELECT s.pos FROM {source} s LEFT JOIN {t.dec} dec ON dec.id = s.id "
        f"WHERE s.pos {cmp} ? AND COALESCE(dec.k_decision, s.k_engine) = {HAND_REVIEW} AND NOT s.routed "
        f"ORDER BY s.pos {order} LIMIT 1"
    )


def counts_sql() -> str:
    """Determination counts of a run plus open / reviewed / changed figures."""
    return (
        "SELECT final_determination, count(*) AS n, "
        f" count(*) FILTER (WHERE {_OPEN_FINAL}) AS open_n, "
        " count(*) FILTER (WHERE reviewed) AS reviewed_n, "
        " count(*) FILTER (WHERE engine_changed) AS changed_n "
        "FROM count_final WHERE run_id = ? GROUP BY final_determination"
    )
