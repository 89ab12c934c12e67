"""Cost of each augmentation pipeline in the train step: steps/s and ratio to none.

Trains the README's DCGAN (the ``dcgan-fashion-mnist-32`` preset's networks:
32x32x1, 32 base filters, 4x4 kernels, batch 64; XLA-compiled, one D and one G
step per batch) on random images on the current backend, without augmentation
and with each pipeline. Every image D sees is augmented (reals and fakes in the
D step, fakes in the G step), as in training. All the models are built and
compiled first; then ``--rounds`` rounds each fit every model for ``--steps``
steps in turn, so a change in the machine's load falls on all of them alike.
A pipeline's time is the median of its steps' times, each timed inside
``fit`` (a callback that waits for the step's loss): what ``fit`` spends
around the steps (on TensorFlow, building the input pipeline and closing it,
about a second that comes and goes from one call to the next) stays out.

    KERAS_BACKEND=jax python benchmarks/augmentation.py [--steps 50] [--rounds 5] [--json]

The pipeline is set with ``GAN.compile(augment=spec)``. ADA runs with fixed
p = 0 and p = 0.5 (every op is computed whatever p is, so the two should cost
the same) and adaptive (``ada``: p from 0, updated every 4 steps).
"""

from __future__ import annotations

import argparse
import json
import statistics

import keras
import numpy as np
from step_timer import StepTimes

import ganzoo

SIZE, BATCH = 32, 64
PIPELINES = [
    "none",
    "diffaugment:color",
    "diffaugment:translation,cutout",
    "diffaugment:color,translation,cutout",
    "ada:target=none,p=0.0",
    "ada:target=none,p=0.5",
    "ada",  # adaptive p, from 0
]


def gan_with(spec: str):
    gan = ganzoo.build("dcgan", image_size=SIZE, channels=1, base_filters=32, kernel_size=4,
                       seed=0)
    if spec != "none":
        gan.compile(augment=spec)  # the architecture's other settings, as build gave them
    return gan


def step_times(gan, x) -> list[float]:
    timer = StepTimes()
    gan.fit(x, batch_size=BATCH, verbose=0, shuffle=False, callbacks=[timer])
    return timer.times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.json:
        print(f"backend {keras.backend.backend()}, DCGAN {SIZE}x{SIZE}x1, batch {BATCH}, "
              f"{args.rounds} rounds of {args.steps} steps")
        print(f"{'pipeline':40s} {'steps/s':>8s} {'time vs none':>13s}", flush=True)
    x = np.random.default_rng(0).uniform(-1, 1, (args.steps * BATCH, SIZE, SIZE, 1))
    x = x.astype("float32")
    gans = {spec: gan_with(spec) for spec in PIPELINES}
    for gan in gans.values():
        gan.fit(x[: 3 * BATCH], batch_size=BATCH, verbose=0)  # compile
    times = {spec: [] for spec in PIPELINES}
    for _ in range(args.rounds):
        for spec, gan in gans.items():
            times[spec] += step_times(gan, x)
    base = statistics.median(times["none"])
    rows = []
    for spec in PIPELINES:
        step = statistics.median(times[spec])
        rows.append({"pipeline": spec, "steps_per_s": round(1 / step, 2),
                     "time_ratio": round(step / base, 2)})
        if not args.json:
            row = rows[-1]
            print(f"{spec:40s} {row['steps_per_s']:8.2f} {row['time_ratio']:12.2f}x")
    if args.json:
        print(json.dumps({"backend": keras.backend.backend(), "steps": args.steps,
                          "rounds": args.rounds,
                          "rows": rows}))


if __name__ == "__main__":
    main()
