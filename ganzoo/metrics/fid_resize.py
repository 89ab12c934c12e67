"""The two resizings published FIDs use, on float ``[0, 255]`` NHWC images.

- ``clean`` (clean-fid's default): each channel resized on its own as a
  32-bit float PIL image (mode ``F``) with PIL's bicubic filter, which
  antialiases when downsampling; the result is clipped to ``[0, 255]`` and
  not re-quantized to integers.
- ``legacy`` (pytorch-fid, torch-fidelity): bilinear interpolation with
  half-pixel centres and no antialiasing, as PyTorch's
  ``F.interpolate(mode="bilinear", align_corners=False)``; written here as
  one interpolation matrix per axis, so it needs no PyTorch.

Scores computed with different resizings differ (clean-fid reports
differences of several FID points at low resolution), which is why the
method is part of every score's provenance.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ganzoo.errors import MetricsError

PREPROCESSINGS = ("clean", "legacy")


def resize_clean(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """clean-fid's ``clean`` resize: per-channel float PIL bicubic, clipped."""
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


def resize_legacy(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """pytorch-fid's resize: bilinear, half-pixel centres, no antialiasing."""
    height, width = size
    _, h, w, _ = images.shape
    x = images.astype(np.float32, copy=False)
    if (h, w) == (height, width):
        return x
    x = np.tensordot(bilinear_matrix(h, height), x, axes=([1], [1]))  # o n w c
    x = np.tensordot(bilinear_matrix(w, width), x, axes=([1], [2]))  # p o n c
    return np.ascontiguousarray(x.transpose(2, 1, 0, 3))


def resize_for_fid(
    images: np.ndarray, size: tuple[int, int], preprocessing: str
) -> np.ndarray:
    """Float ``[0, 255]`` NHWC images resized by ``preprocessing`` (``clean``/``legacy``)."""
    if preprocessing == "clean":
        return resize_clean(images, size)
    if preprocessing == "legacy":
        return resize_legacy(images, size)
    raise MetricsError(
        f"unknown FID preprocessing '{preprocessing}'; choose from "
        f"{', '.join(PREPROCESSINGS)}"
    )
