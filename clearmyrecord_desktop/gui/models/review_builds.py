"""Building a run's display tables for the review table model, in jobs: first ``rows`` (integer keys
only, so the list shows quickly in file order), then ``text`` and the dictionaries, then the rank tables
in the background; retired runs' tables are dropped once no job uses them."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from .review_run_state import _job_cursor, _RunState
from .review_snapshot import (BACKGROUND_RANKS, DICT_COLUMNS, build_dec_sql, build_dict_sql, build_rows_sql,
                              build_text_sql, load_dict_sql)

TEXT_BUILD_DELAY_MS = 150


class DisplayBuilds:
    """Mixin of :class:`ReviewTableModel`: the jobs that build a run's display tables."""

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
