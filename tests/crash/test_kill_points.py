"""Kill points across import, evaluate and export (doj-research-file.md 7, motion-packets delivery).

Each case runs the step in a child process on synthetic data with malformed lines (1,500 people in
the default run; 3,000, about 62,000 lines, in the soak; a small evaluated workspace for export),
SIGKILLs it after a delay spread over the step's measured runtime, reopens the workspace and checks
that it holds all of the step's work or none of it (kill_harness.py states the exact invariants).

Default run: 12 kill points (4 per step). ``pytest -m slow tests/crash``: 52 (20 + 16 + 16).
``python bench/crash_soak.py --points N`` runs more and prints a table.
"""

from __future__ import annotations

import sys

import pytest

import kill_harness as kh

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL kill points are POSIX only")

DEFAULT = {"import": [0.1, 0.4, 0.7, 0.93], "evaluate": [0.15, 0.45, 0.75, 0.95],
           "export": [0.2, 0.5, 0.85, 0.97]}
SOAK = {"import": 20, "evaluate": 16, "export": 16}

DEFAULT_CASES = [(step, f) for step in kh.STEPS for f in DEFAULT[step]]
SOAK_CASES = [(step, f) for step in kh.STEPS for f in kh.spread(SOAK[step])]


def _check(outcome: kh.Outcome) -> None:
    assert outcome.consistent, (f"{outcome.step} killed at {outcome.delay:.2f} s ({outcome.fraction:.0%}): "
                                f"{outcome.problems}")
    assert outcome.state in ("none", "whole", "delivered")


@pytest.mark.parametrize("step,fraction", DEFAULT_CASES, ids=[f"{s}-{f:.2f}" for s, f in DEFAULT_CASES])
def test_kill_point(kill_fixtures, step, fraction):
    _check(kill_fixtures.kill_point(step, fraction))


@pytest.mark.slow
@pytest.mark.parametrize("step,fraction", SOAK_CASES, ids=[f"{s}-{f:.3f}" for s, f in SOAK_CASES])
def test_kill_point_soak(kill_fixtures_soak, step, fraction):
    _check(kill_fixtures_soak.kill_point(step, fraction))


def test_counts():
    assert len(DEFAULT_CASES) == 12
    assert len(SOAK_CASES) >= 50


@pytest.mark.parametrize("step", kh.STEPS)
def test_uninterrupted_step_is_whole(kill_fixtures, step):
    """Control: the same check passes, with state 'whole', when nothing is killed."""
    ref = kill_fixtures.reference(step)
    assert ref.seconds > 0
    if step == "import":
        assert ref.rows > 0 and ref.quarantined > 0
    if step == "evaluate":
        assert ref.counts > 0
