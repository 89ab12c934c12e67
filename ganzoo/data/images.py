"""Image arrays and files with NumPy and Pillow only (no TensorFlow).

Layout is NHWC uint8. Resizing first center-crops non-square images to a
square, then resizes with Pillow's antialiased bicubic filter (files) or the
same filter as two matrix products (arrays). Grayscale -> RGB repeats the
channel; RGB -> grayscale is :func:`ganzoo.pixels.to_grayscale` for both.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ganzoo.errors import BadImageError, DataError
from ganzoo.pixels import to_grayscale

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
_GRAY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
_PIL_ERRORS = (OSError, UnidentifiedImageError, SyntaxError, ValueError)
BAD_IMAGE_FIX = "delete or replace it, or pass skip_bad_images=True (--skip-bad-images)"


def check_channels(channels: int | None, origin: str) -> None:
    """Raise DataError unless ``channels`` is None, 1 or 3."""
    if channels is not None and channels not in (1, 3):
        raise DataError(
            f"cannot convert images of {origin} to {channels} channels; "
            "use channels=1 (grayscale) or channels=3 (RGB)"
        )


def check_image_size(image_size: int | None) -> None:
    """Raise DataError unless ``image_size`` is None or a positive int."""
    if image_size is not None and (
        isinstance(image_size, bool) or not isinstance(image_size, int) or image_size < 1
    ):
        raise DataError(
            f"image_size must be a positive number of pixels, got {image_size!r}; e.g. image_size=64"
        )


def natural_channels(mode: str) -> int:
    """1 for grayscale Pillow modes, 3 for everything else."""
    return 1 if mode in _GRAY_MODES else 3


def stored_channels(channels: int) -> int:
    """Channels a stored image has once alpha is dropped (2 -> 1, 4 -> 3)."""
    return {2: 1, 4: 3}.get(channels, channels)


def as_nhwc(images: np.ndarray, origin: str) -> np.ndarray:
    """N×H×W or N×H×W×C (C in 1..4) or N×C×H×W (C in 1, 3) -> N×H×W×C."""
    if images.ndim == 3:
        return images[..., None]
    if images.ndim == 4:
        if images.shape[-1] in (1, 2, 3, 4):
            return images
        if images.shape[1] in (1, 3):  # channels-first, e.g. from PyTorch
            return np.transpose(images, (0, 2, 3, 1))
    raise DataError(
        f"images in {origin} have shape {images.shape}; "
        "store them as N×H×W or N×H×W×C with C = 1 or 3"
    )


def image_shape_of(array_shape: tuple[int, ...], origin: str) -> tuple[int, int, int]:
    """H×W×C of one image given a stored array's shape (the rules of :func:`as_nhwc`)."""
    _, height, width, channels = as_nhwc(np.empty((1, *array_shape[1:]), np.uint8), origin).shape
    return height, width, stored_channels(channels)


def convert_channels(images: np.ndarray, channels: int | None, origin: str) -> np.ndarray:
    """N×H×W×C uint8 -> ``channels`` (None: alpha dropped, else kept). Alpha is dropped, not composited."""
    check_channels(channels, origin)
    have = images.shape[-1]
    if have in (2, 4):
        images, have = images[..., : have - 1], have - 1
    if channels is None or channels == have:
        return images
    return np.repeat(images, 3, axis=-1) if channels == 3 else to_grayscale(images)


def _bicubic(x: np.ndarray) -> np.ndarray:
    a = -0.5  # Pillow's bicubic kernel
    x = np.abs(x)
    near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    far = (((x - 5.0) * x + 8.0) * x - 4.0) * a
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def resample_matrix(in_size: int, out_size: int) -> np.ndarray:
    """out×in weights of Pillow's antialiased bicubic resampling along one axis."""
    scale = in_size / out_size
    filter_scale = max(scale, 1.0)  # widen the kernel when shrinking: antialiasing
    support = 2.0 * filter_scale
    weights = np.zeros((out_size, in_size), np.float64)
    for out in range(out_size):
        center = (out + 0.5) * scale
        low = max(int(center - support + 0.5), 0)
        high = min(int(center + support + 0.5), in_size)
        taps = np.arange(low, high)
        w = _bicubic((taps - center + 0.5) / filter_scale)
        weights[out, low:high] = w / w.sum()
    return weights.astype(np.float32)


