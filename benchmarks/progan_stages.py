"""ProGAN training images/s in the 4x4, 8x8, 16x16 and 32x32 stages of one run.

    KERAS_BACKEND=jax python benchmarks/progan_stages.py [--json]
    KERAS_BACKEND=jax python benchmarks/progan_stages.py --max-filters 64  # CPU-sized

Builds one ProGAN (target ``--image-size``, paper widths unless told
otherwise), then for each stabilization stage moves the model there (sets
``step_counter`` to the stage's first step and calls the stage's ``enter``,
as a resumed run would), fits ``--warmup`` steps (compilation) and times
``--steps`` more on random in-memory images. ``--fade`` also times the fade-in
stages. images/s counts real images the discriminator sees (batch x d_steps
per step). A stage that runs only its own level's layers gets faster as the
resolution drops; the ratio column is relative to the last stage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np


def measure(gan, stage, start_step, warmup: int, steps: int, channels: int, seed: int):
    """Enter ``stage`` at ``start_step``, compile with ``warmup`` steps, time ``steps``."""
    gan.step_counter.assign(start_step)
    stage.enter(gan)
    size, batch = stage.image_size, stage.batch_size * gan.d_steps
    rng = np.random.default_rng(seed)

    def images(n):
        return rng.uniform(-1, 1, (n * batch, size, size, channels)).astype("float32")

    warm = images(warmup)
    start = time.perf_counter()
    gan.fit(warm, batch_size=batch, shuffle=False, verbose=0)
    compile_s = time.perf_counter() - start
    timed = images(steps)
    start = time.perf_counter()
    gan.fit(timed, batch_size=batch, shuffle=False, verbose=0)
    elapsed = time.perf_counter() - start
    return {
        "stage": stage.name,
        "resolution": size,
        "batch_size": batch,
        "steps": steps,
        "seconds": round(elapsed, 3),
        "images_per_s": round(steps * batch / elapsed, 1),
        "warmup_s": round(compile_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16, help="images per D step")
    parser.add_argument("--base-filters", type=int, default=8192)
    parser.add_argument("--max-filters", type=int, default=512)
    parser.add_argument("--latent-dim", type=int, default=512)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps per stage")
    parser.add_argument("--steps", type=int, default=20, help="timed steps per stage")
    parser.add_argument(
        "--fade", action="store_true", help="time the fade-in stages too"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    import ganzoo

    arch = ganzoo.get_architecture("progan")
    overrides = {
        "image_size": args.image_size,
        "channels": args.channels,
        "batch_size": args.batch_size,
        "batch_sizes": "",
        "base_filters": args.base_filters,
        "max_filters": args.max_filters,
        "latent_dim": args.latent_dim,
        "images_per_stage": (args.warmup + args.steps) * args.batch_size,
    }
    config = arch.make_config(**overrides)
    gan = arch.build(config)
    rows, start = [], 0
    for i, stage in enumerate(arch.training_stages(config, None)):
        if args.fade or not stage.name.endswith("-fade"):
            rows.append(
                measure(gan, stage, start, args.warmup, args.steps, args.channels, i)
            )
        start += stage.steps
    last = rows[-1]["images_per_s"]
    for row in rows:
        row["ratio_to_last"] = round(row["images_per_s"] / last, 2)
    report = {
        "backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "config": overrides,
        "parameters": {
            "generator": gan.generator.count_params(),
            "discriminator": gan.discriminator.count_params(),
        },
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"ProGAN to {args.image_size}x{args.image_size}, filters {args.max_filters} max, "
        f"backend {report['backend']}, {report['cpus']} CPUs"
    )
    print(
        f"{'stage':<18}{'res':>5}{'batch':>7}{'images/s':>11}{'ratio':>8}{'warm-up s':>11}"
    )
    for row in rows:
        print(
            f"{row['stage']:<18}{row['resolution']:>5}{row['batch_size']:>7}"
            f"{row['images_per_s']:>11,.1f}{row['ratio_to_last']:>8.2f}{row['warmup_s']:>11.2f}"
        )


if __name__ == "__main__":
    main()
