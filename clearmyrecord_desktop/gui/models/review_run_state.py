"""One run's display tables in the review table model: how far they are built, the jobs using them,
the recent snapshots and the rank tables (built by worker threads)."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from .review_snapshot import RANKED_COLUMNS, DisplayTables, SnapshotSpec, build_rank_sql

_prefixes = itertools.count(1)


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
