"""The dataset source interface: what ganzoo loads images from.

A *source* turns a split name into uint8 images and integer labels. Built-in
sources cover TFDS names, image folders, ``.npz``/``.npy`` and IDX files; a
plugin registers its own with the ``register_datasets`` hook::

    from ganzoo import hookimpl
    from ganzoo.data import ArraySource

    @hookimpl
    def register_datasets(register):
        register(ArraySource(load_my_faces, name="my_faces", num_classes=0))

where ``load_my_faces(split) -> (images, labels_or_None)``. After that
``ganzoo.data.make_dataset("my_faces", image_size=64)`` and
``--dataset my_faces`` work. Subclass :class:`DatasetSource` instead when the
data does not fit in memory (override ``tf_dataset``) or when reading can be
cheaper than loading everything (override ``info``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ganzoo.data.images import (
    as_nhwc,
    check_channels,
    check_image_size,
    convert_channels,
    resize_images,
    stored_channels,
)
from ganzoo.errors import DataError
from ganzoo.pixels import as_uint8

Arrays = tuple[np.ndarray, "np.ndarray | None"]
DEFAULT_CACHE_BYTES = 4 * 2**30


@dataclass(frozen=True)
class LoadRequest:
    """What the caller asked for; every source reads through one of these."""

    split: str = "train"
    image_size: int | None = None  # square side after center crop + resize; None keeps the size
    channels: int | None = None  # 1 or 3; None keeps the source's own (alpha dropped)
    with_labels: bool = False  # labels are required (and returned)
    skip_bad_images: bool = False  # skip unreadable image files with a warning
    limit: int | None = None  # only the first N examples

    def __post_init__(self) -> None:
        check_image_size(self.image_size)
        check_channels(self.channels, "the dataset")
        if self.limit is not None and (not isinstance(self.limit, int) or self.limit < 1):
            raise DataError(f"limit must be a positive number of examples, got {self.limit!r}")


class DatasetInfo(NamedTuple):
    """What a dataset holds, for sizing a model before loading it."""

    image_shape: tuple[int, int, int]  # H, W, C of one image as the source stores it
    num_classes: int  # 0 when unlabelled
    num_examples: int  # in the split asked for


class DatasetSource:
    """Base class of every dataset source. Subclasses implement :meth:`load`."""

    name: str = "dataset"
    num_classes: int = 0  # known class count (0: count from the labels or unlabelled)

    def describe(self) -> str:
        """How error messages name this source (a path or ``dataset 'name'``)."""
        return f"dataset '{self.name}'"

    def load(self, split: str = "train") -> Arrays:
        """Raw ``(images, labels or None)`` of one split, in any accepted layout and range."""
        raise NotImplementedError(f"{type(self).__name__} must implement load(split)")

    def read(self, request: LoadRequest) -> Arrays:
        """``(uint8 N×H×W×C images, int32 labels or None)`` prepared as ``request`` asks."""
        images, labels = self.load(request.split)
        return prepare_arrays(images, labels, request, self.describe(), self.num_classes)

    def info(self, split: str = "train") -> DatasetInfo:
        """Image shape, class count and size of ``split`` (default: loads it)."""
        images, labels = self.load(split)
        n, height, width, channels = as_nhwc(np.asarray(images), self.describe()).shape
        classes = self.num_classes or count_classes(labels, self.describe())
        return DatasetInfo((height, width, stored_channels(channels)), classes, n)

    def tf_dataset(self, request: LoadRequest, *, cache: bool = True):
        """A ``tf.data.Dataset`` of ``(uint8 H×W×C image, int32 label or -1)``, or None.

        None (the default) means the pipeline reads the whole split with
        :meth:`read` into memory. Sources too big for memory stream instead.
        """
        return None


class ArraySource(DatasetSource):
    """A dataset produced as NumPy arrays by ``load_fn(split) -> (images, labels)``.

    Images may be uint8 or floats in [0, 1] / [-1, 1], shaped N×H×W(×C);
    labels are class indices or None. ``image_shape`` and ``num_examples``
    (per split), when given, answer ``dataset_info`` without loading.
    """

    def __init__(
        self,
        load_fn: Callable[[str], Arrays],
        *,
        name: str = "arrays",
        num_classes: int = 0,
        image_shape: tuple[int, int, int] | None = None,
        num_examples: Mapping[str, int] | None = None,
    ):
        self.load_fn, self.name, self.num_classes = load_fn, name, num_classes
        self.image_shape = tuple(image_shape) if image_shape else None
        self.num_examples = dict(num_examples or {})

    def load(self, split: str = "train") -> Arrays:
        return self.load_fn(split)

    def info(self, split: str = "train") -> DatasetInfo:
        if self.image_shape and split in self.num_examples:
            return DatasetInfo(self.image_shape, self.num_classes, self.num_examples[split])
        return super().info(split)


def count_classes(labels: np.ndarray | None, origin: str) -> int:
    """Number of classes the labels imply (max + 1), 0 without labels."""
    if labels is None or len(labels) == 0:
        return 0
    return int(check_labels(labels, len(labels), origin).max()) + 1


def check_labels(labels, num_images: int, origin: str, num_classes: int = 0) -> np.ndarray:
    """Validate class indices (1-D, one per image, 0..num_classes-1) -> int32."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise DataError(
            f"labels in {origin} have shape {labels.shape}; store one integer class index per image"
        )
    if len(labels) != num_images:
        raise DataError(
            f"{origin} has {num_images} images but {len(labels)} labels; give one label per image"
        )
    if labels.size == 0:
        return labels.astype(np.int32)
    whole = np.issubdtype(labels.dtype, np.integer) or labels.dtype == np.bool_
    if not whole and not (
        np.issubdtype(labels.dtype, np.floating)
        and np.all(np.isfinite(labels) & (labels == np.round(labels)))
    ):
        raise DataError(
            f"labels in {origin} are not whole numbers ({labels.dtype}); "
            "store integer class indices 0..K-1"
        )
    low, high = labels.min(), labels.max()
    if low < 0:
        raise DataError(
            f"labels in {origin} include {low:g}; class indices must be 0..K-1 (no negatives)"
        )
    if num_classes and high >= num_classes:
        raise DataError(
            f"labels in {origin} include {high:g} but the dataset has {num_classes} classes; "
            f"class indices must be 0..{num_classes - 1}"
        )
    if high > np.iinfo(np.int32).max:
        raise DataError(f"labels in {origin} include {high:g}, too large for a class index")
    return labels.astype(np.int32)


