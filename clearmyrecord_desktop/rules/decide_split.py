"""The decisions of a large evaluation on two processors: a helper process decides some people
while this process reads and decides the others.

Deciding is plain Python (rules/statutory.py, precedence.py ...) and runs on one processor; on a
county PC's two cores it was half of a run while the other core stood idle. The helper
(jobs/helper_process.py) is started as soon as the engine knows how many people there are, so it
has imported the rules before the first person is read. This process hands it whole people: the
person's facts and the raw rows of their counts as SQL gave them (``pack``: plain values, which
pickle fast; the objects of derive.py do not), in batches of :data:`BATCH` people and only while
fewer than :data:`AHEAD` batches wait to be decided, so that both processors stay busy; near the
end, no more people are handed over than are left to read here, so that both finish together.
Two threads of this process carry the pipes (a write waits while the helper is busy).

The helper decides each person exactly as the engine does (``engine.decide_person``), writes its
result rows to a temporary CSV of its own and sums its impact figures; the engine loads both CSV
files in one statement (count_result is stored in file order either way) and adds up the figures
(rules/impact.py), so the run is the same as in one process (tests/unit/rules/test_decide_split.py).
Where the helper cannot be started, ends without its result (a locked-down PC) or falls silent
for :data:`STALL_SECONDS`, this process decides the people it had handed over itself.
``CLEARMYRECORD_EVAL_PROCESSES=1`` turns the split off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import pickle
import queue
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from ..jobs import helper_process
from .derive import Person, Shell, build_person, date_values, make_person
from .impact import ImpactCounter
from .results import ResultWriter, WrittenRows

log = logging.getLogger("cmr.engine")

ENV = "CLEARMYRECORD_EVAL_PROCESSES"
#: fewer people than this are decided in one process (starting a helper costs ~0.3-1 s)
MIN_PEOPLE = 10_000
#: people per batch handed to the helper
BATCH = 200
#: batches handed over and not yet decided, at most
AHEAD = 10
_POLL_SECONDS = 0.1
#: a helper silent this long while it has people to decide is taken as stuck: its share is decided here
STALL_SECONDS = 60.0


def pack(shell: Shell, rows: list[tuple], conflicts_of: Callable[[str, str], dict]) -> tuple:
    """A person as handed over: their shell and count rows (plain values, dates as day numbers, as
    SQL gives them) and the disagreements of their conflicting counts (read here: the helper has no
    workspace)."""
    return shell, rows, {r[1]: conflicts_of(r[0], r[1]) for r in rows if r[15]}


def unpack(packed: tuple, dv) -> Person:
    """The person of :func:`pack`, with their counts (``dv``: derive.date_values)."""
    shell, rows, conflicts = packed
    return build_person(make_person(shell, dv), rows, lambda _subject, cnt: conflicts[cnt], dv)


def worth_splitting(people: int) -> bool:
    return people >= MIN_PEOPLE and helper_process.available(ENV)


class DecideSplit:
    """This process's side of the helper. ``take`` is derive.iter_people's ``take``; ``finish``
    gives the helper's rows and figures, or decides its share here when it has none."""

    def __init__(self, child, receiver, sender, out_path: Path, people: int):
        self._child, self._receiver, self._sender = child, receiver, sender
        self.out_path = out_path
        self._people = people  # how many people there may be (derive.iter_people's on_people)
        self._seen = 0
        self._batch: list[tuple] = []
        # every batch handed over, kept on disk (length-prefixed) for deciding here if the helper
        # fails: memory stays flat whatever the county's size (~75 MB of batches for 10M rows)
        self._spool_path = out_path.with_name(out_path.stem + "-handed.tmp")
        self._spool = open(self._spool_path, "w+b")
        self._sent = 0
        # set by the reader thread (plain values: the GIL keeps them whole)
        self._ready = False
        self._done = 0                # batches the helper has decided
        self._failed = False
        self._final: tuple | None = None
        self._heard = time.monotonic()
        self._ended = threading.Event()
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._threads = [threading.Thread(target=self._write_batches, name="cmr-decide-out", daemon=True),
                         threading.Thread(target=self._read_messages, name="cmr-decide-in", daemon=True)]
        for thread in self._threads:
            thread.start()

    @classmethod
    def start(cls, policy, county: str, as_of: dt.date, out_path: Path, people: int) -> "DecideSplit | None":
        try:
            blob = pickle.dumps(policy)
        except Exception as exc:  # noqa: BLE001 - a policy object that cannot travel: decide here
            log.warning("decisions run in one process: the policy cannot be given to a helper (%s)",
                        type(exc).__name__)
            return None
        child, receiver, sender = helper_process.start(
            _helper, (blob, county, as_of, str(out_path)), name="cmr-decide", what="deciding", inbox=True)
        return None if child is None else cls(child, receiver, sender, out_path, people)

    # -- handing people over ---------------------------------------------------------------
    def take(self, shell: Shell, rows: list[tuple], conflicts_of) -> bool:
        self._seen += 1
        waiting = self._sent - self._done  # batches handed over, not yet decided
        if self._failed or not self._ready or waiting + 1 > AHEAD:
            return False
        if waiting * BATCH + len(self._batch) >= self._people - self._seen:
            return False  # the end is near: the helper has as many people waiting as are left here
        self._batch.append(pack(shell, rows, conflicts_of))
        if len(self._batch) >= BATCH:
            self._hand_over()
        return True

    def _hand_over(self) -> None:
        blob = pickle.dumps(self._batch, protocol=pickle.HIGHEST_PROTOCOL)
        self._batch = []
        self._spool.write(len(blob).to_bytes(8, "little"))
        self._spool.write(blob)
        self._sent += 1
        self._queue.put(blob)

    def _write_batches(self) -> None:
        """The pipe writer thread: batches in order, then the end mark (None)."""
        while True:
            blob = self._queue.get()
            try:
                if blob is None:
                    self._sender.send_bytes(b"")
                    return
                self._sender.send_bytes(blob)
            except (OSError, ValueError):  # the helper is gone: finish() decides its share here
                return

    def _read_messages(self) -> None:
        """The pipe reader thread: the helper's "ready", a "decided" per batch, then its result."""
        try:
            while True:
                msg = self._receiver.recv()
                self._heard = time.monotonic()
                if msg == "ready":
                    self._ready = True
                elif msg == "decided":
                    self._done += 1
                else:
                    self._final = msg
                    return
        except (EOFError, OSError):
            self._failed = True
        finally:
            self._ended.set()

    # -- the end ---------------------------------------------------------------------------
    def finish(self, decide_here: Callable[[Person], None],
               check_cancel: Callable[[], None]) -> tuple[WrittenRows, ImpactCounter] | None:
        """The helper's rows and figures once it has decided every person handed over; None when
        it ended without them, after ``decide_here`` has decided those people in this process."""
        if self._batch:
            self._hand_over()
        self._queue.put(None)
        if self._sent:
            outcome = self._outcome(check_cancel)
            if outcome is not None:
                return outcome
            log.warning("deciding: the helper process ended without a result (exit code %s); its people "
                        "are decided here", self._child.exitcode)
        dv = date_values()
        for blob in self._handed_over():
            for packed in pickle.loads(blob):
                decide_here(unpack(packed, dv))
        return None

    def _handed_over(self) -> Iterator[bytes]:
        """The batches handed over, in order, read back from the spool file."""
        self._spool.seek(0)
        for _ in range(self._sent):
            size = int.from_bytes(self._spool.read(8), "little")
            yield self._spool.read(size)

    def _outcome(self, check_cancel: Callable[[], None]) -> tuple[WrittenRows, ImpactCounter] | None:
        waiting_since = time.monotonic()  # the helper may have been idle before: silence counts from here
        while not self._ended.wait(_POLL_SECONDS):
            check_cancel()
            if time.monotonic() - max(self._heard, waiting_since) > STALL_SECONDS:
                log.warning("deciding: the helper process sent nothing for %d s", STALL_SECONDS)
                self._child.kill()  # stuck (or stopped): its share is decided here
                return None
        if self._final is None:
            return None
        kind, payload = self._final
        if kind == "error":
            log.warning("deciding: the helper process failed (%s)", payload)
            return None
        return payload

    def close(self) -> None:
        """Stop the helper and remove its file (after ``finish``, or on an error or Cancel)."""
        self._queue.put(None)
        helper_process.stop(self._child, self._receiver, self._sender)
        for thread in self._threads:
            thread.join(timeout=5)
        self._spool.close()
        for path in (self.out_path, self._spool_path):
            with contextlib.suppress(OSError):
                path.unlink()


def _helper(outbox, inbox, policy_blob: bytes, county: str, as_of: dt.date, out_path: str) -> None:
    """The helper: decide the people of each batch received until the end mark (an empty
    message), then send its rows file and figures."""
    try:
        from .engine import decide_person  # the rules load here, while the engine runs its SQL

        gc.disable()  # as in the engine (engine._gc_paused): the rules make no reference cycles
        policy = pickle.loads(policy_blob)
        writer = ResultWriter(Path(out_path))
        figures = ImpactCounter(as_of)
        dv = date_values()
        outbox.send("ready")
        while blob := inbox.recv_bytes():
            for packed in pickle.loads(blob):
                decide_person(unpack(packed, dv), county, as_of, policy, writer, figures)
            outbox.send("decided")
        outbox.send(("ok", (writer.finish(), figures)))
    except (EOFError, OSError):
        return  # the engine is gone (Cancel, a crash): the workspace removes the file later
    except Exception as exc:  # noqa: BLE001 - every failure goes to the engine, which decides here
        with contextlib.suppress(Exception):
            outbox.send(("error", type(exc).__name__))  # never the message: it may quote a record
    finally:
        outbox.close()
