"""Frozen entry point: ``ClearMyRecord`` (the bundle runs this as its main script).

The package's own ``__main__`` uses a relative import, so PyInstaller gets this absolute one.
"""

import sys

from clearmyrecord_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
