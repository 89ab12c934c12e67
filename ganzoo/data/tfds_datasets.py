"""TensorFlow Datasets sources (``cifar10``, ``celeb_a``…) and the TensorFlow image ops they use.

Metadata of the built-in names is kept here so ``dataset_info`` works
offline; the data itself comes from ``tfds.load`` (which reuses prepared data
in ``$TFDS_DATA_DIR`` / ``~/tensorflow_datasets`` and downloads otherwise).
TensorFlow is imported only when data is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType

import numpy as np

from ganzoo.data.base import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    cache_budget_bytes,
    missing_labels_message,
)
from ganzoo.data.images import stored_channels
from ganzoo.errors import DataError
from ganzoo.pixels import LUMA_WEIGHTS


def import_tensorflow(what: str = "ganzoo.data.make_dataset") -> ModuleType:
    """``import tensorflow``, or a DataError saying how to do without it."""
    try:
        import tensorflow as tf
    except ImportError:
        raise DataError(
            f"{what} builds a tf.data pipeline and needs TensorFlow; pip install tensorflow, "
            "or use ganzoo.data.load_arrays (NumPy only) with the JAX backend"
        ) from None
    return tf


def prepare_image(image, *, image_size: int | None, channels: int | None, source_channels: int):
    """uint8 H×W×C tensor -> center-cropped, resized, channel-converted uint8 tensor.

    The TensorFlow twin of ``ganzoo.data.images``: same crop, antialiased
    bicubic, and the same fixed-point luma as :func:`ganzoo.pixels.to_grayscale`.
    """
    import tensorflow as tf

    if source_channels in (2, 4):  # drop alpha
        image = image[..., : source_channels - 1]
        source_channels -= 1
    if image_size is not None and tuple(image.shape[:2]) != (image_size, image_size):
        height, width = tf.shape(image)[0], tf.shape(image)[1]
        side = tf.minimum(height, width)
        image = tf.image.crop_to_bounding_box(image, (height - side) // 2, (width - side) // 2, side, side)
        image = tf.image.resize(image, (image_size, image_size), method="bicubic", antialias=True)
        image = tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)
    if channels == 3 and source_channels == 1:
        image = tf.repeat(image, 3, axis=-1)
    elif channels == 1 and source_channels == 3:
        rgb = tf.cast(image, tf.uint32)
        r, g, b = LUMA_WEIGHTS
        y = rgb[..., 0] * r + rgb[..., 1] * g + rgb[..., 2] * b + 0x8000
        image = tf.cast(tf.bitwise.right_shift(y, 16), tf.uint8)[..., None]
    return image


class TFDSSource(DatasetSource):
    """A dataset from TensorFlow Datasets, streamed through tf.data."""

    def __init__(
        self,
        name: str,
        *,
        tfds_name: str | None = None,
        image_key: str = "image",
        label_key: str | None = "label",
        image_shape: tuple[int | None, int | None, int] | None = None,
        num_classes: int = 0,
        num_examples: Mapping[str, int] | None = None,
        data_dir: str | None = None,
        offline_hint: Callable[[], str] | None = None,
    ):
        self.name, self.tfds_name = name, tfds_name or name
        self.image_key, self.label_key = image_key, label_key
        self.image_shape, self.num_classes = image_shape, num_classes
        self.num_examples = dict(num_examples or {})
        self.data_dir, self.offline_hint = data_dir, offline_hint

    def describe(self) -> str:
        return f"TFDS dataset '{self.name}'"

    def unavailable(self, exc: BaseException) -> DataError:
        """The error raised when TFDS cannot provide the data (offline, not installed…)."""
        reason = (str(exc).splitlines() or [""])[0][:200] or type(exc).__name__
        if self.offline_hint is not None:
            return DataError(self.offline_hint() + f" TFDS failed too ({type(exc).__name__}: {reason})")
        return DataError(
            f"TFDS could not load '{self.tfds_name}' ({type(exc).__name__}: {reason}); "
            f"prepare it where there is internet (`tfds build {self.tfds_name}`) and copy "
            "~/tensorflow_datasets here or set TFDS_DATA_DIR"
        )

    def _split(self, split: str):
        import_tensorflow()
        try:
            import tensorflow_datasets as tfds

            return tfds.load(self.tfds_name, split=split, data_dir=self.data_dir, shuffle_files=False)
        except Exception as exc:  # offline, missing module, unknown split…: one clear error
            raise self.unavailable(exc) from exc

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        tf = import_tensorflow()
        if request.with_labels and self.label_key is None:
            raise DataError(missing_labels_message(self.describe(), "train it unconditionally (num_classes=0)"))
        ds = self._split(request.split)
        height, width, stored = ds.element_spec[self.image_key].shape
        if request.image_size is None and (height is None or width is None):
            raise DataError(f"{self.describe()} has images of different sizes; pass image_size (--image-size)")
        if request.limit is not None:
            ds = ds.take(request.limit)
        label_key = self.label_key

        def element(example):
            image = prepare_image(
                example[self.image_key],
                image_size=request.image_size,
                channels=request.channels,
                source_channels=stored,
            )
            label = tf.cast(example[label_key], tf.int32) if label_key else tf.constant(-1)
            return image, label

        ds = ds.map(element, num_parallel_calls=tf.data.AUTOTUNE)
        side_h, side_w = request.image_size or height, request.image_size or width
        channels = request.channels or stored_channels(stored)
        n = request.limit or self.info(request.split).num_examples or 0
        if cache and n and n * side_h * side_w * channels <= cache_budget_bytes():
            ds = ds.cache()
        return ds

    def read(self, request: LoadRequest) -> Arrays:
        # Variable sizes without image_size were rejected by tf_dataset.
        parts = list(self.tf_dataset(request, cache=False).batch(1024).as_numpy_iterator())
        if not parts:
            return np.zeros((0, 1, 1, 1), np.uint8), np.zeros(0, np.int32) if request.with_labels else None
        images = np.concatenate([p[0] for p in parts])
        return images, np.concatenate([p[1] for p in parts]) if request.with_labels else None

    def load(self, split: str = "train") -> Arrays:
        return self.read(LoadRequest(split=split, with_labels=self.label_key is not None))

    def info(self, split: str = "train") -> DatasetInfo:
        """Known metadata, else TFDS's (sizes that vary are reported as 0)."""
        shape, n = self.image_shape, self.num_examples.get(split)
        if shape is None or n is None:
            try:
                import tensorflow_datasets as tfds

                builder = tfds.builder(self.tfds_name, data_dir=self.data_dir)
                shape = shape or tuple(builder.info.features[self.image_key].shape)
                n = n if n is not None else builder.info.splits[split].num_examples
            except Exception as exc:
                raise self.unavailable(exc) from exc
        return DatasetInfo(tuple(d or 0 for d in shape), self.num_classes, int(n))


