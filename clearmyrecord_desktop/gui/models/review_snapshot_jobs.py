"""Ordered snapshots for the review table model: on a filter or sort change a job writes a snapshot
sorted on integer keys (none with no filter and no sort: position = id); recent ones are cached per run."""

from __future__ import annotations

import time

from .columns import COLUMNS
from .review_run_state import _job_cursor, _RunState
from .review_snapshot import snapshot_spec, snapshot_sql

MAX_CACHED_SNAPSHOTS = 4


class SnapshotJobs:
    """Mixin of :class:`ReviewTableModel`: the wanted snapshot, its job, the cache and the swap."""

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
