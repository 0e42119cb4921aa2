"""Progress of one long DuckDB statement, for the progress bar (DuckDB's own estimate).

A single statement such as the import's INSERT can run for minutes on a county file; without
this the bar would stand still meanwhile. A helper thread asks the cursor for
``query_progress()`` a few times a second and passes the fraction on.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Callable, Iterator

import duckdb


@contextlib.contextmanager
def reporting(cur: duckdb.DuckDBPyConnection, report: Callable[[float], None],
              every_s: float = 0.25) -> Iterator[None]:
    """While the block runs a statement on ``cur``, call ``report(fraction 0..1)`` from a helper
    thread whenever DuckDB has an estimate. DuckDB prints nothing (its own bar is turned off)."""
    cur.execute("SET enable_progress_bar = true")
    cur.execute("SET enable_progress_bar_print = false")
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(every_s):
            try:
                pct = cur.query_progress()
            except duckdb.Error:
                continue
            if pct >= 0:
                report(min(pct, 100.0) / 100.0)

    thread = threading.Thread(target=poll, name="cmr-query-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
