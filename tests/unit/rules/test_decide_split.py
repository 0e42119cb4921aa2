"""Deciding on two processors (rules/decide_split.py): a run whose people are partly decided by a
helper process is exactly the run of one process (every result column and the impact figures), on
the golden cases and on a synthetic county; a helper that cannot start or dies mid-run changes
nothing; Cancel stops the helper and saves nothing."""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.jobs import helper_process
from clearmyrecord_desktop.jobs.progress import CancelToken, Cancelled
from clearmyrecord_desktop.rules import decide_split, derive, statutory
from clearmyrecord_desktop.rules.decide_split import DecideSplit
from clearmyrecord_desktop.rules.engine import evaluate
from clearmyrecord_desktop.store.database import open_workspace
from clearmyrecord_desktop.synth.generator import generate

CASES = Path(__file__).parents[2] / "data" / "cases"
AS_OF = dt.date(2020, 7, 1)
POLICIES = ["statutory", "los_angeles_2020", "bear_compatible"]


@pytest.fixture(autouse=True)
def _split_everything(monkeypatch):
    """Every run splits, in batches of two people, and the helper is ready before the first
    person is read (on these small files the engine would otherwise finish first)."""
    monkeypatch.setattr(decide_split, "MIN_PEOPLE", 0)
    monkeypatch.setattr(decide_split, "BATCH", 2)
    monkeypatch.setattr(helper_process.os, "cpu_count", lambda: 2)
    monkeypatch.delenv(decide_split.ENV, raising=False)
    real_start = DecideSplit.start.__func__
    started: list[DecideSplit] = []

    def start_when_ready(cls, *args):
        split = real_start(cls, *args)
        deadline = time.monotonic() + 60
        while split is not None and not split._ready and not split._failed and time.monotonic() < deadline:
            time.sleep(0.01)
        if split is not None:
            started.append(split)
        return split
    monkeypatch.setattr(DecideSplit, "start", classmethod(start_when_ready))
    return started


@pytest.fixture(scope="module")
def golden_ws(tmp_path_factory):
    ws = open_workspace(tmp_path_factory.mktemp("golden") / "ws.duckdb")
    import_files(ws, [CASES / "statutory_cases.csv"])
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def synthetic_ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "doj.csv", people=400, seed=64, county="LOS ANGELES", dirty=True)
    ws = open_workspace(folder / "ws.duckdb")
    import_files(ws, [folder / "doj.csv"])
    yield ws
    ws.close()


def _run(ws, policy: str, **kw) -> tuple[list, str]:
    run_id = evaluate(ws, "LOS ANGELES", AS_OF, policy, **kw)
    rows = ws.query("SELECT * EXCLUDE (run_id) FROM count_result WHERE run_id = ? ORDER BY subject_id, cnt_order",
                    [run_id])
    return rows, ws.query("SELECT impact FROM eval_run WHERE run_id = ?", [run_id])[0][0]


def _one_process(ws, policy: str, monkeypatch) -> tuple[list, str]:
    with monkeypatch.context() as m:
        m.setenv(decide_split.ENV, "1")
        return _run(ws, policy)


def _taken(monkeypatch) -> list[int]:
    """Counts the people handed to the helper."""
    taken: list[int] = []
    real = DecideSplit.take

    def take(self, *args):
        ok = real(self, *args)
        if ok:
            taken.append(1)
        return ok
    monkeypatch.setattr(DecideSplit, "take", take)
    return taken


@pytest.mark.parametrize("policy", POLICIES)
def test_a_split_run_is_the_run_of_one_process(golden_ws, policy, monkeypatch, _split_everything):
    taken = _taken(monkeypatch)
    split = _run(golden_ws, policy)
    assert _split_everything and len(taken) > 5  # the helper did decide people
    assert split == _one_process(golden_ws, policy, monkeypatch)


def test_a_split_run_on_a_synthetic_county(synthetic_ws, monkeypatch):
    taken = _taken(monkeypatch)
    split = _run(synthetic_ws, "los_angeles_2020")
    assert len(taken) >= 10  # at least the first batches (AHEAD of them) go at once
    expected = _one_process(synthetic_ws, "los_angeles_2020", monkeypatch)
    assert len(expected[0]) > 100
    assert split == expected


