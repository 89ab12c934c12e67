"""Reading image batches from the forms a user may pass as "real data"."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import keras
import numpy as np

from ganzoo.errors import MetricsError


def is_array_like(data: object) -> bool:
    """An in-memory (or memory-mapped) array rather than an iterable of batches."""
    return isinstance(data, np.ndarray) or (
        hasattr(data, "shape")
        and hasattr(data, "__getitem__")
        and hasattr(data, "__len__")
    )


def images_of(batch: object) -> np.ndarray:
    """The images of one batch: the batch itself, its first item, or ``["image(s)"]``."""
    if isinstance(batch, dict):
        for key in ("images", "image"):
            if key in batch:
                batch = batch[key]
                break
        else:
            raise MetricsError(
                f"batch dict has keys {sorted(batch)}; expected an 'image' or 'images' key"
            )
    elif isinstance(batch, list | tuple):
        batch = batch[0]
    return np.asarray(keras.ops.convert_to_numpy(batch))


def iter_image_batches(data: object, batch_size: int) -> Iterator[np.ndarray]:
    """Image batches of an array (sliced) or of an iterable of batches (as given)."""
    if is_array_like(data):
        for start in range(0, len(data), batch_size):
            yield np.asarray(data[start : start + batch_size])
        return
    if not isinstance(data, Iterable):
        raise MetricsError(
            f"real data of type {type(data).__name__} is neither an array nor an "
            "iterable of image batches"
        )
    for batch in data:
        yield images_of(batch)


def array_fingerprint(data: object, chunk: int = 4096) -> str:
    """SHA-256 of an array's shape, dtype and bytes (a cache key for unnamed data)."""
    digest = hashlib.sha256(f"{tuple(data.shape)}|{np.dtype(data.dtype)}".encode())
    for start in range(0, len(data), chunk):
        digest.update(np.ascontiguousarray(data[start : start + chunk]).tobytes())
    return digest.hexdigest()
