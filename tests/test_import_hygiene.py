"""The core never imports Qt (architecture.md 3): each core package in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "clearmyrecord_desktop", "clearmyrecord_desktop.cli", "clearmyrecord_desktop.store.database",
    "clearmyrecord_desktop.importers.doj_research_file", "clearmyrecord_desktop.rules.engine",
    "clearmyrecord_desktop.rules.policy", "clearmyrecord_desktop.exporters.results",
    "clearmyrecord_desktop.documents.export", "clearmyrecord_desktop.documents.charts",
    "clearmyrecord_desktop.documents.verify", "clearmyrecord_desktop.review.audit",
    "clearmyrecord_desktop.synth.generator",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_load_qt(module):
    code = (f"import importlib, sys; importlib.import_module({module!r}); "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt'))"
            " or m == 'matplotlib.backends.backend_qtagg']; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_package_root_imports_nothing():
    code = ("import sys, clearmyrecord_desktop; "
            "sys.exit(any(m.startswith('clearmyrecord_desktop.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
