"""Cost of each augmentation pipeline in the train step: steps/s and ratio to none.

Trains the README's DCGAN (32x32x1, batch 64, XLA-compiled, one D and one G
step per batch) on random images on the current backend, once without
augmentation and once with each pipeline, after a warm-up that excludes
compilation. Every image D sees is augmented (reals and fakes in the D step,
fakes in the G step), as in training. One run each; the numbers move with the
machine's load, the ratios less.

    KERAS_BACKEND=jax python benchmarks/augmentation.py [--steps 50] [--json]

The pipeline is set with ``GAN.compile(augment=spec)``. ADA runs with a
fixed p here; an adaptive p costs the same (every op is computed whatever p
is, and the update is a few scalar ops).
"""

from __future__ import annotations

import argparse
import json
import time

import keras
import numpy as np

import ganzoo

SIZE, BATCH = 32, 64
PIPELINES = [
    "none",
    "diffaugment:color",
    "diffaugment:translation,cutout",
    "diffaugment:color,translation,cutout",
    "ada:target=none,p=0.0",
    "ada:target=none,p=0.5",
]


def gan_with(spec: str):
    gan = ganzoo.build("dcgan", image_size=SIZE, channels=1, seed=0)
    if spec != "none":
        gan.compile(augment=spec)  # the architecture's other settings, as build gave them
    return gan


def steps_per_second(spec: str, steps: int) -> float:
    gan = gan_with(spec)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (steps * BATCH, SIZE, SIZE, 1)).astype("float32")
    gan.fit(x[: 3 * BATCH], batch_size=BATCH, verbose=0)  # compile
    start = time.perf_counter()
    gan.fit(x, batch_size=BATCH, verbose=0, shuffle=False)
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.json:
        print(f"backend {keras.backend.backend()}, DCGAN {SIZE}x{SIZE}x1, batch {BATCH}, "
              f"{args.steps} steps")
        print(f"{'pipeline':40s} {'steps/s':>8s} {'time vs none':>13s}", flush=True)
    rows, base = [], None
    for spec in PIPELINES:
        rate = steps_per_second(spec, args.steps)
        base = base or rate  # the first row is "none"
        rows.append({"pipeline": spec, "steps_per_s": round(rate, 3),
                     "time_ratio": round(base / rate, 2)})
        if not args.json:
            row = rows[-1]
            print(f"{spec:40s} {row['steps_per_s']:8.3f} {row['time_ratio']:12.2f}x",
                  flush=True)
    if args.json:
        print(json.dumps({"backend": keras.backend.backend(), "steps": args.steps,
                          "rows": rows}))


if __name__ == "__main__":
    main()
