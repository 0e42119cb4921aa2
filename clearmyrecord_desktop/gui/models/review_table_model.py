"""The review table: a ``QAbstractTableModel`` paging from DuckDB.

- Per run, jobs materialise the display tables once (``review_snapshot.py``): first ``rows`` (integer
  keys only, so the list shows quickly in file order), then ``text`` in the background (display text,
  ranks and codes). A sort or filter that needs ``text`` waits for it, then runs.
- On filter or sort change a job writes an ordered snapshot by sorting on integer keys; the row
  count is the snapshot's size. With no filter and no sort there is no snapshot (position = id).
  Nothing loads every row.
- ``data()`` reads pages of ``PAGE_SIZE`` rows by position range into a small page cache and
  otherwise is a tuple lookup (Qt calls it ~1,500 times per repaint).
- The tables live in the connection's in-memory catalog, so every thread uses its own cursor: jobs
  open one each, and the GUI thread keeps a *pager cursor* for its short page reads.
- After a review decision, only the affected rows are re-read (``refresh_keys``).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from ...review.words import DETERMINATION_SHORT, DETERMINATION_WORDS
from .columns import COLUMNS, HIDDEN_FIELDS
from .review_snapshot import (BACKGROUND_RANKS, DETERMINATIONS, DICT_COLUMNS, RANKED_COLUMNS, DisplayTables,
                              ReviewFilter, SnapshotSpec, build_dec_sql, build_dict_sql, build_rank_sql,
                              build_rows_sql, build_text_sql, find_id_sql, load_dict_sql, next_open_sql,
                              page_fallback_sql, page_ids_sql, page_sql, position_of_id_sql, refresh_dec_sql,
                              snapshot_spec, snapshot_sql)

PAGE_SIZE = 256
MAX_PAGES = 48
MAX_CACHED_SNAPSHOTS = 4
TEXT_BUILD_DELAY_MS = 150
PAGE_FIELDS: tuple[str, ...] = tuple(c.key for c in COLUMNS) + HIDDEN_FIELDS
_FIELD = {name: i + 1 for i, name in enumerate(PAGE_FIELDS)}  # +1: position comes first
_COL_FIELD = [_FIELD[c.key] for c in COLUMNS]
_KIND = [c.kind for c in COLUMNS]
_ALIGN = [c.align for c in COLUMNS]
_DECISION_ID = _FIELD["decision_id"]
_DETERMINATION_OF = (None,) + DETERMINATIONS
_prefixes = itertools.count(1)
# Role constants looked up once: data() runs ~1,500 times per repaint.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_USER = Qt.ItemDataRole.UserRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROLES = frozenset((_DISPLAY, _USER, _TOOLTIP, _FONT, _ALIGNMENT, _ACCESSIBLE))


class _RunState:
    """One run's display tables and how far they are built."""

    def __init__(self, run_id: int):
        self.tables = DisplayTables(run_id, f"cmr_review{next(_prefixes)}")
        self.rows_ready = False
        self.text_ready = False
        self.failed = False
        self.count = 0
        self.decode: dict[str, dict[int, str]] = {}
        self.jobs: dict[int, object] = {}      # running jobs on these tables, by job id
        self.snapshots: set[str] = set()        # snapshot tables written for this run
        self.cache: OrderedDict[SnapshotSpec, tuple[str, int]] = OrderedDict()   # recent snapshots
        self.pending_keys: list[tuple[str, str]] = []
        self.retired = False
        # rank tables are built by workers: the background job or the first sort that needs one
        self.rank_locks = {column: threading.Lock() for column in RANKED_COLUMNS}
        self.ranks: set[str] = set()

    def ensure_ranks(self, cur, columns, cancel) -> None:
        """Build the rank tables ``columns`` unless built (worker threads only)."""
        for column in columns:
            with self.rank_locks[column]:
                if column not in self.ranks:
                    cancel.check()
                    cur.execute(build_rank_sql(self.tables, column)).fetchall()
                    self.ranks.add(column)


def _job_cursor(ws, cancel):
    cur = ws.cursor()
    cancel.add_interrupt(cur.interrupt)
    return cur


