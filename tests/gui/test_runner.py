"""The runner: results and progress arrive on the GUI thread, throttled; cancel; errors."""

import threading
import time

import pytest

from clearmyrecord_desktop.errors import KnownError
from clearmyrecord_desktop.gui.runner import Runner

pytestmark = pytest.mark.gui


def test_result_and_progress_on_gui_thread(qtbot):
    runner = Runner()
    seen, threads = [], []

    def job(progress, cancel):
        threads.append(threading.current_thread())
        for i in range(200):
            progress.update(i + 1, 200, f"step {i}")
            time.sleep(0.002)
        return 42

    def on_progress(done, total, message):
        seen.append((done, threading.current_thread()))

    outcomes = []
    with qtbot.waitSignal(runner.job_finished, timeout=10000):
        runner.start("job", job, on_done=outcomes.append, on_progress=on_progress)
    assert outcomes[0].result == 42 and outcomes[0].error is None
    assert threads[0] is not threading.main_thread()
    assert all(t is threading.main_thread() for _, t in seen)
    assert 1 <= len(seen) <= 20          # ~0.4 s of work at 10 updates a second
    assert seen[-1][0] == 200             # the final update always arrives


def test_cancel_and_errors(qtbot):
    runner = Runner()
    outcomes = []

    def slow(progress, cancel):
        while True:
            cancel.check()
            time.sleep(0.01)

    handle = runner.start("slow", slow, on_done=outcomes.append)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert outcomes[0].cancelled

    def fails(progress, cancel):
        raise KnownError("disk is full")

    with qtbot.waitSignal(runner.job_finished, timeout=5000):
        runner.start("fails", fails, write=True, on_done=outcomes.append)
    assert isinstance(outcomes[1].error, KnownError) and not outcomes[1].cancelled


def test_write_jobs_run_one_at_a_time(qtbot):
    runner = Runner()
    active, peak = [0], [0]
    lock = threading.Lock()

    def job(progress, cancel):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1

    for _ in range(4):
        runner.start("write", job, write=True)
    assert runner.wait_all(10000)
    qtbot.waitUntil(lambda: not runner.running(), timeout=5000)
    assert peak[0] == 1
