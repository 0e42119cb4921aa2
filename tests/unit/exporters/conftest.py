"""Fixtures for the document and export tests (shared with the other folder, see
tests/helpers/packet_fixtures.py)."""

import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parents[2] / "helpers"
if str(HELPERS) not in sys.path:
    sys.path.insert(0, str(HELPERS))

from packet_fixtures import clock, isolated_user_folders, out_dir, settings, ws, ws_final  # noqa: E402,F401