class ReviewTableModel(QAbstractTableModel):
    snapshot_started = Signal()
    snapshot_ready = Signal(int, float)        # rows, milliseconds
    snapshot_failed = Signal(object)           # JobOutcome
    display_ready = Signal(float)              # the run's text table is built (milliseconds)

    def __init__(self, ws, runner, parent: QObject | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._cur = ws.cursor()                 # the GUI thread's pager cursor
        self._run_id: int | None = None
        self._state: _RunState | None = None
        self._retired: list[_RunState] = []
        self._filter = ReviewFilter()
        self._sort: tuple[int, bool] | None = None   # (column, descending)
        self._table: str | None = None               # current snapshot; None = identity
        self._rows = 0
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._generation = 0
        self._snapshot_job = None
        self._snapshot_numbers = itertools.count(1)
        self._requested_at = 0.0
        self._kicked = -1                  # generation whose snapshot was started or shown
        self._closed = False
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- state --------------------------------------------------------------------------------
    @property
    def run_id(self) -> int | None:
        return self._run_id

    @property
    def current_filter(self) -> ReviewFilter:
        return self._filter

    @property
    def busy(self) -> bool:
        return self._snapshot_job is not None or (self._state is not None and not self._state.rows_ready)

    @property
    def display_tables_ready(self) -> bool:
        return self._state is not None and self._state.text_ready

    def set_run(self, run_id: int | None) -> None:
        if run_id != self._run_id or self._state is None or self._state.failed:
            self._run_id = run_id
            self._retire_state()
            if run_id is not None:
                self._state = _RunState(run_id)
                self._start_build(self._state)
        self.refresh()

    def set_filter(self, filt: ReviewFilter) -> None:
        if filt != self._filter:
            self._filter = filt
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        self._sort = None if column < 0 else (column, order == Qt.SortOrder.DescendingOrder)
        self.refresh()

    def close(self) -> None:
        if self._snapshot_job is not None:
            self._snapshot_job.cancel()
        self._retire_state()
        for state in self._retired:
            for handle in state.jobs.values():
                handle.cancel()
        self._runner.wait_all(10000)
        self._collect_garbage(force=True)
        self._closed = True
        try:
            self._cur.close()
        except Exception:  # noqa: BLE001 - closing at shutdown
            pass

    # -- building the display tables (jobs) -----------------------------------------------------
    def _start_build(self, state: _RunState) -> None:
        ws, tables = self._ws, state.tables

        def rows_job(progress, cancel):
            cur = _job_cursor(ws, cancel)
            try:
                progress.update(0, 2, "Preparing the case list…")
                cur.execute(*build_rows_sql(tables)).fetchall()
                cur.execute(*build_dec_sql(tables)).fetchall()
                return cur.execute(f"SELECT count(*) FROM {tables.rows}").fetchall()[0][0]
            finally:
                cur.close()

        def rows_done(outcome):
            if state.retired or outcome.error is not None:
                self._build_failed(state, outcome)
                return
            state.rows_ready, state.count = True, outcome.result
            for key in state.pending_keys:
                self._refresh_dec(state, key)
            state.pending_keys.clear()
            # build the rest once the first page has painted (so the two do not compete for the CPU)
            QTimer.singleShot(TEXT_BUILD_DELAY_MS, self, lambda: None if state.retired else self._start_text(state))
            spec = self._wanted_spec(state)
            if not spec.identity and not spec.where:
                # a sort only: show the list in file order meanwhile (a filter shows nothing until done)
                self._swap(None, state.count, 0.0, emit=False)
            self._kick()

        self._start_job(state, "Preparing the case list", rows_job, rows_done)

    def _start_text(self, state: _RunState) -> None:
        ws, tables = self._ws, state.tables
        started = time.perf_counter()

        def text_job(progress, cancel):
            cur = _job_cursor(ws, cancel)
            try:
                cur.execute(*build_dict_sql(tables)).fetchall()
                cancel.check()
                cur.execute(*build_text_sql(tables)).fetchall()
                decode: dict[str, dict[int, str]] = {column: {} for column in DICT_COLUMNS}
                for column, code, value in cur.execute(load_dict_sql(tables)).fetchall():
                    decode[column][code] = value
                return decode
            finally:
                cur.close()

        def text_done(outcome):
            if state.retired or outcome.error is not None:
                self._build_failed(state, outcome)
                return
            state.decode, state.text_ready = outcome.result, True
            self._kick()
            self._start_ranks(state, started)

        self._start_job(state, "Preparing sorting and search", text_job, text_done)

    def _start_ranks(self, state: _RunState, started: float) -> None:
        ws = self._ws

        def ranks_job(progress, cancel):
            cur = _job_cursor(ws, cancel)
            try:
                state.ensure_ranks(cur, BACKGROUND_RANKS, cancel)
            finally:
                cur.close()

        def ranks_done(outcome):
            if state.retired or outcome.error is not None:
                if outcome.error is not None and not outcome.cancelled and not state.retired:
                    self.snapshot_failed.emit(outcome)
                return
            self.display_ready.emit((time.perf_counter() - started) * 1000)

        self._start_job(state, "Preparing sorting", ranks_job, ranks_done)

    def _start_job(self, state: _RunState, title: str, job, done):
        holder = {}

        def finished(outcome):
            state.jobs.pop(holder["id"], None)
            if self._closed:
                return
            try:
                done(outcome)
            finally:
                self._collect_garbage()

        handle = self._runner.start(title, job, on_done=finished)
        holder["id"] = handle.job_id
        state.jobs[handle.job_id] = handle
        return handle

    def _build_failed(self, state: _RunState, outcome) -> None:
        if state.retired:
            return
        state.failed = True
        if outcome.error is not None and not outcome.cancelled:
            self.snapshot_failed.emit(outcome)

    def _retire_state(self) -> None:
        state, self._state = self._state, None
        if state is None:
            return
        state.retired = True
        for handle in state.jobs.values():
            handle.cancel()
        self._retired.append(state)
        self._generation += 1
        if self._snapshot_job is not None:
            self._snapshot_job.cancel()
            self._snapshot_job = None
        if self._table is not None or self._rows:
            self.beginResetModel()
            self._table, self._rows = None, 0
            self._pages.clear()
            self.endResetModel()

    def _collect_garbage(self, force: bool = False) -> None:
        """Drop the tables of retired runs once no job uses them (short, on the GUI thread)."""
        keep = []
        for state in self._retired:
            if state.jobs and not force:
                keep.append(state)
                continue
            for name in (*state.snapshots, *state.tables.all()):
                try:
                    self._cur.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
                except Exception:  # noqa: BLE001 - a table a cancelled job left behind; gone with the connection
                    pass
        self._retired = keep

    # -- snapshot -----------------------------------------------------------------------------
    def _wanted_spec(self, state: _RunState | None = None):
        state = state or self._state
        keys, descending = (), False
        if self._sort is not None:
            keys, descending = COLUMNS[self._sort[0]].sort_keys, self._sort[1]
        code = None
        if self._filter.courthouse and state is not None:
            code = next((k for k, v in state.decode.get("courthouse", {}).items() if v == self._filter.courthouse),
                        None)
        return snapshot_spec(self._filter, keys, descending, code)

    def refresh(self) -> None:
        """Rewrite the snapshot for the current run, filter and sort (a read job)."""
        if self._snapshot_job is not None:
            self._snapshot_job.cancel()
            self._snapshot_job = None
        self._generation += 1
        self._requested_at = time.perf_counter()
        if self._run_id is None:
            self._swap(None, 0, 0.0)
            return
        self.snapshot_started.emit()
        self._kick()

    def _kick(self) -> None:
        """Run the wanted snapshot as soon as the tables it needs exist."""
        state = self._state
        if state is None or not state.rows_ready or self._snapshot_job is not None:
            return
        generation = self._generation
        if self._kicked == generation:
            return
        spec = self._wanted_spec(state)
        if spec.identity:
            self._kicked = generation
            self._swap(None, state.count, (time.perf_counter() - self._requested_at) * 1000)
            return
        if spec.needs_text and not state.text_ready:
            return                             # text_done kicks again
        self._kicked = generation
        cached = state.cache.get(spec)
        if cached is not None:
            state.cache.move_to_end(spec)
            self._swap(*cached, (time.perf_counter() - self._requested_at) * 1000)
            return
        table = state.tables.snapshot(next(self._snapshot_numbers))
        state.snapshots.add(table)
        sql, params = snapshot_sql(state.tables, table, spec)
        ws = self._ws

        def job(progress, cancel):
            cur = _job_cursor(ws, cancel)
            try:
                progress.update(0, 1, "Sorting and filtering…")
                state.ensure_ranks(cur, spec.ranks, cancel)
                cur.execute(sql, params).fetchall()
                return cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            finally:
                cur.close()

        def done(outcome):
            if generation != self._generation or state is not self._state:
                self._release(state, table)
                return
            self._snapshot_job = None
            if outcome.error is not None:
                self._release(state, table)
                if not outcome.cancelled:
                    self.snapshot_failed.emit(outcome)
                return
            state.cache[spec] = (table, outcome.result)
            while len(state.cache) > MAX_CACHED_SNAPSHOTS:
                _spec, (old, _n) = state.cache.popitem(last=False)
                self._release(state, old)
            self._swap(table, outcome.result, (time.perf_counter() - self._requested_at) * 1000)

        self._snapshot_job = self._start_job(state, "Updating the case list", job, done)

    def _release(self, state: _RunState, table: str | None) -> None:
        """Drop a snapshot table unless it is shown or cached."""
        if table is None or table not in state.snapshots or table == self._table:
            return
        if any(cached == table for cached, _n in state.cache.values()):
            return
        state.snapshots.discard(table)
        try:
            self._cur.execute(f"DROP TABLE IF EXISTS {table}").fetchall()
        except Exception:  # noqa: BLE001 - dropped with the connection at the latest
            pass

    def _swap(self, table: str | None, rows: int, elapsed_ms: float, emit: bool = True) -> None:
        self.beginResetModel()
        old, self._table, self._rows = self._table, table, rows
        self._pages.clear()
        self.endResetModel()
        if old and old != table and self._state is not None:
            self._release(self._state, old)
        if emit:
            self.snapshot_ready.emit(rows, elapsed_ms)

    # -- paging -------------------------------------------------------------------------------
    def _ids(self, lo: int, hi: int) -> list[int]:
        if self._table is None:
            return list(range(lo, min(hi, self._rows - 1) + 1))
        return [r[0] for r in self._cur.execute(page_ids_sql(self._table), [lo, hi]).fetchall()]

    def _page(self, page: int) -> list[tuple] | None:
        rows = self._pages.get(page)
        if rows is not None:
            self._pages.move_to_end(page)
            return rows
        state = self._state
        if state is None or not state.rows_ready:
            return None
        lo = page * PAGE_SIZE
        ids = self._ids(lo, lo + PAGE_SIZE - 1)
        if not ids:
            return None
        if state.text_ready:
            fetched = self._cur.execute(page_sql(state.tables), [ids]).fetchall()
            decode = state.decode
            dicts = [decode.get(column, {}) for column in DICT_COLUMNS]
        else:
            fetched = self._cur.execute(page_fallback_sql(state.tables), [ids, state.tables.run_id]).fetchall()
            dicts = None
        by_id = {r[0]: r for r in fetched}
        rows = [None if by_id.get(row_id) is None else _record(lo + offset, by_id[row_id], dicts)
                for offset, row_id in enumerate(ids)]
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    def _record(self, row: int) -> tuple | None:
        if row < 0 or row >= self._rows:
            return None
        rows = self._page(row // PAGE_SIZE)
        if not rows:
            return None
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def row_values(self, row: int) -> dict | None:
        record = self._record(row)
        if record is None:
            return None
        return {name: record[i] for name, i in _FIELD.items()}

    def key_at(self, row: int) -> tuple[str, str] | None:
        record = self._record(row)
        return None if record is None else (record[_FIELD["subject_id"]], record[_FIELD["cnt_order"]])

    def find_row(self, subject_id: str, cnt_order: str) -> int | None:
        state = self._state
        if state is None or not state.rows_ready:
            return None
        found = self._cur.execute(find_id_sql(state.tables), [state.tables.run_id, subject_id, cnt_order]).fetchall()
        if not found:
            return None
        row_id = int(found[0][0])
        if self._table is None:
            return row_id if row_id < self._rows else None
        found = self._cur.execute(position_of_id_sql(self._table), [row_id]).fetchall()
        return int(found[0][0]) if found else None

    def next_open_row(self, after_row: int, forward: bool = True) -> int | None:
        """The next (or previous) count that still needs a hand review, in table order."""
        state = self._state
        if state is None or not state.rows_ready:
            return None
        found = self._cur.execute(next_open_sql(state.tables, self._table, forward), [after_row]).fetchall()
        return int(found[0][0]) if found else None

    def refresh_keys(self, keys: list[tuple[str, str]]) -> None:
        """Re-read the rows of these counts (after a review decision) without resetting the model."""
        state = self._state
        if state is not None:
            for key in keys:
                if state.rows_ready:
                    self._refresh_dec(state, key)
                else:
                    state.pending_keys.append(key)
            for spec in [spec for spec in state.cache if spec.needs_dec]:   # they depend on decisions
                table, _n = state.cache.pop(spec)
                self._release(state, table)
        wanted = set(keys)
        s_i, c_i = _FIELD["subject_id"], _FIELD["cnt_order"]
        for page, rows in list(self._pages.items()):
            hits = [r[0] for r in rows if r is not None and (r[s_i], r[c_i]) in wanted]
            if not hits:
                continue
            del self._pages[page]
            for row in hits:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _refresh_dec(self, state: _RunState, key: tuple[str, str]) -> None:
        for sql, params in refresh_dec_sql(state.tables):
            self._cur.execute(sql, [*params, *key]).fetchall()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if role not in _ROLES or not index.isValid():
            return None
        col = index.column()
        if role == _ALIGNMENT:
            return _ALIGN[col]
        record = self._record(index.row())
        if record is None:
            return "…" if role == _DISPLAY else None
        kind = _KIND[col]
        value = record[_COL_FIELD[col]]
        if role == _DISPLAY:
            if kind == "text":
                return "" if value is None else str(value)
            if kind == "determination":
                return DETERMINATION_SHORT.get(value or "", value or "")
            return self._review_text(record, False)
        if role == _USER:
            return self._review_marker(record) if kind == "review" else value
        if role == _FONT:
            return self._italic if (col == 0 and record[_DECISION_ID] is not None) else None
        if role == _TOOLTIP:
            return self._tooltip(record, col)
        if kind == "determination":
            return DETERMINATION_WORDS.get(value or "", value or "")
        if kind == "review":
            return self._review_text(record, True)
        return "" if value is None else str(value)

    @staticmethod
    def _review_marker(record: tuple) -> str:
        if record[_FIELD["decision_id"]] is None:
            return ""
        return "changed" if record[_FIELD["engine_then"]] != record[_FIELD["engine"]] else "reviewed"

    def _review_text(self, record: tuple, spoken: bool) -> str:
        marker = self._review_marker(record)
        if not marker:
            return "" if not spoken else "Not reviewed"
        reviewer = record[_FIELD["reviewer"]] or ""
        initials = "".join(p[0] for p in reviewer.split() if p).upper()
        if spoken:
            text = f"Decided by {reviewer}"
            return text + "; the engine result changed since" if marker == "changed" else text
        return f"⚠ {initials}" if marker == "changed" else f"✎ {initials}"

    def _tooltip(self, record: tuple, col: int) -> str | None:
        key = COLUMNS[col].key
        if key in ("final", "review") and record[_FIELD["decision_id"]] is not None:
            text = (f"Reviewer's decision by {record[_FIELD['reviewer']]}: "
                    f"{DETERMINATION_WORDS.get(record[_FIELD['decision']], '')}\n"
                    f"Reason: {record[_FIELD['review_reason']]}")
            if self._review_marker(record) == "changed":
                text += (f"\nThe engine result changed since: it was "
                         f"{DETERMINATION_WORDS.get(record[_FIELD['engine_then']] or '', '?')}, it is now "
                         f"{DETERMINATION_WORDS.get(record[_FIELD['engine']] or '', '?')}.")
            return text
        if key == "reason":
            return record[_FIELD["reason"]]
        return COLUMNS[col].tooltip

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                if role == Qt.ItemDataRole.DisplayRole:
                    return COLUMNS[section].header
                if role == Qt.ItemDataRole.ToolTipRole:
                    return COLUMNS[section].tooltip
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._rows:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS


_DICT_KEYS = tuple(DICT_COLUMNS)


def _record(position: int, r: tuple, dicts: list[dict[int, str]] | None) -> tuple:
    """A page row as ``(position, *PAGE_FIELDS)``. ``r`` is a row of ``page_sql`` (dict columns as codes,
    decoded with ``dicts``) or of ``page_fallback_sql`` (``dicts`` None: values as they are)."""
    (_id, k_engine, k_statutory, conflict, subject_id, cnt_order, name, cii_number, case_number, reason,
     review_route, *rest) = r
    n = len(_DICT_KEYS)
    coded, (decision_id, decision, reviewer, review_reason, engine_then) = rest[:n], rest[n:]
    if dicts is None:
        values = dict(zip(_DICT_KEYS, coded))
    else:
        values = {key: (None if code is None else d.get(code)) for key, code, d in zip(_DICT_KEYS, coded, dicts)}
    engine = _DETERMINATION_OF[k_engine] if k_engine < len(_DETERMINATION_OF) else None
    fields = {
        "final": decision if decision_id is not None else engine,
        "review": "",
        "name": name, "cii_number": cii_number, "case_number": case_number,
        "courthouse": values["courthouse"], "code_section": values["code_section"], "level": values["level"],
        "conviction_date": values["conviction_date"],
        "statutory": _DETERMINATION_OF[k_statutory] if k_statutory < len(_DETERMINATION_OF) else None,
        "policy": engine, "relief_path": values["relief_path"], "reason": reason,
        "subject_id": subject_id, "cnt_order": cnt_order, "engine": engine, "review_route": review_route,
        "policy_conflict": conflict, "decision_id": decision_id, "decision": decision, "reviewer": reviewer,
        "review_reason": review_reason, "engine_then": engine_then,
    }
    return (position, *(fields[name] for name in PAGE_FIELDS))
