"""Image grids and strips as PNG files (Pillow only; no TensorFlow)."""

from __future__ import annotations

import math
import os

import numpy as np

from ganzoo.errors import GanzooError
from ganzoo.pixels import to_uint8


def make_grid(images, ncols: int | None = None, padding: int = 2) -> np.ndarray:
    """Tile N×H×W×C images (in [-1, 1]) into one uint8 H'×W'×C picture."""
    images = to_uint8(images)
    if images.ndim != 4:
        raise GanzooError(f"expected N×H×W×C images, got shape {images.shape}")
    n, h, w, c = images.shape
    ncols = ncols or max(1, math.ceil(math.sqrt(n)))
    nrows = math.ceil(n / ncols)
    grid = np.full(
        (nrows * (h + padding) + padding, ncols * (w + padding) + padding, c), 255, "uint8"
    )
    for i, image in enumerate(images):
        r, col = divmod(i, ncols)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = image
    return grid


def save_png(picture: np.ndarray, path: str) -> str:
    """Write a uint8 H×W×C picture atomically (temp file + rename)."""
    from PIL import Image

    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    mode_picture = picture[..., 0] if picture.shape[-1] == 1 else picture
    tmp = os.path.join(directory, f".{os.path.basename(path)}.tmp")
    Image.fromarray(mode_picture).save(tmp, format="PNG")
    os.replace(tmp, path)
    return path


def save_grid(images, path: str, ncols: int | None = None) -> str:
    """Tile images in [-1, 1] (see :func:`make_grid`) and write them as one PNG."""
    return save_png(make_grid(images, ncols), path)
