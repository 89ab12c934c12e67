"""Turning user images into what an extractor's network expects.

Input convention (the same for generated and real images): NHWC (or NHW for
grayscale), either an integer dtype in ``[0, 255]`` or floats in ``[-1, 1]``
(a generator's ``tanh`` range). Everything is first brought to float32
``[0, 255]``. RGB -> grayscale is :func:`ganzoo.pixels.to_grayscale`, as for
training data: integer images give exactly the training data's uint8 gray
values.

Resizing, which is part of every score's provenance (``resize_method``):

- ``bicubic-antialias`` (the Keras extractors): ``keras.ops.image.resize``,
  bicubic with antialiasing (as clean-fid recommends, so downsampling does
  not alias), clipped back to ``[0, 255]``.
- ``pil_bicubic`` (``fid_inception``'s default; clean-fid's "clean" mode):
  each channel resized on its own as a 32-bit float PIL image (mode ``F``)
  with PIL's bicubic filter, which antialiases when downsampling; clipped to
  ``[0, 255]`` and not re-quantized to integers.
- ``torch_bilinear`` (pytorch-fid's and torch-fidelity's "legacy" resize):
  bilinear interpolation with half-pixel centres and no antialiasing, as
  PyTorch's ``F.interpolate(mode="bilinear", align_corners=False)``; written
  here as one interpolation matrix per axis, so it needs no PyTorch.

Scores computed with different resizings differ (clean-fid reports
differences of several FID points at low resolution). The old names
``clean`` and ``legacy`` are accepted for the last two (:func:`fid_resize_name`).
"""

from __future__ import annotations

import keras
import numpy as np
from PIL import Image

from ganzoo.errors import MetricsError
from ganzoo.pixels import to_grayscale

RESIZE_METHOD = "bicubic-antialias"
FID_RESIZES = ("pil_bicubic", "torch_bilinear")
FID_RESIZE_ALIASES = {"clean": "pil_bicubic", "legacy": "torch_bilinear"}  # old names


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
    """``bicubic-antialias``: Keras' bicubic, antialiased resize of float ``[0, 255]`` NHWC images to ``size``."""
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


def resize_pil_bicubic(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``pil_bicubic`` (clean-fid's "clean"): per-channel float PIL bicubic, clipped."""
    height, width = size
    n, h, w, c = images.shape
    if (h, w) == (height, width):
        return np.clip(images, 0.0, 255.0).astype(np.float32)
    out = np.empty((n, height, width, c), np.float32)
    for i in range(n):
        for ch in range(c):
            plane = Image.fromarray(
                np.ascontiguousarray(images[i, :, :, ch], np.float32)
            )
            plane = plane.resize((width, height), resample=Image.Resampling.BICUBIC)
            out[i, :, :, ch] = np.asarray(plane)
    return np.clip(out, 0.0, 255.0, out=out)


def bilinear_matrix(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` weights of PyTorch's bilinear resize (align_corners=False).

    Output pixel ``j`` samples the input at ``(j + 0.5) * n_in / n_out - 0.5``,
    clamped below at 0; the two neighbours are weighted linearly and the
    upper one clamped at the last pixel.
    """
    # float32 throughout, as PyTorch's CPU kernel computes the positions
    scale = np.float32(n_in / n_out)
    src = scale * (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) - np.float32(
        0.5
    )
    src = np.maximum(src, np.float32(0.0))
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = src - lo.astype(np.float32)
    m = np.zeros((n_out, n_in), np.float32)
    rows = np.arange(n_out)
    np.add.at(m, (rows, lo), np.float32(1.0) - frac)
    np.add.at(m, (rows, hi), frac)
    return m


def resize_torch_bilinear(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``torch_bilinear`` (pytorch-fid's): bilinear, half-pixel centres, no antialiasing."""
    height, width = size
    _, h, w, _ = images.shape
    x = images.astype(np.float32, copy=False)
    if (h, w) == (height, width):
        return x
    x = np.tensordot(bilinear_matrix(h, height), x, axes=([1], [1]))  # o n w c
    x = np.tensordot(bilinear_matrix(w, width), x, axes=([1], [2]))  # p o n c
    return np.ascontiguousarray(x.transpose(2, 1, 0, 3))


def fid_resize_name(name: str) -> str:
    """The resize ``name`` stands for (``clean``/``legacy`` are old names); checked."""
    name = FID_RESIZE_ALIASES.get(name, name)
    if name not in FID_RESIZES:
        raise MetricsError(
            f"unknown FID resize '{name}'; choose from {', '.join(FID_RESIZES)}"
        )
    return name


def resize_for_fid(images: np.ndarray, size: tuple[int, int], method: str) -> np.ndarray:
    """Float ``[0, 255]`` NHWC images resized by ``method`` (see :data:`FID_RESIZES`)."""
    if fid_resize_name(method) == "pil_bicubic":
        return resize_pil_bicubic(images, size)
    return resize_torch_bilinear(images, size)
