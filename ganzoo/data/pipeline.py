"""``load``: a tf.data pipeline of float32 images in [-1, 1] for ``model.fit``.

Order: uint8 images (in memory, or streamed and cached when they fit) ->
seeded shuffle, reshuffled each epoch -> repeat -> batch -> to [-1, 1]
(parallel map) -> augmentation (seeded, sequential so it is deterministic)
-> prefetch. TensorFlow is imported only when ``load`` is called.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ganzoo.data.augment import augmentation_layers, check_augmentations
from ganzoo.data.images import check_channels, check_image_size
from ganzoo.data.source import LoadRequest
from ganzoo.data.sources import SourceLike, resolve_source
from ganzoo.data.tf_ops import import_tensorflow
from ganzoo.errors import DataError

STREAM_SHUFFLE_BUFFER = (
    10_000  # shuffle buffer of streamed sources (arrays: full shuffle)
)


def load(
    source: SourceLike,
    *,
    image_size: int | None = None,
    batch_size: int = 64,
    channels: int | None = None,
    with_labels: bool = False,
    split: str = "train",
    augment: Iterable[str] | str = (),
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = False,
    drop_remainder: bool = True,
    cache: bool = True,
    skip_bad_images: bool = False,
):
    """A ``tf.data.Dataset`` of float32 N×H×W×C batches in [-1, 1].

    Elements are ``images``, or ``(images, labels)`` with int32 labels when
    ``with_labels``. ``source`` is a registered dataset name, a path or a
    :class:`DatasetSource` (see :func:`load_arrays` for the options shared
    with it). ``augment`` names augmentations (``flip``, ``translate``,
    ``cutout``). The order is deterministic given ``seed``; a new epoch is
    reshuffled. ``cache`` keeps decoded images in memory when they fit
    (``$GANZOO_DATA_CACHE_BYTES``); ``repeat`` makes the dataset endless.
    """
    check_image_size(image_size)
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int)
        or batch_size < 1
    ):
        raise DataError(f"batch_size must be a positive integer, got {batch_size!r}")
    augment = check_augmentations(augment)
    src = resolve_source(source)
    check_channels(channels, src.describe())
    tf = import_tensorflow()
    request = LoadRequest(split, image_size, channels, with_labels, skip_bad_images)

    stream = src.tf_dataset(request, cache=cache)
    if stream is None:
        images, labels = src.read(request)
        if drop_remainder and len(images) < batch_size:
            raise DataError(
                f"{src.describe()} has {len(images)} images, fewer than one batch of {batch_size}; "
                "lower batch_size (--batch-size) or pass drop_remainder=False"
            )
        ds = _batches_from_arrays(
            tf, images, labels, batch_size, shuffle, seed, repeat, drop_remainder
        )
    else:
        ds = stream
        if shuffle:
            ds = ds.shuffle(
                STREAM_SHUFFLE_BUFFER, seed=seed, reshuffle_each_iteration=True
            )
        if repeat:
            ds = ds.repeat()
        ds = ds.batch(
            batch_size,
            drop_remainder=drop_remainder,
            num_parallel_calls=tf.data.AUTOTUNE,
        )

    def to_model_range(images, labels):
        return tf.cast(images, tf.float32) / 127.5 - 1.0, labels

    ds = ds.map(to_model_range, num_parallel_calls=tf.data.AUTOTUNE)
    if augment:
        layers = augmentation_layers(augment, seed)

        def augment_batch(images, labels):
            for layer in layers:
                images = layer(images, training=True)
            return images, labels

        # Sequential on purpose: the layers draw from seeded stateful generators.
        ds = ds.map(augment_batch)
    if not with_labels:
        ds = ds.map(lambda images, labels: images)
    options = tf.data.Options()
    options.deterministic = True
    return ds.with_options(options).prefetch(tf.data.AUTOTUNE)


def _batches_from_arrays(
    tf, images, labels, batch_size, shuffle, seed, repeat, drop_remainder
):
    """Shuffle indices, not images: a batch is one gather from the in-memory array."""
    n = len(images)
    images_t = tf.constant(images)
    labels_t = tf.constant(labels if labels is not None else np.full(n, -1, np.int32))
    if shuffle:
        # One seeded permutation per pass: no shuffle buffer to fill, and a new
        # pass (epoch) draws a new seed, deterministically from ``seed``.
        seeds = tf.data.Dataset.random(
            seed=seed, rerandomize_each_iteration=True
        ).batch(2)
        indices = seeds if repeat else seeds.take(1)
        indices = indices.map(
            lambda pair: tf.random.experimental.stateless_shuffle(
                tf.range(n, dtype=tf.int64), seed=pair
            )
        ).unbatch()
    else:
        indices = tf.data.Dataset.range(n)
        if repeat:
            indices = indices.repeat()
    indices = indices.batch(batch_size, drop_remainder=drop_remainder)
    return indices.map(
        lambda i: (tf.gather(images_t, i), tf.gather(labels_t, i)),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
