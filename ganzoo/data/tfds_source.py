"""TensorFlow Datasets sources (``cifar10``, ``celeb_a``…).

Metadata of the built-in names is kept here so ``dataset_info`` works
offline; the data itself comes from ``tfds.load`` (which reuses prepared data
in ``$TFDS_DATA_DIR`` / ``~/tensorflow_datasets`` and downloads otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ganzoo.data.source import (
    Arrays,
    DatasetInfo,
    DatasetSource,
    LoadRequest,
    cache_budget_bytes,
    missing_labels_message,
)
from ganzoo.data.tf_ops import import_tensorflow, prepare_image
from ganzoo.errors import DataError


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
        self.name = name
        self.tfds_name = tfds_name or name
        self.image_key = image_key
        self.label_key = label_key
        self.image_shape = image_shape
        self.num_classes = num_classes
        self.num_examples = dict(num_examples or {})
        self.data_dir = data_dir
        self.offline_hint = offline_hint

    def describe(self) -> str:
        return f"TFDS dataset '{self.name}'"

    def unavailable(self, exc: BaseException) -> DataError:
        """The error raised when TFDS cannot provide the data (offline, not installed…)."""
        reason = (str(exc).splitlines() or [""])[0][:200] or type(exc).__name__
        if self.offline_hint is not None:
            return DataError(
                self.offline_hint()
                + f" TFDS failed too ({type(exc).__name__}: {reason})"
            )
        return DataError(
            f"TFDS could not load '{self.tfds_name}' ({type(exc).__name__}: {reason}); "
            f"prepare it where there is internet (`tfds build {self.tfds_name}`) and copy "
            "~/tensorflow_datasets here or set TFDS_DATA_DIR"
        )

    def _split(self, split: str):
        import_tensorflow()
        try:
            import tensorflow_datasets as tfds

            return tfds.load(
                self.tfds_name, split=split, data_dir=self.data_dir, shuffle_files=False
            )
        except (
            Exception
        ) as exc:  # offline, missing module, unknown split…: one clear error
            raise self.unavailable(exc) from exc

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        tf = import_tensorflow()
        if request.with_labels and self.label_key is None:
            raise DataError(
                missing_labels_message(
                    self.describe(), "train it unconditionally (num_classes=0)"
                )
            )
        ds = self._split(request.split)
        spec = ds.element_spec[self.image_key]
        height, width, stored = spec.shape
        if request.image_size is None and (height is None or width is None):
            raise DataError(
                f"{self.describe()} has images of different sizes; pass image_size (--image-size)"
            )
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
            label = (
                tf.cast(example[label_key], tf.int32) if label_key else tf.constant(-1)
            )
            return image, label

        ds = ds.map(element, num_parallel_calls=tf.data.AUTOTUNE)
        side_h = request.image_size or height
        side_w = request.image_size or width
        channels = request.channels or {2: 1, 4: 3}.get(stored, stored)
        n = request.limit or self.info(request.split).num_examples or 0
        if cache and n and n * side_h * side_w * channels <= cache_budget_bytes():
            ds = ds.cache()
        return ds

    def read(self, request: LoadRequest) -> Arrays:
        ds = self.tf_dataset(request, cache=False)
        if request.image_size is not None or None not in ds.element_spec[0].shape:
            ds = ds.batch(1024)
            parts = list(ds.as_numpy_iterator())
            images = (
                np.concatenate([p[0] for p in parts])
                if parts
                else np.zeros((0, 1, 1, 1), np.uint8)
            )
            labels = (
                np.concatenate([p[1] for p in parts])
                if parts
                else np.zeros(0, np.int32)
            )
        else:  # pragma: no cover - variable sizes are rejected above
            pairs = list(ds.as_numpy_iterator())
            images = np.stack([p[0] for p in pairs])
            labels = np.asarray([p[1] for p in pairs], np.int32)
        return images, labels if request.with_labels else None

    def load(self, split: str = "train") -> Arrays:
        return self.read(
            LoadRequest(split=split, with_labels=self.label_key is not None)
        )

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


def _tfds(
    shape, classes: int, examples: dict[str, int], label_key: str | None = "label"
):
    return dict(
        image_shape=shape,
        num_classes=classes,
        num_examples=examples,
        label_key=label_key,
    )


# name -> TFDSSource arguments; the known image shape and split sizes keep
# dataset_info offline. (None, None, 3): images of different sizes.
TFDS_DATASETS: dict[str, dict] = {
    "mnist": _tfds((28, 28, 1), 10, {"train": 60000, "test": 10000}),
    "fashion_mnist": _tfds((28, 28, 1), 10, {"train": 60000, "test": 10000}),
    "cifar10": _tfds((32, 32, 3), 10, {"train": 50000, "test": 10000}),
    "cifar100": _tfds((32, 32, 3), 100, {"train": 50000, "test": 10000}),
    "svhn_cropped": _tfds(
        (32, 32, 3), 10, {"train": 73257, "test": 26032, "extra": 531131}
    ),
    "celeb_a": _tfds(
        (218, 178, 3),
        0,
        {"train": 162770, "validation": 19867, "test": 19962},
        label_key=None,
    ),
    "oxford_flowers102": _tfds(
        (None, None, 3), 102, {"train": 1020, "validation": 1020, "test": 6149}
    ),
}


def tfds_source(name: str, **overrides) -> TFDSSource:
    """The TFDSSource of a built-in TFDS name (``overrides`` replace its settings)."""
    return TFDSSource(name, **{**TFDS_DATASETS[name], **overrides})
