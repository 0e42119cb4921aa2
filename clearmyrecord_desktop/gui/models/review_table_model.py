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

This module holds the Qt model API and the run, filter and sort state; the mixins ``review_builds``
(display tables), ``review_snapshot_jobs`` (ordered snapshots) and ``review_paging`` (page cache, row lookups)
do the rest, over ``review_run_state`` (one run's tables) and ``review_records`` (the row tuples).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont

from ...review.words import DETERMINATION_SHORT, DETERMINATION_WORDS
from .columns import COLUMNS
from .review_builds import TEXT_BUILD_DELAY_MS, DisplayBuilds
from .review_paging import MAX_PAGES, PAGE_SIZE, Paging
from .review_records import _FIELD, PAGE_FIELDS
from .review_run_state import _RunState
from .review_snapshot import ReviewFilter
from .review_snapshot_jobs import MAX_CACHED_SNAPSHOTS, SnapshotJobs

__all__ = ["MAX_CACHED_SNAPSHOTS", "MAX_PAGES", "PAGE_FIELDS", "PAGE_SIZE", "TEXT_BUILD_DELAY_MS", "ReviewTableModel"]

_COL_FIELD = [_FIELD[c.key] for c in COLUMNS]
_KIND = [c.kind for c in COLUMNS]
_ALIGN = [c.align for c in COLUMNS]
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


class ReviewTableModel(DisplayBuilds, SnapshotJobs, Paging, QAbstractTableModel):
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
