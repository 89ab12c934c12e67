"""Images per second the ganzoo.data pipeline delivers (no model attached).

    KERAS_BACKEND=jax python benchmarks/input_pipeline.py [--json]

Measures ``ganzoo.data.load("fashion_mnist", image_size=32, batch_size=128)``
with and without augmentation: the time to build the pipeline (read + resize
into memory), then images/s over ``--batches`` batches after a warm-up
(``repeat=True``, so epochs do not end the measurement).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

AUGMENT_SETS = {
    "none": (),
    "flip": ("flip",),
    "flip,translate,cutout": ("flip", "translate", "cutout"),
}


def measure(
    source: str,
    image_size: int,
    batch_size: int,
    batches: int,
    augment: tuple[str, ...],
) -> dict:
    """Build one pipeline and time it; returns a row of the table."""
    import ganzoo.data

    start = time.perf_counter()
    ds = ganzoo.data.load(
        source,
        image_size=image_size,
        batch_size=batch_size,
        augment=augment,
        repeat=True,
    )
    iterator = iter(ds)
    for _ in range(5):  # warm-up: tracing, first fill of the prefetch buffer
        next(iterator)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(batches):
        batch = next(iterator)
    elapsed = time.perf_counter() - start
    return {
        "augment": ",".join(augment) or "none",
        "build_s": round(build_s, 2),
        "images_per_s": round(batches * batch_size / elapsed),
        "batch_shape": list(batch.shape),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="fashion_mnist")
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--batches", type=int, default=200, help="timed batches per row"
    )
    parser.add_argument("--augment", choices=[*AUGMENT_SETS, "all"], default="all")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    sets = (
        AUGMENT_SETS
        if args.augment == "all"
        else {args.augment: AUGMENT_SETS[args.augment]}
    )
    rows = [
        measure(args.source, args.image_size, args.batch_size, args.batches, aug)
        for aug in sets.values()
    ]
    report = {
        "source": args.source,
        "image_size": args.image_size,
        "batch_size": args.batch_size,
        "batches": args.batches,
        "backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"{args.source} at {args.image_size}×{args.image_size}, batch {args.batch_size}, "
        f"backend {report['backend']}, {report['cpus']} CPUs"
    )
    print(f"{'augment':<24}{'build s':>9}{'images/s':>12}")
    for row in rows:
        print(f"{row['augment']:<24}{row['build_s']:>9.2f}{row['images_per_s']:>12,}")


if __name__ == "__main__":
    main()
