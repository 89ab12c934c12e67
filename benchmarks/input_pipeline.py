"""Images per second the ganzoo.data pipeline delivers, against training's.

    KERAS_BACKEND=jax python benchmarks/input_pipeline.py [--json]

Measures ``ganzoo.data.make_dataset("fashion_mnist", image_size=32, batch_size=128)``
with and without real-data transforms (``real_transforms``; ``--augment``
here): the time to build the pipeline (read + resize into memory), then images/s over ``--batches`` batches after a warm-up
(``repeat=True``, so epochs do not end the measurement).

Then, in the same run, ``--train-arch`` (DCGAN at the width the README's
main command trains; ``--train-set key=value`` overrides, repeatable) trains
``--train-steps`` steps fed by the plain pipeline and again fed by one batch
held in memory. The pipeline is not the bottleneck
when its images/s is far above training's and the two training rates agree.
``--train-arch none`` skips this.
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
    ds = ganzoo.data.make_dataset(
        source,
        image_size=image_size,
        batch_size=batch_size,
        real_transforms=augment,
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


def measure_training(arch: str, source: str, image_size: int, batch_size: int,
                     steps: int, overrides: dict) -> dict:
    """Training images/s of ``arch`` fed by the pipeline and by a fixed batch."""
    import tensorflow as tf

    import ganzoo
    import ganzoo.data

    ds = ganzoo.data.make_dataset(source, image_size=image_size, batch_size=batch_size, repeat=True)
    channels = int(ds.element_spec.shape[-1])
    in_memory = tf.data.Dataset.from_tensors(next(iter(ds))).repeat()
    rates = {}
    for name, data in (("pipeline", ds), ("in_memory", in_memory)):
        gan = ganzoo.build(arch, image_size=image_size, channels=channels,
                           batch_size=batch_size, **overrides)
        gan.fit(data, steps_per_epoch=5, epochs=1, verbose=0)  # compile, warm up
        start = time.perf_counter()
        gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
        rates[name] = round(steps * batch_size / (time.perf_counter() - start), 1)
    return {"arch": arch, "config": overrides, "steps": steps, "images_per_s": rates}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="fashion_mnist")
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--batches", type=int, default=200, help="timed batches per row"
    )
    parser.add_argument("--augment", choices=[*AUGMENT_SETS, "all"], default="all")
    parser.add_argument("--train-arch", default="dcgan", help="'none' to skip training")
    parser.add_argument("--train-steps", type=int, default=30, help="timed training steps")
    parser.add_argument("--train-set", action="append", default=None, metavar="KEY=VALUE",
                        help="config override of the trained architecture "
                             "(default: base_filters=32, kernel_size=4)")
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
    if args.train_arch != "none":
        from ganzoo.config import parse_assignments

        overrides = parse_assignments(args.train_set or ["base_filters=32", "kernel_size=4"])
        training = measure_training(args.train_arch, args.source, args.image_size,
                                    args.batch_size, args.train_steps, overrides)
        plain = next(r for r in rows if r["augment"] == "none")["images_per_s"]
        training["pipeline_over_training"] = round(
            plain / training["images_per_s"]["pipeline"], 1)
        report["training"] = training
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
    if "training" in report:
        t = report["training"]
        rate = t["images_per_s"]
        print(f"{t['arch']} training: {rate['pipeline']:,} images/s fed by the pipeline, "
              f"{rate['in_memory']:,} fed from memory; the pipeline delivers "
              f"{t['pipeline_over_training']}x what training consumes")


if __name__ == "__main__":
    main()