def missing_labels_message(origin: str, fix: str) -> str:
    """One-line error for with_labels=True on a source without labels."""
    return f"{origin} has no labels but labels were asked for (with_labels=True); {fix}"


def prepare_arrays(
    images,
    labels,
    request: LoadRequest,
    origin: str,
    num_classes: int = 0,
    no_labels_fix: str = "give the source labels, or load without labels",
) -> Arrays:
    """Raw arrays -> uint8 N×H×W×C resized/converted as asked, plus checked int32 labels."""
    images = np.asarray(images)
    if request.limit is not None:
        images = images[: request.limit]
        labels = None if labels is None else np.asarray(labels)[: request.limit]
    images = as_nhwc(images, origin)
    if request.with_labels:
        if labels is None:
            raise DataError(missing_labels_message(origin, no_labels_fix))
        labels = check_labels(labels, len(images), origin, num_classes)
    else:
        labels = None
    images = convert_channels(as_uint8(images, origin), request.channels, origin)
    if request.image_size is not None:
        images = resize_images(images, request.image_size)
    return images, labels


def cache_budget_bytes() -> int:
    """Bytes of decoded images the pipeline keeps in memory.

    ``$GANZOO_DATA_CACHE_BYTES`` when set, else min(4 GiB, a quarter of RAM).
    """
    env = os.environ.get("GANZOO_DATA_CACHE_BYTES")
    if env:
        try:
            return int(float(env))
        except ValueError:
            raise DataError(
                f"GANZOO_DATA_CACHE_BYTES={env!r} is not a number of bytes; e.g. 4e9"
            ) from None
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return DEFAULT_CACHE_BYTES
    return min(DEFAULT_CACHE_BYTES, ram // 4)
