#!/usr/bin/env bash
# Quick start 1: install into .venv and run the whole job on the bundled synthetic extract.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
PY=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e . 
.venv/bin/clearmyrecord demo --out demo-output "$@"
