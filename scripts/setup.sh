#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: a virtualenv with ganzoo, its test
# extras and the example plugin; real Fashion-MNIST from Debian when possible.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
log=.venv/setup.log
# fid-reference: PyTorch + pytorch-fid + clean-fid, for the FID reference tests
# only (GANZOO_NO_TORCH=1 skips them; those tests then skip, saying why).
extras=test
[ -n "${GANZOO_NO_TORCH:-}" ] || extras=test,fid-reference
if ! { .venv/bin/python -m pip install -q --upgrade pip \
       && .venv/bin/python -m pip install -q -e ".[$extras]" -e examples/ganzoo-mlp2d; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "set-up failed (log: $log)" >&2
    exit 1
fi
if [ ! -d /usr/share/datasets/fashion-mnist ] && command -v apt-get >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist) >/dev/null 2>&1 \
            || echo "note: could not install dataset-fashion-mnist; real-data tests will skip" >&2
    else
        echo "note: run 'sudo apt-get install dataset-fashion-mnist' for the real-data runs" >&2
    fi
fi
