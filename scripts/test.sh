#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite on the TensorFlow and the JAX
# backend, side by side: one pytest process per backend, each with its own
# temp and cache directories; each backend's output is printed when it ends.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" tests/core
# BACKENDS="jax" scripts/test.sh runs one backend only.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONDONTWRITEBYTECODE=1
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
read -r -a backends <<<"${BACKENDS:-tensorflow jax}"
pids=()
for backend in "${backends[@]}"; do
    mkdir -p "$work/$backend"
    # JAX keeps what XLA compiled on disk, so the many child processes (and the
    # many identical tiny models) of the suite compile each program once.
    JAX_COMPILATION_CACHE_DIR="$work/$backend/xla-cache" JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 \
    KERAS_BACKEND=$backend GANZOO_CACHE_DIR="$work/$backend/cache" \
        .venv/bin/python -m pytest -q -p no:cacheprovider --durations=15 --basetemp="$work/$backend/tmp" "$@" \
        >"$work/$backend.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!backends[@]}"; do
    wait "${pids[$i]}" || status=1
    echo "=== KERAS_BACKEND=${backends[$i]} ==="
    cat "$work/${backends[$i]}.log"
done
exit $status
