"""Turning user images into what an extractor's network expects.

Input convention (the same for generated and real images): NHWC (or NHW for
grayscale), either an integer dtype in ``[0, 255]`` or floats in ``[-1, 1]``
(a generator's ``tanh`` range). Everything is first brought to float32
``[0, 255]``; resizing is bicubic with antialiasing (as clean-fid recommends,
so downsampling does not alias), clipped back to ``[0, 255]``. RGB ->
grayscale is :func:`ganzoo.pixels.to_grayscale`, as for training data:
integer images give exactly the training data's uint8 gray values.
"""

from __future__ import annotations

import keras
import numpy as np

from ganzoo.errors import MetricsError
from ganzoo.pixels import to_grayscale

RESIZE_METHOD = "bicubic-antialias"


def to_float255(images: object) -> np.ndarray:
    """Images as float32 NHWC in ``[0, 255]`` (integers as is, floats from [-1, 1])."""
    arr = np.asarray(keras.ops.convert_to_numpy(images))
    if arr.ndim == 3:
        arr = arr[..., None]
    if arr.ndim != 4:
        raise MetricsError(
            f"images must be NHWC (or NHW) arrays, got shape {arr.shape}; "
            "pass a batch, not a single image"
        )
    if np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool:
        out = arr.astype(np.float32)
    elif np.issubdtype(arr.dtype, np.floating):
        out = (arr.astype(np.float32) + 1.0) * 127.5
    else:
        raise MetricsError(
            f"images have dtype {arr.dtype}; use uint8 in [0, 255] or float in [-1, 1]"
        )
    return np.clip(out, 0.0, 255.0)


def match_channels(images: np.ndarray, channels: int) -> np.ndarray:
    """Grayscale -> RGB by repetition, RGB -> grayscale by :func:`ganzoo.pixels.to_grayscale`."""
    have = images.shape[-1]
    if have == channels:
        return images
    if have == 1 and channels == 3:
        return np.repeat(images, 3, axis=-1)
    if have == 3 and channels == 1:
        return to_grayscale(images)
    raise MetricsError(
        f"images have {have} channels but the extractor needs {channels}; "
        "pass 1- or 3-channel images"
    )


def resize(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Bicubic, antialiased resize of float ``[0, 255]`` NHWC images to ``size``."""
    if tuple(images.shape[1:3]) == tuple(size):
        return images
    out = keras.ops.image.resize(images, size, interpolation="bicubic", antialias=True)
    return np.clip(keras.ops.convert_to_numpy(out), 0.0, 255.0).astype(np.float32)


def prepare(images: object, size: tuple[int, int], channels: int) -> np.ndarray:
    """Float32 ``[0, 255]`` NHWC images with ``channels`` channels at ``size``."""
    arr = np.asarray(keras.ops.convert_to_numpy(images))
    if np.issubdtype(arr.dtype, np.integer) and arr.shape[-1:] == (3,) and channels == 1:
        # Integer pixels go gray in uint8, rounded, exactly like the training data.
        arr = to_grayscale(np.clip(arr, 0, 255).astype(np.uint8))
    return resize(match_channels(to_float255(arr), channels), size)