# name -> (image shape, classes, split sizes, label key): the known metadata keeps
# dataset_info offline. (None, None, 3): images of different sizes.
TFDS_DATASETS: dict[str, tuple] = {
    "mnist": ((28, 28, 1), 10, {"train": 60000, "test": 10000}, "label"),
    "fashion_mnist": ((28, 28, 1), 10, {"train": 60000, "test": 10000}, "label"),
    "cifar10": ((32, 32, 3), 10, {"train": 50000, "test": 10000}, "label"),
    "cifar100": ((32, 32, 3), 100, {"train": 50000, "test": 10000}, "label"),
    "svhn_cropped": ((32, 32, 3), 10, {"train": 73257, "test": 26032, "extra": 531131}, "label"),
    "celeb_a": ((218, 178, 3), 0, {"train": 162770, "validation": 19867, "test": 19962}, None),
    "oxford_flowers102": ((None, None, 3), 102, {"train": 1020, "validation": 1020, "test": 6149}, "label"),
}


def tfds_source(name: str, **overrides) -> TFDSSource:
    """The TFDSSource of a built-in TFDS name (``overrides`` replace its settings)."""
    shape, classes, examples, label_key = TFDS_DATASETS[name]
    settings = dict(image_shape=shape, num_classes=classes, num_examples=examples, label_key=label_key)
    return TFDSSource(name, **{**settings, **overrides})
