"""Frozen entry point: ``ClearMyRecord`` (the bundle runs this as its main script).

The package's own ``__main__`` uses a relative import, so PyInstaller gets this absolute one.
``freeze_support`` lets the bundle start its own helper processes (jobs/helper_process.py: the
import's second pass-1 process, importers/scan_split.py, and the evaluation's second decider,
rules/decide_split.py): a helper is this executable started with multiprocessing's arguments, and
must run the helper's code rather than open the app.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from clearmyrecord_desktop.__main__ import main

    sys.exit(main())