def _round_uint8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


def resize_images(images: np.ndarray, image_size: int, chunk: int = 4096) -> np.ndarray:
    """N×H×W×C uint8 -> N×S×S×C uint8: center crop, then antialiased bicubic (Pillow's ±1)."""
    n, height, width, channels = images.shape
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    images = images[:, top : top + side, left : left + side]
    if side == image_size:
        return np.ascontiguousarray(images)
    weights = resample_matrix(side, image_size)
    out = np.empty((n, image_size, image_size, channels), np.uint8)
    for start in range(0, n, chunk):
        block = images[start : start + chunk].transpose(0, 3, 1, 2).astype(np.float32)
        rows = _round_uint8(block @ weights.T).astype(np.float32)  # rounded first, as Pillow
        out[start : start + chunk] = _round_uint8(weights @ rows).transpose(0, 2, 3, 1)
    return out


def resize_pil(image: Image.Image, image_size: int) -> Image.Image:
    """Center-crop to a square, then resize to ``image_size`` (antialiased bicubic)."""
    width, height = image.size
    if width != height:
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        image = image.crop((left, top, left + side, top + side))
    if image.size == (image_size, image_size):
        return image
    return image.resize((image_size, image_size), Image.Resampling.BICUBIC)


def _to_mode(image: Image.Image, channels: int) -> Image.Image:
    if image.mode.startswith("I;16"):  # 16-bit grayscale: keep the top 8 bits
        image = Image.fromarray((np.asarray(image, np.uint16) >> 8).astype(np.uint8))
    elif image.mode in ("I", "F"):
        image = Image.fromarray(np.clip(np.asarray(image), 0, 255).astype(np.uint8))
    if channels == 3 or image.mode in _GRAY_MODES:
        target = "RGB" if channels == 3 else "L"
        return image if image.mode == target else image.convert(target)
    rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"), np.uint8)
    return Image.fromarray(to_grayscale(rgb)[..., 0])


def read_image_header(path: str | os.PathLike) -> tuple[int, int, str]:
    """(width, height, Pillow mode) of an image file, without decoding its pixels."""
    try:
        with Image.open(path) as image:
            return image.size[0], image.size[1], image.mode
    except _PIL_ERRORS as exc:
        raise BadImageError(path, _reason(exc), BAD_IMAGE_FIX) from None


def read_image(
    path: str | os.PathLike, *, image_size: int | None = None, channels: int | None = None
) -> np.ndarray:
    """Decode one image file to H×W×C uint8, optionally resized and converted.

    ``channels=None`` keeps grayscale images as 1 channel and the rest as 3.
    Raises BadImageError naming the file when it is missing, corrupt or truncated.
    """
    try:
        with Image.open(path) as image:
            want = channels or natural_channels(image.mode)
            if image_size is not None and image.format == "JPEG":
                image.draft(None, (image_size, image_size))  # fast DCT downscale
            image.load()  # decodes; raises on truncated data
            image = _to_mode(image, want)
            if image_size is not None:
                image = resize_pil(image, image_size)
            array = np.asarray(image, np.uint8)
    except _PIL_ERRORS as exc:
        raise BadImageError(path, _reason(exc), BAD_IMAGE_FIX) from None
    return array[..., None] if array.ndim == 2 else array


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, UnidentifiedImageError):
        return "not an image Pillow can identify"
    return (str(exc).splitlines() or [""])[0] or type(exc).__name__


def is_image_file(path: Path) -> bool:
    """Whether ``path`` has one of the image extensions ganzoo reads."""
    return path.suffix.lower() in IMAGE_EXTENSIONS and not path.name.startswith(".")