def test_progress_counts_the_people_the_helper_decides(golden_ws, monkeypatch):
    from clearmyrecord_desktop.jobs.progress import RecordingProgress
    from clearmyrecord_desktop.rules import engine

    monkeypatch.setattr(engine, "_CHECK_EVERY", 1)
    taken = _taken(monkeypatch)
    progress = RecordingProgress()
    evaluate(golden_ws, "LOS ANGELES", AS_OF, "statutory", progress=progress)
    deciding = [(done, total) for done, total, message in progress.updates if message == "Deciding counts"]
    fractions = [done / total for done, total, _ in progress.updates]
    assert taken and fractions == sorted(fractions) and fractions[-1] == 1
    # people read count, wherever they are decided: the bar passes the share decided here
    assert max(done for done, _ in deciding[:-1]) > deciding[-1][1] - len(taken)


def test_pack_and_unpack_give_the_person_built_here(golden_ws):
    reader = golden_ws.cursor(macros=True)
    seen = []

    def take(shell, rows, conflicts_of):
        packed = pickle.loads(pickle.dumps(decide_split.pack(shell, rows, conflicts_of)))
        dv = derive.date_values()
        seen.append((decide_split.unpack(packed, derive.date_values()),
                     derive.build_person(derive.make_person(shell, dv), rows, conflicts_of, dv)))
        return True
    try:
        assert not list(derive.iter_people(reader, "LOS ANGELES", keep=statutory.may_be_read, as_of=AS_OF,
                                           take=take))
    finally:
        reader.close()
    assert len(seen) > 10
    assert any(p.registrations for p, _ in seen) and any(p.quarantined_lines for p, _ in seen)
    assert any(c.conflicts for p, _ in seen for c in p.counts)
    for travelled, here in seen:
        assert travelled == here


def test_a_helper_that_cannot_start_changes_nothing(golden_ws, monkeypatch, caplog):
    def refuse(self):
        raise OSError("no new processes here")
    with monkeypatch.context() as m:
        m.setattr(helper_process.multiprocessing.get_context("spawn").Process, "start", refuse)
        with caplog.at_level(logging.WARNING):
            split = _run(golden_ws, "los_angeles_2020")
    assert "could not be started" in caplog.text
    assert split == _one_process(golden_ws, "los_angeles_2020", monkeypatch)


def test_a_helper_that_dies_mid_run_changes_nothing(golden_ws, monkeypatch, caplog):
    real = DecideSplit._hand_over

    def hand_over_then_die(self):
        real(self)
        if self._sent == 2:
            self._child.kill()
    monkeypatch.setattr(DecideSplit, "_hand_over", hand_over_then_die)
    with caplog.at_level(logging.WARNING):
        split = _run(golden_ws, "statutory")
    assert "ended without a result" in caplog.text
    assert split == _one_process(golden_ws, "statutory", monkeypatch)


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals to freeze the helper")
def test_a_helper_that_falls_silent_changes_nothing(golden_ws, monkeypatch, caplog):
    monkeypatch.setattr(decide_split, "STALL_SECONDS", 1.0)
    real = DecideSplit._hand_over

    def hand_over_then_freeze(self):
        real(self)
        if self._sent == 2:
            os.kill(self._child.pid, signal.SIGSTOP)
    monkeypatch.setattr(DecideSplit, "_hand_over", hand_over_then_freeze)
    with caplog.at_level(logging.WARNING):
        split = _run(golden_ws, "los_angeles_2020")
    assert "sent nothing" in caplog.text
    assert split == _one_process(golden_ws, "los_angeles_2020", monkeypatch)


def test_cancel_stops_the_helper_and_saves_nothing(golden_ws, monkeypatch, _split_everything):
    cancel = CancelToken()
    real = DecideSplit.take

    def take_then_cancel(self, *args):
        cancel.cancel()
        return real(self, *args)
    monkeypatch.setattr(DecideSplit, "take", take_then_cancel)
    runs = golden_ws.query("SELECT count(*) FROM eval_run")[0][0]
    with pytest.raises(Cancelled):
        evaluate(golden_ws, "LOS ANGELES", AS_OF, "statutory", cancel=cancel)
    assert golden_ws.query("SELECT count(*) FROM eval_run")[0][0] == runs
    split = _split_everything[-1]
    assert not split._child.is_alive()
    assert not split.out_path.exists() and not split._spool_path.exists()
