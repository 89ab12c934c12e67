"""The three ways in: ``make_dataset`` (tf.data), ``load_arrays`` (NumPy), ``dataset_info``.

``make_dataset`` order: uint8 images (in memory, or streamed and cached when
they fit) -> seeded shuffle, reshuffled each epoch -> repeat -> batch -> to
[-1, 1] (parallel map) -> real-data transforms (seeded, sequential so they
are deterministic) -> prefetch. TensorFlow is imported only when it is
called; ``load_arrays`` and ``dataset_info`` need only NumPy and Pillow
(JAX-only installs), except for TFDS names.

Each takes a dataset name, a path, arrays or a :class:`DatasetSource`; a
caller that reads one dataset several times (the trainer, ``evaluate_gan``)
resolves it once with :func:`resolve_source` and passes the source on, which
is used as it is.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np

from ganzoo.data.base import DatasetInfo, LoadRequest
from ganzoo.data.images import check_channels, check_image_size
from ganzoo.data.real_transforms import check_real_transforms, real_transform_layers
from ganzoo.data.resolve import SourceLike, resolve_source
from ganzoo.data.tfds_datasets import import_tensorflow
from ganzoo.errors import DataError

STREAM_SHUFFLE_BUFFER = 10_000  # shuffle buffer of streamed sources (arrays: full shuffle)


def make_dataset(
    source: SourceLike,
    *,
    image_size: int | None = None,
    batch_size: int = 64,
    channels: int | None = None,
    with_labels: bool = False,
    split: str = "train",
    real_transforms: Iterable[str] | str = (),
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = False,
    drop_remainder: bool = True,
    cache: bool = True,
    skip_bad_images: bool = False,
    subset: float | int | None = None,
    subset_seed: int = 0,
    augment: Iterable[str] | str | None = None,
):
    """A ``tf.data.Dataset`` of float32 N×H×W×C batches in [-1, 1] for ``model.fit``.

    Elements are ``images``, or ``(images, labels)`` with int32 labels when
    ``with_labels``. ``source`` is a registered dataset name, a path or a
    :class:`DatasetSource` (see :func:`load_arrays` for the options shared
    with it); a :class:`DatasetSource` already resolved is used as it is.
    ``real_transforms`` names transforms of the real images (``flip``,
    ``translate``, ``cutout``; ``augment`` is their old name). The order is deterministic given ``seed``; a new epoch is
    reshuffled. ``subset`` keeps part of the split (see :func:`subset_size`),
    the same images for the same ``subset_seed``. ``cache`` keeps decoded images in memory when they fit
    (``$GANZOO_DATA_CACHE_BYTES``); ``repeat`` makes the dataset endless.
    """
    check_image_size(image_size)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise DataError(f"batch_size must be a positive integer, got {batch_size!r}")
    if augment is not None:
        warnings.warn("make_dataset's 'augment' is now called 'real_transforms'",
                      DeprecationWarning, stacklevel=2)
        real_transforms = augment
    transforms = check_real_transforms(real_transforms)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    tf = import_tensorflow()
    request = LoadRequest(split, image_size, channels, with_labels, skip_bad_images)

    ds = src.tf_dataset(request, cache=cache)
    if ds is None:
        images, labels = src.read(request)
        if subset is not None:
            keep = subset_indices(len(images), subset, subset_seed)
            images, labels = images[keep], None if labels is None else labels[keep]
        if drop_remainder and len(images) < batch_size:
            raise DataError(
                f"{src.describe()} has {len(images)} images, fewer than one batch of {batch_size}; "
                "lower batch_size (--batch-size) or pass drop_remainder=False"
            )
        ds = _batches_from_arrays(tf, images, labels, batch_size, shuffle, seed, repeat, drop_remainder)
    else:
        if subset is not None:  # a fixed draw from a seeded buffer: the stream is not in memory
            total = src.info(split).num_examples
            ds = ds.shuffle(STREAM_SHUFFLE_BUFFER, seed=subset_seed,
                            reshuffle_each_iteration=False).take(subset_size(total, subset))
        if shuffle:
            ds = ds.shuffle(STREAM_SHUFFLE_BUFFER, seed=seed, reshuffle_each_iteration=True)
        if repeat:
            ds = ds.repeat()
        ds = ds.batch(batch_size, drop_remainder=drop_remainder, num_parallel_calls=tf.data.AUTOTUNE)

    ds = ds.map(
        lambda images, labels: (tf.cast(images, tf.float32) / 127.5 - 1.0, labels),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    if transforms:
        layers = real_transform_layers(transforms, seed)

        def transform_batch(images, labels):
            for layer in layers:
                images = layer(images, training=True)
            return images, labels

        # Sequential on purpose: the layers draw from seeded stateful generators.
        ds = ds.map(transform_batch)
    if not with_labels:
        ds = ds.map(lambda images, labels: images)
    options = tf.data.Options()
    options.deterministic = True
    return ds.with_options(options).prefetch(tf.data.AUTOTUNE)


def subset_size(total: int, subset: float | int) -> int:
    """How many of ``total`` images ``subset`` keeps: a float in (0, 1] is a
    fraction (rounded, at least 1), an int a count (at most ``total``)."""
    if isinstance(subset, bool) or not isinstance(subset, (int, float)):
        raise DataError(f"subset={subset!r} must be a fraction in (0, 1] or a count of images")
    if isinstance(subset, float):
        if not 0.0 < subset <= 1.0:
            raise DataError(f"subset={subset} as a fraction must be in (0, 1]; "
                            "give a whole number for a count of images")
        return max(1, round(subset * total))
    if not 1 <= subset <= total:
        raise DataError(f"subset={subset} images, but the data has {total}; "
                        f"give a count from 1 to {total} or a fraction in (0, 1]")
    return subset


def subset_indices(total: int, subset: float | int, seed: int) -> np.ndarray:
    """The (sorted) indices of the images ``subset`` keeps, fixed by ``seed``."""
    keep = subset_size(total, subset)
    return np.sort(np.random.default_rng([seed, 0x5B5E7]).permutation(total)[:keep])


def _batches_from_arrays(tf, images, labels, batch_size, shuffle, seed, repeat, drop_remainder):
    """Shuffle indices, not images: a batch is one gather from the in-memory array."""
    n = len(images)
    images_t = tf.constant(images)
    labels_t = tf.constant(labels if labels is not None else np.full(n, -1, np.int32))
    if shuffle:
        # One seeded permutation per pass: no shuffle buffer to fill, and a new
        # pass (epoch) draws a new seed, deterministically from ``seed``.
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        indices = (seeds if repeat else seeds.take(1)).map(
            lambda pair: tf.random.experimental.stateless_shuffle(tf.range(n, dtype=tf.int64), seed=pair)
        ).unbatch()
    else:
        indices = tf.data.Dataset.range(n)
        if repeat:
            indices = indices.repeat()
    indices = indices.batch(batch_size, drop_remainder=drop_remainder)
    return indices.map(
        lambda i: (tf.gather(images_t, i), tf.gather(labels_t, i)), num_parallel_calls=tf.data.AUTOTUNE
    )


def load_arrays(
    source: SourceLike,
    *,
    image_size: int | None = None,
    channels: int | None = None,
    with_labels: bool = False,
    split: str = "train",
    skip_bad_images: bool = False,
    limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Load a whole split into memory as ``(uint8 N×H×W×C images, int32 labels or None)``.

    ``source`` is a registered dataset name, a path (image folder, ``.npz``,
    ``.npy``, IDX file or folder) or a :class:`DatasetSource`. Images are
    center-cropped and resized to ``image_size`` when given and converted to
    ``channels`` (1 or 3) when given. Labels are returned only when
    ``with_labels`` (an error if the source has none). ``limit`` keeps the
    first N examples. Feed a model with ``to_model_range(images)``.
    """
    check_image_size(image_size)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    return src.read(LoadRequest(split, image_size, channels, with_labels, skip_bad_images, limit))


def dataset_info(
    source: SourceLike, *, split: str = "train", image_size: int | None = None, channels: int | None = None
) -> DatasetInfo:
    """``(image shape, num_classes or 0, num examples)`` of a split, cheaply where possible.

    Headers and metadata are read instead of the data where the format
    allows (IDX, ``.npy``, image folders: the first image's size, built-in
    TFDS names: offline metadata). With ``image_size``/``channels`` the shape
    is the one :func:`make_dataset` would deliver. A size that varies is reported as 0.
    """
    check_image_size(image_size)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    (height, width, stored), num_classes, num_examples = src.info(split)
    if image_size is not None:
        height = width = image_size
    return DatasetInfo((height, width, channels or stored), num_classes, num_examples)
