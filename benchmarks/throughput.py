"""Images/s of ganzoo's ``fit`` against a hand-written loop doing the same work.

Usage (interleaved rounds; prints one JSON line per case):

    KERAS_BACKEND=jax python benchmarks/throughput.py                  # DCGAN-64, batch 128
    KERAS_BACKEND=tensorflow python benchmarks/throughput.py --image-size 32 \\
        --batch-size 64 --base-filters 32 --steps 16 --rounds 7 --precisions fp32

Cases: DCGAN (RGB) with the non-saturating loss, and the same networks with
lazy R1 (a separate D step every ``--r1-interval`` steps, as StyleGAN2's
``Dreg``), in each precision of ``--precisions``. The baseline
(benchmarks/baseline_loops.py) trains a second copy of the same networks
with the same optimizer settings, the same phases and lazy schedule, running
means of the same logged values, no EMA on either side, compiled with XLA
(``tf.function(jit_compile=True)``; ``jax.jit`` with the state donated).

Both sides read the same data: on TensorFlow the same batched tf.data.Dataset
of in-memory images, on JAX the same numpy array (``fit(x, batch_size=...)``).
After one warm-up round each (compiling), rounds alternate (ganzoo, baseline,
baseline, ganzoo, ganzoo, baseline, ...: who goes first alternates so a
load change hits both) and each round is timed whole: ``fit`` over
``--steps`` batches with ``verbose=0``, or the baseline over the same
batches, up to the last step's logs read on the host. The ratio of each
pair of neighbouring rounds (ganzoo images/s / baseline images/s) is kept;
the medians are reported. With more than one device ganzoo's ``fit`` also
runs under ``ganzoo.distribution`` and the scaling efficiency is (images/s on
N devices) / (N x images/s on one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import keras
import numpy as np
from baseline_loops import make_loop

import ganzoo
from ganzoo import distribution

POLICY = {"fp32": "float32", "bf16": "mixed_bfloat16"}


def build(args, r1: bool, strategy=None):
    keras.utils.set_random_seed(0)
    gan = ganzoo.build("dcgan", image_size=args.image_size, channels=3, batch_size=args.batch_size,
                       base_filters=args.base_filters)
    regs = [{"name": "r1", "weight": args.r1_weight, "interval": args.r1_interval}] if r1 else []
    options = strategy.compile_options() if strategy is not None else {}
    gan.compile(loss="non_saturating", regularizers=regs, **options)
    return gan


def feed(images, batch):
    """What both sides iterate: a batched tf.data.Dataset (TensorFlow), the array (JAX)."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.data.Dataset.from_tensor_slices(images).batch(batch, drop_remainder=True)
    return images


class Side:
    """One side of the comparison: ``run(steps)`` trains and returns seconds."""

    def __init__(self, name, images, batch, train):
        self.name, self.images, self.batch, self.train = name, images, batch, train
        self.step = 0

    def run(self, steps: int) -> float:
        data = feed(self.images[: steps * self.batch], self.batch)
        start = time.perf_counter()
        self.train(data, self.step, steps)
        self.step += steps
        return time.perf_counter() - start


def ganzoo_side(args, r1, images, strategy=None) -> Side:
    gan = build(args, r1, strategy)

    def train(data, first_step, steps):
        kwargs = {"batch_size": args.batch_size} if isinstance(data, np.ndarray) else {}
        history = gan.fit(data, epochs=1, shuffle=False, verbose=0, **kwargs)
        assert len(history.history["d_loss"]) == 1

    return Side("ganzoo", images, args.batch_size, train)


def baseline_side(args, r1, images) -> Side:
    gan = build(args, r1)
    loop = make_loop(gan, args.r1_interval if r1 else 0, args.r1_weight)
    return Side("baseline", images, args.batch_size,
                lambda data, first, steps: loop(data, first, args.batch_size))


def interleaved(args, a: Side, b: Side) -> dict:
    """Warm both, then ``rounds`` pairs in alternating order; medians of img/s and ratios."""
    for side in (a, b):
        side.run(args.warmup)
    rate = {a.name: [], b.name: []}
    for r in range(args.rounds):
        for side in ((a, b) if r % 2 == 0 else (b, a)):
            rate[side.name].append(args.batch_size * args.steps / side.run(args.steps))
    ratios = [x / y for x, y in zip(rate[a.name], rate[b.name], strict=True)]
    return {f"{a.name}_img_s": round(statistics.median(rate[a.name]), 1),
            f"{b.name}_img_s": round(statistics.median(rate[b.name]), 1),
            "ratio": round(statistics.median(ratios), 3),
            "ratios": [round(x, 3) for x in ratios]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--base-filters", type=int, default=128)
    parser.add_argument("--steps", type=int, default=32, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per side")
    parser.add_argument("--warmup", type=int, default=8, help="steps of the untimed first round")
    parser.add_argument("--r1-interval", type=int, default=16)
    parser.add_argument("--r1-weight", type=float, default=1.0)
    parser.add_argument("--precisions", default="fp32,bf16")
    parser.add_argument("--cases", default="dcgan,dcgan+lazy_r1")
    args = parser.parse_args(argv)
    # Every round starts on a multiple of the interval: both sides see the same schedule.
    k = args.r1_interval
    args.warmup, args.steps = (-(-n // k) * k for n in (args.warmup, args.steps))
    size = args.batch_size * max(args.steps, args.warmup)
    images = np.random.default_rng(0).uniform(
        -1, 1, (size, args.image_size, args.image_size, 3)).astype("float32")
    devices = distribution.strategy("all").devices
    results = []
    for precision in args.precisions.split(","):
        keras.config.set_dtype_policy(POLICY[precision])
        for case in args.cases.split(","):
            r1 = case == "dcgan+lazy_r1"
            row = {"backend": keras.backend.backend(), "case": case, "precision": precision,
                   **interleaved(args, ganzoo_side(args, r1, images),
                                 baseline_side(args, r1, images))}
            if devices > 1 and args.batch_size % devices == 0:
                with distribution.strategy(devices) as s:
                    many = ganzoo_side(args, r1, images, s)
                    many.run(args.warmup)
                    rate = args.batch_size * args.steps / many.run(args.steps)
                row.update(devices=devices, ganzoo_many_img_s=round(rate, 1),
                           scaling_efficiency=round(rate / (devices * row["ganzoo_img_s"]), 3))
            results.append(row)
            print(json.dumps(row), flush=True)
    keras.config.set_dtype_policy("float32")
    return results


if __name__ == "__main__":
    main()
