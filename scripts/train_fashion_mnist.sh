#!/usr/bin/env bash
# Set up (if needed), train DCGAN on real Fashion-MNIST for a few minutes on CPU
# and write sample grids. Extra arguments go to `ganzoo train`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TF_CPP_MIN_LOG_LEVEL=3
RUN_DIR=${RUN_DIR:-runs/dcgan-fashion-mnist-$(date +%Y%m%d-%H%M%S)}
.venv/bin/ganzoo --backend "${KERAS_BACKEND:-jax}" train --arch dcgan --dataset fashion_mnist \
    --image-size 32 --steps "${STEPS:-1500}" --run-dir "$RUN_DIR" "$@"
.venv/bin/ganzoo --backend "${KERAS_BACKEND:-jax}" sample --run "$RUN_DIR" --num 64 --seed 0 \
    --out "$RUN_DIR/samples.png"
echo "samples: $RUN_DIR/samples.png (and $RUN_DIR/samples/ over training)"
