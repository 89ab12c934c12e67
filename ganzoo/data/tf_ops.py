"""TensorFlow-side image ops, matching the Pillow ones in ``images.py``.

Only imported where tf.data is used, so ``import ganzoo.data`` stays
TensorFlow-free.
"""

from __future__ import annotations

from types import ModuleType

from ganzoo.errors import DataError


def import_tensorflow(what: str = "ganzoo.data.load") -> ModuleType:
    """``import tensorflow``, or a DataError saying how to do without it."""
    try:
        import tensorflow as tf
    except ImportError:
        raise DataError(
            f"{what} builds a tf.data pipeline and needs TensorFlow; pip install tensorflow, "
            "or use ganzoo.data.load_arrays (NumPy only) with the JAX backend"
        ) from None
    return tf


def prepare_image(
    image, *, image_size: int | None, channels: int | None, source_channels: int
):
    """uint8 H×W×C tensor -> center-cropped, resized, channel-converted uint8 tensor."""
    import tensorflow as tf

    if source_channels in (2, 4):  # drop alpha
        image = image[..., : source_channels - 1]
        source_channels -= 1
    if image_size is not None:
        static = image.shape[:2]
        if tuple(static) != (image_size, image_size):
            height, width = tf.shape(image)[0], tf.shape(image)[1]
            side = tf.minimum(height, width)
            image = tf.image.crop_to_bounding_box(
                image, (height - side) // 2, (width - side) // 2, side, side
            )
            image = tf.image.resize(
                image, (image_size, image_size), method="bicubic", antialias=True
            )
            image = tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)
    if channels == 3 and source_channels == 1:
        image = tf.repeat(image, 3, axis=-1)
    elif channels == 1 and source_channels == 3:
        rgb = tf.cast(image, tf.uint32)  # Pillow's fixed-point ITU-R 601 luma
        y = rgb[..., 0] * 19595 + rgb[..., 1] * 38470 + rgb[..., 2] * 7471 + 0x8000
        image = tf.cast(tf.bitwise.right_shift(y, 16), tf.uint8)[..., None]
    return image
