"""Paging for the review table model: pages of ``PAGE_SIZE`` rows read by position range into a small
page cache on the GUI thread's pager cursor; finding rows; re-reading the rows of decided counts."""

from __future__ import annotations

from .columns import COLUMNS
from .review_records import _FIELD, _record
from .review_run_state import _RunState
from .review_snapshot import (DICT_COLUMNS, find_id_sql, next_open_sql, page_fallback_sql, page_ids_sql,
                              page_sql, position_of_id_sql, refresh_dec_sql)

PAGE_SIZE = 256
MAX_PAGES = 48


class Paging:
    """Mixin of :class:`ReviewTableModel`: page reads, row lookups and row refreshes."""

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
