"""A small read-only table model over one SQL query, paged with LIMIT/OFFSET.

For modest tables (quarantine list, audit log, import results): pages of 256 rows are read on the
GUI thread with the model's own cursor. Not for the review table (see review_table_model.py).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

PAGE_SIZE = 256


class QueryTableModel(QAbstractTableModel):
    def __init__(self, ws, sql: str, params: list | None, headers: list[str],
                 tooltips: list[str] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._ws, self._sql, self._params = ws, sql, list(params or [])
        self._headers = headers
        self._tooltips = tooltips or headers
        self._cur = ws.cursor() if ws is not None else None
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._rows = self._count()

    def _count(self) -> int:
        if self._cur is None:
            return 0
        return self._cur.execute(f"SELECT count(*) FROM ({self._sql})", self._params).fetchall()[0][0]

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._rows = self._count()
        self.endResetModel()

    def close(self) -> None:
        if self._cur is not None:
            self._cur.close()
            self._cur = None

    def row_tuple(self, row: int) -> tuple | None:
        if row < 0 or row >= self._rows or self._cur is None:
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._cur.execute(f"{self._sql} LIMIT {PAGE_SIZE} OFFSET {page * PAGE_SIZE}",
                                     self._params).fetchall()
            self._pages[page] = rows
            while len(self._pages) > 32:
                self._pages.popitem(last=False)
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                               Qt.ItemDataRole.UserRole):
            return None
        record = self.row_tuple(index.row())
        if record is None:
            return None
        value = record[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return value
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltips[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
