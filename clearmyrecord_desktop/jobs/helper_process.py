"""A helper process: a second Python process for plain-Python work on a county PC's second core.

Used by pass 1 of a large import (importers/scan_split.py) and by the decisions of a large
evaluation (rules/decide_split.py). The helper is started with ``spawn`` (never ``fork``: this
process runs DuckDB's threads, and Windows has no fork) and imports only the module of its target.
It runs as a daemon (it ends with this process) and its callers always have a way to do its share
themselves, for a PC where no second process may start.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import types
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Callable, Iterator

log = logging.getLogger("cmr.jobs")


def available(env: str) -> bool:
    """A second processor is there and the environment variable ``env`` is not ``1``."""
    return (os.cpu_count() or 1) >= 2 and os.environ.get(env, "").strip() != "1"


def start(target: Callable, args: tuple, *, name: str, what: str = "the work",
          inbox: bool = False) -> tuple[BaseProcess | None, Connection | None, Connection | None]:
    """Start ``target(outbox, *args)`` (or with ``inbox``, ``target(outbox, inbox, *args)``) in a
    helper process: the helper sends on ``outbox`` and receives on ``inbox``. Returns (process,
    this side's receiving end, this side's sending end or None), or (None, None, None) when no
    process can be started."""
    ctx = multiprocessing.get_context("spawn")
    receiver, outbox = ctx.Pipe(duplex=False)
    ours = [receiver]
    theirs = [outbox]
    sender = None
    if inbox:
        their_inbox, sender = ctx.Pipe(duplex=False)
        ours.append(sender)
        theirs.append(their_inbox)
    child = ctx.Process(target=target, name=name, args=(*theirs, *args), daemon=True)
    try:
        with _main_module_hidden():
            child.start()
    except (OSError, RuntimeError) as exc:
        log.warning("%s runs in one process: a helper process could not be started (%s)", what, type(exc).__name__)
        for conn in ours + theirs:
            conn.close()
        return None, None, None
    for conn in theirs:
        conn.close()
    return child, receiver, sender


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """While a helper is started, ``__main__`` is an empty module: ``spawn`` would otherwise run
    the top level of the starting script again in the helper (a script without an
    ``if __name__ == "__main__"`` guard would then run twice; the GUI's main module would load
    Qt there). The helper needs only its target's module; a frozen app on Windows behaves so too."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def stop(child: BaseProcess, *conns: Connection | None) -> None:
    """End the helper (if it still runs) and close this side's ends of its pipes."""
    if child.is_alive():
        child.terminate()
        child.join(timeout=5)
        if child.is_alive():  # a stopped or stuck process may not take the polite signal
            child.kill()
    child.join()
    for conn in conns:
        if conn is not None:
            conn.close()


def parent_check() -> Callable[[], None]:
    """In the helper: a function that ends the helper when the process that started it is gone."""
    parent = multiprocessing.parent_process()

    def check() -> None:
        if parent is not None and not parent.is_alive():
            raise SystemExit(1)  # the job is gone: its temporary files are removed by the workspace
    return check
