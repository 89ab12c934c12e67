"""Feature-extraction throughput (images/s) per extractor on the current backend.

    KERAS_BACKEND=jax python benchmarks/feature_extraction.py [--json]

Extractors run with random weights (nothing is downloaded): ``inception_v3``
(299x299 InceptionV3), ``fid_inception`` (the FID Inception, ``pil_bicubic``
resize) and ``fid_inception_legacy`` (the same, ``torch_bilinear`` resize), and
``classifier`` (ganzoo's domain classifier at the image size).
``--fid-weights PATH`` loads a ``.pth`` instead (any SHA-256 accepted).
Inputs are uint8 grayscale images, as Fashion-MNIST; the timing includes
ganzoo's host-side preprocessing (resize, channels, scaling). The last line
is the process's peak resident memory and the device the backend ran on.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import keras
import numpy as np

from ganzoo.metrics import (
    ClassifierExtractor,
    FIDInceptionExtractor,
    InceptionV3Extractor,
    build_classifier,
    save_classifier,
)


def make_extractor(
    name: str, image_size: int, batch_size: int, folder: Path, fid_weights=None
):
    if name == "inception_v3":
        return InceptionV3Extractor(weights="random", batch_size=batch_size)
    if name in ("fid_inception", "fid_inception_legacy"):
        return FIDInceptionExtractor(
            fid_weights or "random",
            resize="torch_bilinear" if name.endswith("legacy") else "pil_bicubic",
            expected_sha256=None,
            batch_size=batch_size,
        )
    if name == "classifier":
        model = build_classifier((image_size, image_size, 1), 10)
        path = save_classifier(model, folder / "classifier.keras")
        return ClassifierExtractor(weights=path, batch_size=batch_size)
    raise SystemExit(
        f"unknown extractor '{name}'; choose inception_v3, fid_inception, "
        "fid_inception_legacy or classifier"
    )


def device() -> str:
    """The accelerator the backend computes on (``cpu`` without one)."""
    if keras.backend.backend() == "jax":
        import jax

        return jax.devices()[0].platform
    import tensorflow as tf

    return "gpu" if tf.config.list_physical_devices("GPU") else "cpu"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(extractor, images: np.ndarray, repeats: int) -> dict[str, float]:
    start = time.perf_counter()
    extractor.features(images)  # compile / trace
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeats):
        extractor.features(images)
    elapsed = time.perf_counter() - start
    return {
        "images_per_s": repeats * len(images) / elapsed,
        "first_call_s": first,
        "images": repeats * len(images),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--extractors",
        default="fid_inception,fid_inception_legacy,inception_v3,classifier",
    )
    parser.add_argument(
        "--fid-weights", help="a .pth for fid_inception (default random)"
    )
    parser.add_argument("--image-size", type=int, default=28)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    size = args.image_size
    images = rng.integers(0, 256, (args.batch_size, size, size, 1), dtype=np.uint8)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.extractors.split(","):
            start = time.perf_counter()
            ext = make_extractor(
                name, size, args.batch_size, Path(tmp), args.fid_weights
            )
            build_s = time.perf_counter() - start
            row = {
                "extractor": name,
                "backend": keras.backend.backend(),
                "input": f"{size}x{size}x1 uint8",
                "batch_size": args.batch_size,
                "build_s": build_s,
            }
            row |= measure(ext, images, args.repeats)
            rows.append(row)
    footer = {"peak_rss_mb": round(peak_rss_mb(), 1), "device": device()}
    if args.json:
        print(json.dumps({"rows": rows, **footer}, indent=2))
        return
    print(
        f"{'extractor':<22}{'backend':<12}{'batch':>6}{'images/s':>12}"
        f"{'first call s':>14}{'build s':>10}"
    )
    for r in rows:
        print(
            f"{r['extractor']:<22}{r['backend']:<12}{r['batch_size']:>6}"
            f"{r['images_per_s']:>12.1f}{r['first_call_s']:>14.2f}{r['build_s']:>10.2f}"
        )
    print(f"peak RSS {footer['peak_rss_mb']:.0f} MB, device {footer['device']}")


if __name__ == "__main__":
    main()
