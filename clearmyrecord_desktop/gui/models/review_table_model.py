"""The review table: a ``QAbstractTableModel`` paging from DuckDB.

- On filter or sort change a job writes an ordered snapshot TEMP table (``review_snapshot.py``);
  the row count is the snapshot's size. Nothing loads every row.
- ``data()`` reads pages of ``PAGE_SIZE`` rows by position range into a small page cache and
  otherwise is a tuple lookup (Qt calls it ~1,500 times per repaint).
- TEMP tables belong to one connection, so the model owns one dedicated *pager cursor*. The snapshot
  job uses it on a worker while the GUI thread stays off it (a lock; ``data()`` never waits for it).
- After a review decision, only the affected rows are re-read (``refresh_keys``).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont

from ...review.words import DETERMINATION_SHORT, DETERMINATION_WORDS
from .columns import COLUMNS
from .review_snapshot import (PAGE_FIELDS, ReviewFilter, find_sql, next_open_sql, page_sql,
                              snapshot_sql)

PAGE_SIZE = 256
MAX_PAGES = 48
_FIELD = {name: i + 1 for i, name in enumerate(PAGE_FIELDS)}  # +1: position comes first
_COL_FIELD = [_FIELD[c.key] for c in COLUMNS]
_KIND = [c.kind for c in COLUMNS]
_ALIGN = [c.align for c in COLUMNS]
_snapshot_names = itertools.count(1)
_DECISION_ID = _FIELD["decision_id"]
# Role constants looked up once: data() runs ~1,500 times per repaint.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_USER = Qt.ItemDataRole.UserRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROLES = frozenset((_DISPLAY, _USER, _TOOLTIP, _FONT, _ALIGNMENT, _ACCESSIBLE))


class ReviewTableModel(QAbstractTableModel):
    snapshot_started = Signal()
    snapshot_ready = Signal(int, float)        # rows, milliseconds
    snapshot_failed = Signal(object)           # JobOutcome

    def __init__(self, ws, runner, parent: QObject | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._cur = ws.cursor()
        self._lock = threading.Lock()
        self._run_id: int | None = None
        self._filter = ReviewFilter()
        self._sort: tuple[int, bool] | None = None   # (column, descending)
        self._table: str | None = None
        self._rows = 0
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._generation = 0
        self._job = None
        self._garbage: list[str] = []
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
        return self._job is not None

    def set_run(self, run_id: int | None) -> None:
        self._run_id = run_id
        self.refresh()

    def set_filter(self, filt: ReviewFilter) -> None:
        if filt != self._filter:
            self._filter = filt
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        self._sort = None if column < 0 else (column, order == Qt.SortOrder.DescendingOrder)
        self.refresh()

    def close(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self._runner.wait_all(10000)
        with self._lock:
            try:
                self._cur.close()
            except Exception:  # noqa: BLE001 - closing at shutdown
                pass

    # -- snapshot job -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rewrite the snapshot for the current run, filter and sort (a read job)."""
        if self._job is not None:
            self._job.cancel()
        self._generation += 1
        generation = self._generation
        if self._run_id is None:
            self._swap(None, 0, 0.0)
            return
        table = f"cmr_snap_{next(_snapshot_names)}"
        sort_sql, descending = None, False
        if self._sort is not None:
            sort_sql, descending = COLUMNS[self._sort[0]].sort_sql, self._sort[1]
        sql, params = snapshot_sql(table, self._run_id, self._filter, sort_sql, descending)
        cur, lock = self._cur, self._lock

        def job(progress, cancel):
            with lock:
                cancel.check()
                cancel.add_interrupt(cur.interrupt)
                try:
                    started = time.perf_counter()
                    progress.update(0, 1, "Sorting and filtering…")
                    cur.execute(sql, params).fetchall()
                    rows = cur.execute(f"SELECT count(*) FROM temp.{table}").fetchall()[0][0]
                    return table, rows, (time.perf_counter() - started) * 1000
                finally:
                    cancel.remove_interrupt(cur.interrupt)

        def done(outcome):
            if generation != self._generation:
                if outcome.result:
                    self._garbage.append(outcome.result[0])
                return
            self._job = None
            if outcome.error is not None:
                if not outcome.cancelled:
                    self.snapshot_failed.emit(outcome)
                return
            self._swap(*outcome.result)

        self.snapshot_started.emit()
        self._job = self._runner.start("Updating the case list", job, on_done=done)

    def _swap(self, table: str | None, rows: int, elapsed_ms: float) -> None:
        self.beginResetModel()
        old, self._table, self._rows = self._table, table, rows
        self._pages.clear()
        self.endResetModel()
        if old:
            self._garbage.append(old)
        self._collect_garbage()
        self.snapshot_ready.emit(rows, elapsed_ms)

    def _collect_garbage(self) -> None:
        if not self._garbage or not self._lock.acquire(blocking=False):
            return
        try:
            while self._garbage:
                self._cur.execute(f"DROP TABLE IF EXISTS temp.{self._garbage.pop()}").fetchall()
        finally:
            self._lock.release()

    # -- paging -------------------------------------------------------------------------------
    def _page(self, page: int) -> list[tuple] | None:
        rows = self._pages.get(page)
        if rows is not None:
            self._pages.move_to_end(page)
            return rows
        if self._table is None or not self._lock.acquire(blocking=False):
            return None
        try:
            lo = page * PAGE_SIZE
            rows = self._cur.execute(page_sql(self._table),
                                     [lo, lo + PAGE_SIZE - 1, self._run_id]).fetchall()
        finally:
            self._lock.release()
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

    def _position_query(self, sql: str, params: list) -> int | None:
        if self._table is None or not self._lock.acquire(blocking=False):
            return None
        try:
            found = self._cur.execute(sql, params).fetchall()
        finally:
            self._lock.release()
        return int(found[0][0]) if found else None

    def find_row(self, subject_id: str, cnt_order: str) -> int | None:
        return self._position_query(find_sql(self._table or "x"), [subject_id, cnt_order])

    def next_open_row(self, after_row: int, forward: bool = True) -> int | None:
        """The next (or previous) count that still needs a hand review, in table order."""
        return self._position_query(next_open_sql(self._table or "x", forward), [after_row])

    def refresh_keys(self, keys: list[tuple[str, str]]) -> None:
        """Re-read the rows of these counts (after a review decision) without resetting the model."""
        wanted = set(keys)
        s_i, c_i = _FIELD["subject_id"], _FIELD["cnt_order"]
        for page, rows in list(self._pages.items()):
            hits = [page * PAGE_SIZE + i for i, r in enumerate(rows) if (r[s_i], r[c_i]) in wanted]
            if not hits:
                continue
            del self._pages[page]
            for row in hits:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

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
                    f"{DETERMINATION_WORDS.get(record[_FIELD['decision'] ], '')}\n"
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
