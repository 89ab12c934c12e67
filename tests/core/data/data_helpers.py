"""Writers of tiny synthetic datasets for the data tests (imported by name)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
from PIL import Image


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write ``array`` (uint8/int8/int16/int32/float32/float64) as an IDX file; gzipped for ``.gz``."""
    array = np.asarray(array)
    codes = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}
    kind = f"{array.dtype.kind}{array.dtype.itemsize}"
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, codes[kind], array.ndim, *array.shape)
    payload = header + np.ascontiguousarray(array, array.dtype.newbyteorder(">")).tobytes()
    with (gzip.open if path.suffix == ".gz" else open)(path, "wb") as f:
        f.write(payload)
    return path


def random_images(
    n: int, size: int = 8, channels: int = 1, seed: int = 0
) -> np.ndarray:
    """n uint8 images, N×S×S×C."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, size, size, channels), dtype=np.uint8)


def save_png(path: Path, image: np.ndarray) -> Path:
    """Save an H×W×C uint8 array (C = 1 or 3) as an image file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image).save(path)
    return path


def write_mnist_like(
    directory: Path, n_train: int = 20, n_test: int = 10, gz: bool = True
) -> Path:
    """An MNIST-style folder of IDX files with 10 classes of 28×28 images."""
    directory.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if gz else ""
    rng = np.random.default_rng(1)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(
            directory / f"{prefix}-images-idx3-ubyte{suffix}",
            random_images(n, 28)[..., 0],
        )
        write_idx(
            directory / f"{prefix}-labels-idx1-ubyte{suffix}",
            rng.integers(0, 10, n).astype(np.uint8),
        )
    return directory
