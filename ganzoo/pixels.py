"""Pixel values: ranges and channels, shared by the data pipeline, metrics and grids.

Models see float32 in [-1, 1]; data is kept as uint8 in [0, 255] until the
last step. Arrays given to ganzoo may be uint8 (0..255), integers in 0..255,
bools, or floats in [0, 1], [-1, 1] (any negative value means this one) or
[0, 255]. Grayscale conversion is ITU-R 601 luma in Pillow's 16-bit fixed
point, the one conversion every part of ganzoo uses.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import DataError

# Pillow's convert("L") weights (R, G, B) in 1/65536: the same numbers for
# image files, arrays, tf.data streams and metric inputs.
LUMA_WEIGHTS = (19595, 38470, 7471)


def to_model_range(images: np.ndarray) -> np.ndarray:
    """uint8 images in [0, 255] -> float32 in [-1, 1]."""
    return np.asarray(images, dtype=np.float32) / np.float32(127.5) - np.float32(1.0)


def to_uint8(images) -> np.ndarray:
    """Float images in [-1, 1] (e.g. generator output) -> uint8 in [0, 255]."""
    scaled = (np.asarray(images, dtype=np.float32) + 1.0) * 127.5
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def to_grayscale(images: np.ndarray) -> np.ndarray:
    """RGB (…×3) -> grayscale (…×1) by ITU-R 601 luma.

    uint8 in, uint8 out: exactly Pillow's ``convert("L")`` (rounded half up).
    Floats on the [0, 255] scale in, float32 out: the same weighted sum, not
    rounded, so rounding it half up gives the uint8 result.
    """
    images = np.asarray(images)
    r, g, b = (images[..., i].astype(np.float64) for i in range(3))
    total = r * LUMA_WEIGHTS[0] + g * LUMA_WEIGHTS[1] + b * LUMA_WEIGHTS[2]
    if images.dtype == np.uint8:  # integers: exact in float64, as Pillow's (x + 2^15) >> 16
        return np.floor((total + 32768.0) / 65536.0).astype(np.uint8)[..., None]
    return (total / 65536.0).astype(np.float32)[..., None]


def value_range_name(images: np.ndarray) -> str:
    """Which accepted range an array's values are in, e.g. ``'[0, 1]'`` (ValueError if none)."""
    if images.dtype == np.uint8 or images.size == 0:
        return "0..255"
    if images.dtype == np.bool_:
        return "bool"
    if np.issubdtype(images.dtype, np.integer):
        lo, hi = int(images.min()), int(images.max())
        if lo >= 0 and hi <= 255:
            return "0..255"
        raise ValueError(f"integer values span {lo}..{hi}, outside 0..255")
    if np.issubdtype(images.dtype, np.floating):
        if not np.isfinite(images).all():
            raise ValueError("values include NaN or infinity")
        lo, hi = float(images.min()), float(images.max())
        if lo >= -1.0 and hi <= 1.0:
            return "[-1, 1]" if lo < 0 else "[0, 1]"
        if lo >= 0.0 and hi <= 255.0:
            return "[0, 255]"
        raise ValueError(f"float values span {lo:g}..{hi:g}, not [0, 1], [-1, 1] or [0, 255]")
    raise ValueError(f"dtype {images.dtype} is not a number type")


def as_uint8(images: np.ndarray, origin: str) -> np.ndarray:
    """Pixel values from any accepted range (see module docstring) -> uint8."""
    images = np.asarray(images)
    try:
        kind = value_range_name(images)
    except ValueError as exc:
        raise DataError(
            f"images in {origin}: {exc}; store uint8 0..255 or floats in [0, 1] or [-1, 1]"
        ) from None
    if kind == "0..255" and images.dtype == np.uint8:
        return images
    if kind in ("0..255", "[0, 255]"):
        return np.clip(np.rint(images), 0, 255).astype(np.uint8)
    if kind == "bool":
        return images.astype(np.uint8) * np.uint8(255)
    if kind == "[0, 1]":
        return np.rint(images.astype(np.float32) * 255.0).astype(np.uint8)
    return to_uint8(images)  # [-1, 1]
