#!/usr/bin/env bash
# Build the one-folder app into dist/ClearMyRecord/ and smoke-test it.
#   bash packaging/build.sh            # build + smoke test
#   bash packaging/build.sh --no-test  # build only
# Uses $PYTHON (default: .venv/bin/python, else python3) with the "build" extra installed
# (pip install -e ".[build]"). Not run by CI: a build takes a few minutes; run it for releases.
# Windows: see packaging/windows/README.md (same spec, same smoke test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${PYTHON:-}" ]]; then PY="$PYTHON"
elif [[ -x .venv/bin/python ]]; then PY=.venv/bin/python
else PY=python3; fi
"$PY" -c "import PyInstaller" 2>/dev/null || { echo "PyInstaller missing: $PY -m pip install -e '.[build]'" >&2; exit 2; }
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/clearmyrecord.spec
end=$(date +%s)
echo "built dist/ClearMyRecord in $((end - start)) s, $(du -sh dist/ClearMyRecord | cut -f1)"
if [[ "${1:-}" != "--no-test" ]]; then
    QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$PY" packaging/smoke_test.py dist/ClearMyRecord
fi
