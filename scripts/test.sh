#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite on the TensorFlow and JAX backends.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" tests/core
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONDONTWRITEBYTECODE=1
status=0
for backend in tensorflow jax; do
    echo "=== KERAS_BACKEND=$backend ==="
    KERAS_BACKEND=$backend .venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=1
done
exit $status
