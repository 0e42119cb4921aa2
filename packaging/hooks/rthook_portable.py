"""PyInstaller runtime hook: portable mode for locked-down county PCs.

If a file named ``portable`` (or ``portable.txt``) lies next to the executable, all user folders
(settings, logs, staging, user templates) go into ``data/`` beside the executable instead of the
user's profile, so the app can run from a USB drive or a folder the user owns. ``--basedir`` on the
command line still wins. Runs before the app's own code; must never fail the start-up.
"""

import os
import sys


def _portable_basedir():
    exe_dir = os.path.dirname(os.path.abspath(sys.executable))
    for marker in ("portable", "portable.txt"):
        if os.path.isfile(os.path.join(exe_dir, marker)):
            return os.path.join(exe_dir, "data")
    return None


try:
    _base = _portable_basedir()
    if _base:
        from clearmyrecord_desktop import paths as _paths

        _paths.set_basedir(_base)
except Exception:  # noqa: BLE001 - fall back to the normal folders rather than not starting
    pass
