"""Does a run trained on a subset copy its training images?

For 2,000 samples of each run's generator (seed 1), the median pixel L2
distance (images in [-1, 1], 32x32x1) to the nearest of the subset's
Fashion-MNIST training images, and to the nearest of as many other training
images. A generator that copies its subset is much closer to it than to the
others; real held-out training images give the floor of both.

    python scripts/nearest_neighbours.py --subset 1000 --seed 0 runs/fm1k-none runs/fm100-none

``--subset`` and ``--seed`` are the runs' ``ganzoo train --subset`` and seed.
"""

import argparse
import json
from pathlib import Path

import keras
import numpy as np

from ganzoo.data import load_arrays, to_model_range
from ganzoo.data.pipeline import subset_indices


def nearest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each row of ``a``'s L2 distance to its nearest row of ``b``."""
    d = (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None]
    return np.sqrt(np.maximum(d.min(1), 0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--subset", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num", type=int, default=2000)
    args = parser.parse_args()
    images, _ = load_arrays("fashion_mnist", image_size=32, channels=1, with_labels=False)
    x = to_model_range(images).reshape(len(images), -1).astype("float32")
    kept = subset_indices(len(x), args.subset, args.seed)
    rest = np.setdiff1d(np.arange(len(x)), kept)
    others = rest[:: len(rest) // args.subset][: args.subset]
    held_out = np.setdiff1d(rest, others)[: args.num]
    report = {"real training images": x[held_out]}
    for run in args.runs:
        generator = keras.saving.load_model(run / "generator.keras")
        z = np.random.default_rng(1).normal(size=(args.num, generator.input_shape[-1]))
        samples = generator.predict(z.astype("float32"), batch_size=250, verbose=0)
        report[str(run)] = np.clip(keras.ops.convert_to_numpy(samples), -1, 1).reshape(args.num, -1)
    for name, points in report.items():
        print(json.dumps({"images": name,
                          "to_subset": round(float(np.median(nearest(points, x[kept]))), 2),
                          "to_others": round(float(np.median(nearest(points, x[others]))), 2)}))


if __name__ == "__main__":
    main()
