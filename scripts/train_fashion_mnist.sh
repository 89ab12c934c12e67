#!/usr/bin/env bash
# Set up (if needed), train DCGAN on real Fashion-MNIST for a few minutes on CPU
# and write sample grids. Extra arguments go to `ganzoo train`.
set -euo pipefail
cd "$(dirname "$0")/.."
GANZOO_NO_TORCH=1 bash scripts/setup.sh  # training needs no PyTorch (only the FID reference tests do)
export TF_CPP_MIN_LOG_LEVEL=3
RUN_DIR=${RUN_DIR:-runs/dcgan-fashion-mnist-$(date +%Y%m%d-%H%M%S)}
# The preset is the README's run: dcgan on fashion_mnist at 32x32, batch 64,
# base_filters=32, kernel_size=4, 1500 steps (`ganzoo info dcgan` lists it).
# The paper's widths (base_filters=128, 5x5 kernels, batch 128) cost about 18 s a
# step on 2 CPU cores at 32x32; a quarter of the width trains in minutes.
.venv/bin/ganzoo --backend "${KERAS_BACKEND:-tensorflow}" train --preset dcgan-fashion-mnist-32 \
    ${STEPS:+--steps "$STEPS"} --run-dir "$RUN_DIR" "$@"
.venv/bin/ganzoo --backend "${KERAS_BACKEND:-tensorflow}" sample --run "$RUN_DIR" --num 64 --seed 0 \
    --out "$RUN_DIR/samples.png"
echo "samples: $RUN_DIR/samples.png (and $RUN_DIR/samples/ over training)"
